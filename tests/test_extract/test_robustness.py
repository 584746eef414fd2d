"""Any text gives a valid extraction: spans inside the text, never an exception."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.extract import Extraction, extract, extract_strict, to_score_json
from kb.extract.doc import Doc

from .helpers import SEED_PATH


def check(ex: Extraction) -> None:
    """Every span of every record is a real slice of the text."""
    text = ex.text
    spans = [s.span for s in ex.segments] + [m.span for m in ex.mentions]
    for c in ex.claims:
        spans += [c.span, c.content, c.cue] + ([c.date] if c.date else [])
    for j in ex.judgements:
        spans += [j.span, j.cue]
    for sp in spans:
        assert 0 <= sp.start <= sp.end <= len(text)
        assert text[sp.start : sp.end] == sp.text
    keys = {e.key for e in ex.entities}
    assert {m.entity for m in ex.mentions} <= keys
    assert {j.source for j in ex.judgements} <= keys
    assert {k for c in ex.claims for k in (c.speaker, c.via) if k} <= keys
    out = to_score_json(ex)
    assert set(out) == {"actors", "sources", "claims", "judgements"}


EDGE_CASES = [
    "",
    " \n\t \n",
    "\x00\x00\x00",
    "Reuters\x00said\x00that",
    "a" * 50_000,
    "Reuters said that " + "x " * 20_000,
    "\u201c\u201c\u201d\u201d\u201c",
    "\u0627\u0644\u0633\u0644\u0627\u0645 Reuters told AFP \u4e2d\u6587 that "
    "\u0420\u043e\u0441\u0441\u0438\u044f said.",
    "\u0130stanbul \u0130ran said that the US \u0130S fighters left.",  # lower() changes length
    "https://",
    "www.",
    "(((((SDF)))))",
    "He added that. He added that.",
    "\r\nDear SF,\r\nyou lie\r",
    "According to",
    "told Reuters",
    "\ud7ff\ue000\uffff",
]


def test_edge_cases() -> None:
    for text in EDGE_CASES:
        check(extract_strict(text))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_unicode_text(text: str) -> None:
    check(extract_strict(text))


WORDS = [
    "Reuters",
    "said",
    "told",
    "that",
    "according",
    "to",
    "the",
    "article",
    "SDF",
    "US",
    "us",
    "is",
    "IS",
    "\u201c",
    "\u201d",
    ",",
    ".",
    "?",
    "\n",
    "I",
    "you",
    "propaganda",
    "reliable",
    "Dear",
    "SF",
    "syria.liveuamap.com",
    "https://x.org/a",
    "(",
    ")",
    "He",
    "added",
    "not",
    "Aldar",
    "Xelil",
    "co-chair",
    "of",
    "On",
    "April",
    "4",
    "map",
    "this",
    "it",
    "lies",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=80))
def test_word_salad(words: list[str]) -> None:
    check(extract_strict(" ".join(words)))


def test_extract_is_deterministic() -> None:
    text = SEED_PATH.read_text(encoding="utf-8") if SEED_PATH.exists() else EDGE_CASES[7]
    assert extract(text) == extract(text)
    assert to_score_json(extract(text)) == to_score_json(extract(text))


def test_extract_never_raises_even_if_a_stage_breaks(monkeypatch: pytest.MonkeyPatch) -> None:
    import kb.extract.pipeline as pipeline

    def broken(doc: Doc) -> Doc:
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "STAGES", (pipeline.Stage("broken", broken), *pipeline.STAGES))
    ex = extract("Reuters said that the bridge fell.")
    assert ex.claims == () and ex.metadata.get("error")
    check(ex)
