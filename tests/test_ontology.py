"""The ontology: it parses, HermiT finds it consistent, every term is documented, and
kb/vocab.py declares exactly the ontology's terms."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kb.reasoning import check_ontology
from kb.vocab import SRKB
from ontology import NAMESPACE, ONTOLOGY_IRI, ONTOLOGY_PATH

DECLARED_KINDS = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
)

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs java")


@pytest.fixture(scope="module")
def onto() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY_PATH, format="turtle")
    return g


def declared_terms(g: Graph) -> set[URIRef]:
    return {
        s for kind in DECLARED_KINDS for s in g.subjects(RDF.type, kind) if isinstance(s, URIRef)
    }


def test_ontology_has_version_iri(onto: Graph) -> None:
    version = onto.value(URIRef(ONTOLOGY_IRI), OWL.versionIRI)
    assert version is not None and str(version).startswith(ONTOLOGY_IRI + "/")


def test_every_class_and_property_has_label_and_comment(onto: Graph) -> None:
    undocumented = sorted(
        str(t)
        for t in declared_terms(onto)
        if onto.value(t, RDFS.label) is None or onto.value(t, RDFS.comment) is None
    )
    assert undocumented == []
    assert len(declared_terms(onto)) > 80  # reused and own terms alike


def test_vocab_module_matches_ontology(onto: Graph) -> None:
    in_ontology = {
        str(s)[len(NAMESPACE) :] for s in onto.subjects() if str(s).startswith(NAMESPACE)
    }
    in_vocab = {name for name in SRKB.__annotations__}
    assert in_vocab == in_ontology


def test_reuses_prov_schema_skos(onto: Graph) -> None:
    supers = {str(o) for o in onto.objects(None, RDFS.subClassOf)} | {
        str(o) for o in onto.objects(None, RDFS.subPropertyOf)
    }
    assert "http://www.w3.org/ns/prov#Agent" in supers
    assert "https://schema.org/Claim" in supers
    assert "https://schema.org/Comment" in supers
    assert "https://schema.org/NewsMediaOrganization" in supers
    assert "http://www.w3.org/ns/prov#wasAttributedTo" in supers
    assert "http://www.w3.org/ns/prov#wasQuotedFrom" in supers
    assert "http://www.w3.org/ns/prov#wasDerivedFrom" in supers


@needs_java
def test_hermit_finds_ontology_consistent_without_unsatisfiable_classes() -> None:
    report = check_ontology()
    assert report.consistent, report.message
    assert report.unsatisfiable == ()
    assert report.classes >= 30


@needs_java
def test_hermit_detects_an_unsatisfiable_class(tmp_path: Path) -> None:
    """The check can fail: a class under two disjoint classes is reported."""
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        ONTOLOGY_PATH.read_text(encoding="utf-8")
        + "\nsrkb:Actor owl:disjointWith srkb:Source .\n"
        + "srkb:Spokesbot a owl:Class ; rdfs:subClassOf srkb:Person , srkb:NewsAgency ;"
        + ' rdfs:label "x" ; rdfs:comment "x" .\n',
        encoding="utf-8",
    )
    report = check_ontology(broken)
    assert report.consistent
    assert NAMESPACE + "Spokesbot" in report.unsatisfiable


@needs_java
def test_hermit_detects_inconsistency(tmp_path: Path) -> None:
    broken = tmp_path / "inconsistent.ttl"
    broken.write_text(
        ONTOLOGY_PATH.read_text(encoding="utf-8")
        + "\nsrkb:Actor owl:disjointWith srkb:Source .\n"
        + "srkb:bot a srkb:Person , srkb:NewsAgency .\n",
        encoding="utf-8",
    )
    assert not check_ontology(broken).consistent
