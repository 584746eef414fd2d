"""Checks a SPARQL request before it is evaluated: a read-only query, and no network access.

Oxigraph follows ``SERVICE <iri>`` to the network when asked. srkb refuses such queries
unless the target is on an allowlist, and refuses every update. The check works on the
*parsed* query (rdflib's SPARQL 1.1 grammar), never on tokens of srkb's own: a
hand-written tokenizer can be made to read the rest of a line as a comment (``ex:a\\#b``)
while the engine still runs the SERVICE behind it.

Two parsers can still disagree on an odd corner of the grammar, so the parse is checked
against the text: every place where the letters ``service`` occur in the query (in any
of the ways ``\\u`` escapes can be read) must be accounted for by the parse, as part of
a string, an IRI, a name or a variable, or as a SERVICE clause that the guard checked.
A query that hides the word anywhere else (a comment, say) is refused with a message.
On the embedded store the query processes also have no network at all
(kb/netblock.py), so a disagreement the checks missed still reaches nothing.

``FROM`` and ``FROM NAMED`` (like the protocol's ``default-graph-uri`` and
``named-graph-uri``) need no check: Oxigraph builds the dataset from the store's own
named graphs and never dereferences them; tests/test_sparql_guard.py keeps that true with
a listener.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import SplitResult, urlsplit

import pyoxigraph as ox
from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql import parser as sparql_parser
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef, Variable

from .errors import QueryError, QueryForbiddenError, QuerySyntaxError

QUERY_FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}
_KEYWORD = "service"
# How \u escapes can be read: SPARQL's (\uXXXX and \UXXXXXXXX, case-sensitive) and
# rdflib's (either case, 4 or 8 digits). The keyword check counts under each reading.
_UCHAR_SPARQL = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_UCHAR_LOOSE = re.compile(r"\\[uU]([0-9A-Fa-f]{8}|[0-9A-Fa-f]{4})")


@dataclass(frozen=True)
class ServiceTarget:
    """The target of one SERVICE clause as written: an IRI, a variable or a prefixed name."""

    kind: str  # "iri", "variable" or "prefixed"
    value: str


@dataclass(frozen=True)
class ParsedQuery:
    """What the guard learnt from one query text."""

    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    services: tuple[ServiceTarget, ...]
    has_dataset_clause: bool  # FROM / FROM NAMED


def _decode(match: re.Match[str]) -> str:
    code = int(next(g for g in match.groups() if g), 16)
    return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group()


def unescape_codepoints(sparql: str) -> str:
    r"""The query text with ``\u``/``\U`` escapes decoded, as SPARQL 1.1 section 19.2 says.

    >>> unescape_codepoints(r"<\u0068ttp://example.org/>")
    '<http://example.org/>'
    """
    return _UCHAR_SPARQL.sub(_decode, sparql)


def _readings(sparql: str) -> list[str]:
    """The texts an engine could see: as sent, as SPARQL decodes escapes, as rdflib does."""
    return [sparql, unescape_codepoints(sparql), _UCHAR_LOOSE.sub(_decode, sparql)]


def _leaves(tree: object) -> Iterator[tuple[str | None, object]]:
    """Every node of an rdflib parse tree with the key it sits under (iterative: no recursion)."""
    stack: list[tuple[str | None, object]] = [(None, tree)]
    while stack:
        key, node = stack.pop()
        yield key, node
        if isinstance(node, CompValue):
            stack.extend(node.items())
        elif isinstance(node, ParseResults | list | tuple):
            stack.extend((None, child) for child in node)


_ENGINE_PARSE_DEPTH = 64
_UNARY_RUN = re.compile(r"[!+\-](?:\s*[!+\-])+")


def _nesting(sparql: str) -> int:
    """An upper bound of how deep a parser must recurse: open brackets, unary runs."""
    depth = deepest = 0
    for char in sparql:
        if char in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")}]":
            depth = max(0, depth - 1)
    runs = max((len("".join(m.group().split())) for m in _UNARY_RUN.finditer(sparql)), default=0)
    return max(deepest, runs)


def _parse_error(sparql: str, exc: ParseBaseException) -> QueryError:
    """A syntax error with its line and column, or a refusal if the text is an update.

    The engine's own parser words syntax errors best, so its message is used when the
    text cannot reach the network (no ``service`` in it under any reading) and is not
    deeply nested (Oxigraph's recursive parser crashes the process on thousands of
    levels): asking Oxigraph to parse then is harmless, whatever it makes of the text.
    """
    try:
        sparql_parser.UpdateUnit.parse_string(unescape_codepoints(sparql), parse_all=True)
    except (ParseBaseException, RecursionError, ValueError):
        pass
    else:
        # A 400, as the SPARQL 1.1 Protocol tests expect of an update sent as a query: it
        # is not a query. (An update sent as an update is refused with 403 upstream.)
        return QueryError(
            "this is a SPARQL Update, not a query; this endpoint is read-only and accepts "
            "queries only (SELECT, ASK, CONSTRUCT or DESCRIBE)"
        )
    if _nesting(sparql) <= _ENGINE_PARSE_DEPTH and not any(
        _KEYWORD in text.lower() for text in _readings(sparql)
    ):
        try:
            ox.Store().query(sparql)
        except SyntaxError as engine_exc:
            return syntax_error(str(engine_exc))
        except (OSError, ValueError, RuntimeError):
            pass
    return QuerySyntaxError(
        f"malformed query: error at {exc.lineno}:{exc.col}: {exc.msg}", exc.lineno, exc.col
    )


_ENGINE_POSITION = re.compile(r"error at (\d+):(\d+)")


def syntax_error(engine_message: str) -> QuerySyntaxError:
    """Oxigraph's SyntaxError text ("error at 3:10: expected ...") with its position."""
    found = _ENGINE_POSITION.search(engine_message)
    line, column = (int(found.group(1)), int(found.group(2))) if found else (None, None)
    return QuerySyntaxError(f"malformed query: {engine_message}", line, column)


@lru_cache(maxsize=1024)
def parse_query(sparql: str) -> ParsedQuery:
    """Parse and inspect one query text (cached: pages and named queries repeat).

    Raises:
        QueryError: empty, malformed, or nested too deeply to check.
        QueryForbiddenError: a keyword the parse does not account for.
    """
    if not sparql or not sparql.strip():
        raise QueryError("empty query: send a SPARQL query in the 'query' parameter")
    try:
        tree = sparql_parser.Query.parse_string(unescape_codepoints(sparql), parse_all=True)
    except ParseBaseException as exc:
        raise _parse_error(sparql, exc) from None
    except RecursionError:
        raise QueryError(
            "the query is nested too deeply to be checked (groups, sub-queries or "
            "parentheses more than about 30 levels deep); flatten it"
        ) from None
    except ValueError as exc:  # an escape that names no character
        raise QueryError(f"malformed query: {exc}") from None
    form = None
    services: list[ServiceTarget] = []
    dataset = False
    accounted = 0
    for key, node in _leaves(tree):
        if isinstance(node, CompValue):
            if node.name in QUERY_FORMS and form is None:
                form = QUERY_FORMS[node.name]
            elif node.name == "ServiceGraphPattern":
                services.append(_service_target(node.get("term")))
                accounted += 1
            elif node.name == "DatasetClause":
                dataset = True
        elif isinstance(node, str) and key != "service_string":
            accounted += node.lower().count(_KEYWORD)
    if form is None:
        raise QueryError("the request is not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)")
    in_text = max(text.lower().count(_KEYWORD) for text in _readings(sparql))
    if in_text > accounted:
        raise QueryForbiddenError(
            "the word SERVICE appears where the query's parse does not place it (in a "
            "comment, or in an escape the engine may read differently); remove it there"
        )
    return ParsedQuery(form, tuple(services), dataset)


def _service_target(term: object) -> ServiceTarget:
    if isinstance(term, Variable):
        return ServiceTarget("variable", f"?{term}")
    if isinstance(term, URIRef):
        return ServiceTarget("iri", str(term))
    return ServiceTarget("prefixed", repr(term))


def _port(parts: SplitResult) -> int | None:
    try:
        port = parts.port
    except ValueError:
        return None
    return port if port is not None else {"http": 80, "https": 443}.get(parts.scheme)


def target_allowed(iri: str, allowed: Iterable[str]) -> bool:
    """Whether an absolute http(s) IRI is on the allowlist.

    An entry is ``*`` (anything), a host name (any scheme and port on that host), or an
    IRI prefix ``scheme://host[:port]/path``: same scheme, host and port, and a path
    below the entry's. IRIs are compared parsed, not as strings, so user info
    (``http://allowed@evil/``) or look-alike hosts (``http://allowed.evil/``) do not pass;
    relative IRIs never do (BASE could point them anywhere).
    """
    entries = tuple(allowed)
    if "*" in entries:
        return True
    parts = urlsplit(iri)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    host = parts.hostname.lower()
    for entry in entries:
        if "://" not in entry:
            if host == entry.lower().strip("[]"):
                return True
            continue
        want = urlsplit(entry)
        if (want.scheme, (want.hostname or "").lower(), _port(want)) != (
            parts.scheme,
            host,
            _port(parts),
        ):
            continue
        prefix = want.path.rstrip("/")
        path = parts.path or "/"
        if not prefix or path == prefix or path.startswith(prefix + "/"):
            return True
    return False


def check_query(sparql: str, *, service_allowlist: Iterable[str] = ()) -> ParsedQuery:
    """Refuse updates and SERVICE calls to targets not allowed; return what was parsed.

    Raises:
        QueryError: empty request, malformed query, or no query form.
        QueryForbiddenError: an update operation, or SERVICE to a target not allowed.
    """
    parsed = parse_query(sparql)
    allowed = tuple(service_allowlist)
    for target in parsed.services:
        if target.kind != "iri":
            raise QueryForbiddenError(
                f"SERVICE with a {target.kind} target is not allowed: name the target by its "
                "full IRI (and only targets on the SRKB_SERVICE_ALLOWLIST are reached)"
            )
        if not target_allowed(target.value, allowed):
            raise QueryForbiddenError(
                f"SERVICE <{target.value}> is not allowed: federated queries may only reach "
                "targets on the SRKB_SERVICE_ALLOWLIST"
            )
    return parsed
