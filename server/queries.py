"""Blueprint "queries": the named provenance queries (kb/queries/*.rq) over HTTP.

``GET /queries`` lists them with their titles, descriptions and parameters (JSON, or a
page with a form per query). ``GET /queries/NAME?param=value`` binds the parameters as
SPARQL terms (kb.named_queries.bind, never by pasting text) and answers through the same
path as /sparql: same guard, same query processes and time limit, same formats chosen by
Accept or ``format``. Asked for ``application/sparql-query``, it returns the query text
with the parameters bound, for use in any SPARQL client.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from kb.errors import NotFoundError, QueryError
from kb.named_queries import (
    MissingParameterError,
    NamedQuery,
    bind,
    get_named_query,
    named_queries,
)

from . import conneg
from .context import external_url
from .sparql import answer_query

logger = logging.getLogger(__name__)

bp = Blueprint("queries", __name__)

_RESERVED = frozenset({"format"})
_LIST_OFFERS = (conneg.JSON, conneg.HTML)
_QUERY_TEXT = conneg.Format("rq", "application/sparql-query", names=("sparql",))


def _describe(query: NamedQuery) -> dict[str, object]:
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "params": [
            {
                "name": p.name,
                "kind": p.kind,
                "required": p.required,
                "description": p.description,
            }
            for p in query.params
        ],
        "url": external_url("queries.run", name=query.name),
    }


@bp.route("/queries")
@bp.route("/queries/")
def index() -> ResponseReturnValue:
    """The named queries: JSON for programs, a page with forms for browsers."""
    fmt = conneg.negotiate(request.headers.get("Accept"), _LIST_OFFERS) or conneg.JSON
    listed = list(named_queries().values())
    if fmt.name == "html":
        return render_template("queries.html", queries=listed)
    response = jsonify({"queries": [_describe(q) for q in listed]})
    response.vary.add("Accept")
    return response


@bp.route("/queries/<name>")
def run(name: str) -> Response:
    """Run a named query with the parameters in the URL."""
    try:
        query = get_named_query(name)
    except QueryError as exc:
        raise NotFoundError(exc.message) from None
    values = {k: v for k, v in request.args.items(multi=False) if k not in _RESERVED}
    for key in values:
        if len(request.args.getlist(key)) > 1:
            raise QueryError(f"the parameter '{key}' is given more than once; send it once")
    # Empty form fields mean "not given" (an HTML form sends every field).
    values = {k: v for k, v in values.items() if v != ""}
    try:
        text = bind(query, values)
    except MissingParameterError as exc:
        raise exc.for_http() from None
    formats = tuple(request.args.getlist("format"))
    if "rq" in formats or (
        not formats
        and conneg.negotiate(request.headers.get("Accept"), (conneg.JSON, _QUERY_TEXT))
        is _QUERY_TEXT
    ):
        response = Response(text, mimetype=_QUERY_TEXT.media_type)
        response.vary.add("Accept")
        return response
    return answer_query(text, formats=formats, title=query.title)
