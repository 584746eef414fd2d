"""The srkb web server: a read-only SPARQL endpoint, Linked Data pages, releases and dumps.

``create_app`` is the only entry point (Flask's application factory pattern): the CLI's
``srkb serve`` runs it in each gunicorn worker, and tests call it with an in-memory
knowledge base. The store is opened once per app and kept in ``app.extensions["srkb"]``;
client queries run through the app's query runner (server.pool); views reach both
through ``server.context``.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from flask import Flask

from kb.config import Settings
from kb.store import KnowledgeBase, make_snapshot, snapshot_release_path, snapshot_store_path

from .context import KB_KEY, LOCK_KEY, RELEASE_DIR_KEY, RUNNER_KEY, SETTINGS_KEY

logger = logging.getLogger(__name__)

__all__ = ["create_app"]


def create_app(
    settings: Settings | None = None,
    *,
    kb: KnowledgeBase | None = None,
    snapshot: Path | None = None,
) -> Flask:
    """Build the Flask app.

    Args:
        settings: limits and paths; ``Settings.from_env()`` when None.
        kb: an open knowledge base to serve as is (tests); queries then run in this
            process, without a time limit.
        snapshot: a snapshot directory (kb.store.make_snapshot) to serve read-only: what
            each gunicorn worker gets. Queries run in ``settings.query_processes``
            killable processes that open the same snapshot.

    With neither ``kb`` nor ``snapshot``, a fresh snapshot of ``settings.data_dir`` is
    made, so the primary store stays free for ``srkb ingest``.

    Raises:
        StoreError: the store or snapshot cannot be opened.
    """
    from . import (
        dumps,
        errors,
        hooks,
        linked_data,
        lookup,
        ontology_pages,
        pages,
        queries,
        sparql,
    )
    from .pool import InlineRunner, QueryPool, QueryRunner

    settings = settings if settings is not None else Settings.from_env()
    release_dir: Path | None = None
    runner: QueryRunner
    if kb is None:
        snap = snapshot if snapshot is not None else make_snapshot(settings.data_dir)
        store_path = snapshot_store_path(snap)
        kb = KnowledgeBase.open_path(store_path, read_only=True)
        release_dir = snapshot_release_path(snap)
        logger.info("serving the snapshot %s", snap)
        if settings.query_processes > 0:
            runner = QueryPool(
                store_path,
                settings.query_processes,
                settings.query_timeout_s,
                memory_limit_bytes=settings.query_memory_mb << 20,
                # SERVICE targets on the allowlist need the network; otherwise the query
                # processes have none (kb.netblock), behind the guard on the parsed query.
                no_network=not settings.service_targets,
            )
        else:
            runner = InlineRunner(kb)
    else:
        runner = InlineRunner(kb)

    app = Flask(__name__)
    app.config.from_mapping(
        # Werkzeug answers 413 for bodies above this before a view reads them.
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        MAX_FORM_MEMORY_SIZE=settings.max_request_bytes,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]  # DefaultJSONProvider has it
    app.config[SETTINGS_KEY] = settings
    app.extensions[KB_KEY] = kb
    app.extensions[RUNNER_KEY] = runner
    app.extensions[LOCK_KEY] = threading.Lock()
    if release_dir is not None:
        app.extensions[RELEASE_DIR_KEY] = release_dir

    errors.register_error_handlers(app)
    hooks.register_hooks(app)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(queries.bp)
    app.register_blueprint(dumps.bp)
    app.register_blueprint(ontology_pages.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(lookup.bp)
    app.register_blueprint(linked_data.bp)
    if release_dir is not None:  # serving a snapshot: have the search index ready early
        lookup.warm_search_index(app)
    return app
