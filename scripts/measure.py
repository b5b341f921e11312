"""Measure the build and the pages; anyone can re-run it: `.venv/bin/python scripts/measure.py`.

On a throw-away copy of the repository (tracked files only), it reports:
- cold build time (empty notebook cache), warm rebuild with nothing changed, and rebuild after a
  Markdown-only edit of a notebook;
- each notebook's execution time in the cold build;
- bytes transferred (raw, and gzip as GitHub Pages serves them) to load the home page and a
  notebook page in headless Chromium, counting every request the page makes.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import CHROMIUM, serve  # noqa: E402

NOTEBOOK = "notebooks/transformer/attention.ipynb"
PAGES = {"home page": "", "notebook page": "notebooks/transformer/attention/"}


def copy_repo(dest: Path) -> None:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for f in files:
        (dest / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / f, dest / f)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    git = ["git", "-c", "user.name=measure", "-c", "user.email=measure@example.invalid"]
    subprocess.run(["git", "init", "-q"], cwd=dest, check=True)
    subprocess.run([*git, "add", "-A"], cwd=dest, check=True)
    subprocess.run([*git, "commit", "-qm", "measure"], cwd=dest, check=True)


def timed_build(project: Path) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"],
        cwd=project, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    if result.returncode:
        sys.exit(f"build failed:\n{result.stderr[-3000:]}")
    return time.perf_counter() - start, result.stderr


def edit_markdown_cell(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    cell["source"] = "".join(cell["source"]) + "\n\n（测量用的改动。）"
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")


def transferred(site: Path) -> dict[str, tuple[int, int, int]]:
    from playwright.sync_api import sync_playwright

    server, url = serve(site)
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for name, path in PAGES.items():
            page = browser.new_context().new_page()
            bodies: list[bytes] = []
            page.on("response", lambda r: bodies.append(r.body()) if r.status == 200 else None)
            page.goto(url + path, wait_until="networkidle")
            page.wait_for_timeout(500)
            out[name] = (len(bodies), sum(map(len, bodies)), sum(len(gzip.compress(b, 6)) for b in bodies))
            page.context.close()
        browser.close()
    server.shutdown()
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        copy_repo(project)
        cold, log = timed_build(project)
        runs = re.findall(r"executed (\S+) in ([\d.]+) s", log)
        warm, _ = timed_build(project)
        edit_markdown_cell(project / NOTEBOOK)
        md_edit, log2 = timed_build(project)
        assert "executed" not in log2, "a Markdown-only edit re-executed a notebook"
        sizes = transferred(project / "site")

    print("| measurement | value |\n| --- | --- |")
    print(f"| cold build (empty notebook cache, {len(runs)} notebooks executed) | {cold:.1f} s |")
    print(f"| warm rebuild, nothing changed | {warm:.1f} s |")
    print(f"| rebuild after a Markdown-only edit of {NOTEBOOK} | {md_edit:.1f} s |")
    for name, (n, raw, gz) in sizes.items():
        print(f"| {name}: {n} requests, transferred raw / gzip | {raw / 1024:.0f} KiB / {gz / 1024:.0f} KiB |")
    print("\n| notebook | execution time |\n| --- | --- |")
    for nb, seconds in sorted(runs, key=lambda r: -float(r[1])):
        print(f"| {nb} | {float(seconds):.1f} s |")


if __name__ == "__main__":
    main()
