"""Stage 2: actors and sources, from the gazetteer, from web addresses, and from the text.

Order matters and is the design: web addresses first (their letters must not match names;
a platform address also names its channel: "t.me/military_informant"), then gazetteer
labels longest first (a state or capital after "in"/"near" is a place, not an actor; a
state's name inside a longer name, "Congo River Alliance", is left to the text rules),
then names the text itself introduces, then within-document merging.

Names from the text: a title before a capitalised name ("Prime Minister X", "co-chair of
Y X"); an acronym defined in parentheses, also after a lower-case noun or in another
language ("UK Maritime Trade Operations agency (UKMTO)", "Congo River Alliance (AFC)"); an
organisation noun ending the name or a media word leading it ("Resistance Committees",
"Top Congo FM", "Radio Okapi"); a descriptor before the name or in apposition to it
("security firm Ambrey", "MONUSCO, the UN peacekeeping mission,", "A Telegram channel
close to the group, X,"); who is told a statement ("told The Irrawaddy"); a group noun
after a name ("Wazalendo militias"); a name in a reporting frame (a person, or an outlet
when it "reported" or has a possessive inside, "Lloyd's List"); a name a reader judges at
the start of a comment's sentence ("Studio Tamani is decent"). Then: an organisation's
own press office ("Hezbollah's media office"), a state's army named by nationality
("the Malian army", "Mali's armed forces"), a state's body in lower case ("Russia's
foreign ministry"), short forms of names ("the Resistance Committees", "the health
ministry", "SITE", "CSP"), a web address that spells a name ("levantfrontlines.net" =
"Levant Frontlines"), a surname alone, a role noun that can only mean one person named
before ("Kurdish representative", "the army spokesman"), and "the Turkish ministry" /
"the Hamas-run ministry" for the one body they can mean.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from kb.gazetteer import GazetteerEntry, load_gazetteer

from . import ministries
from .collectives import find_collectives
from .doc import Doc, EntityState, slugify
from .lexicon import (
    UPPER,
    Lexicon,
    alternation,
    find_all,
    load_lexicon,
    matches_at,
    normalise,
    trie_regex,
)
from .media_names import find_media_names
from .model import SOURCE_TYPES
from .nonactors import EQUIPMENT_AFTER, adjective_or_place, drop_addressees, mask_non_actors
from .starts import GAZETTEER, MILITARY, PRESS_OFFICES, ROLES, TITLES

# ---------------------------------------------------------------------- gazetteer


@dataclass(frozen=True)
class _Label:
    key: str
    text: str
    rx: re.Pattern[str]
    guarded: bool  # a short acronym: refused inside SHOUTED text
    hidden: bool
    second: str  # the second word, lower case ("" for one-word labels)
    state: bool = False  # the label of a state (or its capital)
    body: bool = False  # the label of an official body or organisation ("UN", "EU")


def _is_acronym(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return sum(c.isupper() for c in letters) >= 2 and not any(c.islower() for c in letters)


def _label_regex(label: str) -> str:
    """Acronyms match exactly; the first word keeps an initial capital; later words match
    in any case ("the Gaza health ministry" for "Gaza Health Ministry")."""
    parts = re.split(r"(\s+|-)", label)
    short = len(label) <= 3
    out = []
    first = True
    for p in parts:
        if not p:
            continue
        if p.isspace():
            out.append(r"[ ]+")
        elif p == "-":
            out.append(r"[- ]?")
        elif short or _is_acronym(p):
            out.append(re.escape(p))
            first = False
        elif p[0].isupper() and first:
            out.append(re.escape(p[0]) + (f"(?i:{re.escape(p[1:])})" if len(p) > 1 else ""))
            first = False
        else:
            out.append(f"(?i:{re.escape(p)})")
            first = False
    return "".join(out)


_FIRST_WORD = re.compile(r"\w+")
_NEXT_WORD = re.compile(r"\W{1,3}(\w+)")


class GazetteerMatcher:
    """Gazetteer labels indexed by their first word, and registered domains."""

    def __init__(self, entries: tuple[GazetteerEntry, ...]) -> None:
        self.entries = {e.key: e for e in entries}
        self.by_first: dict[str, dict[str, list[_Label]]] = {}
        self.domains: dict[str, str] = {}
        self.acronyms: set[str] = set()
        self.compact: dict[str, str] = {}  # "kyivindependent" -> key, for @handles and #tags
        for e in entries:
            hidden = set(e.hidden_labels)
            for lab in dict.fromkeys(_title_case_acronyms(_spelling_variants(e.all_labels))):
                text = normalise(lab).strip()
                m = _FIRST_WORD.search(text)
                if not m or m.start() != 0:
                    continue
                guarded = _is_acronym(text) and sum(c.isalpha() for c in text) <= 3
                if _is_acronym(text):
                    self.acronyms.add(text)
                rx = re.compile(_label_regex(text))
                words = _FIRST_WORD.findall(text.lower())
                second = words[1] if len(words) > 1 else ""
                self.by_first.setdefault(words[0], {}).setdefault(second, []).append(
                    _Label(e.key, text, rx, guarded, lab in hidden, second)
                )
                squeezed = re.sub(r"[\W_]+", "", text.lower())
                if len(squeezed) >= 4:
                    self.compact.setdefault(squeezed, e.key)
            for d in e.domains:
                self.domains[d.lower()] = e.key
        self.states = {e.key for e in entries if e.types == frozenset({"State"})}
        for groups in self.by_first.values():  # what _try_labels asks of every candidate
            for labels in groups.values():
                for i, label in enumerate(labels):
                    is_state = label.key in self.states
                    body = not is_state and bool(self.entries[label.key].types & _BODY_KINDS)
                    labels[i] = replace(label, state=is_state, body=body)
        for groups in self.by_first.values():
            for labels in groups.values():
                labels.sort(key=lambda lab: (-len(lab.text), lab.text))
        # every label in lower case (hyphens also as a space or nothing), for one scan that
        # finds whole candidate labels; the case-aware label regexes then confirm them
        self.by_lower: dict[str, list[_Label]] = {}
        for groups in self.by_first.values():
            for group in groups.values():
                for label in group:
                    for variant in _hyphen_variants(label.text.lower()):
                        self.by_lower.setdefault(variant, []).append(label)
        for labels in self.by_lower.values():
            labels.sort(key=lambda lab: (-len(lab.text), lab.text))
        self.full_rx = re.compile(r"(?<!\w)" + trie_regex(set(self.by_lower)) + r"(?!\w)")
        # candidate forms that only labels starting with a capital can confirm (their own
        # labels and every label of their first word): a hit written in lower case ("is"
        # for "IS", "state") is skipped at once, without trying a label regex
        self.capital_only = frozenset(
            form
            for form, labels in self.by_lower.items()
            if all(lab.text[0].isupper() for lab in labels)
            and all(
                lab.text[0].isupper()
                for group in self.by_first.get(_FIRST_WORD.match(form).group(0), {}).values()  # type: ignore[union-attr]
                for lab in group
            )
        )

    def domain_key(self, host: str) -> str | None:
        host = host.lower().rstrip(".")
        parts = host.split(".")
        for i in range(len(parts) - 1):
            key = self.domains.get(".".join(parts[i:]))
            if key:
                return key
        return None


# British and American spellings of the words of body names: either matches a label
_SPELLINGS = (("Defence", "Defense"), ("defence", "defense"), ("Centre", "Center"))


def _spelling_variants(labels: Iterable[str]) -> list[str]:
    """The labels, each followed by its other spelling ("Defence" / "Defense")."""
    out = []
    for lab in labels:
        out.append(lab)
        for a, b in _SPELLINGS:
            if a in lab:
                out.append(lab.replace(a, b))
            elif b in lab:
                out.append(lab.replace(b, a))
    return out


# Title-case forms of acronyms that are also words or names: never read as the acronym
_NOT_TITLED = frozenset(
    {"Memo", "Mena", "Lana", "Saba", "Sana", "Suna", "Ansa", "Isna", "Politico"}
)


def _title_case_acronyms(labels: Iterable[str]) -> list[str]:
    """The labels, each acronym of four or more letters followed by its title-case form:
    some outlets write "Jnim", "Nato", "Isis" for JNIM, NATO, ISIS."""
    out = []
    for lab in labels:
        out.append(lab)
        if lab.isalpha() and lab.isupper() and len(lab) >= 4:
            titled = lab.capitalize()
            if titled not in _NOT_TITLED:
                out.append(titled)
    return out


def _hyphen_variants(text: str) -> list[str]:
    """ "al-nusra" -> al-nusra, al nusra, alnusra (at most the first three hyphens)."""
    out = [text]
    for _ in range(min(3, text.count("-"))):
        nxt = []
        for t in out:
            i = t.find("-")
            if i < 0:
                nxt.append(t)
                continue
            nxt += [t[:i] + "\x00" + t[i + 1 :], t[:i] + " " + t[i + 1 :], t[:i] + t[i + 1 :]]
        out = nxt
    return list(dict.fromkeys(t.replace("\x00", "-") for t in out))


@lru_cache(maxsize=1)
def load_matcher() -> GazetteerMatcher:
    """The compiled gazetteer (once per process)."""
    return GazetteerMatcher(load_gazetteer())


# ---------------------------------------------------------------------- compiled text rules


@dataclass(frozen=True)
class _Rules:
    url: re.Pattern[str]
    bare_domain: re.Pattern[str]
    token: re.Pattern[str]
    run: re.Pattern[str]
    title: re.Pattern[str]
    title_gap: re.Pattern[str]
    titles: frozenset[str]
    frame_after: re.Pattern[str]
    frame_before: re.Pattern[str]
    org_apposition: re.Pattern[str]
    acronym_def: re.Pattern[str]
    role_word: re.Pattern[str]
    role_left: re.Pattern[str]
    nationality: re.Pattern[str]
    candidates: re.Pattern[str]
    definite_org: re.Pattern[str]
    descriptor_before: re.Pattern[str]
    descriptor_lead: re.Pattern[str]
    press_office: re.Pattern[str]
    military: re.Pattern[str]
    role_mod: re.Pattern[str]


_ORG_NOUNS = (
    "ministry|army|military|government|agency|observatory|monitor|council|command|militia|"
    "channel|newspaper|outlet|broadcaster|media office|press office|coalition|parliament"
)


_ORG_NOUN_RX = re.compile(rf"\b(?:{_ORG_NOUNS})\b")
_ORG_NOUN_SET = frozenset(_ORG_NOUNS.split("|"))


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    lex = load_lexicon()
    tok = rf"{UPPER}\w*(?:['-]\w+)*"
    inner_tok = rf"(?:(?:al|el|ad|as|ash|at|az|an|ar)-)?{tok}"
    connect = (
        r"(?:of the|for the|for a|of|for|on|de|del|la|du|des|da|di|al|el|bin|ibn|bint|abu"
        r"|van|von|der|den|le|ul)"
    )
    run = rf"{tok}(?:(?:[ ]+{connect}[ ]+|[ ]+|[ ]*-[ ]*){inner_tok})*"
    says = alternation([v for v, k in lex.report_verbs.items() if k in {"say", "tell", "deny"}])
    aux = alternation(lex.auxiliaries)
    descriptors = alternation(lex.descriptors)
    return _Rules(
        url=re.compile(r"(?:https?://|www\.)[^\s<>\"\u201c\u201d]+", re.IGNORECASE),
        bare_domain=re.compile(
            r"(?<![\w@./-])((?:[A-Za-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*"
            + alternation(lex.tlds)
            + r")(?![\w-])(?:/[^\s<>\"\u201c\u201d]*)?"
        ),
        token=re.compile(inner_tok),
        run=re.compile(run),
        title=re.compile(rf"(?<![\w-]){trie_regex(set(lex.titles))}(?![\w-])"),
        title_gap=re.compile(
            r"(?P<prep>\s+(?:of|for|at|in|to|with|from)\s+(?:the\s+)?(?P<org>[^,.;:!?()\n]{1,90}?\s+)?)?"
            r"\s*,?\s*"
        ),
        titles=frozenset(lex.titles),
        frame_after=re.compile(
            rf"\s*(?:\([^()\n]{{1,15}}\)\s*)?(?:,[^,.;\n]{{1,80}},\s*|,\s*)?(?:{aux}\s+){{0,2}}"
            rf"(?P<verb>{says})(?![\w'-])"
        ),
        org_apposition=re.compile(
            r",\s*(?:an?|the|its|[\w-]+'s)\s+(?:[\w'-]+\s+){0,3}?"
            rf"(?P<noun>(?i:{descriptors}))(?![\w-])"
        ),
        frame_before=re.compile(
            r"(?:\b(?:said|says|told|according to|quoted|quoting|citing)\s+"
            r"|[\u201d\"],?\s+said\s+)$"
        ),
        acronym_def=re.compile(
            rf"\s*(?:(?P<noun>(?i:{descriptors}|{alternation(lex.military_nouns)}))\s+)?"
            r"\(\s*(?P<acr>[A-Z][A-Za-z0-9.&'-]{1,11})\s*\)"
        ),
        role_word=re.compile(
            rf"(?<![\w-]){trie_regex({r.lower() for r in lex.role_nouns})}(?![\w-])"
        ),
        role_left=re.compile(
            rf"(?:(?P<det>[Tt]he|[Aa]n?|[Tt]his|[Tt]hat)\s+)?(?P<adj>{alternation(lex.nationalities)})\s+$"
        ),
        nationality=re.compile(rf"(?<![\w-]){alternation(lex.nationalities)}(?![\w-])"),
        # a dot first, so that ``re`` jumps from dot to dot (a look-behind first would
        # make it try every character); the first hit in a token is the same
        candidates=re.compile(r"\.(?<=[a-z0-9]\.)[a-z]{2}"),
        definite_org=re.compile(
            rf"(?<![\w-])[Tt]he\s+(?P<adj>{alternation(lex.nationalities)})\s+(?P<noun>{_ORG_NOUNS})(?![\w-])"
        ),
        descriptor_before=re.compile(rf"(?<![\w-])(?P<noun>(?i:{descriptors}))[ ]+$"),
        descriptor_lead=re.compile(
            rf"(?:^|[,;:]\s*)(?:[Aa]n?|[Tt]he)\s+(?:[^\s,;:]+\s+){{0,4}}?"
            rf"(?P<noun>(?i:{descriptors}))(?![\w-])[^,;:\n]{{0,60}},\s*$"
        ),
        press_office=re.compile(
            rf"(?:'s)?[ ]+(?P<office>(?i:{alternation(lex.press_offices)}))(?![\w-])"
        ),
        military=re.compile(
            rf"(?<![\w-])(?P<adj>{alternation(lex.nationalities)})[ ]+"
            rf"(?P<noun>{alternation(lex.military_nouns)})(?![\w-])"
        ),
        role_mod=re.compile(
            rf"(?<![\w-])(?P<mod>army|military|government|ministry|police|rebel|rebels|militia|group|"
            rf"movement|presidency|kremlin|navy|junta)[ ]+"
            rf"(?P<role>{trie_regex({r.lower() for r in lex.role_nouns})})(?![\w-])"
        ),
    )


# ---------------------------------------------------------------------- stage

# "X, a rights group, said": the noun of the apposition gives the class
_APPOSITION_TYPES = {
    "party": "PoliticalOrganisation",
    "movement": "PoliticalOrganisation",
    "coalition": "PoliticalOrganisation",
    "alliance": "PoliticalOrganisation",
    "militia": "ArmedGroup",
    "faction": "ArmedGroup",
    "outlet": "NewsOutlet",
    "newspaper": "NewsOutlet",
    "channel": "NewsOutlet",
    "broadcaster": "NewsOutlet",
    "website": "Website",
    "site": "Website",
    "monitor": "Website",
}


def _registered_domain(host: str) -> str:
    parts = [p for p in host.lower().split(".") if p]
    if parts and parts[0] == "www":
        parts = parts[1:]
    if len(parts) >= 3 and parts[-2] in {"co", "com", "org", "net", "gov", "ac", "edu", "mil"}:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def _match_domains(doc: Doc) -> None:
    rules, gaz = _rules(), load_matcher()
    found: list[tuple[int, int, int, int]] = []  # url span, host span
    low = doc.low
    # a web address begins with "http" or "www." in any case: found in the lower-cased
    # twin with str.find, the (case-blind) pattern is tried only there
    urls = matches_at(rules.url, doc.norm, find_all(low, ("http", "www.")))
    for m in urls:
        s, e = m.start(), m.end()
        while e > s and doc.norm[e - 1] in ".,;:!?)]'\u2026\u2019":
            e -= 1
        hm = re.match(r"(?:https?://)?(?:www\.)?([^/\s:?#]+)", doc.norm[s:e], re.IGNORECASE)
        if hm:
            found.append((s, e, s + hm.start(1), s + hm.end(1)))
    seen: set[int] = set()
    for c in rules.candidates.finditer(doc.norm):
        lo = max(0, c.start() - 300)  # a token is short: never scan back through the text
        ts = (
            max(lo - 1, doc.norm.rfind(" ", lo, c.start()), doc.norm.rfind("\n", lo, c.start())) + 1
        )
        if ts in seen:
            continue
        seen.add(ts)
        te = len(doc.norm)
        for sep in (" ", "\n"):
            k = doc.norm.find(sep, c.end())
            if k >= 0:
                te = min(te, k)
        dm = rules.bare_domain.search(doc.norm, ts, te)
        if not dm:
            continue
        s, e = dm.start(), dm.end()
        if any(a <= s < b for a, b, _, _ in found):
            continue
        while e > s and doc.norm[e - 1] in ".,;:!?)]'\u2026":
            e -= 1
        hs, he = dm.start(1), dm.end(1)
        if doc.norm.startswith("www.", hs):
            hs += 4
        found.append((s, e, hs, he))
    for s, e, hs, he in sorted(found):
        doc.mask(s, e)
        host = doc.norm[hs:he].rstrip(".")
        he = hs + len(host)
        if "." not in host:
            continue
        key = gaz.domain_key(host)
        if key:
            entry = gaz.entries[key]
            doc.add_entity(key, entry.name, set(entry.types), in_gazetteer=True)
        else:
            name = _registered_domain(host)
            key = doc.new_key(name)
            doc.add_entity(key, name, {"Website"}, evidence=_DOMAIN_EVIDENCE)
        doc.add_mention(key, hs, he)
        if _registered_domain(host) in _PLATFORMS:
            _match_channel_handle(doc, he, e)


# Platforms whose web addresses name a channel or account right after the host:
# "t.me/military_informant", "x.com/KyivIndependent", "youtube.com/@rybar".
_PLATFORMS = frozenset(
    {
        "t.me",
        "telegram.me",
        "x.com",
        "twitter.com",
        "youtube.com",
        "facebook.com",
        "instagram.com",
        "tiktok.com",
    }
)
_HANDLE_PATH = re.compile(r"/(?:s/)?@?([A-Za-z0-9_.]{3,40})(?=[/?#]|$)")
_NOT_HANDLES = frozenset({"watch", "channel", "status", "share", "hashtag", "search", "home", "c"})
_HANDLE_EVIDENCE = "a channel or account named in a web address"


def _match_channel_handle(doc: Doc, start: int, end: int) -> None:
    """The account in a platform address: a source of its own (the gazetteer's when its
    squeezed name is known there, else one named by the handle)."""
    m = _HANDLE_PATH.match(doc.norm, start, end)
    if not m or m.group(1).lower() in _NOT_HANDLES:
        return
    handle = m.group(1)
    gaz = load_matcher()
    key = gaz.compact.get(re.sub(r"[\W_]+", "", handle.lower()))
    if key:
        entry = gaz.entries[key]
        doc.add_entity(key, entry.name, set(entry.types), in_gazetteer=True)
    else:
        key = doc.new_key(handle)
        doc.add_entity(key, handle, {"Website"}, evidence=_HANDLE_EVIDENCE)
    doc.add_mention(key, m.start(1), m.end(1))


_NAME_AFTER = re.compile(rf"[ ]+{UPPER}")
_POSSESSIVE_BEFORE = re.compile(r"'s[ ]+$")
_ORDINAL_BEFORE = re.compile(r"(?<!\w)\d+(?:st|nd|rd|th)[ ]+$")
_UNIT_OF = re.compile(
    r"(?<![\w-])(?:army|military|militia|navy|police|group)'s[ ]+$", re.IGNORECASE
)
_PLACE_AFTER = re.compile(r"[ ]+([a-z]+)")
_FORCES = frozenset({"MilitaryForce", "ArmedGroup"})
# verbs of speech (not of publishing) after a one-word name: the name is a person's
_SPEECH_AFTER = re.compile(
    r"[ ]+(?:said|says|stated|states|wrote|writes|added|adds|asked|asks|replied|replies|"
    r"explained|explains|tweeted|insisted|insists|admitted|admits|told|tells)(?![\w-])"
)
_NOT_OPENING = re.compile(r"(?:^(?:And|But|So|Then)[ ]+|[a-z,;][ ]+)$")
# a preposition before a name puts it inside a phrase ("Residents of Sarrin", "people in
# Marea", "families from Zawiya"): the verb after it has that phrase's head as subject
_PREPOSITION_BEFORE = re.compile(
    r"(?<![\w-])(?:of|in|from|near|at|inside|outside|around|across)[ ]+"
    r"(?:the[ ]+)?$"
)
# "Residents of", "Witnesses in": a collective noun capitalised at a sentence start and
# the link that joins it to the place its people are from
_COLLECTIVE_LINK = re.compile(r"[ ]+(?:of|for)[ ]+(?:the[ ]+)?$")
_HIS_HER_AFTER = re.compile(
    r"(?:,)?[ ]+(?:(?:in|and|with|on|to|for|of)[ ]+)?(?:his|her)[ ]+[a-z]", re.IGNORECASE
)
# faiths and peoples that name an organisation with its noun ("Muslim Brotherhood")
_FAITHS = frozenset(
    "Muslim Islamic Christian Jewish Catholic Orthodox Sunni Shia Shiite Druze Hindu Buddhist "
    "Coptic Evangelical".split()
)
_TITLE_IN_PLACE = re.compile(r"(?<![\w-])in[ ]+(?:the[ ]+)?[a-z\u00c0-\u024f' -]*$|in[ ]+\S")
_TOLD_BEFORE = re.compile(
    r"(?<![\w-])(?:told|(?:an?|the|exclusive|phone|recent)[ ]+interview[ ]+with|interviewed[ ]+by|"
    r"(?:speaking|talking)[ ]+to)[ ]+(?:[Tt]he[ ]+)?$"
)
_TIME_WORDS = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April "
    "May June July August September October November December".split()
)
_GROUP_AFTER = re.compile(
    r"[ ]+(militias?|rebels|fighters|insurgents|militants|paramilitaries|jihadists|guerrillas)"
    r"(?![\w-])"
)
_MEDIA_KINDS = frozenset({"NewsOutlet", "NewsAgency", "Website", "Map"})
_PUBLISHING_VERBS = frozenset(
    {"reported", "reports", "published", "publishes", "broadcast", "aired"}
)


@lru_cache(maxsize=4096)
def _acronym_like(token: str) -> bool:
    """ "UKMTO", "FAMa", "CSP-DPA": at least two capitals and more capitals than not."""
    letters = [c for c in token if c.isalpha()]
    caps = sum(c.isupper() for c in letters)
    return len(letters) >= 2 and caps >= 2 and caps * 2 > len(letters)


_DOMAIN_EVIDENCE = "an internet domain in the text"


@lru_cache(maxsize=1)
def _adjective_of_state() -> dict[str, str]:
    """Gazetteer state key -> its first nationality adjective ("mali" -> "Malian")."""
    out: dict[str, str] = {}
    for adj, key in load_lexicon().nationalities.items():
        if key and "-" not in adj and adj[0].isupper():
            out.setdefault(key, adj)
    return out


@lru_cache(maxsize=1)
def _adjectives_of_state() -> dict[str, tuple[str, ...]]:
    """Gazetteer state key -> all its one-word nationality adjectives ("British", "UK")."""
    out: dict[str, list[str]] = {}
    for adj, key in load_lexicon().nationalities.items():
        if key and " " not in adj and adj[0].isupper():
            out.setdefault(key, []).append(adj)
    return {k: tuple(v) for k, v in out.items()}


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
def _lazy_word_sets() -> tuple[frozenset[str], frozenset[str]]:
    lex = load_lexicon()
    last = frozenset(d.split()[-1] for d in lex.descriptors)
    group_place = frozenset(
        {
            "militia",
            "militias",
            "rebels",
            "fighters",
            "insurgents",
            "militants",
            "paramilitaries",
            "jihadists",
            "guerrillas",
        }
        | lex.place_nouns
        | {n.split()[0] for n in lex.press_offices}
    )
    return last, group_place


@lru_cache(maxsize=1)
def _nationality_set() -> frozenset[str]:
    return frozenset(load_lexicon().nationalities)


_ADJ_BEFORE = re.compile(r"(?<![\w-])([A-Z][\w-]*(?: [A-Z][\w-]*)?)[ ]+$")


@lru_cache(maxsize=1)
def _military_noun_rx() -> re.Pattern[str]:
    return re.compile(rf"(?<=[a-z] )(?:{alternation(load_lexicon().military_nouns)})(?![\w-])")


@lru_cache(maxsize=1)
def _MILITARY_AFTER_STATE() -> re.Pattern[str]:  # noqa: N802  # a cached constant
    return re.compile(rf"(?:'s)?[ ]+(?:{alternation(load_lexicon().military_nouns)})(?![\w-])")


@lru_cache(maxsize=1)
def _nationality_ministry_rx() -> re.Pattern[str]:
    return ministries.nationality_rx(alternation(load_lexicon().nationalities))


_ORG_NOUN_AT = re.compile(rf"({_ORG_NOUNS})(?![\w-])")


_STATE_BODY = re.compile(
    r"'s[ ]+(?P<body>(?:(?:foreign|defence|defense|interior|health|information|justice|"
    r"intelligence|emergencies|emergency|security|presidential|prime minister's)[ ]+)?"
    r"(?:ministry|office|presidency|general staff|security service|intelligence service))(?![\w-])"
)
_DEFINITE_BEFORE = re.compile(r"(?<![\w-])(?:the|its|their)[ ]+$")
# who may own a ministry besides a state: governments, parties, armed movements
_MINISTRY_OWNERS = frozenset({"OfficialBody", "PoliticalOrganisation", "ArmedGroup"})
# names the text rules read without knowing a ministry was meant; one gives way to it
_READ_ON_ITS_OWN = frozenset(
    {"an organisation noun in the name", "an acronym in a reporting frame", "a ministry's acronym"}
)


# "-run ", "-led ": a hyphen first, so that ``re`` jumps from hyphen to hyphen
_CONTROL_MARKER = re.compile(r"-(?:run|controlled|led|held|backed|linked) ")


def _find_word_at(text: str, word: str, offsets: list[int]) -> list[int]:
    """``_find_word(text, word)`` when ``offsets`` (ascending) holds every word start
    where ``word`` occurs, as the shared scan of starts.py gives: no ``str.find``."""
    if _has_border(word):  # its occurrences may overlap: the plain search decides
        return _find_word(text, word)
    n, out = len(word), []
    for i in offsets:
        if text.startswith(word, i):
            after = text[i + n] if i + n < len(text) else " "
            if i and text[i - 1] in "_-":
                continue
            if not (after.isalnum() or after in "_-'"):
                out.append(i)
    return out


@lru_cache(maxsize=1024)
def _has_border(word: str) -> bool:
    """True when a proper prefix of ``word`` is also its suffix ("abab"): only then can
    two occurrences overlap."""
    return any(word[:k] == word[-k:] for k in range(1, len(word)))


def _find_word_twice(norm: str, low: str, word: str, lowered: bool) -> tuple[list[int], list[int]]:
    """``_find_word(norm, word)`` and, if ``lowered``, ``_find_word(low, word.lower())``,
    from one pass of ``str.find`` over the lower-cased twin (every occurrence as written
    is one in lower case too)."""
    lw = word.lower()
    if not lowered or len(lw) != len(word):
        return _find_word(norm, word), _find_word(low, lw) if lowered else []
    occ, i = [], low.find(lw)
    while i >= 0:  # every occurrence, overlapping ones too
        occ.append(i)
        i = low.find(lw, i + 1)
    return (
        _word_chain(norm, word, [i for i in occ if norm.startswith(word, i)]),
        _word_chain(low, lw, occ),
    )


def _word_chain(text: str, word: str, occurrences: list[int]) -> list[int]:
    """What ``_find_word`` keeps of the (ascending) occurrences of ``word``: each search
    resumes after the last occurrence, and whole words only."""
    out, n, resume = [], len(word), 0
    for i in occurrences:
        if i < resume:
            continue
        resume = i + n
        before = text[i - 1] if i else " "
        after = text[i + n] if i + n < len(text) else " "
        if not (before.isalnum() or before in "_-") and not (after.isalnum() or after in "_-'"):
            out.append(i)
    return out


def _find_word(text: str, word: str) -> list[int]:
    """Start offsets of ``word`` in ``text`` as a whole word (``str.find``: no regex)."""
    out, n, i = [], len(word), text.find(word)
    while i >= 0:
        before = text[i - 1] if i else " "
        after = text[i + n] if i + n < len(text) else " "
        if not (before.isalnum() or before in "_-") and not (after.isalnum() or after in "_-'"):
            out.append(i)
        i = text.find(word, i + n)
    return out


def in_sentence_frame(names: _TextNames, run_s: int, run_e: int) -> str | bool:
    """The reporting verb after a name ("X said"), True for one before it, else False."""
    rules, norm = names.rules, names.doc.norm
    m = rules.frame_after.match(norm, run_e)
    if m:
        return m.group("verb")
    sent_s = names.sentence_start(run_s)
    return bool(rules.frame_before.search(norm, max(sent_s, run_s - 40), run_s))


_HANDLE = re.compile(r"(?<![\w@#])[@#](\w{3,40})")


def _match_handles(doc: Doc) -> None:
    """@KyivIndependent, #Reuters: a handle or tag that squeezes to a gazetteer label."""
    if "@" not in doc.norm and "#" not in doc.norm:
        return
    gaz = load_matcher()
    for m in _HANDLE.finditer(doc.norm):
        key = gaz.compact.get(m.group(1).lower().replace("_", ""))
        if key and not doc.is_masked(m.start(), m.end()):
            entry = gaz.entries[key]
            doc.add_entity(key, entry.name, set(entry.types), in_gazetteer=True)
            doc.add_mention(key, m.start(1), m.end(1))


_LAST_WORD_BEFORE = re.compile(r"(\w+)[ ]+$")
_FIRST_WORD_AFTER = re.compile(r"[ ]+(\w+)")


def _shouted(norm: str, s: int, e: int, acronyms: set[str]) -> bool:
    """True when a short acronym sits among all-capital words ("THIS IS BAD").

    A shouted word has two capital letters next to the gap, which is tested first: most
    acronyms stand among lower-case words and need no word search at all.
    """
    j = s
    while j > 0 and norm[j - 1] == " ":
        j -= 1
    k = e
    while k < len(norm) and norm[k] == " ":
        k += 1
    before = after = None
    if j < s and norm[j - 2 : j].isupper():
        before = _LAST_WORD_BEFORE.search(norm, max(0, s - 30), s)
    if k > e and norm[k : k + 2].isupper():
        after = _FIRST_WORD_AFTER.match(norm, e, e + 30)
    for m in (before, after):
        if m:
            w = m.group(1)
            if len(w) >= 2 and w.isalpha() and w.isupper() and w not in acronyms:
                return True
    return False


_WORD_BEFORE = re.compile(r"(\w+)\W{1,2}$")
_CAPS_AFTER = re.compile(rf"(?:[ ]+(?:(?:of|for|and|de|du|des)[ ]+)?{UPPER}[\w'-]*){{1,5}}")


def _after_locative(low: str, pos: int) -> bool:
    """True when the word before ``pos`` is a locative preposition ("in", "near")."""
    window = low[max(0, pos - 20) : pos]
    if not window or not window[-1].isspace():
        return False  # no space before the name: not a separate word
    words = window.replace(",", " ").split()
    return bool(words) and words[-1] in _locatives()


@lru_cache(maxsize=1)
def _locatives() -> frozenset[str]:
    return load_lexicon().locatives


def _place_of_before(low: str, pos: int, end: int) -> bool:
    """True when "<part> of (the)" comes before ``pos`` ("the suburbs of", "south of"),
    and the name is not a possessor ("part of Russia's plan" is about the state)."""
    if not (low.endswith(" of ", 0, pos) or low.endswith(" of the ", 0, pos)):
        return False  # the common case, without slicing
    window = low[max(0, pos - 40) : pos]
    if low.startswith("'", end):
        return False
    words = window.split()
    if words and words[-1] == "the":
        words = words[:-1]
    return len(words) >= 2 and words[-1] == "of" and words[-2] in load_lexicon().place_of


@lru_cache(maxsize=1)
def _place_after_rx() -> re.Pattern[str]:
    """After a state's or capital's name, words that make it a place: "Tripoli's southern
    suburbs", "Syria's north", "the Kyiv region", "the Damascus countryside", "the
    Tripoli militias" (militias of the city, not the state)."""
    lex = load_lexicon()
    directions = alternation(w for w in lex.locatives if w.endswith(("ern", "al")))
    parts = alternation(lex.place_of)
    after = alternation(lex.place_of | {"militia", "militias"})
    return re.compile(
        rf"(?:'s?[ ]+(?:{directions}[ ]+)?{parts}|[ ]+(?:{directions}[ ]+)?{after})(?![\w-])"
        rf"(?![ ]+{_BODY_AFTER_PLACE})"  # "Kyiv's city council", "Libya's coast guard"
    )


_BODY_AFTER_PLACE = (
    r"(?:council|guards?|service|police|authorities|administration|forces|troops|officials|"
    r"governor|mayor|military|office|command|government)(?![\w-])"
)


def _place_after(low: str, end: int) -> bool:
    return _place_after_rx().match(low, end) is not None


def _starts_org_name(norm: str, end: int, bodies: bool = False) -> bool:
    """True when capitalised words after ``end`` end in an organisation noun; with
    ``bodies``, in the noun of an official body ("Mission", "Office", "Council"), also
    before an "of"/"for" ("Mission for Ukraine")."""
    m = _CAPS_AFTER.match(norm, end)
    if not m:
        return False
    words = m.group(0).split()
    if not bodies:
        return words[-1] in load_lexicon().org_heads
    link = next((i for i, w in enumerate(words) if w in _CAPS_LINKS), len(words))
    return words[-1] in _body_heads() or words[max(0, link - 1)] in _body_heads()


@lru_cache(maxsize=1)
def _body_heads() -> frozenset[str]:
    """The nouns that end an official body's name: after a known organisation's name
    they make one longer name ("UN Support Mission"); "Hamas Movement" stays Hamas."""
    heads = load_lexicon().org_heads
    return frozenset(h for h, kind in heads.items() if kind == "OfficialBody") | {"Council"}


# organisation nouns whose name may go on with an "of"/"for" complement or a place, and
# the bodies a known organisation's name may lead ("UN Support Mission in Libya")
_COMPLEMENT_KINDS = frozenset({"OfficialBody", "PoliticalOrganisation", "Website"})
_BODY_KINDS = frozenset({"OfficialBody", "PoliticalOrganisation"})
_PLACE_COMPLEMENT_HEADS = frozenset({"Mission", "Office", "Commission", "Committee"})
_PLACE_COMPLEMENT = re.compile(
    rf"[ ]+(?:in|to|for|on)[ ]+(?:the[ ]+)?(?P<place>{UPPER}[\w'-]*(?:[ ]+{UPPER}[\w'-]*){{0,3}})"
)


def _known_body_first(word: str) -> bool:
    """True when ``word`` is a gazetteer name or acronym of an organisation or official
    body ("UN", "EU"): a name it leads with an organisation noun is a body's name."""
    gaz = load_matcher()
    return any(
        lab.text == word and gaz.entries[lab.key].types & _BODY_KINDS
        for lab in gaz.by_lower.get(word.lower(), ())
    )


_CAPS_LINKS = frozenset({"of", "for", "and", "de", "du", "des"})
_CAP_AFTER = re.compile(rf"[ ]+({UPPER}[\w'-]*)")
_CAP_OF_BEFORE = re.compile(rf"{UPPER}[\w'-]*[ ]+of[ ]+$")


def _inside_longer_name(norm: str, start: int, end: int) -> bool:
    """A state's name inside a longer capitalised name: "Myanmar Now" (a capital word right
    after it, mid-sentence) or "Global New Light of Myanmar" ("<Name> of" before it)."""
    cm = None
    if norm[start].isupper() and norm[max(0, start - 40) : start].rstrip(" ").endswith(" of"):
        cm = _CAP_OF_BEFORE.search(norm, max(0, start - 40), start)
    if cm:  # "Light of Myanmar", not "Fighters of the US"
        before = norm[max(0, cm.start() - 2) : cm.start()]
        if (
            cm.start() > 0
            and not before.endswith("\n")
            and not before.rstrip().endswith((".", "!", "?"))
        ):
            return True  # the capital word before "of" is not just a sentence start
    m = _CAP_AFTER.match(norm, end)
    if not m:
        return False
    word = m.group(1)
    lex = load_lexicon()
    if word in lex.non_actor or word in lex.titles or word in lex.nationalities:
        return False
    if word in load_matcher().by_first or word.lower() in load_matcher().by_first:
        return False  # "Syria Russia Iran": a list of known names
    before = norm[max(0, start - 2) : start]
    return not (start == 0 or before.endswith("\n") or before.rstrip().endswith((".", "!", "?")))


def _match_platform_x(doc: Doc) -> None:
    """ "on X" / "via X": the platform formerly called Twitter, named as written."""
    gaz = load_matcher()
    if "twitter" not in gaz.entries or " X" not in doc.norm:
        return
    entry = gaz.entries["twitter"]
    for m in _X_WORD.finditer(doc.norm):  # a literal scan; the preposition is checked after
        x = m.start() + 1
        if _ON_BEFORE.search(doc.norm, max(0, x - 6), x) and not doc.is_masked(x, x + 1):
            doc.add_entity("twitter", entry.name, set(entry.types), in_gazetteer=True)
            doc.add_mention("twitter", x, x + 1)


_X_WORD = re.compile(r" X(?![\w'-])")
_ON_BEFORE = re.compile(r"(?<![\w-])(?:on|via|to)[ ]+$")


def _match_gazetteer(doc: Doc) -> None:
    """Gazetteer labels, longest first: one scan of the lower-cased text finds whole
    candidate labels, the case-aware label regex confirms each (an acronym must be in
    capitals, a name must start with one)."""
    gaz = load_matcher()
    norm, low = doc.norm, doc.low
    capital_only, by_lower = gaz.capital_only, gaz.by_lower
    skip_to = 0
    for m in matches_at(gaz.full_rx, low, doc.word_starts(GAZETTEER)):  # see starts.py
        pos = m.start()
        if pos < skip_to:
            continue
        form = m.group(0)
        if form in capital_only and not norm[pos].isupper():
            continue  # "is", "state": no label written in capitals can match here
        done = _try_labels(doc, gaz, by_lower.get(form, ()), pos)
        if done is None:  # the longest form failed its case check: shorter labels here
            word = _FIRST_WORD.match(low, pos)
            groups = gaz.by_first.get(word.group(0)) if word else None
            if groups:
                nm = _NEXT_WORD.match(low, word.end()) if word else None
                two = groups.get(nm.group(1)) if nm else None
                labels = groups.get("", []) if two is None else two + groups.get("", [])
                done = _try_labels(doc, gaz, labels, pos)
        if done is not None:
            skip_to = done


def _try_labels(doc: Doc, gaz: GazetteerMatcher, labels: Iterable[_Label], pos: int) -> int | None:
    """Match the first label that fits at ``pos``; the end of what it covers, or None."""
    norm, low = doc.norm, doc.low
    n = len(norm)
    for lab in labels:
        mm = lab.rx.match(norm, pos)
        if not mm:
            continue
        end = mm.end()
        if end < n and (norm[end].isalnum() or norm[end] == "_"):
            continue
        if lab.text[-1] != "." and end + 1 < n and norm[end] == "." and norm[end + 1].isalpha():
            continue  # "US" inside "US.gov"
        if doc.masked and doc.is_masked(pos, end):
            continue
        if lab.guarded and _shouted(norm, pos, end, gaz.acronyms):
            continue
        if (
            EQUIPMENT_AFTER.match(low, end)
            and gaz.entries[lab.key].types & _FORCES
            and lab.text.split()[0] in _nationality_set()
        ):
            doc.mask(pos, end)  # "a Ukrainian military plane": the army only qualifies it
            return end
        if lab.body and _starts_org_name(norm, end, bodies=True):
            return None  # "UN Support Mission in Libya": the longer name is read from the text
        if lab.state:
            if (
                _after_locative(low, pos)
                or _place_of_before(low, pos, end)
                or _place_after(low, end)
                or adjective_or_place(low, norm, pos, end)
            ):
                # "in Yemen", "the suburbs of Damascus", "Tripoli's southern suburbs", "the
                # Kyiv region": a place, not the state acting
                doc.mask(pos, end)
                return end
            if _starts_org_name(norm, end) or _inside_longer_name(norm, pos, end):
                return None  # "Congo River Alliance", "Myanmar Now": read from the text
        if lab.key not in doc.entities:
            entry = gaz.entries[lab.key]
            doc.add_entity(lab.key, entry.name, set(entry.types), in_gazetteer=True)
        return end if doc.add_mention(lab.key, pos, end, hidden=lab.hidden) else None
    return None


# a media noun after an outlet's known name is part of how the text names it ("AMN News")
_MEDIA_TAIL = re.compile(r"[ ]+(?:News|TV|Television|Radio|Agency|Online|Daily|Network)(?![\w-])")


def _extend_outlets(doc: Doc) -> None:
    """ "AMN News", "Al-Masirah TV": the gazetteer's outlet read with the media noun the
    text writes after its label, so the name as written is one of its aliases."""
    for m in doc.mentions:
        ent = doc.entities[m.entity]
        if not ent.is_media or not ent.in_gazetteer:
            continue
        tail = _MEDIA_TAIL.match(doc.norm, m.span.end)
        if tail is None or doc.overlaps_mention(m.span.end, tail.end()):
            continue
        if doc.norm.startswith(tail.group(0).strip(), m.span.end - len(tail.group(0).strip())):
            continue  # "Al Jazeera TV" read as "... TV TV"
        doc.remove_mention(m)
        doc.add_mention(m.entity, m.span.start, tail.end())


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


class _TextNames:
    """The rules that find names the gazetteer does not know."""

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

    # ------------------------------------------------------------------ rules
    def run(self) -> None:
        doc, rules = self.doc, self.rules
        masked = _masked_text(doc)
        skip = self.lex.non_actor
        for rm in rules.run.finditer(masked):
            word = rm.group(0)
            if word in skip:
                continue  # "The", "However", "I": the commonest runs, never a name
            if " " not in word and "-" not in word:  # one token (most runs): no token scan
                s, e = rm.span()
                toks = [(s, e - 2, word[:-2]) if word.endswith("'s") else (s, e, word)]
            else:
                toks = [
                    (m.start(), m.end(), m.group(0))
                    for m in rules.token.finditer(masked, rm.start(), rm.end())
                ]
                toks = [(s, e - 2, t[:-2]) if t.endswith("'s") else (s, e, t) for s, e, t in toks]
            toks = [t for t in toks if t[1] > t[0]]
            for i in range(1, len(toks)):  # "Aleppo on Friday": a date word ends a name
                if toks[i][2] in _TIME_WORDS:
                    toks = toks[:i]
                    break
            if not toks:
                continue
            self.read_run(toks, masked)
        self.acronyms_again()
        self.press_offices()
        self.militaries()
        self.state_bodies()
        self.nationality_ministries()
        self.bare_ministries()
        self.merge_domains()
        self.affix_aliases()
        self.surnames(masked)
        self.role_nouns()
        self.definite_orgs()

    def read_run(self, toks: list[tuple[int, int, str]], masked: str) -> None:
        doc, rules, lex = self.doc, self.rules, self.lex
        while len(toks) > 1 and toks[0][2] in lex.non_actor and toks[0][2] not in _FAITHS:
            toks = toks[1:]  # "The Irrawaddy" is read as "Irrawaddy"
        run_s, run_e = toks[0][0], toks[-1][1]
        if len(toks) == 1 and toks[0][2] in lex.non_actor:
            return  # "The", "However", "I": the commonest runs, never a name
        surface = doc.text[run_s:run_e]
        known = self.by_name.get(surface.casefold()) or self.short_form_of(surface)
        if known is not None and known in doc.entities:  # a name this text introduced before
            doc.add_mention(known, run_s, run_e)
            return
        units = lex.unit_heads
        if toks[-1][2] in units or (len(toks) > 1 and any(t in units for _, _, t in toks)):
            if self.numbered_unit(toks):
                return  # "the 444th Brigade", "Ukraine's 93rd Mechanised Brigade"
        texts = [t for _, _, t in toks]
        if len(toks) == 1 and not self.single_may_be_name(texts[0], run_s, run_e):
            return  # a capitalised word no rule can take: skip the regexes
        sent_s = self.sentence_start(run_s)
        seg = doc.segment_at(run_s)
        # an acronym defined in parentheses: "Syrian Democratic Forces (SDF)", also after a
        # lower-case noun ("the UK Maritime Trade Operations agency (UKMTO)")
        am = rules.acronym_def.match(doc.norm, run_e)
        if am and len(toks) >= 2 and self.read_acronym(toks, am):
            return
        if _ORDINAL_BEFORE.search(doc.norm, max(0, run_s - 8), run_s) or _UNIT_OF.search(
            doc.norm, max(0, run_s - 20), run_s
        ):
            return  # "the army's 6th Infantry Division", "the military's North-Eastern Command"
        pm = _PLACE_AFTER.match(doc.low, run_e)
        if pm and pm.group(1) in lex.place_nouns:
            return  # "the Sheikh Maqsoud district": a place, though "Sheikh" is a title
        if _TOLD_BEFORE.search(doc.norm, max(0, run_s - 32), run_s) and not (
            texts[0] in lex.given_names or self.title_before(run_s)
        ):  # "told The Irrawaddy": who is told a statement is a medium
            self.add_org(toks, "told a statement", kind=self.head_kind(texts) or "NewsOutlet")
            return
        head_kind, head_i = self.head_kind(texts), len(texts) - 1
        if head_kind is None:  # "Office for the Coordination of Humanitarian Affairs"
            head_kind, head_i = self.inner_head(toks)
        # a name ending in an organisation noun ("Resistance Committees", "Top Congo FM"),
        # led by a media word ("Radio Okapi"), or an organisation noun with its "of"/"for"
        # complement; "General Staff" is a body, not a general
        if head_kind and len(toks) >= 2:
            if lex.leading_heads.get(texts[0]) == head_kind and head_i == len(texts) - 1:
                rest = texts[1:]
            else:
                rest = texts[:head_i] + texts[head_i + 1 :]
            generic = all(
                (t in lex.generic_modifiers or t in lex.non_actor) and t not in _FAITHS
                for t in rest
            )
            owner = self.possessor(run_s) if generic else None
            if generic and owner is None:
                return  # "National TV", "General Staff" alone: too generic to be a name
            if (
                head_kind in _MEDIA_KINDS
                or in_sentence_frame(self, run_s, run_e)
                or seg == 0
                or _known_body_first(texts[0])
            ):
                # only a generic name carries its owner: "Ukraine's General Staff", but
                # "Iraq's Sabereen News" is "Sabereen News"
                name = f"{owner}'s {doc.text[run_s:run_e]}" if owner else None
                if name is None and texts[head_i] in _PLACE_COMPLEMENT_HEADS:
                    toks = toks + self.place_complement(run_e)  # "... Mission in Libya"
                self.add_org(toks, "an organisation noun in the name", kind=head_kind, name=name)
            return
        # a descriptor right before the name: "security firm Ambrey", "Telegram channel X"
        dm = rules.descriptor_before.search(doc.norm, max(sent_s, run_s - 40), run_s)
        if dm and not (texts[0] in lex.given_names and len(toks) >= 2):
            noun = dm.group("noun").lower()
            self.add_org(toks, f"named after the noun '{noun}'", kind=lex.descriptors[noun])
            return
        # an apposition after the name: "MONUSCO, the UN peacekeeping mission, said"
        am2 = rules.org_apposition.match(doc.norm, run_e)
        if am2 and rules.frame_after.match(doc.norm, am2.end()):
            am2 = None  # "... south of Kobani, the group said": a frame, not an apposition
        if (
            am2
            and not self.title_before(run_s)
            and not (texts[0] in lex.given_names and len(toks) >= 2)
        ):
            noun = am2.group("noun").lower()
            self.add_org(toks, f"described as a {noun}", kind=lex.descriptors[noun])
            return
        # the name in apposition to a descriptor: "A Telegram channel close to the group, X,"
        if doc.norm.startswith(",", run_e):
            lm = rules.descriptor_lead.search(doc.norm, sent_s, run_s)
            if lm:
                noun = lm.group("noun").lower()
                self.add_org(toks, f"described as a {noun}", kind=lex.descriptors[noun])
                return
        gm = _GROUP_AFTER.match(doc.norm, run_e)
        if gm:  # "Wazalendo militias", "Fano fighters": the name of an armed group
            named = [
                t for t in toks if t[2] not in lex.generic_modifiers and t[2] not in lex.non_actor
            ]
            if named and not any(
                t[2] in lex.nationalities or t[2] in lex.given_names or t[2] in lex.place_words
                for t in named
            ):
                self.add_org(named, f"a name before '{gm.group(1)}'", kind="ArmedGroup")
                return
        if len(toks) == 1:  # one capitalised word: a person only right after a title
            tb = self.title_before(run_s)
            if tb and tb[1] is None:
                intro = self.intro_words(max(sent_s, tb[0] - 40), run_s)
                self.add_person(toks, "a title before the name", intro)
            elif (
                _acronym_like(texts[0])
                and texts[0] not in lex.non_actor
                and in_sentence_frame(self, run_s, run_e)
            ):
                self.add_org(toks, "an acronym in a reporting frame", kind="OfficialBody")
            elif seg != 0 and _acronym_like(texts[0]):
                self.judged_name(toks, sent_s)
            elif (
                _SPEECH_AFTER.match(doc.norm, run_e)
                and texts[0][1:].islower()
                and not self._bad_name_token(texts[0])
                and texts[0].lower() not in lex.unnamed_nouns
                and _NOT_OPENING.search(doc.norm, sent_s, run_s)
                and not _PREPOSITION_BEFORE.search(doc.norm, max(sent_s, run_s - 16), run_s)
            ):
                # "And Sharyl stated", "what Condi says": a first name that speaks (not a
                # capitalised word opening its sentence: "Witnesses said", "Never said")
                self.add_person(toks, "a name that speaks", set())
            return
        # a title inside the run: "Defence Minister Rustem Umerov"
        cut = -1
        for j in range(len(toks) - 1):
            for k in range(max(0, j - 3), j + 1):
                words = " ".join(texts[k : j + 1])
                if (words in rules.titles or words.lower() in rules.titles) and texts[j][
                    0
                ].isupper():
                    cut = j
        if cut >= 0:
            intro = self.intro_words(max(sent_s, run_s - 60), toks[cut][1])
            self.add_person(toks[cut + 1 :], "a title before the name", intro)
            return
        # a title before the run: "spokesman X", "co-chair of ORG X"
        tb = self.title_before(run_s)
        if tb:
            t_start, org, org_end = tb
            ok = True
            if org:
                while org_end > sent_s and doc.norm[org_end - 1].isspace():
                    org_end -= 1
                # "co-chair of ORG X" needs ORG named; "reporter in Tripoli X" is a place
                ok = doc.mention_ending_at(org_end) is not None or bool(
                    _TITLE_IN_PLACE.search(doc.low, max(sent_s, org_end - len(org) - 5), org_end)
                )
            intro = self.intro_words(max(sent_s, t_start - 40), run_s)
            if ok:
                name_toks = toks
                if org == "":
                    # the body is the front of the run: split after its last head noun
                    heads = [i for i, t in enumerate(texts) if t in lex.org_heads]
                    if heads and heads[-1] < len(toks) - 1:
                        self.add_org(toks[: heads[-1] + 1], "named as the body of a title")
                        name_toks = toks[heads[-1] + 1 :]
                        intro |= self.intro_words(toks[0][0], toks[heads[-1]][1])
                    else:
                        name_toks = []
                if name_toks:
                    self.add_person(name_toks, "a title before the name", intro)
                    return
        if toks[0][2] in lex.given_names:
            self.add_person(toks[:4], "a known given name", set())
            return
        if 2 <= len(toks) <= 3 and _HIS_HER_AFTER.match(doc.norm, run_e):
            # "Seymour Hersh in his introduction", "Ana Popa and her team": a person
            if self.add_person(toks, "a name followed by his or her", set()) is not None:
                return
        in_frame = in_sentence_frame(self, run_s, run_e)  # the frame rules last: costly
        if in_frame:
            # "Lloyd's List reported": a possessive inside the name, or a publishing verb,
            # makes it a medium; otherwise a name in a reporting frame is a person
            verb = in_frame if isinstance(in_frame, str) else ""
            possessive = any(masked.startswith("'s", e) for _, e, _ in toks[:-1])
            if possessive or verb in _PUBLISHING_VERBS:
                self.add_org(toks, "a name that publishes reports", kind="NewsOutlet")
            elif self.collective_head(toks) or _PREPOSITION_BEFORE.search(
                doc.norm, max(sent_s, run_s - 16), run_s
            ):  # "Residents of Sarrin told X", "Witnesses in Ras Al Ain said": the place
                return  # of unnamed people who speak, not the speaker
            else:
                self.add_person(toks, "a name in a reporting frame", set())
            return
        if seg != 0:
            self.judged_name(toks, sent_s)

    def collective_head(self, toks: list[tuple[int, int, str]]) -> bool:
        """ "Residents of Sarrin", "Witnesses of the ...": a run led by a collective noun
        of unnamed people (capitalised only because it opens the sentence) and "of"; the
        name after it is where they are from, never part of a person's name."""
        first = toks[0][2]
        if first.lower() not in self.lex.unnamed_nouns or first.lower() in self.rules.titles:
            return False
        if first in self.rules.titles:
            return False  # "Spokesman for the army X": a title, read by the title rules
        gap_end = toks[1][0]
        return _COLLECTIVE_LINK.match(self.doc.norm[toks[0][1] : gap_end] + " ") is not None

    def numbered_unit(self, toks: list[tuple[int, int, str]]) -> bool:
        """ "the 444th Brigade", "the 3rd Assault Brigade", "Ukraine's 93rd Mechanised
        Brigade": an ordinal before capitalised words that end in a unit word (UNIT_HEAD)
        names a military formation. It belongs to a state's forces (MilitaryForce) when a
        state owns it ("Ukraine's", "the Ukrainian 93rd ...") and is an ArmedGroup
        otherwise. True when the run was read as a unit, or as part of an army named right
        before it ("the army's 6th Infantry Division", left to that army)."""
        doc, lex = self.doc, self.lex
        run_s = toks[0][0]
        om = _ORDINAL_BEFORE.search(doc.norm, max(0, run_s - 8), run_s)
        if om is None:
            return False
        ord_s = om.start()
        if _UNIT_OF.search(doc.norm, max(0, ord_s - 20), ord_s):
            return True
        # the name ends at the last unit word before any lower-case link ("of the ...")
        unit: list[tuple[int, int, str]] = []
        for i, tok in enumerate(toks):
            if i and doc.norm[toks[i - 1][1] : tok[0]].strip(" -"):
                break
            unit.append(tok)
        while unit and unit[-1][2] not in lex.unit_heads:
            unit.pop()
        if not unit:
            return False
        ordinal = om.group(0).rstrip()
        kind = "MilitaryForce" if self.state_owned(ord_s) else "ArmedGroup"
        name = doc.text[ord_s : unit[-1][1]]
        self.add_org(
            [(ord_s, ord_s + len(ordinal), ordinal), *unit],
            "a numbered military unit",
            kind=kind,
            name=name,
        )
        return True

    def state_owned(self, pos: int) -> bool:
        """True when a state or its army owns what begins at ``pos``: "Ukraine's 93rd ...",
        "the Ukrainian 93rd ..."."""
        doc = self.doc
        pm = _POSSESSIVE_BEFORE.search(doc.norm, max(0, pos - 4), pos)
        if pm is not None:
            owner = doc.mention_ending_at(pm.start())
            types = doc.entities[owner.entity].types if owner is not None else set()
            return bool(types & {"State", "MilitaryForce"})
        am = _ADJ_BEFORE.search(doc.norm, max(0, pos - 40), pos)
        return am is not None and am.group(1).split()[-1] in self.lex.nationalities

    def single_may_be_name(self, tok: str, run_s: int, run_e: int) -> bool:
        """Cheap string tests: can any rule take the one-word run ``tok``? Most one-word
        runs are ordinary words capitalised at a sentence start ("Dollars", "Quite")."""
        doc = self.doc
        if _acronym_like(tok):
            return True
        descriptor_last, group_or_place = _lazy_word_sets()
        low = doc.low
        after = low[run_e : run_e + 2]
        if after[:1] in {",", "("} or after == " (":
            return True  # an apposition or an acronym in parentheses may follow
        nxt = low[run_e : run_e + 24].split(None, 2)
        if nxt and nxt[0].strip(".,;:!?") in group_or_place:
            return True  # "Wazalendo militias", "the Sheikh Maqsoud district"
        if _SPEECH_AFTER.match(doc.norm, run_e):
            return True  # "Sharyl stated"
        prev = low[max(0, run_s - 30) : run_s].split()
        if prev and (
            prev[-1] in descriptor_last or prev[-1] in {"told", "the", "with", "to", "by"}
        ):
            return True  # "security firm Ambrey", "told Reuters", "an interview with BuzzFeed"
        i = bisect.bisect_right(self.title_hits, (run_s, run_s)) - 1
        return i >= 0 and run_s - self.title_hits[i][1] <= 120  # "spokesman X"

    def read_acronym(self, toks: list[tuple[int, int, str]], am: re.Match[str]) -> bool:
        """An organisation named with its acronym in parentheses; False if they do not fit."""
        acr = am.group("acr")
        letters = [c for c in acr if c.isupper()]
        if not letters:
            return False
        # every capital of the name counts ("UK Maritime ..." gives U, K, M)
        caps = [c for _, _, t in toks for c in (t if _acronym_like(t) else t[0]) if c.isupper()]
        it = iter(caps)
        in_order = all(c in it for c in letters)
        shared = sum(min(caps.count(c), letters.count(c)) for c in set(letters))
        # a name in another language than its acronym ("Congo River Alliance (AFC)") still
        # counts when it shares half the letters and is long or ends in an org noun
        loose = shared * 2 >= len(letters) and (
            len(toks) >= 3 or toks[-1][2] in self.lex.org_heads or am.group("noun")
        )
        if not (in_order or loose):
            return False
        if acr in self.by_name or acr.casefold() in self.by_name:
            return True
        k = len(toks)
        if in_order:
            initials = [t[0] for _, _, t in toks if t[0].isupper()]
            while (
                k > 1 and len(initials) > len(letters) and toks[len(toks) - k][2][0] != letters[0]
            ):
                k -= 1
        noun = am.group("noun")
        kind = None
        if noun:
            kind = self.lex.descriptors.get(noun.lower())
            if noun.lower() in self.lex.military_nouns:
                kind = "MilitaryForce"
        ent = self.add_org(
            toks[len(toks) - k :],
            "an acronym defined in parentheses",
            (am.start("acr"), am.end("acr")),
            kind=kind,
        )
        if ent is not None and noun:
            ent.aliases.append(self.doc.text[toks[len(toks) - k][0] : am.end("noun")])
        return True

    def short_form_of(self, text: str) -> str | None:
        """The one organisation of which ``text`` is the leading acronym ("SITE" of "SITE
        Intelligence Group") or the part before a hyphen ("CSP" of "CSP-DPA")."""
        if " " in text or not _acronym_like(text):
            return None
        if self._short_count != len(self.doc.entities):  # entities changed: rebuild the index
            index: dict[str, set[str]] = {}
            for ent in self.doc.entities.values():
                if ent.is_person or ent.is_unnamed:
                    continue
                for name in (ent.name, *ent.aliases):
                    words = name.split()
                    if len(words) >= 2 and _acronym_like(words[0]):
                        index.setdefault(words[0], set()).add(ent.key)
                    elif len(words) == 1 and "-" in name and _acronym_like(name):
                        index.setdefault(name.split("-")[0], set()).add(ent.key)
            self._short_index, self._short_count = index, len(self.doc.entities)
        found = self._short_index.get(text, set())
        return next(iter(found)) if len(found) == 1 else None

    def possessor(self, run_s: int) -> str | None:
        """The state or organisation that owns a name: "Ukraine's" in "Ukraine's General Staff"."""
        doc = self.doc
        m = _POSSESSIVE_BEFORE.search(doc.norm, max(0, run_s - 4), run_s)
        if not m:
            return None
        owner = doc.mention_ending_at(m.start())
        if owner is None or doc.entities[owner.entity].is_person:
            return None
        return owner.span.text

    def inner_head(self, toks: list[tuple[int, int, str]]) -> tuple[str | None, int]:
        """The class and index of an organisation noun inside the run that an "of"/"for"
        complement follows ("Office for the Coordination of Humanitarian Affairs",
        "Institute for the Study of War"): (None, -1) if there is none."""
        doc, lex = self.doc, self.lex
        for i in range(len(toks) - 2, -1, -1):
            kind = lex.org_heads.get(toks[i][2])
            if kind in _COMPLEMENT_KINDS:
                gap = doc.low[toks[i][1] : toks[i + 1][0]].split()
                if gap and gap[0] in ("of", "for"):
                    return kind, i
        return None, -1

    def place_complement(self, end: int) -> list[tuple[int, int, str]]:
        """ "in Libya" after "UN Support Mission": the place a mission or office is named
        after, as one token ([] if none); a state's mention there becomes part of it."""
        doc = self.doc
        m = _PLACE_COMPLEMENT.match(doc.norm, end)
        if m is None or any(w in _TIME_WORDS for w in m.group("place").split()):
            return []
        s, e = m.start("place"), m.end("place")
        inside = doc.mentions_in(s, e)
        if any(doc.entities[x.entity].types - {"State"} for x in inside):
            return []  # a named body or person there: not a place
        if doc.straddles(s) or doc.straddles(e):
            return []
        for x in inside:
            doc.remove_mention(x)
        return [(s, e, doc.text[s:e])]

    def head_kind(self, texts: list[str]) -> str | None:
        """The class a name's own words give it: a final org noun or a leading media word."""
        lex = self.lex
        kind = lex.org_heads.get(texts[-1])
        if kind == "MILITARY":
            kind = "MilitaryForce" if texts[0] in lex.nationalities else "ArmedGroup"
        if kind is None and len(texts) >= 2:
            kind = lex.leading_heads.get(texts[0])
        return kind

    def judged_name(self, toks: list[tuple[int, int, str]], sent_s: int) -> None:
        """A capitalised name that opens a comment's sentence judging it: a source.

        "Studio Tamani is decent", "SITE is good at ...": the reader treats the name as a
        source. One ordinary word capitalised at a sentence start is not enough: a
        single word must look like an acronym.
        """
        doc = self.doc
        run_s, run_e = toks[0][0], toks[-1][1]
        lead = doc.norm[sent_s:run_s]
        if lead.strip() not in {"", "The", "the"} or doc.cue_hits is None:
            return
        if len(toks) == 1 and not _acronym_like(toks[0][2]):
            return
        lex = self.lex
        if toks[0][2] in lex.given_names or any(
            t in lex.non_actor
            or t in lex.place_words
            or t in lex.nationalities
            or t in self.rules.titles
            for _, _, t in toks
        ):
            return
        k = bisect.bisect_right(self.sent_starts, run_s) - 1
        hits = doc.cue_hits.get(k, []) if k >= 0 else []
        after = [h for h in hits if h[0] >= run_e]
        if not after:
            return
        kind = "Map" if any("map" in doc.low[h[0] : h[1]] for h in after) else "Website"
        self.add_org(toks, "judged as a source by a reader", kind=kind)

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

    def affix_aliases(self) -> None:
        """Shorter forms of an organisation's name found in the text refer back to it.

        "the Resistance Committees" after "El Fasher Resistance Committees", "the health
        ministry" after "the Gaza health ministry", "SITE" after "SITE Intelligence
        Group", "CSP" after "CSP-DPA", "Al-Qahera" after "Al-Qahera News". A short form
        that two entities share is left alone.
        """
        doc, lex = self.doc, self.lex
        forms: dict[str, set[str]] = {}
        for ent in doc.entities.values():
            if ent.is_person or ent.is_unnamed:
                continue
            names = {ent.name} | set(ent.aliases)
            for name in names:
                words = name.split()
                if (
                    len(words) >= 3
                    and words[-1] in lex.org_heads
                    or (len(words) >= 3 and words[-1].capitalize() in lex.org_heads)
                ):
                    for i in range(1, len(words) - 1):
                        forms.setdefault(" ".join(words[i:]), set()).add(ent.key)
                if len(words) >= 2 and _acronym_like(words[0]) and len(words[0]) >= 3:
                    forms.setdefault(words[0], set()).add(ent.key)
                if len(words) == 1 and "-" in name and _acronym_like(name):
                    first = name.split("-")[0]
                    if len(first) >= 3:
                        forms.setdefault(first, set()).add(ent.key)
                if len(words) >= 2 and lex.org_heads.get(words[-1]) in _MEDIA_KINDS:
                    rest = " ".join(words[:-1])
                    if len(rest) >= 4 and rest.casefold() not in self.by_name:
                        forms.setdefault(rest, set()).add(ent.key)
        norm, low = doc.norm, doc.low
        valid: dict[str, tuple[str, bool]] = {}  # form -> (entity, may be written in lower case)
        for form, keys in forms.items():
            if len(keys) != 1 or (
                form.casefold() in self.by_name and self.by_name[form.casefold()] not in keys
            ):
                continue
            if len(form.lower()) != len(form):
                continue  # a case change that moves offsets: never the case here
            lowered = form[0].isupper() and not _acronym_like(form.split()[0])
            valid[form] = (next(iter(keys)), lowered)
        if not valid:
            return
        # one scan of the lower-cased text for every short form (a scan per form would
        # cost the length of the text times the number of forms)
        by_low: dict[str, list[str]] = {}
        for form in valid:
            by_low.setdefault(form.lower(), []).append(form)
        rx = re.compile(rf"(?<![\w-])(?:{trie_regex(set(by_low))})(?![\w'-])")
        for m in rx.finditer(low):
            start, end = m.span()
            for form in by_low[m.group(0)]:
                key, lowered = valid[form]
                if norm.startswith(form, start):
                    if not doc.is_masked(start, end):
                        doc.add_mention(key, start, end)
                elif lowered and _DEFINITE_BEFORE.search(low, max(0, start - 7), start):
                    doc.add_mention(key, start, end)  # "the health ministry"

    def merge_domains(self) -> None:
        """A web address and a name that spell the same ("levantfrontlines.net", "Levant
        Frontlines") are one source, named as written."""
        doc = self.doc
        merged_kinds = (_DOMAIN_EVIDENCE, _HANDLE_EVIDENCE)
        if not any(e.type_evidence in merged_kinds for e in doc.entities.values()):
            return
        squeezed: dict[str, str] = {}
        for ent in doc.entities.values():
            if ent.type_evidence in merged_kinds or ent.is_unnamed:
                continue
            for name in {ent.name, *ent.aliases}:
                sq = re.sub(r"[\W_]+", "", name.casefold())
                if len(sq) >= 4:
                    squeezed.setdefault(sq, ent.key)
        for ent in list(doc.entities.values()):
            if ent.type_evidence not in merged_kinds:
                continue
            label = re.sub(r"[\W_]+", "", ent.name.split(".")[0].casefold())
            target = squeezed.get(label)
            if target and target != ent.key:
                doc.merge_entity(ent.key, target)
                dst = doc.entities[target]
                if not dst.types & SOURCE_TYPES:
                    dst.types.add("Website")
                dst.roles.add("source")

    def acronyms_again(self) -> None:
        """An acronym defined once in parentheses names the same body wherever it recurs."""
        doc = self.doc
        for ent in list(doc.entities.values()):
            if ent.type_evidence != "an acronym defined in parentheses":
                continue
            for alias in [a for a in ent.aliases if _is_acronym(a)]:
                for m in re.finditer(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", doc.norm):
                    if not doc.is_masked(m.start(), m.end()):
                        doc.add_mention(ent.key, m.start(), m.end())

    def surnames(self, masked: str) -> None:
        """A surname alone refers back to the one person introduced with it; a one-word
        person right before a known person's name is part of it ("General Yahua Saree"
        with "Saree" from the gazetteer)."""
        doc = self.doc
        for m in list(doc.mentions):
            ent = doc.entities.get(m.entity)
            if ent is None or not ent.is_person or ent.in_gazetteer or " " in ent.name:
                continue
            nxt = doc.mention_starting_at(m.span.end + 1)
            if nxt is None or doc.norm[m.span.end] != " ":
                continue
            other = doc.entities[nxt.entity]
            if other.is_person and other.key != ent.key:
                doc.remove_mention(m)
                doc.remove_mention(nxt)
                doc.add_mention(other.key, m.span.start, nxt.span.end)
                if not doc.has_mentions(ent.key):
                    del doc.entities[ent.key]
        last: dict[str, list[str]] = {}
        for ent in doc.entities.values():
            if ent.is_person and not ent.in_gazetteer:
                parts = ent.name.split()
                if len(parts) >= 2 and len(parts[-1]) >= 3:
                    last.setdefault(parts[-1], []).append(ent.key)
        owner: dict[str, str] = {}
        for surname, keys in last.items():
            if len(keys) != 1:
                continue
            owner[surname] = keys[0]
            alone = self.by_name.get(surname.casefold())
            if alone is not None and alone != keys[0] and alone in doc.entities:
                ent = doc.entities[alone]  # "Mr. Dunbar" was read as a person of its own
                if ent.is_person and not ent.in_gazetteer and len(ent.name.split()) == 1:
                    doc.merge_entity(alone, keys[0])
                    self.by_name[surname.casefold()] = keys[0]
        if owner:  # every surname in one scan, not one scan of the text per surname
            rx = re.compile(rf"(?<![\w'-])(?:{trie_regex(set(owner))})(?![\w-])")
            for hit in rx.finditer(masked):
                doc.add_mention(owner[hit.group(0)], hit.start(), hit.end())

    def titled_known_persons(self) -> None:
        """Title words before gazetteer persons, so role nouns can refer back to them."""
        doc = self.doc
        for m in list(doc.mentions):
            ent = doc.entities[m.entity]
            if not ent.is_person:
                continue
            s = m.span.start
            tb = self.title_before(s)
            if tb:
                ent.intro |= self.intro_words(max(self.sentence_start(s), tb[0] - 30), s)

    def definite_orgs(self) -> None:
        """'the Turkish ministry' -> the one entity whose name holds 'Turkish' and 'Ministry'."""
        doc = self.doc
        nat = _nationality_set()
        pairs: dict[str, list[str]] = {}  # "the turkish ministry" -> entity keys
        of_state = ministries.state_of_ministry()
        for e in doc.entities.values():
            if e.is_person or e.is_unnamed:
                continue
            words = e.name.lower().split()
            adjs = [w for w in words if w.capitalize() in nat or w.upper() in nat]
            nouns = [w for w in words if w in _ORG_NOUN_SET]
            for adj in adjs:
                for noun in nouns:
                    pairs.setdefault(f"the {adj} {noun}", []).append(e.key)
            # a ministry is "the <nationality> ministry" of its state, however it is named
            # ("UK Ministry of Defence" is "the British ministry")
            state = self.ministry_state.get(e.key) or of_state.get(e.key)
            for adj in _adjectives_of_state().get(state, ()) if state else ():
                if adj.lower() not in adjs:
                    pairs.setdefault(f"the {adj.lower()} ministry", []).append(e.key)
        for phrase, keys in pairs.items():
            if len(set(keys)) != 1:
                continue
            for start in _find_word(doc.low, phrase):
                doc.add_mention(keys[0], start + 4, start + len(phrase))
        for mm in _CONTROL_MARKER.finditer(doc.low):  # "the Hamas-run ministry"
            nm = _ORG_NOUN_AT.match(doc.low, mm.end())
            if not nm:
                continue
            noun = nm.group(1)
            cands = [
                e
                for e in doc.entities.values()
                if not e.is_person and not e.is_unnamed and noun in e.name.lower().split()
            ]
            if len(cands) == 1:
                doc.add_mention(cands[0].key, nm.start(1), nm.end(1))

    def role_nouns(self) -> None:
        """'Kurdish representative' -> the one person introduced with 'Kurdish' and a title."""
        self.titled_known_persons()
        doc = self.doc
        persons = [e for e in doc.entities.values() if e.is_person and e.intro]
        if not persons:
            return
        adjectives = {w for p in persons for w in p.intro if " " not in w and w[0].isupper()}
        if not adjectives:
            roles: set[str] = set()
        else:
            roles = {r.lower() for r in self.lex.role_nouns}
        role_starts = doc.word_starts(ROLES)  # where any role noun begins (starts.py)
        for role in roles:
            for start in _find_word_at(doc.low, role, role_starts):
                end = start + len(role)
                if _NAME_AFTER.match(doc.norm, end):
                    continue  # "spokesman John Kirby" is a title, not a role noun
                m = self.rules.role_left.search(doc.norm, max(0, start - 40), start)
                if not m or (m.group("det") and m.group("det").lower() in {"a", "an"}):
                    continue
                cands = [p for p in persons if m.group("adj") in p.intro]
                if len(cands) == 1:
                    doc.add_mention(cands[0].key, m.start("adj"), end)
        # "the army spokesman" -> the one person introduced as "army spokesman X"
        phrases = {w for p in persons for w in p.intro if " " in w}
        for phrase in phrases:
            for start in _find_word(doc.low, phrase):
                end = start + len(phrase)
                if _NAME_AFTER.match(doc.norm, end):
                    continue
                cands = [p for p in persons if phrase in p.intro]
                if len(cands) == 1:
                    doc.add_mention(cands[0].key, start, end)


def find_entities(doc: Doc) -> Doc:
    """Fill ``doc.entities`` and ``doc.mentions``."""
    _match_domains(doc)
    _match_handles(doc)
    mask_non_actors(doc)
    _match_gazetteer(doc)
    _match_platform_x(doc)
    _extend_outlets(doc)
    find_collectives(doc)
    find_media_names(doc)
    _TextNames(doc).run()
    drop_addressees(doc)
    return doc
