"""Benchmark: the ways of writing a batch of quads into Oxigraph, alone and beside a busy
Python thread (srkb's ingest writes in a thread while its main thread derives).

For each write path, a fresh on-disk store gets ``--batches`` batches of ``--quads`` quads
(synthetic text-graph-shaped N-Quads), once with the interpreter otherwise idle and once
while another thread runs pure Python; wall time, CPU time of the process (RocksDB's own
threads included) and how much the busy thread got done (as a share of what it does
alone). Paths:

- ``extend(parse(bytes))``: a transaction fed from a Python iterator (srkb before 2026-12-03);
- ``extend(list)``: a transaction fed from a list;
- ``bulk_extend(list)``: the bulk loader fed Python objects;
- ``bulk_load(bytes)``: the bulk loader parsing N-Quads itself (what srkb uses now).

    python bench/write_paths.py --quads 100000 --batches 4 --write
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
NQ = ox.RdfFormat.N_QUADS


def batch(n: int, offset: int) -> bytes:
    """``n`` quads shaped like a text graph's: spans with offsets, labels and links."""
    lines = []
    for i in range(offset, offset + n):
        g = f"<http://kb.test/graph/text/{i // 500:08x}>"
        s = f"<http://kb.test/span/{i // 7:010x}>"
        kind = i % 7
        if kind < 2:
            o = f'"{i % 4000}"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>'
        elif kind < 4:
            o = f'"anchor text number {i % 9000}"'
        else:
            o = f"<http://kb.test/entity/e{i % 3000}>"
        lines.append(f"{s} <http://kb.test/p{kind}> {o} {g} .")
    return ("\n".join(lines) + "\n").encode()


PATHS: dict[str, Callable[[ox.Store, bytes], None]] = {
    "extend(parse(bytes))": lambda st, b: st.extend(ox.parse(b, format=NQ)),
    "extend(list)": lambda st, b: st.extend(list(ox.parse(b, format=NQ))),
    "bulk_extend(list)": lambda st, b: st.bulk_extend(list(ox.parse(b, format=NQ))),
    "bulk_load(bytes)": lambda st, b: st.bulk_load(b, format=NQ),
}


def spin(stop: threading.Event, out: list[int]) -> None:
    n = 0
    while not stop.is_set():
        n += 1
    out.append(n)


def run(path: str, batches: list[bytes], busy: bool, alone_rate: float) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix="srkb-write-"))
    try:
        store = ox.Store(str(folder))
        stop, out = threading.Event(), []
        thread = threading.Thread(target=spin, args=(stop, out))
        cpu, wall = time.process_time(), time.perf_counter()
        if busy:
            thread.start()
        for b in batches:
            PATHS[path](store, b)
        store.flush()
        wall = time.perf_counter() - wall
        cpu = time.process_time() - cpu
        share = float("nan")
        if busy:
            stop.set()
            thread.join()
            share = out[0] / wall / alone_rate
        del store
        return {"wall": wall, "cpu": cpu, "share": share}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quads", type=int, default=100_000, help="quads per batch")
    parser.add_argument("--batches", type=int, default=4)
    parser.add_argument("--write", action="store_true", help="append the table to RESULTS.md")
    args = parser.parse_args()
    batches = [batch(args.quads, i * args.quads) for i in range(args.batches)]
    stop, out = threading.Event(), []
    thread = threading.Thread(target=spin, args=(stop, out))
    thread.start()
    time.sleep(2)
    stop.set()
    thread.join()
    alone_rate = out[0] / 2
    total = args.quads * args.batches
    rows = []
    for path in PATHS:
        for busy in (False, True):
            r = run(path, batches, busy, alone_rate)
            rows.append(
                f"| `{path}` | {'yes' if busy else 'no'} | {r['wall']:.1f} | {r['cpu']:.1f} | "
                f"{total / r['wall']:,.0f} | " + (f"{100 * r['share']:.0f}%" if busy else "") + " |"
            )
            print(rows[-1], flush=True)
    if args.write:
        table = "\n".join(
            [
                f"\n## Write paths into Oxigraph (`python bench/write_paths.py --quads "
                f"{args.quads} --batches {args.batches} --write`, {time.strftime('%Y-%m-%d')})",
                "",
                f"{total:,} quads in {args.batches} batches into a fresh store; 'busy thread': "
                "another thread runs pure Python meanwhile, and the last column is how much of "
                "its solo speed it kept.",
                "",
                "| path | busy thread | wall s | CPU s | quads/s | busy thread's share |",
                "|---|---|---|---|---|---|",
                *rows,
                "",
            ]
        )
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as f:
            f.write(table)


if __name__ == "__main__":
    main()
