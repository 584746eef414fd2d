"""A bulk ingest's store merging yields the CPU (kb.store.compaction.lower_merge_priority):
loading from a file puts RocksDB's compaction threads at a lower priority, and nothing
else. Each case runs in a fresh process: a thread's niceness cannot be lowered back, and
RocksDB's thread pool is shared by every store a process opens."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kb.store.compaction import MERGE_NICENESS

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/task").is_dir(), reason="per-thread priorities are read from /proc"
)

_PROBE = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path
    from kb.store import KnowledgeBase

    def priorities():
        out = {}
        for task in Path("/proc/self/task").iterdir():
            name = (task / "comm").read_text().strip()
            out.setdefault(name, []).append(os.getpriority(os.PRIO_PROCESS, int(task.name)))
        return out

    folder, how = Path(sys.argv[1]), sys.argv[2]
    kb = KnowledgeBase.open(folder)
    data = "".join(
        f'<http://example.org/s{i}> <http://example.org/p> "{i}" <http://example.org/g{i % 3}> .\\n'
        for i in range(2000)
    )
    before = priorities()
    if how == "file":
        path = folder / "batch.nq"
        path.write_text(data, encoding="utf-8")
        kb.load_nquads_file(path)
    else:
        kb.load_nquads(data.encode())
    after = priorities()
    count = kb.quad_count()
    kb.close()
    own = os.getpriority(os.PRIO_PROCESS, 0)
    print(json.dumps({"before": before, "after": after, "quads": count, "own": own}))
    """
)


def _probe(tmp_path: Path, how: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(tmp_path), how],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={"SRKB_BACKGROUND_MERGE": "0", "PATH": "/usr/bin:/bin"},
        cwd=Path(__file__).resolve().parent.parent,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_loading_a_file_lowers_only_the_compaction_threads(tmp_path: Path) -> None:
    seen = _probe(tmp_path, "file")
    assert seen["quads"] == 2000
    before, after = seen["before"], seen["after"]
    assert isinstance(before, dict) and isinstance(after, dict)
    own = seen["own"]  # the niceness the test runs at (0, unless run under nice)
    assert isinstance(own, int)
    assert before["rocksdb:low"] and set(before["rocksdb:low"]) == {own}
    assert set(after["rocksdb:low"]) == {max(own, MERGE_NICENESS)}
    assert set(after["rocksdb:high"]) == {own}  # flushes: writes wait for them
    assert set(after["python"]) == {own}  # the process's own threads keep theirs


def test_other_writes_leave_the_priorities_alone(tmp_path: Path) -> None:
    seen = _probe(tmp_path, "bytes")
    assert seen["quads"] == 2000
    after = seen["after"]
    assert isinstance(after, dict)
    assert {p for ps in after.values() for p in ps} == {seen["own"]}
