#!/usr/bin/env bash
# The browser tests use Debian's Chromium (Playwright's own browser download is not used) and
# Noto CJK fonts for Chinese glyphs. The PDF editions (scripts/pdf.py) need qpdf, their tests poppler-utils
# (pdftotext, pdfinfo). Installs them with apt-get when missing.
set -euo pipefail
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" \
  && command -v qpdf >/dev/null && command -v pdftotext >/dev/null; then
  exit 0
fi
SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk qpdf poppler-utils >/dev/null
