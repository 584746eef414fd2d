"""Releases and dumps: the same content always gives the same bytes and the same release
id, a dump loads back into a fresh store as the same data, and the VoID description says
what the release is.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from kb.corpus import InputText
from kb.dump import DUMP_FORMATS, dump_bytes
from kb.ingest import ingest_texts
from kb.release import describe_release, dump_path, read_release, void_turtle, write_release
from kb.store import KnowledgeBase

from .conftest import run_srkb
from .helpers import SEED_PATH

BASE = "http://kb.test/"
VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"
OWL = "http://www.w3.org/2002/07/owl#"
SCHEMA = "https://schema.org/"


@pytest.fixture(scope="module")
def seed_kb() -> KnowledgeBase:
    kb = KnowledgeBase.in_memory()
    ingest_texts(kb, [InputText("seed.txt", SEED_PATH.read_text(encoding="utf-8"))], base_iri=BASE)
    return kb


def shuffled_copy(kb: KnowledgeBase, seed: int) -> KnowledgeBase:
    """The same quads, added to a fresh store in another order."""
    quads = list(kb.quads())
    random.Random(seed).shuffle(quads)
    copy = KnowledgeBase.in_memory()
    for q in quads:
        copy.store.add(q)
    return copy


@pytest.mark.parametrize("fmt", list(DUMP_FORMATS))
def test_two_dumps_of_the_same_content_are_byte_identical(seed_kb: KnowledgeBase, fmt: str) -> None:
    first = dump_bytes(seed_kb, fmt)
    assert dump_bytes(seed_kb, fmt) == first
    assert dump_bytes(shuffled_copy(seed_kb, 1), fmt) == first
    assert dump_bytes(shuffled_copy(seed_kb, 2), fmt) == first
    assert first.endswith(b"\n")


def _quads_of(data: bytes, fmt: str) -> set[str]:
    store = ox.Store()
    store.load(data, format=DUMP_FORMATS[fmt].rdf_format)
    return {str(q) for q in store}


@pytest.mark.parametrize("fmt", ["nquads", "trig", "jsonld"])
def test_a_dump_loaded_into_a_fresh_store_is_the_original(seed_kb: KnowledgeBase, fmt: str) -> None:
    data = dump_bytes(seed_kb, fmt)
    assert _quads_of(data, fmt) == {str(q) for q in seed_kb.quads()}
    # And graph by graph, by rdflib's isomorphism (an independent parser and comparison).
    original = Dataset()
    original.parse(data=dump_bytes(seed_kb, "nquads"), format="nquads")
    loaded = Dataset()
    loaded.parse(data=data, format={"nquads": "nquads", "trig": "trig", "jsonld": "json-ld"}[fmt])
    names = {g.identifier for g in original.graphs()} - {URIRef("urn:x-rdflib:default")}
    assert names == {g.identifier for g in loaded.graphs()} - {URIRef("urn:x-rdflib:default")}
    for name in names:
        assert isomorphic(original.graph(name), loaded.graph(name)), name


@pytest.mark.parametrize("fmt", ["turtle", "ntriples"])
def test_a_triples_dump_is_the_union_of_the_graphs(seed_kb: KnowledgeBase, fmt: str) -> None:
    union = {str(q.triple) for q in seed_kb.quads()}
    store = ox.Store()
    store.load(dump_bytes(seed_kb, fmt), format=DUMP_FORMATS[fmt].rdf_format)
    assert {str(q.triple) for q in store} == union
    rdflib_format = "turtle" if fmt == "turtle" else "nt"
    assert len(Graph().parse(data=dump_bytes(seed_kb, fmt), format=rdflib_format)) == len(union)


def test_release_id_is_the_hash_of_the_nquads_dump(seed_kb: KnowledgeBase, tmp_path: Path) -> None:
    release = write_release(seed_kb, tmp_path / "release", created="2026-01-01T00:00:00Z")
    nquads = dump_bytes(seed_kb, "nquads")
    assert release.id == "sha256:" + hashlib.sha256(nquads).hexdigest()
    assert (tmp_path / "release" / "latest.nq").read_bytes() == nquads
    assert read_release(tmp_path / "release") == release
    assert describe_release(shuffled_copy(seed_kb, 3), nquads, created=release.created) == release
    for fmt in ("trig", "turtle", "jsonld"):
        assert dump_path(tmp_path / "release", fmt).read_bytes() == dump_bytes(seed_kb, fmt)
    assert release.quads == seed_kb.quad_count()
    assert dict(release.graphs) == {g: seed_kb.graph_quad_count(g) for g in seed_kb.named_graphs()}


def test_void_describes_the_release(seed_kb: KnowledgeBase) -> None:
    release = describe_release(
        seed_kb, dump_bytes(seed_kb, "nquads"), created="2026-01-01T00:00:00Z"
    )
    g = Graph().parse(data=void_turtle(release, BASE), format="turtle")
    dataset = URIRef(BASE)
    assert str(g.value(dataset, URIRef(DCTERMS + "identifier"))) == release.id
    created = g.value(dataset, URIRef(DCTERMS + "created"))
    assert created is not None and created.toPython().isoformat() == "2026-01-01T00:00:00+00:00"
    assert int(g.value(dataset, URIRef(VOID + "triples"))) == release.triples
    assert (
        str(g.value(URIRef("https://w3id.org/srkb/ontology"), URIRef(OWL + "versionInfo")))
        == "1.0.0"
    )
    versions = {str(v) for v in g.objects(None, URIRef(SCHEMA + "softwareVersion"))}
    assert versions == set(release.extractor_versions) and versions
    dumps = {str(o) for o in g.objects(dataset, URIRef(VOID + "dataDump"))}
    assert BASE + "dumps/latest.nq" in dumps
    assert void_turtle(release, BASE) == void_turtle(release, BASE)


def test_srkb_dump_void_names_the_release_of_srkb_dump(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_srkb("ingest", str(SEED_PATH), data=data).returncode == 0
    nquads = run_srkb("dump", "--format", "nquads", "-o", str(tmp_path / "kb.nq"), data=data)
    assert nquads.returncode == 0, nquads.stderr
    void = run_srkb("dump", "--void", data=data)
    assert void.returncode == 0, void.stderr
    g = Graph().parse(data=void.stdout, format="turtle")
    digest = hashlib.sha256((tmp_path / "kb.nq").read_bytes()).hexdigest()
    assert str(g.value(URIRef("http://127.0.0.1:8000/"), URIRef(DCTERMS + "identifier"))) == (
        f"sha256:{digest}"
    )
