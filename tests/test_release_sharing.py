"""A release hard-links the search index it was published with and copies its write-ahead
log, instead of copying the index (2 GB at 100,000 documents); the writer never folds the
log into a file a release links, until the log grows too long and it takes a file of its
own. The release a server reads must never change under it."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

import kb.search
from kb.corpus import InputText
from kb.ingest import ingest_texts
from kb.search import FILENAME, SearchIndex, log_path
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
    monkeypatch.setattr(kb.search, "LOG_MIN_LIMIT", 0)
    monkeypatch.setattr(kb.search, "LOG_LIMIT_FRACTION", 10**9)  # any log is too long
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
    assert not list(live.parent.glob("*.unshared"))
    unlease(first)
