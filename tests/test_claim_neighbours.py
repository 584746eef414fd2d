"""The claim index finds the claims on a claim's matter exactly as the model defines it.

``ClaimIndex.neighbours`` looks candidates up by their specific terms only, and tests
pairs with an inlined copy of the model's rule (kb.derived.claim_index); whatever the
claims and however common their terms, it must give what comparing every pair with
``kb.reliability.related`` gives.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.derived.claim_index import ClaimIndex
from kb.evidence import ClaimEvidence
from kb.reliability import ModelParameters, related

WORDS = [
    "Aleppo",
    "Mosul",
    "Raqqa",
    "convoy",
    "shelled",
    "village",
    "drone",
    "bridge",
    "captured",
    "soldiers",
    "killed",
    "checkpoint",
]

claims = st.lists(
    st.tuples(
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=7),
        st.integers(min_value=0, max_value=3),  # which of four documents
    ),
    min_size=2,
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(found=claims, max_postings=st.integers(min_value=1, max_value=12))
def test_neighbours_are_the_related_claims(
    found: list[tuple[list[str], int]], max_postings: int
) -> None:
    params = ModelParameters(max_postings=max_postings)
    evidence = [
        ClaimEvidence(
            iri=f"urn:x-test:claim/{i:03d}",
            text="urn:x-test:text",
            document=f"urn:x-test:doc/{doc}",
            content=" ".join(words) + ".",
            modality="asserted",
            cue="said",
        )
        for i, (words, doc) in enumerate(found)
    ]
    index = ClaimIndex(None)
    try:
        rows = index.add(evidence)
        df = Counter(t for r in {r.iri: r for r in rows}.values() for t in r.terms)
        by_iri = {r.iri: r for r in rows}
        got = index.neighbours(list(by_iri.values()), params)
        for a in by_iri.values():
            expected = [
                b.iri for _i, b in sorted(by_iri.items()) if related(a, b, df.__getitem__, params)
            ]
            assert [b.iri for b in got[a.iri]] == expected
    finally:
        index.close()
