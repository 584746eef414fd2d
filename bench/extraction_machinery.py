"""Machinery comparison: the gazetteer stage done four ways, scored and timed.

Run on request, in a throwaway venv that has the trial packages (the project venv does
not)::

    python3 -m venv /tmp/venv-trial
    /tmp/venv-trial/bin/pip install spacy pyahocorasick flashtext rdflib
    PYTHONPATH=. /tmp/venv-trial/bin/python bench/extraction_machinery.py

Every variant finds the gazetteer's labels in the text and hands the candidate spans to
the same confirmation step as the default (label regex for case, masks, places after
"in", short acronyms in shouted text), so the rest of the pipeline and the scorer see
the same kind of input; only the machinery that finds candidates differs:

- ``regex``: the default, one scan with a trie-shaped alternation of all labels (``re``);
- ``spacy``: a blank English pipeline (no model weights) and a ``PhraseMatcher`` on the
  LOWER attribute, token spans mapped back to characters;
- ``ahocorasick``: an Aho-Corasick automaton (pyahocorasick) over the lower-cased
  labels, whole-word hits only;
- ``flashtext``: flashtext's ``KeywordProcessor`` (word-boundary keyword search).

A variant that is not installed is skipped. Output: per variant, micro F1 per category
on the seed and on tests/data (the scorer's functions, imported by path), and the
extraction rate on the seed (median of runs, one process).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kb.extract import entities as E  # noqa: E402, N812  # short: used on every line
from kb.extract import extract_strict  # noqa: E402
from kb.extract import gazetteer_index as GI  # noqa: E402, N812
from kb.extract import gazetteer_match as GM  # noqa: E402, N812
from kb.extract.doc import Doc  # noqa: E402
from tests.test_extract.helpers import DATA, SEED_GOLD, SEED_PATH, score_folder  # noqa: E402

Finder = Callable[[Doc], list[tuple[int, int]]]  # candidate (start, end) spans


def _confirm(doc: Doc, spans: list[tuple[int, int]]) -> None:
    """The default confirmation of candidate spans (longest first at each start)."""
    gaz = GI.load_matcher()
    skip_to = 0
    for start, end in sorted(spans, key=lambda se: (se[0], -se[1])):
        if start < skip_to:
            continue
        labels = gaz.by_lower.get(doc.low[start:end], ())
        done = GM._try_labels(doc, gaz, labels, start)
        if done is not None:
            skip_to = done


def regex_finder(doc: Doc) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in GI.load_matcher().full_rx.finditer(doc.low)]


def make_spacy_finder() -> Finder | None:
    try:
        import spacy
        from spacy.matcher import PhraseMatcher
    except ImportError:
        return None
    nlp = spacy.blank("en")
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    labels = sorted(GI.load_matcher().by_lower)
    matcher.add("GAZ", [nlp.make_doc(t) for t in labels])

    def find(doc: Doc) -> list[tuple[int, int]]:
        sdoc = nlp.make_doc(doc.norm)
        out = []
        for _, s, e in matcher(sdoc):
            span = sdoc[s:e]
            out.append((span.start_char, span.end_char))
        return out

    return find


def make_ahocorasick_finder() -> Finder | None:
    try:
        import ahocorasick
    except ImportError:
        return None
    auto = ahocorasick.Automaton()
    for label in GI.load_matcher().by_lower:
        auto.add_word(label, len(label))
    auto.make_automaton()

    def find(doc: Doc) -> list[tuple[int, int]]:
        low, n, out = doc.low, len(doc.low), []
        for end_idx, length in auto.iter(low):
            start, end = end_idx - length + 1, end_idx + 1
            if (start == 0 or not low[start - 1].isalnum()) and (
                end == n or not low[end].isalnum()
            ):
                out.append((start, end))
        return out

    return find


def make_flashtext_finder() -> Finder | None:
    try:
        from flashtext import KeywordProcessor
    except ImportError:
        return None
    kp = KeywordProcessor(case_sensitive=True)  # the text searched is already lower case
    for label in GI.load_matcher().by_lower:
        kp.add_keyword(label)

    def find(doc: Doc) -> list[tuple[int, int]]:
        return [(s, e) for _, s, e in kp.extract_keywords(doc.low, span_info=True)]

    return find


def install(finder: Finder) -> None:
    """Replace the gazetteer stage's candidate finder for the rest of the run."""

    def match(doc: Doc) -> None:
        _confirm(doc, finder(doc))

    E._match_gazetteer = match  # type: ignore[assignment]  # a benchmark swap


def rate(text: str, runs: int, seconds: float) -> float:
    extract_strict(text)
    out = []
    for _ in range(runs):
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            extract_strict(text)
            n += 1
        out.append(n / (time.perf_counter() - t0))
    return statistics.median(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=1.0)
    args = ap.parse_args(argv)
    seed = SEED_PATH.read_text(encoding="utf-8")
    original = E._match_gazetteer
    variants: dict[str, Finder | None] = {
        "regex (default)": None,
        "spacy PhraseMatcher": make_spacy_finder(),
        "pyahocorasick": make_ahocorasick_finder(),
        "flashtext": make_flashtext_finder(),
    }
    report = {}
    for name, finder in variants.items():
        if name != "regex (default)" and finder is None:
            print(f"{name}: not installed, skipped", file=sys.stderr)
            continue
        E._match_gazetteer = original  # type: ignore[assignment]
        if finder is not None:
            install(finder)
        seed_scores = score_folder(SEED_PATH.parent, SEED_GOLD)
        data_scores = score_folder(DATA, DATA)
        report[name] = {
            "seed_f1": {k: v["f1"] for k, v in seed_scores.items()},
            "tests_data_f1": {k: v["f1"] for k, v in data_scores.items()},
            "seed_docs_per_s": round(rate(seed, args.runs, args.seconds), 1),
        }
        if finder is not None:
            doc = Doc(seed)
            t0 = time.perf_counter()
            for _ in range(50):
                finder(doc)
            report[name]["candidate_scan_ms"] = round((time.perf_counter() - t0) / 50 * 1000, 3)
        else:
            doc = Doc(seed)
            t0 = time.perf_counter()
            for _ in range(50):
                regex_finder(doc)
            report[name]["candidate_scan_ms"] = round((time.perf_counter() - t0) / 50 * 1000, 3)
    E._match_gazetteer = original  # type: ignore[assignment]
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
