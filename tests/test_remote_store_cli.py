"""The knowledge base in a real SPARQL server (issue 12): `oxigraph serve`, started here.

With SRKB_STORE / SRKB_STORE_UPDATE (or --store / --store-update) every command works on
the remote store: ingest writes srkb's quads into it (checked by asking the server
directly, not srkb), the same quads as the embedded store holds; `srkb serve` in front of
it answers the seed's provenance queries and keeps its guards; remove and rebuild work.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kb.named_queries import bind, get_named_query

from .conftest import LiveServer, SparqlServer, run_srkb, start_oxigraph_server, start_server

pytestmark = pytest.mark.slow


def remote_env(server: SparqlServer) -> dict[str, str]:
    return {"SRKB_STORE": server.query_url, "SRKB_STORE_UPDATE": server.update_url}


def direct(server: SparqlServer, query: str) -> list[dict]:
    """Ask the SPARQL server itself (not through srkb)."""
    url = server.query_url + "?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as resp:
        return json.loads(resp.read())["results"]["bindings"]  # type: ignore[no-any-return]


def canonical(nquads: str) -> list[str]:
    """Dump lines, sorted, with run times masked (each ingest stamps its own)."""
    import re

    stamp = re.compile(r'"\d{4}-\d\d-\d\dT[^"]*"\^\^<http://www.w3.org/2001/XMLSchema#dateTime>')
    return sorted(stamp.sub("TIME", line) for line in nquads.splitlines() if line)


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Iterator[SparqlServer]:
    folder = tmp_path_factory.mktemp("remote")
    server = start_oxigraph_server(folder / "oxigraph")
    done = run_srkb("ingest", str(seed_path), data=folder / "local", env=remote_env(server))
    assert done.returncode == 0, done.stderr
    yield server
    server.stop()


def test_ingest_writes_srkbs_quads_into_the_sparql_server(
    remote: SparqlServer, seed_path: Path, tmp_path: Path
) -> None:
    rows = direct(
        remote,
        "PREFIX srkb: <https://w3id.org/srkb/ontology#> SELECT (COUNT(?c) AS ?n) "
        "WHERE { GRAPH ?g { ?c a srkb:Claim } }",
    )
    assert int(rows[0]["n"]["value"]) > 0
    remote_dump = run_srkb("dump", "--format", "nquads", env=remote_env(remote), data=tmp_path)
    assert remote_dump.returncode == 0, remote_dump.stderr
    embedded = tmp_path / "embedded"
    assert run_srkb("ingest", str(seed_path), data=embedded).returncode == 0
    local_dump = run_srkb("dump", "--format", "nquads", data=embedded)
    assert canonical(remote_dump.stdout) == canonical(local_dump.stdout)


def test_every_command_takes_the_store_option(remote: SparqlServer, tmp_path: Path) -> None:
    options = ["--store", remote.query_url]
    listed = run_srkb(*options, "texts", data=tmp_path)
    assert listed.returncode == 0 and "seed-article-comments.txt" in listed.stdout
    # Without the update endpoint the store is read-only: a clear refusal.
    note = tmp_path / "note.txt"
    note.write_text("Reuters said the convoy reached Kobani on Monday.\n", encoding="utf-8")
    refused = run_srkb(*options, "ingest", str(note), data=tmp_path)
    assert refused.returncode == 1 and "SRKB_STORE_UPDATE" in refused.stderr


def test_an_unreachable_store_is_one_line_and_exit_1(tmp_path: Path) -> None:
    done = run_srkb("--store", "http://127.0.0.1:9/query", "texts", data=tmp_path)
    assert done.returncode == 1 and "cannot be reached" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.fixture(scope="module")
def served(remote: SparqlServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("remote-serve")
    server = start_server(folder / "local", folder / "serve.stderr", env=remote_env(remote))
    yield server
    server.stop()


def _sparql(server: LiveServer, query: str) -> tuple[int, dict]:
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(
        server.sparql_url, data=data, headers={"Accept": "application/sparql-results+json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("who-said-what", {}),
        ("source-reliability", {"source": "AMN"}),
        ("claim-credibility", {}),
        ("actor-profile", {"actor": "SDF"}),
    ],
)
def test_srkb_serve_in_front_answers_the_seeds_provenance_queries(
    served: LiveServer, name: str, params: dict[str, str]
) -> None:
    status, body = _sparql(served, bind(get_named_query(name), params))
    assert status == 200, body
    assert body["results"]["bindings"], name


def test_the_guards_stand_in_front_of_the_remote_store(
    served: LiveServer, remote: SparqlServer
) -> None:
    status, body = _sparql(served, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }")
    assert status == 403 and body["error"] == "E403"
    req = urllib.request.Request(
        served.sparql_url, data=b"DROP ALL", headers={"Content-Type": "application/sparql-update"}
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(req, timeout=30)
    assert info.value.code == 403
    rows = direct(remote, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(rows[0]["n"]["value"]) > 0  # nothing was dropped


def test_remove_and_rebuild_work_on_the_remote_store(
    sparql_server: SparqlServer, tmp_path: Path
) -> None:
    a = tmp_path / "a.txt"
    a.write_text("Reuters said the convoy reached Kobani on Monday.\n", encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text("AMN said the bridge at Raqqa was cut on Friday.\nAMN lies.\n", encoding="utf-8")
    env = remote_env(sparql_server)
    assert run_srkb("ingest", str(a), data=tmp_path / "local", env=env).returncode == 0
    only_a = run_srkb("dump", "--format", "nquads", data=tmp_path / "local", env=env).stdout
    assert run_srkb("ingest", str(b), data=tmp_path / "local", env=env).returncode == 0
    removed = run_srkb("remove", "b.txt", data=tmp_path / "local", env=env)
    assert removed.returncode == 0, removed.stderr
    after = run_srkb("dump", "--format", "nquads", data=tmp_path / "local", env=env).stdout
    assert canonical(after) == canonical(only_a)
    rebuilt = run_srkb("rebuild", data=tmp_path / "local", env=env)
    assert rebuilt.returncode == 0, rebuilt.stderr
    again = run_srkb("dump", "--format", "nquads", data=tmp_path / "local", env=env).stdout
    assert canonical(again) == canonical(only_a)
