"""A queue whose waiting getters are served lowest rank first, not first come first served.

A worker's query processes are handed out through one: when all are busy, the request
expected to be done soonest gets the next free one (server.admission ranks requests), so
a quick lookup does not wait behind every heavy query that asked before it. A getter
without a rank ranks by its arrival time: first come first served.
"""

from __future__ import annotations

import heapq
import itertools
import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(order=True)
class _Getter(Generic[T]):
    rank: float
    seq: int
    handed: threading.Event = field(compare=False, default_factory=threading.Event)
    item: T | None = field(compare=False, default=None)
    gone: bool = field(compare=False, default=False)


class RankedQueue(Generic[T]):
    """Items to hand out; a getter that must wait is served in order of its rank."""

    def __init__(self) -> None:
        self._items: list[T] = []
        self._getters: list[_Getter[T]] = []  # a heap by rank
        self._lock = threading.Lock()
        self._seq = itertools.count()

    def put(self, item: T) -> None:
        """Hand ``item`` to the best-ranked waiting getter, or keep it."""
        with self._lock:
            while self._getters:
                getter = heapq.heappop(self._getters)
                if not getter.gone:
                    getter.item = item
                    getter.handed.set()
                    return
            self._items.append(item)

    def get_nowait(self) -> T | None:
        """An item if one is free now, else None."""
        with self._lock:
            return self._items.pop() if self._items else None

    def get(self, timeout: float, rank: float | None = None) -> T:
        """An item, waiting at most ``timeout`` seconds.

        Raises:
            queue.Empty: none came in time.
        """
        with self._lock:
            if self._items:  # put() hands items to waiting getters first: none waits
                return self._items.pop()
            getter: _Getter[T] = _Getter(
                time.monotonic() if rank is None else rank, next(self._seq)
            )
            heapq.heappush(self._getters, getter)
        if not getter.handed.wait(timeout):
            with self._lock:
                if not getter.handed.is_set():
                    getter.gone = True
                    raise queue.Empty
        assert getter.item is not None
        return getter.item

    def qsize(self) -> int:
        with self._lock:
            return len(self._items)
