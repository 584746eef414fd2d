"""Source reliability and claim credibility, computed from the evidence and explained.

Analysts grade by hand with the NATO Admiralty code: reliability of a source A-F and
credibility of an item 1-6. srkb computes both axes from what the knowledge base holds
and records, for every grade, the evidence it used and the rule that mapped it.

Source reliability is a subjective-logic opinion built from evidence counts (Jøsang's
beta reputation): r positive and s negative pieces of evidence give belief
b = r/(r+s+W), disbelief d = s/(r+s+W), uncertainty u = W/(r+s+W) and expected value
E = b + a*u. Evidence is readers' judgements (positive 1, negative 1, mixed half each)
and the source's track record: each claim it relayed that independent origins
corroborate counts for it, each claim contradicted more than corroborated counts
against it. Too little evidence (r + s < minimum) gives F.

Claim credibility looks at the other claims on the same matter: corroborating claims
count by independent *origin* (the relaying source, else the speaker, else the text;
reprints of one wire story share an origin and near-identical wording is merged), and
contradicting claims (a denial, a negation) likewise. The reliability of the claim's own
chain and whether it rests on an unnamed or self-interested source decide the rest.

Ratings are derived deterministically from the other graphs and written to their own
named graph; recomputing over the same data gives the same triples.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV

from .iri import IriMinter, short_hash
from .store import KnowledgeBase, rdflib_to_quads
from .vocab import SRKB, sparql_prefixes

MODEL_VERSION = "1"


@dataclass(frozen=True)
class ModelParameters:
    """The knobs of the rating model; recorded on every rating through its model IRI."""

    prior_weight: float = 2.0  # W: non-informative prior weight (beta distribution)
    base_rate: float = 0.5  # a: prior probability that an unknown source is reliable
    minimum_evidence: float = 2.0  # below r + s = this, the grade is F
    # expected-value thresholds for the letters A-D (anything lower is E)
    thresholds: tuple[tuple[str, float], ...] = (("A", 0.85), ("B", 0.70), ("C", 0.45), ("D", 0.30))
    a_needs_evidence: float = 8.0  # "completely reliable" also needs this much evidence
    similarity: float = 0.34  # Jaccard of content terms above which two claims are on one matter
    duplicate: float = 0.85  # Jaccard above which two claims are the same wording (a reprint)
    rare_terms: int = 4  # candidate pairs: claims sharing one of a claim's rarest terms
    max_postings: int = 300  # a term used by more claims than this is not specific

    def describe(self) -> str:
        cuts = ", ".join(f"{g} if E >= {t}" for g, t in self.thresholds)
        return (
            f"r = positive judgements + mixed/2 + corroborated relayed claims; "
            f"s = negative judgements + mixed/2 + contradicted relayed claims; "
            "b = r/(r+s+W), d = s/(r+s+W), u = W/(r+s+W), E = b + a*u "
            f"with W = {self.prior_weight}, "
            f"a = {self.base_rate}; F if r+s < {self.minimum_evidence}; "
            f"{cuts} (A also needs r+s >= {self.a_needs_evidence}); else E."
        )


# --------------------------------------------------------------------------- evidence
@dataclass(frozen=True)
class JudgementEvidence:
    iri: str
    source: str
    polarity: str  # positive | negative | mixed
    cue: str
    text: str = ""  # the judgement's sentence(s), for topic scoping
    date: str | None = None  # the comment's (else the article's) date, when known


@dataclass(frozen=True)
class Scope:
    """Restricts a rating to part of the evidence (computed on demand, never stored).

    ``topic``: only judgements and claims whose words include it ("casualties": a reader
    may trust a map on territory but not on casualty figures); ``about``: only claims about
    this actor (IRI) and judgements in comments naming it; ``as_of``: only evidence dated on
    or before this ISO date (undated evidence is kept and counted in the explanation).
    """

    topic: str | None = None
    about: str | None = None
    as_of: str | None = None

    def describe(self) -> str:
        parts = []
        if self.topic:
            parts.append(f"on {self.topic!r}")
        if self.about:
            parts.append(f"about <{self.about}>")
        if self.as_of:
            parts.append(f"as of {self.as_of}")
        return ", ".join(parts) or "all evidence"

    def _topic_ok(self, text: str) -> bool:
        if not self.topic:
            return True
        wanted = {_stem(w) for w in _WORD.findall(self.topic.lower())}
        have = {_stem(w) for w in _WORD.findall(text.lower())}
        return bool(wanted) and wanted <= have

    def _date_ok(self, when: str | None) -> bool:
        return not self.as_of or when is None or when[:10] <= self.as_of

    def keeps_judgement(self, j: JudgementEvidence, mentioned: set[str]) -> bool:
        return (
            self._date_ok(j.date)
            and self._topic_ok(j.text)
            and (not self.about or self.about in mentioned)
        )

    def keeps_claim(self, c: ClaimEvidence) -> bool:
        return (
            self._date_ok(c.date)
            and self._topic_ok(c.content)
            and (not self.about or self.about in c.about)
        )


@dataclass
class ClaimEvidence:
    iri: str
    text: str  # the source text IRI
    document: str
    content: str
    modality: str
    cue: str
    speaker: str | None = None
    via: str | None = None
    speaker_unnamed: bool = False
    via_unnamed: bool = False
    publisher: str | None = None
    date: str | None = None
    about: set[str] = field(default_factory=set)

    @property
    def named_origin(self) -> str | None:
        """Who the information comes from, if a named agent (relay first, then speaker)."""
        for agent, unnamed in ((self.via, self.via_unnamed), (self.speaker, self.speaker_unnamed)):
            if agent and not unnamed:
                return agent
        return self.publisher

    @property
    def origin(self) -> str:
        """The root of the attribution chain; without any agent, the text itself."""
        return self.named_origin or self.via or self.speaker or self.text

    @property
    def unsourced(self) -> bool:
        return not (self.speaker or self.via)

    @property
    def weak_chain(self) -> bool:
        """Rests only on unnamed sources, or on a party speaking about itself."""
        if self.unsourced:
            return False
        only_unnamed = (not self.speaker or self.speaker_unnamed) and (
            not self.via or self.via_unnamed
        )
        self_interested = any(a in self.about for a in (self.speaker, self.via) if a)
        return only_unnamed or self_interested


def _value(term: object) -> str | None:
    return None if term is None else term.value  # type: ignore[attr-defined]  # pyoxigraph term


def load_judgements(kb: KnowledgeBase) -> list[JudgementEvidence]:
    rows = kb.query(
        sparql_prefixes()
        + """
        SELECT ?j ?source ?polarity ?cue ?text ?date ?articleDate WHERE { GRAPH ?g {
          ?j a srkb:SourceJudgement ; srkb:judgedSource ?source ; srkb:polarity ?p ;
             srkb:cue ?cue ; srkb:evidence/nif:anchorOf ?text ; srkb:inDocument ?doc .
          BIND(STRAFTER(STR(?p), "#") AS ?polarity)
          OPTIONAL { ?doc dcterms:date ?date }
          OPTIONAL { ?doc srkb:inSourceText ?t . ?art a srkb:Article ; srkb:inSourceText ?t ;
                          dcterms:date ?articleDate } } }"""
    )
    found: dict[str, JudgementEvidence] = {}
    for r in rows:
        iri = _value(r["j"]) or ""
        found.setdefault(
            iri,
            JudgementEvidence(
                iri,
                _value(r["source"]) or "",
                _value(r["polarity"]) or "mixed",
                _value(r["cue"]) or "",
                _value(r["text"]) or "",
                _value(r["date"]) or _value(r["articleDate"]),
            ),
        )
    return [found[k] for k in sorted(found)]


def load_claims(kb: KnowledgeBase) -> list[ClaimEvidence]:
    rows = kb.query(
        sparql_prefixes()
        + """
        SELECT ?c ?text ?doc ?content ?modality ?cue ?speaker ?via ?su ?vu ?publisher ?date
        WHERE {
          GRAPH ?g {
            ?c a srkb:Claim ; srkb:inDocument ?doc ; srkb:content ?content ; srkb:cue ?cue ;
               srkb:modality ?m .
            ?doc srkb:inSourceText ?text .
            BIND(STRAFTER(STR(?m), "#") AS ?modality)
            OPTIONAL { ?c srkb:speaker ?speaker
                       OPTIONAL { ?speaker a ?st FILTER(?st = srkb:UnnamedSource) } }
            OPTIONAL { ?c srkb:relayedBy ?via
                       OPTIONAL { ?via a ?vt FILTER(?vt = srkb:UnnamedSource) } }
            OPTIONAL { ?article a srkb:Article ; srkb:inSourceText ?text ;
                                schema:publisher ?publisher }
            OPTIONAL { ?art2 a srkb:Article ; srkb:inSourceText ?text ; dcterms:date ?articleDate }
            OPTIONAL { ?doc dcterms:date ?docDate }
            BIND(COALESCE(?docDate, ?articleDate) AS ?date)
            BIND(BOUND(?st) AS ?su) BIND(BOUND(?vt) AS ?vu)
          } }"""
    )
    claims: dict[str, ClaimEvidence] = {}
    for r in rows:
        iri = _value(r["c"])
        assert iri is not None
        if iri in claims:
            continue
        claims[iri] = ClaimEvidence(
            iri=iri,
            text=_value(r["text"]) or "",
            document=_value(r["doc"]) or "",
            content=_value(r["content"]) or "",
            modality=_value(r["modality"]) or "asserted",
            cue=_value(r["cue"]) or "",
            speaker=_value(r["speaker"]),
            via=_value(r["via"]),
            speaker_unnamed=_value(r["su"]) == "true",
            via_unnamed=_value(r["vu"]) == "true",
            publisher=_value(r["publisher"]),
            date=_value(r["date"]),
        )
    for r in kb.query(
        sparql_prefixes()
        + "SELECT ?c ?a WHERE { GRAPH ?g { ?c a srkb:Claim ; srkb:mentionsActor ?a } }"
    ):
        claim = claims.get(_value(r["c"]) or "")
        if claim is not None:
            claim.about.add(_value(r["a"]) or "")
    return [claims[k] for k in sorted(claims)]


# --------------------------------------------------------------------------- claims
_STOP = frozenset(
    """a an the and or but of to in on at by for from with as that this these those it its is are
    was were be been being has have had will would could should may might can do does did not no
    than then there their they them he she his her we our you your i me my who which what when
    where while after before over under into about also said says told according reported
    some any all more most many much very just only still yet already up down out off
    near""".split()
)
_NEGATION = re.compile(
    r"\b(?:not|no|never|none|nobody|nothing|neither|nor|false|untrue|fake|fabricated|baseless|"
    r"deny|denies|denied|denying|denial|reject\w*|dismiss\w*|refut\w*)\b|n't\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*|\d+", re.UNICODE)


def _stem(word: str) -> str:
    for suffix in ("ings", "ing", "edly", "ed", "ies", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def content_terms(claim: ClaimEvidence) -> frozenset[str]:
    """Content words (stemmed) and the entities the claim is about."""
    words = {
        _stem(w)
        for w in (m.group().lower() for m in _WORD.finditer(claim.content))
        if w not in _STOP and len(w) > 2 and not _NEGATION.fullmatch(w)
    }
    return frozenset(words | {"@" + a for a in claim.about})


def negated(claim: ClaimEvidence) -> bool:
    """Does the claim deny its content (doubted frame, a denial cue, a negation inside)?"""
    return (
        claim.modality == "doubted"
        or bool(_NEGATION.search(claim.cue))
        or bool(_NEGATION.search(claim.content))
    )


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


@dataclass
class ClaimRelations:
    """How one claim relates to the others."""

    corroborating: list[str] = field(default_factory=list)
    contradicting: list[str] = field(default_factory=list)
    repeating: list[str] = field(default_factory=list)
    corroborating_origins: set[str] = field(default_factory=set)
    contradicting_origins: set[str] = field(default_factory=set)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def relate_claims(
    claims: list[ClaimEvidence], params: ModelParameters
) -> dict[str, ClaimRelations]:
    """Find corroborating, contradicting and repeating claims; count independent origins.

    Candidate pairs come from an inverted index on content terms, through each claim's
    rarest terms only (place names, numbers, names: what makes a matter specific). Two
    claims on one matter share most of their terms, so one's rarest terms are almost always
    among the other's; and the work grows with the claims that share specific terms, not
    with the square of all claims, nor with words that thousands of claims use.
    """
    terms = {c.iri: content_terms(c) for c in claims}
    by_iri = {c.iri: c for c in claims}
    index: dict[str, list[str]] = defaultdict(list)
    for c in claims:
        for t in terms[c.iri]:
            index[t].append(c.iri)
    pairs: set[tuple[str, str]] = set()
    for c in claims:
        rarest = sorted(terms[c.iri], key=lambda t: (len(index[t]), t))[: params.rare_terms]
        for t in rarest:
            postings = index[t]
            if len(postings) > params.max_postings:
                break  # sorted by frequency: the rest are commoner still
            for other_iri in postings:
                if other_iri != c.iri:
                    pairs.add((c.iri, other_iri) if c.iri < other_iri else (other_iri, c.iri))
    same_origin = _UnionFind()
    matters: list[tuple[str, str, bool]] = []  # (a, b, contradict)
    for a, b in sorted(pairs):
        ca, cb = by_iri[a], by_iri[b]
        if ca.text == cb.text and ca.document == cb.document:
            continue  # two claims of one document do not corroborate each other
        sim = jaccard(terms[a], terms[b])
        if sim < params.similarity or len(terms[a] & terms[b]) < 2:
            continue
        contradict = negated(ca) != negated(cb)
        if not contradict and sim >= params.duplicate:
            same_origin.union(ca.origin, cb.origin)  # the same wording: one story, reprinted
        matters.append((a, b, contradict))
    relations = {c.iri: ClaimRelations() for c in claims}
    for a, b, contradict in matters:
        ca, cb = by_iri[a], by_iri[b]
        oa, ob = same_origin.find(ca.origin), same_origin.find(cb.origin)
        for this, other, o_other, o_this in ((ca, cb, ob, oa), (cb, ca, oa, ob)):
            rel = relations[this.iri]
            if contradict:
                rel.contradicting.append(other.iri)
                if o_other != o_this:
                    rel.contradicting_origins.add(o_other)
            elif o_other == o_this:
                rel.repeating.append(other.iri)
            else:
                rel.corroborating.append(other.iri)
                rel.corroborating_origins.add(o_other)
    return relations


# --------------------------------------------------------------------------- ratings
def _dec(x: float) -> Decimal:
    return Decimal(str(x)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)


@dataclass
class SourceRating:
    source: str
    r: float
    s: float
    judgements: list[JudgementEvidence]
    supporting_claims: list[str]
    undermining_claims: list[str]
    params: ModelParameters

    @property
    def total(self) -> float:
        return self.r + self.s

    @property
    def belief(self) -> float:
        return self.r / (self.total + self.params.prior_weight)

    @property
    def disbelief(self) -> float:
        return self.s / (self.total + self.params.prior_weight)

    @property
    def uncertainty(self) -> float:
        return self.params.prior_weight / (self.total + self.params.prior_weight)

    @property
    def expected(self) -> float:
        return self.belief + self.params.base_rate * self.uncertainty

    @property
    def grade(self) -> str:
        if self.total < self.params.minimum_evidence:
            return "F"
        for letter, threshold in self.params.thresholds:
            if self.expected >= threshold and (
                letter != "A" or self.total >= self.params.a_needs_evidence
            ):
                return letter
        return "E"

    @property
    def profile(self) -> str:
        if self.total == 0:
            return "none"
        if min(self.r, self.s) >= 0.25 * self.total:
            return "mixed"
        return "positive" if self.r > self.s else "negative"

    def explanation(self, name: str) -> str:
        counts: dict[str, int] = defaultdict(int)
        for j in self.judgements:
            counts[j.polarity] += 1
        parts = [
            f"{name}: {counts['positive']} positive, {counts['negative']} negative and "
            f"{counts['mixed']} mixed reader judgement(s)",
            f"{len(self.supporting_claims)} corroborated and {len(self.undermining_claims)} "
            "contradicted relayed claim(s)",
        ]
        opinion = (
            f"r = {self.r:g}, s = {self.s:g}; b = {self.belief:.3f}, d = {self.disbelief:.3f}, "
            f"u = {self.uncertainty:.3f}, E = {self.expected:.3f}"
        )
        if self.grade == "F":
            verdict = (
                f"grade F: r + s = {self.total:g} < {self.params.minimum_evidence:g}, "
                "too little evidence"
            )
        else:
            verdict = f"grade {self.grade} ({self.profile} evidence)"
        return "; ".join(parts) + f"; {opinion}; {verdict}."


@dataclass
class ClaimRating:
    claim: ClaimEvidence
    relations: ClaimRelations
    chain_ratings: list[SourceRating]

    @property
    def corroborations(self) -> int:
        return len(self.relations.corroborating_origins)

    @property
    def contradictions(self) -> int:
        return len(self.relations.contradicting_origins)

    @property
    def chain_grade(self) -> str | None:
        """The weakest graded link of the chain (F links do not count)."""
        graded = [r.grade for r in self.chain_ratings if r.grade != "F"]
        return max(graded) if graded else None

    @property
    def grade_and_reason(self) -> tuple[int, str]:
        k, m, c = self.corroborations, self.contradictions, self.claim
        chain = self.chain_grade
        if m:
            if m > k:
                return 5, f"contradicted by {m} independent origin(s), corroborated by {k}"
            return 4, f"contradicted by {m} independent origin(s), though corroborated by {k}"
        if k >= 2:
            return 1, f"confirmed by {k} independent origins"
        if k == 1:
            if c.weak_chain:
                return 3, "corroborated by 1 independent origin, but its own chain is weak"
            return 2, "corroborated by 1 independent origin"
        if c.unsourced:
            return 6, "no speaker or source is given and nothing corroborates it"
        if c.weak_chain:
            return 4, "rests on a single unnamed or self-interested source"
        if c.modality == "doubted":
            return 4, "reported with doubt and not corroborated"
        if chain in ("A", "B"):
            return 2, f"single source, graded {chain}"
        if chain in ("D", "E"):
            return 4, f"single source, graded {chain}"
        return 3, f"single source{', graded ' + chain if chain else ' of unknown reliability'}"

    @property
    def grade(self) -> int:
        return self.grade_and_reason[0]


@dataclass
class Ratings:
    sources: dict[str, SourceRating]
    claims: dict[str, ClaimRating]
    params: ModelParameters
    names: dict[str, str]


def source_names(kb: KnowledgeBase) -> dict[str, str]:
    names: dict[str, str] = {}
    for r in kb.query(
        sparql_prefixes()
        + "SELECT ?s ?l WHERE { GRAPH ?g { ?s skos:prefLabel ?l } } ORDER BY ?s ?l"
    ):
        names.setdefault(_value(r["s"]) or "", _value(r["l"]) or "")
    return names


def _entities_near_judgements(kb: KnowledgeBase) -> dict[str, set[str]]:
    """For each judgement, the entities named in its comment."""
    out: dict[str, set[str]] = defaultdict(set)
    for r in kb.query(
        sparql_prefixes()
        + """SELECT DISTINCT ?j ?e WHERE { GRAPH ?g { ?j a srkb:SourceJudgement ;
               srkb:inDocument ?d . ?m srkb:inDocument ?d ; srkb:refersTo ?e } }"""
    ):
        out[_value(r["j"]) or ""].add(_value(r["e"]) or "")
    return out


def compute_ratings(
    kb: KnowledgeBase, params: ModelParameters | None = None, scope: Scope | None = None
) -> Ratings:
    """Rate every judged or relaying source and every claim in the store.

    With a ``scope``, only the evidence it keeps counts (see Scope); such ratings are for
    answering a question and are not written to the ratings graph.
    """
    params = params or ModelParameters()
    judgements = load_judgements(kb)
    claims = load_claims(kb)
    if scope is not None:
        if scope.as_of:  # later claims neither corroborate nor contradict yet
            claims = [c for c in claims if scope._date_ok(c.date)]
        near = _entities_near_judgements(kb) if scope.about else {}
        judgements = [j for j in judgements if scope.keeps_judgement(j, near.get(j.iri, set()))]
    relations = relate_claims(claims, params)
    track_record = claims if scope is None else [c for c in claims if scope.keeps_claim(c)]

    r: dict[str, float] = defaultdict(float)
    s: dict[str, float] = defaultdict(float)
    used_j: dict[str, list[JudgementEvidence]] = defaultdict(list)
    supporting: dict[str, list[str]] = defaultdict(list)
    undermining: dict[str, list[str]] = defaultdict(list)
    for j in judgements:
        used_j[j.source].append(j)
        if j.polarity == "positive":
            r[j.source] += 1
        elif j.polarity == "negative":
            s[j.source] += 1
        else:
            r[j.source] += 0.5
            s[j.source] += 0.5
    rated_sources = set(used_j)
    for c in track_record:
        rel = relations[c.iri]
        for agent in {c.via, c.speaker} - {None}:
            assert agent is not None
            rated_sources.add(agent)
            k, m = len(rel.corroborating_origins), len(rel.contradicting_origins)
            if m > k:
                s[agent] += 1
                undermining[agent].append(c.iri)
            elif k >= 1 and m == 0:
                r[agent] += 1
                supporting[agent].append(c.iri)
    sources = {
        src: SourceRating(
            src, r[src], s[src], used_j[src], supporting[src], undermining[src], params
        )
        for src in sorted(rated_sources)
    }
    claim_ratings = {
        c.iri: ClaimRating(
            c, relations[c.iri], [sources[a] for a in (c.via, c.speaker) if a and a in sources]
        )
        for c in claims
    }
    return Ratings(sources, claim_ratings, params, source_names(kb))


# --------------------------------------------------------------------------- RDF
def ratings_graph(ratings: Ratings, base_iri: str) -> Graph:
    """The ratings as triples: one rating node per source and claim, with its evidence."""
    mint = IriMinter(base_iri)
    g = Graph()
    p = ratings.params
    model = mint(f"model/admiralty-beta-{MODEL_VERSION}-{short_hash(p, length=8)}")
    g.add((model, RDF.type, SRKB.RatingModel))
    g.add((model, RDFS.label, Literal(f"srkb Admiralty rating model v{MODEL_VERSION}")))
    g.add((model, SRKB.formula, Literal(p.describe())))
    g.add((model, SRKB.priorWeight, Literal(_dec(p.prior_weight), datatype=XSD.decimal)))
    g.add((model, SRKB.baseRate, Literal(_dec(p.base_rate), datatype=XSD.decimal)))
    g.add((model, SRKB.minimumEvidence, Literal(_dec(p.minimum_evidence), datatype=XSD.decimal)))
    activity = mint(f"activity/rating/{short_hash(MODEL_VERSION, p, length=16)}")
    g.add((activity, RDF.type, SRKB.RatingActivity))
    g.add((activity, RDFS.label, Literal("computation of the Admiralty ratings")))
    g.add((activity, PROV.used, model))

    source_iri: dict[str, URIRef] = {}
    for src, sr in ratings.sources.items():
        iri = mint(f"rating/source/{short_hash(src)}")
        source_iri[src] = iri
        name = ratings.names.get(src, src)
        g.add((iri, RDF.type, SRKB.SourceReliabilityRating))
        g.add((iri, RDFS.label, Literal(f"reliability of {name}: {sr.grade}")))
        g.add((iri, SRKB.ratedSource, URIRef(src)))
        g.add((iri, SRKB.reliabilityGrade, SRKB["reliability" + sr.grade]))
        for prop, value in (
            (SRKB.positiveEvidence, sr.r),
            (SRKB.negativeEvidence, sr.s),
            (SRKB.belief, sr.belief),
            (SRKB.disbelief, sr.disbelief),
            (SRKB.uncertainty, sr.uncertainty),
            (SRKB.expectedReliability, sr.expected),
        ):
            g.add((iri, prop, Literal(_dec(value), datatype=XSD.decimal)))
        g.add((iri, SRKB.evidenceProfile, Literal(sr.profile)))
        g.add((iri, SRKB.explanation, Literal(sr.explanation(name))))
        g.add((iri, SRKB.ratingModel, model))
        g.add((iri, PROV.wasGeneratedBy, activity))
        for j in sr.judgements:
            g.add((iri, SRKB.usedJudgement, URIRef(j.iri)))
        for c in sr.supporting_claims + sr.undermining_claims:
            g.add((iri, SRKB.usedClaim, URIRef(c)))

    for claim_iri, cr in ratings.claims.items():
        iri = mint(f"rating/claim/{short_hash(claim_iri)}")
        grade, reason = cr.grade_and_reason
        g.add((iri, RDF.type, SRKB.ClaimCredibilityRating))
        g.add((iri, RDFS.label, Literal(f"credibility {grade}")))
        g.add((iri, SRKB.ratedClaim, URIRef(claim_iri)))
        g.add((iri, SRKB.credibilityGrade, SRKB[f"credibility{grade}"]))
        g.add(
            (iri, SRKB.independentCorroborations, Literal(cr.corroborations, datatype=XSD.integer))
        )
        g.add((iri, SRKB.contradictions, Literal(cr.contradictions, datatype=XSD.integer)))
        g.add((iri, SRKB.explanation, Literal(f"credibility {grade}: {reason}.")))
        g.add((iri, SRKB.ratingModel, model))
        g.add((iri, PROV.wasGeneratedBy, activity))
        g.add((iri, SRKB.usedClaim, URIRef(claim_iri)))
        rel = cr.relations
        for other in rel.corroborating:
            g.add((URIRef(claim_iri), SRKB.corroboratedBy, URIRef(other)))
            g.add((iri, SRKB.usedClaim, URIRef(other)))
        for other in rel.contradicting:
            g.add((URIRef(claim_iri), SRKB.contradictedBy, URIRef(other)))
            g.add((iri, SRKB.usedClaim, URIRef(other)))
        for other in rel.repeating:
            g.add((URIRef(claim_iri), SRKB.repeatedBy, URIRef(other)))
        for sr in cr.chain_ratings:
            g.add((iri, SRKB.usedRating, source_iri[sr.source]))
    return g


def ratings_graph_iri(base_iri: str) -> str:
    return str(IriMinter(base_iri)("graph/ratings"))


def recompute_ratings(
    kb: KnowledgeBase, base_iri: str, params: ModelParameters | None = None
) -> Ratings:
    """Recompute every rating and replace the ratings graph in one transaction."""
    ratings = compute_ratings(kb, params)
    graph_iri = ratings_graph_iri(base_iri)
    kb.replace_graph(graph_iri, rdflib_to_quads(ratings_graph(ratings, base_iri), graph_iri))
    return ratings


def grade_counts(ratings: Ratings) -> dict[str, int]:
    """How many sources got each letter (for summaries)."""
    counts: dict[str, int] = defaultdict(int)
    for sr in ratings.sources.values():
        counts[sr.grade] += 1
    return dict(sorted(counts.items()))


def resolve_agent(kb: KnowledgeBase, name: str) -> list[tuple[str, str]]:
    """(IRI, preferred label) of the agents a name, alias or domain (or subdomain) names."""
    literal = str(ox.Literal(name.strip()))
    rows = kb.query(
        sparql_prefixes()
        + f"""SELECT DISTINCT ?a ?label WHERE {{
          GRAPH ?g {{ ?a skos:prefLabel|skos:altLabel|skos:hiddenLabel|srkb:domainName ?n }}
          FILTER(LCASE(STR(?n)) = LCASE({literal})
                 || STRENDS(LCASE({literal}), CONCAT(".", LCASE(STR(?n)))))
          GRAPH ?gl {{ ?a skos:prefLabel ?label }} }} ORDER BY ?a"""
    )
    seen: dict[str, str] = {}
    for r in rows:
        seen.setdefault(_value(r["a"]) or "", _value(r["label"]) or "")
    return sorted(seen.items())
