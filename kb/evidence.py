"""The evidence the ratings are computed from: claims and reader judgements as records.

A claim (who said it, through whom, in which document of which text, with which words,
whether it is a party's own account) and a reader judgement (which source, which
polarity, in which words, when) are read out of their text's graph by kb.text_records,
for the derived steps (kb.derived) and for ratings computed on demand alike, so both
see the same evidence. Everything a claim's evidence needs is in its own text's graph.
An analyst's prior assessment of a source is read out of its file's graph (kb.priors).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

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
    own_account: tuple[str, ...] = ()  # parties whose own account it is (kb.own_accounts)

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
        self_interested = bool(self.own_account) or any(
            a in self.about for a in (self.speaker, self.via) if a
        )
        return only_unnamed or self_interested


@dataclass(frozen=True)
class PriorEvidence:
    """An analyst's prior assessment of a source, as loaded from a file (kb.priors)."""

    iri: str
    source: str
    source_name: str  # as the file writes it
    grade: str | None  # an Admiralty letter A-F, or None when a trust value is given
    trust: Decimal | None  # 0..1, or None when a grade is given
    weight: Decimal  # how many pieces of evidence it counts as
    assessor: str  # the assessor's IRI
    assessor_name: str
    date: str  # when the assessment was made (ISO date or date-time)
    file: str = ""  # the file's name as loaded
    graph: str = ""  # the named graph of that file
    note: str = ""

    def describe(self) -> str:
        """ "A by Standards desk on 2024-01-15 (weight 16, house-list.csv)"."""
        what = self.grade if self.grade is not None else f"trust {self.trust}"
        where = f", {self.file}" if self.file else ""
        return f"{what} by {self.assessor_name} on {self.date} (weight {self.weight}{where})"


def _value(term: object) -> str | None:
    return None if term is None else term.value  # type: ignore[attr-defined]  # pyoxigraph term


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
