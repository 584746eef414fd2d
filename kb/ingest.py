"""Ingesting texts: extract in worker processes, write in batches, derive incrementally.

1. Every input is read and checked, and the id of the text it holds computed (in the
   workers): a bad input stops the run before anything is written.
2. A text this extractor version already holds is skipped (its IRIs derive from its
   content hash, its extraction activity's from that hash and the version), so
   re-ingesting changes nothing. A text held from another version is removed first.
3. The others are extracted and built in the workers and written in batches: each batch
   is one transaction holding whole texts and their journal entries (kb.journal), so a
   crash leaves every text whole or absent.
4. After each batch, the derived data (ratings, shared entity descriptions, indexes) is
   brought up to date for what the batch touched (kb.derived), in one more transaction.

A run that was killed is finished by the next one: it first derives what the journal
lists, then skips the texts already written.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from ontology import GAZETTEER_PATH, ONTOLOGY_PATH

from .content import (
    DIGEST,
    ContentState,
    bookkeeping_graph,
    current_state,
    digest_literal,
    ensure_version_counts,
    read_state,
    state_quad,
    state_quads,
)
from .corpus import InputText
from .derived import DerivedReport, Deriver, derived_dir, finish_pending
from .derived.bulk import Bulk
from .derived.claim_index import carry_rated_state
from .derived.entities import name_key
from .errors import ExtractionError, InputError, StoreError
from .gazetteer import gazetteer_turtle_for_base
from .ingest_workers import (
    Built,
    Planned,
    WorkerPool,
    build_one,
    default_workers,
    extract_input,
    plan_one,
    stored_text,
)
from .iri import IriMinter
from .journal import ADDED, LOADING, entry, mark_removed
from .store import KnowledgeBase, rdflib_to_quads, value
from .text_records import TextRecords
from .text_refs import resolve_text_refs
from .version import software_version
from .vocab import SRKB, VOID

logger = logging.getLogger(__name__)

BATCH_TEXTS = 250  # texts per write transaction (two batches are in memory at a time)
BULK_MIN = 2000  # at least this many new texts, and as many as the store holds: bulk mode
BATCH_QUADS = 150_000  # or fewer, when texts are long
BULK_LOAD_QUADS = 1_000_000  # quads per load in a bulk ingest (see _Writer)
HAND_OVER_TEXTS = 1000  # texts per transaction of the derived indexes in a bulk ingest
POOL_THRESHOLD = 500  # fewer inputs are extracted in this process (starting 2 workers: ~3 s)
PLAN_CHUNK = 32  # inputs read and named per worker task
BUILD_CHUNK = 4  # inputs extracted per worker task (a few hundred KB back)

__all__ = [
    "IngestReport",
    "check_base_iri",
    "ensure_reference_graphs",
    "extract_input",
    "ingest_texts",
    "remove_texts",
    "stored_text",
]


@dataclass
class IngestReport:
    """What an ingest run did, text by text."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    triples_before: int = 0
    triples_after: int = 0
    quads_written: int = 0
    seconds: float = 0.0
    derived: DerivedReport = field(default_factory=DerivedReport)

    def summary(self) -> str:
        return (
            f"ingested {len(self.added)} text(s), {len(self.unchanged)} unchanged; "
            f"the store holds {self.triples_after} quads "
            f"({self.triples_after - self.triples_before:+d})"
        )


def _reference_graphs(base_iri: str) -> dict[str, list[ox.Quad]]:
    """Ontology, gazetteer and the dataset description, as quads under ``base_iri``."""
    mint = IriMinter(base_iri)
    ontology = Graph()
    ontology.parse(ONTOLOGY_PATH, format="turtle")
    meta = Graph()
    dataset = URIRef(mint.base)
    meta.add((dataset, RDF.type, VOID.Dataset))
    meta.add((dataset, VOID.uriSpace, Literal(mint.base)))
    meta.add((dataset, VOID.vocabulary, URIRef(str(SRKB._NS))))
    meta.add((dataset, DCTERMS.title, Literal("srkb knowledge base")))
    gazetteer = gazetteer_turtle_for_base(mint.base)
    for entity, _p, name in list(
        gazetteer.triples((None, None, None))
    ):  # the lower-cased names users look entities up by
        if _p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, SRKB.domainName):
            gazetteer.add((entity, SRKB.nameKey, Literal(name_key(str(name)))))
    return {
        str(mint.ontology_graph()): rdflib_to_quads(ontology, str(mint.ontology_graph())),
        str(mint.gazetteer_graph()): rdflib_to_quads(gazetteer, str(mint.gazetteer_graph())),
        str(mint.meta_graph()): rdflib_to_quads(meta, str(mint.meta_graph())),
    }


def check_base_iri(kb: KnowledgeBase, base_iri: str) -> None:
    """Refuse to mix IRIs of two bases in one store."""
    rows = kb.query(
        f"SELECT ?space WHERE {{ GRAPH ?g {{ ?d a <{VOID.Dataset}> ; <{VOID.uriSpace}> ?space }} }}"
    )
    spaces = {r["space"].value for r in rows}
    if spaces and base_iri not in spaces:
        raise StoreError(
            f"this store's IRIs are under {sorted(spaces)[0]}, not {base_iri}; "
            "use the same SRKB_BASE_IRI or a fresh --data directory"
        )


REFERENCE_VERSION = "1"  # bump when _reference_graphs makes other quads from the same files


def reference_key(base_iri: str) -> str:
    """What the reference graphs are made from: the files, the base and this code's version."""
    h = hashlib.sha256(f"{REFERENCE_VERSION}\n{base_iri}\n".encode())
    for path in (ONTOLOGY_PATH, GAZETTEER_PATH):
        h.update(Path(path).read_bytes())
    return h.hexdigest()


def ensure_reference_graphs(kb: KnowledgeBase, base_iri: str) -> None:
    """Write the ontology, gazetteer and dataset description if they differ from the files
    (not even read when the store's state says they were written from the same files)."""
    check_base_iri(kb, base_iri)
    key = reference_key(base_iri)
    state = read_state(kb, base_iri) or (ContentState() if not kb.named_graphs() else None)
    if state is not None and state.reference == key:
        return
    if state is None:  # a store srkb did not keep the state of: count it once
        state = current_state(kb, base_iri)
    wanted = _reference_graphs(base_iri)
    old_state = state_quads(kb, base_iri)
    removed: list[ox.Quad] = []
    added: list[ox.Quad] = []
    for graph_iri, quads in wanted.items():
        have = set(kb.quads(graph_iri))
        if have != set(quads):
            removed += have
            added += quads
    if removed or added or not old_state or state.reference != key:
        state.add_quads(removed, -1)
        state.add_quads(added)
        state.reference = key
        new_state = state_quad(base_iri, state)
        kb.change(remove=removed + old_state, add=[*added, new_state])
        if len(old_state) == 1:  # the ratings did not change: the claim index knows them
            carry_rated_state(derived_dir(kb), value(old_state[0].object), state.literal().value)


def _held_version(kb: KnowledgeBase, mint: IriMinter, text_id: str, version: str) -> str:
    """'same' if this version holds the text, 'other' if another one does, else ''."""
    graph = str(mint.text_graph(text_id))
    if not kb.has_graph(graph):
        return ""
    activity = mint.activity(text_id, version)
    same = kb.ask(f"ASK {{ GRAPH <{graph}> {{ <{activity}> a <{SRKB.ExtractionActivity}> }} }}")
    return "same" if same else "other"


class _Writer:
    """Collects built texts and writes them a batch (one transaction) at a time.

    Writing a batch (Rust, without the GIL) runs in a thread while this thread derives
    the previous batch's ratings and indexes (Python): the two overlap, and the store
    sees the same transactions in the same order as when they are done one by one.

    In a bulk ingest into a store that bulk-loads (Oxigraph), the texts' N-Quads go to a
    file beside the store and are loaded BULK_LOAD_QUADS at a time, while their records
    go to the bulk derivation as they arrive: each load adds one set of sorted files to
    RocksDB's first level, which RocksDB merges into the level below, whose files hold
    keys from all over (the terms' ids are hashes). At 100,000 documents the merging
    follows the number of loads more than the quads: a fifth fewer quads left RocksDB's
    CPU as it was, 2.5 times fewer loads cut it by 15%. At 250 texts a load
    (165,000 quads) the 100,000-document ingest made 400 loads, more than its compactions
    could merge (RocksDB stalled writes); at 400,000 quads, 98 loads and RocksDB's threads
    used 683 CPU-s; at a million (the loader's own batch: larger loads are split into
    batches of that size anyway), 40 loads and 583 CPU-s, 1,254 -> 1,132 s (+200 MB of
    memory while a load is sorted). The file keeps the batch out of Python's memory.
    """

    def __init__(
        self,
        kb: KnowledgeBase,
        base_iri: str,
        report: IngestReport,
        deriver: Deriver,
        batch_texts: int = BATCH_TEXTS,
        bulk: Bulk | None = None,
        spill_dir: Path | None = None,
    ) -> None:
        self.kb, self.base, self.report, self.deriver = kb, base_iri, report, deriver
        self.batch_texts = batch_texts
        self.bulk = bulk  # a bulk derivation, finished by the caller at the end
        self.spill_dir = spill_dir
        self.spills = bulk is not None and kb.bulk_loads
        self.batch: list[Built] = []
        self.quads = 0
        self._file: IO[bytes] | None = None  # the batch's N-Quads, when it spills
        self._records: list[TextRecords] = []  # not yet handed to the bulk derivation
        self._digests: dict[str, tuple[int, int]] = {}
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="srkb-write")
        self._writing: tuple[Future[None], list[Built]] | None = None

    def add(self, built: Built) -> None:
        if self.spills:
            self._spill(built)
            return
        self.batch.append(built)
        self.quads += built.quads
        if len(self.batch) >= self.batch_texts or self.quads >= BATCH_QUADS:
            self.submit()

    def _spill(self, built: Built) -> None:
        """Keep a text's N-Quads in the batch's file and hand its records over."""
        if built.records is not None:
            self._records.append(built.records)
            self._digests[built.graph_iri] = (built.digest, built.quads)
            if len(self._records) >= HAND_OVER_TEXTS:
                self._hand_over()
        if self._file is None:
            self._file = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed by submit
                dir=self.spill_dir, prefix=".srkb-load-", suffix=".nq", delete=False
            )
        self._file.write(built.nquads)
        self.batch.append(replace(built, nquads=b"", records=None))
        self.quads += built.quads
        if self.quads >= BULK_LOAD_QUADS:
            self.submit()

    def _hand_over(self) -> None:
        if self.bulk is not None and self._records:
            self.bulk.add_texts(self._records, self._digests)
        self._records, self._digests = [], {}

    def _write(self, batch: list[Built], spilled: Path | None) -> None:
        """One batch, all or nothing: in one transaction, or bulk-loaded between two
        (entered as loading, then as added with their digests: kb.journal)."""
        book = ox.NamedNode(bookkeeping_graph(self.base))
        journal = [entry(self.base, b.graph_iri, ADDED) for b in batch]
        journal += [
            ox.Quad(ox.NamedNode(b.graph_iri), DIGEST, digest_literal(b.digest, b.quads), book)
            for b in batch
        ]
        if spilled is not None:
            try:
                loading = [entry(self.base, b.graph_iri, LOADING) for b in batch]
                self.kb.add_quads(loading)
                self.kb.load_nquads_file(spilled)
                self.kb.change(remove=loading, add=journal)
            finally:
                spilled.unlink(missing_ok=True)
            return
        data = b"".join(b.nquads for b in batch)
        if not self.kb.bulk_loads:
            self.kb.add_quads([*ox.parse(data, format=ox.RdfFormat.N_QUADS), *journal])
            return
        loading = [entry(self.base, b.graph_iri, LOADING) for b in batch]
        self.kb.add_quads(loading)
        self.kb.load_nquads(data)
        self.kb.change(remove=loading, add=journal)

    def submit(self) -> None:
        """Start writing the current batch, and derive the one written before it."""
        if not self.batch:
            return
        batch, self.batch, self.quads = self.batch, [], 0
        spilled = None
        if self._file is not None:
            self._file.close()
            spilled, self._file = Path(self._file.name), None
        previous = self._writing
        self._writing = (self._thread.submit(self._write, batch, spilled), batch)
        if previous is not None:
            self._finish(*previous)

    def _finish(self, future: Future[None], batch: list[Built]) -> None:
        future.result()  # the batch is in the store: derive what follows from it
        self.report.added += [b.name for b in batch]
        self.report.quads_written += sum(b.quads for b in batch)
        for b in batch:
            logger.info("ingested %s into <%s>", b.name, b.graph_iri)
        if self.spills:
            return  # its records were handed over as they came
        if self.bulk is not None:  # hand over what the workers read, not to read it back
            self.bulk.add_texts([b.records for b in batch if b.records is not None])
        else:
            known = {b.graph_iri: b.records for b in batch if b.records is not None}
            self.deriver.derive([b.graph_iri for b in batch], known=known)

    def close(self) -> None:
        """Write and derive what is left (once; closing again does nothing)."""
        self._hand_over()
        self.submit()
        if self._writing is not None:
            writing, self._writing = self._writing, None
            self._finish(*writing)
        self._thread.shutdown(wait=True)

    def discard(self) -> None:
        """Remove a batch file left unwritten (the run stopped on an error)."""
        if self._file is not None:
            self._file.close()
            Path(self._file.name).unlink(missing_ok=True)
            self._file = None


def _add_reports(total: DerivedReport, more: DerivedReport) -> None:
    for name in ("steps", "added", "removed", "claims", "sources", "seconds"):
        setattr(total, name, getattr(total, name) + getattr(more, name))


def ingest_texts(
    kb: KnowledgeBase,
    texts: Iterable[InputText | str],
    *,
    base_iri: str,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
    data_dir: Path | None = None,
    pool: WorkerPool | None = None,
    planned: list[Planned] | None = None,
    batch_texts: int = BATCH_TEXTS,
    bulk: bool | None = None,
    phase: Callable[[str], None] | None = None,
) -> IngestReport:
    """Extract and store each text (an InputText, or the path of a file to read); skip
    texts this extractor version already holds.

    Args:
        workers: extraction processes (default: one per core for 100 inputs or more,
            none, i.e. in this process, for fewer).
        data_dir: where the derived indexes live (default: beside the store).
        pool, planned: a worker pool to use, and ``plan_texts``'s answer for ``texts``
            (the CLI checks every input before it opens the store).
        batch_texts: texts per write transaction (fewer: less memory, more steps).
        bulk: derive everything once at the end (kb.derived.bulk) rather than after each
            batch; by default, when there are at least BULK_MIN new texts and no fewer
            than the store already holds. The result is the same either way.

    Raises:
        InputError: an input cannot be read or is not text; nothing was written.
        ExtractionError: a text could not be extracted; the texts before it were stored.
    """
    sources = list(texts)
    own_pool = pool is None
    if pool is None:
        pool = WorkerPool(pool_size(len(sources)) if workers is None else workers)
    try:
        with _run(kb, base_iri, data_dir) as report:
            plans = planned if planned is not None else plan_texts(sources, base_iri, pool)
            _ingest_planned(
                kb,
                sources,
                plans,
                base_iri,
                report,
                pool,
                progress,
                data_dir,
                batch_texts,
                bulk,
                phase,
            )
    finally:
        if own_pool:
            pool.close()
    return report


@contextmanager
def _run(kb: KnowledgeBase, base_iri: str, data_dir: Path | None) -> Iterator[IngestReport]:
    """One ingest: this srkb's reference graphs in place and what an interrupted command
    left finished first; at the end, the store flushed and the report's figures taken."""
    started = time.perf_counter()
    report = IngestReport(triples_before=kb.quad_count())
    ensure_reference_graphs(kb, base_iri)
    _add_reports(report.derived, finish_pending(kb, data_dir, base_iri=base_iri))
    ensure_version_counts(kb, base_iri)
    prepared = time.perf_counter()
    yield report
    if not report.added:
        _ensure_ratings_graph(kb, base_iri)
    written = time.perf_counter()
    kb.flush()
    report.triples_after = kb.quad_count()
    report.seconds = time.perf_counter() - started
    logger.debug(
        "ingest: reference graphs %.2f s, extraction, writing and derivation %.2f s "
        "(derivation %.2f s), flush %.2f s",
        prepared - started,
        written - prepared,
        report.derived.seconds,
        report.seconds - (written - started),
    )


def pool_size(inputs: int) -> int:
    """Extraction processes for this many inputs: one per core, none for a few."""
    return default_workers() if inputs >= POOL_THRESHOLD else 0


def plan_texts(sources: list[InputText | str], base_iri: str, pool: WorkerPool) -> list[Planned]:
    """Read and check every input, and name the text each holds.

    Raises:
        InputError: an input is missing, empty, binary or not UTF-8 (one line).
    """
    return list(pool.map(plan_one, sources, base_iri, chunk=PLAN_CHUNK))


def _ingest_planned(
    kb: KnowledgeBase,
    sources: list[InputText | str],
    plans: list[Planned],
    base_iri: str,
    report: IngestReport,
    pool: WorkerPool,
    progress: Callable[[str], None] | None,
    data_dir: Path | None,
    batch_texts: int,
    bulk: bool | None,
    phase: Callable[[str], None] | None,
) -> None:
    version = software_version()
    wanted = _to_write(kb, plans, base_iri, report, progress, data_dir)
    todo = [source for source, keep in zip(sources, wanted, strict=True) if keep]
    built = pool.map(build_one, todo, base_iri, version, chunk=BUILD_CHUNK)
    _store_built(
        kb, built, len(todo), base_iri, report, progress, data_dir, batch_texts, bulk, phase, pool
    )


def _to_write(
    kb: KnowledgeBase,
    plans: Iterable[Planned],
    base_iri: str,
    report: IngestReport,
    progress: Callable[[str], None] | None,
    data_dir: Path | None,
) -> list[bool]:
    """Which of the planned texts to write: those this extractor version does not hold
    (each once). Graphs of other extractor versions go first, with their ratings."""
    mint = IriMinter(base_iri)
    version = software_version()
    todo: list[bool] = []
    replaced: list[str] = []
    seen: set[str] = set()
    for plan in plans:
        held = "same" if plan.text_id in seen else _held_version(kb, mint, plan.text_id, version)
        seen.add(plan.text_id)
        todo.append(held != "same")
        if held == "same":
            report.unchanged.append(plan.name)
            if progress is not None:
                progress(plan.name)
            continue
        if held == "other":
            replaced.append(str(mint.text_graph(plan.text_id)))
    if replaced:
        mark_removed(kb, base_iri, replaced)
        _add_reports(report.derived, finish_pending(kb, data_dir, base_iri=base_iri))
    return todo


def _store_built(
    kb: KnowledgeBase,
    built: Iterable[Built],
    count: int,
    base_iri: str,
    report: IngestReport,
    progress: Callable[[str], None] | None,
    data_dir: Path | None,
    batch_texts: int,
    bulk: bool | None,
    phase: Callable[[str], None] | None = None,
    pool: WorkerPool | None = None,
) -> None:
    """Write built texts in batches (one transaction each) and derive what follows
    (claims related in ``pool``'s processes in a bulk derivation)."""
    if bulk is None:
        state = read_state(kb, base_iri)
        texts_held = state.texts if state is not None else len(kb.named_graphs())
        bulk = count >= BULK_MIN and count >= texts_held
    with Deriver(kb, data_dir, base_iri=base_iri) as deriver:
        job = deriver.begin_bulk() if bulk else None
        writer = _Writer(kb, base_iri, report, deriver, batch_texts, job, _spill_dir(kb, data_dir))
        try:
            for one in built:
                writer.add(one)
                if progress is not None:
                    progress(one.name)
            writer.close()
        except ExtractionError as exc:
            writer.close()
            raise ExtractionError(
                f"{exc.message}; nothing of this text was stored "
                f"({len(report.added)} earlier text(s) were)"
            ) from exc
        finally:
            writer.discard()
        if job is not None:
            if phase is not None:
                phase(f"deriving ratings, entities and indexes for {len(report.added)} texts")
            deriver.rebuild(job, pool=pool)
        _add_reports(report.derived, deriver.total)


def _spill_dir(kb: KnowledgeBase, data_dir: Path | None) -> Path | None:
    """Where a bulk ingest keeps a batch's N-Quads: beside the store (same disk)."""
    path = kb.backend.path
    return data_dir or (path.parent if path is not None else None)


def ingest_built(
    kb: KnowledgeBase,
    plans: list[Planned],
    built: Iterable[Built],
    *,
    base_iri: str,
    progress: Callable[[str], None] | None = None,
    data_dir: Path | None = None,
    batch_texts: int = BATCH_TEXTS,
    bulk: bool | None = None,
    phase: Callable[[str], None] | None = None,
) -> IngestReport:
    """Store texts already extracted and built elsewhere (kb.cluster: on a Dask cluster),
    exactly as ``ingest_texts`` stores what its own workers build: the texts this
    extractor version holds are skipped, the rest written and derived.

    ``plans`` names every text (from the cluster's manifests); ``built`` yields them in
    that order, lazily (read from the partition files as they are written).
    """
    with _run(kb, base_iri, data_dir) as report:
        wanted = _to_write(kb, plans, base_iri, report, progress, data_dir)
        fresh = (b for b, keep in zip(built, wanted, strict=True) if keep)
        count = sum(wanted)
        _store_built(
            kb, fresh, count, base_iri, report, progress, data_dir, batch_texts, bulk, phase
        )
    return report


def _ensure_ratings_graph(kb: KnowledgeBase, base_iri: str) -> None:
    """A store always has its (possibly empty) ratings graph, with its provenance."""
    from .derived.rating_quads import RatingQuads
    from .reliability import ModelParameters, ratings_graph_iri

    if not kb.has_graph(ratings_graph_iri(base_iri)):
        kb.add_quads(RatingQuads(base_iri, ModelParameters()).header())


def remove_texts(
    kb: KnowledgeBase, refs: Iterable[str], *, base_iri: str, data_dir: Path | None = None
) -> list[str]:
    """Remove ingested texts (their whole named graphs) and update what derives from them.

    Every reference is resolved first; if one matches nothing, nothing is removed. A
    removal that was interrupted is finished when the same command is run again (the
    texts it was removing still resolve until it is done).

    Raises:
        InputError: a reference matches no ingested text.
    """
    graphs: dict[str, str] = {}
    for ref, matches in resolve_text_refs(kb, refs, base_iri).items():
        if not matches:
            raise InputError(
                f"{ref}: no ingested text has this id, IRI or file name "
                "(list them with `srkb texts`)"
            )
        graphs.update(matches)
    mark_removed(kb, base_iri, sorted(graphs))
    finish_pending(kb, data_dir, base_iri=base_iri)
    kb.flush()
    return sorted(graphs.values())
