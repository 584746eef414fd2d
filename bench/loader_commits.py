"""How the number of separate bulk loads drives RocksDB's merging (docs/benchmarks.md).

Makes FILES N-Quads files of about 1.1 million quads each (copies of 200 synthetic
documents' store, every IRI distinct per copy), then, each in a fresh process and a fresh
store, loads them one file per load, GROUP files per load, or all in one load, waits for
RocksDB's merging to end (kb.store.compaction), and prints CPU, wall time, the CPU of
RocksDB's threads and the peak RSS.

    python bench/loader_commits.py --files 12 --group 2
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "bench"))

BASE = "http://127.0.0.1:8000/"
COPIES_PER_FILE = 7  # about 1.1 million quads a file


def make_files(folder: Path, files: int) -> list[Path]:
    from synthetic_corpus import documents

    from kb.corpus import InputText
    from kb.dump import dump_bytes
    from kb.ingest import ingest_texts
    from kb.store import KnowledgeBase

    kb = KnowledgeBase.in_memory()
    texts = [InputText(f"doc-{i}.json", json.dumps(d), d) for i, d in enumerate(documents(200))]
    ingest_texts(kb, texts, base_iri=BASE)
    data = dump_bytes(kb, "nquads")
    paths, copy = [], 0
    for f in range(files):
        path = folder / f"part{f:03d}.nq"
        with path.open("wb") as out:
            for _ in range(COPIES_PER_FILE):
                out.write(data.replace(BASE.encode(), f"{BASE}c{copy}/".encode()))
                copy += 1
        paths.append(path)
    return paths


def load(paths: list[Path], group: int, folder: Path) -> dict[str, float]:
    """In this process: load ``group`` files at a time, then wait for the merging."""
    import pyoxigraph as ox

    from kb.store.compaction import background_ticks, wait_for_compactions

    store = ox.Store(tempfile.mkdtemp(dir=folder))
    started = time.perf_counter()
    for i in range(0, len(paths), group):
        joined = folder / "joined.nq"
        with joined.open("wb") as out:
            for path in paths[i : i + group]:
                out.write(path.read_bytes())
        store.bulk_load(path=str(joined), format=ox.RdfFormat.N_QUADS, lenient=True)
        joined.unlink()
    wait_for_compactions(1800.0)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "group": group,
        "quads": len(store),
        "wall_s": round(time.perf_counter() - started, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "rocksdb_cpu_s": round((background_ticks() or 0) / os.sysconf("SC_CLK_TCK"), 1),
        "peak_rss_mb": usage.ru_maxrss // 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=12)
    parser.add_argument("--group", type=int, default=2, help="files per load, besides 1 and all")
    parser.add_argument("--one", metavar="GROUP", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:  # a child: one way of loading
        paths = sorted(args.folder.glob("part*.nq"))
        print(json.dumps(load(paths, args.one, args.folder)))
        return
    with tempfile.TemporaryDirectory(dir=PROJECT / "bench") as tmp:
        folder = Path(tmp)
        make_files(folder, args.files)
        print("| files per load | quads | CPU-s | wall s | RocksDB threads CPU-s | peak RSS MB |")
        print("|---|---|---|---|---|---|")
        for group in dict.fromkeys((1, args.group, args.files)):
            out = subprocess.run(
                [sys.executable, __file__, "--one", str(group), "--folder", str(folder)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            r = json.loads(out.strip().splitlines()[-1])
            print(
                f"| {group} | {r['quads']:,} | {r['cpu_s']} | {r['wall_s']} | "
                f"{r['rocksdb_cpu_s']} | {r['peak_rss_mb']:,} |"
            )


if __name__ == "__main__":
    main()
