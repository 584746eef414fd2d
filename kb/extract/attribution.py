"""Stage 3: attributed claims, i.e. reported statements with an explicit reporting frame.

Frames, tried in this order in each clause: a reporting verb with a subject ("X told
Reuters that ...", "“...,” X said", "..., the group said on Monday", "he added"),
"according to X", "as stated in a comment above", and the passive "were reported". A
sentence with two frames ("Ukraine says ...; Moscow claims ...", "RSF claims ... as Houthis
say ...") is read as two clauses.

The speaker is who made the statement, ``via`` the channel that carried it ("X told
Reuters": speaker X, via Reuters). The channel may stand after the verb ("said on X",
"in a speech broadcast by the group's Al-Masirah TV"), after its object ("claimed the
attack in a statement on its Telegram channel", ", telling Suspilne"), before the subject
("In a statement read on state broadcaster ORTM, ..."), or in "according to X" after a
verb frame ("JNIM claimed ..., according to SITE": speaker JNIM, via SITE). An outlet
"citing"/"quoting" someone relays that someone. An official body issuing its own
statement follows the gold CONVENTIONS: via = the body, speaker null; when it posts on a
platform the body is the speaker and the platform the channel. Any other organisation
(armed group, state, party) is put in both slots, since annotators use either. People of a
body ("UN experts said") speak as written, the body as their channel.

A denial is a claim of its own with modality "doubted" and ``contradicts`` pointing at
the content it denies: ", a claim the SDF denied" in the same sentence, or "X denied the
claim/account" after an earlier claim. Unnamed agents ("Syrian sources") become
document-local entities named as written. Negated frames, questions, the commenter's own
"I think", habits ("he claims a hit every week"), free relatives ("repeats whatever X
says"), acts without content ("posted the same video") and nouns ("EUMA reports are dry")
are not claims.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from .affiliation import media_affiliations
from .dates import DATE_RX, find_dates
from .doc import Doc, EntityState, Sentence
from .lexicon import (
    OPEN_QUOTES,
    alternation,
    literal_scan,
    load_lexicon,
    lower_pattern,
    matches_at,
)
from .model import Claim, Mention, ModalityName, Span
from .references import SourceContext
from .starts import ACCORDING, VERBS

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
    "rebels": frozenset({"ArmedGroup", "PoliticalOrganisation"}),
    "militants": frozenset({"ArmedGroup"}),
    "insurgents": frozenset({"ArmedGroup"}),
    "fighters": frozenset({"ArmedGroup"}),
    "jihadists": frozenset({"ArmedGroup"}),
    "paramilitaries": frozenset({"ArmedGroup"}),
    "mission": frozenset({"OfficialBody"}),
    "firm": frozenset({"OfficialBody"}),
    "company": frozenset({"OfficialBody"}),
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

_LAST_WORD = re.compile(r"\s+([a-z][a-z-]+)\s*$")
_LEAD_WORDS = re.compile(r"(?:(?:[a-z][\w-]*(?:'s)?|[A-Z][\w-]*'s)\s+){1,5}")
_GAVE_NAME = re.compile(r"\bgave (?:only )?(?:his|her) (?:first |full )?name as\s+")
_IN_STATEMENT_ON = re.compile(
    r"\s(?:in|with)\s+an?\s+(?:\w+\s+){0,2}?(?:statement|post|video|message|tweet|communiqu\u00e9|"
    r"communique|speech|broadcast)\s+(?:(?:posted|published|broadcast|aired|carried|released)\s+)?"
    r"(?:on|by|via)\s+"
)
_QUOTED_BY = re.compile(r"\s(?:quoted|cited|interviewed|contacted)\s+by\s+(?:the\s+)?")
_THROUGH = re.compile(r"\s(?:through|via)\s+")
_PARTICIPLE = re.compile(r",\s*(?:saying|adding|writing|claiming|stating)(?=\s)")
_DET_BEFORE = re.compile(r"(?:[Tt]he|[Aa]n?|[Tt]wo|[Ss]everal|[Ss]ome|[Tt]hree)\s+$")
_HABITUAL = re.compile(
    r"(?i)\b(?:every (?:single )?(?:day|week|month|time|year)|all the time|always|constantly|"
    r"again and again|each time)\b"
)
_POINTER_CONTENT = re.compile(
    r"(?i)(?:the same\b|so\b|nothing\b|otherwise\b|something (?:similar|like that)\b|"
    r"(?:it|this|that|things)\W*$)"
)
_FREE_RELATIVE = re.compile(r"(?i)\bwhat(?:ever)?\s+(?:\S+\s+){1,3}$")
_NOUN_USE = re.compile(
    r"\s+(?:are|were|is|was|have|had|has|seem|seemed|do|did|don't|didn't|can|cannot|can't|"
    r"should|must|need|tend|remain)\b"
)
_ACTION_VERBS = frozenset(
    {
        "posted",
        "published",
        "shared",
        "released",
        "tweeted",
        "maintained",
        "maintains",
        "cited",
        "cites",
    }
)
_COMPLEMENT = re.compile(
    r"[^.;]{0,60}?(?:\bthat\b|\bsaying\b|\bclaiming\b|\bit said\b|\bthey said\b|:|\u201c|\"|"
    r",?\s*(?:showing|purporting|alleging|accusing|stating|reportedly showing)\b)"
)
# "published Houthi videos, showing ...": whose words or pictures were published
_OBJECT_OWNER = re.compile(
    r"\s+(?:the\s+)?(?P<owner>[A-Z][\w-]+)(?:'s)?\s+(?:videos?|footage|photos?|images?|pictures|"
    r"statements?|claims|recordings?|communiqu\u00e9s?|messages?)\b"
)
_TELLING = re.compile(r",\s*(?:telling|speaking to|talking to|in an interview with)\s+")
_FRONTED_VIA = re.compile(
    r"(?:In|in)\s+an?\s+(?:\w+\s+){0,2}(?:statement|post|video|message|speech|address|broadcast|"
    r"interview|briefing|communiqu\u00e9|communique|update|press release|release|tweet)\s+"
    r"(?:(?:posted|published|released|issued|aired|broadcast|carried|read)\s+(?:\w+\s+){0,3}?)?"
    r"(?:on|by|to|with|via)\s+"
)
_CITING = re.compile(r",\s*(?:citing|quoting)\s+")
_CLAUSE_END = re.compile(r"[,;]")
_THAT_START = re.compile(r"(?:that|whether|how|if)\b")
_THAT_HERE = re.compile(r"that\s+")
_GROUP_MEMBERS = re.compile(
    r"(?i)\b(?:rebels|fighters|militants|insurgents|members|forces|troops|militiamen|gunmen)\b"
)
_DATE_TAIL = re.compile(
    r"(?<![\w-])(?:(?:on|last|this|late|early)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday|yesterday|today)(?:\s+(?:morning|afternoon|evening|night))?,?\s*$"
)
# "called" and "calls" report only when they take an object and its description
_NAMING_VERBS = frozenset({"called", "calls"})
_NOT_CALLED_AFTER = re.compile(
    r"\s+(?:for|on|off|up|in|out|back|upon|together|it quits|him|her|me|us)\b|\s*$"
)
_NOT_CALLED_BEFORE = re.compile(
    r"(?:-|\b(?:is|are|was|were|be|been|being|so|also|now|often|sometimes)\s+)$"
    r"|\b(?:a|an|the|this|that)\s+(?:\w+\s+)?$"
)
# objects that make a reporting verb an act: "declared independence", "told the truth"
_ACT_OBJECT = re.compile(
    r"\s+(?:independence|war|victory|martial law|a state of emergency|a ceasefire|bankruptcy|"
    r"the truth|a lie|lies|stories|jokes)\b"
)
_COORDINATOR = re.compile(r",\s*(?:and|while|whereas|but)\b|;|\b(?:while|whereas)\b")
_REPORTED_OPENS = re.compile(r"\s*(?:that\b|[\"\u201c:])")
_CITED_PHRASE = re.compile(r"\s+((?:[\w'-]+\s+){0,4}?[\w'-]+)(?=\s*,|\s+(?:as|that)\b)")
_THIS_STATEMENT = re.compile(
    r"(?:this|that|the|these|those)\s+(?:\w+\s+)?(?:press releases?|statements?|communiqu\u00e9s?|"
    r"communiques?|releases?|videos?|messages?|posts?|reports?)$"
)
_AND_THEN = re.compile(r"(?:\s+[A-Z][\w-]*)?\s+(?:and|&)\s+(?:the\s+)?")
_SAME_OUTLET = re.compile(
    r"\s*,?\s*(?:to|with|on|in)?\s*the\s+same\s+(?:news\s+)?(?:outlet|newspaper|paper|channel|"
    r"broadcaster|agency|network|station|programme|program|publication|site|website|media)\b"
)
_RELATIVE_WHO = re.compile(r"(?:,\s*)?(?<![\w'-])(?:who|which)\s*$")
_AUTHORITIES = re.compile(
    r"(?:[Tt]he\s+)?(?P<adj>[A-Z][\w-]+)\s+(?:authorities|government|regime|leadership|junta|"
    r"presidency)"
)
_ROLE_REF = re.compile(
    r"(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?P<role>reporter|correspondent|journalist|photographer|"
    r"spokesman|spokeswoman|spokesperson|official|commander|minister|envoy|expert|analyst)"
)
_CAME_AND = re.compile(
    r"(?<![\w'-])(?:came|come|comes|went|goes|stepped|steps|got|gets|stood|stands|turned|turns)"
    r"(?:\s+(?:up|out|forward|on|back|in|down))?\s+and\s*$"
)
_NO_SUBJECT = re.compile(
    r"(?i)(?:(?:literally|absolutely|simply|and|but|so|yet)\s+)?(?:no|not a single|not one)\s+"
    r"(?:[\w'-]+[ ,]*){0,6}$"
)
_LEAD_CONJ = re.compile(
    r"(?i)(?:and|but|while|whereas|however|meanwhile|as|that|when|where|since)\s+"
)
_CONJ_BEFORE = re.compile(r"(?:\s+[A-Z][\w-]*)?\s+and\s+(?:the\s+)?$")
_ITS_BODY = re.compile(
    r"(?i)(?:its|their)\s+(?:\w+\s+)?(?:ministry|government|army|military|spokes(?:man|woman|person)|"
    r"office|command|leadership|presidency|cabinet|authorities|officials?|representatives?)$"
)
# what may follow the verb of a trailing frame: nothing, or when, where and how it was said
_TRAILING_REST = re.compile(
    r"\s*(?:$|[.,;:!?\u2026]|(?:on|in|at|last|yesterday|today|earlier|later|late|early|"
    r"after|before|while|when|according|citing|quoting|adding|via|through|during)\b"
    r"|this (?:morning|afternoon|evening|week|month|year)\b)"
)
_SUBJECT_ENDS = re.compile(
    r"\s*(?:[.!?;,\u2026]|$|\s+(?:on|in|at|after|before|when|as|last|this)\b)"
)
_PRONOUN_AFTER = re.compile(r"(?:he|she|they|He|She|They)\b")
_OWNER_TAIL = re.compile(r"\s*[\w'-]+'s\s*$")
_OWNER_REACH = 80  # a possessive owner ("Ukraine's") is one word: look this far back only


def _date_before(t: str, lo: int, end: int) -> re.Match[str] | None:
    """A date ("on Friday, April 26,") that ends right before ``end``."""
    last = None
    for m in DATE_RX.finditer(t, lo, end):
        if not t[m.end() : end].strip(" ,"):
            last = m
    return last


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
_DENIED_THIS = re.compile(
    r"\s+(?:the|this|that|these|those|its|their|his|her|an|a|any)\s+(?:\w+\s+){0,2}?"
    r"(?:claims?|charges?|allegations?|accusations?|reports?|accounts?|assertions?|statements?|"
    r"version|figures|story)\b|\s+(?:it|this|that)\b"
)
_BY_SOURCE = re.compile(r"\sby\s+")
_CLAUSE_SPLIT = re.compile(
    r";\s+|\s(?:as|while|whereas)\s(?=(?:[\w'-]+\s+){0,7}?[A-Z][\w'-]*\s+(?:[\w'-]+\s+){0,3}?"
    r"(?:says?|said|claims?|claimed|reports?|reported|accuses|accused|denies|denied|warns?|warned|"
    r"posted|wrote|tweeted|announced|told|insisted|urged|called|demanded)\b)"
)
_ISSUERS = frozenset({"MilitaryForce", "OfficialBody"})
# How far back (characters) "the group" / "the ministry" may point: a few paragraphs. It
# also keeps the search for a referent from walking a whole long text at every frame.
REFER_BACK = 4000
_OF_ORG = re.compile(r"\s(?:of|from)\s+(?:the\s+)?(?=\S)")

# Trailing words that cut an unnamed phrase after "according to".
_SRC_KEEP = re.compile(
    r"\b(?:familiar with|close to|briefed on|with knowledge of|aware of|involved in)\s+[^,;:.]+?"
    r"(?=\s(?:in|on|at|who|which|that|during|after|before|while|and|but|as|if|because|since)\s|$)"
)
_SRC_CUT = re.compile(
    r"\s(?:in|on|at|who|which|that|from|during|after|before|with|while|and|but|for|to|as|if|because|since)\s"
)


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


class _Reader:
    """Reads the claims of one document, sentence by sentence."""

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

    def subject(self, sent: Sentence, pos: int, kind: str) -> tuple[_Agent, int] | None:
        """Who governs the verb at ``pos``: (agent, start of the subject) or None."""
        doc, t, r = self.doc, self.text, self.r
        p = pos
        relative = False
        if p - 2 >= sent.start and t[p - 1] == "." and t[p - 2].isalpha():
            p -= 1  # a missing space: "their journalists.claimed that"
        while p > sent.start and t[p - 1].isspace():
            p -= 1
        for _ in range(4):
            rel = _RELATIVE_WHO.search(t, max(sent.start, p - 12), p)
            relative = relative or rel is not None
            am = rel or (
                r.aux_tail.search(t, max(sent.start, p - 40), p)
                or _DATE_TAIL.search(t, max(sent.start, p - 40), p)  # "on Wednesday alleged"
                or _date_before(t, max(sent.start, p - 50), p)  # "on Friday, April 26, rejected"
                or _CAME_AND.search(t, max(sent.start, p - 40), p)  # "came out and said"
            )  # "the army, which claims": the relative pronoun's antecedent
            if not am or doc.overlaps_mention(am.start(), am.end()):
                break  # "Russia Today mentions": the word is part of a name
            p = am.start()
            while p > sent.start and t[p - 1].isspace():
                p -= 1
        gm = _GAVE_NAME.search(t, max(sent.start, p - 80), p)
        if gm:  # "A spokesman ..., who gave his name as Lway Yay Oo, told": the named person
            named = doc.mention_starting_at(gm.end())
            if named is not None and doc.entities[named.entity].is_person:
                return _Agent(speaker=named.entity), named.span.start
        if p > sent.start and t[p - 1] == ",":
            inner = p - 1
            while inner > sent.start and t[inner - 1].isspace():
                inner -= 1
            m = doc.mention_ending_at(inner)
            if (
                m is not None
                and not doc.entities[m.entity].is_unnamed
                and t[max(sent.start, m.span.start - 2) : m.span.start].strip() == ","
            ):
                p = inner  # "The governor of X, Oleh Kiper, said": the name is the appositive
            else:  # "X, co-chair of Y, said": skip the appositive back to X
                q = t.rfind(",", max(sent.start, p - 140), p - 1)
                if q > sent.start:
                    p = q
                    while p > sent.start and t[p - 1].isspace():
                        p -= 1
        if p > sent.start and t[p - 1] == ")":  # "Doctors Without Borders (MSF) said"
            q = t.rfind("(", max(sent.start, p - 20), p)
            if q > sent.start:
                p = q
                while p > sent.start and t[p - 1].isspace():
                    p -= 1
        m = doc.mention_ending_at(p)
        if m is not None:  # "Russian media and the Russian government insist": the first
            cm = _CONJ_BEFORE.search(t, max(sent.start, m.span.start - 12), m.span.start)
            first = doc.mention_ending_at(cm.start()) if cm else None
            if first is not None and not doc.entities[first.entity].is_unnamed:
                m = first
        if m is None:  # "Civil Defence crews said", "the Al-Qahera News channel reported"
            m, member = self.mention_before_nouns(sent.start, p)
            if m is not None and member and doc.entities[m.entity].types & {"ArmedGroup"}:
                ent = doc.entities[m.entity]  # "Jnim jihadists claim": the group speaks
                return self.agent_of(ent), m.span.start
            if m is not None and member:  # people of the body speak: "UN experts said"
                ent = doc.entities[m.entity]
                if kind in {"doubt", "think"} and doc.segment_at(pos) != 0:
                    return None
                s0 = m.span.start
                det = _DET_BEFORE.search(t, max(sent.start, s0 - 12), s0)
                if det:
                    s0 = det.start()
                people = doc.unnamed(s0, p, channel=False)
                via = ent.key if ent.types & _ISSUERS or ent.is_media else None
                return _Agent(people.key, via, implicit=via is not None), s0
        if m is not None:
            ent = doc.entities[m.entity]
            if kind in {"doubt", "think"} and doc.segment_at(pos) != 0:
                return None
            um = (
                r.unnamed_before.search(t[sent.start : m.span.start])
                if not ent.is_person and not relative
                else None
            )
            if um and _GROUP_MEMBERS.search(um.group("np")):
                um = None  # "Rebels of the M23 movement said": the group itself speaks
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
                    return self.agent_of(doc.entities[key]), pm.start()
            elif word in {"it", "they"} and seg == 0:  # "It further goes on to say"
                key = self.ctx.pronoun(False, pos, seg)
                if key and doc.entities[key].is_media:
                    return self.agent_of(doc.entities[key]), pm.start()
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
            owner = self.owner_of_its(sent, sent.start + um.start("np"), np)
            if owner is not None:  # "China ..., its foreign ministry said": China speaks
                return self.agent_of(doc.entities[owner]), sent.start + um.start("np")
            if re.search(r"(?i)(?<![\w'])(?:my|your|our|I|we|you)(?![\w'])", np):
                return None
            s = sent.start + um.start("np")
            e = sent.start + um.end("np")
            lead = _LEAD_CONJ.match(t, s, e)  # "..., while their journalists claimed"
            if lead:
                s = lead.end()
            if _NO_SUBJECT.match(t, sent.start, s):
                return None  # "Literally no celebrity, party or journalist came out and said"
            state = self.state_of_np(s, e)
            if state is not None:  # "The Malian authorities still deny": the state speaks
                return self.agent_of(doc.entities[state]), s
            role = _ROLE_REF.fullmatch(t, s, e)
            person = self.person_by_role(role.group("role"), s) if role else None
            if person is not None:  # "The reporter repeats": the one introduced as reporter
                return self.agent_of(doc.entities[person]), s
            om = _OF_ORG.search(t, s, e)
            if om:  # "Rebels of the M23 movement", "Officials of the ministry": the body speaks
                body = doc.mention_starting_at(om.end())
                if body is not None and not doc.entities[body.entity].is_person:
                    return self.agent_of(doc.entities[body.entity]), s
            return self.unnamed(s, e), s
        return None

    def state_of_np(self, s: int, e: int) -> str | None:
        """The state whose government an unnamed phrase names: "the Malian authorities"."""
        m = _AUTHORITIES.fullmatch(self.text, s, e)
        if m is None:
            return None
        state = self.lex.nationalities.get(m.group("adj"))
        if not state:
            return None
        from .entities import load_matcher

        entry = load_matcher().entries.get(state)
        if entry is None or "State" not in entry.types:
            return None
        self.doc.add_entity(state, entry.name, set(entry.types), in_gazetteer=True)
        return state

    def person_by_role(self, role: str, pos: int) -> str | None:
        """The one person the text introduced with ``role`` before ``pos`` ("the BBC
        reporter in Tripoli Feras Kilani" for "the reporter")."""
        doc = self.doc
        found: list[str] = []
        back = doc.last_mention_before(pos, max(0, pos - REFER_BACK))
        while back is not None:
            ent = doc.entities[back.entity]
            if ent.is_person and back.entity not in found:
                lead = doc.low[max(0, back.span.start - 40) : back.span.start]
                if re.search(rf"\b{re.escape(role.lower())}\b", lead):
                    found.append(back.entity)
            back = doc.last_mention_before(back.span.start, max(0, pos - REFER_BACK))
        return found[0] if len(found) == 1 else None

    def owner_of_its(self, sent: Sentence, start: int, np: str) -> str | None:
        """ "its foreign ministry", "their spokesman": the organisation or state named
        first in the sentence, whose body or voice it is."""
        if not _ITS_BODY.match(np):
            return None
        for m in self.doc.mentions_in(sent.start, start):
            ent = self.doc.entities[m.entity]
            if not ent.is_person and not ent.is_unnamed and not ent.is_media:
                return m.entity
        return None

    def negated(self, lo: int, pos: int) -> bool:
        """A negation just before the frame at ``pos`` ("didn't mention"), not one inside a
        name ("Doctors Without Borders said")."""
        m = self.r.negated.search(self.text, max(lo, pos - 30), pos)
        return m is not None and not self.doc.overlaps_mention(m.start(), m.start() + 1)

    def mention_before_nouns(self, lo: int, p: int) -> tuple[Mention | None, bool]:
        """A name followed by up to two lower-case nouns before ``p``, and whether one of
        them names its people ("crews", "experts") rather than the body ("channel")."""
        doc, t = self.doc, self.text
        member = False
        for _ in range(2):
            wm = _LAST_WORD.search(t, max(lo, p - 30), p)
            if not wm:
                return None, False
            word = wm.group(1)
            if word in self.lex.member_nouns:
                member = True
            elif word not in self.lex.descriptors:
                return None, False
            p = wm.start()
            m = doc.mention_ending_at(p)
            if m is not None and not doc.entities[m.entity].is_person:
                return m, member
        return None, False

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

        # the organisation that spoke in the last few claims of this segment ("the rebels said"
        # after the rebels' own statement), then the subject of the same sentence ("X did Y,
        # the group said"), then the last one named before
        for key in self.recent.get(doc.segment_at(pos), [])[-3:][::-1]:
            if fits(key):
                return key
        for m in doc.mentions_in(sent_start, pos):
            if fits(m.entity):
                return m.entity
        lo = max(seg.start, sent_start - REFER_BACK)  # "the group" points back a few paragraphs
        back = doc.last_mention_before(sent_start, lo)
        while back is not None:
            if fits(back.entity):
                return back.entity
            back = doc.last_mention_before(back.span.start, lo)
        return None

    def via_after(self, start: int, end: int, tell: bool) -> tuple[str | None, int]:
        """A channel named right after the verb ("told Reuters", "in an interview with X")."""
        doc, t = self.doc, self.text
        p = start
        while p < end and t[p] == " ":
            p += 1
        sm = _SAME_OUTLET.match(t, start, min(end, start + 60))
        if sm:  # "said to the same news outlet": the channel of the statement before
            prev = self.last.get(doc.segment_at(start))
            if prev is not None and prev.via:
                return prev.via, sm.end()
        if tell:
            m = doc.mention_starting_at(p)  # "told The Irrawaddy" (a name with its article)
            if m is None and t.startswith(("the ", "The "), p):
                m = doc.mention_starting_at(p + 4)
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
        vm = self.r.via_after.match(t, start, min(end, start + 90))
        if vm:
            m = self.source_at(vm.end(), end)
            if m is not None:
                return m.entity, m.span.end
        return None, start

    def source_at(self, p: int, end: int) -> Mention | None:
        """A named source at ``p``, after at most three lower-case or possessive words
        ("the group's Al-Masirah TV", "the public broadcaster Suspilne")."""
        doc = self.doc
        wm = _LEAD_WORDS.match(self.text, p, end)
        q = wm.end() if wm else p
        for start in (q, p) if q != p else (p,):
            m = doc.mention_starting_at(start)
            if m is not None:
                ent = doc.entities[m.entity]
                if ent.is_source_typed and not ent.is_unnamed:
                    return m
        return None

    def via_elsewhere(self, sent: Sentence, after: int) -> str | None:
        """A channel named away from the verb: ", telling the broadcaster Suspilne that",
        or a fronted "In a statement read on state broadcaster ORTM, ..."."""
        t = self.text
        m = _TELLING.search(t, after, sent.end) or _FRONTED_VIA.match(t, sent.start, sent.end)
        if m:
            src = self.source_at(m.end(), sent.end)
            if src is not None:
                return src.entity
        m = _THROUGH.search(t, after, min(sent.end, after + 60)) or _IN_STATEMENT_ON.search(
            t, after, min(sent.end, after + 60)
        )  # "... through its station X", "claimed the attack in a statement on Telegram"
        if m:
            src = self.source_at(m.end(), sent.end)
            if src is not None:
                return src.entity
        m = _PARTICIPLE.search(t, after, sent.end)  # ", saying in a video posted on Telegram"
        if m:
            via, _ = self.via_after(m.end(), sent.end, False)
            return via
        return None

    def citing(self, sent: Sentence, after: int) -> _Agent | None:
        """ ", citing an unnamed Egyptian source" / ", quoting X": who the outlet relays."""
        doc, t = self.doc, self.text
        m = _CITING.search(t, after, sent.end)
        if not m:
            return None
        inner = doc.mention_starting_at(m.end() + (4 if t.startswith("the ", m.end()) else 0))
        if inner is not None:
            return self.agent_of(doc.entities[inner.entity])
        e = m.end()
        stop = _SRC_CUT.search(t, e, sent.end) or _CLAUSE_END.search(t, e, sent.end)
        e2 = stop.start() if stop else sent.end
        while e2 > e and t[e2 - 1] in " .,":
            e2 -= 1
        if e2 - e < 3 or not self.r.unnamed_head.search(t, e, e2):
            return None
        return _Agent(speaker=self.doc.unnamed(e, e2, channel=False).key)

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

    # ------------------------------------------------------------------ frames
    def verb_frame(self, sent: Sentence, found: list[re.Match[str]]) -> list[Claim]:
        """Each reporting verb with a subject of its own, its channel and content ("X
        refuted the claims and its spokesman, Y, called them lies": two frames); plus a
        denial clause of the same sentence ("..., a claim the SDF denied") as its own
        claim. A later frame needs its subject after the earlier frame's cue."""
        t, r = self.text, self.r
        claims: list[Claim] = []
        agents: list[tuple[str | None, str | None]] = []
        after = sent.start  # where the last frame's cue ended
        for vm in found:
            if vm.start() < after:
                continue
            verb = vm.group("verb")
            if verb[0].isupper():
                if vm.start() != sent.start:
                    continue  # a capitalised verb inside a sentence is part of a name
                verb = verb.lower()
            kind = r.kinds[verb]
            if self.negated(sent.start, vm.start()):
                continue
            if _FREE_RELATIVE.search(t, max(sent.start, vm.start() - 40), vm.start()):
                continue  # "repeats whatever Saree says": not a report
            if _NOUN_USE.match(t, vm.end()):
                continue  # "EUMA reports are dry": the plural noun, not the verb
            if verb in _ACTION_VERBS and not _COMPLEMENT.match(t, vm.end(), sent.end):
                continue  # "posted the same video last month": an act, not a statement
            if verb in _NAMING_VERBS and (
                _NOT_CALLED_AFTER.match(t, vm.end())
                or _NOT_CALLED_BEFORE.search(t, max(sent.start, vm.start() - 30), vm.start())
            ):
                continue  # "called for talks", "so-called", "a town called Gori"
            if _ACT_OBJECT.match(t, vm.end()):
                continue  # "declared independence", "told the truth": an act, no content
            if (
                sent.segment != 0
                and verb.endswith("s")
                and _HABITUAL.search(t, sent.start, sent.end)
            ):
                continue  # "Saree claims a hit every week": a habit, not one statement
            subj = self.subject(sent, vm.start(), kind)
            cue_start = vm.start()
            subj_start: int | None = None
            if claims and (subj is None or not self.coordinated(after, subj[1])):
                continue  # a frame inside what the earlier one reports, or its subject again
            if subj is None:
                inverted = self.inverted_subject(sent, vm)  # "..., said Karapetyan."
                if inverted is None:
                    continue
                agent, cue_end0 = inverted
            else:
                agent, subj_start = subj
                if (
                    t[subj_start : vm.start()].lower().startswith(("the ", "this ", "that "))
                    and agent.via
                    and not agent.speaker
                    and not self.doc.mentions_in(subj_start, vm.start())
                ):
                    cue_start = subj_start  # "the article points out"
                cue_end0 = vm.end()
            if kind == "cite":  # "Southfront cited Houthi forces, saying ...": they speak
                obj = self.source_at(cue_end0 + 1, sent.end) or self.party_at(cue_end0, sent.end)
                relay = agent.via or agent.org or agent.speaker
                if obj is not None:
                    ent = self.doc.entities[obj.entity]
                    agent = _Agent(self.agent_of(ent).speaker or obj.entity, relay)
                    cue_end0 = obj.span.end
                else:  # "TASS cited Moldovan officials, saying": an unnamed speaker
                    um = _CITED_PHRASE.match(t, cue_end0, sent.end)
                    if um is None or not self.r.unnamed_head.search(t, um.start(1), um.end(1)):
                        continue
                    who = self.doc.unnamed(um.start(1), um.end(1), channel=False)
                    agent = _Agent(who.key, relay)
                    cue_end0 = um.end(1)
            owner = _OBJECT_OWNER.match(t, cue_end0) if verb in _ACTION_VERBS else None
            if (
                owner is not None
                and agent.speaker is None
                or (owner is not None and agent.speaker == agent.via)
            ):
                party = self.party_named(owner.group("owner"), owner.start("owner"))
                if party is not None:  # "AMN News published Houthi videos": the Houthis speak
                    agent = _Agent(party, agent.via or agent.org)
            via, cue_end = self.via_after(cue_end0, sent.end, kind == "tell")
            via = via or self.via_elsewhere(sent, vm.end())
            if via:
                agent = agent.with_via(via)
            cited = self.citing(sent, vm.end()) if agent.speaker is None or agent.org else None
            if cited is not None and cited.speaker:  # "X reported, citing an unnamed source"
                agent = _Agent(cited.speaker, agent.via or agent.org)
            relay = self.according_source(sent, vm.end())
            if relay is not None and relay != agent.via:  # "JNIM claimed ..., according to SITE"
                agent = agent.with_via(relay)
            content = self.content(sent, max(cue_end, cue_end0), vm.start(), subj_start)
            if subj_start is not None and content[1] <= subj_start:
                # a trailing frame ("China ... urged a ceasefire, its foreign ministry said")
                # reports the clause before it, with any frame inside that clause
                kept = [c for c in claims if not content[0] <= c.cue.start < content[1]]
                agents = [(c.speaker, c.via) for c in kept]
                claims = kept
            before = self.last.get(sent.segment)
            if (
                before is not None
                and agent.speaker
                and agent.speaker == before.speaker
                and (not agent.via or agent.via == agent.speaker)
                and before.via
            ):
                agent = _Agent(agent.speaker, before.via)  # "Gross added": to the same outlet
            if (agent.speaker, agent.via) in agents:
                continue  # the same agent's second verb ("said ... and added")
            dm = self.r.denial.search(t, content[0], content[1])
            if dm:  # "..., a claim the SDF denied" is not part of what was said
                content = (content[0], max(content[0], dm.start()))
            if content[0] > vm.start() and _POINTER_CONTENT.match(t, content[0]):
                continue  # "said the same thing about Wad Madani": nothing reported
            contradicts = None
            if kind == "deny" and _DENIED_THIS.match(t, vm.end()):
                prev = self.last_claim.get(sent.segment)  # "The army denied the claim"
                contradicts = prev.content if prev is not None else None
            claim = self.make(
                sent, agent, (cue_start, max(cue_end, cue_end0)), content, kind, contradicts
            )
            twins = []
            second = self.second_channel(subj_start, vm.start())
            if second is not None and second[0] != agent.via:  # "AMN News and Southfront published"
                twin = _Agent(agent.speaker if agent.speaker != agent.via else None, second[0])
                # its own cue (from the second outlet to the verb), so the two records differ
                twins.append(self.make(sent, twin, (second[1], claim.cue.end), content, kind))
            denials = self.denial_clause(sent, claim)
            claims += [claim, *twins, *denials]
            agents.append((agent.speaker, agent.via))
            after = max(c.cue.end for c in (claim, *denials))
        return claims

    def coordinated(self, after: int, subject_start: int) -> bool:
        """True when a frame whose subject starts at ``subject_start`` is coordinated with
        the frame whose cue ended at ``after`` ("X refuted the claims and its spokesman
        called them lies", "..., while their journalists claimed"), not part of what that
        frame reports ("X told Reuters that Kyiv expects ...")."""
        if subject_start < after:
            return False
        gap = self.text[after:subject_start]
        if _COORDINATOR.search(gap):
            return True
        return not _REPORTED_OPENS.match(gap)

    def second_channel(self, subj_start: int | None, verb_start: int) -> tuple[str, int] | None:
        """The second of two outlets that share a verb ("AMN News and Southfront
        published ..."): both carried the statement, so each gets a claim."""
        if subj_start is None:
            return None
        doc = self.doc
        first = doc.mention_starting_at(subj_start)
        if first is None or not doc.entities[first.entity].is_media:
            return None
        am = _AND_THEN.match(self.text, first.span.end, verb_start)
        second = doc.mention_starting_at(am.end()) if am else None
        if second is None or not doc.entities[second.entity].is_media:
            return None
        return second.entity, second.span.start

    def party_at(self, p: int, end: int) -> Mention | None:
        """A named party (not a person) right after ``p``."""
        while p < end and self.text[p] == " ":
            p += 1
        m = self.doc.mention_starting_at(p)
        if m is None and self.text.startswith(("the ", "The "), p):
            m = self.doc.mention_starting_at(p + 4)
        return m

    def party_named(self, word: str, pos: int) -> str | None:
        """The entity a capitalised word names: its mention there, or a nationality's state."""
        m = self.doc.mention_starting_at(pos)
        if m is not None and not self.doc.entities[m.entity].is_unnamed:
            return m.entity
        return self.state_of_adjective(word)

    def state_of_adjective(self, adjective: str) -> str | None:
        state = self.lex.nationalities.get(adjective)
        if not state:
            return None
        from .entities import load_matcher

        entry = load_matcher().entries.get(state)
        if entry is None:
            return None
        self.doc.add_entity(state, entry.name, set(entry.types), in_gazetteer=True)
        return state

    def inverted_subject(self, sent: Sentence, vm: re.Match[str]) -> tuple[_Agent, int] | None:
        """The subject after its verb: "“...,” said X", "..., said Karapetyan.", "Says he
        after ...": (agent, end of the subject), or None. The verb must follow a closing
        quote or a comma, or open the sentence."""
        doc, t = self.doc, self.text
        lead = t[max(sent.start, vm.start() - 4) : vm.start()]
        quoted = re.search(r"[\u201d\"],?\s*$", lead) is not None
        opens = not t[sent.start : vm.start()].strip()
        if not (quoted or opens or re.search(r",\s*$", lead)):
            return None
        p = vm.end()
        while p < sent.end and t[p] == " ":
            p += 1
        m = doc.mention_starting_at(p)
        if m is None and t.startswith(("the ", "The "), p):
            m = doc.mention_starting_at(p + 4)
        if m is not None:
            ent = doc.entities[m.entity]
            if not quoted and not _SUBJECT_ENDS.match(t, m.span.end, sent.end):
                return None  # ", said Karapetyan." ends the clause; a name inside goes on
            return self.agent_of(ent), m.span.end
        pm = _PRONOUN_AFTER.match(t, p)
        if pm is None or not (quoted or opens or _SUBJECT_ENDS.match(t, pm.end(), sent.end)):
            return None
        seg = doc.segment_at(vm.start())
        prev = self.last.get(seg)
        if prev is not None:
            return _Agent(prev.speaker, prev.via), pm.end()
        key = self.ctx.pronoun(True, vm.start(), seg)
        return (_Agent(speaker=key), pm.end()) if key else None

    def denial_clause(self, sent: Sentence, claim: Claim) -> list[Claim]:
        """ ", a claim the SDF denied" / ", a charge Abu Dhabi has repeatedly denied"."""
        doc, t = self.doc, self.text
        dm = self.r.denial.search(t, claim.content.end, sent.end)
        if not dm:
            return []
        p = dm.start("subj")
        m = doc.mention_starting_at(p + 4 if t.startswith(("the ", "The "), p) else p)
        if m is None or m.span.end > dm.start("verb"):
            return []
        agent = self.agent_of(doc.entities[m.entity])
        return [
            self.make(
                sent,
                agent,
                (dm.start("verb"), dm.end("verb")),
                (claim.content.start, claim.content.end),
                "deny",
                contradicts=claim.content,
            )
        ]

    def according_source(self, sent: Sentence, after: int) -> str | None:
        """The named source of an "according to X" after ``after`` in the sentence."""
        m = self.r.according.search(self.text, after, sent.end)
        if not m:
            return None
        src = self.source_at(m.start("src"), sent.end) or self.by_source(m.start("src"), sent.end)
        return src.entity if src is not None else None

    def by_source(self, lo: int, hi: int) -> Mention | None:
        """ "an update published on Thursday by the mapping project X": the source after "by"."""
        bm = _BY_SOURCE.search(self.text, lo, min(hi, lo + 140))
        return self.source_at(bm.end(), hi) if bm else None

    def according_frame(self, sent: Sentence, found: list[re.Match[str]]) -> Claim | None:
        doc, t = self.doc, self.text
        m = found[0]
        s = m.start("src")
        if t.startswith("the ", s):
            s += 4
        src_end = m.end("src")
        keep = _SRC_KEEP.search(t, s, src_end)  # "people familiar with the talks" stays whole
        cut = _SRC_CUT.search(t, keep.end() if keep else s, src_end)
        if cut:
            src_end = cut.start()
        while src_end > s and t[src_end - 1] in " .":
            src_end -= 1
        mention = doc.mention_starting_at(s)
        quoted = _QUOTED_BY.search(t, s, min(sent.end, s + 90))
        if mention is None and quoted:  # "two US officials quoted by Politico"
            relay = self.source_at(quoted.end(), sent.end)
            if relay is not None:
                who = doc.mention_starting_at(s)
                speaker = (
                    who.entity
                    if who is not None and who.span.end <= quoted.start()
                    else doc.unnamed(s, quoted.start(), channel=False).key
                )
                cue = (m.start(), relay.span.end)
                before = t[sent.start : m.start()].strip(" ,")
                if before and len(before) > 3:
                    content = (sent.start, sent.start + len(t[sent.start : m.start()].rstrip(" ,")))
                else:
                    comma = t.find(",", relay.span.end, sent.end)
                    content = self.content(
                        sent, comma + 1 if comma >= 0 else relay.span.end, m.start()
                    )
                return self.make(sent, _Agent(speaker, relay.entity), cue, content, "say")
        if mention is None:
            # "according to an update published on Thursday by the mapping project X"
            mention = self.source_at(s, sent.end) or self.by_source(s, sent.end)
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
            src_end = mention.span.end
        else:
            phrase = t[m.start("src") : src_end].strip()
            low = phrase.lower()
            if low in {"him", "her", "them", "it"}:
                prev = self.last.get(sent.segment)
                if prev is None:
                    return None
                agent = _Agent(prev.speaker, prev.via)
            elif _THIS_STATEMENT.match(low):  # "According to this press release": its source
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
        if self.negated(sent.start, m.start()):
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
        self,
        rx: re.Pattern[str],
        units: list[Sentence],
        low: str = "",
        keys: tuple[str, ...] = (),
        starts: list[int] | None = None,
    ) -> dict[int, list[re.Match[str]]]:
        """Matches of ``rx`` grouped by unit; skipped when none of ``keys`` is in ``low``.

        ``starts``: the offsets where a match may begin, when the shared scan knows them;
        else the literal starts of ``rx`` are found with ``str.find`` if it has a few."""
        if keys and not any(k in low for k in keys):
            return {}
        sents, unit_starts = units, [u.start for u in units]
        out: dict[int, list[re.Match[str]]] = {}
        found = (
            literal_scan(rx).finditer(self.text)
            if starts is None
            else matches_at(rx, self.text, starts)
        )
        for m in found:
            k = bisect.bisect_right(unit_starts, m.start()) - 1
            if k >= 0 and m.end() <= sents[k].end:
                out.setdefault(k, []).append(m)
        return out

    def units(self) -> list[Sentence]:
        """Sentences, with two frames of one sentence split into clauses: at a semicolon
        ("Ukraine says ...; Moscow claims ...") and at "as"/"while" before a new subject
        with its own reporting verb ("RSF claims ... as Houthis say ...")."""
        t, out = self.text, []
        low = self.doc.low
        for sent in self.doc.sentences:
            chunk = low[sent.start : sent.end]
            if ";" not in chunk and " as " not in chunk and " while" not in chunk:
                out.append(sent)
                continue
            cuts = [(m.start(), m.end()) for m in _CLAUSE_SPLIT.finditer(t, sent.start, sent.end)]
            a = sent.start
            for cut_s, cut_e in [*cuts, (sent.end, sent.end)]:
                b = cut_s
                while b > a and t[b - 1] in " ;":
                    b -= 1
                if b > a:
                    out.append(Sentence(a, b, sent.segment))
                a = cut_e
                while a < sent.end and t[a] == " ":
                    a += 1
        return out

    def read(self) -> None:
        doc, r = self.doc, self.r
        self.starts = [s.start for s in doc.sentences]
        units = self.units()
        low = doc.low
        frames = [
            (self.verb_frame, self._bucket(r.verb, units, starts=doc.word_starts(VERBS))),
            (
                self.according_frame,
                self._bucket(r.according, units, low, _ACCORDING_KEYS, doc.word_starts(ACCORDING)),
            ),
            (self.comment_ref_frame, self._bucket(r.comment_ref, units)),
            (self.passive_frame, self._bucket(r.passive, units, low, _PASSIVE_KEYS)),
        ]
        candidates = sorted({k for _, b in frames for k in b})
        for k in candidates:
            unit = units[k]
            if r.question.search(doc.norm, unit.start, unit.end):
                continue
            for frame, bucket in frames:
                if k not in bucket:
                    continue
                found = frame(unit, bucket[k])
                claims = found if isinstance(found, list) else [found] if found else []
                if claims:
                    doc.claims.extend(claims)
                    break


def attribute(doc: Doc, ctx: SourceContext | None = None) -> Doc:
    """Fill ``doc.claims``."""
    _Reader(doc, ctx or doc.context or SourceContext(doc)).read()
    return doc
