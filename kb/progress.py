"""Progress of long commands, on a terminal or in a log.

On a terminal: click's progress bar. Anywhere else (a log file, CI, ``nohup``, a pipe) a
bar prints nothing useful, so one line every ``interval`` seconds says how far it got,
how fast and how long is left; and every phase after the main loop (deriving ratings,
publishing the release) announces itself, so a quiet minute is never a mystery.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Any, TextIO

import click


class Progress:
    """Counts ``step()`` calls towards ``total`` and reports them on ``stream``."""

    def __init__(
        self,
        total: int,
        label: str,
        *,
        stream: TextIO | None = None,
        interval: float = 10.0,
        enabled: bool = True,
    ) -> None:
        self.enabled = enabled  # off: small jobs say nothing but their result
        self.total = total
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.interval = interval
        self.done = 0
        self.started = time.monotonic()
        self._last = self.started
        self._bar: Any = None
        if enabled and self.stream.isatty():
            self._bar = click.progressbar(length=total, label=label, file=self.stream)

    def __enter__(self) -> Progress:
        if self._bar is not None:
            self._bar.__enter__()
        else:
            self.line(f"{self.label}: {self.total} to do")
        return self

    def step(self, _item: object = None) -> None:
        self.done += 1
        if self._bar is not None:
            self._bar.update(1)
            return
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            self.line(self._status(now))

    def _status(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else float("inf")
        eta = f", about {left:.0f} s left" if left != float("inf") else ""
        return f"{self.label}: {self.done}/{self.total} ({rate:.1f}/s{eta})"

    def phase(self, text: str) -> None:
        """A step after the counted work (deriving, publishing): always said."""
        if self._bar is not None:
            self.stream.write("\n")
        self.line(text)

    def line(self, text: str) -> None:
        if not self.enabled:
            return
        self.stream.write(f"srkb: {text}\n")
        self.stream.flush()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(kind, exc, tb)
        elif kind is None:
            elapsed = time.monotonic() - self.started
            self.line(f"{self.label}: {self.done}/{self.total} in {elapsed:.1f} s")
