"""The journal of pending changes (kb.journal): what ``pending`` reads from it, and the
pattern update that clears the added texts' entries at the end of a bulk derivation."""

from __future__ import annotations

import pyoxigraph as ox

from kb.journal import ADDED, LOADING, REMOVED, clear_added, entry, pending
from kb.store import KnowledgeBase

BASE = "http://127.0.0.1:8000/"


def text(i: int) -> str:
    return f"{BASE}graph/text/{i:016x}"


def test_clear_added_removes_exactly_the_texts_pending_as_added() -> None:
    kb = KnowledgeBase.in_memory()
    added, removed, discarded, loading = (
        [text(i) for i in r] for r in (range(0, 50), range(50, 60), range(60, 65), range(65, 67))
    )
    kb.add_quads(
        [entry(BASE, g, ADDED) for g in added + discarded]
        + [entry(BASE, g, REMOVED) for g in removed + discarded]
        + [entry(BASE, g, LOADING) for g in loading]
    )
    other = ox.Quad(ox.NamedNode(text(0)), ox.NamedNode(f"{BASE}p"), ox.Literal(ADDED))
    kb.add_quads([other])  # the same words outside the journal stay
    before = pending(kb, BASE)
    assert before.added == tuple(sorted(added))

    kb.change(updates=[clear_added(BASE)])

    after = pending(kb, BASE)
    assert after.added == ()
    assert after.removed == before.removed == tuple(sorted(removed))
    assert after.discarded == before.discarded == tuple(sorted(discarded))
    assert after.loading == before.loading == tuple(sorted(loading))
    assert [q.object for q in kb.pattern(text(0), other.predicate, None, None)] == [
        ox.Literal(ADDED)
    ]


def test_clear_added_runs_in_the_same_transaction_as_the_other_changes() -> None:
    kb = KnowledgeBase.in_memory()
    kb.add_quads([entry(BASE, text(1), ADDED)])
    marker = ox.Quad(
        ox.NamedNode(BASE), ox.NamedNode(f"{BASE}marker"), ox.Literal("x"), ox.NamedNode(BASE)
    )
    kb.add_quads([marker])
    kb.change(updates=[clear_added(BASE)], remove=[marker], add=[entry(BASE, text(2), ADDED)])
    assert pending(kb, BASE).added == (text(2),)
    assert not list(kb.pattern(BASE, None, None, BASE))
