"""Named queries on a store where the same actors recur across many texts: each answer
comes once (the label joins used to repeat a row for every text that named an actor),
parts stay within their limit, and a name finds an actor by any of its spellings."""

from __future__ import annotations

import pytest

from kb.corpus import InputText
from kb.ingest import ingest_texts
from kb.named_queries import bind, get_named_query, named_queries, run_named
from kb.store import KnowledgeBase

BASE = "http://kb.test/"
PLACES = ["Kator", "Dunwa", "Hirsel", "Omfa", "Zantami", "Belashtor"]


def text(i: int) -> str:
    place = PLACES[i % len(PLACES)]
    return "\n".join(
        [
            f"Clashes near {place} (report {i})",
            f"Spokesman Rojhat Amed told Reuters that the SDF shelled {place} on Monday.",
            f"The SDF denied that it shelled {place}.",
            f"According to Reuters, {20 + i % 3} civilians fled {place}.",
            "Reuters is a reliable source, unlike the rumours on Telegram.",
            f"I read Reuters every day, good coverage of {place}.",
        ]
    )


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    store = KnowledgeBase.in_memory()
    items = [InputText(f"t{i:02d}.txt", text(i)) for i in range(36)]
    ingest_texts(store, items, base_iri=BASE)
    return store


def rows(result) -> list[tuple[str | None, ...]]:
    names = [v.value for v in result.variables]
    return [tuple(s[n].value if s[n] is not None else None for n in names) for s in result]


EXAMPLES = {
    "actor-profile": {"actor": "Rojhat Amed"},
    "source-relayed": {"source": "reuters"},
    "source-reliability": {"source": "REUTERS"},
    "triple-provenance": {"subject": BASE + "entity/rojhat-amed"},
    "claim-credibility": {"name": "rojhat"},
    "single-source-claims": {"name": "amed"},
    "who-said-what": {"name": "Reuters"},
    "contradicted-claims": {},
}


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_returns_each_answer_once(kb: KnowledgeBase, name: str) -> None:
    found = rows(run_named(kb, name, EXAMPLES[name]))
    assert found, name
    assert len(found) == len(set(found)), [r for r in found if found.count(r) > 1][:3]


def test_an_actor_named_by_many_texts_has_one_name_and_its_aliases(kb: KnowledgeBase) -> None:
    found = rows(run_named(kb, "actor-profile", {"actor": "rojhat amed"}))
    assert {r[0] for r in found} == {"Rojhat Amed"}
    types = [r for r in found if r[1] == "1 type"]
    assert [r[2] for r in types] == ["person"]  # once, not once per text
    claims_by = [r for r in found if r[1] == "3 claim by"]
    assert len(claims_by) == 36  # one claim of his per text


def test_parts_read_at_most_their_limit(kb: KnowledgeBase) -> None:
    few = rows(run_named(kb, "source-relayed", {"source": "Reuters", "limit": "5"}))
    assert len(few) == 5
    many = rows(run_named(kb, "source-relayed", {"source": "Reuters"}))
    assert len(many) > 5
    assert "LIMIT 100" in bind(get_named_query("who-said-what"), {})
    from kb.errors import QueryError

    with pytest.raises(QueryError, match="limit must be"):
        bind(get_named_query("who-said-what"), {"limit": "100000"})


def test_triple_provenance_gives_the_span_of_a_claim_and_of_a_mention(kb: KnowledgeBase) -> None:
    """A claim points to its span (srkb:evidence); a mention is its span (kb.build): the
    query gives both the document, offsets and characters they were read from."""
    first = kb.query(
        "SELECT ?c ?m WHERE { GRAPH ?g { ?c a <https://w3id.org/srkb/ontology#Claim> . "
        "?m <https://w3id.org/srkb/ontology#refersTo> ?e } } LIMIT 1"
    )
    row = next(iter(first))
    for subject in (row["c"].value, row["m"].value):
        result = run_named(kb, "triple-provenance", {"subject": subject})
        names = [v.value for v in result.variables]
        every = [dict(zip(names, r, strict=True)) for r in rows(result)]
        found = [r for r in every if "/graph/text/" in (r["graph"] or "")]  # its text's
        assert found and all(r["document"] and r["evidence"] for r in found), subject
        begin, end = int(found[0]["begin"]), int(found[0]["end"])
        assert 0 <= begin < end and len(found[0]["evidence"]) == end - begin
    assert "#char=" in row["m"].value
