"""Search across actors, sources, claims and documents, forgiving of how readers spell.

Users type "Daesh", "d'aesh", "almasdar" or "Erdoğan" and expect to land on the right
entity. Every label, alias, hidden spelling, domain and surface form seen in the texts is
normalised (case, accents, apostrophes, punctuation) and matched exactly, by prefix, by
words, or approximately (rapidfuzz); claims and documents are found by their words
(SQLite FTS5) and by the entities they name.

Why on disk: the index is derived data (kb.derived), kept up to date at each ingest step
in ``DATA/derived/search.sqlite`` and linked into each release (below), so a server opens
it in every worker (read-only) instead of building it in every worker's memory; its
size grows with the data, linearly. Only the entities' names (thousands, for fuzzy
matching) are read into memory, on the first search.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
import threading
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pyoxigraph as ox

from .entity_statements import LABELS as _LABELS
from .entity_statements import PREF as _PREF
from .entity_statements import TYPE as _TYPE
from .entity_statements import Preloaded, Shared, stated
from .linked_sqlite import (
    is_shared,
    log_limit,
    log_size,
    own_file_for_writer,
    remove_copies,
    unshare_soon,
)
from .name_matcher import NameMatcher, PackedStrings
from .sqlite_lookup import held
from .sqlite_transaction import transaction
from .store import KnowledgeBase, value
from .text_records import TextRecords
from .vocab import PREFIXES

if TYPE_CHECKING:
    from .derived.claim_index import ClaimIndex

Kind = Literal["actor", "source", "claim", "document"]
KINDS: tuple[Kind, ...] = ("actor", "source", "claim", "document")
COUNT_CAP = 1000  # hits of a kind counted one by one; past it a search says "more than"
FILENAME = "search.sqlite"
_APOSTROPHES = dict.fromkeys(map(ord, "'’‘`´ʼ"), None)
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_SNIPPET = 160
_CHUNK = 500
_S = PREFIXES["srkb"]
_N = ox.NamedNode
_REFERRING = tuple(_N(_S + p) for p in ("refersTo", "speaker", "relayedBy", "judgedSource"))
_SUBCLASS = _N(PREFIXES["rdfs"] + "subClassOf")
_RDFS_LABEL = _N(PREFIXES["rdfs"] + "label")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entities (
  iri TEXT PRIMARY KEY, label TEXT NOT NULL, kinds TEXT NOT NULL, types TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS entities_kinds ON entities (kinds);
CREATE TABLE IF NOT EXISTS names (
  entity TEXT NOT NULL, surface TEXT NOT NULL, origin TEXT NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY (entity, surface, origin)) WITHOUT ROWID;
-- items are found by id (search, item_entities) and dropped by graph (a graph is indexed
-- once: the graphs table), never looked up by IRI: no index on it, which took a quarter
-- of the log a step writes (one random page per new item)
CREATE TABLE IF NOT EXISTS items (
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, iri TEXT NOT NULL, label TEXT NOT NULL,
  graph TEXT NOT NULL, text TEXT NOT NULL, words TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS items_graph ON items (graph);
CREATE TABLE IF NOT EXISTS item_entities (
  entity TEXT NOT NULL, kind TEXT NOT NULL, item INTEGER NOT NULL,
  PRIMARY KEY (entity, kind, item)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS item_entities_item ON item_entities (item);
CREATE TABLE IF NOT EXISTS graphs (graph TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS items_fts USING fts5(
  words, content='items', content_rowid='id', tokenize='unicode61 remove_diacritics 0');
"""


def normalise(text: str) -> str:
    """Case, accents, apostrophes and punctuation folded: "Da’esh" -> "daesh"."""
    if text.isascii():  # the common case, and the same result: nothing to decompose
        folded = text.lower()
    else:
        folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = folded.translate(_APOSTROPHES)
    return " ".join(_NON_WORD.sub(" ", folded).replace("_", " ").split())


def compact(text: str) -> str:
    """Normalised without spaces: "Al Masdar" and "almasdar" meet, so do "U.S." and "US"."""
    return normalise(text).replace(" ", "")


@dataclass(frozen=True)
class SearchHit:
    kind: Kind
    iri: str
    label: str
    score: float
    matched: str  # what matched: the alias, or the words
    snippet: str = ""
    types: tuple[str, ...] = ()


def _snippet(text: str, words: list[str]) -> str:
    flat = " ".join(text.split())
    if len(flat) <= _SNIPPET:
        return flat
    low = normalise(flat)
    pos = min((low.find(w) for w in words if low.find(w) >= 0), default=0)
    start = max(0, pos - _SNIPPET // 3)
    piece = flat[start : start + _SNIPPET]
    return ("…" if start else "") + piece + ("…" if start + _SNIPPET < len(flat) else "")


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


# --------------------------------------------------------------------------- files
# The live index is a file releases hard-link: kb.linked_sqlite says how it is written.


def _connect(path: Path | None, *, read_only: bool = False) -> sqlite3.Connection:
    if path is None:
        db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    elif read_only:
        # a release's copy of the log must be read; a file without one is read as it is
        uri = f"file:{path}?mode=ro" + ("" if log_size(path) else "&immutable=1")
        return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        # 64 MB of page cache (the default is 2 MB): a bulk derivation inserts into
        # indexes of gigabytes in no particular order
        db.execute("PRAGMA cache_size=-65536")
    db.executescript(_SCHEMA)
    return db


class _WriteConnection:
    """The writer's connection to the live index, and its keeper while a release links
    the file (see above)."""

    def __init__(self, path: Path) -> None:
        own_file_for_writer(path)
        self.keeper: sqlite3.Connection | None = None
        if is_shared(path):
            self.keeper = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
            # a connection takes its shared lock on first reading, and keeps it
            self.keeper.execute("SELECT count(*) FROM sqlite_master").fetchone()
        try:
            self.db = _connect(path)
            if self.keeper is not None:
                self.db.execute("PRAGMA wal_autocheckpoint=0")
        except BaseException:
            if self.keeper is not None:
                self.keeper.close()
            raise

    def close(self) -> None:
        self.db.close()  # first: the keeper, read-only, is the last to close
        if self.keeper is not None:
            self.keeper.close()


# --------------------------------------------------------------------------- updating
class _Ontology:
    """Class labels and ancestors, read from the store once per update."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._ancestors: dict[str, frozenset[str]] = {}
        self._labels: dict[str, str] = {}

    def ancestors(self, cls: str) -> frozenset[str]:
        if cls not in self._ancestors:
            seen, todo = {cls}, [cls]
            while todo:
                for q in self.kb.pattern(todo.pop(), _SUBCLASS):
                    if isinstance(q.object, ox.NamedNode) and q.object.value not in seen:
                        seen.add(q.object.value)
                        todo.append(q.object.value)
            self._ancestors[cls] = frozenset(seen)
        return self._ancestors[cls]

    def label(self, cls: str) -> str | None:
        if cls not in self._labels:
            found = sorted(
                q.object.value
                for q in self.kb.pattern(cls, _RDFS_LABEL)
                if isinstance(q.object, ox.Literal) and q.object.language in (None, "en")
            )
            self._labels[cls] = found[0] if found else ""
        return self._labels[cls] or None


def _referenced(kb: KnowledgeBase, entity: str, leaving: set[str]) -> bool:
    node = _N(entity)
    for p in _REFERRING:
        for q in kb.backend.quads_for_pattern(None, p, node, None):
            if value(q.graph_name) not in leaving:
                return True
    return False


def _entity_row(onto: _Ontology, stated: list[ox.Quad]) -> tuple[str, str, str] | None:
    """(label, kinds, types) of an entity from what is stated of it
    (kb.entity_statements)."""
    labels = sorted(value(q.object) for q in stated if q.predicate == _PREF)
    if not labels:
        return None
    kinds: set[str] = set()
    types: set[str] = set()
    for q in stated:
        cls = value(q.object)
        if q.predicate != _TYPE or not cls.startswith(_S):
            continue
        ancestors = onto.ancestors(cls)
        kinds |= {
            k for k, top in (("actor", "Actor"), ("source", "Source")) if _S + top in ancestors
        }
        label = onto.label(cls)
        if label:
            types.add(label)
    if not kinds:
        return None
    return labels[0], " ".join(sorted(kinds)), "\x1f".join(sorted(types))


def _surfaces(records: list[TextRecords]) -> Counter[tuple[str, str]]:
    """(entity, surface form) pairs of the texts' mentions, counted once per text."""
    return Counter(pair for r in records for pair in {(e, a) for e, a, _d in r.mentions})


class _Items:
    """Items to index, written a batch at a time: a few ``executemany`` statements with
    the ids SQLite would give them, instead of three statements per item (the search
    index took 199 s of the main process in a 100,000-text ingest)."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str, str]] = []
        self.entities: list[tuple[str, str, int]] = []

    def put(
        self,
        kind: str,
        iri: str,
        label: str,
        graph: str,
        text: str,
        words: str,
        entities: Iterable[str],
    ) -> None:
        """An item; ``words``: what the full-text index holds of it (``normalise``d)."""
        at = len(self.rows)  # the item's place in the batch: its id less the first
        self.rows.append((kind, iri, label, graph, text, words))
        self.entities += [(e, kind, at) for e in sorted(set(entities))]

    def write(self, db: sqlite3.Connection) -> None:
        if not self.rows:
            return
        first = int(db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM items").fetchone()[0])
        db.executemany(
            "INSERT INTO items (id, kind, iri, label, graph, text, words) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(first + i, *row) for i, row in enumerate(self.rows)],
        )
        db.executemany(
            "INSERT INTO items_fts (rowid, words) VALUES (?, ?)",
            [(first + i, row[5]) for i, row in enumerate(self.rows)],
        )
        db.executemany(
            "INSERT OR IGNORE INTO item_entities (entity, kind, item) VALUES (?, ?, ?)",
            [(e, kind, first + at) for e, kind, at in self.entities],
        )


def _text_items(r: TextRecords) -> Iterator[tuple[str, str, str, str, str, set[str]]]:
    """A text's items: (kind, IRI, label, text, words to index, entities named)."""
    for c in r.claims:
        who = {a for a in (c.speaker, c.via) if a} | c.about
        yield "claim", c.iri, c.content, c.content, f"{c.content} {c.cue}", who
    named: dict[str, set[str]] = {d: set() for d in r.documents}
    for entity, _anchor, in_doc in r.mentions:
        if in_doc in named:
            named[in_doc].add(entity)
    for iri, document in sorted(r.documents.items()):
        text = r.string[document.begin : document.end]
        yield "document", iri, r.document_label(document), text, text, named[iri]


def index_words(r: TextRecords) -> list[str]:
    """What the full-text index holds of each of a text's items, in order: an extraction
    worker works it out (kb.ingest_workers), for the writer's process to have less to do."""
    return [normalise(words_of) for _k, _i, _l, _t, words_of, _e in _text_items(r)]


def _add_graphs(db: sqlite3.Connection, records: list[TextRecords]) -> set[str]:
    """Index the claims, documents and surface forms of texts; the entities they name."""
    touched: set[str] = set()
    items = _Items()
    for r in records:
        parts = list(_text_items(r))
        words = r.index_words  # from the worker that extracted it, else worked out here
        if words is None:
            words = [normalise(part[4]) for part in parts]
        for (kind, iri, label, text, _words_of, entities), indexed in zip(
            parts, words, strict=True
        ):
            items.put(kind, iri, label, r.graph, text, indexed, entities)
            touched |= entities
    items.write(db)
    surfaces = _surfaces(records)
    db.executemany(
        "INSERT INTO names (entity, surface, origin, n) VALUES (?, ?, 'text', ?) "
        "ON CONFLICT (entity, surface, origin) DO UPDATE SET n = n + excluded.n",
        [(e, a, n) for (e, a), n in sorted(surfaces.items())],
    )
    touched |= {e for e, _a in surfaces}
    db.executemany("INSERT INTO graphs (graph) VALUES (?)", [(r.graph,) for r in records])
    return touched


def _remove_graphs(db: sqlite3.Connection, records: list[TextRecords]) -> set[str]:
    """Forget the items and surface forms of texts (read before their graphs go)."""
    touched: set[str] = set()
    graphs = [r.graph for r in records]
    for chunk in _chunks(graphs):
        marks = ",".join("?" * len(chunk))
        for item, words in db.execute(
            f"SELECT id, words FROM items WHERE graph IN ({marks})",  # noqa: S608
            chunk,
        ).fetchall():
            db.execute(
                "INSERT INTO items_fts (items_fts, rowid, words) VALUES ('delete', ?, ?)",
                (item, words),
            )
            touched |= {
                r[0] for r in db.execute("SELECT entity FROM item_entities WHERE item = ?", (item,))
            }
            db.execute("DELETE FROM item_entities WHERE item = ?", (item,))
            db.execute("DELETE FROM items WHERE id = ?", (item,))
    surfaces = _surfaces(records)
    db.executemany(
        "UPDATE names SET n = n - ? WHERE entity = ? AND surface = ? AND origin = 'text'",
        [(n, e, a) for (e, a), n in sorted(surfaces.items())],
    )
    db.executemany(  # only the forms counted down: a scan of every name costs 1 s at 100k
        "DELETE FROM names WHERE entity = ? AND surface = ? AND origin = 'text' AND n <= 0",
        sorted(surfaces),
    )
    touched |= {e for e, _a in surfaces}
    db.executemany("DELETE FROM graphs WHERE graph = ?", [(g,) for g in graphs])
    return touched


def _refresh_entities(
    db: sqlite3.Connection,
    kb: KnowledgeBase,
    entities: Iterable[str],
    leaving: set[str],
    shared: Shared | None,
    referenced: set[str] | None = None,
    *,
    fresh: bool = False,
    statements: Shared | None = None,
) -> None:
    """Re-read the label, kinds, types and names of entities; drop those no text names
    (``referenced``: those some quad refers to, when known). ``fresh``: the index holds
    none of them yet (a bulk derivation's, emptied first), so there is nothing to drop.
    ``statements``: what is stated of an entity, when read otherwise than one lookup per
    predicate (kb.entity_statements)."""
    onto = _Ontology(kb)
    for entity in sorted(entities):
        if not fresh:
            db.execute("DELETE FROM entities WHERE iri = ?", (entity,))
            db.execute("DELETE FROM names WHERE entity = ? AND origin = 'label'", (entity,))
        if (
            entity not in referenced
            if referenced is not None
            else not _referenced(kb, entity, leaving)
        ):
            if not fresh:
                db.execute("DELETE FROM names WHERE entity = ?", (entity,))
            continue
        found = statements(entity) if statements else stated(kb, entity, leaving, shared)
        row = _entity_row(onto, found)
        if row is None:
            continue
        db.execute(
            "INSERT INTO entities (iri, label, kinds, types) VALUES (?, ?, ?, ?)", (entity, *row)
        )
        names = {
            q.object.value
            for q in found
            if q.predicate in _LABELS and isinstance(q.object, ox.Literal)
        }
        db.executemany(
            "INSERT INTO names (entity, surface, origin, n) VALUES (?, ?, 'label', 1)",
            [(entity, n) for n in sorted(names)],
        )


class SearchIndexWriter:
    """Keeps the search index of a store up to date, step by step (kb.derived)."""

    def __init__(self, derived: Path | None) -> None:
        self.path = derived / FILENAME if derived is not None else None
        self._conn: _WriteConnection | None = None
        self._memory: sqlite3.Connection | None = None

    def prepare(self) -> None:
        """Start giving the index an inode of its own if a release shares it and its log
        has grown too long to keep (above)."""
        if self.path is not None:
            unshare_soon(self.path)

    @property
    def db(self) -> sqlite3.Connection:
        if self.path is None:
            if self._memory is None:
                self._memory = _connect(None)
            return self._memory
        if self._conn is None:
            self._conn = _WriteConnection(self.path)
        return self._conn.db

    def _check_log(self) -> None:
        """Between transactions: reopen (on a file of its own) once the log kept for a
        release has grown too long."""
        if self._conn is not None and self._conn.keeper is not None and self.path is not None:
            if log_size(self.path) > log_limit(self.path):
                self.close()

    def update(
        self,
        kb: KnowledgeBase,
        added: list[TextRecords],
        removed: list[TextRecords],
        shared: Shared | None = None,
    ) -> dict[str, set[str]]:
        """Bring the index up to date after texts were added and removed (read before
        their graphs go); idempotent, like every derived step. Returns, for each entity
        whose mentions changed, the forms the texts now write it in."""
        if self.path is None or not (added or removed):
            return {}
        self._check_log()
        db = self.db
        indexed = held(self.db, "graphs", "graph", (r.graph for r in [*added, *removed]))
        with transaction(db):
            touched = _remove_graphs(db, [r for r in removed if r.graph in indexed])
            touched |= _add_graphs(db, [r for r in added if r.graph not in indexed])
            leaving = {r.graph for r in removed}
            _refresh_entities(db, kb, touched, leaving, shared)
        return self.written_forms({e for e, _a in _surfaces([*added, *removed])})

    def add_texts(self, added: list[TextRecords]) -> set[str]:
        """Index texts without describing the entities they name (a bulk derivation
        describes each once at the end: ``describe``); returns those entities."""
        if self.path is None or not added:
            return set()
        self._check_log()
        indexed = held(self.db, "graphs", "graph", (r.graph for r in added))
        with transaction(self.db):
            return _add_graphs(self.db, [r for r in added if r.graph not in indexed])

    def describe(self, kb: KnowledgeBase, entities: Iterable[str], statements: Preloaded) -> None:
        """Describe entities the texts in the store name, in an index emptied since (a bulk
        derivation's), from ``statements`` (read once for them all): none is dropped as
        unnamed (finding which some quad refers to was one pass over all the texts'
        references: 7 s at 10,000 texts), none deleted."""
        entities = set(entities)
        if self.path is None or not entities:
            return
        self._check_log()
        with transaction(self.db):
            _refresh_entities(
                self.db, kb, entities, set(), None, entities, fresh=True, statements=statements
            )

    def count_claims(self, index: ClaimIndex, agents: set[str], entities: set[str]) -> None:
        """Count again the claims of these agents and about these entities
        (kb.derived.claim_counts): what pages read of the claim index."""
        from .derived.claim_counts import fill_claim_counts, has_claim_counts, update_claim_counts

        if self.path is None or index.path is None:
            return
        self._check_log()
        if not has_claim_counts(self.db):  # a new index, or one from before they were kept
            fill_claim_counts(self.db, index.path)
        else:
            update_claim_counts(self.db, index, agents, entities)

    def fill_claim_counts(self, index: ClaimIndex) -> None:
        """Count every agent's and entity's claims afresh (the end of a bulk derivation)."""
        from .derived.claim_counts import fill_claim_counts

        if self.path is not None and index.path is not None:
            self._check_log()
            fill_claim_counts(self.db, index.path)

    def mentioned_entities(self) -> set[str]:
        """Every entity the texts mention (by the forms they write it in)."""
        return {
            r[0] for r in self.db.execute("SELECT DISTINCT entity FROM names WHERE origin = 'text'")
        }

    def written_forms(self, entities: Iterable[str]) -> dict[str, set[str]]:
        """The forms the texts write each entity's name in (its mentions' text)."""
        out: dict[str, set[str]] = {e: set() for e in entities}
        for chunk in _chunks(sorted(out)):
            marks = ",".join("?" * len(chunk))
            for entity, surface in self.db.execute(
                "SELECT entity, surface FROM names "  # noqa: S608
                f"WHERE origin = 'text' AND n > 0 AND entity IN ({marks})",
                chunk,
            ):
                out[entity].add(surface)
        return out

    def clear(self) -> None:
        """Throw the index away (kb.derived.rebuild makes it again)."""
        self.close()
        if self.path is not None:
            for suffix in ("", "-wal", "-shm"):
                self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
            remove_copies(self.path)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._memory is not None:
            self._memory.close()
            self._memory = None


def update_search_index(
    kb: KnowledgeBase,
    derived: Path | None,
    added: list[str],
    removed: list[str],
    shared: Shared | None = None,
) -> None:
    """One update of the search index in ``derived`` (see SearchIndexWriter.update)."""
    from .text_records import read_text_graphs

    writer = SearchIndexWriter(derived)
    try:
        writer.update(kb, read_text_graphs(kb, added), read_text_graphs(kb, removed), shared)
    finally:
        writer.close()


# --------------------------------------------------------------------------- names
_ACTOR, _SOURCE = 1, 2  # the kinds of an entity, as bits
_KINDS_OF_BITS: tuple[tuple[Kind, ...], ...] = ((), ("actor",), ("source",), ("actor", "source"))


class EntityTable:
    """What the search page shows of each named entity (label, kinds, types), in arrays
    beside the NameMatcher's entity numbers: a dict of tuples keyed by IRI cost 140 MB at
    350,000 entities, this about 12 MB."""

    def __init__(
        self,
        labels: PackedStrings,
        kinds: bytes,
        types: array[int],
        type_sets: list[tuple[str, ...]],
        order: array[int],
    ) -> None:
        self.labels, self.kinds, self.types, self.type_sets = labels, kinds, types, type_sets
        self.order = order  # each entity's rank by (casefolded label, IRI): how ties sort

    @classmethod
    def of(cls, matcher: NameMatcher, rows: dict[str, tuple[str, str, str]]) -> EntityTable:
        """From the ``entities`` rows (IRI -> label, kinds, types), for each entity of the
        matcher in its order."""
        described = [rows[iri] for iri in matcher.iris]
        type_ids: dict[str, int] = {}
        types = array("i", (type_ids.setdefault(t, len(type_ids)) for _l, _k, t in described))
        type_sets = [tuple(t for t in joined.split("\x1f") if t) for joined in type_ids]
        kinds = bytes(
            (_ACTOR if "actor" in k.split() else 0) | (_SOURCE if "source" in k.split() else 0)
            for _l, k, _t in described
        )
        ranking = sorted(
            range(len(described)), key=lambda e: (described[e][0].casefold(), matcher.iris[e])
        )
        order = array("i", bytes(4 * len(ranking)))
        for rank, entity in enumerate(ranking):
            order[entity] = rank
        labels = PackedStrings(label for label, _k, _t in described)
        return cls(labels, kinds, types, type_sets, order)

    def kinds_of(self, entity: int) -> tuple[Kind, ...]:
        return _KINDS_OF_BITS[self.kinds[entity]]

    def describe(self, entity: int) -> tuple[str, tuple[str, ...]]:
        """(label, types) of an entity."""
        return self.labels[entity], self.type_sets[self.types[entity]]

    @property
    def nbytes(self) -> int:
        arrays = (self.types, self.order)
        return self.labels.nbytes + len(self.kinds) + sum(len(a) * a.itemsize for a in arrays)


def load_names(db: sqlite3.Connection) -> tuple[NameMatcher, EntityTable]:
    """The names of the indexed entities (labels, aliases, the forms texts write them in),
    normalised, and what the search page shows of each entity."""
    rows: dict[str, tuple[str, str, str]] = {
        iri: (label, kinds, types)
        for iri, label, kinds, types in db.execute("SELECT iri, label, kinds, types FROM entities")
    }
    found: set[tuple[str, str, str]] = set()
    for iri, surface in db.execute("SELECT entity, surface FROM names"):
        if iri in rows:
            norm = normalise(surface)
            if norm:
                found.add((norm, iri, surface))
    for iri, (label, _k, _t) in rows.items():
        norm = normalise(label)
        if norm:
            found.add((norm, iri, label))
    matcher = NameMatcher(found)
    found.clear()
    return matcher, EntityTable.of(matcher, rows)


# --------------------------------------------------------------------------- searching
class SearchIndex:
    """A search index on disk (read-only once built), shared by a server's threads."""

    def __init__(self, db: sqlite3.Connection, owned_dir: Path | None = None) -> None:
        self.db = db
        self._owned_dir = owned_dir
        self._lock = threading.Lock()
        self._loaded = False
        self._matcher = NameMatcher(())
        self._entities = EntityTable.of(self._matcher, {})

    # --- opening ----------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path) -> SearchIndex:
        """Open an index file read-only (a server's snapshot copy)."""
        return cls(_connect(path, read_only=True))

    @classmethod
    def empty(cls) -> SearchIndex:
        return cls(_connect(None))

    @classmethod
    def build(cls, kb: KnowledgeBase) -> SearchIndex:
        """Index every text graph of a store (for stores without a derived index)."""
        directory = Path(tempfile.mkdtemp(prefix="srkb-search-"))
        _connect(directory / FILENAME).close()  # an empty store still has an (empty) index
        graphs = [g for g in kb.named_graphs() if "/graph/text/" in g]
        update_search_index(kb, directory, graphs, [])
        return cls(_connect(directory / FILENAME, read_only=True), owned_dir=directory)

    @classmethod
    def for_store(cls, kb: KnowledgeBase) -> SearchIndex:
        """The store's derived index when it has one (DATA/derived), else one built now."""
        if kb.local_dir is not None:
            path = kb.local_dir / "derived" / FILENAME
            if path.is_file():
                return cls.open(path)
        return cls.build(kb)

    def close(self) -> None:
        self.db.close()
        if self._owned_dir is not None:
            shutil.rmtree(self._owned_dir, ignore_errors=True)

    # --- sizes ---------------------------------------------------------------------------
    @property
    def entity_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM entities").fetchone()[0])

    @property
    def item_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM items").fetchone()[0])

    # --- names in memory ------------------------------------------------------------------
    def load_names(self) -> None:
        """Read every name into memory, once: at the first search, or before it (a served
        store's workers do it in the background as they start: 10 s at 100,000 texts)."""
        with self._lock:
            if self._loaded:
                return
            self._matcher, self._entities = load_names(self.db)
            self._loaded = True

    # --- items on disk --------------------------------------------------------------------
    @staticmethod
    def _match(words: list[str]) -> str:
        """An FTS5 query: every word, the last (being typed) also as a prefix."""
        parts = ['"' + w.replace('"', "") + '"' for w in words]
        if len(words[-1]) >= 3:
            parts[-1] += "*"
        return " ".join(parts)

    def _item_hits(
        self, kind: Kind, words: list[str], strong: list[str], limit: int
    ) -> tuple[list[tuple[float, str, str, str, str]], int]:
        """The best ``limit`` items of a kind (newest first within a score) and their count."""
        match = self._match(words)
        by_words = (
            "SELECT i.id FROM items_fts f JOIN items i ON i.id = f.rowid "
            "WHERE items_fts MATCH ? AND i.kind = ?"
        )
        marks = ",".join("?" * len(strong))
        by_entity = f"SELECT item FROM item_entities WHERE kind = ? AND entity IN ({marks})"  # noqa: S608
        try:
            top_words = self.db.execute(
                by_words + " ORDER BY f.rowid DESC LIMIT ?", (match, kind, limit)
            ).fetchall()
            # counted up to one past the cap: counting every hit of common words cost
            # 235 ms at 100,000 documents
            over = COUNT_CAP + 1
            if strong:
                union = f"SELECT COUNT(*) FROM ({by_words} UNION {by_entity} LIMIT ?)"
                total = self.db.execute(union, (match, kind, kind, *strong, over)).fetchone()[0]
            else:
                total = self.db.execute(
                    f"SELECT COUNT(*) FROM ({by_words} LIMIT ?)", (match, kind, over)
                ).fetchone()[0]
        except sqlite3.OperationalError:  # a query FTS5 cannot parse: no word hits
            top_words, total = [], 0
            if strong:
                total = self.db.execute(
                    f"SELECT COUNT(*) FROM ({by_entity} LIMIT ?)", (kind, *strong, over)
                ).fetchone()[0]
        chosen: list[tuple[float, int]] = [(60.0, r[0]) for r in top_words]
        if strong and len(chosen) < limit:
            have = {i for _s, i in chosen}
            more = self.db.execute(
                by_entity + " ORDER BY item DESC LIMIT ?", (kind, *strong, limit + len(have))
            ).fetchall()
            chosen += [(50.0, r[0]) for r in more if r[0] not in have][: limit - len(chosen)]
        out = []
        for score, item in chosen:
            iri, label, text = self.db.execute(
                "SELECT iri, label, text FROM items WHERE id = ?", (item,)
            ).fetchone()
            out.append((score, iri, label, text, " ".join(words)))
        return out, int(total)

    def search(self, query: str, limit: int = 20) -> dict[Kind, list[SearchHit]]:
        """Hits grouped by kind, best first; an empty query finds nothing."""
        return self.search_with_totals(query, limit)[0]

    def search_with_totals(
        self, query: str, limit: int = 20
    ) -> tuple[dict[Kind, list[SearchHit]], dict[Kind, int]]:
        """The best ``limit`` hits of each kind, and how many hits each kind has in all,
        counted up to COUNT_CAP + 1 (a count above COUNT_CAP means: more than that)."""
        out: dict[Kind, list[SearchHit]] = {k: [] for k in KINDS}
        totals: dict[Kind, int] = dict.fromkeys(KINDS, 0)
        words = normalise(query).split()
        if not words:
            return out, totals
        self.load_names()
        matcher, entities = self._matcher, self._entities
        entity_scores = matcher.scores_by_entity(normalise(query), query)
        ranked: dict[Kind, list[tuple[float, int, int, str]]] = {k: [] for k in KINDS[:2]}
        for entity, (score, surface) in entity_scores.items():
            for kind in entities.kinds_of(entity):
                ranked[kind].append((-score, entities.order[entity], entity, surface))
        for kind in KINDS[:2]:
            # best score first, then by label as read (casefolded) and IRI: ``order``
            ranked[kind].sort()
            totals[kind] = len(ranked[kind])
            for negated, _order, entity, surface in ranked[kind][:limit]:
                label, types = entities.describe(entity)
                iri = matcher.iri(entity)
                out[kind].append(SearchHit(kind, iri, label, -negated, surface, types=types))
        strong = sorted(
            matcher.iri(entity) for entity, (score, _) in entity_scores.items() if score >= 80
        )
        for kind in KINDS[2:]:
            hits, totals[kind] = self._item_hits(kind, words, strong, limit)
            out[kind] = [
                SearchHit(kind, iri, label, score, matched, _snippet(text, words))
                for score, iri, label, text, matched in hits
            ]
        return out, totals
