"""Serving that follows the data: open a release, and switch to newer ones as they appear.

``srkb ingest``, ``remove`` and ``rebuild`` end by publishing a release
(kb.store.releases). Each server worker runs a ``ReleaseFollower`` that reads
``DATA/releases/CURRENT`` every ``SRKB_RELEASE_POLL_S`` seconds; when it names a newer
release, the worker opens it and starts its query processes on it *before* it swaps it in
(one assignment of ``app.extensions``), so requests never wait for the switch and never
see a mix: a request keeps the ``Served`` it started with (server.context), and the old
one is closed once every request that could hold it has had its time limit. The new
release's N-Quads dump is written in the background by a low-priority program.

A remote store (SRKB_STORE) is served live: queries go to the server as they come, each
text is one transaction there, and the follower only notices when the content state
changes, to name the new release in headers, VoID and dumps.
"""

from __future__ import annotations

import atexit
import functools
import logging
import subprocess
import sys
import threading
import time
from pathlib import Path

from flask import Flask

from kb.config import Settings
from kb.store import KnowledgeBase, snapshot_release_path, snapshot_store_path
from kb.store.releases import current_release, lease, unlease

from .context import SERVED_KEY, Served
from .lookup import warm_search_index
from .pool import InlineRunner, QueryPool, QueryRunner

logger = logging.getLogger(__name__)

GRACE_S = 5.0  # beyond the query time limit, before a replaced release is closed


def _runner(
    kb: KnowledgeBase,
    opener: functools.partial[KnowledgeBase],
    settings: Settings,
    *,
    no_network: bool,
) -> QueryRunner:
    if settings.query_processes <= 0:
        return InlineRunner(kb)
    return QueryPool(
        opener,
        settings.query_processes,
        settings.query_timeout_s,
        memory_limit_bytes=settings.query_memory_mb << 20,
        no_network=no_network,
    )


def open_release(release: Path, settings: Settings) -> Served:
    """A published release, read-only, with its own query processes."""
    store = snapshot_store_path(release)
    kb = KnowledgeBase.open_path(store, read_only=True)
    opener = functools.partial(KnowledgeBase.open_path, store, read_only=True)
    # SERVICE targets on the allowlist need the network; otherwise the query processes
    # have none (kb.netblock), behind the guard on the parsed query.
    runner = _runner(kb, opener, settings, no_network=not settings.service_targets)
    lease(release)
    _write_dump_later(release)
    logger.info("serving release %s", release.name)
    return Served(kb, runner, snapshot_release_path(release), release.name)


def open_live(settings: Settings) -> Served:
    """A remote SPARQL store, queried live (its query processes need the network)."""
    kb = KnowledgeBase.from_settings(settings, read_only=True)
    opener = functools.partial(KnowledgeBase.from_settings, settings, read_only=True)
    runner = _runner(kb, opener, settings, no_network=False)
    return Served(kb, runner, None, _live_name(kb, settings))


def _live_name(kb: KnowledgeBase, settings: Settings) -> str:
    from kb.content import current_state
    from kb.release import release_id

    return release_id(current_state(kb, settings.base_iri))


def _write_dump_later(release: Path) -> None:
    """Start the background dump writer (it exits at once if another one has the lock);
    it stops with this worker, and the next server to open the release starts it again."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kb.release_dump", str(release)],
        stdout=subprocess.DEVNULL,
    )
    threading.Thread(target=process.wait, name="srkb-dump-reaper", daemon=True).start()
    atexit.register(_stop, process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()


class ReleaseFollower:
    """Switches an app to each newer release (or, live, each new content state)."""

    def __init__(self, app: Flask, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.switches = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="srkb-release", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        while not self._stop.wait(self.settings.release_poll_s):
            try:
                self.check()
            except Exception:  # noqa: BLE001 - keep serving the current release
                logger.exception("could not switch to the newest release; still serving the last")

    def check(self) -> bool:
        """Switch if there is something newer; whether it switched."""
        old: Served = self.app.extensions[SERVED_KEY]
        if self.settings.store:
            name = _live_name(old.kb, self.settings)
            if name == old.name:
                return False
            # Same store and processes; a new description (release id, counts, dumps).
            self.app.extensions[SERVED_KEY] = Served(old.kb, old.runner, None, name)
            self.switches += 1
            return True
        release = current_release(self.settings.data_dir)
        if release is None or release.name == old.name:
            return False
        new = open_release(release, self.settings)
        if isinstance(new.runner, QueryPool):
            new.runner.wait_ready()
        self.app.extensions[SERVED_KEY] = new
        self.switches += 1
        logger.info("switched from release %s to %s", old.name, new.name)
        warm_search_index(self.app)
        timer = threading.Timer(self.settings.query_timeout_s + GRACE_S, self._retire, args=(old,))
        timer.daemon = True
        timer.start()
        return True

    def _retire(self, old: Served) -> None:
        old.close()
        if old.release_dir is not None:
            unlease(old.release_dir.parent)


def wait_for(app: Flask, name: str, timeout: float = 30.0) -> bool:
    """Block until ``app`` serves the release ``name`` (tests)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.extensions[SERVED_KEY].name == name:
            return True
        time.sleep(0.05)
    return False
