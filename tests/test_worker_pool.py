"""The extraction workers' pool: results in order, errors in order, whatever the chunking."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.errors import InputError
from kb.ingest_workers import WorkerPool


def _square_or_fail(n: int, bad: int) -> int:
    if n == bad:
        raise InputError(f"input {n} is bad")
    return n * n


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    with WorkerPool(2) as workers:
        yield workers


@pytest.mark.parametrize("chunk", [1, 3, 32])
def test_results_come_in_order(pool: WorkerPool, chunk: int) -> None:
    items = list(range(101))
    assert list(pool.map(_square_or_fail, items, -1, chunk=chunk)) == [n * n for n in items]


@pytest.mark.parametrize("chunk", [1, 4, 200])
def test_an_error_comes_after_every_result_before_it(pool: WorkerPool, chunk: int) -> None:
    got: list[int] = []
    with pytest.raises(InputError, match="input 37 is bad"):
        for result in pool.map(_square_or_fail, range(100), 37, chunk=chunk):
            got.append(result)
    assert got == [n * n for n in range(37)]


@settings(max_examples=30, deadline=None)
@given(items=st.lists(st.integers(0, 50), max_size=40), chunk=st.integers(1, 9))
def test_in_process_and_chunked_agree(pool: WorkerPool, items: list[int], chunk: int) -> None:
    inline = list(WorkerPool(0).map(_square_or_fail, items, -1))
    assert inline == [n * n for n in items]
    assert list(pool.map(_square_or_fail, items, -1, chunk=chunk)) == inline
