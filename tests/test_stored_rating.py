"""`srkb rating` reads the stored rating for the one source asked about: the same rating,
evidence and explanation as computing every rating afresh, without reading every text."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.agent_names import resolve_agent
from kb.corpus import InputText
from kb.ingest import ingest_texts
from kb.reliability import Scope, SourceRating, compute_ratings, ratings_graph_iri
from kb.store import KnowledgeBase
from kb.stored_rating import claim_index_of, stored_source_rating

from .conftest import run_srkb
from .helpers import PROJECT_ROOT, SEED_PATH

BASE = "http://127.0.0.1:8000/"
S = "https://w3id.org/srkb/ontology#"
TEXTS = PROJECT_ROOT / "tests" / "reliability_texts"
PRIORS = """source,grade,trust,assessor,assessed,weight,note
Reuters,B,,Test desk,2024-01-15,,checked wire
Rudaw,,0.3,Test desk,2024-02-01,4,
"""


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stored-rating")
    kb = KnowledgeBase.open(folder / "data")
    inputs = [InputText("seed.txt", SEED_PATH.read_text(encoding="utf-8"))]
    inputs += [InputText(p.name, p.read_text(encoding="utf-8")) for p in sorted(TEXTS.glob("*"))]
    ingest_texts(kb, inputs, base_iri=BASE, data_dir=folder / "data")
    kb.close()
    priors = folder / "desk.csv"
    priors.write_text(PRIORS, encoding="utf-8")
    loaded = run_srkb("priors", "load", str(priors), data=folder / "data")
    assert loaded.returncode == 0, loaded.stderr
    return folder / "data"


def test_every_stored_rating_reads_back_as_computed(data: Path) -> None:
    kb = KnowledgeBase.open(data, read_only=True)
    try:
        computed = compute_ratings(kb).sources
        index = claim_index_of(kb)
        assert index is not None and len(computed) > 10
        for source, fresh in computed.items():
            _same(stored_source_rating(kb, index, source, ratings_graph_iri(BASE)), fresh, source)
        assert any(r.judgements for r in computed.values())
        assert any(r.supporting_claims for r in computed.values())
        assert any(r.priors for r in computed.values())
    finally:
        kb.close()


def _same(stored: SourceRating | None, fresh: SourceRating | None, why: str) -> None:
    if fresh is None:
        assert stored is None, why
        return
    assert stored is not None, why
    assert stored.counts == fresh.counts, why
    assert stored.judgements == fresh.judgements, why
    assert stored.supporting_claims == fresh.supporting_claims, why
    assert stored.undermining_claims == fresh.undermining_claims, why
    assert stored.priors == fresh.priors, why
    assert (stored.grade, stored.label) == (fresh.grade, fresh.label), why
    assert stored.explanation("X") == fresh.explanation("X"), why


def test_a_scoped_rating_from_the_stored_evidence_is_the_computed_one(data: Path) -> None:
    kb = KnowledgeBase.open(data, read_only=True)
    try:
        index = claim_index_of(kb)
        assert index is not None
        rows = kb.query(
            "SELECT ?a (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?c <" + S + "mentionsActor> ?a } } "
            "GROUP BY ?a ORDER BY DESC(?n) ?a LIMIT 3"
        )
        actors = [r["a"].value for r in rows]
        scopes = [Scope(topic=t) for t in ("bridge", "fighting", "reliable", "no such word")]
        scopes += [Scope(about=a) for a in actors]
        scopes += [Scope(topic="Hajin", about=actors[0])]
        kept = narrowed = 0
        everything = compute_ratings(kb).sources
        for scope in scopes:
            computed = compute_ratings(kb, scope=scope).sources
            kept += len(computed)
            narrowed += sum(1 for s, r in computed.items() if r.counts != everything[s].counts)
            for source in sorted(set(computed) | set(everything)):
                stored = stored_source_rating(
                    kb, index, source, ratings_graph_iri(BASE), scope=scope
                )
                _same(stored, computed.get(source), f"{source} {scope}")
        assert kept > 10 and narrowed > 3  # the scopes keep part of the evidence
    finally:
        kb.close()


def test_a_name_alias_or_subdomain_finds_the_source(data: Path) -> None:
    kb = KnowledgeBase.open(data, read_only=True)
    try:
        amn = [(BASE + "entity/al-masdar-news", "Al-Masdar News")]
        assert resolve_agent(kb, "almasdar") == amn
        assert resolve_agent(kb, "  AL-MASDAR   news ") == amn
        assert resolve_agent(kb, "www.almasdarnews.com") == amn
        assert resolve_agent(kb, "nobody at all") == []
    finally:
        kb.close()


def test_the_cli_lists_a_page_of_each_kind_of_evidence(data: Path) -> None:
    whole = run_srkb("rating", "AMN", "--limit", "0", data=data)
    assert whole.returncode == 0, whole.stderr
    judgements = [line for line in whole.stdout.splitlines() if line.startswith("  - ")]
    assert len(judgements) >= 2 and "more judgement" not in whole.stdout
    one = run_srkb("rating", "AMN", "--limit", "1", data=data)
    assert one.returncode == 0, one.stderr
    shown = [line for line in one.stdout.splitlines() if line.startswith("  - ")]
    assert shown == judgements[:1]
    assert f"... and {len(judgements) - 1} more judgement(s) (--limit 0 lists them all)" in (
        one.stdout
    )
    bad = run_srkb("rating", "AMN", "--limit", "-1", data=data)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_a_relative_data_directory_works(data: Path) -> None:
    out = run_srkb("rating", "Reuters", data=Path(data.name), cwd=data.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Reuters: B: usually reliable")


def test_an_unreadable_claim_index_is_a_clear_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_srkb("ingest", str(TEXTS / "wire-reprint-1.txt"), data=data).returncode == 0
    index = data / "derived" / "claims.sqlite"
    assert index.is_file()
    for extra in index.parent.glob("claims.sqlite-*"):
        extra.unlink()
    index.write_bytes(b"not a database at all" * 100)
    out = run_srkb("rating", "Reuters", data=data)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "cannot be read" in out.stderr and "srkb rebuild" in out.stderr
