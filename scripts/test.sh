#!/usr/bin/env bash
# Install everything, then run the whole test suite: content lint, strict build with every notebook
# executed and checked, fault injection, and the built site in a real browser. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
bash scripts/install-browser.sh
export NO_MKDOCS_2_WARNING=1
exec .venv/bin/python -m pytest "$@"
