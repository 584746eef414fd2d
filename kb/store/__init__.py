"""The knowledge base's store: one RDF dataset behind a backend chosen by name.

``KnowledgeBase`` is what the rest of srkb holds: reading (SPARQL, index lookups by
pattern, a streaming dump) and the two kinds of write srkb makes, each one transaction
(``add_quads``: a batch of quads; ``update``: a SPARQL update). The backend behind it
is chosen by name (kb.store.registry; ``SRKB_STORE_BACKEND``, default the embedded
Oxigraph store, kb.store.oxigraph).

Layout of the data directory (embedded backend)::

    DATA/store/                the read-write store (one writer at a time: RocksDB's lock)
    DATA/derived/              indexes derived from the store (kb.derived), rebuildable
    DATA/snapshots/PID-T/      one per running server (kb.store.snapshot)
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox
from rdflib import Graph

from ..config import Settings
from ..errors import StoreError
from .base import StoreBackend, value
from .registry import DEFAULT_BACKEND, backend_names, get_backend, register_backend
from .snapshot import (
    RELEASE_DIRNAME,
    snapshot_derived_path,
    snapshot_release_path,
    snapshot_store_path,
)

logger = logging.getLogger(__name__)

STORE_DIRNAME = "store"
#: Quads written between flushes of the store's write buffers. RocksDB keeps a write
#: buffer per index (about ten of them), and lets each grow before writing it out: while
#: loading millions of quads that held more than a gigabyte; flushing every 250,000
#: quads keeps it to a few hundred megabytes, for a few percent of the loading time.
FLUSH_EVERY = 250_000

__all__ = [
    "DEFAULT_BACKEND",
    "RELEASE_DIRNAME",
    "STORE_DIRNAME",
    "KnowledgeBase",
    "StoreBackend",
    "backend_names",
    "get_backend",
    "rdflib_to_quads",
    "register_backend",
    "snapshot_derived_path",
    "snapshot_release_path",
    "snapshot_store_path",
    "value",
]


def rdflib_to_quads(graph: Graph, graph_iri: str) -> list[ox.Quad]:
    """Convert an rdflib graph (the ontology, the gazetteer) to quads in ``graph_iri``."""
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


def _delete_data_block(quads: Iterable[ox.Quad]) -> str:
    return "DELETE" + _insert_data_block(quads).removeprefix("INSERT")


class KnowledgeBase:
    """A handle on one store (a backend), read-write or read-only."""

    def __init__(self, backend: StoreBackend, local_dir: Path | None = None) -> None:
        self.backend = backend
        # Where srkb's own files for this store live (derived indexes, releases): the
        # data directory; beside the store for the embedded backend.
        self.local_dir = (
            local_dir
            if local_dir is not None
            else (backend.path.parent if backend.path is not None else None)
        )
        self._unflushed = 0

    # --- opening -------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        data_dir: Path,
        *,
        read_only: bool = False,
        create: bool = True,
        backend: str = DEFAULT_BACKEND,
    ) -> KnowledgeBase:
        """Open the store under ``data_dir``; ``create`` makes it on first use."""
        path = Path(data_dir) / STORE_DIRNAME
        if read_only or not create:
            if not path.is_dir():
                raise StoreError(
                    f"no knowledge base in {data_dir}: run `srkb ingest` first "
                    "(or point --data / SRKB_DATA at an existing one)"
                )
            return cls.open_path(path, read_only=read_only, backend=backend)
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the data directory {path}: {exc.strerror}") from exc
        return cls.open_path(path, read_only=False, backend=backend)

    @classmethod
    def from_settings(
        cls, settings: Settings, *, read_only: bool = False, create: bool = True
    ) -> KnowledgeBase:
        """The store the settings name: a remote SPARQL server (SRKB_STORE, with
        SRKB_STORE_UPDATE to write) or the embedded store under the data directory."""
        if not settings.store:
            return cls.open(settings.data_dir, read_only=read_only, create=create)
        from .remote import SparqlBackend

        backend = SparqlBackend(
            settings.store,
            settings.store_update or None,
            read_only=read_only,
            graph_prefix=settings.base_iri,
        )
        local = Path(settings.data_dir)
        if not read_only:
            try:
                local.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the data directory {local}: {exc.strerror}"
                ) from exc
        return cls(backend, local)

    @classmethod
    def open_path(
        cls, path: Path, *, read_only: bool, backend: str = DEFAULT_BACKEND
    ) -> KnowledgeBase:
        return cls(get_backend(backend).open(Path(path), read_only=read_only))

    @classmethod
    def in_memory(cls, backend: str = DEFAULT_BACKEND) -> KnowledgeBase:
        """A temporary store (tests, dry runs), gone when closed or at exit."""
        return cls(get_backend(backend).temporary())

    def close(self) -> None:
        """Release the store (and its lock); the handle is unusable afterwards."""
        self.backend.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def path(self) -> Path | None:
        return self.backend.path

    @property
    def read_only(self) -> bool:
        return self.backend.read_only

    @property
    def store(self) -> Any:
        """The embedded backend's own pyoxigraph ``Store`` (for tests and tools)."""
        raw = getattr(self.backend, "raw", None)
        if raw is None:
            raise StoreError(f"the {self.backend.name} store has no embedded pyoxigraph Store")
        return raw

    # --- reading ------------------------------------------------------------------
    def query(self, sparql: str, **kwargs: Any) -> Any:
        """Run a SPARQL query (already vetted by the caller); pyoxigraph result objects."""
        return self.backend.query(sparql, **kwargs)

    def ask(self, sparql: str) -> bool:
        return bool(self.backend.query(sparql))

    def has_graph(self, graph_iri: str) -> bool:
        return self.backend.contains_named_graph(ox.NamedNode(graph_iri))

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.backend.named_graphs() if isinstance(g, ox.NamedNode))

    def quad_count(self) -> int:
        """The number of quads: from the content state srkb keeps when the store is at
        rest (kb.content; counting a large store takes seconds), else counted."""
        from ..content import counted_quads

        found = counted_quads(self)
        return found if found is not None else len(self.backend)

    def quads(self, graph_iri: str | None = None) -> Iterator[ox.Quad]:
        graph = ox.NamedNode(graph_iri) if graph_iri else None
        return self.backend.quads_for_pattern(None, None, None, graph)

    def graph_ntriples(self, graph_iri: str) -> bytes:
        """One graph's triples as N-Triples bytes (kb.store.base)."""
        return self.backend.graph_ntriples(ox.NamedNode(graph_iri))

    def pattern(
        self,
        s: Any = None,
        p: Any = None,
        o: Any = None,
        g: Any = None,
    ) -> Iterator[ox.Quad]:
        """Quads matching a pattern; plain strings are taken as IRIs."""

        def term(x: Any) -> Any:
            return ox.NamedNode(x) if isinstance(x, str) else x

        return self.backend.quads_for_pattern(term(s), term(p), term(o), term(g))

    def graph_quad_count(self, graph_iri: str) -> int:
        return sum(1 for _ in self.quads(graph_iri))

    def dump_nquads(self, output: BinaryIO) -> None:
        """Every quad as N-Quads, streamed to ``output`` in the store's order."""
        self.backend.dump_nquads(output)

    # --- writing ------------------------------------------------------------------
    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads in one transaction."""
        # materialised here, in the caller's thread: handing pyoxigraph an iterator makes
        # it take the GIL back item by item (slow beside a busy thread: bench/write_paths.py)
        items = quads if isinstance(quads, list) else list(quads)
        self.backend.add_quads(items)
        self._written(len(items))

    @property
    def bulk_loads(self) -> bool:
        """Whether ``load_quads`` bypasses transactions (kb.store.base)."""
        return self.backend.bulk_loads

    def load_quads(self, quads: list[ox.Quad]) -> None:
        """Add many quads fast; not atomic where ``bulk_loads`` (see kb.store.base)."""
        self.backend.load_quads(quads)

    def load_nquads(self, data: bytes) -> None:
        """``load_quads`` of N-Quads bytes (never turned into Python objects here)."""
        self.backend.load_nquads(data)

    def settle(self, on_wait: Callable[[], None] | None = None) -> float:
        """After bulk loads: wait for the backend's background work on them (merging
        sorted files, kb.store.compaction); the seconds waited."""
        return self.backend.settle(on_wait)

    def load_nquads_file(self, path: Path) -> None:
        """``load_nquads`` of an N-Quads file (streamed where the backend can)."""
        self.backend.load_nquads_file(path)

    def _written(self, quads: int) -> None:
        self._unflushed += quads
        if self._unflushed >= FLUSH_EVERY and not self.read_only:
            self.backend.flush()
            self._unflushed = 0

    def update(self, sparql: str) -> None:
        """Run a SPARQL update in one transaction."""
        self.backend.update(sparql)

    def change(
        self,
        *,
        remove: Iterable[ox.Quad] = (),
        add: Iterable[ox.Quad] = (),
        drop_graphs: Iterable[str] = (),
        updates: Iterable[str] = (),
    ) -> None:
        """Remove quads, add quads and drop graphs, all in one transaction; ``updates``
        are SPARQL update operations run first in it (a ``DELETE ... WHERE`` clears
        many quads without spelling each one: kb.journal ``clear_added``)."""
        parts = [*updates, *(f"DROP SILENT GRAPH <{g}>" for g in drop_graphs)]
        removed = list(remove)
        added = list(add)
        if removed:
            parts.append(_delete_data_block(removed))
        if added:
            parts.append(_insert_data_block(added))
        if parts:
            self.backend.update(" ;\n".join(parts))
            self._written(len(removed) + len(added))

    def replace_graph(self, graph_iri: str, quads: list[ox.Quad]) -> None:
        """Atomically replace one named graph's content with ``quads``."""
        self.replace_graphs({graph_iri: quads})

    def replace_graphs(self, graphs: dict[str, list[ox.Quad]]) -> None:
        """Atomically replace several named graphs in one transaction."""
        if graphs:
            self.change(
                drop_graphs=list(graphs), add=[q for quads in graphs.values() for q in quads]
            )

    def remove_graph(self, graph_iri: str) -> None:
        self.change(drop_graphs=[graph_iri])

    def empty_graph(self, graph_iri: str) -> None:
        """Remove a graph however large, not necessarily in one transaction (see
        kb.store.base): for derived graphs rebuilt behind a marker."""
        self.backend.empty_graph(graph_iri)

    def flush(self) -> None:
        self.backend.flush()

    def snapshot(self, target: Path) -> None:
        """Write a checkpoint that a server opens read-only."""
        self.backend.snapshot(target)
