"""`srkb validate` a few texts at a time: the same violations as pySHACL finds in the
whole store at once, SPARQL-based constraints included."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kb import validate
from kb.corpus import InputText
from kb.ingest import ingest_texts
from kb.store import KnowledgeBase
from kb.validate import Parts, split_shapes, validate_graph, validate_kb

from .conftest import run_srkb
from .helpers import PROJECT_ROOT, SEED_PATH

BASE = "http://kb.test/"
TEXTS = PROJECT_ROOT / "tests" / "reliability_texts"
PREFIXES = """PREFIX srkb: <https://w3id.org/srkb/ontology#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
# one span's words no longer those at its offsets (the SPARQL-based constraint) ...
BAD_SPAN = (
    PREFIXES
    + """
DELETE { GRAPH ?g { ?span nif:anchorOf ?a } }
INSERT { GRAPH ?g { ?span nif:anchorOf "not these words" } }
WHERE { { SELECT ?g ?span ?a WHERE { GRAPH ?g { ?c a srkb:Claim ; srkb:evidence ?span .
          ?span nif:anchorOf ?a } } ORDER BY ?span LIMIT 1 } }"""
)
# ... a judgement of another text without its document, a Core constraint ...
NO_DOCUMENT = (
    PREFIXES
    + """
DELETE { GRAPH ?g { ?j srkb:inDocument ?d } }
WHERE { { SELECT ?g ?j ?d WHERE { GRAPH ?g { ?j a srkb:SourceJudgement ; srkb:inDocument ?d } }
          ORDER BY DESC(?j) LIMIT 1 } }"""
)
# ... and a speaker without a name anywhere (its label is outside the text's graph)
NAMELESS = (
    PREFIXES
    + """
DELETE { GRAPH ?g { ?a skos:prefLabel ?l } GRAPH ?t { ?a srkb:nameInText ?n } }
WHERE { { SELECT ?a WHERE { GRAPH ?c { ?claim srkb:speaker ?a } } ORDER BY ?a LIMIT 1 }
        GRAPH ?g { ?a skos:prefLabel ?l } OPTIONAL { GRAPH ?t { ?a srkb:nameInText ?n } } }"""
)


def _texts() -> list[InputText]:
    inputs = [InputText("seed.txt", SEED_PATH.read_text(encoding="utf-8"))]
    return inputs + [
        InputText(p.name, p.read_text(encoding="utf-8")) for p in sorted(TEXTS.glob("*"))
    ]


@pytest.fixture(scope="module")
def broken() -> KnowledgeBase:
    kb = KnowledgeBase.in_memory()
    ingest_texts(kb, _texts(), base_iri=BASE)
    for update in (BAD_SPAN, NO_DOCUMENT, NAMELESS):
        kb.update(update)
    return kb


def _whole(kb: KnowledgeBase) -> Graph:
    """Every graph of the store, merged."""
    graph = Graph()
    lines = [f"{q.triple} ." for g in kb.named_graphs() for q in kb.pattern(None, None, None, g)]
    graph.parse(data="\n".join(lines), format="nt")
    return graph


def test_the_parts_find_what_the_whole_store_shows(
    broken: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validate, "TEXTS_PER_PART", 2)  # several parts
    assert len(Parts.of(broken)) >= 4
    in_parts = validate_kb(broken, workers=0)
    assert not in_parts.conforms
    # the span, the judgement without its document (twice: the document and the
    # extraction run it leads to), the nameless speaker
    assert in_parts.violations == 4
    assert "the span's anchorOf text is not the source text's characters" in in_parts.text
    assert "every fact names the one document it was read from" in in_parts.text
    assert "has a preferred label" in in_parts.text
    assert in_parts.text.startswith("Validation Report\nConforms: False\nResults (4):")


def test_the_whole_store_given_to_pyshacl_agrees(broken: KnowledgeBase) -> None:
    whole = validate_graph(_whole(broken))
    parts = validate_kb(broken, workers=0)
    # pySHACL reports the bad span once more, on the claim whose sh:node it fails
    assert whole.violations == parts.violations + 1 == 5
    assert whole.text.count("Constraint Violation in NodeConstraintComponent") == 1
    assert "NodeConstraintComponent" not in parts.text


def test_worker_processes_give_the_same_report(
    broken: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validate, "TEXTS_PER_PART", 3)
    here = validate_kb(broken, workers=0)
    assert validate_kb(broken, workers=2) == here


def test_sparql_constraints_become_queries_over_their_targets() -> None:
    shapes = Graph()
    shapes.parse(PROJECT_ROOT / "ontology" / "shapes.ttl", format="turtle")
    core, checks = split_shapes(shapes)
    assert len(checks) == 1 and "$this" not in checks[0].query
    assert "?this a/" in checks[0].query and "nif:isString" in checks[0].query
    assert len(core) < len(shapes)


def test_the_cli_reports_violations_and_fails(tmp_path: Path) -> None:
    data = tmp_path / "data"
    kb = KnowledgeBase.open(data)
    ingest_texts(kb, _texts()[:2], base_iri=BASE, data_dir=data)
    kb.update(BAD_SPAN)
    kb.close()
    out = run_srkb("validate", data=data)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "1 shape violation(s)" in out.stderr
    assert "not the source text's characters" in out.stderr
