"""How many claims each agent spoke, relayed or is named in: what the pages read of the
claim index, kept in the search index.

A published release (kb.store.releases) needs consistent copies of the derived indexes
its pages read. Of the claim index (``claims.sqlite``, 0.8 GB at 100,000 documents) the
pages read three counts only. They live in two tables of the search index, which a
release hard-links with a copy of its log, so publishing copies nothing for them: a
summary written at each publish took a third of a second at 100,000 documents, for
every 100 documents added. Each derived step counts again the agents and entities of
the claims it added or removed (one indexed count each, kb.derived); a bulk derivation
counts them all at its end (``fill_claim_counts``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from ..sqlite_transaction import transaction
from .claim_index import ClaimIndex

#: the summary an older srkb wrote into each release (read when a release has it)
FILENAME = "claim_counts.sqlite"
CLAIMS_FILENAME = "claims.sqlite"
SEARCH_FILENAME = "search.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS agent_claims (
  agent TEXT NOT NULL, role TEXT NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY (agent, role)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS about (entity TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
"""
_ROLES = ("speaker", "via")


def has_claim_counts(db: sqlite3.Connection) -> bool:
    return (
        db.execute("SELECT 1 FROM sqlite_master WHERE name = 'agent_claims'").fetchone() is not None
    )


def fill_claim_counts(db: sqlite3.Connection, claims: Path) -> None:
    """Count every agent's and entity's claims afresh from the claim index at ``claims``
    into the search index ``db`` (one transaction)."""
    db.executescript(SCHEMA)
    db.execute("ATTACH DATABASE ? AS src", (f"file:{claims}?mode=ro",))
    try:
        with transaction(db):
            db.execute("DELETE FROM agent_claims")
            db.execute("DELETE FROM about")
            for role in _ROLES:
                db.execute(
                    f"INSERT INTO agent_claims SELECT {role}, '{role}', COUNT(*) "  # noqa: S608
                    f"FROM src.claims WHERE {role} IS NOT NULL GROUP BY {role}"
                )
            db.execute(
                "INSERT INTO about SELECT substr(term, 2), df FROM src.terms "
                "WHERE term >= '@' AND term < 'A' AND df > 0"
            )
    finally:
        db.execute("DETACH DATABASE src")


def update_claim_counts(
    db: sqlite3.Connection, index: ClaimIndex, agents: Iterable[str], entities: Iterable[str]
) -> None:
    """Count again the claims of these agents and about these entities (the claim index
    already holds the step's claims) into the search index ``db``, which has the tables
    (``fill_claim_counts`` made them)."""
    agents, entities = sorted(set(agents)), sorted(set(entities))
    if not agents and not entities:
        return
    rows = []
    for agent in agents:
        for role in _ROLES:
            found = index.db.execute(
                f"SELECT COUNT(*) FROM claims WHERE {role} = ?",  # noqa: S608 - fixed names
                (agent,),
            ).fetchone()
            rows.append((agent, role, int(found[0])))
    dfs = index.dfs("@" + e for e in entities)
    with transaction(db):
        db.executemany(
            "DELETE FROM agent_claims WHERE agent = ? AND role = ?",
            [(a, r) for a, r, n in rows if n == 0],
        )
        db.executemany(
            "INSERT INTO agent_claims (agent, role, n) VALUES (?, ?, ?) "
            "ON CONFLICT (agent, role) DO UPDATE SET n = excluded.n",
            [row for row in rows if row[2]],
        )
        db.executemany(
            "DELETE FROM about WHERE entity = ?", [(e,) for e in entities if not dfs["@" + e]]
        )
        db.executemany(
            "INSERT INTO about (entity, n) VALUES (?, ?) "
            "ON CONFLICT (entity) DO UPDATE SET n = excluded.n",
            [(e, dfs["@" + e]) for e in entities if dfs["@" + e]],
        )


class ClaimCounts:
    """Reads the counts from the search index of a release or of a live store (or from
    the summary an older srkb wrote into a release)."""

    def __init__(self, derived: Path) -> None:
        self.db: sqlite3.Connection | None = None
        old = derived / FILENAME
        path = old if old.is_file() else derived / SEARCH_FILENAME
        if path.is_file():
            try:
                db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
                if has_claim_counts(db):
                    self.db = db
                else:
                    db.close()
            except sqlite3.Error:
                self.db = None

    def close(self) -> None:
        if self.db is not None:
            self.db.close()

    def claims(self, role: str, agent: str) -> int | None:
        """Claims with ``agent`` as speaker (role "speaker") or relay ("via")."""
        if self.db is None:
            return None
        found = self.db.execute(
            "SELECT n FROM agent_claims WHERE agent = ? AND role = ?",
            (agent, "via" if role == "via" else "speaker"),
        ).fetchone()
        return int(found[0]) if found else 0

    def about(self, entity: str) -> int | None:
        """Claims that name ``entity`` (its term ``@IRI`` in the claim index)."""
        if self.db is None:
            return None
        found = self.db.execute("SELECT n FROM about WHERE entity = ?", (entity,)).fetchone()
        return int(found[0]) if found else 0
