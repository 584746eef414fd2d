"""Blueprint "dumps": the served release as files, with its VoID description.

``/dumps/latest.nq`` is the canonical N-Quads dump whose SHA-256 is the release id in the
``SRKB-Release`` header; ``.trig``, ``.ttl`` (the union of all graphs: Turtle has no
named graphs) and ``.jsonld`` are written from it on first request and are the same bytes
``srkb dump`` writes for the same content. ``/dumps/latest.void.ttl`` describes the
release (VoID counts, ontology and extractor versions, release id and time). Every file
has an ETag made of the release id, so clients re-download only after a new release.
``/.well-known/void`` points to the VoID description, as the VoID recommendation asks.
"""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    Response,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue

from kb.dump import DUMP_FORMATS
from kb.errors import NotFoundError
from kb.release import DUMP_BASENAME, SERVED_DUMPS, dump_path, void_turtle

from . import conneg
from .context import external_url, get_release, get_settings, release_dir

logger = logging.getLogger(__name__)

bp = Blueprint("dumps", __name__)

_INDEX_OFFERS = (conneg.JSON, conneg.HTML)


def _files() -> list[dict[str, str]]:
    files = [
        {
            "name": f"{DUMP_BASENAME}.{ext}",
            "format": DUMP_FORMATS[fmt].name,
            "media_type": DUMP_FORMATS[fmt].media_type,
            "url": external_url("dumps.dump", ext=ext),
        }
        for ext, fmt in SERVED_DUMPS.items()
    ]
    files.append(
        {
            "name": f"{DUMP_BASENAME}.void.ttl",
            "format": "void",
            "media_type": conneg.TURTLE.media_type,
            "url": external_url("dumps.void"),
        }
    )
    return files


@bp.route("/dumps/")
@bp.route("/dumps")
def index() -> ResponseReturnValue:
    """The files of the served release (JSON, or a page for browsers)."""
    release = get_release()
    fmt = conneg.negotiate(request.headers.get("Accept"), _INDEX_OFFERS) or conneg.JSON
    if fmt.name == "html":
        return render_template("dumps.html", release=release, files=_files())
    return jsonify({"release": release.id, "created": release.created, "files": _files()})


@bp.route(f"/dumps/{DUMP_BASENAME}.<ext>")
def dump(ext: str) -> Response:
    fmt = SERVED_DUMPS.get(ext)
    if fmt is None:
        known = ", ".join(f"{DUMP_BASENAME}.{e}" for e in SERVED_DUMPS)
        raise NotFoundError(f"no dump {DUMP_BASENAME}.{ext}; there are {known} and latest.void.ttl")
    release = get_release()
    path = dump_path(release_dir(), fmt)
    response = send_file(
        path,
        mimetype=DUMP_FORMATS[fmt].media_type,
        conditional=True,
        etag=f"{release.id}.{ext}",
        last_modified=None,
        max_age=0,
    )
    response.headers["Content-Disposition"] = f'inline; filename="srkb-{DUMP_BASENAME}.{ext}"'
    return response


@bp.route(f"/dumps/{DUMP_BASENAME}.void.ttl")
def void() -> Response:
    release = get_release()
    response = Response(
        void_turtle(release, get_settings().base_iri), mimetype=conneg.TURTLE.media_type
    )
    response.set_etag(f"{release.id}.void")
    response.make_conditional(request)  # turns it into a 304 in place when the ETag matches
    return response


@bp.route("/.well-known/void")
def well_known_void() -> ResponseReturnValue:
    return redirect(url_for("dumps.void"), code=303)
