"""The channel that carried a statement: the outlet, agency or platform it was made through.

The channel may stand right after the verb ("told Reuters", "in an interview with X",
"to the same outlet"), after its object ("in a statement on its Telegram channel",
", telling Suspilne"), before the subject ("In a statement read on state broadcaster X,"),
in "according to X" or "by X" after a frame, or as a second outlet ("told X and Y"). An
outlet "citing"/"quoting" someone relays that someone.
"""

from __future__ import annotations

import re

from .claim_reader import ClaimReader, _Agent
from .doc import Sentence
from .model import Mention

_LEAD_WORDS = re.compile(r"(?:(?:[a-z][\w-]*(?:'s)?|[A-Z][\w-]*'s)\s+){1,5}")


_IN_STATEMENT_ON = re.compile(
    r"\s(?:in|with)\s+an?\s+(?:\w+\s+){0,2}?(?:statement|post|video|message|tweet|communiqu\u00e9|"
    r"communique|speech|broadcast)\s+(?:(?:posted|published|broadcast|aired|carried|released)\s+)?"
    r"(?:on|by|via)\s+"
)


_THROUGH = re.compile(r"\s(?:through|via)\s+")


_PARTICIPLE = re.compile(r",\s*(?:saying|adding|writing|claiming|stating)(?=\s)")


_TELLING = re.compile(r",\s*(?:telling|speaking to|talking to|in an interview with)\s+")


_FRONTED_VIA = re.compile(
    r"(?:In|in)\s+an?\s+(?:\w+\s+){0,2}(?:statement|post|video|message|speech|address|broadcast|"
    r"interview|briefing|communiqu\u00e9|communique|update|press release|release|tweet)\s+"
    r"(?:(?:posted|published|released|issued|aired|broadcast|carried|read)\s+(?:\w+\s+){0,3}?)?"
    r"(?:on|by|to|with|via)\s+"
)


_CITING = re.compile(r",\s*(?:citing|quoting)\s+")


_CLAUSE_END = re.compile(r"[,;]")


_AND_THEN = re.compile(r"(?:\s+[A-Z][\w-]*)?\s+(?:and|&)\s+(?:the\s+)?")


_SAME_OUTLET = re.compile(
    r"\s*,?\s*(?:to|with|on|in)?\s*the\s+same\s+(?:news\s+)?(?:outlet|newspaper|paper|channel|"
    r"broadcaster|agency|network|station|programme|program|publication|site|website|media)\b"
)


_BY_SOURCE = re.compile(r"\sby\s+")


_SRC_CUT = re.compile(
    r"\s(?:in|on|at|who|which|that|from|during|after|before|with|while|and|but|for|to|as|if|because|since)\s"
)


class Channels(ClaimReader):
    """Where the channel of a statement is written and which source it is."""

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
