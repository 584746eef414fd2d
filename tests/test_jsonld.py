"""JSON-LD answers are compacted against the published context; JSON and plain-text
clients get RDF they can read (issue 13)."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from kb.config import Settings
from kb.store import KnowledgeBase
from server import create_app

BASE = "http://kb.test/"
TRIG = b"""
@prefix srkb: <https://w3id.org/srkb/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<http://kb.test/graph/gazetteer> {
  <http://kb.test/entity/sdf> a srkb:ArmedGroup ; skos:prefLabel "Syrian Democratic Forces" ;
      skos:altLabel "SDF" .
}
"""


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    kb = KnowledgeBase.in_memory()
    kb.store.load(TRIG, format=ox.RdfFormat.TRIG)
    return create_app(Settings.from_env(environ={}, base_iri=BASE), kb=kb).test_client()


def test_the_context_is_published(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/context.jsonld")
    assert resp.status_code == 200 and resp.mimetype == "application/ld+json"
    ctx = resp.get_json()["@context"]
    assert ctx["skos"] == "http://www.w3.org/2004/02/skos/core#"
    assert ctx["srkb"] == "https://w3id.org/srkb/ontology#"


@pytest.mark.parametrize("accept", ["application/ld+json", "application/json"])
def test_an_entity_as_json_ld_is_compacted_against_the_published_context(
    client,
    accept: str,  # type: ignore[no-untyped-def]
) -> None:
    resp = client.get("/entity/sdf", headers={"Accept": accept})
    assert resp.status_code == 200 and resp.mimetype == "application/ld+json"
    doc = json.loads(resp.data)
    assert doc["@context"] == client.get("/context.jsonld").get_json()["@context"]
    body = json.dumps({k: v for k, v in doc.items() if k != "@context"})
    assert "skos:prefLabel" in body and "http://www.w3.org/2004/02/skos" not in body
    # Read back without any network, it is the same graph as the Turtle answer.
    expanded = Graph().parse(data=resp.data, format="json-ld")
    turtle = Graph().parse(
        data=client.get("/entity/sdf", headers={"Accept": "text/turtle"}).data, format="turtle"
    )
    assert set(expanded) == set(turtle)
    assert (URIRef(BASE + "entity/sdf"), None, None) in expanded


def test_a_construct_in_json_ld_is_compacted(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.post(
        "/sparql",
        data={"query": "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/ld+json"},
    )
    assert resp.status_code == 200 and "skos" in json.loads(resp.data)["@context"]


def test_plain_text_clients_get_n_triples(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/entity/sdf", headers={"Accept": "text/plain"})
    assert resp.status_code == 200 and resp.mimetype == "application/n-triples"
    assert len(Graph().parse(data=resp.data, format="nt")) >= 3
