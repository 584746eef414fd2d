"""General defects found on unseen texts, each with sentences written for this test.

(a) numbered military units; (b) a long organisation name that holds a known acronym;
(c) a ministry named after its owner; (d) "the MoD" read by its context; (e) a capital
or state as a place; (f) judgement phrasings (empty words, not naming who, closeness to
a side, best coverage, honest with the figures).
"""

from __future__ import annotations

import pytest

from kb.extract import extract_strict, to_score_json

from .helpers import claims, judgements


def entities(text: str) -> dict[str, tuple[str, ...]]:
    """Named entity -> its types, for every entity with a mention."""
    ex = extract_strict(text)
    keys = {m.entity for m in ex.mentions}
    return {e.name: tuple(sorted(e.types)) for e in ex.entities if e.key in keys}


# ---------------------------------------------------------------------- (a) units

UNIT_CASES: dict[str, tuple[str, dict[str, str]]] = {
    "ordinal and unit word": (
        "Fighters of the 444th Brigade clashed with a rival force near the airport.",
        {"444th Brigade": "ArmedGroup"},
    ),
    "words between ordinal and unit": (
        "The 3rd Assault Brigade said it had pushed back an attack.",
        {"3rd Assault Brigade": "ArmedGroup"},
    ),
    "a state's brigade": (
        "Ukraine's 93rd Mechanised Brigade posted drone footage on Monday.",
        {"93rd Mechanised Brigade": "MilitaryForce"},
    ),
    "a nationality before the ordinal": (
        "The Russian 155th Naval Infantry Brigade lost two tanks.",
        {"155th Naval Infantry Brigade": "MilitaryForce"},
    ),
    "battalion": (
        "Troops of the 47th Battalion withdrew overnight.",
        {"47th Battalion": "ArmedGroup"},
    ),
    "the name stops at the link": (
        "The 12th Army Group of the northern front regrouped.",
        {"12th Army Group": "ArmedGroup"},
    ),
}


@pytest.mark.parametrize("case", UNIT_CASES, ids=list(UNIT_CASES))
def test_numbered_units(case: str) -> None:
    text, expected = UNIT_CASES[case]
    found = entities(text)
    for name, kind in expected.items():
        assert kind in found.get(name, ()), found


@pytest.mark.parametrize(
    "text",
    [
        "The RSF seized the headquarters of the army's 6th Infantry Division.",  # the army's part
        "On the 4th Day of the talks nothing moved.",  # no unit word
        "In the 21st Century wars are fought online.",
    ],
)
def test_no_unit_without_an_ordinal_and_a_unit_word(text: str) -> None:
    assert not any(name[:1].isdigit() for name in entities(text))


def test_a_unit_speaks_for_itself() -> None:
    assert claims("The 3rd Assault Brigade said it had repelled an attack.") == [
        ("3rd Assault Brigade", "3rd Assault Brigade", "said")
    ]


# ---------------------------------------------------------------------- (b) long names

LONG_NAME_CASES: dict[str, tuple[str, str]] = {
    "mission in a place": (
        "The UN Support Mission in Libya said in a statement that the clashes must stop.",
        "UN Support Mission in Libya",
    ),
    "several words before the head": (
        "The EU Border Assistance Mission in Libya warned of new fighting.",
        "EU Border Assistance Mission in Libya",
    ),
    "office with its complement": (
        "The UN Office for the Coordination of Humanitarian Affairs said aid was blocked.",
        "UN Office for the Coordination of Humanitarian Affairs",
    ),
    "mission to a state": (
        "The OSCE Special Monitoring Mission to Ukraine reported 40 explosions.",
        "OSCE Special Monitoring Mission to Ukraine",
    ),
    "mission for a state": (
        "The UN Mission for Ukraine said it had documented abuses.",
        "UN Mission for Ukraine",
    ),
}


@pytest.mark.parametrize("case", LONG_NAME_CASES, ids=list(LONG_NAME_CASES))
def test_longest_organisation_name_wins(case: str) -> None:
    text, name = LONG_NAME_CASES[case]
    found = entities(text)
    assert found.get(name) == ("OfficialBody",), found
    assert "United Nations" not in found and "European Union" not in found
    json = to_score_json(extract_strict(text))
    assert name in [s["name"] for s in json["sources"]]


def test_a_movement_after_a_known_name_keeps_the_name() -> None:
    assert "Hamas" in entities("The Hamas Movement said it accepted the deal.")


def test_a_title_after_an_acronym_keeps_the_acronym() -> None:
    found = entities("UN Secretary-General Antonio Guterres said he was alarmed.")
    assert "United Nations" in found and "Antonio Guterres" in found


# ---------------------------------------------------------------------- (c) ministries

MINISTRY_CASES: dict[str, tuple[str, str]] = {
    "known ministry in capitals": (
        "Russia's Ministry of Defence said its troops had advanced.",
        "Russian Ministry of Defence",
    ),
    "known ministry, other spelling": (
        "Ukraine's defense ministry said 30 drones were downed.",
        "Ukrainian Ministry of Defence",
    ),
    "known ministry, capitalised short form": (
        "Russia's Foreign Ministry said the talks had failed.",
        "Russian Foreign Ministry",
    ),
    "a state's ministry the gazetteer lacks": (
        "Libya's interior ministry said on Sunday that the curfew was lifted.",
        "Libyan Interior Ministry",
    ),
    "another state, in capitals": (
        "Chad's Defence Ministry said rebels had attacked a base.",
        "Chadian Defence Ministry",
    ),
    "a government that is not a state": (
        "The Government of National Unity's interior ministry said the road was open.",
        "Government of National Unity Interior Ministry",
    ),
    "a movement's ministry": (
        "Hamas's interior ministry said a curfew was imposed.",
        "Hamas Interior Ministry",
    ),
}


@pytest.mark.parametrize("case", MINISTRY_CASES, ids=list(MINISTRY_CASES))
def test_ministry_named_by_its_owner_is_a_source(case: str) -> None:
    text, name = MINISTRY_CASES[case]
    ex = extract_strict(text)
    source_names = [e.name for e in ex.entities if "source" in e.roles]
    assert name in source_names, source_names
    assert "OfficialBody" in ex.entities[[e.name for e in ex.entities].index(name)].types
    assert [c.via for c in ex.claims] == [next(e.key for e in ex.entities if e.name == name)], (
        "the ministry is the channel of its statement"
    )


# ---------------------------------------------------------------------- (d) the MoD

MOD_CASES: dict[str, tuple[str, str]] = {
    "same sentence": ("Russian forces advanced, the MoD said.", "Russian Ministry of Defence"),
    "sentence before": (
        "Ukrainian drones hit a fuel depot. The MoD said the fire was contained.",
        "Ukrainian Ministry of Defence",
    ),
    "british context": (
        "British intelligence and the MoD later confirmed the strike.",
        "UK Ministry of Defence",
    ),
    "capitalised full name": (
        "Russian troops shelled the city, the Ministry of Defence said.",
        "Russian Ministry of Defence",
    ),
    "two states: left open": (
        "Russian troops shelled Ukrainian towns, the MoD said.",
        "MoD",
    ),
    "no state at all": ("The MoD said the strike was repelled.", "MoD"),
}


@pytest.mark.parametrize("case", MOD_CASES, ids=list(MOD_CASES))
def test_mod_resolves_to_the_state_of_its_context(case: str) -> None:
    text, name = MOD_CASES[case]
    found = entities(text)
    assert "OfficialBody" in found.get(name, ()), found


def test_lower_case_health_ministry_is_not_read_by_context() -> None:
    found = entities("Israeli strikes killed 12 people, the health ministry said.")
    assert "Israeli Health Ministry" not in found


# ---------------------------------------------------------------------- (e) places

PLACE_CASES = {
    "direction after a locative": "A drone hit a building in southern Tripoli.",
    "part of the city": "Shells landed in the suburbs of Damascus.",
    "outskirts": "Fighting spread to the outskirts of Kyiv.",
    "direction of": "Fighting broke out south of Tripoli.",
    "possessive part": "Tripoli's southern suburbs were shelled overnight.",
    "city as a modifier": "Fighting raged in the Tripoli suburb of Tajoura.",
    "outside": "Gunmen were seen just outside Damascus.",
    "the city's militias": "Residents fear the Tripoli militias.",
    "the north of a state": "Syria's north is under Turkish control.",
}


@pytest.mark.parametrize("case", PLACE_CASES, ids=list(PLACE_CASES))
def test_capital_as_a_place_is_not_the_state(case: str) -> None:
    found = entities(PLACE_CASES[case])
    assert not any("State" in types for types in found.values()), found


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("Damascus said the strike was illegal.", "Syria"),
        ("Kyiv's city council said schools would close.", "Ukraine"),
        ("Russia's border guards said the drones were downed.", "Russia"),
        ("A drone struck a US base in Syria.", "United States"),
        ("This is part of Russia's plan.", "Russia"),
    ],
)
def test_a_state_acting_stays_the_state(text: str, state: str) -> None:
    assert "State" in entities(text).get(state, ())


# ---------------------------------------------------------------------- (f) judgements

ARTICLE = "Clashes killed 12 people in the capital on Monday, Reuters and TASS reported.\n"

CUE_CASES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "the usual empty words": (
        "TASS offers the usual empty words.",
        [("TASS", "negative")],
    ),
    "empty promises": ("All TASS prints is empty promises.", [("TASS", "negative")]),
    "hollow statements": ("Reuters just repeats hollow statements.", [("Reuters", "negative")]),
    "never names who": ("TASS never names who fired first.", [("TASS", "negative")]),
    "won't say which side": ("Reuters won't say which side started it.", [("Reuters", "negative")]),
    "close to a side": ("TASS is too close to the Kremlin.", [("TASS", "negative")]),
    "close to the X militias": (
        "TASS is close to the Misrata militias.",
        [("TASS", "negative")],
    ),
    "aligned with": ("TASS is openly aligned with the army.", [("TASS", "negative")]),
    "best coverage": ("Reuters had the best coverage of the clashes.", [("Reuters", "positive")]),
    "most accurate coverage": (
        "Reuters had the most accurate coverage so far.",
        [("Reuters", "positive")],
    ),
    "straight with the numbers": (
        "Reuters has been straight with the numbers.",
        [("Reuters", "positive")],
    ),
    "honest with the figures": ("Reuters is honest with the figures.", [("Reuters", "positive")]),
    "upfront about its sources": (
        "Reuters is upfront about its sources.",
        [("Reuters", "positive")],
    ),
    "not straight with the numbers": (
        "Sadly TASS has not been straight with the numbers.",
        [("TASS", "negative")],
    ),
    "close to the front is no judgement": ("The town is close to the front line.", []),
}


@pytest.mark.parametrize("case", CUE_CASES, ids=list(CUE_CASES))
def test_judgement_phrasings(case: str) -> None:
    comment, expected = CUE_CASES[case]
    assert judgements(ARTICLE + comment + "\n") == expected
