"""The web pages in a real browser: Playwright drives Debian's Chromium against a live
``srkb serve`` over the seed, the project's examples and a text whose reader comments
carry ``<script>`` and ``<img onerror>``.

Searching "Daesh" finds ISIS; Al-Masdar News's page shows the grade kb.reliability computes
and every reader judgement with its quote; a claim page marks its evidence span inside its
document's text; the SPARQL editor (YASGUI) runs a named query, pages through and
downloads the answer, marks the line and column of a syntax error and makes no request
outside the server's origin; keyboard and no-JavaScript use (the plain form, whose error
page keeps the query); colour contrast; and no script from the texts ever runs. The tests
write screenshots to tests/artifacts/screenshots/ (SRKB_SCREENSHOTS=docs/screenshots
refreshes the README's).

``bash scripts/test.sh`` installs Chromium (Debian's package); without it these tests are
skipped with the reason.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from kb.config import Settings
from kb.reliability import compute_ratings
from kb.store import KnowledgeBase
from kb.views import ClaimView, claim_view, document_view, entity_view

from .conftest import LiveServer, run_srkb, start_server
from .helpers import PROJECT_ROOT, SEED_PATH

pytestmark = pytest.mark.slow

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Screenshots go to tests/artifacts/ (git-ignored) so a test run leaves the tree clean;
# SRKB_SCREENSHOTS=docs/screenshots refreshes the README's pictures.
SCREENSHOTS = PROJECT_ROOT / os.environ.get("SRKB_SCREENSHOTS", "tests/artifacts/screenshots")
XSS_PATH = PROJECT_ROOT / "tests" / "lookup_texts" / "xss-comment.txt"
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
VIEWPORT = {"width": 1200, "height": 900}
ROW_LIMIT = 5000

if CHROMIUM is None:
    pytest.skip(
        "Chromium is not installed (bash scripts/test.sh installs Debian's chromium)",
        allow_module_level=True,
    )


@dataclass
class Site:
    server: LiveServer
    kb: KnowledgeBase
    base: str

    def url(self, iri_or_path: str) -> str:
        return self.server.url + iri_or_path.removeprefix(self.base).lstrip("/")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    if not SEED_PATH.is_file():
        pytest.skip(f"seed text not found at {SEED_PATH}")
    data = tmp_path_factory.mktemp("browser") / "data"
    # Paths relative to the project root (run_srkb's working directory), as a user types
    # them: they become the texts' file names on the pages and in the screenshots.
    texts = [SEED_PATH, PROJECT_ROOT / "examples", XSS_PATH]
    done = run_srkb("ingest", *(os.path.relpath(t, PROJECT_ROOT) for t in texts), data=data)
    assert done.returncode == 0, done.stderr
    # A row limit below the number of quads, so the editor can be shown a partial answer.
    server = start_server(
        data,
        tmp_path_factory.mktemp("browser-log") / "serve.stderr",
        env={"SRKB_MAX_ROWS": str(ROW_LIMIT)},
    )
    kb = KnowledgeBase.open(data, read_only=True)
    try:
        yield Site(server, kb, Settings.from_env().base_iri)
    finally:
        server.stop()
        kb.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Watch:
    """What a page did that it must not: console errors, uncaught errors, dialogs."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # URLs, where a test records them


def open_page(browser: Any, *, javascript: bool = True) -> tuple[Any, Any, Watch]:
    context = browser.new_context(viewport=VIEWPORT, java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch = Watch()
    page.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watch.errors.append(str(e)))

    def dialog(d: Any) -> None:
        watch.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    return context, page, watch


@pytest.fixture
def page(browser: Any) -> Iterator[tuple[Any, Watch]]:
    context, page, watch = open_page(browser)
    yield page, watch
    context.close()


def screenshot(page: Any, name: str, *, full_page: bool = True, element: str = "") -> None:
    """The page (or one element of it) as SCREENSHOTS/name."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if element:
        page.locator(element).screenshot(path=str(SCREENSHOTS / name))
    else:
        page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)


def tab_to(page: Any, element_id: str, limit: int = 40) -> list[str]:
    """Press Tab until the element has the focus; the ids passed on the way."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement && document.activeElement.id")
        seen.append(focused or "")
        if focused == element_id:
            return seen
    raise AssertionError(f"Tab never reached #{element_id}: {seen}")


def source_claim(site: Site) -> ClaimView:
    """The claim Xelil told Reuters (the seed's first relayed claim)."""
    reuters = entity_view(site.kb, site.base + "entity/reuters")
    assert reuters is not None and reuters.relayed
    claim = claim_view(site.kb, reuters.relayed[0].iri)
    assert claim is not None
    return claim


# --------------------------------------------------------------------------- tests
def test_searching_daesh_finds_isis(site: Site, page: tuple[Any, Watch]) -> None:
    p, watch = page
    p.goto(site.url("/"))
    tab_to(p, "site-search-q")  # the search box is reachable by keyboard ...
    outline = p.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # ... and shows where the focus is
    p.keyboard.type("Daesh")
    p.keyboard.press("Enter")
    p.wait_for_url(re.compile(r"/search\?q=Daesh$"))
    actors = p.locator("section.hits-actor")
    isis = actors.locator("a.hit", has_text="ISIS")
    assert isis.count() == 1 and isis.is_visible()
    assert isis.get_attribute("href") == "/entity/isis"
    assert "armed group" in actors.inner_text() and "matched Daesh" in actors.inner_text()
    assert p.locator("section.hits-claim li").count() > 0
    screenshot(p, "search.png", full_page=False)
    isis.click()
    p.wait_for_url(re.compile(r"/entity/isis$"))
    assert p.locator("h1").inner_text() == "ISIS"
    assert watch.errors == [] and watch.dialogs == []


def test_al_masdar_news_shows_its_grade_and_reader_judgements(
    site: Site, page: tuple[Any, Watch]
) -> None:
    p, watch = page
    amn = site.base + "entity/al-masdar-news"
    expected = compute_ratings(site.kb).sources[amn].grade
    view = entity_view(site.kb, amn)
    assert view is not None and view.judgements
    p.goto(site.url(amn))
    assert p.locator("h1").inner_text() == "Al-Masdar News"
    badge = p.locator('section[aria-labelledby="reliability"] .grade-line .badge')
    assert badge.inner_text() == expected
    assert p.locator(".grade-line").first.inner_text().startswith(f"{expected} ")
    items = p.locator("ul.judgements li.judgement")
    assert items.count() == len(view.judgements)
    for i, j in enumerate(view.judgements):
        item = items.nth(i)
        assert item.locator("blockquote.quote").inner_text() == j.quote
        assert item.locator("blockquote.quote mark").inner_text().casefold() == j.cue.casefold()
        assert item.locator(".polarity").inner_text() == j.polarity
        assert item.locator(f'a[href="/{j.comment.iri.removeprefix(site.base)}"]').count() == 1
    assert p.locator("svg.opinion-bar").is_visible()
    assert p.locator("svg.provenance").is_visible()
    screenshot(p, "source.png")
    assert watch.errors == [] and watch.dialogs == []


def test_a_claim_page_marks_its_span_in_the_document(site: Site, page: tuple[Any, Watch]) -> None:
    p, watch = page
    claim = source_claim(site)
    document = document_view(site.kb, claim.summary.document.iri)
    assert document is not None
    p.goto(site.url(claim.summary.iri))
    context = p.locator("blockquote.context")
    mark = context.locator("mark.evidence")
    assert mark.count() == 1
    assert mark.inner_text() == claim.span.text
    shown = context.inner_text()
    assert claim.span.text in shown and shown in document.span.text
    box, inner = context.bounding_box(), mark.bounding_box()
    assert box is not None and inner is not None
    assert box["y"] <= inner["y"] and inner["y"] + inner["height"] <= box["y"] + box["height"]
    chain = p.locator("ol.chain").inner_text()
    assert "Aldar Xelil" in chain and "Reuters" in chain
    screenshot(p, "claim.png")
    assert watch.errors == [] and watch.dialogs == []


# --------------------------------------------------------------------------- the editor
# A query whose WHERE is misspelt on line 3 (the editor's and the plain form's test).
MISSPELT = "PREFIX srkb: <https://w3id.org/srkb/ontology#>\nSELECT ?s\nWHER { ?s a srkb:Source }"


def sparql_json(site: Site, query: str) -> dict[str, Any]:
    """The endpoint's own JSON answer (or JSON error) for a query: what the page must show."""
    request = urllib.request.Request(
        site.server.sparql_url,
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json, application/json;q=0.5"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return dict(json.load(resp))
    except urllib.error.HTTPError as error:
        return dict(json.load(error))


def example_sparql(site: Site, name: str) -> str:
    with urllib.request.urlopen(site.url("/editor.json"), timeout=10) as resp:
        examples = json.load(resp)["examples"]
    return str(next(e["sparql"] for e in examples if e["name"] == name))


def open_editor(site: Site, browser: Any, path: str = "/editor") -> tuple[Any, Any, Watch]:
    """The editor page, with every request the page makes recorded in ``watch.requests``."""
    context, p, watch = open_page(browser)
    context.on("request", lambda r: watch.requests.append(r.url))
    p.goto(site.url(path))
    p.locator(".yasqe .CodeMirror").wait_for()
    return context, p, watch


ACTIVE_EDITOR = "document.querySelector('.tabPanel.active .yasqe .CodeMirror').CodeMirror"


def editor_text(p: Any) -> str:
    """The query in the active tab's editor."""
    return str(p.evaluate(f"{ACTIVE_EDITOR}.getValue()"))


def set_editor_text(p: Any, text: str) -> None:
    p.evaluate(f"(t) => {ACTIVE_EDITOR}.setValue(t)", text)


def in_editor(p: Any) -> bool:
    """The focus is in the query (CodeMirror's text input), not on a button beside it."""
    return bool(p.evaluate("document.activeElement.matches('.yasqe .CodeMirror textarea')"))


def run_in_editor(p: Any) -> None:
    """Ctrl+Enter in the editor, as a user runs a query."""
    p.click(".tabPanel.active .yasqe .CodeMirror-code")
    p.keyboard.press("Control+Enter")


def assert_same_origin(site: Site, watch: Watch) -> None:
    """Every request went to the server's origin (a download's blob: URL is the page's)."""
    origin = site.server.url.rstrip("/")
    assert watch.requests, "no request recorded"
    outside = [u for u in watch.requests if not u.startswith((origin + "/", f"blob:{origin}/"))]
    assert outside == [], outside


def test_the_editor_runs_a_named_query_and_pages_through_the_results(
    site: Site, browser: Any
) -> None:
    context, p, watch = open_editor(site, browser)
    try:
        assert p.locator("#editor-form").is_hidden()  # YASGUI replaces the plain form
        assert p.locator("#load-example").is_hidden()  # choosing an example loads it
        tab_to(p, "example")  # the examples are reachable by keyboard
        p.select_option("#example", "actor-profile")
        sparql = example_sparql(site, "actor-profile")
        assert editor_text(p) == sparql
        assert p.locator(".yasgui .tab.active a span").inner_text() == "An actor's profile"
        expected = sparql_json(site, sparql)
        variables = expected["head"]["vars"]
        bindings = expected["results"]["bindings"]
        assert len(bindings) > 20, "the example should give more than two pages of 10 rows"
        # Syntax highlighting: keywords, variables and prefixed names get their own classes.
        assert p.locator(".yasqe .cm-keyword", has_text="SELECT").count() >= 1
        assert p.locator(".yasqe .cm-atom", has_text="?name").count() >= 1
        for _ in range(10):  # the editor is next by keyboard; Ctrl+Enter runs the query
            p.keyboard.press("Tab")
            if in_editor(p):
                break
        assert in_editor(p), "Tab from the examples never reached the editor"
        p.keyboard.press("Control+Enter")
        table = p.locator(".yasr table.dataTable")
        table.locator("tbody tr").first.wait_for()
        headers = table.locator("thead th").all_inner_texts()
        assert [h.strip() for h in headers[1:]] == variables
        assert p.locator("#query-status").inner_text() == f"{len(bindings)} rows."
        info = p.locator(".yasr .dt-info")
        assert info.inner_text() == f"Showing 1 to {len(bindings)} of {len(bindings)} entries"
        p.select_option(".yasr select.tableSizer", "10")
        assert info.inner_text() == f"Showing 1 to 10 of {len(bindings)} entries"
        screenshot(p, "editor.png", element="#editor-app")
        p.click(".yasr .dt-paging button.next")
        assert info.inner_text() == f"Showing 11 to 20 of {len(bindings)} entries"
        first = table.locator("tbody tr").first.locator("td")
        assert first.nth(0).inner_text() == "11"  # the row number
        assert first.nth(1).inner_text() == bindings[10][variables[0]]["value"]
        p.click(".yasr .dt-paging button.next")
        assert (
            info.inner_text()
            == f"Showing 21 to {min(30, len(bindings))} of {len(bindings)} entries"
        )
        # Download: the whole answer as CSV, a header and one line per row.
        with p.expect_download() as download:
            p.click(".yasr .yasr_downloadIcon")
        rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
        assert rows[0] == variables and len(rows) == len(bindings) + 1
        assert download.value.suggested_filename.endswith(".csv")
        # Tab indents inside the editor; Esc leaves it, and Tab goes on to what follows.
        p.click(".tabPanel.active .yasqe .CodeMirror-code")
        p.keyboard.press("Escape")
        p.keyboard.press("Tab")
        assert not in_editor(p) and p.evaluate("document.activeElement !== document.body")
        assert_same_origin(site, watch)
        assert watch.errors == [] and watch.dialogs == []
    finally:
        context.close()


def test_an_example_never_replaces_a_query_being_written(site: Site, browser: Any) -> None:
    context, p, watch = open_editor(site, browser, "/editor?example=who-said-what")
    try:
        assert editor_text(p) == example_sparql(site, "who-said-what")
        p.select_option("#example", "claim-credibility")  # an unchanged example: replaced
        assert p.locator(".yasgui .tabsList .tab").count() == 1
        assert editor_text(p) == example_sparql(site, "claim-credibility")
        mine = "SELECT ?claim WHERE { ?claim a <https://w3id.org/srkb/ontology#Claim> }"
        set_editor_text(p, mine)
        p.select_option("#example", "source-relayed")  # the user's own query: a new tab
        tabs = p.locator(".yasgui .tabsList .tab")
        assert tabs.count() == 2 and editor_text(p) == example_sparql(site, "source-relayed")
        assert p.locator(".yasgui .tab.active a span").inner_text() == "Everything a source relayed"
        tabs.first.locator("a").click()
        assert editor_text(p) == mine
        p.reload()  # tabs are kept in the browser
        p.locator(".yasqe .CodeMirror").wait_for()
        assert p.locator(".yasgui .tabsList .tab").count() == 2
        assert watch.errors == []
    finally:
        context.close()


def test_the_editor_says_when_an_answer_is_cut_at_the_row_limit(site: Site, browser: Any) -> None:
    context, p, watch = open_editor(site, browser)
    try:
        every_quad = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
        assert site.kb.quad_count() > ROW_LIMIT
        set_editor_text(p, every_quad)
        run_in_editor(p)
        # ROW_LIMIT rows to fetch and lay out: slow in a browser sharing the CPU with the
        # other pytest worker
        p.locator(".yasr table.dataTable tbody tr, .yasr .srkb-query-error").first.wait_for(
            timeout=30_000
        )
        status = p.locator("#query-status").inner_text()
        if p.locator(".yasr .srkb-query-error").count():
            assert "LIMIT" in status  # refused: the message says what to add
        else:
            assert status.startswith(f"{ROW_LIMIT} rows. The answer is partial"), status
            assert f"limit of {ROW_LIMIT} rows" in status
            info = p.locator(".yasr .dt-info").inner_text()
            assert info.endswith(f"of {ROW_LIMIT:,} entries")
        assert [e for e in watch.errors if "status of 400" not in e] == []
    finally:
        context.close()


def test_a_misspelt_keyword_shows_its_line_and_column_in_the_editor(
    site: Site, browser: Any
) -> None:
    context, p, watch = open_editor(site, browser)
    try:
        api = sparql_json(site, MISSPELT)
        assert api["error"] == "E400" and api["line"] == 3, api
        line, column = api["line"], api["column"]
        set_editor_text(p, MISSPELT)
        run_in_editor(p)
        shown = p.locator(".yasr .srkb-query-error")
        shown.wait_for()
        assert shown.locator(".srkb-error-position").inner_text() == (
            f"Line {line}, column {column}"
        )
        assert shown.locator(".srkb-error-message").inner_text() == api["message"]
        status = p.locator("#query-status").inner_text()
        assert status.startswith(f"Line {line}, column {column}: ")
        # The line is marked in the editor, and the character the parser stopped at.
        marked = p.locator(".CodeMirror-code > div:has(.srkb-error-line)")
        assert marked.count() == 1
        assert marked.locator(".CodeMirror-linenumber").inner_text() == str(line)
        wrong = MISSPELT.split("\n")[line - 1]
        assert p.locator(".srkb-error-at").inner_text() == wrong[column - 1 : column]
        screenshot(p, "editor-error.png", element="#editor-app")
        # Yasqe's own check marks the line too; its tooltip (a hashed inline style) is allowed.
        p.locator(".CodeMirror-gutter-elt .parseErrorIcon").first.hover()
        # Changing the query clears the mark.
        p.click(".yasqe .CodeMirror-code")
        p.keyboard.press("End")
        p.keyboard.type(" ")
        assert p.locator(".srkb-error-line").count() == 0
        assert_same_origin(site, watch)
        # The 400 itself is logged by the browser; nothing else may be (no CSP violation).
        assert [e for e in watch.errors if "status of 400" not in e] == []
    finally:
        context.close()


def test_no_request_leaves_the_origin(site: Site, browser: Any) -> None:
    # A shared link may name another endpoint: srkb's editor still asks only its own.
    link = "/editor?" + urllib.parse.urlencode(
        {"query": "ASK { ?s ?p ?o }", "endpoint": "http://203.0.113.9/sparql"}
    )
    context, p, watch = open_editor(site, browser, link)
    try:
        p.locator(".yasr .booleanResult").wait_for()  # the link's query ran, here
        assert editor_text(p) == "ASK { ?s ?p ?o }"
        assert p.locator("#query-status").inner_text() == "ASK: true."
        # Prefix completion offers srkb's prefixes (kb/vocab.py), from the page itself.
        set_editor_text(p, "")
        p.click(".yasqe .CodeMirror-code")
        p.keyboard.type("PREFIX pr")
        hints = p.locator(".CodeMirror-hints li")
        hints.first.wait_for()
        assert hints.all_inner_texts() == ["prov: <http://www.w3.org/ns/prov#>"]
        p.keyboard.press("Enter")
        # Using an undeclared srkb prefix adds its PREFIX line.
        p.keyboard.type("\nSELECT ?source WHERE { ?source a srkb:")
        p.wait_for_function(
            "document.querySelector('.yasqe .CodeMirror').CodeMirror.getValue()"
            ".includes('PREFIX srkb: <https://w3id.org/srkb/ontology#>')"
        )
        p.keyboard.type("Source }")
        run_in_editor(p)
        p.locator(".yasr table.dataTable tbody tr").first.wait_for()
        # The sources' IRIs link to their pages here, not to the base IRI's host.
        links = p.locator(".yasr a.iri")
        assert links.count() > 0
        for i in range(links.count()):
            iri, href = links.nth(i).inner_text().strip("<>"), links.nth(i).get_attribute("href")
            assert iri.startswith(site.base) and href == "/" + iri.removeprefix(site.base)
        # Resizing a column (column-resizer's hashed inline style) and a new tab.
        column = p.locator(".yasr table.dataTable thead th").first  # the row numbers
        width = column.bounding_box()["width"]
        box = p.locator(".yasr .grip-handle .grip-resizable").first.bounding_box()
        assert box is not None
        p.mouse.move(box["x"] + box["width"] / 2, box["y"] + 5)
        p.mouse.down()
        p.mouse.move(box["x"] + 80, box["y"] + 5, steps=5)
        p.mouse.up()
        assert column.bounding_box()["width"] > width + 40
        p.click(".yasgui .addTab")
        assert p.locator(".yasgui .tabsList .tab").count() == 2
        p.wait_for_load_state("networkidle")
        assert_same_origin(site, watch)
        assert watch.errors == [] and watch.dialogs == []
    finally:
        context.close()


def test_pages_work_without_javascript(site: Site, browser: Any) -> None:
    context, p, watch = open_page(browser, javascript=False)
    try:
        p.goto(site.url("/search?q=almasdar"))
        link = p.locator("section.hits-source a.hit", has_text="Al-Masdar News")
        assert link.is_visible()
        link.click()
        assert p.locator(".grade-line .badge").is_visible()
        p.goto(site.url("/editor"))
        assert p.locator("#load-example").is_visible() and p.locator("#yasgui").inner_html() == ""
        p.select_option("#example", "who-said-what")
        p.click("#load-example")
        p.wait_for_url(re.compile(r"example=who-said-what"))
        assert "srkb:speaker" in p.input_value("#query")
        p.click("#run-query")  # a plain form POST to /sparql: the server draws the table
        p.wait_for_url(re.compile(r"/sparql$"))
        assert p.locator("table.results tbody tr").count() > 0
        assert watch.errors == []
    finally:
        context.close()


def test_without_javascript_a_syntax_error_shows_where_and_keeps_the_query(
    site: Site, browser: Any
) -> None:
    context, p, watch = open_page(browser, javascript=False)
    try:
        api = sparql_json(site, MISSPELT)
        p.goto(site.url("/editor"))
        p.fill("#query", MISSPELT)
        p.click("#run-query")
        p.wait_for_url(re.compile(r"/sparql$"))
        assert p.locator("h1").inner_text() == "Error 400"
        position = f"Line {api['line']}, column {api['column']}"
        assert p.locator("#error-position").inner_text() == position
        marked = p.locator("pre.query-listing .error-line")
        assert marked.locator(".line-number").inner_text() == str(api["line"])
        assert marked.inner_text().endswith(MISSPELT.split("\n")[api["line"] - 1])
        kept = p.input_value("#query").replace("\r\n", "\n")
        assert kept == MISSPELT  # the query is back in the form, to be corrected
        fixed = kept.replace("WHER {", "WHERE {")
        p.fill("#query", fixed)
        p.click("form.query button[type=submit]")
        p.wait_for_url(re.compile(r"/sparql$"))
        rows = p.locator("table.results tbody tr")
        assert rows.count() == len(sparql_json(site, fixed)["results"]["bindings"]) > 0
        assert [e for e in watch.errors if "status of 400" not in e] == []
    finally:
        context.close()


def _xss_pages(site: Site) -> list[str]:
    enab = entity_view(site.kb, site.base + "entity/enab-baladi")
    assert enab is not None
    claims = [c.iri for c in enab.relayed if "__pwned" in c.content]
    comments = sorted({j.comment.iri for j in enab.judgements if "__pwned" in j.quote})
    judgements = [j.iri for j in enab.judgements if "__pwned" in j.quote]
    assert claims and len(comments) == 2 and judgements
    claim = claim_view(site.kb, claims[0])
    assert claim is not None
    text_id = claim.text_iri.removeprefix(site.base + "text/")
    return [
        "/search?q=pwned",
        "/search?q=Enab+Baladi",
        enab.iri,
        *claims,
        *comments,
        judgements[0],  # the generic resource pages show the text too
        claim.text_iri,
        f"/graph/text/{text_id}",
    ]


def test_no_script_from_a_comment_ever_runs(site: Site, browser: Any) -> None:
    for target in _xss_pages(site):
        url = site.url(target)
        with urllib.request.urlopen(
            urllib.request.Request(url, headers={"Accept": "text/html"}), timeout=10
        ) as resp:
            source = resp.read().decode()
        assert "<script>window" not in source and "<img src=x" not in source, url
        assert "&lt;script&gt;window.__pwned=1" in source, url
        context, p, watch = open_page(browser)
        try:
            p.goto(url)
            p.wait_for_load_state("load")
            assert p.evaluate("typeof window.__pwned") == "undefined", url
            assert p.locator('img[src="x"]').count() == 0, url
            assert p.locator("script").count() == 0, url
            text = p.locator("main").inner_text()
            assert "<script>window.__pwned=1" in text, url  # shown, as text
            if "/claim/" in url or "/comment/" in url:
                assert SCRIPT in text and IMG in text, url
            assert watch.dialogs == [] and watch.errors == [], (url, watch)
        finally:
            context.close()


_COLOURS = """(selectors) => selectors.map((sel) => {
  const el = document.querySelector(sel);
  if (!el) { return [sel, null, null]; }
  let node = el, bg = null;
  while (node && node.nodeType === 1) {
    const c = getComputedStyle(node).backgroundColor;
    if (c && c !== "rgba(0, 0, 0, 0)" && c !== "transparent") { bg = c; break; }
    node = node.parentElement;
  }
  return [sel, getComputedStyle(el).color, bg || "rgb(255, 255, 255)"];
})"""


def _luminance(colour: str) -> float:
    r, g, b = (int(x) / 255 for x in re.findall(r"\d+(?:\.\d+)?", colour)[:3])

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(fg: str, bg: str) -> float:
    a, b = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_text_colours_meet_wcag_aa(site: Site, page: tuple[Any, Watch]) -> None:
    p, _watch = page
    checks = {
        "/entity/al-masdar-news": [
            "main p.lead",
            "main .note",
            "main a",
            "header nav a",
            "header label",
            ".grade-line .badge",
            ".polarity-negative",
            ".polarity-positive",
            "blockquote.quote",
            "blockquote.quote mark",
            "dl.facts dt",
            "table.claims .cred",
        ],
        "/search?q=Daesh": [".matched", "p.snippet", "a.hit"],
        "/editor": ["label[for=example]", "#example-description", "#query-help", "button"],
    }
    for target, selectors in checks.items():
        p.goto(site.url(target))
        for sel, fg, bg in p.evaluate(_COLOURS, selectors):
            assert fg is not None, f"{target}: nothing matches {sel}"
            assert contrast(fg, bg) >= 4.5, (target, sel, fg, bg, contrast(fg, bg))
    # YASGUI's editor and result table, with an answer on screen.
    p.goto(site.url("/editor?example=source-relayed"))
    run_in_editor(p)
    p.locator(".yasr table.dataTable tbody tr").first.wait_for()
    yasgui = [
        "#query-status",
        ".yasgui .tabsList .tab.active a",
        ".yasqe .cm-comment",
        ".yasqe .cm-keyword",
        ".yasqe .cm-atom",
        ".yasqe .cm-string-2",
        ".yasqe .cm-variable-3",
        ".yasqe .CodeMirror-linenumber",
        ".yasr .yasr_response_chip",
        ".yasr .yasr_btn.selected",
        ".yasr .yasr_btn:not(.selected)",
        ".yasr .tableControls .label",
        ".yasr .dt-info",
        ".yasr table.dataTable th",
        ".yasr table.dataTable td",
        ".yasr a.iri",
    ]
    for sel, fg, bg in p.evaluate(_COLOURS, yasgui):
        assert fg is not None, f"/editor: nothing matches {sel}"
        assert contrast(fg, bg) >= 4.5, ("/editor", sel, fg, bg, contrast(fg, bg))
