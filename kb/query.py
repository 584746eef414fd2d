"""Running SPARQL queries for the command line: on the local store or a remote endpoint.

The local path goes through the same guard as the HTTP endpoint (read-only, no SERVICE
to targets not allowed). Results print as an aligned table or in a standard format.
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox

from .config import Settings
from .errors import QueryError
from .sparql_guard import check_query, syntax_error
from .store import KnowledgeBase
from .store.reading import read_store

_RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def term_text(term: Any) -> str:
    """A readable form of an RDF term for tables: IRIs bare, literals by value."""
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def format_table(variables: list[str], rows: list[list[str]]) -> str:
    """An aligned plain-text table with a header and a row count."""
    if not variables:
        return f"({len(rows)} rows)\n"
    shown = [[cell.replace("\n", " ") for cell in row] for row in rows]
    widths = [min(60, max([len(v)] + [len(r[i]) for r in shown])) for i, v in enumerate(variables)]

    def line(cells: list[str]) -> str:
        parts = []
        for cell, w in zip(cells, widths, strict=True):
            cell = cell if len(cell) <= w else cell[: w - 1] + "…"
            parts.append(cell.ljust(w))
        return " | ".join(parts).rstrip()

    out = [line(variables), "-+-".join("-" * w for w in widths)]
    out += [line(r) for r in shown]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def run_local(kb: KnowledgeBase, sparql: str, settings: Settings) -> Any:
    """Check and run a query on an open store; SyntaxError becomes QueryError."""
    check_query(sparql, service_allowlist=settings.service_targets)
    try:
        return kb.query(sparql, use_default_graph_as_union=settings.union_default_graph)
    except SyntaxError as exc:
        raise syntax_error(str(exc)) from exc
    except OSError as exc:
        raise QueryError(f"query failed: {exc}") from exc


def _text(serialised: bytes | None) -> str:
    """pyoxigraph's serialize returns bytes when given no output file."""
    assert serialised is not None
    return serialised.decode()


def render_result(result: Any, fmt: str, columns: list[str] | None = None) -> str:
    """Serialise a pyoxigraph result in ``fmt`` (table or a standard format).

    ``columns`` picks and orders the variables of a SELECT shown as a table.
    """
    if columns and fmt != "table":
        raise QueryError("--columns only applies to the table format")
    if isinstance(result, ox.QueryBoolean):
        if fmt in _RESULT_FORMATS:
            return _text(result.serialize(format=_RESULT_FORMATS[fmt]))
        return "true\n" if bool(result) else "false\n"
    if isinstance(result, ox.QuerySolutions):
        if fmt in _RESULT_FORMATS:
            return _text(result.serialize(format=_RESULT_FORMATS[fmt]))
        if fmt != "table":
            raise QueryError(
                f"a SELECT result cannot be written as {fmt}; use table, json, xml, csv or tsv"
            )
        variables = [v.value for v in result.variables]
        if columns:
            unknown = [c for c in columns if c not in variables]
            if unknown:
                known = ", ".join(variables)
                raise QueryError(f"no column {', '.join(unknown)} in the result (columns: {known})")
            variables = columns
        rows = [[term_text(sol[v]) for v in variables] for sol in result]
        return format_table(variables, rows)
    graph_fmt = _GRAPH_FORMATS.get(fmt, ox.RdfFormat.TURTLE if fmt == "table" else None)
    if graph_fmt is None:
        raise QueryError(
            f"a graph result cannot be written as {fmt}; use turtle, ntriples or jsonld"
        )
    return result.serialize(format=graph_fmt).decode()


def query_local(settings: Settings, sparql: str, fmt: str, columns: list[str] | None = None) -> str:
    """The answer, rendered whole (run again if a writer beside it replaced a file it
    read: kb.store.reading)."""
    return read_store(
        settings, lambda kb: render_result(run_local(kb, sparql, settings), fmt, columns)
    )


def query_endpoint(url: str, sparql: str, fmt: str) -> str:
    """Ask a remote SPARQL endpoint through SPARQLWrapper, the reference client."""
    from SPARQLWrapper import CSV, JSON, JSONLD, N3, TSV, TURTLE, XML, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    wrapper = SPARQLWrapper(url)
    wrapper.setQuery(sparql)
    wrapper.setMethod("POST")
    chosen = {
        "json": JSON,
        "xml": XML,
        "csv": CSV,
        "tsv": TSV,
        "turtle": TURTLE,
        "ntriples": N3,
        "jsonld": JSONLD,
        "table": JSON,
    }[fmt]
    wrapper.setReturnFormat(chosen)
    try:
        response = wrapper.query()
        raw = response.response.read()
    except SPARQLWrapperException as exc:
        raise QueryError(f"{url}: {exc}") from exc
    except OSError as exc:
        raise QueryError(f"{url}: cannot reach the endpoint ({exc})") from exc
    if fmt != "table":
        return raw.decode("utf-8")
    try:
        doc = json.loads(raw)
    except ValueError:
        return raw.decode("utf-8")  # a CONSTRUCT answer: print the RDF as sent
    if "boolean" in doc:
        return "true\n" if doc["boolean"] else "false\n"
    variables = doc["head"]["vars"]
    rows = [[b.get(v, {}).get("value", "") for v in variables] for b in doc["results"]["bindings"]]
    return format_table(variables, rows)
