"""Ratings as quads in the ratings graph: one rating node per source and per claim.

Provenance is stated once for the graph (``BASE/graph/ratings prov:wasGeneratedBy`` the
rating activity, which ``prov:used`` the model: its formula and parameters), as for text
graphs. Every rating in the graph comes from that one model, so no rating repeats it (a
link per rating was 1.3 million quads at 100,000 texts).

A source rating carries its grade, the opinion, the evidence counted
(``srkb:positiveJudgements`` ... ``srkb:contradictedClaims``) and links to each judgement
and claim counted (``srkb:usedJudgement``, ``srkb:usedClaim``). A claim rating carries
its grade, the independent corroborations and contradictions, why, and links to the
ratings of its relay and speaker (``srkb:usedRating``); the claims it was compared with
are linked from the claim itself (``srkb:corroboratedBy``, ``srkb:contradictedBy``,
``srkb:repeatedBy``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

import pyoxigraph as ox

from ..iri import IriMinter, short_hash
from ..reliability import (
    MODEL_VERSION,
    ClaimRating,
    ClaimRelations,
    ModelParameters,
    SourceRating,
)
from ..vocab import PREFIXES
from .claim_index import parse_links

_S, _RDF, _RDFS, _PROV, _XSD = (
    PREFIXES["srkb"],
    PREFIXES["rdf"],
    PREFIXES["rdfs"],
    PREFIXES["prov"],
    PREFIXES["xsd"],
)
N = ox.NamedNode
A, LABEL = N(_RDF + "type"), N(_RDFS + "label")
GENERATED, USED = N(_PROV + "wasGeneratedBy"), N(_PROV + "used")
DECIMAL = N(_XSD + "decimal")

RATED_SOURCE, RATED_CLAIM = N(_S + "ratedSource"), N(_S + "ratedClaim")
RELIABILITY, CREDIBILITY = N(_S + "reliabilityGrade"), N(_S + "credibilityGrade")
EXPLANATION = N(_S + "explanation")
USED_JUDGEMENT, USED_CLAIM, USED_RATING, USED_PRIOR = (
    N(_S + "usedJudgement"),
    N(_S + "usedClaim"),
    N(_S + "usedRating"),
    N(_S + "usedPrior"),
)
CORROBORATIONS, CONTRADICTIONS = N(_S + "independentCorroborations"), N(_S + "contradictions")
NON_PARTY = N(_S + "nonPartyCorroborations")
OWN_ACCOUNT_OF = N(_S + "ownAccountOf")
CORROBORATED_BY, CONTRADICTED_BY, REPEATED_BY = (
    N(_S + "corroboratedBy"),
    N(_S + "contradictedBy"),
    N(_S + "repeatedBy"),
)
RELATIONS = (CORROBORATED_BY, CONTRADICTED_BY, REPEATED_BY)
_LINK_PREDICATES = {"c": CORROBORATED_BY, "x": CONTRADICTED_BY, "r": REPEATED_BY}
COUNTS = {
    "positive": N(_S + "positiveJudgements"),
    "negative": N(_S + "negativeJudgements"),
    "mixed": N(_S + "mixedJudgements"),
    "corroborated": N(_S + "corroboratedClaims"),
    "contradicted": N(_S + "contradictedClaims"),
    "corroborated_reports": N(_S + "corroboratedReports"),
    "contradicted_reports": N(_S + "contradictedReports"),
    "own_accounts": N(_S + "ownAccountClaims"),
}
OPINION = {
    "r": N(_S + "positiveEvidence"),
    "s": N(_S + "negativeEvidence"),
    "belief": N(_S + "belief"),
    "disbelief": N(_S + "disbelief"),
    "uncertainty": N(_S + "uncertainty"),
    "expected": N(_S + "expectedReliability"),
}
PIECES, PROFILE = N(_S + "evidencePieces"), N(_S + "evidenceProfile")
PRIORS = {
    "count": N(_S + "priorAssessments"),
    "r": N(_S + "priorPositiveEvidence"),
    "s": N(_S + "priorNegativeEvidence"),
}
#: The predicates of a source rating node other than its links to judgements and claims
#: (read and rewritten whole; its few prior assessments' links with them).
SOURCE_SCALARS = (
    A,
    LABEL,
    RATED_SOURCE,
    RELIABILITY,
    EXPLANATION,
    PROFILE,
    PIECES,
    USED_PRIOR,
    *COUNTS.values(),
    *OPINION.values(),
    *PRIORS.values(),
)


def _dec(x: float) -> ox.Literal:
    """An xsd:decimal to 4 places, in the store's canonical form ("0.5", "1", not "1.0000")."""
    value = Decimal(str(x)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return ox.Literal("0" if text in ("-0", "") else text, datatype=DECIMAL)


class RatingQuads:
    """Mints the ratings graph's IRIs and turns ratings into its quads."""

    def __init__(self, base_iri: str, params: ModelParameters) -> None:
        mint = IriMinter(base_iri)
        self.base = mint.base
        self.params = params
        self.graph = N(str(mint("graph/ratings")))
        self.model = N(
            str(mint(f"model/admiralty-beta-{MODEL_VERSION}-{short_hash(params, length=8)}"))
        )
        self._sources: dict[str, ox.NamedNode] = {}
        self.activity = N(
            str(mint(f"activity/rating/{short_hash(MODEL_VERSION, params, length=16)}"))
        )

    def q(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> ox.Quad:
        return ox.Quad(s, p, o, self.graph)

    def header(self) -> list[ox.Quad]:
        """The graph's provenance, the activity and the model."""
        p, m = self.params, self.model
        q = self.q
        return [
            q(self.graph, GENERATED, self.activity),
            q(m, A, N(_S + "RatingModel")),
            q(m, LABEL, ox.Literal(f"srkb Admiralty rating model v{MODEL_VERSION}")),
            q(m, N(_S + "formula"), ox.Literal(p.describe())),
            q(m, N(_S + "priorWeight"), _dec(p.prior_weight)),
            q(m, N(_S + "baseRate"), _dec(p.base_rate)),
            q(m, N(_S + "minimumEvidence"), _dec(p.minimum_evidence)),
            q(self.activity, A, N(_S + "RatingActivity")),
            q(self.activity, LABEL, ox.Literal("computation of the Admiralty ratings")),
            q(self.activity, USED, m),
        ]

    def source_iri(self, source: str) -> ox.NamedNode:
        found = self._sources.get(source)
        if found is None:  # asked once per claim of the source: each hashed once
            found = self._sources[source] = N(f"{self.base}rating/source/{short_hash(source)}")
        return found

    def claim_iri(self, claim: str) -> ox.NamedNode:
        return N(f"{self.base}rating/claim/{short_hash(claim)}")

    def source(self, sr: SourceRating) -> list[ox.Quad]:
        """A source rating node, without its links to the evidence (SOURCE_SCALARS)."""
        iri, q = self.source_iri(sr.source), self.q
        out = [
            q(iri, A, N(_S + "SourceReliabilityRating")),
            q(iri, LABEL, ox.Literal(sr.label if sr.grade == "F" else f"reliability {sr.label}")),
            q(iri, RATED_SOURCE, N(sr.source)),
            q(iri, RELIABILITY, N(_S + "reliability" + sr.grade)),
            q(iri, PROFILE, ox.Literal(sr.profile)),
            q(iri, PIECES, ox.Literal(sr.pieces)),
            q(iri, EXPLANATION, ox.Literal(sr.explanation())),
        ]
        for name, prop in COUNTS.items():
            out.append(q(iri, prop, ox.Literal(getattr(sr.counts, name))))
        for name, prop in OPINION.items():
            out.append(q(iri, prop, _dec(getattr(sr, name))))
        if sr.priors:
            out.append(q(iri, PRIORS["count"], ox.Literal(len(sr.priors))))
            out.append(q(iri, PRIORS["r"], _dec(float(sr.prior_r))))
            out.append(q(iri, PRIORS["s"], _dec(float(sr.prior_s))))
            out += [q(iri, USED_PRIOR, N(p.iri)) for p in sr.priors]
        return out

    def claim(self, cr: ClaimRating, chain: list[str]) -> list[ox.Quad]:
        """A claim rating node (``chain``: its relay's and speaker's IRIs, rated)."""
        iri, q = self.claim_iri(cr.claim.iri), self.q
        grade, reason = cr.grade_and_reason
        out = [
            q(iri, A, N(_S + "ClaimCredibilityRating")),
            q(iri, RATED_CLAIM, N(cr.claim.iri)),
            q(iri, CREDIBILITY, N(_S + f"credibility{grade}")),
            q(iri, CORROBORATIONS, ox.Literal(cr.corroborations)),
            q(iri, NON_PARTY, ox.Literal(cr.relations.k_non_party)),
            q(iri, CONTRADICTIONS, ox.Literal(cr.contradictions)),
            q(iri, EXPLANATION, ox.Literal(f"credibility {grade}: {reason}.")),
        ]
        out += [q(iri, USED_RATING, self.source_iri(s)) for s in sorted(set(chain))]
        out += [q(iri, OWN_ACCOUNT_OF, N(p)) for p in cr.claim.own_account]
        return out

    def parsed_relations(self, claim: str, text: str) -> list[ox.Quad]:
        """The claim's links kept as kb.derived.claim_index.links_text, as quads."""
        c = N(claim)
        return [self.q(c, _LINK_PREDICATES[kind], N(other)) for kind, other in parse_links(text)]

    def relations(self, claim: str, rel: ClaimRelations) -> list[ox.Quad]:
        """The claim's links to the claims on its matter."""
        c = N(claim)
        out = [self.q(c, CORROBORATED_BY, N(o)) for o in rel.corroborating]
        out += [self.q(c, CONTRADICTED_BY, N(o)) for o in rel.contradicting]
        out += [self.q(c, REPEATED_BY, N(o)) for o in rel.repeating]
        return out
