#!/usr/bin/env bash
# Set up this project: a virtualenv with the package and the extras asked for, installed from
# uv.lock; a Chromium; with `postgres`, PostgreSQL's server binaries for the postgres tests.
#
#   bash scripts/bootstrap.sh PYTHON VENV EXTRA [postgres]
#
# `make demo` asks for the `local` extra (moto's server, the UI) and no PostgreSQL; `make test` for
# `dev` (the test tools, `local` included) and PostgreSQL. Each step says what it does and shows
# the installers' own progress. Nothing under /etc is edited and no system service is started:
# PostgreSQL's binaries are unpacked into the virtualenv and run from a temporary directory by
# linkedin_assets/testing/postgres.py.
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}
extra=${3:-local}
with_postgres=${4:-}
# The uv that reads uv.lock; bump with the lock (`uv lock`), never implicitly.
UV_VERSION=0.13.9

step() { printf '\n==> %s\n' "$*"; }

if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
apt_updated=""
apt_install() {
    if [ -z "$apt_updated" ]; then
        $sudo apt-get update
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "$@"
}

if [ ! -x "$venv/bin/python" ]; then
    step "virtualenv: $venv ($("$python" --version 2>&1))"
    "$python" -m venv "$venv"
fi

# uv lives in its own directory beside the packages, so that syncing the virtualenv (which
# removes what the lock does not name, pip included) never removes it. UV=/path/to/uv uses
# another uv.
if [ -n "${UV:-}" ]; then
    uv=$UV
else
    uv=$venv/.uv/bin/uv
    if ! "$uv" --version 2>/dev/null | grep -qF "uv $UV_VERSION "; then
        step "uv $UV_VERSION: the installer that reads uv.lock (into $venv/.uv)"
        "$venv/bin/python" -m pip --version >/dev/null 2>&1 || "$venv/bin/python" -m ensurepip
        rm -rf "$venv/.uv"
        "$venv/bin/python" -m pip install --target "$venv/.uv" "uv==$UV_VERSION"
    fi
fi

step "packages: linkedin-assets[$extra] and its dependencies, exactly as uv.lock pins them"
# --inexact: packages of another extra installed earlier stay (`make test` after `make demo` adds
# the test tools; `make demo` after `make test` removes none). --frozen: the lock as committed,
# never re-resolved.
UV_PROJECT_ENVIRONMENT="$venv" "$uv" sync --frozen --inexact --extra "$extra"

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

if have_browser; then
    step "Chromium: found ($(command -v chromium || command -v chromium-browser || echo "CHROMIUM_EXECUTABLE or Playwright's own"))"
elif command -v apt-get >/dev/null 2>&1; then
    # Debian's package first: it installs on networks that only reach Debian's mirrors.
    step "Chromium: none found, installing Debian's chromium"
    if ! apt_install chromium; then
        step "Chromium: Debian's package failed to install, downloading Playwright's own"
        "$venv/bin/playwright" install --with-deps chromium
    fi
else
    step "Chromium: none found and no apt-get, downloading Playwright's own (playwright install chromium)"
    "$venv/bin/playwright" install chromium
fi

[ "$with_postgres" = postgres ] || exit 0

# Where linkedin_assets.testing.postgres looks: the PATH, the virtualenv's bin, Debian's
# versioned directories.
have_postgres() {
    command -v initdb >/dev/null 2>&1 && return 0
    [ -x "$venv/bin/initdb" ] && return 0
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

if have_postgres; then
    step "PostgreSQL: server binaries found"
elif command -v apt-get >/dev/null 2>&1; then
    # Installing Debian's `postgresql` would create and start a system cluster on port 5432, and
    # stopping that means editing /etc/postgresql-common. Instead: the server package's files
    # unpacked into the virtualenv (not installed), and the shared libraries it needs installed
    # as the libraries they are (LLVM aside: only the JIT loads it, and the test server runs
    # without). The tests run these binaries in a temporary directory.
    [ -n "$apt_updated" ] || { $sudo apt-get update; apt_updated=1; }
    server=$(apt-cache depends postgresql | awk '$1 == "Depends:" && $2 ~ /^postgresql-[0-9]+$/ { print $2; exit }')
    libs=$(apt-cache depends "$server" | awk '$1 ~ /Depends:$/ && $2 ~ /^lib/ && $2 !~ /^libllvm/ { print $2 }' | sort -u)
    step "PostgreSQL: the libraries $server needs (Debian packages: $(echo $libs tzdata))"
    apt_install $libs tzdata
    step "PostgreSQL: $server's binaries unpacked into $venv/postgresql (no system cluster, /etc untouched)"
    download=$(mktemp -d)
    # As root apt downloads as its own _apt user, who cannot write to our private temp dir.
    if [ "$(id -u)" = 0 ]; then sandbox=(-o APT::Sandbox::User=root); else sandbox=(); fi
    (cd "$download" && apt-get download "${sandbox[@]}" "$server")
    rm -rf "$venv/postgresql"
    dpkg-deb -x "$download"/"$server"_*.deb "$venv/postgresql"
    rm -rf "$download"
    bin_dir=$(dirname "$(ls "$venv"/postgresql/usr/lib/postgresql/*/bin/initdb | tail -1)")
    for name in initdb pg_ctl postgres; do
        ln -sf "$(cd "$bin_dir" && pwd)/$name" "$venv/bin/$name"
    done
else
    step "PostgreSQL: not found and no apt-get; the postgres tests need initdb, pg_ctl and postgres on the PATH"
fi
