"""Extraction records -> RDF quads: the only place where extracted facts become triples.

Each source text gets one named graph holding everything read out of it and where it
came from (nanopublication-like): the text itself, its article and comments, every
mention, claim and judgement with its character span, and the extraction activity with
the software version and time. Removing a text is dropping its graph.

Quads are written straight as N-Quads lines (kb.nquads_text: no intermediate rdflib
graph or pyoxigraph objects, which at volume cost more than the extraction), with each
quad's terms kept by subject for the records the derived steps read (kb.text_records);
each fact is stated once:

* provenance is stated per graph: the graph ``prov:wasGeneratedBy`` its extraction
  activity, and every fact in it was read by that activity (a fact reaches it through
  its document: ``srkb:inDocument/srkb:inSourceText/^prov:used``);
* types that the ontology entails are not repeated: a span is a ``srkb:TextSpan`` as the
  range of ``srkb:evidence``, a mention a ``srkb:Mention`` as the domain of
  ``srkb:refersTo``;
* a span is its IRI, an RFC 5147 fragment of its text's (``text/ID#char=B,E``), and its
  characters (``nif:anchorOf``): the text and the offsets are read from the IRI
  (kb.iri.span_offsets; in SPARQL with STRBEFORE/STRAFTER), not stated again as
  ``nif:referenceContext``, ``nif:beginIndex`` and ``nif:endIndex``, three quads of each
  of the 40 spans of an average text, a quarter of its quads (docs/benchmarks.md);
* a mention is its span, as in NIF (the name's characters ``text/ID#char=B,E``, with
  what it refers to and its document): a mention node linked to its span was one more
  IRI and one more quad for each of the 23 mentions of an average text;
* display labels that repeat other triples (a claim's label was its content) are left
  to whoever displays them; documents keep theirs ("comment 3 on FILE"), which Linked
  Data pages show;
* a statement an actor issues itself ("the SDF said", "the ministry said in a statement")
  has it as speaker and no relay: the extractor names it as both (the scoring format puts
  an issuing body in ``via``), but nothing carried the statement between it and the text;
* an actor or source found in the text keeps, in the text's graph, only what this text
  says of it (``srkb:nameInText``, ``srkb:typeInText``, ``srkb:typeEvidence``); its
  labels and types are stated once, in the shared entities graph (kb.derived.entities).
  Unnamed sources ("local sources") are local to their text and described in full here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property, lru_cache
from pathlib import PurePath

import pyoxigraph as ox
from rdflib import Dataset, Graph

from .extract.model import SOURCE_TYPES, Extraction, Span
from .gazetteer import GazetteerEntry, load_gazetteer
from .iri import IriMinter, content_hash, short_hash, slugify
from .nquads_text import Term, integer, line, literal, trusted_iri
from .nquads_text import iri as checked_iri
from .vocab import PREFIXES

_S = PREFIXES["srkb"]
_RDF, _RDFS, _XSD = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["xsd"]
_PROV, _SCHEMA, _DCT = PREFIXES["prov"], PREFIXES["schema"], PREFIXES["dcterms"]
_SKOS = PREFIXES["skos"]
_NIF = PREFIXES["nif"]


def _n(iri: str) -> Term:
    return trusted_iri(iri)


# Predicates and classes, made once.
A = _n(_RDF + "type")
LABEL = _n(_RDFS + "label")
PREF = _n(_SKOS + "prefLabel")
ALT = _n(_SKOS + "altLabel")
BEGIN, END, ANCHOR = _n(_NIF + "beginIndex"), _n(_NIF + "endIndex"), _n(_NIF + "anchorOf")
IS_STRING = _n(_NIF + "isString")
IN_DOC, IN_TEXT, EVIDENCE = _n(_S + "inDocument"), _n(_S + "inSourceText"), _n(_S + "evidence")
REFERS = _n(_S + "refersTo")
SPEAKER, RELAY, ABOUT = _n(_S + "speaker"), _n(_S + "relayedBy"), _n(_S + "mentionsActor")
CONTENT, CUE, MODALITY = _n(_S + "content"), _n(_S + "cue"), _n(_S + "modality")
DATE_TEXT, STATEMENT_DATE = _n(_S + "dateText"), _n(_S + "statementDate")
JUDGED, POLARITY, ASSESSOR = _n(_S + "judgedSource"), _n(_S + "polarity"), _n(_S + "assessor")
NAME_IN_TEXT, TYPE_IN_TEXT = _n(_S + "nameInText"), _n(_S + "typeInText")
TYPE_EVIDENCE, CONTENT_HASH = _n(_S + "typeEvidence"), _n(_S + "contentHash")
GENERATED, DERIVED, USED = (
    _n(_PROV + "wasGeneratedBy"),
    _n(_PROV + "wasDerivedFrom"),
    _n(_PROV + "used"),
)
ASSOCIATED, STARTED, ENDED = (
    _n(_PROV + "wasAssociatedWith"),
    _n(_PROV + "startedAtTime"),
    _n(_PROV + "endedAtTime"),
)
VERSION, URL, PUBLISHER = (
    _n(_SCHEMA + "softwareVersion"),
    _n(_SCHEMA + "url"),
    _n(_SCHEMA + "publisher"),
)
POSITION, PARENT, AUTHOR = (
    _n(_SCHEMA + "position"),
    _n(_SCHEMA + "parentItem"),
    _n(_SCHEMA + "author"),
)
SOURCE, DATE = _n(_DCT + "source"), _n(_DCT + "date")
CLAIM, JUDGEMENT = _n(_S + "Claim"), _n(_S + "SourceJudgement")
ARTICLE, COMMENT = _n(_S + "Article"), _n(_S + "ReaderComment")
COMMENTER, SOURCE_TEXT = _n(_S + "Commenter"), _n(_S + "SourceText")
ACTIVITY, SOFTWARE = _n(_S + "ExtractionActivity"), _n(_S + "ExtractorSoftware")
BUNDLE, AGENT = _n(_PROV + "Bundle"), _n(_PROV + "Agent")

_MODALITY = {m: _n(_S + m) for m in ("asserted", "possible", "planned", "doubted")}
_POLARITY = {p: _n(_S + p) for p in ("positive", "negative", "mixed")}
_XSD_DATE_TIME = _XSD + "dateTime"
_XSD_DATES = {k: _XSD + k for k in ("date", "gMonthDay", "gYearMonth", "gYear")}


@dataclass(frozen=True)
class TextGraph:
    """The named graph built for one source text: its N-Quads, and its quads' terms by
    subject (what kb.text_records sorts into records)."""

    text_id: str
    text_hash: str
    graph_iri: str
    source_text_iri: str
    activity_iri: str
    lines: list[str]  # a line of N-Quads per quad, each once
    props: dict[str, dict[str, list[str]]]  # subject -> predicate -> object values

    def nquads(self) -> bytes:
        """The graph as N-Quads, as pyoxigraph serialises it (what workers send)."""
        return ("\n".join(self.lines) + "\n").encode() if self.lines else b""

    @cached_property
    def quads(self) -> list[ox.Quad]:
        return list(ox.parse(self.nquads(), format=ox.RdfFormat.N_QUADS))

    def rdflib_graph(self) -> Graph:
        """The graph as an rdflib Graph (for tests and SHACL on one text)."""
        ds = Dataset()
        ds.parse(data=self.nquads().decode("utf-8"), format="nquads")
        out = Graph()
        for s, p, o, _g in ds.quads((None, None, None, None)):
            out.add((s, p, o))
        return out


def _date_literal(value: str) -> Term:
    """'2018-04-04' -> xsd:date; '--04-04' -> xsd:gMonthDay; '2018-04' -> xsd:gYearMonth."""
    if value.startswith("--"):
        kind = "gMonthDay"
    elif len(value) == 7:
        kind = "gYearMonth"
    elif len(value) == 4:
        kind = "gYear"
    else:
        kind = "date"
    return literal(value, _XSD_DATES[kind])


def canonical_datetime(dt: datetime) -> str:
    """An xsd:dateTime in the store's canonical form (no trailing zeros, UTC as "Z"), so
    that the quads a worker hashes are the quads the store gives back (kb.content)."""
    text = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if dt.microsecond:
        text += f"{dt.microsecond / 1e6:.6f}"[1:].rstrip("0")
    offset = dt.utcoffset()
    if offset is None:
        return text
    seconds = int(offset.total_seconds())
    if seconds == 0:
        return text + "Z"
    sign = "+" if seconds > 0 else "-"
    seconds = abs(seconds)
    return f"{text}{sign}{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _timestamp_literal(value: str) -> Term:
    """An ISO date or date-time as written in a JSON document: typed when it parses."""
    try:
        if "T" in value:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return literal(canonical_datetime(parsed), _XSD_DATE_TIME)
        return literal(date.fromisoformat(value).isoformat(), _XSD_DATES["date"])
    except ValueError:
        return literal(value)


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, GazetteerEntry]:
    return {e.key: e for e in load_gazetteer()}


class _Builder:
    """Accumulates the quads of one text graph."""

    def __init__(
        self, ex: Extraction, mint: IriMinter, source_name: str, version: str, when: datetime
    ) -> None:
        self.ex = ex
        self.base = mint.base
        # What people read: the document's title (with its date) when the input gave one,
        # else the file's name; never the path typed at ingest time, which says where a
        # file sat on one machine (dcterms:source keeps the file's name too).
        self.file_name = display_file_name(source_name)
        self.source_name = readable_name(self.file_name, ex.metadata)
        self.version = version
        self.when = when
        self.text_hash = content_hash(ex.text)
        self.text_id = mint.text_id(self.text_hash)
        self.text = f"{self.base}text/{self.text_id}"
        self.graph = f"{self.base}graph/text/{self.text_id}"
        self.activity = f"{self.base}activity/{short_hash(self.text_id, version)}"
        self.g = checked_iri(self.graph)
        self.t = checked_iri(self.text)
        self.lines: list[str] = []
        self._seen: set[str] = set()
        self.props: dict[str, dict[str, list[str]]] = {}
        self._spans: set[tuple[int, int]] = set()
        self._nodes: dict[str, Term] = {}

    # --- helpers -----------------------------------------------------------------
    def node(self, iri: str) -> Term:
        found = self._nodes.get(iri)
        if found is None:
            found = self._nodes[iri] = checked_iri(iri)
        return found

    def add(self, s: Term, p: Term, o: Term) -> None:
        """A quad of the text's graph, once (a commenter's type and label come up again)."""
        quad = line(s, p, o, self.g)
        if quad in self._seen:
            return
        self._seen.add(quad)
        self.lines.append(quad)
        found = self.props.get(s.value)
        if found is None:
            self.props[s.value] = {p.value: [o.value]}
            return
        objects = found.get(p.value)
        if objects is None:
            found[p.value] = [o.value]
        else:
            objects.append(o.value)

    def span(self, span: Span) -> Term:
        iri = self.node(f"{self.text}#char={span.start},{span.end}")
        if (span.start, span.end) not in self._spans:
            self._spans.add((span.start, span.end))
            self.add(iri, ANCHOR, literal(span.text))
        return iri

    def segment_iri(self, index: int) -> Term:
        if index == 0:
            return self.node(f"{self.text}/article")
        return self.node(f"{self.text}/comment/{index}")

    def entity_iri(self, key: str) -> Term:
        if key.startswith("unnamed/"):
            return self.node(f"{self.text}/{key}")
        return self.node(f"{self.base}entity/{key}")

    def commenter(self, index: int, name: str | None) -> Term:
        if name:
            return self.node(f"{self.text}/commenter/{slugify(name)}")
        return self.node(f"{self.text}/comment/{index}/author")

    def fact(self, iri: Term, segment: int, evidence: Span) -> None:
        self.add(iri, IN_DOC, self.segment_iri(segment))
        self.add(iri, EVIDENCE, self.span(evidence))

    # --- parts ---------------------------------------------------------------------
    def provenance(self) -> None:
        activity = checked_iri(self.activity)
        software = checked_iri(f"{self.base}software/srkb-{self.version}")
        when = literal(canonical_datetime(self.when), _XSD_DATE_TIME)
        self.add(self.g, A, BUNDLE)
        self.add(self.g, LABEL, literal(f"facts extracted from {self.source_name}"))
        self.add(self.g, DERIVED, self.t)
        self.add(self.g, GENERATED, activity)
        self.add(activity, A, ACTIVITY)
        self.add(activity, LABEL, literal(f"srkb {self.version} extraction"))
        self.add(activity, USED, self.t)
        self.add(activity, ASSOCIATED, software)
        self.add(activity, STARTED, when)
        self.add(activity, ENDED, when)
        self.add(software, A, SOFTWARE)
        self.add(software, LABEL, literal(f"srkb extractor {self.version}"))
        self.add(software, VERSION, literal(self.version))

    def source_text(self) -> None:
        t = self.t
        self.add(t, A, SOURCE_TEXT)
        self.add(t, LABEL, literal(self.source_name))
        self.add(t, SOURCE, literal(self.file_name))
        self.add(t, CONTENT_HASH, literal(self.text_hash))
        self.add(t, IS_STRING, literal(self.ex.text))
        self.add(t, BEGIN, integer(0))
        self.add(t, END, integer(len(self.ex.text)))

    def documents(self) -> None:
        for seg in self.ex.segments:
            d = self.segment_iri(seg.index)
            self.add(d, A, ARTICLE if seg.kind == "article" else COMMENT)
            self.add(d, IN_TEXT, self.t)
            self.add(d, BEGIN, integer(seg.span.start))
            self.add(d, END, integer(seg.span.end))
            if seg.date:
                self.add(d, DATE, _timestamp_literal(seg.date))
            if seg.kind == "article":
                self.add(d, LABEL, literal(f"article: {self.source_name}"))
                meta = self.ex.metadata
                if meta.get("url"):
                    self.add(d, URL, literal(meta["url"]))
                if meta.get("published") and not seg.date:
                    self.add(d, DATE, _timestamp_literal(meta["published"]))
                if self.ex.publisher:
                    self.add(d, PUBLISHER, self.entity_iri(self.ex.publisher))
                continue
            self.add(d, LABEL, literal(f"comment {seg.index} on {self.source_name}"))
            self.add(d, POSITION, integer(seg.index))
            parent = seg.reply_to if seg.reply_to is not None else 0
            self.add(d, PARENT, self.segment_iri(parent))
            author = self.commenter(seg.index, seg.author)
            self.add(d, AUTHOR, author)
            self.add(author, A, COMMENTER)
            label = seg.author or f"anonymous commenter of comment {seg.index}"
            self.add(author, LABEL, literal(label))

    def entities(self) -> None:
        # whatever relays a claim or is judged is a source, whatever the extractor's roles say
        used_as_source = (
            {c.via for c in self.ex.claims if c.via}
            | {j.source for j in self.ex.judgements}
            | ({self.ex.publisher} if self.ex.publisher else set())
        )
        gazetteer = _gazetteer()
        for ent in self.ex.entities:
            iri = self.entity_iri(ent.key)
            known = gazetteer.get(ent.key) if ent.in_gazetteer else None
            types = set(ent.types) | (known.types if known is not None else set())
            if ("source" in ent.roles or ent.key in used_as_source) and not types & SOURCE_TYPES:
                types.add("Source")
            if known is not None:
                for t in sorted(types - known.types):  # beyond what the gazetteer says
                    self.add(iri, TYPE_IN_TEXT, checked_iri(_S + t))
            elif ent.unnamed:  # local to this text: described in full here
                for t in sorted(types):
                    self.add(iri, A, checked_iri(_S + t))
                self.add(iri, PREF, literal(ent.name))
                for alias in ent.aliases:
                    if alias != ent.name:
                        self.add(iri, ALT, literal(alias))
            else:  # named, outside the gazetteer: what this text says of it
                self.add(iri, NAME_IN_TEXT, literal(ent.name))
                for t in sorted(types):
                    self.add(iri, TYPE_IN_TEXT, checked_iri(_S + t))
            if known is None and ent.type_evidence:
                self.add(iri, TYPE_EVIDENCE, literal(ent.type_evidence))

    def mentions(self) -> None:
        for m in self.ex.mentions:
            iri = self.span(m.span)  # the mention is its span
            self.add(iri, IN_DOC, self.segment_iri(m.segment))
            self.add(iri, REFERS, self.entity_iri(m.entity))

    def claims(self) -> None:
        for c in self.ex.claims:
            key = short_hash(self.text_id, c.span.start, c.span.end, c.cue.start)
            iri = checked_iri(f"{self.base}claim/{key}")
            self.add(iri, A, CLAIM)
            self.fact(iri, c.segment, c.span)
            self.add(iri, CONTENT, literal(c.content.text))
            self.add(iri, CUE, literal(c.cue.text))
            self.add(iri, MODALITY, _MODALITY[c.modality])
            if c.speaker:
                self.add(iri, SPEAKER, self.entity_iri(c.speaker))
            if c.via and c.via != c.speaker:  # a statement it issues itself: it is the speaker
                self.add(iri, RELAY, self.entity_iri(c.via))
            if c.date is not None:
                self.add(iri, DATE_TEXT, literal(c.date.text))
            if c.date_value:
                self.add(iri, STATEMENT_DATE, _date_literal(c.date_value))
            for key in c.about:
                self.add(iri, ABOUT, self.entity_iri(key))

    def judgements(self) -> None:
        kinds = {s.index: s for s in self.ex.segments}
        for j in self.ex.judgements:
            key = short_hash(self.text_id, j.span.start, j.span.end, j.source)
            iri = checked_iri(f"{self.base}judgement/{key}")
            self.add(iri, A, JUDGEMENT)
            self.fact(iri, j.segment, j.span)
            self.add(iri, JUDGED, self.entity_iri(j.source))
            self.add(iri, POLARITY, _POLARITY[j.polarity])
            self.add(iri, CUE, literal(j.cue.text))
            seg = kinds.get(j.segment)
            if seg is not None and seg.kind == "comment":
                assessor = self.commenter(seg.index, seg.author)
            else:
                assessor = self.node(f"{self.text}/article/author")
                self.add(assessor, A, AGENT)
                label = f"author of the article of {self.source_name}"
                self.add(assessor, LABEL, literal(label))
            self.add(iri, ASSESSOR, assessor)

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
            graph_iri=self.graph,
            source_text_iri=self.text,
            activity_iri=self.activity,
            lines=self.lines,
            props=self.props,
        )


def display_file_name(source_name: str) -> str:
    """The file's own name, without the folders it was given with ("<stdin>" as it is)."""
    return PurePath(source_name).name or source_name


def readable_name(file_name: str, metadata: Mapping[str, object]) -> str:
    """A document's title and date when its input gave them, else its file's name."""
    title = str(metadata.get("title") or "").strip()
    if not title:
        return file_name
    if len(title) > 120:
        title = title[:119].rstrip() + "…"
    published = str(metadata.get("published") or "")[:10]
    return f"{title} ({published})" if published else title


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
