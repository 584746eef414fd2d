"""A release hard-links the search index it was published with instead of copying it (2 GB
at 100,000 documents), and the writer copies the live index before it next writes: the
release a server reads must never change under it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kb.search import FILENAME
from kb.store.releases import current_release

from .conftest import run_srkb
from .helpers import PROJECT_ROOT, SEED_PATH


def _graphs(path: Path) -> set[str]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {r[0] for r in db.execute("SELECT graph FROM graphs")}
    finally:
        db.close()


def test_a_release_shares_the_search_index_until_the_next_write(tmp_path: Path) -> None:
    data = tmp_path / "kb"
    live = data / "derived" / FILENAME
    run_srkb("ingest", str(SEED_PATH), data=data, check=True)
    first = current_release(data)
    assert first is not None
    published = first / "derived" / FILENAME
    assert published.stat().st_ino == live.stat().st_ino  # linked, not copied
    before = _graphs(published)
    assert len(before) == 1

    examples = sorted((PROJECT_ROOT / "examples").glob("*.txt"))
    run_srkb("ingest", *map(str, examples), data=data, check=True)
    second = current_release(data)
    assert second is not None and second != first
    # the writer gave the live index a file of its own before writing to it
    assert published.exists() and published.stat().st_ino != live.stat().st_ino
    assert _graphs(published) == before  # the first release did not change
    assert _graphs(second / "derived" / FILENAME) == _graphs(live)
    assert len(_graphs(live)) == 1 + len(examples)
    assert not list(live.parent.glob("*.unshared"))
