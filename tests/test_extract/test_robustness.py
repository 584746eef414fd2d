"""Any text gives a valid extraction: spans inside the text, never an exception."""

from __future__ import annotations

import json
import time

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
    n = len(text)
    for ent in out["actors"] + out["sources"]:
        for s, e in ent["mentions"]:
            assert 0 <= s < e <= n
        for alias in ent["aliases"]:  # every surface string shown is in the text
            assert alias in text
    for c in out["claims"]:
        assert 0 <= c["span"][0] <= c["span"][1] <= n
        assert c["cue"] in text[c["span"][0] : c["span"][1]]
        if c["contradicts"]:
            assert 0 <= c["contradicts"][0] <= c["contradicts"][1] <= n
    for j in out["judgements"]:
        assert 0 <= j["span"][0] <= j["span"][1] <= n
        assert j["cue"] in text[j["span"][0] : j["span"][1]]
    json.dumps(out, ensure_ascii=False)  # serialisable, lone surrogates included


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


# Mixed scripts, controls, odd spaces and line separators, between words the rules know.
SCRIPTS = (
    "Reuters said that",
    "\u0627\u0644\u062c\u064a\u0634 \u0627\u0644\u0633\u0648\u0631\u064a",  # Arabic
    "\u0412\u0421\u0423 \u0437\u0430\u044f\u0432\u0438\u043b\u0438",  # Cyrillic
    "\u05e6\u05d4\u05f4\u05dc",  # Hebrew
    "\u4e2d\u6587\u65b0\u95fb",  # CJK
    "\U0001f525\U0001f1fa\U0001f1e6",  # emoji, flags
    "e\u0301\u0308",  # combining marks
    "\u0130stanbul \u0131",  # dotted capitals whose lower case changes length
    "\x00\x07\x1b[31m",  # control characters
    "\u200b\u200d\ufeff\u00a0",  # zero-width and odd spaces
    "\u2028\u2029\x85\r\n",  # line separators
    "\ud800",  # a lone surrogate (decoding with errors="surrogateescape" can leave one)
    "\u201cquoted\u201d",
    "SDF told Reuters on April 4",
    "Dear SF, this map lies",
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(SCRIPTS) | st.text(max_size=8), max_size=60), st.randoms())
def test_mixed_scripts_and_controls(parts: list[str], rnd) -> None:
    seps = [" ", "\n", "", ", ", ". ", "\n\n"]
    text = "".join(p + rnd.choice(seps) for p in parts)
    check(extract_strict(text))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SCRIPTS), st.integers(1_000, 40_000))
def test_very_long_lines(unit: str, n: int) -> None:
    text = (unit + " ") * (n // max(1, len(unit)))
    check(extract_strict(text[:n]))


@pytest.mark.parametrize(
    "text",
    [
        "a" * 200_000,
        "SDF " * 50_000,
        ("Reuters said that " + "x" * 1000 + ". ") * 100,
        "(" * 20_000 + ")" * 20_000,
        "\u201c" * 30_000,
        "I think " * 20_000 + "?",
        "www." + "a." * 20_000 + "com",
        "Prime Minister " * 10_000,
        "Dear SF, this map lies " * 2_000,  # one run-on sentence full of verdicts: was cubic
        "The army said X happened, a claim the SDF denied. " * 800,
    ],
    ids=[
        "letters",
        "acronyms",
        "sentences",
        "parens",
        "quotes",
        "opinion",
        "domain",
        "titles",
        "verdicts",
        "denials",
    ],
)
def test_pathological_long_inputs_stay_fast(text: str) -> None:
    t0 = time.perf_counter()
    check(extract_strict(text))
    assert time.perf_counter() - t0 < 10  # nothing quadratic, no catastrophic backtracking
