"""Shared fixtures: the real site built once, small fixture projects, a local server and a browser."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "site"
MKDOCS = [sys.executable, "-m", "mkdocs"]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Everything a project needs besides its content (docs/, notebooks/).
INFRA = ["scripts", "overrides", "CONTRIBUTING.md", "package.json"]


def run_build(project: Path, site: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [*MKDOCS, "build", "--strict", "-d", str(site)],
        cwd=project, env=env, capture_output=True, text=True,
    )


def git_commit(project: Path, message: str) -> None:
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid"]
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-qm", message], cwd=project, check=True)


def run_lint(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "scripts/lint.py", "docs", "notebooks"], cwd=project, capture_output=True, text=True
    )


def make_project(dest: Path) -> Path:
    """A copy of the real configuration and tooling around the small fixture content, as a git repo."""
    for name in INFRA:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, dest / name)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    for name in ("glossary.yml", "redirects.yml"):
        shutil.copy(FIXTURE / name, dest / name)
    shutil.copytree(FIXTURE / "docs", dest / "docs")
    shutil.copytree(FIXTURE / "notebooks", dest / "notebooks")
    for name in ("glossary.md", "contributing.md"):
        shutil.copy(ROOT / "docs" / name, dest / "docs" / name)
    shutil.copytree(ROOT / "docs" / "assets", dest / "docs" / "assets")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config, n = re.subn(r"^nav:\n(?:[ \t]+.*\n?|\n)*", FIXTURE_NAV, config, flags=re.M)
    assert n == 1, "mkdocs.yml must end with its nav: section"
    # no PDF editions: their sections (extra.pdf) are not in the fixture's nav
    config, n = re.subn(r"^extra:\n(?:[ \t]+.*\n)*", "", config, flags=re.M)
    assert n == 1, "mkdocs.yml has one extra: block (the PDF editions)"
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=dest, check=True)
    git_commit(dest, "fixture")
    return dest


FIXTURE_NAV = """nav:
  - 首页: index.md
  - 测试页: page.md
  - notebooks/demo/tiny.ipynb
  - 术语表: glossary.md
  - 贡献指南: contributing.md
"""


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site, built once with --strict (notebooks executed or taken from the cache), or the
    site already built in $MJBG_SITE (to re-run browser tests without a build)."""
    if os.environ.get("MJBG_SITE"):
        return Path(os.environ["MJBG_SITE"])
    out = tmp_path_factory.mktemp("site")
    result = run_build(ROOT, out)
    (out / "build.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    assert result.returncode == 0, f"strict build failed:\n{result.stderr[-5000:]}"
    return out


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The fixture project, built once."""
    project = make_project(tmp_path_factory.mktemp("fixture"))
    result = run_build(project, project / "site")
    assert result.returncode == 0, result.stderr[-5000:]
    return project / "site"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path):
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def base_url(site):
    server, url = serve(site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def fixture_url(fixture_site):
    server, url = serve(fixture_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: the test command installs Debian's chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        )
        yield b
        b.close()


SITE_URL = re.search(r"^site_url: (\S+)$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)[1]


def local_sitemap(route) -> None:
    """Material follows a link by instant navigation only if its URL is in sitemap.xml (compared with
    the host name, not the port, replaced by the current one): the published URLs never match a local
    server, so without this every click in a test would load a whole page. Serve the sitemap with the
    URLs it has where it is published."""
    from playwright.sync_api import Error

    base = route.request.url.rsplit("sitemap.xml", 1)[0]
    try:
        body = route.fetch().text()
    except Error:  # the test ended and closed its context while Material was fetching the sitemap
        return
    route.fulfill(body=body.replace(SITE_URL, base), content_type="application/xml")


def new_page(browser, **options):
    """A page in a new context whose clicks navigate instantly, as on the published site."""
    context = browser.new_context(**options)
    context.route("**/sitemap.xml", local_sitemap)
    return context.new_page()


@pytest.fixture
def page(browser):
    pg = new_page(browser, color_scheme="light")
    context = pg.context
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.errors = errors
    yield pg
    context.close()
