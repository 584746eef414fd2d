"""The seed ingested into a store: it satisfies the SHACL shapes, and the article's
claims come out with their speaker, relay, document, date and character span."""

from __future__ import annotations

import pytest

from kb.corpus import InputText
from kb.ingest import ingest_texts
from kb.store import KnowledgeBase
from kb.validate import validate_kb
from kb.vocab import sparql_prefixes

from .helpers import PROJECT_ROOT, SEED_PATH

BASE = "http://kb.test/"


@pytest.fixture(scope="module")
def seed_kb() -> KnowledgeBase:
    kb = KnowledgeBase.in_memory()
    ingest_texts(kb, [InputText("seed.txt", SEED_PATH.read_text(encoding="utf-8"))], base_iri=BASE)
    return kb


def rows(kb: KnowledgeBase, body: str) -> list[dict[str, str]]:
    result = kb.query(sparql_prefixes() + body)
    names = [v.value for v in result.variables]
    return [{n: (sol[n].value if sol[n] is not None else None) for n in names} for sol in result]


CLAIMS = """
SELECT ?claim ?speakerName ?viaName ?doc ?b ?e ?anchor ?dateText ?date WHERE {
  GRAPH ?g {
    ?claim a srkb:Claim ; srkb:inDocument ?doc ; srkb:evidence ?span .
    ?span nif:anchorOf ?anchor .
    BIND (STRAFTER(STR(?span), "#char=") AS ?chars)
    BIND (xsd:integer(STRBEFORE(?chars, ",")) AS ?b)
    BIND (xsd:integer(STRAFTER(?chars, ",")) AS ?e)
    OPTIONAL { ?claim srkb:dateText ?dateText }
    OPTIONAL { ?claim srkb:statementDate ?date }
  }
  OPTIONAL { GRAPH ?g { ?claim srkb:speaker ?speaker }
             GRAPH ?g2 { ?speaker skos:prefLabel ?speakerName } }
  OPTIONAL { GRAPH ?g { ?claim srkb:relayedBy ?via } GRAPH ?g3 { ?via skos:prefLabel ?viaName } }
}"""


def test_seed_conforms_to_shapes(seed_kb: KnowledgeBase) -> None:
    result = validate_kb(seed_kb)
    assert result.conforms, result.text[:3000]


def test_xelil_april_4_claim_via_reuters_with_span(seed_kb: KnowledgeBase) -> None:
    text = SEED_PATH.read_text(encoding="utf-8")
    found = [
        r
        for r in rows(seed_kb, CLAIMS)
        if r["speakerName"]
        and "Xelil" in r["speakerName"]
        and r["viaName"] == "Reuters"
        and r["dateText"]
        and "April 4" in r["dateText"]
    ]
    assert found, rows(seed_kb, CLAIMS)
    r = found[0]
    assert r["doc"].endswith("/article")
    b, e = int(r["b"]), int(r["e"])
    assert text[b:e] == r["anchor"] and "told Reuters" in r["anchor"]
    assert r["date"] == "--04-04"


def test_abadi_april_2_claim(seed_kb: KnowledgeBase) -> None:
    found = [r for r in rows(seed_kb, CLAIMS) if r["speakerName"] and "Abadi" in r["speakerName"]]
    assert len(found) == 1  # the negated "didn't mention" is not a claim
    assert "April 2" in found[0]["dateText"] and found[0]["date"] == "--04-02"


def test_claim_according_to_syrian_sources(seed_kb: KnowledgeBase) -> None:
    found = rows(
        seed_kb,
        """
      SELECT ?claim ?label WHERE { GRAPH ?g {
        ?claim srkb:relayedBy ?via . ?via a srkb:UnnamedSource ; skos:prefLabel ?label } }""",
    )
    assert any(r["label"].lower() == "syrian sources" for r in found), found


def test_every_project_text_conforms_to_shapes() -> None:
    """The example texts and the evaluation texts, ingested together, satisfy the shapes."""
    paths = sorted(PROJECT_ROOT.glob("examples/*.txt")) + sorted(
        PROJECT_ROOT.glob("tests/data/*.txt")
    )
    assert paths, "no project texts found"
    kb = KnowledgeBase.in_memory()
    ingest_texts(
        kb, [InputText(p.name, p.read_text(encoding="utf-8")) for p in paths], base_iri=BASE
    )
    result = validate_kb(kb)
    assert result.conforms, result.text[:3000]
