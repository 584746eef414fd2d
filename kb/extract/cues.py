"""Judgement cue matching, shared by the boundary rule (segment) and the judgement stage.

A reader's verdict on a source ("is a mouthpiece", "the only map I trust") is the
strongest sign that a line is a comment, so the cues are matched once, right after the
text is cut into sentences, and both stages read the result from ``Doc.cue_hits``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import repeat

from .lexicon import load_lexicon, trie_regex

CueHit = tuple[int, int, str, int]  # start, end, polarity, pattern order
WINDOW = 60  # characters searched on each side of a trigger word (cues are short phrases)


@lru_cache(maxsize=1)
def _triggers() -> tuple[re.Pattern[str], dict[str, list[int]]]:
    """One scan for every cue's trigger words, and trigger -> the cue numbers of it and of
    every trigger that is a prefix of it ("lies" also wakes the cues of "lie")."""
    by_trigger: dict[str, list[int]] = {}
    for order, (_, _, triggers, _) in enumerate(load_lexicon().judgement_cues):
        for trig in triggers:
            by_trigger.setdefault(trig, []).append(order)
    closed = {
        t: sorted({o for n in range(1, len(t) + 1) for o in by_trigger.get(t[:n], ())})
        for t in by_trigger
    }
    return re.compile(rf"(?<!\w)({trie_regex(set(by_trigger))})"), closed


def trigger_words() -> frozenset[str]:
    """Every trigger word of the judgement cues (for the shared scan of starts.py)."""
    return frozenset(_triggers()[1])


def cue_hits(
    low: str, spans: list[tuple[int, int]], trigger_starts: list[int] | None = None
) -> dict[int, list[CueHit]]:
    """Cue matches in the lower-cased text, by index into ``spans`` (sorted sentences).

    Each pattern runs only on the sentences that hold one of its trigger words, which
    keeps the cost proportional to what the text says rather than to the cue list.
    ``trigger_starts`` (``Doc.word_starts``): where triggers may begin, if known.
    """
    cues = load_lexicon().judgement_cues
    rx, by_trigger = _triggers()
    todo: dict[tuple[int, int], list[int]] = {}  # (cue number, sentence) -> trigger offsets
    # every trigger wakes its cues, overlapping ones too: "has not" must not hide the
    # "not corrected" that begins inside it
    triggers = (
        rx.finditer(low)
        if trigger_starts is None
        else [m for m in map(rx.match, repeat(low), trigger_starts) if m is not None]
    )
    k, last = -1, len(spans) - 1
    for m in triggers:  # triggers and sentences both in text order: one walk over both
        pos = m.start()
        while k < last and spans[k + 1][0] <= pos:
            k += 1
        if k < 0 or pos >= spans[k][1]:
            continue
        for order in by_trigger[m.group(1)]:
            offsets = todo.get((order, k))
            if offsets is None:
                todo[(order, k)] = [pos]
            else:
                offsets.append(pos)
    hits: dict[int, list[CueHit]] = {}
    for (order, k), offsets in todo.items():  # any order: each list is sorted at the end
        polarity, cue_rx, _, _ = cues[order]
        s, e = spans[k]
        windows = _windows(offsets, s, e)
        # most woken cues do not match (a trigger word is common, the phrase is not): a
        # ``search`` per window says so before any iterator or bookkeeping is set up
        for lo, hi in windows:
            if cue_rx.search(low, lo, hi) is not None:
                break
        else:
            continue
        seen: set[int] = set()
        for lo, hi in windows:
            for m in cue_rx.finditer(low, lo, hi):
                if m.end() > m.start() and m.start() not in seen:
                    seen.add(m.start())
                    hits.setdefault(k, []).append((m.start(), m.end(), polarity, order))
    for found in hits.values():
        found.sort(key=lambda h: (h[3], h[0]))
    return hits


def _windows(positions: list[int], s: int, e: int) -> tuple[tuple[int, int], ...]:
    """The text around each trigger offset, clipped to the sentence [s, e); overlapping
    windows are joined so that each stretch is searched once.

    Every match holds its trigger word, so a window around each trigger will do."""
    if len(positions) == 1:  # the common case
        lo, hi = positions[0] - WINDOW, positions[0] + WINDOW
        return ((s if lo < s else lo, e if hi > e else hi),)
    windows: list[list[int]] = []
    for pos in positions:
        lo, hi = max(s, pos - WINDOW), min(e, pos + WINDOW)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    return tuple((lo, hi) for lo, hi in windows)
