"""What every store backend provides: the contract the rest of srkb is written against.

srkb talks RDF in pyoxigraph's terms (``NamedNode``, ``Literal``, ``Quad``) and pyoxigraph's
result objects (``QuerySolutions``, ``QueryBoolean``, ``QueryTriples``) whatever the
backend: the embedded Oxigraph store returns them natively, and a remote SPARQL store
parses its answers into them (``pyoxigraph.parse_query_results``). So the views, the
named queries and the ratings never know which backend they run on.

Why writes are so few and so coarse: every write srkb makes is one transaction that
leaves the store consistent (a batch of texts with their journal entries; the derived
data of a batch with the journal cleared), so a backend needs only ``add_quads`` (many
quads, atomically) and ``update`` (a SPARQL update, atomically).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

import pyoxigraph as ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def value(term: object) -> str:
    """The lexical value of a term (an IRI, a literal's text); "" for the default graph."""
    return str(getattr(term, "value", ""))


class StoreBackend(ABC):
    """One RDF dataset (named graphs) that srkb reads and writes."""

    #: The name it is registered under (``SRKB_STORE_BACKEND``).
    name: ClassVar[str]
    #: Whether a dump in the store's own order is canonical (the same content always
    #: gives the same bytes, whatever order it was written in).
    ordered_dump: ClassVar[bool] = False
    #: Whether ``load_quads`` is a bulk load: much faster than ``add_quads``, not atomic.
    bulk_loads: ClassVar[bool] = False

    read_only: bool
    path: Path | None

    # --- reading ---------------------------------------------------------------------
    @abstractmethod
    def query(self, sparql: str, **options: Any) -> Any:
        """A SPARQL query's results as pyoxigraph objects (options as pyoxigraph's)."""

    @abstractmethod
    def quads_for_pattern(
        self,
        subject: Term | None,
        predicate: ox.NamedNode | None,
        obj: Term | None,
        graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None,
    ) -> Iterator[ox.Quad]:
        """The quads matching a pattern (None matches anything), lazily."""

    @abstractmethod
    def contains_named_graph(self, graph: ox.NamedNode) -> bool: ...

    @abstractmethod
    def named_graphs(self) -> Iterator[ox.NamedNode | ox.BlankNode]: ...

    @abstractmethod
    def __len__(self) -> int:
        """The number of quads."""

    @abstractmethod
    def dump_nquads(self, output: BinaryIO) -> None:
        """Write every quad as N-Quads to ``output``, streaming (never all in memory)."""

    def graph_ntriples(self, graph: ox.NamedNode) -> bytes:
        """One graph's triples as N-Triples: bytes that cross to a worker process at
        little cost (kb.derived.bulk reads the texts' records there)."""
        triples = (
            ox.Quad(q.subject, q.predicate, q.object)
            for q in self.quads_for_pattern(None, None, None, graph)
        )
        return ox.serialize(triples, format=ox.RdfFormat.N_QUADS) or b""

    # --- writing ---------------------------------------------------------------------
    @abstractmethod
    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads in one transaction: all of them or none."""

    def load_quads(self, quads: list[ox.Quad]) -> None:
        """Add many quads as fast as the backend can. Where ``bulk_loads`` is set this is
        not atomic (a crash may leave part of them), so callers record what they load
        before loading it (kb.journal); elsewhere it is ``add_quads``."""
        self.add_quads(quads)

    def load_nquads(self, data: bytes) -> None:
        """``load_quads`` of quads given as N-Quads (parsed by the backend if it can)."""
        self.add_quads(list(ox.parse(data, format=ox.RdfFormat.N_QUADS)))

    def load_nquads_file(self, path: Path) -> None:
        """``load_nquads`` of an N-Quads file (read by the backend if it can)."""
        self.load_nquads(path.read_bytes())

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL update in one transaction."""

    def empty_graph(self, graph_iri: str) -> None:
        """Remove every quad of a graph that may be too large for one transaction. Here
        one ``DROP`` (a server holds its own transactions); an embedded store that holds
        a transaction in memory removes it in parts, each its own transaction."""
        self.update(f"DROP SILENT GRAPH <{graph_iri}>")

    def flush(self) -> None:  # noqa: B027 - optional: backends that buffer writes
        """Make the writes so far durable."""

    def settle(self, on_wait: Callable[[], None] | None = None) -> float:
        """After a bulk load: wait for the backend's own background work on it to end
        (kb.store.compaction); returns the seconds waited. Nothing to wait for here."""
        return 0.0

    def snapshot(self, target: Path) -> None:
        """Write a read-only copy that a server can open (embedded backends only)."""
        raise NotImplementedError(f"the {self.name} store cannot be snapshotted")

    def close(self) -> None:  # noqa: B027 - optional: backends holding resources
        """Release the store; the object is unusable afterwards."""
