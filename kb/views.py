"""What a page shows about one actor, source, claim or document, read from the store.

These are plain dataclasses built by SPARQL over all graphs: the web pages render them as
HTML and their ``.json`` twins serialise them as they are, so the two never disagree.
No Flask here; every string is untrusted text and is escaped by whoever renders it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pyoxigraph as ox

from ontology import NAMESPACE as NAMESPACE_SRKB

from .store import KnowledgeBase
from .vocab import sparql_prefixes

_Q = sparql_prefixes()


def _v(term: Any) -> str | None:
    return None if term is None else term.value


def _rows(kb: KnowledgeBase, body: str, **bindings: str) -> list[dict[str, str | None]]:
    text = _Q + body
    for name, iri in bindings.items():
        text = text.replace(f"?{name}_", str(ox.NamedNode(iri)))
    result = kb.query(text)
    names = [v.value for v in result.variables]
    return [{n: _v(sol[n]) for n in names} for sol in result]


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
    credibility: str | None = None


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


@dataclass
class ClaimView:
    summary: ClaimSummary
    text_iri: str
    file: str
    span: Span
    before: str  # context before the span (same paragraph)
    after: str
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


# --------------------------------------------------------------------------- helpers
def _label(kb: KnowledgeBase, iri: str) -> str:
    rows = _rows(
        kb,
        "SELECT ?l WHERE { { GRAPH ?g { ?x_ skos:prefLabel ?l } } UNION"
        " { GRAPH ?g { ?x_ rdfs:label ?l } } } ORDER BY ?l LIMIT 1",
        x=iri,
    )
    return (rows[0]["l"] if rows else None) or iri.rsplit("/", 1)[-1]


def kind_of(kb: KnowledgeBase, iri: str) -> str | None:
    """'entity', 'claim', 'document', or None for an IRI the views do not cover."""
    rows = _rows(
        kb,
        """SELECT ?kind WHERE {
          { GRAPH ?g { ?x_ a srkb:Claim } BIND("claim" AS ?kind) }
          UNION { GRAPH ?g { ?x_ srkb:inSourceText ?t } BIND("document" AS ?kind) }
          UNION { GRAPH ?g { ?x_ skos:prefLabel ?l } BIND("entity" AS ?kind) }
        } LIMIT 1""",
        x=iri,
    )
    return rows[0]["kind"] if rows else None


_CLAIM_SUMMARY = """
SELECT ?c ?content ?cue ?doc ?docLabel ?speaker ?speakerName ?via ?viaName ?dateText ?modality
       ?credibility WHERE {
  GRAPH ?g { ?c a srkb:Claim ; srkb:content ?content ; srkb:cue ?cue ; srkb:inDocument ?doc ;
                srkb:modality ?m . ?doc rdfs:label ?docLabel .
             OPTIONAL { ?c srkb:dateText ?dateText } }
  FILTER_
  OPTIONAL { GRAPH ?go { ?m skos:prefLabel ?modality } }
  OPTIONAL { GRAPH ?g { ?c srkb:speaker ?speaker }
             GRAPH ?gs { ?speaker skos:prefLabel ?speakerName } }
  OPTIONAL { GRAPH ?g { ?c srkb:relayedBy ?via } GRAPH ?gv { ?via skos:prefLabel ?viaName } }
  OPTIONAL { GRAPH ?gr { ?rating srkb:ratedClaim ?c ; srkb:credibilityGrade ?cg }
             GRAPH ?gc { ?cg skos:notation ?credibility } }
} ORDER BY ?doc ?content"""


def _claims(kb: KnowledgeBase, pattern: str, **bindings: str) -> list[ClaimSummary]:
    out: dict[str, ClaimSummary] = {}
    for r in _rows(kb, _CLAIM_SUMMARY.replace("FILTER_", pattern), **bindings):
        iri = r["c"] or ""
        if iri in out:
            continue
        out[iri] = ClaimSummary(
            iri=iri,
            content=r["content"] or "",
            cue=r["cue"] or "",
            document=Link(r["doc"] or "", r["docLabel"] or ""),
            speaker=Link(r["speaker"], r["speakerName"] or r["speaker"]) if r["speaker"] else None,
            via=Link(r["via"], r["viaName"] or r["via"]) if r["via"] else None,
            date_text=r["dateText"],
            modality=r["modality"],
            credibility=r["credibility"],
        )
    return list(out.values())


def _judgements(kb: KnowledgeBase, pattern: str, **bindings: str) -> list[JudgementView]:
    rows = _rows(
        kb,
        """SELECT ?j ?polarity ?cue ?quote ?doc ?docLabel ?src ?srcName ?assessor WHERE {
          GRAPH ?g { ?j a srkb:SourceJudgement ; srkb:polarity ?p ; srkb:cue ?cue ;
                        srkb:inDocument ?doc ; srkb:evidence/nif:anchorOf ?quote ;
                        srkb:judgedSource ?src ; srkb:assessor ?a .
                     ?doc rdfs:label ?docLabel . OPTIONAL { ?a rdfs:label ?assessor } }
          FILTER_
          GRAPH ?go { ?p skos:prefLabel ?polarity }
          GRAPH ?gs { ?src skos:prefLabel ?srcName }
        } ORDER BY ?doc ?j""".replace("FILTER_", pattern),
        **bindings,
    )
    seen: dict[str, JudgementView] = {}
    for r in rows:
        seen.setdefault(
            r["j"] or "",
            JudgementView(
                iri=r["j"] or "",
                polarity=r["polarity"] or "",
                cue=r["cue"] or "",
                quote=r["quote"] or "",
                comment=Link(r["doc"] or "", r["docLabel"] or ""),
                source=Link(r["src"] or "", r["srcName"] or ""),
                assessor=r["assessor"],
            ),
        )
    return list(seen.values())


# --------------------------------------------------------------------------- views
def entity_view(kb: KnowledgeBase, iri: str) -> EntityView | None:
    """An actor or source: aliases, grade with evidence, judgements, claims, documents."""
    head = _rows(
        kb,
        """SELECT ?label ?typeLabel ?kind ?evidence WHERE {
          GRAPH ?g { ?x_ skos:prefLabel ?label }
          OPTIONAL { GRAPH ?gt { ?x_ a ?type } GRAPH ?go { ?type rdfs:label ?typeLabel }
                     FILTER(STRSTARTS(STR(?type), "NS_"))
                     OPTIONAL { GRAPH ?go2 { ?type rdfs:subClassOf* ?top }
                                VALUES (?top ?kind) {
                                  (srkb:Actor "actor") (srkb:Source "source") } } }
          OPTIONAL { GRAPH ?ge { ?x_ srkb:typeEvidence ?evidence } }
        }""".replace("NS_", NAMESPACE_SRKB),
        x=iri,
    )
    if not head:
        return None
    aliases = sorted(
        {
            r["a"] or ""
            for r in _rows(
                kb,
                """SELECT DISTINCT ?a WHERE {
                  { GRAPH ?g { ?x_ skos:altLabel|skos:hiddenLabel|srkb:domainName ?a } }
                  UNION { GRAPH ?g { ?m srkb:refersTo ?x_ ; srkb:evidence/nif:anchorOf ?a } } }""",
                x=iri,
            )
        }
        - {head[0]["label"]},
        key=str.casefold,
    )
    view = EntityView(
        iri=iri,
        label=head[0]["label"] or iri,
        kinds=sorted({r["kind"] for r in head if r["kind"]}),
        types=sorted({r["typeLabel"] for r in head if r["typeLabel"]}),
        aliases=aliases,
        type_evidence=next((r["evidence"] for r in head if r["evidence"]), None),
    )
    rating = _rows(
        kb,
        """SELECT * WHERE { GRAPH ?g {
          ?rt srkb:ratedSource ?x_ ; srkb:reliabilityGrade ?gr ; srkb:positiveEvidence ?r ;
              srkb:negativeEvidence ?s ; srkb:belief ?b ; srkb:disbelief ?d ;
              srkb:uncertainty ?u ; srkb:expectedReliability ?e ; srkb:evidenceProfile ?profile ;
              srkb:explanation ?why ; srkb:ratingModel/srkb:formula ?formula }
          GRAPH ?go { ?gr skos:notation ?grade ; skos:prefLabel ?gradeLabel } }""",
        x=iri,
    )
    if rating:
        r = rating[0]
        view.rating = RatingView(
            grade=r["grade"] or "F",
            grade_label=r["gradeLabel"] or "",
            r=float(r["r"] or 0),
            s=float(r["s"] or 0),
            belief=float(r["b"] or 0),
            disbelief=float(r["d"] or 0),
            uncertainty=float(r["u"] or 1),
            expected=float(r["e"] or 0),
            profile=r["profile"] or "none",
            explanation=r["why"] or "",
            formula=r["formula"] or "",
        )
    view.judgements = _judgements(kb, "FILTER(?src = ?x_)", x=iri)
    view.relayed = _claims(kb, "FILTER EXISTS { GRAPH ?g { ?c srkb:relayedBy ?x_ } }", x=iri)
    view.claims_by = _claims(kb, "FILTER EXISTS { GRAPH ?g { ?c srkb:speaker ?x_ } }", x=iri)
    view.claims_about = _claims(
        kb, "FILTER EXISTS { GRAPH ?g { ?c srkb:mentionsActor ?x_ } }", x=iri
    )
    view.documents = [
        (Link(r["d"] or "", r["l"] or ""), int(r["n"] or 0))
        for r in _rows(
            kb,
            """SELECT ?d ?l (COUNT(?m) AS ?n) WHERE { GRAPH ?g {
              ?m srkb:refersTo ?x_ ; srkb:inDocument ?d . ?d rdfs:label ?l } }
              GROUP BY ?d ?l ORDER BY DESC(?n) ?d""",
            x=iri,
        )
    ]
    return view


def claim_view(kb: KnowledgeBase, iri: str) -> ClaimView | None:
    """A claim in context: span highlighted, chain, credibility and related claims."""
    summaries = _claims(kb, "FILTER(?c = ?x_)", x=iri)
    if not summaries:
        return None
    rows = _rows(
        kb,
        """SELECT ?text ?file ?b ?e ?anchor ?string ?date ?version ?time ?cred ?credLabel ?why
                  ?k ?m WHERE {
          GRAPH ?g { ?x_ srkb:evidence ?span ; prov:wasGeneratedBy ?run .
                     ?span nif:beginIndex ?b ; nif:endIndex ?e ; nif:anchorOf ?anchor ;
                           nif:referenceContext ?text .
                     ?text nif:isString ?string ; dcterms:source ?file .
                     OPTIONAL { ?x_ srkb:statementDate ?date }
                     OPTIONAL { ?run prov:startedAtTime ?time ;
                                     prov:wasAssociatedWith/schema:softwareVersion ?version } }
          OPTIONAL { GRAPH ?gr { ?rt srkb:ratedClaim ?x_ ; srkb:credibilityGrade ?cg ;
                                     srkb:explanation ?why ; srkb:independentCorroborations ?k ;
                                     srkb:contradictions ?m }
                     GRAPH ?go { ?cg skos:notation ?cred ; skos:prefLabel ?credLabel } }
        } LIMIT 1""",
        x=iri,
    )
    if not rows:
        return None
    r = rows[0]
    string, b, e = r["string"] or "", int(r["b"] or 0), int(r["e"] or 0)
    para_start = string.rfind("\n", 0, b) + 1
    para_end = string.find("\n", e)
    para_end = len(string) if para_end < 0 else para_end

    def related(prop: str) -> list[ClaimSummary]:
        return _claims(kb, f"FILTER EXISTS {{ GRAPH ?gr {{ ?x_ srkb:{prop} ?c }} }}", x=iri)

    chain = [
        (Link(s["src"] or "", s["name"] or ""), s["grade"] or "F")
        for s in _rows(
            kb,
            """SELECT DISTINCT ?src ?name ?grade WHERE {
              GRAPH ?g { ?x_ srkb:speaker|srkb:relayedBy ?src }
              GRAPH ?gn { ?src skos:prefLabel ?name }
              GRAPH ?gr { ?rt srkb:ratedSource ?src ; srkb:reliabilityGrade ?gg }
              GRAPH ?go { ?gg skos:notation ?grade } } ORDER BY ?name""",
            x=iri,
        )
    ]
    return ClaimView(
        summary=summaries[0],
        text_iri=r["text"] or "",
        file=r["file"] or "",
        span=Span(b, e, r["anchor"] or ""),
        before=string[para_start:b],
        after=string[e:para_end],
        date_value=r["date"],
        credibility_label=r["credLabel"],
        credibility_why=r["why"],
        corroborations=int(r["k"] or 0),
        contradictions=int(r["m"] or 0),
        corroborating=related("corroboratedBy"),
        contradicting=related("contradictedBy"),
        repeating=related("repeatedBy"),
        software=r["version"],
        extracted_at=r["time"],
        chain_ratings=chain,
    )


def document_view(kb: KnowledgeBase, iri: str) -> DocumentView | None:
    """An article or comment: its text with the mentions linked, its claims and judgements."""
    rows = _rows(
        kb,
        """SELECT ?label ?type ?text ?file ?string ?b ?e ?pos ?parent ?parentLabel ?author WHERE {
          GRAPH ?g { ?x_ srkb:inSourceText ?text ; rdfs:label ?label ; a ?type ;
                         nif:beginIndex ?b ; nif:endIndex ?e .
                     ?text nif:isString ?string ; dcterms:source ?file .
                     FILTER(?type IN (srkb:Article, srkb:ReaderComment))
                     OPTIONAL { ?x_ schema:position ?pos }
                     OPTIONAL { ?x_ schema:parentItem ?parent . ?parent rdfs:label ?parentLabel }
                     OPTIONAL { ?x_ schema:author/rdfs:label ?author } } } LIMIT 1""",
        x=iri,
    )
    if not rows:
        return None
    r = rows[0]
    string, b, e = r["string"] or "", int(r["b"] or 0), int(r["e"] or 0)
    mentions = _rows(
        kb,
        """SELECT ?mb ?me ?ent ?name WHERE { GRAPH ?g {
              ?m srkb:inDocument ?x_ ; srkb:refersTo ?ent ; srkb:evidence ?s .
              ?s nif:beginIndex ?mb ; nif:endIndex ?me }
            GRAPH ?gn { ?ent skos:prefLabel ?name } } ORDER BY ?mb DESC(?me)""",
        x=iri,
    )
    pieces, cursor = [], b
    for m in mentions:
        mb, me = int(m["mb"] or 0), int(m["me"] or 0)
        if mb < cursor or me > e:
            continue  # overlapping or outside: keep the first
        if mb > cursor:
            pieces.append(MentionPiece(string[cursor:mb]))
        pieces.append(MentionPiece(string[mb:me], Link(m["ent"] or "", m["name"] or "")))
        cursor = me
    if cursor < e:
        pieces.append(MentionPiece(string[cursor:e]))
    comments = [
        Link(c["c"] or "", c["l"] or "")
        for c in _rows(
            kb,
            """SELECT ?c ?l ?p WHERE { GRAPH ?g { ?c schema:parentItem ?x_ ; rdfs:label ?l ;
                                                     schema:position ?p } } ORDER BY ?p""",
            x=iri,
        )
    ]
    return DocumentView(
        iri=iri,
        label=r["label"] or "",
        kind="article" if (r["type"] or "").endswith("Article") else "comment",
        text_iri=r["text"] or "",
        file=r["file"] or "",
        span=Span(b, e, string[b:e]),
        pieces=pieces,
        position=int(r["pos"]) if r["pos"] else None,
        parent=Link(r["parent"], r["parentLabel"] or "") if r["parent"] else None,
        author=r["author"],
        claims=_claims(kb, "FILTER(?doc = ?x_)", x=iri),
        judgements=_judgements(kb, "FILTER(?doc = ?x_)", x=iri),
        comments=comments,
    )
