"""No query reaches the network: SERVICE, LOAD and remote FROM evasions, tried against a
listener the test starts (issue 11, item 1: the guard on the parsed query).

Three walls are checked separately:
* the guard alone (the Flask app evaluating in-process, where the engine *would* connect),
* the network block alone (a query process with the seccomp filter, guard bypassed),
* both together, through a real `srkb serve` over HTTP.
"""

from __future__ import annotations

import multiprocessing
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.config import Settings
from kb.errors import QueryError, QueryForbiddenError, QuerySyntaxError
from kb.netblock import NetworkBlockUnavailableError, block_network, network_blocked
from kb.sparql_guard import check_query, parse_query
from kb.store import KnowledgeBase
from server import create_app

from .conftest import Listener, LiveServer, serve_note

BASE = "http://kb.test/"
ALLOWED = 200  # FROM / FROM NAMED: answered from the store's own graphs, never fetched
REFUSED = (400, 403)


def esc(text: str) -> str:
    r"""Every character of ``text`` as a SPARQL \u escape."""
    return "".join(f"\\u{ord(c):04X}" for c in text)


# (name, query template with {url}/{port}, expected statuses). Each must leave the
# listener untouched.
EVASIONS: list[tuple[str, str, tuple[int, ...]]] = [
    ("plain", "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", REFUSED),
    ("silent", "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}", REFUSED),
    ("lower case", "select * where {{ service <{url}> {{ ?s ?p ?o }} }}", REFUSED),
    ("mixed case", "SeLeCt * WhErE {{ SeRvIcE <{url}> {{ ?s ?p ?o }} }}", REFUSED),
    (
        "reported: escaped # in a local name",
        "PREFIX ex: <urn:> SELECT ?s WHERE {{ BIND(ex:a\\#b AS ?z) "
        "SERVICE <{url}> {{ ?s ?p ?o }} }}",
        REFUSED,
    ),
    (
        "reported: \\u escape then # in an IRI",
        "SELECT ?s WHERE {{ BIND(<urn:x\\u0041#> AS ?z) SERVICE <{url}> {{ ?s ?p ?o }} }}",
        REFUSED,
    ),
    (
        "escaped # as \\u0023 in an IRI",
        "SELECT ?s WHERE {{ BIND(<urn:\\u0023> AS ?z) SERVICE <{url}> {{ ?s ?p ?o }} }}",
        REFUSED,
    ),
    (
        "8-digit lower-case \\u read two ways",
        'SELECT ?s WHERE {{ BIND("\\u00000023" AS ?z) SERVICE <{url}> {{ ?s ?p ?o }} }}',
        REFUSED,
    ),
    (
        "keyword as \\u escapes",
        "SELECT * WHERE {{ " + esc("SERVICE") + " <{url}> {{ ?s ?p ?o }} }}",
        REFUSED,
    ),
    (
        "keyword as \\U escape",
        "SELECT * WHERE {{ \\U00000053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        REFUSED,
    ),
    (
        "target as \\u escapes",
        "SELECT * WHERE {{ SERVICE <" + "{escurl}" + "> {{ ?s ?p ?o }} }}",
        REFUSED,
    ),
    (
        "prefixed-name target",
        "PREFIX r: <{url}> SELECT * WHERE {{ SERVICE r: {{ ?s ?p ?o }} }}",
        REFUSED,
    ),
    (
        "prefixed-name target with a local part",
        "PREFIX r: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE r:sparql {{ ?s ?p ?o }} }}",
        REFUSED,
    ),
    (
        "variable target from BIND",
        "SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        REFUSED,
    ),
    (
        "variable target from VALUES",
        "SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        REFUSED,
    ),
    (
        "relative target under BASE",
        "BASE <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        REFUSED,
    ),
    ("ASK", "ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", REFUSED),
    ("CONSTRUCT", "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", REFUSED),
    ("DESCRIBE", "DESCRIBE ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", REFUSED),
    (
        "sub-query",
        "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        REFUSED,
    ),
    (
        "sub-sub-query with LIMIT",
        "SELECT * {{ {{ SELECT ?s {{ {{ SELECT ?s {{ SERVICE <{url}> {{ ?s ?p ?o }} }} LIMIT 1 }} "
        "}} }} }}",
        REFUSED,
    ),
    (
        "OPTIONAL",
        "SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        REFUSED,
    ),
    (
        "UNION",
        "SELECT * WHERE {{ {{ ?a ?b ?c }} UNION {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        REFUSED,
    ),
    ("MINUS", "SELECT * WHERE {{ ?a ?b ?c MINUS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}", REFUSED),
    ("GRAPH", "SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}", REFUSED),
    (
        "FILTER EXISTS",
        "SELECT * WHERE {{ ?a ?b ?c FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        REFUSED,
    ),
    (
        "FILTER NOT EXISTS",
        "SELECT * WHERE {{ ?a ?b ?c FILTER NOT EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        REFUSED,
    ),
    (
        "EXISTS in the projection",
        "SELECT (EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} AS ?e) {{ }}",
        REFUSED,
    ),
    (
        "EXISTS in BIND",
        "SELECT * {{ BIND(EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} AS ?e) }}",
        REFUSED,
    ),
    (
        "EXISTS in HAVING",
        "SELECT ?a WHERE {{ ?a ?b ?c }} GROUP BY ?a "
        "HAVING (EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }})",
        REFUSED,
    ),
    (
        "EXISTS in ORDER BY",
        "SELECT * WHERE {{ ?a ?b ?c }} ORDER BY (EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }})",
        REFUSED,
    ),
    (
        "comment with a brace before",
        "SELECT * WHERE {{ # }} \n SERVICE <{url}> {{ ?s ?p ?o }} }}",
        REFUSED,
    ),
    (
        "comment between keyword and target",
        "SELECT * WHERE {{ SERVICE # x\n <{url}> {{ ?s ?p ?o }} }}",
        REFUSED,
    ),
    (
        "hash in a string before",
        'SELECT * WHERE {{ BIND("#" AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} }}',
        REFUSED,
    ),
    (
        "long string with braces",
        'SELECT * WHERE {{ BIND("""}} # {{""" AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} }}',
        REFUSED,
    ),
    (
        "tabs, form feeds and newlines",
        "SELECT\t*\fWHERE\n{{\tSERVICE\f\n<{url}>\t{{ ?s ?p ?o }} }}",
        REFUSED,
    ),
    (
        "decimal host",
        "SELECT * WHERE {{ SERVICE <http://2130706433:{port}/sparql> {{ ?s ?p ?o }} }}",
        REFUSED,
    ),
    (
        "user info",
        "SELECT * WHERE {{ SERVICE <http://kb.test@127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        REFUSED,
    ),
    (
        "Cyrillic look-alike keyword",
        "SELECT * WHERE {{ \u0405ERVICE <{url}> {{ ?s ?p ?o }} }}",
        REFUSED,
    ),
    (
        "zero-width space in the keyword",
        "SELECT * WHERE {{ SER\u200bVICE <{url}> {{ ?s ?p ?o }} }}",
        REFUSED,
    ),
    ("LOAD as a query", "LOAD <{url}>", REFUSED),
    ("LOAD INTO GRAPH as a query", "LOAD SILENT <{url}> INTO GRAPH <urn:g>", REFUSED),
    (
        "update with SERVICE",
        "INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        REFUSED,
    ),
    ("query then update", "SELECT * {{ ?s ?p ?o }} ; LOAD <{url}>", REFUSED),
    ("remote FROM", "SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}", (ALLOWED,)),
    (
        "remote FROM NAMED",
        "SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        (ALLOWED,),
    ),
]


def render(template: str, listener: Listener) -> str:
    return template.format(url=listener.url, port=listener.port, escurl=esc(listener.url))


def guard_settings(**overrides: Any) -> Settings:
    return Settings.from_env(environ={}, base_iri=BASE, **overrides)


@pytest.fixture(scope="module")
def inline_client() -> Any:
    """The app evaluating in this process: no network block, so only the guard stands."""
    kb = KnowledgeBase.in_memory()
    kb.store.add(
        ox.Quad(
            ox.NamedNode(BASE + "a"),
            ox.NamedNode(BASE + "b"),
            ox.Literal("c"),
            ox.NamedNode(BASE + "g"),
        )
    )
    return create_app(guard_settings(), kb=kb).test_client()


def test_there_are_at_least_thirty_evasions() -> None:
    assert len({name for name, _, _ in EVASIONS}) == len(EVASIONS) >= 30


@pytest.mark.parametrize(("name", "template", "expected"), EVASIONS, ids=[e[0] for e in EVASIONS])
def test_the_guard_stops_every_evasion(
    inline_client: Any, listener: Listener, name: str, template: str, expected: tuple[int, ...]
) -> None:
    resp = inline_client.post("/sparql", data={"query": render(template, listener)})
    assert resp.status_code in expected, (name, resp.status_code, resp.data[:300])
    if resp.status_code >= 400:
        body = resp.get_json()
        assert body["ok"] is False and body["error"] in ("E400", "E403"), body
    assert listener.settle() == 0, name


def test_the_reported_bypass_was_real_without_the_guard(listener: Listener) -> None:
    """Control: Oxigraph runs the reported query and connects: the table above means something."""
    query = render(EVASIONS[4][1], listener)
    with pytest.raises(OSError):
        list(ox.Store().query(query))
    assert listener.settle() >= 1


# --------------------------------------------------------------------------- guard unit
@pytest.mark.parametrize(
    ("query", "form"),
    [
        ('SELECT * WHERE { ?s ?p "SERVICE <http://x/>" }', "SELECT"),
        (
            "PREFIX service: <urn:s:> SELECT ?service WHERE { ?service service:x <urn:service> }",
            "SELECT",
        ),
        ("ASK { ?s ?p ?o }", "ASK"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <urn:x>", "DESCRIBE"),
        ('SELECT * WHERE { ?s ?p ?o FILTER(CONTAINS(?o, "service")) }', "SELECT"),
    ],
)
def test_the_word_service_in_data_positions_is_fine(query: str, form: str) -> None:
    assert check_query(query).form == form


def test_the_word_service_in_a_comment_is_refused_with_a_reason() -> None:
    with pytest.raises(QueryForbiddenError, match="comment"):
        check_query("SELECT * WHERE { ?s ?p ?o } # find the service")


def test_a_service_on_the_allowlist_passes() -> None:
    parsed = check_query(
        "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }",
        service_allowlist=("query.wikidata.org",),
    )
    assert [t.value for t in parsed.services] == ["https://query.wikidata.org/sparql"]


def test_the_dataset_clause_is_read_from_the_parse() -> None:
    assert parse_query("SELECT * FROM <urn:g> { ?s ?p ?o }").has_dataset_clause
    assert not parse_query('SELECT * { ?s ?p "FROM <urn:g>" }').has_dataset_clause


@pytest.mark.parametrize("depth", [60, 1000, 5000, 50_000])
def test_deep_nesting_is_a_clear_400_not_a_crash(depth: int) -> None:
    for query in (
        "SELECT * WHERE " + "{ " * depth + "?s ?p ?o" + " }" * depth,
        "SELECT * WHERE { FILTER(" + "(" * depth + "1" + ")" * depth + ") }",
        "SELECT * WHERE { FILTER(" + "!" * depth + "true) }",
    ):
        with pytest.raises(QueryError) as info:
            parse_query(query)
        assert info.value.status == 400


def test_a_syntax_error_names_line_and_column() -> None:
    with pytest.raises(QuerySyntaxError, match=r"2:\d+") as info:
        check_query("SELECT ?s WHERE {\n ?s ?p ?o . FILTR(?s) }")
    assert info.value.line == 2 and info.value.column is not None


def test_the_api_gives_line_and_column_of_a_syntax_error(inline_client: Any) -> None:
    resp = inline_client.post(
        "/sparql", data={"query": "PREFIX x: <urn:x>\nSELEKT ?s WHERE { ?s ?p ?o }"}
    )
    body = resp.get_json()
    assert resp.status_code == 400 and body["error"] == "E400"
    assert body["line"] == 2 and body["column"] >= 1, body


# --------------------------------------------------------------------------- engine wall
def _service_in_blocked_process(url: str, out: Any) -> None:
    try:
        block_network()
    except NetworkBlockUnavailableError as exc:
        out.put(("unavailable", str(exc)))
        return
    try:
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"))
    except OSError as exc:
        out.put(("refused", str(exc), network_blocked()))
        return
    out.put(("answered", "", network_blocked()))


def test_a_query_process_cannot_reach_the_network_even_without_the_guard(
    listener: Listener,
) -> None:
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    proc = ctx.Process(target=_service_in_blocked_process, args=(listener.url, out))
    proc.start()
    proc.join(60)
    result = out.get(timeout=5)
    if result[0] == "unavailable":
        pytest.skip(result[1])
    assert result[0] == "refused" and result[2] is True, result
    assert listener.settle() == 0


# --------------------------------------------------------------------------- fuzzing
_TARGETS = st.sampled_from(["<{url}>", "{escurl_iri}", "?t", "r:", "<sparql>", "<{url}#x>"])
_KEYWORD = st.sampled_from(["SERVICE", "service", "SeRvIcE", esc("SERVICE"), "\\U00000053ERVICE"])
_NOISE = st.sampled_from(
    [" ", "\n", "\t", "# c\n", "# } {\n", " ex:a\\#b ", ' "#" ', " <urn:x\\u0041#> ", " '''}'''"]
)


@st.composite
def service_queries(draw: st.DrawFn) -> str:
    """Queries from a small SPARQL grammar with SERVICE hidden in many places."""
    service = (
        draw(_KEYWORD)
        + draw(st.sampled_from([" ", " SILENT "]))
        + draw(_NOISE)
        + draw(_TARGETS)
        + draw(_NOISE)
        + "{ ?s ?p ?o }"
    )
    wrappers = [
        "{x}",
        "OPTIONAL {{ {x} }}",
        "{{ ?a ?b ?c }} UNION {{ {x} }}",
        "{{ SELECT * WHERE {{ {x} }} LIMIT 3 }}",
        "FILTER EXISTS {{ {x} }}",
        "MINUS {{ {x} }}",
        "GRAPH ?g {{ {x} }}",
        "BIND(EXISTS {{ {x} }} AS ?e)",
    ]
    body = service
    for _ in range(draw(st.integers(1, 3))):
        body = draw(st.sampled_from(wrappers)).format(x=body)
    before = draw(
        st.lists(
            st.sampled_from(["?a ?b ?c .", "BIND(1 AS ?k)", "VALUES ?t { <{url}> }"]), max_size=2
        )
    )
    form = draw(st.sampled_from(["SELECT * WHERE", "ASK", "CONSTRUCT { ?s ?p ?o } WHERE"]))
    prologue = draw(
        st.sampled_from(
            ["", "PREFIX r: <{url}> ", "PREFIX ex: <urn:> ", "BASE <http://127.0.0.1:{port}/> "]
        )
    )
    return prologue + form + " { " + " ".join(before) + draw(_NOISE) + body + draw(_NOISE) + " }"


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(template=service_queries())
def test_fuzzed_service_queries_never_connect_and_never_500(
    inline_client: Any, listener: Listener, template: str
) -> None:
    query = template.replace("{url}", listener.url).replace("{port}", str(listener.port))
    query = query.replace("{escurl_iri}", "<" + esc(listener.url) + ">")
    resp = inline_client.post("/sparql", data={"query": query})
    assert resp.status_code < 500, (query, resp.status_code, resp.data[:300])
    assert resp.status_code in REFUSED, (query, resp.status_code)
    assert listener.connections == 0, query


# --------------------------------------------------------------------------- live server
@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = serve_note(tmp_path_factory)
    yield server
    server.stop()


@pytest.mark.slow
def test_every_evasion_is_stopped_by_the_real_server(live: LiveServer, listener: Listener) -> None:
    statuses = {}
    for name, template, expected in EVASIONS:
        data = urllib.parse.urlencode({"query": render(template, listener)}).encode()
        request = urllib.request.Request(live.sparql_url, data=data, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as resp:
                statuses[name] = resp.status
        except urllib.error.HTTPError as err:
            statuses[name] = err.code
        assert statuses[name] in expected, (name, statuses[name])
    assert listener.settle() == 0
    with urllib.request.urlopen(live.url + "healthz", timeout=10) as resp:
        health = resp.read().decode()
    assert '"network": "blocked"' in health or "blocked" in health, health
