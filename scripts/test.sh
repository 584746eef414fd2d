#!/usr/bin/env bash
# Install everything the tests need on a fresh machine and run the whole suite (lint,
# browser and live-server tests included). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
SRKB_APT="java:default-jre-headless chromium:chromium virtuoso-t:virtuoso-opensource" SRKB_EXTRAS="[test]" bash scripts/setup.sh
# Two workers (pytest-xdist), a test file each at a time: the machine's two cores.
exec .venv/bin/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder "$@"
