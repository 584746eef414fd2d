"""The embedded backend: an on-disk Oxigraph (RocksDB) store under the data directory.

Why Oxigraph rather than an rdflib store: on this project's measurements
(bench/store_choice.py, figures in bench/RESULTS.md) it loads several times faster, holds a
fraction of the memory and answers provenance queries one to two orders of magnitude
faster; it persists on disk without a separate server and speaks SPARQL 1.1 natively.

Its dump order is canonical: RocksDB iterates keys in order, and Oxigraph's keys are the
encoded terms (fixed hashes of IRIs and strings), so the same content is always dumped
in the same order whatever order it was written in (checked by tests/test_release.py).
Oxigraph's purely in-memory store iterates in insertion order instead, so a "memory"
store here is an on-disk store in a temporary directory (with its derived indexes
beside it), removed when it is closed or garbage-collected.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox

from ..errors import StoreBusyError, StoreChangedError, StoreError
from . import background_merge
from .base import StoreBackend, Term
from .compaction import background_ticks, lower_merge_priority, wait_for_compactions

EMPTY_PART = 50_000  # quads removed per transaction when a graph is emptied
EMPTY_FLUSH_PARTS = 10
READ_ONLY_TRIES = 8  # opening read-only beside a writer that replaces files meanwhile
SETTLE_MAX_S = 1800.0  # a bound on waiting for merges (about 70 s at 100,000 texts)

logger = logging.getLogger(__name__)


def _is_locked(exc: OSError) -> bool:
    return "lock" in str(exc).lower()


def files_replaced(exc: BaseException) -> bool:
    """Whether RocksDB failed because a file it listed was gone: a process writing the
    store replaced it (a merge, or a write-ahead log folded into a sorted file)."""
    return "No such file or directory" in str(exc)


def store_changed(exc: OSError) -> StoreChangedError | None:
    """The srkb error for RocksDB's I/O error on a file a writer replaced after this read
    began (an ingest beside it); None for any other error."""
    if not (files_replaced(exc) and "IO error" in str(exc)):
        return None
    return StoreChangedError(
        f"the store changed while it was read ({exc}): another srkb process is writing "
        "it; run the command again"
    )


def _open_read_only(path: Path) -> ox.Store:
    """``Store.read_only``, again when a writer replaced a file between RocksDB's reading
    of the file list and its opening of the file (reading beside a writer: an ingest)."""
    for attempt in range(READ_ONLY_TRIES):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:
            if attempt == READ_ONLY_TRIES - 1 or not files_replaced(exc):
                raise
            time.sleep(0.02 * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


class OxigraphBackend(StoreBackend):
    """pyoxigraph's ``Store`` on disk, read-write or read-only."""

    name = "oxigraph"
    ordered_dump = True
    bulk_loads = True

    def __init__(self, store: ox.Store, path: Path | None, *, read_only: bool) -> None:
        self.raw = store
        self.path = path
        self.read_only = read_only
        self._temporary: Path | None = None
        # RocksDB's threads' CPU so far: a merge running when the store is closed is
        # handed over to a detached process (kb.store.background_merge)
        self._ticks_at_open = None if read_only else background_ticks()

    @classmethod
    def open(cls, path: Path, *, read_only: bool) -> OxigraphBackend:
        try:
            if read_only:  # nothing may rewrite the files underneath: no background merge
                background_merge.stop(path)
                store = _open_read_only(path)
            else:  # a background merge of the store is stopped, and the store taken over
                store = background_merge.open_taking_over(
                    path, lambda: ox.Store(str(path)), _is_locked
                )
        except (OSError, RuntimeError) as exc:  # RocksDB's "Corruption" is a RuntimeError
            text = str(exc)
            if isinstance(exc, OSError) and _is_locked(exc):
                raise StoreBusyError(
                    f"the store in {path} is in use by another srkb process "
                    "(an ingest or an open shell); try again when it has finished"
                ) from exc
            raise StoreError(f"cannot open the store in {path}: {text}") from exc
        return cls(store, path, read_only=read_only)

    @classmethod
    def temporary(cls) -> OxigraphBackend:
        """A store in a fresh temporary directory, deleted on close."""
        directory = Path(tempfile.mkdtemp(prefix="srkb-store-"))
        path = directory / "store"
        backend = cls(ox.Store(str(path)), path, read_only=False)
        backend._temporary = directory
        weakref.finalize(backend, shutil.rmtree, directory, True)
        return backend

    # --- reading ---------------------------------------------------------------------
    def query(self, sparql: str, **options: Any) -> Any:
        return self.raw.query(sparql, **options)

    def quads_for_pattern(
        self,
        subject: Term | None,
        predicate: ox.NamedNode | None,
        obj: Term | None,
        graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None,
    ) -> Iterator[ox.Quad]:
        return iter(self.raw.quads_for_pattern(subject, predicate, obj, graph))  # type: ignore[arg-type]  # literal subjects match nothing

    def contains_named_graph(self, graph: ox.NamedNode) -> bool:
        return bool(self.raw.contains_named_graph(graph))

    def graph_ntriples(self, graph: ox.NamedNode) -> bytes:
        """Written in Rust, no quad made a Python object."""
        return self.raw.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""

    def named_graphs(self) -> Iterator[ox.NamedNode | ox.BlankNode]:
        return iter(self.raw.named_graphs())

    def __len__(self) -> int:
        return len(self.raw)

    def dump_nquads(self, output: BinaryIO) -> None:
        self.raw.dump(output, format=ox.RdfFormat.N_QUADS)

    # --- writing ---------------------------------------------------------------------
    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError("this store was opened read-only")

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        self._check_writable()
        try:
            self.raw.extend(quads)
        except OSError as exc:
            raise StoreError(f"writing to the store failed: {exc}") from exc

    def load_quads(self, quads: list[ox.Quad]) -> None:
        self.load_nquads(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")

    def load_nquads(self, data: bytes) -> None:
        """Oxigraph's bulk loader: sorted files handed to RocksDB, no transaction, parsed
        in Rust with the GIL released: a third of ``extend``'s CPU, and as fast beside a
        busy Python thread, where the paths that hand Python objects across (parsing into
        them, ``extend``, ``bulk_extend``) wait for the GIL item by item and run 15 to 50
        times slower (bench/write_paths.py, bench/RESULTS.md).

        Parsed leniently (IRIs not checked again): srkb writes these N-Quads itself,
        from terms checked when they were made (kb.nquads_text, pyoxigraph's own
        terms); the checks cost about a tenth of the loader's CPU."""
        self._check_writable()
        if not data:
            return
        try:
            self.raw.bulk_load(data, format=ox.RdfFormat.N_QUADS, lenient=True)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"writing to the store failed: {exc}") from exc

    def load_nquads_file(self, path: Path) -> None:
        """``load_nquads`` streaming from a file: the loader reads it in Rust, in batches
        of a million quads, so a large batch is never held in Python. A bulk ingest loads
        this way, and RocksDB's merging of what it loads yields the CPU to the ingest's
        extraction from then on (kb.store.compaction.lower_merge_priority)."""
        self._check_writable()
        lower_merge_priority()
        try:
            self.raw.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS, lenient=True)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"writing to the store failed: {exc}") from exc

    def update(self, sparql: str) -> None:
        self._check_writable()
        try:
            self.raw.update(sparql)
        except OSError as exc:
            raise StoreError(f"updating the store failed: {exc}") from exc

    def empty_graph(self, graph_iri: str) -> None:
        """In parts of EMPTY_PART quads, each one transaction: Oxigraph holds a
        transaction's changes in memory (a ``DROP`` of a 264,000-quad ratings graph took
        200 MB more, so a 17-million-quad one would not fit), and a part is removed as
        fast per quad as the ``DROP``. A flush every EMPTY_FLUSH_PARTS parts keeps the
        removals' write buffers small."""
        part = (
            f"DELETE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }} WHERE {{ "
            f"{{ SELECT ?s ?p ?o WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }} "
            f"LIMIT {EMPTY_PART} }} }}"
        )
        graph = ox.NamedNode(graph_iri)
        parts = 0
        while next(iter(self.raw.quads_for_pattern(None, None, None, graph)), None):
            self.update(part)
            parts += 1
            if parts % EMPTY_FLUSH_PARTS == 0:
                self.flush()

    def flush(self) -> None:
        if not self.read_only:
            self.raw.flush()

    def snapshot(self, target: Path) -> None:
        """A checkpoint (hard links where possible) that a server opens read-only."""
        if not self.read_only:
            self.raw.flush()
        try:
            self.raw.backup(str(target))
        except OSError as exc:
            raise StoreError(f"cannot write a snapshot to {target}: {exc}") from exc

    def settle(self, on_wait: Callable[[], None] | None = None) -> float:
        """Let RocksDB finish merging what bulk loads gave it (kb.store.compaction):
        closing the store would abandon the merge, for the next command to start again.
        Where ``close`` hands the merge to a detached process (kb.store.background_merge)
        nothing is waited for: the command returns and the merge goes on beside what
        comes next (about 50 s of one core after 100,000 texts). Otherwise the merge is
        waited for here."""
        if self.read_only:
            return 0.0
        self.flush()  # what is still in memory: its merge is waited for too
        if self._merges_in_background():
            return 0.0
        return wait_for_compactions(SETTLE_MAX_S, on_wait)

    def _merges_in_background(self) -> bool:
        """Whether a merge under way when this store closes goes on in a detached process."""
        return (
            not self.read_only
            and self._temporary is None
            and self.path is not None
            and background_merge.enabled()
        )

    def close(self) -> None:
        started = time.perf_counter()
        if not self.read_only:
            try:
                self.raw.flush()
            except OSError:  # pragma: no cover - nothing more we can do on close
                logger.warning("flush failed on close of %s", self.path)
        flushed = time.perf_counter()
        hand_over = self._merges_in_background() and background_merge.merging_now(
            self._ticks_at_open
        )
        del self.raw  # RocksDB abandons a merge it runs in the background
        if hand_over and self.path is not None:
            try:
                background_merge.hand_over(self.path)
                logger.debug("the store's merge goes on in a background process")
            except OSError as exc:  # the next command merges instead
                logger.debug("no background process for the store's merge: %s", exc)
        logger.debug(
            "store closed in %.2f s (flush %.2f s)",
            time.perf_counter() - started,
            flushed - started,
        )
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)
