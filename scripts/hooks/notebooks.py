"""MkDocs hook: execute the notebooks in notebooks/<topic>/<name>.ipynb and publish them as pages.

- Execution is cached on the code: the key is the code cells, the kernel and the files beside the
  notebook (data it reads), so a Markdown-only edit re-uses the stored outputs.
- A failing cell stops the build with the notebook path, the cell number and the error.
- Markdown cells get the same line joining as pages (scripts/hooks/cjk.py).
- Outputs are sanitised before rendering: HTML is cleaned with nh3, JavaScript/SVG/widgets are dropped.
- The executed copy is handed to mkdocs-jupyter as notebooks/<topic>/<name>.ipynb. After rendering,
  headings get stable ids (an explicit `{#id}` at the end of a notebook heading, else a Unicode
  slug), the TOC is rebuilt from them, `.md` links are rewritten to page URLs and their anchors are
  checked by MkDocs, code cells are kept out of the search index, and a download / source bar is added.
- Each notebook page gets the tag 手撕代码 and a meta description made from its first cell.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import html
import json
import logging
import posixpath
import re
import struct
import time
from pathlib import Path

import nbformat
import nh3
import tinycss2
from markdown.extensions.toc import slugify_unicode
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from cjk import join_cjk_lines  # scripts/hooks/ is on sys.path while MkDocs loads a hook

log = logging.getLogger("mkdocs.hooks.notebooks")

KERNEL = "python3"
CELL_TIMEOUT = 300  # seconds; the per-notebook budget (60 s) is checked by tests/test_build.py
SANITISER_VERSION = "2"  # bump to invalidate cached outputs when sanitise() changes
SEARCH_BOOST = 0.2  # notebook pages in the search ranking, relative to question pages (1.0)
DROP_MIMETYPES = (
    "application/javascript",
    "text/javascript",
    "image/svg+xml",
    "application/vnd.jupyter.widget-view+json",
)

ALLOWED_ATTRIBUTES = {**nh3.ALLOWED_ATTRIBUTES, "*": {"class", "id", "title"}}  # e.g. pandas tables
HEADING = re.compile(r"<h([1-6])([^>]*)>(.*?)</h\1>", re.S)
EXPLICIT_ID = re.compile(r"\s*\{#([A-Za-z0-9_-]+)\}\s*$")
HREF = re.compile(r'href="([^"#:?]+\.(?:md|ipynb))(#[^"]*)?"')
TAG = re.compile(r"<[^>]+>")
SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
IMAGE = re.compile(r'<img alt="[^"]*" class="[^"]*" src="data:image/(png|jpeg);base64,([A-Za-z0-9+/=\s]+)"')


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def cache_key(nb: nbformat.NotebookNode, path: Path) -> str:
    h = hashlib.sha256(f"{KERNEL}\0{SANITISER_VERSION}\0".encode())
    for cell in nb.cells:
        if cell.cell_type == "code":
            h.update(cell.source.encode() + b"\0")
    for data in sorted(p for p in path.parent.iterdir() if p.is_file() and p.suffix != ".ipynb"):
        h.update(data.name.encode() + b"\0" + data.read_bytes())
    return h.hexdigest()


def sanitise(outputs: list) -> list:
    for out in outputs:
        data = out.get("data", {})
        for mime in DROP_MIMETYPES:
            data.pop(mime, None)
        for mime in ("text/html", "text/markdown"):
            if mime in data:
                data[mime] = nh3.clean(data[mime], attributes=ALLOWED_ATTRIBUTES)
    return outputs


def execute(nb: nbformat.NotebookNode, path: Path, name: str) -> list[list]:
    """Run every code cell in order; return the sanitised outputs of each code cell."""
    client = NotebookClient(
        nb, kernel_name=KERNEL, timeout=CELL_TIMEOUT, resources={"metadata": {"path": str(path.parent)}}
    )
    start = time.perf_counter()
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            try:
                client.execute_cell(cell, index)
            except CellExecutionError as e:
                first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                raise PluginError(
                    f"{name}: cell {index + 1} failed ({first!r}): {e.ename}: {e.evalue}"
                ) from None
    log.info(f"executed {name} in {time.perf_counter() - start:.1f} s")  # read by tests and measure.py
    return [sanitise(c.outputs) for c in nb.cells if c.cell_type == "code"]


def write_executed_copy(path: Path, root: Path) -> None:
    """Write the notebook with its outputs to .cache/build/, taking them from the cache or running it."""
    name = path.relative_to(root).as_posix()
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as e:  # malformed JSON or schema
        raise PluginError(f"{name}: not a valid notebook: {e}") from None
    cache = root / ".cache" / "notebook-outputs" / f"{cache_key(nb, path)}.json"
    used_outputs.add(cache)
    if cache.exists():
        outputs = json.loads(cache.read_text(encoding="utf-8"))
    else:
        outputs = execute(copy.deepcopy(nb), path, name)
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(outputs), encoding="utf-8")
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = join_cjk_lines(cell.source)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    for count, (cell, out) in enumerate(zip(code_cells, outputs), 1):
        cell.outputs = nbformat.from_dict(out)
        cell.execution_count = count
    target = root / ".cache" / "build" / name
    text = nbformat.writes(nb)
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


used_outputs: set[Path] = set()


@event_priority(100)  # before mkdocs-jupyter wraps the notebook files
def on_files(files, config):
    root = _root(config)
    used_outputs.clear()
    for path in sorted((root / "notebooks").glob("*/*.ipynb")):
        write_executed_copy(path, root)
        name = path.relative_to(root).as_posix()
        files.append(File(name, str(root / ".cache" / "build"), config.site_dir, config.use_directory_urls))
    return files


def _is_notebook(page) -> bool:
    return page.file.src_uri.startswith("notebooks/") and page.file.src_uri.endswith(".ipynb")


def describe(first_cell: str, limit: int = 120) -> str:
    """A meta description from a notebook's first cell: its title, then its opening text in plain words."""
    title, _, body = first_cell.partition("\n")
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", "", body, flags=re.S)        # math reads badly as plain text
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)                   # links → their text
    text = re.sub(r"^\s*(?:\d+\.|[-*])\s+|[*`#>]|本笔记本[：:]", "", text, flags=re.M)
    text = re.sub(r"\s+", " ", join_cjk_lines(text)).strip()
    out = f"{title.lstrip('# ').strip()}。{text}"
    return out if len(out) <= limit else out[: limit - 1].rstrip("，、；： ") + "…"


def on_page_markdown(markdown, page, config, files):
    if _is_notebook(page):
        cells = json.loads(Path(page.file.abs_src_path).read_text(encoding="utf-8"))["cells"]
        page.meta.setdefault("description", describe("".join(cells[0]["source"])))
        page.meta.setdefault("tags", ["手撕代码"])
    return markdown


def _nest(flat: list[dict]) -> list[dict]:
    """Turn a flat list of {level, id, name} into the nested tokens get_toc() expects."""
    tokens, stack = [], []
    for item in flat:
        node = {**item, "children": []}
        while stack and stack[-1]["level"] >= node["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else tokens).append(node)
        stack.append(node)
    return tokens


DIV = re.compile(r"<div\b[^>]*>|</div>")


def exclude_code_cells(html_text: str) -> str:
    """Keep code cells and their outputs out of the search index (they drown the prose in noise).

    Material skips elements marked data-search-exclude, but it matches skipped elements by tag
    name only, so a marked <div> is "left" at the first nested </div>. Each code cell is therefore
    wrapped in an element whose tag appears nowhere inside it."""
    cuts, depth, start = [], 0, None
    for m in DIV.finditer(html_text):
        if m.group(0).startswith("</"):
            depth -= 1
            if start is not None and depth == start[1]:
                cuts.append((start[0], m.end()))
                start = None
        else:
            if start is None and "jp-CodeCell" in m.group(0):
                start = (m.start(), depth)
            depth += 1
    for begin, end in reversed(cuts):
        html_text = (
            html_text[:begin] + "<search-exclude data-search-exclude>" + html_text[begin:end]
            + "</search-exclude>" + html_text[end:]
        )
    return html_text


def extract_images(html_text: str, page, config) -> str:
    """Plots become files beside the page, lazily loaded with their size set (no layout shift),
    instead of base64 inside the HTML that every reader downloads before the text."""
    out_dir = Path(config.site_dir) / page.url
    count = 0

    def write(m: re.Match) -> str:
        nonlocal count
        data = base64.b64decode(m.group(2))
        name = f"plot-{hashlib.sha256(data).hexdigest()[:12]}.{m.group(1)}"
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / name).write_bytes(data)
        size = ""
        if m.group(1) == "png" and data[12:16] == b"IHDR":
            size = ' width="{}" height="{}"'.format(*struct.unpack(">II", data[16:24]))
        count += 1
        return f'<img alt="{html.escape(page.title)}：输出图 {count}" src="{name}"{size} loading="lazy" decoding="async"'

    return IMAGE.sub(write, html_text)


def on_page_content(html_text, page, config, files):
    if not _is_notebook(page):
        return html_text
    seen: set[str] = set()
    flat: list[dict] = []

    def fix_heading(m: re.Match) -> str:
        level, inner = int(m.group(1)), m.group(3)
        inner = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", inner, flags=re.S)
        text = html.unescape(TAG.sub("", inner)).strip()
        explicit = EXPLICIT_ID.search(text)
        if explicit:
            text = EXPLICIT_ID.sub("", text)
            inner = EXPLICIT_ID.sub("", inner)
        base = explicit.group(1) if explicit else slugify_unicode(text, "-") or f"h{level}"
        hid, n = base, 1
        while hid in seen:
            hid, n = f"{base}-{n}", n + 1
        seen.add(hid)
        flat.append({"level": level, "id": hid, "name": html.escape(text)})
        return f'<h{level} id="{hid}">{inner}<a class="headerlink" href="#{hid}" title="本节链接">&para;</a></h{level}>'

    # nbconvert's template carries scripts (an empty MathJax loader, a CDN mermaid loader, a
    # clipboard helper); none may run here: math is rendered by scripts/hooks/math.py.
    html_text = SCRIPT.sub("", html_text)
    html_text = extract_images(html_text, page, config)
    html_text = exclude_code_cells(html_text)
    html_text = HEADING.sub(fix_heading, html_text)
    page.toc = get_toc(_nest(flat))
    # A question page that explains a term should rank above the notebook that demonstrates it.
    page.meta["search"] = {"boost": SEARCH_BOOST}
    page.present_anchor_ids = seen

    links: dict = {}

    def fix_link(m: re.Match) -> str:
        target, anchor = m.group(1), (m.group(2) or "")
        src = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), target))
        target_file = files.get_file_from_path(src)
        if target_file is None:
            log.warning(f"{page.file.src_uri}: link to '{target}', which is not a page of the site")
            return m.group(0)
        url = target_file.url_relative_to(page.file) + anchor
        if anchor:
            links.setdefault(target_file, {})[anchor[1:]] = url
        return f'href="{url}"'

    html_text = HREF.sub(fix_link, html_text)
    page.links_to_anchors = links

    source = f"{config.repo_url.rstrip('/')}/blob/main/{page.file.src_uri}"
    page.edit_url = f"{config.repo_url.rstrip('/')}/edit/main/{page.file.src_uri}"
    bar = (
        '<search-exclude data-search-exclude><p class="nb-bar">'
        f'<a class="md-button" href="{Path(page.file.src_uri).name}" download>下载 Notebook（.ipynb，含输出）</a> '
        f'<a class="md-button" href="{source}">查看源文件</a>'
        "</p></search-exclude>"
    )
    return bar + _extract_styles(html_text)


STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
_styles: dict[str, str] = {}
_classes: set[str] = set()  # every class used on a notebook page
CLASS_ATTR = re.compile(r'class="([^"]*)"')
CSS_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
NEVER_MATCHES = re.compile(r"\S\s*:root")  # `.jupyter-wrapper :root` (88 KB of variables that apply nowhere)


def prune_css(rules) -> list[str]:
    """Keep the rules with a selector whose classes all occur on some notebook page (JupyterLab's
    stylesheet styles a whole application: 594 KB -> 50 KB)."""
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s.strip() for s in tinycss2.serialize(rule.prelude).split(",")]
            used = [s for s in selectors if set(CSS_CLASS.findall(s)) <= _classes and not NEVER_MATCHES.search(s)]
            if used:
                out.append(",".join(used) + "{" + tinycss2.serialize(rule.content) + "}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content:
            inner = prune_css(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))
            if inner:
                out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{''.join(inner)}}}")
        elif rule.type == "at-rule":
            out.append(tinycss2.serialize([rule]))
    return out


def _extract_styles(html_text: str) -> str:
    """Move the CSS that mkdocs-jupyter inlines in every notebook page (~600 KB) into one file,
    assets/css/jupyter.css, linked only from pages that show a notebook (overrides/main.html)."""
    _classes.update(c for attr in CLASS_ATTR.findall(html_text) for c in attr.split())
    for css in STYLE.findall(html_text):
        _styles.setdefault(hashlib.sha256(css.encode()).hexdigest(), css)
    return STYLE.sub("", html_text)


def on_post_build(config):
    for stale in (_root(config) / ".cache" / "notebook-outputs").glob("*.json"):
        if stale not in used_outputs:
            stale.unlink()  # outputs of code that no longer exists
    if _styles:
        out = Path(config.site_dir) / "assets" / "css" / "jupyter.css"
        out.parent.mkdir(parents=True, exist_ok=True)
        rules = tinycss2.parse_stylesheet("\n".join(_styles.values()), skip_comments=True, skip_whitespace=True)
        out.write_text("\n".join(prune_css(rules)), encoding="utf-8")
