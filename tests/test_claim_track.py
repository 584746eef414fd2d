"""The claim index keeps each source's track record up to date as claims change.

An incremental step re-rates a source from its track record (kb.derived.ratings); the
index keeps it in two tables (kb.derived.track_records), moved by each change of a
claim's record and by each claim removed, instead of counting all the source's claims
again. Whatever the claims and the
order of the changes, the table must hold what counting the claims gives
(``kb.reliability.track_counts`` over ``ClaimIndex.track``), and counting it afresh
(``make_track``, what a bulk derivation does) must give the same table.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.derived.claim_index import ClaimIndex
from kb.evidence import ClaimEvidence
from kb.reliability import track_counts

AGENTS = ["urn:x-test:agent/a", "urn:x-test:agent/b", "urn:x-test:agent/c", None]
RECORDS = ["corroborated", "contradicted", None]
STORIES = ["urn:x-test:story/1", "urn:x-test:story/2", "urn:x-test:story/3", ""]

claim = st.tuples(
    st.sampled_from(AGENTS),  # speaker
    st.sampled_from(AGENTS),  # relay
    st.lists(st.sampled_from([a for a in AGENTS if a]), max_size=2, unique=True),  # own
)
# a step: (claim number, record, story) changes, or the removal of a claim
step = st.one_of(
    st.tuples(
        st.just("set"),
        st.lists(
            st.tuples(st.integers(0, 11), st.sampled_from(RECORDS), st.sampled_from(STORIES)),
            max_size=8,
        ),
    ),
    st.tuples(st.just("remove"), st.lists(st.integers(0, 11), max_size=3)),
)


def _table(index: ClaimIndex) -> tuple[list[tuple], list[tuple]]:
    return (
        index.db.execute("SELECT * FROM track_stories ORDER BY 1, 2, 3").fetchall(),
        index.db.execute("SELECT * FROM track ORDER BY 1").fetchall(),
    )


@settings(max_examples=80, deadline=None)
@given(claims=st.lists(claim, min_size=1, max_size=12), steps=st.lists(step, max_size=8))
def test_track_table_equals_counting_the_claims(
    claims: list[tuple[str | None, str | None, list[str]]],
    steps: list[tuple[str, list]],
) -> None:
    iris = [f"urn:x-test:claim/{i:02d}" for i in range(len(claims))]
    index = ClaimIndex(None)
    try:
        index.add(
            ClaimEvidence(
                iri=iri,
                text="urn:x-test:text",
                document="urn:x-test:doc",
                content=f"Claim {i} about the convoy.",
                modality="asserted",
                cue="said",
                speaker=speaker,
                via=via,
                own_account=tuple(own),
            )
            for i, (iri, (speaker, via, own)) in enumerate(zip(iris, claims, strict=True))
        )
        for kind, changes in steps:
            if kind == "set":
                rows = [
                    (1, 0, 1, 0, record, story, "", iris[n])
                    for n, record, story in changes
                    if n < len(iris)
                ]
                index.set_relation_rows(dict((r[7], r) for r in rows).values())
            else:
                index.remove(iris[n] for n in changes if n < len(iris))
            for agent in AGENTS[:-1]:
                assert index.track_counts(agent) == track_counts(index.track(agent))
        kept = _table(index)
        index.make_track()
        assert _table(index) == kept
    finally:
        index.close()


def test_an_index_from_before_the_table_gets_it_counted(tmp_path) -> None:
    """A claim index written by an older srkb (no track table) is counted when opened."""
    path = tmp_path / "claims.sqlite"
    index = ClaimIndex(path)
    index.add(
        [
            ClaimEvidence(
                iri="urn:x-test:claim/1",
                text="urn:x-test:text",
                document="urn:x-test:doc",
                content="The convoy was shelled near the bridge.",
                modality="asserted",
                cue="said",
                speaker="urn:x-test:agent/a",
            )
        ]
    )
    index.set_relation_rows(
        [(1, 0, 1, 0, "corroborated", "urn:x-test:story/1", "", "urn:x-test:claim/1")]
    )
    assert index.track_counts("urn:x-test:agent/a") == (1, 0, 1, 0, 0)
    index.db.execute("DROP TABLE track")
    index.db.execute("DROP TABLE track_stories")
    index.close()
    reopened = ClaimIndex(path)
    try:
        assert reopened.track_counts("urn:x-test:agent/a") == (1, 0, 1, 0, 0)
    finally:
        reopened.close()
