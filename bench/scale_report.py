"""Tables and a plot from bench/scale.py's measurements (bench/.cache/scale-N.json).

``write_report`` rewrites the section between the markers in docs/benchmarks.md (the
prose around it is kept) and draws docs/benchmarks-latency.png: the median latency of
every named query (HTTP) and page kind against the number of documents, log-log.
"""

from __future__ import annotations

import json
from pathlib import Path

BEGIN = "<!-- scale:begin (bench/scale.py --report writes this part) -->"
END = "<!-- scale:end -->"


def _load(cache: Path) -> list[dict]:  # type: ignore[type-arg]
    found = [json.loads(p.read_text(encoding="utf-8")) for p in cache.glob("scale-*.json")]
    return sorted(found, key=lambda r: r["docs"])


def _row(cells: list[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _ms(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def tables(results: list[dict]) -> str:  # type: ignore[type-arg]
    sizes = [f"{r['docs']:,} docs" for r in results]
    out = []
    out.append("### Ingest (`srkb ingest CORPUS`, extraction included)\n")
    out.append(_row(["figure", *sizes]))
    out.append(_row(["---"] * (len(sizes) + 1)))
    rows = [
        ("wall time (s)", lambda r: f"{r['ingest']['seconds']:,.0f}"),
        ("documents/s", lambda r: f"{r['ingest']['docs_per_s']:,.1f}"),
        ("quads", lambda r: f"{r['ingest']['quads']:,}"),
        ("quads/document", lambda r: f"{r['ingest']['quads_per_doc']:,.0f}"),
        ("quads/s", lambda r: f"{r['ingest']['quads_per_s']:,.0f}"),
        ("peak memory, all processes (MB)", lambda r: f"{r['ingest']['peak_tree_mb']:,.0f}"),
        ("peak memory, largest process (MB)", lambda r: f"{r['ingest']['peak_process_mb']:,.0f}"),
        ("store on disk (MB)", lambda r: f"{r['ingest']['store_mb']:,.0f}"),
        ("derived indexes on disk (MB)", lambda r: f"{r['ingest']['derived_mb']:,.0f}"),
        (
            "load average before / after",
            lambda r: f"{r['load_before'][0]:.1f} / {r['load_after'][0]:.1f}",
        ),
    ]
    out += [_row([name, *(f(r) for r in results)]) for name, f in rows]
    out.append("\n### Adding 100 documents to the store, dump, server\n")
    out.append(_row(["figure", *sizes]))
    out.append(_row(["---"] * (len(sizes) + 1)))
    rows = [
        ("`srkb ingest` of 100 more documents (s)", lambda r: f"{r['increment']['seconds']:.1f}"),
        (
            "of which extracting them alone (s)",
            lambda r: f"{r['increment']['extraction_only_s']:.1f}",
        ),
        ("`srkb dump --format nquads` (s)", lambda r: f"{r['dump']['seconds']:,.0f}"),
        ("dump peak memory (MB)", lambda r: f"{r['dump']['peak_tree_mb']:,.0f}"),
        ("dump size (MB)", lambda r: f"{r['dump']['size_mb']:,.0f}"),
        ("`srkb serve`: seconds until /healthz answers", lambda r: f"{r['serve']['ready_s']:.1f}"),
        (
            "server memory at rest, RSS summed over its processes (MB)",
            lambda r: _mb(r["serve"].get("rest_rss_mb", r["serve"].get("rest_mb"))),
        ),
        (
            "server memory at rest, PSS summed (shared pages once) (MB)",
            lambda r: _mb(r["serve"].get("rest_pss_mb")),
        ),
    ]
    out += [_row([name, *(f(r) for r in results)]) for name, f in rows]
    for title, key in (
        ("Named queries over HTTP, default limits (ms, p50 / p95)", "named_http"),
        ("Named queries, the CLI's query path (ms, p50 / p95)", "cli"),
        ("Pages over HTTP, the same page 20 times after a warm-up (ms, p50 / p95)", "pages"),
        (
            "Pages over HTTP, 20 different pages of each kind, each requested once: "
            "nothing memoised (ms, p50 / p95)",
            "pages_distinct",
        ),
    ):
        out.append(f"\n### {title}\n")
        out.append(_row(["", *sizes]))
        out.append(_row(["---"] * (len(sizes) + 1)))
        names = sorted({n for r in results for n in _section(r, key)})
        for name in names:
            cells = []
            for r in results:
                t = _section(r, key).get(name)
                cells.append(f"{_ms(t['p50_ms'])} / {_ms(t['p95_ms'])}" if t else "")
            out.append(_row([name, *cells]))
    return "\n".join(out) + "\n"


def _section(result: dict, key: str) -> dict:  # type: ignore[type-arg]
    return result["cli"] if key == "cli" else result["serve"].get(key, {})


def plot(results: list[dict], target: Path) -> None:  # type: ignore[type-arg]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    docs = [r["docs"] for r in results]
    fig, axes = plt.subplots(1, 2, figsize=(12, 5), sharey=True)
    for ax, key, title in (
        (axes[0], "named_http", "named queries over HTTP (p50)"),
        (axes[1], "pages", "pages over HTTP (p50)"),
    ):
        names = sorted({n for r in results for n in r["serve"][key]})
        for name in names:
            ys = [r["serve"][key].get(name, {}).get("p50_ms") for r in results]
            ax.plot(docs, ys, marker="o", label=name)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("documents in the store")
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    axes[0].set_ylabel("milliseconds")
    fig.tight_layout()
    fig.savefig(target, dpi=110)


def _mb(value: float | None) -> str:
    return "not measured" if value is None else f"{value:,.0f}"


def write_report(cache: Path, docs: Path) -> None:
    results = _load(cache)
    if not results:
        raise SystemExit(f"no measurements in {cache}: run bench/scale.py --docs N first")
    page = docs / "benchmarks.md"
    text = page.read_text(encoding="utf-8") if page.is_file() else f"{BEGIN}\n{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    page.write_text(f"{head}{BEGIN}\n{tables(results)}{END}{tail}", encoding="utf-8")
    plot(results, docs / "benchmarks-latency.png")
