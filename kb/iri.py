"""Deterministic IRI minting: the same text always yields the same IRIs.

Every IRI lives under one base (Settings.base_iri) so that the knowledge base's IRIs
dereference on the server that publishes it. Text positions use RFC 5147 fragments
(``#char=begin,end``) on the source text's IRI.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import URIRef


def content_hash(text: str) -> str:
    """SHA-256 hex digest of the text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def short_hash(*parts: object, length: int = 16) -> str:
    """A short stable hash of several values, for IRIs that need no readable part."""
    joined = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()[:length]


_SPAN_FRAGMENT = re.compile(r"#char=(\d+),(\d+)$")


def span_offsets(iri: str) -> tuple[str, int, int] | None:
    """A span's text IRI and its offsets, read from its RFC 5147 fragment
    (``…/text/ID#char=B,E``): the store states only the span's characters (kb.build).
    None for an IRI that is not a span's."""
    found = _SPAN_FRAGMENT.search(iri)
    if found is None:
        return None
    return iri[: found.start()], int(found.group(1)), int(found.group(2))


def slugify(name: str, max_length: int = 60) -> str:
    """'Aldar Xelil' -> 'aldar-xelil'; accents folded; never empty."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:max_length].strip("-")
    return slug or "x" + short_hash(name, length=8)


class IriMinter:
    """Mints the IRIs of one knowledge base (one base IRI)."""

    def __init__(self, base_iri: str) -> None:
        self.base = base_iri if base_iri.endswith(("/", "#")) else base_iri + "/"

    def __call__(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    # --- shared resources -------------------------------------------------------
    def entity(self, key: str) -> URIRef:
        return self(f"entity/{key}")

    def software(self, version: str) -> URIRef:
        return self(f"software/srkb-{version}")

    def ontology_graph(self) -> URIRef:
        return self("graph/ontology")

    def gazetteer_graph(self) -> URIRef:
        return self("graph/gazetteer")

    def meta_graph(self) -> URIRef:
        return self("graph/meta")

    # --- per source text ----------------------------------------------------------
    def text_id(self, text_hash: str) -> str:
        return text_hash[:16]

    def source_text(self, text_id: str) -> URIRef:
        return self(f"text/{text_id}")

    def text_graph(self, text_id: str) -> URIRef:
        return self(f"graph/text/{text_id}")

    def article(self, text_id: str) -> URIRef:
        return self(f"text/{text_id}/article")

    def comment(self, text_id: str, index: int) -> URIRef:
        return self(f"text/{text_id}/comment/{index}")

    def article_author(self, text_id: str) -> URIRef:
        return self(f"text/{text_id}/article/author")

    def commenter(self, text_id: str, index: int, name: str | None) -> URIRef:
        if name:
            return self(f"text/{text_id}/commenter/{slugify(name)}")
        return self(f"text/{text_id}/comment/{index}/author")

    def span(self, text_id: str, start: int, end: int) -> URIRef:
        return self(f"text/{text_id}#char={start},{end}")

    def unnamed(self, text_id: str, key: str) -> URIRef:
        return self(f"text/{text_id}/{key}")

    def claim(self, text_id: str, start: int, end: int, cue_start: int) -> URIRef:
        return self(f"claim/{short_hash(text_id, start, end, cue_start)}")

    def judgement(self, text_id: str, start: int, end: int, source_key: str) -> URIRef:
        return self(f"judgement/{short_hash(text_id, start, end, source_key)}")

    def activity(self, text_id: str, version: str) -> URIRef:
        return self(f"activity/{short_hash(text_id, version)}")
