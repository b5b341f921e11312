"""Print the PDF editions of a built site: SITE_DIR/pdf/<slug>.pdf for each section that mkdocs.yml's
`extra.pdf` names, and one for the whole site (scripts/hooks/editions.py).

    .venv/bin/python scripts/pdf.py SITE_DIR [--config mkdocs.yml]

Each edition is one HTML document composed from the built pages (scripts/pdf_compose.py), served with
the site from a local HTTP server (so the site's stylesheets, KaTeX fonts and images load) and printed
by Debian's Chromium through Playwright: A4, a PDF outline from the headings, links inside the
document, and on every page the site name, the edition, the build date and the page number.
Prints pages, size and time of each PDF. On any error (a nav page missing from the site, a section
without pages, the whole-site PDF over its budget) nothing is written to SITE_DIR/pdf/: the PDFs are
printed into a temporary directory that replaces SITE_DIR/pdf/ only once all of them are done."""

from __future__ import annotations

import argparse
import asyncio
import datetime
import html
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml
from mkdocs.utils.yaml import get_yaml_loader
from playwright.async_api import async_playwright
from pypdf import PdfReader

sys.path.append(str(Path(__file__).resolve().parent / "hooks"))  # appended: hooks/math.py would shadow math
from editions import DIRECTORY, EditionError, editions  # noqa: E402
from pdf_compose import ComposeError, compose, page_file  # noqa: E402
from budget import serve  # noqa: E402  (scripts/budget.py)

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
BUDGET_BYTES = 40 * 1024 * 1024  # the whole-site PDF (issue 20)
MARGIN = {"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"}
# Header and footer live in the page margins; Chromium renders them apart from the document, with its
# own tiny default font size and no access to the site's stylesheets.
BAND = "font-family:'Noto Sans CJK SC',sans-serif;font-size:8px;color:#555;width:100%;margin:0 14mm;display:flex;justify-content:space-between"
HEADER = '<div style="{band}"><span>{site} · {edition}</span><span>构建于 {date}</span></div>'
FOOTER = '<div style="{band}"><span>{url}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'


def load_config(path: Path) -> dict:
    with path.open(encoding="utf-8") as f:
        return yaml.load(f, Loader=get_yaml_loader())


async def print_edition(page, base: str, site: Path, edition, meta: dict, out: Path) -> None:
    """Print `edition` to `out`: Chromium's PDF, then its objects packed into compressed object streams
    by qpdf (Chromium writes the tags of a tagged PDF uncompressed: 19 of the whole site's 45 MB)."""
    document = compose(site, edition, meta)
    url = f"{base}__pdf__/{edition.slug}.html"  # not a file: the document is handed over from memory
    await page.route(url, lambda route: route.fulfill(body=document, content_type="text/html; charset=utf-8"))
    await page.goto(url, wait_until="load")
    await page.evaluate("document.fonts.ready.then(() => true)")
    fields = {k: html.escape(v) for k, v in
              {"site": meta["site_name"], "edition": edition.title, "date": meta["date"], "url": meta["site_url"]}.items()}
    raw = out.with_suffix(".chromium.pdf")
    await page.pdf(
        path=str(raw), format="A4", margin=MARGIN, print_background=True, outline=True, tagged=True,
        display_header_footer=True,
        header_template=HEADER.format(band=BAND, **fields),
        footer_template=FOOTER.format(band=BAND, **fields),
    )
    await page.unroute(url)
    qpdf = await asyncio.create_subprocess_exec("qpdf", "--object-streams=generate", "--warning-exit-0", str(raw), str(out))
    if await qpdf.wait():
        raise EditionError(f"{edition.path}: qpdf failed on Chromium's PDF {raw}")
    raw.unlink()


async def print_all(site: Path, all_editions, meta: dict, out: Path) -> dict[str, tuple[int, int, float]]:
    """Print the editions on one page per CPU core, the longest (the whole site) first."""
    server, _, base = serve(site, "/")  # budget.py's server of a built site (as GitHub Pages serves it)
    queue = sorted(all_editions, key=lambda e: -len(e.entries))
    done: dict[str, tuple[int, int, float]] = {}

    async def worker(browser):
        page = await browser.new_page()
        page.set_default_timeout(600_000)
        while queue:
            edition = queue.pop(0)
            start, pdf = time.monotonic(), out / f"{edition.slug}.pdf"
            await print_edition(page, base, site, edition, meta, pdf)
            done[edition.slug] = (len(PdfReader(pdf).pages), pdf.stat().st_size, time.monotonic() - start)
            pages, size, seconds = done[edition.slug]
            print(f"{edition.path}: {pages} pages, {size / 2**20:.1f} MB, {seconds:.0f} s", flush=True)
        await page.close()

    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            await asyncio.gather(*(worker(browser) for _ in range(min(len(queue), os.cpu_count() or 1))))
            await browser.close()
    finally:
        server.shutdown()
    return done


def build(site: Path, config: dict, out: Path) -> dict[str, tuple[int, int, float]]:
    """Print every edition into `out`: {slug: (pages, bytes, seconds)}."""
    meta = {
        "site_name": config["site_name"], "site_url": config["site_url"].rstrip("/") + "/",
        "description": config.get("site_description", ""), "copyright": config.get("copyright", ""),
        "date": datetime.datetime.now(datetime.timezone.utc).date().isoformat(),
    }
    all_editions = editions(config)
    if not all_editions:
        raise EditionError("mkdocs.yml has no extra.pdf: no PDF editions to print")
    for entry in all_editions[-1].entries:  # before printing anything: fail fast, naming the page
        page_file(site, entry)
    report = asyncio.run(print_all(site, all_editions, meta, out))
    whole = all_editions[-1]
    if report[whole.slug][1] > BUDGET_BYTES:
        raise EditionError(f"{whole.path}: {report[whole.slug][1] / 2**20:.1f} MB, over the budget of {BUDGET_BYTES / 2**20:.0f} MB")
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a site built by mkdocs build")
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml")
    args = parser.parse_args()
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mjbg-pdf-") as tmp:
        try:
            report = build(args.site, load_config(args.config), Path(tmp))
        except (EditionError, ComposeError) as e:
            print(f"scripts/pdf.py: {e}; nothing written to {args.site / DIRECTORY}", file=sys.stderr)
            return 1
        target = args.site / DIRECTORY
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(tmp, target)
    total = sum(r[1] for r in report.values())
    print(f"{len(report)} PDFs, {total / 2**20:.1f} MB in {time.monotonic() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
