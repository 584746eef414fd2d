"""Analysts' prior assessments of sources, read from a CSV or Turtle file and checked.

A newsroom or an analyst often knows a source before srkb has read a word of it: a
house list grading wires and outlets, an earlier assessment. Such a file gives, for each
source, an Admiralty grade (A-F) or a trust value (0 to 1), who assessed it and when;
`srkb priors load FILE` stores it with its provenance (kb.prior_graphs) and the ratings
count each assessment as evidence of a given weight (kb.reliability).

CSV: a header row, then one assessment per row. Columns (any order, case ignored):

    source    the source's name, alias, domain or IRI (required)
    grade     an Admiralty letter A-F        } one of the two, not both
    trust     a number from 0 to 1            }
    assessor  who made the assessment (required)
    assessed  when: an ISO date or date-time (required)
    weight    how many pieces of evidence it counts as (default 16)
    note      free text, kept with the assessment

Turtle: ``srkb:PriorAssessment`` resources with the ontology's terms, the shape they are
stored in (``srkb:assessedSource`` an IRI of this knowledge base, or ``srkb:sourceName``;
``srkb:assessedGrade srkb:reliabilityA`` or ``srkb:trustValue``; ``srkb:evidenceWeight``;
``prov:wasAttributedTo`` an agent with an ``rdfs:label``; ``dcterms:date``;
``rdfs:comment``). Every problem is reported with its line (CSV) or resource (Turtle)
before anything is stored.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, SKOS
from rdflib.term import Node

from .errors import InputError
from .vocab import NAMESPACE, SCHEMA

GRADES = ("A", "B", "C", "D", "E", "F")
DEFAULT_WEIGHT = Decimal(16)
MAX_WEIGHT = Decimal(1000)
MAX_BYTES = 10_000_000
COLUMNS = ("source", "grade", "trust", "assessor", "assessed", "weight", "note")
REQUIRED = ("source", "assessor", "assessed")


@dataclass(frozen=True)
class PriorRow:
    """One assessment as the file gives it (the source not resolved yet)."""

    where: str  # "line 4" or the Turtle resource, for messages
    source_name: str  # as written (may be empty when source_iri is given)
    source_iri: str | None
    grade: str | None
    trust: Decimal | None
    weight: Decimal
    assessor_name: str
    assessor_iri: str | None  # the file's own IRI for the assessor, if any
    date: str  # ISO date or date-time, as given (checked)
    note: str = ""


@dataclass(frozen=True)
class PriorFileData:
    """A checked file of prior assessments."""

    name: str  # as given on the command line
    sha256: str
    media_type: str
    rows: tuple[PriorRow, ...]


def _plain(x: Decimal) -> Decimal:
    """0.90 -> 0.9, 10.0 -> 10 (never 1E+1): as the store writes an xsd:decimal."""
    return Decimal(format(x.normalize(), "f"))


def _fail(name: str, where: str, message: str) -> InputError:
    return InputError(f"{name} {where}: {message}" if where else f"{name}: {message}")


def _grade(name: str, where: str, value: str) -> str:
    letter = value.strip().upper()
    if letter not in GRADES:
        raise _fail(name, where, f"grade {value!r} is not an Admiralty letter (A-F)")
    return letter


def _trust(name: str, where: str, value: str) -> Decimal:
    try:
        trust = Decimal(value.strip())
    except InvalidOperation:
        raise _fail(name, where, f"trust {value!r} is not a number from 0 to 1") from None
    if not trust.is_finite() or not Decimal(0) <= trust <= Decimal(1):
        raise _fail(name, where, f"trust {value!r} is not a number from 0 to 1")
    return _plain(trust)


def _weight(name: str, where: str, value: str) -> Decimal:
    if not value.strip():
        return DEFAULT_WEIGHT
    try:
        weight = Decimal(value.strip())
    except InvalidOperation:
        raise _fail(name, where, f"weight {value!r} is not a number") from None
    if not weight.is_finite() or not Decimal(0) < weight <= MAX_WEIGHT:
        raise _fail(name, where, f"weight {value!r} must be more than 0 and at most {MAX_WEIGHT}")
    return _plain(weight)


def _date(name: str, where: str, value: str) -> str:
    text = value.strip()
    try:
        if "T" in text:
            datetime.fromisoformat(text.replace("Z", "+00:00"))
        else:
            date.fromisoformat(text)
    except ValueError:
        raise _fail(
            name, where, f"assessed {value!r} is not an ISO date (2024-01-15) or date-time"
        ) from None
    return text


def _one_of(name: str, where: str, grade: str, trust: str) -> tuple[str | None, Decimal | None]:
    if grade.strip() and trust.strip():
        raise _fail(name, where, "give a grade or a trust value, not both")
    if grade.strip():
        return _grade(name, where, grade), None
    if trust.strip():
        return None, _trust(name, where, trust)
    raise _fail(name, where, "give a grade (A-F) or a trust value (0 to 1)")


def _check_duplicates(name: str, rows: list[PriorRow]) -> None:
    seen: dict[tuple[str, str], str] = {}
    for row in rows:
        key = ((row.source_iri or row.source_name).casefold(), row.assessor_name.casefold())
        if key in seen:
            raise _fail(
                name,
                row.where,
                f"{row.assessor_name} assessed {row.source_name or row.source_iri} already "
                f"({seen[key]}): one assessment per source and assessor in a file",
            )
        seen[key] = row.where


def read_csv(name: str, text: str) -> list[PriorRow]:
    """The assessments of a CSV file (see the module docstring)."""
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise _fail(name, "", "no header row (source, grade or trust, assessor, assessed)")
    columns = [h.strip().lower() for h in header]
    unknown = [h for h in columns if h not in COLUMNS]
    if unknown:
        raise _fail(
            name, "line 1", f"unknown column {unknown[0]!r} (columns: {', '.join(COLUMNS)})"
        )
    missing = [c for c in REQUIRED if c not in columns]
    if missing or not {"grade", "trust"} & set(columns):
        need = missing[0] if missing else "grade or trust"
        raise _fail(name, "line 1", f"no {need} column")
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        where = f"line {number}"
        if len(values) > len(columns):
            raise _fail(name, where, f"{len(values)} values for {len(columns)} columns")
        cell = dict(zip(columns, [*values, *[""] * (len(columns) - len(values))], strict=True))
        for column in REQUIRED:
            if not cell[column].strip():
                raise _fail(name, where, f"no {column}")
        grade, trust = _one_of(name, where, cell.get("grade", ""), cell.get("trust", ""))
        source = cell["source"].strip()
        rows.append(
            PriorRow(
                where=where,
                source_name="" if source.startswith(("http://", "https://")) else source,
                source_iri=source if source.startswith(("http://", "https://")) else None,
                grade=grade,
                trust=trust,
                weight=_weight(name, where, cell.get("weight", "")),
                assessor_name=" ".join(cell["assessor"].split()),
                assessor_iri=None,
                date=_date(name, where, cell["assessed"]),
                note=cell.get("note", "").strip(),
            )
        )
    if not rows:
        raise _fail(name, "", "no assessment in it (a header row and no data)")
    return rows


_S = NAMESPACE
_NAMES = (RDFS.label, SKOS.prefLabel, SCHEMA.name, FOAF.name)


def _literal(graph: Graph, node: Node, prop: URIRef) -> str:
    value = graph.value(node, prop)
    return str(value) if isinstance(value, Literal) else ""


def _turtle_row(name: str, graph: Graph, node: URIRef | BNode) -> PriorRow:
    where = f"<{node}>" if isinstance(node, URIRef) else "(a blank node)"
    source = graph.value(node, URIRef(_S + "assessedSource"))
    source_name = _literal(graph, node, URIRef(_S + "sourceName"))
    if not isinstance(source, URIRef) and not source_name:
        raise _fail(name, where, "no srkb:assessedSource IRI and no srkb:sourceName")
    grade_node = graph.value(node, URIRef(_S + "assessedGrade"))
    grade = ""
    if grade_node is not None:
        local = str(grade_node).removeprefix(_S + "reliability")
        grade = local if str(grade_node).startswith(_S + "reliability") else str(grade_node)
    trust = _literal(graph, node, URIRef(_S + "trustValue"))
    grade_or_none, trust_or_none = _one_of(name, where, grade, trust)
    who = graph.value(node, PROV.wasAttributedTo)
    if who is None:
        raise _fail(name, where, "no prov:wasAttributedTo (who made the assessment)")
    if isinstance(who, Literal):
        assessor_name, assessor_iri = str(who), None
    else:
        found = [_literal(graph, who, p) for p in _NAMES]
        assessor_name = next((n for n in found if n), "")
        if not assessor_name:
            raise _fail(name, where, "its assessor has no rdfs:label")
        assessor_iri = str(who) if isinstance(who, URIRef) else None
    when = _literal(graph, node, DCTERMS.date)
    if not when:
        raise _fail(name, where, "no dcterms:date (when the assessment was made)")
    return PriorRow(
        where=where,
        source_name=source_name,
        source_iri=str(source) if isinstance(source, URIRef) else None,
        grade=grade_or_none,
        trust=trust_or_none,
        weight=_weight(name, where, _literal(graph, node, URIRef(_S + "evidenceWeight"))),
        assessor_name=" ".join(assessor_name.split()),
        assessor_iri=assessor_iri,
        date=_date(name, where, when),
        note=_literal(graph, node, RDFS.comment),
    )


def read_turtle(name: str, text: str) -> list[PriorRow]:
    """The srkb:PriorAssessment resources of a Turtle file (see the module docstring)."""
    graph = Graph()
    try:
        graph.parse(data=text, format="turtle")
    except Exception as exc:  # rdflib raises many parser exception types
        first = " ".join(str(exc).split())[:200]
        raise _fail(name, "", f"not valid Turtle ({first})") from None
    nodes = sorted(
        (n for n in graph.subjects(RDF.type, URIRef(_S + "PriorAssessment"))),
        key=lambda n: (isinstance(n, BNode), str(n)),
    )
    if not nodes:
        raise _fail(name, "", "no srkb:PriorAssessment in it")
    rows = [_turtle_row(name, graph, n) for n in nodes]  # type: ignore[arg-type]
    # blank nodes have no stable name: order them by what they say
    return sorted(rows, key=lambda r: (r.source_iri or r.source_name, r.assessor_name, r.date))


def read_prior_file(path: str) -> PriorFileData:
    """Read and check a prior assessment file (.csv or .ttl)."""
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in (".csv", ".ttl"):
        raise InputError(f"{path}: give a .csv or .ttl file of prior assessments")
    if not file.is_file():
        raise InputError(f"{path}: no such file")
    try:
        with file.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: larger than {MAX_BYTES} bytes")
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 (byte {exc.start})") from None
    rows = read_csv(path, text) if suffix == ".csv" else read_turtle(path, text)
    _check_duplicates(path, rows)
    media = "text/csv" if suffix == ".csv" else "text/turtle"
    return PriorFileData(path, hashlib.sha256(data).hexdigest(), media, tuple(rows))
