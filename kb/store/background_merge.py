"""Letting RocksDB finish a merge after a write command has returned, as ``git gc --auto``
detaches its packing.

Each srkb command that writes leaves a few small sorted files in RocksDB's first level;
once there are enough, RocksDB merges them into the level below: several seconds of a core
at 100,000 texts. A command of a few seconds (adding 100 texts) closes the store before
that merge ends, which abandons it, and the next command starts it again from scratch:
measured on a 100,000-text store, each 100-text step spent 1.8-3.0 CPU-s of RocksDB's
threads on merges it then abandoned, and after about twenty steps one step's flush waited
for a whole merge (13.2 s instead of about 4.5). The whole merge, left to run, took 6.3 s.

So a command that closes the store while RocksDB is merging hands the merge over to a
detached process (``python -m kb.store.background_merge STORE``): it opens the store,
waits until RocksDB's threads are idle (kb.store.compaction) and closes it; a file beside
the store (``STORE.merging``) holds its process id meanwhile, written by the command that
starts it before that command returns. The next command that opens the store stops it
(SIGTERM: it closes the store at once, as a command would have): a writer to take the
store over, a reader because a store opened read-only must not be rewritten underneath
it (RocksDB deletes the files a merge replaces; pyoxigraph calls reading beside a writer
undefined behaviour, and `srkb dump` right after `srkb remove` once failed so). What was
merged by then is kept. A server reads releases, never the store, so it does not notice.

SRKB_BACKGROUND_MERGE=0 turns this off: the merge then runs inside the write commands.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TypeVar

from ..detached import spawn_detached
from ..errors import StoreBusyError
from .compaction import background_ticks, wait_for_compactions
from .snapshot import _pid_alive

MERGE_MAX_S = 900.0  # a bound on the detached process's life
BUSY_SAMPLE_S = 0.1  # how long a closing command watches RocksDB's threads for a merge
TAKE_OVER_S = 10.0  # how long a command waits for a stopped merge process to let go
GRACE_S = 0.5  # a store locked with no merge process named: wait this long, then busy
POLL_S = 0.05
MODULE = "kb.store.background_merge"
_PROC = Path("/proc")
STOPPED = 128 + signal.SIGTERM  # the merge process's exit status when a command stopped it

T = TypeVar("T")


def enabled() -> bool:
    return os.environ.get("SRKB_BACKGROUND_MERGE", "1").strip().lower() not in {
        "0",
        "false",
        "no",
        "off",
    }


def marker_path(store: Path) -> Path:
    """The file naming the process that merges ``store`` in the background."""
    return store.with_name(store.name + ".merging")


def merging_now(ticks_at_open: int | None) -> bool:
    """Whether RocksDB's threads in this process are merging right now (they used CPU
    since the store was opened, and again within BUSY_SAMPLE_S)."""
    first = background_ticks()
    if first is None or ticks_at_open is None or first <= ticks_at_open:
        return False
    time.sleep(BUSY_SAMPLE_S)
    second = background_ticks()
    return second is not None and second > first


def hand_over(store: Path) -> subprocess.Popen[bytes]:
    """Start the detached process that finishes the merge (the store must be closed),
    and name it in the marker before returning: a command that comes next finds it even
    if it has not opened the store yet."""
    store = store.absolute()
    proc = spawn_detached("-m", MODULE, str(store))
    marker_path(store).write_text(str(proc.pid), encoding="ascii")
    return proc


def _is_merger(pid: int, store: Path) -> bool:
    """Whether process ``pid`` is the merge process of ``store``: a marker left by a
    merge process that was killed may name a process id reused since by anything.
    Where /proc does not exist, a live process is taken for it."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return not _PROC.is_dir() and _pid_alive(pid)
    try:
        where = args.index(MODULE.encode()) + 1
    except ValueError:
        return False  # another program, or a process that has ended (no command line)
    return where < len(args) and Path(os.fsdecode(args[where])) == store.absolute()


def _merger_pid(store: Path) -> int | None:
    """The process merging ``store`` in the background, if one runs."""
    try:
        pid = int(marker_path(store).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None
    return pid if _is_merger(pid, store) else None


def stop(store: Path, max_seconds: float = TAKE_OVER_S) -> bool:
    """Stop the background merge of ``store`` and wait until it has closed the store
    (what it merged is kept). Returns whether one ran.

    Raises:
        StoreBusyError: it did not let go within ``max_seconds``.
    """
    pid = _merger_pid(store)
    if pid is None:
        return False
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGTERM)
    end = time.monotonic() + max_seconds
    while _merger_pid(store) == pid:
        if time.monotonic() > end:
            raise StoreBusyError(
                f"the background merge of the store in {store} (process {pid}) did not "
                f"stop within {max_seconds:.0f} s; try again"
            )
        time.sleep(POLL_S)
    # stopped before it could clean up after itself (before Python set its handler)
    with contextlib.suppress(OSError, ValueError):
        if int(marker_path(store).read_text(encoding="ascii")) == pid:
            marker_path(store).unlink()
    return True


def open_taking_over(
    store: Path, open_store: Callable[[], T], is_locked: Callable[[OSError], bool]
) -> T:
    """``open_store()``; while the store is locked by a background merge, stop it and
    try again. A lock held by anything else is raised after GRACE_S (a merge process
    starting up writes its marker just after it takes the lock)."""
    started = time.monotonic()
    signalled: set[int] = set()
    while True:
        try:
            return open_store()
        except OSError as exc:
            if not is_locked(exc):
                raise
            waited = time.monotonic() - started
            pid = _merger_pid(store)
            if pid is not None:
                if pid not in signalled:
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.kill(pid, signal.SIGTERM)
                    signalled.add(pid)
                if waited > TAKE_OVER_S:
                    raise
            elif waited > GRACE_S:
                raise
            time.sleep(POLL_S)


class _StopError(Exception):
    """SIGTERM: close the store now."""


def _stop(_signum: int, _frame: FrameType | None) -> None:
    raise _StopError


def run(store: Path, max_seconds: float = MERGE_MAX_S) -> int:
    """The detached process: hold the store until RocksDB has merged (or a command wants
    it). Returns the exit status: 0 when the merge is over or the store was in use,
    STOPPED when a command stopped it."""
    import pyoxigraph as ox

    signal.signal(signal.SIGTERM, _stop)
    marker = marker_path(store)
    try:
        held = ox.Store(str(store))
    except (OSError, _StopError) as exc:  # a command has it, or wants it
        if _merger_pid(store) == os.getpid():
            marker.unlink(missing_ok=True)
        return STOPPED if isinstance(exc, _StopError) else 0
    status = 0
    try:
        marker.write_text(str(os.getpid()), encoding="ascii")
        wait_for_compactions(max_seconds)
    except _StopError:
        status = STOPPED
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # closing: not interrupted
        del held
        if _merger_pid(store) == os.getpid():
            marker.unlink(missing_ok=True)
    return status


if __name__ == "__main__":  # pragma: no cover - run as a detached process
    sys.exit(run(Path(sys.argv[1])))
