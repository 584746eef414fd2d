"""One explicit SQLite transaction, for the derived indexes' connections (opened with
``isolation_level=None``, so nothing is grouped unless asked): committed on success, rolled
back on any exception, KeyboardInterrupt included."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
