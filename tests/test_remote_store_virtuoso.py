"""srkb on Virtuoso (Debian's virtuoso-opensource), started here: what works, what differs.

Measured here (docs/remote-store.md has the table):
* reading works: with a knowledge base in Virtuoso, `srkb serve --store` answers the
  seed's provenance queries, `srkb texts` and `srkb dump` work (Virtuoso's own system
  graphs are left out: srkb keeps to the graphs under its base IRI);
* small writes go through (a text's graph with its journal entries, in one request);
  a large one does not: Virtuoso compiles a SPARQL Update request to SQL and refuses one
  past about 10,000 lines of it (error SP031), which the first write into an empty
  knowledge base (the ontology and gazetteer graphs) and large batches exceed. srkb
  refuses in one line and writes nothing rather than split a transaction over several
  requests. Load Virtuoso with its bulk loader (as here) from `srkb dump`, ingest with
  `--batch 1`, or keep Oxigraph or Fuseki as the store srkb writes to.
"""

from __future__ import annotations

import json
import re
import subprocess
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kb.named_queries import bind, get_named_query

from .conftest import LiveServer, SparqlServer, run_srkb, start_server, start_virtuoso_server

pytestmark = pytest.mark.slow

STAMP = re.compile(r'"\d{4}-\d\d-\d\dT[^"]*"\^\^<http://www.w3.org/2001/XMLSchema#dateTime>')


def env(server: SparqlServer) -> dict[str, str]:
    return {"SRKB_STORE": server.query_url, "SRKB_STORE_UPDATE": server.update_url}


@pytest.fixture(scope="module")
def virtuoso(
    tmp_path_factory: pytest.TempPathFactory, seed_path: Path
) -> Iterator[tuple[SparqlServer, Path]]:
    folder = tmp_path_factory.mktemp("virtuoso")
    server = start_virtuoso_server(folder / "db")
    embedded = folder / "embedded"
    assert run_srkb("ingest", str(seed_path), data=embedded).returncode == 0
    dump = run_srkb("dump", "--format", "nquads", data=embedded)
    (folder / "db" / "seed.nq").write_text(dump.stdout, encoding="utf-8")
    sql_port = server.sql_port
    loaded = subprocess.run(
        [
            "isql-vt",
            str(sql_port),
            "dba",
            "dba",
            "exec=ld_dir('.', 'seed.nq', 'http://example.org/none'); rdf_loader_run(); checkpoint;",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=folder / "db",
    )
    assert loaded.returncode == 0, loaded.stderr
    yield server, embedded
    server.stop()


def masked(nquads: str) -> list[str]:
    return sorted(STAMP.sub("TIME", x) for x in nquads.splitlines() if x)


def test_srkb_reads_a_knowledge_base_held_by_virtuoso(
    virtuoso: tuple[SparqlServer, Path], tmp_path: Path
) -> None:
    server, embedded = virtuoso
    listed = run_srkb("--store", server.query_url, "texts", data=tmp_path)
    assert listed.returncode == 0 and "seed-article-comments.txt" in listed.stdout
    remote = run_srkb("--store", server.query_url, "dump", "--format", "nquads", data=tmp_path)
    local = run_srkb("dump", "--format", "nquads", data=embedded)
    assert masked(remote.stdout) == masked(local.stdout)  # its system graphs left out


@pytest.fixture(scope="module")
def served(
    virtuoso: tuple[SparqlServer, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("virtuoso-serve")
    server = start_server(folder / "local", folder / "serve.stderr", env=env(virtuoso[0]))
    yield server
    server.stop()


@pytest.mark.parametrize("name", ["who-said-what", "claim-credibility"])
def test_srkb_serve_answers_provenance_queries_from_virtuoso(served: LiveServer, name: str) -> None:
    data = urllib.parse.urlencode({"query": bind(get_named_query(name), {})}).encode()
    request = urllib.request.Request(
        served.sparql_url, data=data, headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(request, timeout=60) as resp:
        assert json.loads(resp.read())["results"]["bindings"]


def test_small_writes_go_through_and_a_large_one_is_refused_whole(
    virtuoso: tuple[SparqlServer, Path], tmp_path: Path
) -> None:
    server, _ = virtuoso
    text = tmp_path / "note.txt"
    text.write_text("Reuters said the convoy reached Kobani on Monday.\n", encoding="utf-8")
    done = run_srkb("ingest", str(text), data=tmp_path / "local", env=env(server))
    assert done.returncode == 0, done.stderr
    listed = run_srkb("--store", server.query_url, "texts", data=tmp_path)
    assert "(2 rows)" in listed.stdout  # the seed and the note
    # Into an empty Virtuoso the first write carries the ontology and gazetteer graphs in
    # one request, past Virtuoso's limit.
    fresh = start_virtuoso_server(tmp_path / "fresh")
    try:
        refused = run_srkb("ingest", str(text), data=tmp_path / "other", env=env(fresh))
        assert refused.returncode == 1 and "Traceback" not in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1 and "SP031" in refused.stderr
        ask = 'ASK { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "http://127.0.0.1")) }'
        url = fresh.query_url + "?" + urllib.parse.urlencode({"query": ask})
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=30) as resp:
            assert json.loads(resp.read())["boolean"] is False  # nothing half-written
    finally:
        fresh.stop()
