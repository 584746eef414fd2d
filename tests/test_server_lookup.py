"""The lookup pages through Flask's test client: search, the rich pages of actors,
sources, claims and documents, their ``.json`` / ``.ttl`` twins, the SPARQL editor,
errors, escaping and the accessibility basics that can be read from the HTML.

The knowledge base is the seed, the project's examples and a text whose reader comments
carry ``<script>`` and ``<img onerror>`` (tests/lookup_texts/xss-comment.txt).
"""

from __future__ import annotations

import json
import re
import time
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kb.config import Settings
from kb.corpus import InputText
from kb.ingest import ingest_texts
from kb.named_queries import named_queries
from kb.reliability import compute_ratings
from kb.search import SearchIndex
from kb.store import KnowledgeBase
from kb.views import as_json, claim_view, document_view, entity_view
from kb.vocab import PREFIXES
from server import create_app, lookup
from server.context import SERVED_KEY, app_cache
from server.lookup import SEARCH_INDEX_KEY

from .helpers import PROJECT_ROOT, SEED_PATH

BASE = "http://kb.test/"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
XSS_PATH = PROJECT_ROOT / "tests" / "lookup_texts" / "xss-comment.txt"
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
AMN = BASE + "entity/al-masdar-news"
ENAB = BASE + "entity/enab-baladi"


def lookup_texts() -> list[Path]:
    """The texts of the web-page tests: seed, examples, the XSS comment text."""
    return [SEED_PATH, *sorted((PROJECT_ROOT / "examples").glob("*.txt")), XSS_PATH]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    store = KnowledgeBase.in_memory()
    texts = [InputText(p.name, p.read_text(encoding="utf-8")) for p in lookup_texts()]
    ingest_texts(store, texts, base_iri=BASE)
    return store


@pytest.fixture(scope="module")
def app(kb: KnowledgeBase) -> Flask:
    app = create_app(Settings.from_env(environ={}, base_iri=BASE), kb=kb)
    app.testing = True
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def path(iri: str) -> str:
    return "/" + iri.removeprefix(BASE)


def html(client: FlaskClient, url: str) -> str:
    resp = client.get(url, headers=BROWSER)
    assert resp.status_code == 200, (url, resp.status_code, resp.data[:300])
    assert resp.mimetype == "text/html"
    return resp.data.decode()


@pytest.fixture(scope="module")
def xss_claim(kb: KnowledgeBase) -> str:
    view = entity_view(kb, ENAB)
    assert view is not None
    claims = [c for c in view.relayed if "__pwned" in c.content]
    assert claims, "the XSS text should give a claim relayed by Enab Baladi"
    return claims[0].iri


@pytest.fixture(scope="module")
def xss_comments(kb: KnowledgeBase) -> list[str]:
    view = entity_view(kb, ENAB)
    assert view is not None
    comments = sorted({j.comment.iri for j in view.judgements if "__pwned" in j.quote})
    assert len(comments) == 2
    return comments


# --------------------------------------------------------------------------- search
def test_search_page_groups_hits_by_kind(client: FlaskClient) -> None:
    page = html(client, "/search?q=Daesh")
    actors = page.split('id="actors"', 1)[1].split('id="sources"', 1)[0]
    assert '<a href="/entity/isis" class="hit">ISIS</a>' in actors
    assert "matched <q>Daesh</q>" in actors
    for kind in ("actors", "sources", "claims", "documents"):
        assert f'id="{kind}"' in page
    assert 'value="Daesh"' in page  # the search box keeps the query


def test_search_json_twin(client: FlaskClient) -> None:
    resp = client.get("/search.json", query_string={"q": "almasdar"}, headers=BROWSER)
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    body = resp.get_json()
    assert body["query"] == "almasdar"
    assert set(body["results"]) == {"actor", "source", "claim", "document"}
    top = body["results"]["source"][0]
    assert top["label"] == "Al-Masdar News" and top["href"] == "/entity/al-masdar-news"
    assert top["iri"] == AMN and top["matched"] == "almasdar"
    assert body["counts"]["source"] >= 1 and body["counts"]["document"] >= 1
    empty = client.get("/search.json?q=").get_json()
    assert empty["counts"] == {"actor": 0, "source": 0, "claim": 0, "document": 0}


def test_counts_past_the_cap_say_more_than(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hits are counted up to a cap (counting every hit of a common word cost 235 ms at
    100,000 documents); past it the page and the JSON say "more than"."""
    full = client.get("/search.json", query_string={"q": "said"}).get_json()
    assert full["more"] == [] and full["count_cap"] == 1000
    assert full["counts"]["document"] >= 3
    import kb.search
    import server.lookup

    monkeypatch.setattr(kb.search, "COUNT_CAP", 2)
    monkeypatch.setattr(server.lookup, "COUNT_CAP", 2)
    capped = client.get("/search.json", query_string={"q": "said"}).get_json()
    assert capped["more"] == ["claim", "document"] and capped["counts"]["document"] == 2
    assert capped["count_cap"] == 2
    page = html(client, "/search?q=said")
    assert "documents (more than 2)" in page and "more than 4 results" in page


def test_search_without_query_shows_examples(client: FlaskClient) -> None:
    page = html(client, "/search")
    assert "<h1>Search</h1>" in page and 'href="/search?q=Daesh"' in page


def test_the_search_index_is_built_once_per_release(app: Flask, client: FlaskClient) -> None:
    client.get("/search?q=isis")
    served = app.extensions[SERVED_KEY]
    index = served.cache[SEARCH_INDEX_KEY]
    assert isinstance(index, SearchIndex)
    client.get("/search.json?q=rudaw")
    assert served.cache[SEARCH_INDEX_KEY] is index


# --------------------------------------------------------------------------- entity pages
def test_source_page_shows_its_computed_grade_and_judgements(
    client: FlaskClient, kb: KnowledgeBase
) -> None:
    grade = compute_ratings(kb).sources[AMN].grade
    page = html(client, "/entity/al-masdar-news")
    assert "<h1>Al-Masdar News</h1>" in page
    assert f'<span class="badge grade grade-{grade}"' in page
    view = entity_view(kb, AMN)
    assert view is not None and view.judgements
    for j in view.judgements:
        assert f'<span class="badge polarity polarity-{j.polarity}">' in page
        assert f'href="{path(j.comment.iri)}"' in page
        before, cue, _after = j.quote.partition(j.cue)
        assert f"<mark>{cue}</mark>" in page and before.split()[-1] in page
    assert '<svg class="opinion-bar"' in page and "uncertainty 40%" in page
    assert 'class="provenance"' in page  # the provenance drawing, inline
    # the model's formula, which the ratings graph states once for all its ratings
    assert '<p class="formula">' in page and "E = b + a*u" in page


def test_actor_page_lists_aliases_claims_and_documents(client: FlaskClient) -> None:
    page = html(client, "/entity/isis")
    aliases = page.split('id="aliases"', 1)[1]
    assert "<li>Daesh</li>" in aliases and "<li>d’aesh</li>" in aliases
    assert 'id="claims-about"' in page and 'id="documents"' in page
    assert "actor-profile" in page


def test_entity_json_twin_is_the_view(client: FlaskClient, kb: KnowledgeBase) -> None:
    resp = client.get("/entity/al-masdar-news.json", headers=BROWSER)
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    body = resp.get_json()
    assert body.pop("page") == {"kind": "entity", "html": "/entity/al-masdar-news"}
    assert body["paging"].pop("previous") is None and body["paging"].pop("next") is None
    expected = json.loads(json.dumps(as_json(entity_view(kb, AMN))))
    assert body == expected
    assert body["rating"]["grade"] in "ABCDEF" and body["totals"]["judgements"] == 3


def test_turtle_twin_and_conneg_give_the_same_description(client: FlaskClient) -> None:
    twin = client.get("/entity/al-masdar-news.ttl", headers=BROWSER)
    assert twin.status_code == 200 and twin.mimetype == "text/turtle"
    g = Graph().parse(data=twin.data, format="turtle")
    assert (URIRef(AMN), SKOS.prefLabel, Literal("Al-Masdar News")) in g
    negotiated = client.get("/entity/al-masdar-news", headers={"Accept": "text/turtle"})
    assert negotiated.mimetype == "text/turtle"
    assert len(Graph().parse(data=negotiated.data, format="turtle")) == len(g)


def test_pages_advertise_their_twins(client: FlaskClient, xss_claim: str) -> None:
    for url in ("/entity/isis", path(xss_claim)):
        link = client.get(url, headers=BROWSER).headers["Link"]
        assert f"<{url}.json>" in link and f"<{url}.ttl>" in link


# --------------------------------------------------------------------------- claim pages
def test_claim_page_marks_its_span_inside_its_document(
    client: FlaskClient, kb: KnowledgeBase
) -> None:
    view = entity_view(kb, BASE + "entity/reuters")
    assert view is not None and view.relayed
    claim = claim_view(kb, view.relayed[0].iri)
    assert claim is not None
    page = html(client, path(claim.summary.iri))
    context = re.search(r'<blockquote class="context"[^>]*>(.*?)</blockquote>', page, re.S)
    assert context is not None
    marked = re.search(r'<mark class="evidence">(.*?)</mark>', context.group(1), re.S)
    assert marked is not None
    from markupsafe import escape

    assert marked.group(1) == str(escape(claim.span.text))
    document = document_view(kb, claim.summary.document.iri)
    assert document is not None
    assert claim.before + claim.span.text + claim.after in document.span.text
    assert "Reuters" in page and 'href="/entity/reuters"' in page  # the chain
    assert 'class="provenance"' in page
    assert claim.software and claim.software in page


def test_claim_json_twin(client: FlaskClient, xss_claim: str) -> None:
    body = client.get(path(xss_claim) + ".json").get_json()
    assert body["summary"]["iri"] == xss_claim and body["page"]["kind"] == "claim"
    assert SCRIPT in body["span"]["text"]  # JSON carries the text as it is


# --------------------------------------------------------------------------- documents
def test_document_page_links_its_mentions(client: FlaskClient, xss_comments: list[str]) -> None:
    page = html(client, path(xss_comments[0]))
    assert '<a class="mention" href="/entity/enab-baladi" title="Enab Baladi">Enab Baladi</a>' in (
        page
    )
    assert 'id="judgements"' in page
    body = client.get(path(xss_comments[0]) + ".json").get_json()
    assert body["kind"] == "comment" and body["page"]["kind"] == "document"


def test_generic_pages_stay_for_other_kinds(client: FlaskClient, kb: KnowledgeBase) -> None:
    view = entity_view(kb, AMN)
    assert view is not None and view.rating is not None
    page = html(client, path(view.rating.iri))
    assert "Pointing here" in page or "ratedSource" in page
    twin = client.get(path(view.rating.iri) + ".json")
    assert twin.status_code == 200 and twin.mimetype == "application/ld+json"
    assert client.get(path(view.judgements[0].iri) + ".ttl").mimetype == "text/turtle"


# --------------------------------------------------------------------------- errors
def test_unknown_resources_are_404(client: FlaskClient) -> None:
    resp = client.get("/entity/no-such-actor.json", headers=BROWSER)
    assert resp.status_code == 404 and resp.mimetype == "application/json"
    body = resp.get_json()
    assert body["ok"] is False and body["error"] == "E404" and "no-such-actor" in body["message"]
    page = client.get("/entity/no-such-actor", headers=BROWSER)
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert "<h1>Error 404</h1>" in page.data.decode()
    assert client.get("/claim/0000.ttl").status_code == 404
    assert client.get("/text/0000/comment/3").status_code == 404


# --------------------------------------------------------------------------- editor
def test_editor_offers_every_named_query_and_works_as_a_plain_form(client: FlaskClient) -> None:
    resp = client.get("/editor", headers=BROWSER)
    page = resp.data.decode()
    assert '<form class="query" id="editor-form" method="post" action="/sparql"' in page
    assert '<input type="hidden" name="format" value="html">' in page
    for name in named_queries():
        assert f'<option value="{name}"' in page
        assert f"/editor?example={name}" in page  # without JavaScript: a link per query
    chosen = client.get("/editor?example=source-reliability").data.decode()
    textarea = re.search(r'<textarea id="query"[^>]*>(.*?)</textarea>', chosen, re.S)
    assert textarea is not None and "VALUES ?source { &#34;amn&#34; }" in textarea.group(1)
    query = next(q for q in named_queries().values() if q.name == "source-reliability")
    assert query.title in chosen


def test_editor_page_loads_the_bundled_yasgui_under_a_same_origin_csp(
    client: FlaskClient,
) -> None:
    assert lookup.editor_bundle() is not None, (
        "the editor bundle is not built in server/static/yasgui/: run bash scripts/setup.sh"
    )
    resp = client.get("/editor", headers=BROWSER)
    page = resp.data.decode()
    stamp = lookup.editor_bundle()
    script = f'<script src="/static/yasgui/editor.js?v={stamp}" defer></script>'
    assert script in page and page.count("<script") == 1
    assert f'<link rel="stylesheet" href="/static/yasgui/editor.css?v={stamp}">' in page
    prefixes = re.search(r"data-prefixes='([^']*)'", page)
    assert prefixes is not None and json.loads(unescape(prefixes.group(1))) == PREFIXES
    assert 'data-endpoint="/sparql"' in page
    for asset, mimetype in (("editor.js", "text/javascript"), ("editor.css", "text/css")):
        served = client.get(f"/static/yasgui/{asset}?v={stamp}")
        assert served.status_code == 200 and served.mimetype == mimetype, asset
        assert len(served.data) > 10_000, asset
    csp = dict(d.strip().split(" ", 1) for d in resp.headers["Content-Security-Policy"].split(";"))
    assert csp["default-src"] == "'none'" and csp["script-src"] == "'self'"
    assert csp["connect-src"] == "'self'" and csp["img-src"] == "'self'"
    for source in csp["style-src"].split():
        # 'self', the hashes of YASGUI's few inline styles and the keyword that lets a hash
        # match a style attribute: no 'unsafe-inline', no other origin.
        assert source in ("'self'", "'unsafe-hashes'") or source.startswith("'sha256-"), source
    assert "unsafe-eval" not in resp.headers["Content-Security-Policy"]


def test_without_the_bundle_the_editor_is_the_plain_form(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(lookup, "EDITOR_BUNDLE", tmp_path)
    page = html(client, "/editor")
    assert "<script" not in page and "yasgui/editor.css" not in page
    assert "bash scripts/setup.sh" in page
    assert '<form class="query" id="editor-form" method="post" action="/sparql"' in page


# A browser's form sends CRLF line ends; WHERE is misspelt on line 3.
MISSPELT = (
    "PREFIX srkb: <https://w3id.org/srkb/ontology#>\r\nSELECT ?s\r\nWHER { ?s a srkb:Source }"
)
POSITION = re.compile(r'<p class="error-position" id="error-position">Line (\d+), column (\d+)</p>')
MARKED = re.compile(
    r'<span class="error-line"><span class="line-number">(\d+)</span>(.*?)</span>\n'
)


def test_a_syntax_error_page_shows_line_and_column_and_keeps_the_query(
    client: FlaskClient,
) -> None:
    api = client.post("/sparql", data={"query": MISSPELT}).get_json()
    assert api["error"] == "E400" and api["line"] == 3, api
    line, column = api["line"], api["column"]
    # The plain form (POST, as the no-JavaScript editor and /sparql send it) and a link.
    for resp in (
        client.post("/sparql", data={"query": MISSPELT, "format": "html"}, headers=BROWSER),
        client.get("/sparql", query_string={"query": MISSPELT}, headers=BROWSER),
    ):
        assert resp.status_code == 400 and resp.mimetype == "text/html"
        page = resp.data.decode()
        position = POSITION.search(page)
        assert position is not None and position.groups() == (str(line), str(column))
        textarea = re.search(r'<textarea id="query" name="query"[^>]*>(.*?)</textarea>', page, re.S)
        assert textarea is not None and unescape(textarea.group(1)) == MISSPELT
        marked = MARKED.search(page)
        assert marked is not None and marked.group(1) == str(line)
        wrong = MISSPELT.split("\r\n")[line - 1]
        assert unescape(re.sub(r"</?mark[^>]*>", "", marked.group(2))) == wrong
        mark = re.search(r'<mark class="error-at">(.*?)</mark>', marked.group(2))
        assert mark is not None and unescape(mark.group(1)) == (wrong[column - 1 : column] or " ")


def test_a_too_large_form_is_a_413_page_for_browsers(kb: KnowledgeBase) -> None:
    small = create_app(Settings.from_env(environ={}, base_iri=BASE, max_request_bytes=1000), kb=kb)
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 5000
    resp = small.test_client().post("/sparql", data={"query": query}, headers=BROWSER)
    assert resp.status_code == 413 and resp.mimetype == "text/html"
    assert "E413" in resp.data.decode() and "<textarea" not in resp.data.decode()


def test_other_query_errors_keep_the_query_but_named_queries_do_not_offer_a_form(
    client: FlaskClient,
) -> None:
    update = "INSERT DATA { <a:b> <a:c> <a:d> }"
    resp = client.post("/sparql", data={"query": update}, headers=BROWSER)
    assert resp.status_code in (400, 403) and "error-position" not in resp.data.decode()
    assert "INSERT DATA { &lt;a:b&gt;" in resp.data.decode()  # back in the form, escaped
    named = client.get("/queries/who-said-what?nope=1", headers=BROWSER)
    assert named.status_code == 400 and "<textarea" not in named.data.decode()


def test_editor_example_runs_through_the_endpoint(client: FlaskClient) -> None:
    body = client.get("/editor.json").get_json()
    example = next(e for e in body["examples"] if e["name"] == "source-reliability")
    resp = client.post("/sparql", data={"query": example["sparql"], "format": "html"})
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    assert resp.data.decode().count("<tr>") > 1
    assert int(resp.headers["SRKB-Rows"]) == 3


def test_no_other_page_may_run_scripts(client: FlaskClient, xss_claim: str) -> None:
    for url in ("/", "/search?q=isis", "/entity/isis", path(xss_claim), "/sparql"):
        resp = client.get(url, headers=BROWSER)
        assert "script-src" not in resp.headers["Content-Security-Policy"], url
        assert "<script" not in resp.data.decode(), url


# --------------------------------------------------------------------------- escaping
def test_script_and_img_from_comments_are_escaped_on_every_page(
    client: FlaskClient, kb: KnowledgeBase, xss_claim: str, xss_comments: list[str]
) -> None:
    urls = [
        "/search?q=pwned",
        "/search?q=enab",
        path(ENAB),
        path(xss_claim),
        *[path(c) for c in xss_comments],
    ]
    for url in urls:
        page = html(client, url)
        assert "window.__pwned" in page, url  # the text is shown ...
        assert "<script>window" not in page and "<img src=x" not in page, url  # ... as text
        assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page or (
            "&lt;script&gt;window.__pwned=1&lt;/script" in page  # cut in a search snippet
        ), url
    from markupsafe import escape

    for url in (path(xss_claim), *[path(c) for c in xss_comments]):
        assert str(escape(IMG)) in html(client, url), url  # &lt;img src=x onerror=&#34;...
    claim = claim_view(kb, xss_claim)
    assert claim is not None
    for url in (path(claim.text_iri), path(claim.text_iri.replace("/text/", "/graph/text/"))):
        page = html(client, url)
        assert "<script>window" not in page and "&lt;script&gt;window.__pwned=1" in page, url
    svg = html(client, path(xss_claim)).split('class="provenance"', 1)[1]
    assert "&lt;script&gt;" in svg.split("</svg>", 1)[0]


def test_search_query_is_escaped(client: FlaskClient) -> None:
    page = html(client, "/search?q=" + "%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --------------------------------------------------------------------------- accessibility
class _Audit(HTMLParser):
    """Collects what the accessibility basics need: headings, labels, controls, tables."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.h1 = 0
        self.labels: set[str] = set()
        self.controls: list[tuple[str, dict[str, Any]]] = []
        self.th_without_scope = 0
        self.skip_link = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "h1":
            self.h1 += 1
        elif tag == "label" and a.get("for"):
            self.labels.add(a["for"] or "")
        elif tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.controls.append((tag, a))
        elif tag == "th" and "scope" not in a:
            self.th_without_scope += 1
        elif tag == "a" and a.get("href") == "#main":
            self.skip_link = True


def test_pages_meet_the_accessibility_basics(
    client: FlaskClient, xss_claim: str, xss_comments: list[str]
) -> None:
    for url in (
        "/",
        "/search",
        "/search?q=Daesh",
        "/entity/al-masdar-news",
        "/entity/isis",
        path(xss_claim),
        path(xss_comments[0]),
        "/editor",
    ):
        audit = _Audit()
        audit.feed(html(client, url))
        assert audit.lang == "en", url
        assert audit.h1 == 1, url
        assert audit.skip_link, url
        for tag, attrs in audit.controls:
            assert attrs.get("id") in audit.labels, (url, tag, attrs)
        assert audit.th_without_scope == 0, url


def test_the_home_page_examples_do_not_load_the_search_names(kb: KnowledgeBase) -> None:
    """The example of an IRI parameter is Reuters, found by its name key in the store:
    neither the home page nor the editor loads the search index's names for it (10 s per
    server worker at 100,000 documents, on the first home page each served)."""
    fresh = create_app(Settings.from_env(environ={}, base_iri=BASE), kb=kb)
    client = fresh.test_client()
    assert "entity/reuters" in html(client, "/")  # in the examples' links
    examples = client.get("/editor.json").get_json()["examples"]
    example = next(e for e in examples if e["name"] == "triple-provenance")
    assert f"<{BASE}entity/reuters>" in example["sparql"]
    with fresh.test_request_context():
        index = app_cache().get(SEARCH_INDEX_KEY)
    assert index is None or not index._loaded


def test_a_served_store_reads_its_search_names_before_the_first_search(tmp_path: Path) -> None:
    """A server worker reads the search index's names in the background as it starts (10 s
    at 100,000 documents), so the first search does not wait for them."""
    data = tmp_path / "data"
    with KnowledgeBase.open(data) as store:
        ingest_texts(
            store, [InputText("seed.txt", SEED_PATH.read_text(encoding="utf-8"))], base_iri=BASE
        )
    app = create_app(Settings.from_env(environ={}, base_iri=BASE, data_dir=data, query_processes=0))
    deadline = time.monotonic() + 30
    while True:  # no request made
        with app.test_request_context():
            index = app_cache().get(SEARCH_INDEX_KEY)
        if index is not None and index._loaded:
            break
        assert time.monotonic() < deadline, "the names were not read within 30 s"
        time.sleep(0.05)
    hits = app.test_client().get("/search?q=Reuters", headers=BROWSER)
    assert hits.status_code == 200 and "entity/reuters" in hits.data.decode()
