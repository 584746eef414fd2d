"""Shared helpers of the extraction tests: paths, and claims/judgements by readable names."""

from __future__ import annotations

from pathlib import Path

from kb.extract import Extraction, extract_strict

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SEED_PATH = SHARED / "corpus" / "seed-article-comments.txt"
SCORER_PATH = SHARED / "eval" / "score_extraction.py"
TEXTS = Path(__file__).with_name("texts")


def name(ex: Extraction, key: str | None) -> str | None:
    """The display name of an entity key (None stays None)."""
    return ex.entity(key).name if key else None


def claims(text: str) -> list[tuple[str | None, str | None, str]]:
    """(speaker name, via name, cue text) of every claim in ``text``."""
    ex = extract_strict(text)
    return [(name(ex, c.speaker), name(ex, c.via), c.cue.text) for c in ex.claims]


def judgements(text: str) -> list[tuple[str, str]]:
    """(source name, polarity) of every judgement in ``text``."""
    ex = extract_strict(text)
    return [(name(ex, j.source) or "", j.polarity) for j in ex.judgements]
