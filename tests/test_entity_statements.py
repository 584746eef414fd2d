"""A bulk derivation reads what the store states of every entity's names and types once
(kb.entity_statements ``Preloaded``): it must find what one lookup per predicate finds
(``stated``), for every subject of a store holding texts with comments and unnamed
sources, the gazetteer, analysts' priors and a graph srkb did not write."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyoxigraph as ox

from kb.corpus import InputText
from kb.derived import finish_pending
from kb.derived.entities import entities_graph_iri
from kb.entity_statements import PREF, Preloaded, own_text_graph, stated
from kb.ingest import ingest_texts
from kb.prior_graphs import load_prior_file
from kb.priors import read_prior_file
from kb.store import KnowledgeBase, value

from .helpers import PROJECT_ROOT, SEED_PATH

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
from synthetic_corpus import documents  # noqa: E402

BASE = "http://127.0.0.1:8000/"
PRIORS = """source,grade,trust,assessor,assessed,weight,note
Reuters,A,,Example Newsroom standards desk,2024-01-15,,wire of record
"""
S = "https://w3id.org/srkb/ontology#"
ELSEWHERE = BASE + "graph/analysts-notes"  # a graph some other tool wrote


def test_entities_read_at_once_are_described_as_one_at_a_time(tmp_path: Path) -> None:
    kb = KnowledgeBase.in_memory()
    texts = [InputText("seed.txt", SEED_PATH.read_text(encoding="utf-8"))]
    texts += [InputText(f"doc-{i}.json", json.dumps(d), d) for i, d in enumerate(documents(25))]
    ingest_texts(kb, texts, base_iri=BASE)
    priors = tmp_path / "priors.csv"
    priors.write_text(PRIORS, encoding="utf-8")
    load_prior_file(kb, read_prior_file(str(priors)), base_iri=BASE, version="9.9.9")
    finish_pending(kb, base_iri=BASE)
    noted = BASE + "entity/reuters"
    kb.add_quads([ox.Quad(ox.NamedNode(noted), PREF, ox.Literal("RTRS"), ox.NamedNode(ELSEWHERE))])

    shared_graph = ox.NamedNode(entities_graph_iri(BASE))

    def shared(entity: str) -> list[ox.Quad]:
        return list(kb.backend.quads_for_pattern(ox.NamedNode(entity), None, None, shared_graph))

    at_once = Preloaded(kb, shared)
    # the entities: what texts refer to, and every IRI minted for an actor or source
    referring = {S + p for p in ("refersTo", "speaker", "relayedBy", "judgedSource", "assessor")}
    referring.add("https://schema.org/author")
    entities = {
        value(q.object)
        for q in kb.quads()
        if value(q.predicate) in referring and isinstance(q.object, ox.NamedNode)
    }
    entities |= {
        value(t)
        for q in kb.quads()
        for t in (q.subject, q.object)
        if isinstance(t, ox.NamedNode) and value(t).startswith(BASE + "entity/")
    }
    local_named = 0
    for entity in sorted(entities):
        one_by_one = stated(kb, entity, set(), shared)
        assert sorted(map(str, at_once(entity))) == sorted(map(str, one_by_one)), entity
        if own_text_graph(entity) and any(q.predicate == PREF for q in one_by_one):
            local_named += 1
    assert local_named > 0  # unnamed sources, described in their own text's graph
    assert ox.Literal("RTRS") in {q.object for q in at_once(noted)}
    assert any(ELSEWHERE != value(q.graph_name) for q in at_once(noted))  # the gazetteer's


def test_only_entities_under_a_text_are_local_to_one() -> None:
    assert own_text_graph(BASE + "text/0123abcd/unnamed/local-sources") == (
        BASE + "graph/text/0123abcd"
    )
    assert own_text_graph(BASE + "text/0123abcd/comment/2/author") == BASE + "graph/text/0123abcd"
    assert own_text_graph(BASE + "entity/reuters") is None
    assert own_text_graph(BASE + "text/0123abcd") is None  # the text itself
