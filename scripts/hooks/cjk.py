"""MkDocs hook: join source lines that break between two Chinese characters.

A line break inside a Markdown paragraph becomes a space in HTML, and a space between two Chinese
characters shows ("推导、 公式"). Lines are joined only in paragraphs and list continuations: never
in fenced code, and never after a heading line. Also applied to notebook Markdown cells."""

from __future__ import annotations

import re

CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
STARTS_CJK = re.compile(f"^[ \t]*[{CJK}]")
ENDS_CJK = re.compile(f"[{CJK}]$")
FENCE = re.compile(r"^\s*(```|~~~)")


def join_cjk_lines(markdown: str) -> str:
    out: list[str] = []
    in_fence = False
    for line in markdown.split("\n"):
        if FENCE.match(line):
            in_fence = not in_fence
        elif (
            not in_fence
            and out
            and STARTS_CJK.match(line)
            and ENDS_CJK.search(out[-1])
            and not out[-1].lstrip().startswith("#")
        ):
            out[-1] += line.lstrip()
            continue
        out.append(line)
    return "\n".join(out)


def on_page_markdown(markdown, page, config, files):
    return join_cjk_lines(markdown)
