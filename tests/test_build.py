"""The real site: strict build, what it contains, and the notebooks' time budget."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from mkdocs.utils.yaml import yaml_load

from conftest import ROOT

NOTEBOOKS = sorted(p.relative_to(ROOT / "notebooks").with_suffix("") for p in (ROOT / "notebooks").glob("*/*.ipynb"))
BUDGET_S = 60


def test_strict_build_produces_every_page(site):
    assert (site / "index.html").exists() and (site / "404.html").exists()
    assert (site / "assets/vendor/katex/katex.min.css").exists()
    for nb in NOTEBOOKS:
        page = site / "notebooks" / nb / "index.html"
        assert page.exists(), f"no page for notebooks/{nb}.ipynb"
        assert (site / "notebooks" / nb / f"{nb.name}.ipynb").exists(), f"no download for {nb}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[str(n) for n in NOTEBOOKS])
def test_notebook_page_has_outputs_and_no_script(site, nb):
    html = (site / "notebooks" / nb / "index.html").read_text(encoding="utf-8")
    content = html[html.index('<article'):html.index('</article>')]
    assert "jp-OutputArea-output" in content, f"{nb}: no outputs"
    assert "<script" not in content, f"{nb}: a script inside the page content"
    assert 'id=""' not in content, f"{nb}: a heading without an id"


def test_no_third_party_resource_in_html(site):
    resource = re.compile(r'<(?:script|img|iframe|source)\b[^>]*\bsrc="(https?:)?//|<link\b(?=[^>]*rel="(?:stylesheet|preload|preconnect|icon|modulepreload)")[^>]*href="(https?:)?//')
    for page in site.rglob("*.html"):
        m = resource.search(page.read_text(encoding="utf-8"))
        assert not m, f"{page.relative_to(site)} loads a third-party resource: {m.group(0)[:120]}"


def test_search_index_has_no_empty_anchor(site):
    docs = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    bad = [d["location"] for d in docs if d["location"].endswith("#")]
    assert not bad, f"empty anchors break the search worker: {bad[:5]}"
    segmented = re.compile("[\u4e00-\u9fff] [\u4e00-\u9fff]")  # word boundaries (scripts/hooks/assets.py)
    assert any(segmented.search(d["text"]) for d in docs), "Chinese text was not segmented (is jieba installed?)"
    assert not any("\u200b" in d["text"] for d in docs), "word boundaries are stored as U+200B (3 bytes each)"
    notebook_text = " ".join(d["text"] for d in docs if d["location"].startswith("notebooks/"))
    assert notebook_text and "def padding_mask" not in notebook_text, "notebook code cells are in the search index"


def test_each_notebook_runs_within_budget(site):
    log = (site / "build.log").read_text(encoding="utf-8")
    # the kernel's CPU time: notebooks run side by side, so their wall times depend on each other
    timings = {m[1]: float(m[2]) for m in re.finditer(r"executed (\S+) in [\d.]+ s \(([\d.]+) s CPU\)", log)}
    if not timings:
        pytest.skip("every notebook came from .cache/: run with an empty cache (as CI does) to time them")
    slow = {nb: t for nb, t in timings.items() if t > BUDGET_S}
    assert not slow, f"notebooks over the {BUDGET_S} s budget: {slow}"


def test_no_line_break_between_chinese_characters_in_prose(site):
    """A source line break between two Chinese characters renders as a visible space."""
    cjk = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
    broken = re.compile(f"[{cjk}]\\n\\s*[{cjk}]")
    prose = re.compile(r"<(p|li)>(?:(?!<pre|<code).)*?</\1>", re.S)
    found = []
    for page in site.rglob("*.html"):
        for m in prose.finditer(page.read_text(encoding="utf-8")):
            if broken.search(m.group(0)):
                found.append(f"{page.relative_to(site)}: {m.group(0)[:80]!r}")
    assert not found, found[:5]


def test_generated_indexes_list_every_hot_question_notebook_and_topic_page(site):
    hot_ids = {
        m[1]
        for page in (ROOT / "docs").rglob("*.md")
        for m in re.finditer(r"^#{2,4} .*\{[^}]*#([a-z0-9-]+)[^}]*\.hot[^}]*\}\s*$", page.read_text(encoding="utf-8"), re.M)
    }
    listed = set(re.findall(r'href="[^"]*#([a-z0-9-]+)"', (site / "hot/index.html").read_text(encoding="utf-8")))
    assert hot_ids and hot_ids <= listed, f"missing from 高频题: {sorted(hot_ids - listed)[:5]}"
    handwrite = (site / "handwrite/index.html").read_text(encoding="utf-8")
    missing = [str(nb) for nb in NOTEBOOKS if f'href="../notebooks/{nb}/"' not in handwrite]
    assert not missing, f"missing from 手撕代码: {missing}"
    home = (site / "index.html").read_text(encoding="utf-8")
    topic_pages = sorted(p.relative_to(ROOT / "docs").with_suffix("") for p in (ROOT / "docs").glob("*/*.md"))
    missing = [str(p) for p in topic_pages if f'href="{p}/"' not in home]
    missing += [str(nb) for nb in NOTEBOOKS if f'href="notebooks/{nb}/"' not in home]
    assert not missing, f"missing from the home page's topics table: {missing}"


def test_every_page_has_its_own_title_and_meta_description(site):
    # MkDocs' own YAML loader: mkdocs.yml uses its !ENV tag (the offline plugin's switch)
    site_description = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_description"]
    seen: dict[str, str] = {}
    titles: dict[str, str] = {}
    for path in sorted(site.rglob("index.html")):
        text = path.read_text(encoding="utf-8")
        if 'name="robots" content="noindex"' in text:  # redirect pages (redirects.yml)
            continue
        where = path.relative_to(site).as_posix()
        description = re.search(r'<meta name="description" content="([^"]*)"', text)
        assert description, f"{where}: no meta description"
        assert description[1] != site_description, f"{where}: only the site-wide description"
        assert len(description[1]) >= 30, f"{where}: description too short: {description[1]!r}"
        assert description[1] not in seen, f"{where}: same description as {seen.get(description[1])}"
        seen[description[1]] = where
        title = re.search(r"<title>([^<]+)</title>", text)[1]
        assert title not in titles, f"{where}: same <title> as {titles[title]}"
        titles[title] = where
    assert len(seen) >= 60


def test_math_and_diagram_assets_only_where_used(site):
    """Formulas are rendered at build time: no page loads math JavaScript or mermaid, and only pages
    with a formula link KaTeX's stylesheet, besides the mock-interview page, which shows answers
    (formulas included) taken from the topic pages."""
    with_math = 0
    for path in sorted(site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(site).as_posix()
        assert not re.search(r"<script[^>]+(katex|mathjax|mermaid)", text, re.I), f"{where}: math/diagram script"
        links_katex = bool(re.search(r'<link[^>]+katex\.min\.css', text))
        has_math = 'class="katex"' in text or '<div class="mock" id="mock">' in text
        assert links_katex == has_math, f"{where}: KaTeX stylesheet linked {links_katex}, formulas {has_math}"
        with_math += has_math
    assert with_math >= 20


def test_tags_page_lists_every_tagged_page(site):
    tags_page = (site / "tags/index.html").read_text(encoding="utf-8")
    tagged = 0
    for page in (ROOT / "docs").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        front = re.match(r"---\n(.*?)\n---\n", text, re.S)
        for tag in (yaml.safe_load(front[1]).get("tags") or []) if front else []:
            assert f'id="tag:{tag.lower()}"' in tags_page, f"tag {tag} of {page.name} missing from the tags page"
            tagged += 1
        url = page.relative_to(ROOT / "docs").with_suffix("").as_posix() + "/"
        if front and "tags" in yaml.safe_load(front[1]):
            assert f'href="../{url}"' in tags_page, f"{url} is not listed on the tags page"
    assert tagged >= 60


def test_no_script_blocks_the_first_paint_and_no_palette_component(site):
    """Every external script is deferred (Material's bundle held back the first paint), and Material's
    palette component, which restyles the whole page three times at start-up, is not mounted: the site
    has its own switch (overrides/partials/palette.html)."""
    pages = 0
    for path in sorted(site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(site).as_posix()
        if "assets/javascripts/bundle." not in text:
            continue  # redirect pages
        pages += 1
        for tag in re.findall(r"<script\b[^>]*\bsrc=[^>]*>", text):
            # (a module script is deferred by definition)
            assert re.search(r'\s(defer|async)\b|\stype="module"', tag), f"{where}: {tag} blocks the first paint"
        assert 'data-md-component="palette"' not in text, f"{where}: Material's palette component"
        assert "data-mjbg-palette" in text, f"{where}: no palette switch"
    assert pages >= 60


def test_the_fonts_of_a_formula_are_read_from_katex_stylesheet():
    """scripts/hooks/math_fonts.py, on KaTeX's class names: the file each one needs, as katex.min.css
    says (the hook preloads these for the formulas on a page's first screen)."""
    import sys

    sys.path.insert(0, str(ROOT / "scripts" / "hooks"))
    from math_fonts import fonts_of

    def fonts(html: str) -> set[str]:
        return {name.removeprefix("KaTeX_").removesuffix(".woff2") for name in fonts_of(html)}

    assert fonts('<span class="mord">1</span>') == {"Main-Regular"}
    assert fonts('<span class="mord mathnormal">x</span>') == {"Main-Regular", "Math-Italic"}
    assert fonts('<span class="mord mathbb">R</span>') == {"Main-Regular", "AMS-Regular"}
    assert fonts('<span class="mord mathbf">W</span>') == {"Main-Regular", "Main-Bold"}
    assert fonts('<span class="mop op-symbol large-op">∑</span>') == {"Main-Regular", "Size2-Regular"}
    assert fonts('<span class="delimsizing size1">(</span>') == {"Main-Regular", "Size1-Regular"}
