"""`srkb remove`'s references: every form a user may give, resolved together, without
listing the store's texts unless an id prefix asks for it."""

from __future__ import annotations

import pytest

from kb.corpus import InputText
from kb.errors import InputError
from kb.ingest import ingest_texts, remove_texts
from kb.iri import IriMinter
from kb.store import KnowledgeBase
from kb.text_refs import resolve_text_refs

BASE = "http://kb.test/"
TEXTS = {
    "reports/one.txt": "Reuters reported that the bridge at Hajin was destroyed on Monday.",
    "two.txt": "AMN said that the army entered the village. A commenter wrote: AMN is reliable.",
    "three.txt": "The SDF denied that the bridge at Hajin was destroyed.",
}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    store = KnowledgeBase.in_memory()
    ingest_texts(store, [InputText(n, t) for n, t in TEXTS.items()], base_iri=BASE)
    return store


def _graphs(kb: KnowledgeBase) -> dict[str, str]:
    """file name -> its text's graph IRI, read from the store."""
    rows = kb.query(
        "SELECT ?g ?name WHERE { GRAPH ?g { ?t <http://purl.org/dc/terms/source> ?name } }"
    )
    return {r["name"].value: r["g"].value for r in rows}


def test_every_kind_of_reference_finds_its_text(kb: KnowledgeBase) -> None:
    graphs = _graphs(kb)
    graph = graphs["one.txt"]
    text_id = graph.rsplit("/", 1)[-1]
    text_iri = str(IriMinter(BASE).source_text(text_id))
    refs = [text_id, text_id[:6], graph, text_iri, "one.txt", "elsewhere/one.txt"]
    found = resolve_text_refs(kb, refs, BASE)
    assert found == {ref: [(graph, "one.txt")] for ref in refs}


def test_references_matching_nothing_resolve_to_nothing(kb: KnowledgeBase) -> None:
    refs = ["nothing.txt", "abcdef0123", BASE + "graph/text/0000000000000000", "abc"]
    assert resolve_text_refs(kb, refs, BASE) == {ref: [] for ref in refs}


def test_fewer_than_six_hex_digits_are_no_id_prefix(kb: KnowledgeBase) -> None:
    ids = [g.rsplit("/", 1)[-1] for g in _graphs(kb).values()]
    refs = [i[:5] for i in ids] + [i[:1] for i in ids]
    assert all(found == [] for found in resolve_text_refs(kb, refs, BASE).values())
    assert all(found for found in resolve_text_refs(kb, [i[:6] for i in ids], BASE).values())


def test_names_and_iris_are_found_without_listing_the_texts(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = []
    original = KnowledgeBase.named_graphs
    monkeypatch.setattr(
        KnowledgeBase, "named_graphs", lambda self: listed.append(1) or original(self)
    )
    graphs = _graphs(kb)
    found = resolve_text_refs(kb, ["two.txt", graphs["three.txt"]], BASE)
    assert found["two.txt"] == [(graphs["two.txt"], "two.txt")]
    assert not listed
    resolve_text_refs(kb, [graphs["two.txt"].rsplit("/", 1)[-1][:8]], BASE)
    assert listed == [1]


def test_remove_resolves_all_references_before_removing_any() -> None:
    store = KnowledgeBase.in_memory()
    ingest_texts(store, [InputText(n, t) for n, t in TEXTS.items()], base_iri=BASE)
    before = set(store.named_graphs())
    with pytest.raises(InputError, match="missing.txt: no ingested text"):
        remove_texts(store, ["two.txt", "missing.txt"], base_iri=BASE)
    assert set(store.named_graphs()) == before
    assert remove_texts(store, ["two.txt", "one.txt"], base_iri=BASE) == ["one.txt", "two.txt"]
    assert set(_graphs(store)) == {"three.txt"}
