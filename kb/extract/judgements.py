"""Stage 4: readers' judgements of how reliable, biased or truthful a source is.

A cue phrase (patterns/judgement_cues.jsonl) gives the polarity; the judged source is,
in order: a source named in the same sentence, a reference noun in it ("this map", "the
article", resolved by references.SourceContext), a pronoun ("it", "he"), or the topic of
the comment so far. One judgement per (comment, source): both polarities make it mixed.
In the article only a source named in the same sentence can be judged (an author's
explicit verdict), never a guessed one.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .doc import Doc, Sentence
from .lexicon import load_lexicon, trie_regex
from .model import Judgement, PolarityName
from .references import SourceContext, reference_rx

_NEGATOR = re.compile(r"(?:\bnot|n't|\bnever|\bno longer|\bhardly)\s+(?:\w+\s+)?$", re.IGNORECASE)
_NEGATIVE_CUE_START = re.compile(
    r"(?i)(?:not|never|no|un|can't|cannot|don't|do not|shouldn't|wouldn't)"
)
_CLAUSE_REST = re.compile(r"[^,.;]{0,40}")
_PERSON_PRONOUN = re.compile(r"(?<![\w'])(?:he|she|him|his|her|He|She|His|Her)(?![\w'])")
_THING_PRONOUN = re.compile(
    r"(?<![\w'])(?:it|its|it's|they|their|them|It|Its|It's|They|Their|Them)(?![\w'])"
)


@dataclass
class _Found:
    polarities: set[str] = field(default_factory=set)
    cue: tuple[int, int] = (0, 0)
    first: int = 0
    last: int = 0


@lru_cache(maxsize=1)
def _triggers() -> tuple[re.Pattern[str], dict[str, list[int]]]:
    """One overlapping scan for every cue's trigger words, and trigger -> cue numbers."""
    by_trigger: dict[str, list[int]] = {}
    for order, (_, _, triggers) in enumerate(load_lexicon().judgement_cues):
        for trig in triggers:
            by_trigger.setdefault(trig, []).append(order)
    return re.compile(rf"(?<!\w)({trie_regex(set(by_trigger))})"), by_trigger


def _cue_hits(doc: Doc) -> dict[int, list[tuple[int, int, str, int]]]:
    """Cue matches by sentence index: (start, end, polarity, pattern order).

    Each pattern runs only on the sentences that hold one of its trigger words, which
    keeps the cost proportional to what the text says rather than to the cue list.
    """
    low = doc.low
    cues = load_lexicon().judgement_cues
    rx, by_trigger = _triggers()
    starts = [s.start for s in doc.sentences]
    todo: dict[int, set[int]] = {}  # cue number -> sentence numbers
    for m in rx.finditer(low):
        k = bisect.bisect_right(starts, m.start()) - 1
        if k < 0 or m.start() >= doc.sentences[k].end:
            continue
        word = m.group(1)
        for trig in (word[:n] for n in range(1, len(word) + 1)):
            for order in by_trigger.get(trig, ()):
                todo.setdefault(order, set()).add(k)
    hits: dict[int, list[tuple[int, int, str, int]]] = {}
    for order in sorted(todo):
        polarity, cue_rx, _ = cues[order]
        for k in sorted(todo[order]):
            sent = doc.sentences[k]
            for m in cue_rx.finditer(low, sent.start, sent.end):
                if m.end() > m.start():
                    hits.setdefault(k, []).append((m.start(), m.end(), polarity, order))
    return hits


def _sentence_cues(
    doc: Doc, sent: Sentence, found: list[tuple[int, int, str, int]]
) -> list[tuple[int, int, str]]:
    """Cue matches in a sentence: (start, end, polarity), earlier patterns first, no overlaps."""
    taken: list[tuple[int, int, str]] = []
    for s, e, polarity, _ in sorted(found, key=lambda h: (h[3], h[0])):
        if any(s < b and e > a for a, b, _ in taken):
            continue
        pol = polarity
        if pol != "mixed" and not _NEGATIVE_CUE_START.match(doc.norm, s):
            if _NEGATOR.search(doc.norm, max(sent.start, s - 20), s):
                pol = "negative" if pol == "positive" else "positive"
        taken.append((s, e, pol))
    taken.sort()
    # "it's biased, but ..." grants the source something back: mixed
    out = []
    for s, e, pol in taken:
        if pol == "negative":
            for rx in load_lexicon().concessions:
                cm = rx.match(doc.norm, e, sent.end)
                if cm is None:
                    nxt = _CLAUSE_REST.match(doc.norm, e, sent.end)
                    cm = rx.match(doc.norm, nxt.end(), sent.end) if nxt else None
                if cm is not None:
                    pol = "mixed"
                    break
        out.append((s, e, pol))
    return out


class _Judge:
    def __init__(self, doc: Doc, ctx: SourceContext) -> None:
        self.doc = doc
        self.ctx = ctx
        self.ref_rx = reference_rx()
        # a person can be judged as a source once the text has reported them speaking
        self.speakers = {c.speaker for c in doc.claims if c.speaker}

    def judgeable(self, key: str) -> bool:
        ent = self.doc.entities[key]
        if ent.is_unnamed:
            return False
        return ent.is_source_typed or "source" in ent.roles or key in self.speakers

    def target(self, sent: Sentence, cue: tuple[int, int]) -> str | None:
        doc = self.doc
        named = [m for m in doc.mentions_in(sent.start, sent.end) if self.judgeable(m.entity)]
        if sent.segment == 0:
            named = [m for m in named if doc.entities[m.entity].is_source_typed]
            if not named:
                return None
        if named:
            media = [m for m in named if doc.entities[m.entity].is_source_typed] or named
            before = [m for m in media if m.span.start < cue[0]]
            if before:  # the subject the cue is said of comes first: "X is more reliable than Y"
                return before[-1].entity
            return min(media, key=lambda m: m.span.start - cue[0]).entity
        refs = list(self.ref_rx.finditer(doc.norm, sent.start, sent.end))
        refs = [r for r in refs if r.group("noun").lower() != "source" or r.end() <= cue[0]]
        if refs:
            r = min(refs, key=lambda r: abs(r.start() - cue[0]))
            key = self.ctx.reference(r.group("noun"), r.start(), sent.segment)
            if key:
                return key
        pp = [m.start() for m in _PERSON_PRONOUN.finditer(doc.norm, sent.start, sent.end)]
        tp = [m.start() for m in _THING_PRONOUN.finditer(doc.norm, sent.start, sent.end)]
        if pp and (not tp or min(abs(p - cue[0]) for p in pp) < min(abs(p - cue[0]) for p in tp)):
            key = self.ctx.pronoun(True, cue[0], sent.segment)
            if key and self.judgeable(key):
                return key
            return None
        if tp:
            return self.ctx.pronoun(False, cue[0], sent.segment)
        return self.ctx.topic.get(sent.segment)  # the comment's own topic so far

    def read(self) -> None:
        doc = self.doc
        hits = _cue_hits(doc)
        by_seg: dict[int, list[int]] = {}
        for k, s in enumerate(doc.sentences):
            by_seg.setdefault(s.segment, []).append(k)
        for seg in sorted(by_seg):
            found: dict[str, _Found] = {}
            for k in by_seg[seg]:
                sent = doc.sentences[k]
                for m in doc.mentions_in(sent.start, sent.end):
                    if self.ctx._is_thing(doc.entities[m.entity]):
                        self.ctx.note(seg, m.entity)
                for s, e, pol in _sentence_cues(doc, sent, hits.get(k, [])):
                    key = self.target(sent, (s, e))
                    if key is None:
                        continue
                    self.ctx.note(seg, key)
                    f = found.setdefault(key, _Found(cue=(s, e), first=sent.start, last=sent.end))
                    if pol == "mixed":
                        f.polarities |= {"positive", "negative"}
                    else:
                        f.polarities.add(pol)
                    f.last = sent.end
            for key, f in found.items():
                polarity: PolarityName = (
                    "mixed" if len(f.polarities) > 1 else f.polarities.pop()  # type: ignore[assignment]
                )
                doc.entities[key].roles.add("source")
                doc.judgements.append(
                    Judgement(
                        span=doc.span(f.first, f.last),
                        cue=doc.span(*f.cue),
                        source=key,
                        polarity=polarity,
                        segment=seg,
                    )
                )


def judge(doc: Doc, ctx: SourceContext | None = None) -> Doc:
    """Fill ``doc.judgements``."""
    _Judge(doc, ctx or doc.context or SourceContext(doc)).read()
    return doc
