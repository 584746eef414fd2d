#!/usr/bin/env bash
# The main job: install srkb, ingest the project's example texts into the embedded
# default store (./srkb-data), and serve the SPARQL endpoint and web page on
# http://127.0.0.1:8000/ (change with SRKB_HOST / SRKB_PORT). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/srkb ingest examples/
exec .venv/bin/srkb serve --host "${SRKB_HOST:-127.0.0.1}" --port "${SRKB_PORT:-8000}"
