"""`srkb ingest`, `extract`, `query` and `dump` as a user runs them: real processes,
exit codes, one-line errors, an idempotent and never half-written store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import SEED_PATH

SRKB = [sys.executable, "-m", "kb.cli"]
OWN_TEXT = (
    "Militia commander Hamid Rasul told AFP on Monday that his fighters had retaken the "
    "bridge.\nThe bridge is still closed, according to local residents.\n"
    "AFP is usually careful, I trust their reporters.\n"
)


def srkb(
    *args: str,
    data: Path | None = None,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "SRKB_DATA"}
    full_env.update(env or {})
    cmd = [*SRKB, *args] + (["--data", str(data)] if data is not None else [])
    return subprocess.run(
        cmd,
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
    )


def quad_count(data: Path) -> int:
    out = srkb(
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
        "--format",
        "csv",
        data=data,
    )
    assert out.returncode == 0, out.stderr
    return int(out.stdout.split()[1])


def dump(data: Path) -> str:
    out = srkb("dump", "--format", "nquads", data=data)
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    data = tmp_path / "kb"
    out = srkb("ingest", str(SEED_PATH), data=data)
    assert out.returncode == 0, out.stderr
    return data


def test_ingesting_the_seed_twice_changes_nothing(seeded: Path) -> None:
    before_count, before_dump = quad_count(seeded), dump(seeded)
    out = srkb("ingest", str(SEED_PATH), data=seeded)
    assert out.returncode == 0, out.stderr
    assert "0 text(s), 1 unchanged" in out.stdout.replace("ingested ", "")
    assert quad_count(seeded) == before_count > 1000
    assert dump(seeded) == before_dump


def test_same_text_into_two_fresh_stores_gives_the_same_triples_apart_from_time(
    tmp_path: Path,
) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        assert srkb("ingest", str(SEED_PATH), data=d).returncode == 0

    def without_times(nq: str) -> list[str]:
        return sorted(
            line
            for line in nq.splitlines()
            if "prov#startedAtTime" not in line and "prov#endedAtTime" not in line
        )

    assert without_times(dump(a)) == without_times(dump(b))


def make_bad_inputs(tmp: Path) -> dict[str, Path]:
    empty = tmp / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    latin1 = tmp / "latin1.txt"
    latin1.write_bytes(
        "Le porte-parole a déclaré à l'AFP que la ville était tombée.".encode("latin-1")
    )
    return {"empty": empty, "binary": binary, "not-utf8": latin1, "missing": tmp / "nope.txt"}


@pytest.mark.parametrize(
    "kind, expected",
    [
        ("empty", "empty"),
        ("binary", "binary"),
        ("not-utf8", "not UTF-8"),
        ("missing", "no such file"),
    ],
)
def test_bad_input_one_line_error_nonzero_exit_store_unchanged(
    seeded: Path, tmp_path: Path, kind: str, expected: str
) -> None:
    bad = make_bad_inputs(tmp_path)[kind]
    good = tmp_path / "good.txt"
    good.write_text(OWN_TEXT, encoding="utf-8")
    before = dump(seeded)
    # the bad file comes second: the good one before it must not be written either
    out = srkb("ingest", str(good), str(bad), data=seeded)
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert expected in lines[0] and str(bad.name) in lines[0]
    assert "Traceback" not in out.stderr
    assert dump(seeded) == before


def test_bad_input_into_a_fresh_data_dir_creates_no_store(tmp_path: Path) -> None:
    bad = make_bad_inputs(tmp_path)["binary"]
    out = srkb("ingest", str(bad), data=tmp_path / "fresh")
    assert out.returncode == 1
    assert not (tmp_path / "fresh" / "store").exists()


def test_stdin_and_folders_are_ingested(tmp_path: Path) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "one.txt").write_text(OWN_TEXT, encoding="utf-8")
    (folder / "two.txt").write_text(OWN_TEXT.replace("AFP", "Reuters"), encoding="utf-8")
    data = tmp_path / "kb"
    out = srkb("ingest", str(folder), data=data)
    assert out.returncode == 0, out.stderr
    assert "ingested 2 text(s)" in out.stdout
    out = srkb("ingest", "-", data=data, stdin=OWN_TEXT.replace("AFP", "SANA").encode())
    assert out.returncode == 0, out.stderr
    assert "ingested 1 text(s)" in out.stdout
    q = srkb(
        "query",
        "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { GRAPH ?g { ?t a "
        "<https://w3id.org/srkb/ontology#SourceText> } }",
        "--format",
        "csv",
        data=data,
    )
    assert q.stdout.split()[1] == "3"


def test_srkb_data_environment_variable_selects_the_store(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(OWN_TEXT, encoding="utf-8")
    out = srkb("ingest", str(good), env={"SRKB_DATA": str(tmp_path / "envkb")})
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "envkb" / "store").is_dir()


def test_extract_json_prints_the_scorer_format_without_touching_a_store(tmp_path: Path) -> None:
    out = srkb("extract", str(SEED_PATH), "--json", env={"SRKB_DATA": str(tmp_path / "unused")})
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert set(doc) >= {"actors", "sources", "claims", "judgements"}
    text = SEED_PATH.read_text(encoding="utf-8")
    for claim in doc["claims"]:
        s, e = claim["span"]
        assert 0 <= s < e <= len(text)
    assert any(
        c["speaker"] and "Xelil" in c["speaker"] and c["via"] == "Reuters" for c in doc["claims"]
    )
    assert not (tmp_path / "unused").exists()


def test_malformed_query_is_one_line_error(seeded: Path) -> None:
    out = srkb("query", "SELECT * WHERE {", data=seeded)
    assert out.returncode == 1
    assert "malformed query" in out.stderr and "Traceback" not in out.stderr


def test_update_through_query_is_refused(seeded: Path) -> None:
    before = quad_count(seeded)
    out = srkb("query", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", data=seeded)
    assert out.returncode == 1
    assert "read-only" in out.stderr
    assert quad_count(seeded) == before


def test_query_on_a_missing_store_says_to_ingest_first(tmp_path: Path) -> None:
    out = srkb("query", "ASK { ?s ?p ?o }", data=tmp_path / "none")
    assert out.returncode == 1
    assert "srkb ingest" in out.stderr


def test_dump_formats_are_deterministic_and_parse(seeded: Path, tmp_path: Path) -> None:
    from rdflib import Dataset, Graph

    for fmt, parser in [
        ("trig", "trig"),
        ("nquads", "nquads"),
        ("turtle", "turtle"),
        ("jsonld", "json-ld"),
    ]:
        first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
        assert srkb("dump", "--format", fmt, "-o", str(first), data=seeded).returncode == 0
        assert srkb("dump", "--format", fmt, "-o", str(second), data=seeded).returncode == 0
        assert first.read_bytes() == second.read_bytes()
        assert first.read_bytes().endswith(b"\n")
        container = Graph() if fmt == "turtle" else Dataset()
        container.parse(first, format=parser)
        assert len(container) > 0 if fmt == "turtle" else sum(1 for _ in container.quads()) > 1000


JSON_DOC = {
    "url": "https://outlet.example/2025/06/bridge",
    "title": "Bridge retaken, militia says",
    "publisher": "Rudaw",
    "published": "2025-06-02",
    "body": "Militia commander Hamid Rasul told AFP on Monday that his fighters had retaken "
    "the bridge.",
    "comments": [
        {"id": "a", "author": "Dara", "date": "2025-06-03", "text": "Rudaw is reliable on this."},
        {"id": "b", "author": "Lin", "reply_to": "a", "text": "I trust AFP more, to be honest."},
    ],
}


def test_json_document_is_ingested_with_its_structure(tmp_path: Path) -> None:
    doc = tmp_path / "bridge.json"
    doc.write_text(json.dumps(JSON_DOC), encoding="utf-8")
    data = tmp_path / "kb"
    out = srkb("ingest", str(doc), data=data)
    assert out.returncode == 0, out.stderr
    q = srkb(
        "query",
        """PREFIX schema: <https://schema.org/> PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?pos ?author ?parentPos ?date WHERE {
          ?c schema:position ?pos ; schema:author/rdfs:label ?author .
          OPTIONAL { ?c dcterms:date ?date }
          OPTIONAL { ?c schema:parentItem/schema:position ?parentPos } } ORDER BY ?pos""",
        "--format",
        "csv",
        data=data,
    )
    assert q.returncode == 0, q.stderr
    assert q.stdout.splitlines()[1:] == ["1,Dara,,2025-06-03", "2,Lin,1,"]
    q = srkb(
        "query",
        "PREFIX schema: <https://schema.org/> PREFIX dcterms: <http://purl.org/dc/terms/> "
        "SELECT ?pub ?date ?url WHERE { ?a schema:publisher ?pub ; dcterms:date ?date ; "
        "schema:url ?url }",
        "--format",
        "csv",
        data=data,
    )
    row = q.stdout.splitlines()[1]
    assert row.endswith("/entity/rudaw,2025-06-02,https://outlet.example/2025/06/bridge")
    # the same document again: nothing changes
    again = srkb("ingest", str(doc), data=data)
    assert "0 text(s), 1 unchanged" in again.stdout.replace("ingested ", "")


@pytest.mark.parametrize(
    "content, expected",
    [
        ('{"body": 5}', "'body' must be a string"),
        ("{nope", "not valid JSON"),
        ('{"title": "no body"}', "'body' or 'comments'"),
    ],
)
def test_bad_json_document_is_one_line_error(tmp_path: Path, content: str, expected: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    out = srkb("ingest", str(bad), data=tmp_path / "kb")
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and "bad.json" in lines[0]
    assert not (tmp_path / "kb" / "store").exists()
