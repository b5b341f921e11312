"""MkDocs hook: one glossary (glossary.yml) feeds
- the 术语表 page (docs/glossary.md, where the marker `<!-- glossary -->` becomes a table),
- hover tooltips for the terms on every Markdown page (Python-Markdown `abbr` definitions): on the
  first occurrence of a term in each answer, as a reader meets it, not on every repetition."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError

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


ABBR = re.compile(r'<abbr title="[^"]*">([^<]*)</abbr>')
SECTION = re.compile(r"(?=<h[1-6][\s>])")


def on_page_content(content, page, config, files):
    def first_only(section: str) -> str:
        seen: set[str] = set()

        def keep(m: re.Match) -> str:
            if m.group(1) in seen:
                return m.group(1)
            seen.add(m.group(1))
            return m.group(0)

        return ABBR.sub(keep, section)

    return "".join(first_only(part) for part in SECTION.split(content))
