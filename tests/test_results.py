"""kb.results: the SELECT/ASK writers follow the W3C formats, checked by independent parsers.

Oxigraph's result parsers (JSON, XML, TSV) and rdflib's (JSON, XML, CSV, TSV) read back
what our writers produce; hypothesis supplies awkward strings (tabs, quotes, line breaks,
non-ASCII, control characters) so escaping is tested on more than hand-picked cases.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.query import Result

from kb.errors import NotAcceptableError, QueryError
from kb.results import (
    take,
    take_solutions,
    term_csv,
    write_boolean,
    write_csv,
    write_graph,
    write_json,
    write_select,
    write_tsv,
    write_xml,
)

XSD = "http://www.w3.org/2001/XMLSchema#"
_OX_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "tsv": ox.QueryResultsFormat.TSV,
}

# Text XML 1.0 can carry (the XML writer refuses the rest, tested separately).
xml_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32)]))
        + "\ufffe\uffff\r",  # XML parsers normalise a bare CR to LF, as the spec says
    ),
    max_size=40,
)
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
# rdflib's result parsers split lines on Unicode separators and decode escapes loosely;
# they get text without control characters (Oxigraph's parsers check those above).
plain_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=40
)
lang = st.sampled_from(["en", "de", "ar", "ku", "en-gb"])
iri = st.builds(
    lambda s: ox.NamedNode("http://example.org/" + s),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_/", max_size=20),
)
bnode = st.builds(ox.BlankNode, st.text(alphabet="abcdef0123456789", min_size=1, max_size=12))


def literal(text: st.SearchStrategy[str]) -> st.SearchStrategy[ox.Literal]:
    return st.one_of(
        st.builds(ox.Literal, text),
        st.builds(lambda t, lg: ox.Literal(t, language=lg), text, lang),
        st.builds(
            lambda n: ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer")),
            st.integers(-(10**12), 10**12),
        ),
        st.sampled_from(
            [
                ox.Literal("2018-04-04", datatype=ox.NamedNode(XSD + "date")),
                ox.Literal("--04-04", datatype=ox.NamedNode(XSD + "gMonthDay")),
            ]
        ),
        st.builds(lambda t: ox.Literal(t, datatype=ox.NamedNode("http://example.org/dt")), text),
    )


def rows_of(term: st.SearchStrategy[object]) -> st.SearchStrategy[list[tuple[object, ...]]]:
    return st.lists(st.tuples(st.one_of(st.none(), term), st.one_of(st.none(), term)), max_size=5)


VARS = ["a", "b"]


def oxi_rows(body: bytes, fmt: str) -> list[tuple[object, ...]]:
    parsed = ox.parse_query_results(body, format=_OX_FORMATS[fmt])
    assert [v.value for v in parsed.variables] == VARS
    return [tuple(sol[v] for v in VARS) for sol in parsed]


@settings(max_examples=150, deadline=None)
@given(rows_of(st.one_of(iri, literal(any_text))))
def test_json_and_tsv_round_trip_through_oxigraph(rows: list[tuple[object, ...]]) -> None:
    for fmt, writer in (("json", write_json), ("tsv", write_tsv)):
        assert oxi_rows(writer(VARS, rows), fmt) == rows, fmt  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(rows_of(st.one_of(iri, literal(xml_text))))
def test_xml_round_trips_through_oxigraph(rows: list[tuple[object, ...]]) -> None:
    assert oxi_rows(write_xml(VARS, rows), "xml") == rows  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(rows_of(st.one_of(iri, bnode, literal(any_text))))
def test_csv_holds_the_plain_values(rows: list[tuple[object, ...]]) -> None:
    body = write_csv(VARS, rows)  # type: ignore[arg-type]
    assert b"\r\n" in body  # CSV lines end in CRLF (RFC 4180)
    parsed = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    assert parsed[0] == VARS
    assert parsed[1:] == [[term_csv(t) for t in row] for row in rows]  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(rows_of(st.one_of(iri, literal(plain_text))))
def test_rdflib_reads_all_four_formats(rows: list[tuple[object, ...]]) -> None:
    rows = [r for r in rows if any(t is not None for t in r)]  # rdflib drops empty rows
    for fmt in ("json", "xml", "csv", "tsv"):
        body = write_select(VARS, rows, fmt)  # type: ignore[arg-type]
        result = Result.parse(io.BytesIO(body), format=fmt)
        assert [str(v) for v in result.vars] == VARS
        got = [tuple(None if t is None else str(t) for t in row) for row in result]
        want = [tuple(None if t is None else t.value for t in row) for row in rows]  # type: ignore[union-attr]
        if fmt == "csv":  # CSV has no "unbound": an empty field reads back as ""
            want = [tuple("" if v is None else v for v in row) for row in want]
            want = [row for row in want if any(row)]  # a row of empty fields is skipped
            got = [tuple("" if v is None else v for v in row) for row in got]
        assert got == want, fmt


def test_blank_nodes_and_unbound_values() -> None:
    rows = [(ox.BlankNode("b1"), None)]
    doc = json.loads(write_json(VARS, rows))
    assert doc["results"]["bindings"] == [{"a": {"type": "bnode", "value": "b1"}}]
    assert write_tsv(VARS, rows).decode() == "?a\t?b\n_:b1\t\n"
    assert write_csv(VARS, rows).decode() == "a,b\r\n_:b1,\r\n"
    root = ET.fromstring(write_xml(VARS, rows))
    ns = "{http://www.w3.org/2005/sparql-results#}"
    bindings = root.findall(f"{ns}results/{ns}result/{ns}binding")
    assert [(b.get("name"), b[0].tag, b[0].text) for b in bindings] == [("a", f"{ns}bnode", "b1")]


def test_json_literal_details_follow_the_spec() -> None:
    rows = [(ox.Literal("x"), ox.Literal("y", language="en"))]
    doc = json.loads(write_json(VARS, rows))
    a, b = doc["results"]["bindings"][0]["a"], doc["results"]["bindings"][0]["b"]
    assert a == {"type": "literal", "value": "x"}  # xsd:string is implicit
    assert b == {"type": "literal", "value": "y", "xml:lang": "en"}


def test_tsv_escapes_and_abbreviates() -> None:
    rows = [
        (
            ox.Literal('tab\there\nnew "q" back\\slash'),
            ox.Literal("42", datatype=ox.NamedNode(XSD + "integer")),
        ),
        (
            ox.NamedNode("http://example.org/a"),
            ox.Literal("x", datatype=ox.NamedNode(XSD + "integer")),
        ),
    ]
    lines = write_tsv(VARS, rows).decode().split("\n")
    assert lines[1] == '"tab\\there\\nnew \\"q\\" back\\\\slash"\t42'
    # A non-canonical integer keeps its quotes and datatype.
    assert lines[2] == f'<http://example.org/a>\t"x"^^<{XSD}integer>'


def test_triple_terms_and_directional_literals_match_oxigraph() -> None:
    """RDF 1.2 terms: written as Oxigraph writes them, so its parsers read them back."""
    store = ox.Store()
    query = (
        'SELECT ?a ?b WHERE { BIND(<<( <http://e/s> <http://e/p> "o" )>> AS ?a) '
        'BIND("x"@ar--rtl AS ?b) }'
    )
    variables, rows, _ = take_solutions(store.query(query), 10)
    for fmt, writer in (("json", write_json), ("xml", write_xml), ("tsv", write_tsv)):
        assert oxi_rows(writer(variables, rows), fmt) == rows, fmt


def test_xml_refuses_characters_xml_cannot_carry() -> None:
    with pytest.raises(NotAcceptableError, match="JSON"):
        write_xml(VARS, [(ox.Literal("bell\x07"), None)])
    # The other formats carry them.
    assert oxi_rows(write_json(VARS, [(ox.Literal("bell\x07"), None)]), "json")[0][0] == ox.Literal(
        "bell\x07"
    )
    assert oxi_rows(write_tsv(VARS, [(ox.Literal("bell\x07"), None)]), "tsv")[0][0] == ox.Literal(
        "bell\x07"
    )


@pytest.mark.parametrize("value", [True, False])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_boolean_results_parse(value: bool, fmt: str) -> None:
    parsed = ox.parse_query_results(write_boolean(value, fmt), format=_OX_FORMATS[fmt])
    assert bool(parsed) is value
    assert Result.parse(io.BytesIO(write_boolean(value, fmt)), format=fmt).askAnswer is value


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_boolean_as_one_word(fmt: str) -> None:
    assert write_boolean(True, fmt) == b"true\n"
    assert write_boolean(False, fmt) == b"false\n"


def test_unknown_formats_are_query_errors() -> None:
    with pytest.raises(QueryError):
        write_select(VARS, [], "yaml")
    with pytest.raises(QueryError):
        write_boolean(True, "turtle")
    with pytest.raises(QueryError):
        write_graph([], "csv")


@pytest.mark.parametrize(
    ("n", "limit", "expected"), [(0, 3, False), (3, 3, False), (4, 3, True), (5, 0, True)]
)
def test_take_reads_at_most_one_past_the_limit(n: int, limit: int, expected: bool) -> None:
    consumed = []

    def items() -> object:
        for i in range(n):
            consumed.append(i)
            yield i

    got, truncated = take(items(), limit)  # type: ignore[arg-type]
    assert got == list(range(min(n, limit)))
    assert truncated is expected
    assert len(consumed) <= limit + 1


def test_take_solutions_caps_a_real_result() -> None:
    store = ox.Store()
    variables, rows, truncated = take_solutions(
        store.query("SELECT ?n WHERE { VALUES ?n { 1 2 3 } }"), 2
    )
    assert variables == ["n"] and len(rows) == 2 and truncated
