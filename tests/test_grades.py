"""Grades an analyst would sign (issue 13), on the project's example texts.

The example texts (examples/*.txt, the knowledge base `bash scripts/run.sh` builds) hold
a party to the fighting (the SDF, the Houthis) speaking about its own operations, an
outlet's report that repeats the party's account, and readers' verdicts.
"""

from __future__ import annotations

import pytest

from kb.corpus import InputText
from kb.ingest import ingest_texts
from kb.store import KnowledgeBase

from .helpers import PROJECT_ROOT

BASE = "http://kb.test/"
SRKB = "https://w3id.org/srkb/ontology#"
SDF = BASE + "entity/sdf"


@pytest.fixture(scope="module")
def examples_kb() -> KnowledgeBase:
    kb = KnowledgeBase.in_memory()
    paths = sorted((PROJECT_ROOT / "examples").glob("*.txt"))
    ingest_texts(
        kb,
        [InputText(f"examples/{p.name}", p.read_text(encoding="utf-8")) for p in paths],
        base_iri=BASE,
    )
    return kb


def test_a_statement_an_actor_issues_itself_has_it_as_speaker_not_relay(
    examples_kb: KnowledgeBase,
) -> None:
    said = {
        r["c"].value
        for r in examples_kb.query(
            f"SELECT ?c WHERE {{ GRAPH ?g {{ ?c <{SRKB}speaker> <{SDF}> }} }}"
        )
    }
    assert len(said) == 3  # the headline, "the group said", "a claim the SDF denied"
    relayed = examples_kb.ask(
        f"ASK {{ GRAPH ?g {{ ?c <{SRKB}speaker> ?a ; <{SRKB}relayedBy> ?a }} }}"
    )
    assert not relayed  # no claim anywhere has one agent as both speaker and relay
