"""Judgements on real text: who a verdict is about, its scope, and the wider vocabulary.

Sentences written for these tests. Each case is a whole text (article lines, then reader
comments after ``article_end`` when given) and the (source, polarity) pairs expected.
"""

from __future__ import annotations

import pytest

from kb.extract import extract_strict

from .helpers import name


def verdicts(text: str, article_end: int | None = None) -> list[tuple[str, str]]:
    ex = extract_strict(text, article_end=article_end)
    return [(name(ex, j.source) or "", j.polarity) for j in ex.judgements]


ARTICLE = "Shelling hit Kharkiv overnight, officials said.\n"

# text -> expected, for verdicts stated in the article (an author's or a quoted official's)
ARTICLE_CASES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "a state told the truth": (
        "Belarus told the truth about the convoy after all.",
        [("Belarus", "positive")],
    ),
    "a person is lying": (
        "Commander Oleg Petrenko is lying about the losses at the bridge.",
        [("Oleg Petrenko", "negative")],
    ),
    "a party is judged only on truthfulness": (
        "Commander Oleg Petrenko is affiliated with the ruling party.",
        [],
    ),
    "nationality before propaganda means the state": (
        "The briefing warned again about Serbian propaganda.",
        [("Serbia", "negative")],
    ),
    "possessive with a connector": (
        "Moldova's latest wave of disinformation fooled nobody.",
        [("Moldova", "negative")],
    ),
    "propaganda against a people is not theirs": (
        "The crowd swallowed all the anti-Hungarian propaganda.",
        [],
    ),
    "nationality before data means that nation's one source": (
        "The Moldova Interior Ministry publishes a tally every morning.\n"
        "Moldovan figures appear to be exaggerated.",
        [("Moldova Interior Ministry", "negative")],
    ),
    "a hedge makes a negative verdict mixed": (
        "The Moldova Interior Ministry publishes a tally every morning.\n"
        "It is not clear to what extent Moldovan figures are exaggerated.",
        [("Moldova Interior Ministry", "mixed")],
    ),
    "the antecedent of a relative clause": (
        "Few people now watch Western media coverage, which is biased anyway.",
        [("Western media", "negative")],
    ),
    "a subject's verdict on another's statement": (
        "TASS said the bridge was intact. Reuters dismissed the report as propaganda.",
        [("TASS", "negative")],
    ),
    "a quoted verdict on hits is no verdict on the channel": (
        '"The hits were accurate," the spokesman said in a speech carried by Al-Masirah TV.',
        [],
    ),
    "a quoted verdict on what the frame comments on": (
        '"These people are simply unprofessional," he said, commenting on Rudaw.',
        [("Rudaw", "negative")],
    ),
    "an ironic epithet": (
        "Ask the ever so objective RT what happened at the dam.",
        [("RT", "negative")],
    ),
    "the agent of a campaign": (
        "The ministry rejected the smear campaign waged by the group Hayat Tahrir al-Sham.",
        [("Hayat Tahrir al-Sham", "negative")],
    ),
    "fabricating by two outlets": (
        "The constant attempts at fabricating news by TASS and RT are well known.",
        [("RT", "negative"), ("TASS", "negative")],
    ),
    "its propaganda points back at the party": (
        "The Taliban posted a video of the attack. A crude piece, and its jihadist propaganda "
        "as usual.",
        [("Taliban", "negative")],
    ),
    "its means a singular party, not soldiers": (
        "The Taliban posted a video. Russian soldiers were seen nearby. A crude piece, and its "
        "jihadist propaganda as usual.",
        [("Taliban", "negative")],
    ),
    "a verdict on one claim is not on its source": (
        "Commander Oleg Petrenko said the bridge fell. Petrenko's claim appears credible.",
        [],
    ),
    "the head of an apposition": (
        "TASS, one of the largest agencies in Russia, has kept its independent status.",
        [("TASS", "positive")],
    ),
    "a but that goes on criticising is no concession": (
        "The Taliban has long exaggerated its successes, but its figures for 2023 are the "
        "wildest yet.",
        [("Taliban", "negative")],
    ),
    "a but that grants something is a concession": (
        "TASS is biased, but it is still useful for the official line.",
        [("TASS", "mixed")],
    ),
    "an omission reported in an article is no verdict": (
        "Reuters did not report the strike on Tuesday.",
        [],
    ),
}


@pytest.mark.parametrize("case", ARTICLE_CASES, ids=list(ARTICLE_CASES))
def test_article_verdicts(case: str) -> None:
    text, expected = ARTICLE_CASES[case]
    assert verdicts(ARTICLE + text + "\n", article_end=len(ARTICLE + text) + 1) == expected


COMMENT_CASES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "an omission is a reader's complaint": (
        "Reuters did not report the strike at all.",
        [("Reuters", "negative")],
    ),
    "a verdict on a topic, not a source": (
        "It's rubbish about the ceasefire, nobody stopped shooting.",
        [],
    ),
    "sarcastic echo of the quoted source": (
        "Right.",
        [("TASS", "negative")],
    ),
}


@pytest.mark.parametrize("case", COMMENT_CASES, ids=list(COMMENT_CASES))
def test_comment_verdicts(case: str) -> None:
    comment, expected = COMMENT_CASES[case]
    article = '"No civilians were hit," the army spokesman Colonel Ivan Dorn told TASS.\n'
    assert verdicts(article + comment + "\n", article_end=len(article)) == expected


# the wider vocabulary of distrust and trust: subject + phrase -> polarity
VOCABULARY: dict[str, str] = {
    "Belarus told the truth about the strike": "positive",
    "Belarus made an unfounded claim about the strike": "negative",
    "Reuters ran it without attribution": "negative",
    "Reuters is run by clowns": "negative",
    "Belarus has never proved the strike happened": "negative",
    "Reuters shows double standards on the strike": "negative",
    "Reuters ignores the facts on the ground": "negative",
    "Belarus tried to salvage its credibility": "negative",
    "Reuters was totally unprofessional": "negative",
    "Reuters has often proved prescient": "positive",
    "Reuters was caught faking the footage": "negative",
    "Reuters repeats the same mantra every day": "negative",
    "Reuters ran it without any critical thought": "negative",
    "Reuters was all too eager to believe the army": "negative",
    "Reuters published false reports about the strike": "negative",
    "Reuters has maintained its independence": "positive",
    "Belarus spread significant disinformation about the strike": "negative",
    "Reuters is a libel machine": "negative",
}


@pytest.mark.parametrize("sentence", VOCABULARY, ids=list(VOCABULARY))
def test_vocabulary(sentence: str) -> None:
    who = sentence.split()[0]
    text = ARTICLE + sentence + ".\n"
    assert verdicts(text, article_end=len(text)) == [(who, VOCABULARY[sentence])]


def test_nothing_officials_say_can_be_believed() -> None:
    text = ARTICLE + "Of course, nothing Moldovan officials say can be believed.\n"
    assert verdicts(text, article_end=len(text)) == [("Moldova", "negative")]


def test_media_lies() -> None:
    text = "Port Harcourt media lies about the army\nThe army took the bridge on Monday.\n"
    assert verdicts(text, article_end=len(text)) == [("Port Harcourt media", "negative")]


def test_readers_are_sceptical_of_a_source() -> None:
    text = ARTICLE + "I remain sceptical of TASS on anything about the dam.\n"
    assert verdicts(text, article_end=len(ARTICLE)) == [("TASS", "negative")]


def test_reluctant_to_take_an_outlet_at_its_word() -> None:
    text = ARTICLE + "Readers are reluctant to take TASS at its word.\n"
    assert verdicts(text, article_end=len(text)) == [("TASS", "negative")]
