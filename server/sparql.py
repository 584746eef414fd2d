"""Blueprint "sparql": the read-only SPARQL 1.1 Protocol query endpoint at /sparql.

Accepted requests (https://www.w3.org/TR/sparql11-protocol/#query-operation):

* ``GET /sparql?query=...``
* ``POST /sparql`` with ``application/x-www-form-urlencoded`` body ``query=...``
* ``POST /sparql`` with an ``application/sparql-query`` body (the query itself)

``default-graph-uri`` and ``named-graph-uri`` select the dataset as the protocol says.
The answer's format follows the Accept header (see server.conneg); a ``format``
parameter (json, xml, csv, tsv, html, turtle, ntriples, jsonld, ...) overrides it for
links and forms. Updates are refused whichever way they are sent. Every response carries
``SRKB-Row-Limit`` and ``SRKB-Truncated`` (true when rows were left out).
GET without a query returns a service description (Turtle, or an HTML form).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, url_for
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge, UnsupportedMediaType

from kb.errors import NotAcceptableError, QueryError, QueryForbiddenError
from kb.sparql_guard import check_query
from kb.vocab import PREFIXES, SD, VOID

from . import conneg
from .context import get_kb, get_settings
from .examples import EXAMPLES
from .execute import QueryJob, QueryOutcome, execute
from .pages import store_summary

logger = logging.getLogger(__name__)

bp = Blueprint("sparql", __name__)

FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
_FORMATS_NS = "http://www.w3.org/ns/formats/"
_SD_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "N-Quads",
    "TriG",
    "RDF_XML",
)


@dataclass(frozen=True)
class SparqlRequest:
    """The protocol parameters of one request, however they were sent."""

    query: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    formats: tuple[str, ...]  # values of ?format=, in order


def _refuse_update() -> QueryForbiddenError:
    return QueryForbiddenError(
        "this endpoint is read-only: SPARQL Update requests are not accepted "
        "(send a SELECT, ASK, CONSTRUCT or DESCRIBE query in 'query')"
    )


def _single(params: MultiDict[str, str], name: str) -> str | None:
    values = params.getlist(name)
    if len(values) > 1:
        raise QueryError(f"the '{name}' parameter is given {len(values)} times; send it once")
    return values[0] if values else None


def _graph_iris(params: MultiDict[str, str], name: str) -> tuple[str, ...]:
    iris = []
    for value in params.getlist(name):
        try:
            ox.NamedNode(value)
        except ValueError as exc:
            raise QueryError(f"{name} {value!r} is not an absolute IRI: {exc}") from exc
        iris.append(value)
    return tuple(iris)


def read_sparql_request() -> SparqlRequest:
    """Read the protocol parameters; refuse updates, unknown body types and oversized requests.

    Raises:
        QueryError: a parameter is repeated or invalid, or the body is not UTF-8.
        QueryForbiddenError: the request is a SPARQL Update.
        RequestEntityTooLarge: the request is larger than max_request_bytes.
        UnsupportedMediaType: a POST body that is neither form nor sparql-query.
    """
    limit = get_settings().max_request_bytes
    if len(request.query_string) > limit or (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()
    if request.method == "POST" and request.content_length is None:
        # A chunked body: Werkzeug stops reading at MAX_CONTENT_LENGTH without an error,
        # which would evaluate a silently truncated query. Read it (cached, so the form
        # parser reuses it) and refuse it if it reached the limit.
        if len(request.get_data(cache=True)) >= limit:
            raise RequestEntityTooLarge()
    url_params = request.args
    if "update" in url_params:
        raise _refuse_update()
    if request.method == "GET":
        params: MultiDict[str, str] = url_params
        query = _single(params, "query")
    elif request.mimetype == FORM_TYPE:
        if "update" in request.form:
            raise _refuse_update()
        if "query" in url_params:
            raise QueryError("send the query either in the URL or in the form body, not both")
        params = MultiDict(url_params)
        params.update(request.form)
        query = _single(request.form, "query")
        if query is None:
            raise QueryError("the form body has no 'query' field")
    elif request.mimetype == QUERY_TYPE:
        if "query" in url_params:
            raise QueryError(
                "an application/sparql-query body is the query; do not also send ?query="
            )
        params = url_params
        charset = request.mimetype_params.get("charset", "utf-8")
        try:
            query = request.get_data().decode(charset)
        except (UnicodeDecodeError, LookupError) as exc:
            raise QueryError(f"the query body is not valid {charset} text: {exc}") from exc
    elif request.mimetype == UPDATE_TYPE:
        raise _refuse_update()
    else:
        raise UnsupportedMediaType(
            f"POST a query as {FORM_TYPE} (query=...) or as {QUERY_TYPE}, "
            f"not as {request.mimetype or 'a body without Content-Type'}"
        )
    return SparqlRequest(
        query=query,
        default_graphs=_graph_iris(params, "default-graph-uri"),
        named_graphs=_graph_iris(params, "named-graph-uri"),
        formats=tuple(params.getlist("format")),
    )


def choose_format(
    accept: str | None, names: tuple[str, ...], offers: tuple[conneg.Format, ...]
) -> conneg.Format:
    """A ?format= value this kind of result has wins; else the Accept header decides.

    Raises:
        NotAcceptableError: nothing the client accepts can carry this kind of result.
    """
    for name in names:
        chosen = conneg.by_name(name, offers)
        if chosen is not None:
            return chosen
    chosen = conneg.negotiate(accept, offers)
    if chosen is None:
        available = ", ".join(f.media_type for f in offers)
        raise NotAcceptableError(
            f"cannot answer in any format the Accept header allows ({accept}); "
            f"this result can be sent as {available}"
        )
    return chosen


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response | str:
    """Answer a SPARQL query, or describe the service when there is none."""
    settings = get_settings()
    req = read_sparql_request()
    if req.query is None:
        return service_description()
    form = check_query(req.query, service_allowlist=settings.service_targets)
    graph = form in ("CONSTRUCT", "DESCRIBE")
    offers = conneg.GRAPH_OFFERS if graph else conneg.RESULT_OFFERS
    fmt = choose_format(request.headers.get("Accept"), req.formats, offers)
    html = fmt.name == "html"
    job = QueryJob(
        sparql=req.query,
        result_format="json" if html or graph else fmt.name,
        graph_format="turtle" if html or not graph else fmt.name,
        max_rows=settings.max_rows,
        service_allowlist=settings.service_targets,
        default_graphs=req.default_graphs,
        named_graphs=req.named_graphs,
        union_default_graph=settings.union_default_graph,
    )
    outcome = execute(get_kb(), job)
    if html:
        response = Response(_render_html_result(req.query, outcome), mimetype="text/html")
    else:
        response = Response(outcome.body, mimetype=fmt.media_type)
    response.headers["SRKB-Row-Limit"] = str(settings.max_rows)
    response.headers["SRKB-Truncated"] = "true" if outcome.truncated else "false"
    response.headers["SRKB-Rows"] = str(outcome.rows)
    response.vary.add("Accept")
    return response


# --------------------------------------------------------------------------- HTML results
def _cell(binding: dict[str, Any] | None) -> dict[str, str] | None:
    """A JSON results binding prepared for the template (which escapes everything)."""
    if binding is None:
        return None
    kind = binding["type"]
    value = binding["value"]
    if kind == "uri":
        return {"kind": "uri", "text": value, "href": _describe_href(value)}
    if kind == "bnode":
        return {"kind": "bnode", "text": f"_:{value}"}
    if kind == "triple":
        return {"kind": "triple", "text": json.dumps(value, ensure_ascii=False)}
    note = binding.get("xml:lang") or _compact(binding.get("datatype", ""))
    return {"kind": "literal", "text": value, "note": note}


def _compact(iri: str) -> str:
    """xsd:integer rather than the full datatype IRI, for the HTML table."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _describe_href(iri: str) -> str | None:
    """A link that lists what the store says about an http(s) IRI (never other schemes)."""
    if not iri.startswith(("http://", "https://")):
        return None
    query = f"SELECT ?g ?p ?o WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o }} }} ORDER BY ?g ?p"
    return url_for("sparql.endpoint", query=query)


def _render_html_result(query: str, outcome: QueryOutcome) -> str:
    settings = get_settings()
    context: dict[str, Any] = {
        "query": query,
        "outcome": outcome,
        "max_rows": settings.max_rows,
    }
    if outcome.kind == "graph":
        context["graph_text"] = outcome.body.decode("utf-8")
    else:
        doc = json.loads(outcome.body)
        if "boolean" in doc:
            context["boolean"] = doc["boolean"]
        else:
            variables = doc["head"]["vars"]
            context["variables"] = variables
            context["rows"] = [
                [_cell(b.get(v)) for v in variables] for b in doc["results"]["bindings"]
            ]
    return render_template("results.html", **context)


# --------------------------------------------------------------------------- description
def service_description() -> Response | str:
    """SPARQL 1.1 Service Description in Turtle, or the query form for a browser."""
    fmt = conneg.negotiate(request.headers.get("Accept"), conneg.DESCRIPTION_OFFERS)
    settings = get_settings()
    if fmt is not None and fmt.name == "html":
        return render_template(
            "sparql_form.html", examples=EXAMPLES, max_rows=settings.max_rows, query=""
        )
    endpoint_url = url_for("sparql.endpoint", _external=True)
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    service = BNode("service")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint_url)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in _SD_FORMATS:
        g.add((service, SD.resultFormat, URIRef(_FORMATS_NS + name)))
    g.add(
        (
            service,
            DCTERMS.description,
            Literal(
                "srkb source-reliability knowledge base: read-only SPARQL 1.1 query "
                f"endpoint. At most {settings.max_rows} rows per response (SRKB-Truncated "
                f"header); requests up to {settings.max_request_bytes} bytes. Each source "
                "text's facts are in their own named graph: query with GRAPH ?g { ... }."
            ),
        )
    )
    dataset = BNode("dataset")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, RDFS.label, Literal("srkb knowledge base")))
    g.add((dataset, VOID.triples, Literal(store_summary().quads)))
    g.add((dataset, VOID.sparqlEndpoint, URIRef(endpoint_url)))
    body = g.serialize(format="turtle")
    response = Response(body, mimetype=conneg.TURTLE.media_type)
    response.vary.add("Accept")
    return response
