"""RDF vocabularies: the srkb ontology terms and the reused namespaces.

Code never builds ontology IRIs by concatenating strings; it uses ``SRKB.Claim`` and
friends. ``_fail = True`` turns a typo into an AttributeError, and a test checks that
this list and ontology/srkb.ttl declare the same terms.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

from ontology import NAMESPACE


class SRKB(DefinedNamespace):
    """Terms of the srkb ontology (https://w3id.org/srkb/ontology#)."""

    _NS = Namespace(NAMESPACE)
    _fail = True

    # classes
    Actor: URIRef
    ArmedGroup: URIRef
    Article: URIRef
    Claim: URIRef
    Collective: URIRef
    Commenter: URIRef
    Document: URIRef
    ExtractedFact: URIRef
    ExtractionActivity: URIRef
    ExtractorSoftware: URIRef
    Map: URIRef
    Mention: URIRef
    MilitaryForce: URIRef
    Modality: URIRef
    ModalityScheme: URIRef
    NewsAgency: URIRef
    NewsOutlet: URIRef
    OfficialBody: URIRef
    Person: URIRef
    Polarity: URIRef
    PolarityScheme: URIRef
    PoliticalOrganisation: URIRef
    ReaderComment: URIRef
    Source: URIRef
    SourceJudgement: URIRef
    SourceText: URIRef
    State: URIRef
    TextSpan: URIRef
    UnnamedSource: URIRef
    Website: URIRef
    # concepts
    asserted: URIRef
    possible: URIRef
    planned: URIRef
    doubted: URIRef
    positive: URIRef
    negative: URIRef
    mixed: URIRef
    # properties
    assessor: URIRef
    content: URIRef
    contentDigest: URIRef  # noqa: N815 - RDF term
    contentHash: URIRef  # noqa: N815 - RDF term
    contentState: URIRef  # noqa: N815 - RDF term
    cue: URIRef
    dateText: URIRef  # noqa: N815 - RDF term
    domainName: URIRef  # noqa: N815 - RDF term
    evidence: URIRef
    inDocument: URIRef  # noqa: N815 - RDF term
    inSourceText: URIRef  # noqa: N815 - RDF term
    judgedSource: URIRef  # noqa: N815 - RDF term
    mentionsActor: URIRef  # noqa: N815 - RDF term
    modality: URIRef
    nameInText: URIRef  # noqa: N815 - RDF term
    nameKey: URIRef  # noqa: N815 - RDF term
    pendingChange: URIRef  # noqa: N815 - RDF term
    polarity: URIRef
    refersTo: URIRef  # noqa: N815 - RDF term
    relayedBy: URIRef  # noqa: N815 - RDF term
    speaker: URIRef
    statementDate: URIRef  # noqa: N815 - RDF term
    typeEvidence: URIRef  # noqa: N815 - RDF term
    typeInText: URIRef  # noqa: N815 - RDF term
    writtenAs: URIRef  # noqa: N815 - RDF term

    # ratings (Admiralty code)
    AdmiraltyCredibility: URIRef
    AdmiraltyCredibilityScheme: URIRef
    AdmiraltyReliability: URIRef
    AdmiraltyReliabilityScheme: URIRef
    ClaimCredibilityRating: URIRef
    Rating: URIRef
    RatingActivity: URIRef
    RatingModel: URIRef
    SourceReliabilityRating: URIRef
    baseRate: URIRef  # noqa: N815 - RDF term
    belief: URIRef
    contradictedBy: URIRef  # noqa: N815 - RDF term
    contradictedClaims: URIRef  # noqa: N815 - RDF term
    contradictions: URIRef
    corroboratedClaims: URIRef  # noqa: N815 - RDF term
    corroboratedBy: URIRef  # noqa: N815 - RDF term
    credibility1: URIRef
    credibility2: URIRef
    credibility3: URIRef
    credibility4: URIRef
    credibility5: URIRef
    credibility6: URIRef
    credibilityGrade: URIRef  # noqa: N815 - RDF term
    disbelief: URIRef
    evidenceProfile: URIRef  # noqa: N815 - RDF term
    expectedReliability: URIRef  # noqa: N815 - RDF term
    explanation: URIRef
    formula: URIRef
    independentCorroborations: URIRef  # noqa: N815 - RDF term
    minimumEvidence: URIRef  # noqa: N815 - RDF term
    mixedJudgements: URIRef  # noqa: N815 - RDF term
    negativeJudgements: URIRef  # noqa: N815 - RDF term
    negativeEvidence: URIRef  # noqa: N815 - RDF term
    positiveEvidence: URIRef  # noqa: N815 - RDF term
    positiveJudgements: URIRef  # noqa: N815 - RDF term
    priorWeight: URIRef  # noqa: N815 - RDF term
    ratedClaim: URIRef  # noqa: N815 - RDF term
    ratedSource: URIRef  # noqa: N815 - RDF term
    reliabilityA: URIRef  # noqa: N815 - RDF term
    reliabilityB: URIRef  # noqa: N815 - RDF term
    reliabilityC: URIRef  # noqa: N815 - RDF term
    reliabilityD: URIRef  # noqa: N815 - RDF term
    reliabilityE: URIRef  # noqa: N815 - RDF term
    reliabilityF: URIRef  # noqa: N815 - RDF term
    reliabilityGrade: URIRef  # noqa: N815 - RDF term
    repeatedBy: URIRef  # noqa: N815 - RDF term
    uncertainty: URIRef
    usedClaim: URIRef  # noqa: N815 - RDF term
    usedPrior: URIRef  # noqa: N815 - RDF term
    # party accounts, reports and prior assessments
    ConflictParty: URIRef
    PriorAssessment: URIRef
    PriorFile: URIRef
    PriorLoadActivity: URIRef
    assessedGrade: URIRef  # noqa: N815 - RDF term
    assessedSource: URIRef  # noqa: N815 - RDF term
    contradictedReports: URIRef  # noqa: N815 - RDF term
    corroboratedReports: URIRef  # noqa: N815 - RDF term
    evidencePieces: URIRef  # noqa: N815 - RDF term
    evidenceWeight: URIRef  # noqa: N815 - RDF term
    nonPartyCorroborations: URIRef  # noqa: N815 - RDF term
    ownAccountClaims: URIRef  # noqa: N815 - RDF term
    ownAccountOf: URIRef  # noqa: N815 - RDF term
    priorAssessments: URIRef  # noqa: N815 - RDF term
    priorNegativeEvidence: URIRef  # noqa: N815 - RDF term
    priorPositiveEvidence: URIRef  # noqa: N815 - RDF term
    sourceName: URIRef  # noqa: N815 - RDF term
    trustValue: URIRef  # noqa: N815 - RDF term
    usedJudgement: URIRef  # noqa: N815 - RDF term


NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

PREFIXES: dict[str, str] = {
    "srkb": NAMESPACE,
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "nif": str(NIF),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "void": str(VOID),
}


def sparql_prefixes() -> str:
    """The PREFIX lines every named query and the web editor start from."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
