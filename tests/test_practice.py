"""Practice features in a real browser: quiz mode, search deep links, progress, 随机一题, print,
moved question ids, and the search index loaded only once the reader types."""

from __future__ import annotations

import json
import re
import shutil

import yaml

from conftest import ROOT, git_commit, make_project, run_build, run_lint, serve

PAGE = "transformer/attention/"
QUESTION = "tf-why-scale-sqrt-dk"

VISIBLE_ANSWERS = "() => [...document.querySelectorAll('.answer')].filter(a => a.offsetParent !== null).length"


def test_quiz_mode_hides_answers_opens_one_and_persists(base_url, page):
    page.goto(base_url + PAGE)
    total = page.locator(".answer").count()
    assert total >= 10 and page.evaluate(VISIBLE_ANSWERS) == total
    page.click(".qa-quiz")
    assert page.get_attribute(".qa-quiz", "aria-pressed") == "true"
    assert page.evaluate(VISIBLE_ANSWERS) == 0
    headings = page.eval_on_selector_all(".answer", "els => els.map(a => a.previousElementSibling.previousElementSibling.tagName)")
    assert set(headings) <= {"H2", "H3", "H4"}, "each answer follows its question heading and its controls"
    # keyboard: focus the first 显示答案 button and press Enter
    toggle = page.locator(".qa-toggle").first
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.evaluate(VISIBLE_ANSWERS) == 1
    # the choice persists across a reload and across instant navigation
    page.reload()
    assert page.evaluate(VISIBLE_ANSWERS) == 0
    page.wait_for_load_state("networkidle")
    page.evaluate("window.mjbgSameDocument = true")  # gone if the click loads a whole new document
    page.click("a.md-nav__link[href$='position/']")
    page.wait_for_url("**/transformer/position/")
    page.wait_for_selector(".qa-toolbar")
    assert page.evaluate("window.mjbgSameDocument === true"), "not instant: the click loaded a whole page"
    assert page.locator(".answer").count() >= 5 and page.evaluate(VISIBLE_ANSWERS) == 0
    assert page.get_attribute(".qa-quiz", "aria-pressed") == "true"
    assert not page.errors


def test_search_hit_opens_its_answer_in_quiz_mode(base_url, page):
    page.goto(base_url + PAGE)
    page.click(".qa-quiz")
    page.goto(base_url)  # search from another page: the hit arrives by instant navigation
    page.click("input.md-search__input")
    page.fill("input.md-search__input", "根号")
    page.wait_for_selector(f"a.md-search-result__link[href*='#{QUESTION}']", timeout=10000)
    page.evaluate("window.mjbgSameDocument = true")
    page.click(f"a.md-search-result__link[href*='#{QUESTION}']")
    page.wait_for_url(f"**/{PAGE}*#{QUESTION}")
    page.wait_for_selector(f"#a-{QUESTION}.open")
    assert page.evaluate("window.mjbgSameDocument === true"), "not instant: the click loaded a whole page"
    assert page.evaluate(VISIBLE_ANSWERS) == 1
    top = page.evaluate(f"document.getElementById('{QUESTION}').getBoundingClientRect().top")
    assert 0 <= top < page.viewport_size["height"] / 2, f"the question is not scrolled into view (top {top})"


def test_search_index_is_fetched_only_once_the_reader_types(base_url, page):
    fetched = []
    page.on("request", lambda r: "search_index.json" in r.url and fetched.append(r.url))
    page.goto(base_url + PAGE, wait_until="networkidle")
    page.click("input.md-search__input")
    page.wait_for_timeout(500)
    assert not fetched, "the search index was downloaded before the reader typed"
    page.keyboard.type("注意力")
    page.wait_for_selector(".md-search-result__item", timeout=10000)
    assert len(fetched) == 1


def test_progress_marks_export_and_import(base_url, page, tmp_path):
    page.goto(base_url + PAGE)
    page.click(f".qa-mark[data-q='{QUESTION}'][data-state='known']")
    page.click(".qa-mark[data-q='tf-attention-steps'][data-state='review']")
    assert page.get_attribute(f".qa-mark[data-q='{QUESTION}'][data-state='known']", "aria-pressed") == "true"
    assert "已掌握 1，需复习 1" in page.text_content(".qa-count")
    page.goto(base_url)
    row = page.locator("#practice tr", has=page.locator(f"a[href$='{PAGE}']"))
    row.wait_for()  # practice.js builds the table once questions.json has arrived
    assert row.locator("td").all_text_contents()[-2:] == ["1", "1"]
    topic = page.locator("#practice tr.practice-topic", has_text="Transformer")
    assert topic.locator("td").all_text_contents()[-2:] == ["1", "1"]

    with page.expect_download() as download:
        page.click("#practice button:text('导出进度')")
    exported = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert exported["progress"] == {QUESTION: "known", "tf-attention-steps": "review"}

    page.evaluate("localStorage.removeItem('mjbg.progress')")
    page.reload()
    good = tmp_path / "progress.json"
    good.write_text(json.dumps(exported), encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        page.click("#practice button:text('导入进度')")
    chooser.value.set_files(str(good))
    page.wait_for_selector(".practice-message:text('已导入 2 条进度')")
    assert row.locator("td").all_text_contents()[-2:] == ["1", "1"]

    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        page.click("#practice button:text('导入进度')")
    chooser.value.set_files(str(bad))
    page.wait_for_selector(".practice-message:text('导入失败')")
    assert not page.errors


def test_random_question_respects_topic_and_hot_filter(site, base_url, page):
    questions = json.loads((site / "assets/questions.json").read_text(encoding="utf-8"))
    allowed = {(q["url"], q["id"]) for q in questions if q["topic"] == "BERT" and q["hot"]}
    assert allowed
    page.goto(base_url)
    page.select_option("#practice-topic", "BERT")
    page.check("#practice-hot")
    for _ in range(3):
        page.click("#practice button:text('随机一题')")
        page.wait_for_url(re.compile(r".*#.+"))
        url, _, qid = page.url.removeprefix(base_url).partition("#")
        assert (url, qid) in allowed
        page.wait_for_selector(f"[id='{qid}']")
        page.goto(base_url)


def test_print_shows_every_answer_without_controls(base_url, page):
    page.goto(base_url + PAGE)
    page.click(".qa-quiz")
    assert page.evaluate(VISIBLE_ANSWERS) == 0
    page.emulate_media(media="print")
    assert page.evaluate(VISIBLE_ANSWERS) == page.locator(".answer").count()
    assert not page.locator(".qa-controls").first.is_visible()
    assert not page.locator(".qa-toolbar").is_visible()


def test_questions_json_lists_every_question(site):
    questions = json.loads((site / "assets/questions.json").read_text(encoding="utf-8"))
    heading_ids = {
        m[1]
        for page in (ROOT / "docs").rglob("*.md")
        for m in re.finditer(r"^#{2,4} .*[？?]\s*\{[^}]*#([a-z0-9-]+)", page.read_text(encoding="utf-8"), re.M)
    }
    assert {q["id"] for q in questions} == heading_ids
    assert len(questions) == len(heading_ids)


def test_links_to_merged_question_ids_land_on_the_question(base_url, page):
    renamed = yaml.safe_load((ROOT / "redirects.yml").read_text(encoding="utf-8"))["ids"]
    assert renamed
    for old, new in renamed.items():
        page.goto(f"{base_url}interview/projects/#{old}")
        page.wait_for_url(f"**#{new}")
        page.wait_for_selector(f"[id='{new}']")


def test_a_question_moved_to_another_page_is_found_from_the_old_one(site, base_url, page):
    """A question that moves to another page keeps its id (as when ml/classic-ml was split in two), so
    old-page/#id must land on the page that holds it now; the first and last question stand in for it."""
    questions = json.loads((site / "assets/questions.json").read_text(encoding="utf-8"))
    first, last = questions[0], questions[-1]
    assert first["url"] != last["url"]
    page.goto(f"{base_url}{first['url']}#{last['id']}")
    page.wait_for_url(f"{base_url}{last['url']}#{last['id']}")
    page.wait_for_selector(f"[id='{last['id']}']")


def test_moved_pages_keep_their_urls_and_anchors(site, base_url, page):
    """Every page listed in redirects.yml: its old URL, with each question anchor, lands on the question."""
    moved = yaml.safe_load((ROOT / "redirects.yml").read_text(encoding="utf-8"))["pages"]
    questions = json.loads((site / "assets/questions.json").read_text(encoding="utf-8"))
    for old, new in moved.items():
        new_url = re.sub(r"\.(md|ipynb)$", "/", new)
        for q in [q for q in questions if q["url"] == new_url][:5] or [None]:
            page.goto(base_url + re.sub(r"\.(md|ipynb)$", "/", old) + (f"#{q['id']}" if q else ""))
            page.wait_for_url(f"**/{new_url}" + (f"#{q['id']}" if q else ""))


def test_a_moved_page_redirects_with_its_anchors(tmp_path, page):
    """The mechanism on the fixture project: move a page, list it in redirects.yml, follow the old links."""
    project = make_project(tmp_path)
    (project / "docs/page.md").rename(project / "docs/moved.md")
    for path in [project / "docs/index.md", project / "mkdocs.yml", project / "glossary.yml", *project.glob("notebooks/*/*.ipynb")]:
        path.write_text(path.read_text(encoding="utf-8").replace("page.md", "moved.md"), encoding="utf-8")
    git_commit(project, "move page.md to moved.md")
    assert run_lint(project).returncode != 0, "lint must ask for a redirect"
    (project / "redirects.yml").write_text("pages:\n  page.md: moved.md\nids: {}\n", encoding="utf-8")
    lint = run_lint(project)
    assert lint.returncode == 0, lint.stdout
    build = run_build(project, project / "site")
    assert build.returncode == 0, build.stderr[-3000:]
    server, url = serve(project / "site")
    try:
        page.goto(url + "page/#fx-second")
        page.wait_for_url(url + "moved/#fx-second")
        page.wait_for_selector("[id='fx-second']")
        page.goto(url + "page/")
        page.wait_for_url(url + "moved/")
    finally:
        server.shutdown()
        shutil.rmtree(project / "site", ignore_errors=True)


def test_practice_controls_stay_readable_when_pressed_in_both_palettes(browser, base_url):
    """Lighthouse audits the page as loaded; pressed states appear only after a click."""
    from test_browser import contrast

    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(base_url + PAGE)
        page.click(".qa-quiz")
        page.click(f".qa-mark[data-q='{QUESTION}'][data-state='known']")
        page.click(f".qa-mark[data-q='{QUESTION}'][data-state='review']")
        page.mouse.move(0, 0)
        page.wait_for_timeout(600)  # Material's buttons animate their colours
        for selector in (".qa-quiz", f".qa-mark[data-q='{QUESTION}'][data-state='review']", ".qa-toggle"):
            fg, bg = page.eval_on_selector(
                selector,
                "e => { let n = e, bg = 'rgba(0, 0, 0, 0)';"
                " while (n && /rgba\\(.*, 0\\)$/.test(bg)) { bg = getComputedStyle(n).backgroundColor; n = n.parentElement; }"
                " return [getComputedStyle(e).color, bg]; }",
            )
            assert contrast(fg, bg) >= 4.5, f"{scheme}: {selector} {fg} on {bg}"
        context.close()
