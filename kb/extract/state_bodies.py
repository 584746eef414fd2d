"""A state's own bodies however the text names them: its army, its ministries, an office.

"the Malian army", "Mali's armed forces", "Russia's foreign ministry", "the Azeri defense
ministry", "the MoD" after a Russian context, "Hezbollah's media office": one entity per
body, the gazetteer's when it knows it (see ministries.py), so every phrasing of one army
or ministry in a document is one actor or source.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from kb.gazetteer import GazetteerEntry, load_gazetteer

from . import ministries
from .doc import slugify
from .gazetteer_index import load_matcher
from .lexicon import (
    alternation,
    find_all,
    load_lexicon,
    matches_at,
)
from .name_rules import _ADJ_BEFORE
from .names_base import NameReader
from .nonactors import EQUIPMENT_AFTER
from .starts import MILITARY, PRESS_OFFICES


@lru_cache(maxsize=1)
def _adjective_of_state() -> dict[str, str]:
    """Gazetteer state key -> its first nationality adjective ("mali" -> "Malian")."""
    out: dict[str, str] = {}
    for adj, key in load_lexicon().nationalities.items():
        if key and "-" not in adj and adj[0].isupper():
            out.setdefault(key, adj)
    return out


@lru_cache(maxsize=1)
def _military_of_state() -> dict[str, GazetteerEntry]:
    """State key -> the gazetteer's army of that state, read from labels like "Sudanese army"."""
    lex = load_lexicon()
    rx = re.compile(
        rf"({alternation(lex.nationalities)}) "
        r"(?:army|armed forces|military|forces|troops|soldiers)",
        re.IGNORECASE,
    )
    out: dict[str, GazetteerEntry] = {}
    for entry in load_gazetteer():
        if "MilitaryForce" not in entry.types:
            continue
        for label in entry.labels:
            m = rx.fullmatch(label)
            if m:
                key = lex.nationalities.get(m.group(1)) or lex.nationalities.get(m.group(1).title())
                if key:
                    out.setdefault(key, entry)
    return out


@lru_cache(maxsize=1)
def _military_noun_rx() -> re.Pattern[str]:
    return re.compile(rf"(?<=[a-z] )(?:{alternation(load_lexicon().military_nouns)})(?![\w-])")


@lru_cache(maxsize=1)
def _MILITARY_AFTER_STATE() -> re.Pattern[str]:  # noqa: N802  # a cached constant
    return re.compile(rf"(?:'s)?[ ]+(?:{alternation(load_lexicon().military_nouns)})(?![\w-])")


@lru_cache(maxsize=1)
def _nationality_ministry_rx() -> re.Pattern[str]:
    return ministries.nationality_rx(alternation(load_lexicon().nationalities))


_STATE_BODY = re.compile(
    r"'s[ ]+(?P<body>(?:(?:foreign|defence|defense|interior|health|information|justice|"
    r"intelligence|emergencies|emergency|security|presidential|prime minister's)[ ]+)?"
    r"(?:ministry|office|presidency|general staff|security service|intelligence service))(?![\w-])"
)


# who may own a ministry besides a state: governments, parties, armed movements
_MINISTRY_OWNERS = frozenset({"OfficialBody", "PoliticalOrganisation", "ArmedGroup"})


# names the text rules read without knowing a ministry was meant; one gives way to it
_READ_ON_ITS_OWN = frozenset(
    {"an organisation noun in the name", "an acronym in a reporting frame", "a ministry's acronym"}
)


class StateBodies(NameReader):
    """Armies, ministries and press offices, read after the capitalised runs."""

    def press_offices(self) -> None:
        """ "Hezbollah's media office", "the RSF media office": the body's own statement office."""
        doc, rx = self.doc, self.rules.press_office
        if not doc.word_starts(PRESS_OFFICES):
            return  # no office word anywhere (the shared scan of starts.py)
        for m in list(doc.mentions):
            ent = doc.entities[m.entity]
            if ent.is_person or ent.is_media or ent.is_unnamed:
                continue
            pm = rx.match(doc.norm, m.span.end)
            if not pm:
                continue
            surface = doc.text[m.span.start : m.span.end]
            office = pm.group("office").lower()
            name = f"{surface} {office}"
            key = self.by_name.get(name.casefold()) or doc.new_key(name)
            doc.add_entity(key, name, {"OfficialBody"}, evidence=f"the {office} of {ent.name}")
            self.by_name[name.casefold()] = key
            doc.remove_mention(m)
            doc.add_mention(key, m.span.start, pm.end())
            if m.entity in doc.entities and not doc.has_mentions(m.entity):
                del doc.entities[m.entity]

    def militaries(self) -> None:
        """ "the Malian army", "Mali's armed forces", "Rwandan soldiers": a state's military.

        The gazetteer names some of them ("Sudanese army"); the others get one entity per
        state, so every phrasing of one army in a document is one actor.
        """
        doc, lex = self.doc, self.lex
        adj_of = _adjective_of_state()
        found: list[tuple[int, int, str, str]] = []  # start, end, state key or adjective, adj
        # few hits; the adjective is checked after; the nouns come from the shared scan
        for nm in matches_at(_military_noun_rx(), doc.low, doc.word_starts(MILITARY)):
            am = _ADJ_BEFORE.search(doc.norm, max(0, nm.start() - 40), nm.start())
            if not am:
                continue
            adj, start = am.group(1), am.start(1)
            if adj not in lex.nationalities and " " in adj:  # "Free Syrian army": "Syrian"
                start += adj.index(" ") + 1
                adj = adj.split(" ", 1)[1]
            if adj in lex.nationalities:
                found.append((start, nm.end(), lex.nationalities.get(adj) or adj, adj))
        for m in list(doc.mentions):  # "Mali's armed forces", "Mali army"
            ent = doc.entities[m.entity]
            if "State" not in ent.types or not ent.in_gazetteer:
                continue
            tail = _MILITARY_AFTER_STATE().match(doc.norm, m.span.end)
            if tail:
                found.append((m.span.start, tail.end(), m.entity, adj_of.get(m.entity, "")))
        for s, e, state, adj in sorted(found):
            if doc.is_masked(s, e) or EQUIPMENT_AFTER.match(doc.low, e):
                continue  # "a Ukrainian military plane": the army only qualifies the plane
            inside = doc.mentions_in(s, e)
            if any(doc.entities[x.entity].types & {"MilitaryForce", "ArmedGroup"} for x in inside):
                continue  # the gazetteer knows this army ("Sudanese army")
            if doc.straddles(s) or doc.straddles(e):
                continue
            known = _military_of_state().get(state)
            if known is not None:  # "Sudan army": the gazetteer's Sudanese Armed Forces
                key = known.key
                doc.add_entity(key, known.name, set(known.types), in_gazetteer=True)
            else:
                base = adj or (doc.entities[state].name if state in doc.entities else state)
                key = f"{slugify(str(state))}-armed-forces"
                if key not in doc.entities:
                    doc.add_entity(
                        key,
                        f"{base} Armed Forces",
                        {"MilitaryForce"},
                        evidence="a state's army named by its nationality",
                    )
            for x in inside:
                doc.remove_mention(x)
            doc.add_mention(key, s, e)

    def state_bodies(self) -> None:
        """ "Russia's foreign ministry", "Iran's defence ministry": a state's own body, named in
        lower case (the gazetteer's entry when it knows "Russian Foreign Ministry"). A
        ministry ("Russia's Ministry of Defence", "the GNU's interior ministry") also in
        capitals and after any government or organisation (see ministries.py)."""
        doc = self.doc
        gaz = load_matcher()
        adj_of = _adjective_of_state()
        norm = doc.norm
        for m in list(doc.mentions):
            plain = None
            if not norm.startswith("'", m.span.end):
                plain = ministries.PLAIN.match(norm, m.span.end)  # "the Ukraine Defense Ministry"
                if plain is None or "State" not in doc.entities[m.entity].types:
                    continue  # every other owner here is a possessive ("Russia's")
            if doc.mention_starting_at(m.span.start) is not m:
                continue  # gave way to a ministry read before
            ent = doc.entities[m.entity]
            if ent.is_person or ent.is_media or ent.is_unnamed:
                continue
            state = m.entity if "State" in ent.types and ent.in_gazetteer else None
            if plain is not None:
                if state is not None and not doc.overlaps_mention(*plain.span("body")):
                    # the state's name is part of this one: "Ukraine Defense Ministry"
                    s, e = m.span.start, plain.end("body")
                    doc.remove_mention(m)
                    written = " ".join(doc.text[s:e].split())
                    self.add_ministry(state, None, ministries.kind_of(plain), (s, e), written)
                    if doc.mention_starting_at(s) is None:
                        doc.add_mention(m.entity, m.span.start, m.span.end)  # kept the state
                continue
            mm = ministries.OWNED.match(doc.norm, m.span.end)
            if mm is not None and (state or ent.types & _MINISTRY_OWNERS):
                owner = None if state else ent.name
                self.add_ministry(state, owner, ministries.kind_of(mm), mm.span("body"))
                continue
            if state is None:
                continue
            bm = _STATE_BODY.match(doc.norm, m.span.end)
            if not bm:
                continue
            phrase = bm.group("body")
            adj = adj_of.get(m.entity)
            names = [f"{adj} {phrase}"] if adj else []
            names.append(f"{doc.text[m.span.start : m.span.end]} {phrase}")
            known = next(
                (gaz.by_lower[n.lower()][0] for n in names if n.lower() in gaz.by_lower), None
            )
            if known is not None:
                key = known.key
                entry = gaz.entries[key]
                doc.add_entity(key, entry.name, set(entry.types), in_gazetteer=True)
            else:
                name = " ".join(w.capitalize() for w in names[0].split())
                key = self.by_name.get(name.casefold()) or doc.new_key(name)
                doc.add_entity(
                    key, name, {"OfficialBody"}, evidence="a state's body, in lower case"
                )
                self.by_name[name.casefold()] = key
            doc.add_mention(key, bm.start("body"), bm.end("body"))

    def add_ministry(
        self,
        state: str | None,
        owner: str | None,
        kind: str,
        span: tuple[int, int],
        written: str | None = None,
    ) -> None:
        """The ministry of ``kind`` of ``state`` (or of the organisation named ``owner``)
        at ``span``: the gazetteer's when it knows it, else one named "<Adjective> <Kind>
        Ministry". A name the text rules read there on their own ("Russia's Foreign
        Ministry", "MoD") gives way to it."""
        doc = self.doc
        s, e = span
        entry = ministries.gazetteer_ministries().get((state, kind)) if state else None
        key = self.ministry_key(state, owner, kind, entry, written)
        if state is not None:
            self.ministry_state[key] = state
        old = doc.mention_starting_at(s)
        if old is not None and old.entity != key and (old.span.start, old.span.end) == (s, e):
            former = doc.entities[old.entity]
            if former.in_gazetteer or former.type_evidence not in _READ_ON_ITS_OWN:
                return  # a name of its own there (a gazetteer body): keep it
            doc.remove_mention(old)
            if not doc.has_mentions(old.entity):
                del doc.entities[old.entity]
        doc.add_mention(key, s, e)

    def ministry_key(
        self,
        state: str | None,
        owner: str | None,
        kind: str,
        entry: GazetteerEntry | None,
        written: str | None,
    ) -> str:
        """The entity of a ministry (added if new): the gazetteer's ``entry``, else one
        per (owner, kind), whatever the spelling ("Defense", "Defence"), named as the text
        first writes it."""
        doc = self.doc
        if entry is not None:
            doc.add_entity(entry.key, entry.name, set(entry.types), in_gazetteer=True)
            return entry.key
        base = owner
        if state is not None:
            base = _adjective_of_state().get(state) or doc.entities[state].name
        canonical = ministries.display_name(base or "", kind)
        name = written or canonical
        key = (
            self.by_name.get(canonical.casefold())
            or self.by_name.get(name.casefold())
            or doc.new_key(canonical)
        )
        doc.add_entity(key, name, {"OfficialBody"}, evidence="a ministry named by its owner")
        self.by_name[canonical.casefold()] = self.by_name[name.casefold()] = key
        return key

    def nationality_ministries(self) -> None:
        """ "the Azeri defense ministry", "the Romanian Ministry of Defence": the ministry of
        the state the adjective names, named with the text's own spelling of its kind."""
        doc, lex = self.doc, self.lex
        if "inistry" not in doc.norm:
            return
        for m in _nationality_ministry_rx().finditer(doc.norm):
            adj, (s, e) = m.group("adj"), m.span()
            state = lex.nationalities.get(adj)
            if not state or doc.is_masked(s, e) or m.group("acr"):
                continue
            inside = doc.mentions_in(s, e)
            if doc.straddles(s) or doc.straddles(e):
                continue
            if any(
                doc.entities[x.entity].in_gazetteer and "State" not in doc.entities[x.entity].types
                for x in inside
            ):
                continue  # a name of its own there
            for x in inside:  # the text rules' own reading of it gives way
                doc.remove_mention(x)
                if not doc.has_mentions(x.entity) and not doc.entities[x.entity].in_gazetteer:
                    del doc.entities[x.entity]
            canonical = _adjective_of_state().get(state, adj)
            written = f"{canonical} {ministries.written_kind(m)} Ministry"
            self.add_ministry(state, None, ministries.kind_of(m), (s, e), written)

    def bare_ministries(self) -> None:
        """ "the MoD", "the Ministry of Defence", "the Foreign Ministry" with no owner: the
        ministry of the one state the sentence, or failing that one of the two sentences
        before it, names ("Russian forces advanced, the MoD said" -> the Russian Ministry
        of Defence). With no such state an acronym is still an official body ("MoD"),
        named as written; lower-case and other kinds are left to the later rules."""
        doc = self.doc
        # every name holds "ministry" or an acronym: the text around each is searched
        hits = find_all(doc.low, ("ministry",)) | find_all(doc.norm, ("MoD", "MOD", "MFA"))
        seen: set[tuple[int, int]] = set()
        found = []
        for i in sorted(hits):
            for m in ministries.BARE.finditer(doc.norm, max(0, i - 40), i + 60):
                if m.start("body") <= i < m.end("body") and m.span("body") not in seen:
                    seen.add(m.span("body"))
                    found.append(m)
        for m in found:
            s, e = m.span("body")
            acronym = bool(m.group("acr")) or m.group("body") == "MOD"
            if not acronym and (not m.group("the") or not m.group("body")[0].isupper()):
                continue  # "the defence ministry": often the other party's; left alone
            if m.group("body") in ("MOD", "MFA") and not m.group("the"):
                continue  # "MOD" alone may be shouting
            kind = ministries.kind_of(m)
            old = doc.mention_starting_at(s)
            if doc.overlaps_mention(s, e) and (
                old is None or (old.span.start, old.span.end) != (s, e)
            ):
                continue  # part of a longer name ("Russian Defence Ministry")
            if doc.is_masked(s, e):
                continue
            state = self.context_state(s) if kind in ministries.CONTEXT_KINDS else None
            if state is not None:
                self.add_ministry(state, None, kind, (s, e))
            elif acronym and old is None:
                self.add_org([(s, e, m.group("body"))], "a ministry's acronym", kind="OfficialBody")

    def context_state(self, pos: int) -> str | None:
        """The one state named before ``pos`` in its sentence, else in the nearest of the
        two sentences before it (same comment or article) that names any; None when that
        sentence names more than one ("Russian shells hit Ukrainian towns")."""
        doc = self.doc
        k = bisect.bisect_right(self.sent_starts, pos) - 1
        if k < 0:
            return None
        seg = doc.sentences[k].segment
        windows = [(doc.sentences[k].start, pos)]
        windows += [
            (doc.sentences[j].start, doc.sentences[j].end)
            for j in range(k - 1, max(-1, k - 3), -1)
            if doc.sentences[j].segment == seg
        ]
        for lo, hi in windows:
            states = self.states_named(lo, hi)
            if states:
                return next(iter(states)) if len(states) == 1 else None
        return None

    def states_named(self, lo: int, hi: int) -> set[str]:
        """States a stretch of text names: by name, through their army or ministry, or by a
        nationality adjective outside any other name ("Syrian" in "Syrian Democratic
        Forces" names no state)."""
        doc, lex = self.doc, self.lex
        army_state = {e.key: st for st, e in _military_of_state().items()}
        ministry_state = ministries.state_of_ministry()
        out: set[str] = set()
        inside = doc.mentions_in(lo, hi)
        for x in inside:
            ent = doc.entities[x.entity]
            if "State" in ent.types and ent.in_gazetteer:
                out.add(x.entity)
            elif x.entity in army_state or x.entity in ministry_state:
                out.add(army_state.get(x.entity) or ministry_state[x.entity])
            elif x.entity.endswith("-armed-forces"):
                army_of = x.entity[: -len("-armed-forces")]
                if army_of in load_matcher().states:
                    out.add(army_of)
        for nm in self.rules.nationality.finditer(doc.norm, lo, hi):
            adj_state = lex.nationalities.get(nm.group(0))
            holder = next((x for x in inside if x.span.start <= nm.start() < x.span.end), None)
            if adj_state and holder is None:
                out.add(adj_state)
        return out
