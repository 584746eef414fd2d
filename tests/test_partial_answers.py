"""A SPARQLWrapper client can tell a capped answer from a complete one (issue 13).

Real HTTP to a real `srkb serve` with a small row limit: JSON and XML answers say in
their body whether rows were left out; CSV, which has no place to say it, is refused with
a message (SPARQLWrapper raises) instead of arriving silently partial.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from SPARQLWrapper import CSV, JSON, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from .conftest import LiveServer, serve_note

pytestmark = pytest.mark.slow

ALL_QUADS = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    srv = serve_note(tmp_path_factory, env={"SRKB_MAX_ROWS": "5"})
    yield srv
    srv.stop()


def client(server: LiveServer, query: str, fmt: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(server.sparql_url)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql


def test_json_says_whether_the_answer_was_capped(server: LiveServer) -> None:
    capped = client(server, ALL_QUADS, JSON).queryAndConvert()
    assert capped["srkb"] == {"truncated": True, "rowLimit": 5}
    assert len(capped["results"]["bindings"]) == 5
    (link,) = capped["head"]["link"]  # SPARQL results metadata: the limit explained
    assert link.endswith("/sparql#row-limit")
    complete = client(server, ALL_QUADS + " LIMIT 3", JSON).queryAndConvert()
    assert complete["srkb"] == {"truncated": False, "rowLimit": 5}
    assert len(complete["results"]["bindings"]) == 3


def test_xml_says_whether_the_answer_was_capped(server: LiveServer) -> None:
    def links(query: str) -> list[str]:
        doc = client(server, query, XML).queryAndConvert()
        return [e.getAttribute("href") for e in doc.getElementsByTagName("link")]

    assert [h.endswith("/sparql#row-limit") for h in links(ALL_QUADS)] == [True]
    assert links(ALL_QUADS + " LIMIT 3") == []


def test_csv_is_refused_rather_than_silently_cut(server: LiveServer) -> None:
    with pytest.raises(QueryBadFormed, match="E410"):
        client(server, ALL_QUADS, CSV).queryAndConvert()
    rows = client(server, ALL_QUADS + " LIMIT 3", CSV).queryAndConvert()
    assert len(rows.decode().strip().splitlines()) == 4  # header + 3
