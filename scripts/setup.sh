#!/usr/bin/env bash
# Shared set-up for scripts/run.sh and scripts/test.sh: system packages, a virtualenv,
# and srkb installed into it (editable, with the extras named in $SRKB_EXTRAS).
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

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv" >&2
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >&2
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".${SRKB_EXTRAS:-}" >&2
