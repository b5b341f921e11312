"""Content lint for docs/ and notebooks/: every finding is printed as `path:line: message`.

Usage: python scripts/lint.py [PATH ...]   (default: docs notebooks; exit 1 on any finding)

Rules (see CONTRIBUTING.md):
- a question heading (ends with ？ or ?) needs an explicit id `{#ascii-id}`; ids are unique;
- no placeholder questions (a heading or line that is only `？` or `/`, a question with no answer);
- no ⭐ in headings (use the `.hot` class) and no math in headings;
- images exist next to their page and are never hot-linked; no <script> or <iframe> in pages;
- notebooks are stored without outputs;
- Chinese copywriting (autocorrect);
- none of the banned strings in scripts/banned.txt;
- every page under docs/ has a front-matter `description` (the page's meta description), and every
  page with questions a `checked` date (when its content was last checked against its sources);
- nothing published disappears: every page and question id in the git history still exists or is
  listed in redirects.yml (which is checked too).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import autocorrect_py
import yaml

ROOT = Path(__file__).resolve().parent.parent
BANNED_FILE = Path(__file__).with_name("banned.txt")

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
ATTRS = re.compile(r"\s*\{([^}]*)\}\s*$")
ID_OK = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
FENCE = re.compile(r"^\s*(```|~~~)")
FENCED_BLOCK = re.compile(r"^\s*(```|~~~).*?^\s*\1", re.M | re.S)  # a code block: its lines are not headings
IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|<img\b[^>]*\bsrc=[\"']([^\"']+)")
PLACEHOLDER = re.compile(r"[\s\d.、)）]*[？?/]?\s*")
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
ADDED_ID = re.compile(r"^\+#{1,6}\s.*\{[^}]*#([a-z0-9-]+)")
MIN_DESCRIPTION = 30  # characters
QUESTION = re.compile(r"^#{2,4}\s.*[？?]\s*(?:\{[^}]*\})?\s*$", re.M)


def display(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def load_banned(path: Path = BANNED_FILE) -> tuple[list[str], dict[int, set[str]]]:
    plain, hashed = [], {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("sha256:"):
            _, digest, length = line.split(":")
            hashed.setdefault(int(length), set()).add(digest)
        else:
            plain.append(line)
    return plain, hashed


def banned_hits(text: str, banned) -> list[tuple[int, str]]:
    """(line, description) for each banned string in text."""
    plain, hashed = banned
    hits = []
    for n, line in enumerate(text.splitlines(), 1):
        for s in plain:
            if s in line:
                hits.append((n, f"banned string '{s}'"))
        for length, digests in hashed.items():
            for i in range(len(line) - length + 1):
                if hashlib.sha256(line[i : i + length].encode()).hexdigest() in digests:
                    hits.append((n, "personal data listed in scripts/banned.txt"))
    return hits


def copywriting(text: str, filename: str) -> list[tuple[int, str]]:
    result = autocorrect_py.lint_for(text, filename)
    return [(r.line, f"copywriting: '{r.old.strip()}' -> '{r.new.strip()}'") for r in result.lines]


def check_images(text: str, page: Path) -> list[tuple[int, str]]:
    found = []
    for n, line in enumerate(text.splitlines(), 1):
        for m in IMAGE.finditer(line):
            src = m.group(1) or m.group(2)
            if re.match(r"[a-z]+:", src):
                found.append((n, f"hot-linked image '{src}': put the file next to the page"))
            elif not (page.parent / src.split("#")[0]).resolve().exists():
                found.append((n, f"missing image '{src}'"))
    return found


def check_front_matter(text: str) -> list[tuple[int, str]]:
    """A meta description on every page; on a page with questions, the date its content was last
    checked against its sources (`checked: YYYY-MM-DD`, shown as 内容核对), not in the future."""
    m = FRONT_MATTER.match(text)
    meta = (yaml.safe_load(m.group(1)) if m else None) or {}
    found = []
    if len(str(meta.get("description") or "")) < MIN_DESCRIPTION:
        found.append((1, f"front matter needs a description of at least {MIN_DESCRIPTION} characters (the meta description)"))
    if QUESTION.search(text):
        checked = meta.get("checked")
        if not isinstance(checked, datetime.date) or isinstance(checked, datetime.datetime):
            found.append((1, "a page with questions needs `checked: YYYY-MM-DD` in its front matter (内容核对)"))
        elif checked > datetime.date.today():
            found.append((1, f"`checked: {checked}` is in the future"))
        body = FENCED_BLOCK.sub("", text[m.end():] if m else text)
        if not re.search(r"^# \S", body, re.M):
            line = text[: m.end()].count("\n") + 1 if m else 1
            found.append((line, "a page with questions needs a `# title` heading (the practice toolbar goes under it)"))
    return found


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True).stdout


def site_path(repo_path: str) -> str | None:
    """The docs-relative path MkDocs serves a repository file under, or None if it is not a page."""
    if repo_path.startswith("docs/") and repo_path.endswith(".md"):
        return repo_path.removeprefix("docs/")
    if re.fullmatch(r"notebooks/[^/]+/[^/]+\.ipynb", repo_path):
        return repo_path
    return None


def check_history(ids: dict[str, str]) -> list[str]:
    """Pages and question ids that were ever committed and are gone need an entry in redirects.yml."""
    try:
        if git("rev-parse", "--is-shallow-repository").strip() == "true":
            return ["redirects.yml:1: git history is shallow; the moved-page check needs it all (git fetch --unshallow)"]
    except (subprocess.CalledProcessError, FileNotFoundError):
        print("lint: not a git checkout, moved pages not checked", file=sys.stderr)
        return []
    moves = yaml.safe_load((ROOT / "redirects.yml").read_text(encoding="utf-8")) or {}
    pages, renamed = moves.get("pages") or {}, moves.get("ids") or {}
    exists = lambda p: (ROOT / ("" if p.startswith("notebooks/") else "docs") / p).is_file()  # noqa: E731
    found = []
    for old, new in pages.items():
        if exists(old):
            found.append(f"redirects.yml: '{old}' is still a page: remove its redirect")
        if not exists(new):
            found.append(f"redirects.yml: '{old}' redirects to '{new}', which does not exist")
    for old, new in renamed.items():
        if new not in ids:
            found.append(f"redirects.yml: id '{old}' is renamed to '{new}', which no page has")
    log = git("log", "--no-renames", "--diff-filter=A", "--name-only", "--format=%h", "--", "docs", "notebooks")
    commit = ""
    for line in log.splitlines():
        if re.fullmatch(r"[0-9a-f]{7,}", line):
            commit = line
        elif (page := site_path(line)) and not exists(page) and page not in pages:
            found.append(f"{line}: removed, but it was published (added in {commit}): "
                         f"add '{page}: <new page>' under pages in redirects.yml so its URL keeps working")
    seen = set()
    for line in git("log", "--no-renames", "-p", "--format=", "--", "docs").splitlines():
        m = ADDED_ID.match(line)
        if m and m.group(1) not in seen:
            seen.add(m.group(1))
            if m.group(1) not in ids and m.group(1) not in renamed:
                found.append(f"redirects.yml: question id '#{m.group(1)}' was published and no page has it now: "
                             f"add '{m.group(1)}: <new id>' under ids so shared links keep working")
    return found


def check_page(path: Path, ids: dict[str, str]) -> list[tuple[int, str]]:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    found: list[tuple[int, str]] = []
    in_fence = False
    open_question: tuple[int, int] | None = None  # (line, level) of a question still without answer

    def close_question(level: int | None) -> None:
        nonlocal open_question
        if open_question and (level is None or level <= open_question[1]):
            found.append((open_question[0], "placeholder question: it has no answer"))
        open_question = None

    for n, line in enumerate(lines, 1):
        if FENCE.match(line):
            in_fence = not in_fence
        if in_fence:
            if open_question:
                open_question = None
            continue
        if re.search(r"<(script|iframe)\b", re.sub(r"`[^`]*`", "", line), re.I):
            found.append((n, "raw <script>/<iframe> is not allowed in pages"))
        m = HEADING.match(line)
        if not m:
            if line.strip() in {"？", "?", "/"}:
                found.append((n, f"placeholder line '{line.strip()}'"))
            elif line.strip():
                open_question = None
            continue
        level, title = len(m.group(1)), m.group(2)
        close_question(level)
        attrs = ATTRS.search(title)
        bare = ATTRS.sub("", title).strip(" *_")
        hid = re.search(r"#([^\s}]+)", attrs.group(1)).group(1) if attrs and "#" in attrs.group(1) else None
        if "$" in bare:
            found.append((n, "no math in headings: the TOC and search results show it raw"))
        if "⭐" in title:
            found.append((n, "use the .hot class instead of ⭐ in headings"))
        if level > 1 and PLACEHOLDER.fullmatch(bare):
            found.append((n, f"placeholder heading '{title}'"))
            continue
        is_question = bare.rstrip("⭐ ").endswith(("？", "?"))
        if is_question and not hid:
            found.append((n, "question heading without an explicit id {#ascii-id}"))
        if hid:
            if not ID_OK.fullmatch(hid):
                found.append((n, f"id '#{hid}' must be lowercase ASCII letters, digits and '-'"))
            where = f"{display(path)}:{n}"
            if hid in ids:
                found.append((n, f"duplicate id '#{hid}', also used at {ids[hid]}"))
            else:
                ids[hid] = where
        if is_question:
            open_question = (n, level)
    close_question(None)
    found += check_images(text, path)
    found += copywriting(text, path.name)
    return found


def check_notebook(path: Path) -> list[tuple[str, str]]:
    """(location, message) pairs; location is 'cell N' (1-based) or 'line N' for JSON errors."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        return [(f"{e.lineno}", f"not valid notebook JSON: {e.msg}")]
    found = []
    for i, cell in enumerate(nb.get("cells", []), 1):
        source = "".join(cell.get("source", []))
        where = f"cell {i}"
        if cell.get("cell_type") == "code" and (cell.get("outputs") or cell.get("execution_count")):
            found.append((where, "stored with outputs: clear them (jupyter nbconvert --clear-output --inplace)"))
        if cell.get("cell_type") == "markdown":
            for n, line in enumerate(source.splitlines(), 1):
                if HEADING.match(line) and "$" in line:
                    found.append((f"{where}, line {n}", "no math in headings: the TOC and search results show it raw"))
                if re.search(r"<(script|iframe)\b", line, re.I):
                    found.append((f"{where}, line {n}", "raw <script>/<iframe> is not allowed"))
            found += [(f"{where}, line {n}", msg) for n, msg in check_images(source, path)]
            found += [(f"{where}, line {n}", msg) for n, msg in copywriting(source, "cell.md")]
    return found


def lint(paths: list[Path], banned=None, ids: dict[str, str] | None = None) -> list[str]:
    banned = banned or load_banned()
    ids = {} if ids is None else ids
    files = []
    for p in paths:
        files += sorted(p.rglob("*")) if p.is_dir() else [p]
    findings = []
    for f in files:
        if f.suffix not in {".md", ".ipynb"} or ".ipynb_checkpoints" in f.parts:
            continue
        name = display(f)
        if f.suffix == ".md":
            hits = sorted(check_page(f, ids))
            if "docs" in f.relative_to(ROOT).parts[:1]:
                hits += check_front_matter(f.read_text(encoding="utf-8"))
        else:
            hits = [(where, msg) for where, msg in check_notebook(f)]
        text = f.read_text(encoding="utf-8")
        if f.suffix == ".md":
            hits += banned_hits(text, banned)
        else:
            hits += [(f"line {n}", msg) for n, msg in banned_hits(text, banned)]
        findings += [f"{name}:{where}: {msg}" for where, msg in hits]
    return findings


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or [ROOT / "docs", ROOT / "notebooks", ROOT / "README.md", ROOT / "CONTRIBUTING.md"]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"lint: no such path: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    ids: dict[str, str] = {}
    findings = lint(paths, ids=ids)
    if any(p == ROOT / "docs" for p in paths):
        findings += check_history(ids)
    for f in findings:
        print(f)
    print(f"lint: {len(findings)} finding(s)", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
