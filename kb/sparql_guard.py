"""Checks a SPARQL request before it is evaluated: read-only, and no network access.

Both rdflib and Oxigraph follow ``SERVICE <iri>`` to the network when asked. srkb
refuses such queries unless the target is on an allowlist, and it refuses every update
operation (INSERT, DELETE, LOAD, CLEAR, DROP, ...) on the query endpoint. The check is
lexical: keywords are found outside strings, IRIs and comments, so a claim text that
contains the word "SERVICE" or "LOAD" does not trip it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

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


def _host_allowed(iri: str, allowed: Iterable[str]) -> bool:
    target = iri.strip("<>")
    for entry in allowed:
        if entry == "*" or target == entry or target.startswith(entry.rstrip("/") + "/"):
            return True
        host = urlsplit(target).hostname
        if host and host == entry:
            return True
    return False


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
            if not _host_allowed(target.value, allowed):
                raise QueryForbiddenError(
                    f"SERVICE {target.value} is not allowed: federated queries may only reach "
                    "targets on the SRKB_SERVICE_ALLOWLIST"
                )
    if form is None:
        raise QueryError("the request is not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)")
    return form
