"""SIGKILL at random moments during `srkb ingest` (its derived-data steps included) and
`srkb remove`, then the same command again: the store is the one an uninterrupted run
gives, ratings included (dumps compared with the extraction times left out). Some runs
are killed twice (the resume killed too) before the last resume: 20 kills in all."""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kb.ingest_workers import build_one
from kb.journal import LOADING, entry, pending
from kb.store import STORE_DIRNAME, KnowledgeBase, background_merge
from kb.version import software_version

from .conftest import SRKB_COMMAND, run_srkb
from .helpers import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
from synthetic_corpus import documents  # noqa: E402

pytestmark = pytest.mark.slow
BASE = "http://127.0.0.1:8000/"
TIMES = ("prov#startedAtTime", "prov#endedAtTime")
KILLS = 8  # ingest runs killed; every other one is killed again while resuming
REMOVALS = 4  # remove runs killed, each killed again while resuming


def write_corpus(folder: Path, n: int) -> list[str]:
    folder.mkdir()
    names = []
    for i, doc in enumerate(documents(n)):
        path = folder / f"doc-{i:03d}.txt"
        path.write_text(json.dumps(doc), encoding="utf-8")
        names.append(str(path))
    return names


def masked_dump(data: Path) -> list[str]:
    out = run_srkb("dump", "--format", "nquads", data=data, check=True).stdout
    return sorted(line for line in out.splitlines() if not any(t in line for t in TIMES))


def journal_left(data: Path) -> bool:
    with KnowledgeBase.open(data, read_only=True) as kb:
        return bool(pending(kb, BASE))


def killed_run(args: list[str], data: Path, delay: float) -> None:
    proc = subprocess.Popen(
        [*SRKB_COMMAND, "--data", str(data), *args],
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return write_corpus(tmp_path_factory.mktemp("crash") / "corpus", 40)


def test_killed_ingests_resume_to_the_uninterrupted_store(
    tmp_path: Path, corpus: list[str]
) -> None:
    ingest = ["ingest", "--batch", "4", *corpus]
    started = time.perf_counter()
    run_srkb(*ingest, data=tmp_path / "reference", check=True, timeout=600)
    duration = time.perf_counter() - started
    reference = masked_dump(tmp_path / "reference")
    rng = random.Random(11)
    interrupted_derivation = 0
    kills = 0
    for k in range(KILLS):
        data = tmp_path / f"killed-{k}"
        for _ in range(2 if k % 2 == 0 else 1):
            killed_run(ingest, data, duration * rng.uniform(0.3, 0.95))
            kills += 1
            if (data / "store").is_dir() and journal_left(data):
                interrupted_derivation += 1  # texts written, their ratings not yet
        resumed = run_srkb(*ingest, data=data, timeout=600)
        assert resumed.returncode == 0, resumed.stderr
        assert masked_dump(data) == reference, f"kill {k}"
    assert kills == KILLS + KILLS // 2
    assert interrupted_derivation > 0  # some kills hit between a batch and its ratings


def test_killed_removals_resume_to_the_uninterrupted_store(
    tmp_path: Path, corpus: list[str]
) -> None:
    full = tmp_path / "full"
    run_srkb("ingest", "--batch", "8", *corpus, data=full, check=True, timeout=600)
    gone = [Path(p).name for p in corpus[::4]]
    background_merge.stop(full / STORE_DIRNAME)  # a store is copied with nothing writing it
    reference = tmp_path / "reference"
    shutil.copytree(full, reference)
    started = time.perf_counter()
    run_srkb("remove", *gone, data=reference, check=True, timeout=600)
    duration = time.perf_counter() - started
    expected = masked_dump(reference)
    assert expected != masked_dump(full)
    rng = random.Random(12)
    for k in range(REMOVALS):
        data = tmp_path / f"killed-{k}"
        shutil.copytree(full, data)
        for _ in range(2):  # killed, and killed again while finishing what it left
            killed_run(["remove", *gone], data, duration * rng.uniform(0.3, 0.95))
        again = run_srkb("remove", *gone, data=data, timeout=600)
        # finished now, or already finished by the killed run (then nothing matches)
        assert again.returncode == 0 or "no ingested text" in again.stderr, again.stderr
        assert masked_dump(data) == expected, f"kill {k}"
    rebuilt = run_srkb("rebuild", data=reference, timeout=600)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert masked_dump(reference) == expected  # derived again from the texts: the same


def test_a_bulk_load_cut_short_is_dropped_and_written_whole_again(
    tmp_path: Path, corpus: list[str]
) -> None:
    """Texts are bulk-loaded outside a transaction (kb.journal): what a kill in the middle
    of a load leaves, texts entered as loading with part of their quads written, is
    dropped by the next command, and the texts written whole."""
    texts = corpus[:6]
    run_srkb("ingest", *texts, data=tmp_path / "reference", check=True, timeout=600)
    reference = masked_dump(tmp_path / "reference")
    data = tmp_path / "cut"
    run_srkb("ingest", *texts[:3], data=data, check=True, timeout=600)
    with KnowledgeBase.open(data) as kb:
        built = [build_one(name, BASE, software_version()) for name in texts[3:]]
        kb.add_quads([entry(BASE, b.graph_iri, LOADING) for b in built])
        lines = b"".join(b.nquads for b in built).splitlines(keepends=True)
        kb.load_nquads(b"".join(lines[: len(lines) // 2]))
        assert pending(kb, BASE).loading
        assert kb.has_graph(built[0].graph_iri)
    resumed = run_srkb("ingest", *texts, data=data, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert not journal_left(data)
    assert masked_dump(data) == reference
