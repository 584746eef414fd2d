"""A real `srkb serve` as people will use it: standard clients, hostile queries, runaways.

* SPARQLWrapper (the reference Python client) gets correct, parsed results in each of
  its return formats.
* A ``SERVICE`` to a listener this test starts, ``FROM`` that listener, updates and
  ``LOAD`` sent to the query URL: none reaches the listener, none changes the store,
  each is a 4xx (or, for ``FROM``, an empty answer) with a clear message.
* A query built to run for minutes is stopped at the configured limit (2 s here) with a
  clear 503, a simple query sent meanwhile is answered within a second, and afterwards
  no process of the server keeps burning CPU.

One server for the module: 1 worker (so the runaway and the simple query share it),
SRKB_QUERY_TIMEOUT_S=2.
"""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.dom.minidom import Document

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from kb.dump import dump_bytes
from kb.store import KnowledgeBase

from .conftest import LiveServer, run_srkb, start_server
from .test_server_sparql import Listener

pytestmark = pytest.mark.slow

TIMEOUT_S = 2
BASE = "http://127.0.0.1:8000/"
P = "PREFIX srkb: <https://w3id.org/srkb/ontology#>\n"
SELECT = (
    P + "SELECT ?claim ?cue WHERE { GRAPH ?g { ?claim srkb:relayedBy "
    f"<{BASE}entity/reuters> ; srkb:cue ?cue }} }} ORDER BY ?claim"
)
CONSTRUCT = (
    P + "CONSTRUCT { ?claim srkb:cue ?cue } WHERE { GRAPH ?g { ?claim srkb:relayedBy "
    f"<{BASE}entity/reuters> ; srkb:cue ?cue }} }}"
)
RUNAWAY = (
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?s1 ?p1 ?o1 } GRAPH ?b { ?s2 ?p2 ?o2 } "
    "GRAPH ?c { ?s3 ?p3 ?o3 } }"
)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    data = tmp_path_factory.mktemp("prod") / "data"
    done = run_srkb("ingest", str(seed_path), data=data)
    assert done.returncode == 0, done.stderr
    return data


@pytest.fixture(scope="module")
def server(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    stderr = tmp_path_factory.mktemp("prod-log") / "serve.stderr"
    srv = start_server(data_dir, stderr, workers=1, env={"SRKB_QUERY_TIMEOUT_S": str(TIMEOUT_S)})
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def expected(data_dir: Path) -> dict[str, Any]:
    with KnowledgeBase.open(data_dir, create=False) as kb:
        rows = [
            (str(s["claim"].value), str(s["cue"].value))
            for s in kb.query(SELECT, use_default_graph_as_union=True)
        ]
        triples = list(kb.query(CONSTRUCT, use_default_graph_as_union=True))
    graph = Graph()
    graph.parse(data="\n".join(f"{t} ." for t in triples), format="nt")
    assert rows and len(graph) == len(rows)
    return {"rows": rows, "graph": graph}


def wrapper(server: LiveServer, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    sw = SPARQLWrapper(server.sparql_url)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    sw.setMethod(method)
    return sw


# --------------------------------------------------------------------------- SPARQLWrapper
def _rows_from(fmt: str, converted: Any) -> list[tuple[str, str]]:
    if fmt == JSON:
        return [(b["claim"]["value"], b["cue"]["value"]) for b in converted["results"]["bindings"]]
    if fmt == XML:
        assert isinstance(converted, Document)
        rows = []
        for result in converted.getElementsByTagName("result"):
            cells = {
                b.getAttribute("name"): b.firstChild.firstChild.data  # type: ignore[union-attr]
                for b in result.getElementsByTagName("binding")
            }
            rows.append((cells["claim"], cells["cue"]))
        return rows
    text = converted.decode("utf-8")
    if fmt == CSV:
        import csv
        import io

        _header, *body = list(csv.reader(io.StringIO(text, newline="")))
        return [(r[0], r[1]) for r in body]
    _header, *lines = text.rstrip("\n").split("\n")
    return [(claim.strip("<>"), json.loads(cue)) for claim, cue in (ln.split("\t") for ln in lines)]


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
@pytest.mark.parametrize("method", ["GET", POST])
def test_sparqlwrapper_select_in_each_format(
    server: LiveServer, expected: dict[str, Any], fmt: str, method: str
) -> None:
    result = wrapper(server, SELECT, fmt, method).query()
    assert result.response.headers["SRKB-Release"].startswith("sha256:")
    assert _rows_from(fmt, result.convert()) == expected["rows"]


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize(
    ("fmt", "accept", "media_type"),
    [
        (TURTLE, None, "text/turtle"),
        # SPARQLWrapper has no N-Triples format of its own: its N3 reads that media type,
        # asked for by Accept alone (it otherwise also sends format=n3, which srkb honours).
        (N3, "application/n-triples", "application/n-triples"),
        (JSONLD, None, "application/ld+json"),
        (RDFXML, None, "application/rdf+xml"),
        (N3, None, "text/turtle"),
    ],
)
def test_sparqlwrapper_construct_in_each_format(
    server: LiveServer,
    expected: dict[str, Any],
    fmt: str,
    accept: str | None,
    media_type: str,
) -> None:
    sw = wrapper(server, CONSTRUCT, fmt)
    if accept:
        sw.setOnlyConneg(True)
        sw.addCustomHttpHeader("Accept", accept)
    result = sw.query()
    assert result.response.headers["Content-Type"].split(";")[0] == media_type
    converted = result.convert()
    if isinstance(converted, bytes):  # SPARQLWrapper hands Turtle/N3 over unparsed
        converted = Graph().parse(data=converted, format="turtle")
    assert isinstance(converted, Graph)
    assert isomorphic(converted, expected["graph"])


def test_sparqlwrapper_ask(server: LiveServer) -> None:
    for fmt in (JSON, XML):
        converted = wrapper(server, P + "ASK { GRAPH ?g { ?c a srkb:Claim } }", fmt).query()
        value = converted.convert()
        if fmt == JSON:
            assert value["boolean"] is True
        else:
            assert value.getElementsByTagName("boolean")[0].firstChild.data == "true"


# --------------------------------------------------------------------------- no network, no writes
def request(
    server: LiveServer,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> tuple[int, dict[str, Any] | bytes, http.client.HTTPResponse]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        raw = resp.read()
        if "json" in (resp.getheader("Content-Type") or ""):
            return resp.status, json.loads(raw), resp
        return resp.status, raw, resp
    finally:
        conn.close()


def get_query(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


def test_service_update_and_load_never_reach_the_network_or_the_store(
    server: LiveServer, data_dir: Path
) -> None:
    listener = Listener()
    try:
        url = f"http://127.0.0.1:{listener.port}/"
        with KnowledgeBase.open(data_dir, create=False) as kb:
            before = dump_bytes(kb, "nquads")
        release = request(server, "GET", "/healthz")[1]["release"]  # type: ignore[index]
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        refused = [
            ("GET", get_query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"), None, {}),
            (
                "POST",
                "/sparql",
                f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}".encode(),
                {"Content-Type": "application/sparql-query"},
            ),
            (  # the IRI as Oxigraph reads it once \\u escapes are decoded
                "GET",
                get_query(
                    "SELECT * WHERE { SERVICE <\\u0068ttp://127.0.0.1:"
                    f"{listener.port}/> {{ ?s ?p ?o }} }}"
                ),
                None,
                {},
            ),
            ("POST", "/sparql", f"query=LOAD%20%3C{url}%3E".encode(), form),
            ("POST", "/sparql", urllib.parse.urlencode({"update": f"LOAD <{url}>"}).encode(), form),
            (
                "POST",
                "/sparql",
                f"LOAD <{url}> INTO GRAPH <{BASE}graph/x>".encode(),
                {"Content-Type": "application/sparql-update"},
            ),
            ("GET", get_query("INSERT DATA { <a:s> <a:p> <a:o> }"), None, {}),
            ("GET", get_query(f"DROP GRAPH <{BASE}graph/ratings>"), None, {}),
            ("POST", "/update", b"update=CLEAR%20ALL", form),
            (
                "POST",
                "/update",
                f"LOAD <{url}>".encode(),
                {"Content-Type": "application/sparql-update"},
            ),
        ]
        for method, path, body, headers in refused:
            status, answer, _resp = request(server, method, path, body, headers)
            assert 400 <= status < 500, (path, status, answer)
            assert isinstance(answer, dict) and answer["ok"] is False, answer
            message = answer["message"]
            assert any(w in message for w in ("SERVICE", "read-only", "update", "Update")), message
        # FROM names a graph of the store; srkb never dereferences it.
        status, answer, _ = request(
            server, "GET", get_query(f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}")
        )
        assert status == 200 and answer["results"]["bindings"] == []  # type: ignore[index]
        assert listener.settle() == 0
    finally:
        listener.close()
    assert request(server, "GET", "/healthz")[1]["release"] == release  # type: ignore[index]
    with KnowledgeBase.open(data_dir, create=False) as kb:
        assert dump_bytes(kb, "nquads") == before


# --------------------------------------------------------------------------- time limit
def _tree_cpu_seconds(root: int) -> float:
    """CPU time (user + system) of ``root`` and all its descendants, from /proc."""
    stats: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks = int(fields[11]) + int(fields[12])  # utime, stime
        stats[int(entry)] = (int(fields[1]), ticks / os.sysconf("SC_CLK_TCK"))
    tree = {root}
    changed = True
    while changed:
        changed = False
        for pid, (ppid, _cpu) in stats.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                changed = True
    return sum(stats[p][1] for p in tree if p in stats)


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads CPU times from /proc")
def test_a_runaway_query_is_stopped_and_others_are_answered_meanwhile(server: LiveServer) -> None:
    outcome: dict[str, Any] = {}

    def runaway() -> None:
        started = time.monotonic()
        status, answer, _ = request(
            server,
            "POST",
            "/sparql",
            RUNAWAY.encode(),
            {"Content-Type": "application/sparql-query"},
        )
        outcome.update(status=status, answer=answer, elapsed=time.monotonic() - started)

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    simple = get_query(P + "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?c a srkb:Claim } }")
    latencies = []
    for _ in range(5):
        started = time.monotonic()
        status, answer, _ = request(server, "GET", simple)
        latencies.append(time.monotonic() - started)
        assert status == 200 and int(answer["results"]["bindings"][0]["n"]["value"]) > 0  # type: ignore[index]
    assert thread.is_alive(), "the runaway query should still be running"
    assert max(latencies) < 1.0, latencies
    thread.join(timeout=TIMEOUT_S + 20)
    assert outcome["status"] == 503, outcome
    assert outcome["answer"]["error"] == "E408"
    assert f"{TIMEOUT_S} s limit" in outcome["answer"]["message"]
    assert TIMEOUT_S - 0.1 <= outcome["elapsed"] < TIMEOUT_S + 3, outcome

    # The runaway's process was killed: once its replacement has started, the server's
    # whole process tree is idle.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        health = request(server, "GET", "/healthz")[1]
        queries = health["queries"]  # type: ignore[index]
        if queries["ready"] == queries["size"]:
            break
        time.sleep(0.2)
    assert queries["timeouts"] >= 1 and queries["ready"] == queries["size"], queries
    time.sleep(0.5)
    before = _tree_cpu_seconds(server.process.pid)
    time.sleep(1.5)
    burnt = _tree_cpu_seconds(server.process.pid) - before
    assert burnt < 0.5, f"the server used {burnt:.2f} s of CPU in 1.5 s while idle"
