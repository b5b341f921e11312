"""MkDocs hook: the structure the practice features (assets/js/practice.js) work on.

- Every question heading (an `<h2>`–`<h4>` with an id whose text ends in ？ or ?) is followed by its
  controls (显示答案 / 已掌握 / 需复习) and its answer wrapped in `<div class="answer" id="a-<id>">`:
  everything up to the next heading of the same or a higher level. Quiz mode hides these wrappers;
  print shows them all. A page with questions gets a toolbar under its title (答题模式, 随机一题, counts).
  The controls are in the HTML, not added by script, so nothing moves when the page becomes
  interactive; they are shown only when JavaScript runs (the `mjbg-js` class, overrides/main.html)
  and kept out of the search index.
- `assets/questions.json` lists every question (id, title, page, topic, high-frequency flag) for
  随机一题 and the progress table on the home page.
Both are built on the page's HTML tree (the `practice` transform, scripts/hooks/html_tree.py)."""

from __future__ import annotations

import html
import json
from pathlib import Path

from html_tree import expect, insert_html, move_into, text_of, transform  # scripts/hooks/ is on sys.path

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")

questions: dict[str, list[dict]] = {}
nav_order: list[str] = []


def question_of(heading) -> tuple[str, str] | None:
    """(id, plain title) if this heading is a question."""
    title = text_of(heading, "a.headerlink").replace("\u200b", "").strip()
    if heading.attrs.get("id") and title.endswith(("？", "?")):
        return heading.attrs["id"], title
    return None


def wrap_answers(root) -> list[tuple[str, str, bool]]:
    """After each question heading among the page's top-level elements: its controls, and its answer
    (every following element up to the next heading of the same or a higher level) in a wrapper."""
    found, answer, open_level = [], None, None
    for node in list(root.iter(include_text=True)):
        level = int(node.tag[1]) if node.tag in HEADINGS else None
        if open_level is not None and level is not None and level <= open_level:
            answer, open_level = None, None
        if answer is not None:
            move_into(answer, [node])
            continue
        question = question_of(node) if level and level > 1 else None
        if question:
            qid, title = question
            insert_html(node, f'<div class="answer" id="a-{qid}"></div>', "after")
            answer, open_level = node.next, level
            insert_html(node, controls(qid, title), "after")
            found.append((qid, title, "hot" in (node.attrs.get("class") or "").split()))
    return found


def controls(qid: str, title: str) -> str:
    label = html.escape(title, quote=True)
    marks = "".join(
        f'<button type="button" class="qa-mark" data-q="{qid}" data-state="{state}" aria-pressed="false" '
        f'aria-label="{name}：{label}">{name}</button>'
        for state, name in (("known", "已掌握"), ("review", "需复习"))
    )
    return (
        f'<search-exclude data-search-exclude class="qa-controls">'
        f'<button type="button" class="qa-toggle" aria-controls="a-{qid}" aria-expanded="true">显示答案</button>'
        f"{marks}</search-exclude>"
    )


def toolbar(count: int) -> str:
    return (
        '<search-exclude data-search-exclude class="qa-toolbar" role="group" aria-label="练习">'
        '<button type="button" class="md-button qa-quiz" aria-pressed="false" title="隐藏本站所有答案，只留题目">答题模式</button>'
        '<button type="button" class="md-button qa-random">随机一题</button>'
        f'<span class="qa-count" aria-live="polite">本页 {count} 题：已掌握 0，需复习 0</span></search-exclude>'
    )


def on_pre_build(config):
    questions.clear()


def on_nav(nav, config, files):
    nav_order[:] = [page.file.src_uri for page in nav.pages]


@transform(order=30)
def practice(root, page, config, files):
    if not page.file.src_uri.endswith(".md"):
        return
    found = wrap_answers(root)
    if found:
        h1 = expect(root.css_first("h1"), "practice", "<h1> to put the practice toolbar under", page)
        insert_html(h1, toolbar(len(found)), "after")
    topic = page.ancestors[-1].title if page.ancestors else page.title
    questions[page.file.src_uri] = [
        {"id": qid, "title": title, "url": page.url, "page": page.title, "topic": topic, "hot": hot}
        for qid, title, hot in found
    ]


def on_post_build(config):
    listed = [q for src in nav_order for q in questions.get(src, [])]
    out = Path(config.site_dir) / "assets" / "questions.json"
    out.write_text(json.dumps(listed, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
