"""Releases: what exactly a server answers from, named by a digest of its content.

A release is the content of a store at one moment. Its id is ``sha256:`` + the SHA-256 of
the store's content digest and quad count (kb.content: an order-independent digest that
every srkb write keeps up to date), so the same content always has the same id, whatever
order or batches it was ingested in, and a server knows it the moment it starts, however
large the store. ``srkb serve`` puts it in an ``SRKB-Release`` header on every response
and serves the dumps of exactly that content under ``/dumps/latest.*``, with a VoID
description of it.

A release directory holds::

    release.json        the Release below (id, counts, versions, time)
    latest.nq           the canonical N-Quads dump (kb.dump: streamed, in the store's order)
    latest.trig ...     other dump formats, written from latest.nq on first request

The VoID description (``void_turtle``) is the dataset IRI (the base IRI, as in the
store's meta graph) with its counts, its shared named graphs as subsets (the text
graphs are counted, not listed: there may be a hundred thousand), where to get the
dumps and the endpoint, the ontology version, the extractor versions found in the data
and the release id and time. Everything but ``dcterms:created`` (when the release was
made) follows from the content.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from ontology import NAMESPACE, ONTOLOGY_IRI

from .content import COUNTED, ContentState, current_state
from .dump import DUMP_FORMATS, convert_nquads_file, dump_format, write_dump
from .errors import ServiceBusyError, StoreError
from .iri import IriMinter
from .store import KnowledgeBase
from .vocab import PREFIXES, VOID

logger = logging.getLogger(__name__)

RELEASE_JSON = "release.json"
DUMP_BASENAME = "latest"
#: The dump formats served under /dumps/latest.EXT, by extension.
SERVED_DUMPS: dict[str, str] = {"nq": "nquads", "trig": "trig", "ttl": "turtle", "jsonld": "jsonld"}

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_VOID = PREFIXES["void"]
_DCTERMS = PREFIXES["dcterms"]
_OWL = PREFIXES["owl"]
_PROV = PREFIXES["prov"]
_SCHEMA = PREFIXES["schema"]
_SD = "http://www.w3.org/ns/sparql-service-description#"

_P = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
_EXTRACTORS = (
    _P + "SELECT DISTINCT ?v WHERE { GRAPH ?g { ?sw a srkb:ExtractorSoftware ; "
    "schema:softwareVersion ?v } } ORDER BY ?v"
)
_ONTOLOGY_VERSION = (
    _P + f"SELECT ?v WHERE {{ GRAPH ?g {{ <{ONTOLOGY_IRI}> owl:versionInfo ?v }} }} ORDER BY ?v"
)
_MODIFIED = _P + "SELECT (MAX(?t) AS ?m) WHERE { GRAPH ?g { ?a prov:endedAtTime ?t } }"


@dataclass(frozen=True)
class Release:
    """One release of the knowledge base: its id, its size, its versions, its time."""

    id: str  # "sha256:<64 hex>"
    created: str  # xsd:dateTime (UTC) when the release was made
    quads: int  # every statement of every graph
    triples: int  # the same: each graph's triples, summed (VoID's void:triples)
    text_graphs: int  # one per ingested text
    ontology_version: str | None
    extractor_versions: tuple[str, ...]
    data_modified: str | None  # the latest prov:endedAtTime in the data
    graphs: tuple[tuple[str, int], ...] = field(default=())  # (shared named graph, quads)
    # what the home page shows: texts, articles, comments, claims, judgements, actors ...
    counts: tuple[tuple[str, int], ...] = field(default=())

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Release:
        raw = json.loads(text)
        raw["extractor_versions"] = tuple(raw["extractor_versions"])
        raw["graphs"] = tuple((g, int(n)) for g, n in raw["graphs"])
        raw["counts"] = tuple((k, int(n)) for k, n in raw.get("counts", ()))
        return cls(**raw)


def release_id(state: ContentState) -> str:
    """``sha256:`` + the SHA-256 of a content digest and quad count (kb.content)."""
    text = f"srkb-content-1 {state.digest:064x} {state.quads}"
    return "sha256:" + hashlib.sha256(text.encode("ascii")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _base_of(kb: KnowledgeBase) -> str | None:
    rows = list(
        kb.query(
            f"SELECT ?s WHERE {{ GRAPH ?g {{ ?d a <{VOID.Dataset}> ; <{VOID.uriSpace}> ?s }} }}"
        )
    )
    return rows[0]["s"].value if rows else None


def describe_release(kb: KnowledgeBase, *, created: str | None = None) -> Release:
    """The Release of a store (its kept content state; computed for stores without one)."""
    state = current_state(kb, _base_of(kb))
    counted = state.extractor_versions()
    if counted is None:  # a state kept by an older srkb: read them from the store
        counted = [str(s["v"].value) for s in kb.query(_EXTRACTORS)]
    versions = tuple(counted)
    onto = [str(s["v"].value) for s in kb.query(_ONTOLOGY_VERSION)]
    if not onto:  # a store without the ontology graph: the version shipped with srkb
        shipped = ox.Store()
        from ontology import ONTOLOGY_PATH

        shipped.load(path=str(ONTOLOGY_PATH), format=ox.RdfFormat.TURTLE)
        rows = shipped.query(_ONTOLOGY_VERSION.replace("GRAPH ?g", ""))
        assert isinstance(rows, ox.QuerySolutions)
        onto = [str(s["v"].value) for s in rows]
    modified = [s["m"] for s in kb.query(_MODIFIED)]
    actors, sources = _mentioned(kb)
    counts = (
        ("texts", state.texts),
        *((what, state.counts.get(what, 0)) for what in COUNTED),
        ("actors mentioned", actors),
        ("sources mentioned", sources),
        ("named graphs", state.texts + len(state.graphs)),
    )
    return Release(
        id=release_id(state),
        created=created or _now(),
        quads=state.quads,
        triples=state.quads,
        text_graphs=state.texts,
        ontology_version=onto[0] if onto else None,
        extractor_versions=versions,
        data_modified=modified[0].value if modified and modified[0] is not None else None,
        graphs=tuple(sorted((g, n) for g, n in state.graphs.items() if g)),
        counts=counts,
    )


_MENTIONED = (
    _P
    + """SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {
         GRAPH ?g { ?f srkb:refersTo|srkb:speaker|srkb:relayedBy|srkb:judgedSource ?x }
         GRAPH ?g2 { ?x a ?t } GRAPH ?o { ?t rdfs:subClassOf* TOP } }"""
)


KINDS = ("actor", "source")


def _mentioned(kb: KnowledgeBase) -> tuple[int, int]:
    """How many actors and sources the texts name: from the search index (DATA/derived),
    where each is listed once with its kinds; else counted in the store (small stores)."""
    import sqlite3

    from .search import FILENAME

    path = kb.path.parent / "derived" / FILENAME if kb.path is not None else None
    if path is not None and path.is_file():
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:  # one pass over the index on kinds (a few distinct values)
            by_kinds = db.execute("SELECT kinds, COUNT(*) FROM entities GROUP BY kinds").fetchall()
        finally:
            db.close()
        found = [sum(n for kinds, n in by_kinds if kind in kinds.split()) for kind in KINDS]
        return int(found[0]), int(found[1])
    out = []
    for top in ("srkb:Actor", "srkb:Source"):
        rows = list(kb.query(_MENTIONED.replace("TOP", top)))
        out.append(int(rows[0]["n"].value) if rows and rows[0]["n"] is not None else 0)
    return out[0], out[1]


# --------------------------------------------------------------------------- release dirs
def write_release(
    kb: KnowledgeBase, directory: Path, *, created: str | None = None, dump: bool = True
) -> Release:
    """Describe ``kb`` into ``directory`` (release.json), and write its N-Quads dump
    (streamed) unless ``dump`` is False (then ``write_release_dump`` writes it later)."""
    directory.mkdir(parents=True, exist_ok=True)
    release = describe_release(kb, created=created)
    if dump:
        write_release_dump(kb, directory)
    _write_atomic(directory / RELEASE_JSON, release.to_json().encode("utf-8"))
    logger.info("release %s: %d quads in %s", release.id, release.quads, directory)
    return release


def write_release_dump(kb: KnowledgeBase, directory: Path) -> Path:
    """Stream the canonical N-Quads dump to ``directory/latest.nq`` (written aside, renamed)."""
    target = directory / f"{DUMP_BASENAME}.nq"
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    with tmp.open("wb") as out:
        write_dump(kb, "nquads", out)
    tmp.replace(target)
    return target


def read_release(directory: Path) -> Release:
    try:
        return Release.from_json((directory / RELEASE_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StoreError(f"cannot read the release description in {directory}: {exc}") from exc


def dump_path(directory: Path, format_name: str) -> Path:
    """The release's dump in ``format_name``, converted from latest.nq on first use.

    Several server workers may ask at once: a lock file makes one of them write it while
    the others wait, and the file appears atomically (written aside, then renamed). The
    conversion streams (constant memory, whatever the size).

    Raises:
        ServiceBusyError: latest.nq is still being written (``srkb serve`` writes it in
            the background after it starts).
    """
    fmt = dump_format(format_name)
    target = directory / f"{DUMP_BASENAME}.{fmt.extension}"
    if target.is_file():
        return target
    source = directory / f"{DUMP_BASENAME}.nq"
    if not source.is_file():
        raise ServiceBusyError(
            "the dumps of this release are still being written; try again in a minute"
        )
    with (directory / ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not target.is_file():
                tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
                with tmp.open("wb") as out:
                    convert_nquads_file(source, fmt.name, out)
                tmp.replace(target)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return target


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    tmp.write_bytes(data)
    tmp.replace(path)


# --------------------------------------------------------------------------- VoID
def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_iri(_XSD + "integer"))


def void_triples(release: Release, base_iri: str) -> list[ox.Triple]:
    """The VoID description of a release, as triples (see the module docstring)."""
    mint = IriMinter(base_iri)
    dataset = _iri(mint.base)
    out: list[tuple[ox.NamedNode, str, ox.NamedNode | ox.Literal]] = [
        (dataset, _RDF_TYPE, _iri(_VOID + "Dataset")),
        (dataset, _DCTERMS + "title", ox.Literal("srkb knowledge base")),
        (dataset, _DCTERMS + "identifier", ox.Literal(release.id)),
        (
            dataset,
            _DCTERMS + "created",
            ox.Literal(release.created, datatype=_iri(_XSD + "dateTime")),
        ),
        (dataset, _VOID + "triples", _int(release.triples)),
        (dataset, _VOID + "uriSpace", ox.Literal(mint.base)),
        (dataset, _VOID + "vocabulary", _iri(NAMESPACE)),
        (dataset, _VOID + "sparqlEndpoint", _iri(mint("sparql"))),
        (dataset, _VOID + "rootResource", _iri(mint("graph/meta"))),
        (dataset, _DCTERMS + "conformsTo", _iri(ONTOLOGY_IRI)),
    ]
    if release.data_modified:
        out.append(
            (
                dataset,
                _DCTERMS + "modified",
                ox.Literal(release.data_modified, datatype=_iri(_XSD + "dateTime")),
            )
        )
    for ext in SERVED_DUMPS:
        out.append((dataset, _VOID + "dataDump", _iri(mint(f"dumps/{DUMP_BASENAME}.{ext}"))))
    if release.ontology_version:
        out.append((_iri(ONTOLOGY_IRI), _OWL + "versionInfo", ox.Literal(release.ontology_version)))
    for version in release.extractor_versions:
        software = mint.software(version)
        out.append((dataset, _PROV + "wasAttributedTo", _iri(str(software))))
        out.append((_iri(str(software)), _SCHEMA + "softwareVersion", ox.Literal(version)))
    for graph, quads in release.graphs:
        node = _iri(graph)
        out.append((dataset, _VOID + "subset", node))
        out.append((node, _RDF_TYPE, _iri(_VOID + "Dataset")))
        out.append((node, _SD + "name", node))
        out.append((node, _VOID + "triples", _int(quads)))
    triples = {str(t): t for t in (ox.Triple(s, _iri(p), o) for s, p, o in out)}
    return [triples[k] for k in sorted(triples)]


def void_turtle(release: Release, base_iri: str) -> bytes:
    """The VoID description of a release in Turtle (same release, same bytes)."""
    prefixes = {p: PREFIXES[p] for p in ("void", "dcterms", "owl", "prov", "schema", "xsd")}
    prefixes["sd"] = _SD
    out = ox.serialize(
        void_triples(release, base_iri), format=ox.RdfFormat.TURTLE, prefixes=prefixes
    )
    assert out is not None  # bytes when no output file is given
    return out


__all__ = [
    "DUMP_FORMATS",
    "RELEASE_JSON",
    "SERVED_DUMPS",
    "Release",
    "describe_release",
    "dump_path",
    "read_release",
    "release_id",
    "void_triples",
    "void_turtle",
    "write_release",
    "write_release_dump",
]
