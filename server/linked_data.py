"""Blueprint "linked_data": the knowledge base's IRIs dereference on the server.

Every data IRI is minted under ``SRKB_BASE_IRI`` (kb.iri): ``entity/KEY``, ``text/ID``,
``text/ID/article``, ``text/ID/comment/N``, ``claim/H``, ``judgement/H``,
``rating/source/H``, ``rating/credibility/H``, ``rating/reliability/H``, ``activity/...``,
``software/...``, ``model/...`` and the named graphs ``graph/...``. A GET of such a path
answers with a description of the resource: RDF by Accept (Turtle by default, JSON-LD,
N-Triples, RDF/XML) or an HTML page for browsers; ``?format=`` overrides Accept.

The description is a concise bounded description plus what makes it readable:

* every triple whose subject is the resource (in any graph),
* the triples about the text spans it points to (``text/ID#char=B,E``: hash IRIs, so
  they cannot be dereferenced on their own),
* at most ``INCOMING_LIMIT`` triples pointing at it (its rating, the claims that cite a
  document, ...),
* the labels (``skos:prefLabel``, ``rdfs:label``) of every resource and property linked.

A source text (``text/ID``) is described by its document structure instead: its own
triples, its article and comments with their offsets and authors, the extraction run
that read it; its full string (``nif:isString``) only when shorter than
``LONG_TEXT_CHARS`` characters (the graph ``graph/text/ID`` has it always). A named graph
IRI answers with the graph itself, capped at ``SRKB_MAX_ROWS`` like every answer.

The request's path is mapped onto the base IRI whatever host it came to, so srkb behind a
proxy (or reached as localhost) serves the IRIs of its data: ``GET /entity/sdf`` on any
host describes ``<BASE/entity/sdf>``.

Browsers get the rich pages of server.lookup for actors and sources (``entity/KEY``,
``text/ID/unnamed/SLUG``), claims and documents (``text/ID/article``,
``text/ID/comment/N``), and a generic page (``templates/resource/``) for the other kinds.
``PATH.ttl`` and ``PATH.json`` are every page's twins: the Turtle description, and the
JSON of the page's view (kb.views) or, for the kinds without a rich page, the JSON-LD
description.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, url_for

from kb.errors import InputError, NotFoundError
from kb.vocab import PREFIXES
from ontology import NAMESPACE

from . import conneg
from .context import get_kb, get_runner, get_settings
from .errors import json_error
from .execute import QueryJob
from .sparql import add_result_headers, answer_query, choose_format

logger = logging.getLogger(__name__)

bp = Blueprint("linked_data", __name__)

RESOURCE_KINDS = ("entity", "text", "claim", "judgement", "rating", "activity", "software", "model")
INCOMING_LIMIT = 500
LONG_TEXT_CHARS = 2000

_RDFS_LABEL = PREFIXES["rdfs"] + "label"
_SKOS_PREF = PREFIXES["skos"] + "prefLabel"
_RDF_TYPE = PREFIXES["rdf"] + "type"
_NIF_IS_STRING = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString"
_P = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
_P += "PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>\n"

# Labels of whatever ?o is bound to, from any graph.
_LABELS_OF = """GRAPH ?lg_{v} {{ ?{v} ?lp_{v} ?l_{v} }}
      FILTER (?lp_{v} IN (skos:prefLabel, rdfs:label))"""


def describe_query(node: ox.NamedNode) -> str:
    """CONSTRUCT the description of an entity, claim, document, rating, run, ..."""
    return (
        _P
        + f"""CONSTRUCT {{
  {node} ?p ?o . ?o ?lp_o ?l_o . ?p ?lp_p ?l_p .
  ?o ?sp ?so .
  ?in ?ip {node} . ?in ?lp_in ?l_in .
}} WHERE {{
  {{ GRAPH ?g {{ {node} ?p ?o }} }}
  UNION {{ GRAPH ?g {{ {node} ?p ?o }} {_LABELS_OF.format(v="o")} }}
  UNION {{ GRAPH ?g {{ {node} ?p ?o }} {_LABELS_OF.format(v="p")} }}
  UNION {{ GRAPH ?g {{ {node} ?p ?o }} FILTER (isIRI(?o) && CONTAINS(STR(?o), "#char="))
           GRAPH ?sg {{ ?o ?sp ?so }} }}
  UNION {{ {{ SELECT DISTINCT ?in ?ip WHERE {{ GRAPH ?ig {{ ?in ?ip {node} }} }}
             ORDER BY ?in ?ip LIMIT {INCOMING_LIMIT} }}
           OPTIONAL {{ {_LABELS_OF.format(v="in")} }} }}
}}"""
    )


def describe_text_query(node: ox.NamedNode) -> str:
    """CONSTRUCT a source text's description: its documents, not its whole string."""
    return (
        _P
        + f"""CONSTRUCT {{
  {node} ?p ?o . ?o ?lp_o ?l_o . ?p ?lp_p ?l_p .
  ?doc ?dp ?do . ?dp ?lp_dp ?l_dp .
  ?act prov:used {node} . ?act ?lp_act ?l_act .
}} WHERE {{
  {{ GRAPH ?g {{ {node} ?p ?o }}
     FILTER (?p != nif:isString || STRLEN(STR(?o)) < {LONG_TEXT_CHARS})
     OPTIONAL {{ {_LABELS_OF.format(v="o")} }}
     OPTIONAL {{ {_LABELS_OF.format(v="p")} }} }}
  UNION {{ GRAPH ?g {{ ?doc srkb:inSourceText {node} ; ?dp ?do }} }}
  UNION {{ GRAPH ?g {{ ?doc srkb:inSourceText {node} ; ?dp ?do }} {_LABELS_OF.format(v="dp")} }}
  UNION {{ GRAPH ?g {{ ?act prov:used {node} }} OPTIONAL {{ {_LABELS_OF.format(v="act")} }} }}
}}"""
    )


def resource_iri(path: str) -> str:
    """The data IRI a request path denotes: the path below the app, on the base IRI."""
    return get_settings().base_iri + path.lstrip("/")


def local_href(iri: str) -> str | None:
    """Where this server shows an IRI: its own path for data IRIs and ontology terms, the
    IRI for other http(s) IRIs, nothing for other schemes (never a javascript: link)."""
    base = get_settings().base_iri
    if iri.startswith(base):
        return request.script_root + "/" + iri[len(base) :]
    if iri.startswith(NAMESPACE) and len(iri) > len(NAMESPACE):
        # The ontology's terms are documented on this server, whatever w3id says.
        return url_for("ontology.namespace_document") + "#" + iri[len(NAMESPACE) :]
    if iri.startswith(("http://", "https://")):
        return iri
    return None


# --------------------------------------------------------------------------- views
def _node(iri: str) -> ox.NamedNode | None:
    try:
        return ox.NamedNode(iri)
    except ValueError:
        return None


def _exists(node: ox.NamedNode) -> bool:
    return get_kb().ask(f"ASK {{ GRAPH ?g {{ {node} ?p ?o }} }}")


@bp.route(f"/<any({', '.join(RESOURCE_KINDS)}):kind>/<path:rest>")
def resource(kind: str, rest: str) -> Response:
    """Describe the resource this path names (RDF by Accept, HTML for browsers).

    ``PATH.ttl`` and ``PATH.json`` are the page's machine-readable twins (when PATH
    itself is not a resource): the Turtle description, and the JSON of the page's view
    (server.lookup) or, for the kinds without a rich page, the JSON-LD description.
    """
    from . import lookup  # imported here: lookup links data IRIs with local_href

    twin = None
    node = _node(resource_iri(f"{kind}/{rest}"))
    if rest.endswith((".json", ".ttl")) and (node is None or not _exists(node)):
        rest, _, twin = rest.rpartition(".")
        node = _node(resource_iri(f"{kind}/{rest}"))
    iri = resource_iri(f"{kind}/{rest}")
    if node is None:
        raise NotFoundError(f"no resource {iri} (not a valid IRI)")
    if not _exists(node):
        if twin == "json":  # a JSON twin answers in JSON, whatever the Accept header says
            return json_error(404, "E404", f"the knowledge base says nothing about {iri}")
        raise NotFoundError(f"the knowledge base says nothing about {iri}")
    is_text = kind == "text" and "/" not in rest
    query = describe_text_query(node) if is_text else describe_query(node)
    try:
        list_page = lookup.list_page()
    except InputError as exc:
        if twin == "json":
            return json_error(400, exc.code, str(exc))
        raise
    if twin == "ttl":
        fmt = conneg.TURTLE
    elif twin == "json":
        page = lookup.load_view(kind, rest, iri, list_page)
        if page is not None:
            return lookup.json_twin(page)
        fmt = conneg.JSONLD
    else:
        fmt = choose_format(
            request.headers.get("Accept"),
            tuple(request.args.getlist("format")),
            conneg.GRAPH_OFFERS,
        )
    if fmt.name != "html":
        # A resource's description may be cut at the row limit (SRKB-Truncated says so):
        # it is a summary with links onwards, not an export.
        response = answer_query(query, formats=(fmt.name,), refuse_silent_cut=False)
        if twin is not None:
            response.vary.remove("Accept")
    else:
        page = lookup.load_view(kind, rest, iri, list_page)
        if page is not None:
            response = lookup.render_page(page, iri)
        else:
            response = _html_page(iri, query, is_text=is_text, text_id=rest if is_text else None)
    path = url_for("linked_data.resource", kind=kind, rest=rest)
    alternates = [(f"{path}.ttl", conneg.TURTLE.media_type)]
    if lookup.page_kind(kind, rest) is not None:
        alternates.append((f"{path}.json", "application/json"))
    alternates += [
        (url_for("linked_data.resource", kind=kind, rest=rest, format=f.name), f.media_type)
        for f in (conneg.JSONLD, conneg.NTRIPLES)
    ]
    response.headers["Link"] = ", ".join(
        f'<{href}>; rel="alternate"; type="{media_type}"' for href, media_type in alternates
    )
    return response


@bp.route("/graph/<path:rest>")
def named_graph(rest: str) -> Response:
    """A named graph's IRI answers with the graph (as the Graph Store read side does)."""
    iri = resource_iri(f"graph/{rest}")
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        raise NotFoundError(f"no graph {iri} (not a valid IRI)") from None
    if not get_kb().has_graph(iri):
        raise NotFoundError(f"this store has no graph {iri}")
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }}"
    return answer_query(
        query, formats=tuple(request.args.getlist("format")), title=f"Named graph {iri}"
    )


# --------------------------------------------------------------------------- HTML
@dataclass(frozen=True)
class Value:
    """One RDF term as the page shows it."""

    kind: str  # "iri", "literal", "bnode", "triple"
    text: str
    href: str | None = None
    label: str | None = None
    note: str | None = None


@dataclass
class Subject:
    """A subject with its properties, for a table on the page."""

    term: Value
    rows: list[tuple[Value, list[Value]]] = field(default_factory=list)


def _compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    if iri.startswith("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"):
        return "nif:" + iri.rsplit("#", 1)[1]
    return iri


def _labels(triples: list[ox.Triple]) -> dict[str, str]:
    labels: dict[str, tuple[int, str]] = {}
    for t in triples:
        p = t.predicate.value
        if p in (_SKOS_PREF, _RDFS_LABEL) and isinstance(t.object, ox.Literal):
            rank = 0 if p == _SKOS_PREF else 1
            rank = rank * 2 + (0 if t.object.language in (None, "en") else 1)
            if isinstance(t.subject, ox.Triple):
                continue  # a quoted triple has no label
            key = t.subject.value
            if key not in labels or (rank, t.object.value) < labels[key]:
                labels[key] = (rank, t.object.value)
    return {k: v for k, (_r, v) in labels.items()}


def _value(term: object, labels: dict[str, str]) -> Value:
    if isinstance(term, ox.NamedNode):
        return Value("iri", _compact(term.value), local_href(term.value), labels.get(term.value))
    if isinstance(term, ox.BlankNode):
        return Value("bnode", f"_:{term.value}")
    if isinstance(term, ox.Literal):
        note: str | None = term.language or _compact(term.datatype.value)
        if note == "xsd:string":
            note = None
        return Value("literal", term.value, note=note)
    return Value("triple", str(term))


def _rows(triples: list[ox.Triple], labels: dict[str, str]) -> list[tuple[Value, list[Value]]]:
    by_predicate: dict[str, list[ox.Triple]] = {}
    for t in triples:
        by_predicate.setdefault(t.predicate.value, []).append(t)
    order = sorted(by_predicate, key=lambda p: (p != _RDF_TYPE, _compact(p)))
    return [
        (
            _value(ox.NamedNode(p), labels),
            [
                _value(t.object, labels)
                for t in sorted(by_predicate[p], key=lambda t: str(t.object))
            ],
        )
        for p in order
    ]


def _html_page(iri: str, query: str, *, is_text: bool, text_id: str | None) -> Response:
    settings = get_settings()
    job = QueryJob(
        sparql=query,
        result_format="json",
        graph_format="ntriples",
        max_rows=settings.max_rows,
        service_allowlist=settings.service_targets,
        union_default_graph=settings.union_default_graph,
    )
    outcome = get_runner().run(job)
    triples = list(ox.parse(outcome.body, format=ox.RdfFormat.N_TRIPLES))
    labels = _labels(triples)
    about = [t for t in triples if t.subject.value == iri]
    incoming = sorted(
        (t for t in triples if isinstance(t.object, ox.NamedNode) and t.object.value == iri),
        key=str,
    )
    others: dict[str, tuple[object, list[ox.Triple]]] = {}
    for t in triples:
        if t.subject.value == iri or t.predicate.value in (_SKOS_PREF, _RDFS_LABEL):
            continue
        if isinstance(t.object, ox.NamedNode) and t.object.value == iri and not is_text:
            continue  # shown under "pointing here"
        others.setdefault(str(t.subject), (t.subject, []))[1].append(t)
    title = labels.get(iri) or iri.rsplit("/", 2)[-1]
    types = [_value(t.object, labels) for t in about if t.predicate.value == _RDF_TYPE]
    long_text = is_text and not any(t.predicate.value == _NIF_IS_STRING for t in about)
    graph_href = None
    if text_id is not None:
        graph_href = url_for("linked_data.named_graph", rest=f"text/{text_id}")
    body = render_template(
        "resource/page.html",
        iri=iri,
        title=title,
        types=types,
        main=Subject(_value(ox.NamedNode(iri), labels), _rows(about, labels)),
        incoming=[(_value(t.subject, labels), _value(t.predicate, labels)) for t in incoming]
        if not is_text
        else [],
        incoming_limit=INCOMING_LIMIT,
        others=[
            Subject(_value(term, labels), _rows(ts, labels))
            for _key, (term, ts) in sorted(others.items())
        ],
        long_text=long_text,
        long_text_chars=LONG_TEXT_CHARS,
        graph_href=graph_href,
        provenance_href=url_for(
            "queries.run", name="triple-provenance", subject=iri, format="html"
        ),
        actor_href=url_for("queries.run", name="actor-profile", actor=labels[iri], format="html")
        if iri.startswith(settings.base_iri + "entity/") and iri in labels
        else None,
        outcome=outcome,
        max_rows=settings.max_rows,
    )
    response = Response(body, mimetype="text/html")
    add_result_headers(response, outcome)
    response.vary.add("Accept")
    return response
