"""A bulk derivation reads the entity counts a run of entities at a time
(``EntityCounts.prefetch``): what it answers must be what one lookup per entity gives."""

from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.derived.entities import EntityCounts

_ENTITIES = [f"http://example.org/entity/{c}" for c in "abcdefgh"]
_rows = st.lists(
    st.tuples(st.sampled_from(_ENTITIES), st.sampled_from(["Al", "Bo", "Cy"]), st.integers(1, 5)),
    max_size=20,
)


@settings(max_examples=60, deadline=None)
@given(
    names=_rows,
    types=_rows,
    wanted=st.lists(st.sampled_from([*_ENTITIES, "http://example.org/entity/zz"]), unique=True),
)
def test_counts_read_ahead_are_the_counts_looked_up(
    names: list[tuple[str, str, int]], types: list[tuple[str, str, int]], wanted: list[str]
) -> None:
    counts = EntityCounts(sqlite3.connect(":memory:", isolation_level=None))
    counts.db.executemany(
        "INSERT OR REPLACE INTO entity_names (entity, name, n) VALUES (?, ?, ?)", names
    )
    counts.db.executemany(
        "INSERT OR REPLACE INTO entity_types (entity, type, n) VALUES (?, ?, ?)", types
    )
    wanted = sorted(wanted)
    looked_up = {e: (counts.names(e), counts.types(e)) for e in _ENTITIES + wanted}
    counts.prefetch(wanted)
    assert {e: (counts.names(e), counts.types(e)) for e in _ENTITIES + wanted} == looked_up
    if wanted:
        counts.names(wanted[0])["changed"] = 9  # a copy: the run read ahead stays right
    assert {e: (counts.names(e), counts.types(e)) for e in wanted} == {
        e: looked_up[e] for e in wanted
    }
    counts.prefetch([])  # forgotten: lookups again
    assert {e: (counts.names(e), counts.types(e)) for e in _ENTITIES} == {
        e: looked_up[e] for e in _ENTITIES
    }
