"""The ordered stages of the extractor and the freezing of their result.

Each stage is a named function ``(Doc) -> Doc`` that declares what it needs and what it
fills (spaCy's factories do the same), so the order can be checked when the pipeline is
built rather than discovered as an AttributeError on some odd text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .attribution import attribute
from .doc import Doc
from .entities import find_entities
from .judgements import judge
from .model import Extraction
from .references import SourceContext
from .segment import segment


@dataclass(frozen=True)
class Stage:
    """One pipeline component."""

    name: str
    func: Callable[[Doc], Doc]
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()


def _references(doc: Doc) -> Doc:
    doc.context = SourceContext(doc)
    return doc


STAGES: tuple[Stage, ...] = (
    Stage("segment", segment, (), ("segments", "sentences", "quotes")),
    Stage("entities", find_entities, ("segments", "sentences"), ("entities", "mentions")),
    Stage("references", _references, ("mentions",), ("publisher", "context")),
    Stage("attribution", attribute, ("mentions", "context"), ("claims",)),
    Stage("judgements", judge, ("mentions", "context"), ("judgements",)),
)


def check_order(stages: tuple[Stage, ...]) -> None:
    """Raise ValueError if a stage needs something no earlier stage fills."""
    have: set[str] = set()
    for st in stages:
        missing = set(st.requires) - have
        if missing:
            raise ValueError(f"stage {st.name!r} needs {sorted(missing)} before it")
        have |= set(st.assigns)


check_order(STAGES)


def run(
    text: str,
    document_date: date | None = None,
    article_end: int | None = None,
    stages: tuple[Stage, ...] | None = None,
) -> Doc:
    """Run the stages (default: ``STAGES``) on one text; exceptions propagate."""
    if article_end is not None:
        article_end = max(0, min(int(article_end), len(text)))
    doc = Doc(text, document_date, article_end)
    for st in STAGES if stages is None else stages:
        doc = st.func(doc)
    return doc


def freeze(doc: Doc) -> Extraction:
    """The frozen public records of a finished ``Doc``.

    The Doc's source context is let go here: it points back at the Doc, and that cycle
    would keep the whole working state (~5,000 objects on a seed-sized text) alive until
    the cyclic garbage collector finds it, which costs more than the last stages.
    """
    first: dict[str, int] = {}
    for m in doc.mentions:
        first[m.entity] = min(first.get(m.entity, m.span.start), m.span.start)
    for c in doc.claims:
        for key in (c.speaker, c.via):
            if key:
                first.setdefault(key, c.cue.start)
    used = set(first) | {j.source for j in doc.judgements}
    if doc.publisher:
        used.add(doc.publisher)
    entities = sorted(
        (e for e in doc.entities.values() if e.key in used),
        key=lambda e: (first.get(e.key, len(doc.text)), e.key),
    )
    doc.context = None  # the last reader of it was the judgement stage
    meta = dict(doc.metadata)
    if doc.publisher:
        meta["publisher"] = doc.publisher
    if len(doc.segments) > 1:
        meta["article_end"] = str(doc.segments[1].span.start)
    return Extraction(
        text=doc.text,
        segments=tuple(doc.segments),
        entities=tuple(e.freeze() for e in entities),
        mentions=tuple(sorted(doc.mentions, key=lambda m: (m.span.start, m.span.end))),
        claims=tuple(sorted(doc.claims, key=lambda c: (c.span.start, c.cue.start))),
        judgements=tuple(sorted(doc.judgements, key=lambda j: (j.segment, j.span.start, j.source))),
        metadata=meta,
        publisher=doc.publisher,
    )
