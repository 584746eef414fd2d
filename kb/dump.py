"""RDF dumps of the whole knowledge base: streamed, and byte-for-byte deterministic.

Nothing is sorted in memory. The embedded store iterates its quads in an order fixed by
their content (kb.store.oxigraph: graph by graph, each in key order), so writing them as
they come gives the same bytes for the same content, whatever order it was written in,
at any size, in constant memory. srkb's own bookkeeping graph (kb.journal, kb.content)
is left out: it is not content, and holds extraction times. Turtle and N-Triples cannot
carry named graphs: their dump is the union of all graphs as distinct triples, which a
temporary on-disk store works out (it keeps each triple once) and then writes in its own
order, again in constant memory.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from .errors import SRKBError
from .store import KnowledgeBase
from .vocab import PREFIXES


@dataclass(frozen=True)
class DumpFormat:
    name: str
    rdf_format: ox.RdfFormat
    media_type: str
    extension: str
    quads: bool  # whether named graphs survive


DUMP_FORMATS: dict[str, DumpFormat] = {
    "nquads": DumpFormat("nquads", ox.RdfFormat.N_QUADS, "application/n-quads", "nq", True),
    "trig": DumpFormat("trig", ox.RdfFormat.TRIG, "application/trig", "trig", True),
    "jsonld": DumpFormat("jsonld", ox.RdfFormat.JSON_LD, "application/ld+json", "jsonld", True),
    "turtle": DumpFormat("turtle", ox.RdfFormat.TURTLE, "text/turtle", "ttl", False),
    "ntriples": DumpFormat(
        "ntriples", ox.RdfFormat.N_TRIPLES, "application/n-triples", "nt", False
    ),
}


class DumpError(SRKBError):
    code = "E600"
    status = 400


def dump_format(format_name: str) -> DumpFormat:
    """The DumpFormat called ``format_name``, or DumpError."""
    try:
        return DUMP_FORMATS[format_name]
    except KeyError:
        known = ", ".join(DUMP_FORMATS)
        raise DumpError(f"unknown dump format {format_name!r}; choose one of {known}") from None


class _Tail:
    """Remembers whether the last byte written was a newline (every dump ends with one)."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.last = b"\n"

    def write(self, data: bytes) -> int:
        if data:
            self.last = data[-1:]
        return self.out.write(data)

    def flush(self) -> None:
        self.out.flush()

    def finish(self) -> None:
        if self.last != b"\n":
            self.out.write(b"\n")


def _serialize(
    quads: Iterable[ox.Quad] | Iterable[ox.Triple], fmt: DumpFormat, out: BinaryIO
) -> None:
    tail = _Tail(out)
    prefixes = PREFIXES if fmt.name in ("trig", "turtle") else None
    ox.serialize(quads, tail, format=fmt.rdf_format, prefixes=prefixes)  # type: ignore[arg-type]  # a binary writer
    tail.finish()


def _distinct_triples(quads: Iterable[ox.Quad], out: BinaryIO, fmt: DumpFormat) -> None:
    """The union of the quads' graphs as distinct triples, through a temporary store."""
    directory = tempfile.mkdtemp(prefix="srkb-dump-")
    try:
        store = ox.Store(directory)
        store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
        _serialize(
            (q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())),
            fmt,
            out,
        )
        del store
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _write(quads: Iterable[ox.Quad], fmt: DumpFormat, out: BinaryIO) -> None:
    if fmt.quads:
        _serialize(quads, fmt, out)
    else:
        _distinct_triples(quads, out, fmt)


BOOKKEEPING_SUFFIX = "/graph/journal"


def content_quads(kb: KnowledgeBase) -> Iterator[ox.Quad]:
    """Every quad but srkb's bookkeeping (kb.content, kb.journal), in the store's order."""
    yield from kb.pattern(None, None, None, ox.DefaultGraph())
    for graph in kb.backend.named_graphs():
        if isinstance(graph, ox.NamedNode) and graph.value.endswith(BOOKKEEPING_SUFFIX):
            continue
        yield from kb.backend.quads_for_pattern(None, None, None, graph)


def write_dump(kb: KnowledgeBase, format_name: str, out: BinaryIO) -> None:
    """Stream the knowledge base's content to ``out`` in one of DUMP_FORMATS, in constant
    memory. srkb's bookkeeping graph (journal, content digests) is not content: left out."""
    _write(content_quads(kb), dump_format(format_name), out)


def dump_bytes(kb: KnowledgeBase, format_name: str) -> bytes:
    """The dump as bytes (for small stores and tests); always ends with a newline."""
    buffer = io.BytesIO()
    write_dump(kb, format_name, buffer)
    return buffer.getvalue()


def _nquads_of(path: Path) -> Iterator[ox.Quad]:
    return iter(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))


def convert_nquads_file(source: Path, format_name: str, out: BinaryIO) -> None:
    """Re-serialise a dump written by ``write_dump`` (N-Quads) in another format, streaming.

    The quads come back in the order they were written, so the result is byte-for-byte
    what ``write_dump`` writes for the store it came from.
    """
    fmt = dump_format(format_name)
    if fmt.name == "nquads":
        with source.open("rb") as f:
            shutil.copyfileobj(f, out)
        return
    _write(_nquads_of(source), fmt, out)
