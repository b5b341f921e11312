#!/usr/bin/env bash
# Install everything, then build (executing the notebooks) and serve the site at http://127.0.0.1:8000/mianjing-bagu/ (the path of site_url)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
export NO_MKDOCS_2_WARNING=1
exec .venv/bin/mkdocs serve --strict -a "${ADDR:-127.0.0.1:8000}" "$@"
