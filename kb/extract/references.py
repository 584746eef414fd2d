"""Which source a text means without naming it: "the article", "this map", "it", "he".

Claims ("the article points out ...") and judgements ("this map lies") both need it, so
the rule lives here once: a reference noun means the nearest source of a matching kind in
the same comment, else the outlet the comments are under (the publisher, when a comment
addresses it: "Dear SF, ..."), else the nearest earlier source of that kind in the thread.
A pronoun means the comment's own topic, else the thread's last topic.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from .doc import MEDIA_TYPES, Doc, EntityState
from .lexicon import alternation, load_lexicon
from .model import Mention

_ADDRESS = re.compile(
    r"\s*(?:(?:Dear|Hi|Hello|Hey|Thanks|Thank you|Thx|Cheers|Well done|Good job|Great job"
    r"|Congrats|Kudos)"
    r"(?:\s+to)?[\s,]+|@)"
)
_ADDRESS_AFTER = re.compile(r"\s*(?:[,:\u2013\u2014-]|team\b|editors?\b)")
_SECOND_PERSON = re.compile(r"(?<![\w'])(?:you|your|You|Your)(?![\w'])")
SOURCE_TYPES_JUDGED = MEDIA_TYPES | {"OfficialBody"}
# nouns that can only mean the page the comments are under (or a link posted to it);
# "this channel" or "the site" may also mean a channel or site named earlier in the thread
_PUBLISHER_ONLY = frozenset(
    {
        "article",
        "piece",
        "report",
        "story",
        "author",
        "writer",
        "journalist",
        "reporting",
        "coverage",
    }
)


@lru_cache(maxsize=1)
def reference_rx() -> re.Pattern[str]:
    """'the article', 'this map', 'their usual quality' -> the noun in group 'noun'."""
    nouns = alternation(list(load_lexicon().references))
    return re.compile(
        rf"(?<![\w-])(?P<det>[Tt]he|[Tt]his|[Tt]hat|[Tt]hese|[Tt]heir|[Ii]ts|[Ii]t's|[Yy]our|[Mm]y)\s+"
        rf"(?:(?:same|whole|entire|latest|last|original|linked|above|\w+ed|[A-Z][\w-]+)\s+)?"
        rf"(?P<noun>{nouns})(?![\w-])"
    )


class SourceContext:
    """Resolves unnamed references to sources for one document, comment by comment."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.refs = load_lexicon().references
        ms = sorted(doc.mentions, key=lambda m: m.span.start)
        self.things = [m for m in ms if self._is_thing(doc.entities[m.entity])]
        self.persons = [m for m in ms if doc.entities[m.entity].is_person]
        self._thing_starts = [m.span.start for m in self.things]
        self._person_starts = [m.span.start for m in self.persons]
        self.topic: dict[int, str] = {}  # segment -> last source it was about
        self.publisher = doc.publisher or self._publisher()  # a caller may know it
        doc.publisher = self.publisher

    @staticmethod
    def _is_thing(ent: EntityState) -> bool:
        return bool(ent.types & SOURCE_TYPES_JUDGED) and not ent.is_unnamed

    def _publisher(self) -> str | None:
        """The outlet the comments are under, when a comment addresses it by name."""
        doc = self.doc
        for seg in doc.segments[1:]:
            s, e = seg.span.start, seg.span.end
            i = bisect.bisect_left(self._thing_starts, s)
            for m in self.things[i : i + 3]:  # an address opens the comment
                if m.span.start >= min(e, s + 40):
                    break
                ent = doc.entities[m.entity]
                if not ent.is_media:
                    continue
                before = doc.norm[s : m.span.start]
                if _ADDRESS.fullmatch(before) or (
                    not before.strip()
                    and _ADDRESS_AFTER.match(doc.norm, m.span.end)
                    and _SECOND_PERSON.search(doc.norm, m.span.end, e)
                ):
                    return m.entity
        return None

    def note(self, segment: int, key: str) -> None:
        """Record what a comment was about, for pronouns in the comments after it."""
        if self._is_thing(self.doc.entities[key]):
            self.topic[segment] = key

    def _segment_bounds(self, segment: int) -> tuple[int, int]:
        sp = self.doc.segments[segment].span
        return sp.start, sp.end

    def _nearest(
        self,
        pool: list[Mention],
        starts: list[int],
        lo: int,
        hi: int,
        kinds: frozenset[str],
        skip: tuple[int, int] = (0, 0),
    ) -> str | None:
        """The last mention in [lo, hi), outside ``skip``, whose entity has one of ``kinds``."""
        i = bisect.bisect_left(starts, hi) - 1
        while i >= 0 and starts[i] >= lo:
            m = pool[i]
            ent = self.doc.entities[m.entity]
            inside = skip[0] <= m.span.start and m.span.end <= skip[1]
            if not inside and (not kinds or ent.types & kinds):
                return m.entity
            i -= 1
        return None

    def reference(
        self, noun: str, pos: int, segment: int, skip: tuple[int, int] = (0, 0)
    ) -> str | None:
        """The source meant by 'the <noun>' at ``pos`` in ``segment``.

        ``skip`` is the reference phrase itself: the platform in "that Telegram channel"
        is not the channel meant.
        """
        kinds, publisher_ok = self.refs.get(noun.lower(), (frozenset(), False))
        s, e = self._segment_bounds(segment)
        if segment == 0:
            return None
        found = self._nearest(self.things, self._thing_starts, s, e, kinds, skip)
        if found:
            return found
        if publisher_ok and self.publisher:
            return self.publisher
        if publisher_ok:
            # no known publisher: only a link posted earlier in the thread can be "the article"
            for seg in range(segment - 1, 0, -1):
                ss, se = self._segment_bounds(seg)
                for m in reversed(self.things[bisect.bisect_left(self._thing_starts, ss) :]):
                    if m.span.start < se and self.doc.is_masked(m.span.start, m.span.end):
                        if not kinds or self.doc.entities[m.entity].types & kinds:
                            return m.entity
            if noun.lower() in _PUBLISHER_ONLY:
                return None  # "the article" is the page the comments are under
        for seg in range(segment - 1, 0, -1):
            t = self.topic.get(seg)
            if t and (not kinds or self.doc.entities[t].types & kinds):
                return t
            ss, se = self._segment_bounds(seg)
            found = self._nearest(self.things, self._thing_starts, ss, se, kinds)
            if found:
                return found
        return None

    def pronoun(self, person: bool, pos: int, segment: int) -> str | None:
        """What 'he'/'she' (person) or 'it'/'they' (thing) at ``pos`` means."""
        pool, starts = (
            (self.persons, self._person_starts) if person else (self.things, self._thing_starts)
        )
        s, _ = self._segment_bounds(segment)
        found = self._nearest(pool, starts, s, pos, frozenset())
        if found or segment == 0:
            return found
        for seg in range(segment - 1, max(-1, segment - 5), -1):
            if not person and seg in self.topic:
                return self.topic[seg]
            ss, se = self._segment_bounds(seg)
            found = self._nearest(pool, starts, ss, se, frozenset())
            if found:
                return found
        return None
