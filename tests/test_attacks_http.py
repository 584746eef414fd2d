"""Path traversal and open redirects over HTTP (issue 11's table): each is refused, and
nothing outside the served release is ever read or pointed at."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from kb.config import Settings
from kb.store import KnowledgeBase
from server import create_app

TRAVERSALS = [
    "/dumps/latest.../../../../etc/passwd",
    "/dumps/latest.%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/dumps/..%2f..%2f..%2fetc%2fpasswd",
    "/static/../../../../etc/passwd",
    "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/static/..%5c..%5c..%5cetc%5cpasswd",
    "/ontology.../../../etc/passwd",
    "/entity/../../../../etc/passwd",
    "/entity/%2e%2e/%2e%2e/etc/passwd",
    "/text/..%2f..%2fetc%2fpasswd.ttl",
    "/graph/../../etc/passwd",
    "/queries/..%2f..%2fetc%2fpasswd",
    "//etc/passwd",
    "/dumps/latest.nq%00.ttl",
]
REDIRECTS = [
    "//evil.example/",
    "//evil.example/%2f..",
    "/\\evil.example/",
    "/.well-known/void",
    "/sparql/",
    "/queries/",
    "/dumps/",
]


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    kb = KnowledgeBase.in_memory()
    return create_app(Settings.from_env(environ={}), kb=kb).test_client()


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_reads_nothing(client: FlaskClient, path: str) -> None:
    resp = client.get(path, headers={"Host": "evil.example"})
    assert resp.status_code in (400, 404, 405, 308), (path, resp.status_code)
    body = resp.get_data()
    assert b"root:" not in body and b"/bin/" not in body, path


@pytest.mark.parametrize("path", REDIRECTS)
def test_no_redirect_leaves_the_site(client: FlaskClient, path: str) -> None:
    resp = client.get(path, headers={"Host": "evil.example", "Accept": "text/turtle"})
    location = resp.headers.get("Location", "")
    assert not location.startswith(("//", "http://evil", "https://evil", "\\")), location
    assert "evil.example" not in location, (path, location)
