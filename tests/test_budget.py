"""The performance / accessibility / SEO budgets (scripts/budget.py) hold on the real site."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def budget(site, tmp_path_factory):
    """One run of scripts/budget.py (about 4 minutes): its printed report and its figures."""
    out = tmp_path_factory.mktemp("budget") / "figures.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "budget.py"), str(site), "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=1800,
    )
    assert out.exists(), f"budget.py did not finish:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout, json.loads(out.read_text(encoding="utf-8"))


def test_budgets(budget):
    """Lighthouse performance, accessibility (both palettes), best practices and SEO on the home page,
    the largest topic page and the largest notebook page; page weight, search index size, query latency."""
    report, figures = budget
    assert not figures["failed"], f"budgets failed: {figures['failed']}\n{report}"
