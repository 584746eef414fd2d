"""SHACL validation of a knowledge base against ontology/shapes.ttl with pySHACL.

The whole store (all named graphs, ontology and gazetteer included, so that sh:class
follows rdfs:subClassOf) is validated as one union graph.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import RDF, Graph
from rdflib.namespace import SH

from ontology import SHAPES_PATH

from .store import KnowledgeBase


@dataclass(frozen=True)
class ValidationResult:
    conforms: bool
    violations: int
    text: str


def union_graph(kb: KnowledgeBase) -> Graph:
    """All triples of all graphs as one rdflib graph."""
    data = ox.serialize((q.triple for q in kb.quads()), format=ox.RdfFormat.N_TRIPLES)
    graph = Graph()
    graph.parse(data=data, format="nt")
    return graph


def validate_graph(graph: Graph) -> ValidationResult:
    """Validate an rdflib graph against the srkb shapes."""
    import pyshacl

    shapes = Graph()
    shapes.parse(SHAPES_PATH, format="turtle")
    conforms, report_graph, text = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    violations = len(set(report_graph.subjects(RDF.type, SH.ValidationResult)))
    return ValidationResult(bool(conforms), violations, str(text))


def validate_kb(kb: KnowledgeBase) -> ValidationResult:
    return validate_graph(union_graph(kb))
