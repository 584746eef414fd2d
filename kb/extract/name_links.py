"""Later mentions of names found: short forms, surnames, roles, "the <nationality> ministry".

"the Resistance Committees" after "El Fasher Resistance Committees", "SITE" after "SITE
Intelligence Group", "Saree" after "Yahya Saree", "the army spokesman" for the one person
introduced so, "the Turkish ministry" for the Turkish Defence Ministry, a web address that
spells a name, an acronym defined once. A form two entities share is left alone.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import ministries
from .gazetteer_index import _is_acronym
from .lexicon import UPPER, load_lexicon
from .model import SOURCE_TYPES
from .name_rules import _MEDIA_KINDS, _ORG_NOUN_SET, _ORG_NOUNS, _acronym_like, _nationality_set
from .names_base import NameReader
from .starts import ROLES
from .web_names import _DOMAIN_EVIDENCE, _HANDLE_EVIDENCE
from .words import _find_word, _find_word_at, _find_words

_NAME_AFTER = re.compile(rf"[ ]+{UPPER}")


@lru_cache(maxsize=1)
def _adjectives_of_state() -> dict[str, tuple[str, ...]]:
    """Gazetteer state key -> all its one-word nationality adjectives ("British", "UK")."""
    out: dict[str, list[str]] = {}
    for adj, key in load_lexicon().nationalities.items():
        if key and " " not in adj and adj[0].isupper():
            out.setdefault(key, []).append(adj)
    return {k: tuple(v) for k, v in out.items()}


_ORG_NOUN_AT = re.compile(rf"({_ORG_NOUNS})(?![\w-])")


_DEFINITE_BEFORE = re.compile(r"(?<![\w-])(?:the|its|their)[ ]+$")


# "-run ", "-led ": a hyphen first, so that ``re`` jumps from hyphen to hyphen
_CONTROL_MARKER = re.compile(r"-(?:run|controlled|led|held|backed|linked) ")


class NameLinks(NameReader):
    """The passes that link later mentions to the names found."""

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
        # (?<![\w-])(?:<forms>)(?![\w'-]), without compiling a regex for every document
        for start, end in _find_words(low, by_low, "-", "'-"):
            for form in by_low[low[start:end]]:
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
            # (?<![\w'-])(?:<surnames>)(?![\w-]), without compiling a regex per document
            for start, end in _find_words(masked, owner, "'-", "-"):
                doc.add_mention(owner[masked[start:end]], start, end)

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
