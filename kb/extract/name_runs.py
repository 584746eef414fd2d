"""What a run of capitalised words names: a person, an organisation, a unit, or nothing.

Each run is tried against the rules in order: a name read before, a numbered unit, an
acronym defined in parentheses, a place noun after it, who is told a statement, an
organisation noun in the name, a descriptor or an apposition, a group noun after it, a
title before or inside it, a known given name, "his"/"her" after it, a reporting frame,
and a reader's verdict at a comment's sentence start. A place inside an unnamed
collective's phrase ("Residents of Sarrin told X") is no speaker.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from .gazetteer_index import _BODY_KINDS, load_matcher
from .lexicon import (
    UPPER,
    load_lexicon,
)
from .name_rules import _ADJ_BEFORE, _FAITHS, _MEDIA_KINDS, _TIME_WORDS, _acronym_like
from .names_base import NameReader, in_sentence_frame

_POSSESSIVE_BEFORE = re.compile(r"'s[ ]+$")


_ORDINAL_BEFORE = re.compile(r"(?<!\w)\d+(?:st|nd|rd|th)[ ]+$")


_UNIT_OF = re.compile(
    r"(?<![\w-])(?:army|military|militia|navy|police|group)'s[ ]+$", re.IGNORECASE
)


_PLACE_AFTER = re.compile(r"[ ]+([a-z]+)")


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


_TITLE_IN_PLACE = re.compile(r"(?<![\w-])in[ ]+(?:the[ ]+)?[a-z\u00c0-\u024f' -]*$|in[ ]+\S")


_TOLD_BEFORE = re.compile(
    r"(?<![\w-])(?:told|(?:an?|the|exclusive|phone|recent)[ ]+interview[ ]+with|interviewed[ ]+by|"
    r"(?:speaking|talking)[ ]+to)[ ]+(?:[Tt]he[ ]+)?$"
)


_GROUP_AFTER = re.compile(
    r"[ ]+(militias?|rebels|fighters|insurgents|militants|paramilitaries|jihadists|guerrillas)"
    r"(?![\w-])"
)


_PUBLISHING_VERBS = frozenset(
    {"reported", "reports", "published", "publishes", "broadcast", "aired"}
)


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


# organisation nouns whose name may go on with an "of"/"for" complement or a place, and
# the bodies a known organisation's name may lead ("UN Support Mission in Libya")
_COMPLEMENT_KINDS = frozenset({"OfficialBody", "PoliticalOrganisation", "Website"})


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


class NameRuns(NameReader):
    """The rules for one capitalised run (``read_run``) and their helpers."""

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
