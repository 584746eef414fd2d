"""When a claim is a party's own account of its operations (which earns it no reliability).

A party to the fighting reporting its own operations ("the SDF said it repelled an
attack", "the Houthis claimed their drones hit a ship") says what it wants known; that
other outlets later print the same tells little about whether it can be trusted, since
they often have it from the party. So such a claim counts as evidence of the events
(claim credibility) but not for the party's track record, and it corroborates no one
else's track record either (kb.reliability).

A *party* is an armed group, a military force or a state (``srkb:ConflictParty`` in the
ontology), or an official body whose name says it speaks for one (a defence ministry, a
general staff, a government media office, an armed group's media centre; a UN agency or
an NGO does not). A claim is the own account of a party among its speaker and relay when
its content

* names the party (a form the text writes it in, or one of its gazetteer labels);
* speaks of it in the first person ("we", "our"), or opens with a pronoun or a definite
  description standing for it, the subject of the reported speech ("X said *it*
  repelled", "*their* drones had hit", "*the group* had sent"), unless the claim is a
  denial, whose content is the other side's words;
* or names no other actor ("Houthis claim drone strike on cargo ship"): what a party
  reports with no one else in it is what it did or saw.

Everything here is read from one text's graph and the gazetteer, so the answer is a fact
of the claim that never changes while the text is in the store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from .gazetteer import load_gazetteer

#: Classes (local names) whose members are parties to the fighting.
PARTY_TYPES = frozenset({"ArmedGroup", "MilitaryForce", "State"})
_ORGAN = re.compile(
    r"\b(?:defen[cs]e|military|army|armed forces|general staff|war|interior|"
    r"government|media (?:center|centre|office|wing)|press office)\b",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:we|our|ours|us)\b", re.IGNORECASE)
_OPENING = re.compile(
    r"^\W*(?:it|its|they|their|them|the (?:group|army|force|forces|ministry|movement|"
    r"militia|command|military|government|organisation|organization))\b",
    re.IGNORECASE,
)
_ENTITY = "/entity/"


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, tuple[frozenset[str], tuple[str, ...]]]:
    return {e.key: (e.types, e.all_labels) for e in load_gazetteer()}


def known(agent: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """(types, labels) the gazetteer gives an agent IRI (empty when it is not in it)."""
    key = agent.rsplit(_ENTITY, 1)[-1] if _ENTITY in agent else ""
    return _gazetteer().get(key, (frozenset(), ()))


def is_party(types: Iterable[str], names: Iterable[str]) -> bool:
    """Is an agent of these types and names a party to the fighting (see the module)?"""
    kinds = set(types)
    if kinds & PARTY_TYPES:
        return True
    return "OfficialBody" in kinds and any(_ORGAN.search(n) for n in names)


def _names_it(content: str, names: Iterable[str]) -> bool:
    for name in names:
        if len(name) >= 2 and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", content, re.IGNORECASE):
            return True
    return False


def own_account(
    content: str,
    modality: str,
    agents: Iterable[str],
    about: Iterable[str],
    types: Mapping[str, Iterable[str]],
    names: Mapping[str, Iterable[str]],
) -> tuple[str, ...]:
    """The parties among ``agents`` (speaker, relay) whose own account the claim is.

    ``types`` and ``names``: what the text says of each agent (its types and written
    forms), added to what the gazetteer says.
    """
    agents = sorted(set(agents))
    others = set(about) - set(agents)
    out = []
    for agent in agents:
        known_types, labels = known(agent)
        kinds = set(known_types) | set(types.get(agent, ()))
        forms = set(labels) | set(names.get(agent, ()))
        if not is_party(kinds, forms):
            continue
        if (
            _names_it(content, forms)
            or _FIRST_PERSON.search(content)
            or (modality != "doubted" and _OPENING.search(content))
            or not others
        ):
            out.append(agent)
    return tuple(out)
