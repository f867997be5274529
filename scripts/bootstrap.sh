#!/usr/bin/env bash
# Set up a fresh Debian machine for this project: a virtualenv with the package and its test
# dependencies, Debian's Chromium when no browser is found (Playwright cannot download its own
# browser on closed networks; the code also works with a Playwright-managed one), and Debian's
# PostgreSQL when no server binaries are found (the postgres tests start a throwaway server of
# their own; linkedin_assets/testing/postgres.py).
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

if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
apt_updated=""
apt_install() {
    if [ -z "$apt_updated" ]; then
        $sudo apt-get update -qq
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

if ! have_browser; then
    echo "no Chromium found: installing Debian's chromium" >&2
    apt_install chromium
fi

# Where linkedin_assets.testing.postgres looks: the PATH, then Debian's versioned directories.
have_postgres() {
    command -v initdb >/dev/null 2>&1 && return 0
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

if ! have_postgres; then
    echo "no PostgreSQL found: installing Debian's postgresql (binaries only, no system cluster)" >&2
    # The tests need the binaries, not the "main" cluster Debian creates and starts on port 5432
    # when the server package is installed: postgresql-common reads this switch first.
    apt_install postgresql-common
    $sudo sed -i 's/^#\?\s*create_main_cluster\s*=.*/create_main_cluster = false/' \
        /etc/postgresql-common/createcluster.conf
    apt_install postgresql
fi
