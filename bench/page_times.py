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
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kb.config import Settings  # noqa: E402
from kb.corpus import InputText  # noqa: E402
from kb.ingest import ingest_texts  # noqa: E402
from kb.store import KnowledgeBase  # noqa: E402
from kb.version import software_version  # noqa: E402

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
    ingest_texts(
        kb, [InputText(p.name, p.read_text(encoding="utf-8")) for p in paths], base_iri=BASE
    )
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
        built_by = done.read_text(encoding="utf-8").split("extractor ", 1)[-1].strip()
        if built_by != software_version():
            print(
                f"  note: the cached store was built by extractor {built_by}, this is "
                f"{software_version()}; --rebuild to build it again",
                file=sys.stderr,
            )
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
    done.write_text(
        f"{n} texts, {report.triples_after} quads, extractor {software_version()}\n",
        encoding="utf-8",
    )
    return kb


def count(kb: KnowledgeBase, body: str) -> int:
    rows = list(kb.query("PREFIX srkb: <https://w3id.org/srkb/ontology#> " + body))
    return int(rows[0]["n"].value)


@dataclass
class PageTime:
    page: str
    url: str
    first_ms: float
    median_ms: float
    p95_ms: float
    size: int


def pages_of(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """The page kinds to time, with a representative (and heavy) example of each."""
    from kb.views import entity_view

    amn = entity_view(kb, BASE + "entity/al-masdar-news")
    assert amn is not None and amn.relayed and amn.judgements, "no Al-Masdar News data"
    claim = amn.relayed[0]
    local = lambda iri: "/" + iri.removeprefix(BASE)  # noqa: E731
    return [
        ("search: Daesh (alias)", "/search?q=Daesh"),
        ("search: almasdar (spelling)", "/search?q=almasdar"),
        ("search: words of claims", "/search?q=fighters+killed"),
        ("search JSON", "/search.json?q=almasdar"),
        ("actor: ISIS", "/entity/isis"),
        ("source: Al-Masdar News", "/entity/al-masdar-news"),
        ("source JSON twin", "/entity/al-masdar-news.json"),
        ("source Turtle twin", "/entity/al-masdar-news.ttl"),
        ("claim", local(claim.iri)),
        ("claim JSON twin", local(claim.iri) + ".json"),
        ("document: article", local(claim.document.iri)),
        ("document: comment", local(amn.judgements[0].comment.iri)),
        ("SPARQL editor", "/editor"),
    ]


def time_pages(kb: KnowledgeBase, repeat: int) -> tuple[float, list[PageTime]]:
    """Search index build time (s), and each page's times through the test client."""
    from kb.search import SearchIndex
    from server import create_app
    from server.lookup import SEARCH_INDEX_KEY

    app = create_app(Settings.from_env(environ={}, base_iri=BASE), kb=kb)
    started = time.perf_counter()
    app.extensions[SEARCH_INDEX_KEY] = SearchIndex.build(kb)
    index_s = time.perf_counter() - started
    client = app.test_client()
    client.get("/", headers=BROWSER)  # the release id and the summary, computed once per app
    out = []
    for name, url in pages_of(kb):
        t = time.perf_counter()
        resp = client.get(url, headers=BROWSER)
        first = (time.perf_counter() - t) * 1000
        assert resp.status_code == 200, (url, resp.status_code, resp.data[:200])
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            resp = client.get(url, headers=BROWSER)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, max(0, round(0.95 * len(times)) - 1))]
        out.append(PageTime(name, url, first, statistics.median(times), p95, len(resp.data)))
        print(
            f"  {name:<30} median {out[-1].median_ms:8.1f} ms  p95 {p95:8.1f} ms", file=sys.stderr
        )
    return index_s, out


def describe(kb: KnowledgeBase) -> dict[str, int]:
    return {
        "texts": count(
            kb, "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { GRAPH ?g { ?t a srkb:SourceText } }"
        ),
        "documents": count(
            kb, "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH ?g { ?d srkb:inSourceText ?t } }"
        ),
        "claims": count(
            kb, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH ?g { ?c a srkb:Claim } }"
        ),
        "judgements": count(
            kb, "SELECT (COUNT(DISTINCT ?j) AS ?n) WHERE { GRAPH ?g { ?j a srkb:SourceJudgement } }"
        ),
        "quads": kb.quad_count(),
    }


def machine() -> str:
    cores = os.cpu_count()
    mem = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        kib = int(meminfo.read_text().split()[1])
        mem = f", {kib / 2**20:.0f} GiB"
    cpu = platform.processor() or platform.machine()
    model = Path("/proc/cpuinfo")
    if model.is_file():
        for line in model.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{cpu}, {cores} cores{mem}, Python {platform.python_version()}, {platform.system()}"


def report(
    results: dict[str, tuple[dict[str, int], float, list[PageTime]]], repeat: int, n: int
) -> str:
    names = list(results)
    lines = [
        f"{SECTION} (`python bench/page_times.py --write`, {date.today().isoformat()})",
        "",
        f"Machine: {machine()}; other work may share the cores. Each page is requested "
        f"through Flask's test client (render time in the worker, no network, no gunicorn): "
        f"one first request, then {repeat} more for the median and p95. The search index is "
        "built once per app (`srkb serve` builds it in the background at start).",
        "",
    ]
    for name in names:
        info, index_s, _ = results[name]
        lines.append(
            f"- **{name}**: {info['texts']:,} texts, {info['documents']:,} documents "
            f"(articles and comments), {info['claims']:,} claims, {info['judgements']:,} "
            f"reader judgements, {info['quads']:,} quads; search index built in {index_s:.2f} s."
        )
    lines += [
        "",
        "| page | "
        + " | ".join(f"{n} first ms | {n} median ms | {n} p95 ms" for n in names)
        + " |",
        "|---|" + "---:|---:|---:|" * len(names),
    ]
    rows = {name: {t.page: t for t in results[name][2]} for name in names}
    for page in rows[names[0]]:
        cells = []
        for name in names:
            t = rows[name][page]
            cells.append(f"{t.first_ms:.1f} | {t.median_ms:.1f} | {t.p95_ms:.1f}")
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"The {n:,} texts are written from the project's own templates (bench/page_times.py): "
        "an article of three to five reporting lines (people, titles, outlets, armed groups, "
        "places) and one to four reader comments. The heavy pages are the popular ones: on "
        "the big store ISIS is named in thousands of documents and Al-Masdar News judged in "
        "over a thousand comments; their pages show the first 100 of each list with the "
        "totals (kb.views.LIST_LIMIT). Before kb/views.py read pages by index lookups, the "
        "same source page took minutes on this store: Oxigraph planned the label joins "
        "(`GRAPH ?g { ?x skos:prefLabel ?l }` with `?x` bound by another pattern) as scans.",
        "",
    ]
    return "\n".join(lines)


def write_section(text: str) -> None:
    current = RESULTS.read_text(encoding="utf-8")
    start = current.find(SECTION)
    if start >= 0:
        end = current.find("\n## ", start + len(SECTION))
        current = current[:start] + (current[end + 1 :] if end >= 0 else "")
    RESULTS.write_text(current.rstrip("\n") + "\n\n" + text, encoding="utf-8")


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
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        seed = build_seed(Path(tmp) / "seed")
        for name, kb in (("seed", seed), (f"{args.texts:,} texts", big)):
            print(f"{name}:", file=sys.stderr)
            info = describe(kb)
            index_s, times = time_pages(kb, args.repeat)
            results[name] = (info, index_s, times)
        seed.close()
    text = report(results, args.repeat, args.texts)
    print(text)
    if args.write:
        write_section(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
