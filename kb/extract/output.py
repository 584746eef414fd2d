"""The extraction as the JSON that ``srkb extract --json`` prints and the scorer reads.

The shape is defined in the docstring of shared/eval/score_extraction.py. Unnamed
sources ("Syrian sources") appear only as speaker/via strings, never in the lists.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from kb.gazetteer import load_gazetteer

from . import ministries
from .lexicon import load_lexicon
from .model import Entity, Extraction


def display_name(ent: Entity) -> str:
    """The entity's name as this document writes it.

    A gazetteer entity keeps its canonical name when the text uses it; otherwise the
    longest form the text does use stands in ("Russian Defence Ministry" for the
    gazetteer's "Russian Ministry of Defence", "X" for "Twitter", "JNIM"), so that a
    reader of the JSON, and a scorer, meet the name they read. Hidden labels (slurs)
    are never shown; the entity key keeps the canonical identity.
    """
    if ent.aliases and ent.type_evidence == "a ministry named by its owner":
        # the text's own full form ("Armenian Defense Ministry"), not the one built from
        # its owner's adjective ("Armenian Defence Ministry")
        full = [a for a in ent.aliases if len(a.split()) >= len(ent.name.split())]
        return max(full, key=lambda a: (len(a.split()), len(a), a)) if full else ent.name
    if not ent.aliases or not ent.in_gazetteer:
        return ent.name
    folded = {a.casefold() for a in ent.aliases}
    if ent.name.casefold() in folded:
        return ent.name
    if all(_generic_body(a) for a in ent.aliases):
        # "foreign ministry" after "Russia's" names nothing by itself: the gazetteer's
        # label worded as the text words it ("Russian Foreign Ministry"), else its name
        labels = [
            label
            for label in _labels(ent.key)
            if any(a.casefold() in label.casefold() for a in ent.aliases)
        ]
        return max(labels, key=lambda a: (-len(a.split()), a)) if labels else ent.name
    return max(ent.aliases, key=lambda a: (len(a.split()), len(a), a))


@lru_cache(maxsize=1)
def _gazetteer_labels() -> dict[str, tuple[str, ...]]:
    return {e.key: (e.name, *e.labels) for e in load_gazetteer()}


def _labels(key: str) -> tuple[str, ...]:
    return _gazetteer_labels().get(key, ())


@lru_cache(maxsize=1)
def _generic_words() -> frozenset[str]:
    lex = load_lexicon()
    words = {w.lower() for w in lex.generic_modifiers | set(lex.org_heads)}
    words |= {w for kind in ministries.KINDS for w in kind.split()}
    return frozenset(words | {w.lower() for w in ministries.ACRONYMS} | {"of", "the", "for"})


def _generic_body(surface: str) -> bool:
    """True for a body's generic name ("foreign ministry", "Ministry of Defence", "MoD",
    "General Staff"), which the text ties to its owner by a possessive before it."""
    return all(w in _generic_words() for w in surface.lower().split())


def to_score_json(ex: Extraction) -> dict[str, Any]:
    """Actors, sources, claims and judgements with character offsets into ``ex.text``."""
    names = {e.key: display_name(e) for e in ex.entities}
    spans: dict[str, list[list[int]]] = {}
    for m in ex.mentions:
        spans.setdefault(m.entity, []).append([m.span.start, m.span.end])

    def entry(e: Any) -> dict[str, Any]:
        return {
            "name": names[e.key],
            "canonical_name": e.name,
            "aliases": list(e.aliases),
            "mentions": spans.get(e.key, []),
            "types": sorted(e.types),
            "key": e.key,
        }

    # named entities, and unnamed collectives that report ("Israeli media", CONVENTIONS)
    named = [e for e in ex.entities if not e.unnamed or "NewsOutlet" in e.types]
    return {
        "actors": [entry(e) for e in named if "actor" in e.roles],
        "sources": [entry(e) for e in named if "source" in e.roles],
        "claims": [
            {
                "span": [c.span.start, c.span.end],
                "speaker": names.get(c.speaker) if c.speaker else None,
                "via": names.get(c.via) if c.via else None,
                "cue": c.cue.text,
                "date": c.date.text if c.date else None,
                "date_value": c.date_value,
                "modality": c.modality,
                "content": [c.content.start, c.content.end],
                "contradicts": [c.contradicts.start, c.contradicts.end] if c.contradicts else None,
                "speaker_key": c.speaker,
                "via_key": c.via,
            }
            for c in ex.claims
        ],
        "judgements": [
            {
                "span": [j.span.start, j.span.end],
                "source": names.get(j.source, j.source),
                "polarity": j.polarity,
                "cue": j.cue.text,
                "source_key": j.source,
            }
            for j in ex.judgements
        ],
    }
