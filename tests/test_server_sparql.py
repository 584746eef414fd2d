"""The /sparql endpoint over a small hand-written store, through Flask's test client.

What a SPARQL client relies on: the three protocol request shapes, the result formats
chosen by Accept (parsed back with independent parsers), error statuses with readable
messages, a store that no request can change, no network access through SERVICE or
LOAD, and the row cap announced in headers.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from werkzeug.test import TestResponse

from kb.config import Settings
from kb.store import KnowledgeBase
from server import create_app
from server.context import SERVED_KEY

from .conftest import Listener

BASE = "http://kb.test/"
SRKB = "https://w3id.org/srkb/ontology#"
TEXT_GRAPH = BASE + "graph/text/t1"
GAZ_GRAPH = BASE + "graph/gazetteer"

FIXTURE_TRIG = r"""
@prefix srkb: <https://w3id.org/srkb/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix nif:  <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@base <http://kb.test/> .

<graph/gazetteer> {
  <entity/reuters> a srkb:NewsAgency ; skos:prefLabel "Reuters" .
  <entity/aldar-xelil> a srkb:Person ; skos:prefLabel "Aldar Xelil" .
  <entity/sdf> a srkb:ArmedGroup ; skos:prefLabel "Syrian Democratic Forces" ;
      skos:altLabel "SDF" , "QSD"@ku .
}

<graph/text/t1> {
  <text/t1> a srkb:SourceText ; rdfs:label "fixture.txt" ;
      nif:isString "On April 4, Aldar Xelil told Reuters that the SDF may move." .
  <text/t1/article> a srkb:Article ; srkb:inSourceText <text/t1> .
  <text/t1/comment/1> a srkb:ReaderComment ; srkb:inSourceText <text/t1> .
  <claim/c1> a srkb:Claim ; srkb:speaker <entity/aldar-xelil> ;
      srkb:relayedBy <entity/reuters> ; srkb:inDocument <text/t1/article> ;
      srkb:dateText "On April 4" ; srkb:statementDate "--04-04"^^xsd:gMonthDay ;
      srkb:evidence <text/t1#char=0,60> .
  <text/t1#char=0,60> a srkb:TextSpan ; nif:beginIndex 0 ; nif:endIndex 60 ;
      nif:anchorOf "On April 4, Aldar Xelil told Reuters that the SDF may move." .
  <claim/c2> a srkb:Claim ; srkb:inDocument <text/t1/comment/1> ;
      srkb:dateText "tab\there, \"quoted\", comma, new\nline <script>alert(1)</script>" .
  _:j a srkb:SourceJudgement ; srkb:judgedSource <entity/reuters> ; srkb:cue "a load of BS" .
}
"""

CLAIMS = """
PREFIX srkb: <https://w3id.org/srkb/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?claim ?speaker ?date WHERE {
  GRAPH ?g { ?claim a srkb:Claim ; srkb:dateText ?date }
  OPTIONAL { GRAPH ?g { ?claim srkb:speaker ?s } GRAPH ?g2 { ?s skos:prefLabel ?speaker } }
} ORDER BY ?claim"""

EXPECTED_CLAIMS = [
    {"claim": BASE + "claim/c1", "speaker": "Aldar Xelil", "date": "On April 4"},
    {
        "claim": BASE + "claim/c2",
        "speaker": None,
        "date": 'tab\there, "quoted", comma, new\nline <script>alert(1)</script>',
    },
]

ASK_TRUE = "PREFIX srkb: <https://w3id.org/srkb/ontology#> ASK { GRAPH ?g { ?c a srkb:Claim } }"
ASK_FALSE = "ASK { GRAPH ?g { <http://kb.test/nothing> ?p ?o } }"

CONSTRUCT = """
PREFIX srkb: <https://w3id.org/srkb/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT { ?s skos:prefLabel ?l } WHERE { GRAPH <http://kb.test/graph/gazetteer> {
  ?s skos:prefLabel ?l } }"""

RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "turtle": ("text/turtle", "turtle"),
    "ntriples": ("application/n-triples", "nt"),
    "jsonld": ("application/ld+json", "json-ld"),
    "nquads": ("application/n-quads", "nquads"),
    "trig": ("application/trig", "trig"),
    "rdfxml": ("application/rdf+xml", "xml"),
}
METHODS = ("get", "post-form", "post-direct")


# --------------------------------------------------------------------------- fixtures
def make_kb() -> KnowledgeBase:
    kb = KnowledgeBase.in_memory()
    kb.store.load(FIXTURE_TRIG.encode(), format=ox.RdfFormat.TRIG)
    return kb


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return make_kb()


def settings(**overrides: Any) -> Settings:
    """Settings independent of the environment the tests run in."""
    return Settings.from_env(environ={}, base_iri=BASE, **overrides)


@pytest.fixture
def app(kb: KnowledgeBase) -> Flask:
    app = create_app(settings(), kb=kb)
    app.testing = True
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def ask(
    client: FlaskClient, query: str, method: str = "get", accept: str | None = None, **kw: Any
) -> TestResponse:
    """Send ``query`` the way ``method`` says (the three SPARQL Protocol shapes)."""
    headers = {"Accept": accept} if accept is not None else {}
    headers.update(kw.pop("headers", {}))
    if method == "get":
        return client.get("/sparql", query_string={"query": query, **kw}, headers=headers)
    if method == "post-form":
        return client.post("/sparql", data={"query": query, **kw}, headers=headers)
    if method == "post-direct":
        return client.post(
            "/sparql",
            data=query.encode("utf-8"),
            content_type="application/sparql-query",
            query_string=kw,
            headers=headers,
        )
    raise ValueError(method)


# --------------------------------------------------------------------------- parsing back
def _term_value(term: Any) -> str | None:
    return None if term is None else term.value


def parse_select(body: bytes, fmt: str) -> list[dict[str, str | None]]:
    """Rows as {var: lexical value}, read by a parser that is not ours."""
    if fmt == "csv":
        reader = csv.reader(io.StringIO(body.decode("utf-8"), newline=""))
        header, *rows = list(reader)
        return [
            {v: (cell if cell != "" else None) for v, cell in zip(header, row, strict=True)}
            for row in rows
        ]
    parsed = ox.parse_query_results(body, format=getattr(ox.QueryResultsFormat, fmt.upper()))
    names = [v.value for v in parsed.variables]
    return [{n: _term_value(sol[n]) for n in names} for sol in parsed]


def parse_boolean(body: bytes, fmt: str) -> bool:
    if fmt in ("csv", "tsv"):
        return {"true": True, "false": False}[body.decode().strip()]
    parsed = ox.parse_query_results(body, format=getattr(ox.QueryResultsFormat, fmt.upper()))
    assert isinstance(parsed, ox.QueryBoolean)
    return bool(parsed)


def expected_construct() -> Graph:
    ds = Dataset()
    ds.parse(data=FIXTURE_TRIG, format="trig")
    out = Graph()
    pref = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
    for s, _p, o in ds.graph(URIRef(GAZ_GRAPH)).triples((None, pref, None)):
        out.add((s, pref, o))
    return out


# --------------------------------------------------------------------------- protocol matrix
@pytest.mark.parametrize("fmt", list(RESULT_TYPES))
@pytest.mark.parametrize("method", METHODS)
def test_select_in_every_format_and_request_shape(
    client: FlaskClient, method: str, fmt: str
) -> None:
    resp = ask(client, CLAIMS, method, accept=RESULT_TYPES[fmt])
    assert resp.status_code == 200, resp.data
    assert resp.mimetype == RESULT_TYPES[fmt]
    rows = parse_select(resp.data, fmt)
    assert rows == EXPECTED_CLAIMS
    assert resp.headers["SRKB-Truncated"] == "false"


@pytest.mark.parametrize("fmt", list(RESULT_TYPES))
@pytest.mark.parametrize("method", METHODS)
def test_ask_in_every_format_and_request_shape(client: FlaskClient, method: str, fmt: str) -> None:
    for query, expected in ((ASK_TRUE, True), (ASK_FALSE, False)):
        resp = ask(client, query, method, accept=RESULT_TYPES[fmt])
        assert resp.status_code == 200, resp.data
        assert resp.mimetype == RESULT_TYPES[fmt]
        assert parse_boolean(resp.data, fmt) is expected


@pytest.mark.parametrize("fmt", list(GRAPH_TYPES))
@pytest.mark.parametrize("method", METHODS)
def test_construct_in_rdf_formats_parses_back(client: FlaskClient, method: str, fmt: str) -> None:
    media_type, rdflib_format = GRAPH_TYPES[fmt]
    resp = ask(client, CONSTRUCT, method, accept=media_type)
    assert resp.status_code == 200, resp.data
    assert resp.mimetype == media_type
    if fmt in ("nquads", "trig"):
        ds = Dataset()
        ds.parse(data=resp.data, format=rdflib_format)
        got = Graph()
        for s, p, o, _g in ds.quads():
            got.add((s, p, o))
    else:
        got = Graph().parse(data=resp.data, format=rdflib_format)
    assert isomorphic(got, expected_construct())
    assert (URIRef(BASE + "entity/sdf"), None, Literal("Syrian Democratic Forces")) in got


@pytest.mark.parametrize("accept", [None, "*/*", "text/*", "application/*;q=0.1, text/turtle"])
def test_construct_defaults_to_turtle(client: FlaskClient, accept: str | None) -> None:
    resp = ask(client, CONSTRUCT, accept=accept)
    assert resp.status_code == 200
    assert resp.mimetype == "text/turtle"
    assert isomorphic(Graph().parse(data=resp.data, format="turtle"), expected_construct())


@pytest.mark.parametrize("accept", [None, "", "*/*", "application/*", "garbage"])
def test_select_defaults_to_json(client: FlaskClient, accept: str | None) -> None:
    resp = ask(client, CLAIMS, accept=accept)
    assert resp.status_code == 200
    assert resp.mimetype == "application/sparql-results+json"
    assert parse_select(resp.data, "json") == EXPECTED_CLAIMS


def test_accept_q_values_decide(client: FlaskClient) -> None:
    resp = ask(client, CLAIMS, accept="application/sparql-results+json;q=0.2, text/csv;q=0.9")
    assert resp.mimetype == "text/csv"
    resp = ask(client, CLAIMS, accept="text/csv;q=0, */*;q=0.1")
    assert resp.mimetype == "application/sparql-results+json"


def test_format_parameter_overrides_accept(client: FlaskClient) -> None:
    resp = ask(client, CLAIMS, accept="application/sparql-results+json", format="tsv")
    assert resp.mimetype == "text/tab-separated-values"
    assert parse_select(resp.data, "tsv") == EXPECTED_CLAIMS


def test_describe_with_default_graph_uri(client: FlaskClient) -> None:
    query = f"DESCRIBE <{BASE}claim/c1>"
    resp = ask(client, query, accept="application/n-triples", **{"default-graph-uri": TEXT_GRAPH})
    assert resp.status_code == 200, resp.data
    got = Graph().parse(data=resp.data, format="nt")
    claim = URIRef(BASE + "claim/c1")
    assert (claim, URIRef(SRKB + "relayedBy"), URIRef(BASE + "entity/reuters")) in got
    assert (claim, URIRef(SRKB + "dateText"), Literal("On April 4")) in got
    # Without it, srkb's default graph is the union of all graphs: the same description.
    resp = ask(client, query, accept="application/n-triples")
    assert set(Graph().parse(data=resp.data, format="nt")) == set(got)


def test_union_default_graph_can_be_turned_off(kb: KnowledgeBase) -> None:
    client = create_app(settings(union_default_graph=False), kb=kb).test_client()
    query = f"DESCRIBE <{BASE}claim/c1>"
    resp = ask(client, query, accept="application/n-triples")
    assert resp.status_code == 200
    assert len(Graph().parse(data=resp.data, format="nt")) == 0  # the store's empty default graph


@pytest.mark.parametrize("method", METHODS)
def test_named_graph_uri_restricts_graph_patterns(client: FlaskClient, method: str) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    resp = ask(client, query, method, **{"named-graph-uri": GAZ_GRAPH})
    assert [r["g"] for r in parse_select(resp.data, "json")] == [GAZ_GRAPH]
    resp = ask(client, query, method)
    assert [r["g"] for r in parse_select(resp.data, "json")] == [GAZ_GRAPH, TEXT_GRAPH]


def test_non_ascii_and_language_tags_survive(client: FlaskClient) -> None:
    query = (
        "SELECT ?l WHERE { GRAPH ?g { ?s <http://www.w3.org/2004/02/skos/core#altLabel> ?l "
        'FILTER(lang(?l) = "ku") } }'
    )
    for fmt in ("json", "xml", "tsv"):
        resp = ask(client, query, "post-direct", accept=RESULT_TYPES[fmt])
        parsed = list(
            ox.parse_query_results(resp.data, format=getattr(ox.QueryResultsFormat, fmt.upper()))
        )
        assert parsed[0]["l"] == ox.Literal("QSD", language="ku")


# --------------------------------------------------------------------------- errors
@pytest.mark.parametrize("method", METHODS)
def test_malformed_query_is_400_with_the_parser_message(client: FlaskClient, method: str) -> None:
    resp = ask(client, "SELECT ?s WHERE { ?s ?p }", method)
    assert resp.status_code == 400
    assert resp.mimetype == "application/json"
    body = resp.get_json()
    assert body["ok"] is False and body["status"] == 400 and body["error"] == "E400"
    assert "malformed query" in body["message"]
    assert "error at 1:" in body["message"]  # Oxigraph's parser says where


def test_not_a_query_is_400(client: FlaskClient) -> None:
    for text in ("", "   ", "hello world"):
        resp = ask(client, text)
        assert resp.status_code == 400
        assert resp.get_json()["error"] == "E400"


def test_error_page_is_escaped_html_for_browsers(client: FlaskClient) -> None:
    resp = ask(client, "SELECT <script>alert(1)</script>", accept="text/html,*/*;q=0.8")
    assert resp.status_code == 400
    assert resp.mimetype == "text/html"
    page = resp.data.decode()
    assert "<script>" not in page
    assert "E400" in page


def test_406_when_nothing_acceptable(client: FlaskClient) -> None:
    resp = ask(client, CLAIMS, accept="image/png, application/pdf")
    assert resp.status_code == 406
    body = resp.get_json()
    assert body["error"] == "E406" and "application/sparql-results+json" in body["message"]
    resp = ask(client, CONSTRUCT, accept="text/csv")  # a table format for a graph
    assert resp.status_code == 406
    resp = ask(client, ASK_TRUE, accept="application/sparql-results+json;q=0, text/plain")
    assert resp.status_code == 406


def test_413_for_oversized_requests(kb: KnowledgeBase) -> None:
    app = create_app(settings(max_request_bytes=500), kb=kb)
    client = app.test_client()
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 1000
    for method in METHODS:
        resp = ask(client, big, method)
        assert resp.status_code == 413, (method, resp.data)
        assert resp.get_json()["error"] == "E413"
        assert "500 bytes" in resp.get_json()["message"]
    assert ask(client, CLAIMS, "post-direct").status_code == 200  # small ones still pass


@pytest.mark.parametrize(
    ("content_type", "prefix"),
    [("application/sparql-query", b""), ("application/x-www-form-urlencoded", b"query=")],
)
def test_413_for_chunked_body_without_length(
    kb: KnowledgeBase, content_type: str, prefix: bytes
) -> None:
    """A body without Content-Length (chunked) is refused, not cut off at the limit."""
    client = create_app(settings(max_request_bytes=500), kb=kb).test_client()

    def post(body: bytes) -> TestResponse:
        return client.post(
            "/sparql",
            input_stream=io.BytesIO(body),
            content_type=content_type,
            # What gunicorn sets for a chunked request: the stream ends where the body ends.
            environ_overrides={"wsgi.input_terminated": True},
        )

    assert post(prefix + b"ASK {} #" + b"x" * 2000).status_code == 413
    resp = post(prefix + b"ASK {}")
    assert resp.status_code == 200 and resp.get_json()["boolean"] is True


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"query": "ASK {}"}', "application/json"),
        (b"ASK {}", "text/plain"),
        (b"query=ASK%20%7B%7D", None),  # a form body without its media type
        (b"ASK {}", None),  # a query body without its media type
    ],
)
def test_a_post_body_of_another_media_type_is_400(
    client: FlaskClient, body: bytes, content_type: str | None
) -> None:
    resp = client.post("/sparql", data=body, content_type=content_type)
    assert resp.status_code == 400
    message = resp.get_json()["message"]
    assert "application/sparql-query" in message and "x-www-form-urlencoded" in message


def test_only_utf8_query_bodies(client: FlaskClient) -> None:
    resp = client.post(
        "/sparql",
        data="ASK {}".encode("utf-16"),
        content_type="application/sparql-query; charset=UTF-16",
    )
    assert resp.status_code == 400
    assert "UTF-8" in resp.get_json()["message"]
    resp = client.post("/sparql", data=b"ASK { \xff }", content_type="application/sparql-query")
    assert resp.status_code == 400
    resp = client.post(
        "/sparql", data=b"ASK {}", content_type="application/sparql-query; charset=utf-8"
    )
    assert resp.status_code == 200


def test_a_get_with_a_body_is_400(client: FlaskClient) -> None:
    resp = client.get("/sparql", query_string={"query": "ASK {}"}, data=b"ASK {}")
    assert resp.status_code == 400


def test_the_endpoint_answers_with_a_trailing_slash_too(client: FlaskClient) -> None:
    resp = client.get("/sparql/", query_string={"query": ASK_TRUE})
    assert resp.status_code == 200 and resp.get_json()["boolean"] is True


def test_other_methods_are_405_in_the_error_shape(client: FlaskClient) -> None:
    resp = client.put("/sparql", data="ASK {}")
    assert resp.status_code == 405
    assert resp.get_json() == {
        "ok": False,
        "status": 405,
        "error": "E405",
        "message": resp.get_json()["message"],
    }
    assert "GET" in resp.headers["Allow"]


def test_unknown_page_is_404(client: FlaskClient) -> None:
    resp = client.get("/nothing/here")
    assert resp.status_code == 404
    assert resp.get_json()["error"] == "E404"


def test_repeated_query_parameter_is_400(client: FlaskClient) -> None:
    resp = client.get("/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D")
    assert resp.status_code == 400
    assert "once" in resp.get_json()["message"]


def test_bad_graph_iri_is_400(client: FlaskClient) -> None:
    resp = ask(client, ASK_TRUE, **{"default-graph-uri": "not an iri"})
    assert resp.status_code == 400


# --------------------------------------------------------------------------- read-only
UPDATE = f'INSERT DATA {{ GRAPH <{TEXT_GRAPH}> {{ <{BASE}x> <{BASE}p> "added" }} }}'


def _update_attempts(listener_url: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        ("form update=", {"method": "post", "data": {"update": UPDATE}}),
        (
            "form update= and query=",
            {"method": "post", "data": {"update": UPDATE, "query": ASK_TRUE}},
        ),
        ("GET ?update=", {"method": "get", "query_string": {"update": UPDATE}}),
        (
            "sparql-update body",
            {
                "method": "post",
                "data": UPDATE.encode(),
                "content_type": "application/sparql-update",
            },
        ),
        ("INSERT DATA as query (GET)", {"method": "get", "query_string": {"query": UPDATE}}),
        ("INSERT DATA as query (form)", {"method": "post", "data": {"query": UPDATE}}),
        (
            "INSERT DATA as query (direct)",
            {"method": "post", "data": UPDATE.encode(), "content_type": "application/sparql-query"},
        ),
        (
            "DELETE WHERE",
            {"method": "get", "query_string": {"query": "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }"}},
        ),
        ("CLEAR ALL", {"method": "post", "data": {"query": "CLEAR ALL"}}),
        ("DROP GRAPH", {"method": "post", "data": {"query": f"DROP GRAPH <{TEXT_GRAPH}>"}}),
        (
            "LOAD",
            {"method": "post", "data": {"query": f"LOAD <{listener_url}> INTO GRAPH <{BASE}g>"}},
        ),
        (
            "LOAD as update=",
            {"method": "post", "data": {"update": f"LOAD <{listener_url}>"}},
        ),
    ]


def test_updates_are_refused_and_change_nothing(listener: Listener) -> None:
    kb = make_kb()  # a store of its own: a failure here must not leak into other tests
    client = create_app(settings(), kb=kb).test_client()
    before = sorted(str(q) for q in kb.store)
    for name, request in _update_attempts(listener.url):
        method = request.pop("method")
        resp = getattr(client, method)("/sparql", **request)
        assert 400 <= resp.status_code < 500, (name, resp.status_code, resp.data)
        body = resp.get_json()
        assert body["ok"] is False, name
        assert "read-only" in body["message"] or "update" in body["message"].lower(), (name, body)
    assert sorted(str(q) for q in kb.store) == before
    assert listener.settle() == 0


SERVICE_QUERIES = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX r: <{url}> SELECT * WHERE {{ SERVICE r: {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
]


@pytest.mark.parametrize("template", SERVICE_QUERIES)
@pytest.mark.parametrize("method", METHODS)
def test_service_to_a_non_allowlisted_target_is_403_and_never_connects(
    client: FlaskClient, listener: Listener, template: str, method: str
) -> None:
    resp = ask(client, template.format(url=listener.url), method)
    assert resp.status_code == 403, resp.data
    body = resp.get_json()
    assert body["error"] == "E403" and "SERVICE" in body["message"]
    assert listener.settle() == 0


def test_the_listener_would_see_an_unguarded_service_call(listener: Listener) -> None:
    """Control: Oxigraph itself does connect, so the 403 test above is meaningful."""
    with pytest.raises(OSError):
        list(ox.Store().query(SERVICE_QUERIES[0].format(url=listener.url)))
    assert listener.settle() >= 1


# --------------------------------------------------------------------------- row cap
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_row_cap_truncates_and_says_so_in_the_body(kb: KnowledgeBase, fmt: str) -> None:
    client = create_app(settings(max_rows=2), kb=kb).test_client()
    resp = ask(client, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", accept=RESULT_TYPES[fmt])
    assert resp.status_code == 200
    assert resp.headers["SRKB-Truncated"] == "true"
    assert resp.headers["SRKB-Row-Limit"] == "2"
    assert len(parse_select(resp.data, fmt)) == 2
    link = BASE + "sparql#row-limit"
    if fmt == "json":
        doc = json.loads(resp.data)
        assert doc["srkb"] == {"truncated": True, "rowLimit": 2}
        assert doc["head"]["link"] == [link]
    else:
        assert f'<link href="{link}"/>'.encode() in resp.data
    # Exactly at the cap is not truncated, and the body says so too.
    resp = ask(client, CLAIMS, accept=RESULT_TYPES[fmt])
    assert resp.headers["SRKB-Truncated"] == "false"
    assert len(parse_select(resp.data, fmt)) == 2
    if fmt == "json":
        doc = json.loads(resp.data)
        assert doc["srkb"] == {"truncated": False, "rowLimit": 2} and "link" not in doc["head"]
    else:
        assert b"<link" not in resp.data


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_a_cut_answer_in_a_format_that_cannot_say_so_is_refused(
    kb: KnowledgeBase, fmt: str
) -> None:
    client = create_app(settings(max_rows=2), kb=kb).test_client()
    resp = ask(client, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", accept=RESULT_TYPES[fmt])
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["error"] == "E410" and "LIMIT" in body["message"], body
    resp = ask(client, CLAIMS, accept=RESULT_TYPES[fmt])  # exactly at the cap: answered
    assert resp.status_code == 200 and len(parse_select(resp.data, fmt)) == 2


def test_a_cut_graph_is_refused_and_a_limited_one_answered(kb: KnowledgeBase) -> None:
    client = create_app(settings(max_rows=2), kb=kb).test_client()
    query = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
    resp = ask(client, query, accept="application/n-triples")
    assert resp.status_code == 400 and resp.get_json()["error"] == "E410"
    resp = ask(client, query + " LIMIT 2", accept="application/n-triples")
    assert resp.headers["SRKB-Truncated"] == "false"
    assert len(Graph().parse(data=resp.data, format="nt")) == 2


def test_an_html_page_shows_a_cut_answer(kb: KnowledgeBase) -> None:
    client = create_app(settings(max_rows=2), kb=kb).test_client()
    resp = ask(client, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", accept="text/html")
    assert resp.status_code == 200 and resp.headers["SRKB-Truncated"] == "true"


# --------------------------------------------------------------------------- HTML and description
def test_browser_gets_an_escaped_html_table(client: FlaskClient) -> None:
    resp = ask(client, CLAIMS, accept="text/html,application/xhtml+xml,*/*;q=0.8")
    assert resp.status_code == 200
    assert resp.mimetype == "text/html"
    page = resp.data.decode()
    assert "Aldar Xelil" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "nosniff" == resp.headers["X-Content-Type-Options"]
    assert "script-src" not in resp.headers["Content-Security-Policy"]  # no scripts at all


def test_service_description_without_query(client: FlaskClient) -> None:
    resp = client.get("/sparql")
    assert resp.status_code == 200
    assert resp.mimetype == "text/turtle"
    g = Graph().parse(data=resp.data, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoints = list(g.objects(None, URIRef(sd + "endpoint")))
    assert [str(e) for e in endpoints] == [BASE + "sparql"]  # from SRKB_BASE_IRI
    resp = client.get("/sparql", headers={"Accept": "text/html"})
    assert resp.mimetype == "text/html"
    assert b'<form class="query" method="post"' in resp.data


@pytest.mark.parametrize("path", ["/sparql", "/queries", "/dumps"])
def test_a_forged_host_header_is_not_reflected_in_absolute_urls(
    client: FlaskClient, path: str
) -> None:
    """Issue 11 item 12: absolute URLs come from the base IRI, never from Host."""
    resp = client.get(path, headers={"Host": "evil.example", "Accept": "text/turtle"})
    if resp.status_code in (301, 302, 303, 307, 308):
        assert "evil.example" not in resp.headers["Location"]
        resp = client.get(resp.headers["Location"], headers={"Host": "evil.example"})
    assert resp.status_code in (200, 406), resp.status_code
    assert b"evil.example" not in resp.data
    resp = client.get(path, headers={"Host": "evil.example", "Accept": "application/json"})
    assert b"evil.example" not in resp.data


def test_healthz_reports_the_quad_count(client: FlaskClient, kb: KnowledgeBase) -> None:
    resp = client.get("/healthz")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["ok"] is True and body["quads"] == kb.quad_count()
    assert body["release"] == resp.headers["SRKB-Release"]
    assert body["queries"]["mode"] == "inline"


def test_create_app_serves_a_published_release_read_only(tmp_path: Path) -> None:
    """Without a kb, create_app publishes the data dir's content as a release and serves
    that checkpoint read-only."""
    data = tmp_path / "data"
    with KnowledgeBase.open(data) as primary:
        primary.store.load(FIXTURE_TRIG.encode(), format=ox.RdfFormat.TRIG)
    app = create_app(settings(data_dir=data, query_processes=0))
    served = app.extensions[SERVED_KEY].kb
    assert served.read_only and served.path != data / "store"
    assert served.path.parent.parent == (data / "releases").absolute()
    resp = app.test_client().get("/sparql", query_string={"query": ASK_TRUE})
    assert json.loads(resp.data)["boolean"] is True
    # The primary store is free for `srkb ingest` while the app serves the snapshot.
    with KnowledgeBase.open(data) as primary:
        assert primary.quad_count() == served.quad_count()


# --------------------------------------------------------------------------- datasets, escapes
def test_from_names_a_graph_of_the_store_and_is_never_fetched(
    client: FlaskClient, listener: Listener
) -> None:
    query = "SELECT ?s WHERE { ?s ?p ?o }"
    resp = ask(client, f"SELECT ?s FROM <{listener.url}> WHERE {{ ?s ?p ?o }}")
    assert resp.status_code == 200 and parse_select(resp.data, "json") == []
    resp = ask(client, f"SELECT ?s FROM NAMED <{listener.url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    assert resp.status_code == 200 and parse_select(resp.data, "json") == []
    assert listener.settle() == 0
    # FROM is honoured (not replaced by srkb's union default graph)...
    from_gaz = ask(client, query.replace("WHERE", f"FROM <{GAZ_GRAPH}> WHERE"))
    subjects = {r["s"] for r in parse_select(from_gaz.data, "json")}
    assert subjects == {BASE + "entity/reuters", BASE + "entity/aldar-xelil", BASE + "entity/sdf"}
    # ... and the protocol's dataset replaces it as a whole.
    resp = ask(
        client,
        query.replace("WHERE", f"FROM <{GAZ_GRAPH}> WHERE"),
        **{"named-graph-uri": TEXT_GRAPH},
    )
    assert parse_select(resp.data, "json") == []


@pytest.mark.parametrize("method", METHODS)
def test_service_iris_are_checked_as_the_engine_reads_them(
    client: FlaskClient, listener: Listener, method: str
) -> None:
    escaped = f"<\\u0068ttp://127.0.0.1:{listener.port}/sparql>"
    resp = ask(client, f"SELECT * WHERE {{ SERVICE {escaped} {{ ?s ?p ?o }} }}", method)
    assert resp.status_code == 403, resp.data
    assert listener.settle() == 0, f"{listener.connections} connection(s) to {listener.port}"


def test_relative_iris_resolve_against_the_base_iri(client: FlaskClient) -> None:
    resp = ask(client, "DESCRIBE <claim/c1>", accept="application/n-triples")
    got = Graph().parse(data=resp.data, format="nt")
    assert (URIRef(BASE + "claim/c1"), URIRef(SRKB + "dateText"), Literal("On April 4")) in got


@pytest.mark.parametrize(
    ("iri", "allowlist", "allowed"),
    [
        ("http://wikidata.example/sparql", ["wikidata.example"], True),
        ("https://wikidata.example:8443/x", ["wikidata.example"], True),
        ("http://wikidata.example.evil/sparql", ["wikidata.example"], False),
        ("http://wikidata.example@evil/sparql", ["wikidata.example"], False),
        ("http://q.example/sparql", ["http://q.example/sparql"], True),
        ("http://q.example/sparql/x", ["http://q.example/sparql"], True),
        ("http://q.example/sparqlx", ["http://q.example/sparql"], False),
        ("https://q.example/sparql", ["http://q.example/sparql"], False),
        ("http://q.example:81/sparql", ["http://q.example/"], False),
        ("http://q.example:80/sparql", ["http://q.example/"], True),
        ("sparql", ["q.example"], False),
        ("ftp://q.example/", ["q.example"], False),
        ("anything", ["*"], True),
        ("http://q.example/", [], False),
    ],
)
def test_allowlist_compares_parsed_iris(iri: str, allowlist: list[str], allowed: bool) -> None:
    from kb.sparql_guard import target_allowed

    assert target_allowed(iri, allowlist) is allowed


def test_an_allowlisted_service_passes_the_guard(kb: KnowledgeBase, listener: Listener) -> None:
    """Control for the allowlist: the query reaches the engine (which then connects)."""
    client = create_app(settings(service_allowlist="127.0.0.1"), kb=kb).test_client()
    resp = ask(client, f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}")
    assert resp.status_code == 200, resp.data
    assert listener.settle() >= 1
