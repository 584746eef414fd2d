"""Extraction on a Dask cluster against the local ingest: documents/s and identical quads.

    python bench/cluster_ingest.py --docs 10000 [--workers 1 2] [--write]

Generates the synthetic corpus (bench/synthetic_corpus.py), ingests it into fresh stores
with `srkb ingest` (worker processes on this machine) and with `srkb ingest --engine dask`
on Dask's LocalCluster with each number of workers, and compares every store's dump with
the local one (run timestamps masked). ``--write`` appends the table to
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.endpoint_load import machine  # noqa: E402

SRKB = [sys.executable, "-m", "kb.cli"]
STAMP = re.compile(rb'"\d{4}-\d\d-\d\dT[^"]*"\^\^<http://www.w3.org/2001/XMLSchema#dateTime>')


def ingest(data: Path, corpus: Path, extra: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [*SRKB, "--data", str(data), "ingest", *extra, str(corpus)],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def masked_dump(data: Path) -> list[bytes]:
    out = subprocess.run(
        [*SRKB, "--data", str(data), "dump", "--format", "nquads"],
        check=True,
        cwd=ROOT,
        capture_output=True,
    ).stdout
    return sorted(STAMP.sub(b"TIME", line) for line in out.splitlines() if line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="srkb-cluster-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        subprocess.run(
            [
                sys.executable,
                "bench/synthetic_corpus.py",
                "--docs",
                str(args.docs),
                "--out",
                str(corpus),
            ],
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        rows = []
        local_s = ingest(work / "local", corpus, [])
        reference = masked_dump(work / "local")
        rows.append(("srkb ingest (local worker processes)", local_s, True, len(reference)))
        for n in args.workers:
            data = work / f"dask-{n}"
            seconds = ingest(data, corpus, ["--engine", "dask", "--workers", str(n)])
            same = masked_dump(data) == reference
            rows.append((f"srkb ingest --engine dask --workers {n}", seconds, same, len(reference)))
    lines = [
        "| run | seconds | documents/s | quads | same quads as the local ingest |",
        "|---|---|---|---|---|",
    ]
    for name, seconds, same, quads in rows:
        lines.append(
            f"| `{name}` | {seconds:.1f} | {args.docs / seconds:.1f} | {quads:,} | "
            f"{'yes' if same else 'NO'} |"
        )
    table = "\n".join(lines)
    print(table)
    if args.write:
        with (ROOT / "docs" / "benchmarks.md").open("a", encoding="utf-8") as f:
            f.write(
                f"\n## Extraction on a Dask cluster (`python bench/cluster_ingest.py --docs "
                f"{args.docs}`, {datetime.now(UTC).date()})\n\nMachine: {machine()}.\n\n"
                f"{table}\n"
            )


if __name__ == "__main__":
    main()
