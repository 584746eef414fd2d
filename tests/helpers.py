"""Test helpers shared across test modules."""

from __future__ import annotations

from pathlib import Path

from kb.extract.model import Span

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED = PROJECT_ROOT.parent / "shared"
SEED_PATH = SHARED / "corpus" / "seed-article-comments.txt"


def span_of(text: str, needle: str, start: int = 0) -> Span:
    """The Span of the first occurrence of ``needle`` at or after ``start``."""
    i = text.index(needle, start)
    return Span(i, i + len(needle), needle)
