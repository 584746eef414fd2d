"""What is an actor or a source on real pages (kb/extract/nonactors.py, media_names.py).

Sentences written for these tests.
"""

from __future__ import annotations

import pytest

from kb.extract import extract_strict, to_score_json


def names(text: str, article_end: int | None = None) -> tuple[list[str], list[str]]:
    out = to_score_json(extract_strict(text, article_end=article_end))
    return [a["name"] for a in out["actors"]], [s["name"] for s in out["sources"]]


NOT_ACTORS: dict[str, str] = {
    "dateline": "CHISINAU: Shelling was heard near the border on Monday, officials said.",
    "dateline with a state": "TIRASPOL, Moldova (Combined Sources) - Shelling was heard.",
    "byline": "By Ana Popa \u2013 Shelling was heard near the border on Monday.",
    "adjective": "A UK-based monitor counted the strikes near the border.",
    "place after a direction word": "Shelling was heard in northeast Syria on Monday.",
    "a state naming a topic": "Our Ukraine blog has daily updates on the front.",
    "an army naming equipment": "Residents thought it was a Ukrainian military plane.",
}


@pytest.mark.parametrize("case", NOT_ACTORS, ids=list(NOT_ACTORS))
def test_not_actors(case: str) -> None:
    actors, _ = names(NOT_ACTORS[case] + "\n")
    assert actors == [], actors


def test_a_reader_addressed_is_no_actor() -> None:
    text = "Shelling was heard near the border.\nAna Popa, it's nonsense about the border.\n"
    actors, _ = names(text, article_end=text.index("Ana"))
    assert "Ana Popa" not in actors


def test_an_apposition_keeps_the_actor() -> None:
    text = "Shelling was heard.\nIon Vrabie, a Moldovan commander, said the town was safe.\n"
    actors, _ = names(text)
    assert "Ion Vrabie" in actors


SOURCES: dict[str, tuple[str, str]] = {
    "quoted programme title": (
        "The program \u201cEvening With Vlad\u201d aired the claim on Sunday.",
        "Evening With Vlad",
    ),
    "name before a platform": (
        "The group posted it on its Al-Thabat propaganda platform.",
        "Al-Thabat",
    ),
    "one of many channels": (
        "Kanal Doi, one of the most watched channels in Moldova, ran the story.",
        "Kanal Doi",
    ),
    "credit tag": ("Shelling was heard near the border. (Zdg / Moldova Post)", "Moldova Post"),
    "source line": ("Shelling was heard near the border.\nSource: Kyiv Daily", "Kyiv Daily"),
    "a blog's name": ("Read it over at Dragos's Moldoblog, it is worth it.", "Moldoblog"),
}


@pytest.mark.parametrize("case", SOURCES, ids=list(SOURCES))
def test_outlets_by_presentation(case: str) -> None:
    text, expected = SOURCES[case]
    _, sources = names(text + "\n")
    assert expected in sources, sources


ACTORS: dict[str, tuple[str, str]] = {
    "an acronym written in title case": ("Nato jets flew over the border on Monday.", "NATO"),
    "a faith in an organisation's name": (
        "The Muslim Brotherhood government in Tripoli denied it.",
        "Muslim Brotherhood",
    ),
    "a court named by its noun": ("The Hague Tribunal heard the case in May.", "Hague Tribunal"),
}


@pytest.mark.parametrize("case", ACTORS, ids=list(ACTORS))
def test_actors_on_real_text(case: str) -> None:
    text, expected = ACTORS[case]
    actors, sources = names(text + "\n")
    assert expected in actors + sources, (actors, sources)


def test_mr_surname_is_the_person_named_before() -> None:
    text = "Correspondent William Dorn said he quit.\nGiven the censorship, Mr. Dorn resigned.\n"
    actors, _ = names(text)
    assert actors == ["William Dorn"]


def test_an_outlet_named_with_its_media_noun() -> None:
    ex = extract_strict("AMN News reported the strike on the airport.\n")
    (outlet,) = [e for e in ex.entities if e.key == "al-masdar-news"]
    assert "AMN News" in outlet.aliases


def test_a_misspelt_first_name_joins_the_known_person() -> None:
    ex = extract_strict("Houthi spokesman General Yahiya Saree said the strike hit.\n")
    persons = [e for e in ex.entities if "Person" in e.types]
    assert [p.key for p in persons] == ["yahya-saree"]
    assert "Yahiya Saree" in persons[0].aliases


def test_a_state_the_text_names_only_by_its_adjective() -> None:
    text = "Of course, nothing Saudi officials say can be believed.\n"
    out = to_score_json(extract_strict(text, article_end=len(text)))
    assert [s["name"] for s in out["sources"]] == ["Saudi"]


PERSONS: dict[str, tuple[str, list[str]]] = {
    "a name followed by his": (
        "Ilie Sorescu in his memoir describes the siege.",
        ["Ilie Sorescu"],
    ),
    "a first name that speaks": ("And Dorina stated that the siege was over.", ["Dorina"]),
    "a first name after what": ("Guess what Dorina says about the siege?", ["Dorina"]),
    "a word opening its sentence is no name": ("Witnesses said the siege was over.", []),
    "never said is no name": ("Never said the siege was over.", []),
}


@pytest.mark.parametrize("case", PERSONS, ids=list(PERSONS))
def test_persons_on_real_text(case: str) -> None:
    text, expected = PERSONS[case]
    ex = extract_strict(text + "\n")
    assert [e.name for e in ex.entities if "Person" in e.types] == expected
