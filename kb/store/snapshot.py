"""The layout of a served copy of the store, and how its parts are copied.

A server answers from a read-only checkpoint of the store and from the derived indexes
(the search index) of exactly that content, in one directory (a published release,
kb.store.releases)::

    store/      the read-only checkpoint (RocksDB hard links: seconds, whatever the size)
    derived/    the search index of that content (from the writer: a hard link plus a copy
                of its write-ahead log; from a server publishing beside a writer: a copy
                by SQLite's backup API), with the claim counts pages read
                (kb.derived.claim_counts); not the claim index
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


def _link_sqlite(path: Path, target: Path) -> None:
    """Hard-link a SQLite file nobody is writing into ``target``, with a copy of its
    write-ahead log: the writer does not fold the log into a file a release links
    (kb.search), so the link and the copy are the content as of now."""
    os.link(path, target)
    log = path.with_name(path.name + "-wal")
    if log.is_file() and log.stat().st_size:
        shutil.copyfile(log, target.with_name(target.name + "-wal"))


def _copy_derived(
    source: Path,
    target: Path,
    summaries: dict[str, Callable[[Path, Path], None]] | None = None,
    linked: frozenset[str] = frozenset(),
) -> None:
    """Copy the derived indexes: SQLite files with the backup API (consistent even while a
    writer has them open), anything else as it is. A file named in ``summaries`` is not
    copied: its function writes what a server reads of it into the target folder. A file
    named in ``linked`` is hard-linked with a copy of its log, not copied: only for the
    writer that holds the store, which never folds the log into a linked file
    (kb.search)."""
    if not source.is_dir():
        return
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.iterdir()):
        skipped = ("-wal", "-shm", "-journal", ".unshared", "-copying")  # kb.linked_sqlite
        if path.name.endswith(skipped) or not path.is_file():
            continue
        if summaries and path.name in summaries:
            summaries[path.name](path, target)
            continue
        if path.name in linked:
            _link_sqlite(path, target / path.name)
            continue
        if path.suffix != ".sqlite":
            shutil.copy2(path, target / path.name)
            continue
        # read-only: closing the last connection must not fold the log into the file
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        dst = sqlite3.connect(target / path.name)
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
