"""Extraction records -> RDF: the only place where extracted facts become triples.

Each source text gets one named graph holding everything read out of it and where it
came from (nanopublication-like): the text itself, its article and comments, every
mention, claim and judgement with its character span, and the extraction activity with
the software version and time. Removing a text is dropping its graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from .extract.model import SOURCE_TYPES, Extraction, Span
from .gazetteer import load_gazetteer
from .iri import IriMinter, content_hash
from .vocab import NIF, SCHEMA, SRKB

_MODALITY = {
    "asserted": SRKB.asserted,
    "possible": SRKB.possible,
    "planned": SRKB.planned,
    "doubted": SRKB.doubted,
}
_POLARITY = {"positive": SRKB.positive, "negative": SRKB.negative, "mixed": SRKB.mixed}
_LABEL_MAX = 120


@dataclass(frozen=True)
class TextGraph:
    """The named graph built for one source text."""

    text_id: str
    text_hash: str
    graph_iri: URIRef
    source_text_iri: URIRef
    activity_iri: URIRef
    graph: Graph


def _date_literal(value: str) -> Literal:
    """'2018-04-04' -> xsd:date; '--04-04' -> xsd:gMonthDay; '2018-04' -> xsd:gYearMonth."""
    if value.startswith("--"):
        return Literal(value, datatype=XSD.gMonthDay)
    if len(value) == 7:
        return Literal(value, datatype=XSD.gYearMonth)
    if len(value) == 4:
        return Literal(value, datatype=XSD.gYear)
    return Literal(value, datatype=XSD.date)


def _timestamp_literal(value: str) -> Literal:
    """An ISO date or date-time as written in a JSON document: typed when it parses."""
    try:
        if "T" in value:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
            return Literal(value, datatype=XSD.dateTime)
        date.fromisoformat(value)
        return Literal(value, datatype=XSD.date)
    except ValueError:
        return Literal(value)


def _short_label(text: str) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= _LABEL_MAX else one_line[: _LABEL_MAX - 1] + "…"


class _Builder:
    """Accumulates the triples of one text graph."""

    def __init__(
        self, ex: Extraction, mint: IriMinter, source_name: str, version: str, when: datetime
    ) -> None:
        self.ex = ex
        self.mint = mint
        self.source_name = source_name
        self.version = version
        self.when = when
        self.text_hash = content_hash(ex.text)
        self.text_id = mint.text_id(self.text_hash)
        self.g = Graph()
        self.text_iri = mint.source_text(self.text_id)
        self.graph_iri = mint.text_graph(self.text_id)
        self.activity = mint.activity(self.text_id, version)
        self.gazetteer = {e.key: e for e in load_gazetteer()}

    # --- helpers -----------------------------------------------------------------
    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.g.add((s, p, o))

    def span(self, span: Span) -> URIRef:
        iri = self.mint.span(self.text_id, span.start, span.end)
        self.add(iri, RDF.type, SRKB.TextSpan)
        self.add(iri, NIF.referenceContext, self.text_iri)
        self.add(iri, NIF.beginIndex, Literal(span.start, datatype=XSD.integer))
        self.add(iri, NIF.endIndex, Literal(span.end, datatype=XSD.integer))
        self.add(iri, NIF.anchorOf, Literal(span.text))
        return iri

    def segment_iri(self, index: int) -> URIRef:
        if index == 0:
            return self.mint.article(self.text_id)
        return self.mint.comment(self.text_id, index)

    def entity_iri(self, key: str) -> URIRef:
        if key.startswith("unnamed/"):
            return self.mint.unnamed(self.text_id, key)
        return self.mint.entity(key)

    def fact(self, iri: URIRef, kind: URIRef, segment: int, evidence: Span) -> None:
        self.add(iri, RDF.type, kind)
        self.add(iri, SRKB.inDocument, self.segment_iri(segment))
        self.add(iri, SRKB.evidence, self.span(evidence))
        self.add(iri, PROV.wasGeneratedBy, self.activity)

    # --- parts ---------------------------------------------------------------------
    def provenance(self) -> None:
        software = self.mint.software(self.version)
        when = Literal(self.when.isoformat(timespec="seconds"), datatype=XSD.dateTime)
        self.add(self.graph_iri, RDF.type, PROV.Bundle)
        self.add(self.graph_iri, RDFS.label, Literal(f"facts extracted from {self.source_name}"))
        self.add(self.graph_iri, PROV.wasDerivedFrom, self.text_iri)
        self.add(self.graph_iri, PROV.wasGeneratedBy, self.activity)
        self.add(self.activity, RDF.type, SRKB.ExtractionActivity)
        self.add(self.activity, RDFS.label, Literal(f"srkb {self.version} extraction"))
        self.add(self.activity, PROV.used, self.text_iri)
        self.add(self.activity, PROV.wasAssociatedWith, software)
        self.add(self.activity, PROV.startedAtTime, when)
        self.add(self.activity, PROV.endedAtTime, when)
        self.add(software, RDF.type, SRKB.ExtractorSoftware)
        self.add(software, RDFS.label, Literal(f"srkb extractor {self.version}"))
        self.add(software, SCHEMA.softwareVersion, Literal(self.version))

    def source_text(self) -> None:
        t = self.text_iri
        self.add(t, RDF.type, SRKB.SourceText)
        self.add(t, RDFS.label, Literal(self.source_name))
        self.add(t, DCTERMS.source, Literal(self.source_name))
        self.add(t, SRKB.contentHash, Literal(self.text_hash))
        self.add(t, NIF.isString, Literal(self.ex.text))
        self.add(t, NIF.beginIndex, Literal(0, datatype=XSD.integer))
        self.add(t, NIF.endIndex, Literal(len(self.ex.text), datatype=XSD.integer))

    def documents(self) -> None:
        for seg in self.ex.segments:
            d = self.segment_iri(seg.index)
            self.add(d, RDF.type, SRKB.Article if seg.kind == "article" else SRKB.ReaderComment)
            self.add(d, SRKB.inSourceText, self.text_iri)
            self.add(d, NIF.referenceContext, self.text_iri)
            self.add(d, NIF.beginIndex, Literal(seg.span.start, datatype=XSD.integer))
            self.add(d, NIF.endIndex, Literal(seg.span.end, datatype=XSD.integer))
            self.add(d, PROV.wasGeneratedBy, self.activity)
            if seg.date:
                self.add(d, DCTERMS.date, _timestamp_literal(seg.date))
            if seg.kind == "article":
                self.add(d, RDFS.label, Literal(f"article of {self.source_name}"))
                meta = self.ex.metadata
                if meta.get("url"):
                    self.add(d, SCHEMA.url, Literal(meta["url"]))
                if meta.get("published") and not seg.date:
                    self.add(d, DCTERMS.date, _timestamp_literal(meta["published"]))
                if self.ex.publisher:
                    self.add(d, SCHEMA.publisher, self.entity_iri(self.ex.publisher))
                continue
            self.add(d, RDFS.label, Literal(f"comment {seg.index} on {self.source_name}"))
            self.add(d, SCHEMA.position, Literal(seg.index, datatype=XSD.integer))
            parent = seg.reply_to if seg.reply_to is not None else 0
            self.add(d, SCHEMA.parentItem, self.segment_iri(parent))
            author = self.mint.commenter(self.text_id, seg.index, seg.author)
            self.add(d, SCHEMA.author, author)
            self.add(author, RDF.type, SRKB.Commenter)
            label = seg.author or f"anonymous commenter of comment {seg.index}"
            self.add(author, RDFS.label, Literal(label))

    def entities(self) -> None:
        # whatever relays a claim or is judged is a source, whatever the extractor's roles say
        used_as_source = (
            {c.via for c in self.ex.claims if c.via}
            | {j.source for j in self.ex.judgements}
            | ({self.ex.publisher} if self.ex.publisher else set())
        )
        for ent in self.ex.entities:
            iri = self.entity_iri(ent.key)
            known = self.gazetteer.get(ent.key) if ent.in_gazetteer else None
            types = set(ent.types)
            is_source = "source" in ent.roles or ent.key in used_as_source
            if known is not None:
                types |= known.types
            if is_source and not types & SOURCE_TYPES:
                types.add("Source")
            if known is not None:
                types -= known.types  # the gazetteer graph already says these
            for t in sorted(types):
                self.add(iri, RDF.type, SRKB[t])
            if known is None:
                self.add(iri, SKOS.prefLabel, Literal(ent.name))
                self.add(iri, RDFS.label, Literal(ent.name))
                for alias in ent.aliases:
                    if alias != ent.name:
                        self.add(iri, SKOS.altLabel, Literal(alias))
                if ent.type_evidence:
                    self.add(iri, SRKB.typeEvidence, Literal(ent.type_evidence))

    def mentions(self) -> None:
        for m in self.ex.mentions:
            iri = self.mint.mention(self.text_id, m.span.start, m.span.end)
            self.fact(iri, SRKB.Mention, m.segment, m.span)
            self.add(iri, SRKB.refersTo, self.entity_iri(m.entity))

    def claims(self) -> None:
        for c in self.ex.claims:
            iri = self.mint.claim(self.text_id, c.span.start, c.span.end, c.cue.start)
            self.fact(iri, SRKB.Claim, c.segment, c.span)
            self.add(iri, SRKB.content, Literal(c.content.text))
            self.add(iri, RDFS.label, Literal(_short_label(c.content.text)))
            self.add(iri, SRKB.cue, Literal(c.cue.text))
            self.add(iri, SRKB.modality, _MODALITY[c.modality])
            if c.speaker:
                self.add(iri, SRKB.speaker, self.entity_iri(c.speaker))
            if c.via:
                self.add(iri, SRKB.relayedBy, self.entity_iri(c.via))
            if c.date is not None:
                self.add(iri, SRKB.dateText, Literal(c.date.text))
            if c.date_value:
                self.add(iri, SRKB.statementDate, _date_literal(c.date_value))
            for key in c.about:
                self.add(iri, SRKB.mentionsActor, self.entity_iri(key))

    def judgements(self) -> None:
        for j in self.ex.judgements:
            iri = self.mint.judgement(self.text_id, j.span.start, j.span.end, j.source)
            self.fact(iri, SRKB.SourceJudgement, j.segment, j.span)
            self.add(iri, SRKB.judgedSource, self.entity_iri(j.source))
            self.add(iri, SRKB.polarity, _POLARITY[j.polarity])
            self.add(iri, SRKB.cue, Literal(j.cue.text))
            seg = next((s for s in self.ex.segments if s.index == j.segment), None)
            if seg is not None and seg.kind == "comment":
                assessor = self.mint.commenter(self.text_id, seg.index, seg.author)
            else:
                assessor = self.mint.article_author(self.text_id)
                self.add(assessor, RDF.type, PROV.Agent)
                self.add(
                    assessor, RDFS.label, Literal(f"author of the article of {self.source_name}")
                )
            self.add(iri, SRKB.assessor, assessor)
            label = f"{j.polarity} judgement of {self.ex.entity(j.source).name}"
            self.add(iri, RDFS.label, Literal(label))

    def build(self) -> TextGraph:
        self.provenance()
        self.source_text()
        self.documents()
        self.entities()
        self.mentions()
        self.claims()
        self.judgements()
        return TextGraph(
            text_id=self.text_id,
            text_hash=self.text_hash,
            graph_iri=self.graph_iri,
            source_text_iri=self.text_iri,
            activity_iri=self.activity,
            graph=self.g,
        )


def build_text_graph(
    ex: Extraction, *, base_iri: str, source_name: str, version: str, when: datetime
) -> TextGraph:
    """Turn one extraction into its named graph.

    Args:
        ex: what the pipeline read out of the text.
        base_iri: the knowledge base's base IRI.
        source_name: where the text came from (file name), kept as dcterms:source.
        version: the extractor's software version.
        when: the extraction time recorded on the activity.
    """
    return _Builder(ex, IriMinter(base_iri), source_name, version, when).build()
