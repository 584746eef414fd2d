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
from .evidence import JudgementEvidence, PriorEvidence
from .prior_graphs import all_priors
from .reliability import (
    ModelParameters,
    Scope,
    SourceCounts,
    SourceRating,
    counts_for,
    track_counts,
)
from .store import KnowledgeBase, value
from .text_records import props_of, records_from_props
from .vocab import PREFIXES

_N = ox.NamedNode
_RDF_TYPE = _N(PREFIXES["rdf"] + "type")
_ARTICLE = _N(PREFIXES["srkb"] + "Article")
_EVIDENCE = PREFIXES["srkb"] + "evidence"
_IN_DOCUMENT = PREFIXES["srkb"] + "inDocument"
_IN_DOC = _N(_IN_DOCUMENT)
_REFERS_TO = _N(PREFIXES["srkb"] + "refersTo")
_CONTENT = _N(PREFIXES["srkb"] + "content")
_MENTIONS_ACTOR = _N(PREFIXES["srkb"] + "mentionsActor")


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
    scope: Scope | None = None,
    params: ModelParameters | None = None,
) -> SourceRating | None:
    """``source``'s rating as stored, or None when it has none. Its judgements list the
    first ``judgements_shown`` by IRI (all with None); the counts always count all.

    With a ``scope`` (a topic, an actor; not a date, which changes how claims relate:
    ``compute_ratings``), only the evidence it keeps is counted, as ``compute_ratings``
    counts it: the source's judgements and claims are read and sorted by the scope, the
    claims' records are the stored ones."""
    if scope is not None and scope.as_of:
        raise ValueError("a rating as of a date is computed afresh (compute_ratings)")
    graph = _N(ratings_graph)
    node = next(
        (q.subject for q in kb.backend.quads_for_pattern(None, RATED_SOURCE, _N(source), graph)),
        None,
    )
    if node is None:
        return None
    quads = list(kb.backend.quads_for_pattern(node, None, None, graph))
    prior_iris = {value(q.object) for q in quads if q.predicate == USED_PRIOR}
    priors = sorted((p for p in _priors(kb, prior_iris)), key=lambda p: p.iri)
    judged = sorted(value(q.object) for q in quads if q.predicate == USED_JUDGEMENT)
    claims = _claims(index_path, source, unrecorded=scope is not None)
    if scope is None:
        counts = SourceCounts(
            **{
                name: next((int(value(q.object)) for q in quads if q.predicate == prop), 0)
                for name, prop in COUNTS.items()
            }
        )
        judgements = judgement_evidence(kb, judged[:judgements_shown])
    else:
        judgements = [
            j
            for j in judgement_evidence(kb, judged)
            if scope.keeps_judgement(j, _named_near(kb, j) if scope.about else set())
        ]
        claims = [c for c in claims if scope.keeps_statement(*_statement(kb, c[3]), None)]
        if not (judgements or claims or priors):
            return None  # nothing in the scope: not rated, as compute_ratings has it
        counts = SourceCounts()
        for j in judgements:
            setattr(counts, j.polarity, getattr(counts, j.polarity) + 1)
        counts.set_track(track_counts((record, story, own) for record, story, own, _ in claims))
        judgements = judgements[:judgements_shown]
    counted = [(record, iri) for record, _story, own, iri in claims if counts_for(record, own)]
    return SourceRating(
        source,
        counts,
        params or ModelParameters(),
        judgements=judgements,
        supporting_claims=sorted(iri for record, iri in counted if record == "corroborated"),
        undermining_claims=sorted(iri for record, iri in counted if record != "corroborated"),
        priors=priors,
    )


def _priors(kb: KnowledgeBase, iris: set[str]) -> list[PriorEvidence]:
    return [p for p in all_priors(kb) if p.iri in iris] if iris else []


def _claims(
    index_path: Path, source: str, *, unrecorded: bool
) -> list[tuple[str | None, str, bool, str]]:
    """The source's claims with their records, from the claim index."""
    try:
        index = ClaimIndex.read_only(str(index_path))
        try:
            return index.track_claims(source, unrecorded=unrecorded)
        finally:
            index.close()
    except sqlite3.Error as exc:
        raise StoreError(
            f"the claim index {index_path} cannot be read ({exc}): `srkb rebuild` makes it again"
        ) from exc


def _statement(kb: KnowledgeBase, claim: str) -> tuple[str, set[str]]:
    """A claim's words and the actors it is about (what a scope reads of it)."""
    content, about = "", set()
    for q in kb.backend.quads_for_pattern(_N(claim), None, None, None):
        if q.predicate == _CONTENT:
            content = value(q.object)
        elif q.predicate == _MENTIONS_ACTOR:
            about.add(value(q.object))
    return content, about


def _named_near(kb: KnowledgeBase, judgement: JudgementEvidence) -> set[str]:
    """The entities named in the judgement's document (kb.evidence
    ``entities_near_judgements``, for one judgement)."""
    graph = _N(judgement.graph)
    documents = kb.backend.quads_for_pattern(_N(judgement.iri), _IN_DOC, None, graph)
    named = set()
    for d in documents:
        for m in kb.backend.quads_for_pattern(None, _IN_DOC, d.object, graph):
            named |= {
                value(q.object)
                for q in kb.backend.quads_for_pattern(m.subject, _REFERS_TO, None, graph)
            }
    return named


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
