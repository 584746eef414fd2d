"""server.conneg alone: Accept parsing and format choice, table-driven."""

from __future__ import annotations

import pytest

from server.conneg import (
    GRAPH_OFFERS,
    RESULT_OFFERS,
    by_name,
    negotiate,
    prefers_html,
)

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
SPARQLWRAPPER_JSON = (
    "application/sparql-results+json,application/json,text/javascript,application/javascript"
)
SPARQLWRAPPER_TURTLE = "application/turtle,text/turtle"


RESULT_CASES = [
    (None, "json"),
    ("", "json"),
    ("*/*", "json"),
    ("garbage", "json"),  # nothing parseable: no stated preference
    (SPARQLWRAPPER_JSON, "json"),
    ("application/sparql-results+xml", "xml"),
    ("application/xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
    ("text/*", "csv"),  # text/csv is the first text type offered
    ("text/csv;q=0.4, text/tab-separated-values;q=0.6", "tsv"),
    ("application/sparql-results+json;q=0.1, */*;q=0.5", "xml"),  # */* beats a low exact q
    ("*/*;q=0.5, application/sparql-results+json;q=0", "xml"),  # q=0 excludes
    ("text/csv, application/sparql-results+json", "csv"),  # equal q: client order
    ("text/*;q=0.9, text/tab-separated-values;q=0.9", "tsv"),  # equal q: more specific
    (BROWSER, "html"),
    ("image/png", None),
    ("*/*;q=0", None),
]


@pytest.mark.parametrize(("accept", "expected"), RESULT_CASES)
def test_negotiate_results(accept: str | None, expected: str | None) -> None:
    chosen = negotiate(accept, RESULT_OFFERS)
    assert (chosen.name if chosen else None) == expected


GRAPH_CASES = [
    (None, "turtle"),
    ("*/*", "turtle"),
    (SPARQLWRAPPER_TURTLE, "turtle"),
    ("text/n3", "turtle"),
    ("application/n-triples", "ntriples"),
    ('application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"', "jsonld"),
    ("application/n-quads", "nquads"),
    ("application/trig", "trig"),
    ("application/rdf+xml", "rdfxml"),
    ("application/xml", "rdfxml"),
    ("text/csv", None),
]


@pytest.mark.parametrize(("accept", "expected"), GRAPH_CASES)
def test_negotiate_graphs(accept: str | None, expected: str | None) -> None:
    chosen = negotiate(accept, GRAPH_OFFERS)
    assert (chosen.name if chosen else None) == expected


@pytest.mark.parametrize(
    ("name", "results", "graph"),
    [
        ("json", "json", "jsonld"),
        ("xml", "xml", "rdfxml"),
        ("csv", "csv", None),
        ("tsv", "tsv", None),
        ("text/tab-separated-values", "tsv", None),  # what SPARQLWrapper sends for TSV
        ("json-ld", None, "jsonld"),
        ("n3", None, "turtle"),
        ("HTML", "html", "html"),
        ("nonsense", None, None),
    ],
)
def test_format_parameter_names(name: str, results: str | None, graph: str | None) -> None:
    r = by_name(name, RESULT_OFFERS)
    g = by_name(name, GRAPH_OFFERS)
    assert (r.name if r else None) == results
    assert (g.name if g else None) == graph


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        (BROWSER, True),
        ("text/html", True),
        (None, False),
        ("*/*", False),
        ("application/json", False),
        (SPARQLWRAPPER_JSON, False),
        ("application/json;q=0.5, text/html", True),
    ],
)
def test_prefers_html(accept: str | None, html: bool) -> None:
    assert prefers_html(accept) is html
