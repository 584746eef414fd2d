"""Derived data kept incrementally is the derived data of the content, whatever the path.

Texts written from bench/synthetic_corpus.py (events reported by several outlets, wire
reprints, denials, reader verdicts, recurring officials): ingested in one run, in ten
batches, with removals and re-additions, with a rebuild; the dumps (extraction times
aside) and the ratings are the same every way, and the same as a full computation.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

import kb.derived.bulk
import kb.ingest
import kb.ingest as kb_ingest
from kb.content import compute_state, read_state
from kb.corpus import InputText
from kb.derived import derived_dir, rebuild
from kb.dump import dump_bytes
from kb.ingest import ingest_texts, remove_texts
from kb.reliability import compute_ratings, ratings_graph_iri
from kb.store import KnowledgeBase

from .helpers import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
from synthetic_corpus import documents  # noqa: E402

BASE = "http://kb.test/"
TIMES = ("prov#startedAtTime", "prov#endedAtTime")


@pytest.fixture(scope="module")
def corpus() -> list[InputText]:
    return [InputText(f"doc-{i:03d}.json", json.dumps(d), d) for i, d in enumerate(documents(60))]


def store(*batches: list[InputText], bulk: bool | None = None) -> KnowledgeBase:
    kb = KnowledgeBase.in_memory()
    for batch in batches:
        ingest_texts(kb, batch, base_iri=BASE, bulk=bulk)
    return kb


def masked_dump(kb: KnowledgeBase) -> list[bytes]:
    """The N-Quads dump without the extraction times (they differ from run to run)."""
    return [
        line
        for line in dump_bytes(kb, "nquads").splitlines()
        if not any(t.encode() in line for t in TIMES)
    ]


def search_index(kb: KnowledgeBase) -> dict[str, list[tuple[object, ...]]]:
    """What the search index holds about entities and items (its row ids aside)."""
    directory = derived_dir(kb)
    assert directory is not None
    db = sqlite3.connect(directory / "search.sqlite")
    try:
        return {
            "entities": db.execute("SELECT * FROM entities ORDER BY iri").fetchall(),
            "names": db.execute("SELECT * FROM names ORDER BY 1, 2, 3").fetchall(),
            "items": db.execute(
                "SELECT kind, iri, label, graph, text FROM items ORDER BY 2, 1"
            ).fetchall(),
        }
    finally:
        db.close()


def claim_index(kb: KnowledgeBase) -> list[tuple[object, ...]]:
    """Each claim's row in the claim index: relation counts, record, chain dependence."""
    directory = derived_dir(kb)
    assert directory is not None
    db = sqlite3.connect(directory / "claims.sqlite")
    try:
        return db.execute(
            "SELECT iri, k, m, kp, mp, record, story, chain_dependent FROM claims ORDER BY iri"
        ).fetchall()
    finally:
        db.close()


def test_one_run_or_ten_batches_give_identical_dumps(corpus: list[InputText]) -> None:
    one = store(corpus, bulk=True)  # derived once, at the end (kb.derived.bulk)
    ten = store(*(corpus[i : i + 6] for i in range(0, 60, 6)), bulk=False)  # step by step
    assert masked_dump(one) == masked_dump(ten)
    found = search_index(one)
    assert found == search_index(ten)  # the search index too
    assert len(found["entities"]) > 20 and len(found["items"]) > 100
    assert masked_dump(store(corpus, bulk=False)) == masked_dump(one)
    graph = ratings_graph_iri(BASE)
    assert one.graph_quad_count(graph) > 500  # ratings, corroborations, contradictions
    rows = one.query(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?c "
        "<https://w3id.org/srkb/ontology#corroboratedBy> ?o } }"
    )
    assert int(next(iter(rows))["n"].value) > 0


def test_sources_whose_counts_did_not_move_keep_their_rating_unmade(
    corpus: list[InputText], caplog: pytest.LogCaptureFixture
) -> None:
    """A step re-rates every speaker and relay of a re-related claim; a source whose
    counts came out as before keeps its stored rating without it being made again
    (kb.derived.ratings), and the store is still the one a bulk derivation gives."""
    caplog.set_level(logging.DEBUG, logger="kb.derived")
    ten = store(*(corpus[i : i + 6] for i in range(0, 60, 6)), bulk=False)
    kept = [
        int(found.group(1))
        for record in caplog.records
        if (
            found := re.search(
                r"sources rated \((\d+) of \d+ with the same counts", record.getMessage()
            )
        )
    ]
    assert len(kept) == 10 and sum(kept) > 0  # the shortcut was taken
    assert masked_dump(ten) == masked_dump(store(corpus, bulk=True))


def test_claims_related_in_worker_processes_give_the_same_store(
    corpus: list[InputText], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bulk derivation relates claims (kb.derived.relate), rates sources and grades
    claims (kb.derived.bulk_rating) in the ingest's worker processes, a share each, and
    writes the entities' descriptions a chunk at a time: the same store, content
    digest, claim index and search index as doing it all here at once."""
    here = store(corpus, bulk=True)
    monkeypatch.setattr(kb.derived.bulk, "CHUNK_CLAIMS", 40)  # many ranges, many tasks
    monkeypatch.setattr(kb.derived.bulk, "CHUNK_SOURCES", 7)
    monkeypatch.setattr(kb.derived.bulk, "CHUNK_GRADES", 30)
    monkeypatch.setattr(kb.derived.bulk, "CHUNK_ENTITIES", 11)
    workers = KnowledgeBase.in_memory()
    ingest_texts(workers, corpus, base_iri=BASE, bulk=True, workers=2)
    assert masked_dump(workers) == masked_dump(here)
    assert search_index(workers) == search_index(here)
    state = read_state(workers, BASE)
    assert state is not None and state == compute_state(workers, BASE)  # counted afresh
    assert claim_index(workers) == claim_index(here)


def test_a_bulk_ingest_loaded_from_many_batch_files_gives_the_same_store(
    corpus: list[InputText], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bulk ingest writes the texts' N-Quads to a file beside the store and loads it a
    million quads at a time (kb.ingest._Writer): with small loads, many files, the store
    and the search index are the same, and no file is left behind."""
    whole = store(corpus, bulk=True)
    monkeypatch.setattr(kb.ingest, "BULK_LOAD_QUADS", 3000)  # a load every few texts
    loads: list[int] = []
    split = KnowledgeBase.in_memory()
    original = split.backend.load_nquads_file

    def counted(path: Path) -> None:
        loads.append(path.stat().st_size)
        original(path)

    monkeypatch.setattr(split.backend, "load_nquads_file", counted)
    monkeypatch.setattr(kb.ingest, "HAND_OVER_TEXTS", 7)  # and many index transactions
    ingest_texts(split, corpus, base_iri=BASE, bulk=True)
    assert len(loads) > 5 and all(size > 0 for size in loads)
    assert masked_dump(split) == masked_dump(whole)
    assert search_index(split) == search_index(whole)
    assert split.backend.path is not None
    assert not list(split.backend.path.parent.rglob(".srkb-load-*"))


def test_removals_and_a_rebuild_lead_to_the_same_content(corpus: list[InputText]) -> None:
    reference = store(corpus[:40])
    churned = store(corpus)
    remove_texts(churned, [t.name for t in corpus[40:]], base_iri=BASE)
    assert masked_dump(churned) == masked_dump(reference)
    assert read_state(churned, BASE) is not None
    rebuilt = store(corpus[:40])
    rebuild(rebuilt, base_iri=BASE)
    assert masked_dump(rebuilt) == masked_dump(reference)
    # the kept digest and counts are those of the content
    assert read_state(churned, BASE) == compute_state(churned, BASE, recorded=False)


def test_a_rebuild_reading_the_texts_in_worker_processes_gives_the_same_store(
    corpus: list[InputText], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild of a large store reads its texts back in worker processes, from each
    graph's triples (kb.derived.bulk ``_stored_records``): the same store, search index
    and claim index as reading them here."""
    here = store(corpus[:40])
    rebuild(here, base_iri=BASE)
    monkeypatch.setattr(kb.derived, "POOL_TEXTS", 1)  # workers for any store
    monkeypatch.setattr(kb.derived.bulk, "CHUNK_TEXTS", 7)

    def not_here(*_args: object) -> None:
        raise AssertionError("a text was read in the main process")

    monkeypatch.setattr(kb.derived.bulk, "read_text_graph", not_here)
    there = store(corpus[:40])
    rebuild(there, base_iri=BASE)
    assert masked_dump(there) == masked_dump(here)
    assert search_index(there) == search_index(here)
    assert claim_index(there) == claim_index(here)


def test_stored_ratings_are_those_a_full_computation_gives(corpus: list[InputText]) -> None:
    kb = store(*(corpus[i : i + 15] for i in range(0, 60, 15)))
    full = compute_ratings(kb)
    stored = {
        r["s"].value: r["g"].value.rsplit("reliability", 1)[-1]
        for r in kb.query(
            "PREFIX srkb: <https://w3id.org/srkb/ontology#> SELECT ?s ?g WHERE { GRAPH ?r { "
            "?x srkb:ratedSource ?s ; srkb:reliabilityGrade ?g } }"
        )
    }
    assert stored == {s: r.grade for s, r in full.sources.items()}
    credibility = {
        r["c"].value: int(r["g"].value.rsplit("credibility", 1)[-1])
        for r in kb.query(
            "PREFIX srkb: <https://w3id.org/srkb/ontology#> SELECT ?c ?g WHERE { GRAPH ?r { "
            "?x srkb:ratedClaim ?c ; srkb:credibilityGrade ?g } }"
        )
    }
    assert credibility == {c: r.grade for c, r in full.claims.items()}
    assert len(set(credibility.values())) >= 3  # the corpus exercises several grades


def test_shared_entities_are_described_once(corpus: list[InputText]) -> None:
    kb = store(corpus)
    rows = list(
        kb.query(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            "SELECT ?e (COUNT(?l) AS ?n) WHERE { GRAPH ?g { ?e skos:prefLabel ?l } } "
            "GROUP BY ?e HAVING (COUNT(?l) > 1)"
        )
    )
    assert rows == []  # one preferred label per actor, however many texts name it


def test_a_shared_description_goes_with_the_last_text_naming_it(
    corpus: list[InputText],
) -> None:
    kb = store(corpus[:10])
    rows = list(
        kb.query(
            "SELECT ?e ?name WHERE { GRAPH ?g { ?t <http://purl.org/dc/terms/source> ?name . "
            "?e <https://w3id.org/srkb/ontology#nameInText> ?x } }"
        )
    )
    person = rows[0]["e"].value
    naming = sorted({r["name"].value for r in rows if r["e"].value == person})
    assert list(kb.pattern(person, None, None, BASE + "graph/entities"))
    remove_texts(kb, naming, base_iri=BASE)
    assert list(kb.pattern(person, None, None, BASE + "graph/entities")) == []


def test_what_workers_read_of_a_text_is_what_the_store_gives_back(
    corpus: list[InputText],
) -> None:
    from kb.ingest_workers import build_one, stored_records
    from kb.reliability import claim_row
    from kb.search import index_words
    from kb.text_records import read_text_graph
    from kb.version import software_version

    kb = store(corpus[:8])
    for item in corpus[:8]:
        built = build_one(item, BASE, software_version())
        stored = read_text_graph(kb, built.graph_iri)
        assert built.records == stored
        # the claim index's rows the worker made are those the writer would make
        assert built.records is not None and built.records.claim_rows
        assert built.records.claim_rows == [claim_row(c) for c in stored.claims]
        # and the search index's words
        assert built.records.index_words == index_words(stored)
        assert len(built.records.index_words) == len(stored.claims) + len(stored.documents)
        # what a rebuild's workers read back from the graph's triples (kb.derived.bulk)
        read_back = stored_records((built.graph_iri, kb.graph_ntriples(built.graph_iri)))
        assert read_back == built.records


@pytest.mark.parametrize("where", ["adding", "removing"])
def test_a_step_stopped_after_its_indexes_committed_is_redone_whole(
    corpus: list[InputText], tmp_path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """A kill between a derived step's SQLite commits (entity counts, search index) and
    its store transaction: the next command redoes the step, and the shared entity
    descriptions the indexes already count are still written."""
    import kb.derived as derived

    real = derived.update_entities
    calls = {"n": 0}

    def stopped_after_indexes(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        real(*args, **kwargs)
        raise KeyboardInterrupt  # as a SIGINT would, before the store transaction

    kb = KnowledgeBase.open(tmp_path / "data")
    ingest_texts(kb, corpus[:20], base_iri=BASE, bulk=False)
    monkeypatch.setattr(derived, "update_entities", stopped_after_indexes)
    with pytest.raises(KeyboardInterrupt):
        if where == "adding":
            ingest_texts(kb, corpus[20:40], base_iri=BASE, bulk=False)
        else:
            remove_texts(kb, [t.name for t in corpus[10:20]], base_iri=BASE)
    assert calls["n"] == 1
    monkeypatch.setattr(derived, "update_entities", real)
    derived.finish_pending(kb, base_iri=BASE)
    expected = corpus[:40] if where == "adding" else corpus[:10]
    assert masked_dump(kb) == masked_dump(store(expected))


def index_notes(kb: KnowledgeBase) -> tuple[dict[str, str], sqlite3.Connection]:
    """The claim index's meta (checked to note the store's content state as the one its
    ratings were written from) and a connection to it."""
    directory = derived_dir(kb)
    assert directory is not None
    db = sqlite3.connect(directory / "claims.sqlite")
    meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    state = read_state(kb, BASE)
    assert state is not None and meta["rated_state"] == state.literal().value
    return meta, db


@pytest.mark.parametrize("bulk", [True, False])
def test_the_claim_index_knows_what_every_stored_rating_was_written_from(
    corpus: list[InputText], bulk: bool
) -> None:
    """After a bulk ingest and after steps, the claim index holds what each claim's and
    source's rating node was made from (so that the next step need not read them back)
    and is trusted: its state is the store's."""
    kb = store(corpus[:30], bulk=bulk)
    ingest_texts(kb, corpus[30:36], base_iri=BASE, bulk=False)
    meta, db = index_notes(kb)
    try:
        assert meta["sources_complete"] == "1"  # a store that had none: all noted since
        assert db.execute("SELECT COUNT(*) FROM claims WHERE rk IS NULL").fetchone() == (0,)
        rated = db.execute("SELECT COUNT(*) FROM rated_sources").fetchone()[0]
        assert rated > (20 if bulk else 5)
    finally:
        db.close()


def test_new_reference_graphs_leave_the_claim_index_trusted(
    corpus: list[InputText], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another srkb's ontology or gazetteer is written before its first ingest: the
    store's content state changes, the ratings do not, and the claim index's note of
    what they were written from must follow (or every later step reads them back)."""
    kb = store(corpus[:30], bulk=True)
    monkeypatch.setattr(kb_ingest, "reference_key", lambda base: "another srkb's files")
    ingest_texts(kb, corpus[30:36], base_iri=BASE, bulk=False)
    meta, db = index_notes(kb)
    db.close()
    state = read_state(kb, BASE)
    assert state is not None and state.reference == "another srkb's files"
    assert meta["sources_complete"] == "1"  # never forgotten
    assert masked_dump(kb) == masked_dump(store(corpus[:36]))


def test_a_step_stopped_after_its_store_write_leaves_later_steps_right(
    corpus: list[InputText], tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An incremental step works out the rating nodes it replaces from the counts the
    claim index says they were written from (ClaimIndex.rated), noted after the store's
    write. A kill between the two leaves the index behind the store: the next steps must
    see it (the content state differs) and read those nodes from the store instead."""
    from kb.derived.claim_index import ClaimIndex

    real = ClaimIndex.mark_rated
    calls = {"n": 0}

    def stopped_before_noting(self, links, sources, state):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        raise KeyboardInterrupt  # as a SIGINT would, after the store transaction

    kb = KnowledgeBase.open(tmp_path / "data")
    ingest_texts(kb, corpus[:20], base_iri=BASE, bulk=False)
    monkeypatch.setattr(ClaimIndex, "mark_rated", stopped_before_noting)
    with pytest.raises(KeyboardInterrupt):
        ingest_texts(kb, corpus[20:40], base_iri=BASE, bulk=False)
    assert calls["n"] == 1
    monkeypatch.setattr(ClaimIndex, "mark_rated", real)
    ingest_texts(kb, corpus[40:], base_iri=BASE, bulk=False)
    remove_texts(kb, [t.name for t in corpus[25:35]], base_iri=BASE)
    expected = corpus[:25] + corpus[35:]
    assert masked_dump(kb) == masked_dump(store(expected))


def test_quads_counted_from_their_serialisation_as_from_the_quads() -> None:
    """The bulk writer digests derived quads from the N-Quads it loads
    (ContentState.add_serialized): the same state as digesting each quad, escapes,
    several graphs and a software version named outside the text graphs included."""
    from kb.content import MODULUS, SOFTWARE_VERSION, ContentState, quad_digest, serialized_digest

    quads = [
        ox.Quad(
            ox.NamedNode(f"http://kb.test/s/{i}"),
            ox.NamedNode("http://kb.test/p"),
            ox.Literal(f'say "{i}"\n\tdone é'),
            ox.NamedNode(f"http://kb.test/graph/{i % 3}"),
        )
        for i in range(30)
    ]
    quads.append(
        ox.Quad(
            ox.NamedNode("http://kb.test/tool"),
            SOFTWARE_VERSION,
            ox.Literal("9.9"),
            ox.NamedNode("http://kb.test/graph/priors"),
        )
    )
    one_by_one, serialised = ContentState(), ContentState()
    one_by_one.add_quads(quads)
    serialised.add_serialized(quads, ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")
    assert serialised == one_by_one
    assert serialised.extractor_versions() == ["9.9"]
    # what a worker returns (kb.content.serialized_digest): the same digest, and bytes
    # that load back as the same quads
    data, digest = serialized_digest(quads)
    assert digest == sum(quad_digest(q) for q in quads) % MODULUS
    assert set(ox.parse(data, format=ox.RdfFormat.N_QUADS)) == set(quads)


_RATING_NODES = """PREFIX srkb: <https://w3id.org/srkb/ontology#>
SELECT ?kind ?node (COUNT(?item) AS ?items) WHERE { GRAPH ?g {
  VALUES (?kind ?link) { (srkb:ClaimCredibilityRating srkb:ratedClaim)
                         (srkb:SourceReliabilityRating srkb:ratedSource) }
  ?node a ?kind . OPTIONAL { ?node ?link ?item } } } GROUP BY ?kind ?node"""


def test_claims_and_sources_rated_alike_share_one_rating_node(corpus: list[InputText]) -> None:
    """A claim rating links nothing of its own, nor does the rating of a source without
    evidence: the claims or sources rated alike share one node (kb.derived.rating_quads).
    Every claim and source has one rating, every node rates something, also after texts
    are removed (the last claim of a node gone, the node goes) and in the bulk path."""
    kb = store(*(corpus[i : i + 12] for i in range(0, 60, 12)), bulk=False)
    remove_texts(kb, [t.name for t in corpus[5:30]], base_iri=BASE)
    expected = store(corpus[:5] + corpus[30:], bulk=True)
    assert masked_dump(kb) == masked_dump(expected)
    for found in (kb, expected):
        nodes = [
            (r["kind"].value, r["node"].value, int(r["items"].value))
            for r in found.query(_RATING_NODES)
        ]
        assert nodes and all(items >= 1 for _kind, _node, items in nodes)  # none orphaned
        claims = [n for n in nodes if n[0].endswith("ClaimCredibilityRating")]
        rated = sum(items for _k, _n, items in claims)
        per_claim = found.query(
            "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH ?g { ?c a "
            "<https://w3id.org/srkb/ontology#Claim> } }"
        )
        assert rated == int(next(iter(per_claim))["n"].value)  # one rating per claim
        assert len(claims) * 3 < rated  # shared: far fewer nodes than claims
        shared = [n for n in nodes if "/rating/reliability/" in n[1]]
        assert len(shared) == 1 and shared[0][2] > 5  # one node for the sources without evidence
        own = [n for n in nodes if "/rating/source/" in n[1]]
        assert own and all(items == 1 for _k, _n, items in own)
