"""Collective sources: "Western media", "Russian state TV", "Port Sudan media", "MSM".

Readers and authors judge and cite the media of a country, a side or a kind as one
reporter, and the gold conventions annotate such a qualified collective as a source
(bare "the media" is too generic to be one). A media noun (patterns/collectives.jsonl:
MEDIA_HEAD) is read with the words before it that qualify it: nationality adjectives,
qualifiers such as "mainstream", "state-run", "pro-government", an owner ("Barzani-family
owned outlets", "Russia's state TV") or a capitalised place ("Port Sudan media"). The
entity is named by its qualifiers and the head's own name, so "Russian Media", "Russian
media" and "Russian media channels" are one source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .doc import Doc, slugify
from .lexicon import load_lexicon, read_jsonl

EVIDENCE = "a collective of media named by its qualifiers"
_OWNER_WORDS = frozenset(
    {"owned", "run", "backed", "controlled", "funded", "affiliated", "aligned", "linked"}
)
_HYPHEN_OWNER = re.compile(
    r"[\w'-]+-(?:owned|run|backed|controlled|funded|affiliated|aligned|linked|based)$"
)
_PRO = re.compile(r"(?i)pro-[\w-]+$")
_TOKEN_BEFORE = re.compile(r"([^\s,;:()\"\u201c\u201d]+)[ ]+$")
# nouns after a media noun that make a compound of another kind ("media office" is an
# organisation's own statement office, "press freedom" no reporter at all)
_COMPOUND_AFTER = re.compile(
    r"[ ]+(?:office|offices|wing|arm|bureau|department|centre|center|unit|team|freedom|"
    r"release|releases|conference|briefing|card|pass|corps|watchdog|regulator|law|officer|"
    r"officers|secretary|spokesman|spokeswoman|spokesperson|attache|attaché|chief|director|"
    r"adviser|advisor|service|services)(?![\w-])",
    re.IGNORECASE,
)


# "X is Turkish state media", "one of the few Syrian outlets": a description of X
_PREDICATE_BEFORE = re.compile(
    r"(?<![\w'])(?:is|are|was|were|'s|as|like|being|become|became|one of(?: the)?(?: \w+)?)"
    r"[ ]+(?:(?:an?|the|just|basically|pure|another|simply|merely|actually|obviously)[ ]+)*$"
)


@dataclass(frozen=True)
class _Patterns:
    heads: dict[str, str]  # written head (lower case) -> the head the entity is named by
    qualifiers: frozenset[str]
    generic: frozenset[str]
    acronyms: dict[str, str]
    head_rx: re.Pattern[str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    recs = list(read_jsonl("collectives.jsonl"))
    heads = {r["pattern"].lower(): r["name"] for r in recs if r["label"] == "MEDIA_HEAD"}
    alternatives = sorted(heads, key=len, reverse=True)
    rx = re.compile(
        r"(?<![\w-])(?:"
        + "|".join(re.escape(h).replace(r"\ ", "[ ]+") for h in alternatives)
        + r")(?![\w-])",
        re.IGNORECASE,
    )
    return _Patterns(
        heads=heads,
        qualifiers=frozenset(r["pattern"] for r in recs if r["label"] == "MEDIA_QUALIFIER"),
        generic=frozenset(r["pattern"] for r in recs if r["label"] == "MEDIA_GENERIC"),
        acronyms={r["pattern"]: r["name"] for r in recs if r["label"] == "MEDIA_ACRONYM"},
        head_rx=rx,
    )


def _sentence_initial(norm: str, pos: int) -> bool:
    before = norm[max(0, pos - 3) : pos].rstrip(" ")
    return not before or before.endswith(("\n", ".", "!", "?", ":", "\u201c", '"'))


class _Reader:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.pat = _patterns()
        self.lex = load_lexicon()

    def qualifiers(self, head_start: int, proper_ok: bool = True) -> int | None:
        """Where the qualifiers of a media noun at ``head_start`` begin, or None when no
        word before it qualifies it (or one leaves it generic: "social media")."""
        doc, norm = self.doc, self.doc.norm
        start, distinctive, p = head_start, False, head_start
        proper_before = False  # the word after this one is a capitalised place or owner
        for _ in range(4):
            proper = False
            m = _TOKEN_BEFORE.search(norm, max(0, p - 40), p)
            if m is None:
                break
            word, ws = m.group(1), m.start(1)
            owner = doc.mention_ending_at(m.end(1)) or doc.mention_ending_at(m.end(1) - 2)
            if word.lower() in self.pat.generic:
                if p == head_start:
                    return None  # "social media", "the news media": generic
                break
            if owner is not None and owner.span.start < ws:
                owner_ent = doc.entities[owner.entity]
                if owner_ent.is_media or owner_ent.is_unnamed:
                    return None  # "Al-Masirah TV": the outlet itself
                ws = owner.span.start  # "US media", "Russia's state TV", "Hamas media"
            elif owner is not None:
                if doc.entities[owner.entity].is_media:
                    return None
            elif word in self.lex.nationalities or word.lower() in self.pat.qualifiers:
                pass
            elif _PRO.match(word) or _HYPHEN_OWNER.search(word):
                pass
            elif word in _OWNER_WORDS and self._owner_before(ws) is not None:
                ws = self._owner_before(ws) or ws  # "the Barzani-family owned outlets"
            elif (
                proper_ok
                and word[0].isupper()
                and not (word.isupper() and len(word) > 3)  # shouting, not a name
                and word not in self.lex.non_actor
                and word not in self.lex.generic_modifiers
                and word not in self.lex.titles
                and (not _sentence_initial(norm, ws) or proper_before)
            ):
                proper = True  # a place or owner: "Port Sudan media"
            else:
                break
            start, distinctive, p = ws, True, ws
            proper_before = proper
        return start if distinctive else None

    def _owner_before(self, pos: int) -> int | None:
        m = _TOKEN_BEFORE.search(self.doc.norm, max(0, pos - 40), pos)
        if m and ("-" in m.group(1) or m.group(1)[0].isupper()):
            return m.start(1)
        return None

    def read(self) -> None:
        doc, pat = self.doc, self.pat
        low = doc.low
        if not any(w in low for w in ("media", "press", "tv", "television", "outlets", "newsp")):
            if not any(a in doc.norm for a in pat.acronyms):
                return
        for hm in pat.head_rx.finditer(doc.norm):
            hs, he = hm.span()
            written = hm.group(0)
            if doc.overlaps_mention(hs, he) or doc.is_masked(hs, he):
                continue
            if written[0].isupper() and written != "TV" and _COMPOUND_AFTER.match(doc.norm, he):
                continue
            if _COMPOUND_AFTER.match(doc.norm, he):
                continue
            if written[0].isupper() and self._named_after(hs, he):
                continue  # "Amhara Media Corporation": a name of its own
            # a capitalised word before "TV" is more often a channel's own name ("Tigrai TV")
            start = self.qualifiers(hs, proper_ok=written.lower() not in {"tv", "television"})
            if start is None or _PREDICATE_BEFORE.search(doc.low, max(0, start - 40), start):
                continue  # "Kan is state media": what the subject is, not who reports
            head = pat.heads[" ".join(written.lower().split())]
            quals = " ".join(doc.text[start:hs].split())
            self.add(f"{quals} {head}", start, he)
        for acr, name in pat.acronyms.items():
            for m in re.finditer(rf"(?<![\w-]){re.escape(acr)}(?![\w-])", doc.norm):
                if not doc.overlaps_mention(m.start(), m.end()):
                    self.add(name, m.start(), m.end())

    def _named_after(self, start: int, end: int) -> bool:
        """A capitalised media noun with a capitalised word after it is part of a name,
        unless its whole line is a title-case headline ("Russian Media War Ignores ...")."""
        m = re.match(r"[ ]+([A-Z][\w'-]*)", self.doc.norm[end : end + 40])
        if not m:
            return False
        norm = self.doc.norm
        ls = self.doc.line_start(start)
        le = norm.find("\n", end, end + 200)
        words = norm[max(ls, start - 200) : le if le >= 0 else min(len(norm), end + 200)].split()
        caps = sum(1 for w in words if w[0].isupper())
        return not (len(words) <= 14 and caps * 10 >= len(words) * 7)

    def add(self, name: str, start: int, end: int) -> None:
        doc = self.doc
        for x in doc.mentions_in(start, end):
            doc.remove_mention(x)
            if not doc.has_mentions(x.entity) and not doc.entities[x.entity].in_gazetteer:
                del doc.entities[x.entity]
        key = slugify(name.lower())
        ent = doc.entities.get(key)
        if ent is None or ent.type_evidence != EVIDENCE:
            key = doc.new_key(name) if ent is not None else key
            ent = doc.add_entity(key, name, {"NewsOutlet"}, evidence=EVIDENCE)
        ent.roles.add("source")
        doc.add_mention(key, start, end)


def find_collectives(doc: Doc) -> None:
    """Add the qualified media collectives of the text as sources (after the gazetteer)."""
    _Reader(doc).read()
