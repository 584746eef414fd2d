"""The `srkb` command line: thin click commands over the kb functions.

Every command accepts ``--data DIR`` (or the SRKB_DATA variable) to choose the store.
Errors srkb expects (bad input, busy store, malformed query) print one line on stderr
and exit with status 1; usage errors exit with status 2, as click does.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__
from .config import Settings
from .errors import SRKBError

if TYPE_CHECKING:
    from .evidence import JudgementEvidence
    from .reliability import SourceRating
    from .store import KnowledgeBase

F = TypeVar("F", bound=Callable[..., Any])
PROGRESS_THRESHOLD = 5
DUMP_TRIES = 3  # a dump to a file that met a store file replaced by a writer beside it


def _fail(message: str) -> None:
    click.echo(f"srkb: error: {message}", err=True)
    sys.exit(1)


def handle_errors(func: F) -> F:
    """Turn srkb's own errors into one line on stderr and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SRKBError as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            _fail("interrupted")
        except OSError as exc:  # reading the store beside a writer; a full disk
            _fail(_os_error_message(exc))

    return wrapper  # type: ignore[return-value]  # functools.wraps keeps the signature


def _os_error_message(exc: OSError) -> str:
    """One line for an input/output error no srkb error wrapped (RocksDB's among them)."""
    from .store.oxigraph import store_changed

    changed = store_changed(exc)
    return str(changed) if changed is not None else f"[E300] input/output failed: {exc}"


def _remember(key: str) -> Any:
    def remember(ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
        if value is not None:
            ctx.ensure_object(dict)[key] = value
        return value

    return remember


def data_option(func: F) -> F:
    """The store options every command takes (--data, --store, --store-update); they
    override SRKB_DATA / SRKB_STORE / SRKB_STORE_UPDATE and the group's options."""
    func = click.option(
        "--store-update",
        "store_update",
        metavar="URL",
        default=None,
        expose_value=False,
        callback=_remember("store_update"),
        is_eager=True,
        help="Update endpoint of that SPARQL server (needed to write to it).",
    )(func)
    func = click.option(
        "--store",
        "store",
        metavar="URL",
        default=None,
        expose_value=False,
        callback=_remember("store"),
        is_eager=True,
        help="Keep the knowledge base in the SPARQL 1.1 server with this query endpoint "
        "(default: $SRKB_STORE, else the embedded store under --data).",
    )(func)
    return click.option(
        "--data",
        "data_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        expose_value=False,
        callback=_remember("data"),
        is_eager=True,
        help="Data directory of the store (default: $SRKB_DATA or ./srkb-data).",
    )(func)


def settings_from(ctx: click.Context) -> Settings:
    obj = ctx.ensure_object(dict)
    return Settings.from_env(
        data_dir=obj.get("data"), store=obj.get("store"), store_update=obj.get("store_update")
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="srkb")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@data_option
@click.pass_context
def main(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """srkb: a source-reliability knowledge base for conflict news and reader comments."""
    level = (
        logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    )
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    ctx.ensure_object(dict)


def _publish(kb: Any, settings: Settings, progress: Any = None) -> None:
    """End a write by publishing what it left, for running servers to switch to
    (kb.store.releases); nothing for a remote store, which servers read live."""
    from .store.releases import publish_if_changed

    if progress is not None and kb.backend.path is not None:
        progress.phase("publishing the release for running servers")
    publish_if_changed(kb, settings.data_dir, settings.base_iri)


# --------------------------------------------------------------------------- ingest
@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--batch",
    "batch_texts",
    type=click.IntRange(1, 100_000),
    default=250,
    show_default=True,
    help="Texts written per transaction (fewer: less memory).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where texts are extracted: worker processes here, or a Dask cluster.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="With --engine dask: the cluster's scheduler (tcp://host:8786); default: a local "
    "cluster of --workers processes.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 512),
    default=2,
    show_default=True,
    help="With --engine dask and no --scheduler: processes of the local cluster.",
)
@click.option(
    "--staging",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="With --engine dask: where workers write N-Quads partitions (a folder every "
    "worker sees; default: DATA/staging).",
)
@data_option
@click.pass_context
@handle_errors
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    batch_texts: int,
    engine: str,
    scheduler: str | None,
    workers: int,
    staging: Path | None,
) -> None:
    """Extract facts from texts and store them (files, folders, or - for stdin).

    A text is an article followed by its comments, one per line; a .json file (or JSON on
    stdin) in the document form (url, title, publisher, published, body, comments) is read
    with its structure.

    Every input is read and checked first: if one is missing, empty, binary or not
    UTF-8, nothing is written. Ingesting a text again changes nothing.
    """
    from .corpus import expand_paths
    from .progress import Progress

    settings = settings_from(ctx)
    names = expand_paths(paths)
    with Progress(len(names), "ingesting", enabled=len(names) >= PROGRESS_THRESHOLD) as progress:
        if engine == "dask":
            report = _ingest_on_cluster(
                settings, names, progress, scheduler, workers, staging, batch_texts
            )
        else:
            report = _ingest_here(settings, names, progress, batch_texts)
    click.echo(f"{report.summary()} in {settings.data_dir}")


def _ingest_here(settings: Settings, names: list[str], progress: Any, batch_texts: int) -> Any:
    from .corpus import InputLimits, read_input
    from .ingest import ingest_texts, plan_texts, pool_size
    from .ingest_workers import WorkerPool
    from .store import KnowledgeBase

    limits = InputLimits.from_settings(settings)
    # stdin is read here; files are read by the extraction workers, every one of them
    # (and checked) before the store is opened, so a bad input leaves nothing behind
    sources = [read_input(n, limits) if n == "-" else n for n in names]
    with WorkerPool(pool_size(len(sources))) as pool:
        progress.phase(f"reading and checking {len(sources)} inputs")
        planned = plan_texts(sources, settings.base_iri, pool)
        with KnowledgeBase.from_settings(settings) as kb:
            report = ingest_texts(
                kb,
                sources,
                base_iri=settings.base_iri,
                pool=pool,
                planned=planned,
                batch_texts=batch_texts,
                progress=progress.step,
                phase=progress.phase,
            )
            _publish(kb, settings, progress)
    return report


def _ingest_on_cluster(
    settings: Settings,
    names: list[str],
    progress: Any,
    scheduler: str | None,
    workers: int,
    staging: Path | None,
    batch_texts: int,
) -> Any:
    import os
    import time

    from . import cluster
    from .errors import InputError
    from .ingest import ingest_built
    from .store import KnowledgeBase

    if "-" in names:
        raise InputError("--engine dask reads files and folders, not stdin")
    folder = staging or Path(settings.data_dir) / "staging"
    run = folder / f"{os.getpid()}-{time.time_ns()}"
    where = scheduler or f"a local cluster of {workers} processes"
    progress.phase(f"extracting {len(names)} inputs on {where}")
    try:
        parts = cluster.run_on_cluster(
            names, run, base_iri=settings.base_iri, scheduler=scheduler, workers=workers
        )
        progress.phase(f"loading {len(parts)} partitions into the store")
        with KnowledgeBase.from_settings(settings) as kb:
            report = ingest_built(
                kb,
                cluster.plans(parts),
                cluster.read_built(parts),
                base_iri=settings.base_iri,
                batch_texts=batch_texts,
                progress=progress.step,
                phase=progress.phase,
            )
            _publish(kb, settings, progress)
    finally:
        cluster.remove_staging(run)
    return report


@main.command()
@data_option
@click.pass_context
@handle_errors
def rebuild(ctx: click.Context) -> None:
    """Derive the ratings, shared entity descriptions and indexes again from the texts.

    Every command that writes finishes first what an interrupted one left undone; this
    throws all derived data away and computes it again (same result, minutes on a large
    store).
    """
    from .derived import rebuild as rebuild_derived
    from .ingest import ensure_reference_graphs
    from .store import KnowledgeBase

    settings = settings_from(ctx)
    with KnowledgeBase.from_settings(settings, create=False) as kb:
        ensure_reference_graphs(kb, settings.base_iri)  # this srkb's ontology and gazetteer
        report = rebuild_derived(kb, base_iri=settings.base_iri)
        kb.flush()
        _publish(kb, settings)
    click.echo(report.summary())


# --------------------------------------------------------------------------- texts
@main.command()
@click.argument("refs", nargs=-1, required=True)
@data_option
@click.pass_context
@handle_errors
def remove(ctx: click.Context, refs: tuple[str, ...]) -> None:
    """Remove ingested texts (by id, IRI or file name) and recompute the ratings.

    Every reference is resolved first: if one matches nothing, nothing is removed.
    """
    from .ingest import remove_texts
    from .store import KnowledgeBase

    settings = settings_from(ctx)
    with KnowledgeBase.from_settings(settings, create=False) as kb:
        removed = remove_texts(kb, refs, base_iri=settings.base_iri)
        remaining = kb.quad_count()
        _publish(kb, settings)
    click.echo(f"removed {len(removed)} text(s): {', '.join(removed)}; {remaining} quads remain")


@main.command()
@data_option
@click.pass_context
@handle_errors
def texts(ctx: click.Context) -> None:
    """List the ingested texts: id, file name, claims, judgements, extractor version."""
    from .query import format_table
    from .store.reading import read_store
    from .text_list import list_texts

    rows = read_store(
        settings_from(ctx),
        lambda kb: [
            [t.text_id, t.name, str(t.claims), str(t.judgements), t.version] for t in list_texts(kb)
        ],
    )
    click.echo(format_table(["id", "file", "claims", "judgements", "extractor"], rows), nl=False)


@main.command()
@data_option
@click.pass_context
@handle_errors
def validate(ctx: click.Context) -> None:
    """Check the store against the SHACL shapes in ontology/shapes.ttl (exit 1 if not).

    The store is validated a few texts at a time, in worker processes: its memory stays
    bounded whatever the store's size (docs/benchmarks.md gives the time it takes).
    """
    from .progress import Progress
    from .store import KnowledgeBase
    from .validate import Parts, validate_kb

    settings = settings_from(ctx)
    with KnowledgeBase.from_settings(settings, read_only=True) as kb:
        parts = Parts.of(kb)
        with Progress(len(parts), "validating parts", enabled=len(parts) > 2) as progress:
            result = validate_kb(kb, parts=parts, on_part=progress.step)
    if result.conforms:
        click.echo("the knowledge base conforms to the srkb shapes")
        return
    click.echo(result.text, err=True)
    _fail(f"{result.violations} shape violation(s)")


# --------------------------------------------------------------------------- ratings
RATING_EVIDENCE_SHOWN = 20  # pieces of evidence of each kind `srkb rating` lists


@main.command()
@click.argument("source")
@click.option("--topic", help="Only evidence whose words include this (e.g. casualties).")
@click.option("--about", "about", metavar="ACTOR", help="Only claims about this actor.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Only evidence dated by then.")
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=RATING_EVIDENCE_SHOWN,
    show_default=True,
    help="Pieces of evidence of each kind listed (0: all of them).",
)
@data_option
@click.pass_context
@handle_errors
def rating(
    ctx: click.Context,
    source: str,
    topic: str | None,
    about: str | None,
    as_of: str | None,
    limit: int,
) -> None:
    """A source's Admiralty reliability grade and the evidence behind it.

    Without options this is the stored rating, read for this source alone. --topic and
    --about count only part of that source's evidence; --as-of computes the ratings afresh
    from the evidence dated by then, which reads every text (minutes in a store of
    100,000 texts).
    """
    from datetime import date

    from .agent_names import resolve_agent
    from .derived import stored_base_iri
    from .errors import InputError
    from .reliability import Scope, compute_ratings, ratings_graph_iri
    from .store.reading import read_store
    from .stored_rating import claim_index_of, stored_source_rating

    if as_of:
        try:
            date.fromisoformat(as_of)
        except ValueError:
            raise click.BadParameter(
                "use an ISO date, e.g. 2018-04-30", param_hint="--as-of"
            ) from None
    shown = limit or None

    def read(kb: KnowledgeBase) -> tuple[list[tuple[str, str]], Scope | None, dict[str, Any]]:
        agents = resolve_agent(kb, source)
        if not agents:
            raise InputError(f"{source}: no actor or source has this name, alias or domain")
        about_iri = None
        if about:
            found = resolve_agent(kb, about)
            if not found:
                raise InputError(f"{about}: no actor has this name, alias or domain")
            about_iri = found[0][0]
        scope = Scope(topic, about_iri, as_of) if (topic or about or as_of) else None
        index = claim_index_of(kb)
        base = stored_base_iri(kb)
        rated: dict[str, SourceRating | None] = {}
        if not as_of and index is not None and base is not None:
            for iri, _label in agents:
                rated[iri] = stored_source_rating(
                    kb, index, iri, ratings_graph_iri(base), judgements_shown=shown, scope=scope
                )
        else:  # computed afresh: as of a date, or a store without a claim index of its own
            sources = compute_ratings(kb, scope=scope).sources
            rated = {iri: sources.get(iri) for iri, _label in agents}
        return agents, scope, rated

    agents, scope, rated = read_store(settings_from(ctx), read)
    described = scope.describe() if scope else "all evidence"
    for iri, label in agents:
        _echo_rating(label, rated[iri], described, bool(as_of), shown)


def _echo_rating(
    label: str, sr: SourceRating | None, described: str, dated: bool, shown: int | None
) -> None:
    """One source's grade, why, and its evidence (``shown`` pieces of each kind)."""
    from .reliability import not_enough

    if sr is None:
        click.echo(f"{label}: {not_enough(0)} ({described})")
        return
    profile = "" if sr.grade == "F" else f"{sr.profile} evidence; "
    click.echo(f"{label}: {sr.label} ({profile}{described})")
    click.echo(f"  {sr.explanation(label)}")
    for p in sr.priors:
        weight = "" if sr.params.trust_of(p) is not None else " (no weight)"
        note = f": {p.note}" if p.note else ""
        click.echo(f"  * prior assessment {p.describe()}{weight}{note}")
    undated = sum(1 for j in sr.judgements if j.date is None)
    if dated and undated:
        click.echo(f"  ({undated} undated judgement(s) counted: their date is unknown)")
    supporting = [f"  + corroborated claim {c}" for c in sr.supporting_claims]
    undermining = [f"  - contradicted claim {c}" for c in sr.undermining_claims]
    lists = (
        ("judgement", sr.counts.judgements, [_judgement_line(j) for j in sr.judgements]),
        ("corroborated claim", len(supporting), supporting),
        ("contradicted claim", len(undermining), undermining),
    )
    for kind, total, lines in lists:
        for line in lines[:shown]:
            click.echo(line)
        if shown is not None and total > shown:
            click.echo(f"  ... and {total - shown} more {kind}(s) (--limit 0 lists them all)")


def _judgement_line(j: JudgementEvidence) -> str:
    quote = " ".join(j.text.split())
    quote = quote if len(quote) <= 90 else quote[:89] + "…"
    return f"  - {j.polarity:8s} {j.cue!r}: {quote}"


@main.group()
def priors() -> None:
    """Analysts' prior assessments of sources: load, list and remove them.

    A prior file (CSV or Turtle; see `srkb priors load --help`) gives sources an
    Admiralty grade or a trust value, with who assessed them and when. Each assessment
    enters the source's rating as evidence of its weight (default 16), beside readers'
    judgements and the source's track record, and every explanation shows it.
    """


@priors.command("load")
@click.argument("file")
@data_option
@click.pass_context
@handle_errors
def priors_load(ctx: click.Context, file: str) -> None:
    """Load a file of prior assessments (.csv or .ttl) and re-rate the sources it names.

    CSV columns (header row, any order): source (name, alias, domain or IRI), grade (A-F)
    or trust (0 to 1), assessor, assessed (ISO date), and optionally weight (default 16)
    and note. Turtle: srkb:PriorAssessment resources (srkb:assessedSource or
    srkb:sourceName, srkb:assessedGrade or srkb:trustValue, prov:wasAttributedTo,
    dcterms:date, srkb:evidenceWeight). Loading a file of the same name again replaces it.
    """
    from .derived import finish_pending
    from .ingest import ensure_reference_graphs
    from .prior_graphs import load_prior_file
    from .priors import read_prior_file
    from .store import KnowledgeBase
    from .version import software_version

    data = read_prior_file(file)  # checked whole before the store is opened
    settings = settings_from(ctx)
    with KnowledgeBase.from_settings(settings) as kb:
        ensure_reference_graphs(kb, settings.base_iri)
        finish_pending(kb, base_iri=settings.base_iri)
        report = load_prior_file(kb, data, base_iri=settings.base_iri, version=software_version())
        derived = finish_pending(kb, base_iri=settings.base_iri)
        kb.flush()
        _publish(kb, settings)
    rated = "" if report.unchanged else f"; {derived.sources} source rating(s) recomputed"
    click.echo(report.summary() + rated)


@priors.command("remove")
@click.argument("refs", nargs=-1, required=True)
@data_option
@click.pass_context
@handle_errors
def priors_remove(ctx: click.Context, refs: tuple[str, ...]) -> None:
    """Remove loaded prior files (by id, graph IRI or file name) and re-rate their sources."""
    from .derived import finish_pending
    from .prior_graphs import mark_prior_files_removed
    from .store import KnowledgeBase

    settings = settings_from(ctx)
    with KnowledgeBase.from_settings(settings, create=False) as kb:
        finish_pending(kb, base_iri=settings.base_iri)
        removed = mark_prior_files_removed(kb, refs, settings.base_iri)
        derived = finish_pending(kb, base_iri=settings.base_iri)
        kb.flush()
        _publish(kb, settings)
    click.echo(
        f"removed {len(removed)} prior file(s): {', '.join(removed)}; "
        f"{derived.sources} source rating(s) recomputed"
    )


@priors.command("list")
@data_option
@click.pass_context
@handle_errors
def priors_list(ctx: click.Context) -> None:
    """List the loaded prior assessments: file, source, grade or trust, weight, who, when."""
    from .prior_graphs import all_priors, source_labels
    from .query import format_table
    from .store import KnowledgeBase

    settings = settings_from(ctx)
    with KnowledgeBase.from_settings(settings, read_only=True) as kb:
        found = all_priors(kb)
        labels = source_labels(kb, {p.source for p in found})
    rows = [
        [
            p.graph.rsplit("/", 1)[-1],
            p.file,
            labels.get(p.source) or p.source_name or p.source,
            p.grade or "",
            "" if p.trust is None else str(p.trust),
            str(p.weight),
            p.assessor_name,
            p.date,
        ]
        for p in found
    ]
    columns = ["id", "file", "source", "grade", "trust", "weight", "assessor", "assessed"]
    click.echo(format_table(columns, rows), nl=False)


# --------------------------------------------------------------------------- extract
@main.command()
@click.argument("file")
@click.option("--json", "as_json", is_flag=True, help="Print the extraction JSON (scorer format).")
@data_option
@handle_errors
def extract(file: str, as_json: bool) -> None:
    """Show what srkb reads out of FILE, without touching the store."""
    from .corpus import InputLimits, read_input
    from .extract import to_score_json
    from .ingest import extract_input

    item = read_input(file, InputLimits.from_settings(Settings.from_env()))
    result = extract_input(item)
    if as_json:
        click.echo(json.dumps(to_score_json(result), ensure_ascii=False, indent=1))
        return
    names = {e.key: e.name for e in result.entities}
    comments = sum(1 for s in result.segments if s.kind == "comment")
    click.echo(f"{item.name}: article + {comments} comment(s)")
    click.echo(f"actors/sources: {', '.join(e.name for e in result.entities if not e.unnamed)}")
    for c in result.claims:
        who = names.get(c.speaker or "", "-")
        via = names.get(c.via or "", "-")
        click.echo(
            f"claim [{c.span.start}:{c.span.end}] {who} via {via} ({c.cue.text}): {c.content.text}"
        )
    for j in result.judgements:
        click.echo(
            f"judgement [{j.span.start}:{j.span.end}] {names[j.source]} {j.polarity}: {j.cue.text}"
        )


# --------------------------------------------------------------------------- query
_QUERY_FORMATS = ("table", "json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld")


@main.command()
@click.argument("sparql", required=False)
@click.option("--endpoint", metavar="URL", help="Ask a remote SPARQL endpoint (via SPARQLWrapper).")
@click.option("--named", metavar="NAME", help="Run a named provenance query (see `srkb queries`).")
@click.option(
    "--param", "params", multiple=True, metavar="KEY=VALUE", help="Named query parameter."
)
@click.option(
    "--format", "fmt", type=click.Choice(_QUERY_FORMATS), default="table", show_default=True
)
@click.option("--columns", metavar="A,B", help="Show only these result columns (table format).")
@data_option
@click.pass_context
@handle_errors
def query(
    ctx: click.Context,
    sparql: str | None,
    endpoint: str | None,
    named: str | None,
    params: tuple[str, ...],
    fmt: str,
    columns: str | None,
) -> None:
    """Run a SPARQL query on the local store, or on --endpoint URL.

    SPARQL may be the query text, @FILE to read it from a file, or - for stdin. With
    --named NAME, a named provenance query runs instead, its parameters given with
    --param KEY=VALUE.
    """
    from .named_queries import (
        MissingParameterError,
        bind,
        get_named_query,
        parse_param_options,
    )
    from .query import query_endpoint, query_local

    if named:
        if sparql:
            raise click.UsageError("give either a SPARQL query or --named NAME, not both")
        try:
            text = bind(get_named_query(named), parse_param_options(params))
        except MissingParameterError as exc:
            raise exc.for_cli() from None
    elif sparql:
        if params:
            raise click.UsageError("--param goes with --named")
        text = _read_query_arg(sparql)
    else:
        raise click.UsageError("give a SPARQL query (text, @FILE or -) or --named NAME")
    picked = [c.strip().lstrip("?") for c in columns.split(",") if c.strip()] if columns else None
    if endpoint:
        if picked:
            raise click.UsageError("--columns works on the local store only")
        out = query_endpoint(endpoint, text, fmt)
    else:
        out = query_local(settings_from(ctx), text, fmt, picked)
    click.echo(out, nl=not out.endswith("\n"))


@main.command()
def queries() -> None:
    """List the named provenance queries and their parameters."""
    from .named_queries import named_queries

    for q in named_queries().values():
        click.echo(f"{q.name}: {q.title}")
        click.echo(f"    {q.description}")
        for p in q.params:
            need = "required" if p.required else "optional"
            click.echo(f"    --param {p.name}=...  ({need}) {p.description}")


def _read_query_arg(arg: str) -> str:
    from .errors import InputError

    if arg == "-":
        return sys.stdin.read()
    if arg.startswith("@"):
        path = Path(arg[1:])
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot read the query file ({exc})") from exc
    return arg


# --------------------------------------------------------------------------- dump
@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "trig", "nquads", "ntriples", "jsonld"]),
    default="trig",
    show_default=True,
)
@click.option(
    "--void",
    "void",
    is_flag=True,
    help="Write the VoID and release description instead (release id = SHA-256 of the "
    "N-Quads dump, counts, ontology and extractor versions, time).",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write."
)
@data_option
@click.pass_context
@handle_errors
def dump(ctx: click.Context, fmt: str, void: bool, output: Path | None) -> None:
    """Write the whole knowledge base as RDF (deterministic: same content, same bytes).

    With --void, write what `srkb serve` publishes at /dumps/latest.void.ttl: the VoID
    description of this content as a release (its id is the SHA-256 of
    `srkb dump --format nquads`).
    """
    from .store.reading import read_store

    settings = settings_from(ctx)
    # A dump to a file is written aside: one that met a file an ingest beside it replaced
    # is written again from a fresh open; a dump to stdout cannot take back what it wrote.
    tries = DUMP_TRIES if output is not None else 1
    what = read_store(settings, lambda kb: _dump_once(kb, settings, fmt, void, output), tries)
    if output is not None:
        size = output.stat().st_size
        click.echo(f"wrote {size} bytes of {what} to {output}", err=True)


def _dump_once(
    kb: KnowledgeBase, settings: Settings, fmt: str, void: bool, output: Path | None
) -> str:
    """Write the dump (or its VoID description) once; returns what was written."""
    from .dump import write_dump
    from .release import describe_release, void_turtle

    if void:
        release = describe_release(kb)
        data = void_turtle(release, settings.base_iri)
        what = f"the VoID description of release {release.id}"
        if output is None:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            _write_output(output, lambda out: out.write(data))
        return what
    if output is None:
        write_dump(kb, fmt, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        _write_output(output, lambda out: write_dump(kb, fmt, out))
    return fmt


def _write_output(output: Path, write: Callable[[Any], object]) -> None:
    """Write a file aside and rename it into place, or a one-line error."""
    from .errors import InputError
    from .store.oxigraph import store_changed

    tmp = output.with_name(output.name + ".part")
    try:
        with tmp.open("wb") as out:
            write(out)
        tmp.replace(output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        changed = store_changed(exc)  # reading the store failed, not writing the file
        if changed is not None:
            raise changed from exc
        raise InputError(f"{output}: cannot write the dump ({exc.strerror})") from exc


# --------------------------------------------------------------------------- serve
@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--threads",
    default=64,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Request threads per worker: enough for every open connection, so that requests wait "
    "for their turn in order of expected cost (SRKB_ACTIVE_REQUESTS), not in arrival order.",
)
@data_option
@click.pass_context
@handle_errors
def serve(ctx: click.Context, host: str, port: int, workers: int, threads: int) -> None:
    """Serve the SPARQL endpoint, Linked Data pages and dumps (gunicorn, production WSGI).

    Each worker runs client queries in SRKB_QUERY_PROCESSES killable processes, each
    query limited to SRKB_QUERY_TIMEOUT_S seconds.
    """
    from server.run import serve as run_server

    run_server(settings_from(ctx), host=host, port=port, workers=workers, threads=threads)


if __name__ == "__main__":  # pragma: no cover
    main()
