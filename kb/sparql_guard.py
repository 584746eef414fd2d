"""Checks a SPARQL request before it is evaluated: read-only, and no network access.

Both rdflib and Oxigraph follow ``SERVICE <iri>`` to the network when asked. srkb
refuses such queries unless the target is on an allowlist, and it refuses every update
operation (INSERT, DELETE, LOAD, CLEAR, DROP, ...) on the query endpoint. The check is
lexical: keywords are found outside strings, IRIs and comments, so a claim text that
contains the word "SERVICE" or "LOAD" does not trip it. SERVICE targets are compared
after decoding ``\\u`` escapes (Oxigraph decodes them in IRIs) and parsed, never as
string prefixes.

``FROM`` and ``FROM NAMED`` (like the protocol's ``default-graph-uri`` and
``named-graph-uri``) need no check: Oxigraph builds the dataset from the store's own
named graphs and never dereferences them (a graph the store does not hold is empty);
tests/test_server_sparql.py keeps that true with a listener.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from .errors import QueryError, QueryForbiddenError

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
    | (?P<pname>[\w.\-]*:[\w.\-:%\\]*)
    | (?P<word>[A-Za-z_][\w\-]*)
    | (?P<other>\S)
    """,
    re.VERBOSE | re.UNICODE,
)


@dataclass(frozen=True)
class Token:
    kind: str
    value: str


def tokens(sparql: str) -> list[Token]:
    """Split a SPARQL string into coarse tokens (comments dropped)."""
    out = []
    for m in _TOKEN.finditer(sparql):
        kind = m.lastgroup or "other"
        if kind != "comment":
            out.append(Token(kind, m.group()))
    return out


_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def iri_value(token: str) -> str:
    """The IRI an ``<...>`` token denotes, ``\\u`` escapes decoded as the engine reads them.

    >>> iri_value(r"<\\u0068ttp://example.org/>")
    'http://example.org/'
    """
    inner = token[1:-1] if token.startswith("<") and token.endswith(">") else token
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), inner)


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


def has_dataset_clause(sparql: str) -> bool:
    """Whether the query names its dataset (FROM or FROM NAMED, outside strings and IRIs).

    >>> has_dataset_clause('SELECT * FROM <http://g> { ?s ?p "FROM" }')
    True
    >>> has_dataset_clause('SELECT * { ?s ?p "FROM" } # FROM')
    False
    """
    return any(t.kind == "word" and t.value.upper() == "FROM" for t in tokens(sparql))


def query_form(sparql: str) -> str:
    """The form of a query (SELECT, ASK, CONSTRUCT, DESCRIBE), or raise QueryError."""
    for tok in tokens(sparql):
        if tok.kind == "word":
            upper = tok.value.upper()
            if upper in QUERY_FORMS:
                return upper
            if upper in UPDATE_KEYWORDS:
                break
    raise QueryError("the request is not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)")


def check_query(sparql: str, *, service_allowlist: Iterable[str] = ()) -> str:
    """Refuse updates and SERVICE calls to targets not allowed; return the query form.

    Raises:
        QueryError: empty request or no query form.
        QueryForbiddenError: an update operation, or SERVICE to a target not allowed.
    """
    if not sparql or not sparql.strip():
        raise QueryError("empty query: send a SPARQL query in the 'query' parameter")
    toks = tokens(sparql)
    allowed = tuple(service_allowlist)
    form = None
    for i, tok in enumerate(toks):
        if tok.kind != "word":
            continue
        upper = tok.value.upper()
        if form is None and upper in QUERY_FORMS:
            form = upper
        if upper in UPDATE_KEYWORDS and form is None:
            raise QueryForbiddenError(
                f"{upper} is a SPARQL update operation; this endpoint is read-only and "
                "accepts queries only"
            )
        if upper == "SERVICE":
            j = i + 1
            if j < len(toks) and toks[j].kind == "word" and toks[j].value.upper() == "SILENT":
                j += 1
            target = toks[j] if j < len(toks) else None
            if target is None or target.kind != "iri":
                raise QueryForbiddenError(
                    "SERVICE with a variable or prefixed target is not allowed"
                )
            if not target_allowed(iri_value(target.value), allowed):
                raise QueryForbiddenError(
                    f"SERVICE {target.value} is not allowed: federated queries may only reach "
                    "targets on the SRKB_SERVICE_ALLOWLIST"
                )
    if form is None:
        raise QueryError("the request is not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)")
    return form
