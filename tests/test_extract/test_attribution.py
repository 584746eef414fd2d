"""Stage 3: reported statements, their speaker, relay, date and modality."""

from __future__ import annotations

from datetime import date

import pytest

from kb.extract import extract_strict

from .helpers import claims, name

# text -> [(speaker, via, cue)] of every claim
CLAIM_CASES: dict[str, tuple[str, list[tuple[str | None, str | None, str]]]] = {
    "told outlet": (
        "Commander Rami Saleh told Reuters on April 4 that the town was taken.",
        [("Rami Saleh", "Reuters", "told Reuters")],
    ),
    "said that": (
        "Vladimir Putin said that the talks were over.",
        [("Vladimir Putin", None, "said")],
    ),
    "quote then frame": (
        "\u201cThe town is ours,\u201d Rami Saleh told Reuters during a phone call.",
        [("Rami Saleh", "Reuters", "told Reuters")],
    ),
    "follow-on keeps speaker and relay": (
        "Commander Rami Saleh told Reuters the town was taken. "
        "He added that more fighting was likely.",
        [("Rami Saleh", "Reuters", "told Reuters"), ("Rami Saleh", "Reuters", "added")],
    ),
    "according to unnamed": (
        "The bridge was destroyed, according to Syrian sources.",
        [(None, "Syrian sources", "according to Syrian sources")],
    ),
    "according to at the start": (
        "According to the Syrian Observatory for Human Rights, 12 people died.",
        [
            (
                None,
                "Syrian Observatory for Human Rights",
                "According to the Syrian Observatory for Human Rights",
            )
        ],
    ),
    "unnamed speaker": (
        "Local observers doubt that the army could advance.",
        [("Local observers", None, "doubt")],
    ),
    "official body issues its own statement (via = the body, speaker null)": (
        "The Pentagon said in a statement that no troops were hurt.",
        [(None, "Pentagon", "said in a statement")],
    ),
    "official body posts on a platform (speaker = the body, via = the platform)": (
        "The Pentagon said on X that no troops were hurt.",
        [("Pentagon", "Twitter", "said on X")],
    ),
    "trailing frame with a date": (
        "Drones hit two fuel depots near the river, the group said on Monday.",
        [("the group", "the group", "said")],
    ),
    "appositive acronym before the verb": (
        "The Kharkiv Human Rights Group (KHRG) said 11 detainees were released.",
        [(None, "Kharkiv Human Rights Group", "said")],
    ),
    "relay after the content": (
        "The commander denied that the bridge had fallen, telling Reuters that fighting went on.",
        [("The commander", "Reuters", "denied")],
    ),
    "outlet citing an unnamed source": (
        "Talks may resume next week, the daily Hurriyet reported, citing a diplomatic source.",
        [("a diplomatic source", "Hurriyet", "reported")],
    ),
    "claim then according to: speaker and relay": (
        "Hamas claimed the attack on Tuesday, according to Al Jazeera.",
        [("Hamas", "Al Jazeera", "claimed")],
    ),
    "members of a body speak": (
        "UN investigators said the camp had been shelled.",
        [("UN investigators", "United Nations", "said")],
    ),
    "two frames in a headline": (
        "Kyiv says it downed 30 drones as Moscow claims gains near Pokrovsk",
        [("Ukraine", "Ukraine", "says"), ("Russia", "Russia", "claims")],
    ),
    "a habit is no claim in a comment": (
        "The army said on Monday that the town was calm.\nLol, he claims a victory every week.",
        [("The army", "The army", "said")],
    ),
    "what someone says is no report": (
        "Troops moved north.\nThey just print whatever the ministry says, as usual lol.",
        [],
    ),
    "channel after the verb": (
        "The Ukrainian Air Force said on Telegram that 20 drones were downed.",
        [("Ukrainian Air Force", "Telegram", "said on Telegram")],
    ),
    "passive report": (
        "Explosions were reported in the port overnight.",
        [(None, None, "were reported")],
    ),
    "negated report is no claim": ("However, Abadi didn\u2019t mention that the SDF may join.", []),
    "did not say is no claim": ("The minister did not say when the talks would resume.", []),
    "question is no claim": ("Why did the ministry say that the road was open?", []),
    "commenter's own view is no claim": (
        "Troops moved north.\nI think they said that to scare people.\n",
        [],
    ),
    "the group said refers back": (
        "Fighters of Hamas attacked the post overnight, the group said.",
        [("Hamas", "Hamas", "said")],
    ),
}


@pytest.mark.parametrize("case", CLAIM_CASES, ids=list(CLAIM_CASES))
def test_claims(case: str) -> None:
    text, expected = CLAIM_CASES[case]
    assert claims(text) == expected


def test_date_modality_content_and_about() -> None:
    text = "Commander Rami Saleh told Reuters on April 4 that the SDF may launch an operation."
    ex = extract_strict(text)
    (c,) = ex.claims
    assert c.date is not None and c.date.text == "on April 4"
    assert c.date_value == "--04-04"
    assert c.modality == "possible"
    assert c.content.text == "the SDF may launch an operation"
    assert [name(ex, k) for k in c.about] == ["Syrian Democratic Forces"]
    assert c.span.text == text
    ex2 = extract_strict(text, document_date=date(2018, 4, 5))
    assert ex2.claims[0].date_value == "2018-04-04"


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("Haider Abadi revealed that the army has plans to enter Syria.", "planned"),
        ("Haider Abadi said that the army might enter Syria.", "possible"),
        ("Haider Abadi denied that the army entered Syria.", "doubted"),
        ("Haider Abadi said that the army entered Syria.", "asserted"),
    ],
)
def test_modality(text: str, modality: str) -> None:
    (c,) = extract_strict(text).claims
    assert c.modality == modality


def test_weekday_needs_the_document_date() -> None:
    text = "Rami Saleh said on Tuesday that the road was open."
    assert extract_strict(text).claims[0].date_value is None
    ex = extract_strict(text, document_date=date(2018, 4, 5))  # a Thursday
    assert ex.claims[0].date_value == "2018-04-03"


def test_comment_reference_and_the_article() -> None:
    text = (
        "Troops moved north, the army said.\n"
        "No, as stated in a comment above, it was the militia.\n"
        "almasdar is worth reading and the article points out the obvious, the bridge is gone.\n"
    )
    got = claims(text)
    assert ("a comment above", None, "as stated in a comment above") in got
    assert (None, "Al-Masdar News", "the article points out") in got


def test_unnamed_sources_are_not_listed_as_entities() -> None:
    from kb.extract import to_score_json

    out = to_score_json(extract_strict("The bridge fell, according to local residents."))
    assert out["actors"] == [] and out["sources"] == []
    assert out["claims"][0]["speaker"] == "local residents"  # people speak; "sources" relay
    assert out["claims"][0]["via"] is None


def test_trailing_frame_content_is_the_clause_before_it() -> None:
    text = "Fighters of Hamas attacked the post overnight, the group said on Monday."
    ex = extract_strict(text)
    (c,) = ex.claims
    assert c.content.text == "Fighters of Hamas attacked the post overnight"
    assert c.date is not None and c.date.text == "on Monday"


def test_denial_clause_is_its_own_doubted_claim() -> None:
    text = (
        "The Turkish Defence Ministry said its drones struck positions near Kobani, "
        "a claim the SDF denied."
    )
    ex = extract_strict(text)
    assert [(name(ex, c.speaker), name(ex, c.via), c.modality) for c in ex.claims] == [
        (None, "Turkish Defence Ministry", "asserted"),
        ("Syrian Democratic Forces", "Syrian Democratic Forces", "doubted"),
    ]
    first, denial = ex.claims
    assert denial.contradicts == first.content
    assert denial.cue.text == "denied"


def test_denying_the_claim_points_at_the_previous_claim() -> None:
    text = (
        "The RSF said its fighters took the camp. The army denied the claim and said its "
        "troops still held it."
    )
    ex = extract_strict(text)
    first, second = ex.claims
    assert second.contradicts == first.content and second.modality == "doubted"
