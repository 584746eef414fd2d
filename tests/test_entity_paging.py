"""An entity's lists come a page at a time (``?page=N``): a busy source of a large store
relayed tens of thousands of claims, and its page must answer at once. Pages must not
overlap, must together hold the whole list, and bad page numbers are refused clearly.
Checked on a store with its derived indexes (counts and documents from SQLite) and on an
in-memory store (counted in the store)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from kb.config import Settings
from kb.corpus import InputText
from kb.ingest import ingest_texts
from kb.store import KnowledgeBase
from kb.views import LIST_LIMIT, entity_view
from server import create_app

from .helpers import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
from synthetic_corpus import documents  # noqa: E402

BASE = "http://kb.test/"
BROWSER = {"Accept": "text/html"}
SIZE = 7  # items a page in the view tests (the server shows LIST_LIMIT)
LISTS = {"relayed": "relayedBy", "claims_by": "speaker", "judgements": "judgedSource"}


def _texts() -> list[InputText]:
    return [InputText(f"doc-{i:03d}.json", json.dumps(d), d) for i, d in enumerate(documents(120))]


@pytest.fixture(scope="module", params=["derived indexes", "in memory"])
def kb(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[KnowledgeBase]:
    if request.param == "in memory":
        store = KnowledgeBase.in_memory()
        ingest_texts(store, _texts(), base_iri=BASE)
        yield store
        return
    data = tmp_path_factory.mktemp("kb")
    store = KnowledgeBase.open(data)
    ingest_texts(store, _texts(), base_iri=BASE)
    assert (data / "derived" / "claims.sqlite").is_file()
    yield store
    store.close()


def _all(kb: KnowledgeBase, prop: str, entity: str) -> set[str]:
    rows = kb.query(
        f"SELECT DISTINCT ?c WHERE {{ GRAPH ?g {{ ?c <https://w3id.org/srkb/ontology#{prop}> "
        f"<{entity}> }} }}"
    )
    return {r["c"].value for r in rows}


def _busiest(kb: KnowledgeBase, prop: str) -> str:
    rows = kb.query(
        "SELECT ?e (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH ?g { "
        f"?c <https://w3id.org/srkb/ontology#{prop}> ?e }} }} GROUP BY ?e ORDER BY DESC(?n) ?e "
        "LIMIT 1"
    )
    return next(iter(rows))["e"].value


@pytest.mark.parametrize("key", sorted(LISTS))
def test_pages_split_a_list_without_overlap(kb: KnowledgeBase, key: str) -> None:
    entity = _busiest(kb, LISTS[key])
    everything = _all(kb, LISTS[key], entity)
    assert len(everything) > 2 * SIZE, "the corpus must give lists of several pages"
    seen: list[str] = []
    page = 1
    while True:
        view = entity_view(kb, entity, SIZE, page)
        assert view is not None
        items = [i.iri for i in getattr(view, key)]
        assert view.totals[key] == len(everything)
        assert view.paging["page"] == page and view.paging["size"] == SIZE
        if not items:
            break
        assert len(items) == SIZE or len(seen) + len(items) == len(everything)
        seen += items
        page += 1
    assert len(seen) == len(set(seen)) and set(seen) == everything
    assert view.paging["pages"] >= page - 1


def test_document_pages_do_not_overlap(kb: KnowledgeBase) -> None:
    entity = _busiest(kb, "relayedBy")
    first = entity_view(kb, entity, SIZE, 1)
    second = entity_view(kb, entity, SIZE, 2)
    assert first is not None and second is not None
    assert first.totals["documents"] > SIZE
    one = {link.iri for link, _n in first.documents}
    two = {link.iri for link, _n in second.documents}
    assert len(one) == SIZE and two and not one & two


@pytest.fixture(scope="module")
def client(kb: KnowledgeBase) -> FlaskClient:
    app = create_app(Settings.from_env(environ={}, base_iri=BASE), kb=kb)
    app.testing = True
    return app.test_client()


def test_the_page_and_its_twin_link_the_pages_around_them(
    client: FlaskClient, kb: KnowledgeBase
) -> None:
    entity = _busiest(kb, "relayedBy")
    assert len(_all(kb, "relayedBy", entity)) > LIST_LIMIT
    path = "/" + entity.removeprefix(BASE)
    first = client.get(path, headers=BROWSER)
    assert first.status_code == 200 and first.mimetype == "text/html"
    body = first.get_data(as_text=True)
    assert 'rel="next" href="?page=2#relayed"' in body and 'rel="prev"' not in body
    second = client.get(path + "?page=2", headers=BROWSER)
    assert second.status_code == 200
    assert 'rel="prev" href="?page=1#relayed"' in second.get_data(as_text=True)
    twin = client.get(path + ".json?page=2")
    assert twin.status_code == 200 and twin.mimetype == "application/json"
    paging = twin.get_json()["paging"]
    assert paging["page"] == 2 and paging["previous"] == f"{path}.json?page=1"
    firsts = {c["iri"] for c in client.get(path + ".json").get_json()["relayed"]}
    seconds = {c["iri"] for c in twin.get_json()["relayed"]}
    assert firsts and seconds and not firsts & seconds


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "99999999", "²", ""])
def test_bad_page_numbers_are_refused_clearly(
    client: FlaskClient, kb: KnowledgeBase, page: str
) -> None:
    path = "/" + _busiest(kb, "relayedBy").removeprefix(BASE)
    twin = client.get(f"{path}.json", query_string={"page": page})
    assert twin.status_code == 400 and twin.mimetype == "application/json"
    assert twin.get_json()["error"] == "E100" and "page must be" in twin.get_json()["message"]
    html = client.get(path, query_string={"page": page}, headers=BROWSER)
    assert html.status_code == 400 and html.mimetype == "text/html"
    assert "page must be" in html.get_data(as_text=True)
