"""Stage 3: attributed claims, i.e. reported statements with an explicit reporting frame.

Frames, tried in this order in each sentence: a reporting verb with a subject ("X told
Reuters that ...", "“...,” X said", "he added"), "according to X", "as stated in a
comment above", and the passive "were reported". The speaker is who made the statement,
``via`` the channel that carried it ("X told Reuters": speaker X, via Reuters). An
organisation that issues its own statement is both. Unnamed agents ("Syrian sources")
become document-local entities named as written. Negated frames, questions and the
commenter's own "I think" are not claims.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from .dates import find_dates
from .doc import Doc, EntityState, Sentence
from .lexicon import OPEN_QUOTES, alternation, load_lexicon
from .model import Claim, ModalityName
from .references import SourceContext

_ARMED = frozenset({"ArmedGroup", "MilitaryForce", "PoliticalOrganisation"})
_OFFICIAL = frozenset({"OfficialBody", "MilitaryForce", "PoliticalOrganisation"})
_MEDIA = frozenset({"NewsAgency", "NewsOutlet", "Website", "Map"})
# the classes "the <noun>" can refer back to
_GROUP_NOUN_TYPES: dict[str, frozenset[str]] = {
    "group": _ARMED,
    "militia": _ARMED,
    "movement": _ARMED,
    "faction": _ARMED,
    "force": _ARMED,
    "forces": _ARMED,
    "army": frozenset({"MilitaryForce"}),
    "military": frozenset({"MilitaryForce"}),
    "ministry": _OFFICIAL,
    "office": _OFFICIAL,
    "body": _OFFICIAL,
    "command": _OFFICIAL,
    "administration": _OFFICIAL,
    "council": _OFFICIAL,
    "agency": _MEDIA | {"OfficialBody"},
    "outlet": _MEDIA,
    "channel": _MEDIA,
    "newspaper": _MEDIA,
    "monitor": _MEDIA | {"OfficialBody"},
    "observatory": _MEDIA | {"OfficialBody"},
    "government": frozenset({"State", "OfficialBody"}),
    "authorities": frozenset({"State", "OfficialBody"}),
}


@dataclass(frozen=True)
class _Rules:
    verb: re.Pattern[str]
    kinds: dict[str, str]
    negated: re.Pattern[str]
    aux_tail: re.Pattern[str]
    pronoun_tail: re.Pattern[str]
    excluded_tail: re.Pattern[str]
    unnamed_tail: re.Pattern[str]
    unnamed_head: re.Pattern[str]
    according: re.Pattern[str]
    comment_ref: re.Pattern[str]
    passive: re.Pattern[str]
    via_after: re.Pattern[str]
    that: re.Pattern[str]
    question: re.Pattern[str]
    ref_tail: re.Pattern[str]
    unnamed_before: re.Pattern[str]
    group_tail: re.Pattern[str]
    ref_phrase: re.Pattern[str]
    by_agent: re.Pattern[str]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    lex = load_lexicon()
    nouns = alternation(lex.unnamed_nouns)
    ref_nouns = alternation(list(lex.references))
    return _Rules(
        verb=re.compile(rf"(?<![\w'-])(?P<verb>{alternation(list(lex.report_verbs))})(?![\w'-])"),
        kinds=lex.report_verbs,
        negated=re.compile(
            rf"(?:n't|(?<![\w'-]){alternation(lex.negations)})(?:\W+\w+){{0,2}}\W*$", re.IGNORECASE
        ),
        aux_tail=re.compile(rf"(?<![\w'-]){alternation(lex.auxiliaries)}[\s,]*$", re.IGNORECASE),
        pronoun_tail=re.compile(rf"(?<![\w'-])(?P<p>{alternation(lex.subject_pronouns)})\s*$"),
        excluded_tail=re.compile(rf"(?<![\w'-]){alternation(lex.speaker_excluded)}\s*$"),
        unnamed_tail=re.compile(
            r"(?:^|[,;:(]\s*|(?<![\w-])(?:and|but|while|whereas|however|meanwhile|as|that|when|where|since)\s+)"
            rf"(?P<np>(?:[^\s,;:()\"\u201c\u201d]+\s+){{0,4}}?(?i:{nouns})"
            r"(?:\s+(?:of|in|from|near|inside|across)\s+[^,;:()\"\u201c\u201d]{1,40}?)?)\s*$"
        ),
        group_tail=re.compile(
            r"(?<![\w-])(?P<ref>[Tt]he\s+(?P<noun>group|militia|movement|faction|organi[sz]ation|force|forces|army|"
            r"military|ministry|agency|outlet|channel|newspaper|monitor|observatory|office|body|coalition|alliance|"
            r"administration|government|command|council|authorities))\s*$"
        ),
        unnamed_head=re.compile(rf"(?i)(?<![\w-]){nouns}(?![\w-])"),
        according=re.compile(
            rf"(?<![\w'-])(?P<acc>{alternation(lex.according)})\s+(?P<src>[^,.;:!?()\"\u201c\u201d\n]{{2,90}})"
        ),
        comment_ref=re.compile(
            rf"(?P<acc>{'|'.join(lex.comment_refs)})(?P<src>[^,.;:!?()\"\u201c\u201d\n]{{2,60}})"
        ),
        passive=re.compile(rf"(?<![\w'-])(?:{'|'.join(lex.passive)})(?![\w'-])"),
        via_after=re.compile(rf"\s*,?\s*(?:{'|'.join(lex.via_preps)})\s+(?:the\s+)?"),
        that=re.compile(r"(?<![\w'-])that\s+"),
        question=re.compile(r"\?[\s.!\"\u201d')\]]*$"),
        ref_phrase=re.compile(rf"(?:the|this|that)\s+(?:\w+\s+)?(?P<noun>{ref_nouns})\b"),
        by_agent=re.compile(r"\s+by\s+(?:the\s+)?"),
        unnamed_before=re.compile(
            r"(?:^|[,;:(]\s*|(?<![\w-])(?:and|but|while|whereas|however|meanwhile|as|that|when)\s+)"
            rf"(?P<np>(?:[^\s,;:()\"\u201c\u201d]+\s+){{0,3}}?(?i:{nouns}))\s+(?:at|from|with|of|for|in)\s+(?:the\s+)?$"
        ),
        ref_tail=re.compile(
            rf"(?<![\w-])(?P<ref>(?:[Tt]he|[Tt]his|[Tt]hat|[Tt]heir|[Yy]our)\s+(?:\w+\s+)?(?P<noun>{ref_nouns}))\s*$"
        ),
    )


# A frame of that kind cannot match unless one of these is in the lower-cased text.
_ACCORDING_KEYS = ("according to", "reported by", "citing", "cited by", "quoting", "words of")
_PASSIVE_KEYS = (
    "reported",
    "claimed",
    "alleged",
    "rumo",
    "said to",
    "is said",
    "was said",
    "believed",
)

# Trailing words that cut an unnamed phrase after "according to".
_SRC_CUT = re.compile(
    r"\s(?:in|on|at|who|which|that|from|during|after|before|with|while|and|but|for|to|as|if|because|since)\s"
)


@dataclass
class _Agent:
    """A resolved speaker or channel."""

    speaker: str | None = None
    via: str | None = None


def _unquoted(doc: Doc) -> str:
    """The normalised text with the inside of every quotation blanked (same length)."""
    pieces, last = [], 0
    for s, e in sorted(doc.quotes):
        s = max(s + 1, last)
        if s >= e - 1:
            continue
        pieces.append(doc.norm[last:s])
        pieces.append(" " * (e - 1 - s))
        last = e - 1
    pieces.append(doc.norm[last:])
    return "".join(pieces)


class _Reader:
    """Reads the claims of one document, sentence by sentence."""

    def __init__(self, doc: Doc, ctx: SourceContext) -> None:
        self.doc = doc
        self.ctx = ctx
        self.r = _rules()
        self.lex = load_lexicon()
        self.text = _unquoted(doc) if doc.quotes else doc.norm
        self.last: dict[int, _Agent] = {}  # segment -> agent of its last claim
        self.starts: list[int] = []

    # ------------------------------------------------------------------ agents
    def agent_of(self, ent: EntityState) -> _Agent:
        if ent.is_person:
            return _Agent(speaker=ent.key)
        if ent.is_media:
            return _Agent(via=ent.key)
        return _Agent(speaker=ent.key, via=ent.key)

    def unnamed(self, s: int, e: int, *, according: bool = False) -> _Agent:
        phrase = self.doc.norm[s:e].strip()
        heads = [m.group(0).lower() for m in self.r.unnamed_head.finditer(phrase)]
        head = heads[-1] if heads else ""
        channel = head not in self.lex.unnamed_people
        ent = self.doc.unnamed(s, e, channel=channel)
        if according:
            return _Agent(speaker=ent.key if not channel else None, via=ent.key)
        return _Agent(speaker=ent.key, via=ent.key if channel else None)

    def subject(self, sent: Sentence, pos: int, kind: str) -> tuple[_Agent, int] | None:
        """Who governs the verb at ``pos``: (agent, start of the subject) or None."""
        doc, t, r = self.doc, self.text, self.r
        p = pos
        while p > sent.start and t[p - 1].isspace():
            p -= 1
        for _ in range(4):
            m = r.aux_tail.search(t, max(sent.start, p - 40), p)
            if not m:
                break
            p = m.start()
            while p > sent.start and t[p - 1].isspace():
                p -= 1
        if p > sent.start and t[p - 1] == ",":
            inner = p - 1
            while inner > sent.start and t[inner - 1].isspace():
                inner -= 1
            m = doc.mention_ending_at(inner)
            if (
                m is not None
                and doc.entities[m.entity].is_person
                and t[max(sent.start, m.span.start - 2) : m.span.start].strip() == ","
            ):
                p = inner  # "The governor of X, Oleh Kiper, said": the name is the appositive
            else:  # "X, co-chair of Y, said": skip the appositive back to X
                q = t.rfind(",", max(sent.start, p - 140), p - 1)
                if q > sent.start:
                    p = q
                    while p > sent.start and t[p - 1].isspace():
                        p -= 1
        m = doc.mention_ending_at(p)
        if m is not None:
            ent = doc.entities[m.entity]
            if kind in {"doubt", "think"} and doc.segment_at(pos) != 0:
                return None
            um = (
                r.unnamed_before.search(t[sent.start : m.span.start]) if not ent.is_person else None
            )
            if um:  # "Analysts at the Institute for the Study of War believe"
                s0 = sent.start + um.start("np")
                phrase = self.unnamed(s0, m.span.end)
                via = ent.key if ent.is_source_typed else None
                return _Agent(speaker=phrase.speaker or phrase.via, via=via), s0
            return self.agent_of(ent), m.span.start
        if kind in {"doubt", "think"} and doc.segment_at(pos) != 0:
            return None
        lo = max(sent.start, p - 60)
        if r.excluded_tail.search(t, lo, p):
            return None
        pm = r.pronoun_tail.search(t, lo, p)
        if pm:
            if kind in {"doubt", "think"}:
                return None
            seg = doc.segment_at(pos)
            prev = self.last.get(seg)
            if prev:
                return _Agent(prev.speaker, prev.via), pm.start()
            word = pm.group("p").lower()
            if word in {"he", "she"}:
                key = self.ctx.pronoun(True, pos, seg)
                if key:
                    return _Agent(speaker=key), pm.start()
            return None
        rm = r.ref_tail.search(t, lo, p)
        seg = doc.segment_at(pos)
        if rm and seg != 0:
            key = self.ctx.reference(rm.group("noun"), pos, seg)
            if key:
                return _Agent(via=key), rm.start()
            return None
        gm = r.group_tail.search(t, lo, p)
        if gm:  # "..., the group said": the last organisation named before
            key = self.last_org(gm.group("noun").lower(), gm.start())
            if key:
                return self.agent_of(doc.entities[key]), gm.start()
        left = t[sent.start : p]
        um = r.unnamed_tail.search(left)
        if um:
            np = um.group("np")
            if re.search(r"(?i)(?<![\w'])(?:my|your|our|I|we|you)(?![\w'])", np):
                return None
            s = sent.start + um.start("np")
            return self.unnamed(s, sent.start + um.end("np")), s
        return None

    def last_org(self, noun: str, pos: int) -> str | None:
        """The organisation that 'the group' / 'the ministry' at ``pos`` refers back to."""
        doc = self.doc
        seg = doc.segments[doc.segment_at(pos)].span
        k = bisect.bisect_right(self.starts, pos) - 1
        sent_start = doc.sentences[k].start if k >= 0 else seg.start
        wanted = _GROUP_NOUN_TYPES.get(noun)

        def fits(key: str) -> bool:
            ent = doc.entities[key]
            if ent.is_person or ent.is_unnamed or ("State" in ent.types and noun != "government"):
                return False
            return wanted is None or bool(ent.types & wanted)

        # the subject of the same sentence first ("X did Y, the group said"), then the last before
        for m in doc.mentions_in(sent_start, pos):
            if fits(m.entity):
                return m.entity
        for m in reversed(doc.mentions_in(seg.start, sent_start)):
            if fits(m.entity):
                return m.entity
        return None

    def via_after(self, start: int, end: int, tell: bool) -> tuple[str | None, int]:
        """A channel named right after the verb ("told Reuters", "in an interview with X")."""
        doc, t = self.doc, self.text
        p = start
        while p < end and t[p] == " ":
            p += 1
        if tell:
            q = p + 4 if t.startswith("the ", p) else p
            m = doc.mention_starting_at(q)
            if m is not None:
                ent = doc.entities[m.entity]
                if ent.is_source_typed and not ent.is_unnamed:
                    return ent.key, m.span.end
                return None, start
            nm = re.match(r"(?:[\w'-]+\s+){0,3}?(?P<head>[\w'-]+)(?=[\s,.;:]|$)", t[p:end])
            if nm and nm.group("head").lower() in self.lex.channel_nouns:
                ent = doc.unnamed(p, p + nm.end(), channel=True)
                return ent.key, p + nm.end()
            return None, start
        vm = self.r.via_after.match(t, start, min(end, start + 80))
        if vm:
            m = doc.mention_starting_at(vm.end())
            if m is not None and doc.entities[m.entity].is_source_typed:
                return m.entity, m.span.end
        return None, start

    # ------------------------------------------------------------------ claim parts
    def content(self, sent: Sentence, after: int, verb_start: int) -> tuple[int, int]:
        doc, t = self.doc, self.text
        s0 = sent.start
        if doc.norm[s0] in OPEN_QUOTES or doc.norm[s0] == '"':
            for qs, qe in doc.quotes:
                if qs == s0 and qe <= verb_start:
                    a, b = qs + 1, qe - 1
                    while b > a and doc.norm[b - 1] in ",. ":
                        b -= 1
                    return (a, b) if a < b else (sent.start, sent.end)
        tm = self.r.that.search(t, after, min(sent.end, after + 100))
        a = tm.end() if tm else after
        while a < sent.end and doc.norm[a] in " ,:;\u2013\u2014-":
            a += 1
        b = sent.end
        while b > a and doc.norm[b - 1] in ".!?\u2026 ":
            b -= 1
        return (a, b) if a < b else (sent.start, sent.end)

    def modality(self, kind: str, a: int, b: int) -> ModalityName:
        if kind in {"deny", "doubt"}:
            return "doubted"
        best: tuple[int, ModalityName] | None = None
        for value, rx in self.lex.modality:
            if value == "doubted":
                continue
            m = rx.search(self.doc.norm, a, b)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), value)  # type: ignore[assignment]  # values come from the data file
        return best[1] if best else "asserted"

    def make(
        self,
        sent: Sentence,
        agent: _Agent,
        cue: tuple[int, int],
        content: tuple[int, int],
        kind: str,
    ) -> Claim:
        doc = self.doc
        seg = sent.segment
        a, b = content
        dates = [
            d
            for d in find_dates(doc.norm, sent.start, sent.end, doc.document_date)
            if d[1] <= a or d[0] >= b or (a, b) == (sent.start, sent.end)
        ]
        date_span, date_value = None, None
        if dates:
            d = min(dates, key=lambda d: min(abs(d[0] - cue[0]), abs(d[1] - cue[1])))
            date_span, date_value = doc.span(d[0], d[1]), d[2]
        about = tuple(
            dict.fromkeys(
                m.entity
                for m in doc.mentions_in(a, b)
                if not doc.entities[m.entity].is_unnamed and m.entity not in {agent.speaker}
            )
        )
        if agent.via and doc.entities[agent.via].is_source_typed:
            doc.entities[agent.via].roles.add("source")  # a channel; a speaker alone stays an actor
        self.last[seg] = agent
        return Claim(
            span=doc.span(sent.start, sent.end),
            content=doc.span(a, b),
            cue=doc.span(*cue),
            segment=seg,
            speaker=agent.speaker,
            via=agent.via,
            date=date_span,
            date_value=date_value,
            modality=self.modality(kind, a, b),
            about=about,
        )

    # ------------------------------------------------------------------ frames
    def verb_frame(self, sent: Sentence, found: list[re.Match[str]]) -> Claim | None:
        t, r = self.text, self.r
        for vm in found:
            verb = vm.group("verb")
            kind = r.kinds[verb]
            if r.negated.search(t, max(sent.start, vm.start() - 30), vm.start()):
                continue
            subj = self.subject(sent, vm.start(), kind)
            cue_start = vm.start()
            if subj is None:
                # "“...,” said X" / "said the ministry"
                if not re.search(
                    r"[\u201d\"],?\s*$", t[max(sent.start, vm.start() - 4) : vm.start()]
                ):
                    continue
                m = self.doc.mention_starting_at(vm.end() + 1)
                if m is None:
                    continue
                agent = self.agent_of(self.doc.entities[m.entity])
            else:
                agent, subj_start = subj
                if (
                    t[subj_start : vm.start()].lower().startswith(("the ", "this ", "that "))
                    and agent.via
                    and not agent.speaker
                ):
                    cue_start = subj_start  # "the article points out"
            via, cue_end = self.via_after(vm.end(), sent.end, kind == "tell")
            if via and (agent.via is None or agent.via == agent.speaker):
                agent = _Agent(agent.speaker, via)
            content = self.content(sent, max(cue_end, vm.end()), vm.start())
            return self.make(sent, agent, (cue_start, max(cue_end, vm.end())), content, kind)
        return None

    def according_frame(self, sent: Sentence, found: list[re.Match[str]]) -> Claim | None:
        doc, t = self.doc, self.text
        m = found[0]
        s = m.start("src")
        if t.startswith("the ", s):
            s += 4
        src_end = m.end("src")
        cut = _SRC_CUT.search(t, s, src_end)
        if cut:
            src_end = cut.start()
        while src_end > s and t[src_end - 1] in " .":
            src_end -= 1
        mention = doc.mention_starting_at(s)
        if mention is not None:
            # "the UN humanitarian office OCHA": the last name of a lower-case-linked chain
            for later in doc.mentions_in(mention.span.end, src_end):
                gap = t[mention.span.end : later.span.start]
                if re.fullmatch(r"(?:\s+[a-z][\w'-]*){1,4}\s+", gap):
                    mention = later
        agent: _Agent | None = None
        if mention is not None:
            ent = doc.entities[mention.entity]
            agent = _Agent(speaker=ent.key) if ent.is_person else self.agent_of(ent)
            if not ent.is_person:
                agent = _Agent(agent.speaker, ent.key)
            src_end = max(
                mention.span.end, src_end if src_end <= mention.span.end else mention.span.end
            )
        else:
            phrase = t[m.start("src") : src_end].strip()
            low = phrase.lower()
            if low in {"him", "her", "them", "it"}:
                prev = self.last.get(sent.segment)
                if prev is None:
                    return None
                agent = _Agent(prev.speaker, prev.via)
            else:
                rm = self.r.ref_phrase.match(low)
                if rm and sent.segment != 0:
                    key = self.ctx.reference(rm.group("noun"), m.start(), sent.segment)
                    if key is None:
                        return None
                    agent = _Agent(via=key)
                else:
                    if not phrase or re.search(
                        r"(?i)(?<![\w'])(?:my|me|I|you|your)(?![\w'])", phrase
                    ):
                        return None
                    agent = self.unnamed(m.start("src"), src_end, according=True)
        cue = (m.start(), src_end)
        before = t[sent.start : m.start()].strip(" ,")
        if before and len(before) > 3:
            content = (sent.start, sent.start + len(t[sent.start : m.start()].rstrip(" ,")))
        else:
            comma = t.find(",", src_end, sent.end)
            content = self.content(sent, comma + 1 if comma >= 0 else src_end, m.start())
        return self.make(sent, agent, cue, content, "say")

    def comment_ref_frame(self, sent: Sentence, found: list[re.Match[str]]) -> Claim | None:
        doc, t = self.doc, self.text
        # the pattern starts with a letter so `re` skips fast; the word boundary is checked here
        found = [m for m in found if m.start() == 0 or not t[m.start() - 1].isalnum()]
        if not found:
            return None
        m = found[0]
        s, e = m.start("src"), m.end("src")
        while e > s and t[e - 1] == " ":
            e -= 1
        mention = doc.mention_starting_at(s + 4 if t.startswith("the ", s) else s)
        if mention is not None:
            agent = self.agent_of(doc.entities[mention.entity])
        else:
            ent = doc.unnamed(s, e, channel=False)
            agent = _Agent(speaker=ent.key)
        comma = t.find(",", e, sent.end)
        content = self.content(sent, comma + 1 if comma >= 0 else e, m.start())
        return self.make(sent, agent, (m.start(), e), content, "say")

    def passive_frame(self, sent: Sentence, found: list[re.Match[str]]) -> Claim | None:
        doc, t = self.doc, self.text
        m = found[0]
        if self.r.negated.search(t, max(sent.start, m.start() - 30), m.start()):
            return None
        agent = _Agent()
        bm = self.r.by_agent.match(t, m.end())
        end = m.end()
        if bm:
            mention = doc.mention_starting_at(bm.end())
            if mention is not None:
                agent = self.agent_of(doc.entities[mention.entity])
                end = mention.span.end
        content = (sent.start, sent.end)
        tm = self.r.that.match(t, m.end() + 1) if t[m.end() : m.end() + 1] == " " else None
        if tm:
            content = self.content(sent, m.end(), m.start())
        return self.make(sent, agent, (m.start(), end), content, "say")

    def _bucket(
        self, rx: re.Pattern[str], low: str = "", keys: tuple[str, ...] = ()
    ) -> dict[int, list[re.Match[str]]]:
        """Matches of ``rx`` grouped by sentence; skipped when none of ``keys`` is in ``low``."""
        if keys and not any(k in low for k in keys):
            return {}
        sents, starts = self.doc.sentences, self.starts
        out: dict[int, list[re.Match[str]]] = {}
        for m in rx.finditer(self.text):
            k = bisect.bisect_right(starts, m.start()) - 1
            if k >= 0 and m.end() <= sents[k].end:
                out.setdefault(k, []).append(m)
        return out

    def read(self) -> None:
        doc, r = self.doc, self.r
        self.starts = [s.start for s in doc.sentences]
        low = doc.low
        frames = [
            (self.verb_frame, self._bucket(r.verb)),
            (self.according_frame, self._bucket(r.according, low, _ACCORDING_KEYS)),
            (self.comment_ref_frame, self._bucket(r.comment_ref)),
            (self.passive_frame, self._bucket(r.passive, low, _PASSIVE_KEYS)),
        ]
        candidates = sorted({k for _, b in frames for k in b})
        for k in candidates:
            sent = doc.sentences[k]
            if r.question.search(doc.norm, sent.start, sent.end):
                continue
            for frame, bucket in frames:
                if k not in bucket:
                    continue
                claim = frame(sent, bucket[k])
                if claim is not None:
                    doc.claims.append(claim)
                    break


def attribute(doc: Doc, ctx: SourceContext | None = None) -> Doc:
    """Fill ``doc.claims``."""
    _Reader(doc, ctx or doc.context or SourceContext(doc)).read()
    return doc
