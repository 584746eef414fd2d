"""Analysts' prior assessments: loaded from CSV or Turtle with their provenance, counted as
evidence beside readers' judgements, shown in every explanation, kept up to date
incrementally and the same after a rebuild.

The prior files are written here (own words); the seed is read from ../shared.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kb.corpus import InputText
from kb.derived import finish_pending, rebuild
from kb.dump import dump_bytes
from kb.ingest import ingest_texts
from kb.prior_graphs import load_prior_file, mark_prior_files_removed
from kb.priors import read_prior_file
from kb.reliability import Scope, compute_ratings, ratings_graph_iri
from kb.store import KnowledgeBase
from kb.validate import validate_kb

from .conftest import run_srkb
from .helpers import SEED_PATH

BASE = "http://127.0.0.1:8000/"
S = "https://w3id.org/srkb/ontology#"
PROV = "http://www.w3.org/ns/prov#"
REUTERS = BASE + "entity/reuters"
AMN = BASE + "entity/al-masdar-news"
WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
TIMES = ("prov#startedAtTime", "prov#endedAtTime")

HOUSE_CSV = """source,grade,trust,assessor,assessed,weight,note
Reuters,A,,Example Newsroom standards desk,2024-01-15,,wire of record
almasdarnews.com,D,,Example Newsroom standards desk,2024-01-15,,
"""

HOUSE_TTL = """@prefix srkb: <https://w3id.org/srkb/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://newsroom.example/> .

ex:desk a prov:Agent ; rdfs:label "Example Newsroom standards desk" .

ex:reuters-2024 a srkb:PriorAssessment ;
    srkb:sourceName "Reuters" ;
    srkb:assessedGrade srkb:reliabilityA ;
    prov:wasAttributedTo ex:desk ;
    dcterms:date "2024-01-15"^^xsd:date ;
    rdfs:comment "wire of record" .

[] a srkb:PriorAssessment ;
    srkb:sourceName "almasdarnews.com" ;
    srkb:trustValue 0.4 ;
    srkb:evidenceWeight 8 ;
    prov:wasAttributedTo ex:desk ;
    dcterms:date "2024-01-15" .
"""


def seed() -> InputText:
    return InputText("seed.txt", SEED_PATH.read_text(encoding="utf-8"))


def seed_kb() -> KnowledgeBase:
    kb = KnowledgeBase.in_memory()
    ingest_texts(kb, [seed()], base_iri=BASE)
    return kb


def load(kb: KnowledgeBase, path: Path) -> None:
    load_prior_file(kb, read_prior_file(str(path)), base_iri=BASE, version="9.9.9", when=WHEN)
    finish_pending(kb, base_iri=BASE)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rows(result) -> list[dict[str, str | None]]:
    names = [v.value for v in result.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in result]


def masked(kb: KnowledgeBase) -> list[bytes]:
    return [
        line
        for line in dump_bytes(kb, "nquads").splitlines()
        if not any(t.encode() in line for t in TIMES)
    ]


# --------------------------------------------------------------------------- must show
def test_a_prior_giving_reuters_a_shows_in_its_grade_and_explanation(tmp_path: Path) -> None:
    data = tmp_path / "kb"
    assert run_srkb("ingest", str(SEED_PATH), data=data).returncode == 0
    before = run_srkb("rating", "Reuters", data=data)
    assert before.stdout.startswith("Reuters: not enough evidence (0 pieces)")
    house = write(tmp_path, "house-list.csv", HOUSE_CSV)
    loaded = run_srkb("priors", "load", str(house), data=data)
    assert loaded.returncode == 0, loaded.stderr
    assert "loaded 2 prior assessment(s) of 2 source(s)" in loaded.stdout
    out = run_srkb("rating", "Reuters", data=data)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Reuters: A: completely reliable")
    assert "1 prior assessment(s): A by Example Newsroom standards desk on 2024-01-15" in (
        out.stdout
    )
    assert "* prior assessment A by Example Newsroom standards desk on 2024-01-15 (weight 16, " in (
        out.stdout
    )
    assert "wire of record" in out.stdout
    # the stored rating and the named query show it too
    named = run_srkb(
        "query",
        "--named",
        "source-reliability",
        "--param",
        "source=Reuters",
        "--format",
        "csv",
        data=data,
    )
    assert named.returncode == 0, named.stderr
    header, *lines = named.stdout.splitlines()
    cells = dict(zip(header.split(","), lines[0].split(","), strict=False))
    assert cells["grade"] == "A" and cells["evidenceKind"] == "prior assessment"
    assert cells["polarity"] == "A" and cells["cue"] == "Example Newsroom standards desk"
    assert "prior assessment(s): A by Example Newsroom standards desk" in named.stdout
    listed = run_srkb("priors", "list", data=data)
    assert "house-list.csv" in listed.stdout and "Al-Masdar News" in listed.stdout
    removed = run_srkb("priors", "remove", "house-list.csv", data=data)
    assert removed.returncode == 0, removed.stderr
    after = run_srkb("rating", "Reuters", data=data)
    assert after.stdout.startswith("Reuters: not enough evidence (0 pieces)")


# --------------------------------------------------------------------------- the model
def test_a_prior_and_readers_judgements_combine(tmp_path: Path) -> None:
    kb = seed_kb()
    amn_before = compute_ratings(kb).sources[AMN]
    load(kb, write(tmp_path, "house-list.csv", HOUSE_CSV))
    ratings = compute_ratings(kb)
    reuters, amn = ratings.sources[REUTERS], ratings.sources[AMN]
    assert (reuters.r, reuters.s, reuters.grade) == (pytest.approx(15.2), pytest.approx(0.8), "A")
    # D stands for trust 0.4: weight 16 adds 6.4 to r and 9.6 to s, beside the readers
    assert amn.r == pytest.approx(amn_before.r + 6.4)
    assert amn.s == pytest.approx(amn_before.s + 9.6)
    assert amn.pieces == amn_before.pieces + 1
    assert amn.grade == "D"
    # the stored ratings are those the full computation gives
    stored = {
        r["s"].value: r["g"].value.rsplit("reliability", 1)[-1]
        for r in kb.query(
            f"SELECT ?s ?g WHERE {{ GRAPH ?x {{ ?r <{S}ratedSource> ?s ; "
            f"<{S}reliabilityGrade> ?g }} }}"
        )
    }
    assert stored[REUTERS] == "A" and stored[AMN] == "D"


def test_csv_and_turtle_files_give_the_same_assessments(tmp_path: Path) -> None:
    from_csv = read_prior_file(str(write(tmp_path, "house.csv", HOUSE_CSV)))
    from_ttl = read_prior_file(str(write(tmp_path, "house.ttl", HOUSE_TTL)))

    def key(r) -> tuple:
        return (r.source_name, r.grade, r.assessor_name, r.date, r.weight)

    reuters = [[key(r) for r in f.rows if r.source_name == "Reuters"] for f in (from_csv, from_ttl)]
    assert reuters[0] == reuters[1] != []
    kb = seed_kb()
    load(kb, tmp_path / "house.ttl")
    ratings = compute_ratings(kb)
    assert ratings.sources[REUTERS].grade == "A"
    assert ratings.sources[AMN].r == pytest.approx(compute_ratings(seed_kb()).sources[AMN].r + 3.2)
    assessor = kb.query(
        f"SELECT ?a WHERE {{ GRAPH ?g {{ ?x <{S}assessedSource> <{REUTERS}> ; "
        f"<{PROV}wasAttributedTo> ?a }} }}"
    )
    assert [r["a"].value for r in assessor] == ["https://newsroom.example/desk"]  # its own IRI


def test_an_assessment_dated_after_as_of_is_left_out(tmp_path: Path) -> None:
    kb = seed_kb()
    load(kb, write(tmp_path, "house-list.csv", HOUSE_CSV))
    early = compute_ratings(kb, scope=Scope(as_of="2023-12-31")).sources.get(REUTERS)
    late = compute_ratings(kb, scope=Scope(as_of="2024-02-01")).sources[REUTERS]
    assert early is None or early.priors == []
    assert late.grade == "A"


# --------------------------------------------------------------------------- provenance
def test_each_assessment_has_its_provenance_and_the_store_conforms(tmp_path: Path) -> None:
    kb = seed_kb()
    load(kb, write(tmp_path, "house-list.csv", HOUSE_CSV))
    (row,) = rows(
        kb.query(
            f"""PREFIX prov: <{PROV}> PREFIX srkb: <{S}>
            PREFIX dcterms: <http://purl.org/dc/terms/>
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            SELECT ?graph ?who ?date ?file ?name ?activity ?grade WHERE {{ GRAPH ?graph {{
              ?a a srkb:PriorAssessment ; srkb:assessedSource <{REUTERS}> ;
                 srkb:assessedGrade ?grade ;
                 prov:wasAttributedTo/rdfs:label ?who ; dcterms:date ?date ;
                 prov:wasDerivedFrom ?file .
              ?file a srkb:PriorFile ; dcterms:source ?name .
              ?graph a prov:Bundle ; prov:wasDerivedFrom ?file ; prov:wasGeneratedBy ?activity .
              ?activity a srkb:PriorLoadActivity ; prov:used ?file ; prov:startedAtTime ?t }} }}"""
        )
    )
    assert row["who"] == "Example Newsroom standards desk" and row["date"] == "2024-01-15"
    assert row["name"].endswith("house-list.csv") and "/graph/priors/" in row["graph"]
    assert row["grade"] == S + "reliabilityA"
    linked = kb.ask(
        f"ASK {{ GRAPH ?r {{ ?rating <{S}ratedSource> <{REUTERS}> ; <{S}usedPrior> ?a }} }}"
    )
    assert linked
    result = validate_kb(kb)
    assert result.conforms, result.text[:2000]


# --------------------------------------------------------------------------- upkeep
def test_loading_and_removing_priors_is_incremental_and_equals_a_rebuild(tmp_path: Path) -> None:
    kb = seed_kb()
    ratings_before = sorted(map(str, kb.quads(ratings_graph_iri(BASE))))
    load(kb, write(tmp_path, "house-list.csv", HOUSE_CSV))
    loaded = masked(kb)
    rebuild(kb, base_iri=BASE)
    assert masked(kb) == loaded
    # an edited file of the same name replaces the earlier load
    edited = HOUSE_CSV.replace("Reuters,A,", "Reuters,B,")
    load(kb, write(tmp_path, "house-list.csv", edited))
    assert compute_ratings(kb).sources[REUTERS].grade == "B"
    assert len([g for g in kb.named_graphs() if "/graph/priors/" in g]) == 1
    mark_prior_files_removed(kb, ["house-list.csv"], BASE)
    finish_pending(kb, base_iri=BASE)
    assert not [g for g in kb.named_graphs() if "/graph/priors/" in g]
    assert sorted(map(str, kb.quads(ratings_graph_iri(BASE)))) == ratings_before


def test_a_load_interrupted_before_its_ratings_is_finished_by_the_next_write(
    tmp_path: Path,
) -> None:
    house = write(tmp_path, "house-list.csv", HOUSE_CSV)
    whole = seed_kb()
    load(whole, house)
    cut = seed_kb()
    # the file's graph and journal entry are written, then the process dies
    load_prior_file(cut, read_prior_file(str(house)), base_iri=BASE, version="9.9.9", when=WHEN)
    assert compute_ratings(cut).sources[REUTERS].grade == "A"  # on demand: already counted
    finish_pending(cut, base_iri=BASE)  # what the next command that writes does first
    assert masked(cut) == masked(whole)


# --------------------------------------------------------------------------- bad files
@pytest.mark.parametrize(
    "name, text, message",
    [
        ("p.csv", "source,grade,assessor,assessed\nReuters,G,desk,2024-01-01\n", "line 2: grade"),
        ("p.csv", "source,grade,trust,assessor,assessed\nReuters,A,0.9,d,2024-01-01\n", "not both"),
        ("p.csv", "source,grade,assessor,assessed\nReuters,A,,2024-01-01\n", "no assessor"),
        ("p.csv", "source,grade,assesor,assessed\nReuters,A,d,2024-01-01\n", "unknown column"),
        ("p.csv", "source,trust,assessor,assessed\nReuters,1.5,d,2024-01-01\n", "0 to 1"),
        ("p.csv", "source,grade,assessor,assessed\nReuters,A,d,15/01/2024\n", "ISO date"),
        (
            "p.csv",
            "source,grade,assessor,assessed\nReuters,A,d,2024-01-01\nReuters,B,d,2024-02-01\n",
            "already",
        ),
        ("p.ttl", "this is not turtle", "not valid Turtle"),
        (
            "p.ttl",
            "@prefix s: <https://w3id.org/srkb/ontology#> . <x:a> a s:PriorAssessment .",
            "no srkb:assessedSource",
        ),
        ("p.txt", "Reuters A", "give a .csv or .ttl file"),
    ],
)
def test_a_bad_prior_file_is_refused_with_one_line_and_nothing_written(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    data = tmp_path / "kb"
    path = write(tmp_path, name, text)
    out = run_srkb("priors", "load", str(path), data=data)
    assert out.returncode == 1
    assert out.stderr.startswith("srkb: error: ") and message in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
    assert not data.exists()  # checked before the store was opened


def test_an_ambiguous_or_foreign_source_is_refused(tmp_path: Path) -> None:
    kb = seed_kb()
    foreign = write(
        tmp_path, "f.csv", "source,grade,assessor,assessed\nhttps://x.example/r,A,d,2024-01-01\n"
    )
    from kb.errors import InputError

    with pytest.raises(InputError, match="not an IRI of this knowledge base"):
        load(kb, foreign)


def test_the_shapes_catch_an_assessment_with_both_a_grade_and_a_trust_value(
    tmp_path: Path,
) -> None:
    import pyoxigraph as ox

    kb = seed_kb()
    load(kb, write(tmp_path, "house-list.csv", HOUSE_CSV))
    (q,) = list(kb.pattern(None, S + "assessedSource", REUTERS, None))
    decimal = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    kb.add_quads(
        [
            ox.Quad(
                q.subject,
                ox.NamedNode(S + "trustValue"),
                ox.Literal("0.5", datatype=decimal),
                q.graph_name,
            )
        ]
    )
    result = validate_kb(kb)
    assert not result.conforms
    assert "either one Admiralty grade or one trust value" in result.text
