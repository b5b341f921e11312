"""Which of KaTeX's font files a rendered formula uses, read from the stylesheet the site serves
(node_modules/katex/dist/katex.min.css): its @font-face rules name the file of each family, weight and
style, and its class rules say which family (weight, style) each of KaTeX's classes uses.

A simplification, on purpose: an element's face is that of the rules setting `font-family` that its own
classes match (the last compound selector of each rule), else KaTeX_Main; weights and styles set by
rules without a family are not followed. The math hook preloads these files for the formulas on a
page's first screen (scripts/hooks/math.py)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import tinycss2
from selectolax.lexbor import LexborHTMLParser

CSS = Path(__file__).resolve().parents[2] / "node_modules" / "katex" / "dist" / "katex.min.css"
DEFAULT = ("KaTeX_Main", "400", "normal")  # .katex { font: normal 1.21em KaTeX_Main, … }
WEIGHTS = {"normal": "400", "bold": "700"}


def _declarations(content) -> dict[str, str]:
    found = {}
    for item in tinycss2.parse_declaration_list(content, skip_comments=True, skip_whitespace=True):
        if item.type == "declaration":
            found[item.lower_name] = tinycss2.serialize(item.value).strip().strip('"')
    return found


def _face(d: dict[str, str]) -> tuple[str, str, str]:
    weight = d.get("font-weight", "normal")
    return d["font-family"], WEIGHTS.get(weight, weight), d.get("font-style", "normal")


@functools.cache
def _tables() -> tuple[dict, list]:
    """(face -> woff2 file name, [(classes an element must have, face)])."""
    files, rules = {}, []
    for rule in tinycss2.parse_stylesheet(CSS.read_text(encoding="utf-8"), skip_comments=True, skip_whitespace=True):
        if rule.type == "at-rule" and rule.lower_at_keyword == "font-face":
            d = _declarations(rule.content)
            files[_face(d)] = re.search(r"fonts/([\w-]+\.woff2)", d["src"])[1]
        elif rule.type == "qualified-rule":
            d = _declarations(rule.content)
            if "font-family" not in d:
                continue
            for selector in tinycss2.serialize(rule.prelude).split(","):
                classes = frozenset(re.findall(r"\.([\w-]+)", re.split(r"[\s>+~]+", selector.strip())[-1]))
                if classes:  # e.g. `.delim-size1 > span`: not a class of the element itself; skipped
                    rules.append((classes, _face(d)))
    if DEFAULT not in files or not rules:
        raise RuntimeError(f"{CSS}: no KaTeX_Main @font-face or no class rules; has KaTeX's stylesheet changed?")
    return files, rules


def fonts_of(formula_html: str) -> set[str]:
    """The woff2 file names a formula's HTML (KaTeX's output) uses."""
    files, rules = _tables()
    used = {files[DEFAULT]}
    for node in LexborHTMLParser(formula_html).css("[class]"):
        classes = set((node.attributes.get("class") or "").split())
        used.update(files[face] for need, face in rules if need <= classes and face in files)
    return used
