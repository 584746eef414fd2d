"""The SPARQL editor's bundle (server/web/ -> server/static/yasgui/): the one served is built
from the current sources, and ``build.mjs --check`` (what scripts/setup.sh asks before
running ``npm ci`` and the build) tells a missing or stale bundle from a current one."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from .helpers import PROJECT_ROOT

WEB = PROJECT_ROOT / "server" / "web"
NODE = shutil.which("node")


def node(script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert NODE is not None, "Node.js 20 is needed: scripts/setup.sh builds the editor with it"
    return subprocess.run(
        [NODE, str(script), *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_the_served_bundle_is_built_from_the_current_sources() -> None:
    done = node(WEB / "build.mjs", "--check")
    assert done.returncode == 0, (
        "server/static/yasgui/ is missing or older than server/web/: run bash scripts/setup.sh"
    )


def test_the_check_tells_a_missing_or_stale_bundle(tmp_path: Path) -> None:
    if not (WEB / "node_modules" / "esbuild").is_dir():
        pytest.fail("server/web/node_modules is not installed: run bash scripts/setup.sh")
    web = tmp_path / "web"
    web.mkdir()
    for name in ("build.mjs", "package.json", "package-lock.json"):
        shutil.copy(WEB / name, web / name)
    shutil.copytree(WEB / "src", web / "src")
    (web / "node_modules").symlink_to(WEB / "node_modules")
    out = tmp_path / "static" / "yasgui"
    check = web / "build.mjs"

    assert node(check, "--check").returncode == 1  # nothing built yet
    built = node(check)
    assert built.returncode == 0, built.stderr
    assert {p.name for p in out.iterdir()} == {
        "editor.js",
        "editor.css",
        "LICENSES.txt",
        "BUILD-STAMP",
    }
    assert (out / "editor.js").read_bytes() == (
        PROJECT_ROOT / "server" / "static" / "yasgui" / "editor.js"
    ).read_bytes()  # the build is reproducible: the same sources give the same bundle
    assert "@zazuko/yasgui 4.6.2 (MIT)" in (out / "LICENSES.txt").read_text(encoding="utf-8")
    assert node(check, "--check").returncode == 0

    (web / "src" / "editor.css").write_text(
        (web / "src" / "editor.css").read_text(encoding="utf-8") + "\n.x { color: red; }\n",
        encoding="utf-8",
    )
    assert node(check, "--check").returncode == 1  # a changed source: stale
    assert node(check).returncode == 0 and node(check, "--check").returncode == 0
    (out / "editor.css").unlink()
    assert node(check, "--check").returncode == 1  # an output missing
