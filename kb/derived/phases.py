"""How long each phase of a derivation took, logged at debug level (``srkb -vv``): the
figures the benchmarks in docs/benchmarks.md break a step down by."""

from __future__ import annotations

import logging
import time

logger = logging.getLogger("kb.derived")


class Phases:
    """Logs the time since the last mark under ``what`` (``name``: which derivation)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.last = time.perf_counter()

    def done(self, what: str, precision: int = 1) -> None:
        now = time.perf_counter()
        logger.debug("%s: %s in %.*f s", self.name, what, precision, now - self.last)
        self.last = now
