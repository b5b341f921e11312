"""MkDocs hook: the structure the practice features (assets/js/practice.js) work on.

- Every question heading (an `<h2>`–`<h4>` with an id whose text ends in ？ or ?) is followed by its
  controls (显示答案 / 已掌握 / 需复习) and its answer wrapped in `<div class="answer" id="a-<id>">`:
  everything up to the next heading of the same or a higher level. Quiz mode hides these wrappers;
  print shows them all. A page with questions gets a toolbar under its title (答题模式, 随机一题, counts).
  The controls are in the HTML, not added by script, so nothing moves when the page becomes
  interactive; they are shown only when JavaScript runs (the `mjbg-js` class, overrides/main.html)
  and kept out of the search index.
- `assets/questions.json` lists every question (id, title, page, topic, high-frequency flag) for
  随机一题 and the progress table on the home page."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

HEADING = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1>", re.S)
ID = re.compile(r'\bid="([^"]+)"')
TAG = re.compile(r"<[^>]+>")
HEADERLINK = re.compile(r'<a class="headerlink".*?</a>', re.S)

questions: dict[str, list[dict]] = {}
nav_order: list[str] = []


def question_of(attrs: str, inner: str) -> tuple[str, str] | None:
    """(id, plain title) if this heading is a question."""
    found = ID.search(attrs)
    title = html.unescape(TAG.sub("", HEADERLINK.sub("", inner))).replace("\u200b", "").strip()
    if found and title.endswith(("？", "?")):
        return found.group(1), title
    return None


def wrap_answers(content: str) -> tuple[str, list[tuple[str, str, bool]]]:
    out, found, pos, open_level = [], [], 0, None
    for m in HEADING.finditer(content):
        level = int(m.group(1))
        out.append(content[pos:m.start()])
        if open_level is not None and level <= open_level:
            out.append("</div>")
            open_level = None
        out.append(m.group(0))
        question = question_of(m.group(2), m.group(3)) if level > 1 and open_level is None else None
        if question:
            qid, title = question
            out.append(controls(qid, title))
            out.append(f'<div class="answer" id="a-{qid}">')
            open_level = level
            found.append((qid, title, bool(re.search(r'class="[^"]*\bhot\b', m.group(2)))))
        pos = m.end()
    out.append(content[pos:])
    if open_level is not None:
        out.append("</div>")
    return "".join(out), found


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


def on_page_content(content, page, config, files):
    if not page.file.src_uri.endswith(".md"):
        return content
    content, found = wrap_answers(content)
    if found:
        content = content.replace("</h1>", "</h1>" + toolbar(len(found)), 1)
    topic = page.ancestors[-1].title if page.ancestors else page.title
    questions[page.file.src_uri] = [
        {"id": qid, "title": title, "url": page.url, "page": page.title, "topic": topic, "hot": hot}
        for qid, title, hot in found
    ]
    return content


def on_post_build(config):
    listed = [q for src in nav_order for q in questions.get(src, [])]
    out = Path(config.site_dir) / "assets" / "questions.json"
    out.write_text(json.dumps(listed, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
