"""The claim index: which claims use which terms, on disk (SQLite), for incremental ratings.

Relating a new claim to the others on its matter needs the claims that share a specific
term with it, and how many claims use each term (kb.reliability). Keeping that in the
store would add ten quads per claim; in memory it would grow with the store. So it lives
in ``DATA/derived/claims.sqlite`` (the standard library's sqlite3): one row per claim (what
relating and re-grading need), its terms, and the number of claims per term; each
source's track record; and what each stored rating node was written from, so that an
incremental step need not read the old ones back (kb.derived.ratings).

It is derived data, written only by kb.derived from the store's text graphs: every
change is idempotent (adding a claim it holds, or removing one it lacks, does nothing),
so re-running an interrupted derived step leaves it as one run would; ``srkb rebuild``
makes it again from the store. What the stored ratings were written from is noted after
the store's write, with the store's content state: a step that finds another state (a
write the index missed) forgets it and reads the ratings from the store instead.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ..reliability import (
    ClaimEvidence,
    ClaimRelations,
    ClaimRow,
    ModelParameters,
    claim_row,
    track_record,
)
from ..sqlite_lookup import held as held_values
from ..sqlite_transaction import transaction
from . import track_records
from .track_records import TrackFacts

FILENAME = "claims.sqlite"
SEP = "\x1f"
_CHUNK = 500  # SQLite host parameters per statement
T = TypeVar("T")

_SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS claims (
  id INTEGER PRIMARY KEY,
  iri TEXT NOT NULL UNIQUE,
  graph TEXT NOT NULL,
  text TEXT NOT NULL,
  document TEXT NOT NULL,
  origin TEXT NOT NULL,
  negated INTEGER NOT NULL,
  terms TEXT NOT NULL,
  speaker TEXT,
  via TEXT,
  modality TEXT NOT NULL,
  weak INTEGER NOT NULL,
  own TEXT NOT NULL DEFAULT '',
  chain_dependent INTEGER NOT NULL DEFAULT 0,
  k INTEGER,
  m INTEGER,
  kp INTEGER,
  mp INTEGER,
  record TEXT,
  story TEXT,
  rk INTEGER,
  rm INTEGER,
  rkp INTEGER,
  rmp INTEGER,
  rrecord TEXT,
  rlinks TEXT
);
CREATE INDEX IF NOT EXISTS claims_speaker ON claims (speaker);
CREATE INDEX IF NOT EXISTS claims_via ON claims (via);
-- a source's track record reads only its claims with a record (a fifth of them): these
-- partial indexes hold all it reads, so a busy source costs its corroborated and
-- contradicted claims, not all it ever said
CREATE INDEX IF NOT EXISTS claims_speaker_track ON claims (speaker, record, story, own)
  WHERE record IS NOT NULL;
CREATE INDEX IF NOT EXISTS claims_via_track ON claims (via, record, story, own, speaker)
  WHERE record IS NOT NULL;
CREATE TABLE IF NOT EXISTS terms (
  id INTEGER PRIMARY KEY,
  term TEXT NOT NULL UNIQUE,
  df INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS postings (
  term INTEGER NOT NULL,
  claim INTEGER NOT NULL,
  PRIMARY KEY (term, claim)
) WITHOUT ROWID;
-- the source rating nodes in the store: what each was written from (ClaimIndex.rated_sources)
CREATE TABLE IF NOT EXISTS rated_sources (
  source TEXT PRIMARY KEY,
  grade TEXT NOT NULL,
  counts TEXT NOT NULL,
  priors INTEGER NOT NULL
) WITHOUT ROWID;
"""
    + track_records.SCHEMA
)

# rk ... rrecord: the counts and record the claim's rating node in the store was last
# written from (ClaimIndex.rated): an incremental step works out the node it replaces
# from them instead of reading it back (random reads: about a second at 100,000 texts).
# rk = -1: the store holds no node for it (a claim just added); NULL: not known (read the
# store). They are trusted only while the index's "rated_state" is the store's content
# state: a step writes them after the store's write, with that state.
_RATED_COLUMNS = (
    ("rk", "INTEGER"),
    ("rm", "INTEGER"),
    ("rkp", "INTEGER"),
    ("rmp", "INTEGER"),
    ("rrecord", "TEXT"),
    ("rlinks", "TEXT"),  # its links to the claims on its matter (links_text)
)
NEVER_RATED = -1
#: claim index columns a relation sets: k, m, kp, mp, record, story, its links
#: (links_text), then the claim's IRI
RelationRow = tuple[int, int, int, int, str | None, str, str, str]
#: (k, m, non-party k, non-party m, record, links) a claim's stored rating was written
#: from (links: None when not known)
RatedAs = tuple[int, int, int, int, str | None, str | None]


@dataclass(frozen=True)
class RatedSource:
    """What a source's stored rating node was written from: its letter grade, its
    counts (SourceCounts' fields in order) and how many prior assessments it used."""

    grade: str
    counts: tuple[int, ...]
    priors: int


#: a source the store holds no rating node for
NOT_RATED = RatedSource("", (), -1)


def links_text(rel: ClaimRelations) -> str:
    """A claim's links to the claims on its matter, as the index keeps them (rlinks):
    c, x, r (corroborated, contradicted, repeated by) and the other claim's IRI."""
    return SEP.join(
        [
            *("c" + o for o in rel.corroborating),
            *("x" + o for o in rel.contradicting),
            *("r" + o for o in rel.repeating),
        ]
    )


def parse_links(text: str) -> list[tuple[str, str]]:
    """(kind, claim) of each link in a links_text."""
    return [(t[0], t[1:]) for t in text.split(SEP)] if text else []


#: the indexes a bulk derivation makes at its end (ClaimIndex.defer_lookups)
_LOOKUPS = ("claims_speaker", "claims_via", "claims_speaker_track", "claims_via_track")


def _least_shared(n: int, widest: int, similarity: float) -> list[int]:
    """For a claim of ``n`` terms, the least number of terms it must share with one of
    ``m`` terms (the list's index, up to ``widest``) to be on its matter, by the test of
    kb.reliability.related (at least two, and ``similarity`` of their union), evaluated
    exactly as there; more than either has when no number does. The test's right side
    falls as the shared number grows, so the first number that passes is the least."""
    out = []
    for m in range(widest + 1):
        top = min(n, m)
        need = top + 1
        for s in range(2, top + 1):
            if s >= similarity * (n + m - s):
                need = s
                break
        out.append(need)
    return out


_ROW_COLUMNS = "iri, text, document, origin, negated, terms, own"  # a ClaimRow's


def _claim_row(
    iri: str, text: str, document: str, origin: str, neg: int, terms: str, own: int
) -> ClaimRow:
    """A claim's row from its _ROW_COLUMNS."""
    return ClaimRow(
        iri,
        text,
        document,
        origin,
        bool(neg),
        frozenset(terms.split(SEP)) if terms else frozenset(),
        bool(own),
    )


def _iri(row: ClaimRow) -> str:
    return row.iri


def _chunks(items: list[T], size: int = _CHUNK) -> Iterator[list[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


@dataclass(frozen=True)
class ClaimFacts:
    """What grading a claim needs besides its relations (kb.reliability.ClaimRating)."""

    iri: str
    modality: str
    speaker: str | None
    via: str | None
    weak_chain: bool
    own_account: tuple[str, ...] = ()  # the parties whose own account it is

    @property
    def unsourced(self) -> bool:
        return not (self.speaker or self.via)

    @property
    def agents(self) -> tuple[str, ...]:
        return tuple(sorted({a for a in (self.via, self.speaker) if a}))


def carry_rated_state(derived: Path | None, before: str, after: str) -> None:
    """The store's content state went from ``before`` to ``after`` by a write that changes
    no rating (the reference graphs, the version counts kept in the state): what the claim
    index in ``derived`` says the ratings were written from stays true, if it was."""
    path = derived / FILENAME if derived is not None else None
    if path is None or not path.is_file():
        return
    db = sqlite3.connect(str(path), isolation_level=None)
    try:
        db.execute(
            "UPDATE meta SET value = ? WHERE key = 'rated_state' AND value = ?", (after, before)
        )
    except sqlite3.OperationalError:  # an index from before the note was kept
        pass
    finally:
        db.close()


class ClaimIndex:
    """The claim index of one store (see the module docstring)."""

    def __init__(self, path: Path | None) -> None:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(str(path) if path else ":memory:", isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA cache_size=-65536")  # 64 MB of page cache
        counted = self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'track'").fetchone()
        self.db.executescript(_SCHEMA)
        columns = {r[1] for r in self.db.execute("PRAGMA table_info(claims)")}
        for name, kind in _RATED_COLUMNS:  # an index from before they were kept: not known
            if name not in columns:
                self.db.execute(f"ALTER TABLE claims ADD COLUMN {name} {kind}")
        self._rows: dict[str, ClaimRow] = {}
        if not counted:  # an index from before the track records were kept
            self.make_track()

    @classmethod
    def read_only(cls, path: str) -> ClaimIndex:
        """The index at ``path`` for reading only (a worker process's, kb.derived.relate)."""
        index = cls.__new__(cls)
        index.path = Path(path).resolve()  # a file URI names an absolute path
        index.db = sqlite3.connect(f"{index.path.as_uri()}?mode=ro", uri=True, isolation_level=None)
        index.db.execute("PRAGMA cache_size=-65536")
        index._rows = {}
        return index

    @classmethod
    @contextmanager
    def given(cls, index: ClaimIndex | str) -> Iterator[ClaimIndex]:
        """An index, or the one at a path opened read-only for the time being (a worker
        process's task is handed the path)."""
        if not isinstance(index, str):
            yield index
            return
        opened = cls.read_only(index)
        try:
            yield opened
        finally:
            opened.close()

    @classmethod
    def open(cls, derived_dir: Path | None) -> ClaimIndex:
        return cls(derived_dir / FILENAME if derived_dir is not None else None)

    def close(self) -> None:
        self.db.close()

    def transaction(self) -> AbstractContextManager[None]:
        return transaction(self.db)

    def clear(self) -> None:
        """Empty the index, its tables made again (an older srkb's may lack columns)."""
        with self.transaction():
            for table in (
                "postings",
                "terms",
                "claims",
                "meta",
                *track_records.TABLES,
                "rated_sources",
            ):
                self.db.execute(f"DROP TABLE IF EXISTS {table}")  # noqa: S608 - fixed names
        self.db.executescript(_SCHEMA)
        self._rows.clear()

    def defer_lookups(self) -> None:
        """Drop the indexes of claims by speaker and relay while a bulk derivation fills
        the index: they are made once at the end (``make_lookups``), from all the rows,
        instead of growing with every insert (and every relation's record)."""
        for name in _LOOKUPS:
            self.db.execute(f"DROP INDEX IF EXISTS {name}")  # noqa: S608 - fixed names

    def make_lookups(self) -> None:
        """Make the indexes ``defer_lookups`` dropped (opening the index does it too)."""
        self.db.executescript(_SCHEMA)

    def meta(self, key: str) -> str | None:
        found = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(found[0]) if found else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # --- writing -----------------------------------------------------------------------
    def add(
        self, claims: Iterable[ClaimEvidence], rows: Iterable[ClaimRow] | None = None
    ) -> list[ClaimRow]:
        """Index claims it does not hold yet; returns the rows of all of them (``rows``:
        theirs when already made, in order: ``claim_row`` of each otherwise).

        A batch is a few statements, each run over all its claims (``executemany``): the
        new claims' ids are the next ones (as SQLite would give them), each term's count
        goes up once by the number of new claims using it, then the postings are added.
        One statement per claim and term made this the costliest step of a bulk ingest's
        main process (2.4 ms per text at 100,000 texts)."""
        claims = list(claims)
        rows = [claim_row(c) for c in claims] if rows is None else list(rows)
        with self.transaction():
            held = held_values(self.db, "claims", "iri", (c.iri for c in claims))
            fresh: dict[str, tuple[ClaimEvidence, ClaimRow]] = {}
            for c, row in zip(claims, rows, strict=True):
                if c.iri not in held and c.iri not in fresh:
                    fresh[c.iri] = (c, row)
            if not fresh:
                return rows
            first = int(self.db.execute("SELECT COALESCE(MAX(id), 0) FROM claims").fetchone()[0])
            self.db.executemany(
                "INSERT INTO claims (id, iri, graph, text, document, origin, negated, terms, "
                f"speaker, via, modality, weak, own, rk) "
                f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {NEVER_RATED})",
                [
                    (
                        first + i,
                        c.iri,
                        c.graph,
                        c.text,
                        c.document,
                        row.origin,
                        int(row.negated),
                        SEP.join(sorted(row.terms)),
                        c.speaker,
                        c.via,
                        c.modality,
                        int(c.weak_chain),
                        SEP.join(c.own_account),
                    )
                    for i, (c, row) in enumerate(fresh.values(), start=1)
                ],
            )
            used = Counter(t for _c, row in fresh.values() for t in row.terms)
            self.db.executemany(
                "INSERT INTO terms (term, df) VALUES (?, ?) "
                "ON CONFLICT (term) DO UPDATE SET df = df + excluded.df",
                sorted(used.items()),
            )
            ids = self._term_ids(list(used))
            self.db.executemany(
                "INSERT INTO postings (term, claim) VALUES (?, ?)",
                sorted(
                    (ids[t], first + i)
                    for i, (_c, row) in enumerate(fresh.values(), start=1)
                    for t in row.terms
                ),
            )
            for iri, (_c, row) in fresh.items():
                self._rows[iri] = row
        return rows

    def _term_ids(self, terms: list[str]) -> dict[str, int]:
        return self._of_terms(terms, "id")

    def _of_terms(self, terms: Iterable[str], column: str) -> dict[str, int]:
        """One integer column of the terms table (``id`` or ``df``) for the terms it holds."""
        out: dict[str, int] = {}
        for chunk in _chunks(sorted(set(terms))):
            marks = ",".join("?" * len(chunk))
            for term, number in self.db.execute(
                f"SELECT term, {column} FROM terms WHERE term IN ({marks})",  # noqa: S608
                chunk,
            ):
                out[term] = int(number)
        return out

    def remove(self, iris: Iterable[str]) -> None:
        """Forget claims (those it does not hold are ignored)."""
        iris = list(iris)
        with self.transaction():
            track_records.change_track(self.db, self._track_facts(iris), {})
            for iri in iris:
                found = self.db.execute(
                    "SELECT id, terms FROM claims WHERE iri = ?", (iri,)
                ).fetchone()
                self._rows.pop(iri, None)
                if found is None:
                    continue
                claim_id, terms = found
                for term in terms.split(SEP) if terms else ():
                    self.db.execute(
                        "DELETE FROM postings WHERE claim = ? AND term = "
                        "(SELECT id FROM terms WHERE term = ?)",
                        (claim_id, term),
                    )
                    self.db.execute("UPDATE terms SET df = df - 1 WHERE term = ?", (term,))
                    self.db.execute("DELETE FROM terms WHERE term = ? AND df <= 0", (term,))
                self.db.execute("DELETE FROM claims WHERE id = ?", (claim_id,))

    def forget(self) -> None:
        """Drop the rows memoised so far (each derived step starts afresh: bounded memory)."""
        self._rows.clear()

    def set_relations(self, results: Iterable[tuple[str, ClaimRelations]]) -> None:
        """Remember each claim's relation counts, track record and report (``story``),
        from which sources' track records are counted (``track``)."""
        self.set_relation_rows(
            (r.k, r.m, r.k_non_party, r.m_non_party, track_record(r), r.story, "", iri)
            for iri, r in results
        )

    def set_relation_rows(self, rows: Iterable[RelationRow], bulk: bool = False) -> None:
        """``set_relations`` given (k, m, kp, mp, record, story, links, claim) rows. In a
        bulk derivation (``bulk``) the track records are left for ``make_track``, which
        counts them once at the end, and the rating nodes and links (``links_text``) are
        written from these rows (ClaimIndex.rated); else ``mark_rated`` notes that."""
        rows = list(rows)
        track = not bulk
        with self.transaction():
            before = self._track_facts([r[7] for r in rows]) if track else {}
            if bulk:  # (the right-hand sides of an UPDATE read the row as it was)
                self.db.executemany(
                    "UPDATE claims SET k = ?, m = ?, kp = ?, mp = ?, record = ?, story = ?, "
                    "rk = ?, rm = ?, rkp = ?, rmp = ?, rrecord = ?, rlinks = ? WHERE iri = ?",
                    [(*r[:6], *r[:5], r[6], r[7]) for r in rows],
                )
            else:
                self.db.executemany(
                    "UPDATE claims SET k = ?, m = ?, kp = ?, mp = ?, record = ?, story = ? "
                    "WHERE iri = ?",
                    [(*r[:6], r[7]) for r in rows],
                )
            if track:
                after: dict[str, TrackFacts] = {
                    r[7]: (*before[r[7]][:3], r[4], r[5]) for r in rows if r[7] in before
                }
                track_records.change_track(self.db, before, after)

    def rated(self, iris: Iterable[str]) -> dict[str, RatedAs | None]:
        """What the stored rating nodes of these claims were written from: None when it
        is not known, (NEVER_RATED, ...) when the store holds none; claims the index does
        not hold are left out."""
        out: dict[str, RatedAs | None] = {}
        for chunk in _chunks(sorted(set(iris))):
            marks = ",".join("?" * len(chunk))
            for iri, rk, rm, rkp, rmp, record, links in self.db.execute(
                "SELECT iri, rk, rm, rkp, rmp, rrecord, rlinks FROM claims "  # noqa: S608
                f"WHERE iri IN ({marks})",
                chunk,
            ):
                if rk is None:
                    out[iri] = None
                elif rk == NEVER_RATED:
                    out[iri] = (NEVER_RATED, 0, 0, 0, None, "")
                else:
                    out[iri] = (int(rk), int(rm), int(rkp), int(rmp), record, links)
        return out

    def mark_rated(
        self,
        links: dict[str, str | None],
        sources: dict[str, RatedSource | None],
        state: str,
    ) -> None:
        """The rating nodes of these claims were just written from their current counts,
        with these links (``links_text``; None: unchanged), and those of these sources
        from these; the store's content state is now ``state``."""
        with self.transaction():
            self.set_rated_sources(sources.items())
            self.db.executemany(
                "UPDATE claims SET rk = k, rm = m, rkp = kp, rmp = mp, rrecord = record, "
                "rlinks = COALESCE(?, rlinks) WHERE iri = ?",
                [(text, iri) for iri, text in sorted(links.items())],
            )
            self.set_meta("rated_state", state)

    def trust_rated(self, state: str, *, no_ratings: bool = False) -> None:
        """Forget what the rating nodes were written from unless the index was last told
        of this content state (a write of the store the index missed: read them again).
        ``no_ratings``: the store holds no rating yet, so the index knows them all."""
        if self.meta("rated_state") == state:
            return
        with self.transaction():
            self.db.execute(
                "UPDATE claims SET rk = NULL, rm = NULL, rkp = NULL, rmp = NULL, "
                "rrecord = NULL, rlinks = NULL WHERE rk IS NOT NULL"
            )
            self.db.execute("DELETE FROM rated_sources")
            self.set_meta("sources_complete", "1" if no_ratings else "0")
            self.set_meta("rated_state", state)

    def rated_sources(self, sources: Iterable[str]) -> dict[str, RatedSource | None]:
        """What the stored rating nodes of these sources were written from: a RatedSource,
        NOT_RATED when the store holds none, or None when it is not known (read the store:
        an index that has not seen every source's rating since it was last trusted)."""
        sources = sorted(set(sources))
        complete = self.meta("sources_complete") == "1"
        out: dict[str, RatedSource | None] = dict.fromkeys(sources, NOT_RATED if complete else None)
        for chunk in _chunks(sources):
            marks = ",".join("?" * len(chunk))
            for source, grade, counts, priors in self.db.execute(
                "SELECT source, grade, counts, priors FROM rated_sources "  # noqa: S608
                f"WHERE source IN ({marks})",
                chunk,
            ):
                out[source] = RatedSource(grade, tuple(int(c) for c in counts.split(",")), priors)
        return out

    def set_rated_sources(self, rated: Iterable[tuple[str, RatedSource | None]]) -> None:
        """These sources' rating nodes were written from these (None: the store has none)."""
        rows = list(rated)
        self.db.executemany(
            "DELETE FROM rated_sources WHERE source = ?", [(s,) for s, r in rows if r is None]
        )
        self.db.executemany(
            "INSERT INTO rated_sources (source, grade, counts, priors) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (source) DO UPDATE SET grade = excluded.grade, "
            "counts = excluded.counts, priors = excluded.priors",
            [
                (s, r.grade, ",".join(str(c) for c in r.counts), r.priors)
                for s, r in rows
                if r is not None
            ],
        )

    def _track_facts(self, iris: list[str]) -> dict[str, TrackFacts]:
        out: dict[str, TrackFacts] = {}
        for chunk in _chunks(sorted(set(iris))):
            marks = ",".join("?" * len(chunk))
            for iri, *facts in self.db.execute(
                "SELECT iri, speaker, via, own, record, story FROM claims "  # noqa: S608
                f"WHERE iri IN ({marks})",
                chunk,
            ):
                speaker, via, own, record, story = facts
                out[iri] = (speaker, via, own, record, story)
        return out

    def set_chain_dependent(self, flags: dict[str, bool]) -> None:
        """Remember which claims' grades follow their sources' grades."""
        with self.transaction():
            self.db.executemany(
                "UPDATE claims SET chain_dependent = ? WHERE iri = ?",
                [(int(v), k) for k, v in flags.items()],
            )

    # --- reading -----------------------------------------------------------------------
    def df(self, term: str) -> int:
        found = self.db.execute("SELECT df FROM terms WHERE term = ?", (term,)).fetchone()
        return int(found[0]) if found else 0

    def dfs(self, terms: Iterable[str]) -> dict[str, int]:
        out = dict.fromkeys(terms, 0)
        out.update(self._of_terms(out, "df"))
        return out

    def postings(self, term: str) -> list[str]:
        return [
            r[0]
            for r in self.db.execute(
                "SELECT c.iri FROM terms t JOIN postings p ON p.term = t.id "
                "JOIN claims c ON c.id = p.claim WHERE t.term = ? ORDER BY c.iri",
                (term,),
            )
        ]

    def rows(self, iris: Iterable[str]) -> dict[str, ClaimRow]:
        """The index rows of claims it holds (memoised for the index's lifetime)."""
        iris = list(iris)
        wanted = sorted({i for i in iris if i not in self._rows})
        for chunk in _chunks(wanted):
            marks = ",".join("?" * len(chunk))
            for found in self.db.execute(
                f"SELECT {_ROW_COLUMNS} FROM claims WHERE iri IN ({marks})",  # noqa: S608
                chunk,
            ):
                self._rows[found[0]] = _claim_row(*found)
        return {i: self._rows[i] for i in iris if i in self._rows}

    def rows_between(self, first: int, last: int) -> list[ClaimRow]:
        """The index rows of the claims whose ids fall in [first, last], in id order (one
        range scan; memoised as ``rows`` are)."""
        out = []
        known = self._rows
        for found in self.db.execute(
            f"SELECT {_ROW_COLUMNS} FROM claims WHERE id BETWEEN ? AND ? ORDER BY id",  # noqa: S608
            (first, last),
        ):
            row = known.get(found[0])
            if row is None:
                row = known[found[0]] = _claim_row(*found)
            out.append(row)
        return out

    def facts(self, iris: Iterable[str]) -> dict[str, ClaimFacts]:
        out: dict[str, ClaimFacts] = {}
        for chunk in _chunks(sorted(set(iris))):
            marks = ",".join("?" * len(chunk))
            for iri, modality, speaker, via, weak, own in self.db.execute(
                "SELECT iri, modality, speaker, via, weak, own FROM claims "  # noqa: S608
                f"WHERE iri IN ({marks})",
                chunk,
            ):
                parties = tuple(own.split(SEP)) if own else ()
                out[iri] = ClaimFacts(iri, modality, speaker, via, bool(weak), parties)
        return out

    def claims_of_graphs(self, graphs: Iterable[str]) -> list[str]:
        out: list[str] = []
        for chunk in _chunks(sorted(set(graphs))):
            marks = ",".join("?" * len(chunk))
            out += [
                r[0]
                for r in self.db.execute(
                    f"SELECT iri FROM claims WHERE graph IN ({marks})",  # noqa: S608
                    chunk,
                )
            ]
        return sorted(out)

    def agent_claim_count(self, agent: str) -> int:
        found = self.db.execute(
            "SELECT (SELECT COUNT(*) FROM claims WHERE speaker = ?) + "
            "(SELECT COUNT(*) FROM claims WHERE via = ? AND (speaker IS NULL OR speaker != ?))",
            (agent, agent, agent),
        ).fetchone()
        return int(found[0])

    def make_track(self) -> None:
        """Count every source's track record afresh (kb.derived.track_records)."""
        with self.transaction():
            track_records.make_track(self.db)

    def track_counts(self, agent: str) -> tuple[int, int, int, int, int]:
        """The source's track record, as kept (kb.derived.track_records): what
        kb.reliability.track_counts counts from ``track``."""
        return track_records.track_counts(self.db, agent)

    def track(self, agent: str) -> list[tuple[str | None, str, bool]]:
        """(record, story, own account of ``agent``) of each of its claims (as speaker or
        relay) that has a track record: what kb.reliability.track_counts counts."""
        return [(record, story, own) for record, story, own, _iri in self.track_claims(agent)]

    def track_claims(
        self, agent: str, *, unrecorded: bool = False
    ) -> list[tuple[str | None, str, bool, str]]:
        """``track``, with each claim's IRI (and with ``unrecorded``, the agent's claims
        that neither count for nor against it too)."""
        recorded = "" if unrecorded else " AND record IS NOT NULL"
        out = []
        for record, story, own, iri in self.db.execute(
            f"SELECT record, story, own, iri FROM claims WHERE speaker = ?{recorded} "
            "UNION ALL SELECT record, story, own, iri FROM claims WHERE via = ? "
            f"AND (speaker IS NULL OR speaker != ?){recorded}",
            (agent, agent, agent),
        ):
            out.append((record, story or "", agent in (own.split(SEP) if own else ()), iri))
        return out

    def chain_dependent_claims(self, agent: str) -> list[str]:
        """Claims of ``agent`` (speaker or relay) whose grade follows their sources' grades."""
        return sorted(
            {
                r[0]
                for r in self.db.execute(
                    "SELECT iri FROM claims WHERE chain_dependent = 1 AND (speaker = ? OR via = ?)",
                    (agent, agent),
                )
            }
        )

    def neighbours(
        self, rows: list[ClaimRow], params: ModelParameters
    ) -> dict[str, list[ClaimRow]]:
        """For each row, the claims on its matter (kb.reliability.related), by IRI.

        Every claim sharing a specific term with a row is a candidate: tens to hundreds
        per row, a few of them related. So the candidates are read once for all the rows
        (by id: each term's postings, then the claims), each one's terms made a set once,
        and a pair costs one set intersection, its size checked against the least that
        could pass kb.reliability.related for the two term counts (``_least_shared``);
        a row object is made only for a related claim."""
        terms = {t for r in rows for t in r.terms}
        df: dict[str, int] = dict.fromkeys(terms, 0)
        term_ids: dict[int, str] = {}
        most = params.max_postings
        for chunk in _chunks(sorted(terms)):
            marks = ",".join("?" * len(chunk))
            for term, term_id, count in self.db.execute(
                f"SELECT term, id, df FROM terms WHERE term IN ({marks})",  # noqa: S608
                chunk,
            ):
                df[term] = int(count)
                if 0 < count <= most:
                    term_ids[int(term_id)] = term
        postings: dict[str, list[int]] = {t: [] for t in term_ids.values()}
        for ids in _chunks(sorted(term_ids)):
            marks = ",".join("?" * len(ids))
            for term_id, claim in self.db.execute(
                f"SELECT term, claim FROM postings WHERE term IN ({marks})",  # noqa: S608
                ids,
            ):
                postings[term_ids[term_id]].append(claim)

        # the candidates' terms, a set each (claims of one wording share it)
        their_terms: dict[int, frozenset[str]] = {}
        sets: dict[str, frozenset[str]] = {"": frozenset()}
        candidates = sorted({i for ids in postings.values() for i in ids})
        for ids in _chunks(candidates):
            marks = ",".join("?" * len(ids))
            for claim_id, text in self.db.execute(
                f"SELECT id, terms FROM claims WHERE id IN ({marks})",  # noqa: S608
                ids,
            ):
                found = sets.get(text)
                if found is None:
                    found = sets[text] = frozenset(text.split(SEP))
                their_terms[claim_id] = found
        if any(i not in their_terms for ids in postings.values() for i in ids):
            postings = {t: [i for i in ids if i in their_terms] for t, ids in postings.items()}
        widest = max(map(len, sets.values()))
        least: dict[int, list[int]] = {}
        # each row's candidates that share enough terms with it: (candidate, shared); the
        # same for rows of one wording (reprints), so worked out once for each
        enough: list[list[tuple[int, frozenset[str]]]] = []
        of_terms: dict[frozenset[str], list[tuple[int, frozenset[str]]]] = {}
        for row in rows:
            mine = row.terms
            picked = of_terms.get(mine)
            if picked is not None:
                enough.append(picked)
                continue
            picked = of_terms[mine] = []
            enough.append(picked)
            lists = [postings[t] for t in mine if t in postings]
            if not lists:
                continue
            n = len(mine)
            need = least.get(n)
            if need is None:
                need = least[n] = _least_shared(n, widest, params.similarity)
            for i in set().union(*lists):
                other = their_terms[i]
                shared = mine & other
                if len(shared) >= need[len(other)]:
                    picked.append((i, shared))

        # the rows of those candidates, then the rest of kb.reliability.related: not two
        # claims of one document (nor the row itself), a specific term among those shared
        read: dict[int, tuple[str, str, str, str, int, str]] = {}
        for ids in _chunks(sorted({i for picked in enough for i, _ in picked})):
            marks = ",".join("?" * len(ids))
            for claim_id, iri, text, document, origin, neg, own in self.db.execute(
                "SELECT id, iri, text, document, origin, negated, own "  # noqa: S608
                f"FROM claims WHERE id IN ({marks})",
                ids,
            ):
                read[claim_id] = (iri, text, document, origin, neg, own)
        rare = frozenset(t for t, count in df.items() if count <= most)
        known = self._rows
        out: dict[str, list[ClaimRow]] = {}
        for row, picked in zip(rows, enough, strict=True):
            near: list[ClaimRow] = []
            for i, shared in picked:
                facts = read.get(i)
                if facts is None:  # gone since its terms were read
                    continue
                iri, text, document, origin, neg, own = facts
                if (
                    (text == row.text and document == row.document)
                    or iri == row.iri
                    or shared.isdisjoint(rare)
                ):
                    continue
                near_row = known.get(iri)
                if near_row is None:
                    near_row = known[iri] = ClaimRow(
                        iri, text, document, origin, bool(neg), their_terms[i], bool(own)
                    )
                near.append(near_row)
            near.sort(key=_iri)
            out[row.iri] = near
        return out
