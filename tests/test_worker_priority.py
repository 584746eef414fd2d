"""Worker processes run below the writer's priority: they fill the cores the writer (its
Python thread, the loader, RocksDB's merging) leaves, so the writer never waits for them."""

from __future__ import annotations

import os

from kb.ingest_workers import WORKER_NICENESS, WorkerPool


def _niceness(_: int) -> int:
    return os.getpriority(os.PRIO_PROCESS, 0)


def test_workers_run_at_a_lower_priority_than_the_writer() -> None:
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    with WorkerPool(2) as pool:
        theirs = set(pool.map(_niceness, range(8)))
    assert theirs == {min(mine + WORKER_NICENESS, 19)}
    assert os.getpriority(os.PRIO_PROCESS, 0) == mine  # the writer's is unchanged
