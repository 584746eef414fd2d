"""Example provenance queries shown on the home page and the query form.

Kept as data (title, help text, SPARQL) so the page, the tests and later the named-query
files (kb/queries/*.rq) can share them. Every query reads the per-text named graphs with
``GRAPH ?g`` and takes labels from whichever graph holds them (gazetteer or text).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Example:
    slug: str
    title: str
    help: str
    sparql: str


_P = {
    "srkb": "PREFIX srkb: <https://w3id.org/srkb/ontology#>",
    "skos": "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>",
    "nif": "PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>",
    "rdfs": "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>",
    "prov": "PREFIX prov: <http://www.w3.org/ns/prov#>",
    "schema": "PREFIX schema: <https://schema.org/>",
}


def _q(prefixes: str, body: str) -> str:
    return "\n".join(_P[p] for p in prefixes.split()) + "\n" + body.strip() + "\n"


EXAMPLES: tuple[Example, ...] = (
    Example(
        "who-said-what",
        "Who said what, through which source",
        "Each claim with its speaker, the source that relayed it, the date given in the "
        "text and the sentence it was read from.",
        _q(
            "srkb skos nif",
            """
SELECT ?speaker ?relayedBy ?date ?evidence ?claim WHERE {
  GRAPH ?g {
    ?claim a srkb:Claim ; srkb:evidence ?span .
    ?span nif:anchorOf ?evidence .
    OPTIONAL { ?claim srkb:dateText ?date }
  }
  OPTIONAL { GRAPH ?g { ?claim srkb:speaker ?s } GRAPH ?gs { ?s skos:prefLabel ?speaker } }
  OPTIONAL { GRAPH ?g { ?claim srkb:relayedBy ?v } GRAPH ?gv { ?v skos:prefLabel ?relayedBy } }
}
ORDER BY ?speaker ?claim
LIMIT 200
""",
        ),
    ),
    Example(
        "claim-evidence",
        "Where a claim comes from: document and character span",
        "For every claim, the document (article or reader comment) and the exact character "
        "offsets in the source text, with the text of that span.",
        _q(
            "srkb nif rdfs",
            """
SELECT ?claim ?document ?docType ?begin ?end ?anchor ?sourceText WHERE {
  GRAPH ?g {
    ?claim a srkb:Claim ; srkb:inDocument ?document ; srkb:evidence ?span .
    ?document a ?docType .
    ?span nif:beginIndex ?begin ; nif:endIndex ?end ; nif:anchorOf ?anchor ;
          nif:referenceContext ?sourceText .
    FILTER (?docType IN (srkb:Article, srkb:ReaderComment))
  }
}
ORDER BY ?sourceText ?begin
LIMIT 200
""",
        ),
    ),
    Example(
        "source-judgements",
        "How readers judge sources",
        "Reader comments that call a source reliable or unreliable, counted per source and "
        "polarity.",
        _q(
            "srkb skos",
            """
SELECT ?source ?polarity (COUNT(?j) AS ?judgements) (SAMPLE(?cue) AS ?exampleCue) WHERE {
  GRAPH ?g {
    ?j a srkb:SourceJudgement ; srkb:judgedSource ?s ; srkb:polarity ?p ; srkb:cue ?cue .
  }
  GRAPH ?gs { ?s skos:prefLabel ?source }
  BIND (STRAFTER(STR(?p), "#") AS ?polarity)
}
GROUP BY ?source ?polarity
ORDER BY DESC(?judgements) ?source
""",
        ),
    ),
    Example(
        "unnamed-sources",
        "Claims relayed by unnamed sources",
        'Claims attributed to sources the text does not name ("according to Syrian '
        'sources", "local observers").',
        _q(
            "srkb skos nif",
            """
SELECT ?source ?evidence ?claim WHERE {
  GRAPH ?g {
    ?claim a srkb:Claim ; srkb:evidence/nif:anchorOf ?evidence .
    { ?claim srkb:relayedBy ?s } UNION { ?claim srkb:speaker ?s }
    ?s a srkb:UnnamedSource ; skos:prefLabel ?source .
  }
}
ORDER BY ?source
""",
        ),
    ),
    Example(
        "extraction-provenance",
        "Which software extracted each text, and when",
        "The extraction activity behind each text's named graph: extractor version and time.",
        _q(
            "srkb prov schema rdfs",
            """
SELECT ?graph ?text ?version ?time WHERE {
  GRAPH ?graph {
    ?activity a srkb:ExtractionActivity ; prov:used ?t ; prov:startedAtTime ?time ;
              prov:wasAssociatedWith ?software .
    ?software schema:softwareVersion ?version .
    ?t rdfs:label ?text .
  }
}
ORDER BY ?text
""",
        ),
    ),
)
