"""Blueprint "pages": the home page (what is loaded, example queries, a query form) and /healthz.

The served store is a snapshot that does not change while the app runs, so the summary
is computed once per app and kept in the app's cache.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Blueprint, jsonify, render_template
from flask.typing import ResponseReturnValue

from kb.store import KnowledgeBase

from .context import app_cache, get_kb, get_settings
from .examples import EXAMPLES

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
    """Count texts, documents, facts and entities, and list the extractor versions."""
    counts = []
    for label, body in _COUNTS:
        rows = list(kb.query(_PREFIXES + body))
        counts.append((label, int(rows[0]["n"].value) if rows and rows[0]["n"] else 0))
    versions = tuple(sol["v"].value for sol in kb.query(_PREFIXES + _VERSIONS))
    return StoreSummary(kb.quad_count(), tuple(counts), versions)


def store_summary() -> StoreSummary:
    """The summary of the app's store, computed on first use."""
    cache = app_cache()
    summary = cache.get("summary")
    if not isinstance(summary, StoreSummary):
        summary = summarise(get_kb())
        cache["summary"] = summary
    return summary


@bp.route("/")
def index() -> ResponseReturnValue:
    settings = get_settings()
    return render_template(
        "index.html",
        summary=store_summary(),
        examples=EXAMPLES,
        max_rows=settings.max_rows,
        query=EXAMPLES[0].sparql,
    )


@bp.route("/healthz")
def healthz() -> ResponseReturnValue:
    """Liveness for load balancers and the test harness: the store answers and its size."""
    return jsonify({"ok": True, "quads": store_summary().quads})
