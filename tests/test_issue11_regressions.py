"""Regression tests named after the defects of issue 11 that need a real server: each
failed before its fix. (Items 1, 7, 9, 10 and 11 have their own files:
test_sparql_guard.py, test_hostile_inputs.py and test_store_in_use.py.)

One `srkb serve` with the default 4 query processes and small limits (300 MB and 8 s per
query).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import LiveServer, serve_note

pytestmark = pytest.mark.slow

VALUES = " ".join(str(i) for i in range(300))
# Grows its process by about 1 GB/s (a long GROUP_CONCAT over a cross product).
MEMORY_HOG = (
    f"SELECT (GROUP_CONCAT(?s) AS ?x) WHERE {{ VALUES ?a {{ {VALUES} }} VALUES ?b {{ {VALUES} }} "
    f'VALUES ?c {{ {VALUES} }} BIND(CONCAT(STR(?a), "{"x" * 2000}") AS ?s) }}'
)
# Runs for about half a minute in little memory (counting a filtered cross product).
WIDE = " ".join(str(i) for i in range(600))
RUNAWAY = (
    f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?a {{ {WIDE} }} VALUES ?b {{ {WIDE} }} "
    f"VALUES ?c {{ {WIDE} }} FILTER(?a + ?b > ?c) }}"
)
SIMPLE = "ASK { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    srv = serve_note(
        tmp_path_factory,
        env={
            "SRKB_QUERY_PROCESSES": "4",
            "SRKB_QUERY_MEMORY_MB": "300",
            "SRKB_QUERY_TIMEOUT_S": "8",
        },
    )
    yield srv
    srv.stop()


def post(server: LiveServer, query: str, timeout: float = 60) -> tuple[int, dict[str, Any]]:
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(
        server.sparql_url, data=data, headers={"Accept": "application/sparql-results+json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")


def test_item2_one_query_cannot_exhaust_memory(server: LiveServer) -> None:
    status, body = post(server, MEMORY_HOG)
    assert status == 503 and body["error"] == "E409", body
    assert "SRKB_QUERY_MEMORY_MB" in body["message"]
    assert post(server, SIMPLE) == (200, {"head": {}, "boolean": True})


def test_item5_runaway_queries_do_not_block_a_simple_one(server: LiveServer) -> None:
    ended: list[float] = []
    statuses: list[int] = []

    def runaway() -> None:
        statuses.append(post(server, RUNAWAY)[0])
        ended.append(time.monotonic())

    threads = [threading.Thread(target=runaway) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)  # every query process is now busy with a runaway
    status, body = post(server, SIMPLE)
    answered = time.monotonic()
    assert status == 200 and body["boolean"] is True
    for thread in threads:
        thread.join(60)
    assert statuses == [503] * 4  # each stopped at the 8 s limit
    assert answered < min(ended), "the simple query waited for the runaways"


@pytest.mark.parametrize("depth", [5_000, 50_000])
def test_item6_deeply_nested_queries_are_400_not_503(server: LiveServer, depth: int) -> None:
    for query in (
        "SELECT * WHERE " + "{ " * depth + "?s ?p ?o" + " }" * depth,
        "SELECT * WHERE { FILTER(" + "!" * depth + "true) }",
    ):
        status, body = post(server, query)
        assert status == 400 and body["error"] == "E400", body
    assert post(server, SIMPLE)[0] == 200


def test_item12_an_update_sent_as_a_query_is_400(server: LiveServer) -> None:
    request = urllib.request.Request(
        server.sparql_url,
        data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        headers={"Content-Type": "application/sparql-query"},
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=30)
    assert info.value.code == 400
    assert "read-only" in json.loads(info.value.read())["message"]


def test_item12_get_queries_longer_than_4kb_are_answered(server: LiveServer) -> None:
    query = "ASK { GRAPH ?g { ?s ?p ?o } } # " + "x" * 8_000
    query = query.replace("# " + "x" * 8_000, "") + " " * 8_000  # no comment: plain padding
    url = server.sparql_url + "?" + urllib.parse.urlencode({"query": query})
    assert len(url) > 8_000
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as resp:
        assert resp.status == 200 and json.loads(resp.read())["boolean"] is True


def test_item12_the_guard_runs_within_the_time_limit(server: LiveServer) -> None:
    """A large query's parse happens in the query process, under the time limit."""
    filler = " ".join(f"<urn:x{i}>" for i in range(50_000))  # ~600 KB
    status, body = post(server, f"SELECT * WHERE {{ VALUES ?v {{ {filler} }} }} LIMIT 1")
    assert status in (200, 503), body
    if status == 503:
        assert body["error"] == "E408"
    assert post(server, SIMPLE)[0] == 200
