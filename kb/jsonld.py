"""Compacted JSON-LD with srkb's published ``@context``.

pyoxigraph writes expanded JSON-LD (full IRIs everywhere), which is correct but hard to
read. srkb compacts with rdflib's JSON-LD serializer against one context made of its
prefixes (kb.vocab.PREFIXES), the context the server publishes at ``/context.jsonld``.
The context is embedded in each document rather than referred to by URL: a client then
expands it without fetching anything (a base IRI that does not point at the server, or
a client without network, would otherwise make every document unreadable).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .vocab import PREFIXES

CONTEXT_PATH = "context.jsonld"


def context() -> dict[str, Any]:
    """The ``@context`` object: srkb's prefixes as JSON-LD prefix definitions."""
    return dict(PREFIXES)


def context_document() -> bytes:
    """What ``/context.jsonld`` serves."""
    return json.dumps({"@context": context()}, indent=1, sort_keys=True).encode() + b"\n"


def _rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise ValueError("JSON-LD 1.1 cannot carry RDF 1.2 triple terms; ask for Turtle or N-Triples")


def compact(triples: Iterable[ox.Triple]) -> bytes:
    """The triples as compacted JSON-LD, with the published ``@context`` embedded."""
    graph = Graph()
    for t in triples:
        graph.add((_rdflib(t.subject), _rdflib(t.predicate), _rdflib(t.object)))
    doc = json.loads(graph.serialize(format="json-ld", context=context(), auto_compact=True))
    if not isinstance(doc, dict):  # an empty graph serialises as []
        doc = {"@context": context(), "@graph": doc}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
