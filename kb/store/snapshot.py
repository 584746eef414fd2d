"""Snapshots for serving: so that ingesting and serving never hold the same database.

A server answers from a read-only checkpoint of the store, taken when it starts, and
from the derived indexes (the search index) of exactly that content::

    DATA/snapshots/PID-T/
        store/      the read-only checkpoint (RocksDB hard links: seconds, whatever the size)
        derived/    a copy of DATA/derived/ (the search index of this content)
        release/    its release id, VoID figures and dumps (kb.release)

Taking one opens the store read-write, so no ingest is running then; if an earlier
ingest was killed before its derived data was written, that work is finished first
(kb.derived.finish_pending), so the snapshot is consistent. While an ingest holds the
store, a server still starts: the store is opened read-only (no lock), its checkpoint
holds what the ingest has flushed (whole texts: each batch is one transaction), and the
derived indexes are copied with SQLite's backup API (each a consistent copy); the search
index may then be a batch ahead of or behind the store until the next start.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import time
from pathlib import Path

from ..errors import StoreBusyError, StoreError

logger = logging.getLogger(__name__)

SNAPSHOTS_DIRNAME = "snapshots"
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


def make_snapshot(data_dir: Path, owner_pid: int | None = None, *, base_iri: str = "") -> Path:
    """Checkpoint the store under ``data_dir`` into a fresh snapshot directory (returned).

    Each snapshot is named after the process that serves it (``owner_pid``, default this
    one); snapshots whose owner has exited are removed, those of running servers are left
    alone. ``base_iri`` is needed only to finish an interrupted ingest's derived data.
    """
    from . import STORE_DIRNAME, KnowledgeBase

    # Absolute: the server hands these paths to Flask's send_file, which would resolve a
    # relative one against the app's package folder, not the working directory.
    data_dir = Path(data_dir).absolute()
    if not (data_dir / STORE_DIRNAME).is_dir():
        raise StoreError(
            f"no knowledge base in {data_dir}: run `srkb ingest FILE` first "
            "(or point --data / SRKB_DATA at an existing one)"
        )
    owner = owner_pid if owner_pid is not None else os.getpid()
    snapshots = data_dir / SNAPSHOTS_DIRNAME
    snapshots.mkdir(exist_ok=True)
    for old in snapshots.iterdir():
        pid_text = old.name.split("-", 1)[0]
        if not pid_text.isdigit() or not _pid_alive(int(pid_text)) or int(pid_text) == owner:
            shutil.rmtree(old, ignore_errors=True)
    target = snapshots / f"{owner}-{time.time_ns()}"
    target.mkdir()
    try:
        kb = KnowledgeBase.open(data_dir, create=False)
    except StoreBusyError:
        logger.warning("the store is being written to; serving what is flushed so far")
        with KnowledgeBase.open(data_dir, read_only=True) as kb:
            kb.snapshot(snapshot_store_path(target))
        _copy_derived(data_dir / DERIVED_DIRNAME, snapshot_derived_path(target))
        return target
    with kb:
        from ..derived import finish_pending

        finish_pending(kb, data_dir, base_iri=base_iri)
        kb.snapshot(snapshot_store_path(target))
        _copy_derived(data_dir / DERIVED_DIRNAME, snapshot_derived_path(target))
    return target


def _copy_derived(source: Path, target: Path) -> None:
    """Copy the derived indexes: SQLite files with the backup API (consistent even while a
    writer has them open), anything else as it is."""
    if not source.is_dir():
        return
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.iterdir()):
        if path.name.endswith(("-wal", "-shm", "-journal")) or not path.is_file():
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
