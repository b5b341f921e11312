"""Fault injection: each broken input must make the build or the lint fail, naming the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import git_commit, make_project, run_build, run_lint


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def notebook_cell(path: Path, index: int, source: str, outputs: list | None = None) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"][index]["source"] = source
    if outputs is not None:
        nb["cells"][index]["outputs"] = outputs
        nb["cells"][index]["execution_count"] = 1
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")


def move_page(project: Path) -> None:
    """A published page moves (committed) and nothing keeps its old URL."""
    (project / "docs/page.md").rename(project / "docs/moved.md")
    git_commit(project, "move page.md")


PAGE = "docs/page.md"
NB = "notebooks/demo/tiny.ipynb"

# (name, how to break the project, "build" or "lint", text the error must contain)
FAULTS = [
    ("failing-cell", lambda p: notebook_cell(p / NB, 3, "raise ValueError('boom')"), "build",
     ["notebooks/demo/tiny.ipynb: cell 4 failed", "ValueError: boom"]),
    ("dead-link", lambda p: append(p / PAGE, "\n见[不存在的页](nowhere.md)。\n"), "build",
     ["page.md", "nowhere.md"]),
    ("missing-anchor", lambda p: append(p / PAGE, "\n见[不存在的锚点](#fx-nowhere)。\n"), "build",
     ["page.md", "fx-nowhere"]),
    ("notebook-dead-anchor", lambda p: edit(p / NB, "page.md#fx-scale", "page.md#fx-gone"), "build",
     ["notebooks/demo/tiny.ipynb", "fx-gone"]),
    ("missing-image", lambda p: (p / "docs/dot.png").unlink(), "lint", ["docs/page.md:", "missing image 'dot.png'"]),
    ("missing-image-build", lambda p: (p / "docs/dot.png").unlink(), "build", ["page.md", "dot.png"]),
    ("placeholder-question", lambda p: append(p / PAGE, "\n## 3. ？\n"), "lint", ["docs/page.md:", "placeholder"]),
    ("empty-answer", lambda p: append(p / PAGE, "\n## 空答案的问题？ {#fx-empty}\n"), "lint",
     ["docs/page.md:", "no answer"]),
    ("heading-without-id", lambda p: append(p / PAGE, "\n## 没有 id 的问题？\n\n有答案。\n"), "lint",
     ["docs/page.md:", "without an explicit id"]),
    ("duplicate-id", lambda p: append(p / PAGE, "\n## 重复的问题？ {#fx-second}\n\n有答案。\n"), "lint",
     ["docs/page.md:", "duplicate id '#fx-second'"]),
    ("banned-string", lambda p: append(p / PAGE, "\n在这里插入图片描述\n"), "lint",
     ["docs/page.md:", "banned string"]),
    ("notebook-with-outputs", lambda p: notebook_cell(
        p / NB, 3, "print(1)", [{"output_type": "stream", "name": "stdout", "text": "1\n"}]), "lint",
     ["notebooks/demo/tiny.ipynb:cell 4", "stored with outputs"]),
    ("copywriting", lambda p: append(p / PAGE, "\n使用GQA的8个头,很好.\n"), "lint", ["docs/page.md:", "copywriting"]),
    ("bad-math", lambda p: append(p / PAGE, "\n坏公式 $\\frac{a}{$ 在这里。\n"), "build",
     ["page.md:", "KaTeX cannot render", "\\frac{a}{"]),
    ("no-description", lambda p: edit(p / PAGE, "description:", "summary:"), "lint",
     ["docs/page.md:1", "description"]),
    ("no-checked-date", lambda p: edit(p / PAGE, "checked: 2026-12-06", "reviewed: soon"), "lint",
     ["docs/page.md:1", "checked: YYYY-MM-DD"]),
    ("no-title", lambda p: edit(p / PAGE, "# 测试页\n", ""), "lint", ["docs/page.md:7", "`# title` heading"]),
    ("unknown-tag", lambda p: edit(p / PAGE, "  - 概念", "  - 随便写的标签"), "build", ["page.md", "随便写的标签"]),
    ("moved-page", move_page, "lint", ["docs/page.md", "redirects.yml"]),
    ("renamed-id", lambda p: edit(p / PAGE, "{#fx-second}", "{#fx-other}"), "lint", ["fx-second", "redirects.yml"]),
]


def test_fixture_project_is_clean(tmp_path):
    project = make_project(tmp_path)
    lint = run_lint(project)
    assert lint.returncode == 0, lint.stdout
    build = run_build(project, tmp_path / "out")
    assert build.returncode == 0, build.stderr[-3000:]


@pytest.mark.parametrize("name,inject,stage,expected", FAULTS, ids=[f[0] for f in FAULTS])
def test_fault_is_caught(tmp_path, name, inject, stage, expected):
    project = make_project(tmp_path)
    inject(project)
    result = run_build(project, tmp_path / "out") if stage == "build" else run_lint(project)
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"{name} was not caught:\n{output[-3000:]}"
    for text in expected:
        assert text in output, f"{name}: expected {text!r} in:\n{output[-3000:]}"
    if stage == "build":
        assert not (tmp_path / "out" / "index.html").exists() or "Aborted" in output


# --- the HTML pass (scripts/hooks/html_tree.py): markup it no longer recognises fails the build ----

def hooks():
    """The notebooks hook and its HTML helpers, imported as MkDocs loads them (scripts/hooks/ on the
    path; appended, so that the hook math.py does not shadow the standard library's math)."""
    import sys

    from conftest import ROOT

    if str(ROOT / "scripts" / "hooks") not in sys.path:
        sys.path.append(str(ROOT / "scripts" / "hooks"))
    import html_tree
    import notebooks

    return html_tree, notebooks


def fake_page(tmp_path, src_uri="notebooks/demo/tiny.ipynb"):
    from types import SimpleNamespace

    source = tmp_path / "tiny.ipynb"
    source.write_text('{"cells": [{"cell_type": "code", "source": "1"}]}', encoding="utf-8")
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri, abs_src_path=str(source)), meta={}, title="t", url="x/")


@pytest.mark.parametrize("markup,expected", [
    ("<div class='jp-Notebook'><p>no wrapper</p></div>", "notebooks: no div.jupyter-wrapper in notebooks/demo/tiny.ipynb"),
    ("<div class='jupyter-wrapper'><div class='jp-Cell'>renamed code cell</div></div>",
     "notebooks: no div.jp-CodeCell in notebooks/demo/tiny.ipynb"),
])
def test_notebook_markup_change_fails_naming_the_transform(tmp_path, markup, expected):
    html_tree, notebooks = hooks()
    from mkdocs.exceptions import PluginError

    with pytest.raises(PluginError, match=expected.replace(".", r"\.")):
        notebooks.notebooks(html_tree.parse(markup), fake_page(tmp_path), None, None)


def test_notebook_stylesheet_that_cannot_be_parsed_fails_naming_the_notebook(tmp_path):
    html_tree, notebooks = hooks()
    from mkdocs.exceptions import PluginError

    root = html_tree.parse("<div class='jupyter-wrapper'></div><style>p { color: red } .jp-Cell</style>")
    with pytest.raises(PluginError, match=r"notebooks/demo/tiny\.ipynb: its stylesheet cannot be parsed"):
        notebooks.collect_styles(root, fake_page(tmp_path))
