"""Whole-word search with ``str.find``: no regex, linear in the text.

The name rules look many fixed phrases up ("the turkish ministry", role nouns, short
forms); a regex per phrase would cost a scan of the text each, and ``str.find`` with a
word-border check is several times faster. ``find_word_at`` uses the word starts of the
shared scan (starts.py) instead of searching at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache


def _find_word_at(text: str, word: str, offsets: list[int]) -> list[int]:
    """``_find_word(text, word)`` when ``offsets`` (ascending) holds every word start
    where ``word`` occurs, as the shared scan of starts.py gives: no ``str.find``."""
    if _has_border(word):  # its occurrences may overlap: the plain search decides
        return _find_word(text, word)
    n, out = len(word), []
    for i in offsets:
        if text.startswith(word, i):
            after = text[i + n] if i + n < len(text) else " "
            if i and text[i - 1] in "_-":
                continue
            if not (after.isalnum() or after in "_-'"):
                out.append(i)
    return out


@lru_cache(maxsize=1024)
def _has_border(word: str) -> bool:
    """True when a proper prefix of ``word`` is also its suffix ("abab"): only then can
    two occurrences overlap."""
    return any(word[:k] == word[-k:] for k in range(1, len(word)))


def _find_word_twice(norm: str, low: str, word: str, lowered: bool) -> tuple[list[int], list[int]]:
    """``_find_word(norm, word)`` and, if ``lowered``, ``_find_word(low, word.lower())``,
    from one pass of ``str.find`` over the lower-cased twin (every occurrence as written
    is one in lower case too)."""
    lw = word.lower()
    if not lowered or len(lw) != len(word):
        return _find_word(norm, word), _find_word(low, lw) if lowered else []
    occ, i = [], low.find(lw)
    while i >= 0:  # every occurrence, overlapping ones too
        occ.append(i)
        i = low.find(lw, i + 1)
    return (
        _word_chain(norm, word, [i for i in occ if norm.startswith(word, i)]),
        _word_chain(low, lw, occ),
    )


def _word_chain(text: str, word: str, occurrences: list[int]) -> list[int]:
    """What ``_find_word`` keeps of the (ascending) occurrences of ``word``: each search
    resumes after the last occurrence, and whole words only."""
    out, n, resume = [], len(word), 0
    for i in occurrences:
        if i < resume:
            continue
        resume = i + n
        before = text[i - 1] if i else " "
        after = text[i + n] if i + n < len(text) else " "
        if not (before.isalnum() or before in "_-") and not (after.isalnum() or after in "_-'"):
            out.append(i)
    return out


def _find_word(text: str, word: str) -> list[int]:
    """Start offsets of ``word`` in ``text`` as a whole word (``str.find``: no regex)."""
    out, n, i = [], len(word), text.find(word)
    while i >= 0:
        before = text[i - 1] if i else " "
        after = text[i + n] if i + n < len(text) else " "
        if not (before.isalnum() or before in "_-") and not (after.isalnum() or after in "_-'"):
            out.append(i)
        i = text.find(word, i + n)
    return out


def _find_words(text: str, words: Iterable[str], before: str, after: str) -> list[tuple[int, int]]:
    """The spans ``re.finditer(rf"(?<![\\w{before}])(?:{trie_regex(words)})(?![\\w{after}])",
    text)`` yields, found with ``str.find`` instead of compiling a regex for each set of
    words: at each start the longest word with a border on both sides, leftmost first, no
    overlaps. ``\\w`` is ``str.isalnum`` or "_"; ``words`` must not hold "".
    """
    longest: dict[int, int] = {}  # start -> length of the longest bordered word there
    find, n = text.find, len(text)
    for word in words:
        size = len(word)
        i = find(word)
        while i >= 0:
            j = i + size
            if longest.get(i, 0) < size:
                c = text[i - 1] if i else " "
                d = text[j] if j < n else " "
                if not (c.isalnum() or c == "_" or c in before) and not (
                    d.isalnum() or d == "_" or d in after
                ):
                    longest[i] = size
            i = find(word, i + 1)
    out: list[tuple[int, int]] = []
    resume = 0
    for i in sorted(longest):
        if i >= resume:
            resume = i + longest[i]
            out.append((i, resume))
    return out
