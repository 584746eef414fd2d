#!/usr/bin/env bash
# Shared set-up for scripts/run.sh and scripts/test.sh: system packages, the SPARQL
# editor's bundle, a virtualenv, and srkb installed into it (editable, with the extras
# named in $SRKB_EXTRAS).
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
  local missing=()
  for spec in "$@"; do
    local cmd=${spec%%:*} pkg=${spec#*:}
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  # Wait for another apt (unattended upgrades, a second setup) instead of failing on its lock.
  $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# Debian packages named as COMMAND:PACKAGE pairs in $SRKB_APT, installed when COMMAND is
# missing (the tests need java for the HermiT reasoner and chromium for the browser tests).
apt_install ${SRKB_APT:-}

# The SPARQL editor (YASGUI) is bundled from server/web/ by npm and esbuild into
# server/static/yasgui/ (git-ignored). Built only when missing or older than its sources
# or lock file (build.mjs --check compares a hash of them). --ignore-scripts: nothing
# needs an install script (esbuild's binary is an npm package of its own), so none runs.
build_editor() {
  local web=server/web
  node "$web/build.mjs" --check 2>/dev/null && return 0
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "setup: Node.js (20 or later) and npm are needed to build the SPARQL editor in $web; install them and run this again" >&2
    exit 1
  fi
  echo "setup: building the SPARQL editor (npm ci, esbuild)" >&2
  (cd "$web" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2 && npm run --silent build >&2)
}
build_editor

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv" >&2
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >&2
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".${SRKB_EXTRAS:-}" >&2
# An editable install leaves srkb's modules uncompiled (pip compiles a regular install's):
# compiled here, every command skips compiling its ~150 modules at start (0.3 s of a
# 0.75 s command that finds nothing to do), even where PYTHONDONTWRITEBYTECODE is set.
.venv/bin/python -m compileall -q -j 0 kb server >&2
