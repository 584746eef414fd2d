"""The code base passes ruff (lint and format), as configured in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys

from .helpers import PROJECT_ROOT

PATHS = ["kb", "server", "ontology", "tests", "bench", "scripts"]


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, *PATHS],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_ruff_check_is_clean() -> None:
    out = ruff("check", "--output-format", "concise")
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-1000:]


def test_ruff_format_is_clean() -> None:
    out = ruff("format", "--check")
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-1000:]


def test_mypy_is_clean() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "mypy"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-1000:]
