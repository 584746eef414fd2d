"""The embedded knowledge base: an on-disk Oxigraph (RocksDB) store under the data directory.

Why Oxigraph rather than an rdflib store: on this project's measurements (bench/store_choice.py,
figures in bench/RESULTS.md) it loads several times faster, holds a fraction of the memory
and answers provenance queries one to two orders of magnitude faster; it persists on disk
without a separate server and speaks SPARQL 1.1 natively. rdflib stays in use for
parsing, SHACL and building graphs.

Layout of the data directory::

    DATA/store/                the read-write store (one writer at a time: RocksDB's lock)
    DATA/snapshots/PID-T/      one per running server, so that ingesting and serving
                               never hold the same database:
        store/                 a read-only checkpoint of the store that the server answers from
        release/               its release id, VoID figures and dumps (kb.release)

Every write of one text is one SPARQL update, i.e. one transaction: a text's graph is
either entirely the old one or entirely the new one, never half-written.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from .errors import StoreBusyError, StoreError

logger = logging.getLogger(__name__)

STORE_DIRNAME = "store"
SNAPSHOTS_DIRNAME = "snapshots"
RELEASE_DIRNAME = "release"


def rdflib_to_quads(graph: Graph, graph_iri: str) -> list[ox.Quad]:
    """Convert an rdflib graph to Oxigraph quads in the named graph ``graph_iri``."""
    data = graph.serialize(format="nt", encoding="utf-8")
    name = ox.NamedNode(graph_iri)
    return [
        ox.Quad(t.subject, t.predicate, t.object, name)
        for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
    ]


def _insert_data_block(quads: Iterable[ox.Quad]) -> str:
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    parts = [f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}" for g, lines in by_graph.items()]
    return "INSERT DATA {\n" + "\n".join(parts) + "\n}"


class KnowledgeBase:
    """A handle on one Oxigraph store (on disk, read-write or read-only, or in memory)."""

    def __init__(self, store: ox.Store, path: Path | None, *, read_only: bool) -> None:
        self.store = store
        self.path = path
        self.read_only = read_only

    # --- opening -------------------------------------------------------------------
    @classmethod
    def open(cls, data_dir: Path, *, read_only: bool = False, create: bool = True) -> KnowledgeBase:
        """Open the store under ``data_dir``; ``create`` makes it on first use."""
        path = Path(data_dir) / STORE_DIRNAME
        if read_only or not create:
            if not path.is_dir():
                raise StoreError(
                    f"no knowledge base in {data_dir}: run `srkb ingest` first "
                    "(or point --data / SRKB_DATA at an existing one)"
                )
            return cls.open_path(path, read_only=read_only)
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the data directory {path}: {exc.strerror}") from exc
        return cls.open_path(path, read_only=False)

    @classmethod
    def open_path(cls, path: Path, *, read_only: bool) -> KnowledgeBase:
        try:
            store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        except OSError as exc:
            text = str(exc)
            if "lock" in text.lower():
                raise StoreBusyError(
                    f"the store in {path} is in use by another srkb process "
                    "(an ingest or an open shell); try again when it has finished"
                ) from exc
            raise StoreError(f"cannot open the store in {path}: {text}") from exc
        return cls(store, path, read_only=read_only)

    @classmethod
    def in_memory(cls) -> KnowledgeBase:
        """A temporary store, for tests and `srkb extract`-style dry runs."""
        return cls(ox.Store(), None, read_only=False)

    def close(self) -> None:
        """Release the store (and its lock); the handle is unusable afterwards."""
        if not self.read_only:
            try:
                self.store.flush()
            except OSError:  # pragma: no cover - nothing more we can do on close
                logger.warning("flush failed on close of %s", self.path)
        del self.store

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading ------------------------------------------------------------------
    def query(self, sparql: str, **kwargs: Any) -> Any:
        """Run a SPARQL query (already vetted by the caller); see pyoxigraph.Store.query."""
        return self.store.query(sparql, **kwargs)

    def ask(self, sparql: str) -> bool:
        return bool(self.store.query(sparql))

    def has_graph(self, graph_iri: str) -> bool:
        return self.store.contains_named_graph(ox.NamedNode(graph_iri))

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def quad_count(self) -> int:
        return len(self.store)

    def quads(self, graph_iri: str | None = None) -> Iterator[ox.Quad]:
        graph = ox.NamedNode(graph_iri) if graph_iri else None
        return iter(self.store.quads_for_pattern(None, None, None, graph))

    def graph_quad_count(self, graph_iri: str) -> int:
        rows = self.store.query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}"
        )
        assert isinstance(rows, ox.QuerySolutions)
        return int(next(iter(rows))["n"].value)

    # --- writing ------------------------------------------------------------------
    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError("this store was opened read-only")

    def replace_graph(self, graph_iri: str, quads: list[ox.Quad]) -> None:
        """Atomically replace one named graph's content with ``quads``."""
        self._check_writable()
        update = f"DROP SILENT GRAPH <{graph_iri}> ;\n" + _insert_data_block(quads)
        try:
            self.store.update(update)
        except OSError as exc:
            raise StoreError(f"writing graph <{graph_iri}> failed: {exc}") from exc

    def replace_graphs(self, graphs: dict[str, list[ox.Quad]]) -> None:
        """Atomically replace several named graphs in one transaction."""
        self._check_writable()
        if not graphs:
            return
        drops = " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs)
        all_quads = [q for quads in graphs.values() for q in quads]
        update = drops + (" ;\n" + _insert_data_block(all_quads) if all_quads else "")
        try:
            self.store.update(update)
        except OSError as exc:
            raise StoreError(f"writing {len(graphs)} graphs failed: {exc}") from exc

    def remove_graph(self, graph_iri: str) -> None:
        self._check_writable()
        self.store.update(f"DROP SILENT GRAPH <{graph_iri}>")

    def flush(self) -> None:
        if not self.read_only:
            self.store.flush()

    # --- snapshots for serving ------------------------------------------------------
    def snapshot(self, target: Path) -> None:
        """Write a checkpoint (hard links where possible) that a server opens read-only."""
        if not self.read_only:
            self.store.flush()
        try:
            self.store.backup(str(target))
        except OSError as exc:
            raise StoreError(f"cannot write a snapshot to {target}: {exc}") from exc


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


def make_snapshot(data_dir: Path, owner_pid: int | None = None) -> Path:
    """Checkpoint the store under ``data_dir`` into a fresh snapshot directory (returned).

    Serving from a checkpoint lets `srkb ingest` keep writing to the primary store while
    the server answers from a consistent, immutable copy. Each snapshot is named after the
    process that serves it (``owner_pid``, default this one); snapshots whose owner has
    exited are removed, those of running servers are left alone.
    """
    # Absolute: the server hands these paths to Flask's send_file, which would resolve a
    # relative one against the app's package folder, not the working directory.
    data_dir = Path(data_dir).absolute()
    if not (data_dir / STORE_DIRNAME).is_dir():
        raise StoreError(
            f"no knowledge base in {data_dir}: run `srkb ingest FILE` first "
            "(or point --data / SRKB_DATA at an existing one)"
        )
    owner = owner_pid if owner_pid is not None else os.getpid()
    snapshots = data_dir / SNAPSHOTS_DIRNAME
    snapshots.mkdir(exist_ok=True)
    for old in snapshots.iterdir():
        pid_text = old.name.split("-", 1)[0]
        if not pid_text.isdigit() or not _pid_alive(int(pid_text)) or int(pid_text) == owner:
            shutil.rmtree(old, ignore_errors=True)
    target = snapshots / f"{owner}-{time.time_ns()}"
    target.mkdir()
    try:
        kb = KnowledgeBase.open(data_dir, create=False)
    except StoreBusyError:
        # `srkb ingest` holds the store. A read-only open takes no lock; its checkpoint
        # holds what the writer has flushed (whole texts: each is one write batch), so
        # the server starts now on that, without waiting for the ingest to end.
        logger.warning("the store is being written to; serving what is flushed so far")
        kb = KnowledgeBase.open(data_dir, read_only=True)
    with kb:
        kb.snapshot(snapshot_store_path(target))
    return target


def snapshot_store_path(snapshot: Path) -> Path:
    """The read-only checkpoint inside a snapshot directory."""
    return Path(snapshot) / STORE_DIRNAME


def snapshot_release_path(snapshot: Path) -> Path:
    """The release directory (id, VoID figures, dumps) inside a snapshot directory."""
    return Path(snapshot) / RELEASE_DIRNAME
