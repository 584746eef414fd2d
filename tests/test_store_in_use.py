"""Reading while another process writes (issue 11, items 10 and 11).

* ``srkb serve``, ``texts``, ``query``, ``dump`` and ``rating`` work while a writer (an
  ingest) holds the store: they open it read-only, which takes no lock.
* With the README's relative data directory, the dumps the server offers are served
  (they used to answer 500: Flask resolved the relative path against the package).
"""

from __future__ import annotations

import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kb.store import KnowledgeBase

from .conftest import LiveServer, run_srkb, start_server

TEXT = "Reuters said on Monday that the convoy reached Kobani.\nI do not trust Reuters.\n"


@pytest.fixture
def held_store(tmp_path: Path) -> Iterator[Path]:
    """A knowledge base whose store this test process holds open read-write."""
    text = tmp_path / "note.txt"
    text.write_text(TEXT, encoding="utf-8")
    data = tmp_path / "data"
    done = run_srkb("ingest", str(text), data=data)
    assert done.returncode == 0, done.stderr
    writer = KnowledgeBase.open(data, create=False)
    try:
        yield data
    finally:
        writer.close()


def test_a_second_writer_is_refused_with_a_clear_message(held_store: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("AMN said the bridge fell.\n", encoding="utf-8")
    done = run_srkb("ingest", str(other), data=held_store)
    assert done.returncode == 1 and "in use by another srkb process" in done.stderr, done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("texts",),
        ("query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
        ("dump", "--format", "nquads"),
        ("rating", "Reuters"),
        ("validate",),
    ],
    ids=lambda a: a[0],
)
def test_read_commands_work_while_an_ingest_holds_the_store(
    held_store: Path, args: tuple[str, ...]
) -> None:
    done = run_srkb(*args, data=held_store)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


@pytest.mark.slow
def test_the_server_starts_while_an_ingest_holds_the_store(
    held_store: Path, live_server: Callable[..., LiveServer]
) -> None:
    server = live_server(held_store)
    assert server.quads > 0
    with urllib.request.urlopen(server.url + "search?q=Reuters", timeout=10) as resp:
        assert resp.status == 200 and b"Reuters" in resp.read()


@pytest.mark.slow
def test_dumps_are_served_with_a_relative_data_directory(tmp_path: Path) -> None:
    text = tmp_path / "note.txt"
    text.write_text(TEXT, encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    done = run_srkb("ingest", str(text), data=Path("srkb-data"), cwd=work)
    assert done.returncode == 0, done.stderr
    server = start_server(Path("srkb-data"), tmp_path / "serve.stderr", cwd=work)
    try:
        for name in ("latest.nq", "latest.void.ttl"):
            with urllib.request.urlopen(server.url + "dumps/" + name, timeout=30) as resp:
                assert resp.status == 200 and resp.read(), name
    finally:
        server.stop()
