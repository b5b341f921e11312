"""MkDocs hook: old addresses keep working (redirects.yml).

- `pages`: for every old path a redirect page is written at the old URL. It sends old/#id to the page
  that holds #id now (from assets/questions.json, written by scripts/hooks/practice.py, so this hook
  must come after it) and anything else to the new page.
- `ids`: renamed or merged question ids, old → new, written to assets/redirects.json; practice.js
  sends a link to an old id (on any page) to the page that holds the new one."""

from __future__ import annotations

import html
import json
import posixpath
import re
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError

moves: dict[str, dict[str, str]] = {"pages": {}, "ids": {}}

TEMPLATE = """<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>页面已移动 - {site}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{target}">
<script>
  (function () {{
    var ids = {ids};
    var id = decodeURIComponent(location.hash.slice(1));
    id = ids.renamed[id] || id;
    var page = ids.pages[id] || {target_json};
    location.replace(page + (id ? "#" + encodeURIComponent(id) : ""));
  }})();
</script>
<meta http-equiv="refresh" content="0; url={target}">
</head>
<body><p>本页已移动到 <a href="{target}">{target}</a>。</p></body>
</html>
"""


def load(root: Path) -> dict[str, dict[str, str]]:
    data = yaml.safe_load((root / "redirects.yml").read_text(encoding="utf-8")) or {}
    return {key: dict(data.get(key) or {}) for key in ("pages", "ids")}


def url_of(path: str, directory_urls: bool = True) -> str:
    """docs-relative source path → URL, as MkDocs builds it: a directory (use_directory_urls) or, in
    the offline copy (scripts/hooks/offline_copy.py), the .html file itself."""
    stem = re.sub(r"\.(md|ipynb)$", "", path)
    if not directory_urls:
        return stem + ".html"
    stem = "" if stem == "index" else re.sub(r"/index$", "", stem)
    return stem + "/" if stem else ""


def file_of(url: str) -> str:
    """URL → the file under the site directory that serves it."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def on_config(config):
    moves.update(load(Path(config.config_file_path).resolve().parent))


def on_post_build(config):
    site = Path(config.site_dir)
    (site / "assets" / "redirects.json").write_text(json.dumps({"ids": moves["ids"]}), encoding="utf-8")
    holder = {q["id"]: q["url"] for q in json.loads((site / "assets" / "questions.json").read_text("utf-8"))}
    dirs = config.use_directory_urls
    for old, new in moves["pages"].items():
        if not (site / file_of(url_of(new, dirs))).exists():
            raise PluginError(f"redirects.yml: '{old}' → '{new}': no such page")
        here = posixpath.dirname(file_of(url_of(old, dirs))) or "."
        rel = lambda url: posixpath.relpath(url or ".", here) + ("/" if dirs else "")  # noqa: E731
        target = rel(url_of(new, dirs))
        ids = {"pages": {i: rel(u) for i, u in holder.items()}, "renamed": moves["ids"]}
        out = site / file_of(url_of(old, dirs))
        if out.exists():
            raise PluginError(f"redirects.yml: '{old}' is still a page; remove it from redirects.yml")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(TEMPLATE.format(
            site=html.escape(config.site_name), target=html.escape(target),
            target_json=json.dumps(target), ids=json.dumps(ids, ensure_ascii=False),
        ), encoding="utf-8")
