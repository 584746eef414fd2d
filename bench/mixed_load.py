"""A bad day for the endpoint: many clients on named queries and pages, plus runaway queries.

    python bench/mixed_load.py --data DIR [--clients 50] [--seconds 60] [--runaways 4] [--write]

Issue 11's load check. Starts `srkb serve` on DIR (an existing knowledge base, e.g. the
10,000-document one from bench/synthetic_corpus.py) with its default settings, then for
``--seconds``:

* ``--clients`` client threads, each on its own keep-alive connection, send requests drawn
  from a mix of every named query (parameters bound to entities of the store) and every
  page kind (home, search, entity, claim, document pages, the service description);
* ``--runaways`` threads keep one runaway query each in flight (a cross product that runs
  far past the time limit, so the server must stop it: 503 E408), resending at once;
* one probe thread sends a simple ASK every 0.2 s and records its latency.

It reports, per request kind, how many were sent and their statuses and p50/p95/p99, the
5xx that are not deliberate (a deliberate one is a 503 with code E408, E409 or E503: a
limit doing its job), and the probe's p99. ``--write`` appends the table to
docs/benchmarks.md. Runs on loopback, stops the server itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.endpoint_load import free_port, machine, wait_http  # noqa: E402
from kb.named_queries import bind, named_queries  # noqa: E402

DELIBERATE = {"E408", "E409", "E503"}
ERROR_CODE = re.compile(rb"<code>(E\d{3})</code>")
WIDE = " ".join(str(i) for i in range(600))
RUNAWAY = (
    f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?a {{ {WIDE} }} VALUES ?b {{ {WIDE} }} "
    f"VALUES ?c {{ {WIDE} }} FILTER(?a + ?b > ?c) }}"
)
PROBE = "ASK { GRAPH ?g { ?s ?p ?o } }"
SAMPLE = """
PREFIX srkb: <https://w3id.org/srkb/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?kind ?x ?label WHERE {
  { SELECT ?x ?label ("entity" AS ?kind) WHERE {
      GRAPH ?g { ?x skos:prefLabel ?label } FILTER(CONTAINS(STR(?x), "/entity/")) } LIMIT 300 }
  UNION { SELECT ?x ("claim" AS ?kind) WHERE { GRAPH ?g { ?x a srkb:Claim } } LIMIT 300 }
  UNION { SELECT ?x ("text" AS ?kind) WHERE { GRAPH ?g { ?x a srkb:SourceText } } LIMIT 300 }
}"""


def request(
    conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None, accept: str
) -> tuple[int, str]:
    headers = {"Accept": accept}
    if body is not None:
        headers["Content-Type"] = "application/sparql-query"
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    code = ""
    if resp.status >= 400:
        try:
            code = json.loads(data).get("error", "")
        except ValueError:  # an HTML error page: its code is in <code>E...</code>
            found = ERROR_CODE.search(data)
            code = found.group(1).decode() if found else ""
    return resp.status, code


def sparql(port: int, query: str) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request(
        "POST",
        "/sparql",
        body=query.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
    )
    return json.loads(conn.getresponse().read())


def build_mix(port: int, base: str) -> list[tuple[str, str, str, bytes | None, str]]:
    """(kind, method, path, body, accept) for every named query and page kind."""
    rows = sparql(port, SAMPLE)["results"]["bindings"]
    entities = [r for r in rows if r["kind"]["value"] == "entity"]
    claims = [r["x"]["value"] for r in rows if r["kind"]["value"] == "claim"]
    texts = [r["x"]["value"] for r in rows if r["kind"]["value"] == "text"]
    name = entities[0]["label"]["value"] if entities else "Reuters"
    html = "text/html"
    mix: list[tuple[str, str, str, bytes | None, str]] = [
        ("page: home", "GET", "/", None, html),
        ("page: sparql description", "GET", "/sparql", None, "text/turtle"),
    ]
    # 300 different pages of each kind: more than a worker keeps memoised (server.lookup)
    for e in entities:
        label = urllib.parse.quote(e["label"]["value"])
        mix.append(("page: search", "GET", f"/search?q={label}", None, html))
        mix.append(("page: entity", "GET", "/" + e["x"]["value"][len(base) :], None, html))
    mix += [("page: claim", "GET", "/" + c[len(base) :], None, html) for c in claims]
    mix += [("page: document", "GET", "/" + t[len(base) :], None, html) for t in texts]
    for query in named_queries().values():
        values = {}
        for param in query.params:
            if param.name in ("actor", "source", "speaker"):
                values[param.name] = name
            elif param.name == "subject" and claims:
                values[param.name] = claims[0]
        try:
            text = bind(query, values)
        except Exception:  # noqa: BLE001 - a parameter this mix cannot fill: skip the query
            continue
        mix.append((f"query: {query.name}", "POST", "/sparql", text.encode(), "application/json"))
    return mix


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--runaways", type=int, default=4)
    parser.add_argument("--write", action="store_true")
    parser.add_argument(
        "--access-log",
        action="store_true",
        help="keep the server's access log (in mixed_load.serve.log beside DIR): where each "
        "request waited (queued_ms for a turn, pool_wait_ms for a query process)",
    )
    args = parser.parse_args()

    port = free_port()
    base = "http://127.0.0.1:8000/"
    log = open(args.data.parent / "mixed_load.serve.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "kb.cli", "--data", str(args.data), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=log,
        cwd=ROOT,
        env={
            **__import__("os").environ,
            "SRKB_ACCESS_LOG": "true" if args.access_log else "false",
        },
    )
    started = time.monotonic()
    try:
        wait_http(port, "/healthz", timeout=600)
        start_s = time.monotonic() - started
        mix = build_mix(port, base)
        # a kind is drawn first (each page kind 10 times as often as one named query, as
        # people browse more than they query), then one of its requests
        by_kind: dict[str, list[tuple[str, str, str, bytes | None, str]]] = defaultdict(list)
        for item in mix:
            by_kind[item[0]].append(item)
        kinds = sorted(by_kind)
        weights = [min(10, len(by_kind[k])) for k in kinds]
        stats: dict[str, list[tuple[int, str, float]]] = defaultdict(list)
        lock = threading.Lock()
        stop_at = time.monotonic() + args.seconds

        def client(seed: int) -> None:
            rng = random.Random(seed)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            mine = []
            while time.monotonic() < stop_at:
                kind = rng.choices(kinds, weights)[0]
                _, method, path, body, accept = rng.choice(by_kind[kind])
                t = time.perf_counter()
                try:
                    status, code = request(conn, method, path, body, accept)
                except (OSError, http.client.HTTPException) as exc:
                    status, code = 599, type(exc).__name__
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                mine.append((kind, status, code, time.perf_counter() - t))
            with lock:
                for kind, status, code, s in mine:
                    stats[kind].append((status, code, s))

        def runaway() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            while time.monotonic() < stop_at:
                t = time.perf_counter()
                status, code = request(conn, "POST", "/sparql", RUNAWAY.encode(), "*/*")
                with lock:
                    stats["runaway query"].append((status, code, time.perf_counter() - t))

        def probe() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            while time.monotonic() < stop_at:
                t = time.perf_counter()
                status, code = request(conn, "POST", "/sparql", PROBE.encode(), "application/json")
                with lock:
                    stats["probe: simple ASK"].append((status, code, time.perf_counter() - t))
                time.sleep(0.2)

        threads = [threading.Thread(target=runaway) for _ in range(args.runaways)]
        threads += [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        threads.append(threading.Thread(target=probe))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.terminate()
        server.wait(30)
        log.close()

    def pct(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    lines = [
        "| kind | requests | 2xx | deliberate 503 | other 4xx | other 5xx | p50 ms | p95 ms "
        "| p99 ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    bad_total = 0
    for kind in sorted(stats):
        rows = stats[kind]
        ok = sum(1 for s, _, _ in rows if s < 300)
        deliberate = sum(1 for s, c, _ in rows if s == 503 and c in DELIBERATE)
        four = sum(1 for s, _, _ in rows if 400 <= s < 500)
        bad = sum(1 for s, c, _ in rows if s >= 500 and not (s == 503 and c in DELIBERATE))
        bad_total += bad
        lat = [x for _, _, x in rows]
        lines.append(
            f"| {kind} | {len(rows)} | {ok} | {deliberate} | {four} | {bad} | "
            f"{pct(lat, 0.5):.0f} | {pct(lat, 0.95):.0f} | {pct(lat, 0.99):.0f} |"
        )
    probe_lat = [x for _, _, x in stats["probe: simple ASK"]]
    summary = (
        f"{sum(len(v) for v in stats.values())} requests in {args.seconds:g} s from "
        f"{args.clients} clients and {args.runaways} runaway loops; server ready "
        f"{start_s:.1f} s after start; non-deliberate 5xx: {bad_total}; simple ASK p99 "
        f"{pct(probe_lat, 0.99):.0f} ms (median {statistics.median(probe_lat) * 1000:.0f} ms)."
    )
    table = "\n".join(lines)
    print(table)
    print(summary)
    if args.write:
        out = ROOT / "docs" / "benchmarks.md"
        with out.open("a", encoding="utf-8") as f:
            f.write(
                f"\n## Mixed load with runaway queries (`python bench/mixed_load.py --data "
                f"{args.data} --clients {args.clients} --seconds {args.seconds:g} --runaways "
                f"{args.runaways}`, {datetime.now(UTC).date()})\n\nMachine: {machine()}.\n\n"
                f"{table}\n\n{summary}\n"
            )


if __name__ == "__main__":
    main()
