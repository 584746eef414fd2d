"""``srkb serve``: run the app under gunicorn (a production WSGI server) on a published release.

Order of events, and why:

1. Bind the listening socket first, so "port in use" is one clear error that leaves the
   data directory alone, and ``--port 0`` reports the port really chosen; gunicorn takes
   the socket over (``fd://N``).
2. Find the release to serve (kb.store.releases): the current published one, or publish
   one first if there is none or the store has moved on (a writer was killed before
   publishing, or the data directory predates releases). Releases are read-only
   checkpoints, so ``srkb ingest`` keeps the store while servers answer, and they are
   described by the content digest and counts every write keeps (seconds at any size).
   This happens in a short-lived *spawned* helper process: RocksDB must never be touched
   in the gunicorn master, because its global state (thread pools) does not survive a
   fork even after the store is closed; forked workers then crash on exit (SIGSEGV),
   which gunicorn answers by forking new ones forever. A remote store (SRKB_STORE) has
   no releases: it is described and served live.
3. gunicorn forks ``workers`` threaded workers (gthread, ``threads`` each); each calls
   ``create_app(settings, release=..., follow=True)`` after the fork (no preload), opens
   its own read-only handle for pages, starts its pool of query processes (server.pool),
   in which every client query runs under the time limit, and follows newer releases
   (server.releases). A release's N-Quads dump is written by a low-priority program
   (kb.release_dump) while the server already answers.

SIGTERM stops gracefully, Ctrl-C (SIGINT) quickly: both are gunicorn's own handling.
gunicorn's worker timeout is only a backstop against a hung worker, not a query limit.
The access log (server.hooks) goes to stderr as one JSON line per request.
"""

from __future__ import annotations

import errno
import logging
import multiprocessing
import socket
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from kb.config import Settings
from kb.errors import SRKBError
from kb.store import KnowledgeBase, snapshot_release_path, snapshot_store_path

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


def _release_and_describe(data_dir: str, base_iri: str) -> tuple[str, int, str]:
    """Runs in the helper process: the current release (published first if the store has
    moved on or none exists) and its figures (kept by every write: seconds at any size)."""
    from kb.release import read_release
    from kb.store.releases import ensure_current

    release = ensure_current(Path(data_dir), base_iri)
    described = read_release(snapshot_release_path(release))
    with KnowledgeBase.open_path(snapshot_store_path(release), read_only=True) as kb:
        quads = kb.quad_count()  # the figure /healthz gives
    return str(release), quads, described.id


def prepare_release(settings: Settings) -> tuple[Path | None, int, str]:
    """The release to serve, prepared in a spawned process so that this process (the
    gunicorn master) never loads RocksDB. Returns its directory (None for a remote store,
    served live), its quad count and its release id.

    Raises:
        StoreError: no store, or it cannot be published or opened (re-raised from the
            helper process).
    """
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        if settings.store:
            quads, release_id = pool.submit(_describe_live, settings).result()
            return None, quads, release_id
        release, quads, release_id = pool.submit(
            _release_and_describe, str(settings.data_dir), settings.base_iri
        ).result()
    return Path(release), quads, release_id


def _describe_live(settings: Settings) -> tuple[int, str]:
    from kb.content import current_state
    from kb.release import release_id

    with KnowledgeBase.from_settings(settings, read_only=True) as kb:
        state = current_state(kb, settings.base_iri)
        return kb.quad_count(), release_id(state)


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

    def __init__(self, settings: Settings, release: Path | None, options: dict[str, Any]) -> None:
        self.settings = settings
        self.release = release
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
        return create_app(self.settings, release=self.release, follow=True)


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


def serve(settings: Settings, *, host: str, port: int, workers: int, threads: int = 64) -> None:
    """Serve the current release (following newer ones) until SIGTERM or Ctrl-C.

    Raises:
        StoreError: no store in ``settings.data_dir`` (or at SRKB_STORE), or it cannot
            be published or opened.
        ServeError: the address is in use or invalid.
    """
    sock = _bind(host, port)
    try:
        release_path, quads, release = prepare_release(settings)
    except BaseException:
        sock.close()
        raise
    real_port = sock.getsockname()[1]
    where = f"release {release_path.name}" if release_path else f"store {settings.store}"
    line = f"srkb: serving {_url(host, real_port)} ({quads} quads, release {release}, {where})"

    def on_ready(_arbiter: Any) -> None:
        print(line, file=sys.stderr, flush=True)

    verbose = logging.getLogger().getEffectiveLevel() <= logging.INFO
    options = gunicorn_options(sock.detach(), workers, threads, verbose=verbose, on_ready=on_ready)
    # Releases outlive the server (the next one, or another, may serve them); each
    # worker leases the one it serves, and writers collect what no live process leases.
    SrkbGunicorn(settings, release_path, options).run()
