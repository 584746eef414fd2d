"""The shared entities graph: one description per actor or source, however many texts name it.

Each text's graph says what that text says of an actor outside the gazetteer
(``srkb:nameInText``, ``srkb:typeInText``); ``BASE/graph/entities`` states, once:

* ``rdf:type`` each class any text gives it (beyond the gazetteer's own);
* ``skos:prefLabel`` the name most texts use (ties: the first in Unicode order, case
  folded), and ``skos:altLabel`` the other names.

So a query that joins an actor's label gets one row, not one per text (at 10,000 texts
one person's type and label were repeated in 4,258 graphs), and removing a text removes
what only it said. Only the entities a change touches are recomputed, from the texts
that name them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import pyoxigraph as ox

from ..iri import IriMinter
from ..store import KnowledgeBase, value
from ..vocab import PREFIXES

N = ox.NamedNode
A = N(PREFIXES["rdf"] + "type")
PREF, ALT = N(PREFIXES["skos"] + "prefLabel"), N(PREFIXES["skos"] + "altLabel")
NAME_IN_TEXT = N(PREFIXES["srkb"] + "nameInText")
TYPE_IN_TEXT = N(PREFIXES["srkb"] + "typeInText")
NAME_KEY = N(PREFIXES["srkb"] + "nameKey")
WRITTEN_AS = N(PREFIXES["srkb"] + "writtenAs")


def name_key(name: str) -> str:
    """How a name is looked up: trimmed and lower-cased, as SPARQL's LCASE does."""
    return " ".join(name.split()).lower()


def entities_graph_iri(base_iri: str) -> str:
    return str(IriMinter(base_iri)("graph/entities"))


def touched_entities(kb: KnowledgeBase, graphs: Iterable[str]) -> set[str]:
    """The actors and sources whose description the given text graphs contribute to."""
    out: set[str] = set()
    for g in graphs:
        graph = N(g)
        for p in (NAME_IN_TEXT, TYPE_IN_TEXT):
            out |= {value(q.subject) for q in kb.backend.quads_for_pattern(None, p, None, graph)}
    return out


def _best_name(names: Counter[str]) -> str:
    return min(names, key=lambda n: (-names[n], n.casefold(), n))


def description(
    kb: KnowledgeBase,
    entity: str,
    graph: ox.NamedNode,
    leaving: set[str],
    written: Iterable[str] = (),
) -> list[ox.Quad]:
    """What the shared graph should say of ``entity``, from the texts that stay
    (``written``: the forms the texts write its name in, from the search index)."""
    subject = N(entity)
    names: Counter[str] = Counter()
    for q in kb.backend.quads_for_pattern(subject, NAME_IN_TEXT, None, None):
        if value(q.graph_name) not in leaving:
            names[value(q.object)] += 1
    types = {
        value(q.object)
        for q in kb.backend.quads_for_pattern(subject, TYPE_IN_TEXT, None, None)
        if value(q.graph_name) not in leaving
    }
    out = [ox.Quad(subject, A, N(t), graph) for t in sorted(types)]
    if names:
        best = _best_name(names)
        out.append(ox.Quad(subject, PREF, ox.Literal(best), graph))
        out += [ox.Quad(subject, ALT, ox.Literal(n), graph) for n in sorted(names) if n != best]
        keys = {name_key(n) for n in names}
        out += [ox.Quad(subject, NAME_KEY, ox.Literal(k), graph) for k in sorted(keys)]
    out += [ox.Quad(subject, WRITTEN_AS, ox.Literal(w), graph) for w in sorted(set(written))]
    return out


def update_entities(
    kb: KnowledgeBase,
    base_iri: str,
    graphs: Iterable[str],
    leaving: Iterable[str],
    written: dict[str, set[str]] | None = None,
) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """(quads to remove, quads to add) in the shared graph after ``graphs`` changed;
    ``leaving`` are the text graphs being removed (still in the store); ``written`` the
    surface forms, by entity, of the entities whose forms may have changed."""
    graph = N(entities_graph_iri(base_iri))
    gone = set(leaving)
    forms = written or {}
    remove: list[ox.Quad] = []
    add: list[ox.Quad] = []
    for entity in sorted(touched_entities(kb, graphs) | set(forms)):
        old = set(kb.backend.quads_for_pattern(N(entity), None, None, graph))
        if entity in forms:
            surfaces: Iterable[str] = forms[entity]
        else:  # its forms did not change: keep them
            surfaces = [value(q.object) for q in old if q.predicate == WRITTEN_AS]
        new = set(description(kb, entity, graph, gone, surfaces))
        remove += sorted(old - new, key=str)
        add += sorted(new - old, key=str)
    return remove, add
