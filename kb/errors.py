"""The error hierarchy: one base class, one subclass per layer, each with a stable code.

Messages are meant for users: one line, saying what is wrong and what to do. The CLI
prints them without a traceback; the server maps them to HTTP statuses.
"""

from __future__ import annotations


class SRKBError(Exception):
    """Base of every error srkb raises on purpose."""

    code = "E000"
    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class InputError(SRKBError):
    """A text given to srkb cannot be read: missing, empty, binary, not UTF-8."""

    code = "E100"
    status = 400


class ExtractionError(SRKBError):
    """The extraction pipeline could not process a document."""

    code = "E200"
    status = 500


class StoreError(SRKBError):
    """The knowledge base store cannot be opened or written."""

    code = "E300"
    status = 503


class StoreBusyError(StoreError):
    """Another process holds the store's write lock."""

    code = "E301"


class StoreChangedError(StoreError):
    """A read met a file of the store that a process writing it replaced meanwhile."""


class QueryError(SRKBError):
    """A SPARQL query is malformed or not allowed."""

    code = "E400"
    status = 400


class QuerySyntaxError(QueryError):
    """A malformed query, with where the parser stopped (1-based line and column)."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column

    def __reduce__(self) -> tuple[type, tuple[str, int | None, int | None]]:
        # Raised in query processes and sent over a pipe: keep line and column.
        return (type(self), (self.message, self.line, self.column))


class ResultTooLargeError(QueryError):
    """The answer has more rows than one response carries, in a format that cannot say so."""

    code = "E410"


class QueryForbiddenError(QueryError):
    """A query asks for something the endpoint refuses (update, SERVICE, LOAD)."""

    code = "E403"
    status = 403


class NotAcceptableError(QueryError):
    """No format the client accepts can carry the result (HTTP 406)."""

    code = "E406"
    status = 406


class QueryTimeoutError(QueryError):
    """A query ran past its time limit and was stopped."""

    code = "E408"
    status = 503


class QueryMemoryError(QueryError):
    """A query needed more memory than one query process may use, and was stopped."""

    code = "E409"
    status = 503


class ServiceBusyError(SRKBError):
    """Every query process is busy (or restarting) and none freed up in time."""

    code = "E503"
    status = 503


class NotFoundError(SRKBError):
    """A resource, graph or named query the client asked for does not exist."""

    code = "E404"
    status = 404


class OntologyError(SRKBError):
    """The ontology or gazetteer cannot be loaded or is inconsistent."""

    code = "E500"
    status = 500
