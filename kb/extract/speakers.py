"""Who made a reported statement: the subject of its reporting verb, resolved to an entity.

The head of the subject phrase speaks ("Gaza's Hamas-run health ministry said" is the
ministry; "a senior UN official" is an unnamed speaker of the UN); relative pronouns,
auxiliaries, dates and appositions between subject and verb are skipped; pronouns, "the
group", "the reporter" and "its foreign ministry" point back to the entity they can mean;
people of a body ("UN experts") speak with the body as their channel; an inverted frame
("..., said spokesman X") has its subject after the verb.
"""

from __future__ import annotations

import bisect
import re

from .claim_reader import _ISSUERS, ClaimReader, _Agent
from .dates import DATE_RX
from .doc import Sentence
from .model import Mention

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


_LAST_WORD = re.compile(r"\s+([a-z][a-z-]+)\s*$")


_GAVE_NAME = re.compile(r"\bgave (?:only )?(?:his|her) (?:first |full )?name as\s+")


_DET_BEFORE = re.compile(r"(?:[Tt]he|[Aa]n?|[Tt]wo|[Ss]everal|[Ss]ome|[Tt]hree)\s+$")


_GROUP_MEMBERS = re.compile(
    r"(?i)\b(?:rebels|fighters|militants|insurgents|members|forces|troops|militiamen|gunmen)\b"
)


_DATE_TAIL = re.compile(
    r"(?<![\w-])(?:(?:on|last|this|late|early)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday|yesterday|today)(?:\s+(?:morning|afternoon|evening|night))?,?\s*$"
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


_SUBJECT_ENDS = re.compile(
    r"\s*(?:[.!?;,\u2026]|$|\s+(?:on|in|at|after|before|when|as|last|this)\b)"
)


_PRONOUN_AFTER = re.compile(r"(?:he|she|they|He|She|They)\b")


def _date_before(t: str, lo: int, end: int) -> re.Match[str] | None:
    """A date ("on Friday, April 26,") that ends right before ``end``."""
    last = None
    for m in DATE_RX.finditer(t, lo, end):
        if not t[m.end() : end].strip(" ,"):
            last = m
    return last


# How far back (characters) "the group" / "the ministry" may point: a few paragraphs. It
# also keeps the search for a referent from walking a whole long text at every frame.
REFER_BACK = 4000


_OF_ORG = re.compile(r"\s(?:of|from)\s+(?:the\s+)?(?=\S)")


class Speakers(ClaimReader):
    """The subject of a reporting verb and what it refers back to."""

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
            name_end = self.inserted_after_name(sent, am.start(), p)
            if name_end is not None:  # "X, in a story posted ..., on Tuesday, reported": X
                p = name_end
                break
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

    def inserted_after_name(self, sent: Sentence, tail_start: int, p: int) -> int | None:
        """The end of a name that a comma-enclosed insertion separates from its verb, when
        the insertion ends in the tail (a date) at ``tail_start``: "Air Info, in a story
        posted to its website on Tuesday evening, reported". None otherwise."""
        t = self.text
        if t[p - 1] != ",":
            return None
        q = t.rfind(",", max(sent.start, tail_start - 140), tail_start)
        if q <= sent.start:
            return None
        inner = q
        while inner > sent.start and t[inner - 1].isspace():
            inner -= 1
        m = self.doc.mention_ending_at(inner)
        if m is None or self.doc.entities[m.entity].is_unnamed:
            return None
        return inner

    def state_of_np(self, s: int, e: int) -> str | None:
        """The state whose government an unnamed phrase names: "the Malian authorities"."""
        m = _AUTHORITIES.fullmatch(self.text, s, e)
        if m is None:
            return None
        state = self.lex.nationalities.get(m.group("adj"))
        if not state:
            return None
        from .gazetteer_index import load_matcher

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
        from .gazetteer_index import load_matcher

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
