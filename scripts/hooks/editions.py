"""The PDF editions of the site, as `extra.pdf` in mkdocs.yml defines them: one per navigation section
listed under `sections` (title: slug) and one for the whole site (those sections in navigation order,
then the pages listed under `site.also`).

Shared by scripts/pdf.py, which prints them from the built site, and scripts/hooks/pdf_links.py,
which links them from the home page and from each section's first page (scripts/hooks/ is on
sys.path while MkDocs loads a hook; scripts/pdf.py puts it there)."""

from __future__ import annotations

from dataclasses import dataclass

from indexes import nav_entries


WHOLE_SITE = "全站合订本"  # the whole-site edition's title
DIRECTORY = "pdf"  # where the PDFs are in the site


class EditionError(Exception):
    """mkdocs.yml's `extra.pdf` does not match its nav."""


@dataclass(frozen=True)
class Entry:
    section: str  # the top-level navigation section
    title: str  # the page's title in the nav
    src: str  # its path under docs/

    @property
    def url(self) -> str:
        """The page's URL relative to the site root (MkDocs' directory URLs): '' or 'a/b/'."""
        stem = self.src.rsplit(".", 1)[0]
        if stem == "index":
            return ""
        return (stem[: -len("/index")] if stem.endswith("/index") else stem) + "/"


@dataclass(frozen=True)
class Edition:
    slug: str
    title: str
    entries: tuple[Entry, ...]
    whole_site: bool

    @property
    def path(self) -> str:
        """The PDF's path relative to the site root."""
        return f"{DIRECTORY}/{self.slug}.pdf"


def editions(config) -> list[Edition]:
    """The section editions in navigation order, then the whole-site edition; none without `extra.pdf`."""
    spec = (config.get("extra") or {}).get("pdf")
    if spec is None:
        return []
    if not spec.get("sections") or not (spec.get("site") or {}).get("slug"):
        raise EditionError("mkdocs.yml: extra.pdf needs `sections` (title: slug) and `site.slug`")
    entries = [Entry(*e) for e in nav_entries(config.get("nav") or [])]
    by_src = {e.src: e for e in entries}
    out = []
    for title, slug in spec["sections"].items():
        pages = tuple(e for e in entries if e.section == title)
        if not pages:
            raise EditionError(f"mkdocs.yml: extra.pdf.sections: section {title!r} (slug {slug!r}) has no pages in nav")
        out.append(Edition(slug, title, pages, False))
    order = list(dict.fromkeys(e.section for e in entries))
    out.sort(key=lambda ed: order.index(ed.title))
    also = []
    for src in spec["site"].get("also") or []:
        if src not in by_src:
            raise EditionError(f"mkdocs.yml: extra.pdf.site.also: {src!r} is not in nav")
        also.append(by_src[src])
    whole = tuple(e for ed in out for e in ed.entries) + tuple(also)
    slugs = [ed.slug for ed in out] + [spec["site"]["slug"]]
    if len(set(slugs)) != len(slugs):
        raise EditionError(f"mkdocs.yml: extra.pdf: slugs must be unique: {slugs}")
    return out + [Edition(spec["site"]["slug"], WHOLE_SITE, whole, True)]
