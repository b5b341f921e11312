"""MkDocs hook: generated index pages, so they never go stale.

- `<!-- index:hot -->` becomes every high-frequency question (headings with the `.hot` class), grouped by
  the navigation section of its page, in navigation order;
- `<!-- index:notebooks -->` becomes every notebook in navigation order, with the questions its first
  cell links back to;
- `<!-- index:topics -->` (the home page) becomes a table of the navigation's sections: their topic
  pages and notebooks.
Links are written relative to docs/, so the page holding a marker must sit at the top of docs/ and
MkDocs validates every generated link and anchor."""

from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

HOT = re.compile(r"^#{2,4}\s+(.+?)\s*\{[^}]*#([a-z0-9-]+)[^}]*\.hot[^}]*\}\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
BACKLINK = re.compile(r"\[([^\]]+)\]\((?:\.\./)+([^)]+\.md#[a-z0-9-]+)\)")
H1 = re.compile(r"^#\s+(.+?)\s*$", re.M)


def nav_entries(nav, section: str = "") -> list[tuple[str, str, str]]:
    """(top-level section title, page title, path) for every page in mkdocs.yml's nav, in order."""
    out = []
    for item in nav:
        if isinstance(item, str):
            out.append((section, item, item))
            continue
        for title, value in item.items():
            if isinstance(value, list):
                out += nav_entries(value, section or title)
            else:
                out.append((section or title, title, value))
    return out


def nav_pages(nav) -> list[tuple[str, str]]:
    """(top-level section title, path) for every page in mkdocs.yml's nav, in order."""
    return [(section, path) for section, _, path in nav_entries(nav)]


def topics(nav) -> str:
    """A row for each top-level section with topic pages (docs/<topic>/…): its pages and notebooks."""
    rows = ["| 主题 | 题目页 | 手撕代码 |", "| --- | --- | --- |"]
    sections: dict[str, list[tuple[str, str]]] = {}
    for section, title, path in nav_entries(nav):
        sections.setdefault(section, []).append((title.replace("|", "\\|"), path))
    for section, entries in sections.items():
        pages = [e for e in entries if e[1].endswith(".md") and "/" in e[1]]
        if not pages:
            continue
        notebooks = [e for e in entries if e[1].endswith(".ipynb")]
        links = lambda es: "、".join(f"[{t}]({p})" for t, p in es)  # noqa: E731
        rows.append(f"| [{section}]({pages[0][1]}) | {links(pages)} | {links(notebooks)} |")
    return "\n".join(rows)


def hot_questions(docs: Path, pages) -> str:
    lines, current = [], None
    for section, path in pages:
        if not path.endswith(".md"):
            continue
        in_fence = False
        for line in (docs / path).read_text(encoding="utf-8").splitlines():
            if FENCE.match(line):
                in_fence = not in_fence
            m = None if in_fence else HOT.match(line)
            if m:
                if section != current:
                    lines.append(f"\n## {section}\n")
                    current = section
                lines.append(f"- [{m.group(1)}]({path}#{m.group(2)})")
    return "\n".join(lines)


def notebooks(root: Path, pages) -> str:
    rows = ["| Notebook | 对应题目 |", "| --- | --- |"]
    for _, path in pages:
        if not path.endswith(".ipynb"):
            continue
        cells = json.loads((root / path).read_text(encoding="utf-8"))["cells"]
        first = "".join(cells[0]["source"])
        title = H1.search(first)
        if not title:
            raise PluginError(f"{path}: the first cell has no '# 标题'")
        questions = "、".join(f"[{text}]({target})" for text, target in BACKLINK.findall(first))
        rows.append(f"| [{title.group(1)}]({path}) | {questions} |")
    return "\n".join(rows)


def on_page_markdown(markdown, page, config, files):
    if "<!-- index:" not in markdown:
        return markdown
    root = Path(config.config_file_path).resolve().parent
    pages = nav_pages(config.nav or [])
    markdown = markdown.replace("<!-- index:hot -->", hot_questions(Path(config.docs_dir), pages))
    markdown = markdown.replace("<!-- index:topics -->", topics(config.nav or []))
    return markdown.replace("<!-- index:notebooks -->", notebooks(root, pages))
