"""The extraction as the JSON that ``srkb extract --json`` prints and the scorer reads.

The shape is defined in the docstring of shared/eval/score_extraction.py. Unnamed
sources ("Syrian sources") appear only as speaker/via strings, never in the lists.
"""

from __future__ import annotations

from typing import Any

from .model import Extraction


def to_score_json(ex: Extraction) -> dict[str, Any]:
    """Actors, sources, claims and judgements with character offsets into ``ex.text``."""
    names = {e.key: e.name for e in ex.entities}
    spans: dict[str, list[list[int]]] = {}
    for m in ex.mentions:
        spans.setdefault(m.entity, []).append([m.span.start, m.span.end])

    def entry(e: Any) -> dict[str, Any]:
        return {
            "name": e.name,
            "aliases": list(e.aliases),
            "mentions": spans.get(e.key, []),
            "types": sorted(e.types),
            "key": e.key,
        }

    named = [e for e in ex.entities if not e.unnamed]
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
            }
            for c in ex.claims
        ],
        "judgements": [
            {
                "span": [j.span.start, j.span.end],
                "source": names.get(j.source, j.source),
                "polarity": j.polarity,
                "cue": j.cue.text,
            }
            for j in ex.judgements
        ],
    }
