"""Emptying a derived graph too large for one transaction: the embedded store removes it
in parts, each its own transaction, and a rebuild stopped between parts is finished by
the next command (the marker is set before the first part)."""

from __future__ import annotations

import json
import sys

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kb.store.oxigraph as oxigraph_backend
from kb.corpus import InputText
from kb.derived import finish_pending, rebuild
from kb.derived.bulk import rebuild_pending
from kb.ingest import ingest_texts
from kb.reliability import ratings_graph_iri
from kb.store import KnowledgeBase

from .helpers import PROJECT_ROOT
from .test_derived import BASE, masked_dump, store

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
from synthetic_corpus import documents  # noqa: E402

G, H = ox.NamedNode("http://kb.test/graph/big"), ox.NamedNode("http://kb.test/graph/other")


def _quads(graph: ox.NamedNode, n: int) -> list[ox.Quad]:
    p = ox.NamedNode("http://kb.test/p")
    subjects = [ox.NamedNode(f"http://kb.test/s{i}") for i in range(n)]
    return [ox.Quad(s, p, ox.Literal(i), graph) for i, s in enumerate(subjects)]


@settings(max_examples=25, deadline=None)
@given(big=st.integers(0, 60), other=st.integers(0, 10), part=st.integers(1, 9))
def test_a_graph_is_emptied_in_parts_and_nothing_else_goes(big: int, other: int, part: int) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(oxigraph_backend, "EMPTY_PART", part)
        mp.setattr(oxigraph_backend, "EMPTY_FLUSH_PARTS", 2)
        kb = KnowledgeBase.in_memory()
        kb.add_quads([*_quads(G, big), *_quads(H, other)])
        updates: list[str] = []
        real = kb.backend.update
        mp.setattr(kb.backend, "update", lambda sparql: (updates.append(sparql), real(sparql)))
        kb.empty_graph(G.value)
        assert list(kb.pattern(None, None, None, G.value)) == []
        assert sorted(map(str, kb.pattern(None, None, None, H.value))) == sorted(
            map(str, _quads(H, other))
        )
        assert len(updates) == -(-big // part)  # one transaction per part
        kb.close()


@pytest.fixture(scope="module")
def texts() -> list[InputText]:
    return [InputText(f"doc-{i:03d}.json", json.dumps(d), d) for i, d in enumerate(documents(20))]


def test_a_rebuild_stopped_while_emptying_is_finished_by_the_next_command(
    texts: list[InputText], monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = store(texts)
    kb = KnowledgeBase.in_memory()
    ingest_texts(kb, texts, base_iri=BASE)
    ratings = ratings_graph_iri(BASE)
    before = sum(1 for _ in kb.pattern(None, None, None, ratings))
    monkeypatch.setattr(oxigraph_backend, "EMPTY_PART", 100)
    assert before > 3 * 100  # several parts
    real = kb.backend.update
    parts = {"n": 0}

    def stopped_after_two_parts(sparql: str) -> None:
        if sparql.startswith("DELETE {"):
            parts["n"] += 1
            if parts["n"] > 2:
                raise KeyboardInterrupt  # as a SIGINT would, between two parts
        real(sparql)

    monkeypatch.setattr(kb.backend, "update", stopped_after_two_parts)
    with pytest.raises(KeyboardInterrupt):
        rebuild(kb, base_iri=BASE)
    left = sum(1 for _ in kb.pattern(None, None, None, ratings))
    assert 0 < left < before and rebuild_pending(kb, BASE)  # half emptied, marked
    monkeypatch.setattr(kb.backend, "update", real)
    finish_pending(kb, base_iri=BASE)
    assert not rebuild_pending(kb, BASE)
    assert masked_dump(kb) == masked_dump(reference)
