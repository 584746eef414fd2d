"""Search: forgiving of case, accents, apostrophes and the spellings readers use."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb.corpus import InputText
from kb.ingest import ingest_texts
from kb.search import SearchIndex, compact, normalise
from kb.store import KnowledgeBase

from .helpers import PROJECT_ROOT, SEED_PATH


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    kb = KnowledgeBase.in_memory()
    paths = [SEED_PATH, *sorted((PROJECT_ROOT / "examples").glob("*.txt"))]
    ingest_texts(
        kb, [InputText(p.name, p.read_text(encoding="utf-8")) for p in paths], base_iri="http://s/"
    )
    return SearchIndex.build(kb)


def top(index: SearchIndex, query: str, kind: str) -> str | None:
    hits = index.search(query)[kind]  # type: ignore[index]
    return hits[0].label if hits else None


@pytest.mark.parametrize(
    "query, kind, label",
    [
        ("Daesh", "actor", "ISIS"),
        ("d'aesh", "actor", "ISIS"),
        ("DA’ESH", "actor", "ISIS"),
        ("isil", "actor", "ISIS"),
        ("almasdar", "source", "Al-Masdar News"),
        ("al masdar", "source", "Al-Masdar News"),
        ("almasdarnews.com", "source", "Al-Masdar News"),
        ("AMN", "source", "Al-Masdar News"),
        ("erdoğan", "actor", "Recep Tayyip Erdogan"),
        ("liveuamap", "source", "Liveuamap"),
        ("Xelil", "actor", "Aldar Xelil"),
        ("Hashd al-Shaabi", "actor", "Popular Mobilization Forces"),
        ("Syrian Democratic Force", "actor", "Syrian Democratic Forces"),  # a typo
    ],
)
def test_entities_are_found_by_any_spelling(
    index: SearchIndex, query: str, kind: str, label: str
) -> None:
    assert top(index, query, kind) == label


def test_claims_found_by_their_words_and_by_the_entities_they_name(index: SearchIndex) -> None:
    by_words = index.search("joint operation")["claim"]
    assert any("joint operation" in h.label for h in by_words)
    by_alias = index.search("Daesh")["claim"]  # the claims say "ISIS", not "Daesh"
    assert any("ISIS" in h.label for h in by_alias)


def test_documents_found_with_snippets(index: SearchIndex) -> None:
    hits = index.search("liveuamap")["document"]
    assert hits and all(h.snippet for h in hits)
    assert any("liveuamap" in h.snippet.lower() for h in hits)


def test_nothing_for_empty_or_unknown(index: SearchIndex) -> None:
    assert all(not v for v in index.search("   ").values())
    assert all(not v for v in index.search("zzqxv").values())


@given(st.text())
def test_normalise_never_fails_and_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert compact(text) == once.replace(" ", "")


@given(st.text(max_size=40))
def test_search_accepts_any_text(text: str) -> None:
    idx = SearchIndex.empty()
    assert set(idx.search(text)) == {"actor", "source", "claim", "document"}
