"""Extraction on a Dask cluster: a corpus mapped over many machines, loaded by one writer.

Extraction and building a text's graph are a pure function of the text
(kb.ingest_workers.build_one), so a corpus can be spread over any number of machines.
``srkb ingest --engine dask`` does it in three steps:

1. the input files are split into partitions (``--partition-size`` files each) and a
   Dask bag maps ``build_partition`` over them on the cluster's workers;
2. each task reads and checks its inputs, extracts and builds them, and writes one
   N-Quads file and one manifest (names, text ids, graph IRIs, digests) into the staging
   folder: the only thing that crosses the network back is the manifest's path;
3. when every partition is done (any bad input stops the run before anything is written:
   the same promise as a local ingest), the store loads the partitions in order through
   kb.ingest.ingest_built: batches of one transaction each, then the derived data, then
   a published release.

The result is the store a local ingest of the same inputs gives (the test compares the
dumps). Why Dask rather than Ray or Spark: it is pure Python and pip-installable (no JVM,
no separate runtime), its ``LocalCluster`` runs the same code on one machine as on a
cluster, its bags map plain functions over file lists, and ``dask-scheduler`` /
``dask-worker`` (or dask-kubernetes, dask-jobqueue) start a multi-machine cluster from
the same package. The staging folder must be one that every worker and the loading
machine see (a shared file system) when the cluster spans machines.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import InputError, SRKBError
from .ingest_workers import Built, Planned, build_one
from .text_records import records_of
from .version import software_version

logger = logging.getLogger(__name__)

DEFAULT_PARTITION_SIZE = 200


@dataclass(frozen=True)
class Partition:
    """One partition's output: its N-Quads file and what each text in it is."""

    index: int
    nquads: str  # path of the N-Quads file
    texts: list[dict[str, Any]]  # Built without its bytes: name, text_id, graph_iri, ...


def build_partition(
    index: int, paths: list[str], base_iri: str, version: str, staging: str
) -> dict[str, Any]:
    """Build every input of one partition and write it to the staging folder (runs on a
    Dask worker). Returns the manifest, or ``{"error": message}`` for a bad input."""
    folder = Path(staging)
    target = folder / f"part-{index:06d}.nq"
    texts = []
    try:
        with target.open("wb") as out:
            for path in paths:
                built = build_one(path, base_iri, version)
                out.write(built.nquads)
                meta = asdict(built)
                meta.pop("nquads")
                meta.pop("records")  # rebuilt from the N-Quads by the loader
                meta["bytes"] = len(built.nquads)
                texts.append(meta)
    except SRKBError as exc:
        return {"index": index, "error": str(exc)}
    manifest = {"index": index, "nquads": str(target), "texts": texts}
    (folder / f"part-{index:06d}.json").write_text(json.dumps(manifest), encoding="utf-8")
    return manifest


def partitions(paths: list[str], size: int) -> list[list[str]]:
    return [paths[i : i + size] for i in range(0, len(paths), size)]


def run_on_cluster(
    paths: list[str],
    staging: Path,
    *,
    base_iri: str,
    scheduler: str | None = None,
    workers: int = 2,
    partition_size: int = DEFAULT_PARTITION_SIZE,
) -> list[Partition]:
    """Build every input on a Dask cluster (``scheduler``'s address, or a local one with
    ``workers`` processes); the partitions in input order.

    Raises:
        InputError: an input is bad (nothing is loaded), or Dask is not installed.
    """
    try:
        import dask.bag as db
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise InputError(
            "--engine dask needs Dask: pip install 'srkb[cluster]' (dask[distributed])"
        ) from exc
    logging.getLogger("distributed").setLevel(logging.WARNING)
    staging.mkdir(parents=True, exist_ok=True)
    version = software_version()
    chunks = partitions(paths, partition_size)
    started = time.perf_counter()
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.WARNING,
        )
        client = Client(cluster)
    try:
        bag = db.from_sequence(list(enumerate(chunks)), npartitions=max(1, len(chunks)))
        results = bag.map(
            lambda item: build_partition(item[0], item[1], base_iri, version, str(staging))
        ).compute()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    errors = [r["error"] for r in results if "error" in r]
    if errors:
        raise InputError(errors[0])
    logger.info(
        "built %d inputs in %d partitions in %.1f s",
        len(paths),
        len(chunks),
        time.perf_counter() - started,
    )
    ordered = sorted(results, key=lambda r: r["index"])
    return [Partition(r["index"], r["nquads"], r["texts"]) for r in ordered]


def plans(parts: list[Partition]) -> list[Planned]:
    return [Planned(t["name"], t["text_id"]) for part in parts for t in part.texts]


def read_built(parts: list[Partition]) -> Iterator[Built]:
    """The built texts of the partitions, in order, read back one partition at a time."""
    for part in parts:
        with open(part.nquads, "rb") as data:
            for meta in part.texts:
                nquads = data.read(meta["bytes"])
                fields = {k: v for k, v in meta.items() if k != "bytes"}
                quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
                records = records_of(meta["graph_iri"], quads)
                yield Built(nquads=nquads, records=records, **fields)


def check_parses(part: Partition) -> int:
    """How many quads a partition file holds (a cheap integrity check for tests)."""
    with open(part.nquads, "rb") as data:
        return sum(1 for _ in ox.parse(data, format=ox.RdfFormat.N_QUADS))


def remove_staging(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
