"""What every response gets, whichever view made it: release id, security headers, CORS,
and one structured access-log line.

* ``SRKB-Release: sha256:...`` ties every answer to the exact data it came from (see
  kb.release); ``/dumps/latest.nq`` is that data.
* CORS is off unless ``SRKB_CORS_ORIGINS`` lists origins (or ``*``): then those origins
  may read responses from scripts, preflight requests are answered, and the srkb headers
  are exposed to them. Nothing else changes; the endpoint stays read-only either way.
* The access log is one JSON object per request on the ``srkb.access`` logger: method,
  path, status, duration, rows, truncation, release, client. ``srkb serve`` sends it to
  stderr (server.run.configure_access_log); elsewhere it goes wherever logging does.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime

from flask import Flask, Response, g, request

from .context import get_release, get_settings

logger = logging.getLogger(__name__)
access_logger = logging.getLogger("srkb.access")

RELEASE_HEADER = "SRKB-Release"
EXPOSED_HEADERS = ("SRKB-Release", "SRKB-Rows", "SRKB-Row-Limit", "SRKB-Truncated")
_CORS_METHODS = "GET, POST, OPTIONS"
_CORS_MAX_AGE = "600"


def _start_timer() -> None:
    g.srkb_started = time.perf_counter()


def _cors_origin() -> str | None:
    """The Access-Control-Allow-Origin value for this request, or None (no CORS)."""
    allowed = get_settings().cors_allowed
    origin = request.headers.get("Origin")
    if not allowed or not origin:
        return None
    if "*" in allowed:
        return "*"
    return origin if origin.rstrip("/") in allowed else None


def _preflight() -> Response | None:
    """Answer a CORS preflight (OPTIONS with Access-Control-Request-Method) when allowed."""
    if request.method != "OPTIONS" or "Access-Control-Request-Method" not in request.headers:
        return None
    origin = _cors_origin()
    if origin is None:
        return None  # Flask's own OPTIONS answer, without CORS headers: the browser refuses
    response = Response(status=204)
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Allow-Methods"] = _CORS_METHODS
    asked = request.headers.get("Access-Control-Request-Headers")
    if asked:
        response.headers["Access-Control-Allow-Headers"] = asked
    response.headers["Access-Control-Max-Age"] = _CORS_MAX_AGE
    if origin != "*":
        response.vary.add("Origin")
    return response


def _cors_headers(response: Response) -> None:
    origin = _cors_origin()
    if origin is None:
        return
    response.headers.setdefault("Access-Control-Allow-Origin", origin)
    response.headers.setdefault("Access-Control-Expose-Headers", ", ".join(EXPOSED_HEADERS))
    if origin != "*":
        response.vary.add("Origin")


def _security_headers(response: Response) -> None:
    """Everything shown comes from untrusted text: never let a browser sniff or run it."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if response.mimetype == "text/html":
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'",
        )
        response.headers.setdefault("Referrer-Policy", "no-referrer")


def _access_log(response: Response) -> None:
    if not access_logger.isEnabledFor(logging.INFO):
        return
    started = g.get("srkb_started")
    duration = (time.perf_counter() - started) * 1000 if started is not None else None
    rows = response.headers.get("SRKB-Rows")
    record = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": round(duration, 2) if duration is not None else None,
        "bytes": response.calculate_content_length(),
        "rows": int(rows) if rows is not None and rows.isdigit() else None,
        "truncated": response.headers.get("SRKB-Truncated") == "true",
        "release": response.headers.get(RELEASE_HEADER),
        "client": request.remote_addr,
    }
    ticket = g.get("srkb_ticket")
    if ticket is not None:  # where the request waited (server.admission)
        record["queued_ms"] = round((ticket.started - ticket.arrived) * 1000, 2)
        record["pool_wait_ms"] = round(ticket.waited * 1000, 2)
    access_logger.info("%s", json.dumps(record, separators=(",", ":")))


def _after(response: Response) -> Response:
    try:
        response.headers.setdefault(RELEASE_HEADER, get_release().id)
    except Exception:  # noqa: BLE001 - a header must never turn an answer into a 500
        logger.exception("cannot compute the release id")
    _security_headers(response)
    _cors_headers(response)
    _access_log(response)
    return response


def register_hooks(app: Flask) -> None:
    """Install the per-request hooks on ``app``."""
    app.before_request(_start_timer)
    app.before_request(_preflight)
    app.after_request(_after)
