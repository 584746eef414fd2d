"""Shared pytest fixtures: data directories, the seed text, free ports, a real `srkb serve`.

Kept generic on purpose: test modules build their own stores and apps from these.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SEED_PATH = PROJECT_ROOT.parent / "shared" / "corpus" / "seed-article-comments.txt"
SRKB_COMMAND = (sys.executable, "-m", "kb.cli")
SERVER_START_TIMEOUT_S = 30.0
T = TypeVar("T")


# The suite runs on two pytest-xdist workers, one test file per work unit, in this order
# (scripts/test.sh: -n 2 --dist loadfile --no-loadscope-reorder). Files holding a test of a
# minute or more go out first, one to each worker, so that no long test starts last and
# runs alone at the end.
LONG_FILES = (
    "test_follow_releases.py",
    "test_cluster_ingest.py",
    "test_crash.py",
    "test_seed_kb.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONG_FILES.index(name) if name in LONG_FILES else len(LONG_FILES)

    items.sort(key=rank)  # stable: the order within each file is kept


def find_free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def run_srkb(
    *args: str,
    data: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    check: bool = False,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the real CLI (``python -m kb.cli``) in a subprocess and capture its output."""
    cmd = [*SRKB_COMMAND]
    if data is not None:
        cmd += ["--data", str(data)]
    cmd += list(args)
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
        env=full_env,
        cwd=cwd or PROJECT_ROOT,
    )


@dataclass
class LiveServer:
    """A running `srkb serve` subprocess."""

    process: subprocess.Popen[str]
    host: str
    port: int
    stderr_path: Path
    quads: int = 0
    stopped: bool = field(default=False)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    @property
    def sparql_url(self) -> str:
        return self.url + "sparql"

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> int:
        """Signal the server (SIGTERM by default) and wait; kill it if it hangs."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.stopped = True
        return int(self.process.returncode)


_SERVING_LINE = re.compile(r"^srkb: serving http://(?P<host>[^/]+?):(?P<port>\d+)/ ", re.M)


def _wait_until(server: LiveServer, deadline: float, what: str, probe: Callable[[], T | None]) -> T:
    """Call ``probe`` until it returns a value; fail early with stderr if the server exits."""
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"srkb serve exited with {server.process.returncode}:\n{server.stderr()}")
        try:
            value = probe()
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            last_error = exc
            value = None
        if value is not None:
            return value
        time.sleep(0.1)
    server.stop(signal.SIGKILL)
    pytest.fail(f"srkb serve: no {what} ({last_error}):\n{server.stderr()}")


def wait_for_health(
    server: LiveServer, timeout: float = SERVER_START_TIMEOUT_S
) -> dict[str, object]:
    """Learn the port from the startup line (``--port 0``), then poll /healthz."""
    deadline = time.monotonic() + timeout

    def port_from_stderr() -> int | None:
        match = _SERVING_LINE.search(server.stderr())
        return int(match.group("port")) if match else None

    if server.port == 0:
        server.port = _wait_until(server, deadline, "startup line", port_from_stderr)

    def health() -> dict[str, object] | None:
        with urllib.request.urlopen(server.url + "healthz", timeout=2) as resp:
            return dict(json.loads(resp.read()))

    return _wait_until(server, deadline, "answer from /healthz", health)


def start_server(
    data_dir: Path,
    stderr_path: Path,
    *,
    port: int = 0,
    host: str = "127.0.0.1",
    workers: int = 1,
    env: dict[str, str] | None = None,
    wait: bool = True,
    cwd: Path | None = None,
) -> LiveServer:
    """Start `srkb serve`; wait for /healthz.

    The default port 0 lets the OS choose a free port when the server binds (no race with
    other processes); the port is read from the server's startup line.
    """
    cmd = [
        *SRKB_COMMAND,
        "--data",
        str(data_dir),
        "serve",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    full_env = {**os.environ, **(env or {})}
    with stderr_path.open("w", encoding="utf-8") as err:
        process = subprocess.Popen(
            cmd,
            stdout=subprocess.DEVNULL,
            stderr=err,
            text=True,
            env=full_env,
            cwd=cwd or PROJECT_ROOT,
        )
    server = LiveServer(process, host, port, stderr_path)
    if wait:
        health = wait_for_health(server)
        server.quads = int(health.get("quads", 0))  # type: ignore[call-overload]
    return server


@pytest.fixture
def tmp_data_dir(tmp_path: Path) -> Path:
    """A data directory path that does not exist yet (``srkb ingest`` creates it)."""
    return tmp_path / "srkb-data"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The seed article with its reader comments (../shared/corpus)."""
    if not SEED_PATH.is_file():
        pytest.skip(f"seed text not found at {SEED_PATH}")
    return SEED_PATH


@pytest.fixture
def free_port() -> int:
    return find_free_port()


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """A factory that starts real `srkb serve` processes; all are stopped at teardown.

    Usage: ``server = live_server(data_dir, workers=2)``; then ``server.sparql_url``.
    """
    started: list[LiveServer] = []

    def start(data_dir: Path, **kwargs: object) -> LiveServer:
        stderr_path = tmp_path / f"serve-{len(started)}.stderr"
        server = start_server(data_dir, stderr_path, **kwargs)  # type: ignore[arg-type]
        started.append(server)
        return server

    yield start
    for server in started:
        with contextlib.suppress(ProcessLookupError):
            server.stop()


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.02)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _addr = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def settle(self) -> int:
        time.sleep(0.1)  # queries run synchronously; this only lets accept() catch up
        return self.connections

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.close()


NOTE_TEXT = "Reuters said the convoy reached the town on Monday.\n"


def serve_note(factory: pytest.TempPathFactory, env: dict[str, str] | None = None) -> LiveServer:
    """A real `srkb serve` over a one-line text: for tests of the server's own behaviour."""
    folder = factory.mktemp("note")
    text = folder / "note.txt"
    text.write_text(NOTE_TEXT, encoding="utf-8")
    done = run_srkb("ingest", str(text), data=folder / "data")
    assert done.returncode == 0, done.stderr
    return start_server(folder / "data", folder / "serve.stderr", env=env)


OXIGRAPH = Path(sys.executable).parent / "oxigraph"


@dataclass
class SparqlServer:
    """A real `oxigraph serve` process: the remote SPARQL store of the tests."""

    process: subprocess.Popen[bytes]
    port: int
    path: str = ""  # one endpoint for both (Virtuoso's /sparql), or Oxigraph's two
    sql_port: int = 0  # Virtuoso's SQL port (isql-vt), for its bulk loader

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path or '/query'}"

    @property
    def update_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path or '/update'}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_oxigraph_server(location: Path) -> SparqlServer:
    """Start `oxigraph serve` (PyPI package oxigraph) on a free port; wait until it answers."""
    if not OXIGRAPH.exists():
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    port = find_free_port()
    process = subprocess.Popen(
        [
            str(OXIGRAPH),
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = SparqlServer(process, port)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(server.query_url + "?query=ASK%7B%7D", timeout=2):
                return server
        except OSError:
            if process.poll() is not None:
                pytest.fail("oxigraph serve exited at start")
            time.sleep(0.1)
    server.stop()
    pytest.fail("oxigraph serve did not answer within 30 s")


@pytest.fixture
def sparql_server(tmp_path: Path) -> Iterator[SparqlServer]:
    """A fresh, empty `oxigraph serve` for one test."""
    server = start_oxigraph_server(tmp_path / "oxigraph")
    yield server
    server.stop()


VIRTUOSO = shutil.which("virtuoso-t")
VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def start_virtuoso_server(folder: Path) -> SparqlServer:
    """Start Debian's Virtuoso (virtuoso-opensource) in ``folder`` on free ports, with
    SPARQL Update allowed on /sparql; the store of the remote-store tests on Virtuoso."""
    if VIRTUOSO is None or not VIRTUOSO_INI.is_file():
        pytest.skip("Virtuoso is not installed (Debian package virtuoso-opensource)")
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = find_free_port(), find_free_port()
    ini = VIRTUOSO_INI.read_text(encoding="utf-8")
    ini = ini.replace("/var/lib/virtuoso-opensource-7/db", str(folder))
    ini = re.sub(r"(?m)^(ServerPort\s*=\s*)1111\b", rf"\g<1>{sql_port}", ini)
    ini = re.sub(r"(?m)^(ServerPort\s*=\s*)8890\b", rf"\g<1>{http_port}", ini)
    (folder / "virtuoso.ini").write_text(ini, encoding="utf-8")
    process = subprocess.Popen(
        [VIRTUOSO, "-f", "-c", str(folder / "virtuoso.ini")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=folder,
    )
    server = SparqlServer(process, http_port, path="/sparql", sql_port=sql_port)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(server.query_url + "?query=ASK%7B%7D", timeout=2):
                break
        except OSError:
            if process.poll() is not None:
                pytest.fail("virtuoso-t exited at start")
            time.sleep(0.3)
    else:
        server.stop()
        pytest.fail("Virtuoso did not answer within 90 s")
    grant = subprocess.run(
        ["isql-vt", str(sql_port), "dba", "dba", 'exec=grant SPARQL_UPDATE to "SPARQL";'],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if grant.returncode != 0:
        server.stop()
        pytest.fail(f"could not allow SPARQL Update on Virtuoso: {grant.stderr}")
    return server
