"""Releases and dumps: the same content always gives the same bytes and the same release
id, a dump loads back into a fresh store as the same data, and the VoID description says
what the release is.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from kb.corpus import InputText, parse_document
from kb.dump import DUMP_FORMATS, content_quads, dump_bytes
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
    assert _quads_of(data, fmt) == {str(q) for q in content_quads(seed_kb)}
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
    union = {str(q.triple) for q in content_quads(seed_kb)}
    store = ox.Store()
    store.load(dump_bytes(seed_kb, fmt), format=DUMP_FORMATS[fmt].rdf_format)
    assert {str(q.triple) for q in store} == union
    rdflib_format = "turtle" if fmt == "turtle" else "nt"
    assert len(Graph().parse(data=dump_bytes(seed_kb, fmt), format=rdflib_format)) == len(union)


def test_release_id_follows_the_content(seed_kb: KnowledgeBase, tmp_path: Path) -> None:
    release = write_release(seed_kb, tmp_path / "release", created="2026-01-01T00:00:00Z")
    assert release.id.startswith("sha256:") and len(release.id) == len("sha256:") + 64
    assert (tmp_path / "release" / "latest.nq").read_bytes() == dump_bytes(seed_kb, "nquads")
    assert read_release(tmp_path / "release") == release
    # the same content written in another order: the same release
    assert describe_release(shuffled_copy(seed_kb, 3), created=release.created) == release
    for fmt in ("trig", "turtle", "jsonld"):
        assert dump_path(tmp_path / "release", fmt).read_bytes() == dump_bytes(seed_kb, fmt)
    book = BASE + "graph/journal"
    assert release.quads == sum(1 for q in seed_kb.quads() if q.graph_name.value != book)
    assert release.quads + release.text_graphs + 1 == seed_kb.quad_count() == len(seed_kb.store)
    shared = {g for g in seed_kb.named_graphs() if "/graph/text/" not in g and g != book}
    assert dict(release.graphs) == {g: seed_kb.graph_quad_count(g) for g in shared}
    # other content, another release
    other = shuffled_copy(seed_kb, 4)
    ingest_texts(other, [InputText("x.txt", "Reuters said the dam was shelled.")], base_iri=BASE)
    assert describe_release(other).id != release.id


def test_the_kept_content_state_is_the_state_of_the_content() -> None:
    """Every write updates the digest by the difference: after ingests, a removal and a
    rebuild it equals the digest computed from scratch."""
    from kb.content import compute_state, read_state
    from kb.derived import rebuild
    from kb.ingest import remove_texts

    kb = KnowledgeBase.in_memory()
    data = Path(__file__).parent / "data"
    items = [InputText(p.name, p.read_text(encoding="utf-8")) for p in sorted(data.glob("*.txt"))]
    dated = {
        "published": "2024-03-03T10:00:00.500+02:00",  # stored as its canonical form
        "publisher": "Rudaw",
        "body": "Clashes went on near the dam, Rudaw reported on Tuesday.",
        "comments": [
            {"author": "a", "date": "2024-03-04T08:00:00.000Z", "text": "Rudaw is reliable."},
            {"author": "b", "date": "2024-03-05", "text": "Rudaw lies.", "reply_to": 1},
        ],
    }
    for p in [*sorted((data / "docs").glob("*.json"))]:
        items.append(InputText(p.name, p.read_text(), parse_document(p.name, p.read_text())))
    items.append(InputText("dated.json", json.dumps(dated), dated))
    ingest_texts(kb, items[:1], base_iri=BASE)
    ingest_texts(kb, items[1:], base_iri=BASE)
    assert read_state(kb, BASE) == compute_state(kb, BASE, recorded=False)
    remove_texts(kb, [items[0].name], base_iri=BASE)
    assert read_state(kb, BASE) == compute_state(kb, BASE, recorded=False)
    before = read_state(kb, BASE)
    rebuild(kb, base_iri=BASE)
    assert read_state(kb, BASE) == compute_state(kb, BASE, recorded=False) == before


def test_void_describes_the_release(seed_kb: KnowledgeBase) -> None:
    release = describe_release(seed_kb, created="2026-01-01T00:00:00Z")
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


def test_srkb_dump_void_names_the_release_of_the_store(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_srkb("ingest", str(SEED_PATH), data=data).returncode == 0
    nquads = run_srkb("dump", "--format", "nquads", "-o", str(tmp_path / "kb.nq"), data=data)
    assert nquads.returncode == 0, nquads.stderr
    void = run_srkb("dump", "--void", data=data)
    assert void.returncode == 0, void.stderr
    g = Graph().parse(data=void.stdout, format="turtle")
    with KnowledgeBase.open(data, read_only=True) as kb:
        expected = describe_release(kb).id
        assert (tmp_path / "kb.nq").read_bytes() == dump_bytes(kb, "nquads")
    assert str(g.value(URIRef("http://127.0.0.1:8000/"), URIRef(DCTERMS + "identifier"))) == (
        expected
    )


def test_extractor_versions_come_from_the_kept_state_and_older_states_get_them() -> None:
    """Describing a release must not read every text graph for the extractor versions:
    the kept state counts them; a state kept by an older srkb (without the counts) is
    described from the store and is given the counts by the next write."""
    from kb.content import (
        VERSION_COUNT,
        ContentState,
        ensure_version_counts,
        read_state,
        state_quad,
        state_quads,
        version_counts,
    )
    from kb.version import software_version

    kb = KnowledgeBase.in_memory()
    texts = [InputText(f"t{i}.txt", f"Reuters said {i} people died in Kobani.") for i in range(3)]
    ingest_texts(kb, texts, base_iri=BASE)
    state = read_state(kb, BASE)
    assert state is not None
    assert state.extractor_versions() == [software_version()]
    assert state.counts[VERSION_COUNT + software_version()] == 3 == state.texts
    assert version_counts(kb) == {software_version(): 3}
    described = describe_release(kb).extractor_versions
    assert described == (software_version(),)

    older = ContentState.parse(state.literal().value)
    older.set_extractor_versions({})
    kb.change(remove=state_quads(kb, BASE), add=[state_quad(BASE, older)])
    old_state = read_state(kb, BASE)
    assert old_state is not None and old_state.extractor_versions() is None
    assert describe_release(kb).extractor_versions == described
    ensure_version_counts(kb, BASE)
    assert read_state(kb, BASE) == state
