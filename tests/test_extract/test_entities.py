"""Stage 2: actors and sources from the gazetteer, web addresses and the text itself."""

from __future__ import annotations

import pytest

from kb.extract import extract_strict


def found(text: str) -> dict[str, list[str]]:
    """Entity name -> surface forms, for every named (not unnamed) entity."""
    ex = extract_strict(text)
    out: dict[str, list[str]] = {}
    for m in ex.mentions:
        out.setdefault(ex.entity(m.entity).name, []).append(m.span.text)
    return out


GAZETTEER_CASES = {
    "acronym is case-sensitive": (
        "Most of us know that it is the US that pays.",
        {"United States": ["the US"]},
    ),
    "'Is' and 'us' never match": ("Is this true? Tell us.", {}),
    "IS acronym matches": ("IS fighters attacked the town.", {"ISIS": ["IS"]}),
    "shouted IS does not": ("THIS IS NOT TRUE AT ALL.", {}),
    "curly apostrophe": ("The Da\u2019esh cells moved.", {"ISIS": ["Da\u2019esh"]}),
    "capital city names the state": (
        "Ankara and Tehran disagree.",
        {"Turkey": ["Ankara"], "Iran": ["Tehran"]},
    ),
    "longest match first": (
        "The Syrian Democratic Forces advanced.",
        {"Syrian Democratic Forces": ["Syrian Democratic Forces"]},
    ),
    "lower-case common word is not a name": ("the guardian of the bridge", {}),
    "dotted acronym": (
        "U.S. backed S.D.F. units",
        {"United States": ["U.S."], "Syrian Democratic Forces": ["S.D.F."]},
    ),
}


@pytest.mark.parametrize("case", GAZETTEER_CASES, ids=list(GAZETTEER_CASES))
def test_gazetteer_matching(case: str) -> None:
    text, expected = GAZETTEER_CASES[case]
    assert found(text) == expected


def test_domains_and_urls_resolve_to_registered_sources() -> None:
    text = (
        "See syria.liveuamap.com and "
        "https://www.almasdarnews.com/article/us-backed-forces-may-move/ "
        "or https://en.wikipedia.org/wiki/Popular_Mobilization_Forces for more."
    )
    ex = extract_strict(text)
    names = {ex.entity(m.entity).name: m.span.text for m in ex.mentions}
    assert names == {
        "Liveuamap": "syria.liveuamap.com",
        "Al-Masdar News": "almasdarnews.com",
        "Wikipedia": "en.wikipedia.org",
    }  # nothing matched inside the URL paths ("us-backed", "Popular_Mobilization_Forces")


def test_unknown_domain_becomes_a_website_source() -> None:
    ex = extract_strict("The video is on www.some-local-news.org/videos/123 now.")
    (ent,) = ex.entities
    assert ent.name == "some-local-news.org"
    assert ent.types == {"Website"} and ent.roles == {"source"} and not ent.in_gazetteer


def test_handle_resolves_to_gazetteer_outlet() -> None:
    assert found("@KyivIndependent thanks for the update") == {
        "The Kyiv Independent": ["KyivIndependent"]
    }


TEXT_RULE_CASES = {
    "title then name": ("Army spokesman Karim Haddad said the road was open.", "Karim Haddad"),
    "title of an organisation then name": (
        "The head of the Revolutionary Council Tamer Aziz told AFP the talks failed.",
        "Tamer Aziz",
    ),
    "name in a reporting frame": ("Nadia Qassim said the camp was shelled.", "Nadia Qassim"),
    "appositive name": ("The governor of Sumy, Ostap Lenko, said two people died.", "Ostap Lenko"),
    "quote then said NAME": ("\u201cWe left at dawn,\u201d said Omar Badr.", "Omar Badr"),
    "known given name": ("Don't think so. Elliot Brandt is already home.", "Elliot Brandt"),
}


@pytest.mark.parametrize("case", TEXT_RULE_CASES, ids=list(TEXT_RULE_CASES))
def test_persons_found_from_the_text(case: str) -> None:
    text, person = TEXT_RULE_CASES[case]
    ex = extract_strict(text)
    persons = [e for e in ex.entities if e.types == {"Person"}]
    assert [p.name for p in persons] == [person]
    assert persons[0].type_evidence and not persons[0].in_gazetteer


def test_acronym_defined_in_parentheses() -> None:
    ex = extract_strict(
        "The Northern Liberation Front (NLF) said it held the hill. Later the NLF withdrew."
    )
    (ent,) = [e for e in ex.entities if e.name == "Northern Liberation Front"]
    assert "NLF" in ent.aliases
    assert sum(m.entity == ent.key for m in ex.mentions) == 3
    assert ent.type_evidence == "an acronym defined in parentheses"


def test_surname_and_role_noun_refer_back_to_the_person() -> None:
    text = (
        "On May 2, co-chair of the Kurdish Democratic Council Rezan Heso told Reuters "
        "that talks stalled.\n"
        "\u201cWe are still waiting,\u201d Heso told Reuters.\n"
        "I doubt the Kurdish representative knows anything.\n"
    )
    ex = extract_strict(text)
    (person,) = [e for e in ex.entities if e.types == {"Person"}]
    assert person.name == "Rezan Heso"
    assert set(person.aliases) >= {"Rezan Heso", "Heso", "Kurdish representative"}
    assert any(e.name == "Kurdish Democratic Council" for e in ex.entities)


def test_places_weekdays_and_sentence_starts_are_not_actors() -> None:
    text = (
        "However, fighting in Deir ez-Zor and Aleppo continued on Thursday along the Euphrates.\n"
        "Meanwhile Pay Attention Now was trending.\n"
    )
    assert found(text) == {}


def test_entity_with_source_type_is_a_source_and_state_is_an_actor() -> None:
    ex = extract_strict("Reuters reported that Russia moved troops.")
    roles = {e.name: set(e.roles) for e in ex.entities}
    assert roles == {"Reuters": {"source"}, "Russia": {"actor"}}
