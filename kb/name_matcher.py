"""Entity names in memory, matched the ways readers spell them, in time that does not grow
with the number of names, in little memory.

The search page (kb.search) scores every entity whose name matches a query exactly, with
spaces dropped ("almasdar"), by prefix, by words (all the query's words in the name, or
all the name's words in the query) or approximately. At 100,000 documents there are
350,000 names: a scan of all of them per query took 250 ms. So the word matches come from
postings (word -> the names holding it), the prefix matches from the sorted names, and
the approximate ones only from names of a length that can reach the score cut-off.

Why packed: held as Python objects (a tuple and three strings per name, a list per word)
those 350,000 names took 380 MB in every server worker. Here every string lives in one
UTF-8 blob with an array of offsets (``PackedStrings``) and every list of numbers is an
``array``, about 45 bytes per name in all; a string is decoded only when a query reaches it.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import overload

from rapidfuzz import fuzz, process

_Offer = Callable[[int, float, str], None]  # where the helpers report a match (entity index)

FUZZY_CUTOFF = 80  # rapidfuzz ratio (0-100) an approximate match needs
FUZZY_MIN_LENGTH = 4  # shorter queries match too many names approximately


def _offsets() -> array[int]:
    ends = array("I")
    if ends.itemsize < 4:  # pragma: no cover - every platform srkb runs on has 4
        ends = array("L")
    return ends


class PackedStrings(Sequence[str]):
    """Strings in one UTF-8 blob and an array of where each ends: a string costs its bytes
    plus 4, not the ~50 of a Python object. Read-only; ``bisect`` works on it when sorted
    (UTF-8 byte order is code point order, Python's string order)."""

    __slots__ = ("_blob", "_ends")

    def __init__(self, items: Iterable[str]) -> None:
        blob = bytearray()
        ends = _offsets()
        for item in items:
            blob += item.encode()
            ends.append(len(blob))
        self._blob = bytes(blob)
        self._ends = ends

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self._ends)
        start = self._ends[i - 1] if i else 0  # IndexError past either end, as a list
        return self._blob[start : self._ends[i]].decode()

    def __iter__(self) -> Iterator[str]:
        start = 0
        for end in self._ends:
            yield self._blob[start:end].decode()
            start = end

    @property
    def nbytes(self) -> int:
        """Memory held (blob and offsets)."""
        return len(self._blob) + len(self._ends) * self._ends.itemsize


class _Compacted:
    """The names without spaces, in the order of an index array (what bisect reads)."""

    def __init__(self, keys: PackedStrings, order: array[int]) -> None:
        self._keys, self._order = keys, order

    def __len__(self) -> int:
        return len(self._order)

    def __getitem__(self, i: int) -> str:
        return self._keys[self._order[i]].replace(" ", "")


class NameMatcher:
    """Normalised names (each with its entity and the form shown), built once, read-only.

    Entities are numbered (``entity_index``, ``iri``) in IRI order, so that callers can keep
    what they know of each in arrays beside it instead of a dict keyed by IRI."""

    def __init__(self, names: Iterable[tuple[str, str, str]]) -> None:
        """``names``: (normalised name, entity IRI, surface form), normalised by the
        caller the same way as the queries it will be asked."""
        rows = sorted(set(names))
        self.iris = PackedStrings(sorted({iri for _, iri, _ in rows}))
        self._keys = PackedStrings(n for n, _, _ in rows)
        self._surfaces = PackedStrings(s for _, _, s in rows)
        self._entity = array("i", (self.entity_index(iri) for _, iri, _ in rows))
        self._token_counts = array("i", (len(set(n.split())) for n, _, _ in rows))
        # word -> names holding it: the words sorted, each one's names in one array
        postings: dict[str, array[int]] = {}
        for i, (norm, _iri, _surface) in enumerate(rows):
            for token in set(norm.split()):
                postings.setdefault(token, array("i")).append(i)
        words = sorted(postings)
        self._words = PackedStrings(words)
        self._word_starts = _offsets()
        self._word_starts.append(0)
        self._postings = array("i")
        for word in words:
            self._postings.extend(postings.pop(word))
            self._word_starts.append(len(self._postings))
        # names by their form without spaces ("almasdar" finds "al masdar")
        flat = [n.replace(" ", "") for n, _, _ in rows]
        self._by_flat = array("i", sorted(range(len(rows)), key=flat.__getitem__))
        self._flat = _Compacted(self._keys, self._by_flat)
        # names by length: the approximate matches come from a window of lengths
        char_counts = array("i", (len(n) for n, _, _ in rows))
        by_length = sorted(range(len(rows)), key=char_counts.__getitem__)
        self._by_length = array("i", by_length)
        self._lengths = array("i", (char_counts[i] for i in by_length))
        # one blob of them, a line each, split per query into the list rapidfuzz reads
        self._length_blob = "\n".join(rows[i][0] for i in by_length).encode()
        self._length_ends = _offsets()  # where each ends in the blob, its newline aside
        end = -1
        for i in by_length:
            end += len(rows[i][0].encode()) + 1
            self._length_ends.append(end)

    def __len__(self) -> int:
        return len(self._keys)

    @property
    def nbytes(self) -> int:
        """Memory held by the names (the blobs and arrays)."""
        arrays = (
            self._entity,
            self._token_counts,
            self._word_starts,
            self._postings,
            self._by_flat,
            self._by_length,
            self._lengths,
            self._length_ends,
        )
        packed = (self.iris, self._keys, self._surfaces, self._words)
        return (
            sum(len(a) * a.itemsize for a in arrays)
            + sum(p.nbytes for p in packed)
            + len(self._length_blob)
        )

    def entity_index(self, iri: str) -> int:
        """The number of an entity that has a name (ValueError if none has)."""
        k = bisect_left(self.iris, iri)
        if k == len(self.iris) or self.iris[k] != iri:
            raise ValueError(f"no name for {iri}")
        return k

    def iri(self, entity: int) -> str:
        return self.iris[entity]

    def scores(self, norm: str, typed: str) -> dict[str, tuple[float, str]]:
        """The best (score, surface form) of each entity a normalised query matches:
        100 exact (also with spaces dropped; shown as ``typed``), 90 prefix, 80 all its
        words in a name, 70 all a name's words in it, up to 75 approximately."""
        return {self.iris[e]: hit for e, hit in self.scores_by_entity(norm, typed).items()}

    def scores_by_entity(self, norm: str, typed: str) -> dict[int, tuple[float, str]]:
        """``scores``, keyed by entity number."""
        scores: dict[int, tuple[float, str]] = {}

        def offer(entity: int, score: float, surface: str) -> None:
            if score > scores.get(entity, (0.0, ""))[0]:
                scores[entity] = (score, surface)

        flat = norm.replace(" ", "")
        for k in range(bisect_left(self._flat, flat), len(self._flat)):
            if self._flat[k] != flat:
                break
            offer(self._entity[self._by_flat[k]], 100.0, typed)
        for i in range(bisect_left(self._keys, norm), len(self._keys)):
            name = self._keys[i]
            if not name.startswith(norm):
                break
            offer(self._entity[i], 100.0 if name == norm else 90.0, self._surfaces[i])
        self._word_matches(set(norm.split()), offer)
        if len(norm) >= FUZZY_MIN_LENGTH:
            self._approximate(norm, offer)
        return scores

    def _names_with(self, word: str) -> array[int]:
        k = bisect_left(self._words, word)
        if k == len(self._words) or self._words[k] != word:
            return array("i")
        return self._postings[self._word_starts[k] : self._word_starts[k + 1]]

    def _word_matches(self, words: set[str], offer: _Offer) -> None:
        lists = sorted((self._names_with(w) for w in words), key=len)
        if not lists:
            return
        # all the query's words in a name: the names in every word's postings
        holding_all = set(lists[0])
        for more in lists[1:]:
            holding_all.intersection_update(more)
        for i in holding_all:
            offer(self._entity[i], 80.0, self._surfaces[i])
        # all a name's words in the query: a name in as many of the query's postings as
        # it has distinct words
        seen: dict[int, int] = {}
        for postings in lists:
            for i in postings:
                seen[i] = seen.get(i, 0) + 1
        for i, hits in seen.items():
            if hits == self._token_counts[i] and i not in holding_all:
                if len(self._keys[i]) > 2:
                    offer(self._entity[i], 70.0, self._surfaces[i])

    def _approximate(self, norm: str, offer: _Offer) -> None:
        # ratio = 2 * matches / (len(a) + len(b)) * 100 >= cut-off bounds b's length
        low = len(norm) * FUZZY_CUTOFF / (200 - FUZZY_CUTOFF)
        high = len(norm) * (200 - FUZZY_CUTOFF) / FUZZY_CUTOFF
        start = bisect_left(self._lengths, int(low))
        end = bisect_right(self._lengths, int(high) + 1)
        if start >= end:
            return
        for _name, score, k in process.extract(
            norm,
            self._window(start, end),
            scorer=fuzz.ratio,
            score_cutoff=FUZZY_CUTOFF,
            limit=20,
        ):
            i = self._by_length[start + k]
            offer(self._entity[i], 0.75 * score, self._surfaces[i])

    def _window(self, start: int, end: int) -> list[str]:
        """The names ``start`` to ``end`` in length order, as strings."""
        first = self._length_ends[start - 1] + 1 if start else 0
        return self._length_blob[first : self._length_ends[end - 1]].decode().split("\n")
