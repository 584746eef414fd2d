"""bench/commands.py times the commands on a store and leaves it as it found it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import run_srkb
from .helpers import PROJECT_ROOT

TEXTS = PROJECT_ROOT / "tests" / "reliability_texts"


def test_the_commands_are_timed_and_the_store_keeps_its_texts(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    for name in ("hajin-rudaw.txt", "hajin-enab-baladi.txt"):
        (batch / name).write_text((TEXTS / name).read_text(encoding="utf-8"), encoding="utf-8")
    data = tmp_path / "data"
    assert (
        run_srkb("ingest", str(TEXTS / "wire-reprint-1.txt"), str(batch), data=data).returncode == 0
    )
    before = run_srkb("texts", data=data).stdout
    out = tmp_path / "figures.json"
    done = subprocess.run(
        [
            sys.executable,
            str(PROJECT_ROOT / "bench" / "commands.py"),
            "--data",
            str(data),
            "--source",
            "Reuters",
            "--topic",
            "bridge",
            "--about",
            "Rudaw",
            "--batch",
            str(batch),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert [f["command"].split()[1] for f in figures] == [
        "rating",
        "rating",
        "rating",
        "texts",
        "remove",
        "ingest",
    ]
    assert all(f["exit"] == 0 and f["seconds"] > 0 and f["peak_rss_mb"] > 10 for f in figures)
    assert "| `srkb texts` |" in done.stdout
    assert run_srkb("texts", data=data).stdout == before
