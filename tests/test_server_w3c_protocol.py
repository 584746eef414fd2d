"""The W3C SPARQL 1.1 Protocol test suite, sent black-box over HTTP to a real `srkb serve`.

The suite is https://github.com/w3c/rdf-tests/tree/main/sparql/sparql11/protocol
(manifest.ttl, W3C Test Suite License: reuse with attribution). Its tests are HTTP
exchanges described in the manifest (``ht:Request``: method, path with query string,
headers, body; ``ht:resp``: expected status class and, for ASK, the boolean). They are
encoded below as data, one ``Case`` per test with the test's IRI, rather than copying the
manifest. The server runs with the seed ingested plus the suite's three data graphs
(``ut:graphData``: ``<http://kasei.us/2009/09/sparql/data/dataN.rdf>``, each holding the
triple ``<...dataN.rdf> a foaf:Document``), loaded as named graphs of the store.

What is checked, as the manifest says: the status class (2xx/3xx for success, 4xx for the
``bad_*`` tests), the response media type for the query form (SPARQL results XML or JSON
for ASK; XML, JSON, CSV or TSV for SELECT; an RDF syntax for CONSTRUCT and DESCRIBE), and
the boolean answer where the manifest gives one.

Two notes on fidelity:

* ``query_multiple_dataset``: the structured manifest's path percent-encodes the ``&``
  between its two ``named-graph-uri`` parameters (``…data1.rdf%26named-graph-uri%3D…``),
  which makes one parameter with a bogus IRI; its prose request, and the suite author's
  own runner (kasei/sparql11-protocol-tests, ``test_query_multiple_dataset``), send two
  parameters. We send two, as intended.
* The update tests (``update_*``) need the update operation, which srkb does not offer
  (README, "Updates"): they are listed in ``XFAIL`` with that reason. The ``bad_update_*``
  tests expect a 4xx and get one (updates are refused), so they run and pass.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from kb.config import Settings
from kb.store import KnowledgeBase
from kb.store.releases import publish

from .conftest import LiveServer, run_srkb, start_server

pytestmark = pytest.mark.slow

MANIFEST = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#"
KASEI = "http://kasei.us/2009/09/sparql/data/"
FOAF_DOCUMENT = "http://xmlns.com/foaf/0.1/Document"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"

BOOLEAN_TYPES = {"application/sparql-results+xml", "application/sparql-results+json"}
TABULAR_TYPES = BOOLEAN_TYPES | {"text/csv", "text/tab-separated-values"}
RDF_TYPES = {
    "application/rdf+xml",
    "application/rdf+json",
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
}


def enc(value: str) -> str:
    return quote(value, safe="")


def data(n: int) -> str:
    return f"{KASEI}data{n}.rdf"


@dataclass(frozen=True)
class Case:
    """One manifest test: the request it sends and the response it expects."""

    name: str  # the test's local name; its IRI is MANIFEST + name
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    status: str = "2xx"  # "2xx" (2xx or 3xx) or "4xx"
    form: str | None = None  # "boolean", "tabular" or "RDF": the expected result format
    boolean: bool | None = None

    @property
    def iri(self) -> str:
        return MANIFEST + self.name


ASK_1_2 = f"ASK {{ <{data(1)}> a ?type . <{data(2)}> a ?type . }}"
ASK_G1_G2 = f"ASK {{ GRAPH ?g1 {{ <{data(1)}> a ?type }} GRAPH ?g2 {{ <{data(2)}> a ?type }} }}"
ASK_FULL = (
    f"ASK {{\n  <{data(3)}> a ?type\n  GRAPH ?g1 {{ <{data(1)}> a ?type }}\n"
    f"  GRAPH ?g2 {{ <{data(2)}> a ?type }}\n}}"
)
ASK_FROM = (
    f"ASK FROM <{data(3)}> {{ GRAPH ?g1 {{ <{data(1)}> a ?type }} "
    f"GRAPH ?g2 {{ <{data(2)}> a ?type }} }}"
)
DG0 = f"default-graph-uri={enc(data(0))}"
UPDATE_1 = (
    "PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
    f"CLEAR ALL ;\nINSERT DATA {{ GRAPH <{data(1)}> {{ <{data(1)}> a foaf:Document }} }} ;\n"
    "INSERT { GRAPH <http://example.org/protocol-update-dataset-test/> "
    "{ ?s a dc:BibliographicResource } } WHERE { ?s a foaf:Document }"
)

CASES: tuple[Case, ...] = (
    Case(
        "query_post_form",
        "POST",
        f"/sparql/?{DG0}",
        b"query=ASK%20%7B%7D",
        {"Content-Type": FORM},
        form="boolean",
        boolean=True,
    ),
    Case(
        "query_dataset_default_graphs_get",
        "GET",
        f"/sparql/?query={enc(ASK_1_2)}&default-graph-uri={enc(data(1))}"
        f"&default-graph-uri={enc(data(2))}",
        form="boolean",
        boolean=True,
    ),
    Case(
        "query_dataset_default_graphs_post",
        "POST",
        f"/sparql/?default-graph-uri={enc(data(1))}&default-graph-uri={enc(data(2))}",
        ASK_1_2.encode(),
        {"Content-Type": DIRECT},
        form="boolean",
        boolean=True,
    ),
    Case(
        "query_dataset_named_graphs_post",
        "POST",
        f"/sparql/?named-graph-uri={enc(data(1))}&named-graph-uri={enc(data(2))}",
        ASK_G1_G2.encode(),
        {"Content-Type": DIRECT},
        form="boolean",
        boolean=True,
    ),
    Case(
        "query_dataset_named_graphs_get",
        "GET",
        f"/sparql/?query={enc(ASK_G1_G2)}&named-graph-uri={enc(data(1))}"
        f"&named-graph-uri={enc(data(2))}",
        form="boolean",
        boolean=True,
    ),
    Case(
        "query_dataset_full",
        "POST",
        f"/sparql/?default-graph-uri={enc(data(3))}&named-graph-uri={enc(data(1))}"
        f"&named-graph-uri={enc(data(2))}",
        ASK_FULL.encode(),
        {"Content-Type": DIRECT},
        form="boolean",
        boolean=True,
    ),
    Case(
        "query_multiple_dataset",  # two named-graph-uri parameters: see the module docstring
        "POST",
        f"/sparql/?named-graph-uri={enc(data(1))}&named-graph-uri={enc(data(2))}",
        ASK_FROM.encode(),
        {"Content-Type": DIRECT},
        form="boolean",
        boolean=True,
    ),
    Case("query_get", "GET", f"/sparql/?query=ASK%20%7B%7D&{DG0}", form="boolean", boolean=True),
    Case(
        "query_content_type_select",
        "POST",
        f"/sparql/?{DG0}",
        b"SELECT (1 AS ?value) {}",
        {"Content-Type": DIRECT},
        form="tabular",
    ),
    Case(
        "query_content_type_ask",
        "POST",
        f"/sparql/?{DG0}",
        b"ASK {}",
        {"Content-Type": DIRECT},
        form="boolean",
    ),
    Case(
        "query_content_type_describe",
        "POST",
        f"/sparql/?{DG0}",
        b"DESCRIBE <http://example.org/>",
        {"Content-Type": DIRECT},
        form="RDF",
    ),
    Case(
        "query_content_type_construct",
        "POST",
        f"/sparql/?{DG0}",
        b"CONSTRUCT { <s> <p> 1 } WHERE {}",
        {"Content-Type": DIRECT},
        form="RDF",
    ),
    Case(
        "query_post_direct",
        "POST",
        "/sparql/",
        b"ASK {}",
        {"Content-Type": DIRECT},
        form="boolean",
        boolean=True,
    ),
    Case(
        "bad_query_method",
        "PUT",
        f"/sparql/?query=ASK%20%7B%7D&{DG0}",
        b"",
        {"Content-Type": FORM},
        status="4xx",
    ),
    Case(
        "bad_multiple_queries",
        "GET",
        "/sparql/?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D",
        status="4xx",
    ),
    Case(
        "bad_query_wrong_media_type",
        "POST",
        "/sparql/",
        b"ASK {}",
        {"Content-Type": "text/plain"},
        status="4xx",
    ),
    Case("bad_query_missing_form_type", "POST", "/sparql/", b"query=ASK%20%7B%7D", status="4xx"),
    Case("bad_query_missing_direct_type", "POST", "/sparql/", b"ASK {}", status="4xx"),
    Case(
        "bad_query_non_utf8",
        "POST",
        "/sparql/",
        "ASK {}".encode("utf-16"),  # with a BOM, as the manifest says
        {"Content-Type": "application/sparql-query; charset=UTF-16"},
        status="4xx",
    ),
    Case("bad_query_syntax", "GET", "/sparql/?query=ASK%20%7B", status="4xx"),
    Case("bad_update_get", "GET", "/sparql/?update=CLEAR%20ALL", status="4xx"),
    Case(
        "bad_multiple_updates",
        "POST",
        "/sparql/",
        b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
        {"Content-Type": FORM},
        status="4xx",
    ),
    Case(
        "bad_update_wrong_media_type",
        "POST",
        "/sparql/",
        b"CLEAR NAMED",
        {"Content-Type": "text/plain"},
        status="4xx",
    ),
    Case("bad_update_missing_form_type", "POST", "/sparql/", b"update=CLEAR%20NAMED", status="4xx"),
    Case(
        "bad_update_non_utf8",
        "POST",
        "/sparql/",
        "CLEAR NAMED".encode("utf-16"),
        {"Content-Type": "application/sparql-update; charset=UTF-16"},
        status="4xx",
    ),
    Case(
        "bad_update_syntax",
        "POST",
        "/sparql/",
        b"update=CLEAR%20XYZ",
        {"Content-Type": FORM},
        status="4xx",
    ),
    Case(
        "bad_update_dataset_conflict",
        "POST",
        "/sparql/?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople",
        b"PREFIX foaf:  <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
        b"DELETE { ?person foaf:givenName 'Bill' }\nINSERT { ?person foaf:givenName 'William' }\n"
        b"WHERE {\n    ?person foaf:givenName 'Bill'\n}",
        {"Content-Type": UPDATE},
        status="4xx",
    ),
    # The update operation's tests: srkb has none (see XFAIL). Each is its first request.
    Case(
        "update_dataset_default_graph",
        "POST",
        f"/sparql/?using-graph-uri={enc(data(1))}",
        UPDATE_1.encode(),
        {"Content-Type": UPDATE},
    ),
    Case(
        "update_dataset_default_graphs",
        "POST",
        "/sparql/",
        UPDATE_1.encode(),
        {"Content-Type": UPDATE},
    ),
    Case(
        "update_dataset_named_graphs",
        "POST",
        "/sparql/",
        UPDATE_1.encode(),
        {"Content-Type": UPDATE},
    ),
    Case("update_dataset_full", "POST", "/sparql/", UPDATE_1.encode(), {"Content-Type": UPDATE}),
    Case("update_post_form", "POST", "/sparql/", b"update=CLEAR+ALL", {"Content-Type": FORM}),
    Case("update_post_direct", "POST", "/sparql/", b"CLEAR ALL", {"Content-Type": UPDATE}),
    Case(
        "update_base_uri",
        "POST",
        "/sparql/",
        b"CLEAR GRAPH <http://example.org/protocol-base-test/> ;\nINSERT DATA { GRAPH "
        b"<http://example.org/protocol-base-test/> { <http://example.org/s> "
        b"<http://example.org/p> <test> } }",
        {"Content-Type": UPDATE},
    ),
)

_NO_UPDATES = "srkb offers no SPARQL Update operation (README: Updates); the endpoint refuses it"
XFAIL: dict[str, str] = {
    name: _NO_UPDATES
    for name in (
        "update_dataset_default_graph",
        "update_dataset_default_graphs",
        "update_dataset_named_graphs",
        "update_dataset_full",
        "update_post_form",
        "update_post_direct",
        "update_base_uri",
    )
}


def _params() -> list[object]:
    return [
        pytest.param(c, id=c.name, marks=pytest.mark.xfail(reason=XFAIL[c.name], strict=True))
        if c.name in XFAIL
        else pytest.param(c, id=c.name)
        for c in CASES
    ]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Iterator[LiveServer]:
    """`srkb serve` on the seed plus the suite's data graphs."""
    data_dir = tmp_path_factory.mktemp("w3c") / "data"
    done = run_srkb("ingest", str(seed_path), data=data_dir)
    assert done.returncode == 0, done.stderr
    with KnowledgeBase.open(data_dir) as kb:
        for n in (1, 2, 3):
            graph = ox.NamedNode(data(n))
            kb.store.add(ox.Quad(graph, RDF_TYPE, ox.NamedNode(FOAF_DOCUMENT), graph))
        # Written by hand, past srkb's own writes: publish it for the server to serve.
        publish(kb, data_dir, Settings.from_env().base_iri)
    srv = start_server(data_dir, tmp_path_factory.mktemp("w3c-log") / "serve.stderr", workers=1)
    yield srv
    srv.stop()


def send(server: LiveServer, case: Case) -> tuple[int, str, bytes]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=20)
    try:
        headers = {"Host": "www.example", **case.headers}
        if case.body is not None:
            headers["Content-Length"] = str(len(case.body))
        conn.request(case.method, case.path, body=case.body, headers=headers)
        resp = conn.getresponse()
        media = (resp.getheader("Content-Type") or "").split(";")[0].strip().lower()
        return resp.status, media, resp.read()
    finally:
        conn.close()


def parse_boolean(media: str, body: bytes) -> bool:
    fmt = ox.QueryResultsFormat.JSON if media.endswith("json") else ox.QueryResultsFormat.XML
    result = ox.parse_query_results(body, format=fmt)
    assert isinstance(result, ox.QueryBoolean)
    return bool(result)


@pytest.mark.parametrize("case", _params())
def test_protocol(server: LiveServer, case: Case) -> None:
    status, media, body = send(server, case)
    where = f"{case.iri}: {status} {media} {body[:300]!r}"
    if case.status == "4xx":
        assert 400 <= status < 500, where
        if media == "application/json":
            assert json.loads(body)["ok"] is False, where  # srkb's error shape
        return
    assert 200 <= status < 400, where
    if case.form == "boolean":
        assert media in BOOLEAN_TYPES, where
    elif case.form == "tabular":
        assert media in TABULAR_TYPES, where
    elif case.form == "RDF":
        assert media in RDF_TYPES, where
    if case.boolean is not None:
        assert parse_boolean(media, body) is case.boolean, where


def test_every_manifest_entry_is_encoded() -> None:
    """The manifest's 34 entries, in its order (query and update tests alike)."""
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)) == 34
