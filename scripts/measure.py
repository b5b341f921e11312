"""Measure the build; anyone can re-run it: `.venv/bin/python scripts/measure.py`.

On a throw-away copy of the repository (tracked files only), it reports:
- cold build time (empty notebook cache), warm rebuild with nothing changed, and rebuild after a
  Markdown-only edit of a notebook;
- each notebook's execution time in the cold build.
Page weight, Lighthouse scores and search latency are measured by scripts/budget.py.
"""

from __future__ import annotations

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

NOTEBOOK = "notebooks/transformer/attention.ipynb"


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

    print("| measurement | value |\n| --- | --- |")
    print(f"| cold build (empty notebook cache, {len(runs)} notebooks executed) | {cold:.1f} s |")
    print(f"| warm rebuild, nothing changed | {warm:.1f} s |")
    print(f"| rebuild after a Markdown-only edit of {NOTEBOOK} | {md_edit:.1f} s |")
    print("\n| notebook | execution time |\n| --- | --- |")
    for nb, seconds in sorted(runs, key=lambda r: -float(r[1])):
        print(f"| {nb} | {float(seconds):.1f} s |")


if __name__ == "__main__":
    main()
