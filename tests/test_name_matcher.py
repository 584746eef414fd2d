"""Entity names matched by postings and length windows give what a scan of every name gave
(kb.name_matcher): the search page's actors and sources, found in time that does not grow
with the number of names."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from kb.name_matcher import FUZZY_CUTOFF, FUZZY_MIN_LENGTH, NameMatcher

WORDS = ["al", "masdar", "news", "reuters", "isis", "daesh", "sdf", "syrian", "army", "ab"]


def scan(names: list[tuple[str, str, str]], norm: str, typed: str) -> dict[str, float]:
    """Every name compared with the query, one by one: the former search."""
    scores: dict[str, float] = {}

    def offer(iri: str, score: float) -> None:
        scores[iri] = max(score, scores.get(iri, 0.0))

    words = set(norm.split())
    for name, iri, _surface in names:
        tokens = set(name.split())
        if name.replace(" ", "") == norm.replace(" ", ""):
            offer(iri, 100.0)
        if name.startswith(norm):
            offer(iri, 100.0 if name == norm else 90.0)
        if words and words <= tokens:
            offer(iri, 80.0)
        elif tokens and len(name) > 2 and tokens <= words:
            offer(iri, 70.0)
        if len(norm) >= FUZZY_MIN_LENGTH:
            ratio = fuzz.ratio(norm, name)
            if ratio >= FUZZY_CUTOFF:
                offer(iri, 0.75 * ratio)
    return scores


name_text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)


# at most 15 names: fewer than the 20 approximate matches the matcher keeps, as the scan
@settings(max_examples=200, deadline=None)
@given(
    names=st.lists(st.tuples(name_text, st.sampled_from("abcdefgh")), min_size=1, max_size=15),
    query=name_text,
)
def test_the_matcher_scores_each_entity_as_a_scan_of_every_name_did(
    names: list[tuple[str, str]], query: str
) -> None:
    entries = [(n, f"urn:e:{e}", n.title()) for n, e in names]
    got = {iri: score for iri, (score, _s) in NameMatcher(entries).scores(query, query).items()}
    assert got == scan(entries, query, query)


def test_an_exact_match_shows_what_was_typed_and_a_prefix_the_name() -> None:
    matcher = NameMatcher(
        [("al masdar news", "urn:e:amn", "Al-Masdar News"), ("isis", "urn:e:isis", "ISIS")]
    )
    assert matcher.scores("almasdarnews", "AlMasdarNews") == {"urn:e:amn": (100.0, "AlMasdarNews")}
    assert matcher.scores("al mas", "al mas")["urn:e:amn"] == (90.0, "Al-Masdar News")
    assert matcher.scores("nothing like it", "nothing like it") == {}
