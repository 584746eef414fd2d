"""Which actors or sources a user's name means: an index lookup, whatever the store's size.

Every name, alias and domain of a described entity is kept lower-cased as
``srkb:nameKey`` (kb.derived.entities, the gazetteer), so a name is one lookup of that
key; comparing the name with every label of the store took 22 s at 100,000 texts. A
domain's subdomains (``syria.liveuamap.com``) name its owner too.
"""

from __future__ import annotations

import pyoxigraph as ox

from .store import KnowledgeBase, value
from .vocab import PREFIXES

NAME_KEY = ox.NamedNode(PREFIXES["srkb"] + "nameKey")
DOMAIN = ox.NamedNode(PREFIXES["srkb"] + "domainName")


def agents_named(kb: KnowledgeBase, name: str) -> list[str]:
    """The IRIs of the agents with this name, alias or domain (or a domain's subdomain),
    case-insensitively."""
    from .derived.entities import name_key  # kb.derived reads prior graphs: import late

    key = name_key(name)
    found = {value(q.subject) for q in kb.pattern(None, NAME_KEY, ox.Literal(key), None)}
    if not found:
        for q in kb.pattern(None, DOMAIN, None, None):
            domain = value(q.object).lower()
            if key == domain or key.endswith("." + domain):
                found.add(value(q.subject))
    return sorted(found)


def resolve_agent(kb: KnowledgeBase, name: str) -> list[tuple[str, str]]:
    """(IRI, preferred label) of the agents ``name`` names (``agents_named``)."""
    from .reliability import source_names

    iris = agents_named(kb, name)
    labels = source_names(kb, iris)
    return [(iri, labels.get(iri, iri)) for iri in iris]


__all__ = ["DOMAIN", "NAME_KEY", "agents_named", "resolve_agent"]
