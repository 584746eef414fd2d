"""Judgement cue matching, shared by the boundary rule (segment) and the judgement stage.

A reader's verdict on a source ("is a mouthpiece", "the only map I trust") is the
strongest sign that a line is a comment, so the cues are matched once, right after the
text is cut into sentences, and both stages read the result from ``Doc.cue_hits``.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from .lexicon import load_lexicon, trie_regex

CueHit = tuple[int, int, str, int]  # start, end, polarity, pattern order


@lru_cache(maxsize=1)
def _triggers() -> tuple[re.Pattern[str], dict[str, list[int]]]:
    """One scan for every cue's trigger words, and trigger -> cue numbers."""
    by_trigger: dict[str, list[int]] = {}
    for order, (_, _, triggers) in enumerate(load_lexicon().judgement_cues):
        for trig in triggers:
            by_trigger.setdefault(trig, []).append(order)
    return re.compile(rf"(?<!\w)({trie_regex(set(by_trigger))})"), by_trigger


def cue_hits(low: str, spans: list[tuple[int, int]]) -> dict[int, list[CueHit]]:
    """Cue matches in the lower-cased text, by index into ``spans`` (sorted sentences).

    Each pattern runs only on the sentences that hold one of its trigger words, which
    keeps the cost proportional to what the text says rather than to the cue list.
    """
    cues = load_lexicon().judgement_cues
    rx, by_trigger = _triggers()
    starts = [s for s, _ in spans]
    todo: dict[int, set[int]] = {}  # cue number -> sentence numbers
    for m in rx.finditer(low):
        k = bisect.bisect_right(starts, m.start()) - 1
        if k < 0 or m.start() >= spans[k][1]:
            continue
        word = m.group(1)
        for n in range(1, len(word) + 1):
            for order in by_trigger.get(word[:n], ()):
                todo.setdefault(order, set()).add(k)
    hits: dict[int, list[CueHit]] = {}
    for order in sorted(todo):
        polarity, cue_rx, _ = cues[order]
        for k in sorted(todo[order]):
            s, e = spans[k]
            for m in cue_rx.finditer(low, s, e):
                if m.end() > m.start():
                    hits.setdefault(k, []).append((m.start(), m.end(), polarity, order))
    return hits
