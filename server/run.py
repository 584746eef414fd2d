"""``srkb serve``: run the app under gunicorn (a production WSGI server) on a store snapshot.

Order of events, and why:

1. Bind the listening socket first, so "port in use" is one clear error that leaves the
   data directory alone, and ``--port 0`` reports the port really chosen; gunicorn takes
   the socket over (``fd://N``).
2. Snapshot the store (kb.store.make_snapshot), so ``srkb ingest`` keeps the primary
   store while the server answers from an immutable checkpoint, and describe it as a
   release (kb.release: id and VoID figures from the content digest and counts every
   write keeps, so this takes seconds at any size). Both happen in a short-lived
   *spawned* helper process: RocksDB must never be touched in the gunicorn master,
   because its global state (thread pools) does not survive a fork even after the store
   is closed; forked workers then crash on exit
   (SIGSEGV), which gunicorn answers by forking new ones forever. The release's N-Quads
   dump is then written by a low-priority subprocess (kb.release_dump) while the server
   already answers.
3. gunicorn forks ``workers`` threaded workers (gthread, ``threads`` each); each calls
   ``create_app(settings, snapshot=...)`` after the fork (no preload), opens its own
   read-only handle for pages, and starts its pool of query processes (server.pool), in
   which every client query runs under the time limit. A worker's threads keep serving
   while one of its query processes is stuck in a long query.

SIGTERM stops gracefully, Ctrl-C (SIGINT) quickly: both are gunicorn's own handling.
gunicorn's worker timeout is only a backstop against a hung worker, not a query limit.
The access log (server.hooks) goes to stderr as one JSON line per request.
"""

from __future__ import annotations

import errno
import logging
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from kb.config import Settings
from kb.errors import SRKBError
from kb.release import write_release
from kb.store import KnowledgeBase, make_snapshot, snapshot_release_path, snapshot_store_path

logger = logging.getLogger(__name__)

GRACEFUL_TIMEOUT_S = 5


class ServeError(SRKBError):
    """The server cannot start: the address is in use or not available."""

    code = "E310"
    status = 503


def _bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port, or ServeError with a one-line reason."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    family, socktype, proto, _name, addr = infos[0]
    sock = socket.socket(family, socktype, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(addr)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(
                f"port {port} on {host} is already in use; stop the other server or "
                "choose another --port"
            ) from exc
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    return sock


def _snapshot_and_describe(data_dir: str, owner_pid: int) -> tuple[str, int, str]:
    """Runs in the helper process: snapshot, check it opens, describe the release (its
    id and figures are kept by every write: seconds, whatever the size)."""
    snapshot = make_snapshot(Path(data_dir), owner_pid=owner_pid)
    with KnowledgeBase.open_path(snapshot_store_path(snapshot), read_only=True) as kb:
        release = write_release(kb, snapshot_release_path(snapshot), dump=False)
        quads = kb.quad_count()
    return str(snapshot), quads, release.id


def prepare_snapshot(data_dir: Path) -> tuple[Path, int, str]:
    """Snapshot ``data_dir`` in a spawned process so this process never loads RocksDB.

    Returns the snapshot directory, its quad count and its release id.

    Raises:
        StoreError: no store, or it cannot be snapshotted or opened (re-raised from the
            helper process).
    """
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        snapshot, quads, release = pool.submit(
            _snapshot_and_describe, str(data_dir), os.getpid()
        ).result()
    return Path(snapshot), quads, release


def configure_access_log(enabled: bool) -> None:
    """One JSON line per request on stderr (logger ``srkb.access``), or none."""
    access = logging.getLogger("srkb.access")
    access.propagate = False
    for handler in list(access.handlers):
        access.removeHandler(handler)
    if not enabled:
        access.setLevel(logging.CRITICAL + 1)
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    access.addHandler(handler)
    access.setLevel(logging.INFO)


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


class SrkbGunicorn(BaseApplication):
    """gunicorn application whose ``load`` builds the Flask app inside each worker."""

    def __init__(self, settings: Settings, snapshot: Path, options: dict[str, Any]) -> None:
        self.settings = settings
        self.snapshot = snapshot
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        known = self.cfg.settings
        for key, value in self.options.items():
            if key in known and value is not None:  # older gunicorns lack some settings
                self.cfg.set(key, value)

    def load(self) -> Any:
        # Called in each worker after the fork (preload_app is off).
        from . import create_app

        configure_access_log(self.settings.access_log)
        return create_app(self.settings, snapshot=self.snapshot)


def gunicorn_options(
    fd: int, workers: int, threads: int, *, verbose: bool, on_ready: Any
) -> dict[str, Any]:
    """gunicorn settings: our socket, threaded workers, quiet logs unless -v, no control
    socket. Requests are logged by srkb itself (server.hooks), not by gunicorn."""
    return {
        "bind": [f"fd://{fd}"],
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": False,
        "proc_name": "srkb",
        "graceful_timeout": GRACEFUL_TIMEOUT_S,
        "loglevel": "info" if verbose else "warning",
        "accesslog": None,
        "errorlog": "-",
        # gunicorn >= 25 opens a control socket under $HOME by default; several srkb
        # servers (or tests) would fight over it, and nothing here uses it.
        "control_socket_disable": True,
        # gunicorn refuses request lines over 4 KB (414) by default; srkb bounds a GET
        # query itself at SRKB_MAX_REQUEST_BYTES, as the service description says.
        "limit_request_line": 0,
        "when_ready": on_ready,
    }


def serve(settings: Settings, *, host: str, port: int, workers: int, threads: int = 16) -> None:
    """Snapshot the store and serve it until SIGTERM or Ctrl-C.

    Raises:
        StoreError: no store in ``settings.data_dir``, or it cannot be snapshotted/opened.
        ServeError: the address is in use or invalid.
    """
    sock = _bind(host, port)
    try:
        snapshot, quads, release = prepare_snapshot(settings.data_dir)
    except BaseException:
        sock.close()
        raise
    # the release's N-Quads dump, written in the background (kb.release_dump)
    dumper = subprocess.Popen([sys.executable, "-m", "kb.release_dump", str(snapshot)])
    real_port = sock.getsockname()[1]
    line = (
        f"srkb: serving {_url(host, real_port)} ({quads} quads, release {release}, "
        f"snapshot {snapshot})"
    )

    def on_ready(_arbiter: Any) -> None:
        print(line, file=sys.stderr, flush=True)

    verbose = logging.getLogger().getEffectiveLevel() <= logging.INFO
    options = gunicorn_options(sock.detach(), workers, threads, verbose=verbose, on_ready=on_ready)
    master = os.getpid()
    try:
        SrkbGunicorn(settings, snapshot, options).run()
    finally:
        # Forked workers unwind through here too when they exit: only the master cleans up.
        if os.getpid() == master:
            if dumper.poll() is None:
                dumper.terminate()
                dumper.wait(timeout=10)
            shutil.rmtree(snapshot, ignore_errors=True)
