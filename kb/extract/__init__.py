"""The extraction pipeline: a plain text (article + reader comments) -> frozen records.

Public API (other code calls exactly this)::

    from kb.extract import extract, to_score_json
    ex = extract(text, document_date=None, article_end=None)   # -> model.Extraction
    to_score_json(ex)                                           # -> dict for the scorer / --json

    from kb.extract import extract_document, looks_like_json_document
    if looks_like_json_document(text):                          # the JSON document form
        ex = extract_document(json.loads(text))                 # InputError on bad structure

``extract`` is pure and deterministic; patterns and the gazetteer are read once per
process. It never raises on a ``str``: a text that trips a bug yields an empty
extraction (logged), so one bad document cannot stop a batch.
"""

from __future__ import annotations

import logging
from datetime import date

from .jsondoc import extract_document, looks_like_json_document
from .model import Extraction, Segment, Span
from .output import to_score_json
from .pipeline import STAGES, Stage, freeze, run

logger = logging.getLogger(__name__)

__all__ = [
    "STAGES",
    "Extraction",
    "Stage",
    "extract",
    "extract_document",
    "extract_strict",
    "looks_like_json_document",
    "to_score_json",
]


def extract_strict(
    text: str, *, document_date: date | None = None, article_end: int | None = None
) -> Extraction:
    """Like ``extract`` but lets internal errors propagate (for tests and debugging)."""
    return freeze(run(text, document_date, article_end))


def extract(
    text: str, *, document_date: date | None = None, article_end: int | None = None
) -> Extraction:
    """Read actors, sources, attributed claims and reliability judgements out of ``text``.

    Args:
        text: the article followed by its comments, one paragraph or comment a line.
        document_date: the article's date; gives years to "April 4" and days to "Tuesday".
        article_end: character offset where the comments begin, if the caller knows it.

    Returns:
        An ``Extraction`` whose spans all satisfy ``text[s.start:s.end] == s.text``.
    """
    if not isinstance(text, str):
        raise TypeError(f"extract() needs a str, not {type(text).__name__}")
    try:
        return extract_strict(text, document_date=document_date, article_end=article_end)
    except Exception:  # never stop a batch on one text; the bug is logged with its trace
        logger.exception("extraction failed on a text of %d characters", len(text))
        return Extraction(
            text=text,
            segments=(Segment(kind="article", index=0, span=Span(0, len(text), text)),),
            entities=(),
            mentions=(),
            claims=(),
            judgements=(),
            metadata={"error": "extraction failed; see the log"},
        )
