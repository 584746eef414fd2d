"""Content negotiation: media types <-> srkb format names, and Accept header parsing.

The tables are data so that adding a format is one line. Negotiation follows RFC 9110
section 12.5.1: each offer gets the quality of the most specific media range that
matches it; the highest quality wins; ties go to the more specific range, then to the
range the client listed first, then to the server's order (the first offer is the
default, used for ``*/*`` and for a missing or empty Accept header). Quality 0 means
"not acceptable". Media type parameters other than q are ignored when matching, so a
JSON-LD profile parameter does not turn into a 406. The other media types an offer
answers to (``application/json`` for SPARQL JSON results) count only when named
exactly, never through a wildcard, and the response always carries the offer's own type.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

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
NTRIPLES = Format("ntriples", "application/n-triples", names=("nt",))
JSONLD = Format(
    "jsonld",
    "application/ld+json",
    ("application/x-json+ld",),
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


@dataclass(frozen=True)
class MediaRange:
    """One element of an Accept header."""

    type: str
    subtype: str
    q: float
    position: int

    def specificity(self, media_type: str) -> int:
        """-1 if this range does not match ``media_type``; else 0 (*/*), 1 (type/*), 2 (exact)."""
        mtype, _, msub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != mtype:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == msub else -1


def _parse_q(raw: str) -> float | None:
    try:
        q = float(raw)
    except ValueError:
        return None
    return q if 0.0 <= q <= 1.0 else None


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header, skipping malformed elements (as browsers and servers do)."""
    ranges: list[MediaRange] = []
    if not header:
        return ranges
    for position, element in enumerate(header.split(",")):
        parts = [p.strip() for p in element.split(";")]
        media = parts[0].lower()
        if media == "*":  # sent by some old clients; means */*
            media = "*/*"
        mtype, slash, msub = media.partition("/")
        if not slash or not mtype or not msub or (mtype == "*" and msub != "*"):
            continue
        q: float | None = 1.0
        for param in parts[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                q = _parse_q(value.strip())
                break  # later parameters are accept-extensions
        if q is None:
            continue
        ranges.append(MediaRange(mtype, msub, q, position))
    return ranges


def _quality(ranges: Sequence[MediaRange], fmt: Format) -> tuple[float, int, int]:
    """(q, specificity, -client position) of the range that decides for one offer.

    The primary media type is matched by wildcards too; the other types an offer answers
    only when named exactly, so ``text/*`` does not pick XML through ``text/xml``.
    """
    best: tuple[float, int, int] = (0.0, -1, 0)
    for index, media_type in enumerate(fmt.media_types):
        matching = [(r.specificity(media_type), r) for r in ranges]
        least = 0 if index == 0 else 2
        matching = [(s, r) for s, r in matching if s >= least]
        if not matching:
            continue
        spec, rng = max(matching, key=lambda sr: (sr[0], -sr[1].position))
        candidate = (rng.q, spec, -rng.position)
        if candidate > best:
            best = candidate
    return best


def negotiate(accept: str | None, offers: Sequence[Format]) -> Format | None:
    """The offer the client prefers, or None when it accepts none of them (a 406).

    >>> negotiate("text/csv;q=0.5, application/sparql-results+json", RESULT_OFFERS).name
    'json'
    >>> negotiate("*/*", RESULT_OFFERS).name
    'json'
    >>> negotiate("image/png", RESULT_OFFERS) is None
    True
    """
    if not offers:
        return None
    ranges = parse_accept(accept)
    if not ranges:
        # No header, an empty one, or nothing parseable: the client states no preference.
        return offers[0]
    scored = []
    for order, fmt in enumerate(offers):
        q, spec, neg_pos = _quality(ranges, fmt)
        if q > 0:
            scored.append(((q, spec, neg_pos, -order), fmt))
    if not scored:
        return None
    return max(scored, key=lambda sf: sf[0])[1]


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
