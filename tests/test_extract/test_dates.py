"""Dates as written, with a normalised value whose precision is what the text gives."""

from __future__ import annotations

from datetime import date

import pytest

from kb.extract import extract_strict
from kb.extract.dates import find_dates

REF = date(2024, 3, 5)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "with_ref", "without_ref"),
    [
        ("On April 4", "2024-04-04", "--04-04"),
        ("on 3 March", "2024-03-03", "--03-03"),
        ("March 3, 2024", "2024-03-03", "2024-03-03"),
        ("on 12 February", "2024-02-12", "--02-12"),
        ("2024-02-29", "2024-02-29", "2024-02-29"),
        ("on Monday", "2024-03-04", None),
        ("last Tuesday", "2024-02-27", None),
        ("yesterday", "2024-03-04", None),
        ("in July", "2023-07", None),  # a month after the document's: the year before
        ("in July 2024", "2024-07", "2024-07"),
        ("last month", "2024-02", None),
        ("last year", "2023", None),
        ("last week", None, None),  # a range: the surface form only
        ("on December 30", "2023-12-30", "--12-30"),
    ],
)
def test_date_values(text: str, with_ref: str | None, without_ref: str | None) -> None:
    (found,) = find_dates(text, 0, len(text), REF)
    assert found[:2] == (0, len(text)) and found[2] == with_ref
    (bare,) = find_dates(text, 0, len(text), None)
    assert bare[2] == without_ref


def test_claim_date_uses_the_document_date() -> None:
    text = "Houthi leader Abdul-Malik al-Houthi warned on Tuesday that attacks would go on."
    (c,) = extract_strict(text, document_date=REF).claims
    assert c.date is not None and c.date.text == "on Tuesday" and c.date_value == "2024-03-05"
    assert c.modality == "planned"  # "would go on": a statement about the future
    (c2,) = extract_strict(text).claims
    assert c2.date_value is None


def test_a_date_of_the_event_is_not_the_date_of_the_statement() -> None:
    text = "The army said it had killed 40 fighters in strikes on 12 February."
    (c,) = extract_strict(text).claims
    assert c.date is None and c.content.text.endswith("on 12 February")
