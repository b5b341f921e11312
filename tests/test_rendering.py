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
