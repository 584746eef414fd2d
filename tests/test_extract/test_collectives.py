"""Collective sources: qualified media named as one reporter (kb/extract/collectives.py)."""

from __future__ import annotations

import pytest

from kb.extract import extract_strict, to_score_json

# sentence -> the collective sources it names (display names), in order of appearance
CASES: dict[str, tuple[str, list[str]]] = {
    "nationality": ("Moldovan media ran the story before noon.", ["Moldovan media"]),
    "region": ("Western media ignored the shelling of Donetsk.", ["Western media"]),
    "lower-case region": ("The coverage in western media was thin.", ["western media"]),
    "two qualifiers": ("Iranian state TV showed the launch.", ["Iranian state TV"]),
    "mainstream": ("The mainstream media never asked that question.", ["mainstream media"]),
    "acronym": ("You will not read that in the MSM.", ["mainstream media"]),
    "state name as owner": ("US media repeated the Pentagon line.", ["US media"]),
    "possessive owner": (
        "Russia's state television aired the footage.",
        ["Russia's state television"],
    ),
    "place as owner": ("Port Harcourt media blamed the rebels.", ["Port Harcourt media"]),
    "hyphenated owner": ("Kremlin-backed outlets spread the video.", ["Kremlin-backed outlets"]),
    "owner then 'owned'": (
        "The Talabani-family owned outlets were silent.",
        ["Talabani-family owned outlets"],
    ),
    "pro-side": ("Pro-government media called it a victory.", ["Pro-government media"]),
    "variants are one source": (
        "Serbian media lied. Serbian Media channels lied again.",
        ["Serbian media"],
    ),
    "social media is no reporter": ("It went viral on social media.", []),
    "bare media is generic": ("The media reported it without checking.", []),
    "a description of the subject": ("Kanal 9 is Turkish state media, beware.", []),
    "one of a kind": ("Enab is one of the few Syrian outlets I read.", []),
    "an organisation's office": ("Russian press officers declined to comment.", []),
    "a channel's own name": ("Tolo TV reported the blast.", []),
    "a company's name": ("The Amhara Media Corporation reported it.", []),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_collective_sources(case: str) -> None:
    text, expected = CASES[case]
    ex = extract_strict(text + "\n")
    collectives = [
        e.name
        for e in ex.entities
        if e.type_evidence and e.type_evidence.startswith("a collective")
    ]
    assert collectives == expected


def test_collective_is_listed_as_a_source_not_an_actor() -> None:
    out = to_score_json(extract_strict("Western media ignored the shelling of Donetsk.\n"))
    assert [s["name"] for s in out["sources"]] == ["Western media"]
    assert "Western media" not in [a["name"] for a in out["actors"]]


def test_collective_is_a_channel_of_a_claim() -> None:
    out = to_score_json(
        extract_strict("Local media reported that the bridge at Kherson was hit on Monday.\n")
    )
    assert [(c["speaker"], c["via"]) for c in out["claims"]] == [(None, "Local media")]


def test_headline_in_title_case_keeps_the_collective() -> None:
    ex = extract_strict("Georgian Media Hide The Truth\nThe article went on.\n")
    assert [e.name for e in ex.entities if "NewsOutlet" in e.types] == ["Georgian media"]
