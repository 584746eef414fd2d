"""Rating nodes are made once per distinct content and reused (kb.derived.rating_quads):
whatever order ratings come in, a memoised RatingQuads gives exactly the quads a fresh
one gives, and different contents never share a node."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.derived.claim_index import ClaimFacts
from kb.derived.rating_quads import RatingQuads
from kb.evidence import PriorEvidence
from kb.reliability import ClaimRating, ClaimRelations, ModelParameters, SourceCounts, SourceRating

BASE = "http://127.0.0.1:8000/"
PARAMS = ModelParameters()
PRIOR = PriorEvidence(
    iri=BASE + "prior/1",
    source=BASE + "entity/s0",
    source_name="S0",
    grade="B",
    trust=None,
    weight=Decimal(4),
    assessor=BASE + "assessor/desk",
    assessor_name="Standards desk",
    date="2024-01-15",
)

small = st.integers(min_value=0, max_value=3)
counts = st.tuples(*[small] * 8)
sources = st.lists(st.tuples(counts, st.booleans()), min_size=1, max_size=30)
claims = st.lists(
    st.tuples(
        st.sampled_from(["asserted", "reported", "denied"]),
        st.sampled_from([None, BASE + "entity/a", BASE + "entity/b"]),
        st.sampled_from([None, BASE + "entity/wire"]),
        st.booleans(),
        st.sampled_from([(), (BASE + "entity/a",), (BASE + "entity/b", BASE + "entity/a")]),
        st.tuples(small, small, small, small),
        st.lists(st.sampled_from(["A", "B", "C", "E", "F"]), max_size=2),
    ),
    min_size=1,
    max_size=30,
)


def source_rating(i: int, counted: tuple[int, ...], priors: bool) -> SourceRating:
    c = SourceCounts(*counted)
    return SourceRating(f"{BASE}entity/s{i}", c, PARAMS, priors=[PRIOR] if priors else [])


@settings(max_examples=60, deadline=None)
@given(sources)
def test_memoised_source_ratings_are_the_fresh_ones(
    rated: list[tuple[tuple[int, ...], bool]],
) -> None:
    memo = RatingQuads(BASE, PARAMS)
    for i, (counted, priors) in enumerate(rated):
        sr = source_rating(i, counted, priors)
        assert memo.source(sr) == RatingQuads(BASE, PARAMS).source(sr)


@settings(max_examples=60, deadline=None)
@given(claims)
def test_memoised_claim_ratings_are_the_fresh_ones(rated: list[tuple[object, ...]]) -> None:
    memo = RatingQuads(BASE, PARAMS)
    for i, (modality, speaker, via, weak, own, k_m, grades) in enumerate(rated):
        facts = ClaimFacts(f"{BASE}claim/{i}", modality, speaker, via, weak, own)  # type: ignore[arg-type]
        cr = ClaimRating(facts, ClaimRelations.counted(*k_m), list(grades))  # type: ignore[arg-type]
        assert memo.claim(cr) == RatingQuads(BASE, PARAMS).claim(cr)


def test_sources_without_evidence_share_one_node_and_others_have_their_own() -> None:
    rq = RatingQuads(BASE, PARAMS)
    none_a, _, node_a = rq.source_parts(source_rating(1, (0,) * 8, False))
    none_b, iri_b, node_b = rq.source_parts(source_rating(2, (0,) * 8, False))
    assert rq.shared(iri_b) and node_a == node_b and none_a != none_b
    _, judged, _ = rq.source_parts(source_rating(3, (1, 0, 0, 0, 0, 0, 0, 0), False))
    _, assessed, _ = rq.source_parts(source_rating(4, (0,) * 8, True))
    assert not rq.shared(judged) and not rq.shared(assessed) and judged != assessed


@pytest.mark.parametrize("priors", [False, True])
def test_a_prior_assessment_changes_what_the_same_counts_say(priors: bool) -> None:
    """The memo of a source's scalars is keyed by its counts only where it has no prior
    assessment: the same counts with one must not take the memoised scalars."""
    rq = RatingQuads(BASE, PARAMS)
    first = rq.source(source_rating(1, (2, 0, 0, 0, 0, 0, 0, 0), priors))
    second = rq.source(source_rating(1, (2, 0, 0, 0, 0, 0, 0, 0), not priors))
    assert {q.object for q in first[1:]} != {q.object for q in second[1:]}
