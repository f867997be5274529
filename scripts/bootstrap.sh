#!/usr/bin/env bash
# Set up a fresh Debian machine for this project: a virtualenv with the package and its test
# dependencies, and Debian's Chromium when no browser is found (Playwright cannot download its
# own browser on closed networks; the code also works with a Playwright-managed one).
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -e '.[dev]'

have_browser() {
    [ -n "${CHROMIUM_EXECUTABLE:-}" ] && [ -x "${CHROMIUM_EXECUTABLE}" ] && return 0
    command -v chromium >/dev/null 2>&1 && return 0
    command -v chromium-browser >/dev/null 2>&1 && return 0
    "$venv/bin/python" - <<'PY' 2>/dev/null
import os, sys
from playwright.sync_api import sync_playwright
with sync_playwright() as p:
    sys.exit(0 if os.path.exists(p.chromium.executable_path) else 1)
PY
}

if ! have_browser; then
    echo "no Chromium found: installing Debian's chromium" >&2
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
