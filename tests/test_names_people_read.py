"""Names people read (issue 13): documents by title and date or their file's name, never
the path typed at ingest time; one set of examples; no CLI words in HTTP errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from markupsafe import escape

from kb.build import readable_name
from kb.config import Settings
from kb.store import KnowledgeBase
from server import create_app
from server.examples import named_examples

from .conftest import run_srkb

DOC = {
    "url": "https://outlet.example/2024/03/story",
    "title": "Clashes   near the dam",
    "publisher": "Reuters",
    "published": "2024-03-05",
    "body": "Reuters said the dam was hit on Monday.",
    "comments": [{"text": "Reuters lies about this."}],
}


@pytest.mark.parametrize(
    ("file_name", "metadata", "shown"),
    [
        ("note.txt", {}, "note.txt"),
        (
            "x.json",
            {"title": "Clashes near the dam", "published": "2024-03-05T10:00Z"},
            "Clashes near the dam (2024-03-05)",
        ),
        ("x.json", {"title": "Untitled"}, "Untitled"),
        ("x.json", {"title": "t" * 200}, "t" * 119 + "…"),
    ],
)
def test_readable_names(file_name: str, metadata: dict, shown: str) -> None:
    assert readable_name(file_name, metadata) == shown


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("names") / "deep" / "local" / "folders"
    folder.mkdir(parents=True)
    (folder / "story.json").write_text(json.dumps(DOC), encoding="utf-8")
    (folder / "plain.txt").write_text("AMN said the bridge was cut.\n", encoding="utf-8")
    data = folder.parent / "data"
    done = run_srkb("ingest", str(folder / "story.json"), str(folder / "plain.txt"), data=data)
    assert done.returncode == 0, done.stderr
    return data


def test_no_stored_name_holds_the_path_typed_at_ingest(ingested: Path) -> None:
    dump = run_srkb("dump", "--format", "nquads", data=ingested).stdout
    assert "deep/local/folders" not in dump
    assert '"Clashes near the dam (2024-03-05)"' in dump and '"plain.txt"' in dump


def test_pages_show_the_title_and_the_file_name(ingested: Path) -> None:
    settings = Settings.from_env(environ={}, data_dir=ingested, query_processes=0)
    with KnowledgeBase.open(ingested, read_only=True) as kb:
        client = create_app(settings, kb=kb).test_client()
        page = client.get("/search?q=Reuters").data.decode()
        texts = run_srkb("texts", data=ingested).stdout
    assert "deep/local" not in page and "deep/local" not in texts
    assert "plain.txt" in texts


def test_remove_takes_the_path_or_the_file_name(ingested: Path, tmp_path: Path) -> None:
    done = run_srkb("remove", "some/other/folder/plain.txt", data=ingested)
    assert done.returncode == 0 and "plain.txt" in done.stdout, done.stderr


@pytest.fixture
def client(tmp_path: Path) -> FlaskClient:
    kb = KnowledgeBase.in_memory()
    return create_app(Settings.from_env(environ={}), kb=kb).test_client()


def test_a_missing_parameter_over_http_speaks_http(client: FlaskClient) -> None:
    resp = client.get("/queries/source-reliability", headers={"Accept": "application/json"})
    body = resp.get_json()
    assert resp.status_code == 400 and "--param" not in body["message"]
    assert "?source=" in body["message"]
    cli = run_srkb("query", "--named", "source-reliability")
    assert cli.returncode == 1 and "--param source=VALUE" in cli.stderr


def test_the_home_page_examples_are_the_named_queries_once_each(client: FlaskClient) -> None:
    resp = client.get("/", headers={"Accept": "text/html"})
    assert resp.status_code == 200
    page = resp.data.decode()
    with client.application.test_request_context():
        examples = named_examples()
    titles = [e.title for e in examples]
    assert len(titles) == len(set(titles))
    for title in titles:
        assert page.count(f">{escape(title)}</a>") == 1, title
