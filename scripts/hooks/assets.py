"""MkDocs hook for the site's front-end assets:
- copy the pinned browser libraries (installed by `npm ci` from package-lock.json) into the site, so
  that no page loads anything from a third-party host: KaTeX's stylesheet and fonts (formulas are
  rendered at build time by scripts/hooks/math.py) and the ts-fsrs scheduler (assets/js/review.js);
- fix the Chinese query segmentation of Material's search worker (see WORKER_PATCHES);
- write the search index as UTF-8 instead of \\u escapes (1.76 MB -> 1.03 MB raw, -10 % gzip) and
  without the tags field (see compact_search_index);
- keep code blocks and reference lists out of the search index (the `search_scope` transform)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError

from html_tree import exclude_from_search, transform  # scripts/hooks/ is on sys.path while MkDocs loads a hook

# What the site serves from node_modules: (folder in node_modules, file pattern, folder under assets/vendor/).
VENDOR = [
    ("katex/dist", "katex.min.css", "katex"),
    ("katex/dist", "fonts/*.woff2", "katex"),
    # ts-fsrs's ES module build, loaded only by assets/js/review.js (the mock-interview page, and a
    # question page once the reader marks a question), with its MIT licence beside it
    ("ts-fsrs/dist", "index.mjs", "ts-fsrs"),
    ("ts-fsrs", "LICENSE", "ts-fsrs"),
]
REFERENCES = "参考"  # the label of an answer's source list (CONTRIBUTING.md, question format)


@transform(order=50)
def search_scope(root, page, config, files):
    """Code blocks, the values in tables and the source lists under answers stay out of the search
    index: readers search for concepts, which the prose, the headings and the row labels name, and
    the index (downloaded whole by the first search) has a size budget (scripts/budget.py). Notebook code cells are excluded by the
    notebooks transform."""
    for block in root.css("div.highlight"):
        exclude_from_search(block)
    # Table cells other than a row's first (its label): values readers look up on the page, not
    # words they search for. Marked in place, since a table cell cannot be wrapped.
    for row in root.css("table tbody tr"):
        for cell in row.css("td")[1:]:
            cell.attrs["data-search-exclude"] = ""
    for label in root.css("p"):
        if label.text(deep=True).strip() == REFERENCES and label.next is not None:
            sources = label.next
            while sources is not None and sources.tag == "-text":
                sources = sources.next
            if sources is not None and sources.tag in ("ul", "ol"):
                exclude_from_search(sources)
            exclude_from_search(label)


def on_post_build(config):
    modules = Path(config.config_file_path).resolve().parent / "node_modules"
    for folder, pattern, name in VENDOR:
        src = modules / folder
        found = list(src.glob(pattern))
        if not found:
            raise PluginError(f"{src / pattern} is missing: run the set-up in README.md (it runs `npm ci`)")
        for f in found:
            target = Path(config.site_dir) / "assets" / "vendor" / name / f.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, target)
    patch_search_worker(Path(config.site_dir))
    compact_search_index(Path(config.site_dir) / "search" / "search_index.json")


# Runs of whitespace and U+200B (the word boundaries Material's Chinese segmentation inserts): one space.
BOUNDARIES = re.compile("[\\s\u200b]*\u200b[\\s\u200b]*")
# A boundary beside full-width punctuation, which the search separator splits on anyway.
AROUND_PUNCTUATION = re.compile(" ?([（）。，、：；？！“”‘’《》【】…]) ?")


def compact_search_index(path: Path) -> None:
    """Smaller index, same search:
    - UTF-8 instead of \\u escapes;
    - no `tags` field: the tags plugin copies a page's tags into every section of it, and a tag such
      as 位置编码 becomes one index word that the query segmenter then prefers, so "位置编码" found
      only the pages with that tag (1 instead of 39);
    - word boundaries as one space (1 byte) instead of U+200B (3 bytes in UTF-8), none beside
      punctuation: the search separator (mkdocs.yml) splits on whitespace and that punctuation
      too, so the words are the same. assets/js/site.js removes the spaces between Chinese
      characters from the results it shows (the site's prose never has one)."""
    if path.exists():
        index = json.loads(path.read_text(encoding="utf-8"))
        for doc in index["docs"]:
            doc.pop("tags", None)
            for field in ("title", "text"):
                doc[field] = AROUND_PUNCTUATION.sub(r"\1", BOUNDARIES.sub(" ", doc[field]))
        path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


# Fixes to the Chinese query segmentation of Material's search worker, applied to the built copy.
# The browser search tests fail if they stop working, and the build fails if the code changes.
WORKER_PATCHES = [
    # `for (j = i + 1; j < query.length; j++)` never tries a word that ends at the last character,
    # so the last word of a query was dropped ("权重吸收" searched only "权重").
    ("for(let o=s+1;o<t.length;o++)t.slice(s,o)in e", "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e"),
    # The words of a segmented query were joined as "混合* 精度": lunr never matches a trailing
    # wildcard on these words, so every word but the last was ignored ("混合精度" ranked pages
    # that only say 精度 first).
    ('[...fe(s,this.index.invertedIndex)].join("* ")', '[...fe(s,this.index.invertedIndex)].join(" ")'),
]


def patch_search_worker(site_dir: Path) -> None:
    for worker in (site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js"):
        code = worker.read_text(encoding="utf-8")
        for bug, fix in WORKER_PATCHES:
            if fix in code:
                continue
            if bug not in code:
                raise PluginError(f"{worker.name}: Material's query segmenter changed; review scripts/hooks/assets.py")
            code = code.replace(bug, fix)
        worker.write_text(code, encoding="utf-8")
