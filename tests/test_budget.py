"""The performance / accessibility / SEO budgets (scripts/budget.py) hold on the real site."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_budgets(site):
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "budget.py"), str(site)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, f"budgets failed:\n{result.stdout}\n{result.stderr[-3000:]}"
