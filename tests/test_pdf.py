"""The PDF editions (scripts/pdf.py) printed from the real site by Debian's Chromium, read back with
poppler's pdftotext and pypdf: every question of a section in its PDF, the outline, no raw LaTeX,
links inside the document, header and footer, the size budget, the 下载 PDF links, and bad input."""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader
from selectolax.lexbor import LexborHTMLParser

from conftest import ROOT, serve

sys.path.insert(0, str(ROOT / "scripts"))
import pdf  # noqa: E402  (scripts/pdf.py)

CONFIG = pdf.load_config(ROOT / "mkdocs.yml")
EDITIONS = pdf.editions(CONFIG)
SECTIONS = [e for e in EDITIONS if not e.whole_site]
WHOLE = EDITIONS[-1]
# LaTeX source that KaTeX did not turn into glyphs: display delimiters, commands, or an inline $…$
# (no space inside its dollars, no digit after, no quotes: not two prices, not a Python string "$5")
RAW_LATEX = re.compile(
    r"\$\$|\\(?:[a-z]?frac|math(?:rm|bf|bb|cal|it)|sqrt|sum|prod|int|left|right|begin|end|cdot|times|"
    r"alpha|beta|gamma|theta|lambda|sigma|epsilon|log|exp|top|text|operatorname|hat|tilde|le|ge|"
    r"""approx|infty|partial|nabla)(?![a-zA-Z])|\$[^\s$"'](?:[^$\n"']{0,120}[^\s$"'])?\$(?!\d)"""
)


def raw_latex(text: str) -> list[str]:
    return [m.group(0) for m in RAW_LATEX.finditer(text)]


def squeeze(text: str) -> str:
    """Letters and digits only: pdftotext breaks lines and spaces runs of text apart."""
    return re.sub(r"[\W_]+", "", text)


@pytest.fixture(scope="module")
def printed(site, tmp_path_factory) -> tuple[Path, str | None]:
    """scripts/pdf.py run once on a copy of the built site: (the copy, what the script printed); or a
    site on which it already ran, $MJBG_PDF_SITE (to re-run these checks without printing)."""
    if os.environ.get("MJBG_PDF_SITE"):
        return Path(os.environ["MJBG_PDF_SITE"]), None
    copy = tmp_path_factory.mktemp("pdf") / "site"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pdf"))
    result = subprocess.run([sys.executable, "scripts/pdf.py", str(copy)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return copy, result.stdout


@cache
def text(path: Path, first: int | None = None, last: int | None = None, raw: bool = True) -> str:
    """pdftotext's text of a PDF (or of its pages first to last). `raw`: in the order Chromium drew
    it; otherwise poppler regroups each line by the glyph boxes of its fonts, which differ between
    Latin and CJK (Noto Sans CJK is embedded as Type 3 fonts) and can move a heading's leading English
    word away from the rest of its line. Raw order has its own fault: formulas, drawn after the text,
    come between the two halves of a line broken next to one."""
    pages = ["-f", str(first), "-l", str(last)] if first else []
    return subprocess.run(["pdftotext", *(["-raw"] if raw else []), *pages, "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def searchable(path: Path) -> str:
    """The PDF's letters and digits in both of pdftotext's orders, to look phrases up in."""
    return squeeze(text(path)) + "\n" + squeeze(text(path, raw=False))


def questions(site: Path, edition) -> list[dict]:
    listed = json.loads((site / "assets" / "questions.json").read_text(encoding="utf-8"))
    return [q for q in listed if edition.whole_site or q["topic"] == edition.title]


def outline_titles(reader: PdfReader) -> list[str]:
    def walk(items):
        for item in items:
            yield from walk(item) if isinstance(item, list) else [item.title]
    return list(walk(reader.outline))


def test_every_edition_is_printed_and_reported(printed):
    site, stdout = printed
    for edition in EDITIONS:
        path = site / edition.path
        assert path.is_file() and path.read_bytes().startswith(b"%PDF"), edition.path
        assert stdout is None or re.search(rf"^{re.escape(edition.path)}: \d+ pages, [\d.]+ MB, \d+ s$", stdout, re.M), stdout
    assert not list((site / "pdf").glob("*.chromium.pdf")), "intermediate files left behind"


@cache
def built_page(site: Path, url: str) -> LexborHTMLParser:
    return LexborHTMLParser((site / url / "index.html").read_text(encoding="utf-8"))


def answer_opening(site: Path, question: dict) -> str:
    """The first words of a question's answer (its first run of text without a formula, from the start
    of a line: a phrase broken across lines may not come out whole in either of pdftotext's orders)."""
    first = built_page(site, question["url"]).css_first(f"#a-{question['id']} p")
    for math in first.css("search-exclude.math"):
        math.replace_with("\0")
    return next(run for run in map(squeeze, first.text().split("\0")) if len(run) >= 4)[:8]


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.slug)
def test_every_question_and_its_answer_is_in_its_pdf(printed, edition):
    site, _ = printed
    wanted = questions(site, edition)
    assert len(wanted) >= 20, f"{edition.title}: too few questions in questions.json"
    body = searchable(site / edition.path)
    missing = [q["title"] for q in wanted if squeeze(q["title"]) not in body]
    assert not missing, f"{edition.path}: {len(missing)} of {len(wanted)} questions missing, e.g. {missing[:5]}"
    closed = [q["title"] for q in wanted if answer_opening(site, q) not in body]
    assert not closed, f"{edition.path}: answers not in the PDF (closed?): {closed[:5]}"


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.slug)
def test_outline_has_every_page_and_question(printed, edition):
    site, _ = printed
    titles = {squeeze(t) for t in outline_titles(PdfReader(site / edition.path))}
    for entry in edition.entries:
        h1 = built_page(site, entry.url).css_first("article h1")
        name = squeeze(h1.text().replace("¶", ""))
        assert name in titles, f"{edition.path}: page {entry.src} ({h1.text()!r}) is not in the outline"
    missing = [q["title"] for q in questions(site, edition) if squeeze(q["title"]) not in titles]
    assert not missing, f"{edition.path}: questions not in the outline: {missing[:5]}"
    if edition.whole_site:
        assert {squeeze(e.title) for e in SECTIONS} <= titles, "each section is a top-level entry"


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.slug)
def test_no_raw_latex(printed, edition):
    site, _ = printed
    found = raw_latex(text(site / edition.path))
    assert not found, f"{edition.path}: LaTeX source instead of rendered formulas: {found[:10]}"


def test_raw_latex_check_catches_unrendered_math():
    """The check above, on what pdftotext gives for a formula KaTeX did and did not render."""
    assert raw_latex("设 $x$ 为输入") == ["$x$"]
    assert raw_latex("缩放 \\frac{1}{\\sqrt{d_k}}") == ["\\frac", "\\sqrt"]
    assert raw_latex("$$\nQK^\\top\n$$")
    assert raw_latex('softmax(QK⊤/dk​​)V，价格 $5 与 $6，路径 C:\\new\\temp，("$5", ["$", "5"])') == []


def test_links_inside_the_pdf_go_to_its_own_pages(printed):
    site, _ = printed
    reader = PdfReader(site / SECTIONS[0].path)
    named = reader.named_destinations
    internal, external = 0, []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            action = annot.get("/A") or {}
            if action.get("/S") == "/URI":
                external.append(str(action["/URI"]))
            elif "/Dest" in annot or action.get("/S") == "/GoTo":
                dest = annot.get("/Dest", action.get("/D"))
                assert not isinstance(dest, str) or dest in named, f"link to a missing destination {dest!r}"
                internal += 1
    assert internal >= 50, f"only {internal} in-document links (table of contents, links between questions)"
    assert not [u for u in external if "127.0.0.1" in u or "localhost" in u], "a link to the print server"
    assert any(u.startswith(CONFIG["site_url"]) for u in external), "links to pages of other sections go online"


def test_header_and_footer_on_every_page(printed):
    site, _ = printed
    path = site / SECTIONS[1].path
    pages = len(PdfReader(path).pages)
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    for n in (1, 2, pages):
        page = text(path, n, n)
        assert CONFIG["site_name"] in page and SECTIONS[1].title in page and today in page, f"page {n}: {page[:200]!r}"
        assert re.search(rf"\b{n} ?/ ?{pages}\b", page), f"page {n}: no page number {n} / {pages}"


def test_whole_site_pdf_within_budget(printed):
    site, _ = printed
    size = (site / WHOLE.path).stat().st_size
    assert size <= pdf.BUDGET_BYTES, f"{WHOLE.path}: {size / 2**20:.1f} MB > {pdf.BUDGET_BYTES / 2**20:.0f} MB"


def test_download_links_reach_the_pdfs(printed, page):
    """The home page lists every edition, each section's first page links its own and the whole
    site's, and the browser gets a PDF from each link."""
    site, _ = printed
    server, url = serve(site)
    try:
        page.goto(url)
        home = page.eval_on_selector_all(".pdf-list a", "as => as.map(a => a.href)")
        assert [h.removeprefix(url) for h in home] == [e.path for e in EDITIONS]
        for edition in SECTIONS:
            page.goto(url + edition.entries[0].url)
            links = page.locator(".pdf-download a")
            assert links.count() == 2 and links.first.is_visible()
            assert [h.removeprefix(url) for h in links.evaluate_all("as => as.map(a => a.href)")] == [edition.path, WHOLE.path]
        for href in home:
            response = page.request.get(href)
            assert response.ok and response.headers["content-type"] == "application/pdf", href
    finally:
        server.shutdown()


def run_script(site: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "scripts/pdf.py", str(site), *args], cwd=ROOT, capture_output=True, text=True)


def test_missing_page_is_named_and_nothing_written(site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pdf", "notebooks"))
    result = run_script(copy)
    assert result.returncode != 0
    assert "notebooks/transformer/attention.ipynb" in result.stderr, result.stderr
    assert not (copy / "pdf").exists()


def test_section_without_pages_is_named(site, tmp_path):
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config, n = re.subn(r"^(    sections:.*\n)", r"\1      不存在的部分: nowhere\n", config, flags=re.M)
    assert n == 1
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = run_script(tmp_path / "empty", "--config", str(tmp_path / "mkdocs.yml"))
    assert result.returncode != 0
    assert "不存在的部分" in result.stderr and "no pages" in result.stderr, result.stderr
    assert not (tmp_path / "empty" / "pdf").exists()
