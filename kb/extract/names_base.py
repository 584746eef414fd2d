"""The state and the shared helpers of the rules that find names the gazetteer does not know.

Those rules are split by mechanism into name_runs.py (capitalised runs), state_bodies.py
(armies, ministries, press offices) and name_links.py (short forms and references back);
each is a mixin of ``NameReader``, which holds the document, the compiled rules, the titles
found and every name read so far (``by_name``), and adds persons and organisations.
"""

from __future__ import annotations

import bisect

from .doc import Doc, EntityState
from .gazetteer_index import _is_acronym
from .lexicon import (
    Lexicon,
    load_lexicon,
    matches_at,
)
from .name_rules import _FAITHS, _rules
from .starts import TITLES


def in_sentence_frame(names: NameReader, run_s: int, run_e: int) -> str | bool:
    """The reporting verb after a name ("X said"), True for one before it, else False."""
    rules, norm = names.rules, names.doc.norm
    m = rules.frame_after.match(norm, run_e)
    if m:
        return m.group("verb")
    sent_s = names.sentence_start(run_s)
    return bool(rules.frame_before.search(norm, max(sent_s, run_s - 40), run_s))


def _masked_text(doc: Doc) -> str:
    """The normalised text with mentions and URLs blanked, so name runs stop at them."""
    pieces, last = [], 0
    spans = sorted([(m.span.start, m.span.end) for m in doc.mentions] + doc.masked)
    for s, e in spans:
        if s < last:
            s = last
        if s >= e:
            continue
        pieces.append(doc.norm[last:s])
        pieces.append("\x00" * (e - s))
        last = e
    pieces.append(doc.norm[last:])
    return "".join(pieces)


class NameReader:
    """The document being read, the compiled rules, and how a name is added."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.lex: Lexicon = load_lexicon()
        self.rules = _rules()
        self.sent_starts = [s.start for s in doc.sentences]
        self.title_hits = [
            (m.start(), m.end())
            for m in matches_at(self.rules.title, doc.norm, doc.word_starts(TITLES))
        ]
        self._short_index: dict[str, set[str]] = {}
        self._short_count = -1
        self.ministry_state: dict[str, str] = {}  # a ministry's key -> its state's key
        self.by_name: dict[str, str] = {
            a.casefold(): e.key for e in doc.entities.values() for a in e.aliases
        }

    def sentence_start(self, pos: int) -> int:
        i = bisect.bisect_right(self.sent_starts, pos) - 1
        if i < 0:
            return self.doc.line_start(pos)
        return self.doc.sentences[i].start

    def title_before(self, pos: int) -> tuple[int, str | None, int] | None:
        """The title that governs a name at ``pos``: (title start, org text or None, org end)."""
        sent_s = self.sentence_start(pos)
        i = bisect.bisect_right(self.title_hits, (pos, pos)) - 1
        while i >= 0:
            ts, te = self.title_hits[i]
            if ts < sent_s or pos - te > 120:
                return None
            if te <= pos:
                gm = self.rules.title_gap.fullmatch(self.doc.norm, te, pos)
                if gm:
                    org = (gm.group("org") or "") if gm.group("prep") else None
                    return ts, org, gm.end("org") if gm.group("org") else -1
                if te < pos:
                    return None
            i -= 1
        return None

    # ------------------------------------------------------------------ helpers
    def _bad_name_token(self, t: str) -> bool:
        lex = self.lex
        return (
            t in lex.non_actor
            or t in lex.place_words
            or t in lex.org_heads
            or t in self.rules.titles
            or t in lex.nationalities
            or (_is_acronym(t) and len(t) > 1)
        )

    def add_person(
        self, toks: list[tuple[int, int, str]], evidence: str, intro: set[str]
    ) -> EntityState | None:
        while toks and (toks[0][2] in self.lex.non_actor or toks[0][2] in self.lex.nationalities):
            toks = toks[1:]
        if not toks or len(toks) > 4 or any(self._bad_name_token(t) for _, _, t in toks):
            return None
        s, e = toks[0][0], toks[-1][1]
        name = self.doc.text[s:e]
        if len(name) < 3:
            return None
        key = self.by_name.get(name.casefold())
        if key is None:
            key = self.doc.new_key(name)
            self.doc.add_entity(key, name, {"Person"}, evidence=evidence)
            self.by_name[name.casefold()] = key
        ent = self.doc.entities[key]
        ent.intro |= intro
        self.doc.add_mention(key, s, e)
        return ent

    def add_org(
        self,
        toks: list[tuple[int, int, str]],
        evidence: str,
        acronym: tuple[int, int] | None = None,
        kind: str | None = None,
        name: str | None = None,
    ) -> EntityState | None:
        while toks and toks[0][2] in self.lex.non_actor and toks[0][2] not in _FAITHS:
            toks = toks[1:]
        if not toks or (len(toks) < 2 and not acronym and kind is None):
            return None
        head = toks[-1][2]
        kind = kind or self.lex.org_heads.get(head, "PoliticalOrganisation")
        if kind == "MILITARY":
            kind = "MilitaryForce" if toks[0][2] in self.lex.nationalities else "ArmedGroup"
        s, e = toks[0][0], toks[-1][1]
        name = name or self.doc.text[s:e]
        key = self.by_name.get(name.casefold())
        if key is None:
            key = self.doc.new_key(name)
            self.doc.add_entity(key, name, {kind}, evidence=evidence)
            self.by_name[name.casefold()] = key
        self.doc.add_mention(key, s, e)
        if acronym:
            self.doc.add_mention(key, *acronym)
            self.by_name[self.doc.text[acronym[0] : acronym[1]].casefold()] = key
        return self.doc.entities[key]

    def intro_words(self, start: int, end: int) -> set[str]:
        """Nationality adjectives and title words between ``start`` and ``end``."""
        chunk = self.doc.norm[start:end]
        words = {m.group(0) for m in self.rules.nationality.finditer(chunk)}
        low = chunk.lower()
        words |= {m.group(0) for m in self.rules.role_word.finditer(low)}
        words |= {f"{m.group('mod')} {m.group('role')}" for m in self.rules.role_mod.finditer(low)}
        return words
