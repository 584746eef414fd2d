"""Reading the store while another process writes it (an ingest beside a read command).

RocksDB replaces files as it merges; a store opened read-only may meet a file it listed
that is gone by the time it reads it (kb.store.oxigraph.store_changed). A read whose
answer is built before anything is written out is then simply run again on a fresh
open: what a user meets is the answer, a little later.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ..config import Settings
from ..errors import StoreChangedError
from . import KnowledgeBase
from .oxigraph import store_changed

T = TypeVar("T")
READ_TRIES = 5  # fresh opens of a read that met a file replaced by a writer beside it


def changed_store(exc: BaseException) -> StoreChangedError | None:
    """The StoreChangedError behind ``exc`` (itself, or an I/O error it was raised
    from, as a query error wraps one); None when the store did not change under it."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, StoreChangedError):
            return seen
        if isinstance(seen, OSError):
            changed = store_changed(seen)
            if changed is not None:
                return changed
        seen = seen.__cause__
    return None


def read_store(
    settings: Settings, read: Callable[[KnowledgeBase], T], tries: int = READ_TRIES
) -> T:
    """``read`` on the store opened read-only, run again on a fresh open (up to
    ``tries`` runs in all) while it meets files a writer replaced; then StoreChangedError.
    ``read`` must not write anything out that a second run would write again."""
    for attempt in range(tries):
        try:
            with KnowledgeBase.from_settings(settings, read_only=True) as kb:
                return read(kb)
        except Exception as exc:
            changed = changed_store(exc)
            if changed is None:
                raise
            if attempt == tries - 1:
                if changed is exc:
                    raise
                raise changed from exc
    raise AssertionError("unreachable")  # pragma: no cover
