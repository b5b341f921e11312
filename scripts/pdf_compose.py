"""One print document (HTML) for a PDF edition, composed from the built site's pages (scripts/pdf.py).

Each page's article becomes a `<section>` of the document, in navigation order, after a title page and
a table of contents. Element ids are prefixed with the page's anchor, so they stay unique; links
between pages of the edition become in-document links, links to other pages of the site go to the
online site (`site_url`). What only a browser reader uses (tags, edit buttons, ¶ anchors, download
buttons) is removed and every <details> is open; the site's own print styles (site.css) open every
answer and hide the practice controls.
The document is served from the site's root, so asset paths are made root-absolute."""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

# What a reader of paper has no use for (selectors on the built pages' article).
DROP = ", ".join([
    "nav.md-tags",            # tag chips (links to the tags page)
    "a.md-content__button",   # edit / view source
    "a.headerlink",           # the ¶ link of each heading
    ".nb-bar",                # notebook download / source buttons (scripts/hooks/notebooks.py)
    ".pdf-download",          # the links to the PDFs themselves (scripts/hooks/pdf_links.py)
    "aside.md-source-file",   # git dates and icons; the 内容核对 date stays
])
HEADINGS = ("h1", "h2", "h3", "h4", "h5")
LOCAL = "http://site.invalid/"  # a base to resolve the site's relative URLs against


class ComposeError(Exception):
    """A built page is missing or is not a Material page."""


def anchor(entry) -> str:
    """The id of a page's section in the document."""
    return "p-" + (entry.url.strip("/").replace("/", "-") or "home")


def page_file(site: Path, entry) -> Path:
    """The built page of a nav entry."""
    path = site / entry.url / "index.html"
    if not path.is_file():
        raise ComposeError(f"{path}: nav page {entry.src!r} ({entry.section} / {entry.title}) is not in the built site")
    return path


def _article(site: Path, entry) -> tuple[LexborHTMLParser, LexborNode]:
    path = page_file(site, entry)
    tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
    article = tree.css_first("article.md-content__inner")
    if article is None:
        raise ComposeError(f"{path}: no <article class=\"md-content__inner\">; did a Material upgrade change the page markup?")
    return tree, article


def _retag(node: LexborNode, tag: str) -> None:
    """Give `node` another tag name, keeping its attributes and children."""
    attrs = "".join(f' {k}="{html.escape(v or "", quote=True)}"' for k, v in node.attributes.items())
    new = LexborHTMLParser(f"<body><{tag}{attrs}></{tag}></body>").css_first(tag)
    node.insert_before(new)
    new = node.prev
    for child in list(node.iter(include_text=True)):
        new.insert_child(child, move=True)
    node.decompose()


def _rewrite(article: LexborNode, entry, prefix: dict[str, str], site_url: str, shift: bool) -> None:
    me = prefix[entry.url]
    page_url = urljoin(LOCAL, entry.url)
    for node in article.css(DROP):
        node.decompose()
    for node in article.css("details"):
        node.attrs["open"] = ""
    for node in article.css("[id]"):
        node.attrs["id"] = f"{me}--{node.attrs['id']}"
    for node in article.css("label[for]"):
        node.attrs["for"] = f"{me}--{node.attrs['for']}"
    for node in article.css("[aria-controls]"):
        node.attrs["aria-controls"] = f"{me}--{node.attrs['aria-controls']}"
    for node in article.css("img[src], source[src]"):
        node.attrs["src"] = urlsplit(urljoin(page_url, node.attrs["src"]))._replace(scheme="", netloc="").geturl()
        if "loading" in node.attrs:
            del node.attrs["loading"]  # a lazy image below the fold would be printed before it loads
    for node in article.css("a[href]"):
        href = urljoin(page_url, node.attrs["href"])
        if not href.startswith(LOCAL):
            continue  # another host, mailto:
        parts = urlsplit(href)
        url = parts.path.lstrip("/").removesuffix("index.html")
        if url in prefix:
            node.attrs["href"] = "#" + prefix[url] + (f"--{parts.fragment}" if parts.fragment else "")
        else:
            node.attrs["href"] = site_url + href[len(LOCAL):]
    if shift:  # the whole site: each section is an h1, so its pages' headings go one level down
        for tag in reversed(HEADINGS):
            for node in article.css(tag):
                _retag(node, f"h{int(tag[1]) + 1}")


def _toc(edition, counts: dict[str, int], prefix: dict[str, str], sections: dict[str, str]) -> str:
    def item(entry) -> str:
        n = counts[entry.url]
        count = f'<span class="pdf-toc__count">{n} 题</span>' if n else ""
        return f'<li><a href="#{prefix[entry.url]}">{html.escape(entry.title)}</a>{count}</li>'

    if not edition.whole_site:
        return "<ol>" + "".join(item(e) for e in edition.entries) + "</ol>"
    groups: dict[str, list] = {}
    for e in edition.entries:
        groups.setdefault(e.section, []).append(e)
    return "<ol>" + "".join(
        f'<li><a href="#{sections[s]}">{html.escape(s)}</a><ol>{"".join(item(e) for e in es)}</ol></li>'
        for s, es in groups.items()
    ) + "</ol>"


def compose(site: Path, edition, meta: dict) -> str:
    """The print document of `edition`. `meta`: site_name, site_url, description, copyright, date."""
    prefix = {e.url: anchor(e) for e in edition.entries}
    sections = {s: f"s-{i}" for i, s in enumerate(dict.fromkeys(e.section for e in edition.entries))}
    stylesheets: list[str] = []
    counts: dict[str, int] = {}
    body, section = [], None
    for entry in edition.entries:
        tree, article = _article(site, entry)
        page_url = urljoin(LOCAL, entry.url)
        for link in tree.css('head link[rel="stylesheet"]'):
            href = urlsplit(urljoin(page_url, link.attrs["href"])).path
            if href not in stylesheets:
                stylesheets.append(href)
        counts[entry.url] = len(article.css("div.answer"))
        _rewrite(article, entry, prefix, meta["site_url"], edition.whole_site)
        if edition.whole_site and entry.section != section:
            section = entry.section
            body.append(f'<h1 class="pdf-section" id="{sections[section]}">{html.escape(section)}</h1>')
        body.append(f'<section class="pdf-page" id="{prefix[entry.url]}">{article.inner_html}</section>')
    title = edition.title
    esc = {k: html.escape(str(v)) for k, v in meta.items()}
    links = "".join(f'<link rel="stylesheet" href="{html.escape(s)}">' for s in stylesheets)
    css = (Path(__file__).with_name("pdf.css")).read_text(encoding="utf-8")
    return f"""<!doctype html>
<html lang="zh" class="no-js"><head><meta charset="utf-8">
<title>{esc['site_name']} · {html.escape(title)}</title>{links}<style>{css}</style></head>
<body dir="ltr" data-md-color-scheme="default" data-md-color-primary="indigo" data-md-color-accent="indigo">
<div class="md-container"><main class="md-main"><div class="md-main__inner md-grid"><div class="md-content">
<article class="md-content__inner md-typeset">
<header class="pdf-title">
<p class="pdf-title__site">{esc['site_name']}</p>
<p class="pdf-title__edition">{html.escape(title)}</p>
<p class="pdf-title__description">{esc['description']}</p>
<p>构建日期：{esc['date']}<br>在线阅读：<a href="{esc['site_url']}">{esc['site_url']}</a></p>
<p class="pdf-title__license">{esc['copyright']}</p>
</header>
<nav class="pdf-toc"><p class="pdf-toc__title">目录</p>{_toc(edition, counts, prefix, sections)}</nav>
{"".join(body)}
</article></div></div></main></div></body></html>"""
