"""Access to the per-app state (settings, knowledge base, query runner, release) from views.

One module so that views never reach into ``app.extensions`` or ``app.config`` by string
keys themselves. The served store is a snapshot that never changes while the app runs,
so values computed from it (the summary, the release) are computed once per app.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from flask import current_app

from kb.config import Settings

if TYPE_CHECKING:
    from kb.release import Release
    from kb.store import KnowledgeBase

    from .pool import QueryRunner

SETTINGS_KEY = "SRKB_SETTINGS"
KB_KEY = "srkb"
RUNNER_KEY = "srkb.runner"
RELEASE_DIR_KEY = "srkb.release_dir"
CACHE_KEY = "srkb.cache"
LOCK_KEY = "srkb.lock"


def get_settings() -> Settings:
    return cast(Settings, current_app.config[SETTINGS_KEY])


def get_kb() -> KnowledgeBase:
    return cast("KnowledgeBase", current_app.extensions[KB_KEY])


def get_runner() -> QueryRunner:
    """Where client queries run: the worker's pool of query processes, or inline."""
    return cast("QueryRunner", current_app.extensions[RUNNER_KEY])


def app_cache() -> dict[str, object]:
    """Per-app memo for values of the served store; the snapshot never changes while served."""
    return cast(dict[str, object], current_app.extensions.setdefault(CACHE_KEY, {}))


def app_lock() -> threading.Lock:
    """One lock per app, for computing cached values once under threaded workers."""
    return cast(threading.Lock, current_app.extensions[LOCK_KEY])


def release_dir() -> Path:
    """The directory with the served release's description and dumps.

    ``srkb serve`` writes it with the snapshot. An app given an open store (tests) gets a
    temporary one, written on first use and removed at exit.
    """
    with app_lock():
        directory = current_app.extensions.get(RELEASE_DIR_KEY)
        if directory is None:
            directory = Path(tempfile.mkdtemp(prefix="srkb-release-"))
            atexit.register(shutil.rmtree, directory, True)
            current_app.extensions[RELEASE_DIR_KEY] = directory
        return cast(Path, directory)


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
