"""A merge RocksDB has not finished when a write command closes the store goes on in a
detached process (kb.store.background_merge); the next command that writes stops that
process and takes the store over, whenever it comes."""

from __future__ import annotations

import os
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


def wait_for_marker(store: Path, proc: subprocess.Popen[bytes], seconds: float = 10.0) -> None:
    end = time.monotonic() + seconds
    while not bm.marker_path(store).exists():
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
        wait_for_marker(store, proc)
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
    assert not bm.marker_path(store).exists()
    assert took < bm.TAKE_OVER_S


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
