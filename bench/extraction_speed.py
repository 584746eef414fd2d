"""Extraction speed and memory: documents per second per core on seed-sized documents.

Run on request, never in the test suite::

    .venv/bin/python bench/extraction_speed.py [--runs 7] [--seconds 2.0] [--json]

One process, one thread. The pattern files and the gazetteer are loaded (and the
regexes compiled) before the clock starts, by one warm-up extraction. The documents
are the seed (../shared/corpus) and the texts of tests/data; besides each document on
its own, the report gives the rate on "seed-sized" documents: every text of tests/data
joined to about the seed's length, so that per-document costs and per-character costs
are both in the figure. Each figure is the median of ``--runs`` timed runs; a run
extracts the document set repeatedly for at least ``--seconds``.

Peak memory is the process's maximum resident set size (``resource.getrusage``) and
the peak of Python allocations during one extraction of the seed (``tracemalloc``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kb.extract import extract_strict  # noqa: E402

SEED = ROOT.parent / "shared" / "corpus" / "seed-article-comments.txt"
DATA = ROOT / "tests" / "data"


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _documents() -> dict[str, list[str]]:
    seed = SEED.read_text(encoding="utf-8") if SEED.exists() else ""
    own = [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.txt"))]
    sets: dict[str, list[str]] = {}
    if seed:
        sets["seed"] = [seed]
    if own:
        sets["tests/data texts"] = own
        target = len(seed) or 12_000
        # seed-sized documents built from the own texts: whole texts joined until the
        # seed's length is reached (article lines first, so the boundary rule still works)
        joined, cur = [], ""
        for text in own * 4:
            cur = (cur + "\n" + text) if cur else text
            if len(cur) >= target:
                joined.append(cur)
                cur = ""
        sets["seed-sized (own texts joined)"] = joined or own
    return sets


def _rate(docs: list[str], seconds: float) -> float:
    """Documents per second over one timed run of at least ``seconds``."""
    n = 0
    start = time.perf_counter()
    while True:
        for d in docs:
            extract_strict(d)
        n += len(docs)
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return n / elapsed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="timed runs per set (median reported)")
    ap.add_argument("--seconds", type=float, default=2.0, help="minimum length of one run")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args(argv)

    sets = _documents()
    if not sets:
        print("no documents found (../shared/corpus or tests/data)", file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    for docs in sets.values():  # warm-up: loads patterns and the gazetteer, compiles regexes
        for d in docs:
            extract_strict(d)
    load_s = time.perf_counter() - t0

    results = {}
    for name, docs in sets.items():
        rates = [_rate(docs, args.seconds) for _ in range(args.runs)]
        chars = sum(len(d) for d in docs) / len(docs)
        results[name] = {
            "documents": len(docs),
            "mean_chars": round(chars),
            "docs_per_s_median": round(statistics.median(rates), 1),
            "docs_per_s_min": round(min(rates), 1),
            "docs_per_s_max": round(max(rates), 1),
            "chars_per_s_median": round(statistics.median(rates) * chars),
        }

    probe = sets.get("seed", next(iter(sets.values())))[0]
    tracemalloc.start()
    extract_strict(probe)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux

    report = {
        "machine": {
            "cpu": _cpu_name(),
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "warm_up_s": round(load_s, 2),
        "runs": args.runs,
        "seconds_per_run": args.seconds,
        "sets": results,
        "peak_rss_mb": round(maxrss_kb / 1024, 1),
        "peak_python_alloc_one_seed_extraction_mb": round(peak / 2**20, 2),
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    m = report["machine"]
    print(f"machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}, {m['platform']}")
    print(f"warm-up (patterns, gazetteer, first extraction): {report['warm_up_s']} s")
    for name, r in results.items():
        print(
            f"{name:32s} {r['documents']:3d} docs, {r['mean_chars']:6d} chars: "
            f"{r['docs_per_s_median']:7.1f} docs/s (min {r['docs_per_s_min']}, "
            f"max {r['docs_per_s_max']}), {r['chars_per_s_median']:,} chars/s"
        )
    print(f"peak RSS: {report['peak_rss_mb']} MB")
    print(
        f"peak Python allocations, one seed extraction: "
        f"{report['peak_python_alloc_one_seed_extraction_mb']} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
