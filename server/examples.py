"""The example queries: the named provenance queries with their documented example values.

One set, shown on the home page, on the query form and in the SPARQL editor, so what a
visitor tries is exactly what ``/queries`` serves and ``srkb query --named`` runs (the
queries themselves live in kb/queries/*.rq).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, cast

import pyoxigraph as ox
from flask import url_for

from kb.derived.entities import NAME_KEY
from kb.named_queries import NamedQuery, bind, named_queries
from kb.store import value

from .context import app_cache, get_kb, get_settings

_EXAMPLE_VALUE = re.compile(r'e\.g\. "([^"]+)"')
EXAMPLE_NAME_KEY = "reuters"  # the source an IRI parameter's example is


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    description: str
    sparql: str  # with the documented example values bound, ready to run
    run_href: str  # the named query over HTTP, as an HTML table


def _run_href(name: str, values: dict[str, str]) -> str:
    """The link that runs a named query with its example values, as an HTML table."""
    params: dict[str, Any] = {"name": name, "format": "html", **values}
    return url_for("queries.run", **params)


def _example_subject() -> str:
    """The entity an IRI parameter is shown with: the one whose name key is "reuters"
    (first by IRI), else the base IRI. One index lookup in the store: asking the search
    index instead loaded every name it holds, 10 s per server worker at 100,000
    documents, on the first home page each worker served."""
    found = sorted(
        value(q.subject)
        for q in get_kb().pattern(None, NAME_KEY, ox.Literal(EXAMPLE_NAME_KEY), None)
        if isinstance(q.subject, ox.NamedNode)
    )
    return found[0] if found else get_settings().base_iri


def _example_values(query: NamedQuery) -> dict[str, str]:
    """Each required parameter bound to the example its documentation gives."""
    values = {}
    for p in query.params:
        if not p.required:
            continue
        found = _EXAMPLE_VALUE.search(p.description)
        if found:
            values[p.name] = found.group(1)
        elif p.kind == "iri":
            values[p.name] = _example_subject()
    return values


def named_examples() -> list[Example]:
    """Every named query as an example (computed once per served release)."""
    cache = app_cache()
    cached = cache.get("examples")
    if cached is not None:
        return list(cast(list[Example], cached))
    examples: list[Example] = []
    for query in named_queries().values():
        values = _example_values(query)
        examples.append(
            Example(
                name=query.name,
                title=query.title,
                description=query.description,
                sparql=bind(query, values),
                run_href=_run_href(query.name, values),
            )
        )
    cache["examples"] = examples
    return list(examples)
