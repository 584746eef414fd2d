"""One error shape for every failure: JSON for API clients, a small HTML page for browsers.

JSON: ``{"ok": false, "status": N, "error": "<code>", "message": "..."}``. ``error`` is
the stable code of an SRKBError (``E400`` malformed query, ``E403`` forbidden, ...) or
``E<status>`` for HTTP-level failures (``E404``, ``E405``, ``E413``, ``E415``).
Unexpected exceptions become a 500 whose message reveals nothing; Flask logs them.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from kb.errors import QueryError, QuerySyntaxError, SRKBError

from .conneg import prefers_html
from .context import get_settings
from .sparql import FORM_TYPE

logger = logging.getLogger(__name__)


def json_error(status: int, code: str, message: str, **extra: object) -> Response:
    """The canonical error shape as JSON, whatever the client accepts (``.json`` URLs).

    ``extra`` adds fields: ``line`` and ``column`` of a syntax error, for editors.
    """
    body = {"ok": False, "status": status, "error": code, "message": message}
    body.update({k: v for k, v in extra.items() if v is not None})
    response = jsonify(body)
    response.status_code = status
    return response


def _sent_query() -> str | None:
    """The query a browser sent to /sparql (form field or URL), so the error page can give
    it back in the form; None for other pages (a named query is not the user's text)."""
    if request.endpoint != "sparql.endpoint":
        return None
    try:
        if request.method == "POST":
            return request.form.get("query") if request.mimetype == FORM_TYPE else None
        return request.args.get("query")
    except HTTPException:  # a body the form parser refuses (too large): no query to give back
        return None


def error_response(
    status: int, code: str, message: str, *, query: str | None = None, **extra: object
) -> Response:
    """The canonical error response, as HTML when the client prefers it.

    The HTML page of a failed /sparql query shows where the parser stopped (``line``,
    ``column`` in ``extra``) and ``query`` again in the form, to be corrected.
    """
    if prefers_html(request.headers.get("Accept")):
        html = render_template(
            "error.html",
            status=status,
            code=code,
            message=message,
            line=extra.get("line"),
            column=extra.get("column"),
            query=query,
            max_rows=get_settings().max_rows,
        )
        response = Response(html, status=status, mimetype="text/html")
    else:
        response = json_error(status, code, message, **extra)
    response.vary.add("Accept")
    return response


def _handle_srkb_error(exc: SRKBError) -> Response:
    if exc.status >= 500:
        logger.warning("%s %s failed: %s", request.method, request.path, exc)
    position = {}
    if isinstance(exc, QuerySyntaxError):
        position = {"line": exc.line, "column": exc.column}
    query = _sent_query() if isinstance(exc, QueryError) else None
    return error_response(exc.status, exc.code, exc.message, query=query, **position)


def _http_message(exc: HTTPException) -> str:
    code = exc.code or 500
    if code == 413:
        return (
            f"the request is larger than {get_settings().max_request_bytes} bytes "
            "(SRKB_MAX_REQUEST_BYTES)"
        )
    if code == 404:
        return f"no such page: {request.path}"
    if code == 405:
        allowed = (
            ", ".join(sorted(exc.valid_methods or [])) if hasattr(exc, "valid_methods") else ""
        )
        return f"{request.method} is not allowed here" + (f"; use {allowed}" if allowed else "")
    if code >= 500:
        return "internal server error; the server log has the details"
    return exc.description or exc.name


def _handle_http_exception(exc: HTTPException) -> HTTPException | Response:
    if exc.code is None or exc.code < 400:
        return exc  # redirects (e.g. RequestRedirect) are not errors
    response = error_response(exc.code, f"E{exc.code}", _http_message(exc))
    allowed = getattr(exc, "valid_methods", None)  # only MethodNotAllowed has it
    if exc.code == 405 and allowed:
        response.headers["Allow"] = ", ".join(allowed)
    return response


def register_error_handlers(app: Flask) -> None:
    """Route srkb errors and HTTP errors (including unhandled 500s) to one shape."""
    app.register_error_handler(SRKBError, _handle_srkb_error)
    app.register_error_handler(HTTPException, _handle_http_exception)
