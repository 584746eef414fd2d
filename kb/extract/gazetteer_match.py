"""Names the gazetteer knows, found in the text, and when a known name is not the actor.

One scan of the lower-cased text finds whole candidate labels, longest first; each is
confirmed by its label's case-aware regex. A state's name is refused where it is a place
("in Yemen", "the suburbs of Damascus", "the Kyiv region") or a word of a longer name the
text rules read ("Congo River Alliance", "Myanmar Now"); a short acronym among shouted
words is no name ("THIS IS BAD"). Then "X" after "on" is the platform, and an outlet's
label takes the media noun written after it ("AMN News").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from .doc import Doc
from .gazetteer_index import _FIRST_WORD, _NEXT_WORD, GazetteerMatcher, _Label, load_matcher
from .lexicon import (
    UPPER,
    alternation,
    load_lexicon,
    matches_at,
)
from .name_rules import _nationality_set
from .nonactors import EQUIPMENT_AFTER, adjective_or_place
from .starts import GAZETTEER

_FORCES = frozenset({"MilitaryForce", "ArmedGroup"})


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
