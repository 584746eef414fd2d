"""How many claims each agent spoke, relayed or is named in: what a server reads of the
claim index.

A published release (kb.store.releases) needs consistent copies of the derived indexes
its pages read. Of the claim index (``claims.sqlite``, 0.8 GB at 100,000 documents) the
pages read three counts only, so a release gets this summary of it instead (a few MB,
written in well under a second) rather than a copy of it all: publishing after a small
ingest copies a quarter less.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

FILENAME = "claim_counts.sqlite"
CLAIMS_FILENAME = "claims.sqlite"

_SCHEMA = """
CREATE TABLE agent_claims (
  agent TEXT NOT NULL, role TEXT NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY (agent, role)) WITHOUT ROWID;
CREATE TABLE about (entity TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
"""


def write_claim_counts(claims: Path, target: Path) -> None:
    """Write the counts of the claim index at ``claims`` into a new file ``target`` (read
    in one transaction: consistent even while a writer has the index open)."""
    target.unlink(missing_ok=True)
    db = sqlite3.connect(str(target), isolation_level=None)
    try:
        db.executescript(_SCHEMA)
        db.execute("ATTACH DATABASE ? AS src", (f"file:{claims}?mode=ro",))
        db.execute("BEGIN")
        db.execute(
            "INSERT INTO agent_claims SELECT speaker, 'speaker', COUNT(*) FROM src.claims "
            "WHERE speaker IS NOT NULL GROUP BY speaker"
        )
        db.execute(
            "INSERT INTO agent_claims SELECT via, 'via', COUNT(*) FROM src.claims "
            "WHERE via IS NOT NULL GROUP BY via"
        )
        db.execute(
            "INSERT INTO about SELECT substr(term, 2), df FROM src.terms "
            "WHERE term >= '@' AND term < 'A'"
        )
        db.execute("COMMIT")
        db.execute("DETACH DATABASE src")
    finally:
        db.close()


class ClaimCounts:
    """Reads the counts from a release's summary, or from the claim index itself (a store
    served live has no summary)."""

    def __init__(self, derived: Path) -> None:
        self.db: sqlite3.Connection | None = None
        self.summary = (derived / FILENAME).is_file()
        path = derived / (FILENAME if self.summary else CLAIMS_FILENAME)
        if path.is_file():
            try:
                self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            except sqlite3.Error:
                self.db = None

    def close(self) -> None:
        if self.db is not None:
            self.db.close()

    def claims(self, role: str, agent: str) -> int | None:
        """Claims with ``agent`` as speaker (role "speaker") or relay ("via")."""
        if self.db is None:
            return None
        column = "via" if role == "via" else "speaker"
        if self.summary:
            found = self.db.execute(
                "SELECT n FROM agent_claims WHERE agent = ? AND role = ?", (agent, column)
            ).fetchone()
            return int(found[0]) if found else 0
        found = self.db.execute(
            f"SELECT COUNT(*) FROM claims WHERE {column} = ?",  # noqa: S608 - fixed names
            (agent,),
        ).fetchone()
        return int(found[0])

    def about(self, entity: str) -> int | None:
        """Claims that name ``entity`` (its term ``@IRI`` in the claim index)."""
        if self.db is None:
            return None
        if self.summary:
            found = self.db.execute("SELECT n FROM about WHERE entity = ?", (entity,)).fetchone()
        else:
            found = self.db.execute(
                "SELECT df FROM terms WHERE term = ?", ("@" + entity,)
            ).fetchone()
        return int(found[0]) if found else 0
