"""The srkb web server: a read-only SPARQL endpoint and a few HTML pages over one store.

``create_app`` is the only entry point (Flask's application factory pattern): the CLI's
``srkb serve`` runs it in each gunicorn worker, and tests call it with an in-memory
knowledge base. The store is opened once per app and kept in
``app.extensions["srkb"]``; views reach it through ``server.context``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, Response

from kb.config import Settings
from kb.store import KnowledgeBase, make_snapshot

from .context import SETTINGS_KEY

logger = logging.getLogger(__name__)

__all__ = ["create_app"]


def create_app(
    settings: Settings | None = None,
    *,
    kb: KnowledgeBase | None = None,
    store_path: Path | None = None,
) -> Flask:
    """Build the Flask app.

    Args:
        settings: limits and paths; ``Settings.from_env()`` when None.
        kb: an open knowledge base to serve as is (tests).
        store_path: a snapshot directory to open read-only (each gunicorn worker).

    With neither ``kb`` nor ``store_path``, a fresh snapshot of ``settings.data_dir`` is
    made and opened read-only, so the primary store stays free for ``srkb ingest``.

    Raises:
        StoreError: the store or snapshot cannot be opened.
    """
    from . import errors, pages, sparql

    settings = settings if settings is not None else Settings.from_env()
    if kb is None:
        path = store_path if store_path is not None else make_snapshot(settings.data_dir)
        kb = KnowledgeBase.open_path(Path(path), read_only=True)
        logger.info("serving the snapshot %s", path)

    app = Flask(__name__)
    app.config.from_mapping(
        # Werkzeug answers 413 for bodies above this before a view reads them.
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        MAX_FORM_MEMORY_SIZE=settings.max_request_bytes,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]  # DefaultJSONProvider has it
    app.config[SETTINGS_KEY] = settings
    app.extensions["srkb"] = kb

    errors.register_error_handlers(app)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(pages.bp)
    app.after_request(_security_headers)
    return app


def _security_headers(response: Response) -> Response:
    """Everything shown comes from untrusted text: never let a browser sniff or run it."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if response.mimetype == "text/html":
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'",
        )
        response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response
