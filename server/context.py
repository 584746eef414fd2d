"""Access to the per-app state (settings, knowledge base, query runner, release) from views.

One module so that views never reach into ``app.extensions`` or ``app.config`` by string
keys themselves. What a request reads comes from one ``Served`` object: the release the
worker served when the request began (its store, query processes, release directory and
the values computed from it). A worker that switches to a newer release
(server.releases) replaces that object in one assignment; requests already running keep
the old one to the end, so every answer comes from exactly one release.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from flask import current_app, g, has_request_context

from kb.config import Settings

if TYPE_CHECKING:
    from kb.release import Release
    from kb.store import KnowledgeBase

    from .pool import QueryRunner

SETTINGS_KEY = "SRKB_SETTINGS"
SERVED_KEY = "srkb.served"


@dataclass
class Served:
    """One release as a worker serves it; immutable but for the memo of derived values."""

    kb: KnowledgeBase
    runner: QueryRunner
    release_dir: Path | None = None  # None: a temporary one is made on first use
    name: str = ""  # the release directory's name ("" for a store served live)
    cache: dict[str, object] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def close(self) -> None:
        self.runner.close()
        self.kb.close()


def served() -> Served:
    """The release this request is answered from (fixed at its first access)."""
    if has_request_context():
        current = g.get("srkb_served")
        if current is None:
            current = g.srkb_served = current_app.extensions[SERVED_KEY]
        return cast(Served, current)
    return cast(Served, current_app.extensions[SERVED_KEY])


def get_settings() -> Settings:
    return cast(Settings, current_app.config[SETTINGS_KEY])


def get_kb() -> KnowledgeBase:
    return served().kb


def get_runner() -> QueryRunner:
    """Where client queries run: the worker's pool of query processes, or inline."""
    return served().runner


def app_cache() -> dict[str, object]:
    """Memo for values computed from the served release (which never changes)."""
    return served().cache


def app_lock() -> threading.Lock:
    """One lock per served release, for computing cached values once under threads."""
    return served().lock


def release_dir() -> Path:
    """The directory with the served release's description and dumps.

    ``srkb serve`` serves published releases, which have one. An app given an open store
    (tests) or a remote one gets a temporary one, written on first use, removed at exit.
    """
    state = served()
    with state.lock:
        if state.release_dir is None:
            directory = Path(tempfile.mkdtemp(prefix="srkb-release-"))
            atexit.register(shutil.rmtree, directory, True)
            state.release_dir = directory
        return state.release_dir


def get_release() -> Release:
    """The release the app serves (id, counts, versions), read or computed once."""
    from kb.release import RELEASE_JSON, read_release, write_release

    cache = app_cache()
    release = cache.get("release")
    if release is None:
        directory = release_dir()
        with app_lock():
            release = cache.get("release")
            if release is None:
                if (directory / RELEASE_JSON).is_file():
                    release = read_release(directory)
                else:
                    release = write_release(get_kb(), directory)
                cache["release"] = release
    return cast("Release", release)


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL under the configured base IRI (SRKB_BASE_IRI).

    Never built from the request's Host header, which the client chooses: links in the
    service description, the queries list and the dumps list must not point wherever a
    forged Host says.
    """
    from flask import url_for

    path = url_for(endpoint, **values)
    return get_settings().base_iri.rstrip("/") + path
