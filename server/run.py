"""``srkb serve``: run the app under gunicorn (a production WSGI server) on a store snapshot.

Order of events, and why:

1. Bind the listening socket first, so "port in use" is one clear error that leaves the
   data directory alone, and ``--port 0`` reports the port really chosen; gunicorn takes
   the socket over (``fd://N``).
2. Snapshot the store (kb.store.make_snapshot), so ``srkb ingest`` keeps the primary
   store while the server answers from an immutable checkpoint, and open the snapshot
   once to count its quads and to fail early (one line, no traceback) if it cannot be
   opened. Both happen in a short-lived *spawned* helper process: RocksDB must never be
   touched in the gunicorn master, because its global state (thread pools) does not
   survive a fork even after the store is closed; forked workers then crash on exit
   (SIGSEGV), which gunicorn answers by forking new ones forever.
3. gunicorn forks ``workers`` sync workers; each calls ``create_app(settings,
   store_path=snapshot)`` after the fork (no preload) and opens its own read-only handle.

SIGTERM stops gracefully, Ctrl-C (SIGINT) quickly: both are gunicorn's own handling.
gunicorn's worker timeout is only a backstop against a hung worker, not a query limit.
"""

from __future__ import annotations

import errno
import logging
import multiprocessing
import os
import shutil
import socket
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from kb.config import Settings
from kb.errors import SRKBError
from kb.store import KnowledgeBase, make_snapshot

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


def _snapshot_and_count(data_dir: str, owner_pid: int) -> tuple[str, int]:
    """Runs in the helper process: make the snapshot, check it opens, count its quads."""
    snapshot = make_snapshot(Path(data_dir), owner_pid=owner_pid)
    with KnowledgeBase.open_path(snapshot, read_only=True) as kb:
        return str(snapshot), kb.quad_count()


def prepare_snapshot(data_dir: Path) -> tuple[Path, int]:
    """Snapshot ``data_dir`` in a spawned process so this process never loads RocksDB.

    Raises:
        StoreError: no store, or it cannot be snapshotted or opened (re-raised from the
            helper process).
    """
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        snapshot, quads = pool.submit(_snapshot_and_count, str(data_dir), os.getpid()).result()
    return Path(snapshot), quads


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


class SrkbGunicorn(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
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

        return create_app(self.settings, store_path=self.snapshot)


def gunicorn_options(fd: int, workers: int, *, verbose: bool, on_ready: Any) -> dict[str, Any]:
    """gunicorn settings: our socket, sync workers, quiet logs unless -v, no control socket."""
    return {
        "bind": [f"fd://{fd}"],
        "workers": workers,
        "worker_class": "sync",
        "preload_app": False,
        "proc_name": "srkb",
        "graceful_timeout": GRACEFUL_TIMEOUT_S,
        "loglevel": "info" if verbose else "warning",
        "accesslog": "-" if verbose else None,
        "errorlog": "-",
        # gunicorn >= 25 opens a control socket under $HOME by default; several srkb
        # servers (or tests) would fight over it, and nothing here uses it.
        "control_socket_disable": True,
        "when_ready": on_ready,
    }


def serve(settings: Settings, *, host: str, port: int, workers: int) -> None:
    """Snapshot the store and serve it until SIGTERM or Ctrl-C.

    Raises:
        StoreError: no store in ``settings.data_dir``, or it cannot be snapshotted/opened.
        ServeError: the address is in use or invalid.
    """
    sock = _bind(host, port)
    try:
        snapshot, quads = prepare_snapshot(settings.data_dir)
    except BaseException:
        sock.close()
        raise
    real_port = sock.getsockname()[1]
    line = f"srkb: serving {_url(host, real_port)} ({quads} quads, snapshot {snapshot})"

    def on_ready(_arbiter: Any) -> None:
        print(line, file=sys.stderr, flush=True)

    verbose = logging.getLogger().getEffectiveLevel() <= logging.INFO
    options = gunicorn_options(sock.detach(), workers, verbose=verbose, on_ready=on_ready)
    master = os.getpid()
    try:
        SrkbGunicorn(settings, snapshot, options).run()
    finally:
        # Forked workers unwind through here too when they exit: only the master cleans up.
        if os.getpid() == master:
            shutil.rmtree(snapshot, ignore_errors=True)
