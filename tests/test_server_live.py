"""End to end: ingest the seed with the real CLI, run the real `srkb serve`, ask over HTTP.

SPARQLWrapper is the reference client here; the questions are the provenance questions
the knowledge base exists to answer (who said it, who relayed it, in which document and
character span, on which date). The same is asked through `srkb query --endpoint`.
Then what an operator relies on: one-line errors for a busy port or a missing store,
several workers on one snapshot, clean stops on SIGTERM and Ctrl-C.
"""

from __future__ import annotations

import http.client
import json
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

from .conftest import LiveServer, find_free_port, run_srkb, start_server

pytestmark = pytest.mark.slow

PREFIXES = """
PREFIX srkb: <https://w3id.org/srkb/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX nif:  <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>
"""

# Speaker and relay labels come from the gazetteer graph or from the text's own graph,
# whichever holds them, hence the separate GRAPH patterns.
CLAIMS = (
    PREFIXES
    + """
SELECT ?claim ?speakerName ?viaName ?doc ?docType ?begin ?end ?anchor ?text ?dateText ?date
WHERE {
  GRAPH ?g {
    ?claim a srkb:Claim ; srkb:inDocument ?doc ; srkb:evidence ?span .
    ?doc a ?docType . FILTER (?docType IN (srkb:Article, srkb:ReaderComment))
    ?span nif:anchorOf ?anchor .
    ?doc srkb:inSourceText ?source . ?source nif:isString ?text .
    BIND (STRAFTER(STR(?span), "#char=") AS ?chars)  # a span is its text#char=B,E
    BIND (xsd:integer(STRBEFORE(?chars, ",")) AS ?begin)
    BIND (xsd:integer(STRAFTER(?chars, ",")) AS ?end)
    FILTER (IRI(STRBEFORE(STR(?span), "#char=")) = ?source)
    OPTIONAL { ?claim srkb:dateText ?dateText }
    OPTIONAL { ?claim srkb:statementDate ?date }
  }
  OPTIONAL { GRAPH ?g { ?claim srkb:speaker ?speaker }
             GRAPH ?g2 { ?speaker skos:prefLabel ?speakerName } }
  OPTIONAL { GRAPH ?g { ?claim srkb:relayedBy ?via }
             GRAPH ?g3 { ?via skos:prefLabel ?viaName } }
}"""
)

UNNAMED = (
    PREFIXES
    + """
SELECT ?claim ?label ?anchor WHERE { GRAPH ?g {
  ?claim a srkb:Claim ; srkb:relayedBy ?via ; srkb:evidence/nif:anchorOf ?anchor .
  ?via a srkb:UnnamedSource ; skos:prefLabel ?label .
} }"""
)


@pytest.fixture(scope="module")
def seeded_data(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    data = tmp_path_factory.mktemp("live") / "data"
    done = run_srkb("ingest", str(seed_path), data=data)
    assert done.returncode == 0, done.stderr
    return data


@pytest.fixture(scope="module")
def server(seeded_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    stderr = tmp_path_factory.mktemp("live-log") / "serve.stderr"
    srv = start_server(seeded_data, stderr, workers=2)
    yield srv
    srv.stop()


def select(endpoint: str, query: str) -> list[dict[str, str]]:
    """Run a SELECT through SPARQLWrapper (JSON) and flatten the bindings to values."""
    wrapper = SPARQLWrapper(endpoint)
    wrapper.setQuery(query)
    wrapper.setReturnFormat(JSON)
    doc: Any = wrapper.query().convert()
    return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]


def test_startup_line_names_the_url_quads_and_release(server: LiveServer) -> None:
    lines = [ln for ln in server.stderr().splitlines() if ln.startswith("srkb: serving")]
    assert len(lines) == 1
    assert re.fullmatch(
        rf"srkb: serving {re.escape(server.url)} \({server.quads} quads, "
        r"release sha256:[0-9a-f]{64}, release \d+-\d+\)",
        lines[0],
    ), lines[0]
    assert server.quads > 0


def test_xelil_april_4_claim_relayed_by_reuters_with_its_span(
    server: LiveServer, seed_path: Path
) -> None:
    rows = select(server.sparql_url, CLAIMS)
    found = [
        r
        for r in rows
        if "Xelil" in r.get("speakerName", "")
        and r.get("viaName") == "Reuters"
        and "April 4" in r.get("dateText", "")
    ]
    assert found, rows
    row = found[0]
    assert row["docType"].endswith("#Article") and row["doc"].endswith("/article")
    begin, end = int(row["begin"]), int(row["end"])
    seed = seed_path.read_text(encoding="utf-8")
    assert row["text"] == seed
    assert seed[begin:end] == row["anchor"]
    assert "told Reuters" in row["anchor"]
    assert row["date"] == "--04-04"


def test_abadi_april_2_claim(server: LiveServer) -> None:
    rows = [r for r in select(server.sparql_url, CLAIMS) if "Abadi" in r.get("speakerName", "")]
    assert rows, "no claim by Haider Abadi"
    assert any("April 2" in r.get("dateText", "") or r.get("date") == "--04-02" for r in rows), rows


def test_claim_according_to_syrian_sources(server: LiveServer) -> None:
    rows = select(server.sparql_url, UNNAMED)
    hits = [r for r in rows if r["label"].lower() == "syrian sources"]
    assert hits, rows
    assert any("according to Syrian sources" in r["anchor"] for r in hits), hits


def test_the_same_through_the_cli(server: LiveServer) -> None:
    query = (
        PREFIXES
        + """
    SELECT ?speakerName ?viaName ?dateText WHERE {
      GRAPH ?g { ?c a srkb:Claim ; srkb:speaker ?s ; srkb:relayedBy ?v ; srkb:dateText ?dateText }
      GRAPH ?g2 { ?s skos:prefLabel ?speakerName } GRAPH ?g3 { ?v skos:prefLabel ?viaName }
    }"""
    )
    table = run_srkb("query", "--endpoint", server.sparql_url, query)
    assert table.returncode == 0, table.stderr
    assert "Aldar Xelil" in table.stdout and "Reuters" in table.stdout
    assert "April 4" in table.stdout
    as_json = run_srkb("query", "--endpoint", server.sparql_url, "--format", "json", query)
    doc = json.loads(as_json.stdout)
    assert any(b["viaName"]["value"] == "Reuters" for b in doc["results"]["bindings"])


def test_cli_reports_an_update_refused_by_the_endpoint(server: LiveServer) -> None:
    done = run_srkb("query", "--endpoint", server.sparql_url, "INSERT DATA { <a:b> <a:c> <a:d> }")
    assert done.returncode != 0
    assert "Traceback" not in done.stderr


def test_two_workers_answer_concurrent_requests(server: LiveServer) -> None:
    """Both workers open the same snapshot read-only; parallel requests all succeed."""
    from concurrent.futures import ThreadPoolExecutor

    query = PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?c a srkb:Claim } }"
    with ThreadPoolExecutor(max_workers=6) as pool:
        counts = list(pool.map(lambda _i: select(server.sparql_url, query)[0]["n"], range(24)))
    assert len(set(counts)) == 1 and int(counts[0]) > 0


@pytest.mark.parametrize(
    ("content_type", "prefix"),
    [("application/sparql-query", b""), ("application/x-www-form-urlencoded", b"query=")],
)
def test_chunked_oversized_body_is_413_under_gunicorn(
    server: LiveServer, content_type: str, prefix: bytes
) -> None:
    """No Content-Length: the body must still be refused, not silently cut at the limit."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    body = prefix + b"ASK {} #" + b"x" * 1_100_000
    conn.request(
        "POST",
        "/sparql",
        body=iter([body[i : i + 65536] for i in range(0, len(body), 65536)]),
        headers={"Content-Type": content_type},
        encode_chunked=True,
    )
    resp = conn.getresponse()
    assert resp.status == 413
    assert json.loads(resp.read())["error"] == "E413"
    conn.close()
    # A small chunked query is fine.
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    conn.request(
        "POST",
        "/sparql",
        body=iter([prefix + b"ASK {}"]),
        headers={"Content-Type": content_type},
        encode_chunked=True,
    )
    resp = conn.getresponse()
    assert resp.status == 200 and json.loads(resp.read())["boolean"] is True
    conn.close()


def test_home_page_and_health(server: LiveServer) -> None:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    conn.request("GET", "/", headers={"Accept": "text/html"})
    resp = conn.getresponse()
    page = resp.read().decode()
    assert resp.status == 200 and "claims" in page and "Who said what" in page
    conn.request("GET", "/healthz")
    resp = conn.getresponse()
    health = json.loads(resp.read())
    assert health["ok"] is True and health["quads"] == server.quads
    assert health["release"] == resp.getheader("SRKB-Release")
    assert health["queries"]["mode"] == "processes" and health["queries"]["ready"] >= 1
    conn.close()


# --------------------------------------------------------------------------- operating it
def test_port_in_use_is_a_one_line_error(server: LiveServer, seeded_data: Path) -> None:
    done = run_srkb(
        "serve", "--port", str(server.port), "--host", server.host, data=seeded_data, timeout=60
    )
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "in use" in lines[0], done.stderr


def test_missing_store_is_a_one_line_error(tmp_path: Path) -> None:
    done = run_srkb("serve", "--port", str(find_free_port()), data=tmp_path / "none", timeout=60)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "srkb ingest" in lines[0], done.stderr


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signals_stop_the_server_cleanly(
    seeded_data: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    srv = start_server(seeded_data, tmp_path / "serve.stderr", workers=2)
    started = time.monotonic()
    code = srv.stop(sig, timeout=20)
    assert code == 0, srv.stderr()
    assert time.monotonic() - started < 15
    assert "Traceback" not in srv.stderr()
    assert "SIGSEGV" not in srv.stderr()
    with pytest.raises(OSError):
        http.client.HTTPConnection(srv.host, srv.port, timeout=2).request("GET", "/healthz")


def test_ingest_while_serving(seeded_data: Path, tmp_path: Path) -> None:
    """The server answers from a snapshot: the primary store stays writable, and what is
    served does not change under a running server."""
    srv = start_server(seeded_data, tmp_path / "serve.stderr")
    try:
        extra = tmp_path / "extra.txt"
        extra.write_text("Officials told AFP on May 1 that talks resumed.\n", encoding="utf-8")
        done = run_srkb("ingest", str(extra), data=seeded_data)
        assert done.returncode == 0, done.stderr
        conn = http.client.HTTPConnection(srv.host, srv.port, timeout=10)
        conn.request("GET", "/healthz")
        assert json.loads(conn.getresponse().read())["quads"] == srv.quads
        conn.close()
    finally:
        assert srv.stop() == 0
