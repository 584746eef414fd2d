"""Extraction in worker processes: a text in, its named graph as N-Quads out.

Extraction and building a text's quads are a pure function of the text, so they run in
a pool of processes (one per core by default) while the main process writes batches and
derives ratings. What crosses the process boundary is small and cheap to pickle: the
input's name (or the InputText), and back the graph as N-Quads bytes (pyoxigraph
serialises and parses them in Rust; pickling quad objects costs 15 times more).

Workers are *spawned*, never forked: the main process has RocksDB open, and RocksDB's
threads do not survive a fork. At most ``window`` tasks are in flight, so a slow writer
holds back the workers instead of piling their results up in memory.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar, cast

import pyoxigraph as ox

from .build import build_text_graph
from .config import Settings
from .content import text_lines_digest
from .corpus import InputLimits, InputText, read_input
from .errors import ExtractionError, SRKBError
from .extract import extract_document, extract_strict
from .extract.jsondoc import assembled_text
from .extract.model import Extraction
from .iri import IriMinter, content_hash
from .reliability import claim_row
from .search import index_words
from .text_records import TextRecords, records_from_props, records_of

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Planned:
    """An input and the id of the text it holds (known before extracting it)."""

    name: str
    text_id: str


@dataclass(frozen=True)
class Built:
    """One text, extracted and built: its graph as N-Quads."""

    name: str
    text_id: str
    graph_iri: str
    activity_iri: str
    nquads: bytes
    quads: int
    digest: int  # kb.content.lines_digest of the graph
    records: TextRecords | None = None  # what the derived steps read of it (kb.text_records)


def stored_text(item: InputText) -> str:
    """The text the knowledge base keeps: as read, or assembled from a JSON document's fields
    (computed without extracting, so an unchanged document is skipped cheaply)."""
    if item.document is None:
        return item.text
    if item.assembled is not None:
        return item.assembled.text
    return assembled_text(item.document)


def text_id_of(item: InputText, base_iri: str) -> str:
    return IriMinter(base_iri).text_id(content_hash(stored_text(item)))


def extract_input(item: InputText) -> Extraction:
    """Extract from a plain text or a JSON document; a pipeline failure is an ExtractionError."""
    try:
        if item.document is not None:
            extraction = extract_document(item.document, item.assembled)
        else:
            extraction = extract_strict(item.text)
    except SRKBError:
        raise
    except Exception as exc:  # a bug in a pipeline stage: report it, do not store a guess
        raise ExtractionError(
            f"{item.name}: extraction failed ({type(exc).__name__}: {exc})"
        ) from exc
    if "error" in extraction.metadata:
        raise ExtractionError(f"{item.name}: extraction failed ({extraction.metadata['error']})")
    return extraction


@functools.cache
def _limits() -> InputLimits:
    # Workers are spawned with the CLI's environment: the same SRKB_MAX_INPUT_* settings.
    return InputLimits.from_settings(Settings.from_env())


def _item(source: InputText | str) -> InputText:
    return source if isinstance(source, InputText) else read_input(source, _limits())


def plan_one(source: InputText | str, base_iri: str) -> Planned:
    """Read and check an input, and name the text it holds (workers' first pass)."""
    item = _item(source)
    return Planned(item.name, text_id_of(item, base_iri))


def build_one(source: InputText | str, base_iri: str, version: str) -> Built:
    """Extract one input and build its graph (workers' second pass)."""
    item = _item(source)
    extraction = extract_input(item)
    built = build_text_graph(
        extraction,
        base_iri=base_iri,
        source_name=item.name,
        version=version,
        when=datetime.now(UTC).replace(microsecond=0),
    )
    digest, count = text_lines_digest(built.lines)
    records = _with_rows(records_from_props(built.graph_iri, built.props))
    return Built(
        item.name,
        built.text_id,
        built.graph_iri,
        built.activity_iri,
        built.nquads(),
        count,
        digest,
        records,
    )


def stored_records(item: tuple[str, bytes]) -> TextRecords:
    """A stored text graph's records, from its triples (``KnowledgeBase.graph_ntriples``):
    the texts a bulk derivation reads back from the store (kb.derived.bulk)."""
    graph, data = item
    return _with_rows(records_of(graph, ox.parse(data, format=ox.RdfFormat.N_TRIPLES)))


def _with_rows(records: TextRecords) -> TextRecords:
    """What the main process would otherwise compute of them: claim rows, index words."""
    records.claim_rows = [claim_row(c) for c in records.claims]
    records.index_words = index_words(records)
    return records


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last one shorter), read as they come."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _run_chunk(
    items: list[T], func: Callable[..., R], *args: object
) -> list[tuple[bool, R | BaseException]]:
    """``func`` over a chunk in a worker: each result, or the error that stopped it (the
    items after an error are not run, as they would not be one at a time)."""
    out: list[tuple[bool, R | BaseException]] = []
    for item in items:
        try:
            out.append((False, func(item, *args)))
        except Exception as exc:  # handed back to be raised in order (WorkerPool.map)
            out.append((True, exc))
            break
    return out


class WorkerPool:
    """Runs a function over inputs in order, in spawned processes (or inline with 0)."""

    def __init__(self, workers: int, window: int = 64) -> None:
        self.workers = workers
        self.window = max(window, 2 * workers)
        self._pool: ProcessPoolExecutor | None = None
        if workers > 0:
            self._pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("spawn")
            )

    def map(
        self,
        func: Callable[..., R],
        items: Iterable[T],
        *args: object,
        window: int = 0,
        chunk: int = 1,
    ) -> Iterator[R]:
        """``func(item, *args)`` for each item, in order; errors surface in order. At most
        ``window`` tasks (default: the pool's) are in flight or done and not yet taken:
        fewer for tasks with large results. ``chunk`` items go to a worker as one task:
        for many small tasks, whose hand-over costs more than their own work (at one
        text a task, the executor's threads held the writer process's GIL in 29% of
        py-spy's samples of a 10,000-text ingest)."""
        if self._pool is None:
            for item in items:
                yield func(item, *args)
            return
        ahead = max(window, self.workers) if window else self.window
        if chunk > 1:
            ahead = max(1, ahead // chunk)
            tasks = chunked(items, chunk)
            for outcomes in self._map_tasks(_run_chunk, tasks, (func, *args), ahead):
                for failed, result in outcomes:
                    if failed:
                        raise cast(BaseException, result)
                    yield cast(R, result)
            return
        yield from self._map_tasks(func, iter(items), args, ahead)

    def _map_tasks(
        self, func: Callable[..., R], tasks: Iterator[T], args: tuple[object, ...], ahead: int
    ) -> Iterator[R]:
        assert self._pool is not None
        pending: deque[Future[R]] = deque()
        for task in tasks:
            pending.append(self._pool.submit(func, task, *args))
            if len(pending) >= ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
