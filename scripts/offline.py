"""The offline copy of the site: a ZIP that works opened from disk (file://), search included.

Usage: .venv/bin/python scripts/offline.py SITE_DIR   (after the normal build, on its output directory)

Builds the same sources a second time with Material's offline plugin (OFFLINE=true, see mkdocs.yml;
what else that build changes is in scripts/hooks/offline_copy.py), strictly, into a temporary directory,
and zips it as SITE_DIR/mianjing-bagu-offline.zip with one folder inside: unzip it and open
mianjing-bagu/index.html. The notebooks come from the cache that the normal build filled, so the
second build costs about as much as a warm build. A failed build exits non-zero and leaves no ZIP
(not even an older one)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts" / "hooks"))
from offline_copy import ZIP_NAME  # noqa: E402  (the hook links to the ZIP by this name)

FOLDER = "mianjing-bagu"  # the one top-level folder inside the ZIP
# What the copy never reads on file://: the pages only a web server shows (404), what search engines
# read (sitemaps), source maps, and the search index as JSON (the offline plugin inlines it into
# search/search_index.js, which is what Material's search loads from disk).
LEFT_OUT = ["404.html", "sitemap.xml", "sitemap.xml.gz", "*.map", "search/search_index.json"]


def build(out: Path) -> None:
    env = {**os.environ, "OFFLINE": "true", "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    if result.returncode != 0:
        sys.exit(f"{result.stderr[-5000:]}\noffline.py: the offline build (OFFLINE=true mkdocs build --strict) "
                 f"failed with exit code {result.returncode} (its log is above); no {ZIP_NAME} written")
    if not (out / "index.html").is_file():
        sys.exit(f"offline.py: the offline build wrote no index.html in {out}; no {ZIP_NAME} written")


def write_zip(built: Path, target: Path) -> tuple[int, int]:
    """Zip the built copy under FOLDER/ into a temporary file beside the target, then move it into
    place: the target is either complete or absent. Returns the number of files and their size."""
    partial = target.with_name(target.name + ".partial")
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            for path in sorted(p for p in built.rglob("*") if p.is_file()):
                rel = PurePosixPath(path.relative_to(built).as_posix())
                if not any(rel.match(pattern) for pattern in LEFT_OUT):
                    zf.write(path, f"{FOLDER}/{rel}")
            files = zf.infolist()
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return len(files), sum(f.file_size for f in files)


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: scripts/offline.py SITE_DIR  (the directory the normal build wrote)")
    site = Path(sys.argv[1]).resolve()
    if not (site / "index.html").is_file():
        sys.exit(f"offline.py: {site} is not a built site (no index.html): run mkdocs build first")
    target = site / ZIP_NAME
    target.unlink(missing_ok=True)
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mjbg-offline-") as tmp:
        built = Path(tmp) / FOLDER
        build(built)
        built_at = time.monotonic()
        count, unzipped = write_zip(built, target)
    end = time.monotonic()
    print(f"offline.py: {target}: {target.stat().st_size / 2**20:.1f} MB ({count} files, "
          f"{unzipped / 2**20:.1f} MB unzipped); offline build {built_at - start:.0f} s, ZIP {end - built_at:.0f} s")


if __name__ == "__main__":
    main()
