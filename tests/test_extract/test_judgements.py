"""Stage 4: readers' judgements of sources: polarity and which source is meant."""

from __future__ import annotations

import pytest

from .helpers import judgements

ARTICLE = "Rebels shelled the airport on Tuesday, the army said.\n"

JUDGEMENT_CASES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "positive": ("almasdar is a good source of info, I think.", [("Al-Masdar News", "positive")]),
    "negative": ("I think TASS is pure propaganda.", [("TASS", "negative")]),
    "fake news": ("You know CNN is fake news.", [("CNN", "negative")]),
    "mixed in one comment": (
        "I use syria.liveuamap.com daily, it is invaluable, but it lies through its teeth.",
        [("Liveuamap", "mixed")],
    ),
    "usual quality": (
        "I read AMN every day, but this article did not fit their usual quality.",
        [("Al-Masdar News", "mixed")],
    ),
    "concession makes it mixed": (
        "I know Rybar is biased, but you should still read every side.",
        [("Rybar", "mixed")],
    ),
    "hedge about the writer does not": (
        "I think Rybar is biased, but I may be wrong.",
        [("Rybar", "negative")],
    ),
    "negated cue flips": (
        "Honestly, I think SOHR is not reliable.",
        [("Syrian Observatory for Human Rights", "negative")],
    ),
    "subject before a comparison": (
        "I find Radio Dabanga more reliable than Sudan Tribune.",
        [("Radio Dabanga", "positive")],
    ),
    "waste of ink to say otherwise is no judgement": (
        "You know Reuters covered it, so it's a waste of ink to say otherwise.",
        [],
    ),
    "judging a claim is not judging a source": ("I doubt that claim is true.", []),
}


@pytest.mark.parametrize("case", JUDGEMENT_CASES, ids=list(JUDGEMENT_CASES))
def test_judgements(case: str) -> None:
    comment, expected = JUDGEMENT_CASES[case]
    assert judgements(ARTICLE + comment + "\n") == expected


def test_this_map_refers_to_the_last_map_in_the_thread() -> None:
    text = ARTICLE + "Have you seen syria.liveuamap.com lately?\nI don't trust this map, it lies.\n"
    assert judgements(text) == [("Liveuamap", "negative")]


def test_the_article_means_the_publisher_the_comments_address() -> None:
    text = (
        ARTICLE
        + "I think the article is badly written.\n"
        + "Dear SF, could you clarify this article?\n"
    )
    assert judgements(text) == [("SouthFront", "negative")]


def test_it_refers_to_the_last_linked_source() -> None:
    text = (
        ARTICLE
        + "Check this out https://www.rt.com/news/123-strike/\nYou are right, it's a load of BS.\n"
    )
    assert judgements(text) == [("RT", "negative")]


def test_he_refers_to_a_person_who_spoke_in_the_article() -> None:
    text = (
        "Commander Rami Saleh told Reuters the town was taken.\n"
        "Only one source, the commander. He may be talking out of his ass.\n"
    )
    assert judgements(text) == [("Rami Saleh", "negative")]


def test_one_judgement_per_comment_and_source() -> None:
    text = ARTICLE + "I think RT is propaganda. RT lies. RT is biased.\n"
    assert judgements(text) == [("RT", "negative")]


def test_article_judges_only_a_named_source() -> None:
    assert (
        judgements("The outlet is propaganda, critics say.\nReuters said the claim was false.\n")
        == []
    )
