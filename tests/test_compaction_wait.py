"""A bulk ingest lets RocksDB finish merging what it loaded (kb.store.compaction): it waits
until the background threads stay idle, unless closing the store hands the merge to a
detached process (kb.store.background_merge, the default)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import kb.store.compaction as compaction
import kb.store.oxigraph as oxigraph_backend
from kb.store import KnowledgeBase


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _ticks(monkeypatch: pytest.MonkeyPatch, values: list[int | None]) -> None:
    """The background threads' CPU ticks, one value per reading (the last repeats)."""
    it: Iterator[int | None] = iter(values)
    last: list[int | None] = [values[0]]

    def read() -> int | None:
        last[0] = next(it, last[0])
        return last[0]

    monkeypatch.setattr(compaction, "background_ticks", read)


def test_it_waits_while_the_threads_work_and_stops_once_they_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    busy = [0, 20, 40, 60, 80, 100]  # five busy readings, a quarter second apart
    _ticks(monkeypatch, [*busy, 100])
    clock, told = _Clock(), []
    waited = compaction.wait_for_compactions(
        60, lambda: told.append(1), clock=clock.time, sleep=clock.sleep
    )
    # 5 busy polls, then idle for QUIET_S
    assert waited == pytest.approx(5 * compaction.POLL_S + compaction.QUIET_S)
    assert told == [1]  # the user is told once


def test_idle_threads_cost_one_quiet_window_and_no_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _ticks(monkeypatch, [7, 7, 8, 8])  # a tick now and then is not merging
    clock, told = _Clock(), []
    waited = compaction.wait_for_compactions(
        60, lambda: told.append(1), clock=clock.time, sleep=clock.sleep
    )
    assert waited == pytest.approx(compaction.QUIET_S)
    assert told == []


def test_the_wait_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    _ticks(monkeypatch, list(range(0, 100_000, 25)))  # always busy
    clock = _Clock()
    waited = compaction.wait_for_compactions(3, clock=clock.time, sleep=clock.sleep)
    assert 3 <= waited < 3 + compaction.POLL_S + 1e-9


def test_nothing_to_watch_means_no_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    _ticks(monkeypatch, [None])
    clock = _Clock()
    assert compaction.wait_for_compactions(60, clock=clock.time, sleep=clock.sleep) == 0


def test_an_open_store_has_background_threads_to_watch(tmp_path: Path) -> None:
    """On Linux /proc names RocksDB's threads, so the wait has something to watch; the
    watch reads this process's threads only."""
    before = {t.name for t in threading.enumerate()}
    with KnowledgeBase.open_path(tmp_path / "store", read_only=False) as kb:
        assert compaction.background_ticks() is not None
        assert kb.settle() < 5  # a fresh, empty store has nothing to merge
    assert {t.name for t in threading.enumerate()} == before


@pytest.mark.parametrize(("setting", "waits"), [("1", False), ("0", True)])
def test_a_store_whose_merge_goes_on_in_the_background_is_not_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str, waits: bool
) -> None:
    """With the background merge on, a bulk ingest returns without waiting for RocksDB's
    merge (about 50 s of one core after 100,000 texts): closing the store hands it over.
    Turned off, nothing would finish the merge, so the ingest waits for it."""
    monkeypatch.setenv("SRKB_BACKGROUND_MERGE", setting)
    calls: list[float] = []

    def wait(max_seconds: float, *_args: object, **_kwargs: object) -> float:
        calls.append(max_seconds)
        return 0.0

    monkeypatch.setattr(oxigraph_backend, "wait_for_compactions", wait)
    with KnowledgeBase.open_path(tmp_path / "store", read_only=False) as kb:
        assert kb.settle() == 0.0
    assert bool(calls) is waits
