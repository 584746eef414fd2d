"""RDF terms written straight as N-Quads text, byte for byte as Oxigraph writes them.

An extraction worker builds each text's graph (kb.build): about 480 quads a text. Making
a pyoxigraph object of every quad, then serialising them, then reading every quad's
terms back to sort them into records cost 1.7 ms a text, more than half the
extraction's own time. A term here is its N-Quads token and its value, made once: a
quad is one line of text, its record a tuple of strings already at hand.

The text must be exactly what ``pyoxigraph.serialize`` gives, since a text graph's
digest (kb.content) is taken from these lines by the worker and from the store's own
serialisation later; tests/test_nquads_text.py checks the two agree on any string.
IRIs are still checked by pyoxigraph, once each (``iri``): an IRI it would refuse must
fail the text's extraction, not the load of a whole batch.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER = f"^^<{XSD}integer>"

# What Oxigraph escapes in a quoted literal (oxrdf ``print_quoted_str``).
_ESCAPES = {
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
    '"': '\\"',
    "\\": "\\\\",
}
_TABLE = {
    **{c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F, 0xFFFE, 0xFFFF]},
    **{ord(k): v for k, v in _ESCAPES.items()},
}
_NEEDS_ESCAPE = re.compile('[\x00-\x1f"\\\\\x7f\ufffe\uffff]')


class Term(NamedTuple):
    """An RDF term as N-Quads writes it (``token``) and as records read it (``value``:
    the IRI, or a literal's lexical form)."""

    token: str
    value: str


def quoted(lexical: str) -> str:
    if _NEEDS_ESCAPE.search(lexical) is None:
        return f'"{lexical}"'
    return f'"{lexical.translate(_TABLE)}"'


def iri(value: str) -> Term:
    """A named node; raises ValueError for an IRI that pyoxigraph refuses."""
    ox.NamedNode(value)
    return Term(f"<{value}>", value)


def trusted_iri(value: str) -> Term:
    """A named node made of constant parts (the vocabulary's own IRIs): not checked."""
    return Term(f"<{value}>", value)


def literal(lexical: str, datatype: str | None = None) -> Term:
    """A literal: a plain string, or typed (``datatype``: its IRI; xsd:string is plain)."""
    if datatype is None or datatype == XSD + "string":
        return Term(quoted(lexical), lexical)
    return Term(f"{quoted(lexical)}^^<{datatype}>", lexical)


def integer(number: int) -> Term:
    lexical = str(number)
    return Term(f'"{lexical}"{_INTEGER}', lexical)


def line(s: Term, p: Term, o: Term, g: Term) -> str:
    """One quad's line, without its newline."""
    return f"{s.token} {p.token} {o.token} {g.token} ."
