"""Reading the embedded store while another process rewrites its files.

RocksDB replaces files as it merges and folds its write-ahead log into sorted files; a
store opened read-only (``srkb dump``, ``query``, ``texts`` during an ingest) may list a
file that is gone by the time it opens it. The open is tried again; a read that meets a
replaced file later is run again on a fresh open where its answer is not written yet
(`query`, `texts`, `rating`, a dump to a file: kb.store.reading), else stops with one
line that says to run the command again; a store that lacks a file for good is refused
in one line. Never a traceback.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from .conftest import run_srkb

TEXT = "Reuters said on Monday that the convoy reached Kobani.\nI do not trust Reuters.\n"

# A writer that keeps RocksDB replacing files: graphs dropped and written again, each write
# flushed to a file of its own (the store stays about 20,000 quads).
WRITER = """
import sys, pyoxigraph as ox
store = ox.Store(sys.argv[1])
p = ox.NamedNode("http://example.org/p")
print("writing", flush=True)
i = 0
while True:
    g = ox.NamedNode(f"http://example.org/g{i % 10}")
    store.remove_graph(g)
    store.extend(
        ox.Quad(ox.NamedNode(f"http://example.org/s{j}"), p, ox.Literal(i), g)
        for j in range(2000)
    )
    store.flush()
    i += 1
"""


@pytest.fixture
def data(tmp_path: Path) -> Path:
    text = tmp_path / "note.txt"
    text.write_text(TEXT, encoding="utf-8")
    data = tmp_path / "data"
    run_srkb("ingest", str(text), data=data, check=True)
    return data


def one_line_error(done: subprocess.CompletedProcess[str], starts: str) -> bool:
    lines = done.stderr.strip().splitlines()
    return done.returncode == 1 and len(lines) == 1 and lines[0].startswith(starts)


@pytest.mark.parametrize(
    "args",
    [
        ("dump", "--format", "nquads"),
        ("query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
        ("texts",),
        ("rating", "Reuters"),
        ("ingest", "NOTE"),
    ],
    ids=lambda a: a[0],
)
def test_a_store_missing_a_file_is_refused_in_one_line(
    data: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    """RocksDB calls it corruption (a RuntimeError in pyoxigraph): one line, exit 1."""
    sorted_files = sorted((data / "store").glob("*.sst"))
    assert sorted_files
    sorted_files[0].unlink()
    note = tmp_path / "other.txt"
    note.write_text("AMN said the bridge fell.\n", encoding="utf-8")
    done = run_srkb(*(str(note) if a == "NOTE" else a for a in args), data=data)
    assert one_line_error(done, "srkb: error: [E300] cannot open the store in "), done.stderr
    assert "Traceback" not in done.stderr


@pytest.fixture
def writer(data: Path) -> Iterator[Path]:
    """A process that holds the store and rewrites its files until the test ends."""
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data / "store")], stdout=subprocess.PIPE
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"writing"
        yield data
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.slow
def test_read_commands_beside_a_writer_answer_or_say_to_run_again(
    writer: Path, tmp_path: Path
) -> None:
    """Reading while RocksDB replaces files: `query`, `texts` and `rating`, which build
    their answer before writing it, answer (run again on a fresh open when need be); a
    dump answers in full, or stops with one line saying the store changed (never a
    traceback; a dump to a file is written again from a fresh open before it gives up,
    and leaves no partial file)."""
    changed = "srkb: error: [E300] the store changed while it was read"
    target = tmp_path / "dump.nq"
    answered = 0
    for _ in range(10):
        for args in (
            ("dump", "--format", "nquads"),
            ("query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
            ("dump", "--format", "nquads", "--output", str(target)),
            ("rating", "Reuters"),
            ("texts",),
        ):
            target.unlink(missing_ok=True)
            done = run_srkb(*args, data=writer)
            if args[0] != "dump":
                assert done.returncode == 0 and done.stdout.strip(), done.stderr
                assert args[0] != "rating" or done.stdout.startswith("Reuters: ")
            if done.returncode != 0:
                assert one_line_error(done, changed), done.stderr
                assert "run the command again" in done.stderr
                assert not target.exists()
                continue
            answered += 1
            if "--output" in args:
                assert done.stderr.startswith("wrote "), done.stderr
                body = target.read_bytes()
            else:
                body = done.stdout.encode()
            if args[0] == "dump":  # a whole N-Quads document
                assert len(list(ox.parse(body, format=ox.RdfFormat.N_QUADS)))
            assert not target.with_name(target.name + ".part").exists()
    assert answered >= 30


def test_a_dump_file_that_met_a_replaced_store_file_says_so(tmp_path: Path) -> None:
    """The error of a dump to a file tells a store read from a file write: a store file a
    writer replaced is StoreChangedError (the dump is then written again), not "cannot
    write the dump"."""
    from kb.cli import _write_output
    from kb.errors import InputError, StoreChangedError

    def store_read_fails(_out: object) -> None:
        raise FileNotFoundError(
            "IO error: No such file or directory: While open a file for random read: "
            f"{tmp_path}/store/000042.sst: No such file or directory"
        )

    def disk_fails(_out: object) -> None:
        raise OSError(28, "No space left on device")

    target = tmp_path / "dump.nq"
    with pytest.raises(StoreChangedError, match="run the command again"):
        _write_output(target, store_read_fails)
    with pytest.raises(InputError, match="cannot write the dump"):
        _write_output(target, disk_fails)
    assert not target.exists() and not target.with_name("dump.nq.part").exists()


def test_a_replaced_file_is_found_behind_the_error_that_wraps_it(tmp_path: Path) -> None:
    """A query error raised from RocksDB's I/O error still counts as the store having
    changed (the read is run again); an error of another kind does not."""
    from kb.errors import QueryError, StoreChangedError
    from kb.store.reading import changed_store

    gone = FileNotFoundError(
        "IO error: No such file or directory: While open a file for random read: "
        f"{tmp_path}/store/000042.sst: No such file or directory"
    )
    try:
        raise QueryError(f"query failed: {gone}") from gone
    except QueryError as wrapped:
        assert isinstance(changed_store(wrapped), StoreChangedError)
    assert changed_store(QueryError("malformed query")) is None
    assert changed_store(FileNotFoundError(2, "No such file or directory")) is None
