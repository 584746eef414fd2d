"""A saturated worker runs the request expected to be done soonest next (server.admission).

The mechanism under the mixed-load benchmark (bench/mixed_load.py: a simple ASK's p99 under
50 clients and 4 runaway queries): turns handed out by rank, cheap kinds never queued,
demoted queries giving their turn back, a bounded wait, and the query pool's processes
handed out by the same rank (server.ranked_queue).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.errors import ServiceBusyError
from server.admission import (
    DEFAULT_COST_S,
    EXPRESS_S,
    Admission,
    CostBook,
    Ticket,
    current_ticket,
)
from server.ranked_queue import RankedQueue


def _until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.005)


# --------------------------------------------------------------------------- costs
def test_a_kind_never_seen_costs_the_default_and_then_what_it_cost() -> None:
    book = CostBook()
    assert book.expected("GET /entity/x") == DEFAULT_COST_S
    book.record("GET /entity/x", 0.4)
    assert book.expected("GET /entity/x") == pytest.approx(0.4)
    book.record("GET /entity/x", 1.4)
    assert book.expected("GET /entity/x") == pytest.approx(0.7)  # a dearer run: smoothed
    book.record("GET /entity/x", 0.01)
    assert book.expected("GET /entity/x") == 0.01  # a cheaper one is believed at once


def test_the_cost_book_forgets_the_least_recently_seen_kinds_first() -> None:
    book = CostBook(kept=2)
    book.record("a", 1.0)
    book.record("b", 1.0)
    book.expected("a")  # seen again: b is now the oldest
    book.record("c", 1.0)
    assert book.expected("a") == 1.0 and book.expected("c") == 1.0
    assert book.expected("b") == DEFAULT_COST_S


# --------------------------------------------------------------------------- ranked queue
@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=6, unique=True))
def test_waiting_getters_are_served_lowest_rank_first(ranks: list[float]) -> None:
    slots: RankedQueue[int] = RankedQueue()
    served: list[float] = []
    lock = threading.Lock()

    def get(rank: float) -> None:
        slots.get(10.0, rank)
        with lock:
            served.append(rank)

    threads = [threading.Thread(target=get, args=(r,)) for r in ranks]
    for t in threads:
        t.start()
    _until(lambda: len(slots._getters) == len(ranks))
    for i in range(len(ranks)):
        slots.put(i)
        _until(lambda want=i + 1: len(served) == want)  # type: ignore[misc]
    for t in threads:
        t.join()
    assert served == sorted(ranks)


def test_a_getter_that_waited_too_long_gets_empty_and_no_item_is_lost() -> None:
    slots: RankedQueue[str] = RankedQueue()
    with pytest.raises(queue.Empty):
        slots.get(0.05, 1.0)
    slots.put("process")  # the getter that gave up must not swallow it
    assert slots.get_nowait() == "process"
    assert slots.get_nowait() is None


# --------------------------------------------------------------------------- turns
def _taught(admission: Admission, **costs: float) -> Admission:
    for kind, seconds in costs.items():
        admission.costs.record(kind, seconds)
    return admission


def _enter_in_thread(admission: Admission, kind: str, order: list[str]) -> threading.Thread:
    def run() -> None:
        ticket = admission.enter(kind)
        order.append(kind)
        admission.leave(ticket)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _order_once_free(admission: Admission, first: str, second: str, pause: float = 0) -> list[str]:
    """With the worker's one turn taken, ``first`` then (``pause`` s later) ``second``
    queue up; the order in which they run once the turn is free."""
    holder = admission.enter("holder")
    order: list[str] = []
    threads = [_enter_in_thread(admission, first, order)]
    _until(lambda: admission.status()["waiting"] == 1)
    time.sleep(pause)
    threads.append(_enter_in_thread(admission, second, order))
    _until(lambda: admission.status()["waiting"] == 2)
    admission.leave(holder)
    for thread in threads:
        thread.join(5)
    return order


def test_a_cheaper_kind_overtakes_a_dearer_one_that_came_first() -> None:
    admission = _taught(Admission(active=1, wait_s=10), heavy=2.0, page=0.05)
    assert _order_once_free(admission, "heavy", "page") == ["page", "heavy"]


def test_a_dear_kind_still_runs_once_it_has_waited_long_enough() -> None:
    """Aging: the rank is arrival + AGING x expected, so waiting long enough wins."""
    admission = _taught(Admission(active=1, wait_s=10), dear=0.05, cheapish=0.04)
    # 0.3 s: longer than AGING x the 10 ms difference in expected cost
    assert _order_once_free(admission, "dear", "cheapish", pause=0.3) == ["dear", "cheapish"]


def test_a_kind_known_to_be_cheap_runs_at_once_however_busy_the_worker_is() -> None:
    admission = _taught(Admission(active=1, wait_s=0.2), ask=EXPRESS_S / 2)
    holder = admission.enter("page")
    started = time.monotonic()
    ticket = admission.enter("ask")
    assert time.monotonic() - started < 0.1
    assert ticket.express and current_ticket() is ticket
    admission.leave(ticket)
    admission.leave(holder)


def test_a_request_that_waits_too_long_is_refused_with_e503() -> None:
    admission = Admission(active=1, wait_s=0.1)
    holder = admission.enter("page")
    with pytest.raises(ServiceBusyError) as info:
        admission.enter("page")
    assert info.value.code == "E503" and info.value.status == 503
    assert admission.status()["refused_busy"] == 1
    admission.leave(holder)
    admission.leave(admission.enter("page"))  # the refused one left no turn behind


def test_a_demoted_query_gives_its_turn_to_the_next_request() -> None:
    admission = Admission(active=1, wait_s=10)
    runaway: Ticket = admission.enter("runaway")
    order: list[str] = []
    waiting = _enter_in_thread(admission, "next", order)
    _until(lambda: admission.status()["waiting"] == 1)
    runaway.demoted()  # what server.pool does when it lowers the query's CPU priority
    waiting.join(5)
    assert order == ["next"]
    assert admission.status()["running_without_a_turn"] == 1
    admission.leave(runaway)
    assert admission.status() == {
        "active_limit": 1,
        "running": 0,
        "running_without_a_turn": 0,
        "waiting": 0,
        "refused_busy": 0,
    }


def test_what_a_request_cost_is_its_cpu_time_not_its_wait() -> None:
    admission = Admission(active=1, wait_s=10)
    ticket = admission.enter("sleepy")
    ticket.waited = 5.0  # waited for a query process: not its cost
    ticket.cpu = 0.25  # what its query took in the query process
    time.sleep(0.2)  # waiting costs no CPU
    admission.leave(ticket)
    assert 0.25 <= admission.costs.expected("sleepy") < 0.3


# --------------------------------------------------------------------------- over HTTP
def _app(**overrides: Any) -> FlaskClient:
    from kb.config import Settings
    from kb.store import KnowledgeBase
    from server import create_app

    kb = KnowledgeBase.in_memory()
    settings = Settings.from_env(environ={}, base_iri="http://kb.test/", **overrides)
    return create_app(settings, kb=kb).test_client()


def test_healthz_shows_the_turns_and_a_busy_worker_answers_503_e503() -> None:
    client = _app(active_requests=1, query_timeout_s=0.2)
    health = client.get("/healthz").get_json()
    assert health["requests"] == {
        "active_limit": 1,
        "running": 0,
        "running_without_a_turn": 0,
        "waiting": 0,
        "refused_busy": 0,
    }
    admission = client.application.extensions["srkb.admission"]
    holder = admission.enter("a long page")  # the worker's one turn is taken
    busy = client.get("/sparql?query=ASK%7B%7D", headers={"Accept": "application/json"})
    assert busy.status_code == 503 and busy.get_json()["error"] == "E503"
    assert client.get("/healthz").status_code == 200  # monitors are never queued
    admission.leave(holder)
    answered = client.get("/sparql?query=ASK%7B%7D", headers={"Accept": "application/json"})
    assert answered.status_code == 200 and answered.get_json()["boolean"] is True
    assert client.get("/healthz").get_json()["requests"]["refused_busy"] == 1


def test_without_a_limit_every_request_runs_at_once() -> None:
    client = _app(active_requests=0)
    assert "requests" not in client.get("/healthz").get_json()
    assert (
        client.get("/sparql?query=ASK%7B%7D", headers={"Accept": "application/json"}).status_code
        == 200
    )
