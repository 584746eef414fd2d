"""The reference gazetteer of known actors and sources, read from ontology/gazetteer.ttl.

The Turtle file is the source of truth; this module turns it into plain records the
extractor can match against, once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import RDF, SKOS, Graph, URIRef

from ontology import GAZETTEER_PATH, NAMESPACE

from .errors import OntologyError

# A fixed base for reading the relative IRIs of the file; keys are the part after it.
_READ_BASE = "http://gazetteer.srkb.invalid/"
_ENTITY_PREFIX = _READ_BASE + "entity/"
_DOMAIN_NAME = URIRef(NAMESPACE + "domainName")


@dataclass(frozen=True)
class GazetteerEntry:
    """One known actor or source."""

    key: str  # "sdf": the IRI is <base>entity/<key>
    name: str  # skos:prefLabel
    types: frozenset[str]  # ontology class local names
    labels: tuple[str, ...]  # prefLabel and altLabels, for matching and display
    hidden_labels: tuple[str, ...]  # misspellings and slurs: matched, never displayed
    domains: tuple[str, ...]  # internet domains that identify a source

    @property
    def all_labels(self) -> tuple[str, ...]:
        return self.labels + self.hidden_labels


@lru_cache(maxsize=1)
def load_gazetteer_graph() -> Graph:
    """Parse the gazetteer file with relative IRIs left under a private base."""
    graph = Graph()
    try:
        graph.parse(GAZETTEER_PATH, format="turtle", publicID=_READ_BASE)
    except Exception as exc:  # rdflib raises many parser exception types
        raise OntologyError(f"cannot read the gazetteer {GAZETTEER_PATH}: {exc}") from exc
    return graph


@lru_cache(maxsize=1)
def load_gazetteer() -> tuple[GazetteerEntry, ...]:
    """All gazetteer entries, sorted by key."""
    graph = load_gazetteer_graph()
    entries = []
    for iri in sorted({str(s) for s in graph.subjects(SKOS.prefLabel, None)}):
        subject = URIRef(iri)
        if not iri.startswith(_ENTITY_PREFIX):
            raise OntologyError(f"gazetteer IRI {iri!r} is not of the form <entity/KEY>")
        pref = str(graph.value(subject, SKOS.prefLabel))
        alts = sorted(str(o) for o in graph.objects(subject, SKOS.altLabel))
        entries.append(
            GazetteerEntry(
                key=iri[len(_ENTITY_PREFIX) :],
                name=pref,
                types=frozenset(
                    str(t)[len(NAMESPACE) :]
                    for t in graph.objects(subject, RDF.type)
                    if str(t).startswith(NAMESPACE)
                ),
                labels=(pref, *alts),
                hidden_labels=tuple(
                    sorted(str(o) for o in graph.objects(subject, SKOS.hiddenLabel))
                ),
                domains=tuple(sorted(str(o) for o in graph.objects(subject, _DOMAIN_NAME))),
            )
        )
    return tuple(entries)


def gazetteer_turtle_for_base(base_iri: str) -> Graph:
    """The gazetteer as a graph whose entity IRIs live under ``base_iri``."""
    graph = Graph()
    graph.parse(GAZETTEER_PATH, format="turtle", publicID=base_iri)
    return graph
