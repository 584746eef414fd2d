"""Two regressions seen on the project's own example texts, each fixed as a mechanism.

(a) A place name inside an unnamed collective's phrase is not the speaker: in "Residents of
the town of X told Y" the residents speak (unnamed), X is where they live. A one-word name
after a preposition is no "name that speaks", and a capitalised run led by a collective
noun and "of" is no person in a reporting frame.

(b) "the <nationality> ministry" refers back to that state's ministry when the text named
one, however it was named ("Britain's Ministry of Defence" -> "the British ministry"), and
a verdict on it ("The Turkish ministry lies about ...") judges that ministry, not the state
the adjective alone would name.
"""

from __future__ import annotations

import pytest

from kb.extract import extract_strict

from .helpers import claims, judgements

# (text, expected (speaker, via) of its one claim, the persons found)
SPEAKER_CASES: dict[str, tuple[str, tuple[str | None, str | None], set[str]]] = {
    "town of a place, one word": (
        "Inhabitants of the border town of Qamishli told Rudaw that the shelling stopped.",
        ("Inhabitants of the border town of Qamishli", "Rudaw"),
        set(),
    ),
    "collective of a place, capitalised run": (
        "Residents of Tal Tamr told AFP that the road had been cut since Sunday.",
        ("Residents of Tal Tamr", "Agence France-Presse"),
        set(),
    ),
    "people in a place, two words": (
        "Witnesses in Ras Al Ain said that the convoy turned back.",
        ("Witnesses in Ras Al Ain", None),
        set(),
    ),
    "families from a place": (
        "Families from Marea told the BBC that they had fled at night.",
        ("Families from Marea", "BBC"),
        set(),
    ),
    "a name that speaks is still a person": (
        "The post went viral, and Dilan told her followers that it was fake.",
        ("Dilan", None),
        {"Dilan"},
    ),
}


@pytest.mark.parametrize("case", SPEAKER_CASES, ids=list(SPEAKER_CASES))
def test_place_in_collective_is_not_speaker(case: str) -> None:
    text, (speaker, via), persons = SPEAKER_CASES[case]
    found = claims(text)
    assert [(s, v) for s, v, _ in found] == [(speaker, via)], found
    ex = extract_strict(text)
    assert {e.name for e in ex.entities if "Person" in e.types} == persons
    if not persons:  # the collective is an unnamed speaker
        assert all(c.speaker and c.speaker.startswith("unnamed/") for c in ex.claims)


# (text, the judged source's name, polarity)
MINISTRY_CASES: dict[str, tuple[str, str, str]] = {
    "gazetteer ministry, adjective in its name": (
        "The Turkish Defence Ministry said its jets hit depots near Tal Rifaat.\n"
        "Locals said nothing was hit.\n"
        "The Turkish ministry lies about its targets every time.",
        "Turkish Defence Ministry",
        "negative",
    ),
    "gazetteer ministry named otherwise": (
        "Britain's Ministry of Defence said two drones were downed over the Red Sea.\n"
        "The British ministry has been straight with the numbers so far.",
        "UK Ministry of Defence",
        "positive",
    ),
    "a ministry named by its owner": (
        "Chad's defence ministry said 40 rebels were killed near the border.\n"
        "The Chadian ministry lies about every clash.",
        "Chadian Defence Ministry",
        "negative",
    ),
    "no ministry named: the state": (
        "Shelling resumed near Kobani on Tuesday.\n"
        "The Turkish ministry lies about its targets every time.",
        "Turkey",
        "negative",
    ),
}


@pytest.mark.parametrize("case", MINISTRY_CASES, ids=list(MINISTRY_CASES))
def test_nationality_ministry_refers_back(case: str) -> None:
    text, source, polarity = MINISTRY_CASES[case]
    assert judgements(text) == [(source, polarity)]


def test_nationality_ministry_is_a_mention_of_it() -> None:
    text = (
        "Britain's Ministry of Defence said two drones were downed.\n"
        "The British ministry added that no ship was hit."
    )
    ex = extract_strict(text)
    found = {(m.span.text, m.entity) for m in ex.mentions}
    assert ("British ministry", "uk-mod") in found, found
