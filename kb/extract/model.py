"""Extraction records: plain frozen dataclasses with character offsets, no RDF.

Only kb/build.py turns these into triples, so the extractor can be tested and scored
without a graph. All offsets are code-point offsets into the text as read (UTF-8
decoded, newlines kept), end exclusive: ``text[span.start:span.end] == span.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SegmentKind = Literal["article", "comment"]
PolarityName = Literal["positive", "negative", "mixed"]
ModalityName = Literal["asserted", "possible", "planned", "doubted"]
Role = Literal["actor", "source"]

# Entity types, by ontology class local name (srkb:<Type>).
ACTOR_TYPES = frozenset(
    {"ArmedGroup", "State", "MilitaryForce", "PoliticalOrganisation", "Person", "Collective"}
)
SOURCE_TYPES = frozenset(
    {"NewsAgency", "NewsOutlet", "Website", "Map", "OfficialBody", "UnnamedSource"}
)


@dataclass(frozen=True, order=True)
class Span:
    """A character span of the document text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Segment:
    """The article or one comment: a unit of authored text inside the document."""

    kind: SegmentKind
    index: int  # 0 for the article, 1.. for comments in order
    span: Span
    reply_to: int | None = None  # index of the segment this comment answers, if known
    author: str | None = None  # the commenter's name when the text gives one
    date: str | None = None  # the comment's date as the caller gave it (JSON input)


@dataclass(frozen=True)
class Entity:
    """An actor or source found in the document (one record per distinct entity).

    ``key`` is stable: a gazetteer entity's key is its gazetteer id ("sdf"); an entity
    found from the text gets the slug of its name ("aldar-xelil"); an unnamed source
    gets "unnamed/<slug>" and is local to the document.
    """

    key: str
    name: str
    types: frozenset[str]  # ontology class local names, e.g. {"Person"} or {"NewsAgency"}
    roles: frozenset[Role]  # "actor", "source" or both
    aliases: tuple[str, ...] = ()  # surface forms seen in this document
    in_gazetteer: bool = False
    type_evidence: str | None = None  # why the type was guessed, for entities from the text

    @property
    def unnamed(self) -> bool:
        return self.key.startswith("unnamed/")


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity's name."""

    entity: str  # Entity.key
    span: Span
    segment: int  # Segment.index


@dataclass(frozen=True)
class Claim:
    """A reported statement with an explicit reporting frame."""

    span: Span  # the sentence holding the reporting frame (what a reader would quote)
    content: Span  # the reported clause or quote
    cue: Span  # the reporting frame: "told Reuters", "according to Syrian sources"
    segment: int
    speaker: str | None = None  # Entity.key of who made the statement
    via: str | None = None  # Entity.key of the relaying source
    date: Span | None = None  # the date as written ("On April 4")
    date_value: str | None = None  # "2018-04-04" or "--04-04" (xsd:gMonthDay)
    modality: ModalityName = "asserted"
    about: tuple[str, ...] = ()  # Entity.keys named in the content
    # A denial or rebuttal ("a claim the SDF denied", "X denied the claim"): the content
    # span of the earlier claim this statement contradicts. Its modality is "doubted".
    contradicts: Span | None = None


@dataclass(frozen=True)
class Judgement:
    """A reader's evaluation of a source's reliability."""

    span: Span  # the sentence(s) carrying the judgement
    cue: Span  # the most telling phrase
    source: str  # Entity.key of the judged source
    polarity: PolarityName
    segment: int
    assessor: str | None = None  # commenter name when known; None means anonymous


@dataclass(frozen=True)
class Extraction:
    """Everything the pipeline read out of one text."""

    text: str
    segments: tuple[Segment, ...]
    entities: tuple[Entity, ...]
    mentions: tuple[Mention, ...]
    claims: tuple[Claim, ...]
    judgements: tuple[Judgement, ...]
    metadata: dict[str, str] = field(default_factory=dict, compare=False)
    # Entity.key of the outlet the article and its comments appeared in, when known (the
    # JSON input's "publisher"/"url", or a comment that addresses it: "Dear SF, ...")
    publisher: str | None = None

    def entity(self, key: str) -> Entity:
        for e in self.entities:
            if e.key == key:
                return e
        raise KeyError(key)
