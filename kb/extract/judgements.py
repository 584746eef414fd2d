"""Stage 4: judgements of how reliable, biased or truthful a source is.

A cue phrase (patterns/judgement_cues.jsonl) gives the polarity; a negation flips it, a
concession ("biased, but ...") or a hedge ("it isn't clear to what extent ...") makes it
mixed. The judged source is, in order: the owner of the information the cue names
("Azeri propaganda" is the state's, "Russian statistics" those of the one Russian source
cited, "Azerbaijan's latest attempt at misinformation"); the subject of the cue's clause
(an outlet, or for cues of truthfulness any party: "Russia told the truth", "Aliyev is
lying"), unless the subject only characterises another's statement ("X dismissed the
report as lies"); the antecedent of a relative clause ("coverage, which is biased"); a
source named in the sentence; a reference noun ("this map", "the article",
references.SourceContext); in comments, a pronoun or the comment's topic. A cue with the
"echo" flag ("Right.", "It must be true") judges the source of the statement just
reported. In the article a quoted verdict is about what the quote names or what its frame
comments on, and reader-only cues (omissions) do not count. One judgement per (line,
source), as the gold counts them: both polarities make it mixed.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .cues import cue_hits
from .doc import Doc, Sentence
from .lexicon import load_lexicon
from .model import Claim, Judgement, Mention, PolarityName
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
_PARTIES = frozenset(
    {"State", "Person", "ArmedGroup", "PoliticalOrganisation", "MilitaryForce", "OfficialBody"}
)
# what a "but" clause must hold to grant the source something back ("..., but its figures
# may be the most startling yet" goes on criticising)
_CONCEDES = re.compile(
    r"(?<![\w'])(?:still|useful|helpful|worth|good|decent|fair|right|correct|accurate|reliable|"
    r"valuable|possible|credit|interesting|informative|at least|usually|often|sometimes|"
    r"generally|mostly|overall|admit|concede|grant|trends?|read|follow|check|better|best|"
    r"first|fast|quick|detailed|honest|solid|great|nice|ok|okay|not bad|if you only|"
    r"other side|both sides|every side|each side|see through)(?![\w'])"
)
# the parties "both militaries" / "both sides" may mean, and how far back they are looked for
_BOTH_MILITARIES = frozenset({"MilitaryForce"})
_BOTH_SIDES = frozenset({"MilitaryForce", "ArmedGroup", "State"})
_BOTH_REACH = 4000
_ECHO_REACH = 400  # how far back a sarcastic echo may point at a reported statement
_HEDGE = re.compile(
    r"(?i)(?:(?:is|'s|isn't|is not|it's not|not) (?:entirely |really |at all )?"
    r"(?:clear|certain|known|obvious)"
    r"|unclear|uncertain|hard to (?:say|tell|know)|difficult to (?:say|tell|know))"
    r"(?: (?:to what extent|how (?:much|far)|whether|if|why))?[^.;:!?]{0,40}$"
)
# a subject's verdict on something else: "dismissed the claim as lies", "branded it fake"
_CHARACTERISE = re.compile(
    r"(?i)\b(?:dismiss|denounc|describ|brand|label|term|reject|decr|slamm?|condemn)\w*\b"
    r"[^,;:]{0,60}?\b(?:as|it|them|the \w+)\b"
)
_DUMMY_IT = re.compile(r"(?i)(?<![\w'])(?:it's|it is|that's|that is|this is)[ ]+(?:\w+[ ]+)?$")
_ABOUT = re.compile(r"[ ]+(?:about|regarding|on the|over)\b")
_COMMENTING = re.compile(r"(?i)\b(?:commenting on|referring to|speaking of|talking about|about)\s")
_ACCUSE = re.compile(r"(?i)\baccus\w*\b")
_RELATIVE = re.compile(r"(?<![\w'])(?:which|that|who)\s")
_BREAK = re.compile(r"[.;:!?]")
# what a source says or shows: a nationality or possessive before it names its source
_INFO_NOUN = re.compile(
    r"(?<![\w-])(?:(?P<spin>propaganda|misinformation|disinformation|lies|fakes|fake news|"
    r"fabrications?|spin|hasbara|libels?)|claims|statistics|stats|data|figures|numbers|"
    r"assessments|tallies|tally|estimates|reports|reporting|coverage|narratives?|version|"
    r"accounts|statements|allegations|(?P<people>officials|authorities|leaders|spokesmen|"
    r"government|regime|military|army))(?![\w-])"
)
_PREPOSITION_BEFORE = re.compile(
    r"(?<![\w'])(?:in|of|from|at|on|with|for|to|about|near|into|against|than)[ ]+(?:the[ ]+)?$"
)
_APPOSITION_OPENS = re.compile(r"[ ]*(?:one of|an?|the|its|their)[ ]")
_PLURAL_GROUP = re.compile(
    r"(?i)(?:soldiers|troops|forces|fighters|militants|rebels|jihadists|militias|the \w+s)$"
)
_ITS_BEFORE = re.compile(r"(?<![\w'])(?:its|their)[ ]+(?:[\w-]+[ ]+){0,2}$")
_BY_AGENT = re.compile(
    r"[ ]+(?:[\w-]+[ ]+){0,2}?(?:(?:waged|spread|run|launched|pushed|produced|carried out|"
    r"conducted|published|made|orchestrated|issued)[ ]+)?by[ ]+(?:the[ ]+)?"
    r"(?:(?:terrorist|militant|armed|rebel|jihadist|militia|movement|group|outlet|channel|agency|"
    r"broadcaster)[ ]+){0,2}"
)
_AND_NEXT = re.compile(r"[ ]*(?:,[ ]*)?(?:and|&)[ ]+(?:the[ ]+)?")
_OWNS_ONE_CLAIM = re.compile(
    r"'s?[ ]+(?:[\w-]+[ ]+)?(?:claim|statement|report|allegation|story|account|assertion|"
    r"version|figure)(?![\w-])"
)
_SINGLE_CLAIM = re.compile(
    r"(?:'s?|\b(?:the|this|that|his|her|its|their))[ ]+(?:[\w-]+[ ]+)?(?:claim|statement|report|"
    r"allegation|story|account|assertion|version|figure)[ ]+(?:[\w'-]+[ ]+){0,3}$"
)
_OWNER_BEFORE = re.compile(
    r"(?<![\w-])(?P<owner>[A-Z][\w-]*(?:[ ][A-Z][\w-]*)?)(?P<poss>'s?)?[ ]+"
    r"(?:(?:latest|usual|own|new|official|daily|recent|wartime|state|cheap|crude|blatant|"
    r"typical|constant|endless|shameless|so-called)[ ]+){0,3}(?:[a-z][\w-]*[ ]+)?"
    r"(?:(?:attempts?|campaigns?|waves?|pieces?|acts?|kind|sort|brand|dose|torrent|stream|"
    r"flood|barrage)[ ]+(?:at|of)[ ]+)?$"
)
_AGAINST = re.compile(r"(?i)(?<![\w-])(?:anti|against|counter)[- ]?$")
_POSSESSIVE_PRONOUN = re.compile(r"(?<![\w'])(?:their|its|his|her|our|your|my)[ ]+$")
_COPULA = re.compile(
    r"(?<![\w'])(?:is|are|was|were|'s|being|been|remains?|seems?|becomes?)(?![\w'])"
)
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
) -> list[tuple[int, int, str, frozenset[str]]]:
    """Cue matches in a sentence: (start, end, polarity, flags), earlier patterns first,
    no overlaps; a negative verdict under a hedge ("it isn't clear to what extent") is
    mixed."""
    cues = load_lexicon().judgement_cues
    taken: list[tuple[int, int, str, frozenset[str]]] = []
    for s, e, polarity, order in sorted(found, key=lambda h: (h[3], h[0])):
        if any(s < b and e > a for a, b, _, _ in taken):
            continue
        pol = polarity
        if pol != "mixed" and not _NEGATIVE_CUE_START.match(doc.norm, s):
            if _NEGATOR.search(doc.norm, max(sent.start, s - 20), s):
                pol = "negative" if pol == "positive" else "positive"
        taken.append((s, e, pol, cues[order][3]))
    taken.sort()
    # "it's biased, but ..." grants the source something back: mixed
    out = []
    for s, e, pol, flags in taken:
        if pol == "negative" and _HEDGE.search(doc.norm, max(sent.start, s - 60), s):
            pol = "mixed"
        if pol == "negative":
            for rx in load_lexicon().concessions:
                cm = rx.match(doc.norm, e, sent.end)
                if cm is None:
                    nxt = _CLAUSE_REST.match(doc.norm, e, sent.end)
                    cm = rx.match(doc.norm, nxt.end(), sent.end) if nxt else None
                if cm is not None and _CONCEDES.search(
                    doc.low, cm.end(), min(sent.end, cm.end() + 90)
                ):
                    pol = "mixed"  # "biased, but you should still read it"
                    break
        out.append((s, e, pol, flags))
    return out


class _Judge:
    def __init__(self, doc: Doc, ctx: SourceContext) -> None:
        self.doc = doc
        self.ctx = ctx
        self.ref_rx = reference_rx()
        # a person can be judged as a source once the text has reported them speaking
        self.speakers = {c.speaker for c in doc.claims if c.speaker}
        self._nations: dict[tuple[str, str, bool, bool], str | None] = {}
        self._claims: list[Claim] = []
        self._claim_ends: list[int] | None = None

    def judgeable(self, key: str) -> bool:
        ent = self.doc.entities[key]
        if ent.is_unnamed:
            return False
        return ent.is_source_typed or "source" in ent.roles or key in self.speakers

    def actor(self, key: str) -> bool:
        """A named party that can be judged when it is the subject of the verdict ("Russia
        told the truth", "Aliyev is lying"): states, people, armed groups, bodies."""
        ent = self.doc.entities[key]
        return not ent.is_unnamed and bool(ent.types & _PARTIES)

    def target(
        self,
        sent: Sentence,
        cue: tuple[int, int],
        last: list[str] | None = None,
        parties: bool = False,
    ) -> list[str]:
        """The source(s) a cue judges; several for a joint subject ("X and Y both lie").
        ``parties``: a cue of truthfulness, which may judge any party named as its subject."""
        doc = self.doc
        seg = sent.segment
        # a verdict is about a name near it: look no further than REACH characters away
        # (this also bounds the work on a run-on "sentence" thousands of characters long)
        lo, hi = max(sent.start, cue[0] - REACH), min(sent.end, cue[1] + REACH)
        sent = Sentence(lo, hi, seg)
        clause = self.clause_start(sent, cue[0])
        owner = self.owner_of_cue(sent, cue, clause, parties)
        if owner is None:
            return []  # a verdict on what something is against ("anti-Serb propaganda")
        if owner:  # "Azeri propaganda", "Azerbaijan's misinformation", "Russian statistics"
            return owner
        antecedent = self.relative_antecedent(sent, clause, cue[0])
        if antecedent:  # "... coverage which they insist is biased"
            return [antecedent]
        agents = self.agents_after(sent, cue)
        if agents:  # "the disinformation campaign waged by Hamas", "fabricating news by X and Y"
            return agents
        refs = list(self.ref_rx.finditer(doc.norm, lo, hi))
        in_ref = [(r.start(), r.end()) for r in refs]
        mentions = [
            m
            for m in doc.mentions_in(lo, hi)
            if not any(a <= m.span.start and m.span.end <= b for a, b in in_ref)
        ]
        if seg == 0 and doc.in_quote(cue[0]):
            # a quoted speaker's verdict is about what the quote names, or what the frame
            # says it comments on ("..., he said, commenting on X"), not about the speaker
            quote = self.quote_around(cue[0])
            about = _COMMENTING.search(doc.norm, quote[1], hi)
            mentions = [
                m
                for m in mentions
                if quote[0] <= m.span.start < quote[1] or (about and m.span.start >= about.end())
            ]
        named = [m for m in mentions if self.judgeable(m.entity)]
        # the subject of the cue's own clause: a source ("Al-Manar ran the media office
        # statement word for word"), or a party the verdict is about ("Russia told the
        # truth"); in "X accused Y of lying" the verdict is about Y
        own = [
            m
            for m in mentions
            if clause <= m.span.start < cue[0]
            and (self.judgeable(m.entity) or (parties and self.actor(m.entity)))
            and not _PREPOSITION_BEFORE.search(
                doc.low, max(clause, m.span.start - 12), m.span.start
            )
            and not _OWNS_ONE_CLAIM.match(doc.norm, m.span.end)  # "Saree's claim is credible"
        ]
        if not own:
            head = self.appositive_head(sent, clause)
            if head is not None and (
                self.judgeable(head.entity) or parties and self.actor(head.entity)
            ):
                own = [head]  # "NRT, one of the most prominent channels, has kept ..."
        if not own and _SINGLE_CLAIM.search(doc.norm, max(clause, cue[0] - 60), cue[0]):
            return []  # "Saree's claim appears credible": a verdict on one claim, not its source
        if own:
            typed = [m for m in own if doc.entities[m.entity].is_source_typed]
            first = typed[0] if typed else own[0]
            if _CHARACTERISE.search(doc.norm, first.span.end, cue[0]):
                # "X dismissed the statement as disinformation": X's verdict on another
                # source's statement, named after it or the one just reported
                rest = [m for m in own if m.span.start > first.span.end]
                return [rest[-1].entity] if rest else self.echoed(first.span.start)
            if _ACCUSE.search(doc.norm, first.span.end, cue[0]) and own[-1] is not first:
                first = own[-1]
            return self.joint(first, own, cue[0])
        if seg == 0:
            named = [m for m in named if doc.entities[m.entity].is_source_typed]
        if named:
            if last:  # "..., nothing independent there": the previous cue's source
                return last
            # the last source named before the cue ("X is more reliable than Y"), else the
            # nearest after it
            media = [m for m in named if doc.entities[m.entity].is_source_typed] or named
            before = [m for m in media if m.span.start < cue[0]]
            if before:
                return [before[-1].entity]
            return [min(media, key=lambda m: m.span.start - cue[0]).entity]
        refs = [r for r in refs if r.group("noun").lower() != "source" or r.end() <= cue[0]]
        if refs:
            r = min(refs, key=lambda r: abs(r.start() - cue[0]))
            key = self.ctx.reference(r.group("noun"), r.start(), seg, (r.start(), r.end()))
            if key:
                return [key]
        if seg == 0:
            return []  # in the article only a named or referred-to source is judged
        if _DUMMY_IT.search(doc.norm, max(sent.start, cue[0] - 12), cue[0]) and _ABOUT.match(
            doc.norm, cue[1]
        ):
            return []  # "it's bullshit about the ceasefire": a verdict on a topic
        pp = [m.start() for m in _PERSON_PRONOUN.finditer(doc.norm, sent.start, sent.end)]
        tp = [m.start() for m in _THING_PRONOUN.finditer(doc.norm, sent.start, sent.end)]
        if pp and (not tp or min(abs(p - cue[0]) for p in pp) < min(abs(p - cue[0]) for p in tp)):
            key = self.ctx.pronoun(True, cue[0], seg)
            if key and self.judgeable(key):
                return [key]
            return []
        if tp:
            key = self.ctx.pronoun(False, cue[0], seg)
            return [key] if key else []
        key = self.ctx.topic.get(seg)  # the comment's own topic so far
        return [key] if key else []

    def agents_after(self, sent: Sentence, cue: tuple[int, int]) -> list[str]:
        """The sources a "by" names right after the cue, joined by "and"."""
        doc = self.doc
        bm = _BY_AGENT.match(doc.norm, cue[1], min(sent.end, cue[1] + 60))
        if bm is None:
            return []
        m = doc.mention_starting_at(bm.end())
        if m is None or not (self.judgeable(m.entity) or self.actor(m.entity)):
            return []
        out, end = [m.entity], m.span.end
        while True:
            am = _AND_NEXT.match(doc.norm, end, sent.end)
            nxt = doc.mention_starting_at(am.end()) if am else None
            if nxt is None or not (self.judgeable(nxt.entity) or self.actor(nxt.entity)):
                return out
            out.append(nxt.entity)
            end = nxt.span.end

    def appositive_head(self, sent: Sentence, clause: int) -> Mention | None:
        """The name before the comma that opens the cue's clause when that clause is an
        apposition with its verb ("NRT, one of the most prominent channels in the KRG, has
        maintained ..."): the clause opens with a descriptive noun phrase."""
        doc = self.doc
        if clause <= sent.start or doc.norm[clause - 1] != ",":
            return None
        if not _APPOSITION_OPENS.match(doc.low, clause):
            return None
        p = clause - 1
        while p > sent.start and doc.norm[p - 1] == " ":
            p -= 1
        return doc.mention_ending_at(p)

    def party_before(self, pos: int, lo: int, singular: bool = False) -> str | None:
        """The last organisation or state named in [lo, pos): what "its" points at ("its"
        is not "Russian soldiers")."""
        doc = self.doc
        m = doc.last_mention_before(pos, lo)
        while m is not None:
            ent = doc.entities[m.entity]
            plural = _PLURAL_GROUP.search(m.span.text) is not None
            if (
                not ent.is_person
                and not ent.is_unnamed
                and (ent.types & _PARTIES or ent.is_media)
                and not (singular and plural)
            ):
                return m.entity
            m = doc.last_mention_before(m.span.start, lo)
        return None

    def two_parties(self, pos: int, cue: str) -> list[str]:
        """ "both sides lie", "Both militaries lie": the last two distinct parties named
        before ``pos`` in the thread (militaries for "militaries"/"armies", any armed
        group, military or state otherwise); none unless there are two."""
        doc = self.doc
        wanted = _BOTH_MILITARIES if ("militar" in cue or "armies" in cue) else _BOTH_SIDES
        found: list[str] = []
        lo = max(0, pos - _BOTH_REACH)
        back = doc.last_mention_before(pos, lo)
        while back is not None and len(found) < 2:
            ent = doc.entities[back.entity]
            if ent.types & wanted and not ent.is_media and back.entity not in found:
                found.append(back.entity)
            back = doc.last_mention_before(back.span.start, lo)
        return found if len(found) == 2 else []

    def named_before(self, sent: Sentence, pos: int) -> list[str]:
        """The last source named in the sentence before a sarcastic marker at ``pos``: the
        marker mocks that source ("X said it, so it must be true"), not an earlier claim."""
        for m in reversed(self.doc.mentions_in(max(sent.start, pos - REACH), pos)):
            if self.judgeable(m.entity) and self.doc.entities[m.entity].is_source_typed:
                return [m.entity]
        return []

    def echoed(self, pos: int) -> list[str]:
        """The source of the statement reported just before ``pos`` (a sarcastic "Right."
        after a quote judges who said it): the channel, else the speaker, of the last
        claim ending within a few sentences before."""
        if self._claim_ends is None:
            self._claims = sorted(self.doc.claims, key=lambda c: c.span.end)
            self._claim_ends = [c.span.end for c in self._claims]
        i = bisect.bisect_right(self._claim_ends, pos) - 1
        if i < 0 or pos - self._claim_ends[i] > _ECHO_REACH:
            return []
        last = self._claims[i]
        key = last.via or last.speaker
        return [key] if key and not self.doc.entities[key].is_unnamed else []

    def quote_around(self, pos: int) -> tuple[int, int]:
        """The innermost paired quotation holding ``pos``."""
        best = (pos, pos)
        for qs, qe in self.doc.quotes:
            if qs < pos < qe and (best == (pos, pos) or qs >= best[0]):
                best = (qs, qe)
        return best

    def clause_start(self, sent: Sentence, pos: int) -> int:
        """Where the clause holding ``pos`` begins: after the last comma, semicolon, colon,
        dash or opening parenthesis before it in the sentence."""
        norm = self.doc.norm
        return max(sent.start, *(norm.rfind(c, sent.start, pos) + 1 for c in ",;:("))

    def relative_antecedent(self, sent: Sentence, clause: int, pos: int) -> str | None:
        """ "Western media coverage which they insist is biased": the source named right
        before the relative pronoun that opens the cue's clause."""
        doc = self.doc
        rm = _RELATIVE.search(doc.norm, max(sent.start, clause), pos)
        if rm is None:
            return None
        m = doc.last_mention_before(rm.start(), max(sent.start, rm.start() - 40))
        if m is None or not doc.entities[m.entity].is_source_typed:
            return None
        gap = doc.norm[m.span.end : rm.start()]
        return m.entity if len(gap.split()) <= 2 and not _BREAK.search(gap) else None

    def owner_of_cue(
        self, sent: Sentence, cue: tuple[int, int], clause: int, parties: bool
    ) -> list[str] | None:
        """The source whose information a cue names: a nationality or a possessive right
        before an information noun at the cue ("Azeri propaganda", "Russian statistics
        appear to be exaggerated", "Hamas' lies"). A nationality means the one source of
        that country the text names (its ministry, its state TV), else its state.

        The subject of the clause comes first when the cue only describes it ("Al Jazeera
        is Qatari propaganda"), or when the information noun is its object and not the cue
        ("Tasnim ran the Houthi version as fact"). "their Houthi coverage" is theirs."""
        doc = self.doc
        lo = max(sent.start, clause, cue[0] - 40)
        for im in _INFO_NOUN.finditer(doc.low, lo, min(sent.end, cue[1] + 4)):
            om = _OWNER_BEFORE.search(doc.norm, max(sent.start, im.start() - 60), im.start())
            pm = _ITS_BEFORE.search(doc.low, max(sent.start, im.start() - 40), im.start())
            if om is None and pm is not None and im.group("spin") is not None and parties:
                # "a third voice concerned with carrying out its jihadist propaganda"
                singular = doc.low.startswith("its", pm.start())
                key = self.party_before(pm.start(), max(0, pm.start() - 2 * REACH), singular)
                if key is not None:
                    return [key]
                continue
            if om is None or _POSSESSIVE_PRONOUN.search(
                doc.low, max(0, om.start() - 8), om.start()
            ):
                continue
            if _AGAINST.search(doc.norm, max(0, om.start() - 9), om.start()):
                return None  # "anti-Serb propaganda": what it is against, not whose
            subject = doc.last_mention_before(om.start(), max(sent.start, clause))
            if subject is not None and subject.span.end <= om.start():
                is_cue = im.start() < cue[1] and im.end() > cue[0]
                linked = doc.norm[subject.span.end : om.start()]
                if not is_cue or _COPULA.search(linked):
                    return []  # the subject is what the verdict is about
            m = doc.mention_ending_at(om.end("owner")) or self.name_from(om, im)
            if m is not None and not doc.entities[m.entity].is_unnamed:
                ent = doc.entities[m.entity]
                if (self.judgeable(m.entity) or (parties and self.actor(m.entity))) and (
                    not ent.is_person or om.group("poss")
                ):
                    return [m.entity]
                continue
            word = om.group("owner")
            if word not in load_lexicon().nationalities:
                word = word.split()[-1]  # "Slam Azeri Propaganda": the last capitalised word
            state = load_lexicon().nationalities.get(word)
            if state:
                # "Azeri propaganda" is the state's; "Russian statistics" are those of the
                # one Russian source the text cites (its ministry), else the state's
                spin = im.group("spin") is not None or im.group("people") is not None
                key = self.source_of_nation(word, state, parties, spin)
                if key:
                    ent = doc.entities[key]
                    if key == state and ent.name not in ent.aliases:
                        # a text that never names the state names it by the adjective:
                        # "Saudi propaganda", "nothing Saudi officials say"
                        ws = om.end("owner") - len(word)
                        if not doc.overlaps_mention(ws, om.end("owner")):
                            doc.add_mention(state, ws, om.end("owner"))
                    return [key]
        return []

    def name_from(self, om: re.Match[str], im: re.Match[str]) -> Mention | None:
        """A name that the owner's words open and that ends before the information noun:
        "The Turkish ministry lies", "the Russian MoD's claims" name that body, not the
        state the adjective alone would name."""
        owner = om.group("owner")
        for start in (om.start("owner"), om.start("owner") + owner.rfind(" ") + 1):
            m = self.doc.mention_starting_at(start)
            if m is not None and m.span.end <= im.start():
                return m if self.doc.entities[m.entity].is_source_typed else None
        return None

    def source_of_nation(
        self, adjective: str, state: str, parties: bool, spin: bool = False
    ) -> str | None:
        memo = (adjective, state, parties, spin)
        if memo not in self._nations:  # one look through the entities per nationality
            self._nations[memo] = self._source_of_nation(adjective, state, parties, spin)
        return self._nations[memo]

    def _source_of_nation(
        self, adjective: str, state: str, parties: bool, spin: bool
    ) -> str | None:
        """The one source of a country the text names ("Russian Defense Ministry" for
        "Russian"), else the state itself when the text names it or the gazetteer has it."""
        doc = self.doc
        from .gazetteer_index import load_matcher

        entry = load_matcher().entries.get(state)
        nation = {adjective} | ({entry.name} if entry is not None else set())
        fits = {
            k
            for k, e in doc.entities.items()
            if e.is_source_typed
            and not e.is_unnamed
            and "State" not in e.types
            and any(n in f" {a} " for a in (e.name, *e.aliases) for n in (f" {x} " for x in nation))
        }
        if len(fits) == 1 and not spin:
            return fits.pop()
        if (fits and not spin) or not parties:
            return None
        if state in doc.entities:
            return state
        if entry is None:
            return None
        doc.add_entity(state, entry.name, set(entry.types), in_gazetteer=True)
        return state

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
                here = doc.line_start(sent.start)
                if here != line:  # one judgement per (line, source), as the gold counts them
                    self.flush(found, seg)
                    line = here
                last: list[str] = []  # the targets of this sentence's previous cue
                for cs, ce, pol, flags in _sentence_cues(doc, sent, hits[k]):
                    if seg == 0 and "comments" in flags:
                        continue  # a reader's kind of verdict, not an article's
                    if "echo" in flags:  # "ISPR said it, so it must be true": ISPR
                        keys = self.named_before(sent, cs) or self.echoed(cs)
                    elif "both" in flags:  # "both sides lie": the two parties named last
                        keys = self.two_parties(cs, doc.low[cs:ce])
                    else:
                        keys = self.target(sent, (cs, ce), last, "parties" in flags) or last
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
