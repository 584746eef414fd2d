"""Blueprint "sparql": the read-only SPARQL 1.1 Protocol endpoint, and the read side of
the Graph Store Protocol.

Accepted query requests (https://www.w3.org/TR/sparql11-protocol/#query-operation), at
``/sparql`` and ``/sparql/``:

* ``GET /sparql?query=...`` (no body)
* ``POST /sparql`` with ``application/x-www-form-urlencoded`` body ``query=...``
* ``POST /sparql`` with an ``application/sparql-query`` body (the query itself, UTF-8)

``default-graph-uri`` and ``named-graph-uri`` select the dataset as the protocol says
(over FROM / FROM NAMED in the query). Relative IRIs in a query resolve against the base
IRI (the service-defined BASE the protocol allows), so ``DESCRIBE <entity/sdf>`` works.
The answer's format follows the Accept header (see server.conneg); a ``format``
parameter (json, xml, csv, tsv, html, turtle, ntriples, jsonld, ...) overrides it for
links and forms. A repeated ``query``, a body of another
media type, a charset other than UTF-8 or an empty query is a 400 with a message. Updates
are refused whichever way they are sent (403): ``/update`` explains why there is none.
Every answer carries ``SRKB-Rows``, ``SRKB-Row-Limit`` and ``SRKB-Truncated`` (true when
rows were left out), and, like every response, ``SRKB-Release`` (server.hooks).
GET without a query returns a SPARQL Service Description with VoID figures of what is
loaded (Turtle and the other RDF formats, or an HTML form for browsers).

``GET /graph-store?graph=IRI`` and ``GET /graph-store?default`` return one graph
(https://www.w3.org/TR/sparql11-http-rdf-update/#http-get), capped like query answers.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from kb.errors import NotAcceptableError, NotFoundError, QueryError, QueryForbiddenError
from kb.release import void_triples
from kb.vocab import PREFIXES, SD, VOID

from . import conneg
from .context import external_url, get_kb, get_release, get_runner, get_settings
from .examples import named_examples
from .execute import QueryJob, QueryOutcome

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


def _unsupported_body(mimetype: str | None) -> QueryError:
    sent = f"as {mimetype}" if mimetype else "without a Content-Type"
    return QueryError(
        f"a query body was sent {sent}: POST it as {FORM_TYPE} (query=...) or as "
        f"{QUERY_TYPE} (the query itself, UTF-8)"
    )


def read_sparql_request() -> SparqlRequest:
    """Read the protocol parameters; refuse updates, unknown body types and oversized requests.

    Raises:
        QueryError: a parameter is repeated or invalid, a body of another media type or
            charset, a GET with a body.
        QueryForbiddenError: the request is a SPARQL Update.
        RequestEntityTooLarge: the request is larger than max_request_bytes.
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
        if request.content_length:
            raise QueryError("a GET query request has no body: send the query in ?query=")
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
        charset = request.mimetype_params.get("charset", "utf-8").strip().lower()
        if charset not in ("utf-8", "utf8"):
            raise QueryError(
                f"UTF-8 is the only charset of {QUERY_TYPE} (SPARQL 1.1 Protocol 2.1.3), "
                f"not {charset}"
            )
        try:
            query = request.get_data().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise QueryError(f"the query body is not valid UTF-8 text: {exc}") from exc
    elif request.mimetype == UPDATE_TYPE:
        raise _refuse_update()
    else:
        raise _unsupported_body(request.mimetype)
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


@bp.route("/sparql/", methods=["GET", "POST"])  # registered second: URLs use /sparql
@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response | str:
    """Answer a SPARQL query, or describe the service when there is none."""
    req = read_sparql_request()
    if req.query is None:
        return service_description(req.formats)
    return answer_query(
        req.query,
        default_graphs=req.default_graphs,
        named_graphs=req.named_graphs,
        formats=req.formats,
    )


def answer_query(
    query: str,
    *,
    default_graphs: tuple[str, ...] = (),
    named_graphs: tuple[str, ...] = (),
    formats: tuple[str, ...] = (),
    title: str = "Query result",
    refuse_silent_cut: bool = True,
) -> Response:
    """Guard, run (in the app's query runner) and answer one query, negotiated by Accept.

    The one path every client query takes: /sparql, /queries/NAME, the Linked Data pages
    and the Graph Store read side all come through here.
    """
    settings = get_settings()
    # The query is parsed and guarded in the query process (server.execute), within the
    # time limit; until then its form is unknown, so both kinds of answer are negotiated.
    accept = request.headers.get("Accept")
    results_fmt = _acceptable(accept, formats, conneg.RESULT_OFFERS)
    graph_fmt = _acceptable(accept, formats, conneg.GRAPH_OFFERS)
    if results_fmt is None and graph_fmt is None:
        choose_format(accept, formats, conneg.RESULT_OFFERS)  # raises NotAcceptableError
    job = QueryJob(
        sparql=query,
        result_format=_job_format(results_fmt, "json"),
        graph_format=_job_format(graph_fmt, "turtle"),
        max_rows=settings.max_rows,
        service_allowlist=settings.service_targets,
        default_graphs=default_graphs,
        named_graphs=named_graphs,
        union_default_graph=settings.union_default_graph,
        base_iri=settings.base_iri,
        # An HTML page shows a cut answer as cut: nothing to refuse there.
        refuse_silent_cut=refuse_silent_cut and not _wants_html(results_fmt, graph_fmt),
    )
    outcome = get_runner().run(job)
    offers = conneg.GRAPH_OFFERS if outcome.kind == "graph" else conneg.RESULT_OFFERS
    fmt = choose_format(accept, formats, offers)
    if fmt.name == "html":
        body = _render_html_result(query, outcome, title=title)
        response = Response(body, mimetype="text/html")
    else:
        response = Response(outcome.body, mimetype=fmt.media_type)
    add_result_headers(response, outcome)
    response.vary.add("Accept")
    return response


def _acceptable(
    accept: str | None, names: tuple[str, ...], offers: tuple[conneg.Format, ...]
) -> conneg.Format | None:
    try:
        return choose_format(accept, names, offers)
    except NotAcceptableError:
        return None


def _wants_html(*fmts: conneg.Format | None) -> bool:
    return any(f is not None and f.name == "html" for f in fmts)


def _job_format(fmt: conneg.Format | None, fallback: str) -> str:
    """The serialisation the query process writes: HTML pages are built from JSON/Turtle."""
    return fallback if fmt is None or fmt.name == "html" else fmt.name


def add_result_headers(response: Response, outcome: QueryOutcome) -> None:
    """SRKB-Rows, SRKB-Row-Limit and SRKB-Truncated: how much of the answer was sent."""
    response.headers["SRKB-Row-Limit"] = str(get_settings().max_rows)
    response.headers["SRKB-Truncated"] = "true" if outcome.truncated else "false"
    response.headers["SRKB-Rows"] = str(outcome.rows)


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


def _render_html_result(query: str, outcome: QueryOutcome, *, title: str) -> str:
    settings = get_settings()
    context: dict[str, Any] = {
        "title": title,
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
def _sd_triples(endpoint_url: str) -> list[ox.Triple]:
    """The service description: the service, its dataset (VoID figures) and its graphs."""
    settings = get_settings()
    release = get_release()
    service = ox.BlankNode("service")
    dataset = ox.NamedNode(settings.base_iri)
    default_graph = ox.BlankNode("defaultGraph")
    rdf_type = ox.NamedNode(PREFIXES["rdf"] + "type")

    def iri(value: str) -> ox.NamedNode:
        return ox.NamedNode(value)

    def integer(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=iri(PREFIXES["xsd"] + "integer"))

    out = [
        ox.Triple(service, rdf_type, iri(SD.Service)),
        ox.Triple(service, iri(SD.endpoint), iri(endpoint_url)),
        ox.Triple(service, iri(SD.supportedLanguage), iri(SD.SPARQL11Query)),
        ox.Triple(service, iri(SD.defaultDataset), dataset),
        ox.Triple(
            service,
            iri(PREFIXES["dcterms"] + "description"),
            ox.Literal(
                "srkb source-reliability knowledge base: read-only SPARQL 1.1 query "
                f"endpoint. At most {settings.max_rows} rows per response (SRKB-Truncated "
                f"header); each query may run {settings.query_timeout_s:g} s; requests up "
                f"to {settings.max_request_bytes} bytes. Each source text's facts are in "
                "their own named graph: query with GRAPH ?g { ... }. SRKB-Release names the "
                "exact data an answer came from (dumps under /dumps/)."
            ),
        ),
        ox.Triple(dataset, rdf_type, iri(SD.Dataset)),
        ox.Triple(dataset, iri(SD.defaultGraph), default_graph),
        ox.Triple(default_graph, rdf_type, iri(SD.Graph)),
        ox.Triple(
            default_graph,
            iri(VOID.triples),
            integer(release.triples if settings.union_default_graph else 0),
        ),
    ]
    for name in _SD_FORMATS:
        out.append(ox.Triple(service, iri(SD.resultFormat), iri(_FORMATS_NS + name)))
    if settings.union_default_graph:
        out.append(ox.Triple(service, iri(SD.feature), iri(SD.UnionDefaultGraph)))
    if settings.service_targets:
        out.append(ox.Triple(service, iri(SD.feature), iri(SD.BasicFederatedQuery)))
    for graph, quads in release.graphs:
        named = ox.BlankNode(f"g{len(out)}")
        described = ox.BlankNode(f"d{len(out)}")
        out += [
            ox.Triple(dataset, iri(SD.namedGraph), named),
            ox.Triple(named, rdf_type, iri(SD.NamedGraph)),
            ox.Triple(named, iri(SD.name), iri(graph)),
            ox.Triple(named, iri(SD.graph), described),
            ox.Triple(described, rdf_type, iri(SD.Graph)),
            ox.Triple(described, iri(VOID.triples), integer(quads)),
        ]
    return out + void_triples(release, settings.base_iri)


def service_description(formats: tuple[str, ...] = ()) -> Response | str:
    """SPARQL 1.1 Service Description with VoID figures, or the query form for a browser."""
    fmt = choose_format(request.headers.get("Accept"), formats, conneg.DESCRIPTION_OFFERS)
    settings = get_settings()
    if fmt.name == "html":
        return render_template(
            "sparql_form.html", examples=named_examples(), max_rows=settings.max_rows, query=""
        )
    triples = _sd_triples(external_url("sparql.endpoint"))
    prefixes = {"sd": str(SD), "void": str(VOID)}
    prefixes.update({p: PREFIXES[p] for p in ("dcterms", "xsd", "owl", "prov", "schema")})
    body = _serialize_graph(triples, fmt.name, prefixes)
    response = Response(body, mimetype=fmt.media_type)
    response.vary.add("Accept")
    return response


def _serialize_graph(triples: list[ox.Triple], fmt: str, prefixes: dict[str, str]) -> bytes:
    from kb.results import write_graph

    return write_graph(triples, fmt, prefixes=prefixes)


# --------------------------------------------------------------------------- no updates
@bp.route("/update", methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
def update() -> Response:
    """There is no SPARQL Update here; say why (see the README's "Updates" section)."""
    raise QueryForbiddenError(
        "SPARQL Update is switched off on srkb: every fact is derived from an ingested text "
        "and carries its provenance, and the ratings are computed from them, so arbitrary "
        "updates would leave facts without provenance and grades out of date. Change the "
        "knowledge base with `srkb ingest` and `srkb remove`, then restart `srkb serve`."
    )


# --------------------------------------------------------------------------- graph store
@bp.route("/graph-store", methods=["GET"])
def graph_store() -> Response:
    """Graph Store Protocol, read side: ``?graph=IRI`` (one named graph) or ``?default``."""
    graph_iris = request.args.getlist("graph")
    default = "default" in request.args
    if default == bool(graph_iris) or len(graph_iris) > 1:
        raise QueryError("give exactly one of ?graph=IRI or ?default")
    if default:
        # The query's default graph: the union of the named graphs unless
        # SRKB_UNION_DEFAULT_GRAPH is off (then the store's own, empty, default graph).
        query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
        return answer_query(
            query, formats=tuple(request.args.getlist("format")), title="The default graph"
        )
    (graph,) = graph_iris
    try:
        node = ox.NamedNode(graph)
    except ValueError as exc:
        raise QueryError(f"graph {graph!r} is not an absolute IRI: {exc}") from exc
    if not get_kb().has_graph(graph):
        raise NotFoundError(f"this store has no graph {graph}")
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }}"
    return answer_query(
        query, formats=tuple(request.args.getlist("format")), title=f"Graph {graph}"
    )
