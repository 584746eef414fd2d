"""``python -m kb.release_dump SNAPSHOT``: write a served snapshot's N-Quads dump.

``srkb serve`` starts this as a separate, low-priority program right after it has
snapshotted the store, so the server answers at once while the dump (minutes on a large
store, streamed in constant memory) is written; ``/dumps/`` answers 503 until it is
there. A plain subprocess rather than a multiprocessing child: gunicorn forks its
workers from the same master, and they must not inherit a child they cannot join.
"""

from __future__ import annotations

import fcntl
import os
import sys
from pathlib import Path

from .release import DUMP_BASENAME, write_release_dump
from .store import KnowledgeBase, snapshot_release_path, snapshot_store_path


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m kb.release_dump SNAPSHOT_DIR", file=sys.stderr)
        return 2
    snapshot = Path(argv[0])
    release = snapshot_release_path(snapshot)
    os.nice(10)
    # Every server worker that opens the release starts one of these: one writes.
    with (release / ".dump-writer").open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return 0
        if (release / f"{DUMP_BASENAME}.nq").is_file():
            return 0
        with KnowledgeBase.open_path(snapshot_store_path(snapshot), read_only=True) as kb:
            write_release_dump(kb, release)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
