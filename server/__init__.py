"""The srkb web server: a read-only SPARQL endpoint, Linked Data pages, releases and dumps.

``create_app`` is the only entry point (Flask's application factory pattern): the CLI's
``srkb serve`` runs it in each gunicorn worker, and tests call it with an in-memory
knowledge base. What the app serves (a store, its query runner, its release) is one
``server.context.Served``; a worker that follows the data directory switches it when a
writer publishes a new release (server.releases). Views reach it through
``server.context``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask

from kb.config import Settings
from kb.store import KnowledgeBase

from .context import SERVED_KEY, SETTINGS_KEY, Served

logger = logging.getLogger(__name__)

__all__ = ["create_app"]


def create_app(
    settings: Settings | None = None,
    *,
    kb: KnowledgeBase | None = None,
    release: Path | None = None,
    follow: bool = False,
) -> Flask:
    """Build the Flask app.

    Args:
        settings: limits and paths; ``Settings.from_env()`` when None.
        kb: an open knowledge base to serve as is (tests); queries then run in this
            process, without a time limit.
        release: a published release directory (kb.store.releases) to serve read-only:
            what each gunicorn worker gets. Queries run in ``settings.query_processes``
            killable processes that open the same release.
        follow: switch to each newer release published in ``settings.data_dir`` (or, for
            a remote store, describe its content anew when it changes).

    With neither ``kb`` nor ``release``, the remote store of ``settings.store`` is served
    live, or else the current release of ``settings.data_dir`` (published first if needed).

    Raises:
        StoreError: the store or release cannot be opened.
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
    from .admission import register_admission
    from .pool import InlineRunner
    from .releases import ReleaseFollower, open_live, open_release

    settings = settings if settings is not None else Settings.from_env()
    if kb is not None:
        state = Served(kb, InlineRunner(kb))
    elif settings.store:
        state = open_live(settings)
    else:
        if release is None:
            from kb.store.releases import ensure_current

            release = ensure_current(settings.data_dir, settings.base_iri)
        state = open_release(release, settings)

    app = Flask(__name__)
    app.config.from_mapping(
        # Werkzeug answers 413 for bodies above this before a view reads them.
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        MAX_FORM_MEMORY_SIZE=settings.max_request_bytes,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]  # DefaultJSONProvider has it
    app.config[SETTINGS_KEY] = settings
    app.extensions[SERVED_KEY] = state

    errors.register_error_handlers(app)
    hooks.register_hooks(app)
    register_admission(app, settings.active_requests, settings.query_timeout_s)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(queries.bp)
    app.register_blueprint(dumps.bp)
    app.register_blueprint(ontology_pages.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(lookup.bp)
    app.register_blueprint(linked_data.bp)
    if kb is None:  # a served store: have the search index ready early
        lookup.warm_search_index(app)
    if follow and kb is None:
        ReleaseFollower(app, settings).start()
    return app
