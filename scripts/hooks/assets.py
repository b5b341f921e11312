"""MkDocs hook: copy the pinned front-end assets (KaTeX, installed by `npm ci` from package-lock.json)
into the site, so that no page loads anything from a third-party host."""

from __future__ import annotations

import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError

KATEX_FILES = ["katex.min.js", "katex.min.css", "contrib/auto-render.min.js", "fonts/*.woff2"]


def on_post_build(config):
    src = Path(config.config_file_path).resolve().parent / "node_modules" / "katex" / "dist"
    if not (src / "katex.min.js").exists():
        raise PluginError(f"KaTeX is missing at {src}: run the set-up in README.md (it runs `npm ci`)")
    dest = Path(config.site_dir) / "assets" / "vendor" / "katex"
    for pattern in KATEX_FILES:
        for f in src.glob(pattern):
            target = dest / f.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, target)
