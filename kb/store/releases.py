"""Published releases: what a running server switches to when the knowledge base changes.

A writer (``srkb ingest``, ``remove``, ``rebuild``) ends by *publishing* the content it
leaves: a read-only checkpoint of the store (hard links: seconds, whatever the size),
a consistent copy of the search index with the claim counts the pages read
(kb.store.snapshot), and the release description, in a directory of its own::

    DATA/releases/<time>-<pid>/     store/  derived/  release/   (a snapshot's layout)
    DATA/releases/CURRENT           the name of the newest one (replaced atomically)

A server serves one release at a time and polls CURRENT (a few bytes, every second); when
it names a new release, each worker opens it, starts its query processes on it and then
swaps it in for new requests in one assignment, so no request ever sees half a change:
each is answered from exactly one release, which its ``SRKB-Release`` header names.

Servers lease the release they serve (``leases/<pid>`` in its directory); a writer
removes releases that are neither current nor leased by a live process. Removing one
means unlinking hundreds of files (0.7 s at 100,000 texts, most of a small ingest's
publishing), so ``publish`` only renames them into the trash (``.trash.<name>``, one
rename each, never seen as a release again) and leaves the unlinking to a detached
low-priority process; trash that process did not finish is emptied by the next
collection. A server that
starts finds CURRENT; if there is none, or it is older than the store (a writer was
killed before publishing), it publishes one itself: from a read-write open when the store
is free, from a read-only open (what the writer has flushed) when a writer holds it.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

from ..detached import spawn_detached
from ..errors import StoreBusyError, StoreError
from .snapshot import (
    _copy_derived,
    _pid_alive,
    snapshot_derived_path,
    snapshot_release_path,
    snapshot_store_path,
)

logger = logging.getLogger(__name__)

RELEASES_DIRNAME = "releases"
CURRENT = "CURRENT"
LEASES = "leases"


def releases_dir(data_dir: Path) -> Path:
    return Path(data_dir).absolute() / RELEASES_DIRNAME


def current_release(data_dir: Path) -> Path | None:
    """The directory of the newest published release, or None if none is published."""
    folder = releases_dir(data_dir)
    try:
        name = (folder / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    path = folder / name
    return path if name and (path / "release").is_dir() else None


def publish(kb: object, data_dir: Path, base_iri: str) -> Path:
    """Publish the content of ``kb`` (an open embedded store) as the current release.

    Raises:
        StoreError: the checkpoint or its description cannot be written.
    """
    from ..release import write_release
    from . import KnowledgeBase

    assert isinstance(kb, KnowledgeBase)
    folder = releases_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns()}-{os.getpid()}"
    target = folder / name
    staging = folder / f".{name}.part"
    staging.mkdir()
    started = time.perf_counter()
    try:
        kb.snapshot(snapshot_store_path(staging))
        snapshot_s = time.perf_counter() - started
        if kb.local_dir is not None:
            from ..derived import DERIVED_DIRNAME
            from ..derived.claim_counts import CLAIMS_FILENAME
            from ..search import FILENAME as SEARCH_FILENAME

            _copy_derived(
                kb.local_dir / DERIVED_DIRNAME,
                snapshot_derived_path(staging),
                # the claim index is not served: what pages read of it is in the search
                # index (kb.derived.claim_counts)
                {CLAIMS_FILENAME: lambda src, folder: None},
                # the writer links the search index (its next write copies it first);
                # a read-only publisher (a server, while a writer runs) copies it
                linked=frozenset() if kb.read_only else frozenset({SEARCH_FILENAME}),
            )
        copied_s = time.perf_counter() - started - snapshot_s
        with KnowledgeBase.open_path(snapshot_store_path(staging), read_only=True) as copy:
            release = write_release(copy, snapshot_release_path(staging), dump=False)
        staging.rename(target)
        logger.debug(
            "release: store checkpoint %.2f s, derived indexes %.2f s, description %.2f s",
            snapshot_s,
            copied_s,
            time.perf_counter() - started - snapshot_s - copied_s,
        )
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    pointer = folder / f".{CURRENT}.{os.getpid()}"
    pointer.write_text(name + "\n", encoding="utf-8")
    pointer.replace(folder / CURRENT)
    logger.info("published release %s (%s)", release.id, name)
    collect_garbage(data_dir, later=True)
    if kb.local_dir is not None and not kb.read_only:  # it linked the live search index
        from ..derived import DERIVED_DIRNAME
        from ..linked_sqlite import copy_ahead
        from ..search import FILENAME as SEARCH_FILENAME

        copy_ahead(kb.local_dir / DERIVED_DIRNAME / SEARCH_FILENAME)
    return target


def publish_if_changed(kb: object, data_dir: Path, base_iri: str) -> Path | None:
    """Publish ``kb``'s content unless the current release already holds exactly it; a
    store that cannot be checkpointed (a remote one) publishes nothing."""
    from ..content import current_state
    from ..release import read_release, release_id
    from . import KnowledgeBase

    assert isinstance(kb, KnowledgeBase)
    if kb.backend.path is None:
        return None
    current = current_release(data_dir)
    if current is not None:
        ours = release_id(current_state(kb, base_iri))
        if read_release(snapshot_release_path(current)).id == ours:
            return current
    return publish(kb, data_dir, base_iri)


def ensure_current(data_dir: Path, base_iri: str) -> Path:
    """The current release, published first if there is none or it lags behind the store.

    Raises:
        StoreError: there is no store in ``data_dir`` or it cannot be read.
    """
    from ..content import current_state
    from ..release import read_release, release_id
    from . import STORE_DIRNAME, KnowledgeBase

    data_dir = Path(data_dir).absolute()
    if not (data_dir / STORE_DIRNAME).is_dir():
        raise StoreError(
            f"no knowledge base in {data_dir}: run `srkb ingest FILE` first "
            "(or point --data / SRKB_DATA at an existing one)"
        )
    current = current_release(data_dir)
    if current is not None:
        with KnowledgeBase.open(data_dir, read_only=True) as live:
            live_id = release_id(current_state(live, base_iri))
        if read_release(snapshot_release_path(current)).id == live_id:
            return current
    try:
        kb = KnowledgeBase.open(data_dir, create=False)
    except StoreBusyError:
        # A writer holds the store and has not published yet: serve what it has flushed
        # (whole batches); it publishes its own release when it ends.
        logger.warning("the store is being written to; serving what is flushed so far")
        kb = KnowledgeBase.open(data_dir, read_only=True)
    with kb:
        if not kb.read_only:
            from ..derived import finish_pending

            finish_pending(kb, data_dir, base_iri=base_iri)
        return publish(kb, data_dir, base_iri)


def lease(release: Path, pid: int | None = None) -> Path:
    """Mark ``release`` as served by process ``pid`` (default this one)."""
    leases = release / LEASES
    leases.mkdir(exist_ok=True)
    path = leases / str(pid if pid is not None else os.getpid())
    path.touch()
    return path


def unlease(release: Path, pid: int | None = None) -> None:
    (release / LEASES / str(pid if pid is not None else os.getpid())).unlink(missing_ok=True)


def _leased(release: Path) -> bool:
    leases = release / LEASES
    if not leases.is_dir():
        return False
    alive = False
    for entry in leases.iterdir():
        if entry.name.isdigit() and _pid_alive(int(entry.name)):
            alive = True
        else:
            entry.unlink(missing_ok=True)
    return alive


KEEP_NEWEST = 2  # the current release and the one before: a server may be switching to it


TRASH = ".trash."  # prefix of a release being deleted


def collect_garbage(data_dir: Path, *, later: bool = False) -> list[str]:
    """Remove releases that are neither among the newest nor leased by a live server (and
    staging folders of writers that died); returns their names. With ``later``, they are
    only renamed into the trash here, and a detached low-priority process unlinks them
    (see the module docstring); trash left by an earlier collection goes the same way."""
    folder = releases_dir(data_dir)
    entries = sorted(folder.iterdir()) if folder.is_dir() else []
    published = [e for e in entries if e.is_dir() and not e.name.startswith(".")]
    keep = set(published[-KEEP_NEWEST:])
    current = current_release(data_dir)
    if current is not None:
        keep.add(current)
    removed: list[str] = []
    trash = [e for e in entries if e.name.startswith(TRASH)]
    for entry in entries:
        if not entry.is_dir() or entry in keep or entry.name.startswith(TRASH):
            continue
        pid_text = entry.name.lstrip(".").split(".")[0].split("-")[-1]
        staging = entry.name.startswith(".")
        if staging and pid_text.isdigit() and _pid_alive(int(pid_text)):
            continue  # being published right now
        if not staging and _leased(entry):
            continue
        removed.append(entry.name)
        if not later:
            shutil.rmtree(entry, ignore_errors=True)
            continue
        doomed = folder / f"{TRASH}{entry.name.lstrip('.')}"
        try:
            entry.rename(doomed)
        except OSError:  # another collection moved it first
            continue
        trash.append(doomed)
    if trash:
        if later:
            _delete_detached(trash)
        else:
            for entry in trash:
                shutil.rmtree(entry, ignore_errors=True)
    return removed


_DELETE = (
    "import os, shutil, sys\n"
    "os.nice(19)\n"
    "for path in sys.argv[1:]:\n"
    "    shutil.rmtree(path, ignore_errors=True)\n"
)


def _delete_detached(paths: list[Path]) -> None:
    """Unlink these trees in a process of its own that outlives this one (its own
    session: a Ctrl-C of the command does not stop it); if it cannot start, here."""
    try:
        spawn_detached("-c", _DELETE, *map(str, paths))
    except OSError as exc:
        logger.warning("deleting old releases here (no process for it: %s)", exc)
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)
