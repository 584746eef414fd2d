"""Which of many values a column of a derived index holds, asked a chunk at a time
(SQLite takes a bounded number of host parameters per statement)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

CHUNK = 500  # host parameters per statement


def held(db: sqlite3.Connection, table: str, column: str, values: Iterable[str]) -> set[str]:
    """The ``values`` found in ``table.column`` (fixed names from this package's schemas)."""
    wanted = sorted(set(values))
    out: set[str] = set()
    for i in range(0, len(wanted), CHUNK):
        chunk = wanted[i : i + CHUNK]
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT {column} FROM {table} WHERE {column} IN ({marks})"  # noqa: S608
        out |= {r[0] for r in db.execute(sql, chunk)}
    return out


__all__ = ["held"]
