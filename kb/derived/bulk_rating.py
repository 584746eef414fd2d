"""Source ratings and claim grades of a bulk derivation, computed in worker processes.

After the claims are related (kb.derived.relate), a bulk derivation rates every source
and grades every claim. Both are pure functions of what the main process counted or the
claim index holds, and at 100,000 texts they took 150 s of one Python thread (341,000
sources, a million claims: most of it building and serialising quads). Here a task rates
a share of the sources, or grades an id range of claims, and returns what the writer
needs: the quads as N-Quads bytes with their digest, and what the main process keeps
(the sources' grades, the claims' chain-dependence flags). Without a pool the same
functions run in the main process.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from ..content import serialized_digest
from ..evidence import PriorEvidence
from ..reliability import ClaimRating, ClaimRelations, ModelParameters, SourceCounts, SourceRating
from .claim_index import SEP, ClaimFacts, ClaimIndex
from .rating_quads import USED_CLAIM, USED_JUDGEMENT, RatingQuads


@dataclass(frozen=True)
class SourceEvidence:
    """What rating one source needs: its counts, its analysts' prior assessments, and
    the claims and judgements it is rated on (linked from its rating)."""

    source: str
    counts: SourceCounts
    priors: tuple[PriorEvidence, ...]
    used_claims: tuple[str, ...]
    used_judgements: tuple[str, ...]


@dataclass(frozen=True)
class Written:
    """Quads a task made, serialised: N-Quads bytes, their digest and number."""

    nquads: bytes
    digest: int
    quads: int


@dataclass(frozen=True)
class RatedSources(Written):
    grades: dict[str, str]  # each source's letter grade


@dataclass(frozen=True)
class GradedClaims(Written):
    claims: int
    chain_dependent: list[tuple[int, str]]  # (1 if its grade follows its sources', claim)


def _written(quads: list[ox.Quad]) -> tuple[bytes, int, int]:
    unique = list(dict.fromkeys(quads))
    data, digest = serialized_digest(unique)
    return data, digest, len(unique)


def rate_sources(
    sources: list[SourceEvidence], base_iri: str, params: ModelParameters
) -> RatedSources:
    """Rate each source and link its rating to the evidence it counts."""
    rq = RatingQuads(base_iri, params)
    quads: list[ox.Quad] = []
    grades: dict[str, str] = {}
    for found in sources:
        rating = SourceRating(found.source, found.counts, params, priors=list(found.priors))
        grades[found.source] = rating.grade
        quads += rq.source(rating)
        iri = rq.source_iri(found.source)
        quads += [rq.q(iri, USED_CLAIM, ox.NamedNode(c)) for c in found.used_claims]
        quads += [rq.q(iri, USED_JUDGEMENT, ox.NamedNode(j)) for j in found.used_judgements]
    return RatedSources(*_written(quads), grades=grades)


def grade_claims(
    id_range: tuple[int, int],
    index: ClaimIndex | str,
    base_iri: str,
    params: ModelParameters,
    grades: dict[str, str],
) -> GradedClaims:
    """Grade the claims whose ids fall in ``id_range`` (related already: the index holds
    their counts), given every source's grade (an index, or the path of one to open
    read-only)."""
    own = isinstance(index, str)
    claims = ClaimIndex.read_only(index) if isinstance(index, str) else index
    try:
        rows = claims.db.execute(
            "SELECT iri, modality, speaker, via, weak, own, k, m, kp, mp FROM claims "
            "WHERE id BETWEEN ? AND ? ORDER BY id",
            id_range,
        ).fetchall()
    finally:
        if own:
            claims.close()
    rq = RatingQuads(base_iri, params)
    quads: list[ox.Quad] = []
    flags: list[tuple[int, str]] = []
    for iri, modality, speaker, via, weak, parties, k, m, kp, mp in rows:
        facts = ClaimFacts(
            iri, modality, speaker, via, bool(weak), tuple(parties.split(SEP)) if parties else ()
        )
        chain = [a for a in (via, speaker) if a and a in grades]
        counts = ClaimRelations.counted(int(k or 0), int(m or 0), int(kp or 0), int(mp or 0))
        graded = ClaimRating(facts, counts, [grades[a] for a in chain])
        quads += rq.claim(graded, chain)
        flags.append((int(graded.depends_on_chain), iri))
    return GradedClaims(*_written(quads), claims=len(rows), chain_dependent=flags)


__all__ = [
    "GradedClaims",
    "RatedSources",
    "SourceEvidence",
    "Written",
    "grade_claims",
    "rate_sources",
]
