"""Benchmark: `srkb serve`'s memory at rest on a built store, process by process.

Runs ``bench/scale.py``'s server step alone (``serve_and_time``: start ``srkb serve``, time
every page kind and named query, search concurrently on every worker, then read the memory
of the server's process tree) on an existing data directory, without ingesting into it or
changing it. Prints RSS and PSS per process and summed; ``--out`` keeps every figure.

    python bench/serve_memory.py --data bench/.cache/kb-100000 --out /tmp/memory.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale  # noqa: E402


def table(serve: dict) -> str:  # type: ignore[type-arg]
    """The memory at rest, one line per process and the sums."""
    rows = [f"{'pid':>8}  {'role':<16} {'RSS MB':>8} {'PSS MB':>8} {'PSS anon MB':>12}"]
    for p in sorted(serve["rest_processes"], key=lambda p: (p["role"], -p["pss"])):
        rows.append(
            f"{p['pid']:>8}  {p['role']:<16} {p['rss']:>8.0f} {p['pss']:>8.0f} "
            f"{p['pss_anon']:>12.0f}"
        )
    rows.append(f"{'sum':>8}  {'':<16} {serve['rest_rss_mb']:>8.0f} {serve['rest_pss_mb']:>8.0f}")
    if serve.get("dump_writer_ended_after_s"):
        rows.append(
            f"{'before':>8}  {'dump written':<16} {serve['busy_rss_mb']:>8.0f} "
            f"{serve['busy_pss_mb']:>8.0f}  (the dump writer ended "
            f"{serve['dump_writer_ended_after_s']:.0f} s later)"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a built data directory")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per query/page")
    parser.add_argument("--out", type=Path, help="write every figure here as JSON")
    args = parser.parse_args()
    load_before = os.getloadavg()
    serve = scale.serve_and_time(args.data.resolve(), args.repeat)
    print(table(serve))
    for section in ("pages", "pages_distinct", "named_http"):
        for name, t in serve[section].items():  # type: ignore[attr-defined]
            print(f"{section:<15} {name:<26} p50 {t['p50_ms']:8.1f} ms  p95 {t['p95_ms']:8.1f} ms")
    if args.out:
        result = {
            "data": str(args.data),
            "load_before": load_before,
            "load_after": os.getloadavg(),
            "serve": serve,
        }
        args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
