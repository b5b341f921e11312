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
import datetime
import functools
import html
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml
from mkdocs.utils.yaml import get_yaml_loader
from playwright.sync_api import sync_playwright
from pypdf import PdfReader

sys.path.append(str(Path(__file__).resolve().parent / "hooks"))  # appended: hooks/math.py would shadow math
from editions import EditionError, editions  # noqa: E402
from pdf_compose import ComposeError, compose, page_file  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
BUDGET_BYTES = 40 * 1024 * 1024  # the whole-site PDF (issue 20)
MARGIN = {"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"}
# Header and footer live in the page margins; Chromium renders them apart from the document, with its
# own tiny default font size and no access to the site's stylesheets.
BAND = "font-family:'Noto Sans CJK SC',sans-serif;font-size:8px;color:#555;width:100%;margin:0 14mm;display:flex;justify-content:space-between"
HEADER = '<div style="{band}"><span>{site} · {edition}</span><span>构建于 {date}</span></div>'
FOOTER = '<div style="{band}"><span>{url}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def load_config(path: Path) -> dict:
    with path.open(encoding="utf-8") as f:
        return yaml.load(f, Loader=get_yaml_loader())


def print_edition(page, base: str, site: Path, edition, meta: dict, out: Path) -> None:
    """Print `edition` to `out`: Chromium's PDF, then its objects packed into compressed object streams
    by qpdf (Chromium writes the tags of a tagged PDF uncompressed: 19 of the whole site's 45 MB)."""
    document = compose(site, edition, meta)
    url = f"{base}__pdf__/{edition.slug}.html"  # not a file: the document is handed over from memory
    page.route(url, lambda route: route.fulfill(body=document, content_type="text/html; charset=utf-8"))
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    fields = {k: html.escape(v) for k, v in
              {"site": meta["site_name"], "edition": edition.title, "date": meta["date"], "url": meta["site_url"]}.items()}
    raw = out.with_suffix(".chromium.pdf")
    page.pdf(
        path=str(raw), format="A4", margin=MARGIN, print_background=True, outline=True, tagged=True,
        display_header_footer=True,
        header_template=HEADER.format(band=BAND, **fields),
        footer_template=FOOTER.format(band=BAND, **fields),
    )
    page.unroute(url)
    subprocess.run(["qpdf", "--object-streams=generate", "--warning-exit-0", str(raw), str(out)], check=True)
    raw.unlink()


def build(site: Path, config: dict, out: Path) -> list[tuple[str, int, int, float]]:
    """Print every edition into `out`; (slug, pages, bytes, seconds) of each."""
    meta = {
        "site_name": config["site_name"], "site_url": config["site_url"].rstrip("/") + "/",
        "description": config.get("site_description", ""), "copyright": config.get("copyright", ""),
        "date": datetime.datetime.now(datetime.timezone.utc).date().isoformat(),
    }
    all_editions = editions(config)
    for entry in all_editions[-1].entries:  # before printing anything: fail fast, naming the page
        page_file(site, entry)
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    report = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.set_default_timeout(600_000)
            for edition in all_editions:
                start = time.monotonic()
                pdf = out / f"{edition.slug}.pdf"
                print_edition(page, f"http://127.0.0.1:{server.server_address[1]}/", site, edition, meta, pdf)
                report.append((edition.slug, len(PdfReader(pdf).pages), pdf.stat().st_size, time.monotonic() - start))
                print(f"{edition.path}: {report[-1][1]} pages, {report[-1][2] / 2**20:.1f} MB, {report[-1][3]:.0f} s", flush=True)
            browser.close()
    finally:
        server.shutdown()
    whole = all_editions[-1]
    size = (out / f"{whole.slug}.pdf").stat().st_size
    if size > BUDGET_BYTES:
        raise EditionError(f"{whole.path}: {size / 2**20:.1f} MB, over the budget of {BUDGET_BYTES / 2**20:.0f} MB")
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
            print(f"scripts/pdf.py: {e}; nothing written to {args.site / 'pdf'}", file=sys.stderr)
            return 1
        target = args.site / "pdf"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(tmp, target)
    total = sum(r[2] for r in report)
    print(f"{len(report)} PDFs, {total / 2**20:.1f} MB in {time.monotonic() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
