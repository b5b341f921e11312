"""Content rules over the whole repository (scripts/lint.py) and the notebook conventions."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import lint  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*/*.ipynb"))
PAGES = sorted((ROOT / "docs").rglob("*.md"))


def test_repository_passes_lint():
    result = subprocess.run([sys.executable, "scripts/lint.py"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-5000:]


def test_banned_personal_data_is_matched_by_hash(tmp_path):
    banned = tmp_path / "banned.txt"
    digest = __import__("hashlib").sha256("张三丰".encode()).hexdigest()
    banned.write_text(f"# comment\nsha256:{digest}:3\n广告语\n", encoding="utf-8")
    rules = lint.load_banned(banned)
    assert lint.banned_hits("第一行\n我是张三丰。\n", rules) == [(2, "personal data listed in scripts/banned.txt")]
    assert lint.banned_hits("广告语", rules) == [(1, "banned string '广告语'")]
    assert lint.banned_hits("张三", rules) == []


def cells(nb):
    return json.loads(nb.read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[n.relative_to(ROOT).as_posix() for n in NOTEBOOKS])
def test_notebook_checks_itself_and_links_to_its_questions(nb):
    code = "\n".join("".join(c["source"]) for c in cells(nb) if c["cell_type"] == "code")
    assert re.search(r"^\s*assert\b|torch\.testing\.assert_close|np\.testing\.assert", code, re.M), (
        f"{nb.name}: no assertion, so a wrong implementation would not fail the build"
    )
    first = "".join(cells(nb)[0]["source"])
    assert first.lstrip().startswith("# "), f"{nb.name}: the first cell must be a Markdown '# 标题'"
    markdown = "\n".join("".join(c["source"]) for c in cells(nb) if c["cell_type"] == "markdown")
    assert re.search(r"\]\([^)]*\.md#[a-z0-9-]+\)", markdown), f"{nb.name}: no link back to a question"
    name = nb.relative_to(ROOT).as_posix()
    assert any(name in p.read_text(encoding="utf-8") for p in PAGES), f"no page links to {name}"
