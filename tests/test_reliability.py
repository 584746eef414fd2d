"""Reliability and credibility: computed from the evidence, explained, and kept up to date.

The seed gives the readers' judgements (Al-Masdar News, Liveuamap); the short texts in
tests/reliability_texts/ (written for these tests) give corroboration, reprints of one
wire story, and a contradicting denial.
"""

from __future__ import annotations

import pytest

from kb.corpus import InputText
from kb.ingest import ingest_texts, remove_texts
from kb.named_queries import run_named
from kb.reliability import compute_ratings, ratings_graph_iri
from kb.store import KnowledgeBase

from .helpers import PROJECT_ROOT, SEED_PATH

BASE = "http://kb.test/"
TEXTS = PROJECT_ROOT / "tests" / "reliability_texts"


def texts(*names: str) -> list[InputText]:
    return [InputText(n, (TEXTS / f"{n}.txt").read_text(encoding="utf-8")) for n in names]


def kb_with(*items: InputText) -> KnowledgeBase:
    kb = KnowledgeBase.in_memory()
    ingest_texts(kb, list(items), base_iri=BASE)
    return kb


def rows(result) -> list[dict[str, str | None]]:
    names = [v.value for v in result.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in result]


@pytest.fixture(scope="module")
def seed_kb() -> KnowledgeBase:
    return kb_with(InputText("seed.txt", SEED_PATH.read_text(encoding="utf-8")))


def credibility_of(kb: KnowledgeBase, content_word: str) -> list[tuple[str, str, str]]:
    """(grade, corroborations, why) of the claims whose content has ``content_word``."""
    out = rows(run_named(kb, "claim-credibility", {}))
    return sorted(
        (r["credibility"], r["corroborations"], r["why"])
        for r in out
        if content_word in (r["content"] or "")
    )


# --------------------------------------------------------------------------- sources
def test_al_masdar_grade_is_explained_by_its_judgements(seed_kb: KnowledgeBase) -> None:
    out = rows(run_named(seed_kb, "source-reliability", {"source": "AMN"}))
    assert out, "no rating for AMN"
    assert {r["sourceName"] for r in out} == {"Al-Masdar News"}
    first = out[0]
    assert first["grade"] == "C"
    judgements = [r for r in out if r["evidenceKind"] == "reader judgement"]
    polarities = {r["polarity"] for r in judgements}
    assert {"positive", "negative"} <= polarities  # praise and criticism
    cues = " | ".join(r["cue"] for r in judgements)
    assert "good source" in cues
    for r in judgements:
        assert "/comment/" in r["document"]  # each judgement links to its comment
        assert r["evidenceText"]  # and quotes it
    # the counts and the formula that give the grade
    r_pos, s_neg = float(first["r"]), float(first["s"])
    assert r_pos + s_neg == pytest.approx(len(judgements))
    assert float(first["expected"]) == pytest.approx(
        (r_pos + 0.5 * 2) / (r_pos + s_neg + 2), abs=1e-4
    )
    assert "E = b + a*u" in first["formula"]
    assert f"r = {r_pos:g}, s = {s_neg:g}" in first["explanation"]


def test_same_rating_whatever_alias_or_domain_names_the_source(seed_kb: KnowledgeBase) -> None:
    by_alias = rows(run_named(seed_kb, "source-reliability", {"source": "almasdar"}))
    by_domain = rows(run_named(seed_kb, "source-reliability", {"source": "almasdarnews.com"}))
    assert by_alias == by_domain != []


def test_liveuamap_comes_out_mixed_with_its_judgements_listed(seed_kb: KnowledgeBase) -> None:
    out = rows(run_named(seed_kb, "source-reliability", {"source": "syria.liveuamap.com"}))
    assert out
    assert out[0]["profile"] == "mixed"
    assert float(out[0]["belief"]) > 0 and float(out[0]["disbelief"]) > 0
    assert out[0]["grade"] not in ("A", "E", "F")  # neither simply good nor simply bad
    judgements = [r for r in out if r["evidenceKind"] == "reader judgement"]
    assert len(judgements) >= 3
    assert any("propaganda" in (r["evidenceText"] or "") for r in judgements)
    assert {"mixed", "negative"} <= {r["polarity"] for r in judgements}


def test_a_source_with_no_evidence_shows_not_enough_evidence(seed_kb: KnowledgeBase) -> None:
    """F ("cannot be judged") is shown as "not enough evidence (n pieces)", never as a
    bad grade: in the named query, its explanation and the rating's label."""
    out = rows(run_named(seed_kb, "source-reliability", {"source": "Reuters"}))
    assert out and out[0]["grade"] == "not enough evidence (0 pieces)"
    assert out[0]["gradeLabel"] == "not enough evidence" and out[0]["pieces"] == "0"
    assert out[0]["explanation"].startswith("Not enough evidence (0 pieces).")
    one = rows(run_named(seed_kb, "source-reliability", {"source": "Aldar Xelil"}))
    assert one[0]["grade"] == "not enough evidence (1 piece)"  # one negative judgement
    label = seed_kb.query(
        "SELECT ?l WHERE { GRAPH ?g { ?r <https://w3id.org/srkb/ontology#ratedSource> "
        f"<{BASE}entity/reuters> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }} }}"
    )
    assert [r["l"].value for r in label] == ["not enough evidence (0 pieces)"]


# --------------------------------------------------------------------------- claims
def test_xelil_claims_via_reuters_are_single_source(seed_kb: KnowledgeBase) -> None:
    out = rows(run_named(seed_kb, "single-source-claims", {"name": "Xelil"}))
    assert len(out) == 2
    assert {r["speakerName"] for r in out} == {"Aldar Xelil"}
    assert {r["viaName"] for r in out} == {"Reuters"}


def test_two_independent_outlets_raise_credibility() -> None:
    alone = kb_with(*texts("hajin-rudaw"))
    assert [g for g, _, _ in credibility_of(alone, "Hajin")] == ["3"]
    both = kb_with(*texts("hajin-rudaw", "hajin-enab-baladi"))
    graded = credibility_of(both, "Hajin")
    assert [(g, k) for g, k, _ in graded] == [("2", "1"), ("2", "1")]
    assert all("corroborated by 1 independent origin" in why for _, _, why in graded)


def test_three_reprints_of_one_wire_story_do_not() -> None:
    one = kb_with(*texts("wire-reprint-1"))
    three = kb_with(*texts("wire-reprint-1", "wire-reprint-2", "wire-reprint-3"))
    assert credibility_of(one, "Qamishli") == [
        ("3", "0", "credibility 3: single source of unknown reliability.")
    ]
    graded = credibility_of(three, "Qamishli")
    assert len(graded) == 3
    assert {(g, k) for g, k, _ in graded} == {("3", "0")}
    # the reprints are recognised as repeats of one another
    repeats = three.query(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { "
        "?a <https://w3id.org/srkb/ontology#repeatedBy> ?b } }"
    )
    assert int(next(iter(repeats))["n"].value) == 6


def test_a_contradicting_report_lowers_credibility() -> None:
    corroborated = kb_with(*texts("hajin-rudaw", "hajin-enab-baladi"))
    before = credibility_of(corroborated, "heavy fighting")
    contradicted = kb_with(*texts("hajin-rudaw", "hajin-enab-baladi", "hajin-sdf-denial"))
    after = credibility_of(contradicted, "heavy fighting")
    assert [g for g, _, _ in before] == ["2"]
    assert int(after[0][0]) > int(before[0][0])  # a higher digit is less credible
    assert "contradicted by 1 independent origin" in after[0][2]
    pairs = rows(run_named(contradicted, "contradicted-claims", {}))
    assert pairs and any("denied" not in (p["content"] or "") for p in pairs)


# --------------------------------------------------------------------------- upkeep
def test_removing_a_document_removes_its_facts_and_updates_dependent_ratings() -> None:
    kb = kb_with(*texts("hajin-rudaw", "hajin-enab-baladi", "wire-reprint-1"))
    graphs_before = set(kb.named_graphs())
    wire_graph_quads = {g: kb.graph_quad_count(g) for g in graphs_before if "graph/text/" in g}
    ratings_before = compute_ratings(kb)
    hajin_before = credibility_of(kb, "Hajin")
    qamishli_before = credibility_of(kb, "Qamishli")

    removed = remove_texts(kb, ["hajin-enab-baladi"], base_iri=BASE)
    assert removed == ["hajin-enab-baladi"]
    after_graphs = set(kb.named_graphs())
    assert len(graphs_before - after_graphs) == 1  # exactly its own graph went
    gone = (graphs_before - after_graphs).pop()
    gone_text = gone.replace("graph/text/", "text/")
    assert not kb.ask(
        f"ASK {{ GRAPH ?g {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), '{gone_text}')) }} }}"
    )
    # the Rudaw claim lost its corroboration; the unrelated wire story is untouched
    assert (
        [g for g, _, _ in credibility_of(kb, "Hajin")]
        == ["3"]
        != [g for g, _, _ in hajin_before][:1]
    )
    assert credibility_of(kb, "Qamishli") == qamishli_before
    for g, n in wire_graph_quads.items():
        if g != gone:
            assert kb.graph_quad_count(g) == n
    assert ratings_graph_iri(BASE) in after_graphs
    assert set(compute_ratings(kb).sources) < set(ratings_before.sources)


def test_ratings_are_deterministic() -> None:
    a = kb_with(*texts("hajin-rudaw", "hajin-enab-baladi", "hajin-sdf-denial"))
    b = kb_with(*texts("hajin-sdf-denial", "hajin-enab-baladi", "hajin-rudaw"))
    g = ratings_graph_iri(BASE)
    assert sorted(map(str, a.quads(g))) == sorted(map(str, b.quads(g)))


def test_every_named_query_runs_unbound_where_allowed(seed_kb: KnowledgeBase) -> None:
    from kb.named_queries import named_queries

    for q in named_queries().values():
        values = {p.name: "x" for p in q.params if p.required}
        if any(p.kind == "iri" for p in q.params if p.required):
            values = {p.name: BASE + "claim/none" for p in q.params if p.required}
        list(run_named(seed_kb, q.name, values))  # parses and runs


def test_unknown_and_missing_parameters_are_errors(seed_kb: KnowledgeBase) -> None:
    from kb.errors import QueryError

    with pytest.raises(QueryError, match="needs a value for .source."):
        run_named(seed_kb, "source-reliability", {})
    with pytest.raises(QueryError, match="no parameter 'colour'"):
        run_named(seed_kb, "source-reliability", {"source": "AMN", "colour": "red"})
    with pytest.raises(QueryError, match="no named query"):
        run_named(seed_kb, "nope", {})


def test_parameters_cannot_inject_sparql(seed_kb: KnowledgeBase) -> None:
    evil = 'AMN" } } DELETE WHERE { ?s ?p ?o } #'
    assert rows(run_named(seed_kb, "source-reliability", {"source": evil})) == []


# --------------------------------------------------------------------------- scopes
def test_rating_scoped_to_a_topic_uses_only_that_evidence(seed_kb: KnowledgeBase) -> None:
    from kb.reliability import Scope

    whole = compute_ratings(seed_kb).sources[BASE + "entity/liveuamap"]
    on_casualties = compute_ratings(seed_kb, scope=Scope(topic="casualties")).sources[
        BASE + "entity/liveuamap"
    ]
    assert 0 < len(on_casualties.judgements) < len(whole.judgements)
    assert all("casualt" in j.text.lower() for j in on_casualties.judgements)


def test_rating_as_of_a_date_ignores_later_evidence() -> None:
    import json

    from kb.corpus import parse_document

    def doc(day: str, text: str) -> InputText:
        data = {
            "published": day,
            "body": "Clashes went on near the dam, Rudaw reported.",
            "comments": [{"author": "r", "date": day, "text": text}],
        }
        return InputText(f"{day}.json", json.dumps(data), parse_document(day, json.dumps(data)))

    kb = kb_with(
        doc("2024-01-10", "Rudaw is reliable, they are always accurate."),
        doc("2024-03-10", "Rudaw is pure propaganda, they lie about everything."),
    )
    from kb.reliability import Scope

    rudaw = BASE + "entity/rudaw"
    early = compute_ratings(kb, scope=Scope(as_of="2024-02-01")).sources[rudaw]
    late = compute_ratings(kb).sources[rudaw]
    assert [j.polarity for j in early.judgements] == ["positive"]
    assert sorted(j.polarity for j in late.judgements) == ["negative", "positive"]


def test_cli_rating_prints_grade_and_evidence(tmp_path) -> None:
    import subprocess
    import sys

    data = tmp_path / "kb"
    run = [sys.executable, "-m", "kb.cli", "--data", str(data)]
    assert subprocess.run([*run, "ingest", str(SEED_PATH)], capture_output=True).returncode == 0
    out = subprocess.run([*run, "rating", "almasdar"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Al-Masdar News: C")
    assert "'a good source of info'" in out.stdout
    bad = subprocess.run([*run, "rating", "nobody at all"], capture_output=True, text=True)
    assert bad.returncode == 1 and "no actor or source" in bad.stderr


def test_reprints_of_one_report_count_once_for_the_wire_service() -> None:
    from kb.reliability import compute_ratings as full

    kb = kb_with(*texts("wire-reprint-1", "wire-reprint-2", "wire-reprint-3", "qamishli-monitor"))
    reuters = full(kb).sources[BASE + "entity/reuters"]
    assert reuters.counts.corroborated == 3  # three claims, each corroborated by the monitor
    assert reuters.counts.corroborated_reports == 1  # but one report: r counts it once
    assert reuters.r == 1
    stored = rows(run_named(kb, "source-reliability", {"source": "Reuters"}))
    assert stored[0]["r"] == "1"
    assert "1 corroborated report(s) (3 claim(s))" in stored[0]["explanation"]
