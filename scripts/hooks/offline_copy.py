"""MkDocs hook: what the offline copy needs besides Material's offline plugin. The plugin is enabled
only by OFFLINE=true (mkdocs.yml); scripts/offline.py runs that build and zips it. The copy is read
from disk (file://), where Chromium refuses a Web Worker and fetch() of a file: URL:
- instant navigation: off. The plugin leaves it on, and Material's bundle, which cannot navigate
  that way on file://, then completes its document$ before the page has loaded: no component
  (table of contents, search highlight, palette toggle…) and none of the site's scripts would start;
- search: the plugin inlines the index into a script and links the iframe-worker shim (a Worker
  made of an iframe) for Material's search worker, from unpkg.com. This hook links the pinned copy
  from node_modules instead (package-lock.json), so that the copy requests nothing from the network;
  the plugin adds its own only when no polyfill named iframe-worker is listed;
- practice features: assets/js/practice.js reads assets/questions.json and assets/redirects.json;
  the offline build also writes each as a script (assets/<name>.js, setting window.mjbgData[name])
  that practice.js loads instead on file://;
- the home page's link to the ZIP (docs/index.md): the copy does not hold itself, so there the link
  goes to the ZIP on the site (the latest one); so do the links to the PDF editions;
- 模拟面试 and the review schedule (assets/js/mock.js, review.js) are module scripts, which Chromium
  refuses to load from a file: URL (and mock.js reads answers with fetch()): the copy does not load
  them (overrides/main.html, practice.js), and its mock-interview page says so, linking to the site's.
Nothing changes in the normal build."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from html_tree import expect, insert_html, transform  # scripts/hooks/ is on sys.path while MkDocs loads a hook

ZIP_NAME = "mianjing-bagu-offline.zip"  # written into the site root by scripts/offline.py
SHIM = "assets/vendor/iframe-worker/shim.js"
DATA = ("questions", "redirects")  # assets/<name>.json, written by the practice and redirects hooks


def enabled(config) -> bool:
    plugin = config.plugins.get("material/offline")
    return bool(plugin and plugin.config.enabled)


@event_priority(50)  # before the offline plugin's on_config, which would add the unpkg.com shim
def on_config(config):
    if enabled(config):
        config.extra["polyfills"] = [*config.extra.get("polyfills", []), SHIM]
        features = config.theme["features"]
        features[:] = [f for f in features if not f.startswith("navigation.instant")]


MOCK_NOTICE = '<p class="mock-message">离线版不能模拟面试（浏览器不允许本地文件加载它的脚本），请到<a href="{url}">网站上的模拟面试</a>。</p>'


@transform(order=90)
def offline_pages(root, page, config, files):
    if not enabled(config):
        return
    for link in root.css(f'a[href="{ZIP_NAME}"]'):
        link.attrs["href"] = config.site_url + ZIP_NAME
    # the PDF editions (scripts/hooks/pdf_links.py) are not in the copy either: link the site's
    for link in root.css('a[href$=".pdf"]'):
        link.attrs["href"] = urljoin(config.site_url + page.url, link.attrs["href"])
    if page.meta.get("mock"):
        box = expect(root.css_first("#mock"), "offline_copy", "#mock box for the mock interview", page)
        for child in list(box.iter(include_text=True)):
            child.decompose()
        insert_html(box, MOCK_NOTICE.format(url=config.site_url + page.url.removesuffix(".html") + "/"), "inside")


@event_priority(-50)  # after the practice and redirects hooks have written assets/*.json
def on_post_build(config):
    if not enabled(config):
        return
    site = Path(config.site_dir)
    shim = Path(config.config_file_path).resolve().parent / "node_modules" / "iframe-worker" / "shim" / "index.js"
    if not shim.exists():
        raise PluginError(f"iframe-worker is missing at {shim}: run the set-up in README.md (it runs `npm ci`)")
    (site / SHIM).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shim, site / SHIM)
    for name in DATA:
        data = (site / "assets" / f"{name}.json").read_text(encoding="utf-8")
        (site / "assets" / f"{name}.js").write_text(
            f'(window.mjbgData = window.mjbgData || {{}})["{name}"] = {data};\n', encoding="utf-8"
        )
