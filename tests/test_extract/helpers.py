"""Shared helpers of the extraction tests: paths, the scorer run in-process, and
claims/judgements by readable names."""

from __future__ import annotations

import importlib.util
import json
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

from kb.extract import Extraction, extract_strict, to_score_json

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SEED_PATH = SHARED / "corpus" / "seed-article-comments.txt"
SCORER_PATH = SHARED / "eval" / "score_extraction.py"
DATA = ROOT / "tests" / "data"  # own texts (NAME.txt) with gold (NAME.json)
SEED_GOLD = SHARED / "gold"
CATEGORIES = ("actors", "sources", "claims_located", "claims_attributed", "judgements")


@lru_cache(maxsize=1)
def scorer() -> ModuleType:
    """../shared/eval/score_extraction.py, imported by path."""
    spec = importlib.util.spec_from_file_location("score_extraction", SCORER_PATH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score_document(text: str, gold: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The scorer's per-category figures for one text, with the extractor run in-process."""
    sc = scorer()
    system = json.loads(json.dumps(to_score_json(extract_strict(text)), ensure_ascii=False))
    ents = sc.GoldEntities(gold.get("actors", []) + gold.get("sources", []))
    loc, att = sc.score_claims(gold.get("attributed_claims", []), system["claims"], text, ents)
    return {
        "actors": sc.score_entities(gold.get("actors", []), system["actors"], text),
        "sources": sc.score_entities(gold.get("sources", []), system["sources"], text),
        "claims_located": loc,
        "claims_attributed": att,
        "judgements": sc.score_judgements(
            gold.get("reliability_judgements", []), system["judgements"], text, ents
        ),
    }


def score_folder(texts: Path, gold_dir: Path) -> dict[str, dict[str, Any]]:
    """Micro-averaged figures over every NAME.json of ``gold_dir`` with a NAME.txt in
    ``texts``, summed exactly as the scorer's main() sums them."""
    sc = scorer()
    totals = {c: [0, 0, 0, 0] for c in CATEGORIES}
    for gold_path in sorted(gold_dir.glob("*.json")):
        text_path = texts / (gold_path.stem + ".txt")
        if not text_path.exists():
            continue
        doc = score_document(
            text_path.read_text(encoding="utf-8"),
            json.loads(gold_path.read_text(encoding="utf-8")),
        )
        for cat, s in doc.items():
            t = totals[cat]
            t[0] += round(s["p"] * s["sys"])
            t[1] += s["sys"]
            t[2] += round(s["r"] * s["gold"])
            t[3] += s["gold"]
    return {cat: sc.prf(*t) for cat, t in totals.items()}


def name(ex: Extraction, key: str | None) -> str | None:
    """The display name of an entity key (None stays None)."""
    return ex.entity(key).name if key else None


def claims(text: str) -> list[tuple[str | None, str | None, str]]:
    """(speaker name, via name, cue text) of every claim in ``text``."""
    ex = extract_strict(text)
    return [(name(ex, c.speaker), name(ex, c.via), c.cue.text) for c in ex.claims]


def judgements(text: str) -> list[tuple[str, str]]:
    """(source name, polarity) of every judgement in ``text``."""
    ex = extract_strict(text)
    return [(name(ex, j.source) or "", j.polarity) for j in ex.judgements]
