"""Named provenance queries: SPARQL files in kb/queries/ with a header that documents them.

Each ``NAME.rq`` starts with comment lines::

    # title: Why a source has its grade
    # description: ...
    # param: source | name | required | The source's name, alias or domain ...
    # limit: 100

and declares each parameter where it is used as ``VALUES ?source { UNDEF }`` (as often as
needed), so the file runs as it is (parameters unbound). Binding a parameter replaces
that UNDEF with the value serialised by pyoxigraph as a SPARQL term, never by pasting
user text into the query. A ``name`` parameter is a literal looked up among the
lower-cased names (``srkb:nameKey``), so it is bound lower-cased. ``limit`` (the header's
figure by default, at most MAX_LIMIT) bounds how many rows each part of the query reads:
at 100,000 texts a source may have relayed 100,000 claims, and a query that reads them
all cannot answer in milliseconds. The CLI (`srkb query --named`), the server and Python
callers all go through ``bind``/``run_named``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any, Literal

import pyoxigraph as ox

from .derived.entities import name_key
from .errors import QueryError

ParamKind = Literal["literal", "iri", "name"]
_HEADER = re.compile(r"^#\s*(title|description|param|limit):\s*(.*)$")
MAX_LIMIT = 10_000
LIMIT_PARAM = "limit"


@dataclass(frozen=True)
class Param:
    name: str
    kind: ParamKind
    required: bool
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    limit: int | None = None  # rows each part reads by default ("# limit:")

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryError(f"query {self.name!r} has no parameter {name!r} (parameters: {known})")


def _parse(name: str, text: str) -> NamedQuery:
    title = description = ""
    params = []
    limit: int | None = None
    for line in text.splitlines():
        m = _HEADER.match(line)
        if not m:
            if line.startswith("#") or not line.strip():
                continue
            break
        key, value = m.groups()
        if key == "title":
            title = value.strip()
        elif key == "description":
            description = value.strip()
        elif key == "limit":
            limit = int(value)
            if f"LIMIT {limit}" not in text:
                raise ValueError(f"{name}.rq: '# limit: {limit}' but no 'LIMIT {limit}'")
        else:
            pname, kind, req, pdesc = (part.strip() for part in value.split("|", 3))
            if kind not in ("literal", "iri", "name") or req not in ("required", "optional"):
                raise ValueError(f"{name}.rq: bad param line {line!r}")
            if f"VALUES ?{pname} {{ UNDEF }}" not in text:
                raise ValueError(f"{name}.rq: param {pname} has no 'VALUES ?{pname} {{ UNDEF }}'")
            params.append(Param(pname, kind, req == "required", pdesc))  # type: ignore[arg-type]
    if not title or not description:
        raise ValueError(f"{name}.rq: needs '# title:' and '# description:' header lines")
    return NamedQuery(name, title, description, tuple(params), text, limit)


@lru_cache(maxsize=1)
def named_queries() -> dict[str, NamedQuery]:
    """All named queries shipped in kb/queries, by name."""
    folder = files("kb") / "queries"
    out = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[: -len(".rq")]
            out[name] = _parse(name, entry.read_text(encoding="utf-8"))
    return out


def get_named_query(name: str) -> NamedQuery:
    try:
        return named_queries()[name]
    except KeyError:
        known = ", ".join(named_queries())
        raise QueryError(f"no named query {name!r}; known: {known}") from None


def _term(param: Param, value: str) -> str:
    if param.kind == "iri":
        try:
            return str(ox.NamedNode(value))
        except ValueError as exc:
            raise QueryError(f"parameter {param.name}: {value!r} is not an IRI ({exc})") from exc
    if param.kind == "name":
        return str(ox.Literal(name_key(value)))
    return str(ox.Literal(value))


def _limit(query: NamedQuery, value: str) -> int:
    try:
        limit = int(value)
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be a whole number from 1 to {MAX_LIMIT}, not {value!r}")
    return limit


def bind(query: NamedQuery, values: dict[str, str]) -> str:
    """The query text with parameters bound; required ones must be given."""
    text = query.text
    for key in values:
        if key == LIMIT_PARAM and query.limit is not None:
            text = text.replace(f"LIMIT {query.limit}", f"LIMIT {_limit(query, values[key])}")
            continue
        query.param(key)  # unknown parameters are an error, not ignored
    for p in query.params:
        if p.name in values:
            text = text.replace(
                f"VALUES ?{p.name} {{ UNDEF }}",
                f"VALUES ?{p.name} {{ {_term(p, values[p.name])} }}",
            )
        elif p.required:
            raise MissingParameterError(query.name, p.name, p.description)
    return text


class MissingParameterError(QueryError):
    """A required parameter of a named query has no value. The message names it in the
    words of the caller: ``for_cli`` and ``for_http`` say how to give it."""

    def __init__(self, query: str, param: str, description: str) -> None:
        super().__init__(f"query {query!r} needs a value for {param!r} ({description})")
        self.query, self.param, self.description = query, param, description

    def __reduce__(self) -> tuple[type, tuple[str, str, str]]:
        return (type(self), (self.query, self.param, self.description))

    def for_cli(self) -> QueryError:
        return QueryError(
            f"query {self.query!r} needs --param {self.param}=VALUE ({self.description})"
        )

    def for_http(self) -> QueryError:
        return QueryError(
            f"query {self.query!r} needs the parameter {self.param}: add ?{self.param}=VALUE "
            f"to the URL ({self.description})"
        )


def parse_param_options(options: tuple[str, ...] | list[str]) -> dict[str, str]:
    """['source=AMN', ...] -> {'source': 'AMN'}."""
    out = {}
    for opt in options:
        key, sep, value = opt.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"--param needs KEY=VALUE, not {opt!r}")
        out[key.strip()] = value
    return out


def run_named(kb: Any, name: str, values: dict[str, str]) -> Any:
    """Run a named query on a KnowledgeBase; returns pyoxigraph results."""
    text = bind(get_named_query(name), values)
    try:
        return kb.query(text)
    except SyntaxError as exc:  # pragma: no cover - the shipped files are tested
        raise QueryError(f"named query {name!r} is malformed: {exc}") from exc
