"""Entity names in memory, matched the ways readers spell them, in time that does not grow
with the number of names.

The search page (kb.search) scores every entity whose name matches a query exactly, with
spaces dropped ("almasdar"), by prefix, by words (all the query's words in the name, or
all the name's words in the query) or approximately. At 100,000 documents there are
350,000 names: a scan of all of them per query took 250 ms. So the word matches come from
postings (word -> the names holding it), the prefix matches from the sorted names, and
the approximate ones only from names of a length that can reach the score cut-off.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable

from rapidfuzz import fuzz, process

_Offer = Callable[[str, float, str], None]  # where the helpers report a match

FUZZY_CUTOFF = 80  # rapidfuzz ratio (0-100) an approximate match needs
FUZZY_MIN_LENGTH = 4  # shorter queries match too many names approximately


class NameMatcher:
    """Normalised names (each with its entity and the form shown), built once, read-only."""

    def __init__(self, names: Iterable[tuple[str, str, str]]) -> None:
        """``names``: (normalised name, entity IRI, surface form), normalised by the
        caller the same way as the queries it will be asked."""
        self._names = sorted(set(names))
        self._keys = [n for n, _, _ in self._names]
        postings: dict[str, array[int]] = {}
        # name without spaces -> its entity, or a set of them when several share it (a
        # set for every name cost 100 MB at 350,000 names)
        self._compact: dict[str, str | set[str]] = {}
        for i, (norm, iri, _surface) in enumerate(self._names):
            for token in set(norm.split()):
                postings.setdefault(token, array("i")).append(i)
            flat = norm.replace(" ", "")
            held = self._compact.get(flat)
            if held is None:
                self._compact[flat] = iri
            elif isinstance(held, str):
                if held != iri:
                    self._compact[flat] = {held, iri}
            else:
                held.add(iri)
        self._postings = postings
        self._token_counts = array("i", (len(set(n.split())) for n in self._keys))
        by_length = sorted(range(len(self._keys)), key=lambda i: len(self._keys[i]))
        self._by_length = array("i", by_length)
        self._lengths = array("i", (len(self._keys[i]) for i in by_length))
        self._keys_by_length = [self._keys[i] for i in by_length]  # sliced, not rebuilt

    def __len__(self) -> int:
        return len(self._names)

    def scores(self, norm: str, typed: str) -> dict[str, tuple[float, str]]:
        """The best (score, surface form) of each entity a normalised query matches:
        100 exact (also with spaces dropped; shown as ``typed``), 90 prefix, 80 all its
        words in a name, 70 all a name's words in it, up to 75 approximately."""
        scores: dict[str, tuple[float, str]] = {}

        def offer(iri: str, score: float, surface: str) -> None:
            if score > scores.get(iri, (0.0, ""))[0]:
                scores[iri] = (score, surface)

        held = self._compact.get(norm.replace(" ", ""), ())
        for iri in (held,) if isinstance(held, str) else held:
            offer(iri, 100.0, typed)
        for i in range(bisect_left(self._keys, norm), len(self._keys)):
            name, iri, surface = self._names[i]
            if not name.startswith(norm):
                break
            offer(iri, 100.0 if name == norm else 90.0, surface)
        self._word_matches(set(norm.split()), offer)
        if len(norm) >= FUZZY_MIN_LENGTH:
            self._approximate(norm, offer)
        return scores

    def _word_matches(self, words: set[str], offer: _Offer) -> None:
        lists = sorted((self._postings.get(w, array("i")) for w in words), key=len)
        if not lists:
            return
        # all the query's words in a name: the names in every word's postings
        holding_all = set(lists[0])
        for more in lists[1:]:
            holding_all.intersection_update(more)
        for i in holding_all:
            name, iri, surface = self._names[i]
            offer(iri, 80.0, surface)
        # all a name's words in the query: a name in as many of the query's postings as
        # it has distinct words
        seen: dict[int, int] = {}
        for postings in lists:
            for i in postings:
                seen[i] = seen.get(i, 0) + 1
        for i, hits in seen.items():
            name, iri, surface = self._names[i]
            if hits == self._token_counts[i] and len(name) > 2 and i not in holding_all:
                offer(iri, 70.0, surface)

    def _approximate(self, norm: str, offer: _Offer) -> None:
        # ratio = 2 * matches / (len(a) + len(b)) * 100 >= cut-off bounds b's length
        low = len(norm) * FUZZY_CUTOFF / (200 - FUZZY_CUTOFF)
        high = len(norm) * (200 - FUZZY_CUTOFF) / FUZZY_CUTOFF
        start = bisect_left(self._lengths, int(low))
        end = bisect_right(self._lengths, int(high) + 1)
        for _name, score, k in process.extract(
            norm,
            self._keys_by_length[start:end],
            scorer=fuzz.ratio,
            score_cutoff=FUZZY_CUTOFF,
            limit=20,
        ):
            _, iri, surface = self._names[self._by_length[start + k]]
            offer(iri, 0.75 * score, surface)
