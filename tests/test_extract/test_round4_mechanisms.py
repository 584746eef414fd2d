"""Mechanisms added after held-out round 4, each with sentences written for this test.

(a) Nominal frames with no speaker: "Claims circulated on Telegram and Facebook that ...",
"Reports surfaced on RSF-affiliated accounts that ...": one claim per medium named, or the
collective as written; a place that is no medium ("in the camp") gives no claim.
(b) A sarcastic marker mocks the source named before it in its own sentence ("X said it, so
it must be true"), not the last reported claim.
(c) Vocabulary of distrust and trust: lying as a habit, saying anything, not news, running a
side's line, "<side>-aligned", solid people, the only outlet that still checks, optimistic
numbers.
"""

from __future__ import annotations

import pytest

from .helpers import claims, judgements

CIRCULATED_CASES: dict[str, tuple[str, list[tuple[str | None, str | None]]]] = {
    "two platforms": (
        "Claims circulated on Telegram and Facebook that the dam had been mined overnight.",
        [(None, "Telegram"), (None, "Facebook")],
    ),
    "a collective of channels": (
        "Rumours spread across pro-government channels that the general had fled abroad.",
        [(None, "pro-government channels")],
    ),
    "a name inside the collective": (
        "Videos surfaced on Hamas-linked accounts that showed the tunnel entrance, the army said.",
        [],  # content is not a that-clause of the videos: the army's trailing frame reads it
    ),
    "a time phrase before that": (
        "Reports circulated on social media within hours that the bridge had collapsed.",
        [(None, "social media")],
    ),
    "a place, not a medium": (
        "Rumours spread in the camp that the convoy had been attacked.",
        [],
    ),
    "negated": (
        "No claims circulated on Telegram that the port was hit.",
        [],
    ),
}


@pytest.mark.parametrize("case", CIRCULATED_CASES, ids=list(CIRCULATED_CASES))
def test_circulated_frames(case: str) -> None:
    text, expected = CIRCULATED_CASES[case]
    found = [(s, v) for s, v, _ in claims(text) if _ != "said"]
    assert found == expected, claims(text)


ARTICLE = (
    "The ministry said in a statement that 12 people were killed. ISPR said the posts were "
    "destroyed. Al Hadath and Dawn reported the figures, and Republic TV aired the footage."
)

# (comment, expected (source, polarity) judgements)
JUDGEMENT_CASES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "sarcasm marks the source named before it": (
        "ISPR said it, so it must be true. They kill the same soldiers every month.",
        [("ISPR", "negative")],
    ),
    "lying as a habit": ("Al Hadath lies as usual, nothing new.", [("Al-Hadath", "negative")]),
    "says anything": (
        "Al Hadath will print anything the generals hand them.",
        [("Al-Hadath", "negative")],
    ),
    "not news": ("Republic TV isn't news, it's a show.", [("Republic TV", "negative")]),
    "runs a side's line": (
        "Republic TV will run the army line by breakfast.",
        [("Republic TV", "negative")],
    ),
    "aligned with a side": ("Dawn is army-aligned, everyone knows.", [("Dawn", "negative")]),
    "solid people": ("Dawn? Solid people, they call the hospitals.", [("Dawn", "positive")]),
    "the only outlet that checks": (
        "Dawn is the only paper here that still checks anything with the hospitals.",
        [("Dawn", "positive")],
    ),
    "optimistic numbers with a concession": (
        "ISPR numbers on drones are always a bit optimistic, but they don't invent strikes.",
        [("ISPR", "mixed")],
    ),
}


@pytest.mark.parametrize("case", JUDGEMENT_CASES, ids=list(JUDGEMENT_CASES))
def test_round4_judgements(case: str) -> None:
    comment, expected = JUDGEMENT_CASES[case]
    text = f"{ARTICLE}\nComments\nreader_1: {comment}\n"
    found = [(s, p) for s, p in judgements(text)]
    assert found == expected, found


# (d) a subject separated from its verb by a comma-enclosed insertion that ends in a date;
# (e) "put out a statement saying"; (f) an adjective opening a sentence before a media noun
# ("Local news site X") is no outlet's name.
FRAME_CASES: dict[str, tuple[str, list[tuple[str | None, str | None]]]] = {
    "insertion ending in a date": (
        "Radio Dabanga, in a report posted to its site on Sunday night, reported that the market "
        "was hit.",
        [(None, "Radio Dabanga")],
    ),
    "a date after the subject stays a date": (
        "Russia on Friday, April 26, rejected the report as fabricated.",
        [("Russia", "Russia")],
    ),
    "put out a statement saying": (
        "The Wagner press service put out a statement saying its men had left the town.",
        [(None, "Wagner press service")],
    ),
    "an adjective before a media noun": (
        "Local news site Kivu Morning, in a story on its website on Monday, reported that the road "
        "reopened.",
        [(None, "Kivu Morning")],
    ),
}


@pytest.mark.parametrize("case", FRAME_CASES, ids=list(FRAME_CASES))
def test_round4_frames(case: str) -> None:
    text, expected = FRAME_CASES[case]
    found = [(s, v) for s, v, _ in claims(text)]
    assert found == expected, found


# (g) "both sides lie" / "Both militaries lie": the two parties the thread named last
BOTH_ARTICLE = (
    "The Sudanese army said its jets hit RSF positions near Bara. The RSF said it downed a "
    "plane. Sudan Tribune reported both claims."
)
BOTH_CASES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "both sides": (
        "both sides lie, wait for the satellite pictures",
        [("Sudanese Armed Forces", "negative"), ("Rapid Support Forces", "negative")],
    ),
    "no two parties named": ("Both sides lie.", []),
}


@pytest.mark.parametrize("case", BOTH_CASES, ids=list(BOTH_CASES))
def test_both_sides(case: str) -> None:
    comment, expected = BOTH_CASES[case]
    article = BOTH_ARTICLE if case == "both sides" else "Shelling went on near Bara overnight."
    found = judgements(f"{article}\nComments\nreader_1: {comment}\n")
    assert sorted(found) == sorted(expected), found
