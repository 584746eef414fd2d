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

Where each part lives: web_names.py (addresses and handles), gazetteer_index.py and
gazetteer_match.py (known names), collectives.py and media_names.py, then the names from
the text: names_base.py (shared state), name_runs.py (capitalised runs), state_bodies.py
(armies, ministries, offices) and name_links.py (later mentions of names found).
"""

from __future__ import annotations

from .collectives import find_collectives
from .doc import Doc
from .gazetteer_match import _extend_outlets, _match_gazetteer, _match_platform_x
from .media_names import find_media_names
from .name_links import NameLinks
from .name_rules import _TIME_WORDS
from .name_runs import NameRuns
from .names_base import _masked_text
from .nonactors import drop_addressees, mask_non_actors
from .state_bodies import StateBodies
from .web_names import _match_domains, _match_handles


class _TextNames(NameRuns, StateBodies, NameLinks):
    """The rules that find names the gazetteer does not know, in their order."""

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
