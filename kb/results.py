"""SPARQL results written in the W3C formats, with a row cap.

Why not pyoxigraph's own serializers: they consume the whole result iterator, so an
endpoint could not stop at ``max_rows`` and say so. Here results are first taken (at most
``limit`` rows, and whether more were left) and then written by small writers that follow
the W3C specs:

* JSON  https://www.w3.org/TR/sparql11-results-json/
* XML   https://www.w3.org/TR/rdf-sparql-XMLres/
* CSV and TSV  https://www.w3.org/TR/sparql11-results-csv-tsv/

RDF 1.2 terms (triple terms, literals with a base direction) are written the way
Oxigraph writes them (``"type": "triple"``, ``its:dir``). Graph results (CONSTRUCT,
DESCRIBE) are capped the same way and written by pyoxigraph's RDF serializers, which
take any iterable. Pure functions, no Flask: the CLI and the server both use them.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeVar
from xml.sax.saxutils import escape as _xml_escape
from xml.sax.saxutils import quoteattr as _xml_attr

import pyoxigraph as ox

from .errors import NotAcceptableError, QueryError

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD_STRING = _XSD + "string"
_IMPLICIT_DATATYPES = frozenset({XSD_STRING, _RDF + "langString", _RDF + "dirLangString"})
_ITS = "http://www.w3.org/2005/11/its"
_SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = tuple[Term | None, ...]
_T = TypeVar("_T")

#: Formats of SELECT and ASK results, by short name.
RESULT_FORMATS = ("json", "xml", "csv", "tsv")

#: Formats of CONSTRUCT and DESCRIBE results, by short name.
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
_PREFIXED_GRAPH_FORMATS = frozenset({"turtle", "trig", "rdfxml"})

# XML 1.0 cannot carry these characters at all, not even as character references.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Turtle numeric forms that TSV may write without quotes and datatype.
_TSV_BARE = {
    _XSD + "integer": re.compile(r"[+-]?[0-9]+\Z"),
    _XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+\Z"),
    _XSD + "double": re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+\Z"),
    _XSD + "boolean": re.compile(r"(?:true|false)\Z"),
}
_TSV_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
# Control characters and Unicode line separators too: some TSV readers split lines on them.
_TSV_NEEDS_ESCAPE = re.compile(r'[\t\n\r"\\\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029]')
# Characters str.splitlines() breaks on, plus the CSV delimiter and quote.
_CSV_NEEDS_QUOTES = re.compile('[,"\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]')


# --------------------------------------------------------------------------- capping
#: Formats whose body can say that an answer was cut at the row limit.
FLAGGING_FORMATS = frozenset({"json", "xml"})


@dataclass(frozen=True)
class Cut:
    """How an answer relates to the row limit, written into bodies that can carry it."""

    row_limit: int
    truncated: bool
    link: str  # where the limit is explained (SPARQL results ``link`` metadata)


def take(items: Iterable[_T], limit: int) -> tuple[list[_T], bool]:
    """The first ``limit`` items and whether there were more (reads at most limit+1)."""
    if limit < 0:
        raise ValueError("limit must be >= 0")
    got = list(islice(items, limit + 1))
    if len(got) > limit:
        return got[:limit], True
    return got, False


def take_solutions(solutions: ox.QuerySolutions, limit: int) -> tuple[list[str], list[Row], bool]:
    """Variables, at most ``limit`` rows (terms or None), and whether rows were left out."""
    variables = [v.value for v in solutions.variables]
    rows: Iterator[Row] = (tuple(sol[i] for i in range(len(variables))) for sol in solutions)
    taken, truncated = take(rows, limit)
    return variables, taken, truncated


# --------------------------------------------------------------------------- JSON
def term_json(term: Term) -> dict[str, Any]:
    """One RDF term as a SPARQL JSON results binding value."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            if term.direction is not None:
                out["its:dir"] = _direction(term)
        elif term.datatype.value not in _IMPLICIT_DATATYPES:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": term_json(term.subject),
                "predicate": term_json(term.predicate),
                "object": term_json(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


def _direction(lit: ox.Literal) -> str:
    return "rtl" if lit.direction == ox.BaseDirection.RTL else "ltr"


def write_json(variables: Sequence[str], rows: Iterable[Row], cut: Cut | None = None) -> bytes:
    """SPARQL JSON results; with ``cut``, an ``srkb`` member says whether rows were left out
    (and a truncated answer's ``head.link`` points at the explanation)."""
    bindings = [
        {v: term_json(t) for v, t in zip(variables, row, strict=True) if t is not None}
        for row in rows
    ]
    head: dict[str, Any] = {"vars": list(variables)}
    doc: dict[str, Any] = {"head": head}
    if cut is not None:
        if cut.truncated:
            head["link"] = [cut.link]
        # Before "results": streaming parsers (Oxigraph's) stop reading at the bindings.
        doc["srkb"] = {"truncated": cut.truncated, "rowLimit": cut.row_limit}
    doc["results"] = {"bindings": bindings}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


# --------------------------------------------------------------------------- XML
def _xml_text(value: str) -> str:
    if _XML_INVALID.search(value):
        raise NotAcceptableError(
            "a value in this result holds a control character that XML 1.0 cannot carry; "
            "ask for JSON, CSV or TSV instead"
        )
    text = _xml_escape(value, {"\r": "&#13;"})  # a raw CR would be read back as LF
    # Leading and trailing white space as character references: some parsers (Oxigraph's
    # among them) trim it from element text, references survive everywhere.
    core = text.strip(" \t\n")
    if core == text:
        return text
    start = text.index(core) if core else len(text)
    head, tail = text[:start], text[start + len(core) :]
    return _xml_ws_refs(head) + core + _xml_ws_refs(tail)


def _xml_ws_refs(ws: str) -> str:
    return "".join(f"&#{ord(c)};" for c in ws)


def term_xml(term: Term) -> str:
    """One RDF term as a SPARQL XML results element."""
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        attrs = ""
        if term.language:
            attrs = f" xml:lang={_xml_attr(term.language)}"
            if term.direction is not None:
                attrs += f' its:dir="{_direction(term)}" xmlns:its="{_ITS}" its:version="2.0"'
        elif term.datatype.value not in _IMPLICIT_DATATYPES:
            attrs = f" datatype={_xml_attr(_xml_text(term.datatype.value))}"
        return f"<literal{attrs}>{_xml_text(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{term_xml(term.subject)}</subject>"
            f"<predicate>{term_xml(term.predicate)}</predicate>"
            f"<object>{term_xml(term.object)}</object></triple>"
        )
    raise TypeError(f"not an RDF term: {term!r}")


def write_xml(variables: Sequence[str], rows: Iterable[Row], cut: Cut | None = None) -> bytes:
    """SPARQL XML results; a truncated answer carries a ``link`` to the explanation."""
    out = io.StringIO()
    out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{_SPARQL_RESULTS_NS}">\n')
    out.write("<head>")
    out.writelines(f"<variable name={_xml_attr(v)}/>" for v in variables)
    if cut is not None and cut.truncated:
        out.write(f"<link href={_xml_attr(cut.link)}/>")
    out.write("</head>\n<results>\n")
    for row in rows:
        out.write("<result>")
        for v, t in zip(variables, row, strict=True):
            if t is not None:
                out.write(f"<binding name={_xml_attr(v)}>{term_xml(t)}</binding>")
        out.write("</result>\n")
    out.write("</results>\n</sparql>\n")
    return out.getvalue().encode("utf-8")


# --------------------------------------------------------------------------- CSV
def term_csv(term: Term | None) -> str:
    """CSV loses types on purpose (the spec says so): IRIs bare, literals by lexical form."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term_tsv(term)


def _csv_field(value: str) -> str:
    if _CSV_NEEDS_QUOTES.search(value):
        return '"' + value.replace('"', '""') + '"'
    return value


def write_csv(variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    """RFC 4180 CSV: CRLF line ends, fields quoted when they hold a comma, quote or line
    break (Unicode line separators included, which line-splitting readers break on)."""
    lines = [",".join(_csv_field(v) for v in variables)]
    lines += [",".join(_csv_field(term_csv(t)) for t in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


# --------------------------------------------------------------------------- TSV
def _tsv_string(value: str) -> str:
    if not _TSV_NEEDS_ESCAPE.search(value):
        return f'"{value}"'
    return '"' + _TSV_NEEDS_ESCAPE.sub(_tsv_escape_char, value) + '"'


def _tsv_escape_char(m: re.Match[str]) -> str:
    ch = m.group()
    return _TSV_ESCAPES.get(ch) or f"\\u{ord(ch):04X}"


def term_tsv(term: Term | None) -> str:
    """A term in Turtle/SPARQL syntax, with tabs and line breaks escaped."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if term.language:
            suffix = f"@{term.language}"
            if term.direction is not None:
                suffix += f"--{_direction(term)}"
            return _tsv_string(term.value) + suffix
        bare = _TSV_BARE.get(dt)
        if bare is not None and bare.match(term.value):
            return term.value
        if dt == XSD_STRING:
            return _tsv_string(term.value)
        return f"{_tsv_string(term.value)}^^<{dt}>"
    if isinstance(term, ox.Triple):
        return (
            f"<<( {term_tsv(term.subject)} {term_tsv(term.predicate)} {term_tsv(term.object)} )>>"
        )
    raise TypeError(f"not an RDF term: {term!r}")


def write_tsv(variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(term_tsv(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- entry points
_SELECT_WRITERS = {"json": write_json, "xml": write_xml, "csv": write_csv, "tsv": write_tsv}


def write_select(
    variables: Sequence[str], rows: Iterable[Row], fmt: str, cut: Cut | None = None
) -> bytes:
    """SELECT results in ``fmt`` (json, xml, csv or tsv); JSON and XML say if cut."""
    if fmt == "json":
        return write_json(variables, rows, cut)
    if fmt == "xml":
        return write_xml(variables, rows, cut)
    try:
        writer = _SELECT_WRITERS[fmt]
    except KeyError:
        raise QueryError(
            f"SELECT results cannot be written as {fmt}; use {', '.join(RESULT_FORMATS)}"
        ) from None
    return writer(variables, rows)


def write_boolean(value: bool, fmt: str) -> bytes:
    """ASK results in ``fmt``; CSV and TSV (not defined for ASK by the spec) hold one word,
    as Oxigraph and Jena write them."""
    word = "true" if value else "false"
    if fmt == "json":
        return f'{{"head":{{}},"boolean":{word}}}\n'.encode()
    if fmt == "xml":
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{_SPARQL_RESULTS_NS}">'
            f"<head/><boolean>{word}</boolean></sparql>\n"
        ).encode()
    if fmt in ("csv", "tsv"):
        return f"{word}\n".encode()
    raise QueryError(f"ASK results cannot be written as {fmt}; use {', '.join(RESULT_FORMATS)}")


def write_graph(
    triples: Iterable[ox.Triple],
    fmt: str,
    *,
    prefixes: dict[str, str] | None = None,
    compact_jsonld: bool = True,
) -> bytes:
    """CONSTRUCT/DESCRIBE results in ``fmt`` (a key of GRAPH_FORMATS).

    JSON-LD comes compacted against srkb's published context (kb.jsonld) unless
    ``compact_jsonld`` is false (then expanded, as pyoxigraph writes it).
    """
    try:
        rdf_format = GRAPH_FORMATS[fmt]
    except KeyError:
        raise QueryError(
            f"graph results cannot be written as {fmt}; use {', '.join(GRAPH_FORMATS)}"
        ) from None
    if fmt == "jsonld" and compact_jsonld:
        from .jsonld import compact

        try:
            return compact(triples)
        except ValueError as exc:
            raise NotAcceptableError(str(exc)) from None
    use_prefixes = prefixes if fmt in _PREFIXED_GRAPH_FORMATS else None
    if fmt in ("nquads", "trig"):
        # Quad formats: the triples of a CONSTRUCT go to the default graph.
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
        out = ox.serialize(quads, format=rdf_format, prefixes=use_prefixes)
    else:
        out = ox.serialize(triples, format=rdf_format, prefixes=use_prefixes)
    assert out is not None  # bytes when no output file is given
    return out
