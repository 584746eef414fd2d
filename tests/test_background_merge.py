"""A merge RocksDB has not finished when a write command closes the store goes on in a
detached process (kb.store.background_merge); the next command that opens the store stops
that process, whenever it comes: a writer takes the store over, a reader reads a store
nothing rewrites underneath it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kb.errors import StoreBusyError
from kb.store import KnowledgeBase
from kb.store import background_merge as bm
from kb.store.compaction import background_ticks

G = ox.NamedNode("http://127.0.0.1:8000/graph/text/1")
QUADS = [
    ox.Quad(
        ox.NamedNode(f"http://127.0.0.1:8000/e/{i}"), ox.NamedNode("http://x/p"), ox.Literal(i), G
    )
    for i in range(200)
]


def a_store(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    kb = KnowledgeBase.open(data)
    kb.add_quads(QUADS)
    kb.close()
    return data / "store"


def holds_store(pid: int, store: Path) -> bool:
    """Whether process ``pid`` has the store open (RocksDB's LOCK file among its files)."""
    lock = str(store / "LOCK")
    try:
        return any(os.readlink(fd) == lock for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False


def names(store: Path, proc: subprocess.Popen[bytes]) -> bool:
    """Whether the store's marker names ``proc`` as its merge process."""
    marker = bm.marker_path(store)
    return marker.exists() and marker.read_text(encoding="ascii") == str(proc.pid)


def wait_until_held(store: Path, proc: subprocess.Popen[bytes], seconds: float = 10.0) -> None:
    end = time.monotonic() + seconds
    while not holds_store(proc.pid, store):
        assert proc.poll() is None, "the merge process ended before holding the store"
        assert time.monotonic() < end, "the merge process never held the store"
        time.sleep(0.01)


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.3, None])
def test_a_writer_stops_the_background_merge_and_takes_the_store(
    tmp_path: Path, delay: float | None
) -> None:
    store = a_store(tmp_path)
    proc = bm.hand_over(store)
    if delay is None:  # the merge process surely holds the store
        wait_until_held(store, proc)
    else:
        time.sleep(delay)
    started = time.monotonic()
    kb = KnowledgeBase.open(store.parent, create=False)  # no StoreBusyError
    took = time.monotonic() - started
    kb.add_quads(
        [ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("new"), G)]
    )
    assert len(list(kb.quads(G.value))) == len(QUADS) + 1
    kb.close()
    status = proc.wait(timeout=10)
    # stopped, or (started after the writer took the store) found it in use
    assert status == bm.STOPPED if delay is None else status in (0, bm.STOPPED)
    assert not names(store, proc)  # (the writer's own close may have started another)
    assert took < bm.TAKE_OVER_S


def test_the_merge_process_is_named_before_the_command_returns(tmp_path: Path) -> None:
    store = a_store(tmp_path)
    proc = bm.hand_over(store)
    try:
        assert bm.marker_path(store).read_text(encoding="ascii") == str(proc.pid)
    finally:
        proc.wait(timeout=30)


@pytest.mark.parametrize("delay", [0.0, 0.05, None])
def test_a_reader_stops_the_background_merge_before_it_reads(
    tmp_path: Path, delay: float | None
) -> None:
    """A store opened read-only is read with no merge process rewriting its files."""
    store = a_store(tmp_path)
    proc = bm.hand_over(store)
    if delay is None:
        wait_until_held(store, proc)
    else:
        time.sleep(delay)
    with KnowledgeBase.open(store.parent, read_only=True) as kb:
        assert not holds_store(proc.pid, store)  # it let go of the store before the reading
        assert len(list(kb.quads(G.value))) == len(QUADS)
    # stopped, found the store in use, or signalled before Python set its handler
    assert proc.wait(timeout=10) in (0, bm.STOPPED, -signal.SIGTERM)
    assert not names(store, proc)


def test_a_marker_naming_another_process_is_left_alone(tmp_path: Path) -> None:
    """A marker left by a killed merge process may name a process id reused since by
    anything, or (a copied directory) the merge process of another store: neither is
    signalled, and the store opens at once."""
    store = a_store(tmp_path)
    other = a_store(tmp_path / "elsewhere")
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    merger = bm.hand_over(other)
    try:
        wait_until_held(other, merger)
        for pid in (bystander.pid, merger.pid):
            bm.marker_path(store).write_text(str(pid), encoding="ascii")
            assert not bm.stop(store)
            with KnowledgeBase.open(store.parent, read_only=True) as kb:
                assert len(list(kb.quads(G.value))) == len(QUADS)
            KnowledgeBase.open(store.parent, create=False).close()
            assert bystander.poll() is None and merger.poll() is None
    finally:
        bystander.kill()
        bystander.wait()
        merger.terminate()
        merger.wait(timeout=10)


def test_the_background_merge_ends_by_itself_when_nothing_is_left(tmp_path: Path) -> None:
    store = a_store(tmp_path)
    proc = bm.hand_over(store)
    assert proc.wait(timeout=30) == 0
    assert not bm.marker_path(store).exists()
    kb = KnowledgeBase.open(store.parent, create=False)
    assert len(list(kb.quads(G.value))) == len(QUADS)
    kb.close()


def test_a_background_merge_leaves_a_store_in_use_alone(tmp_path: Path) -> None:
    store = a_store(tmp_path)
    writer = KnowledgeBase.open(store.parent, create=False)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "kb.store.background_merge", str(store)],
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0
        assert not bm.marker_path(store).exists()
        writer.add_quads(QUADS[:1])  # the writer still holds it
    finally:
        writer.close()


def test_a_store_held_by_another_writer_is_still_refused(tmp_path: Path) -> None:
    store = a_store(tmp_path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import pyoxigraph, time; s = pyoxigraph.Store({str(store)!r}); "
            "print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
        started = time.monotonic()
        with pytest.raises(StoreBusyError, match="in use by another srkb process"):
            KnowledgeBase.open(store.parent, create=False)
        assert time.monotonic() - started < bm.GRACE_S + 2
    finally:
        holder.kill()
        holder.wait()


def test_no_merge_is_seen_in_a_process_whose_store_merged_nothing(tmp_path: Path) -> None:
    assert not bm.merging_now(background_ticks())
    assert not bm.merging_now(None)


@pytest.mark.parametrize(("value", "on"), [("", True), ("1", True), ("0", False), ("off", False)])
def test_the_background_merge_can_be_turned_off(
    monkeypatch: pytest.MonkeyPatch, value: str, on: bool
) -> None:
    monkeypatch.setenv("SRKB_BACKGROUND_MERGE", value)
    assert bm.enabled() is on
    monkeypatch.delenv("SRKB_BACKGROUND_MERGE")
    assert bm.enabled()
    assert os.environ.get("SRKB_BACKGROUND_MERGE") is None
