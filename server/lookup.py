"""Blueprint "lookup": the pages people read without writing SPARQL.

* ``/search?q=...`` finds actors, sources, claims and documents by label, alias, domain
  and words (kb.search: forgiving of case, accents, apostrophes and reader spellings);
  ``/search.json`` is its twin. The index is the snapshot's own, on disk (kb.search:
  written at ingest, copied with the snapshot), opened once per app.
* The rich pages of actors and sources (``/entity/KEY``, ``/text/ID/unnamed/SLUG``),
  claims (``/claim/H``) and documents (``/text/ID/article``, ``/text/ID/comment/N``).
  Their stable URL is the resource's own IRI path: server.linked_data answers it and
  hands browsers (HTML by Accept) to ``render_page`` here; ``PATH.json`` is the
  kb.views dataclass as JSON and ``PATH.ttl`` the Linked Data description.
* ``/editor``: the SPARQL editor, YASGUI (syntax highlighting, prefix completion, result
  tables with paging and download) with the named provenance queries as examples. Under it
  is a plain form that POSTs to /sparql (an HTML results table), which is what a browser
  without JavaScript uses. The bundle (``static/yasgui/``, built from server/web/ by
  scripts/setup.sh) is the only script of the site, allowed by this page's
  Content-Security-Policy alone; every request it makes goes to this server.

Every string shown comes from untrusted texts: templates autoescape, nothing from the
data is marked safe, and the provenance drawings escape their labels
(server.provenance_svg).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from flask import (
    Blueprint,
    Flask,
    Response,
    jsonify,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from kb.errors import InputError
from kb.search import COUNT_CAP, KINDS, SearchHit, SearchIndex
from kb.views import (
    MAX_PAGE,
    ClaimView,
    DocumentView,
    EntityView,
    as_json,
    claim_view,
    document_view,
    entity_view,
)
from kb.vocab import PREFIXES

from . import provenance_svg
from .context import app_cache, app_lock, get_kb, get_settings, served
from .examples import named_examples

logger = logging.getLogger(__name__)

bp = Blueprint("lookup", __name__)

SEARCH_INDEX_KEY = "srkb.search_index"
_SEARCH_LOCK_KEY = "srkb.search_lock"
MAX_QUERY_CHARS = 200
SEARCH_LIMIT = 20
SEARCH_EXAMPLES = ("Daesh", "almasdar", "Xelil", "liveuamap", "joint operation")
KIND_TITLES = {"actor": "Actors", "source": "Sources", "claim": "Claims", "document": "Documents"}
# The editor's script is the only one on the site: this page alone may run it. Same
# origin only, no 'unsafe-eval' (nothing in the bundle evaluates strings) and no
# 'unsafe-inline': YASGUI's inline styles are allowed one by one, by the hash of their
# exact text (sha256, base64), so no other inline style can apply:
_EDITOR_STYLE_HASHES = (
    # column-resizer (Yasr's result table) adds this <style> when it draws a table ...
    "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='",
    # ... and "*{cursor:col-resize!important}" while a column is being dragged;
    "'sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg='",
    # Yasqe's syntax-check tooltip underlines the expected tokens with the attribute
    # style="text-decoration:underline" ('unsafe-hashes' lets a hash allow an attribute).
    "'unsafe-hashes' 'sha256-EntWS0hFrz2vH7susM+dPUxvHlL6sBswmM8K80E5oUk='",
)
EDITOR_CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; "
    f"style-src 'self' {' '.join(_EDITOR_STYLE_HASHES)}; "
    "img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
EDITOR_BUNDLE = Path(__file__).parent / "static" / "yasgui"
_DOCUMENT_PATH = re.compile(r"[0-9a-f]+/(?:article|comment/\d+)")
_UNNAMED_PATH = re.compile(r"[0-9a-f]+/unnamed/[^/]+")


# --------------------------------------------------------------------------- search index
def warm_search_index(app: Flask) -> threading.Thread:
    """Open the app's search index and read its names in the background (``srkb serve``
    workers, as they start and as they switch to a new release): on a large store it
    takes seconds (10 s at 100,000 documents), which the first search would otherwise
    wait for."""

    def build() -> None:
        with app.app_context():
            started = time.perf_counter()
            search_index().load_names()
            logger.info("search names read in %.2f s", time.perf_counter() - started)

    thread = threading.Thread(target=build, name="srkb-search-index", daemon=True)
    thread.start()
    return thread


def search_index() -> SearchIndex:
    """The served release's search index, opened on first use (then shared)."""
    cache = app_cache()
    index = cache.get(SEARCH_INDEX_KEY)
    if index is None:
        with cast(threading.Lock, cache.setdefault(_SEARCH_LOCK_KEY, threading.Lock())):
            index = cache.get(SEARCH_INDEX_KEY)
            if index is None:
                started = time.perf_counter()
                index = SearchIndex.for_store(get_kb())  # the snapshot's, on disk
                logger.info(
                    "search index: %d entities, %d items, opened in %.2f s",
                    index.entity_count,
                    index.item_count,
                    time.perf_counter() - started,
                )
                cache[SEARCH_INDEX_KEY] = index
    return cast(SearchIndex, index)


def _query_text() -> str:
    return " ".join(request.args.get("q", "").split())[:MAX_QUERY_CHARS]


def _hit_json(hit: SearchHit) -> dict[str, Any]:
    from .linked_data import local_href

    out = as_json(hit)
    out["href"] = local_href(hit.iri)
    return out


@bp.route("/search")
def search() -> ResponseReturnValue:
    """Search page: hits grouped by kind, each linking to its page."""
    q = _query_text()
    results, totals = search_index().search_with_totals(q, SEARCH_LIMIT) if q else (None, {})
    capped = any(n > COUNT_CAP for n in totals.values())
    total = sum(min(n, COUNT_CAP) for n in totals.values())
    return render_template(
        "lookup/search.html",
        q=q,
        search_q=q,
        results=results,
        totals=totals,
        shown={k: _count_text(n) for k, n in totals.items()},
        kinds=KINDS,
        kind_titles=KIND_TITLES,
        examples=SEARCH_EXAMPLES,
        limit=SEARCH_LIMIT,
        total=f"more than {total:,}" if capped else f"{total:,}",
    )


def _count_text(n: int) -> str:
    """A kind's count as the page shows it: counted up to COUNT_CAP (kb.search)."""
    return f"more than {COUNT_CAP:,}" if n > COUNT_CAP else f"{n:,}"


@bp.route("/search.json")
def search_json() -> ResponseReturnValue:
    """The search page's twin: ``{"query", "limit", "counts", "count_cap", "more",
    "results": {kind: [hit]}}``; ``counts`` are all the hits of each kind, counted up to
    ``count_cap`` (``more`` lists the kinds with more hits than that), ``results`` the
    best ``limit`` of them."""
    q = _query_text()
    results, totals = search_index().search_with_totals(q, SEARCH_LIMIT)
    return jsonify(
        {
            "query": q,
            "limit": SEARCH_LIMIT,
            "counts": {k: min(n, COUNT_CAP) for k, n in totals.items()},
            "count_cap": COUNT_CAP,
            "more": [k for k in KINDS if totals[k] > COUNT_CAP],
            "results": {k: [_hit_json(h) for h in results[k]] for k in KINDS},
        }
    )


# --------------------------------------------------------------------------- pages
@dataclass(frozen=True)
class PageView:
    """Which rich page a data IRI gets, and what it shows."""

    kind: str  # "entity", "claim" or "document"
    view: EntityView | ClaimView | DocumentView


def page_kind(kind: str, rest: str) -> str | None:
    """The rich page a data IRI path gets, or None for the generic resource page."""
    if kind == "entity":
        return "entity"
    if kind == "claim":
        return "claim"
    if kind == "text":
        if _DOCUMENT_PATH.fullmatch(rest):
            return "document"
        if _UNNAMED_PATH.fullmatch(rest):
            return "entity"
    return None


VIEWS_KEPT = 256  # page views memoised per published release (popular pages repeat)


def list_page() -> int:
    """The page of an entity's lists the request asks for (``?page=N``, default 1).

    Raises:
        InputError: ``page`` is not a whole number from 1 to MAX_PAGE.
    """
    text = request.args.get("page", "1").strip()
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_PAGE):
        raise InputError(f"page must be a whole number from 1 to {MAX_PAGE:,}, not {text[:20]!r}")
    return int(text)


def load_view(kind: str, rest: str, iri: str, page: int = 1) -> PageView | None:
    """Read the view of a data IRI from the store (None: no rich page for it).

    A published release never changes, so the views read from it are kept (the
    ``VIEWS_KEPT`` most recently used, per worker): an actor named by thousands of texts
    is read once per release, not once per request. A store served live is read afresh.
    """
    kind_page = page_kind(kind, rest)
    if kind_page is None:
        return None
    if not served().name:
        return _read_view(kind_page, iri, page)
    views = cast(OrderedDict[str, PageView | None], app_cache().setdefault("views", OrderedDict()))
    key = f"{kind_page} {iri} {page}"
    with app_lock():
        if key in views:
            views.move_to_end(key)
            return views[key]
    found = _read_view(kind_page, iri, page)
    with app_lock():
        views[key] = found
        while len(views) > VIEWS_KEPT:
            views.popitem(last=False)
    return found


def _read_view(kind: str, iri: str, page: int = 1) -> PageView | None:
    kb = get_kb()
    view: EntityView | ClaimView | DocumentView | None = None
    if kind == "entity":
        view = entity_view(kb, iri, page=page)
    elif kind == "claim":
        view = claim_view(kb, iri)
    elif kind == "document":
        view = document_view(kb, iri)
    return PageView(kind, view) if view is not None else None


def json_twin(page: PageView) -> Response:
    """``PATH.json``: the view as it is, plus where its page and twins are."""
    body = as_json(page.view)
    html = request.path.removesuffix(".json")
    body["page"] = {"kind": page.kind, "html": html}
    paging = body.get("paging")
    if paging:  # an entity's lists: where the pages before and after this one are
        n, last = paging["page"], paging["pages"]
        paging["previous"] = f"{request.path}?page={n - 1}" if n > 1 else None
        paging["next"] = f"{request.path}?page={n + 1}" if n < last else None
    return jsonify(body)


def _href(iri: str | None) -> str | None:
    from .linked_data import local_href

    return local_href(iri) if iri else None


def grade_labels() -> dict[str, str]:
    """Admiralty notation -> label (A: "completely reliable", 3: "possibly true"), from
    the ontology's concept schemes in the store; read once per app."""
    cache = app_cache()
    labels = cache.get("grade_labels")
    if not isinstance(labels, dict):
        rows = get_kb().query(
            """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            PREFIX srkb: <https://w3id.org/srkb/ontology#>
            SELECT ?n ?l WHERE { GRAPH ?g {
              ?c skos:inScheme ?scheme ; skos:notation ?n ; skos:prefLabel ?l }
              VALUES ?scheme { srkb:AdmiraltyReliabilityScheme srkb:AdmiraltyCredibilityScheme }
            }"""
        )
        labels = {r["n"].value: r["l"].value for r in rows}
        cache["grade_labels"] = labels
    return cast(dict[str, str], labels)


def highlight(text: str, needle: str) -> tuple[str, str, str] | None:
    """``text`` split around the first case-insensitive occurrence of ``needle``."""
    if not needle:
        return None
    at = text.casefold().find(needle.casefold())
    if at < 0 or len(text.casefold()) != len(text):  # casefold changed the length
        return None
    return text[:at], text[at : at + len(needle)], text[at + len(needle) :]


def _svg(drawing: provenance_svg.Drawing) -> Markup:
    # Markup is right here: render() builds the SVG itself and XML-escapes every label.
    return Markup(provenance_svg.render(drawing, _href))


def render_page(page: PageView, iri: str) -> Response:
    """The HTML page of an actor, source, claim or document."""
    path = request.path
    context: dict[str, Any] = {
        "iri": iri,
        "json_href": path + ".json",
        "ttl_href": path + ".ttl",
        "grades": grade_labels(),
        "provenance_href": url_for(
            "queries.run", name="triple-provenance", subject=iri, format="html"
        ),
    }
    if page.kind == "entity":
        view = cast(EntityView, page.view)
        context["v"] = view
        if view.rating or view.judgements or view.relayed:
            context["drawing"] = _svg(provenance_svg.source_drawing(view))
        template = "lookup/entity.html"
    elif page.kind == "claim":
        cview = cast(ClaimView, page.view)
        context["v"] = cview
        context["drawing"] = _svg(provenance_svg.claim_drawing(cview))
        template = "lookup/claim.html"
    else:
        context["v"] = page.view
        template = "lookup/document.html"
    response = Response(render_template(template, **context), mimetype="text/html")
    response.vary.add("Accept")
    return response


@bp.app_template_filter("href")
def href_filter(iri: str | None) -> str | None:
    """Where a data IRI's page is on this server (None for IRIs it cannot link safely)."""
    return _href(iri)


@bp.app_template_filter("highlight")
def highlight_filter(text: str, needle: str) -> tuple[str, str, str] | None:
    return highlight(text, needle)


# --------------------------------------------------------------------------- editor
def editor_bundle() -> str | None:
    """The built editor's stamp (for cache-busting URLs), or None when it is not built:
    the page then offers the plain form alone. Read per request: a rebuild shows at once."""
    try:
        stamp = (EDITOR_BUNDLE / "BUILD-STAMP").read_text(encoding="ascii").strip()
    except OSError:
        return None
    built = all((EDITOR_BUNDLE / name).is_file() for name in ("editor.js", "editor.css"))
    return stamp[:12] if built and stamp else None


@bp.route("/editor")
def editor() -> ResponseReturnValue:
    """The SPARQL editor: YASGUI, with a plain form for /sparql under it for browsers
    without JavaScript; the named queries as examples."""
    examples = named_examples()
    chosen = request.args.get("example", "")
    by_name = {e.name: e for e in examples}
    current = by_name.get(chosen) or examples[0]
    settings = get_settings()
    response = Response(
        render_template(
            "lookup/editor.html",
            examples=examples,
            current=current,
            query=current.sparql,
            max_rows=settings.max_rows,
            base_iri=settings.base_iri,
            prefixes=PREFIXES,
            bundle=editor_bundle(),
        ),
        mimetype="text/html",
    )
    response.headers["Content-Security-Policy"] = EDITOR_CSP
    return response


@bp.route("/editor.json")
def editor_json() -> ResponseReturnValue:
    """The editor's examples: the named queries with their example values bound."""
    return jsonify({"examples": [as_json(e) for e in named_examples()]})
