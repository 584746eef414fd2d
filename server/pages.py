"""Blueprint "pages": the home page (what is loaded, example queries, a query form) and /healthz.

The served store is a snapshot that does not change while the app runs, so the summary
is computed once per app and kept in the app's cache. The home page is also the
dataset's IRI (the base IRI, a void:Dataset in the meta graph): asked for RDF, it
answers with the release's VoID description.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Blueprint, Response, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from kb.release import void_triples
from kb.results import write_graph
from kb.store import KnowledgeBase
from kb.vocab import PREFIXES

from . import conneg
from .admission import admission_status
from .context import app_cache, get_kb, get_release, get_runner, get_settings
from .examples import named_examples

logger = logging.getLogger(__name__)

bp = Blueprint("pages", __name__)

_PREFIXES = """
PREFIX srkb: <https://w3id.org/srkb/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
"""

# Counts shown on the home page: (label, SPARQL returning ?n). These are fixed queries
# written here, not client input, so they go straight to the store.
_COUNTS: tuple[tuple[str, str], ...] = (
    ("texts", "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { GRAPH ?g { ?x a srkb:SourceText } }"),
    ("articles", "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { GRAPH ?g { ?x a srkb:Article } }"),
    (
        "reader comments",
        "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { GRAPH ?g { ?x a srkb:ReaderComment } }",
    ),
    ("claims", "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { GRAPH ?g { ?x a srkb:Claim } }"),
    (
        "source judgements",
        "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { GRAPH ?g { ?x a srkb:SourceJudgement } }",
    ),
    (
        "actors mentioned",
        """SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {
             GRAPH ?g { ?f srkb:refersTo|srkb:speaker|srkb:relayedBy|srkb:judgedSource ?x }
             GRAPH ?g2 { ?x a ?t } GRAPH ?o { ?t rdfs:subClassOf* srkb:Actor } }""",
    ),
    (
        "sources mentioned",
        """SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {
             GRAPH ?g { ?f srkb:refersTo|srkb:speaker|srkb:relayedBy|srkb:judgedSource ?x }
             GRAPH ?g2 { ?x a ?t } GRAPH ?o { ?t rdfs:subClassOf* srkb:Source } }""",
    ),
    (
        "named graphs",
        "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { } }",
    ),
)
_VERSIONS = """SELECT DISTINCT ?v WHERE {
  GRAPH ?g { ?sw a srkb:ExtractorSoftware ; schema:softwareVersion ?v } } ORDER BY ?v"""


@dataclass(frozen=True)
class StoreSummary:
    """What the served store holds."""

    quads: int
    counts: tuple[tuple[str, int], ...]
    extractor_versions: tuple[str, ...]


def summarise(kb: KnowledgeBase) -> StoreSummary:
    """Count texts, documents, facts and entities, and list the extractor versions
    (by queries over the whole store: for stores without a release)."""
    counts = []
    for label, body in _COUNTS:
        rows = list(kb.query(_PREFIXES + body))
        counts.append((label, int(rows[0]["n"].value) if rows and rows[0]["n"] else 0))
    versions = tuple(sol["v"].value for sol in kb.query(_PREFIXES + _VERSIONS))
    return StoreSummary(kb.quad_count(), tuple(counts), versions)


def store_summary() -> StoreSummary:
    """The summary of the app's store: the figures of its release (kept by every write,
    kb.content), so the home page costs nothing whatever the store's size."""
    cache = app_cache()
    summary = cache.get("summary")
    if not isinstance(summary, StoreSummary):
        release = get_release()
        if release.counts:
            summary = StoreSummary(release.quads, release.counts, release.extractor_versions)
        else:
            summary = summarise(get_kb())
        cache["summary"] = summary
    return summary


_INDEX_OFFERS = (conneg.HTML, conneg.TURTLE, conneg.JSONLD, conneg.NTRIPLES, conneg.RDFXML)


@bp.route("/")
def index() -> ResponseReturnValue:
    settings = get_settings()
    fmt = conneg.negotiate(request.headers.get("Accept"), _INDEX_OFFERS) or conneg.HTML
    if fmt.name != "html":
        triples = void_triples(get_release(), settings.base_iri)
        response = Response(
            write_graph(triples, fmt.name, prefixes=PREFIXES), mimetype=fmt.media_type
        )
        response.vary.add("Accept")
        return response
    response = Response(
        render_template(
            "index.html",
            summary=store_summary(),
            release=get_release(),
            examples=named_examples(),
            max_rows=settings.max_rows,
            query=named_examples()[0].sparql,
        ),
        mimetype="text/html",
    )
    response.vary.add("Accept")
    return response


@bp.route("/healthz")
def healthz() -> ResponseReturnValue:
    """Liveness for load balancers: the store answers, and query processes are ready.

    503 while no query process of this worker is ready (starting, or all restarting).
    """
    queries = get_runner().status()
    ok = queries["mode"] == "inline" or queries["ready"] > 0
    body = {"ok": ok, "quads": get_kb().quad_count(), "release": get_release().id}
    body["queries"] = queries
    turns = admission_status()
    if turns is not None:
        body["requests"] = turns
    return jsonify(body), 200 if ok else 503
