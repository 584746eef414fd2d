"""Derived data for a whole store at once: for first loads, large ingests and rebuilds.

The incremental steps (kb.derived, kb.derived.ratings) re-rate what a batch touches and
rewrite it, reading the old state first: right for a hundred new texts in a large store,
wasteful when most of the store is new (each claim re-rated each time a later batch
joins its matter). Here every claim is related and rated once, every source counted
once, and the quads written with plain additions, a few hundred thousand per
transaction, into derived graphs emptied first. The result is the same as the
incremental steps' (tests/test_derived.py compares both), since both apply the same
model (kb.reliability) to the same content.

With a worker pool, claims are related (kb.derived.relate), sources rated and claims
graded (kb.derived.bulk_rating) in the workers, a share of the claim index each, and
the texts not handed over by an ingest (all of them in a rebuild) are read back there
from their graphs' triples; the main process writes what they return and describes the
entities (kb.search, kb.entity_statements).

Crash safety: the first transaction records ``<BASE> srkb:pendingChange "rebuild"`` in
the bookkeeping graph; then the derived graphs are emptied (in parts where the store
holds a transaction in memory: kb.store.base ``empty_graph``); the last transaction
clears the marker, with the journal entries, and writes the content state. A process
killed in between leaves the marker, and the next command that writes starts the whole
derivation again (kb.derived.finish_pending).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import pyoxigraph as ox

from ..content import (
    DIGEST,
    TEXT_GRAPH_INFIX,
    ContentState,
    bookkeeping_graph,
    digest_literal,
    read_state,
    state_quad,
    state_quads,
    text_graph_digest,
)
from ..entity_statements import Preloaded
from ..evidence import PriorEvidence
from ..ingest_workers import WorkerPool, chunked, stored_records
from ..iri import IriMinter
from ..journal import ADDED, PENDING, clear_added, entry, journal_graph, pending
from ..prior_graphs import all_priors
from ..reliability import (
    ratings_graph_iri,
)
from ..search import SearchIndexWriter
from ..sqlite_transaction import transaction
from ..store import KnowledgeBase
from ..text_records import TextRecords, read_text_graph
from .bulk_rating import Written, grade_claims, rate_sources
from .claim_index import ClaimIndex
from .entities import EntityCounts, description, entities_graph_iri
from .phases import Phases
from .rating_quads import RatingQuads
from .relate import claim_ranges, relate_range

logger = logging.getLogger(__name__)

REBUILD = "rebuild"
CHUNK_TEXTS = 2000  # texts read, claims related, per chunk (bounds memory)
READ_CHUNK = 8  # texts read back per worker task
CHUNK_CLAIMS = 5000
CHUNK_SOURCES = 5000  # sources rated per task (about 20 MB of N-Quads back)
CHUNK_GRADES = 20_000  # claims graded per task
RATE_AHEAD = 2  # rating and grading tasks in flight
CHUNK_ENTITIES = 20_000  # entities described at a time
WRITE_QUADS = 100_000  # quads per write transaction
LOAD_QUADS = 200_000  # serialised quads joined into one load (its loader holds them, sorted)
RELATE_AHEAD = 4  # ranges related ahead of the writer (each result is tens of MB at 100k)

_JUDGEMENTS = """
CREATE TABLE IF NOT EXISTS judgements (
  iri TEXT PRIMARY KEY, source TEXT NOT NULL, polarity TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS judgements_source ON judgements (source);
"""


def rebuild_marker(base_iri: str) -> ox.Quad:
    return ox.Quad(
        ox.NamedNode(IriMinter(base_iri).base),
        PENDING,
        ox.Literal(REBUILD),
        ox.NamedNode(journal_graph(base_iri)),
    )


def rebuild_pending(kb: KnowledgeBase, base_iri: str) -> bool:
    return bool(next(iter(kb.pattern(IriMinter(base_iri).base, PENDING, None, None)), None))


class _Writer:
    """Adds derived quads WRITE_QUADS at a time, keeping their digest. They are bulk-loaded
    where the store can (kb.store.base): until the marker is cleared, a crash means
    deriving everything again, from graphs emptied first, so no write needs to be atomic.

    Each transaction is written in a thread (the store writes without the GIL) while
    this thread computes the next quads: one transaction at a time, in order, as when
    written here; ``wait`` before anything relies on them being in the store.
    """

    def __init__(self, kb: KnowledgeBase, state: ContentState) -> None:
        self.kb, self.state = kb, state
        self.buffer: list[ox.Quad] = []
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="srkb-derived")
        self._writing: Future[None] | None = None
        self._pending: list[bytes] = []  # serialised quads not yet loaded
        self._pending_quads = 0
        self._shared: set[str] = set()  # shared rating nodes written (kb.derived.rating_quads)

    def add(self, quads: Iterable[ox.Quad]) -> None:
        self.buffer.extend(quads)
        if len(self.buffer) >= WRITE_QUADS:
            self.flush()

    def flush(self) -> None:
        self._load_pending()
        if self.buffer:
            unique = list(dict.fromkeys(self.buffer))
            self.buffer = []
            data = ox.serialize(unique, format=ox.RdfFormat.N_QUADS) or b""
            self.wait()
            self._writing = self._thread.submit(self.kb.load_nquads, data)
            self.state.add_serialized(unique, data)

    def load(self, data: bytes, graph: str, digest: int, quads: int) -> None:
        """Write quads already serialised (all in ``graph``, of this digest and number).
        They are joined with the next ones up to LOAD_QUADS a load: each load adds its
        sorted files to RocksDB's first level, and a few hundred small ones at 100,000
        texts are what made it stall writes during the texts' load (kb.ingest)."""
        if not data:
            return
        self.state.add(graph, digest, quads)
        self._pending.append(data)
        self._pending_quads += quads
        if self._pending_quads >= LOAD_QUADS:
            self._load_pending()

    def load_written(self, written: Written, graph: str) -> None:
        """A rating task's quads, and the shared rating nodes not written yet."""
        self.load(written.nquads, graph, written.digest, written.quads)
        for iri, node in written.shared.items():
            if iri not in self._shared:
                self._shared.add(iri)
                self.load(node[0], graph, *node[1:])

    def _load_pending(self) -> None:
        if self._pending:
            data = b"\n".join(self._pending)
            self._pending, self._pending_quads = [], 0
            self.wait()
            self._writing = self._thread.submit(self.kb.load_nquads, data)

    def wait(self) -> None:
        """Until the last transaction is in the store (its error raised here)."""
        writing, self._writing = self._writing, None
        if writing is not None:
            writing.result()

    def close(self) -> None:
        try:
            self._load_pending()
            self.wait()
        finally:
            self._thread.shutdown(wait=True)


def _texts(kb: KnowledgeBase) -> list[str]:
    return [g for g in kb.named_graphs() if TEXT_GRAPH_INFIX in g]


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def start(kb: KnowledgeBase, index: ClaimIndex, search: SearchIndexWriter, base_iri: str) -> None:
    """Set the marker and drop the texts being removed (one transaction), then empty the
    derived graphs and indexes (see the module docstring)."""
    index.clear()
    index.defer_lookups()
    EntityCounts(index.db).clear()
    index.db.executescript(_JUDGEMENTS)
    index.db.execute("DELETE FROM judgements")
    search.clear()
    todo = pending(kb, base_iri)
    gone = list(todo.removed) + list(todo.discarded)
    book = ox.NamedNode(bookkeeping_graph(base_iri))
    texts = [g for g in _texts(kb) if g not in set(gone)]
    digests: list[ox.Quad] = []
    for g in texts:  # kept through the bookkeeping graph's drop (computed where missing)
        found = list(kb.pattern(g, DIGEST, None, book))
        if not found:
            value_ = digest_literal(*text_graph_digest(kb, base_iri, g))
            found = [ox.Quad(ox.NamedNode(g), DIGEST, value_, book)]
        digests += found
    kb.change(
        drop_graphs=[journal_graph(base_iri), *gone],
        add=[*(entry(base_iri, g, ADDED) for g in texts), *digests, rebuild_marker(base_iri)],
    )
    # behind the marker: a ratings graph of millions of quads does not fit one transaction
    for graph in (ratings_graph_iri(base_iri), entities_graph_iri(base_iri)):
        kb.empty_graph(graph)


class Bulk:
    """One bulk derivation: ``start``, then ``add_texts`` for texts at hand (an ingest's
    workers read them), then ``finish`` (the other texts are read from the store)."""

    def __init__(
        self,
        kb: KnowledgeBase,
        index: ClaimIndex,
        search: SearchIndexWriter,
        rq: RatingQuads,
        base_iri: str,
    ) -> None:
        self.kb, self.index, self.search, self.rq, self.base = kb, index, search, rq, base_iri
        self.db = index.db
        self.counts = EntityCounts(self.db)
        self.state = ContentState()
        self.writer = _Writer(kb, self.state)
        self.shared = ox.NamedNode(entities_graph_iri(base_iri))
        self.done: set[str] = set()
        self.named: set[str] = set()  # the entities the texts name
        self.started = time.perf_counter()

    def start(self) -> None:
        """Set the marker, then empty the derived graphs and indexes (kb.derived.bulk.start)."""
        before = read_state(self.kb, self.base)
        start(self.kb, self.index, self.search, self.base)
        self.db.executescript(_JUDGEMENTS)
        # the reference graphs stay as they were written (kb.ingest.ensure_reference_graphs):
        # their key too, or the next ingest would compare them all again
        self.state.reference = before.reference if before is not None else ""
        book = bookkeeping_graph(self.base)
        derived = {str(self.rq.graph), entities_graph_iri(self.base), book}
        for graph in self.kb.named_graphs():  # the reference graphs stay counted
            if graph not in derived and TEXT_GRAPH_INFIX not in graph:
                self.state.add_quads(self.kb.quads(graph))

    def add_texts(
        self, batch: list[TextRecords], digests: dict[str, tuple[int, int]] | None = None
    ) -> None:
        """What each text gives on its own: claim index, entity counts, search index,
        judgements, counts and digests (``digests``: (digest, quads) of the texts as their
        workers built them; the others' are read from the store)."""
        batch = [r for r in batch if r.graph not in self.done]
        if not batch:
            return
        db = self.db
        if all(r.claim_rows is not None for r in batch):  # made by the workers
            rows = [row for r in batch for row in r.claim_rows or ()]
            self.index.add((c for r in batch for c in r.claims), rows)
        else:
            self.index.add(c for r in batch for c in r.claims)
        self.index.forget()  # rows memoised by add: all claims of the corpus otherwise
        self.counts.apply(batch, [])
        self.named |= self.search.add_texts(batch)  # described once, at the end
        with transaction(db):
            db.executemany(
                "INSERT OR IGNORE INTO judgements (iri, source, polarity) VALUES (?, ?, ?)",
                [(j.iri, j.source, j.polarity) for r in batch for j in r.judgements],
            )
        for r in batch:
            known = digests.get(r.graph) if digests else None
            self.state.add(r.graph, *(known or text_graph_digest(self.kb, self.base, r.graph)))
            self.done.add(r.graph)
        self.state.count_texts(batch)

    def _stored_records(
        self, graphs: list[str], workers: WorkerPool
    ) -> Iterator[list[TextRecords]]:
        """The records of texts read back from the store, CHUNK_TEXTS at a time: sorted
        in the workers when there are some, from each graph's triples (written in Rust).
        Read here, one by one, they took 74% of a 100,000-text rebuild's first phase
        (510 of 691 s), on one core."""
        if not workers.workers:
            for chunk in _chunks(graphs, CHUNK_TEXTS):
                yield [read_text_graph(self.kb, g) for g in chunk]
            return
        triples = ((g, self.kb.graph_ntriples(g)) for g in graphs)
        yield from chunked(workers.map(stored_records, triples, chunk=READ_CHUNK), CHUNK_TEXTS)

    def finish(
        self, progress: Callable[[str], None] | None = None, pool: WorkerPool | None = None
    ) -> tuple[int, int]:
        """Everything that needs all the texts; returns (claims, sources) rated. Claims
        are related in ``pool``'s processes when it has some."""
        try:
            return self._finish(progress, pool)
        finally:
            self.writer.close()

    def _finish(
        self, progress: Callable[[str], None] | None, pool: WorkerPool | None
    ) -> tuple[int, int]:
        kb, db, rq, writer = self.kb, self.db, self.rq, self.writer
        params = rq.params
        phase = Phases("bulk derivation")
        workers = pool or WorkerPool(0)
        rest = [g for g in sorted(_texts(kb)) if g not in self.done]
        for texts in self._stored_records(rest, workers):
            self.add_texts(texts)
            if progress:
                progress(f"read {len(texts)} texts")

        # claims: each related once (in the workers when there are some); relation links
        # written, counts kept in the index
        claims = 0
        index = str(self.index.path) if self.index.path is not None and pool else self.index
        for related in workers.map(
            relate_range,
            claim_ranges(db, CHUNK_CLAIMS),
            index,
            self.base,
            params,
            window=RELATE_AHEAD,
        ):
            claims += related.claims
            writer.load(related.nquads, rq.graph.value, related.digest, related.quads)
            self.index.set_relation_rows(related.rows, bulk=True)
            if progress:
                progress(f"related {related.claims} claims")

        phase.done("claims related")

        # sources: every speaker, relay, judged and assessed source, counted from the
        # index and rated in the workers (when there are some), a share each; here only
        # their names (at 100,000 texts their evidence held here took 700 MB)
        self.index.make_lookups()  # what the workers count a source's claims by
        self.index.make_track()  # what an incremental step re-rates a source from
        self.search.fill_claim_counts(self.index)  # what the pages read of the index
        phase.done("index lookups made")
        assessed: dict[str, list[PriorEvidence]] = defaultdict(list)
        for prior in sorted(all_priors(kb), key=lambda p: p.iri):  # analysts' assessments
            assessed[prior.source].append(prior)
        names = _source_names(db) | set(assessed)
        shares = (
            [(name, tuple(assessed.get(name, ()))) for name in batch]
            for batch in _chunks(sorted(names), CHUNK_SOURCES)
        )
        del names
        sources = 0
        for rated in workers.map(rate_sources, shares, index, self.base, params, window=RATE_AHEAD):
            sources += len(rated.rated)
            with transaction(db):  # what grading the claims reads, and increments
                self.index.set_rated_sources(rated.rated)
            writer.load_written(rated, rq.graph.value)
        phase.done("sources rated")
        if progress:
            progress(f"rated {sources} sources")

        # claim grades, with their chains' grades (in the workers when there are some)
        for graded in workers.map(
            grade_claims,
            claim_ranges(db, CHUNK_GRADES),
            index,
            self.base,
            params,
            window=RATE_AHEAD,
        ):
            writer.load_written(graded, rq.graph.value)
            with transaction(db):
                db.executemany(
                    "UPDATE claims SET chain_dependent = ? WHERE iri = ?", graded.chain_dependent
                )

        phase.done("claims graded")
        if progress:
            progress(f"graded {claims} claims")

        # the entities the texts name: the shared entities graph (the last quads loaded),
        # a run of entities at a time (their counts read ahead), then the search index
        # (SQLite), made while RocksDB merges what was loaded (``settle`` below)
        counts, shared = self.counts, self.shared
        named = {row[0] for row in db.execute("SELECT DISTINCT entity FROM entity_names")}
        named |= {row[0] for row in db.execute("SELECT DISTINCT entity FROM entity_types")}
        entities = sorted(self.search.mentioned_entities() | named)
        del named
        for chunk in _chunks(entities, CHUNK_ENTITIES):  # their forms: a chunk at a time
            written = self.search.written_forms(chunk)
            counts.prefetch(chunk)
            for entity in chunk:
                writer.add(description(counts, entity, shared, written[entity]))
        writer.add(rq.header())
        writer.flush()
        writer.close()
        statements = Preloaded(kb, lambda e: description(counts, e, shared))
        for chunk in _chunks(sorted(self.named), CHUNK_ENTITIES):
            counts.prefetch(chunk)
            self.search.describe(kb, chunk, statements)
        counts.prefetch([])
        phase.done("entities described")
        if progress:
            progress(f"described {len(entities)} entities")

        # done: the journal and the marker cleared, the state written, one transaction
        state = state_quad(self.base, self.state)
        kb.change(
            updates=[clear_added(self.base)],
            remove=[rebuild_marker(self.base), *state_quads(kb, self.base)],
            add=[state],
        )
        # the rating nodes were written from the index's counts (ClaimIndex.rated)
        self.index.set_meta("rated_state", self.state.literal().value)
        self.index.set_meta("sources_complete", "1")
        # the store merges what was loaded before it is closed, here or in a detached
        # process that closing hands it to: the next command would start the merge
        # again otherwise (kb.store.compaction, kb.store.background_merge)
        kb.settle(lambda: progress("letting the store merge what was loaded") if progress else None)
        phase.done("store settled")
        logger.info(
            "derived %d claims and %d sources of %d texts in %.1f s",
            claims,
            sources,
            len(self.done),
            time.perf_counter() - self.started,
        )
        return claims, sources


def derive_all(
    kb: KnowledgeBase,
    index: ClaimIndex,
    search: SearchIndexWriter,
    rq: RatingQuads,
    base_iri: str,
    *,
    progress: Callable[[str], None] | None = None,
) -> tuple[int, int]:
    """Derive everything for the store's text graphs at once (see the module docstring)."""
    bulk = Bulk(kb, index, search, rq, base_iri)
    bulk.start()
    return bulk.finish(progress)


def _source_names(db: sqlite3.Connection) -> set[str]:
    """Every speaker and relay of a claim, and every judged source (all are rated)."""
    found = {r[0] for r in db.execute("SELECT DISTINCT speaker FROM claims") if r[0]}
    found |= {r[0] for r in db.execute("SELECT DISTINCT via FROM claims") if r[0]}
    found |= {r[0] for r in db.execute("SELECT DISTINCT source FROM judgements")}
    return found


__all__ = ["REBUILD", "Bulk", "derive_all", "rebuild_marker", "rebuild_pending", "start"]
