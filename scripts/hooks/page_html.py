"""MkDocs hook: the one HTML pass of every page (scripts/hooks/html_tree.py runs the transforms that the
notebooks, math, practice and glossary hooks register there)."""

from __future__ import annotations

import html_tree  # scripts/hooks/ is on sys.path while MkDocs loads a hook


def on_page_content(html, page, config, files):
    return html_tree.run(html, page, config, files)
