"""The seed text (../shared): its article claims (the scorer's floors: test_scores.py)."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest

from kb.extract import extract_strict

from .helpers import SCORER_PATH, SEED_PATH, name

pytestmark = pytest.mark.skipif(not SEED_PATH.exists(), reason="../shared/corpus is not here")

FLOORS = {"actors": 0.90, "sources": 0.90, "claims_attributed": 0.85, "judgements": 0.70}


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_extraction", SCORER_PATH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_xelil_told_reuters_on_april_4(seed_text: str) -> None:
    ex = extract_strict(seed_text)
    found = [
        c
        for c in ex.claims
        if name(ex, c.speaker) == "Aldar Xelil" and name(ex, c.via) == "Reuters" and c.date
    ]
    assert len(found) == 1
    c = found[0]
    assert c.date is not None and c.date.text == "On April 4" and c.date_value == "--04-04"
    assert c.cue.text == "told Reuters" and c.modality == "possible"
    assert c.span.text.startswith("On April 4, co-chair of the Syrian Kurdi")
    assert seed_text[c.span.start : c.span.end] == c.span.text


def test_xelil_quote_keeps_the_relay(seed_text: str) -> None:
    ex = extract_strict(seed_text)
    quotes = [c for c in ex.claims if c.span.text.startswith("\u201cIraq is a neighboring state")]
    assert [(name(ex, c.speaker), name(ex, c.via)) for c in quotes] == [("Aldar Xelil", "Reuters")]


def test_abadi_april_2_claim(seed_text: str) -> None:
    ex = extract_strict(seed_text)
    (c,) = [c for c in ex.claims if name(ex, c.speaker) == "Haider al-Abadi"]
    assert c.cue.text == "revealed" and c.via is None
    assert c.date is not None and c.date.text == "on April 2" and c.date_value == "--04-02"
    assert c.modality == "planned"


def test_according_to_syrian_sources(seed_text: str) -> None:
    ex = extract_strict(seed_text)
    (c,) = [c for c in ex.claims if c.cue.text == "according to Syrian sources"]
    assert c.speaker is None and name(ex, c.via) == "Syrian sources"
    assert ex.entity(c.via or "").unnamed


def test_abadi_did_not_mention_is_not_a_claim(seed_text: str) -> None:
    ex = extract_strict(seed_text)
    assert not [c for c in ex.claims if "didn\u2019t mention" in c.span.text]
