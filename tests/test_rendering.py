"""What a reader sees, in the real browser: every stylesheet is applied whole, notebook code cells
show their source once with a working copy button, and screenshots of the main pages at phone and
desktop widths in both palettes are kept for review (test-artifacts/screenshots/, a CI artifact)."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
import tinycss2

from conftest import ROOT
from test_browser import pages_of

sys.path.insert(0, str(ROOT / "scripts"))
from budget import pick_pages  # noqa: E402  (the same "largest topic page" as the budget)

SHOTS = ROOT / "test-artifacts" / "screenshots"
WIDTHS = {"phone": (390, 844), "desktop": (1280, 800)}
SCHEMES = {"light": "default", "dark": "slate"}


def top_level_rules(css_file: Path) -> int:
    """Top-level rules of a stylesheet, by an independent parser (tinycss2). @charset is not a rule
    in the CSSOM."""
    rules = tinycss2.parse_stylesheet(css_file.read_text(encoding="utf-8"), skip_comments=True, skip_whitespace=True)
    return sum(1 for r in rules if r.type == "qualified-rule" or (r.type == "at-rule" and r.lower_at_keyword != "charset"))


def test_every_stylesheet_is_applied_whole(site, base_url, page):
    """A syntax error in a stylesheet makes the browser drop the rules after it (a selector cut inside
    `:is(…)` once hid nothing of what it should on every notebook page). The browser must keep as many
    top-level rules as the file has, less at most 1 % it does not support (vendor prefixes)."""
    host = urlparse(base_url).netloc
    kept: dict[str, int] = {}
    for path in pages_of(site):
        if path == "404.html":
            continue  # its links are absolute paths of the deployed site (site_url), not of this server
        page.goto(base_url + path, wait_until="load")
        for href, count in page.evaluate(
            "() => [...document.styleSheets].filter(s => s.href).map(s => [s.href, s.cssRules.length])"
        ):
            if urlparse(href).netloc == host:
                kept.setdefault(urlparse(href).path, count)
    assert any(p.endswith("/jupyter.css") for p in kept), "no notebook stylesheet seen: the check proves nothing"
    short = {}
    for url_path, count in kept.items():
        expected = top_level_rules(site / url_path.lstrip("/"))
        if not (expected * 0.99 <= count <= expected):
            short[url_path] = f"browser kept {count} of {expected} rules"
    assert not short, short


CODE_CELLS = """() => {
  const norm = s => s.replace(/\\s+/g, " ").trim();
  const problems = [];
  const cells = [...document.querySelectorAll(".md-content .jp-CodeCell")];
  for (const [i, cell] of cells.entries()) {
    const where = `code cell ${i + 1}`;
    if (cell.parentElement.closest(".jp-CodeCell")) problems.push(`${where} is nested in another code cell`);
    const pre = cell.querySelector(".jp-InputArea pre");
    if (!pre) { problems.push(`${where} has no source`); continue; }
    const source = norm(pre.textContent);
    const twice = [...cell.querySelectorAll("*")].filter(el =>
      !pre.contains(el) && !el.contains(pre) && el.checkVisibility() && norm(el.textContent) === source);
    if (source && twice.length) problems.push(`${where}: its source is shown twice (${twice[0].className})`);
    const copy = cell.querySelectorAll("button.md-code__button[data-md-type=copy], button.md-clipboard");
    if (copy.length !== 1) { problems.push(`${where}: ${copy.length} copy buttons`); continue; }
    const b = copy[0].getBoundingClientRect(), p = pre.getBoundingClientRect();
    if (copy[0].checkVisibility() && b.width && !(b.right <= p.right + 1 && b.left >= p.right - 4 * b.width && b.top <= p.top + 2 * b.height))
      problems.push(`${where}: the copy button is not at the code's top right`);
  }
  for (const el of document.querySelectorAll(".md-content [hidden]"))
    if (el.checkVisibility()) problems.push(`hidden element shown: <${el.tagName.toLowerCase()} class="${el.className}">`);
  const keyword = document.querySelector(".md-content .jp-CodeCell pre .k, .md-content .jp-CodeCell pre .kn");
  if (keyword && getComputedStyle(keyword).color === getComputedStyle(keyword.closest("pre")).color)
    problems.push("code is not highlighted: a keyword has the colour of plain text");
  return {cells: cells.length, problems};
}"""


# Material mounts a code block (its copy button) once it scrolls into view (content.lazy, mkdocs.yml):
# bring each cell into view and wait for its button, as a reader scrolling down would see it.
SCROLL_THROUGH = """async () => {
  for (const cell of document.querySelectorAll(".md-content .jp-CodeCell")) {
    cell.scrollIntoView();
    for (let t = 0; t < 40 && !cell.querySelector("button.md-code__button, button.md-clipboard"); t++)
      await new Promise(r => setTimeout(r, 25));
  }
  scrollTo(0, 0);
}"""


def code_cell_problems(page) -> tuple[int, list[str]]:
    page.evaluate(SCROLL_THROUGH)
    result = page.evaluate(CODE_CELLS)
    return result["cells"], result["problems"]


def notebook_pages(site: Path) -> list[str]:
    return [p for p in pages_of(site) if p.startswith("notebooks/") and p.endswith("/index.html")]


def test_notebook_code_cells_show_their_source_once(site, base_url, page):
    """On every notebook page: each code cell once, not nested in a copy of itself, its source visible
    once (not again as a hidden copy that a stylesheet failed to hide), one copy button at its top
    right, highlighted code, and nothing marked hidden on display."""
    pages = notebook_pages(site)
    assert len(pages) >= 30
    failures = {}
    for path in pages:
        page.goto(base_url + path, wait_until="networkidle")
        cells, problems = code_cell_problems(page)
        if not cells:
            problems = ["no code cell"]
        if problems:
            failures[path] = problems[:3]
    assert not failures, failures


def shot_pages(site: Path) -> dict[str, str]:
    picked = pick_pages(site)
    return {"home": "", "topic": picked["topic"].removesuffix("index.html"), "notebook": "notebooks/transformer/attention/"}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_of_the_main_pages(site, base_url, browser, width, scheme):
    """Screenshots for a reviewer (kept by CI), and what they must show: the palette asked for, no
    sideways scrolling on a phone, and on the notebook page code cells shown once, at every size."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, color_scheme="dark" if scheme == "dark" else "light")
    page = context.new_page()
    try:
        for name, path in shot_pages(site).items():
            page.goto(base_url + path, wait_until="networkidle")
            assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == SCHEMES[scheme]
            overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
            assert overflow <= 0, f"{name} at {w} px scrolls sideways by {overflow} px"
            if name == "notebook":
                _, problems = code_cell_problems(page)
                assert not problems, f"notebook at {w} px, {scheme}: {problems[:3]}"
                page.locator(".md-content .jp-CodeCell").nth(1).scroll_into_view_if_needed()
                page.evaluate("() => scrollBy(0, -120)")
            page.wait_for_timeout(700)  # Material's header title and back-to-top button finish their transitions
            page.screenshot(path=str(SHOTS / f"{name}-{w}-{scheme}.png"))
    finally:
        context.close()


# --- nothing moves while a page loads --------------------------------------------------------------

def first_screen_chars() -> int:
    """The hook's own threshold (scripts/hooks/math.py; loaded by path: its module name is `math`)."""
    import importlib.util

    sys.path.insert(0, str(ROOT / "scripts" / "hooks"))
    spec = importlib.util.spec_from_file_location("math_hook", ROOT / "scripts" / "hooks" / "math.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.FIRST_SCREEN_CHARS


def pages_with_math_on_the_first_screen(site: Path) -> list[str]:
    """Pages whose first formula comes within a phone's first screen of text, read from the built HTML
    (selectolax), not from the font preload the hook adds for them, which is what is under test."""
    from selectolax.lexbor import LexborHTMLParser

    limit, found = first_screen_chars(), []
    not_text = ".md-content__button, .md-tags, .qa-toolbar, .qa-controls, .nb-bar, script, style"
    for file in sorted(site.rglob("index.html")):
        article = LexborHTMLParser(file.read_text(encoding="utf-8")).css_first("article")
        first = article.css_first(".katex") if article else None
        if first is None:
            continue
        skipped = {n.mem_id for s in article.css(not_text) for n in s.traverse(include_text=True)}
        count = 0
        for node in article.traverse(include_text=True):
            if node.mem_id == first.mem_id:
                break
            if node.is_text_node and node.mem_id not in skipped:
                count += len((node.text_content or "").strip())
        if count <= limit:
            found.append(file.parent.relative_to(site).as_posix() + "/")
    return found


# Layout shifts on load, without the ones that follow input (the Layout Instability API's hadRecentInput).
SHIFTS = """window.mjbgShifts = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) window.mjbgShifts.push(
    [e.value, e.sources.map((s) => s.node ? s.node.nodeName + " " + (s.node.textContent || "").trim().slice(0, 30) : "")]);
}).observe({type: "layout-shift", buffered: true});"""


def test_pages_do_not_move_while_they_load(site, base_url, browser):
    """Lighthouse's phone (412 x 823) on a slow network (150 ms, 1.6 Mbit/s), where the KaTeX fonts
    arrive after the first paint: text around a formula on the first screen must not reflow when they
    do (those formulas' fonts are preloaded: scripts/hooks/math.py, overrides/main.html), nor the mock
    interview's text move down when its form is built (the reserved height, site.css). Budget: a
    cumulative layout shift under 0.01. Seen failing without them: 0.02-0.06 on six topic pages, 0.2
    on the mock interview."""
    pages = pages_with_math_on_the_first_screen(site)
    notebooks = [p for p in pages if p.startswith("notebooks/")]
    assert len(pages) >= 30 and notebooks, pages
    # every topic page of the kind, and a few notebooks (one template, and 4 minutes for all of them)
    moved = []
    for path in ["", "mock/", *[p for p in pages if p not in notebooks], *notebooks[:4]]:
        context = browser.new_context(viewport={"width": 412, "height": 823}, is_mobile=True, device_scale_factor=1.75)
        try:
            page = context.new_page()
            page.add_init_script(SHIFTS)
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", {
                "offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 0.75e6 / 8})
            page.goto(base_url + path, wait_until="load")
            page.evaluate("() => document.fonts.ready")
            if path == "mock/":  # the form is built once the question list has arrived
                page.wait_for_selector("#mock .mock-setup")
            page.wait_for_timeout(500)
            shifts = page.evaluate("() => window.mjbgShifts")
            total = sum(value for value, _ in shifts)
            if total >= 0.01:
                moved.append(f"{path or 'home'}: {total:.3f} {shifts[0][1][:2]}")
        finally:
            context.close()
    assert not moved, "layout shifts on load:\n" + "\n".join(moved)
