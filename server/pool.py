"""Where queries run: in killable processes, so that a time limit really stops them.

Oxigraph cannot be interrupted from Python: a query that runs for an hour keeps its
thread for an hour. So each server worker owns a ``QueryPool`` of pre-started query
processes. Each opens the snapshot read-only once and then evaluates the jobs it is sent
with ``server.execute.execute`` (a picklable ``QueryJob`` in, a picklable
``QueryOutcome`` out: the answer is already serialised, so the pipe carries bytes). A
request takes a free process, sends its job and waits at most ``timeout_s``. Past that,
the process is killed (SIGKILL; it holds nothing but a read-only handle), the request
gets ``QueryTimeoutError`` (HTTP 503) and a replacement process starts in the background.

Each query process also has no network (kb.netblock: a seccomp filter) unless SERVICE
targets are allowlisted, and the pool watches each running query's memory (stopped past
SRKB_QUERY_MEMORY_MB with a 503 E409). A query still running after SLOW_AFTER_S gets a
stand-in process started for the requests behind it, and its own process is demoted to
a lower CPU priority (then replaced when it is done), so runaway queries starve neither the
processes nor the CPU that quick ones need. When every process is busy, the next free one
goes to the waiting request with the lowest rank (server.admission: the one expected to be
done soonest), not to the one that asked first; and one process of a pool of two or more
is kept for the kinds of request known to be cheap, so a quick lookup never waits behind
heavy queries at all.

Why these choices:

* ``spawn``, never ``fork``: a worker has RocksDB open, and RocksDB's threads do not
  survive a fork.
* The processes are started by one long-lived thread per pool, and each asks the kernel
  to kill it when that thread's process dies (``PR_SET_PDEATHSIG``): a worker that is
  killed outright leaves no runaway query behind. (The signal follows the *thread* that
  forked, hence the one long-lived spawner thread.)
* Query processes ignore SIGINT: Ctrl-C reaches the whole process group, and the worker
  shuts its pool down itself, without tracebacks.

``InlineRunner`` evaluates in the calling process, with no time limit: for tests that
hand ``create_app`` an in-memory store, and for ``SRKB_QUERY_PROCESSES=0``.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import logging
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, Protocol

from kb.errors import (
    QueryMemoryError,
    QueryTimeoutError,
    ServiceBusyError,
    SRKBError,
    StoreError,
)
from kb.netblock import NetworkBlockUnavailableError, block_network
from kb.store import KnowledgeBase

from .admission import Ticket, current_ticket
from .execute import QueryJob, QueryOutcome, execute
from .ranked_queue import RankedQueue

logger = logging.getLogger(__name__)

START_TIMEOUT_S = 60.0
_PR_SET_PDEATHSIG = 1
WATCH_INTERVAL_S = 0.02  # how often a waiting request checks its query process's memory
EXPRESS_WAIT_S = 0.05  # a cheap kind's wait for the kept process, between other looks
SLOW_AFTER_S = 0.5  # a query running longer is demoted and gets a stand-in process
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


SLOW_NICE = 10  # about a tenth of a normal process's CPU share when both want the CPU


def _deprioritise(pid: int) -> bool:
    """Lower a slow query's CPU priority, so that runaway queries on a small machine do not
    slow quick ones down (a share, not SCHED_IDLE: a long but legitimate query still ends)."""
    try:
        os.setpriority(os.PRIO_PROCESS, pid, SLOW_NICE)
        return True
    except (AttributeError, OSError):
        return False


def resident_bytes(pid: int) -> int | None:
    """A process's resident memory from /proc (None where there is no /proc)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return None


class QueryRunner(Protocol):
    """Runs QueryJobs: inline, or in a pool of killable processes."""

    def run(self, job: QueryJob) -> QueryOutcome: ...

    def status(self) -> dict[str, Any]: ...

    def close(self) -> None: ...


class InlineRunner:
    """Evaluates in this process, without a time limit."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def run(self, job: QueryJob) -> QueryOutcome:
        return execute(self.kb, job)

    def status(self) -> dict[str, Any]:
        return {"mode": "inline", "size": 0, "ready": 0, "busy": 0}

    def close(self) -> None:
        pass


# --------------------------------------------------------------------------- the child side
def _die_with_parent(parent_pid: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies; exit if it already has."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent_pid:
        os._exit(0)


def _child_main(
    conn: Connection, opener: Callable[[], KnowledgeBase], parent_pid: int, no_network: bool
) -> None:
    """A query process: open the store, cut the network, answer jobs until the pipe closes."""
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        kb = opener()
    except SRKBError as exc:
        conn.send(("error", str(exc)))
        return
    note = ""
    if no_network:
        try:
            block_network()
        except NetworkBlockUnavailableError as exc:
            note = str(exc)
    conn.send(("ready", (os.getpid(), note)))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            message: tuple[str, Any] = ("ok", execute(kb, job))
        except SRKBError as exc:
            message = ("err", exc)
        except Exception:  # noqa: BLE001 - the worker must get an answer, never a hang
            logger.exception("query process %d failed on a query", os.getpid())
            message = ("err", StoreError("the query failed in the server; its log has the details"))
        try:
            conn.send(message)
        except (OSError, ValueError):
            return


# --------------------------------------------------------------------------- the pool
@dataclass
class _Slot:
    index: int
    process: Any = None  # multiprocessing.process.BaseProcess
    conn: Connection | None = None
    started: float = field(default=0.0)
    extra: bool = False  # holds a slow, demoted query: retired when the query ends
    express: bool = False  # kept for the kinds of query known to be cheap


class QueryPool:
    """``size`` query processes on one store; each job bounded in time and memory.

    A job runs in a free process for at most ``timeout_s`` and with at most
    ``memory_limit_bytes`` resident (checked every WATCH_INTERVAL_S while the request
    waits); past either the process is killed and the request gets a 503 with its own
    code. A job still running after SLOW_AFTER_S becomes an *extra*: its process is
    demoted to a lower CPU priority and a fresh process takes its place among the ``size``
    (at most ``size`` extras at once), so a few runaway queries hold neither the processes
    nor the CPU that quick ones need; an extra is retired when its query ends.
    """

    def __init__(
        self,
        opener: Callable[[], KnowledgeBase],
        size: int,
        timeout_s: float,
        *,
        memory_limit_bytes: int | None = None,
        no_network: bool = True,
    ) -> None:
        if size < 1:
            raise ValueError("a QueryPool needs at least one process")
        self.opener = opener  # picklable: each spawned process calls it to open the store
        self.size = size
        self.timeout_s = timeout_s
        self.memory_limit_bytes = memory_limit_bytes
        self.no_network = no_network
        self.network_note = ""  # why the network block is missing, if it is
        self._ctx = multiprocessing.get_context("spawn")
        self._free: RankedQueue[_Slot] = RankedQueue()  # busy: quickest request first
        self._express_free: RankedQueue[_Slot] = RankedQueue()
        self._to_start: queue.Queue[_Slot | None] = queue.Queue()
        # one process of a pool of two or more is kept for express requests
        self._slots = [_Slot(i, express=i == 0 and size > 1) for i in range(size)]
        self._closed = False
        self._busy = 0
        self._extras = 0  # processes holding a slow query beyond the ``size`` others
        self._lock = threading.Lock()
        self.timeouts = 0
        self.memory_stops = 0
        self.restarts = 0
        for slot in self._slots:
            self._to_start.put(slot)
        self._spawner = threading.Thread(
            target=self._spawn_loop, name="srkb-query-spawner", daemon=True
        )
        self._spawner.start()
        atexit.register(self.close)

    # --- starting processes --------------------------------------------------------
    def _spawn_loop(self) -> None:
        while True:
            slot = self._to_start.get()
            if slot is None or self._closed:
                return
            try:
                self._start(slot)
            except Exception as exc:  # noqa: BLE001 - this thread must outlive any failure
                logger.error("cannot start a query process: %s", exc)
                time.sleep(1.0)
                self._to_start.put(slot)
                continue
            self._put_free(slot)

    def _put_free(self, slot: _Slot) -> None:
        (self._express_free if slot.express else self._free).put(slot)

    def _start(self, slot: _Slot) -> None:
        parent_end, child_end = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=_child_main,
            args=(child_end, self.opener, os.getpid(), self.no_network),
            name=f"srkb-query-{slot.index}",
            daemon=True,
        )
        process.start()
        child_end.close()
        if not parent_end.poll(START_TIMEOUT_S):
            process.kill()
            raise StoreError("a query process did not open the store in time")
        try:
            kind, detail = parent_end.recv()
        except (EOFError, OSError) as exc:
            process.kill()
            raise StoreError(f"a query process exited while opening the store: {exc}") from exc
        if kind != "ready":
            process.join(5)
            raise StoreError(str(detail))
        pid, note = detail
        if note and not self.network_note:
            self.network_note = note
            logger.warning("query processes keep network access: %s", note)
        slot.process, slot.conn, slot.started = process, parent_end, time.monotonic()
        logger.debug("query process %s ready (pid %s)", slot.index, pid)

    def _stop(self, slot: _Slot) -> None:
        if slot.process is not None:
            with contextlib.suppress(OSError, ValueError):
                slot.process.kill()
            slot.process.join(5)
        if slot.conn is not None:
            with contextlib.suppress(OSError):
                slot.conn.close()
        slot.process = slot.conn = None

    def _discard(self, slot: _Slot) -> None:
        """Kill the slot's process; have a new one started unless it was an extra."""
        self._stop(slot)
        if slot.extra:
            self._retire(slot)
            return
        self.restarts += 1
        if not self._closed:
            self._to_start.put(slot)

    def _retire(self, slot: _Slot) -> None:
        self._stop(slot)
        with self._lock:
            self._extras -= 1
            self._slots.remove(slot)

    def _stand_in_for(self, slot: _Slot) -> bool:
        """A slow query's process becomes an extra (demoted, retired when the query ends)
        and a fresh process takes its place; at most ``size`` extras at once. Says whether
        it did."""
        with self._lock:
            if self._closed or self._extras >= self.size:
                return False
            self._extras += 1
            slot.extra = True
            fresh = _Slot(max(s.index for s in self._slots) + 1, express=slot.express)
            self._slots.append(fresh)
        _deprioritise(slot.process.pid)
        self._to_start.put(fresh)
        return True

    # --- running jobs -------------------------------------------------------------------
    def _take_free(self, deadline: float, ticket: Ticket | None) -> _Slot:
        """A free process; the request with the lowest rank gets the next (server.admission)."""
        while True:
            asked = time.monotonic()
            try:
                if ticket is not None and ticket.express:
                    slot = self._take_express(deadline, ticket.rank)
                else:
                    slot = self._free.get(
                        max(0.0, deadline - asked), ticket.rank if ticket is not None else None
                    )
            except queue.Empty:
                raise ServiceBusyError(
                    f"all query processes of this worker stayed busy for "
                    f"{self.timeout_s:g} s; try again shortly"
                ) from None
            if ticket is not None:
                ticket.waited += time.monotonic() - asked
            if slot.process is not None and slot.process.is_alive():
                return slot
            logger.warning("query process %s died while idle; starting another", slot.index)
            self._discard(slot)

    def _take_express(self, deadline: float, rank: float) -> _Slot:
        """For a cheap kind: the process kept for such kinds, or any free one; else wait
        for the kept one a little at a time (it serves only quick queries), looking for a
        free ordinary one in between.

        Raises:
            queue.Empty: none came before ``deadline``.
        """
        while True:
            slot = self._express_free.get_nowait() or self._free.get_nowait()
            if slot is not None:
                return slot
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise queue.Empty
            try:
                return self._express_free.get(min(EXPRESS_WAIT_S, remaining), rank)
            except queue.Empty:
                continue

    def _wait(self, slot: _Slot, ticket: Ticket | None) -> tuple[str, Any]:
        """The process's answer, watching its time and memory; kill it past either limit."""
        assert slot.conn is not None and slot.process is not None
        started = time.monotonic()
        slow = False
        while not slot.conn.poll(WATCH_INTERVAL_S):
            elapsed = time.monotonic() - started
            if elapsed >= self.timeout_s:
                self.timeouts += 1
                logger.warning(
                    "query stopped after %.1f s (query process %s killed)",
                    self.timeout_s,
                    slot.index,
                )
                raise QueryTimeoutError(
                    f"the query ran longer than the {self.timeout_s:g} s limit "
                    "(SRKB_QUERY_TIMEOUT_S) and was stopped; narrow it down or add a LIMIT"
                )
            self._check_memory(slot)
            if not slow and elapsed >= SLOW_AFTER_S:
                slow = True
                if self._stand_in_for(slot) and ticket is not None:
                    ticket.demoted()
        try:
            return slot.conn.recv()
        except (EOFError, OSError) as exc:
            raise StoreError(
                "the query process stopped unexpectedly while evaluating the query"
            ) from exc

    def _check_memory(self, slot: _Slot) -> None:
        if self.memory_limit_bytes is None:
            return
        rss = resident_bytes(slot.process.pid)
        if rss is None or rss <= self.memory_limit_bytes:
            return
        self.memory_stops += 1
        logger.warning(
            "query stopped at %d MB resident (query process %s killed)", rss >> 20, slot.index
        )
        raise QueryMemoryError(
            f"the query needed more than {self.memory_limit_bytes >> 20} MB "
            "(SRKB_QUERY_MEMORY_MB) and was stopped; narrow it down, or add a LIMIT or a more "
            "selective pattern"
        )

    def run(self, job: QueryJob) -> QueryOutcome:
        """Evaluate ``job`` in a free process within the time and memory limits.

        Raises:
            QueryTimeoutError: the query ran past ``timeout_s`` (it was stopped).
            QueryMemoryError: the query process grew past the memory limit (it was stopped).
            ServiceBusyError: no process became free within ``timeout_s``.
            SRKBError: what ``execute`` raised (malformed query, forbidden, ...).
        """
        if self._closed:
            raise ServiceBusyError("the server is shutting down")
        ticket = current_ticket()
        slot = self._take_free(time.monotonic() + self.timeout_s, ticket)
        with self._lock:
            self._busy += 1
        healthy = False
        sent = time.monotonic()
        try:
            assert slot.conn is not None
            try:
                slot.conn.send(job)
            except (OSError, ValueError) as exc:
                raise StoreError("the query process could not be reached") from exc
            kind, payload = self._wait(slot, ticket)
            healthy = True
        finally:
            with self._lock:
                self._busy -= 1
            if ticket is not None:  # its cost, for server.admission: CPU, or time if stopped
                ok = healthy and kind == "ok"
                ticket.cpu += payload.cpu_s if ok else time.monotonic() - sent
            if not healthy:
                self._discard(slot)
            elif slot.extra:
                self._retire(slot)  # demoted: its priority cannot be given back
            else:
                self._put_free(slot)
        if kind == "ok":
            return payload
        raise payload

    def status(self) -> dict[str, Any]:
        ready = sum(1 for s in self._slots if s.process is not None and s.process.is_alive())
        return {
            "mode": "processes",
            "size": self.size,
            "ready": ready,
            "busy": self._busy,
            "slow_extras": self._extras,
            "timeouts": self.timeouts,
            "memory_stops": self.memory_stops,
            "restarts": self.restarts,
            "network": "blocked" if self.no_network and not self.network_note else "open",
        }

    def pids(self) -> list[int]:
        return [s.process.pid for s in self._slots if s.process is not None]

    def wait_ready(self, timeout: float = START_TIMEOUT_S) -> bool:
        """Block until every process has started (tests, benchmarks)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._free.qsize() + self._express_free.qsize() + self._busy >= self.size:
                return True
            time.sleep(0.02)
        return False

    def close(self) -> None:
        """Stop every query process (also run at interpreter exit)."""
        if self._closed:
            return
        self._closed = True
        self._to_start.put(None)
        for slot in list(self._slots):
            self._stop(slot)
