"""Everything the server publishes besides /sparql, over the seed, through Flask's test client.

Linked Data (the data IRIs dereference: RDF by Accept, HTML for browsers, any host mapped
onto the base IRI), the ontology at its namespace, the named queries over HTTP, the
service description's VoID figures, the Graph Store read side, the release header,
CORS, the access log and the update URL that says why there is none.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kb.config import Settings
from kb.corpus import InputText
from kb.dump import dump_bytes
from kb.named_queries import named_queries
from kb.release import describe_release
from kb.store import KnowledgeBase
from kb.vocab import SRKB
from ontology import NAMESPACE, ONTOLOGY_PATH
from server import create_app

from .helpers import SEED_PATH

BASE = "http://kb.test/"
SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"
TURTLE = {"Accept": "text/turtle"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(scope="module")
def seed_kb() -> KnowledgeBase:
    from kb.ingest import ingest_texts

    kb = KnowledgeBase.in_memory()
    text = SEED_PATH.read_text(encoding="utf-8")
    ingest_texts(kb, [InputText("seed.txt", text)], base_iri=BASE)
    return kb


def settings(**overrides: Any) -> Settings:
    return Settings.from_env(environ={}, base_iri=BASE, **overrides)


@pytest.fixture(scope="module")
def app(seed_kb: KnowledgeBase) -> Flask:
    app = create_app(settings(), kb=seed_kb)
    app.testing = True
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def one(kb: KnowledgeBase, sparql: str) -> str:
    rows = list(kb.query(sparql))
    assert rows, sparql
    return str(rows[0][0].value)


@pytest.fixture(scope="module")
def iris(seed_kb: KnowledgeBase) -> dict[str, str]:
    p = "PREFIX srkb: <https://w3id.org/srkb/ontology#> "
    claim = one(
        seed_kb,
        p + "SELECT ?c WHERE { GRAPH ?g { ?c a srkb:Claim ; srkb:relayedBy ?r } "
        "FILTER(STRENDS(STR(?r), '/entity/reuters')) } ORDER BY ?c LIMIT 1",
    )
    text = one(seed_kb, p + "SELECT ?t WHERE { GRAPH ?g { ?t a srkb:SourceText } }")
    rating = one(
        seed_kb,
        p + f"SELECT ?r WHERE {{ GRAPH ?g {{ ?r srkb:ratedSource <{BASE}entity/reuters> }} }}",
    )
    return {
        "entity": BASE + "entity/reuters",
        "claim": claim,
        "text": text,
        "article": text + "/article",
        "comment": text + "/comment/2",
        "rating": rating,
    }


def path(iri: str) -> str:
    return "/" + iri[len(BASE) :]


# --------------------------------------------------------------------------- Linked Data
@pytest.mark.parametrize("kind", ["entity", "claim", "text", "article", "comment", "rating"])
def test_data_iris_dereference_as_turtle(
    client: FlaskClient, iris: dict[str, str], seed_kb: KnowledgeBase, kind: str
) -> None:
    iri = iris[kind]
    resp = client.get(path(iri), headers=TURTLE)
    assert resp.status_code == 200, resp.data
    assert resp.mimetype == "text/turtle"
    assert "Accept" in resp.vary
    got = Graph().parse(data=resp.data, format="turtle")
    subject = URIRef(iri)
    # Every triple the store holds about it is there (long strings of a text aside).
    for q in seed_kb.quads():
        if q.subject.value == iri and "isString" not in q.predicate.value:
            assert (subject, URIRef(q.predicate.value), None) in got, q
    assert resp.headers["SRKB-Release"].startswith("sha256:")


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [("application/ld+json", "json-ld"), ("application/n-triples", "nt")],
)
def test_the_same_description_in_json_ld_and_n_triples(
    client: FlaskClient, iris: dict[str, str], accept: str, rdflib_format: str
) -> None:
    turtle = Graph().parse(
        data=client.get(path(iris["claim"]), headers=TURTLE).data, format="turtle"
    )
    resp = client.get(path(iris["claim"]), headers={"Accept": accept})
    assert resp.status_code == 200 and resp.mimetype == accept
    assert isomorphic(Graph().parse(data=resp.data, format=rdflib_format), turtle)


def test_a_claim_comes_with_its_span_labels_and_rating(
    client: FlaskClient, iris: dict[str, str]
) -> None:
    g = Graph().parse(data=client.get(path(iris["claim"]), headers=TURTLE).data, format="turtle")
    claim = URIRef(iris["claim"])
    span = g.value(claim, SRKB.evidence)
    assert span is not None and "#char=" in str(span)
    anchor = g.value(
        span, URIRef("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf")
    )
    assert anchor is not None and "Reuters" in str(anchor)
    assert (URIRef(iris["entity"]), SKOS.prefLabel, Literal("Reuters")) in g
    assert (None, SRKB.ratedClaim, claim) in g  # pointing here: the claim's rating
    assert (SRKB.Claim, RDFS.label, None) in g  # labels of linked classes


def test_an_entity_lists_what_points_to_it(client: FlaskClient, iris: dict[str, str]) -> None:
    g = Graph().parse(data=client.get(path(iris["entity"]), headers=TURTLE).data, format="turtle")
    assert (URIRef(iris["rating"]), SRKB.ratedSource, URIRef(iris["entity"])) in g
    assert (None, SRKB.relayedBy, URIRef(iris["entity"])) in g


def test_a_text_shows_its_documents_not_its_whole_string(
    client: FlaskClient, iris: dict[str, str]
) -> None:
    g = Graph().parse(data=client.get(path(iris["text"]), headers=TURTLE).data, format="turtle")
    text = URIRef(iris["text"])
    assert (text, RDF.type, SRKB.SourceText) in g
    is_string = URIRef("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString")
    assert (text, is_string, None) not in g  # the seed is ~11k characters
    assert (URIRef(iris["article"]), SRKB.inSourceText, text) in g
    assert (URIRef(iris["comment"]), RDF.type, SRKB.ReaderComment) in g
    assert len(g) < 1000


def test_browsers_get_an_escaped_html_page(client: FlaskClient, iris: dict[str, str]) -> None:
    resp = client.get(path(iris["entity"]), headers=BROWSER)
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    page = resp.data.decode()
    assert "<h1>Reuters</h1>" in page
    assert 'href="/rating/' in page  # data IRIs link to their pages on this server
    assert "triple-provenance" in page and "actor-profile" in page
    assert "script-src" not in resp.headers["Content-Security-Policy"]
    text_page = client.get(path(iris["text"]), headers=BROWSER).data.decode()
    assert "named graph" in text_page and "comment 2" in text_page


def test_html_escapes_what_the_texts_say(seed_kb: KnowledgeBase) -> None:
    import pyoxigraph as ox

    kb = KnowledgeBase.in_memory()
    graph = ox.NamedNode(BASE + "graph/text/x")
    evil = ox.NamedNode(BASE + "entity/evil")
    kb.store.add(
        ox.Quad(
            evil, ox.NamedNode(str(SKOS.prefLabel)), ox.Literal("<script>alert(1)</script>"), graph
        )
    )
    kb.store.add(
        ox.Quad(evil, ox.NamedNode(str(RDFS.seeAlso)), ox.NamedNode("javascript:alert(1)"), graph)
    )
    page = (
        create_app(settings(), kb=kb)
        .test_client()
        .get("/entity/evil", headers=BROWSER)
        .data.decode()
    )
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert 'href="javascript:' not in page


def test_any_host_maps_onto_the_base_iri(client: FlaskClient, iris: dict[str, str]) -> None:
    """Behind a proxy (or reached as localhost) the path still names the data IRI."""
    resp = client.get(path(iris["entity"]), headers=TURTLE, base_url="https://proxy.example:8443/")
    g = Graph().parse(data=resp.data, format="turtle")
    assert (URIRef(iris["entity"]), SKOS.prefLabel, Literal("Reuters")) in g


def test_unknown_resources_are_404_in_the_error_shape(client: FlaskClient) -> None:
    resp = client.get("/entity/no-such-actor", headers=TURTLE)
    assert resp.status_code == 404
    body = resp.get_json()
    assert body["ok"] is False and body["error"] == "E404" and "no-such-actor" in body["message"]
    assert client.get("/claim/nothing", headers=BROWSER).mimetype == "text/html"


def test_a_graph_iri_answers_with_the_graph(
    client: FlaskClient, iris: dict[str, str], seed_kb: KnowledgeBase
) -> None:
    graph = BASE + "graph/ratings"
    resp = client.get(path(graph), headers={"Accept": "application/n-triples"})
    assert resp.status_code == 200
    got = Graph().parse(data=resp.data, format="nt")
    assert len(got) == seed_kb.graph_quad_count(graph)
    assert client.get("/graph/nothing").status_code == 404


# --------------------------------------------------------------------------- Graph Store
def test_graph_store_read_side(client: FlaskClient, seed_kb: KnowledgeBase) -> None:
    graph = BASE + "graph/gazetteer"
    resp = client.get("/graph-store", query_string={"graph": graph}, headers=TURTLE)
    assert resp.status_code == 200 and resp.mimetype == "text/turtle"
    assert len(Graph().parse(data=resp.data, format="turtle")) == seed_kb.graph_quad_count(graph)
    resp = client.get("/graph-store?default", headers={"Accept": "application/n-triples"})
    assert resp.status_code == 200 and int(resp.headers["SRKB-Rows"]) > 0
    assert (
        client.get("/graph-store", query_string={"graph": BASE + "graph/none"}).status_code == 404
    )
    assert client.get("/graph-store").status_code == 400
    assert (
        client.get("/graph-store", query_string={"graph": graph, "default": ""}).status_code == 400
    )
    assert client.put("/graph-store", query_string={"graph": graph}, data="").status_code == 405


# --------------------------------------------------------------------------- ontology
def test_ontology_turtle_and_rdf_xml_by_accept(client: FlaskClient) -> None:
    shipped = Graph().parse(ONTOLOGY_PATH, format="turtle")
    for accept, fmt, ext in (
        ("text/turtle", "turtle", "ttl"),
        ("application/rdf+xml", "xml", "rdf"),
        ("application/ld+json", "json-ld", "jsonld"),
    ):
        resp = client.get("/ontology", headers={"Accept": accept})
        assert resp.status_code == 200 and resp.mimetype == accept
        assert "Accept" in resp.vary
        assert resp.headers["Content-Location"] == f"/ontology.{ext}"
        assert isomorphic(Graph().parse(data=resp.data, format=fmt), shipped)
        assert client.get(f"/ontology.{ext}").data == resp.data
    version = str(shipped.value(URIRef(NAMESPACE[:-1]), OWL.versionInfo))
    assert client.get(f"/ontology/{version}", headers=TURTLE).status_code == 200
    assert client.get("/ontology/0.0.1", headers=TURTLE).status_code == 404


def test_ontology_html_documents_every_term_by_local_name(client: FlaskClient) -> None:
    resp = client.get("/ontology", headers=BROWSER)
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    page = resp.data.decode()
    ids = set(re.findall(r'id="([^"]+)"', page))
    shipped = Graph().parse(ONTOLOGY_PATH, format="turtle")
    terms = {
        str(s)[len(NAMESPACE) :]
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for s in shipped.subjects(RDF.type, kind)
        if str(s).startswith(NAMESPACE)
    }
    assert terms and terms <= ids, terms - ids
    label = str(shipped.value(SRKB.relayedBy, RDFS.label))
    comment = str(shipped.value(SRKB.relayedBy, RDFS.comment))
    assert str(escape(label)) in page and str(escape(comment)) in page
    assert "srkb: source-reliability knowledge base ontology" in page


# --------------------------------------------------------------------------- named queries
def test_named_queries_are_listed(client: FlaskClient) -> None:
    listed = client.get("/queries").get_json()["queries"]
    assert [q["name"] for q in listed] == list(named_queries())
    reliability = next(q for q in listed if q["name"] == "source-reliability")
    assert reliability["params"][0]["name"] == "source" and reliability["params"][0]["required"]
    page = client.get("/queries", headers=BROWSER).data.decode()
    assert "Why a source has its grade" in page and 'name="source"' in page


def test_a_named_query_runs_with_its_parameters(client: FlaskClient) -> None:
    resp = client.get(
        "/queries/source-reliability",
        query_string={"source": "Reuters"},
        headers={"Accept": "text/csv"},
    )
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert "grade" in resp.data.decode().splitlines()[0]
    as_json = client.get("/queries/who-said-what", query_string={"name": "Reuters"}).get_json()
    assert as_json["results"]["bindings"]
    text = client.get("/queries/source-reliability?source=Reuters&format=rq").data.decode()
    assert 'VALUES ?source { "reuters" }' in text  # names are looked up lower-cased


def test_named_query_errors(client: FlaskClient) -> None:
    assert client.get("/queries/source-reliability").status_code == 400  # required param
    resp = client.get("/queries/source-reliability?source=x&bogus=1")
    assert resp.status_code == 400 and "bogus" in resp.get_json()["message"]
    assert client.get("/queries/no-such-query").status_code == 404
    injected = client.get("/queries/source-reliability", query_string={"source": '" } } #'})
    assert injected.status_code == 200  # bound as a literal, not pasted


# --------------------------------------------------------------------------- description
def test_service_description_has_void_figures_of_what_is_loaded(
    client: FlaskClient, seed_kb: KnowledgeBase
) -> None:
    resp = client.get("/sparql", headers=TURTLE)
    g = Graph().parse(data=resp.data, format="turtle")
    dataset = URIRef(BASE)
    assert (None, URIRef(SD + "defaultDataset"), dataset) in g
    assert int(g.value(dataset, URIRef(VOID + "triples"))) > 1000
    # the shared graphs are listed with their sizes; text graphs (one per text: there
    # may be a hundred thousand) are counted in the release, not listed
    names = {str(o) for o in g.objects(None, URIRef(SD + "name"))}
    shared = {
        g for g in seed_kb.named_graphs() if "/graph/text/" not in g and "/graph/journal" not in g
    }
    assert names == shared and BASE + "graph/ratings" in names
    release = resp.headers["SRKB-Release"]
    assert str(g.value(dataset, URIRef(DCTERMS + "identifier"))) == release
    assert (None, URIRef(SD + "feature"), URIRef(SD + "UnionDefaultGraph")) in g
    for accept, fmt in (("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")):
        other = client.get("/sparql", headers={"Accept": accept})
        assert other.mimetype == accept
        assert len(Graph().parse(data=other.data, format=fmt)) == len(g)


def test_release_header_names_the_content_and_its_dump(
    client: FlaskClient, seed_kb: KnowledgeBase
) -> None:
    expected = describe_release(seed_kb).id  # follows the content (kb.content)
    for url in ("/sparql?query=ASK%7B%7D", "/healthz", "/nothing", "/entity/reuters"):
        assert client.get(url).headers["SRKB-Release"] == expected
    nq = client.get("/dumps/latest.nq")
    assert nq.data == dump_bytes(seed_kb, "nquads")
    assert nq.headers["ETag"].strip('"').startswith(expected)
    assert (
        client.get("/dumps/latest.nq", headers={"If-None-Match": nq.headers["ETag"]}).status_code
        == 304
    )


def test_dumps_are_what_srkb_dump_writes(client: FlaskClient, seed_kb: KnowledgeBase) -> None:
    for ext, fmt, media in (
        ("nq", "nquads", "application/n-quads"),
        ("trig", "trig", "application/trig"),
        ("ttl", "turtle", "text/turtle"),
        ("jsonld", "jsonld", "application/ld+json"),
    ):
        resp = client.get(f"/dumps/latest.{ext}")
        assert resp.status_code == 200 and resp.mimetype == media
        assert resp.data == dump_bytes(seed_kb, fmt), ext
    void = Graph().parse(data=client.get("/dumps/latest.void.ttl").data, format="turtle")
    assert (URIRef(BASE), URIRef(VOID + "dataDump"), URIRef(BASE + "dumps/latest.nq")) in void
    listing = client.get("/dumps").get_json()
    assert listing["release"] == client.get("/healthz").get_json()["release"]
    assert client.get("/dumps/latest.xyz").status_code == 404
    assert client.get("/.well-known/void").status_code == 303
    home = client.get("/", headers=TURTLE)
    assert home.mimetype == "text/turtle" and len(Graph().parse(data=home.data)) == len(void)


# --------------------------------------------------------------------------- updates, CORS, log
def test_the_update_url_says_why_there_are_no_updates(client: FlaskClient) -> None:
    for method in ("get", "post"):
        resp = getattr(client, method)("/update", data={"update": "CLEAR ALL"})
        assert resp.status_code == 403
        message = resp.get_json()["message"]
        assert "switched off" in message and "srkb ingest" in message


def test_cors_is_off_by_default(client: FlaskClient) -> None:
    resp = client.get("/sparql?query=ASK%7B%7D", headers={"Origin": "https://yasgui.example"})
    assert "Access-Control-Allow-Origin" not in resp.headers
    pre = client.options(
        "/sparql",
        headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST"},
    )
    assert "Access-Control-Allow-Origin" not in pre.headers


def test_cors_for_listed_origins(seed_kb: KnowledgeBase) -> None:
    client = create_app(settings(cors_origins="https://yasgui.example"), kb=seed_kb).test_client()
    resp = client.get("/sparql?query=ASK%7B%7D", headers={"Origin": "https://yasgui.example"})
    assert resp.headers["Access-Control-Allow-Origin"] == "https://yasgui.example"
    assert "SRKB-Release" in resp.headers["Access-Control-Expose-Headers"]
    assert "Origin" in resp.vary
    pre = client.options(
        "/sparql",
        headers={
            "Origin": "https://yasgui.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert pre.status_code == 204
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert pre.headers["Access-Control-Allow-Headers"] == "content-type"
    other = client.get("/sparql?query=ASK%7B%7D", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    anyone = create_app(settings(cors_origins="*"), kb=seed_kb).test_client()
    resp = anyone.get("/healthz", headers={"Origin": "https://evil.example"})
    assert resp.headers["Access-Control-Allow-Origin"] == "*"


def test_one_json_access_log_line_per_request(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="srkb.access"):
        client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"})
        client.get("/sparql", query_string={"query": "SELECT * {"})
    records = [json.loads(r.getMessage()) for r in caplog.records if r.name == "srkb.access"]
    assert [r["status"] for r in records] == [200, 400]
    first = records[0]
    assert first["method"] == "GET" and first["path"] == "/sparql" and first["rows"] == 3
    assert first["truncated"] is False and first["release"].startswith("sha256:")
    assert first["duration_ms"] >= 0 and first["client"] == "127.0.0.1"
