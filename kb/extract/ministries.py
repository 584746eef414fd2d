"""A state's ministries, however a text names them.

"Russia's defence ministry", "Russia's Ministry of Defence", "the Russian MoD" and "the
MoD" after a Russian context are one body: the gazetteer's "Russian Ministry of
Defence". The gazetteer is indexed by (state, kind of ministry), read from the labels of
its official bodies ("Ukrainian Defence Ministry", "Ministry of Defence of Ukraine"), so a
text's own phrasing need not be one of the labels. A ministry the gazetteer does not know
is named "<Adjective> <Kind> Ministry" ("Libyan Interior Ministry"), or after its owner
when that is not a state ("Government of National Unity Interior Ministry").
"""

from __future__ import annotations

import re
from functools import lru_cache

from kb.gazetteer import GazetteerEntry, load_gazetteer

from .lexicon import alternation, load_lexicon

# the words of a ministry's kind -> the kind they mean
KINDS: dict[str, str] = {
    "defence": "defence",
    "defense": "defence",
    "national defence": "defence",
    "national defense": "defence",
    "foreign": "foreign",
    "foreign affairs": "foreign",
    "interior": "interior",
    "internal affairs": "interior",
    "home affairs": "interior",
    "health": "health",
    "information": "information",
    "justice": "justice",
    "emergencies": "emergencies",
    "emergency situations": "emergencies",
    "emergency": "emergencies",
}
ACRONYMS = {"MoD": "defence", "MOD": "defence", "MFA": "foreign"}
DISPLAY = {"defence": "Defence", "foreign": "Foreign", "emergencies": "Emergencies"}
# the kinds a bare "the Ministry of Defence" / "the MoD" may be read by the context for;
# "the health ministry" in a story about Israeli strikes is not Israel's
CONTEXT_KINDS = frozenset({"defence", "foreign"})

_KIND = alternation(KINDS)
_BODY = (
    rf"(?i:(?P<k1>{_KIND})[ ]+ministry|ministry[ ]+of[ ]+(?:the[ ]+)?(?P<k2>{_KIND}))"
    r"|(?P<acr>MoD|MFA)"
)
# after an owner's name: "Russia's defence ministry", "the GNU's Ministry of Interior"
OWNED = re.compile(rf"(?:'s|')[ ]+(?P<body>{_BODY})(?![\w-])")
# a state's name as a modifier: "the Ukraine Defense Ministry"
PLAIN = re.compile(rf"[ ]+(?P<body>(?P<k1>{_KIND})[ ]+Ministry)(?![\w-])", re.IGNORECASE)


# after a nationality adjective: "the Azeri defense ministry", "the Romanian Ministry of Defence"
def nationality_rx(adjectives: str) -> re.Pattern[str]:
    """``adjectives``: an alternation of nationality adjectives (group ``adj``)."""
    return re.compile(rf"(?<![\w-])(?P<adj>{adjectives})[ ]+(?P<body>{_BODY})(?![\w-])")


# with no owner: "the Ministry of Defence", "the MoD", "MoD"
BARE = re.compile(rf"(?<![\w-])(?:(?P<the>[Tt]he)[ ]+)?(?P<body>{_BODY}|MOD)(?![\w-])")


def kind_of(m: re.Match[str]) -> str:
    """The kind of ministry an OWNED or BARE match names."""
    groups = m.groupdict()
    if groups.get("acr") or m.group("body") == "MOD":
        return ACRONYMS[m.group("acr") or "MOD"]
    words = " ".join((groups.get("k1") or groups.get("k2") or "").lower().split())
    return KINDS[words]


def written_kind(m: re.Match[str]) -> str:
    """The kind words of a match as written, capitalised ("defense" -> "Defense")."""
    groups = m.groupdict()
    words = groups.get("k1") or groups.get("k2") or ""
    return " ".join(w.capitalize() for w in words.split())


def display_name(owner: str, kind: str) -> str:
    """ "Libyan Interior Ministry": the name of a ministry the gazetteer does not know."""
    return f"{owner} {DISPLAY.get(kind, kind.title())} Ministry"


@lru_cache(maxsize=1)
def _label_rx() -> tuple[re.Pattern[str], re.Pattern[str]]:
    lead = re.compile(rf"(?P<owner>.+?)(?:'s|’s)?[ ]+(?P<body>{_BODY})")
    trail = re.compile(
        rf"(?i:ministry[ ]+of[ ]+(?:the[ ]+)?(?P<k2>{_KIND}))[ ]+of[ ]+(?P<owner>.+)"
    )
    return lead, trail


@lru_cache(maxsize=1)
def gazetteer_ministries() -> dict[tuple[str, str], GazetteerEntry]:
    """(state key, kind) -> the gazetteer's ministry, read from the official bodies'
    labels: "Russian Ministry of Defence" and "Ministry of Defence of Ukraine" give
    ("russia", "defence") and ("ukraine", "defence")."""
    entries = load_gazetteer()
    nationalities = load_lexicon().nationalities
    state_of_label = {
        label: e.key for e in entries if "State" in e.types for label in (e.name, *e.all_labels)
    }
    lead, trail = _label_rx()
    out: dict[tuple[str, str], GazetteerEntry] = {}
    for entry in entries:
        if "OfficialBody" not in entry.types:
            continue
        for label in (entry.name, *entry.all_labels):
            m = lead.fullmatch(label)
            if m is not None:
                kind = kind_of(m)
            else:
                m = trail.fullmatch(label)
                if m is None:
                    continue
                kind = KINDS[" ".join(m.group("k2").lower().split())]
            state = nationalities.get(m.group("owner")) or state_of_label.get(m.group("owner"))
            if state:
                out.setdefault((state, kind), entry)
    return out


@lru_cache(maxsize=1)
def state_of_ministry() -> dict[str, str]:
    """Gazetteer key of a ministry -> its state's key (a ministry named before tells
    which state a later "the MoD" belongs to)."""
    return {entry.key: state for (state, _), entry in gazetteer_ministries().items()}
