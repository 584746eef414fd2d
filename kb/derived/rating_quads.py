"""Ratings as quads in the ratings graph: a rating node per source with evidence, and
rating nodes shared by the claims, and by the sources without evidence, rated alike.

Provenance is stated once for the graph (``BASE/graph/ratings prov:wasGeneratedBy`` the
rating activity, which ``prov:used`` the model: its formula and parameters), as for text
graphs. Every rating in the graph comes from that one model, so no rating repeats it (a
link per rating was 1.3 million quads at 100,000 texts).

A source rating carries its grade, the opinion, the evidence counted
(``srkb:positiveJudgements`` ... ``srkb:contradictedClaims``) and links to each judgement
and claim counted (``srkb:usedJudgement``, ``srkb:usedClaim``): it is the source's own
(``BASE/rating/source/H``). A claim rating carries its grade, the independent
corroborations and contradictions, and why; the claims it was compared with are linked
from the claim itself (``srkb:corroboratedBy``, ``srkb:contradictedBy``,
``srkb:repeatedBy``), its speaker and relay from the claim's text graph.

A claim rating links nothing of its own, and at 10,000 texts 95,149 claim ratings had 138
distinct contents (27,121 the same "rests on a single unnamed or self-interested
source"); half of the sources have no evidence at all, and their ratings are identical
but for the source. Such a rating is one node for all the claims or sources rated alike
(``BASE/rating/credibility/H``, ``BASE/rating/reliability/H``, H a hash of its content),
each linked to it by ``srkb:ratedClaim`` / ``srkb:ratedSource``: one quad per claim
instead of eight, per source without evidence instead of twenty-one (18 % of the quads
of a 10,000-text store: 6.83 M -> 5.61 M). ``shared`` tells such nodes by their IRI; a
node is in the graph while some claim or source links to it (kb.derived.ratings
``settle_shared``).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TypeVar

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
_Object = ox.NamedNode | ox.Literal

RATED_SOURCE, RATED_CLAIM = N(_S + "ratedSource"), N(_S + "ratedClaim")
RELIABILITY, CREDIBILITY = N(_S + "reliabilityGrade"), N(_S + "credibilityGrade")
EXPLANATION = N(_S + "explanation")
USED_JUDGEMENT, USED_CLAIM, USED_PRIOR = (
    N(_S + "usedJudgement"),
    N(_S + "usedClaim"),
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
#: The predicates of a claim rating node (all but ``srkb:ratedClaim``, its links).
CLAIM_SCALARS = (
    A,
    CREDIBILITY,
    CORROBORATIONS,
    NON_PARTY,
    CONTRADICTIONS,
    EXPLANATION,
    OWN_ACCOUNT_OF,
)
#: What links a claim or a source to its rating node.
RATED = (RATED_CLAIM, RATED_SOURCE)


def _dec(x: float) -> ox.Literal:
    """An xsd:decimal to 4 places, in the store's canonical form ("0.5", "1", not "1.0000")."""
    value = Decimal(str(x)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return ox.Literal("0" if text in ("-0", "") else text, datatype=DECIMAL)


NODES_REMEMBERED = 10_000  # a bound on each memo of RatingQuads (cleared when passed)
_K = TypeVar("_K")
_V = TypeVar("_V")


def _remember(memo: dict[_K, _V], key: _K, value: _V) -> None:
    if len(memo) >= NODES_REMEMBERED:
        memo.clear()
    memo[key] = value


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
        self._shared = (f"{self.base}rating/credibility/", f"{self.base}rating/reliability/")
        self.activity = N(
            str(mint(f"activity/rating/{short_hash(MODEL_VERSION, params, length=16)}"))
        )
        # what a rating node says, by what it is made from: a million claims have a few
        # hundred distinct contents, and most sources none of their own (grading and
        # rating in bulk spent most of their time making the same nodes again)
        self._source_scalars: dict[tuple[int, ...], list[tuple[ox.NamedNode, _Object]]] = {}
        self._nodes: dict[tuple[object, ...], tuple[ox.NamedNode, list[ox.Quad]]] = {}

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

    def shared(self, node: ox.NamedNode | ox.BlankNode | ox.Triple) -> bool:
        """Is this a rating node shared by the claims or sources rated alike?"""
        return isinstance(node, ox.NamedNode) and node.value.startswith(self._shared)

    def _node(self, prefix: str, scalars: list[tuple[ox.NamedNode, _Object]]) -> ox.NamedNode:
        """The shared node of these contents (the same contents, the same node)."""
        return N(f"{self.base}{prefix}{short_hash(*sorted(f'{p} {o}' for p, o in scalars))}")

    def source(self, sr: SourceRating) -> list[ox.Quad]:
        """A source rating node, without its links to the evidence (SOURCE_SCALARS), and
        the source's link to it: a shared node when the source has no evidence at all
        (nothing counted, no prior assessment: it links nothing)."""
        link, _iri, node = self.source_parts(sr)
        return [link, *node]

    def source_parts(self, sr: SourceRating) -> tuple[ox.Quad, ox.NamedNode, list[ox.Quad]]:
        """``source`` apart: the source's link, its rating node and the node's quads."""
        counted = sr.counts.values()  # in the order of COUNTS
        if sr.priors or any(counted):
            iri = self.source_iri(sr.source)
            node = [self.q(iri, p, o) for p, o in self._scalars_of(sr, counted)]
        else:
            iri, node = self._shared_node(
                ("reliability", counted),
                "rating/reliability/",
                lambda: self._scalars_of(sr, counted),
            )
        return self.q(iri, RATED_SOURCE, N(sr.source)), iri, node

    def _scalars_of(
        self, sr: SourceRating, counted: tuple[int, ...]
    ) -> list[tuple[ox.NamedNode, _Object]]:
        """A source rating's scalars: a function of its counts (and the model) when it
        has no prior assessments, so made once per distinct counts."""
        if not sr.priors:
            found = self._source_scalars.get(counted)
            if found is not None:
                return found
        scalars: list[tuple[ox.NamedNode, _Object]] = [
            (A, N(_S + "SourceReliabilityRating")),
            (LABEL, ox.Literal(sr.label if sr.grade == "F" else f"reliability {sr.label}")),
            (RELIABILITY, N(_S + "reliability" + sr.grade)),
            (PROFILE, ox.Literal(sr.profile)),
            (PIECES, ox.Literal(sr.pieces)),
            (EXPLANATION, ox.Literal(sr.explanation())),
        ]
        scalars += [(prop, ox.Literal(n)) for prop, n in zip(COUNTS.values(), counted, strict=True)]
        scalars += [(prop, _dec(getattr(sr, name))) for name, prop in OPINION.items()]
        if sr.priors:
            scalars.append((PRIORS["count"], ox.Literal(len(sr.priors))))
            scalars.append((PRIORS["r"], _dec(float(sr.prior_r))))
            scalars.append((PRIORS["s"], _dec(float(sr.prior_s))))
            scalars += [(USED_PRIOR, N(p.iri)) for p in sr.priors]
        else:
            _remember(self._source_scalars, counted, scalars)
        return scalars

    def _shared_node(
        self,
        key: tuple[object, ...],
        prefix: str,
        scalars: Callable[[], list[tuple[ox.NamedNode, _Object]]],
    ) -> tuple[ox.NamedNode, list[ox.Quad]]:
        """The shared node made of ``scalars()`` and its quads, made once per ``key``
        (what determines the scalars)."""
        found = self._nodes.get(key)
        if found is None:
            made = scalars()
            iri = self._node(prefix, made)
            found = (iri, [self.q(iri, p, o) for p, o in made])
            _remember(self._nodes, key, found)
        return found

    def claim(self, cr: ClaimRating) -> list[ox.Quad]:
        """The claim's link to its rating node, and the node (shared by the claims rated
        alike)."""
        link, _iri, node = self.claim_parts(cr)
        return [link, *node]

    def claim_parts(self, cr: ClaimRating) -> tuple[ox.Quad, ox.NamedNode, list[ox.Quad]]:
        """``claim`` apart: the claim's link, the shared node and the node's quads."""
        grade, reason = cr.grade_and_reason
        own = tuple(sorted(set(cr.claim.own_account)))
        corroborations, contradictions = cr.corroborations, cr.contradictions
        non_party = cr.relations.k_non_party

        def scalars() -> list[tuple[ox.NamedNode, _Object]]:
            made: list[tuple[ox.NamedNode, _Object]] = [
                (A, N(_S + "ClaimCredibilityRating")),
                (CREDIBILITY, N(_S + f"credibility{grade}")),
                (CORROBORATIONS, ox.Literal(corroborations)),
                (NON_PARTY, ox.Literal(non_party)),
                (CONTRADICTIONS, ox.Literal(contradictions)),
                (EXPLANATION, ox.Literal(f"credibility {grade}: {reason}.")),
            ]
            return made + [(OWN_ACCOUNT_OF, N(p)) for p in own]

        key = ("credibility", grade, reason, corroborations, non_party, contradictions, own)
        iri, node = self._shared_node(key, "rating/credibility/", scalars)
        return self.q(iri, RATED_CLAIM, N(cr.claim.iri)), iri, node

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
