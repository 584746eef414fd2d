"""Where the words of the stages' word lists begin: one scan of the text for all of them.

Several stages look for words of their own lists at word starts: gazetteer labels, the
trigger words of judgement cues, titles ("spokesman"), reporting verbs ("said"),
military nouns ("army"), "according to", role nouns ("representative"), press
offices ("media office") and the word-list register cues of the boundary rule
("propaganda", "said"). In
``re`` each such scan costs about 0.3 ms on a seed-sized text, whatever the list's
length: the engine steps through every character of a pattern that opens with a
look-behind. One scan for the union of the lists costs little more than one of them, so
it is done once per document (``Doc.word_starts``) and each stage then tries its own
pattern only at its candidate offsets (``lexicon.matches_at``), which yields exactly
the matches its own scan would.

The scan runs on the lower-cased text and finds every offset where some listed word
begins (a long label cannot hide a verb inside it). The longest word found at an offset
tells which lists may match there: every shorter listed word that matches at the same
offset is a prefix of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from .lexicon import load_lexicon, lower_same_length, trie_regex

GAZETTEER = "gazetteer"
TRIGGERS = "triggers"
TITLES = "titles"
VERBS = "verbs"
MILITARY = "military nouns"
ACCORDING = "according"
ROLES = "role nouns"
PRESS_OFFICES = "press offices"
_WORD_START = re.compile(r"\w")
_INNER_START = re.compile(r"\W\w")  # a word start after a space or hyphen, less one


class StartIndex:
    """Named word lists compiled into one overlapping scan for where their words begin."""

    def __init__(self, lists: dict[str, Iterable[str]]) -> None:
        words = {name: {w.lower() for w in ws} for name, ws in lists.items()}
        for name, ws in words.items():
            for w in ws:  # the scan finds words at word starts, offsets kept by lower-casing
                if not _WORD_START.match(w) or lower_same_length(w) != w:
                    raise ValueError(f"word list {name!r}: {w!r} cannot be found by the scan")
        union = set().union(*words.values())
        self.names = tuple(words)
        # the lists that hold a prefix of each listed word (the word itself included)
        self.lists_of: dict[str, tuple[str, ...]] = {
            w: tuple(n for n in self.names if any(w[:i] in words[n] for i in range(1, len(w) + 1)))
            for w in union
        }
        self.rx = re.compile(r"(?<!\w)" + trie_regex(union))

    def scan(self, low: str) -> dict[str, list[int]]:
        """Offsets (ascending) in the lower-cased text where a word of each list may begin.

        The scan finds the longest listed word at each word start it reaches; a word found
        over several words ("syrian democratic forces") is searched again at each word
        start inside it, so that no shorter word there ("forces") is missed."""
        out: dict[str, list[int]] = {n: [] for n in self.names}
        lists_of, match = self.lists_of, self.rx.match
        for m in self.rx.finditer(low):
            word, pos = m.group(), m.start()
            for name in lists_of[word]:
                out[name].append(pos)
            if not word.isalnum():  # more than one word: the word starts inside it
                for inner in _INNER_START.finditer(low, pos, m.end()):
                    m2 = match(low, inner.start() + 1)
                    if m2 is not None:
                        for name in lists_of[m2.group()]:
                            out[name].append(inner.start() + 1)
        for offsets in out.values():
            offsets.sort()  # the inner starts came after the word that holds them
        return out


@lru_cache(maxsize=1)
def _index() -> StartIndex:
    # imported here: those modules import Doc, which reads this one lazily
    from .cues import trigger_words
    from .gazetteer_index import load_matcher
    from .segment import indexed_cue_words

    lex = load_lexicon()
    return StartIndex(
        {
            **indexed_cue_words(),
            GAZETTEER: load_matcher().by_lower,
            TRIGGERS: trigger_words(),
            TITLES: lex.titles,
            VERBS: lex.report_verbs,
            MILITARY: lex.military_nouns,
            ACCORDING: lex.according,
            ROLES: lex.role_nouns,
            PRESS_OFFICES: lex.press_offices,
        }
    )


def word_starts(low: str) -> dict[str, list[int]]:
    """Candidate offsets of each word list (gazetteer, triggers, ...) in ``low``."""
    return _index().scan(low)
