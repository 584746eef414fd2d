"""The web pages in a real browser: Playwright drives Debian's Chromium against a live
``srkb serve`` over the seed, the project's examples and a text whose reader comments
carry ``<script>`` and ``<img onerror>``.

Searching "Daesh" finds ISIS; Al-Masdar News's page shows the grade kb.reliability computes
and every reader judgement with its quote; a claim page marks its evidence span inside its
document's text; the SPARQL editor runs an example and draws a result table; keyboard and
no-JavaScript use; colour contrast; and no script from the texts ever runs. The tests
write screenshots to tests/artifacts/screenshots/ (SRKB_SCREENSHOTS=docs/screenshots
refreshes the README's).

``bash scripts/test.sh`` installs Chromium (Debian's package); without it these tests are
skipped with the reason.
"""

from __future__ import annotations

import os
import re
import shutil
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
    server = start_server(data, tmp_path_factory.mktemp("browser-log") / "serve.stderr")
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


def screenshot(page: Any, name: str, *, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
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


def test_the_editor_runs_an_example_query(site: Site, page: tuple[Any, Watch]) -> None:
    p, watch = page
    p.goto(site.url("/editor"))
    assert p.locator("#load-example").is_hidden()  # the script fills the editor itself
    tab_to(p, "example")
    p.select_option("#example", "source-reliability")
    assert 'VALUES ?source { "AMN" }' in p.input_value("#query")
    tab_to(p, "query")  # the editor is reachable by keyboard; Ctrl+Enter runs it
    p.keyboard.press("Control+Enter")
    rows = p.locator("#results-table tbody tr")
    rows.first.wait_for()
    assert rows.count() >= 3
    headers = p.locator("#results-table thead th").all_inner_texts()
    assert "?grade" in headers and "?evidenceText" in headers
    assert "rows in" in p.locator("#query-status").inner_text()
    screenshot(p, "editor.png", full_page=False)
    # A broken query shows the endpoint's message, as text.
    p.fill("#query", "SELECT * WHERE { <x> ?p }")
    p.click("#run-query")
    p.locator("#results p.error").wait_for()
    assert p.locator("#results p.error").inner_text().startswith("Error 400")
    assert [e for e in watch.errors if "400" not in e] == [] and watch.dialogs == []


def test_pages_work_without_javascript(site: Site, browser: Any) -> None:
    context, p, watch = open_page(browser, javascript=False)
    try:
        p.goto(site.url("/search?q=almasdar"))
        link = p.locator("section.hits-source a.hit", has_text="Al-Masdar News")
        assert link.is_visible()
        link.click()
        assert p.locator(".grade-line .badge").is_visible()
        p.goto(site.url("/editor"))
        assert p.locator("#load-example").is_visible()
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
        "/editor": ["label[for=query]", "#query-help", "button"],
    }
    for target, selectors in checks.items():
        p.goto(site.url(target))
        for sel, fg, bg in p.evaluate(_COLOURS, selectors):
            assert fg is not None, f"{target}: nothing matches {sel}"
            assert contrast(fg, bg) >= 4.5, (target, sel, fg, bg, contrast(fg, bg))
