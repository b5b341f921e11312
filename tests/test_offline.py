"""The offline copy (scripts/offline.py): the ZIP, unzipped and opened from disk (file://) in the real
browser, searches, follows links and shows notebooks and math with no request leaving the disk."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from conftest import ROOT, make_project

sys.path.insert(0, str(ROOT / "scripts"))
from offline import FOLDER, LEFT_OUT, ZIP_NAME  # noqa: E402

QUERIES = {q["query"]: q for q in yaml.safe_load((ROOT / "tests" / "search_queries.yml").read_text(encoding="utf-8"))}
NOTEBOOK = "notebooks/transformer/attention.html"
TOPIC = "transformer/attention.html"


def run_offline(site: Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(cwd / "scripts" / "offline.py"), str(site)], cwd=cwd, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def offline_zip(site, tmp_path_factory) -> Path:
    """scripts/offline.py run once on a copy of the built site (it writes the ZIP into the site)."""
    copy = tmp_path_factory.mktemp("offline") / "site"
    shutil.copytree(site, copy)
    result = run_offline(copy)
    assert result.returncode == 0, result.stderr[-5000:]
    assert ZIP_NAME in result.stdout and "MB" in result.stdout, result.stdout  # size and time are reported
    return copy / ZIP_NAME


@pytest.fixture(scope="module")
def offline(offline_zip, tmp_path_factory) -> Path:
    """The unzipped copy: the folder a reader opens."""
    out = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(offline_zip) as zf:
        zf.extractall(out)
    return out / FOLDER


@pytest.fixture
def opened(page, offline):
    """A page that records every request that is not to the disk and every request that failed."""
    page.foreign, page.failed = [], []
    page.on("request", lambda r: urlsplit(r.url).scheme not in ("file", "data", "blob", "about") and page.foreign.append(r.url))
    page.on("requestfailed", lambda r: page.failed.append(f"{r.url}: {r.failure}"))
    page.root = offline.as_uri() + "/"
    yield page
    assert not page.errors, f"JavaScript errors: {page.errors}"
    assert not page.foreign, f"requests that leave the disk: {page.foreign}"
    assert not page.failed, f"failed requests: {page.failed}"


def test_zip_holds_one_folder_and_no_server_files(offline_zip):
    names = zipfile.ZipFile(offline_zip).namelist()
    assert {n.split("/")[0] for n in names} == {FOLDER}
    for needed in ("index.html", "search/search_index.js", "assets/vendor/iframe-worker/shim.js", "assets/questions.js", TOPIC, NOTEBOOK):
        assert f"{FOLDER}/{needed}" in names, needed
    left = [n for n in names if any(PurePosixPath(n).match(p) for p in LEFT_OUT)]
    assert not left, left


def test_failed_offline_build_leaves_no_zip(tmp_path):
    """On a small project whose strict build fails (a link to a missing page): a non-zero exit that
    says so, and no ZIP, not even the one an earlier run left."""
    (tmp_path / "project").mkdir()
    project = make_project(tmp_path / "project")
    page = project / "docs" / "page.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[断链](missing.md)\n", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>built</p>", encoding="utf-8")
    (site / ZIP_NAME).write_bytes(b"an older copy")
    result = run_offline(site, cwd=project)
    assert result.returncode != 0
    assert "offline build" in result.stderr and "missing.md" in result.stderr, result.stderr[-2000:]
    assert not list(site.glob("*.zip*")), "a ZIP was left behind"


def offline_url(docs_path: str) -> str:
    """docs path (x/y.md, notebooks/t/n.ipynb) -> its file in the offline copy (x/y.html)."""
    return re.sub(r"\.(md|ipynb)$", ".html", docs_path)


@pytest.mark.parametrize("query", ["位置编码", "注意力", "权重吸收"])
def test_search_from_disk_finds_and_opens_the_heading(opened, query):
    page, case = opened, QUERIES[query]
    page.goto(page.root + "index.html", wait_until="load")
    page.click("input.md-search__input")
    page.fill("input.md-search__input", query)
    page.wait_for_function(  # the worker (an iframe on file://) has built the index
        "() => !document.querySelector('.md-search-result__meta').textContent.includes('初始化')", timeout=10000
    )
    page.keyboard.press("End")  # Material reads the query on keyup
    page.wait_for_selector(".md-search-result__item", timeout=5000)
    target = page.root + offline_url(case["page"]) + "#" + case["id"]
    links = page.eval_on_selector_all(
        "a.md-search-result__link", "els => els.map(e => { const u = new URL(e.href); u.search = ''; return u.href; })"
    )
    assert target in links, f"{query!r}: no result links to {target}: {links[:10]}"
    link = page.locator("a.md-search-result__link").nth(links.index(target))
    link.evaluate("a => { const d = a.closest('details'); if (d) d.open = true; }")  # "more results"
    link.click()
    page.wait_for_url(lambda url: url.startswith(page.root + offline_url(case["page"])) and url.endswith("#" + case["id"]))
    heading = page.locator(f'[id="{case["id"]}"]')
    page.wait_for_function(
        "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }",
        arg=heading.element_handle(), timeout=3000,
    )
    assert page.evaluate("() => performance.getEntriesByType('navigation')[0].type") == "navigate"  # a page load


def targets(html: str):
    tree = LexborHTMLParser(html)
    for node in tree.css("a[href], link[href]"):
        yield node.attrs["href"]
    for node in tree.css("script[src], img[src]"):
        yield node.attrs["src"]


def test_every_internal_link_resolves_to_a_file_in_the_copy(offline):
    pages = sorted(offline.rglob("*.html"))
    assert len(pages) > 40
    broken = []
    for path in pages:
        for href in targets(path.read_text(encoding="utf-8")):
            url = urlsplit(href)
            if url.scheme or url.netloc or not url.path:  # another site, mailto:, or a place on this page
                continue
            target = (path.parent / unquote(url.path)).resolve()
            if not (target.is_file() and target.is_relative_to(offline.resolve())):
                broken.append(f"{path.relative_to(offline)}: {href}")
    assert not broken, f"{len(broken)} links lead nowhere on disk, e.g. {broken[:10]}"


def assert_math_with_fonts(page):
    assert page.locator(".katex").count() > 0, "no rendered formula"
    page.locator(".katex").first.scroll_into_view_if_needed()
    page.wait_for_function(  # KaTeX's stylesheet is applied and its font file loaded from disk
        "() => getComputedStyle(document.querySelector('.katex')).fontFamily.includes('KaTeX_Main')"
        " && [...document.fonts].some(f => f.family.replace(/\"/g, '') === 'KaTeX_Main' && f.status === 'loaded')",
        timeout=5000,
    )


def test_topic_page_math_and_practice_from_disk(opened):
    page = opened
    page.goto(page.root + TOPIC, wait_until="load")
    assert_math_with_fonts(page)
    page.click(".qa-mark[data-q='tf-why-scale-sqrt-dk'][data-state='known']")
    page.goto(page.root + "index.html", wait_until="load")  # progress is kept across the copy's pages
    row = page.locator("#practice tr", has=page.locator(f"a[href$='{TOPIC}']"))
    assert row.locator("td").all_text_contents()[-2:] == ["1", "0"]
    page.click("#practice button:text('随机一题')")  # reads the question list (assets/questions.js)
    page.wait_for_url(re.compile(r"\.html#[a-z0-9-]+$"))
    page.wait_for_selector(f"[id='{page.url.rpartition('#')[2]}']")


def test_notebook_page_from_disk_shows_outputs_plot_and_math(opened):
    page = opened
    page.goto(page.root + NOTEBOOK, wait_until="load")
    assert page.locator(".jp-OutputArea-output").count() >= 5
    img = page.locator('.jp-OutputArea-output img[src$=".png"]').first
    img.scroll_into_view_if_needed()
    page.wait_for_function("i => i.complete && i.naturalWidth > 100", arg=img.element_handle())
    assert_math_with_fonts(page)
    assert page.eval_on_selector("a[download]", "a => a.href") == page.root + "notebooks/transformer/attention.ipynb"


def test_home_page_links_to_the_zip_on_the_site(site, offline):
    """Online the link is the ZIP beside the page; in the copy (which cannot hold itself) the one on the site."""
    online = [a.attrs["href"] for a in LexborHTMLParser((site / "index.html").read_text(encoding="utf-8")).css("#offline ~ p a[download]")]
    assert online == [ZIP_NAME]
    copy = [a.attrs["href"] for a in LexborHTMLParser((offline / "index.html").read_text(encoding="utf-8")).css("#offline ~ p a[download]")]
    assert len(copy) == 1 and copy[0].startswith("https://") and copy[0].endswith("/" + ZIP_NAME), copy
    # nor the PDF editions: their links (home page, each section's first page) go to the site's too
    for path in ("index.html", "transformer/attention.html"):
        pdfs = [a.attrs["href"] for a in LexborHTMLParser((offline / path).read_text(encoding="utf-8")).css('a[href$=".pdf"]')]
        assert pdfs and all(h.startswith(copy[0].removesuffix(ZIP_NAME) + "pdf/") for h in pdfs), (path, pdfs)


def test_moved_pages_and_renamed_ids_redirect_in_the_copy(tmp_path, page):
    """redirects.yml in the offline copy, on the fixture project: the stub at the old page's file and
    practice.js's renamed-id lookup (assets/redirects.js) both work from disk."""
    (tmp_path / "project").mkdir()
    project = make_project(tmp_path / "project")
    (project / "docs/page.md").rename(project / "docs/moved.md")
    for path in [project / "docs/index.md", project / "mkdocs.yml", project / "glossary.yml", *project.glob("notebooks/*/*.ipynb")]:
        path.write_text(path.read_text(encoding="utf-8").replace("page.md", "moved.md"), encoding="utf-8")
    (project / "redirects.yml").write_text("pages:\n  page.md: moved.md\nids:\n  fx-old: fx-second\n", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>built</p>", encoding="utf-8")
    result = run_offline(site, cwd=project)
    assert result.returncode == 0, result.stderr[-3000:]
    with zipfile.ZipFile(site / ZIP_NAME) as zf:
        zf.extractall(tmp_path / "unzipped")
    root = (tmp_path / "unzipped" / FOLDER).as_uri() + "/"
    page.goto(root + "page.html#fx-second")
    page.wait_for_url(root + "moved.html#fx-second")
    page.wait_for_selector("[id='fx-second']")
    page.goto(root + "moved.html#fx-old")  # a link to a renamed id on a page with questions (as online)
    page.wait_for_url(root + "moved.html#fx-second")
    assert not page.errors, page.errors


def test_mock_interview_page_says_it_needs_the_site(opened):
    """Its module scripts cannot load from disk: the page says so and links to the site's, and tries
    to load nothing (the fixture fails on a failed request)."""
    page = opened
    page.goto(page.root + "mock.html", wait_until="load")
    notice = page.locator("#mock .mock-message")
    assert "离线版不能模拟面试" in notice.text_content()
    assert re.fullmatch(r"https://.+/mock/", notice.locator("a").get_attribute("href"))
