"""The reporting frames that make a sentence a claim, and those that do not.

A reporting verb with a subject ("X told Reuters that", "..., the group said"), "according
to X", a comment's "as stated above", the passive "were reported", and a denial of an
earlier claim. Not claims: negated frames, habits ("he claims a hit every week"), free
relatives ("whatever X says"), acts without content ("posted the same video"), nouns
("EUMA reports are dry"), "called" without an object, acts like "told the truth".
"""

from __future__ import annotations

import re

from .channels import _SRC_CUT, Channels
from .claim_reader import _Agent
from .doc import Sentence
from .model import Claim
from .speakers import Speakers

_QUOTED_BY = re.compile(r"\s(?:quoted|cited|interviewed|contacted)\s+by\s+(?:the\s+)?")


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


_DENIED_THIS = re.compile(
    r"\s+(?:the|this|that|these|those|its|their|his|her|an|a|any)\s+(?:\w+\s+){0,2}?"
    r"(?:claims?|charges?|allegations?|accusations?|reports?|accounts?|assertions?|statements?|"
    r"version|figures|story)\b|\s+(?:it|this|that)\b"
)


# Trailing words that cut an unnamed phrase after "according to".
_SRC_KEEP = re.compile(
    r"\b(?:familiar with|close to|briefed on|with knowledge of|aware of|involved in)\s+[^,;:.]+?"
    r"(?=\s(?:in|on|at|who|which|that|during|after|before|while|and|but|as|if|because|since)\s|$)"
)


# a nominal frame with no speaker: "Claims circulated on Telegram and Facebook that ...",
# "Reports also surfaced on RSF-affiliated accounts that ...": the places named carry it
CIRCULATED = re.compile(
    r"(?<![\w'-])(?:[Cc]laims?|[Rr]eports?|[Rr]umou?rs?|[Aa]llegations?|[Pp]osts?|[Vv]ideos?|"
    r"[Mm]essages?|[Ss]tories)\s+(?:\w+\s+)?(?:circulated|surfaced|spread|emerged|appeared|"
    r"circulating|spreading)\s+(?:on|in|across|via|through)\s+"
)
CIRCULATED_KEYS = ("circulat", "surfaced", "spread", "emerged", "appeared")
# where the places named end: the "that" of the content, or a time or manner phrase before it
_CIRCULATED_END = re.compile(
    r"\s+(?:(?:within|on|in|over|after|before|during|overnight|late|early|last|this|shortly|"
    r"soon|quickly|almost)\b[^,;:]{0,40}?\s+)?that\s+"
)

# "a report posted to its site", "a video published on X": a participle after its noun
_PARTICIPLES = frozenset({"posted", "published", "released", "shared", "aired", "broadcast"})
_PLACED_AFTER = re.compile(r"\s+(?:to|on|by|in|via|at|onto)\b")
_NOUN_BEFORE = re.compile(
    r"(?<![\w'-])(?:a|an|the|its|their|his|her|this|that)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:report|story|statement|video|post|message|article|piece|clip|communiqu\u00e9|"
    r"communique|footage|release|update|tweet|thread)\s*$"
)
# a name that is the place itself ends there, or before "and"/","; "RSF-affiliated accounts"
# and "Russian channels" name a collective
_CHANNEL_NOUNS = frozenset(
    "channels channel accounts account media sites websites pages groups forums blogs outlets "
    "networks platforms apps feeds timelines chats".split()
)
_PLACE_NAME_ENDS = re.compile(r"(?:\s*(?:,|and\b|or\b|&)|\s*$)")


class Frames(Speakers, Channels):
    """One method per kind of frame, each turning its matches in a clause into claims."""

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
            if verb in _PARTICIPLES and (
                _PLACED_AFTER.match(t, vm.end())
                and _NOUN_BEFORE.search(t, max(sent.start, vm.start() - 40), vm.start())
            ):
                continue  # "in a report posted to its site, X reported": no subject of its own
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

    def circulated_frame(self, sent: Sentence, found: list[re.Match[str]]) -> list[Claim]:
        """ "Claims circulated on Telegram and Facebook that X": one claim per place named
        (an outlet, a platform, or an unnamed collective as written: "Russian channels"),
        with no speaker; the content is the "that" clause."""
        doc, t = self.doc, self.text
        m = found[0]
        if self.negated(sent.start, m.start()):
            return []
        em = _CIRCULATED_END.search(t, m.end(), min(sent.end, m.end() + 120))
        if em is None or t.find(",", m.end(), em.start()) >= 0:
            return []
        lo, hi = m.end(), em.start()
        named = [
            x
            for x in doc.mentions_in(lo, hi)
            if not doc.entities[x.entity].is_person and _PLACE_NAME_ENDS.match(t, x.span.end, hi)
        ]
        content = (em.end(), sent.end)
        while content[1] > content[0] and t[content[1] - 1] in " .!?":
            content = (content[0], content[1] - 1)
        claims = []
        if named:
            for i, x in enumerate(named):
                cue = (m.start() if i == 0 else x.span.start, x.span.end)
                agent = _Agent(via=x.entity)
                claims.append(self.make(sent, agent, cue, content, "say"))
            return claims
        words = t[lo:hi].split()
        if not 1 <= len(words) <= 4 or words[-1].lower() not in _CHANNEL_NOUNS:
            return []  # "in the camp that ...": no medium named
        if hi - lo > 0 and t[lo:hi].lower().startswith(("the ", "a ")):
            lo += t[lo:hi].index(" ") + 1
        ent = doc.unnamed(lo, hi, channel=True)
        return [self.make(sent, _Agent(via=ent.key), (m.start(), hi), content, "say")]
