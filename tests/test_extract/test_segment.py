"""Stage 1: where the article ends and the comments begin, and sentence spans."""

from __future__ import annotations

import pytest

from kb.extract import extract_strict

ARTICLE = (
    "Rebels shelled the airport on Tuesday, the army said.\n"
    "The ministry said three soldiers were wounded.\n"
)

BOUNDARY_CASES = {
    "question to readers": (ARTICLE + "Why would anyone believe the ministry?\nFair point.\n", 2),
    "first person": (ARTICLE + "I think the numbers are too low.\n", 2),
    "second person address": (ARTICLE + "Sam, you should read the report first.\n", 2),
    "greeting": (ARTICLE + "Dear editors - please add a map.\n", 2),
    "url only": (ARTICLE + "https://example.org/map\n", 2),
    "chat word": (ARTICLE + "lol sure they did\n", 2),
    "opinion line before a sure comment": (
        ARTICLE + "That channel is pure propaganda.\nWhy does nobody check?\n",
        2,
    ),
    "news only": (ARTICLE, 2),
    "headline question stays article": (
        "Will the ceasefire hold?\n" + ARTICLE + "I doubt it.\n",
        3,
    ),
}


@pytest.mark.parametrize("case", BOUNDARY_CASES, ids=list(BOUNDARY_CASES))
def test_article_comment_boundary(case: str) -> None:
    text, article_lines = BOUNDARY_CASES[case]
    ex = extract_strict(text)
    article = ex.segments[0]
    assert article.kind == "article" and article.index == 0
    assert article.span.text.count("\n") + 1 == article_lines, article.span.text
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert len(ex.segments) == 1 + len(lines) - article_lines
    for i, seg in enumerate(ex.segments[1:], start=1):
        assert seg.kind == "comment" and seg.index == i
        assert seg.span.text == lines[article_lines + i - 1]


def test_article_end_given_by_the_caller_wins() -> None:
    text = ARTICLE + "A third line of news copy.\n"
    cut = text.index("The ministry")
    ex = extract_strict(text, article_end=cut)
    assert ex.segments[0].span.text == "Rebels shelled the airport on Tuesday, the army said."
    assert [s.span.text for s in ex.segments[1:]] == [
        "The ministry said three soldiers were wounded.",
        "A third line of news copy.",
    ]


def test_article_end_out_of_range_is_clamped() -> None:
    ex = extract_strict(ARTICLE, article_end=10_000)
    assert len(ex.segments) == 1


SENTENCE_CASES = {
    "dotted acronyms": ("U.S. backed S.D.F. fighters moved east. They stopped.", 2),
    "title abbreviation": ("Dr. Ahmed Said spoke to Mr. Smith. Nothing followed.", 2),
    "informal ellipsis continues": ("Quite interesting .. perhaps this is a move. Yes.", 2),
    "ellipsis then capital": ("He left \u2026 Then he came back.", 2),
    "quote kept whole": (
        "\u201cWe will win. They will lose,\u201d the commander said. Fighting went on.",
        2,
    ),
}


@pytest.mark.parametrize("case", SENTENCE_CASES, ids=list(SENTENCE_CASES))
def test_sentences(case: str) -> None:
    from kb.extract.doc import Doc
    from kb.extract.segment import segment

    text, n = SENTENCE_CASES[case]
    doc = segment(Doc(text))
    got = [text[s.start : s.end] for s in doc.sentences]
    assert len(got) == n, got
    assert all(g == g.strip() and g for g in got)


def test_quote_opening_a_sentence_starts_the_sentence() -> None:
    from kb.extract.doc import Doc
    from kb.extract.segment import segment

    text = "Talks failed. \u201cWe are ready \u2026 Daesh is near,\u201d Ali told AFP."
    doc = segment(Doc(text))
    assert text[doc.sentences[1].start] == "\u201c"
    assert text[doc.sentences[1].start : doc.sentences[1].end].endswith("told AFP.")
