"""The state and the shared steps of reading claims: the compiled frame rules, who an entity
speaks as, the reported content, its modality, and the making of a Claim record.

The frames themselves are split by mechanism into speakers.py (who made the statement),
channels.py (through which outlet or platform) and frames.py (which words frame a claim);
each is a mixin of ``ClaimReader``. ``agent_of`` holds the gold CONVENTIONS for the two
slots: a person speaks, a medium relays, an official body issuing its own statement is the
relay with no speaker, any other organisation fills both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .affiliation import media_affiliations
from .dates import DATE_RX, find_dates
from .doc import Doc, EntityState, Sentence
from .lexicon import (
    OPEN_QUOTES,
    alternation,
    load_lexicon,
    lower_pattern,
)
from .model import Claim, ModalityName, Span
from .references import SourceContext


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
    denial: re.Pattern[str]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    lex = load_lexicon()
    nouns = alternation(lex.unnamed_nouns)
    ref_nouns = alternation(list(lex.references))
    # "Says he after ...": a verb may open its sentence (checked in verb_frame)
    capitalised = [v[0].upper() + v[1:] for v in lex.report_verbs if " " not in v]
    return _Rules(
        verb=re.compile(
            rf"(?<![\w'-])(?P<verb>{alternation([*lex.report_verbs, *capitalised])})(?![\w'-])"
        ),
        kinds=lex.report_verbs,
        negated=re.compile(
            rf"(?:n't|(?<![\w'-]){alternation(lex.negations)})(?:\W+\w+){{0,2}}\W*$", re.IGNORECASE
        ),
        aux_tail=re.compile(
            rf"(?<![\w'-])(?:{alternation(lex.auxiliaries)}|[a-z]{{3,}}ly)[\s,]*$", re.IGNORECASE
        ),
        pronoun_tail=re.compile(rf"(?<![\w'-])(?P<p>{alternation(lex.subject_pronouns)})\s*$"),
        excluded_tail=re.compile(rf"(?<![\w'-]){alternation(lex.speaker_excluded)}\s*$"),
        unnamed_tail=re.compile(
            r"(?:^|[,;:(]\s*|(?<![\w-])(?:and|but|while|whereas|however|meanwhile|as|that|when|where|since)\s+)"
            rf"(?P<np>(?:[^\s,;:()\"\u201c\u201d]+\s+){{0,4}}?(?i:{nouns})"
            r"(?:\s+(?:of|in|from|near|inside|across|at|reached|contacted|interviewed|speaking|familiar|"
            r"close|based|living|working|who)\s+[^,;:()\"\u201c\u201d]{1,50}?)?)\s*$"
        ),
        group_tail=re.compile(
            r"(?<![\w-])(?P<ref>[Tt]he\s+(?P<noun>group|militia|movement|faction|organi[sz]ation|force|forces|army|"
            r"military|ministry|agency|outlet|channel|newspaper|monitor|observatory|office|body|coalition|alliance|"
            r"administration|government|command|council|authorities|rebels|militants|insurgents|fighters|"
            r"jihadists|paramilitaries|mission|firm|company))\s*$"
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
        denial=re.compile(
            rf",\s*(?:an?|the)\s+(?:\w+\s+)?(?:{alternation(lex.denied_objects)})\s+(?:that\s+|which\s+)?"
            r"(?P<subj>[^,;:]{2,60}?)\s+(?:(?:has|have|had|was|were)\s+)?(?:[a-z]+ly\s+)?"
            r"(?P<verb>denied|rejected|disputed|dismissed|refuted|denies|rejects|disputes|dismisses)\b"
        ),
        unnamed_before=re.compile(
            r"(?:^|[,;:(]\s*|(?<![\w-])(?:and|but|while|whereas|however|meanwhile|as|that|when)\s+)"
            rf"(?P<np>(?:[^\s,;:()\"\u201c\u201d]+\s+){{0,3}}?(?i:{nouns}))\s+(?:at|from|with|of|for|in)\s+(?:the\s+)?$"
        ),
        ref_tail=re.compile(
            rf"(?<![\w-])(?P<ref>(?:[Tt]he|[Tt]his|[Tt]hat|[Tt]heir|[Yy]our)\s+(?:\w+\s+)?(?P<noun>{ref_nouns}))\s*$"
        ),
    )


@lru_cache(maxsize=1)
def _lower_modality() -> tuple[re.Pattern[str] | None, ...]:
    """The modality markers as case-exact patterns for lower-cased ASCII text (None for
    a pattern that is not plain ASCII: case folding outside ASCII has its own rules)."""
    return tuple(
        re.compile(lower_pattern(rx.pattern), rx.flags & ~re.IGNORECASE)
        if rx.pattern.isascii()
        else None
        for _, rx in load_lexicon().modality
    )


_THAT_START = re.compile(r"(?:that|whether|how|if)\b")


_THAT_HERE = re.compile(r"that\s+")


# what may follow the verb of a trailing frame: nothing, or when, where and how it was said
_TRAILING_REST = re.compile(
    r"\s*(?:$|[.,;:!?\u2026]|(?:on|in|at|last|yesterday|today|earlier|later|late|early|"
    r"after|before|while|when|according|citing|quoting|adding|via|through|during)\b"
    r"|this (?:morning|afternoon|evening|week|month|year)\b)"
)


_OWNER_TAIL = re.compile(r"\s*[\w'-]+'s\s*$")


_OWNER_REACH = 80  # a possessive owner ("Ukraine's") is one word: look this far back only


def _strip_owner(t: str, start: int, end: int) -> str:
    """``t[start:end]`` without a trailing possessive word, right-stripped. Only the last
    ``_OWNER_REACH`` characters are searched: a ``$``-anchored pattern searched along a
    whole clause would retry from every character (quadratic on one long token)."""
    lo = max(start, end - _OWNER_REACH)
    m = _OWNER_TAIL.search(t, lo, end)
    return t[start : m.start() if m else end].rstrip()


_CONTENT_TAIL = re.compile(
    r",\s*(?:telling|speaking to|adding|according to|citing|quoting|in an interview with)\b"
    r"|,\s*(?:a|an)\s+(?:\w+\s+)?(?:claim|charge|allegation|accusation|report|assertion|account)s?\s"
)


_IN_A_STATEMENT = re.compile(
    r"(?:in|on)\s+(?:an?|its|his|her|their)\s+(?:[\w-]+\s+){0,2}?(?:report|statement|video|post|"
    r"message|interview|speech|address|briefing|update|communiqu\u00e9|communique)\b"
    r"[^,;:.]{0,60}?\s+that\s+"
)


_ISSUERS = frozenset({"MilitaryForce", "OfficialBody"})


@dataclass
class _Agent:
    """A resolved speaker or channel; ``org`` is set when an organisation speaks for itself."""

    speaker: str | None = None
    via: str | None = None
    org: str | None = None
    implicit: bool = False  # ``via`` is only the speaker's organisation ("a WFP spokeswoman")

    def with_via(self, via: str) -> _Agent:
        """The same statement carried by ``via`` ("said on Telegram", "told Reuters")."""
        if self.org:  # the organisation becomes the speaker, the channel the relay
            return _Agent(self.org, via)
        if self.implicit:
            return _Agent(self.speaker, via)
        if self.speaker and self.via in (None, self.speaker):
            return _Agent(self.speaker, via)
        if self.speaker is None and self.via is None:
            return _Agent(None, via)
        return self


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


class ClaimReader:
    """One document's text, rules and the claims read so far; how a claim is made."""

    def __init__(self, doc: Doc, ctx: SourceContext) -> None:
        self.doc = doc
        self.ctx = ctx
        self.r = _rules()
        self.lex = load_lexicon()
        self.text = _unquoted(doc) if doc.quotes else doc.norm
        self.last: dict[int, _Agent] = {}  # segment -> agent of its last claim
        self.last_claim: dict[int, Claim] = {}  # segment -> its last claim
        self.recent: dict[int, list[str]] = {}  # segment -> organisations that spoke, in order
        self.starts: list[int] = []
        self.affiliation = media_affiliations(doc)

    # ------------------------------------------------------------------ agents
    def agent_of(self, ent: EntityState) -> _Agent:
        """Person: the speaker. Medium: the relay. An official body issuing its own
        statement: the relay, speaker null (gold CONVENTIONS). Any other organisation
        (armed group, state, party): both, since annotators put it in either slot."""
        if ent.is_person:
            outlet = self.affiliation.get(ent.key)  # "BBC reporter X": X speaks through the BBC
            return _Agent(speaker=ent.key, via=outlet, implicit=outlet is not None)
        if ent.is_media:
            return _Agent(via=ent.key)
        if "OfficialBody" in ent.types and not ent.types & {"ArmedGroup", "State"}:
            return _Agent(via=ent.key, org=ent.key)
        return _Agent(speaker=ent.key, via=ent.key, org=ent.key)

    def unnamed(self, s: int, e: int, *, according: bool = False) -> _Agent:
        phrase = self.doc.norm[s:e].strip()
        heads = [m.group(0).lower() for m in self.r.unnamed_head.finditer(phrase)]
        head = heads[-1] if heads else ""
        channel = head not in self.lex.unnamed_people
        ent = self.doc.unnamed(s, e, channel=channel)
        if according:
            return _Agent(speaker=ent.key) if not channel else _Agent(via=ent.key)
        return _Agent(speaker=ent.key, via=ent.key if channel else None)

    def negated(self, lo: int, pos: int) -> bool:
        """A negation just before the frame at ``pos`` ("didn't mention"), not one inside a
        name ("Doctors Without Borders said")."""
        m = self.r.negated.search(self.text, max(lo, pos - 30), pos)
        return m is not None and not self.doc.overlaps_mention(m.start(), m.start() + 1)

    # ------------------------------------------------------------------ claim parts
    def content(
        self, sent: Sentence, after: int, verb_start: int, subj_start: int | None = None
    ) -> tuple[int, int]:
        """The reported clause: a quote that opens the sentence, the clause before a
        trailing frame ("..., the group said on Monday."), else what follows the verb."""
        doc, t = self.doc, self.text
        s0 = sent.start
        if doc.norm[s0] in OPEN_QUOTES or doc.norm[s0] == '"':
            for qs, qe in doc.quotes:
                if qs == s0 and qe <= verb_start:
                    a, b = qs + 1, qe - 1
                    while b > a and doc.norm[b - 1] in ",. ":
                        b -= 1
                    return (a, b) if a < b else (sent.start, sent.end)
        if subj_start is not None and subj_start > s0:
            lead = _strip_owner(t, s0, subj_start)  # "..., Ukraine's General Staff"
            rest = t[after : sent.end].strip(" .!?\u2026")
            # a trailing frame has next to nothing after its verb ("..., X said on Monday.");
            # "X refuted ... and its spokesman, Y, called it lies" is a frame of its own
            if (
                lead.endswith(",")
                and len(lead) > 12
                and not _THAT_START.match(rest)
                and _TRAILING_REST.match(rest)
            ):
                b = s0 + len(lead) - 1
                while b > s0 and doc.norm[b - 1] == " ":
                    b -= 1
                return (s0, b)
        a = after
        while True:  # a date or a "that" right after the verb is not what was said
            while a < sent.end and doc.norm[a] in " ,:;\u2013\u2014-":
                a += 1
            dm = DATE_RX.match(doc.norm, a, sent.end)
            if dm and dm.end() > a:
                a = dm.end()
                continue
            tm = _THAT_HERE.match(t, a, sent.end) or _IN_A_STATEMENT.match(t, a, sent.end)
            if tm:
                a = tm.end()
                continue
            break
        b = sent.end
        tail = _CONTENT_TAIL.search(t, a, sent.end)  # ", telling Reuters that ..."
        if tail:
            b = tail.start()
        while b > a and doc.norm[b - 1] in ".!?\u2026 ,":
            b -= 1
        return (a, b) if a < b else (sent.start, sent.end)

    def modality(self, kind: str, a: int, b: int) -> ModalityName:
        if kind in {"deny", "doubt"}:
            return "doubted"
        best: tuple[int, ModalityName] | None = None
        # on plain ASCII the case-blind markers can be read in the lower-cased twin by
        # case-exact patterns, which ``re`` runs several times faster (other scripts
        # have case rules of their own: the case-blind search reads those)
        ascii_only = self.doc.norm[a:b].isascii()
        for (value, rx), lower_rx in zip(self.lex.modality, _lower_modality(), strict=True):
            if value == "doubted":
                continue
            if ascii_only and lower_rx is not None:
                m = lower_rx.search(self.doc.low, a, b)
            else:
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
        contradicts: Span | None = None,
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
        for key in {agent.speaker, agent.via, agent.org} - {None}:
            ent = doc.entities[key]  # type: ignore[index]  # None removed above
            if not ent.is_person and not ent.is_unnamed:
                if ent.types & _ISSUERS:  # an army or official body issuing statements
                    ent.roles.add("source")
                self.recent.setdefault(seg, []).append(ent.key)
        self.last[seg] = agent
        claim = Claim(
            span=doc.span(sent.start, sent.end),
            content=doc.span(a, b),
            cue=doc.span(*cue),
            segment=seg,
            speaker=agent.speaker,
            via=agent.via,
            date=date_span,
            date_value=date_value,
            modality="doubted" if contradicts is not None else self.modality(kind, a, b),
            about=about,
            contradicts=contradicts,
        )
        self.last_claim[seg] = claim
        return claim
