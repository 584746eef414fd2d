"""Benchmark: the CLI commands a user runs on a built store, each timed as a user meets it.

Runs each command as its own process (``python -m kb.cli``) and reads its wall time and
peak RSS (``os.wait4``: the command's own process; `srkb validate`'s worker processes
are not in it). The commands: `srkb rating` of each ``--source`` (without options, and
with each ``--topic`` and ``--about``), `srkb texts`, and with ``--batch DIR`` `srkb
remove` of the texts of DIR then `srkb ingest DIR` (which gives the store back the same
texts), and `srkb validate` with ``--validate``. Prints a table; ``--out`` keeps the
figures as JSON.

    python bench/commands.py --data bench/.cache/kb-100000 --source Reuters --source AMN \\
        --topic attack --about Janjaweed --batch /tmp/batch-of-100 --out /tmp/commands.json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def run(data: Path, *args: str) -> dict[str, object]:
    """One command: its wall time, peak RSS and exit status."""
    command = [sys.executable, "-m", "kb.cli", "--data", str(data), *args]
    started = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert child.stderr is not None
    errors = child.stderr.read()  # read while it runs: a full pipe would block it
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return {
        "command": " ".join(["srkb", *args]),
        "seconds": round(time.perf_counter() - started, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "exit": child.returncode,
        "stderr": errors.decode("utf-8", "replace")[-500:] if child.returncode else "",
    }


def commands(options: argparse.Namespace) -> list[list[str]]:
    todo = []
    for source in options.source:
        todo.append(["rating", source])
        todo += [["rating", source, "--topic", t] for t in options.topic]
        todo += [["rating", source, "--about", a] for a in options.about]
    todo.append(["texts"])
    if options.batch:
        names = sorted(p.name for p in options.batch.iterdir() if p.is_file())
        todo += [["remove", *names], ["ingest", str(options.batch)]]
    if options.validate:
        todo.append(["validate"])
    return todo


def table(results: list[dict[str, object]]) -> str:
    rows = ["| command | s | peak RSS MB | exit |", "|---|---:|---:|---:|"]
    for r in results:
        shown = str(r["command"])
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        rows.append(f"| `{shown}` | {r['seconds']} | {r['peak_rss_mb']} | {r['exit']} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a built data directory")
    parser.add_argument("--source", action="append", default=[], help="a source to rate")
    parser.add_argument("--topic", action="append", default=[], help="a --topic to rate on")
    parser.add_argument("--about", action="append", default=[], help="an --about actor")
    parser.add_argument("--batch", type=Path, help="ingested texts to remove and ingest again")
    parser.add_argument("--validate", action="store_true", help="time srkb validate too")
    parser.add_argument("--out", type=Path, help="write the figures here as JSON")
    options = parser.parse_args()
    results = []
    for args in commands(options):
        results.append(run(options.data, *args))
        print(f"{results[-1]['command'][:70]}: {results[-1]['seconds']} s", file=sys.stderr)
    print(table(results))
    if options.out:
        options.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    if any(r["exit"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
