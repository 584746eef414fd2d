"""Benchmark: srkb at 1,000, 10,000 and 100,000 documents, end to end, as a user runs it.

For one corpus size (bench/synthetic_corpus.py writes the documents, cached under
``bench/.cache/``), in this order:

1. ``srkb ingest CORPUS`` into a fresh data directory (extraction included): wall time,
   documents/s and quads/s, peak memory (the whole process tree, sampled every 0.2 s,
   and its largest process), the store's size on disk;
2. ``srkb ingest`` of the next 100 documents into that store (incremental): wall time,
   and, for comparison, the time to extract those 100 documents alone;
3. ``srkb dump --format nquads``: wall time, peak memory, size;
4. ``srkb serve``: seconds until ``/healthz`` answers, memory at rest (after steps 5 and 6
   and concurrent searches on every worker, once the release's dump writer has ended;
   RSS and PSS, summed and per process; the sums before it ended too);
5. every named query with its documented example parameters, over HTTP with the default
   limits (``GET /queries/NAME``, JSON) and through the CLI's query path (the store
   opened once, ``kb.query.run_local`` then the table the CLI prints): median and 95th
   percentile of ``--repeat`` runs after a warm-up;
6. every page kind over HTTP (search, actor, source, claim, document, home): the same.

The figures go to ``bench/.cache/scale-N.json``; ``--report`` writes the tables of every
size measured so far into docs/benchmarks.md and the plot of latency against size into
docs/benchmarks-latency.png.

    python bench/scale.py --docs 10000
    python bench/scale.py --report
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

CACHE = ROOT / "bench" / ".cache"
SRKB = [sys.executable, "-m", "kb.cli"]
BASE = "http://127.0.0.1:8000/"
INCREMENT = 100

NAMED = {  # named query -> the example parameters it is timed with
    "actor-profile": {"actor": "Hezbollah"},
    "claim-credibility": {},
    "contradicted-claims": {},
    "single-source-claims": {},
    "source-relayed": {"source": "Reuters"},
    "source-reliability": {"source": "Reuters"},
    "triple-provenance": {"subject": BASE + "entity/reuters"},
    "who-said-what": {},
}


# --------------------------------------------------------------------------- processes
def _tree(pid: int) -> list[int]:
    """The process and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _rollup_mb(pid: int) -> dict[str, float]:
    """A process's memory from /proc/PID/smaps_rollup (MB): ``rss`` counts every page it
    maps, shared ones too; ``pss`` shares each page among the processes mapping it, so a
    process tree's PSS adds up to what the machine really gives it; ``pss_anon`` is the
    part not backed by files (the heap)."""
    keys = {"Rss:": "rss", "Pss:": "pss", "Pss_Anon:": "pss_anon"}
    out = dict.fromkeys(keys.values(), 0.0)
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            key = line.split(":", 1)[0] + ":"
            if key in keys:
                out[keys[key]] = int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return out


def _role(pid: int) -> str:
    """What a process of ``srkb serve``'s tree is, from its command line."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "gone"
    text = " ".join(a.decode(errors="replace") for a in argv if a)
    if "multiprocessing" in text and "resource_tracker" in text:
        return "resource tracker"
    if "multiprocessing" in text:
        return "query process"
    if "kb.release_dump" in text:
        return "dump writer"
    return "gunicorn"


def memory_at_rest(root: int) -> dict[str, object]:
    """The memory of a process tree: RSS and PSS summed over its processes, and each
    process's own figures. The RSS sum counts the pages forked processes share once per
    process; the PSS sum counts each page once."""
    processes = []
    for pid in _tree(root):
        figures = _rollup_mb(pid)
        if figures["rss"]:
            processes.append({"pid": pid, "role": _role(pid), **figures})
    return {
        "rss_mb": sum(p["rss"] for p in processes),
        "pss_mb": sum(p["pss"] for p in processes),
        "processes": processes,
    }


def wait_for_dump_writer(root: int, limit_s: float = 1800.0) -> float:
    """Wait until no dump writer runs in the process tree (at most ``limit_s``); returns
    the seconds waited (0.0 when none ran)."""
    started = time.perf_counter()
    while any(_role(pid) == "dump writer" for pid in _tree(root)):
        if time.perf_counter() - started > limit_s:
            raise SystemExit(f"the release's dump writer ran for more than {limit_s:.0f} s")
        time.sleep(1)
    return time.perf_counter() - started


@dataclass
class Sampler:
    """Samples the memory of a process tree until stopped: peak of the sum, of one."""

    pid: int
    peak_tree_mb: float = 0.0
    peak_one_mb: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            sizes = [_rss_mb(p) for p in _tree(self.pid)]
            self.peak_tree_mb = max(self.peak_tree_mb, sum(sizes))
            self.peak_one_mb = max(self.peak_one_mb, max(sizes, default=0.0))
            self._stop.wait(0.2)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run_measured(cmd: list[str], **kwargs: object) -> tuple[float, Sampler, str]:
    """Run a command to its end: (seconds, memory sampler, stdout)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT, **kwargs)  # type: ignore[call-overload]
    sampler = Sampler(proc.pid)
    out, _ = proc.communicate()
    sampler.stop()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed with {proc.returncode}")
    return time.perf_counter() - started, sampler, out


def du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


# --------------------------------------------------------------------------- timing
def percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000}


def timed_get(url: str, repeat: int, accept: str) -> dict[str, float]:
    def get() -> int:
        request = urllib.request.Request(url, headers={"Accept": accept})
        with urllib.request.urlopen(request, timeout=120) as resp:
            resp.read()
            return int(resp.status)

    status = get()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        status = get()
        times.append(time.perf_counter() - started)
    return {**percentiles(times), "status": status}


# --------------------------------------------------------------------------- steps
def run_ingest(data: Path, inputs: Path, log: Path | None) -> tuple[float, Sampler, str]:
    """``srkb ingest`` measured; with ``log``, at debug level (each phase's timings) with
    its log written there."""
    if log is None:
        return run_measured([*SRKB, "--data", str(data), "ingest", str(inputs)])
    with log.open("w", encoding="utf-8") as stderr:
        return run_measured(
            [*SRKB, "-vv", "--data", str(data), "ingest", str(inputs)], stderr=stderr
        )


def ingest(docs: int, data: Path, corpus: Path, log: Path | None = None) -> dict[str, object]:
    """``srkb ingest`` of the corpus into a fresh store; with ``log``, at debug level
    (the phases' timings) with its log written there."""
    shutil.rmtree(data, ignore_errors=True)
    seconds, mem, out = run_ingest(data, corpus, log)
    quads = int(out.split("holds ")[1].split()[0])
    return {
        "documents": docs,
        "seconds": seconds,
        "docs_per_s": docs / seconds,
        "quads": quads,
        "quads_per_s": quads / seconds,
        "quads_per_doc": quads / docs,
        "peak_tree_mb": mem.peak_tree_mb,
        "peak_process_mb": mem.peak_one_mb,
        "store_mb": du_mb(data / "store"),
        "derived_mb": du_mb(data / "derived"),
    }


def increment(
    docs: int, data: Path, start: int | None = None, log: Path | None = None
) -> dict[str, object]:
    """Ingest the INCREMENT synthetic documents from number ``start`` (default: those
    after the corpus) into the store, timed, and their extraction alone, timed; with
    ``log``, at debug level (each step's timings) with its log written there."""
    from synthetic_corpus import resume

    first = docs if start is None else start
    extra = CACHE / f"increment-{docs}"
    shutil.rmtree(extra, ignore_errors=True)
    extra.mkdir(parents=True)
    new = resume(CACHE / f"corpus-{docs}", first, INCREMENT)
    for i, doc in enumerate(new):
        (extra / f"doc-{first + i:06d}.txt").write_text(json.dumps(doc), encoding="utf-8")
    seconds, mem, out = run_ingest(data, extra, log)
    code = (
        "import sys,time,json,pathlib;from kb.extract import extract_document;"
        "docs=[json.loads(p.read_text()) for p in sorted(pathlib.Path(sys.argv[1]).iterdir())];"
        "t=time.perf_counter();[extract_document(d) for d in docs];"
        "print(time.perf_counter()-t)"
    )
    extract_s = float(
        subprocess.run(
            [sys.executable, "-c", code, str(extra)], capture_output=True, text=True, check=True
        ).stdout
    )
    return {
        "documents": INCREMENT,
        "first": first,
        "seconds": seconds,
        "extraction_only_s": extract_s,
        "peak_tree_mb": mem.peak_tree_mb,
        "summary": out.strip(),
    }


def dump(data: Path) -> dict[str, object]:
    target = CACHE / "dump.nq"
    seconds, mem, _ = run_measured(
        [*SRKB, "--data", str(data), "dump", "--format", "nquads", "-o", str(target)]
    )
    size = target.stat().st_size / 1e6
    target.unlink()
    return {"seconds": seconds, "peak_tree_mb": mem.peak_tree_mb, "size_mb": size}


def cli_queries(data: Path, repeat: int) -> dict[str, dict[str, float]]:
    """The CLI's query path on a store opened once (process start and store open aside)."""
    from kb.config import Settings
    from kb.named_queries import bind, get_named_query
    from kb.query import render_result, run_local
    from kb.store import KnowledgeBase

    settings = Settings.from_env(data_dir=data)
    out = {}
    with KnowledgeBase.open(data, read_only=True) as kb:
        for name, params in NAMED.items():
            text = bind(get_named_query(name), params)
            times, rows = [], 0
            for i in range(repeat + 1):
                started = time.perf_counter()
                table = render_result(run_local(kb, text, settings), "table")
                if i:
                    times.append(time.perf_counter() - started)
                rows = table.count("\n") - 3
            out[name] = {**percentiles(times), "rows": rows}
    return out


def distinct_pages(data: Path, count: int) -> dict[str, list[str]]:
    """For each rich page kind, ``count`` different IRIs (from the claim index): the
    busiest sources and speakers, and claims, articles and comments spread over the store.
    Each is requested once, so none is answered from the server's memo of page views."""
    import sqlite3

    db = sqlite3.connect(f"file:{data / 'derived' / 'claims.sqlite'}?mode=ro", uri=True)
    try:

        def top(column: str) -> list[str]:
            rows = db.execute(
                f"SELECT {column}, COUNT(*) AS n FROM claims WHERE {column} IS NOT NULL "  # noqa: S608
                f"GROUP BY {column} ORDER BY n DESC LIMIT ?",
                (count,),
            )
            return [r[0] for r in rows]

        total = db.execute("SELECT MAX(id) FROM claims").fetchone()[0] or 1
        step = max(1, total // count)
        claims = db.execute(
            "SELECT iri, document FROM claims WHERE id % ? = 0 LIMIT ?", (step, count)
        ).fetchall()
        sources, actors = top("via"), top("speaker")
    finally:
        db.close()
    documents = [d for _, d in claims]
    return {
        "source (busiest relays)": sources,
        "actor (busiest speakers)": actors,
        "claim": [c for c, _ in claims],
        "document: article": [d for d in documents if "/comment" not in d],
        "document: comment": [d for d in documents if "/comment" in d],
    }


def timed_first(urls: list[str], accept: str) -> dict[str, float]:
    """Each URL requested once: p50/p95 over the distinct pages."""
    times = []
    status = 0
    for url in urls:
        started = time.perf_counter()
        with urllib.request.urlopen(
            urllib.request.Request(url, headers={"Accept": accept}), timeout=120
        ) as resp:
            resp.read()
            status = int(resp.status)
        times.append(time.perf_counter() - started)
    return {**percentiles(times), "status": status, "pages": len(urls)}


SEARCHES = ("Daesh", "civilians killed", "Reuters", "almasdar", "joint operation", "Hezbollah")


def search_on_every_worker(url: str) -> None:
    """Concurrent searches (8 at once, 60 in all): each gunicorn worker answers some, so
    the memory at rest is that of a server whose every worker has searched."""

    def get(q: str) -> None:
        with urllib.request.urlopen(
            url + "search?q=" + urllib.parse.quote_plus(q), timeout=120
        ) as r:
            r.read()

    with ThreadPoolExecutor(8) as pool:
        for _ in range(5):
            list(pool.map(get, SEARCHES * 2))


def serve_and_time(data: Path, repeat: int) -> dict[str, object]:
    from kb.store import KnowledgeBase
    from kb.views import entity_view

    with KnowledgeBase.open(data, read_only=True) as kb:
        reuters = entity_view(kb, BASE + "entity/reuters")
        assert reuters is not None and reuters.relayed, "no Reuters claims to time"
        claim = reuters.relayed[0]
        comment = next((j.comment.iri for j in reuters.judgements), claim.document.iri)
    port = 18000 + os.getpid() % 1000
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*SRKB, "--data", str(data), "serve", "--port", str(port)],
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "SRKB_ACCESS_LOG": "0"},
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        while True:
            try:
                with urllib.request.urlopen(url + "healthz", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.perf_counter() - started > 600:
                raise SystemExit("srkb serve did not start")
            time.sleep(0.05)
        ready_s = time.perf_counter() - started
        local = lambda iri: url + iri.removeprefix(BASE)  # noqa: E731
        pages = {
            "home": url,
            "search: alias": url + "search?q=Daesh",
            "search: words": url + "search?q=civilians+killed",
            "actor: Hezbollah": url + "entity/hezbollah",
            "source: Reuters": url + "entity/reuters",
            "claim": local(claim.iri),
            "document: article": local(claim.document.iri),
            "document: comment": local(comment),
        }
        html = "text/html"
        page_times = {name: timed_get(u, repeat, html) for name, u in pages.items()}
        first_times = {
            name: timed_first([local(i) for i in iris], html)
            for name, iris in distinct_pages(data, repeat).items()
            if iris
        }
        query_times = {
            name: timed_get(
                url + f"queries/{name}?" + urllib.parse.urlencode(params),
                repeat,
                "application/sparql-results+json",
            )
            for name, params in NAMED.items()
        }
        search_on_every_worker(url)
        time.sleep(1)
        busy = memory_at_rest(proc.pid)  # the release's dump may still be being written
        dump_wait_s = wait_for_dump_writer(proc.pid)
        at_rest = memory_at_rest(proc.pid) if dump_wait_s else busy
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return {
        "ready_s": ready_s,
        "rest_rss_mb": at_rest["rss_mb"],  # shared pages counted once per process
        "rest_pss_mb": at_rest["pss_mb"],  # each page counted once: what the machine gives
        "rest_processes": at_rest["processes"],
        # the same before the release's dump writer (a low-priority process the server
        # starts for a new release) had ended, and how long after that reading it ended
        "busy_rss_mb": busy["rss_mb"],
        "busy_pss_mb": busy["pss_mb"],
        "dump_writer_ended_after_s": dump_wait_s,
        "pages": page_times,
        "pages_distinct": first_times,
        "named_http": query_times,
    }


def measure(docs: int, repeat: int) -> Path:
    from synthetic_corpus import write_corpus

    corpus = write_corpus(docs, CACHE / f"corpus-{docs}")
    data = CACHE / f"kb-{docs}"
    result: dict[str, object] = {
        "docs": docs,
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "load_before": os.getloadavg(),
    }
    print(f"ingesting {docs} documents ...", file=sys.stderr)
    result["ingest"] = ingest(docs, data, corpus)
    print(f"  {result['ingest']}", file=sys.stderr)
    result["increment"] = increment(docs, data)
    print(f"  {result['increment']}", file=sys.stderr)
    result["dump"] = dump(data)
    result["cli"] = cli_queries(data, repeat)
    result["serve"] = serve_and_time(data, repeat)
    result["load_after"] = os.getloadavg()
    out = CACHE / f"scale-{docs}.json"
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, help="corpus size to measure")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per query/page")
    parser.add_argument(
        "--ingest-log",
        type=Path,
        help="with --ingest-only: run the ingest at debug level, its log to this file (and "
        "the 100 more documents' to the same name with .increment.log)",
    )
    parser.add_argument("--report", action="store_true", help="write docs/benchmarks.md")
    parser.add_argument(
        "--serve-only",
        action="store_true",
        help="measure the server again on the store --docs built (replaces its serve figures)",
    )
    parser.add_argument(
        "--increment-from",
        type=int,
        metavar="N",
        help="measure adding 100 documents again, synthetic documents N to N+99 (ones the "
        "store --docs built does not hold yet; replaces its increment figures)",
    )
    parser.add_argument(
        "--ingest-only",
        action="store_true",
        help="measure only steps 1 and 2 (ingest, then 100 more documents), into "
        "bench/.cache/scale-N-ingest.json",
    )
    args = parser.parse_args()
    if args.docs and args.ingest_only:
        from synthetic_corpus import write_corpus

        data = CACHE / f"kb-{args.docs}"
        result = {
            "docs": args.docs,
            "load_before": os.getloadavg(),
            "ingest": ingest(
                args.docs,
                data,
                write_corpus(args.docs, CACHE / f"corpus-{args.docs}"),
                args.ingest_log,
            ),
        }
        print(f"  {result['ingest']}", file=sys.stderr)
        increment_log = args.ingest_log.with_suffix(".increment.log") if args.ingest_log else None
        result["increment"] = increment(args.docs, data, log=increment_log)
        print(f"  {result['increment']}", file=sys.stderr)
        result["load_after"] = os.getloadavg()
        out = CACHE / f"scale-{args.docs}-ingest.json"
        out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    elif args.docs and args.increment_from is not None:
        out = CACHE / f"scale-{args.docs}.json"
        result = json.loads(out.read_text(encoding="utf-8"))
        result["increment"] = increment(args.docs, CACHE / f"kb-{args.docs}", args.increment_from)
        result["increment_load"] = os.getloadavg()
        out.write_text(json.dumps(result, indent=1), encoding="utf-8")
        print(f"  {result['increment']}", file=sys.stderr)
    elif args.docs and args.serve_only:
        out = CACHE / f"scale-{args.docs}.json"
        result = json.loads(out.read_text(encoding="utf-8"))
        result["serve"] = serve_and_time(CACHE / f"kb-{args.docs}", args.repeat)
        result["serve_load"] = os.getloadavg()
        out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    elif args.docs:
        measure(args.docs, args.repeat)
    if args.report:
        from scale_report import write_report

        write_report(CACHE, ROOT / "docs")


if __name__ == "__main__":
    main()
