"""Content negotiation: media types <-> srkb format names, and Accept header parsing.

The tables are data so that adding a format is one line. Accept headers are parsed and
ranked by Werkzeug (RFC 9110 section 12.5.1: quality, then the most specific matching
range, then the server's order; the first offer is the default, used for ``*/*`` and
for a missing or empty Accept header; quality 0 means "not acceptable"). The other media
types an offer answers to (``application/json`` for SPARQL JSON results) count only when
named exactly, never through a wildcard, and the response always carries the offer's
own type.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Format:
    """A format the server can produce: its name, its media type, and other types it answers."""

    name: str
    media_type: str
    also: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # values of the ?format= parameter besides ``name``

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.also)


# SELECT and ASK results; JSON first: the default.
RESULTS_JSON = Format("json", "application/sparql-results+json", ("application/json",))
RESULTS_XML = Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml"))
RESULTS_CSV = Format("csv", "text/csv")
RESULTS_TSV = Format("tsv", "text/tab-separated-values", names=("text/tab-separated-values",))
HTML = Format("html", "text/html", ("application/xhtml+xml",))
RESULT_OFFERS: tuple[Format, ...] = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV, HTML)

# CONSTRUCT and DESCRIBE results; Turtle first: the default. Turtle is also valid N3.
TURTLE = Format(
    "turtle",
    "text/turtle",
    ("application/x-turtle", "application/turtle", "text/n3", "text/rdf+n3"),
    ("ttl", "n3"),
)
# text/plain: N-Triples is plain text a person can read (curl -H 'Accept: text/plain').
NTRIPLES = Format("ntriples", "application/n-triples", ("text/plain",), names=("nt",))
# application/json: a JSON client asking for a resource gets JSON-LD (plain JSON to it).
JSONLD = Format(
    "jsonld",
    "application/ld+json",
    ("application/x-json+ld", "application/json"),
    ("json-ld", "json", "application/ld+json"),
)
NQUADS = Format("nquads", "application/n-quads", names=("nq",))
TRIG = Format("trig", "application/trig")
RDFXML = Format(
    "rdfxml",
    "application/rdf+xml",
    ("application/xml", "text/xml"),
    ("rdf+xml", "xml", "application/rdf+xml"),
)
GRAPH_OFFERS: tuple[Format, ...] = (TURTLE, NTRIPLES, JSONLD, NQUADS, TRIG, RDFXML, HTML)

# Error bodies and the service description.
JSON = Format("json", "application/json")
ERROR_OFFERS: tuple[Format, ...] = (JSON, HTML)
DESCRIPTION_OFFERS: tuple[Format, ...] = (TURTLE, NTRIPLES, JSONLD, RDFXML, HTML)
# Linked Data descriptions and the ontology: RDF for programs, HTML for browsers.
RESOURCE_OFFERS: tuple[Format, ...] = (TURTLE, JSONLD, NTRIPLES, RDFXML, HTML)


def _range(element: str) -> str | None:
    """One Accept element reduced to ``type/subtype[;q=..]``, or None if it is no range.

    Media type parameters other than q are dropped, so a JSON-LD profile does not turn
    into a 406; "*" alone (sent by some old clients) means */*.
    """
    media, *params = (p.strip() for p in element.split(";"))
    media = "*/*" if media == "*" else media.lower()
    if media.count("/") != 1:
        return None
    q = [p for p in params if p.replace(" ", "").lower().startswith("q=")]
    return ";".join([media, *q[:1]])


def _accepted(accept: str | None) -> MIMEAccept:
    """The client's media ranges, parsed by Werkzeug (as ``request.accept_mimetypes``)."""
    ranges = [r for r in map(_range, (accept or "").split(",")) if r]
    return parse_accept_header(",".join(ranges), MIMEAccept)


def negotiate(accept: str | None, offers: Sequence[Format]) -> Format | None:
    """The offer the client prefers, or None when it accepts none of them (a 406).

    Werkzeug's ``MIMEAccept.best_match`` ranks the offers' own media types by quality,
    then by how specific the matching range is; on a tie the client's order decides (the
    type it named first), then the server's. The other types an offer answers to count
    only when the client names them exactly, never through a wildcard.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+json", RESULT_OFFERS).name
    'json'
    >>> negotiate("*/*", RESULT_OFFERS).name
    'json'
    >>> negotiate("image/png", RESULT_OFFERS) is None
    True
    """
    if not offers:
        return None
    accepted = _accepted(accept)
    if not accepted:
        # No header, an empty one, or nothing parseable: the client states no preference.
        return offers[0]
    named = [value for value, _q in accepted]
    by_type = {f.media_type: f for f in offers}
    ordered = sorted(by_type, key=lambda t: named.index(t) if t in named else len(named))
    best = accepted.best_match(ordered)
    chosen = by_type.get(best) if best else None
    quality = accepted.quality(best) if best else 0.0
    exact = dict(accepted)
    for fmt in offers:
        for alias in fmt.also:
            if exact.get(alias, 0.0) > quality:
                chosen, quality = fmt, exact[alias]
    return chosen if quality > 0 else None


def by_name(name: str, offers: Sequence[Format]) -> Format | None:
    """The offer a ``?format=`` value names (a short name, an alias or a media type)."""
    key = name.strip().lower()
    for fmt in offers:
        if key == fmt.name or key in fmt.names or key == fmt.media_type:
            return fmt
    return None


def prefers_html(accept: str | None) -> bool:
    """True when a client (a browser) would rather read HTML than JSON."""
    chosen = negotiate(accept, ERROR_OFFERS)
    return chosen is not None and chosen.name == "html"
