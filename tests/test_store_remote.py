"""The remote SPARQL store backend against a real `oxigraph serve` (issue 12).

The backend contract (kb.store.base.StoreBackend) is checked on the server through the
SPARQL 1.1 protocols only, and compared with the embedded store holding the same quads.
"""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest

from kb.errors import StoreError
from kb.store import KnowledgeBase
from kb.store.remote import SparqlBackend

from .conftest import SparqlServer

G1 = ox.NamedNode("http://kb.test/graph/text/t1")
G2 = ox.NamedNode("http://kb.test/graph/text/t2")
A = ox.NamedNode("http://kb.test/entity/a")
P = ox.NamedNode("http://kb.test/p")
Q = ox.NamedNode("http://kb.test/q")
ODD = [
    ox.Literal('quotes " and \\ backslash\nnew line\ttab', language="en"),
    ox.Literal("5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ox.Literal("زاوية الرمال\u200f"),
    ox.Literal("<script>alert(1)</script>"),
    ox.NamedNode("http://kb.test/entity/b?x=1&y=%20"),
]
QUADS = [ox.Quad(A, P, o, G1) for o in ODD] + [ox.Quad(A, Q, ox.Literal("t2"), G2)]


@pytest.fixture
def remote(sparql_server: SparqlServer) -> KnowledgeBase:
    kb = KnowledgeBase(SparqlBackend(sparql_server.query_url, sparql_server.update_url))
    kb.add_quads(QUADS)
    return kb


@pytest.fixture
def embedded() -> KnowledgeBase:
    kb = KnowledgeBase.in_memory()
    kb.add_quads(QUADS)
    return kb


def test_written_quads_are_in_the_server(
    remote: KnowledgeBase, sparql_server: SparqlServer
) -> None:
    # Asked directly, not through srkb: the server really holds them.
    direct = SparqlBackend(sparql_server.query_url)
    got = {
        (q.subject, q.predicate, q.object, q.graph_name)
        for q in direct.quads_for_pattern(None, None, None, None)
    }
    assert got == {(q.subject, q.predicate, q.object, q.graph_name) for q in QUADS}


def test_reads_match_the_embedded_store(remote: KnowledgeBase, embedded: KnowledgeBase) -> None:
    assert len(remote.backend) == len(embedded.backend) == len(QUADS)
    assert remote.named_graphs() == embedded.named_graphs()
    assert remote.has_graph(G1.value) and not remote.has_graph("http://kb.test/graph/none")
    assert sorted(map(str, remote.pattern(s=A.value, p=P.value))) == sorted(
        map(str, embedded.pattern(s=A.value, p=P.value))
    )
    query = "SELECT ?o WHERE { ?s <http://kb.test/p> ?o } ORDER BY STR(?o)"
    union = {"use_default_graph_as_union": True}
    assert [r["o"] for r in remote.query(query)] == [r["o"] for r in embedded.query(query, **union)]
    assert remote.ask("ASK { GRAPH ?g { ?s ?p 't2' } }")
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <http://kb.test/graph/text/t2> { ?s ?p ?o } }"
    assert [str(t) for t in remote.query(construct)] == [str(t) for t in embedded.query(construct)]


def test_the_dump_holds_every_quad(remote: KnowledgeBase) -> None:
    out = io.BytesIO()
    remote.dump_nquads(out)
    parsed = set(map(str, ox.parse(out.getvalue(), format=ox.RdfFormat.N_QUADS)))
    assert parsed == set(map(str, QUADS))


def test_replacing_a_graph_is_one_request(remote: KnowledgeBase) -> None:
    new = [ox.Quad(A, Q, ox.Literal("replaced"), G1)]
    remote.replace_graph(G1.value, new)
    assert [q.object for q in remote.quads(G1.value)] == [ox.Literal("replaced")]
    assert len(remote.backend) == 2


def test_a_failed_write_changes_nothing(remote: KnowledgeBase) -> None:
    before = sorted(map(str, remote.quads()))
    with pytest.raises(StoreError):
        remote.update(
            "INSERT DATA { GRAPH <http://kb.test/g> { <http://kb.test/x> <http://kb.test/p> 1 } }"
            " ; BROKEN"
        )
    assert sorted(map(str, remote.quads())) == before


def test_without_an_update_url_the_store_is_read_only(sparql_server: SparqlServer) -> None:
    kb = KnowledgeBase(SparqlBackend(sparql_server.query_url))
    assert kb.read_only
    with pytest.raises(StoreError, match="SRKB_STORE_UPDATE"):
        kb.add_quads(QUADS)


def test_an_unreachable_store_is_a_clear_error() -> None:
    kb = KnowledgeBase(SparqlBackend("http://127.0.0.1:9/query"))
    with pytest.raises(StoreError, match="cannot be reached"):
        kb.named_graphs()
