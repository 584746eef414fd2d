"""A release hard-links the search index it was published with and copies its write-ahead
log, instead of copying the index (2 GB at 100,000 documents); the writer never folds the
log into a file a release links, until the log grows too long and it takes a file of its
own. The release a server reads must never change under it."""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
import time
from pathlib import Path

import pytest

import kb.linked_sqlite
from kb.corpus import InputText
from kb.ingest import ingest_texts
from kb.linked_sqlite import (
    adopt_copy,
    copies,
    log_path,
    make_copy,
    ready_copy,
    wait_for_copier,
)
from kb.search import FILENAME, SearchIndex
from kb.store import KnowledgeBase
from kb.store.releases import current_release, lease, publish, unlease

from .conftest import run_srkb
from .helpers import PROJECT_ROOT, SEED_PATH

BASE = "http://example.org/srkb/"
EXAMPLES = sorted((PROJECT_ROOT / "examples").glob("*.txt"))


def _graphs(path: Path) -> set[str]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {r[0] for r in db.execute("SELECT graph FROM graphs")}
    finally:
        db.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_release_shares_the_search_index_and_keeps_its_content(tmp_path: Path) -> None:
    data = tmp_path / "kb"
    live = data / "derived" / FILENAME
    run_srkb("ingest", str(SEED_PATH), data=data, check=True)
    first = current_release(data)
    assert first is not None
    published = first / "derived" / FILENAME
    assert published.stat().st_ino == live.stat().st_ino  # linked, not copied
    file_before = _digest(published)
    before = _graphs(published)
    assert len(before) == 1

    run_srkb("ingest", *map(str, EXAMPLES), data=data, check=True)
    second = current_release(data)
    assert second is not None and second != first
    # the writer wrote to the log only: the file both releases link is unchanged
    assert _digest(published) == file_before
    assert _graphs(published) == before  # the first release did not change
    second_index = second / "derived" / FILENAME
    assert log_path(second_index).stat().st_size > 0  # its own copy of the log
    assert _graphs(second_index) == _graphs(live)
    assert len(_graphs(live)) == 1 + len(EXAMPLES)
    # a server's read-only index of each release finds what that release holds
    old, new = SearchIndex.open(published), SearchIndex.open(second_index)
    try:
        assert old.item_count < new.item_count
        assert new.search("Daesh")["actor"][0].label == "ISIS"
    finally:
        old.close()
        new.close()
    assert _digest(published) == file_before  # reading a release folds nothing either
    assert not list(live.parent.glob("*.unshared"))


def test_a_long_log_gives_the_writer_a_file_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kb.linked_sqlite, "LOG_MIN_LIMIT", 0)
    monkeypatch.setattr(kb.linked_sqlite, "LOG_LIMIT_FRACTION", 10**9)  # any log is too long
    data = tmp_path / "kb"
    live = data / "derived" / FILENAME

    def ingest(paths: list[Path]) -> Path:
        with KnowledgeBase.open(data) as store:
            texts = [InputText(p.name, p.read_text(encoding="utf-8")) for p in paths]
            ingest_texts(store, texts, base_iri=BASE, data_dir=data, workers=0)
            return publish(store, data, BASE)

    first = ingest([SEED_PATH])
    lease(first)  # as a server reading it would: kept while newer ones are published
    published = first / "derived" / FILENAME
    assert published.stat().st_ino == live.stat().st_ino
    file_before, before = _digest(published), _graphs(published)

    ingest(EXAMPLES[:1])  # a log is left for the second release ...
    third = ingest(EXAMPLES[1:])  # ... which the next write finds too long: copy, fold
    assert published.stat().st_ino != live.stat().st_ino
    assert _digest(published) == file_before and _graphs(published) == before
    assert _graphs(third / "derived" / FILENAME) == _graphs(live)
    assert len(_graphs(live)) == 1 + len(EXAMPLES)
    wait_for_copier(live)  # the last publish may have started a copy ahead ...
    assert set(copies(live)) <= {ready_copy(live)}  # ... only ever of the file as it is
    unlease(first)


def _ingest_and_publish(data: Path, paths: list[Path]) -> Path:
    with KnowledgeBase.open(data) as store:
        texts = [InputText(p.name, p.read_text(encoding="utf-8")) for p in paths]
        ingest_texts(store, texts, base_iri=BASE, data_dir=data, workers=0)
        return publish(store, data, BASE)


def _copy_made_ahead(live: Path, seconds: float = 60) -> Path | None:
    """The copy the process a publish started makes, once made."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        wait_for_copier(live)
        made = ready_copy(live)
        if made is not None:
            return made
        time.sleep(0.1)
    return None


def test_a_copy_made_ahead_becomes_the_writers_file_without_copying_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A publish that leaves a long log starts copying the index in a process of its own;
    the next write renames that copy over the live file instead of copying 2 GB itself."""
    # any log is worth a copy ahead (64 MB and more are too long to keep: not reached here)
    monkeypatch.setattr(kb.linked_sqlite, "COPY_AHEAD_AT", 0.0)
    data = tmp_path / "kb"
    live = data / "derived" / FILENAME
    first = _ingest_and_publish(data, [SEED_PATH])
    lease(first)
    published = first / "derived" / FILENAME
    file_before, before = _digest(published), _graphs(published)

    _ingest_and_publish(data, EXAMPLES[:1])  # leaves a log: a copy is started ahead
    made = _copy_made_ahead(live)
    assert made is not None and _digest(made) == _digest(live)
    assert made.stat().st_ino != published.stat().st_ino
    made_inode = made.stat().st_ino

    def no_copy_now(path: Path) -> None:
        raise AssertionError(f"copied {path} although a copy was made ahead")

    monkeypatch.setattr(kb.linked_sqlite, "_unshare", no_copy_now)
    third = _ingest_and_publish(data, EXAMPLES[1:])
    assert live.stat().st_ino == made_inode  # the copy made ahead is the live file now
    assert _digest(published) == file_before and _graphs(published) == before
    assert _graphs(third / "derived" / FILENAME) == _graphs(live)
    assert len(_graphs(live)) == 1 + len(EXAMPLES)
    unlease(first)


def test_a_copy_of_a_file_that_changed_since_is_never_taken(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x)")
    db.execute("INSERT INTO t VALUES (1)")
    db.commit()
    db.close()
    os.link(path, tmp_path / "release.sqlite")  # shared, as a release shares it
    made = make_copy(path)
    assert made is not None and made.read_bytes() == path.read_bytes()
    assert make_copy(path) == made  # made once

    db = sqlite3.connect(path)  # a write to the file itself: the copy is of no file now
    db.execute("INSERT INTO t VALUES (2)")
    db.commit()
    db.close()
    assert ready_copy(path) is None
    assert not adopt_copy(path, wait=True)
    assert copies(path) == []  # removed, not renamed over the file
    assert sqlite3.connect(path).execute("SELECT count(*) FROM t").fetchone() == (2,)


def test_one_copier_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    path.write_bytes(b"x" * 4096)
    os.link(path, tmp_path / "release.sqlite")
    held = os.open(tmp_path / f"index.sqlite{kb.linked_sqlite.LOCK_SUFFIX}", os.O_RDWR | os.O_CREAT)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        assert make_copy(path) is None  # another copier runs
        assert not adopt_copy(path, wait=False)  # not waited for: nothing to take yet
    finally:
        fcntl.flock(held, fcntl.LOCK_UN)
        os.close(held)
    assert make_copy(path) is not None
    assert adopt_copy(path, wait=False)
    assert path.stat().st_nlink == 1 and copies(path) == []


def test_a_copy_is_on_disk_before_it_is_renamed_over_the_live_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whichever process copies the index (made ahead, or the writer itself), the copy is
    synced before any rename: a crash cannot leave a half-written index under the live
    name, and the writer's rename has no write-back left to wait for."""
    path = tmp_path / "index.sqlite"
    path.write_bytes(b"x" * 8192)
    os.link(path, tmp_path / "release.sqlite")
    events: list[str] = []
    real_fsync, real_replace = os.fsync, Path.replace

    def fsync(fd: int) -> None:
        events.append("fsync " + Path(os.readlink(f"/proc/self/fd/{fd}")).name)
        real_fsync(fd)

    def replace(self: Path, target: str | os.PathLike[str]) -> Path:
        events.append(f"replace {self.name} -> {Path(target).name}")
        return real_replace(self, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(Path, "replace", replace)
    made = make_copy(path)
    assert made is not None and made.read_bytes() == path.read_bytes()
    part = next(e.split()[1] for e in events if e.startswith("replace"))
    assert events[:2] == [f"fsync {part}", f"replace {part} -> {made.name}"]
    events.clear()
    assert adopt_copy(path, wait=False)
    assert events == [f"replace {made.name} -> {path.name}"]  # synced already: only renamed

    events.clear()
    os.link(path, tmp_path / "second-release.sqlite")
    kb.linked_sqlite._unshare(path)  # the writer's own copy, when none was made ahead
    private = f"{path.name}{kb.linked_sqlite.SUFFIX}"
    assert events == [f"fsync {private}", f"replace {private} -> {path.name}"]
    assert path.stat().st_nlink == 1 and path.read_bytes() == b"x" * 8192
