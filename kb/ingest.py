"""Ingesting texts: extract, build each text's named graph, write it in one transaction,
then recompute the ratings graph that derives from all texts.

Ingesting is idempotent. A text's IRIs derive from its content hash, and its extraction
activity's IRI from that hash and the extractor version, so a text that this extractor
version already ingested is skipped and the store does not change at all. A new
extractor version replaces the text's graph atomically.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyoxigraph as ox
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from ontology import ONTOLOGY_PATH

from .build import build_text_graph
from .corpus import InputText
from .errors import ExtractionError, InputError, SRKBError, StoreError
from .extract import extract_document, extract_strict
from .extract.jsondoc import assembled_text
from .extract.model import Extraction
from .gazetteer import gazetteer_turtle_for_base
from .iri import IriMinter, content_hash
from .reliability import ratings_graph_iri, recompute_ratings
from .store import KnowledgeBase, rdflib_to_quads
from .version import software_version
from .vocab import SRKB, VOID

logger = logging.getLogger(__name__)


@dataclass
class IngestReport:
    """What an ingest run did, text by text."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    triples_before: int = 0
    triples_after: int = 0

    def summary(self) -> str:
        return (
            f"ingested {len(self.added)} text(s), {len(self.unchanged)} unchanged; "
            f"the store holds {self.triples_after} quads "
            f"({self.triples_after - self.triples_before:+d})"
        )


def _reference_graphs(base_iri: str) -> dict[str, list[ox.Quad]]:
    """Ontology, gazetteer and the dataset description, as quads under ``base_iri``."""
    mint = IriMinter(base_iri)
    ontology = Graph()
    ontology.parse(ONTOLOGY_PATH, format="turtle")
    meta = Graph()
    dataset = URIRef(mint.base)
    meta.add((dataset, RDF.type, VOID.Dataset))
    meta.add((dataset, VOID.uriSpace, Literal(mint.base)))
    meta.add((dataset, VOID.vocabulary, URIRef(str(SRKB._NS))))
    meta.add((dataset, DCTERMS.title, Literal("srkb knowledge base")))
    return {
        str(mint.ontology_graph()): rdflib_to_quads(ontology, str(mint.ontology_graph())),
        str(mint.gazetteer_graph()): rdflib_to_quads(
            gazetteer_turtle_for_base(mint.base), str(mint.gazetteer_graph())
        ),
        str(mint.meta_graph()): rdflib_to_quads(meta, str(mint.meta_graph())),
    }


def _stored_text(item: InputText) -> str:
    """The text the knowledge base keeps: as read, or assembled from a JSON document's fields
    (computed without extracting, so an unchanged document is skipped cheaply)."""
    if item.document is None:
        return item.text
    return assembled_text(item.document)


def check_base_iri(kb: KnowledgeBase, base_iri: str) -> None:
    """Refuse to mix IRIs of two bases in one store."""
    rows = kb.query(
        f"SELECT ?space WHERE {{ GRAPH ?g {{ ?d a <{VOID.Dataset}> ; <{VOID.uriSpace}> ?space }} }}"
    )
    spaces = {r["space"].value for r in rows}
    if spaces and base_iri not in spaces:
        raise StoreError(
            f"this store's IRIs are under {sorted(spaces)[0]}, not {base_iri}; "
            "use the same SRKB_BASE_IRI or a fresh --data directory"
        )


def ensure_reference_graphs(kb: KnowledgeBase, base_iri: str) -> None:
    """Write the ontology, gazetteer and dataset description if they differ from the files."""
    check_base_iri(kb, base_iri)
    wanted = _reference_graphs(base_iri)
    stale = {}
    for graph_iri, quads in wanted.items():
        have = set(kb.quads(graph_iri))
        if have != set(quads):
            stale[graph_iri] = quads
    if stale:
        kb.replace_graphs(stale)


def extract_input(item: InputText) -> Extraction:
    """Extract from a plain text or a JSON document; a pipeline failure is an ExtractionError."""
    try:
        if item.document is not None:
            extraction = extract_document(item.document)
        else:
            extraction = extract_strict(item.text)
    except SRKBError:
        raise
    except Exception as exc:  # a bug in a pipeline stage: report it, do not store a guess
        logger.exception("extraction failed on %s", item.name)
        raise ExtractionError(
            f"{item.name}: extraction failed ({type(exc).__name__}: {exc})"
        ) from exc
    if "error" in extraction.metadata:
        raise ExtractionError(f"{item.name}: extraction failed ({extraction.metadata['error']})")
    return extraction


def ingest_texts(
    kb: KnowledgeBase,
    texts: Iterable[InputText],
    *,
    base_iri: str,
    progress: Callable[[InputText], None] | None = None,
) -> IngestReport:
    """Extract and store each text; skip texts this extractor version already holds."""
    report = IngestReport(triples_before=kb.quad_count())
    ensure_reference_graphs(kb, base_iri)
    mint = IriMinter(base_iri)
    version = software_version()
    for item in texts:
        text_id = mint.text_id(content_hash(_stored_text(item)))
        graph_iri = str(mint.text_graph(text_id))
        activity = mint.activity(text_id, version)
        if kb.has_graph(graph_iri) and kb.ask(
            f"ASK {{ GRAPH <{graph_iri}> {{ <{activity}> a <{SRKB.ExtractionActivity}> }} }}"
        ):
            report.unchanged.append(item.name)
        else:
            try:
                extraction = extract_input(item)
            except ExtractionError as exc:
                raise ExtractionError(
                    f"{exc.message}; nothing of this text was stored "
                    f"({len(report.added)} earlier text(s) were)"
                ) from exc
            built = build_text_graph(
                extraction,
                base_iri=base_iri,
                source_name=item.name,
                version=version,
                when=datetime.now(UTC).replace(microsecond=0),
            )
            kb.replace_graph(graph_iri, rdflib_to_quads(built.graph, graph_iri))
            report.added.append(item.name)
            logger.info("ingested %s into <%s>", item.name, graph_iri)
        if progress is not None:
            progress(item)
    if report.added or not kb.has_graph(ratings_graph_iri(base_iri)):
        recompute_ratings(kb, base_iri)
    kb.flush()
    report.triples_after = kb.quad_count()
    return report


def find_text_graphs(kb: KnowledgeBase, ref: str, base_iri: str) -> list[tuple[str, str]]:
    """Resolve a user's reference to ingested texts: (graph IRI, source name) pairs.

    ``ref`` may be a text id (or a prefix of at least 6 hex digits), the text's IRI, its
    graph's IRI, or the file name it was ingested from.
    """
    mint = IriMinter(base_iri)
    rows = kb.query(
        f"""SELECT ?g ?text ?name WHERE {{ GRAPH ?g {{
              ?text a <{SRKB.SourceText}> ; <{DCTERMS.source}> ?name }} }}"""
    )
    found = []
    for r in rows:
        graph, text, name = r["g"].value, r["text"].value, r["name"].value
        text_id = text.rsplit("/", 1)[-1]
        if (
            ref in (graph, text, name)
            or (len(ref) >= 6 and text_id.startswith(ref))
            or (not ref.startswith(mint.base) and name.endswith("/" + ref))
        ):
            found.append((graph, name))
    return sorted(set(found))


def remove_texts(kb: KnowledgeBase, refs: Iterable[str], *, base_iri: str) -> list[str]:
    """Remove ingested texts (their whole named graphs), then recompute the ratings.

    Every reference is resolved first; if one matches nothing, nothing is removed.

    Raises:
        InputError: a reference matches no ingested text.
    """
    graphs: dict[str, str] = {}
    for ref in refs:
        matches = find_text_graphs(kb, ref, base_iri)
        if not matches:
            raise InputError(
                f"{ref}: no ingested text has this id, IRI or file name "
                "(list them with `srkb texts`)"
            )
        graphs.update(matches)
    kb.replace_graphs({g: [] for g in graphs})
    recompute_ratings(kb, base_iri)
    kb.flush()
    return sorted(graphs.values())
