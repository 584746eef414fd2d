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

from .cues import cue_hits
from .doc import Doc, Sentence
from .lexicon import load_lexicon
from .model import Judgement, Mention, PolarityName
from .references import SourceContext, reference_rx

_NEGATOR = re.compile(r"(?:\bnot|n't|\bnever|\bno longer|\bhardly)\s+(?:\w+\s+)?$", re.IGNORECASE)
_NEGATIVE_CUE_START = re.compile(
    r"(?i)(?:not|never|no|un|can't|cannot|don't|do not|shouldn't|wouldn't)"
)
_CLAUSE_REST = re.compile(r"[^,.;]{0,40}")
REACH = 300  # characters around a cue where its target is looked for
MAX_SPAN = 3000  # a judgement's span never grows past this (a line without breaks)
_JOINT_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s*|or\s+)\s*")
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

    def target(
        self, sent: Sentence, cue: tuple[int, int], last: list[str] | None = None
    ) -> list[str]:
        """The source(s) a cue judges; several for a joint subject ("X and Y both lie")."""
        doc = self.doc
        # a verdict is about a name near it: look no further than REACH characters away
        # (this also bounds the work on a run-on "sentence" thousands of characters long)
        lo, hi = max(sent.start, cue[0] - REACH), min(sent.end, cue[1] + REACH)
        sent = Sentence(lo, hi, sent.segment)
        refs = list(self.ref_rx.finditer(doc.norm, lo, hi))
        in_ref = [(r.start(), r.end()) for r in refs]
        named = [
            m
            for m in doc.mentions_in(lo, hi)
            if self.judgeable(m.entity)
            and not any(a <= m.span.start and m.span.end <= b for a, b in in_ref)
        ]
        if sent.segment == 0:
            named = [m for m in named if doc.entities[m.entity].is_source_typed]
            if not named:
                return []
        if named:
            # the subject of the cue's own clause ("Al-Manar ran the media office statement
            # word for word"), else the last name before the cue ("X is more reliable than
            # Y"), else the nearest after it
            clause = max(sent.start, *(doc.norm.rfind(c, sent.start, cue[0]) + 1 for c in ",;:"))
            own = [m for m in named if clause <= m.span.start < cue[0]]
            if own:
                typed = [m for m in own if doc.entities[m.entity].is_source_typed]
                return self.joint(typed[0] if typed else own[0], named, cue[0])
            if last:  # "..., nothing independent there": the previous cue's source
                return last
            media = [m for m in named if doc.entities[m.entity].is_source_typed] or named
            before = [m for m in media if m.span.start < cue[0]]
            if before:
                return [before[-1].entity]
            return [min(media, key=lambda m: m.span.start - cue[0]).entity]
        refs = [r for r in refs if r.group("noun").lower() != "source" or r.end() <= cue[0]]
        if refs:
            r = min(refs, key=lambda r: abs(r.start() - cue[0]))
            key = self.ctx.reference(r.group("noun"), r.start(), sent.segment, (r.start(), r.end()))
            if key:
                return [key]
        pp = [m.start() for m in _PERSON_PRONOUN.finditer(doc.norm, sent.start, sent.end)]
        tp = [m.start() for m in _THING_PRONOUN.finditer(doc.norm, sent.start, sent.end)]
        if pp and (not tp or min(abs(p - cue[0]) for p in pp) < min(abs(p - cue[0]) for p in tp)):
            key = self.ctx.pronoun(True, cue[0], sent.segment)
            if key and self.judgeable(key):
                return [key]
            return []
        if tp:
            key = self.ctx.pronoun(False, cue[0], sent.segment)
            return [key] if key else []
        key = self.ctx.topic.get(sent.segment)  # the comment's own topic so far
        return [key] if key else []

    def joint(self, first: Mention, named: list[Mention], cue_start: int) -> list[str]:
        """``first`` and the names joined to it by "and" or commas before the cue."""
        out, prev = [first.entity], first
        for m in named:
            if m.span.start <= prev.span.start or m.span.start >= cue_start:
                continue
            gap = self.doc.norm[prev.span.end : m.span.start]
            if not _JOINT_GAP.fullmatch(gap):
                break
            out.append(m.entity)
            prev = m
        return list(dict.fromkeys(out))

    def things_by_sentence(self) -> dict[int, list[str]]:
        """Sentence index -> the sources (outlets, sites, official bodies) named wholly
        inside it, in text order: one pass over the context's sorted source mentions
        instead of a mention search per sentence."""
        doc = self.doc
        starts = [s.start for s in doc.sentences]
        out: dict[int, list[str]] = {}
        for m in self.ctx.things:
            k = bisect.bisect_right(starts, m.span.start) - 1
            if k >= 0 and m.span.end <= doc.sentences[k].end:
                out.setdefault(k, []).append(m.entity)
        return out

    def read(self) -> None:
        doc = self.doc
        hits = (
            doc.cue_hits
            if doc.cue_hits is not None
            else cue_hits(doc.low, [(x.start, x.end) for x in doc.sentences])
        )
        by_seg: dict[int, list[int]] = {}
        for k, s in enumerate(doc.sentences):
            by_seg.setdefault(s.segment, []).append(k)
        things = self.things_by_sentence()
        for seg in sorted(by_seg):
            found: dict[str, _Found] = {}
            line = -1
            for k in by_seg[seg]:
                sent = doc.sentences[k]
                for key in things.get(k, ()):
                    self.ctx.note(seg, key)
                if k not in hits:
                    continue  # no cue: nothing to judge (most sentences)
                here = doc.norm.rfind("\n", 0, sent.start) + 1
                if here != line:  # one judgement per (line, source), as the gold counts them
                    self.flush(found, seg)
                    line = here
                last: list[str] = []  # the targets of this sentence's previous cue
                for cs, ce, pol in _sentence_cues(doc, sent, hits[k]):
                    if seg == 0 and doc.in_quote(cs):
                        continue  # a quoted speaker's words are not the author's verdict
                    keys = self.target(sent, (cs, ce), last) or last
                    last = keys
                    for key in keys:
                        self.ctx.note(seg, key)
                        f = found.get(key)
                        if f is not None and sent.end - f.first > MAX_SPAN:
                            self.flush({key: found.pop(key)}, seg)  # a run-on line: cut it
                            f = None
                        if f is None:
                            f = found[key] = _Found(cue=(cs, ce), first=sent.start, last=sent.end)
                        if pol == "mixed":
                            f.polarities |= {"positive", "negative"}
                        else:
                            f.polarities.add(pol)
                        f.last = sent.end
            self.flush(found, seg)

    def flush(self, found: dict[str, _Found], seg: int) -> None:
        """One judgement for each source of ``found`` (which is emptied)."""
        doc = self.doc
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
        found.clear()


def judge(doc: Doc, ctx: SourceContext | None = None) -> Doc:
    """Fill ``doc.judgements``."""
    _Judge(doc, ctx or doc.context or SourceContext(doc)).read()
    return doc
