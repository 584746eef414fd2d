"""Reporting frames on real text: several frames in a sentence, inverted and trailing
frames, and who the subject is. Sentences written for these tests."""

from __future__ import annotations

import pytest

from .helpers import claims

# sentence -> (speaker, via, cue) of each claim
CASES: dict[str, tuple[str, list[tuple[str | None, str | None, str]]]] = {
    "two coordinated frames": (
        "Moldova's Defense Ministry rejected the reports and its spokesman, Ion Vrabie, "
        "called them a cheap provocation.",
        [
            (None, "Moldovan Defence Ministry", "rejected"),
            ("Ion Vrabie", None, "called"),
        ],
    ),
    "a frame inside a that-clause is what is reported": (
        "Colonel Ion Vrabie told Reuters that Chisinau expects more drones.",
        [("Ion Vrabie", "Reuters", "told Reuters")],
    ),
    "a trailing frame reports the frame before it": (
        "Moldova, which borders the region, urged restraint, its foreign ministry said.",
        [("Moldova", "Moldova", "said")],
    ),
    "inverted frame after a comma": (
        "The strike was a provocation, since no troops were there, said Ion Vrabie.",
        [("Ion Vrabie", None, "said Ion Vrabie")],
    ),
    "a date between subject and verb": (
        "The Romanian defence ministry on Tuesday alleged that a drone fell near Galati.",
        [(None, "Romanian Defence Ministry", "alleged")],
    ),
    "called with an object and its description": (
        "Commander Ion Vrabie called the report an obvious fabrication.",
        [("Ion Vrabie", None, "called")],
    ),
    "called for is no report": ("Commander Ion Vrabie called for calm in Galati.", []),
    "a place called X is no report": ("They reached a village called Ocnita at dawn.", []),
    "declared independence is an act": ("Transnistria declared independence in 1990.", []),
    "told the truth is a verdict, no report": ("In the end Moldova told the truth.", []),
    "a word of a name is no adverb": (
        "The TV channel, Russia Today, mentions the fire but gives no figure.",
        [(None, "RT", "mentions")],
    ),
    "coordinated subjects: the first speaks": (
        "Romanian media and the Romanian government insist the drone was Russian.",
        [(None, "Romanian media", "insist")],
    ),
    "came out and said": (
        "A Moldovan official came out and said that the bridge was hit.",
        [("A Moldovan official", None, "said")],
    ),
    "nobody said is no report": (
        "Literally no minister, party or general came out and said that it was lost.",
        [],
    ),
    "a missing space before the verb": (
        "Their reporters.claimed that the town was still held.",
        [("Their reporters", "Their reporters", "claimed")],
    ),
    "a verb opening its sentence": (
        "Commander Ion Vrabie spoke at noon. Says he after all that: the town is safe.",
        [("Ion Vrabie", None, "Says he")],
    ),
    "an interview with an unknown outlet": (
        "In an interview with Zdg on Monday, Ion Vrabie said the town was safe.",
        [("Ion Vrabie", "Zdg", "said")],
    ),
    "a reporter speaks through the outlet": (
        "The Reuters correspondent in Chisinau Ana Popa reported that the bridge was hit.",
        [("Ana Popa", "Reuters", "reported")],
    ),
    "a press officer after the name": (
        '"We stand by the story," said Ana Popa, the head of public relations for Reuters.',
        [("Ana Popa", "Reuters", "said Ana Popa")],
    ),
    "the same outlet again": (
        "Commander Ion Vrabie told Reuters the bridge fell. Analyst Ana Popa said to the same "
        "news outlet that it was a feint.",
        [
            ("Ion Vrabie", "Reuters", "told Reuters"),
            ("Ana Popa", "Reuters", "said to the same news outlet"),
        ],
    ),
    "the same speaker keeps the channel": (
        "Commander Ion Vrabie told Reuters the bridge fell. Vrabie added that more would follow.",
        [("Ion Vrabie", "Reuters", "told Reuters"), ("Ion Vrabie", "Reuters", "added")],
    ),
    "the subject of a relative clause": (
        "The strike followed reports from the Moldovan army, which claims to have downed a drone.",
        [("Moldovan Armed Forces", "Moldovan Armed Forces", "claims")],
    ),
    "a full date between subject and verb": (
        "The Romanian defence ministry on Friday, April 26, rejected the report.",
        [(None, "Romanian Defence Ministry", "rejected")],
    ),
    "a state's authorities speak for it": (
        "The Moldovan authorities still deny the presence of foreign troops.",
        [("Moldova", "Moldova", "deny")],
    ),
    "the reporter introduced before": (
        "The Reuters reporter Ana Popa filed from the front. The reporter says that the town "
        "is quiet.",
        [("Ana Popa", "Reuters", "says")],
    ),
    "the report goes on to say": (
        "The TASS report was long. It further goes on to say that the town fell.",
        [(None, "TASS", "goes on to say")],
    ),
    "who asked not to be named": (
        "A Moldovan official, who asked not to be named, said the town was quiet.",
        [("A Moldovan official", None, "said")],
    ),
    "an outlet cites a party": (
        "TASS cited Moldovan officials, saying the bridge was closed.",
        [("Moldovan officials", "TASS", "cited Moldovan officials")],
    ),
    "two outlets published a party's videos": (
        "TASS and RT published Moldovan videos, showing the bridge on fire.",
        [("Moldova", "RT", "RT published"), ("Moldova", "TASS", "published")],
    ),
    "members of an armed group speak as the group": (
        "Taliban fighters claim to have taken the pass.",
        [("Taliban", "Taliban", "claim")],
    ),
    "according to the statement before": (
        "In a statement published on its Telegram channel, the Taliban claims the pass fell. "
        "According to this statement, the road is closed.",
        [("Taliban", "Telegram", "claims"), ("Taliban", "Telegram", "According to this statement")],
    ),
    "a group keeps the channel of its statement": (
        "In a statement on Telegram, the Taliban claims the pass fell.\n"
        "The Taliban also confirms that the road is closed.",
        [("Taliban", "Telegram", "claims"), ("Taliban", "Telegram", "confirms")],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_frames(case: str) -> None:
    text, expected = CASES[case]
    got = [(s, v, cue) for s, v, cue in claims(text + "\n")]
    assert got == expected


def test_one_ministry_whatever_the_spelling() -> None:
    text = (
        "Romanian Defense Ministry spokesman Ion Vrabie spoke at noon.\n"
        "Romania's Defence Ministry said the drone was Russian.\n"
    )
    from kb.extract import extract_strict

    ex = extract_strict(text)
    ministries = [e for e in ex.entities if "OfficialBody" in e.types]
    assert len(ministries) == 1


def test_a_news_story_with_two_verdicts_is_not_a_thread() -> None:
    """Long paragraphs with no reader's cue between two verdict lines stay the article."""
    from kb.extract import extract_strict

    text = (
        "Rebels claim to have captured the pass\n"
        "This time it is the rebel group itself that says it: the army is in retreat, and "
        "its propaganda channel published the footage on Sunday evening.\n"
        "According to the statement, the fighters reached the pass at dawn on Saturday and "
        "took the checkpoint after a battle that lasted several hours, the group said.\n"
        "The army said in its own statement that it had repelled the attack and that the "
        "checkpoint remained under its control, a claim that could not be verified.\n"
        "A third voice, obviously concerned with carrying out its propaganda.\n"
    )
    ex = extract_strict(text)
    article = ex.segments[0].span.text
    assert "This time it is the rebel group" in article
    assert "The army said in its own statement" in article


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_claim_has_its_own_identity(case: str) -> None:
    """kb/build.py names a claim by its sentence and the start of its cue: two claims of
    one sentence (coordinated frames, two outlets) must differ there."""
    from kb.extract import extract_strict

    ex = extract_strict(CASES[case][0] + "\n")
    keys = [(c.span.start, c.span.end, c.cue.start) for c in ex.claims]
    assert len(keys) == len(set(keys))
