"""The evidence the ratings are computed from, read out of the text graphs.

A claim (who said it, through whom, in which document of which text, with which words)
and a reader judgement (which source, which polarity, in which words, when) are read
with one SPARQL query each, for the whole store (on-demand scoped ratings) or for a
few text graphs (the texts one ingest added or removed: kb.derived). Everything a
claim's evidence needs is in its own text's graph, so the queries join inside one graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .store import KnowledgeBase
from .vocab import sparql_prefixes


@dataclass(frozen=True)
class JudgementEvidence:
    iri: str
    source: str
    polarity: str  # positive | negative | mixed
    cue: str
    text: str = ""  # the judgement's sentence(s), for topic scoping
    date: str | None = None  # the comment's (else the article's) date, when known
    graph: str = ""  # the text graph it was read from


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
    graph: str = ""  # the text graph it was read from

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
    def agents(self) -> tuple[str, ...]:
        """The speaker and the relay: the sources whose track record the claim is."""
        return tuple(sorted({a for a in (self.via, self.speaker) if a}))

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


def _graphs_clause(graphs: Iterable[str] | None) -> str:
    if graphs is None:
        return ""
    return "VALUES ?g { " + " ".join(f"<{g}>" for g in graphs) + " }\n"


def load_judgements(
    kb: KnowledgeBase, graphs: Iterable[str] | None = None
) -> list[JudgementEvidence]:
    """The reader judgements of the given text graphs (all, by default), by IRI."""
    rows = kb.query(
        sparql_prefixes()
        + "SELECT ?g ?j ?source ?polarity ?cue ?text ?date ?articleDate WHERE {\n"
        + _graphs_clause(graphs)
        + """GRAPH ?g {
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
                _value(r["g"]) or "",
            ),
        )
    return [found[k] for k in sorted(found)]


def load_claims(kb: KnowledgeBase, graphs: Iterable[str] | None = None) -> list[ClaimEvidence]:
    """The claims of the given text graphs (all, by default), by IRI."""
    graph_list = None if graphs is None else list(graphs)
    rows = kb.query(
        sparql_prefixes()
        + "SELECT ?g ?c ?text ?doc ?content ?modality ?cue ?speaker ?via ?su ?vu ?publisher "
        + "?date WHERE {\n"
        + _graphs_clause(graph_list)
        + """GRAPH ?g {
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
            graph=_value(r["g"]) or "",
        )
    for r in kb.query(
        sparql_prefixes()
        + "SELECT ?c ?a WHERE {\n"
        + _graphs_clause(graph_list)
        + "GRAPH ?g { ?c a srkb:Claim ; srkb:mentionsActor ?a } }"
    ):
        claim = claims.get(_value(r["c"]) or "")
        if claim is not None:
            claim.about.add(_value(r["a"]) or "")
    return [claims[k] for k in sorted(claims)]


def entities_near_judgements(kb: KnowledgeBase) -> dict[str, set[str]]:
    """For each judgement, the entities named in its comment (for scoping by actor)."""
    out: dict[str, set[str]] = defaultdict(set)
    for r in kb.query(
        sparql_prefixes()
        + """SELECT DISTINCT ?j ?e WHERE { GRAPH ?g { ?j a srkb:SourceJudgement ;
               srkb:inDocument ?d . ?m srkb:inDocument ?d ; srkb:refersTo ?e } }"""
    ):
        out[_value(r["j"]) or ""].add(_value(r["e"]) or "")
    return out
