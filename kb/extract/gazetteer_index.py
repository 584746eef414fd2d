"""The gazetteer compiled for matching: its labels indexed by first word and lower-cased form.

Built once per process (``load_matcher``) and shared by every stage that looks a name up:
the gazetteer match itself, web addresses and handles, ministries, the judgement and
attribution stages. Each label gets a case-aware regex (an acronym must be in capitals, a
name must start with one), both spellings of "Defence"/"Centre", the title-case form of
long acronyms ("Jnim") and its hyphen variants ("al-Nusra", "al Nusra", "alNusra").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from kb.gazetteer import GazetteerEntry, load_gazetteer

from .lexicon import (
    normalise,
    trie_regex,
)


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


_BODY_KINDS = frozenset({"OfficialBody", "PoliticalOrganisation"})
