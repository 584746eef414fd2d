"""`srkb texts`: one row per text with its own counts of claims and judgements."""

from __future__ import annotations

import pyoxigraph as ox

from kb.corpus import InputText
from kb.ingest import ingest_texts
from kb.store import KnowledgeBase
from kb.text_list import list_texts
from kb.version import software_version

from .helpers import SEED_PATH

BASE = "http://kb.test/"
S = "https://w3id.org/srkb/ontology#"
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _count(kb: KnowledgeBase, graph: str, cls: str) -> int:
    return sum(1 for _ in kb.pattern(None, TYPE, ox.NamedNode(S + cls), ox.NamedNode(graph)))


def test_each_text_has_its_own_counts() -> None:
    kb = KnowledgeBase.in_memory()
    inputs = [
        InputText("seed.txt", SEED_PATH.read_text(encoding="utf-8")),
        InputText("b-quiet.txt", "Nothing happened in the village today."),
        InputText("a-claim.txt", "Reuters reported that the bridge at Hajin was destroyed."),
    ]
    ingest_texts(kb, inputs, base_iri=BASE)
    rows = list_texts(kb)
    assert [r.name for r in rows] == ["a-claim.txt", "b-quiet.txt", "seed.txt"]
    for row in rows:
        graph = f"{BASE}graph/text/{row.text_id}"
        assert row.claims == _count(kb, graph, "Claim")
        assert row.judgements == _count(kb, graph, "SourceJudgement")
        assert row.version == software_version()
    seed = rows[-1]
    assert seed.claims > 1 and seed.judgements > 1  # counted apart, not multiplied
    assert (rows[1].claims, rows[1].judgements) == (0, 0)
