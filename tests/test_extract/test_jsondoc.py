"""The JSON document form: fields in, segments with authors and replies out."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.errors import InputError
from kb.extract import extract_document, looks_like_json_document, to_score_json

from .helpers import DATA, name
from .test_robustness import check

EXAMPLE = DATA / "docs" / "kobani-thread.json"


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def test_example_is_recognised(example: dict[str, Any]) -> None:
    assert looks_like_json_document(EXAMPLE.read_text(encoding="utf-8"))
    assert not looks_like_json_document("Reuters said that {the town} fell.")
    assert not looks_like_json_document('{"title": "no body and no comments"}')
    assert not looks_like_json_document("{not json")


def test_segments_come_from_the_fields(example: dict[str, Any]) -> None:
    ex = extract_document(example)
    check(ex)
    kinds = [(s.kind, s.author, s.reply_to, s.date) for s in ex.segments]
    assert kinds == [
        ("article", None, None, None),
        ("comment", "Sinbad", None, "2024-03-05"),
        ("comment", "Ivan", 1, "2024-03-06"),
        ("comment", "Rami", 2, None),  # the blank comment c3 is skipped, c4 answers c2
    ]
    assert ex.metadata["input"] == "json" and ex.metadata["url"].startswith("https://")
    # the two-line comment is one segment, one line of the text, same length
    first = ex.segments[1].span.text
    assert first == "Dear SF, thanks for the article, great reporting as always."
    assert ex.text.startswith(example["title"] + "\n")


def test_publisher_and_dates(example: dict[str, Any]) -> None:
    ex = extract_document(example)
    assert ex.publisher == "southfront"
    (c,) = [c for c in ex.claims if c.span.text.startswith("SDF media centre")]
    assert c.date is not None and c.date.text == "on Monday" and c.date_value == "2024-03-04"
    polarities = {(name(ex, j.source), j.polarity, j.segment) for j in ex.judgements}
    assert ("SouthFront", "positive", 1) in polarities
    assert ("Hawar News Agency", "negative", 2) in polarities
    out = to_score_json(ex)
    assert "southfront" in {s["key"] for s in out["sources"]}


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ({"url": "https://www.aljazeera.com/news/x"}, "al-jazeera"),
        ({"publisher": "reuters.com"}, "reuters"),
        ({"publisher": "Kyiv Independent"}, "kyiv-independent"),
        ({"publisher": "The Daily Frontline"}, "the-daily-frontline"),
        ({}, None),
    ],
)
def test_publisher_from_name_domain_or_url(doc: dict[str, Any], expected: str | None) -> None:
    ex = extract_document({"body": "Troops moved north.", **doc})
    assert ex.publisher == expected
    if expected:
        assert expected in {e.key for e in ex.entities}


def test_comments_only_and_numbered_replies() -> None:
    ex = extract_document(
        {"comments": [{"text": "First!"}, {"text": "Reuters is reliable.", "reply_to": 1}]}
    )
    assert [s.kind for s in ex.segments] == ["article", "comment", "comment"]
    assert ex.segments[2].reply_to == 1


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "expected an object, not list"),
        ({"title": "x"}, "needs a 'body' or a 'comments' field"),
        ({"body": "x", "author": "y"}, "unknown field(s) author"),
        ({"body": 3}, "'body' must be a string"),
        ({"body": "x", "comments": {"text": "y"}}, "'comments' must be a list"),
        ({"body": "x", "comments": ["y"]}, "comment 1 must be an object"),
        ({"body": "x", "comments": [{"author": "a"}]}, "comment 1: 'text' must be a string"),
        ({"body": "x", "comments": [{"text": "y", "reply_to": True}]}, "'reply_to' must be"),
        ({"body": "x", "comments": [{"text": "y", "likes": 3}]}, "unknown field(s) likes"),
        ({"body": "x", "published": "last Tuesday"}, "'published' is not an ISO date"),
    ],
)
def test_bad_structure_is_a_one_line_input_error(doc: Any, message: str) -> None:
    with pytest.raises(InputError) as err:
        extract_document(doc)
    assert message in str(err.value) and "\n" not in str(err.value)
    assert str(err.value).startswith("[E100]")


_text = st.text(max_size=120)
_comment = st.fixed_dictionaries(
    {"text": _text},
    optional={
        "author": st.none() | st.text(max_size=20),
        "id": st.integers(0, 5) | st.text(max_size=3),
        "reply_to": st.none() | st.integers(0, 6) | st.text(max_size=3),
        "date": st.none() | st.text(max_size=12),
    },
)
_document = st.fixed_dictionaries(
    {"body": _text},
    optional={
        "title": st.none() | _text,
        "url": st.none() | st.text(max_size=40),
        "publisher": st.none() | st.text(max_size=20),
        "published": st.none() | st.just("2024-03-05") | st.just("2024-03-05T10:00:00Z"),
        "comments": st.lists(_comment, max_size=6),
    },
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_document)
def test_any_json_document_gives_valid_spans(doc: dict[str, Any]) -> None:
    ex = extract_document(doc)
    check(ex)
    comments = [s for s in ex.segments if s.kind == "comment"]
    assert all("\n" not in s.span.text for s in comments)
    for s in comments:
        assert s.reply_to is None or 1 <= s.reply_to <= len(comments)


def test_a_read_document_carries_its_layout_and_extracts_the_same(tmp_path: Any) -> None:
    """Reading an input lays the document out once; naming and extracting the text reuse
    that layout and give what the document alone gives."""
    from kb.corpus import read_input
    from kb.extract.jsondoc import assembled_text
    from kb.ingest_workers import extract_input, stored_text

    path = tmp_path / "thread.json"
    path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    item = read_input(str(path))
    assert item.document is not None and item.assembled is not None
    assert stored_text(item) == assembled_text(item.document) == item.assembled.text
    assert extract_input(item) == extract_document(json.loads(EXAMPLE.read_text()))
    # a plain text that has the document's shape is read as one, the text kept as given
    padded = tmp_path / "thread.txt"
    padded.write_text("\n  " + EXAMPLE.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    sniffed = read_input(str(padded))
    assert sniffed.text.startswith("\n  ") and sniffed.assembled == item.assembled
