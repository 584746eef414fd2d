"""Benchmark: which embedded store should srkb use? rdflib's memory store, rdflib over
Oxigraph (oxrdflib), or pyoxigraph's on-disk store directly.

Each backend runs in its own process (clean memory figures) on the same srkb-shaped
data: texts written from the project's own templates, run through the real extractor
and RDF builder (setup, not timed). Measured: load rate, resident memory after load,
size on disk, and the latency of three provenance queries (median of repeated runs).

    python bench/store_choice.py --texts 1000

Results are written down in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

QUERIES = {
    "claim_provenance": """
        PREFIX srkb: <https://w3id.org/srkb/ontology#>
        PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
        SELECT ?speaker ?via ?doc ?b ?e WHERE { GRAPH ?g {
          <CLAIM> srkb:inDocument ?doc ; srkb:evidence ?span .
          OPTIONAL { <CLAIM> srkb:speaker ?speaker } OPTIONAL { <CLAIM> srkb:relayedBy ?via }
          ?span nif:beginIndex ?b ; nif:endIndex ?e } }""",
    "claims_by_speaker_label": """
        PREFIX srkb: <https://w3id.org/srkb/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?claim ?content WHERE {
          GRAPH ?g1 { ?speaker skos:prefLabel "LABEL" }
          GRAPH ?g2 { ?claim srkb:speaker ?speaker ; srkb:content ?content } }""",
    "claims_per_source": """
        PREFIX srkb: <https://w3id.org/srkb/ontology#>
        SELECT ?via (COUNT(?c) AS ?n) WHERE { GRAPH ?g { ?c srkb:relayedBy ?via } }
        GROUP BY ?via ORDER BY DESC(?n) LIMIT 10""",
}

PEOPLE = [
    "Rojhat Amed",
    "Salim Haddad",
    "Olena Kravets",
    "Yusuf Karim",
    "Nadia Rahman",
    "Tomas Weller",
    "Mariam Saleh",
    "Ivan Petrenko",
]
TITLES = ["spokesman", "commander", "co-chair of the local council", "deputy minister"]
SOURCES = ["Reuters", "AFP", "Al-Masdar News", "SANA", "Rudaw", "the Associated Press"]
ACTORS = [
    "the SDF",
    "ISIS",
    "the Syrian Arab Army",
    "the PMU",
    "Turkish forces",
    "the IDF",
    "Hezbollah",
    "the Houthis",
    "Russian forces",
    "Ukrainian troops",
]
PLACES = [
    "the river crossing",
    "the northern district",
    "the border town",
    "the airport road",
    "the dam",
    "the old market",
]
COMMENTS = [
    "I read {s} every day and it is a reliable source.",
    "{s} is pure propaganda, don't trust it.",
    "Why would {a} do that?",
    "I think you are wrong about this, mate.",
    "Good article, thanks.",
    "{s} lies about casualties but is good on territory.",
]


def synthetic_text(rng: random.Random, i: int) -> str:
    lines = []
    for _ in range(6):
        person, title = rng.choice(PEOPLE), rng.choice(TITLES)
        lines.append(
            f"On April {rng.randint(1, 28)}, {title} {person} told {rng.choice(SOURCES)} that "
            f"{rng.choice(ACTORS)} may launch an operation near {rng.choice(PLACES)}. "
            f"{rng.choice(ACTORS).capitalize()} controls {rng.choice(PLACES)}, according to local "
            "sources."
        )
    for _ in range(35):
        lines.append(rng.choice(COMMENTS).format(s=rng.choice(SOURCES), a=rng.choice(ACTORS)))
    lines.append(f"Report number {i}.")
    return "\n".join(lines) + "\n"


def make_data(n_texts: int, out: Path) -> dict[str, object]:
    """Extract and build n texts; write one N-Quads file; return query parameters."""
    from kb.build import build_text_graph
    from kb.extract import extract
    from kb.store import rdflib_to_quads

    rng = random.Random(7)
    claim = None
    with out.open("w", encoding="utf-8") as fh:
        for i in range(n_texts):
            ex = extract(synthetic_text(rng, i))
            built = build_text_graph(
                ex,
                base_iri="http://bench.example/",
                source_name=f"t{i}",
                version="bench",
                when=datetime(2026, 1, 1, tzinfo=UTC),
            )
            for q in rdflib_to_quads(built.graph, str(built.graph_iri)):
                fh.write(f"{q.subject} {q.predicate} {q.object} {q.graph_name} .\n")
            if claim is None:
                claims = [c for c in ex.claims if c.speaker]
                if claims:
                    c = claims[0]
                    from kb.iri import IriMinter

                    claim = str(
                        IriMinter("http://bench.example/").claim(
                            built.text_id, c.span.start, c.span.end, c.cue.start
                        )
                    )
    return {"claim": claim or "http://bench.example/none", "label": "Rojhat Amed"}


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def run_backend(name: str, data: Path, params: dict[str, str], work: Path) -> dict[str, object]:
    queries = {
        k: q.replace("CLAIM", params["claim"]).replace("LABEL", params["label"])
        for k, q in QUERIES.items()
    }
    rss0 = rss_mb()
    t0 = time.perf_counter()
    if name == "pyoxigraph-disk":
        import pyoxigraph as ox

        store = ox.Store(str(work / "ox"))
        store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        store.flush()
        n = len(store)

        def ask(q: str) -> int:
            return sum(1 for _ in store.query(q))

        disk = dir_mb(work / "ox")
    else:
        from rdflib import Dataset

        if name == "rdflib-memory":
            ds = Dataset()
        else:  # rdflib with Oxigraph underneath
            ds = Dataset(store="Oxigraph")
        ds.parse(str(data), format="nquads")
        n = len(ds)
        load_only_s = time.perf_counter() - t0

        def ask(q: str) -> int:
            return sum(1 for _ in ds.query(q))

        if name == "rdflib-memory":  # persistence = writing the dataset out again
            t_save = time.perf_counter()
            ds.serialize(str(work / "kb.trig"), format="trig")
            disk = dir_mb(work)
            save_s = time.perf_counter() - t_save
        else:
            disk = float("nan")
    load_s = time.perf_counter() - t0 if name == "pyoxigraph-disk" else load_only_s
    result: dict[str, object] = {
        "backend": name,
        "quads": n,
        "load_s": round(load_s, 2),
        "quads_per_s": round(n / load_s),
        "rss_mb": round(rss_mb() - rss0),
        "disk_mb": round(disk, 1),
    }
    if name == "rdflib-memory":
        result["save_trig_s"] = round(save_s, 2)
    for key, q in queries.items():
        t_warm = time.perf_counter()
        ask(q)  # warm
        if time.perf_counter() - t_warm > 60:
            result[f"{key}_ms"] = round((time.perf_counter() - t_warm) * 1000)
            result[f"{key}_rows"] = "single run"
            continue
        times = []
        for _ in range(5):
            t = time.perf_counter()
            rows = ask(q)
            times.append((time.perf_counter() - t) * 1000)
            if sum(times) > 60_000:  # a backend this slow needs no more samples
                break
        result[f"{key}_ms"] = round(statistics.median(times), 2)
        result[f"{key}_rows"] = rows
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--texts", type=int, default=1000)
    ap.add_argument("--timeout", type=int, default=600, help="seconds per backend")
    ap.add_argument("--backend", help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    ap.add_argument("--params", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.backend:  # child process
        with tempfile.TemporaryDirectory() as tmp:
            res = run_backend(args.backend, Path(args.data), json.loads(args.params), Path(tmp))
        print(json.dumps(res))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "kb.nq"
        t = time.perf_counter()
        params = make_data(args.texts, data)
        print(
            f"built {args.texts} texts in {time.perf_counter() - t:.1f}s "
            f"({data.stat().st_size / 1e6:.1f} MB of N-Quads)",
            file=sys.stderr,
        )
        rows = []
        for backend in ("pyoxigraph-disk", "rdflib-oxigraph", "rdflib-memory"):
            try:
                out = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--backend",
                        backend,
                        "--data",
                        str(data),
                        "--params",
                        json.dumps(params),
                    ],
                    capture_output=True,
                    text=True,
                    env={**os.environ, "PYTHONHASHSEED": "0"},
                    timeout=args.timeout,
                )
            except subprocess.TimeoutExpired:
                print(f"{backend}: gave up after {args.timeout} s", file=sys.stderr)
                rows.append({"backend": backend, "load_s": f"> {args.timeout} s in all"})
                continue
            if out.returncode != 0:
                print(f"{backend} failed: {out.stderr[-800:]}", file=sys.stderr)
                continue
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(json.dumps(rows[-1]), file=sys.stderr)
    keys = max((list(r) for r in rows), key=len) if rows else []
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for r in rows:
        print("| " + " | ".join(str(r.get(k, "")) for k in keys) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
