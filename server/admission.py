"""Which request a saturated worker runs next: the one expected to be done soonest.

With more requests than the CPU can serve at once, requests taken in arrival order make a
quick lookup wait behind every heavy page and query ahead of it: 50 clients on 2 cores
made a one-triple ASK wait 8.6 s at p99 (docs/benchmarks.md, mixed load). So each worker
lets at most ``active`` requests run at once (``SRKB_ACTIVE_REQUESTS``); the others wait,
and the next to run is the waiting one with the smallest *rank*, ``arrival + AGING x
expected``, where ``expected`` is the recent mean CPU time of requests of the same kind
(the same URL and body: ``CostBook``). Quick kinds overtake; slow
ones still run, later. A request that waited ``wait_s`` gets 503 E503 (try again shortly).
Kinds known to need almost no CPU (``EXPRESS_S``) do not wait for a turn at all: a
one-resource lookup answers at once however busy the worker is, and costs it next to
nothing (the query pool keeps one of its processes for them); a kind that turns out
dearer loses that as its mean grows.

The query pool (server.pool) hands its processes out by the same rank, adds the time a
request waited for one to ``Ticket.waited`` and its queries' CPU time to ``Ticket.cpu``,
and calls ``demoted`` when it lowers a long query's CPU
priority: from then on that request stops holding a turn, so runaway queries hold neither
the CPU nor the worker's turns. This is shortest-expected-first scheduling with aging, the
classic answer to head-of-line blocking; the run times it learns from are the worker's own.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import threading
import time
from collections import OrderedDict
from contextvars import ContextVar
from dataclasses import dataclass, field

from flask import Flask, current_app, g, request

from kb.errors import ServiceBusyError

AGING = 10.0  # a kind expected to take t seconds waits as if it had arrived AGING x t later
DEFAULT_COST_S = 0.05  # a kind not seen yet (CPU seconds)
SMOOTHING = 0.3  # weight of a dearer newest run in a kind's expected cost
EXPRESS_S = 0.01  # kinds expected to take less CPU than this never wait for a turn
KINDS_KEPT = 4096  # kinds remembered (least recently seen forgotten first)


class CostBook:
    """The expected cost (CPU seconds) of each kind of request, from its recent runs."""

    def __init__(self, kept: int = KINDS_KEPT) -> None:
        self._means: OrderedDict[str, float] = OrderedDict()
        self._kept = kept
        self._lock = threading.Lock()

    def expected(self, kind: str) -> float:
        with self._lock:
            mean = self._means.get(kind)
            if mean is None:
                return DEFAULT_COST_S
            self._means.move_to_end(kind)
            return mean

    def record(self, kind: str, seconds: float) -> None:
        """Learn a run's cost: a cheaper run is believed at once (a kind's first runs pay
        for cold caches and imports), a dearer one moves the mean by SMOOTHING."""
        with self._lock:
            mean = self._means.get(kind)
            self._means[kind] = (
                seconds
                if mean is None or seconds < mean
                else (1 - SMOOTHING) * mean + SMOOTHING * seconds
            )
            self._means.move_to_end(kind)
            while len(self._means) > self._kept:
                self._means.popitem(last=False)


def query_kind(prefix: str, text: str) -> str:
    """A request's kind from its text, spacing aside (hashed: short keys)."""
    digest = hashlib.blake2b(" ".join(text.split()).encode(), digest_size=8).hexdigest()
    return f"{prefix} {digest}"


@dataclass(order=True)
class Ticket:
    """A request's place: waiting for a turn, then holding it until ``Admission.leave``."""

    rank: float
    seq: int
    kind: str = field(compare=False)
    arrived: float = field(compare=False, default=0.0)
    started: float = field(compare=False, default=0.0)
    waited: float = field(compare=False, default=0.0)  # for query processes, once admitted
    cpu: float = field(compare=False, default=0.0)  # its queries' CPU time (server.pool)
    thread_cpu: float = field(compare=False, default=0.0)  # thread CPU clock when admitted
    counted: bool = field(compare=False, default=True)  # holds a turn (not demoted)
    express: bool = field(compare=False, default=False)  # a kind known to be cheap
    admitted: threading.Event = field(compare=False, default_factory=threading.Event)
    gone: bool = field(compare=False, default=False)  # gave up waiting
    owner: Admission | None = field(compare=False, default=None, repr=False)

    def demoted(self) -> None:
        """Its query now runs at a low CPU priority (server.pool): the turn goes on."""
        if self.owner is not None:
            self.owner.demoted(self)


CURRENT_TICKET: ContextVar[Ticket | None] = ContextVar("srkb_ticket", default=None)


def current_ticket() -> Ticket | None:
    """The ticket of the request this thread serves, if the worker schedules requests."""
    return CURRENT_TICKET.get()


class Admission:
    """At most ``active`` requests running per worker, the rest served quickest-first."""

    def __init__(self, active: int, wait_s: float) -> None:
        self.active = active
        self.wait_s = wait_s
        self.costs = CostBook()
        self._lock = threading.Lock()
        self._running: dict[int, Ticket] = {}
        self._waiting: list[Ticket] = []  # a heap by rank
        self._seq = itertools.count()
        self.refused = 0

    def _counted(self) -> int:
        return sum(1 for t in self._running.values() if t.counted)

    def _dispatch(self) -> None:
        """Admit waiters, lowest rank first, while turns are free (lock held)."""
        while self._waiting and self._counted() < self.active:
            ticket = heapq.heappop(self._waiting)
            if ticket.gone:
                continue
            ticket.started = time.monotonic()
            self._running[ticket.seq] = ticket
            ticket.admitted.set()

    def enter(self, kind: str) -> Ticket:
        """Wait for a turn (at most ``wait_s``); the ticket becomes the current one.

        Raises:
            ServiceBusyError: no turn came within ``wait_s``.
        """
        now = time.monotonic()
        expected = self.costs.expected(kind)
        ticket = Ticket(now + AGING * expected, next(self._seq), kind, arrived=now, owner=self)
        with self._lock:
            if expected <= EXPRESS_S:  # too cheap to queue: it runs at once, holding no turn
                ticket.counted, ticket.express = False, True
                ticket.started = now
                self._running[ticket.seq] = ticket
                ticket.admitted.set()
            else:
                heapq.heappush(self._waiting, ticket)
                self._dispatch()
        if not ticket.admitted.wait(self.wait_s):
            with self._lock:
                if not ticket.admitted.is_set():
                    ticket.gone = True
                    self.refused += 1
                    raise ServiceBusyError(
                        f"the server is busy: this request waited {self.wait_s:g} s for a "
                        "turn; try again shortly"
                    )
        ticket.thread_cpu = time.thread_time()
        CURRENT_TICKET.set(ticket)
        return ticket

    def demoted(self, ticket: Ticket) -> None:
        """The request's query now runs at a low CPU priority: its turn goes to the next."""
        with self._lock:
            ticket.counted = False
            self._dispatch()

    def leave(self, ticket: Ticket) -> None:
        """Hand the turn back; the CPU time the request took (its thread's and its queries')
        teaches the kind's expected cost: unlike wall time, it does not grow with the load."""
        CURRENT_TICKET.set(None)
        self.costs.record(ticket.kind, time.thread_time() - ticket.thread_cpu + ticket.cpu)
        with self._lock:
            self._running.pop(ticket.seq, None)
            self._dispatch()

    def status(self) -> dict[str, int]:
        """Turns in use, requests running without one (known-cheap or demoted), waiting
        requests, and how many were refused for waiting too long."""
        with self._lock:
            return {
                "active_limit": self.active,
                "running": self._counted(),
                "running_without_a_turn": len(self._running) - self._counted(),
                "waiting": sum(1 for t in self._waiting if not t.gone),
                "refused_busy": self.refused,
            }


# --------------------------------------------------------------------------- the Flask side
EXEMPT_ENDPOINTS = frozenset({"static", "pages.healthz"})  # cheap, and what monitors poll
ADMISSION_KEY = "srkb.admission"


def request_kind() -> str:
    """What requests of the same expected cost share: the same URL (path and query string)
    and, for SPARQL, the same body too. Only the very same request is taken to cost what
    it cost before: a page kind's cost varies too much between its pages (and between a
    memoised page and a fresh one) to make one cheap page vouch for the next."""
    endpoint = request.endpoint or "unknown"
    body = b""
    if endpoint.startswith("sparql."):
        length = request.content_length
        if length is not None and length <= current_app.config["MAX_CONTENT_LENGTH"]:
            body = request.get_data(cache=True)  # kept for the view (and its form parser)
    url = request.path + "?" + request.query_string.decode("latin-1")
    return query_kind(endpoint, url + "\n" + body.decode("latin-1"))


def _enter() -> None:
    admission: Admission | None = current_app.extensions.get(ADMISSION_KEY)
    if admission is None or request.endpoint in EXEMPT_ENDPOINTS:
        return
    g.srkb_ticket = admission.enter(request_kind())


def _leave(_exc: BaseException | None) -> None:
    ticket = g.pop("srkb_ticket", None)
    if ticket is not None:
        current_app.extensions[ADMISSION_KEY].leave(ticket)


def register_admission(app: Flask, active: int, wait_s: float) -> None:
    """Have ``app`` run at most ``active`` requests at once, quickest-expected first
    (``active`` 0: no limit)."""
    if active <= 0:
        return
    app.extensions[ADMISSION_KEY] = Admission(active, wait_s)
    app.before_request(_enter)
    app.teardown_request(_leave)


def admission_status() -> dict[str, int] | None:
    """The turns of this worker (for /healthz), or None when every request runs at once."""
    admission: Admission | None = current_app.extensions.get(ADMISSION_KEY)
    return admission.status() if admission is not None else None
