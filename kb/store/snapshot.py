"""The layout of a served copy of the store, and how its parts are copied.

A server answers from a read-only checkpoint of the store and from the derived indexes
(the search index) of exactly that content, in one directory (a published release,
kb.store.releases)::

    store/      the read-only checkpoint (RocksDB hard links: seconds, whatever the size)
    derived/    a consistent copy of the search index (SQLite's backup API) and the claim
                counts pages read (kb.derived.claim_counts), not the whole claim index
    release/    its release id, VoID figures and dumps (kb.release)
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

logger = logging.getLogger(__name__)

RELEASE_DIRNAME = "release"
DERIVED_DIRNAME = "derived"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


def _link_sqlite(path: Path, target: Path) -> bool:
    """Hard-link a SQLite file nobody is writing into ``target``, once its write-ahead log
    is folded into it; False (nothing done) if the log cannot be emptied."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        busy, _log, _done = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        db.close()
    wal = path.with_name(path.name + "-wal")
    if busy or (wal.exists() and wal.stat().st_size):
        return False
    os.link(path, target)
    return True


def _copy_derived(
    source: Path,
    target: Path,
    summaries: dict[str, Callable[[Path, Path], None]] | None = None,
    linked: frozenset[str] = frozenset(),
) -> None:
    """Copy the derived indexes: SQLite files with the backup API (consistent even while a
    writer has them open), anything else as it is. A file named in ``summaries`` is not
    copied: its function writes what a server reads of it into the target folder. A file
    named in ``linked`` is hard-linked, not copied: only for the writer that holds the
    store, with no connection open on it, and whose next write copies it first
    (kb.search.unshare_now); it is copied when its log cannot be emptied."""
    if not source.is_dir():
        return
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.iterdir()):
        if path.name.endswith(("-wal", "-shm", "-journal", ".unshared")) or not path.is_file():
            continue
        if summaries and path.name in summaries:
            summaries[path.name](path, target)
            continue
        if path.name in linked and _link_sqlite(path, target / path.name):
            continue
        if path.suffix != ".sqlite":
            shutil.copy2(path, target / path.name)
            continue
        src, dst = sqlite3.connect(path), sqlite3.connect(target / path.name)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()


def snapshot_store_path(snapshot: Path) -> Path:
    """The read-only checkpoint inside a snapshot directory."""
    return Path(snapshot) / "store"


def snapshot_derived_path(snapshot: Path) -> Path:
    """The derived indexes (search) of the snapshot's content."""
    return Path(snapshot) / DERIVED_DIRNAME


def snapshot_release_path(snapshot: Path) -> Path:
    """The release directory (id, VoID figures, dumps) inside a snapshot directory."""
    return Path(snapshot) / RELEASE_DIRNAME
