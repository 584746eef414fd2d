"""A SQLite file that published releases hard-link (the search index), and its writer.

A published release holds a hard link to the search index it was published with, plus a
copy of its write-ahead log (kb.store.snapshot): no 2 GB copy at every publish. So the
linked file must never change. SQLite writes a WAL-mode database's changes to its log and
folds them into the file only at a checkpoint; while a release links the file, the writer
turns automatic checkpoints off and keeps a read-only connection open (a "keeper", in
kb.search) so that closing the writer, which is then not the last connection, does not
checkpoint either, and a read-only connection never can. Each release reads the file plus
its copy of the log.

Once the log outgrows ``log_limit`` (reading a long log costs, and so does copying it at
each publish), the writer gives the live file an inode of its own (a copy renamed over
it; the log applies to the copy unchanged) and checkpoints as usual. Copying 2.1 GB at
100,000 texts took 10.7 s, inside the step that needed it. So the copy is made ahead:
once a publish leaves a log past half its limit, a process of its own (``copy_ahead``)
copies the file, which cannot change while it is shared, to a name that says which
file it copied (inode, size, modification time); the writer that next opens the file
renames that copy over it (``adopt_copy``), at no cost: every copy is synced to disk
before it is renamed (``_durable_copy``). A copy of a file that changed
meanwhile matches nothing and is removed. The writer copies the file itself only when
no copy was made (``unshare_soon`` starts that in a thread when a derivation begins).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
import threading
from pathlib import Path

from .detached import spawn_detached

LOG_MIN_LIMIT = 64 * 2**20  # bytes of log kept unfolded, at least
LOG_LIMIT_FRACTION = 8  # ... or this fraction of the file's size
COPY_AHEAD_AT = 0.5  # a copy is made ahead once the log passes this share of its limit
SUFFIX = ".unshared"  # every copy's name ends so (kb.store.snapshot leaves them out)
LOCK_SUFFIX = "-copying"  # the copier's lock file (left out too)

_unsharing: dict[str, threading.Thread] = {}
_unsharing_lock = threading.Lock()


def log_path(path: Path) -> Path:
    """The write-ahead log of the SQLite file ``path``."""
    return path.with_name(path.name + "-wal")


def is_shared(path: Path) -> bool:
    try:
        return path.stat().st_nlink > 1
    except FileNotFoundError:
        return False


def log_size(path: Path) -> int:
    try:
        return log_path(path).stat().st_size
    except FileNotFoundError:
        return 0


def log_limit(path: Path) -> int:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        size = 0
    return max(LOG_MIN_LIMIT, size // LOG_LIMIT_FRACTION)


def needs_own_file(path: Path) -> bool:
    """Shared with a release, and its log too long to keep unfolded."""
    return is_shared(path) and log_size(path) > log_limit(path)


def _identity(path: Path) -> str | None:
    """What names this very file's content: it changes with any write to the file."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return f"{st.st_ino}-{st.st_size}-{st.st_mtime_ns}"


def _copy_of(path: Path, identity: str) -> Path:
    return path.with_name(f"{path.name}.{identity}{SUFFIX}")


def copies(path: Path) -> list[Path]:
    """Every copy of ``path`` made ahead, and every copy begun (any file it had)."""
    return sorted(path.parent.glob(f"{path.name}.*{SUFFIX}"))


def _lock_path(path: Path) -> Path:
    return path.with_name(path.name + LOCK_SUFFIX)


def _lock(path: Path, *, wait: bool) -> int | None:
    """The copier's lock (held while a copy is made); None when another holds it."""
    fd = os.open(_lock_path(path), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return fd


def _unlock(fd: int) -> None:
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


def copy_ahead(path: Path) -> bool:
    """After a publish: start copying ``path`` in a process of its own if a release shares
    it, its log has passed ``COPY_AHEAD_AT`` of its limit and no copy of it exists yet.
    Returns whether one was started. The process outlives the command that started it."""
    if not is_shared(path) or log_size(path) <= COPY_AHEAD_AT * log_limit(path):
        return False
    if ready_copy(path) is not None:
        return False
    spawn_detached("-m", __name__, str(path))
    return True


def _durable_copy(source: Path, target: Path) -> None:
    """Copy ``source`` and wait until the copy is on disk. A copy is renamed over the live
    file: written back first, it cannot be left half-written by a crash, and the rename
    costs nothing (ext4 writes a file's data back when it is renamed over another, which
    made the step that adopted a 2 GB copy made ahead wait 1.1 s for it)."""
    shutil.copyfile(source, target)
    fd = os.open(target, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_copy(path: Path) -> Path | None:
    """Copy ``path`` to the name of what it is now (``copy_ahead``'s process); nothing if
    another copier runs, the copy exists, or the file changed while it was copied."""
    fd = _lock(path, wait=False)
    if fd is None:
        return None
    part: Path | None = None
    try:
        identity = _identity(path)
        if identity is None or not is_shared(path):
            return None  # gone, or a writer gave it an inode of its own meanwhile
        target = _copy_of(path, identity)
        if target.exists():
            return target
        part = path.with_name(f"{path.name}.{os.getpid()}.part{SUFFIX}")
        _durable_copy(path, part)
        if _identity(path) != identity:  # written meanwhile: this copy is of no file
            return None
        part.replace(target)
        part = None
        return target
    finally:
        if part is not None:
            part.unlink(missing_ok=True)
        _unlock(fd)


def adopt_copy(path: Path, *, wait: bool) -> bool:
    """Before a writer opens ``path``: rename a copy made ahead of the file as it is over
    it, and remove any other copy. With ``wait``, a copier still running is waited for.
    Returns whether ``path`` now has an inode of its own from such a copy."""
    fd = _lock(path, wait=wait)
    if fd is None:
        return False  # a copier runs: its copy is for a later writer
    try:
        identity = _identity(path)
        adopted = False
        for found in copies(path):
            if identity is not None and found == _copy_of(path, identity) and is_shared(path):
                found.replace(path)
                adopted = True
            else:
                found.unlink(missing_ok=True)
        return adopted
    finally:
        _unlock(fd)


def _unshare(path: Path) -> None:
    """Give ``path`` an inode no release shares (nothing to do when none does)."""
    if not is_shared(path):
        return
    private = path.with_name(path.name + SUFFIX)
    _durable_copy(path, private)
    private.replace(path)


def unshare_soon(path: Path) -> None:
    """Start giving ``path`` a file of its own in a thread, if it will need one and no copy
    is being made ahead."""
    with _unsharing_lock:
        key = str(path)
        if key in _unsharing and _unsharing[key].is_alive():
            return
        if not needs_own_file(path):
            return
        if ready_copy(path) is not None:
            return  # made ahead: the writer renames it
        fd = _lock(path, wait=False)
        if fd is None:
            return  # a copier runs: the writer waits for it
        _unlock(fd)
        thread = threading.Thread(target=_unshare, args=(path,), name="srkb-unshare")
        _unsharing[key] = thread
        thread.start()


def _wait_for_copy(path: Path) -> None:
    """Wait for the thread's copy, if one was started; raises what it raised (OSError) by
    copying again."""
    with _unsharing_lock:
        thread = _unsharing.pop(str(path), None)
    if thread is not None:
        thread.join()
        if needs_own_file(path):  # the thread's copy failed
            _unshare(path)


def own_file_for_writer(path: Path) -> None:
    """Before a writer opens ``path``: take a copy made ahead, or the thread's copy, or copy
    now if the log is too long to keep unfolded and no copy was made."""
    _wait_for_copy(path)
    adopt_copy(path, wait=needs_own_file(path))
    if needs_own_file(path):
        _unshare(path)


def wait_for_copier(path: Path) -> None:
    """Until no copier is copying ``path`` (its copy, if it made one, is then ready)."""
    _unlock(_lock(path, wait=True))  # type: ignore[arg-type]  # waiting: always a lock


def ready_copy(path: Path) -> Path | None:
    """The copy made ahead of ``path`` as it is now, if there is one."""
    identity = _identity(path)
    found = _copy_of(path, identity) if identity is not None else None
    return found if found is not None and found.exists() else None


def remove_copies(path: Path) -> None:
    """With the file itself gone: its copies (a copier still running finds the file gone
    and keeps nothing)."""
    for found in copies(path):
        found.unlink(missing_ok=True)


if __name__ == "__main__":  # copy_ahead's process
    try:
        make_copy(Path(sys.argv[1]))
    except OSError:
        sys.exit(1)  # no copy: the writer makes its own
