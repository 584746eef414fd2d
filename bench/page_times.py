"""Benchmark: how long each web page takes to serve, on the seed and on 10,000 texts.

Two knowledge bases:

* **seed**: the user's seed article with its reader comments plus ``examples/`` (what
  ``bash scripts/run.sh`` serves);
* **big**: ``--texts`` (default 10,000) news texts, each an article with a few reader
  comments, written from the project's own templates (people, titles, outlets, armed
  groups, places, reporting frames and reader verdicts) and run through the real
  extractor, RDF builder and ratings (``kb.ingest.ingest_texts`` in batches). Building it
  takes minutes, so the store is cached under ``bench/.cache/`` (gitignored) and reused;
  ``--rebuild`` makes it again.

For each, the app is created in-process (``server.create_app(kb=...)``; Flask's test
client, so the figures are render times without network or gunicorn) and each page kind
is requested ``--repeat`` times after one warm-up request: search, actor, source, claim,
document (article and comment), the SPARQL editor, and the ``.json`` twins. The search
index is built on the first search; its build time is reported on its own. Results
(median and p95 per page) are printed and, with ``--write``, put in bench/RESULTS.md
under "Page times" (replacing that section, keeping the others).

    python bench/page_times.py --write
"""

from __future__ import annotations

import argparse
import platform
import random
import shutil
import statistics
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kb.config import Settings  # noqa: E402
from kb.corpus import InputText  # noqa: E402
from kb.ingest import ingest_texts  # noqa: E402
from kb.store import KnowledgeBase  # noqa: E402

BASE = "http://bench.example/"
CACHE = ROOT / "bench" / ".cache"
SEED = ROOT.parent / "shared" / "corpus" / "seed-article-comments.txt"
RESULTS = ROOT / "bench" / "RESULTS.md"
SECTION = "## Page times"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}

# --------------------------------------------------------------------------- texts
FIRST = (
    "Rojhat Salim Olena Yusuf Nadia Tomas Mariam Ivan Karim Leyla Omar Hana Bashir Dilan "
    "Farid Samira Anton Yara Khalid Rania Mustafa Zeynep Aras Nour"
).split()
LAST = (
    "Amed Haddad Kravets Karim Rahman Weller Saleh Petrenko Mansour Demir Khoury Osman "
    "Yilmaz Aziz Nasser Hamdan Barzani Jaber Suleiman Darwish Qasim Hussein Farouk Zaki"
).split()
TITLES = (
    "spokesman",
    "commander",
    "co-chair of the local council",
    "deputy minister",
    "field commander",
    "military spokesman",
)
SOURCES = (
    "Reuters",
    "AFP",
    "Al-Masdar News",
    "SANA",
    "Rudaw",
    "the Associated Press",
    "Enab Baladi",
    "Hawar News Agency",
    "Anadolu Agency",
    "Al Jazeera",
    "the BBC",
    "the Syrian Observatory for Human Rights",
)
ACTORS = (
    "the SDF",
    "ISIS",
    "the Syrian Arab Army",
    "the PMU",
    "Turkish forces",
    "the IDF",
    "Hezbollah",
    "the Houthis",
    "Russian forces",
    "Ukrainian troops",
)
# Place names are made of syllables (thousands of them), so that claims about the same
# place are few, as in real news; the actions are few and frequent. kb.reliability pairs
# claims through the content words they share, skipping words shared by more than 2,000
# claims: a small vocabulary of mid-frequency words would make millions of pairs.
SYLLABLES = (
    "ka ra mi sha dun bel tor qa zan hir mal sul ba de fa ji lo nu wa ye kur han sel dor"
).split()
ACTIONS = (
    "shelled",
    "captured",
    "attacked",
    "surrounded",
    "bombed",
    "reinforced",
)
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = "January February March April May June July August September October".split()
COMMENTS = (
    "I read {s} every day and it is a reliable source.",
    "{s} is pure propaganda, don't trust it.",
    "Why would {a} do that near {p}?",
    "I think you are wrong about {p}, mate.",
    "Good article, thanks.",
    "{s} lies about casualties but is good on territory.",
    "{s} has been accurate on {p} so far.",
    "Has anyone seen footage from {p}?",
    "{s} is a mouthpiece, nothing more.",
)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _place(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()


def synthetic_text(rng: random.Random, i: int) -> str:
    """One news text: a headline, three to five reporting lines, one to four comments."""

    def person() -> str:
        return f"{rng.choice(TITLES)} {rng.choice(FIRST)} {rng.choice(LAST)}"

    a1, a2 = rng.sample(ACTORS, 2)
    place = _place(rng)
    lines = [f"{_cap(a1)} and {a2} clash near {place} (report {i})"]
    frames = [
        lambda: (
            f"On {rng.choice(MONTHS)} {rng.randint(1, 28)}, {person()} told "
            f"{rng.choice(SOURCES)} that {rng.choice(ACTORS)} {rng.choice(ACTIONS)} "
            f"{_place(rng)} and {rng.randint(100, 900)} fighters were killed."
        ),
        lambda: (
            f"{_cap(rng.choice(ACTORS))} {rng.choice(ACTIONS)} {_place(rng)}, "
            f"according to {rng.choice(SOURCES)}."
        ),
        lambda: (
            f"{_cap(rng.choice(SOURCES))} reported on {rng.choice(WEEKDAYS)} that "
            f"{rng.choice(ACTORS)} {rng.choice(ACTIONS)} {_place(rng)}."
        ),
        lambda: (
            f"Local sources said that {rng.randint(100, 3000)} civilians fled {_place(rng)} "
            f"after {rng.choice(ACTORS)} {rng.choice(ACTIONS)} it."
        ),
        lambda: f"{_cap(rng.choice(ACTORS))} did not comment on {place}.",
    ]
    for frame in rng.sample(frames, rng.randint(3, 5)):
        lines.append(frame())
    for _ in range(rng.randint(1, 4)):
        lines.append(
            rng.choice(COMMENTS).format(
                s=rng.choice(SOURCES).removeprefix("the "), a=rng.choice(ACTORS), p=place
            )
        )
    return "\n".join(lines) + "\n"


def synthetic_texts(n: int, seed: int = 7) -> Iterator[InputText]:
    rng = random.Random(seed)
    for i in range(n):
        yield InputText(f"bench-{i:05d}.txt", synthetic_text(rng, i))


# --------------------------------------------------------------------------- stores
def build_seed(path: Path) -> KnowledgeBase:
    kb = KnowledgeBase.open(path)
    paths = [SEED, *sorted((ROOT / "examples").glob("*.txt"))]
    ingest_texts(kb, [InputText(p.name, p.read_text(encoding="utf-8")) for p in paths], base_iri=BASE)
    return kb


def build_big(n: int, *, rebuild: bool) -> KnowledgeBase:
    """The cached store of ``n`` synthetic texts, built once (minutes) and reused.

    One ``ingest_texts`` call over a generator: each text is written in its own
    transaction as it comes, and the ratings (which every call recomputes over the whole
    store) are computed once at the end.
    """
    path = CACHE / f"kb-{n}"
    done = path / "COMPLETE"
    if rebuild or (path.exists() and not done.is_file()):
        shutil.rmtree(path, ignore_errors=True)
    if done.is_file():
        return KnowledgeBase.open(path)
    path.mkdir(parents=True, exist_ok=True)
    kb = KnowledgeBase.open(path)
    started = time.perf_counter()
    seen = 0

    def progress(_item: InputText) -> None:
        nonlocal seen
        seen += 1
        if seen % 1000 == 0:
            print(f"  {seen:>6} texts, {time.perf_counter() - started:.0f} s", file=sys.stderr)

    report = ingest_texts(kb, synthetic_texts(n), base_iri=BASE, progress=progress)
    print(
        f"  built: {report.triples_after:,} quads in {time.perf_counter() - started:.0f} s "
        "(ratings included)",
        file=sys.stderr,
    )
    done.write_text(f"{n} texts, {report.triples_after} quads\n", encoding="utf-8")
    return kb


def count(kb: KnowledgeBase, body: str) -> int:
    rows = list(kb.query("PREFIX srkb: <https://w3id.org/srkb/ontology#> " + body))
    return int(rows[0]["n"].value)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--texts", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--rebuild", action="store_true", help="rebuild the cached big store")
    ap.add_argument("--build-only", action="store_true")
    ap.add_argument("--write", action="store_true", help="write the section in bench/RESULTS.md")
    args = ap.parse_args()
    t = time.perf_counter()
    big = build_big(args.texts, rebuild=args.rebuild)
    print(f"big store ready in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    if args.build_only:
        return 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
