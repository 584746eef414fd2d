"""Relating every claim to the claims on its matter, a range of the claim index at a time,
in worker processes: the costliest part of a bulk derivation, and a pure function of the
index (each claim's relations depend only on the claims that share its terms).

A task opens the index read-only (SQLite in WAL mode: the writer has committed every
claim before the first task starts), relates the claims of one id range, and returns
what the writer needs: the relation quads as N-Quads bytes with their digest, and the
counts the claim index keeps for each claim. Without a pool, or with an index in memory,
the same function runs in this process.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from ..content import serialized_digest
from ..reliability import ModelParameters, relations_of, track_record
from .claim_index import ClaimIndex, RelationRow, links_text
from .rating_quads import RatingQuads


@dataclass(frozen=True)
class Related:
    """One range of claims, related."""

    claims: int
    nquads: bytes  # the claims' links to those on their matter (kb.derived.rating_quads)
    digest: int  # kb.content.serialized_digest of those quads
    quads: int
    rows: list[RelationRow]


def claim_ranges(db: sqlite3.Connection, size: int) -> Iterator[tuple[int, int]]:
    """(first id, last id) of each run of ``size`` claims of the index, in id order."""
    last = 0
    while True:
        found = db.execute(
            "SELECT MIN(id), MAX(id) FROM (SELECT id FROM claims WHERE id > ? ORDER BY id LIMIT ?)",
            (last, size),
        ).fetchone()
        if found is None or found[0] is None:
            return
        yield int(found[0]), int(found[1])
        last = int(found[1])


def relate_range(
    id_range: tuple[int, int], index: ClaimIndex | str, base_iri: str, params: ModelParameters
) -> Related:
    """Relate the claims whose ids fall in ``id_range`` (an index, or the path of one to
    open read-only)."""
    with ClaimIndex.given(index) as claims:
        return _relate(claims, id_range, RatingQuads(base_iri, params), params)


def _relate(
    index: ClaimIndex, id_range: tuple[int, int], rq: RatingQuads, params: ModelParameters
) -> Related:
    index.forget()
    rows = index.rows_between(*id_range)
    neighbours = index.neighbours(rows, params)
    duplicates: dict[tuple[str, str], bool] = {}
    quads: list[ox.Quad] = []
    out: list[RelationRow] = []
    for row in rows:
        claim = row.iri
        rel = relations_of(row, neighbours[claim], params, duplicates)
        quads += rq.relations(claim, rel)
        out.append(
            (
                rel.k,
                rel.m,
                rel.k_non_party,
                rel.m_non_party,
                track_record(rel),
                rel.story,
                links_text(rel),
                claim,
            )
        )
    data, digest = serialized_digest(quads)
    return Related(len(rows), data, digest, len(quads), out)


__all__ = ["Related", "RelationRow", "claim_ranges", "relate_range"]
