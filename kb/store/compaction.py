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

While a bulk ingest loads, the merging also yields the CPU to extraction
(``lower_merge_priority``): it is work that can wait, and on two cores it took half of
one from the extraction workers.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

_TASKS = Path("/proc/self/task")
_PREFIX = "rocksdb:"
_MERGE_THREADS = "rocksdb:low"  # RocksDB's compaction pool (``rocksdb:high`` flushes)
MERGE_NICENESS = 10  # a bulk ingest's merging yields the CPU to extraction (lower_merge_priority)
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
QUIET_S = 0.5  # idle this long: merging is over
POLL_S = 0.25
BUSY_TICKS = 2  # CPU ticks in a quiet window that still count as idle


def _threads(prefix: str) -> Iterator[Path]:
    """The /proc task directories of this process's threads whose name starts with ``prefix``."""
    try:
        tasks = list(_TASKS.iterdir())
    except OSError:
        return
    for task in tasks:
        try:
            name = (task / "comm").read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            continue  # the thread ended
        if name.startswith(prefix):
            yield task


def lower_merge_priority(niceness: int = MERGE_NICENESS) -> int:
    """Let this process's RocksDB merging yield the CPU to its other work: its compaction
    threads run at ``niceness`` (Linux sets it per thread; never lowered back, which
    needs privileges). Returns how many threads it changed.

    Why: in a bulk ingest on two cores the merging of what was loaded competes with
    extraction for the CPU, and it is work that can wait: no answer depends on it, and
    what is left when the ingest ends goes on in a detached process
    (kb.store.background_merge). At normal priority RocksDB's threads took half a core
    of a 100,000-text ingest's 746 s of texts (482 CPU-s in all); yielding, they took a
    fifth of a core, the texts 618-630 s and the ingest 762-775 s instead of 900-918 s,
    and the merge left over ran 49 s after it (docs/benchmarks.md). Only compaction yields:
    the flush threads (``rocksdb:high``) keep their priority, as writes wait for them.
    """
    changed = 0
    for task in _threads(_MERGE_THREADS):
        try:
            tid = int(task.name)
            if os.getpriority(os.PRIO_PROCESS, tid) < niceness:
                os.setpriority(os.PRIO_PROCESS, tid, niceness)
                changed += 1
        except (OSError, ValueError):
            continue  # the thread ended, or the system does not allow it
    return changed


def background_ticks() -> int | None:
    """CPU ticks used so far by this process's RocksDB background threads; None when
    /proc names none (another system, or no store open)."""
    total, found = 0, False
    for task in _threads(_PREFIX):
        try:
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
