"""The built site in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

QUERIES = yaml.safe_load((Path(__file__).parent / "search_queries.yml").read_text(encoding="utf-8"))
NOTEBOOK = "notebooks/transformer/attention/"


def pages_of(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_every_page_loads_with_no_third_party_request(site, base_url, page):
    local = urlparse(base_url).netloc
    foreign: list[str] = []
    page.on("request", lambda r: urlparse(r.url).netloc not in (local, "") and foreign.append(r.url))
    pages = pages_of(site)
    assert len(pages) >= 5
    for path in pages:
        page.goto(base_url + path, wait_until="networkidle")
        assert not foreign, f"{path} requested {foreign}"
        assert not page.errors, f"{path}: JavaScript errors {page.errors}"


def url_of(path: str) -> str:
    """docs path (x/y.md, notebooks/t/n.ipynb) -> site URL path (x/y/)."""
    path = re.sub(r"(^|/)index\.md$", r"\1", path)
    return re.sub(r"\.(md|ipynb)$", "/", path)


def search(page, base_url, query):
    page.goto(base_url, wait_until="networkidle")
    page.click("input.md-search__input")
    page.fill("input.md-search__input", query)  # typing is what makes the site fetch the search index
    page.wait_for_function(  # the worker has built the index ("正在初始化搜索引擎" until then)
        "() => !document.querySelector('.md-search-result__meta').textContent.includes('初始化')", timeout=10000
    )
    page.keyboard.press("End")  # Material reads the query on keyup
    page.wait_for_selector(".md-search-result__item", timeout=5000)
    # Results are grouped by page, best first; search.highlight adds ?h=<query> to each link: compare without it
    links = page.eval_on_selector_all(
        "a.md-search-result__link", "els => els.map(e => { const u = new URL(e.href); u.search = ''; return u.href; })"
    )
    titles = page.eval_on_selector_all(".md-search-result__title", "els => els.map(e => e.textContent)")
    return links, titles


@pytest.mark.parametrize("case", QUERIES, ids=[q["query"] for q in QUERIES])
def test_search_finds_the_right_heading(base_url, page, case):
    links, titles = search(page, base_url, case["query"])
    target = base_url + url_of(case["page"]) + ("#" + case["id"] if case.get("id") else "")
    pages = list(dict.fromkeys(link.split("#")[0] for link in links))
    top = case.get("top", 3)
    assert base_url + url_of(case["page"]) in pages[:top], (
        f"{case['query']!r}: {case['page']} is not among the top {top} pages {pages[:top]}"
    )
    found = int(re.search(r"\d+", page.text_content(".md-search-result__meta"))[0])  # "39 个符合条件的结果"
    assert found >= case.get("min_pages", 1), f"{case['query']!r}: only {found} pages found"
    assert target in links, f"{case['query']!r}: no result links to {target}"
    assert not any("\u200b" in t for t in titles), "zero-width spaces leak into result titles"
    shown = page.text_content(".md-search-result__list")
    assert not re.search("[\u4e00-\u9fff] [\u4e00-\u9fff]", shown), "word boundaries show as spaces between Chinese words"
    link = page.locator("a.md-search-result__link").nth(links.index(target))
    link.evaluate("a => { const d = a.closest('details'); if (d) d.open = true; }")  # "more results"
    link.click(timeout=5000)
    page.wait_for_url(lambda url: url.split("?")[0] + (("#" + url.split("#")[1]) if "#" in url else "") == target)
    if case.get("id"):
        heading = page.locator(f'[id="{case["id"]}"]')
        heading.wait_for()
        page.wait_for_function(
            "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }",
            arg=heading.element_handle(), timeout=3000,
        )


def assert_math_rendered(page, where):
    assert page.locator(".katex").count() > 0, f"{where}: no rendered formula"
    page.wait_for_function(  # KaTeX's stylesheet is applied
        "() => getComputedStyle(document.querySelector('.katex')).fontFamily.includes('KaTeX_Main')", timeout=5000
    )
    visible = page.evaluate(
        "() => { const c = document.querySelector('.md-content').cloneNode(true);"
        " c.querySelectorAll('pre, code').forEach(e => e.remove()); return c.textContent; }"
    )
    assert "\\frac" not in visible and "\\sqrt" not in visible, f"{where}: raw LaTeX is visible"


def test_math_renders_on_every_page_that_has_it(site, base_url, page):
    with_math = [p for p in pages_of(site) if 'class="katex"' in (site / p).read_text(encoding="utf-8")]
    assert with_math, "no page with math: the check would prove nothing"
    for path in with_math:
        page.goto(base_url + path, wait_until="networkidle")
        assert_math_rendered(page, path)


def test_math_survives_instant_navigation(base_url, page):
    page.goto(base_url, wait_until="networkidle")
    page.evaluate("window.mjbgSameDocument = true")  # gone if the click loads a whole new document
    page.click(f'.md-content a[href$="{NOTEBOOK}"]')
    # without the hash: Material's navigation.tracking may carry the home page's section anchor over
    page.wait_for_url(lambda url: url.split("#")[0] == base_url + NOTEBOOK)
    page.wait_for_selector(".md-content .jupyter-wrapper")  # the URL changes before the content is swapped in
    assert_math_rendered(page, NOTEBOOK)
    assert page.locator('head link[rel=stylesheet][href$="css/jupyter.css"]').count() == 1, "notebook stylesheet"
    assert page.evaluate("window.mjbgSameDocument === true"), "not instant: the click loaded a whole page"


def test_notebook_page_shows_outputs_plot_and_download(base_url, page):
    page.goto(base_url + NOTEBOOK, wait_until="networkidle")
    outputs = page.locator(".jp-OutputArea-output")
    assert outputs.count() >= 5
    assert "一致" in page.locator(".jp-OutputArea-output").first.text_content()  # (off-screen cells are not laid out)
    img = page.locator('.jp-OutputArea-output img[src$=".png"][loading="lazy"]').first  # a file, not base64
    assert int(img.get_attribute("width")) > 100 and int(img.get_attribute("height")) > 50  # no layout shift
    img.scroll_into_view_if_needed()
    page.wait_for_function("i => i.complete && i.naturalWidth > 100", arg=img.element_handle())
    ids = page.eval_on_selector_all(".md-content h1, .md-content h2, .md-content h3", "hs => hs.map(h => h.id)")
    assert ids and all(ids), f"notebook headings without ids: {ids}"
    toc = page.eval_on_selector_all(".md-nav--secondary a.md-nav__link", "as => as.map(a => a.hash)")
    assert toc and all(t.startswith("#") and len(t) > 1 for t in toc), toc
    href = page.eval_on_selector("a[download]", "a => a.href")
    assert href == base_url + NOTEBOOK + "attention.ipynb"
    response = page.request.get(href)
    assert response.ok, f"download link {href}: HTTP {response.status}"
    assert '"outputs"' in response.text()


def contrast(fg: str, bg: str) -> float:
    def lum(rgb: str) -> float:
        vals = [float(v) / 255 for v in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
        lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in vals]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(fg), lum(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def scheme_of(page) -> str:
    return page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")


def test_palette_follows_the_system_before_any_script_loads(browser, base_url):
    """A dark-mode reader's first visit is dark from the first paint: the palette is applied while
    the header is parsed, not by Material's bundle (blocked here) once the whole page is in."""
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.route("**/assets/javascripts/bundle.*.js", lambda route: route.abort())
    page.goto(base_url + NOTEBOOK)
    assert scheme_of(page) == "slate"
    assert page.evaluate("() => document.querySelector('meta[name=color-scheme]').content") == "dark"
    context.close()


def test_dark_mode_toggle_and_readable_notebook(base_url, page):
    page.goto(base_url + NOTEBOOK, wait_until="networkidle")
    scheme = lambda: scheme_of(page)
    assert scheme() == "default"
    switch = page.locator("[data-mjbg-palette] button:visible")
    names = []
    for _ in range(3):  # auto -> light -> dark -> auto, by keyboard: focus stays on the switch
        names.append(switch.get_attribute("aria-label"))
        switch.focus()
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.closest('[data-mjbg-palette]') !== null")
        if scheme() == "slate":
            break
    assert scheme() == "slate", f"the switch went through {names} without reaching the dark palette"
    assert len(set(names)) == len(names), f"one button per option, each named for its action: {names}"
    for selector in (".jupyter-wrapper .highlight-ipynb pre", ".jupyter-wrapper .jp-OutputArea-output pre"):
        fg, bg = page.eval_on_selector(
            selector,
            "e => { let b = e; while (b && getComputedStyle(b).backgroundColor === 'rgba(0, 0, 0, 0)') b = b.parentElement;"
            " return [getComputedStyle(e).color, getComputedStyle(b || document.body).backgroundColor]; }",
        )
        assert contrast(fg, bg) >= 4.5, f"{selector}: {fg} on {bg} is not readable"
    page.reload(wait_until="networkidle")
    assert scheme() == "slate", "the choice does not persist"


def test_displayed_script_does_not_run(fixture_url, page):
    page.goto(fixture_url + "notebooks/demo/tiny/", wait_until="networkidle")
    assert page.locator("#kept").count() == 1, "sanitising removed harmless HTML too"
    assert page.evaluate("() => window.__pwned") is None
