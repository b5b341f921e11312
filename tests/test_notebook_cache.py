"""Notebook execution is cached on the code cells: a Markdown-only edit is not re-executed."""

from __future__ import annotations

import json

from conftest import make_project, run_build

NB = "notebooks/demo/tiny.ipynb"


def set_cell(project, index, source):
    path = project / NB
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"][index]["source"] = source
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")


def build(project, tmp_path):
    result = run_build(project, tmp_path / "out")
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr


def test_markdown_edit_reuses_outputs_and_code_edit_reexecutes(tmp_path):
    project = make_project(tmp_path / "p")
    executed = f"executed {NB}"
    assert executed in build(project, tmp_path), "first build must execute the notebook"
    assert executed not in build(project, tmp_path), "unchanged notebook was executed again"

    set_cell(project, 1, "## 改过的中文标题\n\n只改了文字。")
    assert executed not in build(project, tmp_path), "a Markdown-only edit re-executed the notebook"
    html = (tmp_path / "out/notebooks/demo/tiny/index.html").read_text(encoding="utf-8")
    assert "改过的中文标题" in html and "ok 一致" in html

    set_cell(project, 3, "print('changed code')")
    assert executed in build(project, tmp_path), "a code edit must re-execute the notebook"
    html = (tmp_path / "out/notebooks/demo/tiny/index.html").read_text(encoding="utf-8")
    assert "changed code" in html
    outputs = list((project / ".cache/notebook-outputs").glob("*.json"))
    assert len(outputs) == 1, f"stale outputs are not evicted: {outputs}"
