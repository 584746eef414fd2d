"""The working state that the pipeline stages read and write for one text.

Stages fill one mutable ``Doc``; ``extract()`` freezes it into the public
``model.Extraction`` at the end. Keeping the mutable state here lets each stage stay a
small function ``(Doc) -> Doc`` (spaCy style) while the records handed to callers stay
frozen.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .lexicon import lower_same_length, normalise
from .model import (
    ACTOR_TYPES,
    SOURCE_TYPES,
    Claim,
    Entity,
    Judgement,
    Mention,
    Segment,
    Span,
)

PERSON = "Person"
MEDIA_TYPES = frozenset({"NewsAgency", "NewsOutlet", "Website", "Map"})
_MEDIA_COLLECTIVE = re.compile(r"(?i)(?<![\w-])(?:media|press|outlets|newspapers|television|TV)$")


@dataclass
class Sentence:
    """A sentence (or a quote plus its frame) inside one segment."""

    start: int
    end: int
    segment: int


@dataclass
class EntityState:
    """An entity while the document is being read; frozen into ``model.Entity`` at the end."""

    key: str
    name: str
    types: set[str]
    roles: set[str]
    in_gazetteer: bool = False
    type_evidence: str | None = None
    aliases: list[str] = field(default_factory=list)
    hidden: set[str] = field(default_factory=set)  # surface forms never displayed (slurs)
    intro: set[str] = field(default_factory=set)  # title words and adjectives seen before the name

    @property
    def is_person(self) -> bool:
        return PERSON in self.types

    @property
    def is_media(self) -> bool:
        return bool(self.types & MEDIA_TYPES)

    @property
    def is_unnamed(self) -> bool:
        return self.key.startswith("unnamed/")

    @property
    def is_source_typed(self) -> bool:
        return bool(self.types & SOURCE_TYPES)

    def freeze(self) -> Entity:
        return Entity(
            key=self.key,
            name=self.name,
            types=frozenset(self.types),
            roles=frozenset(self.roles),  # type: ignore[arg-type]  # roles are "actor"/"source"
            aliases=tuple(a for a in self.aliases if a not in self.hidden),
            in_gazetteer=self.in_gazetteer,
            type_evidence=self.type_evidence,
        )


_new = object.__new__


def _span(start: int, end: int, text: str) -> Span:
    """``Span(start, end, text)`` without the frozen dataclass's ``__init__``, which sets
    each field through ``object.__setattr__``: half the cost, for the ~400 spans of a
    seed-sized text. The record is the same (equal, hashable, frozen)."""
    span = _new(Span)
    fields = span.__dict__
    fields["start"], fields["end"], fields["text"] = start, end, text
    return span


def _mention(entity: str, span: Span, segment: int) -> Mention:
    """``Mention(entity, span, segment)``, built as ``_span`` builds a Span."""
    m = _new(Mention)
    fields = m.__dict__
    fields["entity"], fields["span"], fields["segment"] = entity, span, segment
    return m


def slugify(name: str) -> str:
    """A readable key for an entity found in the text ("Aldar Xelil" -> "aldar-xelil")."""
    ascii_name = unicodedata.normalize("NFKD", name)
    ascii_name = "".join(c for c in ascii_name if not unicodedata.combining(c))
    slug = re.sub(r"[^\w]+", "-", ascii_name.casefold()).strip("-_")
    return slug[:80] or "x"


class Doc:
    """Text, its normalised twins, and everything the stages found so far."""

    def __init__(
        self, text: str, document_date: date | None = None, article_end: int | None = None
    ) -> None:
        self.text = text
        self.norm = normalise(text)
        self.low = lower_same_length(self.norm)
        self.document_date = document_date
        self.article_end = article_end
        self.segments: list[Segment] = []
        self.sentences: list[Sentence] = []
        self.quotes: list[tuple[int, int]] = []  # paired quotation marks: (open, close + 1)
        self._quoted: bytearray | None = None  # 1 inside a quotation (built when first asked)
        self._line_starts: list[int] | None = None
        self.masked: list[tuple[int, int]] = []  # URL spans no name matcher may enter
        self.cue_hits: dict[int, list[tuple[int, int, str, int]]] | None = None  # by sentence
        self._word_starts: dict[str, list[int]] | None = None  # see starts.py
        self.entities: dict[str, EntityState] = {}
        self.claims: list[Claim] = []
        self.judgements: list[Judgement] = []
        self.publisher: str | None = None
        self.context: Any = None  # references.SourceContext, shared by claims and judgements
        self.metadata: dict[str, str] = {}
        self._seg_starts: list[int] = []
        self._seg_index: list[int] = []
        self._by_end: dict[int, Mention] = {}
        # the mentions, by start (they never overlap, so a start names one), in the order
        # they were found: a dict, so that removing one costs O(1), not a list search
        self._by_start: dict[int, Mention] = {}
        self._count: dict[str, int] = {}  # entity key -> how many mentions it has
        self._of_entity: dict[str, set[int]] = {}  # entity key -> starts of its mentions
        self._starts = bytearray(len(text))  # 1 where a mention begins
        self._occupied = bytearray(len(text))  # 1 where a mention already is
        self._maskbits = bytearray(len(text))  # 1 inside a masked span

    def word_starts(self, name: str) -> list[int]:
        """Offsets where a word of the list ``name`` may begin (starts.py): the stages that
        look for gazetteer labels, cue triggers, titles and verbs share one scan."""
        if self._word_starts is None:
            from .starts import word_starts  # starts.py needs the stages, which need Doc

            self._word_starts = word_starts(self.low)
        return self._word_starts[name]

    @property
    def mentions(self) -> list[Mention]:
        """Every mention, in the order found (a fresh list: callers may change the Doc
        while they walk it)."""
        return list(self._by_start.values())

    def has_mentions(self, key: str) -> bool:
        """True while entity ``key`` has a mention left."""
        return self._count.get(key, 0) > 0

    # ----------------------------------------------------------------- spans
    def span(self, start: int, end: int) -> Span:
        start = max(0, min(start, len(self.text)))
        end = max(start, min(end, len(self.text)))
        return _span(start, end, self.text[start:end])

    def index_segments(self) -> None:
        self._seg_starts = [s.span.start for s in self.segments]
        self._seg_index = [s.index for s in self.segments]

    def segment_at(self, pos: int) -> int:
        """Index of the segment holding ``pos`` (the article when before any comment)."""
        i = bisect.bisect_right(self._seg_starts, pos) - 1
        return self._seg_index[i] if i >= 0 else 0

    # ----------------------------------------------------------------- entities
    def add_entity(
        self,
        key: str,
        name: str,
        types: set[str],
        *,
        in_gazetteer: bool = False,
        evidence: str | None = None,
    ) -> EntityState:
        """Get or create the entity ``key``; roles follow from its types until a stage adds more."""
        ent = self.entities.get(key)
        if ent is None:
            roles = {"actor"} if types & ACTOR_TYPES else {"source"}
            ent = EntityState(key, name, set(types), roles, in_gazetteer, evidence)
            self.entities[key] = ent
        return ent

    def new_key(self, name: str, prefix: str = "") -> str:
        """A fresh slug key for an entity from the text, never a gazetteer key of another."""
        base = prefix + slugify(name)
        key, n = base, 2
        while key in self.entities and self.entities[key].name.casefold() != name.casefold():
            key, n = f"{base}-{n}", n + 1
        return key

    def overlaps_mention(self, start: int, end: int) -> bool:
        return self._occupied.find(1, start, end) >= 0

    def mask(self, start: int, end: int) -> None:
        """Keep [start, end) (a web address, a place) away from every name matcher."""
        self.masked.append((start, end))
        self._maskbits[start:end] = b"\x01" * (end - start)

    def is_masked(self, start: int, end: int) -> bool:
        """True if [start, end) overlaps a masked span (a web address, a place)."""
        return bool(self.masked) and self._maskbits.find(1, start, end) >= 0

    def add_mention(
        self, key: str, start: int, end: int, *, hidden: bool = False
    ) -> Mention | None:
        """Record one occurrence of ``key``; refuses spans that overlap an earlier mention.

        Called for every name found (~200 times on a seed-sized text), so the span and the
        segment are computed inline rather than through ``span()``/``segment_at()``.
        """
        if start >= end or self._occupied.find(1, start, end) >= 0:
            return None
        text = self.text
        surface = text[start:end]
        if 0 <= start and end <= len(text):
            span = _span(start, end, surface)
        else:
            span = self.span(start, end)
        i = bisect.bisect_right(self._seg_starts, start) - 1
        m = _mention(key, span, self._seg_index[i] if i >= 0 else 0)
        self._starts[start] = 1
        self._occupied[start:end] = b"\x01" * (end - start)
        self._by_end[end] = m
        self._by_start[start] = m
        self._count[key] = self._count.get(key, 0) + 1
        self._of_entity.setdefault(key, set()).add(start)
        ent = self.entities[key]
        if surface not in ent.aliases:
            ent.aliases.append(surface)
        if hidden:
            ent.hidden.add(surface)
        return m

    def remove_mention(self, m: Mention) -> None:
        """Forget one mention (a longer name found later covers it)."""
        s, e = m.span.start, m.span.end
        if self._by_start.get(s) is not m:
            raise ValueError(f"no such mention: {m}")
        del self._by_start[s]
        self._starts[s] = 0
        self._occupied[s:e] = b"\x00" * (e - s)
        if self._by_end.get(e) is m:
            del self._by_end[e]
        self._count[m.entity] -= 1
        self._of_entity[m.entity].discard(s)

    def merge_entity(self, src: str, dst: str) -> None:
        """Move every mention of entity ``src`` to ``dst`` and drop ``src``."""
        if src == dst or src not in self.entities or dst not in self.entities:
            return
        moved = [self._by_start[s] for s in sorted(self._of_entity.get(src, ()))]
        for m in moved:
            self.remove_mention(m)
        for m in moved:
            self.add_mention(dst, m.span.start, m.span.end)
        old, new = self.entities.pop(src), self.entities[dst]
        new.roles |= old.roles
        new.intro |= old.intro

    def mention_ending_at(self, end: int) -> Mention | None:
        return self._by_end.get(end)

    def mention_starting_at(self, start: int) -> Mention | None:
        return self._by_start.get(start)

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Mentions wholly inside [start, end), in text order. The cost is that of a
        ``bytearray.find`` over the window plus one step per mention in it."""
        out = []
        find, by_start = self._starts.find, self._by_start
        i = find(1, max(0, start), end)
        while i >= 0:
            m = by_start[i]
            if m.span.end <= end:
                out.append(m)
            i = find(1, i + 1, end)
        return out

    def last_mention_before(self, pos: int, lo: int) -> Mention | None:
        """The mention that begins last in [lo, pos) (``bytearray.rfind``: the cost is the
        distance walked back, not the number of mentions)."""
        i = self._starts.rfind(1, max(0, lo), pos)
        return self._by_start[i] if i >= 0 else None

    def line_start(self, pos: int) -> int:
        """Where the line holding ``pos`` begins (a bisection, not a scan back through a
        long line)."""
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.norm)]
        return self._line_starts[bisect.bisect_right(self._line_starts, pos) - 1]

    def in_quote(self, pos: int) -> bool:
        """True when ``pos`` lies inside a paired quotation (its marks excluded)."""
        if self._quoted is None:
            self._quoted = bytearray(len(self.text))
            for s, e in self.quotes:
                if e - 1 > s + 1:
                    self._quoted[s + 1 : e - 1] = b"\x01" * (e - 2 - s)
        return 0 <= pos < len(self._quoted) and self._quoted[pos] == 1

    def straddles(self, pos: int) -> bool:
        """True when ``pos`` falls strictly inside a mention (not at its start or end)."""
        occ = self._occupied
        return 0 < pos < len(occ) and occ[pos - 1] == 1 and occ[pos] == 1 and not self._starts[pos]

    def unnamed(self, phrase_start: int, phrase_end: int, *, channel: bool) -> EntityState:
        """The document-local entity for an unnamed speaker or channel, named as written."""
        phrase = self.text[phrase_start:phrase_end].strip()
        key = "unnamed/" + slugify(phrase)
        ent = self.add_entity(key, phrase, {"UnnamedSource"})
        ent.roles.add("source")
        if channel and _MEDIA_COLLECTIVE.search(phrase):
            ent.types.add("NewsOutlet")  # "Israeli media", "local media": a collective reporter
        if phrase not in ent.aliases:
            ent.aliases.append(phrase)
        return ent
