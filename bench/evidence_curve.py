"""How a source's grade moves with 0, 1, 5 and 50 pieces of evidence, and how an
analyst's prior assessment and readers' judgements combine (README, "Reliability and
credibility").

Measured on the knowledge base `bash scripts/run.sh` builds (the texts in examples/),
in which Reuters has no evidence at all: each row adds N generated documents whose
single reader comment judges Reuters (own words, one sentence each), and, for the rows
that say so, a prior file grading Reuters, then reads the stored rating (the same as
`srkb rating Reuters`). Nothing is timed: the figures are the model's answers.

    .venv/bin/python bench/evidence_curve.py            # prints a Markdown table
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kb.corpus import InputText, parse_document  # noqa: E402
from kb.derived import finish_pending  # noqa: E402
from kb.ingest import ingest_texts  # noqa: E402
from kb.prior_graphs import load_prior_file  # noqa: E402
from kb.priors import read_prior_file  # noqa: E402
from kb.reliability import compute_ratings  # noqa: E402
from kb.store import KnowledgeBase  # noqa: E402

BASE = "http://127.0.0.1:8000/"
REUTERS = BASE + "entity/reuters"
VERDICTS = {
    "positive": "Reuters is reliable, they are always accurate on this front.",
    "negative": "Reuters is propaganda, they never check anything.",
}


def judging(i: int, polarity: str) -> InputText:
    doc = {
        "title": f"Front line, day {i}",
        "published": "2024-05-01",
        "body": f"The front was quiet on day {i} of the truce.",
        "comments": [{"author": f"reader{i}", "text": f"Day {i}: {VERDICTS[polarity]}"}],
    }
    text = json.dumps(doc)
    return InputText(f"judging-{polarity}-{i}.json", text, parse_document(f"{i}.json", text))


def examples() -> list[InputText]:
    paths = sorted((ROOT / "examples").glob("*.txt"))
    return [InputText(f"examples/{p.name}", p.read_text(encoding="utf-8")) for p in paths]


def rating_after(
    positive: int, negative: int, prior: str | None, folder: Path
) -> tuple[str, float, float, float, float, int]:
    kb = KnowledgeBase.in_memory()
    docs = [judging(i, "positive") for i in range(positive)]
    docs += [judging(1000 + i, "negative") for i in range(negative)]
    ingest_texts(kb, examples() + docs, base_iri=BASE)
    if prior:
        path = folder / "house-list.csv"
        path.write_text(
            f"source,grade,assessor,assessed\nReuters,{prior},Standards desk,2024-01-15\n",
            encoding="utf-8",
        )
        when = datetime(2026, 1, 1, tzinfo=UTC)
        load_prior_file(kb, read_prior_file(str(path)), base_iri=BASE, version="x", when=when)
        finish_pending(kb, base_iri=BASE)
    sr = compute_ratings(kb).sources.get(REUTERS)
    stored = {
        r["g"].value.rsplit("reliability", 1)[-1]
        for r in kb.query(
            "SELECT ?g WHERE { GRAPH ?x { ?r <https://w3id.org/srkb/ontology#ratedSource> "
            f"<{REUTERS}> ; <https://w3id.org/srkb/ontology#reliabilityGrade> ?g }} }}"
        )
    }
    if sr is None:
        return "F", 0.0, 0.0, 1.0, 0.5, 0
    assert stored == {sr.grade}, (stored, sr.grade)  # the stored rating is the computed one
    return sr.label, sr.r, sr.s, sr.uncertainty, sr.expected, sr.pieces


SCENARIOS = [
    ("readers only, all positive", [(n, 0, None) for n in (0, 1, 5, 50)]),
    ("readers only, all negative", [(0, n, None) for n in (1, 5, 50)]),
    ("readers only, 4 positive to 1 negative", [(4, 1, None), (40, 10, None)]),
    ("prior A (weight 16), then negative readers", [(0, n, "A") for n in (0, 1, 2, 5, 50)]),
    ("prior E (weight 16), then positive readers", [(n, 0, "E") for n in (0, 1, 5, 50)]),
]


def main() -> None:
    print("| evidence about Reuters | readers + / - | prior | grade | r | s | u | E | pieces |")
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for title, rows in SCENARIOS:
            for positive, negative, prior in rows:
                label, r, s, u, e, pieces = rating_after(positive, negative, prior, Path(tmp))
                print(
                    f"| {title} | {positive} / {negative} | {prior or '-'} | {label} | "
                    f"{r:g} | {s:g} | {u:.3f} | {e:.3f} | {pieces} |"
                )


if __name__ == "__main__":
    main()
