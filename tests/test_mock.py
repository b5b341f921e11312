"""模拟面试 and spaced review in a real browser: a keyboard-only session, resuming after a reload and
after instant navigation, FSRS scheduling (checked against ts-fsrs itself), the home page's
今日待复习, export / import of the schedule (bad files refused, storage untouched) and the scripts
loaded only where they are used."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import pytest

from conftest import ROOT

MOCK = "mock/"
TOPIC_PAGE = "transformer/attention/"
QUESTION = "tf-why-scale-sqrt-dk"
DAY = 86400000
# The scheduler as assets/js/review.js sets it up, built from the served ts-fsrs module in the page.
FSRS_NEXT = """async ([lib, card, now, rating]) => {
  const m = await import(lib);
  const next = m.fsrs({ learning_steps: ["10m"] }).next(card || m.createEmptyCard(new Date(now)), new Date(now), m.Rating[rating]);
  return next.card.due.toISOString();
}"""


def questions(site):
    return json.loads((site / "assets/questions.json").read_text(encoding="utf-8"))


def storage(page) -> dict:
    return page.evaluate("Object.fromEntries(Object.keys(localStorage).sort().map(k => [k, localStorage.getItem(k)]))")


def open_mock_by_instant_navigation(page, base_url, start="hot/"):
    """Reach the mock page by clicking its nav link; the marker survives only if the document was not
    reloaded (the `page` fixture serves the sitemap that instant navigation needs, tests/conftest.py)."""
    if start is not None:
        page.goto(base_url + start, wait_until="networkidle")
    page.wait_for_load_state("networkidle")
    page.evaluate("window.mjbgSamePage = true")
    page.click("a.md-nav__link[href$='mock/']")
    page.wait_for_url("**/" + MOCK)
    page.wait_for_selector("#mock [data-view], #mock form")
    assert page.evaluate("window.mjbgSamePage === true"), "the mock page was not reached by instant navigation"


def current_question(page) -> tuple[str, str]:
    return page.text_content("#mock-title"), page.text_content(".mock-meta")


def test_mock_session_by_keyboard_only(site, base_url, page):
    listed = questions(site)
    topics = list(dict.fromkeys(q["topic"] for q in listed))
    bert = {q["id"] for q in listed if q["topic"] == "BERT"}
    open_mock_by_instant_navigation(page, base_url)
    # keyboard only from the first field: Tab to BERT, Space, Tab past the other topics and 只抽高频题 to
    # the count, type 3, Enter submits
    page.focus("#mock [name=topic]")
    for _ in range(topics.index("BERT")):
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    for _ in range(len(topics) - topics.index("BERT") + 1):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "mock-count"
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    titles = []
    for n, key in enumerate(["1", "2", "3"], 1):
        page.wait_for_selector(f".mock-meta:has-text('第 {n} / 3 题')")
        assert "空格" in page.text_content(".mock-reveal") and "1 / 2 / 3" in page.text_content(".mock-keys")
        assert page.is_hidden(".mock-answer") and page.is_hidden(".mock-grades")
        titles.append(page.text_content("#mock-title"))
        page.keyboard.press("Space")
        page.wait_for_selector(".mock-answer:visible")
        page.wait_for_function("!document.querySelector('.mock-answer').textContent.includes('正在载入')")
        assert len(page.text_content(".mock-answer").strip()) > 20
        assert page.is_hidden(".mock-reveal")
        page.keyboard.press(key)
    page.wait_for_selector("[data-view=summary]")
    session = page.evaluate("JSON.parse(localStorage.getItem('mjbg.mock'))")
    assert set(session["ids"]) <= bert and len(session["ids"]) == 3
    rows = page.locator(".mock-summary tbody tr")
    assert rows.count() == 3
    by_id = {q["id"]: q for q in listed}
    for i, (qid, grade) in enumerate(zip(session["ids"], ["会", "模糊", "不会"])):
        cells = rows.nth(i).locator("td")
        assert cells.nth(0).text_content() == by_id[qid]["title"] == titles[i]
        assert cells.nth(0).locator("a").get_attribute("href") == base_url + by_id[qid]["url"] + "#" + qid
        assert cells.nth(1).text_content() == grade
        assert re.fullmatch(r"\d\d:\d\d", cells.nth(2).text_content())
    assert re.fullmatch(r"\d\d:\d\d", page.text_content(".mock-summary tfoot td:last-child"))
    assert set(page.evaluate("Object.keys(JSON.parse(localStorage.getItem('mjbg.review')))")) == set(session["ids"])
    # a summary link goes to its question
    first = session["ids"][0]
    # A reader reads the summary before clicking. Material's anchor tracking (navigation.tracking,
    # 9.8.1 components/toc) rewrites the URL 250 ms after the last scroll, and focusing the summary
    # scrolls; a click inside that window loses the new page's hash (the tracker reads the URL that
    # instant navigation has already pushed). Seen once in CI, where the click came 24 ms before it.
    page.wait_for_timeout(1000)
    page.locator(".mock-summary tbody a").first.click()
    page.wait_for_url(f"**/{by_id[first]['url']}#{first}", wait_until="commit")  # instant navigation: no load event
    # the new page is in and scrolled to the question
    page.wait_for_function(f"""(() => {{ const h = document.getElementById({first!r}), r = h && h.getBoundingClientRect();
        return !!r && r.top >= 0 && r.bottom <= innerHeight; }})()""")
    assert not page.errors


def test_session_resumes_after_reload_and_instant_navigation(base_url, page):
    open_mock_by_instant_navigation(page, base_url)
    page.fill("#mock-count", "5")
    page.click("#mock button[type=submit]")
    page.wait_for_selector(".mock-reveal")
    page.keyboard.press("Space")
    page.keyboard.press("2")
    page.wait_for_selector(".mock-meta:has-text('第 2 / 5 题')")
    page.wait_for_function("document.querySelector('.mock-timer').textContent >= '00:02'")
    before = current_question(page)
    seconds = int(page.text_content(".mock-timer")[-2:])
    page.reload()
    page.wait_for_selector(".mock-reveal")
    assert current_question(page)[0] == before[0] and "第 2 / 5 题" in current_question(page)[1]
    page.wait_for_timeout(1500)  # a tick of the timer after the reload
    assert int(page.text_content(".mock-timer")[-2:]) > seconds, "the timer did not go on from where it was"
    # away by instant navigation and back
    page.evaluate("window.mjbgSamePage = true")
    page.click("a.md-nav__link[href$='hot/']")
    page.wait_for_url("**/hot/")
    page.wait_for_selector(".md-content h1:text('高频题')")
    assert page.evaluate("window.mjbgSamePage === true"), "left the mock page by a whole page load"
    open_mock_by_instant_navigation(page, base_url, start=None)
    page.wait_for_selector(".mock-reveal")
    assert current_question(page)[0] == before[0] and "第 2 / 5 题" in current_question(page)[1]
    page.keyboard.press("Enter")
    page.wait_for_selector(".mock-answer:visible")
    page.keyboard.press("1")
    page.wait_for_selector(".mock-meta:has-text('第 3 / 5 题')")
    # 结束 abandons the session
    page.click(".mock-end button")
    page.wait_for_selector(".mock-setup")
    assert "已自评的 2 题" in page.text_content(".mock-message")
    assert page.evaluate("localStorage.getItem('mjbg.mock')") == "null"
    assert not page.errors


def test_grades_and_marks_schedule_with_fsrs(base_url, page):
    lib = base_url + "assets/vendor/ts-fsrs/index.mjs"
    page.goto(base_url + MOCK)
    page.fill("#mock-count", "2")
    page.click("#mock button[type=submit]")
    for key in ("3", "1"):  # 不会, then 会
        page.wait_for_selector(".mock-reveal")
        page.keyboard.press("Space")
        page.keyboard.press(key)
    page.wait_for_selector("[data-view=summary]")
    ids = page.evaluate("JSON.parse(localStorage.getItem('mjbg.mock')).ids")
    cards = page.evaluate("JSON.parse(localStorage.getItem('mjbg.review'))")
    for qid, rating in zip(ids, ("Again", "Good")):
        card = cards[qid]
        reviewed = card["last_review"]
        assert card["due"] == page.evaluate(FSRS_NEXT, [lib, None, reviewed, rating]), f"{qid}: not what ts-fsrs gives"
    def delay(card):
        return datetime.fromisoformat(card["due"]) - datetime.fromisoformat(card["last_review"])
    assert delay(cards[ids[0]]) < timedelta(days=1), "不会: due again within the day"
    assert delay(cards[ids[1]]) >= timedelta(days=1), "会: due in a day or more"

    # marks on a topic page schedule too: 已掌握 -> Good, 需复习 -> Again; unmarking keeps the schedule
    page.goto(base_url + TOPIC_PAGE)
    page.click(f".qa-mark[data-q='{QUESTION}'][data-state='known']")
    page.wait_for_function(f"(JSON.parse(localStorage.getItem('mjbg.review')) || {{}})['{QUESTION}']")
    card = page.evaluate(f"JSON.parse(localStorage.getItem('mjbg.review'))['{QUESTION}']")
    assert card["due"] == page.evaluate(FSRS_NEXT, [lib, None, card["last_review"], "Good"])
    assert delay(card) >= timedelta(days=1)
    page.click(f".qa-mark[data-q='{QUESTION}'][data-state='known']")  # unmark
    page.wait_for_timeout(300)
    assert page.evaluate(f"JSON.parse(localStorage.getItem('mjbg.review'))['{QUESTION}']") == card
    page.click(".qa-mark[data-q='tf-attention-steps'][data-state='review']")
    page.wait_for_function("(JSON.parse(localStorage.getItem('mjbg.review')) || {})['tf-attention-steps']")
    again = page.evaluate("JSON.parse(localStorage.getItem('mjbg.review'))['tf-attention-steps']")
    assert again["due"] == page.evaluate(FSRS_NEXT, [lib, None, again["last_review"], "Again"])
    assert delay(again) < timedelta(days=1)
    assert not page.errors


def iso(days: float) -> str:
    return (datetime.now(timezone.utc) + timedelta(days=days)).isoformat().replace("+00:00", "Z")


def card(days: float) -> dict:
    """A reviewed card due `days` from now (negative: overdue)."""
    return {"due": iso(days), "stability": 3.2, "difficulty": 5.1, "elapsed_days": 2, "scheduled_days": 3,
            "learning_steps": 0, "reps": 2, "lapses": 0, "state": 2, "last_review": iso(days - 3)}


def seed(page, base_url, values: dict):
    page.goto(base_url + "404.html")
    page.evaluate("v => { localStorage.clear(); for (const [k, x] of Object.entries(v)) localStorage.setItem(k, JSON.stringify(x)); }", values)


def test_home_shows_due_reviews_and_starts_a_session_of_exactly_those(site, base_url, page):
    ids = [q["id"] for q in questions(site)]
    due = [ids[5], ids[40], ids[300]]
    later = [ids[6], ids[41]]
    cards = {**{i: card(-0.5) for i in due}, **{i: card(2) for i in later}, "no-such-question": card(-1)}
    seed(page, base_url, {"mjbg.review": cards})
    page.goto(base_url)
    page.wait_for_selector(".practice-review")
    assert "今日待复习：3 题" in page.text_content(".practice-review")
    page.click(".practice-review button:text('开始复习（3 题）')")
    page.wait_for_url("**/" + MOCK)
    page.wait_for_selector(".mock-meta:has-text('复习 第 1 / 3 题')")
    assert page.evaluate("JSON.parse(localStorage.getItem('mjbg.mock')).ids") == due  # site order

    seed(page, base_url, {"mjbg.review": {i: card(2) for i in later}})
    page.goto(base_url)
    page.wait_for_selector(".practice-review")
    assert "今日待复习：0 题" in page.text_content(".practice-review")
    assert page.locator(".practice-review button").count() == 0
    page.click(".practice-review a:text('模拟面试')")
    page.wait_for_url("**/" + MOCK)
    page.wait_for_selector(".mock-setup")
    assert not page.errors


def import_file(page, path):
    with page.expect_file_chooser() as chooser:
        page.click("#practice button:text('导入进度')")
    chooser.value.set_files(str(path))


def test_export_carries_the_schedule_and_import_restores_it(browser, base_url, page, tmp_path):
    values = {"mjbg.progress": {QUESTION: "known"}, "mjbg.review": {QUESTION: card(3), "tf-attention-steps": card(-1)}}
    seed(page, base_url, values)
    page.goto(base_url)
    with page.expect_download() as download:
        page.click("#practice button:text('导出进度')")
    exported = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert exported["version"] == 2 and exported["review"] == values["mjbg.review"]
    good = tmp_path / "export.json"
    good.write_text(json.dumps(exported), encoding="utf-8")

    fresh = browser.new_context().new_page()
    fresh.goto(base_url)
    fresh.wait_for_selector(".practice-review")
    assert "今日待复习：0 题" in fresh.text_content(".practice-review")
    import_file(fresh, good)
    fresh.wait_for_selector(".practice-message:text('已导入 1 条进度、2 条复习记录')")
    assert json.loads(fresh.evaluate("localStorage.getItem('mjbg.review')")) == values["mjbg.review"]
    assert json.loads(fresh.evaluate("localStorage.getItem('mjbg.progress')")) == values["mjbg.progress"]
    assert "今日待复习：1 题" in fresh.text_content(".practice-review")

    # a version 1 file (marks only) is still read
    old = tmp_path / "v1.json"
    old.write_text(json.dumps({"site": "mianjing-bagu", "version": 1, "progress": {"tf-attention-steps": "review"}}), encoding="utf-8")
    import_file(fresh, old)
    fresh.wait_for_selector(".practice-message:text('已导入 1 条进度、0 条复习记录')")
    assert json.loads(fresh.evaluate("localStorage.getItem('mjbg.review')")) == values["mjbg.review"]
    fresh.context.close()


BAD_IMPORTS = {
    "corrupt": ("{\"site\": \"mianjing-bagu\", \"version\": 2, \"progress\": {", "文件不是合法的 JSON"),
    "wrong-site": (json.dumps({"site": "another-site", "version": 2, "progress": {}}), "不是本站导出的文件"),
    "newer": (json.dumps({"site": "mianjing-bagu", "version": 3, "progress": {}}), "版本过新"),
    "bad-date": (json.dumps({"site": "mianjing-bagu", "version": 2, "progress": {QUESTION: "known"},
                             "review": {QUESTION: card(1), "tf-attention-steps": {**card(1), "due": "2026-13-45"}}}),
                 "第 2 条复习记录的复习日期无效"),
    "bad-state": (json.dumps({"site": "mianjing-bagu", "version": 1, "progress": {QUESTION: "constructor"}}),
                  "第 1 条进度记录的状态无效"),
}


@pytest.mark.parametrize("case", BAD_IMPORTS)
def test_bad_import_is_refused_and_nothing_stored_changes(base_url, page, tmp_path, case):
    text, reason = BAD_IMPORTS[case]
    seed(page, base_url, {"mjbg.progress": {"tf-attention-steps": "review"}, "mjbg.review": {"tf-attention-steps": card(1)}})
    page.goto(base_url)
    page.wait_for_selector(".practice-review")
    before = storage(page)
    path = tmp_path / f"{case}.json"
    path.write_text(text, encoding="utf-8")
    import_file(page, path)
    page.wait_for_function("document.querySelector('.practice-message').textContent")
    message = page.text_content(".practice-message")
    assert message.startswith("导入失败") and reason in message and "没有改动" in message, message
    assert storage(page) == before


def test_review_and_mock_scripts_load_only_where_used(base_url, page):
    wanted = ("assets/js/mock.js", "assets/js/review.js", "assets/vendor/ts-fsrs/")
    requested: list[str] = []
    page.on("request", lambda r: any(w in r.url for w in (*wanted, "import-check.js")) and requested.append(r.url))
    for path in ("", TOPIC_PAGE):
        page.goto(base_url + path, wait_until="networkidle")
        assert not requested, f"{path or 'home'} loaded {requested}"
    page.click(f".qa-mark[data-q='{QUESTION}'][data-state='review']")  # marking loads the scheduler
    page.wait_for_function(f"(JSON.parse(localStorage.getItem('mjbg.review')) || {{}})['{QUESTION}']")
    assert any("ts-fsrs" in u for u in requested) and not any("mock.js" in u for u in requested)
    requested.clear()
    page.goto(base_url + MOCK, wait_until="networkidle")
    assert {w for w in wanted if any(w in u for u in requested)} == set(wanted)
