"""The own texts of tests/data (other fronts and outlets) and their gold annotations.

Each NAME.txt has a NAME.json gold file written by hand to ../shared/gold/CONVENTIONS.md;
the checks here keep the gold honest (every quoted string really is in the text, the
start fields are cut from it) and pin the fixes made on examples/kobani-report.txt.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb.extract import extract_strict, to_score_json

from .helpers import DATA, ROOT, name

GOLD_FILES = sorted(DATA.glob("*.json"))
ACTOR_TYPES = {"ArmedGroup", "State", "Military", "PoliticalOrg", "Person", "Other"}
SOURCE_TYPES = {"NewsAgency", "NewsOutlet", "Website", "Map", "Government", "Person", "Other"}


def _load(path: Path) -> tuple[str, dict]:
    gold = json.loads(path.read_text(encoding="utf-8"))
    text = (path.parent / gold["text_file"]).read_text(encoding="utf-8")
    return text, gold


def test_there_are_enough_own_texts() -> None:
    assert len(GOLD_FILES) >= 9
    for gold_path in GOLD_FILES:
        assert gold_path.with_suffix(".txt").exists(), gold_path.name


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_strings_occur_in_the_text(path: Path) -> None:
    text, gold = _load(path)
    assert set(gold) >= {
        "text_file",
        "actors",
        "sources",
        "attributed_claims",
        "reliability_judgements",
        "notes",
    }
    lines = text.split("\n")
    for ent in gold["actors"] + gold["sources"]:
        for alias in ent["aliases_in_text"]:
            assert alias in text, (ent["name"], alias)
    assert {e["type"] for e in gold["actors"]} <= ACTOR_TYPES
    assert {e["type"] for e in gold["sources"]} <= SOURCE_TYPES
    for c in gold["attributed_claims"]:
        start = c["sentence_start"]
        assert text.count(start) == 1, start
        line = lines[text[: text.index(start)].count("\n")]
        assert c["cue"] in line, c
        assert c["date_text"] is None or c["date_text"] in line, c
    names = {e["name"] for e in gold["actors"] + gold["sources"]}
    for j in gold["reliability_judgements"]:
        starts = [ln for ln in lines if ln.startswith(j["comment_start"])]
        assert len(starts) == 1, j
        assert j["cue"] in starts[0], j
        assert j["source"] in names, j
        assert j["polarity"] in {"positive", "negative", "mixed"}


# -------------------------------------------------------- examples/kobani-report.txt
KOBANI = ROOT / "examples" / "kobani-report.txt"


@pytest.fixture(scope="module")
def kobani() -> tuple[str, object]:
    text = KOBANI.read_text(encoding="utf-8")
    return text, extract_strict(text)


def test_trailing_frame_content_is_the_clause_before_it(kobani) -> None:
    _, ex = kobani
    (c,) = [c for c in ex.claims if c.span.text.startswith("Fighters of the US-backed")]
    assert c.content.text.startswith("Fighters of the US-backed Syrian Democratic Forces (SDF)")
    assert c.content.text.endswith("two villages south of Kobani")
    assert c.date is not None and c.date.text == "on Monday"


def test_headline_says_is_a_claim(kobani) -> None:
    _, ex = kobani
    (c,) = [c for c in ex.claims if c.span.start == 0]
    assert name(ex, c.speaker) == "Syrian Democratic Forces" and c.cue.text == "says"
    assert c.content.text.startswith("it repelled ISIS attack")


def test_a_claim_the_sdf_denied_is_kept_as_a_denial(kobani) -> None:
    _, ex = kobani
    sent = [c for c in ex.claims if c.span.text.startswith("The Turkish Defence Ministry")]
    assert [(name(ex, c.via), c.modality) for c in sent] == [
        ("Turkish Defence Ministry", "asserted"),
        ("Syrian Democratic Forces", "doubted"),
    ]
    statement, denial = sent
    assert statement.speaker is None  # an official body's own statement: via only
    assert denial.contradicts == statement.content and denial.cue.text == "denied"
    assert statement.content.text.endswith("near Kobani on the same night")


def test_official_body_json_follows_the_gold_convention(kobani) -> None:
    text, ex = kobani
    out = to_score_json(ex)
    (c,) = [
        c
        for c in out["claims"]
        if text[c["span"][0] :].startswith("The Turkish Defence") and c["modality"] != "doubted"
    ]
    assert c["speaker"] is None and c["via"] == "Turkish Defence Ministry"
    assert "Turkish Defence Ministry" in {s["name"] for s in out["sources"]}


def test_example_lists_no_unnamed_source(kobani) -> None:
    _, ex = kobani
    out = to_score_json(ex)
    names = {e["name"] for e in out["actors"] + out["sources"]}
    assert "Residents of the nearby town of Sarrin" not in names
    assert {"Farhad Shami", "Syrian Democratic Forces", "ISIS"} <= names
