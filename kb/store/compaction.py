"""Waiting for RocksDB's background compactions to finish, after a bulk load.

A bulk load hands RocksDB sorted files faster than it merges them: at the end of a
100,000-text ingest about a minute of merging (one core) is still due. RocksDB does it in
background threads of the process holding the store, and a process that closes the store
abandons the merge under way, so the next one starts it again from scratch. Every srkb
command that followed a bulk ingest (an increment of 100 texts: a few seconds) paid a
core for its whole run and left the debt whole: five increments in a row each ran the
same merge, 7 to 32 s each instead of 5 (docs/benchmarks.md). So a bulk derivation waits
for the merging to end before it closes the store.

pyoxigraph does not expose RocksDB's "compaction pending" property, so the wait watches
the CPU time of the process's RocksDB background threads (named ``rocksdb:low`` and
``rocksdb:high`` on Linux, in /proc): merging is over when they stay idle. Where /proc
does not name them, there is nothing to watch and nothing is waited for.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

_TASKS = Path("/proc/self/task")
_PREFIX = "rocksdb:"
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
QUIET_S = 0.5  # idle this long: merging is over
POLL_S = 0.25
BUSY_TICKS = 2  # CPU ticks in a quiet window that still count as idle


def background_ticks() -> int | None:
    """CPU ticks used so far by this process's RocksDB background threads; None when
    /proc names none (another system, or no store open)."""
    total, found = 0, False
    try:
        tasks = list(_TASKS.iterdir())
    except OSError:
        return None
    for task in tasks:
        try:
            if not (task / "comm").read_text(encoding="ascii").startswith(_PREFIX):
                continue
            stat = (task / "stat").read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError):
            continue  # the thread ended
        fields = stat[stat.rindex(")") + 2 :].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
        found = True
    return total if found else None


def wait_for_compactions(
    max_seconds: float,
    on_wait: Callable[[], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> float:
    """Wait until the RocksDB background threads have been idle for ``QUIET_S`` (or
    ``max_seconds`` passed); ``on_wait`` is called once if there is anything to wait for.
    Returns the seconds waited."""
    start = clock()
    last = background_ticks()
    if last is None:
        return 0.0
    quiet_since, told = start, False
    while clock() - quiet_since < QUIET_S and clock() - start < max_seconds:
        sleep(POLL_S)
        now = background_ticks()
        if now is None:
            break
        if now - last > BUSY_TICKS:  # busy: the quiet window starts again
            quiet_since = clock()
            if not told and on_wait is not None:
                on_wait()
                told = True
        last = now
    return clock() - start
