"""RDF dumps of the whole knowledge base, byte-for-byte deterministic.

Quads are sorted by their N-Quads form before serialisation, so the same content always
gives the same bytes, whatever order the store returns them in. Turtle cannot carry
named graphs: a Turtle dump is the union of all graphs (provenance then lives in the
TriG, N-Quads and JSON-LD dumps).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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


def sorted_quads(kb: KnowledgeBase) -> list[ox.Quad]:
    """Every quad of the store, in a canonical order."""
    return sorted(kb.quads(), key=str)


def distinct_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The union of the quads' graphs as distinct triples, in a canonical order."""
    unique = {str(t): t for t in (q.triple for q in quads)}
    return [unique[k] for k in sorted(unique)]


def sorted_triples(kb: KnowledgeBase) -> list[ox.Triple]:
    """The union of all graphs as distinct triples, in a canonical order."""
    return distinct_triples(kb.quads())


def dump_format(format_name: str) -> DumpFormat:
    """The DumpFormat called ``format_name``, or DumpError."""
    try:
        return DUMP_FORMATS[format_name]
    except KeyError:
        known = ", ".join(DUMP_FORMATS)
        raise DumpError(f"unknown dump format {format_name!r}; choose one of {known}") from None


def serialize_quads(quads: list[ox.Quad], format_name: str) -> bytes:
    """Serialise canonically ordered quads (``sorted_quads``) in one of DUMP_FORMATS.

    The same quads always give the same bytes, with a final newline.
    """
    fmt = dump_format(format_name)
    data: list[ox.Quad] | list[ox.Triple] = quads if fmt.quads else distinct_triples(quads)
    prefixes = PREFIXES if fmt.name in ("trig", "turtle") else None
    out = ox.serialize(data, format=fmt.rdf_format, prefixes=prefixes)
    assert out is not None  # bytes when no output file is given
    return out if out.endswith(b"\n") else out + b"\n"


def dump_bytes(kb: KnowledgeBase, format_name: str) -> bytes:
    """Serialise the knowledge base in one of DUMP_FORMATS; always ends with a newline."""
    dump_format(format_name)  # fail before reading the store
    return serialize_quads(sorted_quads(kb), format_name)


def convert_nquads(nquads: bytes, format_name: str) -> bytes:
    """Re-serialise a canonical N-Quads dump in another dump format.

    Parsing a sorted N-Quads dump gives the quads back in the same order, so the result
    is byte-for-byte what ``dump_bytes`` writes for the store it came from.
    """
    if format_name == "nquads":
        return nquads
    quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    return serialize_quads(quads, format_name)
