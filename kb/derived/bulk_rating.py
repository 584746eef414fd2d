"""Source ratings and claim grades of a bulk derivation, computed in worker processes.

After the claims are related (kb.derived.relate), a bulk derivation rates every source
and grades every claim. Both are pure functions of the claim index (with the judgements
table a bulk derivation keeps) and the analysts' prior assessments, and at 100,000 texts
they took 150 s of one Python thread (341,000 sources, a million claims: most of it
building and serialising quads), the sources' evidence 700 MB of its memory. Here a
task rates a share of the sources, counting their evidence from the index, or grades an
id range of claims, and returns what the writer needs: the quads as N-Quads bytes with
their digest, and what the main process keeps (the sources' grades, the claims'
chain-dependence flags). Without a pool the same functions run in the main process.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from ..content import serialized_digest
from ..evidence import PriorEvidence
from ..reliability import (
    ClaimRating,
    ClaimRelations,
    ModelParameters,
    SourceCounts,
    SourceRating,
    counts_for,
    track_counts,
)
from .claim_index import SEP, ClaimFacts, ClaimIndex, RatedSource
from .rating_quads import USED_CLAIM, USED_JUDGEMENT, RatingQuads


@dataclass(frozen=True)
class Written:
    """Quads a task made, serialised: N-Quads bytes, their digest and number; the shared
    rating nodes apart (kb.derived.rating_quads), by IRI, since other tasks make them
    too and each is written once."""

    nquads: bytes
    digest: int
    quads: int
    shared: dict[str, tuple[bytes, int, int]]


@dataclass(frozen=True)
class RatedSources(Written):
    rated: list[tuple[str, RatedSource]]  # what each source's rating was made from


@dataclass(frozen=True)
class GradedClaims(Written):
    claims: int
    chain_dependent: list[tuple[int, str]]  # (1 if its grade follows its sources', claim)


def _serialized(quads: list[ox.Quad]) -> tuple[bytes, int, int]:
    unique = list(dict.fromkeys(quads))
    data, digest = serialized_digest(unique)
    return data, digest, len(unique)


def _written(
    own: list[ox.Quad], shared: dict[str, list[ox.Quad]]
) -> tuple[bytes, int, int, dict[str, tuple[bytes, int, int]]]:
    """A task's quads serialised: its own, and the shared nodes' apart (their links to
    claims and sources stay with the others)."""
    return (*_serialized(own), {iri: _serialized(node) for iri, node in shared.items()})


def rate_sources(
    sources: list[tuple[str, tuple[PriorEvidence, ...]]],
    index: ClaimIndex | str,
    base_iri: str,
    params: ModelParameters,
) -> RatedSources:
    """Rate each source (with its analysts' prior assessments) on its claims' track
    record and its judgements, read from the index (or the path of one to open
    read-only), and link its rating to the evidence it counts."""
    with ClaimIndex.given(index) as claims:
        found = [(source, priors, *_evidence(claims, source)) for source, priors in sources]
    rq = RatingQuads(base_iri, params)
    own: list[ox.Quad] = []
    shared: dict[str, list[ox.Quad]] = {}
    rated: list[tuple[str, RatedSource]] = []
    for source, priors, counts, used_claims, used_judgements in found:
        rating = SourceRating(source, counts, params, priors=list(priors))
        rated.append((source, RatedSource(rating.grade, counts.values(), len(priors))))
        link, node_iri, node = rq.source_parts(rating)
        own.append(link)
        if rq.shared(node_iri):
            shared.setdefault(str(node_iri), node)
        else:
            own += node
        iri = rq.source_iri(source)
        own += [rq.q(iri, USED_CLAIM, ox.NamedNode(c)) for c in used_claims]
        own += [rq.q(iri, USED_JUDGEMENT, ox.NamedNode(j)) for j in used_judgements]
    return RatedSources(*_written(own, shared), rated=rated)


def _evidence(index: ClaimIndex, source: str) -> tuple[SourceCounts, list[str], list[str]]:
    """A source's counts, and the claims and judgements they count (the judgements
    table a bulk derivation keeps; its claims' track record from the index)."""
    counts = SourceCounts()
    judgements = []
    for iri, polarity in index.db.execute(
        "SELECT iri, polarity FROM judgements WHERE source = ? ORDER BY iri", (source,)
    ):
        setattr(counts, polarity, getattr(counts, polarity) + 1)
        judgements.append(iri)
    claims = index.track_claims(source)
    track = [(record, story, own) for record, story, own, _iri in claims]
    used = [iri for record, _story, own, iri in claims if counts_for(record, own)]
    counts.set_track(track_counts(track))
    return counts, used, judgements


def grade_claims(
    id_range: tuple[int, int], index: ClaimIndex | str, base_iri: str, params: ModelParameters
) -> GradedClaims:
    """Grade the claims whose ids fall in ``id_range`` (related already: the index holds
    their counts) with their sources' grades (the rated_sources table a bulk derivation
    fills as it rates them), from an index or the path of one to open read-only."""
    with ClaimIndex.given(index) as claims:
        rows = claims.db.execute(
            "SELECT c.iri, c.modality, c.speaker, c.via, c.weak, c.own, c.k, c.m, c.kp, c.mp, "
            "gs.grade, gv.grade FROM claims c "
            "LEFT JOIN rated_sources gs ON gs.source = c.speaker "
            "LEFT JOIN rated_sources gv ON gv.source = c.via "
            "WHERE c.id BETWEEN ? AND ? ORDER BY c.id",
            id_range,
        ).fetchall()

    rq = RatingQuads(base_iri, params)
    links: list[ox.Quad] = []
    shared: dict[str, list[ox.Quad]] = {}
    flags: list[tuple[int, str]] = []
    for iri, modality, speaker, via, weak, parties, k, m, kp, mp, of_speaker, of_via in rows:
        facts = ClaimFacts(
            iri, modality, speaker, via, bool(weak), tuple(parties.split(SEP)) if parties else ()
        )
        graded = [(a, g) for a, g in ((via, of_via), (speaker, of_speaker)) if a and g]
        counts = ClaimRelations.counted(int(k or 0), int(m or 0), int(kp or 0), int(mp or 0))
        rating = ClaimRating(facts, counts, [g for _a, g in graded])
        link, node_iri, node = rq.claim_parts(rating)  # a shared node, always
        links.append(link)
        shared.setdefault(str(node_iri), node)
        flags.append((int(rating.depends_on_chain), iri))
    return GradedClaims(*_written(links, shared), claims=len(rows), chain_dependent=flags)


__all__ = [
    "GradedClaims",
    "RatedSources",
    "Written",
    "grade_claims",
    "rate_sources",
]
