"""The one place where a client's SPARQL query is evaluated.

``execute(kb, job)`` takes a plain, picklable ``QueryJob`` and returns a plain, picklable
``QueryOutcome`` (the serialised body and a few numbers), and does not touch Flask. That
is deliberate: real wall-clock limits need a process that can be killed mid-query
(Oxigraph cannot be interrupted from Python), so server.pool runs this function in
killable query processes and enforces the limit there.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import pyoxigraph as ox

from kb.errors import ResultTooLargeError, StoreError
from kb.results import (
    FLAGGING_FORMATS,
    Cut,
    take,
    take_solutions,
    write_boolean,
    write_graph,
    write_select,
)
from kb.sparql_guard import check_query, syntax_error
from kb.store import KnowledgeBase
from kb.vocab import PREFIXES

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueryJob:
    """What to run and how to write the answer."""

    sparql: str
    result_format: str  # for SELECT/ASK: a kb.results.RESULT_FORMATS name
    graph_format: str  # for CONSTRUCT/DESCRIBE: a kb.results.GRAPH_FORMATS name
    max_rows: int
    service_allowlist: tuple[str, ...] = ()
    default_graphs: tuple[str, ...] = ()  # SPARQL Protocol default-graph-uri
    named_graphs: tuple[str, ...] = ()  # SPARQL Protocol named-graph-uri
    union_default_graph: bool = True  # without default-graph-uri: the union of all graphs
    base_iri: str | None = None  # resolves relative IRIs in the query (the service's base)
    # An answer cut at max_rows in a format that cannot say so (CSV, TSV, RDF graphs) is
    # refused (E410) rather than sent silently partial; pages that show the cut say False.
    refuse_silent_cut: bool = True


def _limit_link(job: QueryJob) -> str:
    """Where a cut answer's ``link`` points: the service description, which states the limit."""
    return (job.base_iri or "").rstrip("/") + "/sparql#row-limit"


def _refuse_silent_cut(job: QueryJob, unit: str) -> None:
    if job.refuse_silent_cut:
        raise ResultTooLargeError(
            f"the answer has more than {job.max_rows} {unit} (SRKB_MAX_ROWS), and this format "
            "cannot say that it was cut; add LIMIT (and OFFSET to page through it), ask for "
            "SPARQL JSON or XML results, which mark a cut answer, or take the whole knowledge "
            "base from /dumps/"
        )


@dataclass(frozen=True)
class QueryOutcome:
    """A serialised answer."""

    body: bytes
    kind: str  # "results" (SELECT/ASK) or "graph" (CONSTRUCT/DESCRIBE)
    format: str
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    rows: int  # solutions or triples written (1 for ASK)
    truncated: bool
    elapsed_s: float
    cpu_s: float = 0.0  # CPU time the evaluation took (server.admission learns costs from it)


def execute(kb: KnowledgeBase, job: QueryJob) -> QueryOutcome:
    """Guard, evaluate and serialise one query, writing at most ``job.max_rows`` rows.

    Raises:
        QueryError: malformed query (the parser's message), or a format that cannot be
            written.
        QueryForbiddenError: an update, or SERVICE to a target not on the allowlist.
        StoreError: the store failed while evaluating.
    """
    # The guard sits right before evaluation so that no path can skip it (Oxigraph would
    # follow SERVICE to the network), and inside the query process, so that its own work
    # on a large query counts against the time limit.
    started, cpu_started = time.perf_counter(), time.process_time()
    parsed = check_query(job.sparql, service_allowlist=job.service_allowlist)
    form = parsed.form
    options: dict[str, object] = {}
    if job.base_iri:
        options["base_iri"] = job.base_iri
    if job.default_graphs or job.named_graphs:
        # The protocol's dataset replaces the query's FROM / FROM NAMED as a whole: a
        # request with only named-graph-uri has an empty default graph, and vice versa.
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    elif job.union_default_graph and not parsed.has_dataset_clause:
        # No dataset given anywhere: srkb's default graph is the union of all graphs.
        options["use_default_graph_as_union"] = True
    try:
        result = kb.query(job.sparql, **options)
        if isinstance(result, ox.QueryBoolean):
            body = write_boolean(bool(result), job.result_format)
            kind, fmt, rows, truncated = "results", job.result_format, 1, False
        elif isinstance(result, ox.QuerySolutions):
            variables, taken, truncated = take_solutions(result, job.max_rows)
            if truncated and job.result_format not in FLAGGING_FORMATS:
                _refuse_silent_cut(job, "rows")
            cut = Cut(job.max_rows, truncated, _limit_link(job))
            body = write_select(variables, taken, job.result_format, cut)
            kind, fmt, rows = "results", job.result_format, len(taken)
        else:
            triples, truncated = take(result, job.max_rows)
            if truncated:
                _refuse_silent_cut(job, "triples")
            triples.sort(key=str)  # grouped by subject, and the same bytes every time
            body = write_graph(triples, job.graph_format, prefixes=PREFIXES)
            kind, fmt, rows = "graph", job.graph_format, len(triples)
    except SyntaxError as exc:
        raise syntax_error(str(exc)) from exc
    except OSError as exc:
        # Oxigraph reports store failures (and failed SERVICE calls) as OSError.
        raise StoreError(f"the query could not be evaluated: {exc}") from exc
    elapsed = time.perf_counter() - started
    logger.info(
        "%s query: %d rows%s in %.3fs", form, rows, " (truncated)" if truncated else "", elapsed
    )
    cpu = time.process_time() - cpu_started
    return QueryOutcome(body, kind, fmt, form, rows, truncated, elapsed, cpu)
