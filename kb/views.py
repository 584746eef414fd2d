"""What a page shows about one actor, source, claim or document, read from the store.

These are plain dataclasses: the web pages render them as HTML and their ``.json`` twins
serialise them as they are, so the two never disagree. No Flask here; every string is
untrusted text and is escaped by whoever renders it.

How they are read, and why: a page is about one resource, so everything it shows is
reached from that resource's IRI by index lookups with a bound subject or object
(``Store.quads_for_pattern``, across all graphs), plus two aggregate SPARQL queries whose
first pattern is bound (mention counts, aliases as written). SPARQL joins on the labels of
linked resources (``GRAPH ?g { ?x skos:prefLabel ?l }`` with ``?x`` coming from another
pattern or an OPTIONAL) let Oxigraph's planner scan every label of the store: on 10,000
texts such a view took minutes, the lookups take milliseconds (bench/RESULTS.md, "Page
times"). Long lists (a source that relayed thousands of claims) are cut at ``limit``
items; ``EntityView.totals`` says how many there are.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ontology import NAMESPACE as NAMESPACE_SRKB

from .derived.claim_counts import ClaimCounts
from .iri import span_offsets
from .reliability import grade_text
from .store import KnowledgeBase
from .vocab import PREFIXES, sparql_prefixes

_Q = sparql_prefixes()
LIST_LIMIT = 20  # items per list on a page of an entity (and in its JSON twin)
MAX_PAGE = 10_000  # the deepest page of an entity's lists a request may ask for

_S = NAMESPACE_SRKB
_RDF_TYPE = PREFIXES["rdf"] + "type"
_RDFS_LABEL = PREFIXES["rdfs"] + "label"
_SUBCLASS = PREFIXES["rdfs"] + "subClassOf"
_PREF = PREFIXES["skos"] + "prefLabel"
_ALT = PREFIXES["skos"] + "altLabel"
_HIDDEN = PREFIXES["skos"] + "hiddenLabel"
_NOTATION = PREFIXES["skos"] + "notation"
_SCHEMA = PREFIXES["schema"]
_PROV = PREFIXES["prov"]
_SOURCE = PREFIXES["dcterms"] + "source"
_DCT = PREFIXES["dcterms"]
_RDFS = PREFIXES["rdfs"]
_NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"


@dataclass(frozen=True)
class Link:
    iri: str
    label: str


@dataclass(frozen=True)
class Span:
    begin: int
    end: int
    text: str


@dataclass
class ClaimSummary:
    iri: str
    content: str
    cue: str
    document: Link
    speaker: Link | None = None
    via: Link | None = None
    date_text: str | None = None
    modality: str | None = None
    credibility: str | None = None  # Admiralty digit 1-6
    credibility_label: str | None = None  # "possibly true"


@dataclass
class JudgementView:
    iri: str
    polarity: str
    cue: str
    quote: str
    comment: Link
    source: Link
    assessor: str | None = None


@dataclass
class PriorView:
    """An analyst's prior assessment counted by a rating (kb.priors)."""

    iri: str
    grade: str | None  # an Admiralty letter, or None when a trust value is given
    trust: str | None
    weight: str
    assessor: str
    assessed: str
    file: Link | None
    note: str | None = None


@dataclass
class RatingView:
    grade: str
    grade_label: str
    r: float
    s: float
    belief: float
    disbelief: float
    uncertainty: float
    expected: float
    profile: str
    explanation: str
    formula: str
    iri: str = ""  # the rating resource
    pieces: int = 0  # pieces of evidence that carry weight
    display: str = ""  # "C: fairly reliable", or for F "not enough evidence (2 pieces)"
    priors: list[PriorView] = field(default_factory=list)


@dataclass
class EntityView:
    iri: str
    label: str
    kinds: list[str]  # "actor" and/or "source"
    types: list[str]  # class labels
    aliases: list[str]
    type_evidence: str | None = None
    rating: RatingView | None = None
    judgements: list[JudgementView] = field(default_factory=list)
    relayed: list[ClaimSummary] = field(default_factory=list)
    claims_by: list[ClaimSummary] = field(default_factory=list)
    claims_about: list[ClaimSummary] = field(default_factory=list)
    documents: list[tuple[Link, int]] = field(default_factory=list)
    # How many there are of each list above (the lists hold one page of ``limit`` items).
    totals: dict[str, int] = field(default_factory=dict)
    # which page of the lists this is: {"page": n, "size": items per list, "pages": last}
    paging: dict[str, int] = field(default_factory=dict)


@dataclass
class ClaimView:
    summary: ClaimSummary
    text_iri: str
    file: str
    span: Span
    before: str  # context before the span: its line and the line before, in its document
    after: str  # the rest of its line and the line after
    date_value: str | None
    credibility_label: str | None
    credibility_why: str | None
    corroborations: int
    contradictions: int
    corroborating: list[ClaimSummary]
    contradicting: list[ClaimSummary]
    repeating: list[ClaimSummary]
    software: str | None
    extracted_at: str | None
    chain_ratings: list[tuple[Link, str]]  # (source, grade)


@dataclass
class MentionPiece:
    text: str
    entity: Link | None = None


@dataclass
class DocumentView:
    iri: str
    label: str
    kind: str  # "article" or "comment"
    text_iri: str
    file: str
    span: Span
    pieces: list[MentionPiece]
    position: int | None
    parent: Link | None
    author: str | None
    claims: list[ClaimSummary]
    judgements: list[JudgementView]
    comments: list[Link]


def as_json(view: Any) -> Any:
    """A view as JSON-ready data."""
    return asdict(view)


# --------------------------------------------------------------------------- reading
class _Reader:
    """Index lookups on one store, across all graphs, with the labels memoised."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.store = kb.store
        self._labels: dict[str, str | None] = {}
        self._ancestors: dict[str, frozenset[str]] = {}

    def objects(self, s: str, p: str) -> list[Any]:
        """The distinct objects of (s, p), in a stable order."""
        quads = list(self.store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None, None))
        if len(quads) < 2:  # most values are single: nothing to order
            return [q.object for q in quads]
        found = {str(q.object): q.object for q in quads}
        return [found[k] for k in sorted(found)]

    def value(self, s: str | None, p: str) -> str | None:
        if s is None:
            return None
        objects = self.objects(s, p)
        return objects[0].value if objects else None

    def graph_of(self, s: str, p: str, o: str) -> ox.NamedNode | None:
        """The graph of one (s, p, o) quad (the first in the store's order)."""
        quads = self.store.quads_for_pattern(
            ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o), None
        )
        found = next(iter(quads), None)
        return found.graph_name if found and isinstance(found.graph_name, ox.NamedNode) else None

    def value_in(self, s: str | None, p: str, graph: ox.NamedNode | None) -> str | None:
        """The first (sorted) object of (s, p) in one graph: for what every text graph
        repeats (the software that extracted it), read where one text states it."""
        if s is None or graph is None:
            return None
        quads = self.store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None, graph)
        values = sorted(q.object.value for q in quads)
        return values[0] if values else None

    def subjects(self, p: str, o: str) -> list[str]:
        """The distinct IRIs with (?, p, o), sorted."""
        return sorted(
            {
                q.subject.value
                for q in self.store.quads_for_pattern(None, ox.NamedNode(p), ox.NamedNode(o), None)
                if isinstance(q.subject, ox.NamedNode)
            }
        )

    def subjects_page(self, p: str, o: str, start: int, limit: int) -> list[str]:
        """The distinct IRIs with (?, p, o) from number ``start`` to ``start + limit`` in the
        store's order (stable within a release: pages do not overlap), sorted."""
        seen: set[str] = set()
        found: list[str] = []
        for q in self.store.quads_for_pattern(None, ox.NamedNode(p), ox.NamedNode(o), None):
            if isinstance(q.subject, ox.NamedNode) and q.subject.value not in seen:
                seen.add(q.subject.value)
                if len(seen) > start:
                    found.append(q.subject.value)
                    if len(found) >= limit:
                        break
        return sorted(found)

    def has_type(self, s: str, type_iri: str) -> bool:
        quads = self.store.quads_for_pattern(
            ox.NamedNode(s), ox.NamedNode(_RDF_TYPE), ox.NamedNode(type_iri), None
        )
        return next(iter(quads), None) is not None

    def label(self, iri: str | None) -> str | None:
        """skos:prefLabel, else rdfs:label; English or untagged first."""
        if iri is None:
            return None
        if iri not in self._labels:
            best: tuple[int, str] | None = None
            for rank, p in enumerate((_PREF, _RDFS_LABEL)):
                for o in self.objects(iri, p):
                    if isinstance(o, ox.Literal):
                        key = (rank * 2 + (0 if o.language in (None, "en") else 1), o.value)
                        best = key if best is None or key < best else best
            self._labels[iri] = best[1] if best else self._document_label(iri)
        return self._labels[iri]

    def _document_label(self, iri: str) -> str | None:
        """An article's or comment's display label, from its text's readable name (its
        title and date, else its file's name; documents carry no stored label: it would
        repeat what these triples say)."""
        text = self.value(iri, _S + "inSourceText")
        if text is None:
            return None
        name = self.value(text, _RDFS_LABEL) or self.value(text, _SOURCE) or text
        position = self.value(iri, _SCHEMA + "position")
        return f"comment {position} on {name}" if position else f"article: {name}"

    def link(self, iri: str | None) -> Link | None:
        if iri is None:
            return None
        return Link(iri, self.label(iri) or iri)

    def ancestors(self, cls: str) -> frozenset[str]:
        """The class and all its superclasses (rdfs:subClassOf*)."""
        if cls not in self._ancestors:
            seen, todo = {cls}, [cls]
            while todo:
                for o in self.objects(todo.pop(), _SUBCLASS):
                    if isinstance(o, ox.NamedNode) and o.value not in seen:
                        seen.add(o.value)
                        todo.append(o.value)
            self._ancestors[cls] = frozenset(seen)
        return self._ancestors[cls]

    def rows(self, body: str, **bindings: str) -> list[dict[str, str | None]]:
        """A SPARQL SELECT; ``?name_`` in ``body`` is replaced by the IRI bound to name."""
        text = _Q + body
        for name, iri in bindings.items():
            text = text.replace(f"?{name}_", str(ox.NamedNode(iri)))
        result = self.kb.query(text)
        names = [v.value for v in result.variables]
        return [{n: (None if sol[n] is None else sol[n].value) for n in names} for sol in result]


def _int(value: str | None, default: int = 0) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _rating_model(r: _Reader, rating: str, source: str) -> str | None:
    """The model that computed a rating: stated once for its graph (the graph
    ``prov:wasGeneratedBy`` an activity that ``prov:used`` the model)."""
    graph = r.graph_of(rating, _S + "ratedSource", source)
    if graph is None:
        return None
    return r.value(r.value(graph.value, _PROV + "wasGeneratedBy"), _PROV + "used")


def _prior(r: _Reader, node: Any) -> PriorView:
    iri = node.value
    grade = r.value(iri, _S + "assessedGrade")
    return PriorView(
        iri=iri,
        grade=grade.rsplit("reliability", 1)[-1] if grade else None,
        trust=r.value(iri, _S + "trustValue"),
        weight=r.value(iri, _S + "evidenceWeight") or "",
        assessor=r.label(r.value(iri, _PROV + "wasAttributedTo")) or "",
        assessed=r.value(iri, _DCT + "date") or "",
        file=r.link(r.value(iri, _PROV + "wasDerivedFrom")),
        note=r.value(iri, _RDFS + "comment"),
    )


def _claim(r: _Reader, iri: str) -> ClaimSummary | None:
    content = r.value(iri, _S + "content")
    document = r.value(iri, _S + "inDocument")
    if content is None or document is None:
        return None
    rating = next(iter(r.subjects(_S + "ratedClaim", iri)), None)
    grade = r.value(rating, _S + "credibilityGrade")
    return ClaimSummary(
        iri=iri,
        content=content,
        cue=r.value(iri, _S + "cue") or "",
        document=Link(document, r.label(document) or document),
        speaker=r.link(r.value(iri, _S + "speaker")),
        via=r.link(r.value(iri, _S + "relayedBy")),
        date_text=r.value(iri, _S + "dateText"),
        modality=r.label(r.value(iri, _S + "modality")),
        credibility=r.value(grade, _NOTATION),
        credibility_label=r.label(grade),
    )


def _claims(r: _Reader, iris: list[str], limit: int | None) -> list[ClaimSummary]:
    """Summaries of the first ``limit`` claims (by IRI), shown by document then content."""
    chosen = iris if limit is None else iris[:limit]
    out = [c for c in (_claim(r, i) for i in chosen) if c is not None]
    return sorted(out, key=lambda c: (c.document.iri, c.content, c.iri))


def _judgement(r: _Reader, iri: str) -> JudgementView | None:
    source = r.value(iri, _S + "judgedSource")
    document = r.value(iri, _S + "inDocument")
    if source is None or document is None:
        return None
    return JudgementView(
        iri=iri,
        polarity=r.label(r.value(iri, _S + "polarity")) or "",
        cue=r.value(iri, _S + "cue") or "",
        quote=r.value(r.value(iri, _S + "evidence"), _NIF + "anchorOf") or "",
        comment=Link(document, r.label(document) or document),
        source=Link(source, r.label(source) or source),
        assessor=r.label(r.value(iri, _S + "assessor")),
    )


def _judgements(r: _Reader, iris: list[str], limit: int | None) -> list[JudgementView]:
    chosen = iris if limit is None else iris[:limit]
    out = [j for j in (_judgement(r, i) for i in chosen) if j is not None]
    return sorted(out, key=lambda j: (j.comment.iri, j.iri))


def _typed(r: _Reader, iris: list[str], type_iri: str) -> list[str]:
    return [i for i in iris if r.has_type(i, type_iri)]


def _context(string: str, b: int, e: int, lo: int, hi: int) -> tuple[int, int]:
    r"""Where the context of span [b, e) starts and ends: the span's own lines plus one
    line before and one after, never outside [lo, hi) (its document).

    >>> text = "one\ntwo three\nfour\nfive"
    >>> start, end = _context(text, 8, 13, 0, len(text))
    >>> text[start:end]
    'one\ntwo three\nfour'
    """
    start = string.rfind("\n", lo, b) + 1 if b > lo else lo
    start = max(start, lo)
    if start > lo:
        start = max(lo, string.rfind("\n", lo, start - 1) + 1)
    end = string.find("\n", e, hi)
    end = hi if end < 0 else end
    if end < hi:
        nxt = string.find("\n", end + 1, hi)
        end = hi if nxt < 0 else nxt
    return start, end


def kind_of(kb: KnowledgeBase, iri: str) -> str | None:
    """'entity', 'claim', 'document', or None for an IRI the views do not cover."""
    r = _Reader(kb)
    if r.has_type(iri, _S + "Claim"):
        return "claim"
    if r.value(iri, _S + "inSourceText") is not None:
        return "document"
    if r.value(iri, _PREF) is not None:
        return "entity"
    return None


# --------------------------------------------------------------------------- views
def entity_view(
    kb: KnowledgeBase, iri: str, limit: int = LIST_LIMIT, page: int = 1
) -> EntityView | None:
    """An actor or source: aliases, grade with evidence, judgements, claims, documents;
    ``page`` of each list (``limit`` items a page)."""
    r = _Reader(kb)
    start = (page - 1) * limit
    prefs = sorted(o.value for o in r.objects(iri, _PREF) if isinstance(o, ox.Literal))
    if not prefs:
        return None
    label = r.label(iri) or prefs[0]
    kinds, types = set(), set()
    for t in r.objects(iri, _RDF_TYPE):
        if not (isinstance(t, ox.NamedNode) and t.value.startswith(_S)):
            continue
        types.add(r.label(t.value) or t.value.rsplit("#", 1)[-1])
        ancestors = r.ancestors(t.value)
        kinds |= {
            k for k, top in (("actor", "Actor"), ("source", "Source")) if _S + top in ancestors
        }
    # the forms the texts write it in are stated once, in the shared entities graph
    names = {
        o.value
        for p in (_ALT, _HIDDEN, _S + "domainName", _S + "writtenAs")
        for o in r.objects(iri, p)
    }
    view = EntityView(
        iri=iri,
        label=label,
        kinds=sorted(kinds),
        types=sorted(types),
        aliases=sorted(names - {label, ""}, key=lambda a: (a.casefold(), a)),
        type_evidence=r.value(iri, _S + "typeEvidence"),
    )
    rating = next(iter(r.subjects(_S + "ratedSource", iri)), None)
    if rating is not None:
        grade = r.value(rating, _S + "reliabilityGrade")

        def number(prop: str, default: float = 0.0) -> float:
            value = r.value(rating, _S + prop)
            return float(value) if value is not None else default

        letter = r.value(grade, _NOTATION) or "F"
        pieces = _int(r.value(rating, _S + "evidencePieces"))
        view.rating = RatingView(
            grade=letter,
            grade_label=r.label(grade) or "",
            r=number("positiveEvidence"),
            s=number("negativeEvidence"),
            belief=number("belief"),
            disbelief=number("disbelief"),
            uncertainty=number("uncertainty", 1.0),
            expected=number("expectedReliability"),
            profile=r.value(rating, _S + "evidenceProfile") or "none",
            explanation=r.value(rating, _S + "explanation") or "",
            formula=r.value(_rating_model(r, rating, iri), _S + "formula") or "",
            iri=rating,
            pieces=pieces,
            display=grade_text(letter, pieces),
            priors=[_prior(r, p) for p in r.objects(rating, _S + "usedPrior")],
        )
    # A source of a large store relayed tens of thousands of claims: each list shows one
    # page of ``limit`` items, and the totals come from the derived indexes' counts.
    counts = _Counts(kb)
    try:
        lists = {}
        for key, prop in (
            ("judgements", "judgedSource"),  # its domain is srkb:SourceJudgement
            ("relayed", "relayedBy"),
            ("claims_by", "speaker"),
            ("claims_about", "mentionsActor"),
        ):
            lists[key] = r.subjects_page(_S + prop, iri, start, limit)
        view.judgements = _judgements(r, lists["judgements"], limit)
        view.relayed = _claims(r, lists["relayed"], limit)
        view.claims_by = _claims(r, lists["claims_by"], limit)
        view.claims_about = _claims(r, lists["claims_about"], limit)
        documents, total_documents = counts.documents(iri, limit, start)
        if documents is None:  # no search index: count them here
            found = r.rows(
                """SELECT ?d (COUNT(DISTINCT ?m) AS ?n) WHERE {
                     GRAPH ?g { ?m srkb:refersTo ?x_ ; srkb:inDocument ?d } } GROUP BY ?d""",
                x=iri,
            )
            per_document = {row["d"] or "": _int(row["n"]) for row in found}
            total_documents = len(per_document)
            ranked = sorted((-n, d) for d, n in per_document.items())[start : start + limit]
        else:
            per_document = _mentions_in(r, iri, documents)
            ranked = sorted((-n, d) for d, n in per_document.items())
        view.documents = [(Link(d, r.label(d) or d), -neg) for neg, d in ranked]
        judged_total = None
        if view.rating is not None:
            judged_total = sum(
                _int(r.value(view.rating.iri, _S + p))
                for p in ("positiveJudgements", "negativeJudgements", "mixedJudgements")
            )
        view.totals = {
            "judgements": _total(
                judged_total, lists["judgements"], start, limit, r, "judgedSource", iri
            ),
            "relayed": _total(
                counts.claims("via", iri), lists["relayed"], start, limit, r, "relayedBy", iri
            ),
            "claims_by": _total(
                counts.claims("speaker", iri), lists["claims_by"], start, limit, r, "speaker", iri
            ),
            "claims_about": _total(
                counts.about(iri), lists["claims_about"], start, limit, r, "mentionsActor", iri
            ),
            "documents": total_documents,
        }
        longest = max(view.totals.values(), default=0)
        view.paging = {"page": page, "size": limit, "pages": max(1, -(-longest // limit))}
    finally:
        counts.close()
    return view


def _total(
    counted: int | None,
    shown: list[str],
    start: int,
    limit: int,
    r: _Reader,
    prop: str,
    iri: str,
) -> int:
    """How many there are: the index's count, else the page (the last one when short)."""
    if counted is not None:
        return counted
    if 0 < len(shown) < limit or (start == 0 and not shown):
        return start + len(shown)
    return len(r.subjects(_S + prop, iri))


def _mentions_in(r: _Reader, entity: str, documents: list[str]) -> dict[str, int]:
    """How often ``entity`` is mentioned in each of a few documents."""
    if not documents:
        return {}
    values = " ".join(str(ox.NamedNode(d)) for d in documents)
    rows = r.rows(
        f"""SELECT ?d (COUNT(DISTINCT ?m) AS ?n) WHERE {{ VALUES ?d {{ {values} }}
             GRAPH ?g {{ ?m srkb:inDocument ?d ; srkb:refersTo ?x_ }} }} GROUP BY ?d""",
        x=entity,
    )
    return {row["d"] or "": _int(row["n"]) for row in rows}


class _Counts:
    """Counts from the derived indexes beside the store (DATA/derived, summarised into each
    server snapshot): cheap where counting in the store would read every claim."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.claim_counts: ClaimCounts | None = None
        self.search_db = None
        if kb.path is not None:
            derived = kb.path.parent / "derived"
            self.claim_counts = ClaimCounts(derived)
            self.search_db = _open_ro(derived / "search.sqlite")

    def close(self) -> None:
        if self.claim_counts is not None:
            self.claim_counts.close()
        if self.search_db is not None:
            self.search_db.close()

    def claims(self, role: str, agent: str) -> int | None:
        return self.claim_counts.claims(role, agent) if self.claim_counts else None

    def about(self, entity: str) -> int | None:
        return self.claim_counts.about(entity) if self.claim_counts else None

    def documents(self, entity: str, limit: int, start: int = 0) -> tuple[list[str] | None, int]:
        """The documents that mention the entity, newest first, from number ``start`` to
        ``start + limit``, and how many there are."""
        if self.search_db is None:
            return None, 0
        rows = self.search_db.execute(
            "SELECT i.iri FROM item_entities e JOIN items i ON i.id = e.item "
            "WHERE e.entity = ? AND e.kind = 'document' ORDER BY e.item DESC LIMIT ? OFFSET ?",
            (entity, limit, start),
        ).fetchall()
        total = self.search_db.execute(
            "SELECT COUNT(*) FROM item_entities WHERE entity = ? AND kind = 'document'",
            (entity,),
        ).fetchone()[0]
        return [row[0] for row in rows], int(total)


def _open_ro(path: Path) -> sqlite3.Connection | None:
    if not path.is_file():
        return None
    try:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    except sqlite3.Error:
        return None


def claim_view(kb: KnowledgeBase, iri: str, limit: int = LIST_LIMIT) -> ClaimView | None:
    """A claim in context: span highlighted, chain, credibility and related claims."""
    r = _Reader(kb)
    if not r.has_type(iri, _S + "Claim"):
        return None
    summary = _claim(r, iri)
    span_iri = r.value(iri, _S + "evidence")
    offsets = span_offsets(span_iri) if span_iri is not None else None
    if summary is None or span_iri is None or offsets is None:
        return None
    text_iri, b, e = offsets  # a span is its IRI (kb.build)
    string = r.value(text_iri, _NIF + "isString") or ""
    doc_b = _int(r.value(summary.document.iri, _NIF + "beginIndex"), 0)
    doc_e = _int(r.value(summary.document.iri, _NIF + "endIndex"), len(string))
    before_start, after_end = _context(string, b, e, max(0, doc_b), min(len(string), doc_e))
    # provenance is stated once per text: the extraction run that used the source text
    run = next(
        (
            a
            for a in r.subjects(_PROV + "used", text_iri)
            if r.has_type(a, _S + "ExtractionActivity")
        ),
        None,
    )
    text_graph = r.graph_of(run, _PROV + "used", text_iri) if run else None
    software = r.value_in(run, _PROV + "wasAssociatedWith", text_graph)
    rating = next(iter(r.subjects(_S + "ratedClaim", iri)), None)
    chain = []
    for agent in sorted({a.iri for a in (summary.speaker, summary.via) if a is not None}):
        source_rating = next(iter(r.subjects(_S + "ratedSource", agent)), None)
        grade = r.value(r.value(source_rating, _S + "reliabilityGrade"), _NOTATION)
        if grade is not None:
            chain.append((Link(agent, r.label(agent) or agent), grade))
    chain.sort(key=lambda lg: (lg[0].label, lg[0].iri))

    def related(prop: str) -> list[ClaimSummary]:
        return _claims(r, sorted({o.value for o in r.objects(iri, _S + prop)}), limit)

    return ClaimView(
        summary=summary,
        text_iri=text_iri,
        file=r.value(text_iri, _SOURCE) or "",
        span=Span(b, e, r.value(span_iri, _NIF + "anchorOf") or string[b:e]),
        before=string[before_start:b],
        after=string[e:after_end],
        date_value=r.value(iri, _S + "statementDate"),
        credibility_label=summary.credibility_label,
        credibility_why=r.value(rating, _S + "explanation"),
        corroborations=_int(r.value(rating, _S + "independentCorroborations")),
        contradictions=_int(r.value(rating, _S + "contradictions")),
        corroborating=related("corroboratedBy"),
        contradicting=related("contradictedBy"),
        repeating=related("repeatedBy"),
        software=r.value_in(software, _SCHEMA + "softwareVersion", text_graph),
        extracted_at=r.value_in(run, _PROV + "startedAtTime", text_graph),
        chain_ratings=chain,
    )


def document_view(kb: KnowledgeBase, iri: str) -> DocumentView | None:
    """An article or comment: its text with the mentions linked, its claims and judgements."""
    r = _Reader(kb)
    text_iri = r.value(iri, _S + "inSourceText")
    if text_iri is None:
        return None
    if r.has_type(iri, _S + "Article"):
        kind = "article"
    elif r.has_type(iri, _S + "ReaderComment"):
        kind = "comment"
    else:
        return None
    string = r.value(text_iri, _NIF + "isString") or ""
    b = _int(r.value(iri, _NIF + "beginIndex"))
    e = _int(r.value(iri, _NIF + "endIndex"))
    items = r.subjects(_S + "inDocument", iri)
    mentions = []
    for m in items:
        entity = r.value(m, _S + "refersTo")
        if entity is None:
            continue
        offsets = span_offsets(m)  # a mention is its span, a span its IRI (kb.build)
        if offsets is None:
            continue
        mentions.append((offsets[1], -offsets[2], entity))
    pieces, cursor = [], b
    for mb, neg_me, entity in sorted(mentions):
        me = -neg_me
        if mb < cursor or me > e:
            continue  # overlapping or outside: keep the first
        if mb > cursor:
            pieces.append(MentionPiece(string[cursor:mb]))
        pieces.append(MentionPiece(string[mb:me], Link(entity, r.label(entity) or entity)))
        cursor = me
    if cursor < e:
        pieces.append(MentionPiece(string[cursor:e]))
    replies = [
        (_int(r.value(c, _SCHEMA + "position")), c) for c in r.subjects(_SCHEMA + "parentItem", iri)
    ]
    position = r.value(iri, _SCHEMA + "position")
    return DocumentView(
        iri=iri,
        label=r.label(iri) or iri,
        kind=kind,
        text_iri=text_iri,
        file=r.value(text_iri, _SOURCE) or "",
        span=Span(b, e, string[b:e]),
        pieces=pieces,
        position=_int(position) if position is not None else None,
        parent=r.link(r.value(iri, _SCHEMA + "parentItem")),
        author=r.label(r.value(iri, _SCHEMA + "author")),
        claims=_claims(r, _typed(r, items, _S + "Claim"), None),
        judgements=_judgements(r, _typed(r, items, _S + "SourceJudgement"), None),
        comments=[r.link(c) or Link(c, c) for _pos, c in sorted(replies)],
    )
