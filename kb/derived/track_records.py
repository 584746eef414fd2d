"""Each source's track record kept in the claim index, moved as claims' records change.

A source is rated on its claims' track record: how many of them were corroborated or
contradicted, and in how many reports (kb.reliability.track_counts: a report and its
reprints count once). Counting that from the source's claims at each step cost a busy
source all it ever said (0.6 s a step at 100,000 texts). So the claim index keeps two
tables, moved by each change of a claim's record (``change_track``) and counted afresh at
the end of a bulk derivation (``make_track``): how many claims of each kind each of a
source's reports has, and their sums, so that re-rating a source reads one row.
"""

from __future__ import annotations

import sqlite3
from collections import Counter

SEP = "\x1f"  # as the claim index joins a claim's parties (kb.derived.claim_index)

SCHEMA = """
-- how many of a source's claims of each kind each of its reports (story) has ...
CREATE TABLE IF NOT EXISTS track_stories (
  agent TEXT NOT NULL,
  kind INTEGER NOT NULL,
  story TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (agent, kind, story)
) WITHOUT ROWID;
-- ... and the sums: claims of each kind, and reports with at least one
CREATE TABLE IF NOT EXISTS track (
  agent TEXT PRIMARY KEY,
  corroborated INTEGER NOT NULL,
  contradicted INTEGER NOT NULL,
  corroborated_reports INTEGER NOT NULL,
  contradicted_reports INTEGER NOT NULL,
  own_accounts INTEGER NOT NULL
) WITHOUT ROWID;
"""
TABLES = ("track_stories", "track")

# the kinds of track_stories: a corroborated claim that is the source's own account of its
# operations (not counted for it), a corroborated one, a contradicted one
_OWN, _CORROBORATED, _CONTRADICTED = 0, 1, 2
_KIND_OF_RECORD = {"corroborated": _CORROBORATED, "contradicted": _CONTRADICTED}
# the track table's columns each kind adds to (claims, reports)
_TRACK_COLUMNS = {
    _OWN: ("own_accounts", None),
    _CORROBORATED: ("corroborated", "corroborated_reports"),
    _CONTRADICTED: ("contradicted", "contradicted_reports"),
}
_COLUMNS = (
    "corroborated",
    "contradicted",
    "corroborated_reports",
    "contradicted_reports",
    "own_accounts",
)
#: (speaker, via, own, record, story) of a claim: what its place in track records follows
TrackFacts = tuple[str | None, str | None, str, str | None, str | None]


def track_entries(facts: TrackFacts) -> list[tuple[str, int, str]]:
    """The (agent, kind, story) entries a claim adds to its sources' track records: as
    ``ClaimIndex.track`` reads them (a relay that is also the speaker counts once)."""
    speaker, via, own, record, story = facts
    if record not in _KIND_OF_RECORD:
        return []
    owners = own.split(SEP) if own else ()
    agents = [a for a in (speaker, via if via != speaker else None) if a]
    out = []
    for agent in agents:
        kind = _KIND_OF_RECORD[record]
        if kind == _CORROBORATED and agent in owners:
            kind = _OWN
        out.append((agent, kind, story or ""))
    return out


_MAKE_TRACK = f"""
DELETE FROM track_stories;
DELETE FROM track;
INSERT INTO track_stories (agent, kind, story, n)
SELECT agent, kind, story, COUNT(*) FROM (
  SELECT speaker AS agent, COALESCE(story, '') AS story,
    CASE WHEN record = 'contradicted' THEN {_CONTRADICTED}
      WHEN instr(char(31) || own || char(31), char(31) || speaker || char(31)) > 0 THEN {_OWN}
      ELSE {_CORROBORATED} END AS kind
  FROM claims WHERE record IN ('corroborated', 'contradicted') AND speaker IS NOT NULL
  UNION ALL
  SELECT via, COALESCE(story, ''),
    CASE WHEN record = 'contradicted' THEN {_CONTRADICTED}
      WHEN instr(char(31) || own || char(31), char(31) || via || char(31)) > 0 THEN {_OWN}
      ELSE {_CORROBORATED} END
  FROM claims WHERE record IN ('corroborated', 'contradicted') AND via IS NOT NULL
    AND (speaker IS NULL OR speaker != via)
) GROUP BY agent, kind, story;
INSERT INTO track
SELECT agent,
  SUM(CASE WHEN kind = {_CORROBORATED} THEN n ELSE 0 END),
  SUM(CASE WHEN kind = {_CONTRADICTED} THEN n ELSE 0 END),
  SUM(kind = {_CORROBORATED}),
  SUM(kind = {_CONTRADICTED}),
  SUM(CASE WHEN kind = {_OWN} THEN n ELSE 0 END)
FROM track_stories GROUP BY agent;
"""


def make_track(db: sqlite3.Connection) -> None:
    """Count every source's track record afresh from the claims' records (in the
    caller's transaction)."""
    for statement in _MAKE_TRACK.split(";"):
        if statement.strip():
            db.execute(statement)


def change_track(
    db: sqlite3.Connection, before: dict[str, TrackFacts], after: dict[str, TrackFacts]
) -> None:
    """Move the track records from the claims' facts ``before`` to ``after`` (a claim
    missing from ``after`` is gone): only the entries that differ are written."""
    delta: Counter[tuple[str, int, str]] = Counter()
    for iri in set(before) | set(after):
        old = before.get(iri)
        new = after.get(iri)
        if old == new:
            continue
        delta.update(track_entries(new) if new else ())
        delta.subtract(track_entries(old) if old else ())
    sums: dict[str, Counter[str]] = {}
    for (agent, kind, story), change in sorted(delta.items()):
        if not change:
            continue
        found = db.execute(
            "SELECT n FROM track_stories WHERE agent = ? AND kind = ? AND story = ?",
            (agent, kind, story),
        ).fetchone()
        was = int(found[0]) if found else 0
        now = was + change
        if now > 0:
            db.execute(
                "INSERT INTO track_stories (agent, kind, story, n) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (agent, kind, story) DO UPDATE SET n = excluded.n",
                (agent, kind, story, now),
            )
        else:
            db.execute(
                "DELETE FROM track_stories WHERE agent = ? AND kind = ? AND story = ?",
                (agent, kind, story),
            )
        claims_column, reports_column = _TRACK_COLUMNS[kind]
        counted = sums.setdefault(agent, Counter())
        counted[claims_column] += change
        if reports_column:
            counted[reports_column] += (now > 0) - (was > 0)
    for agent, counted in sorted(sums.items()):
        db.execute(
            "INSERT INTO track VALUES (?, 0, 0, 0, 0, 0) ON CONFLICT (agent) DO NOTHING", (agent,)
        )
        db.execute(
            "UPDATE track SET "
            + ", ".join(f"{c} = {c} + ?" for c in _COLUMNS)
            + " WHERE agent = ?",
            (*(counted[c] for c in _COLUMNS), agent),
        )
        db.execute(
            "DELETE FROM track WHERE agent = ? AND " + " AND ".join(f"{c} = 0" for c in _COLUMNS),
            (agent,),
        )


def track_counts(db: sqlite3.Connection, agent: str) -> tuple[int, int, int, int, int]:
    """The source's track record as kb.reliability.track_counts counts it: (corroborated
    claims, contradicted claims, corroborated reports, contradicted reports, own
    accounts)."""
    found = db.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM track WHERE agent = ?",  # noqa: S608 - fixed names
        (agent,),
    ).fetchone()
    if not found:
        return (0, 0, 0, 0, 0)
    corroborated, contradicted, for_reports, against_reports, own = (int(x) for x in found)
    return corroborated, contradicted, for_reports, against_reports, own
