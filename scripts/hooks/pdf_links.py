"""MkDocs hook: links to the PDF editions (mkdocs.yml `extra.pdf`, scripts/hooks/editions.py):
- `<!-- pdf:editions -->` in a page's Markdown (the home page) becomes a list of every edition;
- the first page of each section with an edition gets a 下载 PDF line under its title (and toolbar).
The PDFs exist only once scripts/pdf.py has printed them from the built site, so these links are
written as HTML, which MkDocs' link validation (Markdown links only) leaves alone; tests/test_pdf.py
checks that each of them reaches its PDF."""

from __future__ import annotations

import html

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from editions import EditionError, editions
from html_tree import expect, insert_html, transform  # scripts/hooks/ is on sys.path

MARKER = "<!-- pdf:editions -->"


def _editions(config):
    try:
        return editions(config)
    except EditionError as e:
        raise PluginError(str(e)) from e


def _link(edition, page, text: str) -> str:
    return f'<a href="{html.escape(get_relative_url(edition.path, page.url))}">{html.escape(text)}</a>'


def on_page_markdown(markdown, page, config, files):
    if MARKER not in markdown:
        return markdown
    items = []
    for ed in _editions(config):
        if ed.whole_site:
            items.append(f"<li>{_link(ed, page, ed.title)}：以上全部主题和术语表</li>")
        else:
            notebooks = sum(e.src.endswith(".ipynb") for e in ed.entries)
            pages = f"{len(ed.entries) - notebooks} 个题目页" + (f"、{notebooks} 个 notebook" if notebooks else "")
            items.append(f"<li>{_link(ed, page, ed.title)}：{pages}</li>")
    return markdown.replace(MARKER, '<ul class="pdf-list">\n' + "\n".join(items) + "\n</ul>")


@transform(order=45)
def pdf_download(root, page, config, files):
    """下载 PDF under the title of each section's first page (after the practice toolbar, order 30, and the glossary terms, order 40)."""
    all_editions = _editions(config)
    for ed in all_editions[:-1]:  # no editions: a site without extra.pdf
        if ed.entries[0].src == page.file.src_uri:
            anchor = root.css_first(".qa-toolbar") or expect(root.css_first("h1"), "pdf_links", "<h1>", page)
            insert_html(anchor, (
                '<search-exclude data-search-exclude class="pdf-download"><p>下载 PDF：'
                f"{_link(ed, page, f'{ed.title}（本部分）')} · {_link(all_editions[-1], page, all_editions[-1].title)}"
                "</p></search-exclude>"
            ), "after")
