"""A source's stored rating read back as the model's SourceRating (`srkb rating`).

The derived steps (kb.derived) keep every source's rating in the ratings graph: its
counts, and links to the judgements and claims it counts. Computing ratings afresh
reads every text (kb.reliability ``compute_ratings``: minutes at 100,000 texts); reading
one source's rating back costs lookups for that source alone. What the rating node does
not hold comes from where the derived steps keep it: which counted claims were
corroborated and which contradicted from the claim index, the judgements' words and
dates from their text graphs (read only for the judgements shown).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pyoxigraph as ox

from .derived import derived_dir
from .derived.claim_index import FILENAME as CLAIM_INDEX
from .derived.claim_index import ClaimIndex
from .derived.rating_quads import COUNTS, RATED_SOURCE, USED_JUDGEMENT, USED_PRIOR
from .errors import StoreError
from .evidence import JudgementEvidence
from .prior_graphs import all_priors
from .reliability import ModelParameters, SourceCounts, SourceRating, counts_for
from .store import KnowledgeBase, value
from .text_records import props_of, records_from_props
from .vocab import PREFIXES

_N = ox.NamedNode
_RDF_TYPE = _N(PREFIXES["rdf"] + "type")
_ARTICLE = _N(PREFIXES["srkb"] + "Article")
_EVIDENCE = PREFIXES["srkb"] + "evidence"
_IN_DOCUMENT = PREFIXES["srkb"] + "inDocument"


def claim_index_of(kb: KnowledgeBase) -> Path | None:
    """The store's claim index, when it has one on disk (the embedded store's)."""
    folder = derived_dir(kb)
    path = folder / CLAIM_INDEX if folder is not None else None
    return path if path is not None and path.is_file() else None


def stored_source_rating(
    kb: KnowledgeBase,
    index_path: Path,
    source: str,
    ratings_graph: str,
    *,
    judgements_shown: int | None = None,
    params: ModelParameters | None = None,
) -> SourceRating | None:
    """``source``'s rating as stored, or None when it has none. Its judgements list the
    first ``judgements_shown`` by IRI (all with None); the counts always count all."""
    graph = _N(ratings_graph)
    node = next(
        (q.subject for q in kb.backend.quads_for_pattern(None, RATED_SOURCE, _N(source), graph)),
        None,
    )
    if node is None:
        return None
    quads = list(kb.backend.quads_for_pattern(node, None, None, graph))
    counted = {
        name: next((int(value(q.object)) for q in quads if q.predicate == prop), 0)
        for name, prop in COUNTS.items()
    }
    prior_iris = {value(q.object) for q in quads if q.predicate == USED_PRIOR}
    judged = sorted(value(q.object) for q in quads if q.predicate == USED_JUDGEMENT)
    if judgements_shown is not None:
        judged = judged[:judgements_shown]
    supporting, undermining = _track_record(index_path, source)
    return SourceRating(
        source,
        SourceCounts(**counted),
        params or ModelParameters(),
        judgements=judgement_evidence(kb, judged),
        supporting_claims=supporting,
        undermining_claims=undermining,
        priors=sorted((p for p in all_priors(kb) if p.iri in prior_iris), key=lambda p: p.iri),
    )


def _track_record(index_path: Path, source: str) -> tuple[list[str], list[str]]:
    """The claims counted for and against the source, by IRI."""
    try:
        index = ClaimIndex.read_only(str(index_path))
        try:
            claims = index.track_claims(source)
        finally:
            index.close()
    except sqlite3.Error as exc:
        raise StoreError(
            f"the claim index {index_path} cannot be read ({exc}): `srkb rebuild` makes it again"
        ) from exc
    counted = [(record, iri) for record, _story, own, iri in claims if counts_for(record, own)]
    supporting = sorted(iri for record, iri in counted if record == "corroborated")
    undermining = sorted(iri for record, iri in counted if record != "corroborated")
    return supporting, undermining


def judgement_evidence(kb: KnowledgeBase, iris: list[str]) -> list[JudgementEvidence]:
    """The judgements, read as the derived steps read them (kb.text_records) from the few
    quads of their text graphs they need: the judgement, its span, its document and the
    text's article (whose date a comment without one takes)."""
    out = []
    backend = kb.backend
    for iri in iris:
        own = list(backend.quads_for_pattern(_N(iri), None, None, None))
        if not own:
            continue
        graph = own[0].graph_name
        props = props_of(q for q in own if q.graph_name == graph)
        needed = {v for p in (_EVIDENCE, _IN_DOCUMENT) for v in props[iri].get(p, ())}
        articles = backend.quads_for_pattern(None, _RDF_TYPE, _ARTICLE, graph)
        needed |= {value(q.subject) for q in articles}
        for subject in sorted(needed):
            props.update(props_of(backend.quads_for_pattern(_N(subject), None, None, graph)))
        out += records_from_props(value(graph), props).judgements
    return out


__all__ = ["claim_index_of", "judgement_evidence", "stored_source_rating"]
