"""MkDocs hook: one glossary (glossary.yml) feeds
- the 术语表 page (docs/glossary.md, where the marker `<!-- glossary -->` becomes a table),
- hover tooltips for the terms on every Markdown page (Python-Markdown `abbr` definitions): on the
  first occurrence of a term in each answer, as a reader meets it, not on every repetition."""

from __future__ import annotations

from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError

from html_tree import transform  # scripts/hooks/ is on sys.path while MkDocs loads a hook

MARKER = "<!-- glossary -->"
FIELDS = ("term", "zh", "en", "desc")

entries: list[dict] = []


def load(path: Path) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    seen = set()
    for i, e in enumerate(data, 1):
        missing = [f for f in FIELDS if not str(e.get(f, "")).strip()]
        if missing:
            raise PluginError(f"{path.name}: entry {i} ({e.get('term', '?')}) lacks {', '.join(missing)}")
        if e["term"] in seen:
            raise PluginError(f"{path.name}: term '{e['term']}' is defined twice")
        seen.add(e["term"])
    return sorted(data, key=lambda e: e["term"].lower())


def on_config(config):
    entries[:] = load(Path(config.config_file_path).resolve().parent / "glossary.yml")
    return config


def table() -> str:
    rows = ["| 术语 | 中文 | 英文全称 | 解释 |", "| --- | --- | --- | --- |"]
    for e in entries:
        desc = e["desc"].replace("|", "\\|")
        if e.get("page"):
            desc += f"（[详见]({e['page']})）"
        rows.append(f"| **{e['term']}** | {e['zh']} | {e['en']} | {desc} |")
    return "\n".join(rows)


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri.endswith(".ipynb"):
        return markdown
    if MARKER in markdown:
        markdown = markdown.replace(MARKER, table())
    defs = "\n".join(f"*[{e['term']}]: {e['zh']}（{e['en']}）：{e['desc']}" for e in entries)
    return f"{markdown}\n\n{defs}\n"


@transform(order=40)
def glossary(root, page, config, files):
    """Keep a term's tooltip (<abbr>) on its first occurrence in each section, from one heading to
    the next: later ones become plain text."""
    seen: set[str] = set()
    for node in list(root.traverse()):
        if node.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            seen = set()
        elif node.tag == "abbr" and "title" in node.attrs:
            term = node.text(deep=True)
            if term in seen:
                node.unwrap()
            seen.add(term)
