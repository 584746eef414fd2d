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
WINDOW = 60  # characters searched on each side of a trigger word (cues are short phrases)


@lru_cache(maxsize=1)
def _triggers() -> tuple[re.Pattern[str], dict[str, list[int]]]:
    """One scan for every cue's trigger words, and trigger -> the cue numbers of it and of
    every trigger that is a prefix of it ("lies" also wakes the cues of "lie")."""
    by_trigger: dict[str, list[int]] = {}
    for order, (_, _, triggers) in enumerate(load_lexicon().judgement_cues):
        for trig in triggers:
            by_trigger.setdefault(trig, []).append(order)
    closed = {
        t: sorted({o for n in range(1, len(t) + 1) for o in by_trigger.get(t[:n], ())})
        for t in by_trigger
    }
    return re.compile(rf"(?<!\w)({trie_regex(set(by_trigger))})"), closed


def cue_hits(low: str, spans: list[tuple[int, int]]) -> dict[int, list[CueHit]]:
    """Cue matches in the lower-cased text, by index into ``spans`` (sorted sentences).

    Each pattern runs only on the sentences that hold one of its trigger words, which
    keeps the cost proportional to what the text says rather than to the cue list.
    """
    cues = load_lexicon().judgement_cues
    rx, by_trigger = _triggers()
    starts = [s for s, _ in spans]
    todo: dict[tuple[int, int], list[int]] = {}  # (cue number, sentence) -> trigger offsets
    for m in rx.finditer(low):
        k = bisect.bisect_right(starts, m.start()) - 1
        if k < 0 or m.start() >= spans[k][1]:
            continue
        for order in by_trigger[m.group(1)]:
            todo.setdefault((order, k), []).append(m.start())
    hits: dict[int, list[CueHit]] = {}
    for order, k in sorted(todo):
        polarity, cue_rx, _ = cues[order]
        s, e = spans[k]
        seen: set[int] = set()
        # every match holds its trigger word, so a window around each trigger will do;
        # windows that overlap are searched once
        windows: list[list[int]] = []
        for pos in todo[(order, k)]:
            lo, hi = max(s, pos - WINDOW), min(e, pos + WINDOW)
            if windows and lo <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], hi)
            else:
                windows.append([lo, hi])
        for lo, hi in windows:
            for m in cue_rx.finditer(low, lo, hi):
                if m.end() > m.start() and m.start() not in seen:
                    seen.add(m.start())
                    hits.setdefault(k, []).append((m.start(), m.end(), polarity, order))
    for found in hits.values():
        found.sort(key=lambda h: (h[3], h[0]))
    return hits
