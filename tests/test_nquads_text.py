"""Text graphs written as N-Quads text (kb.nquads_text) are byte for byte what pyoxigraph
writes: a text graph's digest is taken from the worker's lines and later from the
store's own serialisation, and the two must agree."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.build import build_text_graph
from kb.content import lines_digest, text_lines_digest
from kb.extract import extract_strict
from kb.nquads_text import XSD, integer, iri, line, literal
from kb.text_records import props_of, records_from_props, records_of

BASE = "http://example.org/kb/"
G = iri("http://example.org/g")
S = iri("http://example.org/s")
P = iri("http://example.org/p")
SEED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seed-article-comments.txt"
EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.txt"))


def _oxigraph_line(obj: ox.Literal | ox.NamedNode) -> str:
    quad = ox.Quad(ox.NamedNode(S.value), ox.NamedNode(P.value), obj, ox.NamedNode(G.value))
    data = ox.serialize([quad], format=ox.RdfFormat.N_QUADS)
    assert data is not None
    return data.decode().removesuffix("\n")


@settings(max_examples=300)
@given(st.text())
def test_a_plain_literal_is_written_as_oxigraph_writes_it(text: str) -> None:
    assert line(S, P, literal(text), G) == _oxigraph_line(ox.Literal(text))


@settings(max_examples=100)
@given(st.text(), st.sampled_from(["date", "dateTime", "gYear", "string", "integer"]))
def test_a_typed_literal_is_written_as_oxigraph_writes_it(text: str, kind: str) -> None:
    datatype = XSD + kind
    expected = _oxigraph_line(ox.Literal(text, datatype=ox.NamedNode(datatype)))
    assert line(S, P, literal(text, datatype), G) == expected


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_an_integer_is_written_as_oxigraph_writes_it(number: int) -> None:
    assert line(S, P, integer(number), G) == _oxigraph_line(ox.Literal(number))
    assert integer(number).value == ox.Literal(number).value


def test_an_iri_pyoxigraph_refuses_is_refused() -> None:
    with pytest.raises(ValueError):
        iri("http://example.org/a b")


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in EXAMPLES]
    if SEED.exists():
        texts.append(SEED.read_text(encoding="utf-8"))
    return texts


@pytest.mark.parametrize("text", _texts(), ids=lambda t: t[:30])
def test_a_text_graph_is_what_the_store_would_give_back(text: str) -> None:
    """Its lines are Oxigraph's serialisation of its quads, each once; its digest is the
    store's; its records are those read back from its quads."""
    built = build_text_graph(
        extract_strict(text),
        base_iri=BASE,
        source_name="some/folder/text.txt",
        version="1.2.3",
        when=datetime(2026, 12, 4, 10, 30, tzinfo=UTC),
    )
    quads = built.quads
    assert len(quads) == len(set(quads)) == len(built.lines) > 20
    assert built.nquads() == ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    stored = ox.Store()
    stored.extend(quads)
    again = ox.serialize(stored, format=ox.RdfFormat.N_QUADS)
    assert again is not None
    assert text_lines_digest(built.lines) == lines_digest(again.split(b"\n"))
    assert built.props == props_of(quads)
    assert records_from_props(built.graph_iri, built.props) == records_of(built.graph_iri, quads)
