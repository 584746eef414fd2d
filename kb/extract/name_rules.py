"""The compiled patterns and word sets shared by the rules that read names from the text.

Compiled once per process from the lexicon (patterns/*.jsonl): the capitalised-run and
token patterns, titles and the gap after them, reporting frames around a name, acronyms
in parentheses, descriptors, press offices, nationalities and role nouns; plus the small
word sets more than one rule module reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import (
    UPPER,
    alternation,
    load_lexicon,
    trie_regex,
)


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


# faiths and peoples that name an organisation with its noun ("Muslim Brotherhood")
_FAITHS = frozenset(
    "Muslim Islamic Christian Jewish Catholic Orthodox Sunni Shia Shiite Druze Hindu Buddhist "
    "Coptic Evangelical".split()
)


_TIME_WORDS = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April "
    "May June July August September October November December".split()
)


_MEDIA_KINDS = frozenset({"NewsOutlet", "NewsAgency", "Website", "Map"})


@lru_cache(maxsize=4096)
def _acronym_like(token: str) -> bool:
    """ "UKMTO", "FAMa", "CSP-DPA": at least two capitals and more capitals than not."""
    letters = [c for c in token if c.isalpha()]
    caps = sum(c.isupper() for c in letters)
    return len(letters) >= 2 and caps >= 2 and caps * 2 > len(letters)


@lru_cache(maxsize=1)
def _nationality_set() -> frozenset[str]:
    return frozenset(load_lexicon().nationalities)


_ADJ_BEFORE = re.compile(r"(?<![\w-])([A-Z][\w-]*(?: [A-Z][\w-]*)?)[ ]+$")
