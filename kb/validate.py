"""SHACL validation of a knowledge base against ontology/shapes.ttl with pySHACL.

A store of 100,000 texts holds 50 million quads: as one rdflib graph it would need tens
of GB, and pySHACL takes about a second per 15,000 triples. So the store is validated a
part at a time, in worker processes: each text's graph (the shapes' targets are the
facts of one text, whose nodes all live in its graph) with what its facts point to
outside it (the ontology, for sh:class through rdfs:subClassOf; the types and preferred
labels of the actors it names), and once the other graphs (gazetteer, prior files,
meta), the two large derived graphs aside: no shape targets their rating nodes or
entity descriptions, and the entities' labels are checked with each text that names
them.

pySHACL evaluates a SPARQL-based constraint (``sh:sparql``) with rdflib's SPARQL engine,
once per focus node: 96 % of the time for the span shape's check. Here such constraints
run in Oxigraph instead, once per part, over the shape's targets (SHACL's pre-bound
``$this`` becomes a variable joined with them), and pySHACL checks the Core constraints.
A span failing that check is reported once, on the span: pySHACL reports it once more
on each fact whose ``sh:node`` points to the span. ``validate_graph`` still gives a
whole graph to pySHACL with every constraint (tests, small graphs).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph
from rdflib.namespace import SH
from rdflib.term import Node

from ontology import SHAPES_PATH

from .content import TEXT_GRAPH_INFIX
from .derived.entities import entities_graph_iri
from .ingest_workers import WorkerPool, default_workers
from .reliability import ratings_graph_iri
from .store import KnowledgeBase
from .vocab import PREFIXES

TEXTS_PER_PART = 50  # about 25,000 triples: a few seconds of pySHACL
REPORTED = 50  # violations described in the report (all are counted)
_S = PREFIXES["srkb"]
#: What a text's facts point to outside its graph: actors and sources, an assessor.
_AGENT_LINKS = frozenset(
    _S + p for p in ("refersTo", "speaker", "relayedBy", "judgedSource", "assessor")
)
#: What the shapes read of those agents.
_AGENT_FACTS = (
    ox.NamedNode(PREFIXES["rdf"] + "type"),
    ox.NamedNode(PREFIXES["skos"] + "prefLabel"),
)


@dataclass(frozen=True)
class ValidationResult:
    conforms: bool
    violations: int
    text: str


@dataclass(frozen=True)
class SparqlCheck:
    """A SPARQL-based constraint of a shape, as one query over the shape's targets."""

    shape: str
    message: str
    query: str


def _shapes() -> Graph:
    shapes = Graph()
    shapes.parse(SHAPES_PATH, format="turtle")
    return shapes


def validate_graph(graph: Graph) -> ValidationResult:
    """Validate an rdflib graph against the srkb shapes, every constraint by pySHACL."""
    return _pyshacl(graph, _shapes())


def _pyshacl(graph: Graph, shapes: Graph) -> ValidationResult:
    import pyshacl

    conforms, report_graph, text = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    # the report's results (a failed sh:node nests its shape's results as sh:detail)
    violations = len(set(report_graph.objects(None, SH.result)))
    return ValidationResult(bool(conforms), violations, str(text))


# --------------------------------------------------------------------------- the shapes
def _targets(shapes: Graph, shape: Node) -> list[str]:
    """SPARQL patterns binding ?this to the shape's focus nodes (SHACL 2.1.3)."""
    found = [
        f"{{ ?this a/<{RDFS.subClassOf}>* <{c}> }}" for c in shapes.objects(shape, SH.targetClass)
    ]
    if (shape, RDF.type, RDFS.Class) in shapes:  # an implicit class target
        found.append(f"{{ ?this a/<{RDFS.subClassOf}>* <{shape}> }}")
    found += [f"{{ VALUES ?this {{ {n.n3()} }} }}" for n in shapes.objects(shape, SH.targetNode)]
    found += [f"{{ ?this <{p}> [] }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    found += [f"{{ [] <{p}> ?this }}" for p in shapes.objects(shape, SH.targetObjectsOf)]
    return found


def _prefixes(shapes: Graph, constraint: object) -> str:
    lines = []
    for declaring in shapes.objects(constraint, SH.prefixes):  # type: ignore[arg-type]
        for declared in shapes.objects(declaring, SH.declare):
            prefix = shapes.value(declared, SH.prefix)
            namespace = shapes.value(declared, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


def split_shapes(shapes: Graph) -> tuple[Graph, list[SparqlCheck]]:
    """The shapes without their SPARQL-based constraints (for pySHACL), and those
    constraints as queries whose rows are the violations (?this, ?value)."""
    core = Graph()
    for triple in shapes:
        core.add(triple)
    checks = []
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql)):
        core.remove((shape, SH.sparql, constraint))
        select = str(shapes.value(constraint, SH.select)).replace("$this", "?this")
        message = str(shapes.value(constraint, SH.message) or "SPARQL constraint")
        targets = " UNION ".join(_targets(shapes, shape)) or "{ FILTER(false) }"
        head = _prefixes(shapes, constraint)
        query = f"{head}\nSELECT DISTINCT ?this ?value WHERE {{ {targets} {{ {select} }} }}"
        checks.append(SparqlCheck(str(shape), message, query))
    return core, checks


@functools.cache
def _split() -> tuple[Graph, list[SparqlCheck]]:
    return split_shapes(_shapes())


# --------------------------------------------------------------------------- a part
@dataclass(frozen=True)
class PartResult:
    violations: int
    lines: list[str]


def validate_part(triples: bytes) -> PartResult:
    """Validate one part of the store, its triples as N-Triples (the graphs merged, as
    SHACL validates one data graph): Core constraints by pySHACL, SPARQL-based ones by
    Oxigraph."""
    core, checks = _split()
    store = ox.Store()
    store.bulk_load(triples, format=ox.RdfFormat.N_TRIPLES)
    graph = Graph()
    graph.parse(data=triples, format="nt")
    result = _pyshacl(graph, core)
    lines = [] if result.conforms else _result_blocks(result.text)
    violations = result.violations
    for check in checks:
        for row in store.query(check.query):  # type: ignore[union-attr]
            violations += 1
            lines.append(
                f"Constraint Violation in SPARQLConstraintComponent ({check.shape}): "
                f"focus node {row['this']}, value {row['value']}: {check.message}"
            )
    return PartResult(violations, lines)


def _result_blocks(text: str) -> list[str]:
    """pySHACL's text report, one entry per result."""
    blocks = text.split("Constraint Violation in ")[1:]
    return ["Constraint Violation in " + b.strip() for b in blocks]


# --------------------------------------------------------------------------- the store
@dataclass(frozen=True)
class Parts:
    """How the store is validated: its text graphs a few at a time, then the others
    (see the module docstring)."""

    texts: list[str]
    others: list[str]
    ontology: list[str]

    @classmethod
    def of(cls, kb: KnowledgeBase) -> Parts:
        from .derived import stored_base_iri

        base = stored_base_iri(kb)
        derived = {ratings_graph_iri(base), entities_graph_iri(base)} if base else set()
        graphs = kb.named_graphs()
        return cls(
            texts=[g for g in graphs if TEXT_GRAPH_INFIX in g],
            others=[g for g in graphs if TEXT_GRAPH_INFIX not in g and g not in derived],
            ontology=[g for g in graphs if g.endswith("/graph/ontology")],
        )

    def __len__(self) -> int:
        return -(-len(self.texts) // TEXTS_PER_PART) + 1

    def read(self, kb: KnowledgeBase) -> Iterator[bytes]:
        """Each part's triples, as N-Triples."""
        backend = kb.backend

        def graph(g: str) -> Iterator[ox.Quad]:
            return backend.quads_for_pattern(None, None, None, ox.NamedNode(g))

        context = [q for g in self.ontology for q in graph(g)]
        for start in range(0, len(self.texts), TEXTS_PER_PART):
            quads = [q for g in self.texts[start : start + TEXTS_PER_PART] for q in graph(g)]
            agents = {q.object for q in quads if q.predicate.value in _AGENT_LINKS}
            for agent in sorted(agents, key=str):
                for predicate in _AGENT_FACTS:
                    quads += backend.quads_for_pattern(agent, predicate, None, None)
            yield _triples([*quads, *context])
        quads = list(backend.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        yield _triples(quads + [q for g in self.others for q in graph(g)])


def _triples(quads: list[ox.Quad]) -> bytes:
    return ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES) or b""


def validate_kb(
    kb: KnowledgeBase,
    *,
    parts: Parts | None = None,
    workers: int | None = None,
    on_part: Callable[[], None] | None = None,
) -> ValidationResult:
    """Validate the whole store a part at a time, in ``workers`` processes (default:
    one per core; 0 validates in this one)."""
    parts = parts or Parts.of(kb)
    count = workers if workers is not None else default_workers()
    violations, lines = 0, list[str]()
    with WorkerPool(count if len(parts) > 2 else 0, window=2 * max(count, 1)) as pool:
        for part in pool.map(validate_part, parts.read(kb)):
            violations += part.violations
            lines += part.lines[: max(0, REPORTED - len(lines))]
            if on_part:
                on_part()
    return ValidationResult(violations == 0, violations, _report(violations, lines))


def _report(violations: int, lines: Iterable[str]) -> str:
    shown = list(lines)
    head = "Validation Report\nConforms: " + ("True" if violations == 0 else "False")
    if violations:
        head += f"\nResults ({violations}):"
    more = violations - len(shown)
    tail = [f"... and {more} more violation(s)"] if more > 0 else []
    return "\n".join([head, *shown, *tail]) + "\n"


__all__ = [
    "PartResult",
    "Parts",
    "SparqlCheck",
    "ValidationResult",
    "split_shapes",
    "validate_graph",
    "validate_kb",
    "validate_part",
]
