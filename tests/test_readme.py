"""The README's example commands give the output the README shows."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .helpers import PROJECT_ROOT


@pytest.mark.slow
def test_readme_examples_show_real_output() -> None:
    out = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "scripts" / "readme_examples.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
