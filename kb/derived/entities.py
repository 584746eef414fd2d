"""The shared entities graph: one description per actor or source, however many texts name it.

Each text's graph says what that text says of an actor outside the gazetteer
(``srkb:nameInText``, ``srkb:typeInText``); ``BASE/graph/entities`` states, once:

* ``rdf:type`` each class any text gives it (beyond the gazetteer's own);
* ``skos:prefLabel`` the name most texts use (ties: the first in Unicode order, case
  folded), and ``skos:altLabel`` the other names.

So a query that joins an actor's label gets one row, not one per text (at 10,000 texts
one person's type and label were repeated in 4,258 graphs), and removing a text removes
what only it said. Only the entities a change touches are recomputed, from counts of how
many texts give each name and class (``EntityCounts``, beside the claim index): reading
them again from every text that names an official would cost more as the store grows.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable

import pyoxigraph as ox

from ..iri import IriMinter
from ..store import KnowledgeBase, value
from ..text_records import TextRecords
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


_TABLES = ((True, "entity_names", "name"), (False, "entity_types", "type"))


class EntityCounts:
    """How many texts give each entity each name and each class (derived, in SQLite).

    Applying a text graph twice, or removing one never applied, changes nothing (a table
    of the graphs applied), like every derived step.
    """

    SCHEMA = """
    CREATE TABLE IF NOT EXISTS entity_graphs (graph TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS entity_names (
      entity TEXT NOT NULL, name TEXT NOT NULL, n INTEGER NOT NULL,
      PRIMARY KEY (entity, name)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS entity_types (
      entity TEXT NOT NULL, type TEXT NOT NULL, n INTEGER NOT NULL,
      PRIMARY KEY (entity, type)) WITHOUT ROWID;
    """

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        db.executescript(self.SCHEMA)
        # read ahead for a run of entities (``prefetch``): entity -> names, types
        self._ahead: dict[str, tuple[Counter[str], set[str]]] = {}

    def prefetch(self, entities: list[str]) -> None:
        """Read the counts of these entities (sorted) with one range scan of each table,
        for ``names`` and ``types`` to answer from: a bulk derivation describes 341,000
        entities at 100,000 texts, two lookups each otherwise. Replaces the last run."""
        self._ahead = {e: (Counter(), set()) for e in entities}
        if not entities:
            return
        span = (entities[0], entities[-1])
        for entity, name, n in self.db.execute(
            "SELECT entity, name, n FROM entity_names WHERE entity BETWEEN ? AND ?", span
        ):
            if entity in self._ahead:
                self._ahead[entity][0][name] = int(n)
        for entity, type_ in self.db.execute(
            "SELECT entity, type FROM entity_types WHERE entity BETWEEN ? AND ?", span
        ):
            if entity in self._ahead:
                self._ahead[entity][1].add(type_)

    def clear(self) -> None:
        self._ahead = {}
        for table in ("entity_graphs", "entity_names", "entity_types"):
            self.db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names

    def apply(self, added: list[TextRecords], removed: list[TextRecords]) -> set[str]:
        """Count the added texts in, the removed ones (read before their graphs go) out;
        returns every entity these texts describe.

        That is also the entities of texts counted before: a step killed after this
        commit but before its store transaction is done again on resume, and its
        entities' descriptions must then be written although their counts are current.
        """
        self._ahead = {}  # read before these counts
        touched = {entity for r in [*added, *removed] for entity, _kind, _what in r.statements}
        self.db.execute("BEGIN")
        try:
            for sign, records in ((1, added), (-1, removed)):
                todo = [r for r in records if self._applied(r.graph) == (sign < 0)]
                counted: Counter[tuple[bool, str, str]] = Counter()
                for r in todo:
                    for entity, kind, what in r.statements:
                        counted[(kind == "name", entity, what)] += sign
                for is_name, table, column in _TABLES:
                    rows = [
                        (e, w, n) for (name, e, w), n in sorted(counted.items()) if name == is_name
                    ]
                    self.db.executemany(
                        f"INSERT INTO {table} (entity, {column}, n) VALUES (?, ?, ?) "  # noqa: S608
                        f"ON CONFLICT (entity, {column}) DO UPDATE SET n = n + excluded.n",
                        rows,
                    )
                    if sign < 0:  # only what was counted down (a scan of all: 0.5 s at 100k)
                        self.db.executemany(
                            f"DELETE FROM {table} WHERE entity = ? AND {column} = ? AND n <= 0",  # noqa: S608
                            [(e, w) for e, w, _n in rows],
                        )
                graphs = [(r.graph,) for r in todo]
                if sign > 0:
                    self.db.executemany("INSERT INTO entity_graphs (graph) VALUES (?)", graphs)
                else:
                    self.db.executemany("DELETE FROM entity_graphs WHERE graph = ?", graphs)
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
        return touched

    def _applied(self, graph: str) -> bool:
        return (
            self.db.execute("SELECT 1 FROM entity_graphs WHERE graph = ?", (graph,)).fetchone()
            is not None
        )

    def names(self, entity: str) -> Counter[str]:
        ahead = self._ahead.get(entity)
        if ahead is not None:
            return Counter(ahead[0])
        return Counter(
            {
                n: int(c)
                for n, c in self.db.execute(
                    "SELECT name, n FROM entity_names WHERE entity = ?", (entity,)
                )
            }
        )

    def types(self, entity: str) -> set[str]:
        ahead = self._ahead.get(entity)
        if ahead is not None:
            return set(ahead[1])
        return {
            t
            for (t,) in self.db.execute("SELECT type FROM entity_types WHERE entity = ?", (entity,))
        }


def _best_name(names: Counter[str]) -> str:
    return min(names, key=lambda n: (-names[n], n.casefold(), n))


def description(
    counts: EntityCounts, entity: str, graph: ox.NamedNode, written: Iterable[str] = ()
) -> list[ox.Quad]:
    """What the shared graph should say of ``entity``, from the counts of the texts that
    name it (``written``: the forms the texts write its name in, from the search index)."""
    subject = N(entity)
    names = counts.names(entity)
    out = [ox.Quad(subject, A, N(t), graph) for t in sorted(counts.types(entity))]
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
    counts: EntityCounts,
    touched: Iterable[str],
    written: dict[str, set[str]] | None = None,
) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """(quads to remove, quads to add) in the shared graph for the ``touched`` entities
    (their counts changed: ``EntityCounts.apply``) and those whose written forms changed
    (``written``, by entity)."""
    graph = N(entities_graph_iri(base_iri))
    forms = written or {}
    remove: list[ox.Quad] = []
    add: list[ox.Quad] = []
    for entity in sorted(set(touched) | set(forms)):
        old = set(kb.backend.quads_for_pattern(N(entity), None, None, graph))
        if entity in forms:
            surfaces: Iterable[str] = forms[entity]
        else:  # its forms did not change: keep them
            surfaces = [value(q.object) for q in old if q.predicate == WRITTEN_AS]
        new = set(description(counts, entity, graph, surfaces))
        remove += sorted(old - new, key=str)
        add += sorted(new - old, key=str)
    return remove, add
