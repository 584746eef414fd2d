"""Texts written for these tests (other fronts and outlets, phrasings the seed lacks)."""

from __future__ import annotations

import pytest

from kb.extract import extract_strict, to_score_json

from .helpers import ROOT, TEXTS, name


def read(path: str) -> str:
    return (ROOT / path).read_text(encoding="utf-8")


# file -> expected (speaker, via) pairs that must be among the claims
EXPECTED_CLAIMS = {
    "tests/test_extract/texts/ukraine-drones.txt": [
        ("Ukrainian Air Force", "Telegram"),
        ("Igor Konashenkov", None),
        ("Dmitry Peskov", None),
        ("Oleh Kiper", None),
        ("A senior Ukrainian official", "Reuters"),
        (None, "local media"),
    ],
    "tests/test_extract/texts/gaza-nuseirat.txt": [
        ("Gaza Health Ministry", "Gaza Health Ministry"),
        ("Daniel Hagari", None),
        ("Hamas", "Hamas"),
        ("UN OCHA", "UN OCHA"),
        ("Philippe Lazzarini", None),
        ("Witnesses", "Al Jazeera"),
    ],
    "tests/test_extract/texts/sudan-yemen.txt": [
        ("Sudan Doctors Network", "Sudan Doctors Network"),
        ("Mohamed Hamdan Dagalo", "Al Arabiya"),
        ("Yahya Saree", None),
        ("Emergency Lawyers", "Emergency Lawyers"),
    ],
    "examples/kobani-report.txt": [
        ("Farhad Shami", "Hawar News Agency"),
        ("Syrian Democratic Forces", "Syrian Democratic Forces"),
        (None, "Syrian Observatory for Human Rights"),
        ("Residents of the nearby town of Sarrin", "Enab Baladi"),
    ],
}

EXPECTED_JUDGEMENTS = {
    "tests/test_extract/texts/ukraine-drones.txt": {
        ("DeepStateMap", "positive"),
        ("TASS", "negative"),
        ("The Kyiv Independent", "positive"),
        ("Rybar", "mixed"),
        ("Institute for the Study of War", "positive"),
    },
    "tests/test_extract/texts/gaza-nuseirat.txt": {
        ("Al Jazeera", "negative"),
        ("The Times of Israel", "positive"),
        ("Middle East Eye", "positive"),
        ("Haaretz", "mixed"),
    },
    "tests/test_extract/texts/sudan-yemen.txt": {
        ("Radio Dabanga", "positive"),
        ("Al-Masirah", "negative"),
        ("SouthFront", "positive"),
    },
    "examples/kobani-report.txt": {
        ("Syrian Observatory for Human Rights", "positive"),
        ("Hawar News Agency", "negative"),
        ("SouthFront", "positive"),
        ("Turkish Defence Ministry", "negative"),
    },
}


@pytest.mark.parametrize("path", EXPECTED_CLAIMS, ids=lambda p: p.rsplit("/", 1)[-1])
def test_claims_of_own_texts(path: str) -> None:
    ex = extract_strict(read(path))
    got = {(name(ex, c.speaker), name(ex, c.via)) for c in ex.claims}
    missing = [pair for pair in EXPECTED_CLAIMS[path] if pair not in got]
    assert not missing, sorted(got, key=str)


@pytest.mark.parametrize("path", EXPECTED_JUDGEMENTS, ids=lambda p: p.rsplit("/", 1)[-1])
def test_judgements_of_own_texts(path: str) -> None:
    ex = extract_strict(read(path))
    got = {(name(ex, j.source), j.polarity) for j in ex.judgements}
    assert EXPECTED_JUDGEMENTS[path] <= got, got
    assert len(got) <= len(EXPECTED_JUDGEMENTS[path]) + 1  # at most one extra


def test_questions_and_negations_of_own_texts_are_not_claims() -> None:
    text = read("tests/test_extract/texts/ukraine-drones.txt")
    spans = [c.span.text for c in extract_strict(text).claims]
    assert not [s for s in spans if "did not say" in s or s.startswith("Why would")]


def test_example_text_lists_no_unnamed_source() -> None:
    out = to_score_json(extract_strict(read("examples/kobani-report.txt")))
    names = {e["name"] for e in out["actors"] + out["sources"]}
    assert "Residents of the nearby town of Sarrin" not in names
    assert {"Farhad Shami", "Syrian Democratic Forces", "ISIS"} <= names


def test_texts_folder_is_not_empty() -> None:
    assert len(list(TEXTS.glob("*.txt"))) >= 3
