"""One HTML pass per page: parse the page's HTML once, let each transform edit the tree, serialise once.

The hooks that rewrite page HTML (notebooks, math, practice, glossary) register a transform here with
`@transform(order)`; scripts/hooks/page_html.py runs them in that order on every page. The parser is
selectolax's binding of Lexbor, a maintained HTML5 parser: regular expressions over HTML are how a
class of bugs got in (a code cell's hidden source shown twice, stylesheet selectors cut at commas).
Regular expressions remain only over plain text (a heading's `{#id}`, `$…$` in a text node).

This module is imported by the hooks (scripts/hooks/ is on sys.path while MkDocs loads a hook), so
all of them share its one registry."""

from __future__ import annotations

from typing import Callable

from mkdocs.exceptions import PluginError
from selectolax.lexbor import LexborHTMLParser, LexborNode

ROOT = "mjbg-page"  # a custom element around the page's HTML: a stray </div> cannot close it
_transforms: dict[str, tuple[int, Callable]] = {}


def transform(order: int):
    """Register `fn(root, page, config, files)`; transforms run in increasing `order`."""

    def register(fn: Callable) -> Callable:
        _transforms[fn.__name__] = (order, fn)
        return fn

    return register


def parse(html: str) -> LexborNode:
    """The root element of an HTML fragment (its children are the fragment's nodes)."""
    return LexborHTMLParser(f"<body><{ROOT}>{html}</{ROOT}>").css_first(ROOT)


def run(html: str, page, config, files) -> str:
    root = parse(html)
    for _, fn in sorted(_transforms.values(), key=lambda t: t[0]):
        fn(root, page, config, files)
    return root.inner_html


def expect(node: LexborNode | None, name: str, what: str, page) -> LexborNode:
    """`node`, or a build error naming the transform: the markup it works on has changed."""
    if node is None:
        raise PluginError(
            f"{name}: no {what} in {page.file.src_uri}; did an upgrade of Material or mkdocs-jupyter "
            "change the page markup? Review scripts/hooks/" + name + ".py"
        )
    return node


def insert_html(anchor: LexborNode, html: str, where: str = "before") -> None:
    """Insert the nodes of an HTML fragment before or after `anchor`, or as its last children ("inside")."""
    nodes = list(parse(html).iter(include_text=True))
    if where == "after":
        nodes.reverse()
    for node in nodes:
        getattr(anchor, {"before": "insert_before", "after": "insert_after", "inside": "insert_child"}[where])(node)


def move_into(container: LexborNode, nodes: list[LexborNode]) -> None:
    """Move `nodes` (in order) to the end of `container`."""
    for node in nodes:
        container.insert_child(node, move=True)


def text_of(node: LexborNode, skip: str = "") -> str:
    """The text of `node` without the text of descendants matching the CSS selector `skip`."""
    if not skip:
        return node.text(deep=True)
    skipped = {n.mem_id for s in node.css(skip) for n in s.traverse(include_text=True)}
    return "".join(
        n.text_content or "" for n in node.traverse(include_text=True) if n.is_text_node and n.mem_id not in skipped
    )
