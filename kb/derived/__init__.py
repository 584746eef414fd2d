"""Derived data: what follows from the text graphs, kept up to date step by step.

Derived from the texts, and never edited by hand:

* the ratings graph (``BASE/graph/ratings``: kb.derived.ratings, kb.derived.rating_quads);
* the shared entities graph (``BASE/graph/entities``: kb.derived.entities);
* the claim index (``DATA/derived/claims.sqlite``: kb.derived.claim_index);
* the search index (``DATA/derived/search.sqlite``: kb.search).

``finish_pending`` does the work the journal (kb.journal) lists, a few thousand texts
per step, each step one transaction that writes the derived changes, drops the removed
texts' graphs and clears their journal entries. It runs after each batch an ingest
writes, after a removal, and first thing in every command that writes (so a killed
ingest or removal is finished by the next one). ``rebuild`` throws the derived data away
and derives it again from every text graph (``srkb rebuild``): the same result, since
each step depends only on the store's content.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..content import (
    DIGEST,
    TEXT_GRAPH_INFIX,
    bookkeeping_graph,
    read_state,
    state_quad,
    state_quads,
    text_graph_digest,
)
from ..errors import StoreError
from ..ingest_workers import WorkerPool, default_workers
from ..journal import ADDED, REMOVED, drop_partial_loads, entry, pending
from ..prior_graphs import is_prior_graph, read_prior_graph
from ..reliability import ModelParameters, ratings_graph_iri
from ..search import SearchIndexWriter
from ..store import KnowledgeBase, value
from ..text_records import TextRecords, read_text_graph, read_text_graphs
from ..vocab import VOID
from . import bulk
from .claim_index import ClaimIndex
from .entities import EntityCounts, description, entities_graph_iri, update_entities
from .rating_quads import RatingQuads
from .ratings import update_ratings

logger = logging.getLogger(__name__)

STEP_TEXTS = 2000  # texts per derived step: bounds its memory
POOL_TEXTS = 2000  # a rebuild of at least this many texts relates claims in worker processes
DERIVED_FORMAT = "6"  # what the derived indexes hold; another value means: rebuild them
DERIVED_DIRNAME = "derived"

__all__ = [
    "Deriver",
    "DerivedReport",
    "derived_dir",
    "finish_pending",
    "rebuild",
    "stored_base_iri",
]


@dataclass
class DerivedReport:
    """What the derived steps did."""

    steps: int = 0
    added: int = 0
    removed: int = 0
    claims: int = 0  # claim ratings recomputed
    sources: int = 0  # source ratings recomputed
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"derived data of {self.added} added and {self.removed} removed text(s) in "
            f"{self.steps} step(s): {self.claims} claim and {self.sources} source rating(s) "
            f"recomputed in {self.seconds:.2f} s"
        )


def derived_dir(kb: KnowledgeBase, data_dir: Path | None = None) -> Path | None:
    """Where the derived indexes live: DATA/derived (beside DATA/store)."""
    if data_dir is not None:
        return Path(data_dir) / DERIVED_DIRNAME
    return kb.local_dir / DERIVED_DIRNAME if kb.local_dir is not None else None


def stored_base_iri(kb: KnowledgeBase) -> str | None:
    """The base IRI the store's meta graph declares (void:uriSpace), if any."""
    rows = list(
        kb.query(
            f"SELECT ?s WHERE {{ GRAPH ?g {{ ?d a <{VOID.Dataset}> ; <{VOID.uriSpace}> ?s }} }}"
        )
    )
    return rows[0]["s"].value if rows else None


def _text_graphs(kb: KnowledgeBase) -> list[str]:
    return [g for g in kb.named_graphs() if TEXT_GRAPH_INFIX in g]


def _step(
    kb: KnowledgeBase,
    index: ClaimIndex,
    search: SearchIndexWriter,
    rq: RatingQuads,
    base_iri: str,
    added: list[str],
    removed: list[str],
    discarded: list[str],
    known: Mapping[str, TextRecords] | None = None,
) -> DerivedReport:
    started = time.perf_counter()
    state = read_state(kb, base_iri)
    assert state is not None  # finish_pending restarts a store without one
    # what the stored rating nodes follow (all known on a store with none yet)
    index.trust_rated(state.literal().value, no_ratings=not kb.has_graph(rq.graph.value))
    # prior assessment files (kb.prior_graphs) are journalled like texts; what they
    # change is the ratings of the sources they assess
    priors_in = [g for g in added if is_prior_graph(g)]
    priors_out = [g for g in removed + discarded if is_prior_graph(g)]
    added = [g for g in added if not is_prior_graph(g)]
    removed_priors = [g for g in removed if is_prior_graph(g)]
    removed = [g for g in removed if not is_prior_graph(g)]
    discarded = [g for g in discarded if not is_prior_graph(g)]
    assessed = {p.source for g in priors_in + priors_out for p in read_prior_graph(kb, g)}
    known = known or {}
    new = [known[g] if g in known else read_text_graph(kb, g) for g in added]
    old = read_text_graphs(kb, removed)
    leaving = read_text_graphs(kb, discarded)
    read = time.perf_counter()
    change = update_ratings(
        kb,
        index,
        rq,
        added_claims=[c for r in new for c in r.claims],
        removed_claims=[c for r in old for c in r.claims],
        added_judgements=[j for r in new for j in r.judgements],
        removed_judgements=[j for r in old for j in r.judgements],
        assessed=sorted(assessed),
        leaving=priors_out,
    )
    rated = time.perf_counter()
    counts = EntityCounts(index.db)
    touched = counts.apply(new, old + leaving)
    shared = ox.NamedNode(entities_graph_iri(base_iri))
    written = search.update(kb, new, old + leaving, lambda e: description(counts, e, shared))
    stepped = [c for r in new + old for c in r.claims]
    search.count_claims(index, {a for c in stepped for a in (c.speaker, c.via) if a}, change.named)
    ent_remove, ent_add = update_entities(kb, base_iri, counts, touched, written)
    described = time.perf_counter()
    remove = list(dict.fromkeys(change.remove + ent_remove))
    add = list(dict.fromkeys(change.add + ent_add))
    # the content digest and counts follow every change (kb.content)
    for graph in added:
        state.add(graph, *text_graph_digest(kb, base_iri, graph))
    for graph in removed:
        state.add(graph, *text_graph_digest(kb, base_iri, graph), -1)
    for graph in priors_in:  # counted quad by quad, as every graph but the texts'
        state.add_quads(kb.quads(graph))
    for graph in removed_priors:
        state.add_quads(kb.quads(graph), -1)
    state.add_quads(add)
    state.add_quads(remove, -1)
    state.count_texts(new)
    state.count_texts(old, -1)
    book = bookkeeping_graph(base_iri)
    gone = [q for g in removed + discarded for q in kb.pattern(g, DIGEST, None, book)]
    dropped = removed + discarded + priors_out
    done = added + priors_in + dropped
    journal = [entry(base_iri, g, c) for g in done for c in (ADDED, REMOVED)]
    new_state = state_quad(base_iri, state)
    kb.change(
        remove=remove + journal + gone + state_quads(kb, base_iri),
        add=[*add, new_state],
        drop_graphs=dropped,
    )
    index.mark_rated(change.rated, change.rated_sources, value(new_state.object))
    logger.debug(
        "derived step: read %.2f s, ratings %.2f s (%d claims, %d sources re-rated), "
        "entities and search %.2f s, write %.2f s (-%d +%d quads)",
        read - started,
        rated - read,
        change.claims,
        change.sources,
        described - rated,
        time.perf_counter() - described,
        len(remove),
        len(add),
    )
    return DerivedReport(
        steps=1,
        added=len(added),
        removed=len(removed),
        claims=change.claims,
        sources=change.sources,
        seconds=time.perf_counter() - started,
    )


def _index_is_current(kb: KnowledgeBase, index: ClaimIndex, rq: RatingQuads) -> bool:
    """Does the claim index belong to this store's derived data (same model)? A store
    with no derived data yet (a new one) has nothing to be out of date with."""
    if read_state(kb, rq.base) is None and kb.named_graphs():
        return False  # no content state: a store from before it was kept
    if index.meta("model") == str(rq.model.value) and index.meta("format") == DERIVED_FORMAT:
        return True
    return not kb.has_graph(ratings_graph_iri(rq.base)) and not kb.has_graph(
        entities_graph_iri(rq.base)
    )


class Deriver:
    """Derived steps on one store, with its claim and search indexes open between steps."""

    def __init__(
        self,
        kb: KnowledgeBase,
        data_dir: Path | None = None,
        *,
        base_iri: str = "",
        params: ModelParameters | None = None,
        check: bool = True,
    ) -> None:
        self.kb = kb
        self.base = base_iri or stored_base_iri(kb) or ""
        self.rq = RatingQuads(self.base or "urn:x-srkb:", params or ModelParameters())
        directory = derived_dir(kb, data_dir)
        self.index = ClaimIndex.open(directory)
        self.search = SearchIndexWriter(directory)
        self.search.prepare()  # copied in the background if a release links it
        self.total = DerivedReport()
        if self.base and not kb.read_only:  # before anything reads the text graphs
            drop_partial_loads(kb, self.base)
        if self.base and check:
            if not _index_is_current(kb, self.index, self.rq):
                logger.warning("derived data out of date (another model or lost index): rebuilding")
                self.rebuild()
            self._set_meta()

    def _set_meta(self) -> None:
        self.index.set_meta("model", str(self.rq.model.value))
        self.index.set_meta("format", DERIVED_FORMAT)

    def begin_bulk(self) -> bulk.Bulk:
        """Start a bulk derivation (kb.derived.bulk): texts may then be handed over as
        they are written, before ``rebuild(job)`` finishes it."""
        job = bulk.Bulk(self.kb, self.index, self.search, self.rq, self.base)
        job.start()
        self._set_meta()
        return job

    def rebuild(
        self,
        job: bulk.Bulk | None = None,
        progress: Callable[[str], None] | None = None,
        pool: WorkerPool | None = None,
    ) -> DerivedReport:
        """Derive everything from every text graph at once (kb.derived.bulk), finishing
        ``job`` when one was begun; claims are related in ``pool``'s processes."""
        started = time.perf_counter()
        job = job or self.begin_bulk()
        claims, sources = job.finish(progress, pool)
        report = DerivedReport(
            steps=1,
            added=len(_text_graphs(self.kb)),
            claims=claims,
            sources=sources,
            seconds=time.perf_counter() - started,
        )
        self._add(report)
        return report

    def _add(self, report: DerivedReport) -> None:
        for name in ("steps", "added", "removed", "claims", "sources", "seconds"):
            setattr(self.total, name, getattr(self.total, name) + getattr(report, name))

    def close(self) -> None:
        self.index.close()
        self.search.close()

    def __enter__(self) -> Deriver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def derive(
        self,
        added: list[str],
        removed: list[str] | None = None,
        discarded: list[str] | None = None,
        known: Mapping[str, TextRecords] | None = None,
    ) -> DerivedReport:
        """One step for the given text graphs (journalled as added, removed, discarded).
        ``known``: what the extraction workers read of added graphs, not read back."""
        report = _step(
            self.kb,
            self.index,
            self.search,
            self.rq,
            self.base,
            list(added),
            list(removed or ()),
            list(discarded or ()),
            known,
        )
        self._add(report)
        return report

    def finish(
        self,
        step_texts: int = STEP_TEXTS,
        progress: Callable[[DerivedReport], None] | None = None,
    ) -> DerivedReport:
        """Derive everything the journal lists, a step of ``step_texts`` texts at a time."""
        if not self.base:
            return self.total
        drop_partial_loads(self.kb, self.base)  # (done on opening too; the loop needs it)
        if bulk.rebuild_pending(self.kb, self.base):  # a bulk derivation was interrupted
            self.rebuild()
        while True:
            todo = pending(self.kb, self.base)
            if not todo:
                break
            removed = list(todo.removed[:step_texts])
            added = list(todo.added[: max(0, step_texts - len(removed))])
            self.derive(added, removed, list(todo.discarded))
            if progress is not None:
                progress(self.total)
        return self.total


def finish_pending(
    kb: KnowledgeBase,
    data_dir: Path | None = None,
    *,
    base_iri: str = "",
    params: ModelParameters | None = None,
    step_texts: int = STEP_TEXTS,
    progress: Callable[[DerivedReport], None] | None = None,
) -> DerivedReport:
    """Derive what the journal lists (see the module docstring); a no-op when it is empty."""
    with Deriver(kb, data_dir, base_iri=base_iri, params=params) as deriver:
        return deriver.finish(step_texts, progress)


def rebuild(
    kb: KnowledgeBase,
    data_dir: Path | None = None,
    *,
    base_iri: str = "",
    progress: Callable[[str], None] | None = None,
) -> DerivedReport:
    """Derive everything again from the text graphs (``srkb rebuild``)."""
    base = base_iri or stored_base_iri(kb)
    if not base:
        raise StoreError("this store has no dataset description: ingest a text first")
    workers = default_workers() if len(_text_graphs(kb)) >= POOL_TEXTS else 0
    with Deriver(kb, data_dir, base_iri=base, check=False) as deriver, WorkerPool(workers) as pool:
        deriver.rebuild(progress=progress, pool=pool)
        return deriver.finish()
