"""Serving that follows the data (issue 12): writers publish releases, servers switch.

* kb.store.releases: publishing, the CURRENT pointer, leases and garbage collection;
* a running `srkb serve` with 8 clients querying continuously while `srkb ingest` adds
  1,000 documents: no request fails, every answer matches the one release its
  SRKB-Release header names, and the new claims are answered within 10 s of the
  ingest's end, without a restart.
"""

from __future__ import annotations

import http.client
import json
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest

from kb.store import KnowledgeBase
from kb.store.releases import (
    collect_garbage,
    current_release,
    lease,
    publish,
    releases_dir,
    unlease,
)

from .conftest import PROJECT_ROOT, SRKB_COMMAND, LiveServer, run_srkb, start_server

BASE = "http://127.0.0.1:8000/"
TEXTS = (
    "PREFIX srkb: <https://w3id.org/srkb/ontology#> "
    "SELECT (COUNT(?t) AS ?n) WHERE { GRAPH ?g { ?t a srkb:SourceText } }"
)


def _text(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- releases
def test_every_write_publishes_a_release_and_unchanged_writes_do_not(tmp_path: Path) -> None:
    data = tmp_path / "data"
    a = _text(tmp_path, "a.txt", "Reuters said the convoy reached Kobani on Monday.\n")
    assert run_srkb("ingest", str(a), data=data).returncode == 0
    first = current_release(data)
    assert first is not None and (first / "store").is_dir() and (first / "release").is_dir()
    first_id = json.loads((first / "release" / "release.json").read_text())["id"]
    assert run_srkb("ingest", str(a), data=data).returncode == 0  # nothing new
    assert current_release(data) == first
    b = _text(tmp_path, "b.txt", "AMN said the bridge at Raqqa was cut on Friday.\n")
    assert run_srkb("ingest", str(b), data=data).returncode == 0
    second = current_release(data)
    assert second is not None and second != first
    assert run_srkb("remove", "b.txt", data=data).returncode == 0
    third = current_release(data)
    assert third not in (first, second)
    # Same content as after the first ingest: the same release id, a new directory.
    assert third is not None
    assert json.loads((third / "release" / "release.json").read_text())["id"] == first_id


def test_releases_no_live_process_leases_are_collected(tmp_path: Path) -> None:
    data = tmp_path / "data"
    published = []
    with KnowledgeBase.open(data) as kb:
        for _ in range(4):
            published.append(publish(kb, data, BASE))
    folder = releases_dir(data)
    # publish() already collected: the two newest are kept (a server may be switching);
    # the others are in the trash at once, and gone once its process is done.
    assert sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name[0] != ".") == [
        p.name for p in published[-2:]
    ]
    assert not any(p.is_dir() for p in published[:2])
    _wait_for(
        lambda: (
            sorted(p.name for p in folder.iterdir() if p.is_dir())
            == [p.name for p in published[-2:]]
        )
    )
    leased = published[-2]
    lease(leased)
    with KnowledgeBase.open(data) as kb:
        for _ in range(2):
            published.append(publish(kb, data, BASE))
    assert leased.is_dir()  # leased by this (live) process: kept
    unlease(leased)
    collect_garbage(data)
    assert not leased.is_dir() and current_release(data) == published[-1]


def _wait_for(condition: Callable[[], bool], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"not within {seconds} s"
        time.sleep(0.05)


def test_trash_a_deleting_process_left_is_emptied_by_the_next_collection(
    tmp_path: Path,
) -> None:
    """A release moved to the trash whose deleting process died (or never ran) is not
    served, kept or counted as a release, and the next collection removes it."""
    data = tmp_path / "data"
    with KnowledgeBase.open(data) as kb:
        first = publish(kb, data, BASE)
        for _ in range(2):
            publish(kb, data, BASE)
    _wait_for(lambda: not any(p.name.startswith(".trash.") for p in releases_dir(data).iterdir()))
    assert not first.exists()
    left = releases_dir(data) / f".trash.{first.name}"
    shutil.copytree(current_release(data) or first, left)  # as if its deleter had died
    assert collect_garbage(data) == []  # no release removed: only the trash emptied
    assert not left.exists() and current_release(data) is not None


def test_a_lease_of_a_dead_process_does_not_keep_a_release(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with KnowledgeBase.open(data) as kb:
        old = publish(kb, data, BASE)
        dead = subprocess.run(
            [sys.executable, "-c", "import os; print(os.getpid())"],
            capture_output=True,
            text=True,
            check=True,
        )
        lease(old, int(dead.stdout))
        for _ in range(2):
            publish(kb, data, BASE)
    assert not old.is_dir()


# --------------------------------------------------------------------------- live switch
def _corpus(tmp_path: Path, docs: int) -> Path:
    out = tmp_path / "corpus"
    done = subprocess.run(
        [
            sys.executable,
            str(PROJECT_ROOT / "bench" / "synthetic_corpus.py"),
            "--docs",
            str(docs),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    )
    assert done.returncode == 0, done.stderr
    return out


def _ask(conn: http.client.HTTPConnection) -> tuple[int, str, int | None]:
    conn.request(
        "POST",
        "/sparql",
        body=TEXTS.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
    )
    resp = conn.getresponse()
    body = resp.read()
    count = None
    if resp.status == 200:
        count = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    return resp.status, resp.headers.get("SRKB-Release", ""), count


@pytest.mark.slow
def test_a_running_server_follows_an_ingest_of_1000_documents(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, 1_050)
    files = sorted(corpus.rglob("*.txt"))
    first, rest = tmp_path / "first", tmp_path / "rest"
    first.mkdir()
    rest.mkdir()
    for i, f in enumerate(files):
        shutil.copy(f, (first if i < 50 else rest) / f.name)
    data = tmp_path / "data"
    assert run_srkb("ingest", str(first), data=data, timeout=300).returncode == 0
    server: LiveServer = start_server(data, tmp_path / "serve.stderr", workers=1)
    seen: dict[str, set[int]] = defaultdict(set)
    first_seen: dict[str, float] = {}
    failures: list[tuple[int, str]] = []
    stop = threading.Event()
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection(server.host, server.port, timeout=60)
        while not stop.wait(0.05):  # a client that reads each answer before the next
            status, release, count = _ask(conn)
            with lock:
                if status != 200 or count is None:
                    failures.append((status, release))
                    continue
                seen[release].add(count)
                first_seen.setdefault(release, time.monotonic())

    try:
        threads = [threading.Thread(target=client) for _ in range(8)]
        for t in threads:
            t.start()
        time.sleep(1.0)
        with lock:
            (before,) = list(seen)
        ingest = subprocess.run(
            [*SRKB_COMMAND, "--data", str(data), "ingest", str(rest)],
            capture_output=True,
            text=True,
            cwd=PROJECT_ROOT,
            timeout=900,
        )
        ended = time.monotonic()
        assert ingest.returncode == 0, ingest.stderr[-2000:]
        deadline = ended + 10.0
        while time.monotonic() < deadline:
            with lock:
                if len(seen) > 1:
                    break
            time.sleep(0.1)
        time.sleep(0.5)
    finally:
        stop.set()
        for t in threads:
            t.join(60)
        server.stop()
    assert failures == [], failures[:5]
    assert len(seen) >= 2, f"still only release {list(seen)} 10 s after the ingest ended"
    # Every answer matches the one release it names: one count per release id.
    assert all(len(counts) == 1 for counts in seen.values()), dict(seen)
    after = max(seen, key=lambda r: first_seen[r])
    assert seen[after] != seen[before] and max(seen[after]) > max(seen[before])
    assert first_seen[after] <= ended + 10.0


def _page(server: LiveServer, path: str) -> tuple[str, str]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=60)
    conn.request("GET", path, headers={"Accept": "text/html"})
    resp = conn.getresponse()
    body = resp.read().decode("utf-8")
    conn.close()
    assert resp.status == 200, body[:300]
    return resp.getheader("SRKB-Release") or "", body


def test_pages_kept_for_a_release_follow_the_next_one(tmp_path: Path) -> None:
    """Page views are memoised per release (server.lookup): the same page is served again
    unchanged, and a new release shows what the ingest added, without a restart."""
    data = tmp_path / "data"
    a = _text(tmp_path, "a.txt", "Reuters said the convoy reached Kobani on Monday.\n")
    assert run_srkb("ingest", str(a), data=data).returncode == 0
    server = start_server(data, tmp_path / "serve.stderr", workers=1)
    try:
        release, page = _page(server, "/entity/reuters")
        assert "convoy reached Kobani" in page and "bridge at Raqqa" not in page
        assert _page(server, "/entity/reuters") == (release, page)
        b = _text(tmp_path, "b.txt", "Reuters said the bridge at Raqqa was cut on Friday.\n")
        assert run_srkb("ingest", str(b), data=data).returncode == 0
        deadline = time.monotonic() + 10
        while True:
            now, page = _page(server, "/entity/reuters")
            if now != release or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert now != release, "the server did not switch to the new release within 10 s"
        assert "bridge at Raqqa" in page and "convoy reached Kobani" in page
    finally:
        server.stop()
