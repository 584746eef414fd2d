"""What the store states of an entity's names and types: what the search index describes
it by (kb.search).

Those statements come from the gazetteer, from analysts' prior assessments, in full from
one text for a source local to it (an unnamed source, a commenter), and from the shared
entities graph (kb.derived.entities), which a derivation works out before writing it
(``shared``). A text says of any other entity only what it calls it
(``srkb:nameInText``, kb.build), never these predicates.

Two ways to read them, with the same result:

* ``stated``: a lookup per predicate for one entity, for the few entities a step touches
  (a scan of all the entity's quads would read what every text says of a much-named one:
  hundreds of quads);
* ``Preloaded``: for describing every entity at once (a bulk derivation), the graphs
  other than the texts' are read once, and a text-local entity is looked up in its own
  text's graph only. Five lookups for each of the 350,000 entities of a 100,000-text
  store took about 60 s of the bulk derivation's main process.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable

import pyoxigraph as ox

from .content import TEXT_GRAPH_INFIX
from .store import KnowledgeBase, value
from .vocab import PREFIXES

_N = ox.NamedNode
LABELS = tuple(
    _N(p)
    for p in (
        PREFIXES["skos"] + "prefLabel",
        PREFIXES["skos"] + "altLabel",
        PREFIXES["skos"] + "hiddenLabel",
        PREFIXES["srkb"] + "domainName",
    )
)
PREF = LABELS[0]
TYPE = _N(PREFIXES["rdf"] + "type")
DESCRIBING = tuple(dict.fromkeys((PREF, TYPE, *LABELS)))  # prefLabel once
SHARED_SUFFIX = "/graph/entities"

# rating nodes only (kb.derived.rating_quads types them, never an entity): over a million
# typed nodes at 100,000 texts, not read for entities
_RATINGS_SUFFIX = "/graph/ratings"
_TEXT_LOCAL = re.compile(r"^(.*/)text/([^/#]+)/")

Shared = Callable[[str], list[ox.Quad]]


def stated(
    kb: KnowledgeBase, entity: str, leaving: set[str], shared: Shared | None
) -> list[ox.Quad]:
    """The types and names stated of an entity, as the store will state them once this
    step is written (``leaving``: graphs this step removes); the shared entities graph's
    part comes from ``shared`` when given, since that graph is written after the index."""
    node = _N(entity)
    found = [
        q
        for p in DESCRIBING
        for q in kb.backend.quads_for_pattern(node, p, None, None)
        if value(q.graph_name) not in leaving
    ]
    if shared is not None:
        found = [q for q in found if not value(q.graph_name).endswith(SHARED_SUFFIX)]
        found += [q for q in shared(entity) if q.predicate in DESCRIBING]
    return found


def own_text_graph(entity: str) -> str | None:
    """The graph of the text an entity is local to (``BASE/text/ID/...``), if it is."""
    match = _TEXT_LOCAL.match(entity)
    return f"{match.group(1)}graph/text/{match.group(2)}" if match else None


class Preloaded:
    """``stated`` for every entity of a store at once, with the shared entities graph's
    part from ``shared`` (a bulk derivation rewrites that graph)."""

    def __init__(self, kb: KnowledgeBase, shared: Shared) -> None:
        self.kb, self.shared = kb, shared
        self._others: dict[str, list[ox.Quad]] = defaultdict(list)
        for graph in kb.named_graphs():
            if (
                TEXT_GRAPH_INFIX in graph
                or graph.endswith(SHARED_SUFFIX)
                or graph.endswith(_RATINGS_SUFFIX)
            ):
                continue
            node = _N(graph)
            for p in DESCRIBING:
                for q in kb.backend.quads_for_pattern(None, p, None, node):
                    self._others[value(q.subject)].append(q)

    def __call__(self, entity: str) -> list[ox.Quad]:
        found = list(self._others.get(entity, ()))
        graph = own_text_graph(entity)
        if graph is not None:
            found += [
                q
                for q in self.kb.backend.quads_for_pattern(_N(entity), None, None, _N(graph))
                if q.predicate in DESCRIBING
            ]
        found += [q for q in self.shared(entity) if q.predicate in DESCRIBING]
        return found
