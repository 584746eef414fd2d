"""The cheaper forms the extractor and the input checks use give what the slow ones gave."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.corpus import _CONTROLS
from kb.extract.lexicon import trie_regex
from kb.extract.words import _find_words


def test_control_regex_is_the_cc_category_but_line_breaks_and_tabs() -> None:
    for code in range(0x110000):
        ch = chr(code)
        expected = unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f"
        assert bool(_CONTROLS.match(ch)) == expected, hex(code)


_ALPHABET = st.sampled_from(list("abAB -'_.é1\n"))
_WORD = st.text(_ALPHABET, min_size=1, max_size=5)


@settings(max_examples=600, deadline=None)
@given(
    base=st.lists(_WORD, min_size=1, max_size=5, unique=True),
    prefixes=st.booleans(),
    picks=st.lists(st.tuples(st.integers(0, 5), st.text(_ALPHABET, max_size=3)), max_size=12),
    before=st.sampled_from(["", "-", "'-"]),
    after=st.sampled_from(["", "-", "'-"]),
)
def test_find_words_is_the_trie_regex_scan(
    base: list[str], prefixes: bool, picks: list[tuple[int, str]], before: str, after: str
) -> None:
    # with their prefixes too, words often match at one start ("a", "a b"): the longest wins
    words = (
        list(dict.fromkeys(w[:k] for w in base for k in range(1, len(w) + 1))) if prefixes else base
    )
    # a text made of the words (and their prefixes and extensions) with bits between them
    text = "".join(words[i % len(words)] + gap for i, gap in picks)
    rx = re.compile(
        rf"(?<![\w{re.escape(before)}])(?:{trie_regex(words)})(?![\w{re.escape(after)}])"
    )
    assert _find_words(text, words, before, after) == [m.span() for m in rx.finditer(text)]


def test_media_name_guards_hold_what_every_match_holds() -> None:
    from kb.extract import media_names as mn

    nouns = re.search(r"\(\?P<noun>(.*?)\)\(\?!", mn._NAME_BEFORE_NOUN.pattern, re.S)
    assert nouns is not None and not mn._NAME_BEFORE_NOUN.flags & re.IGNORECASE
    assert sorted(nouns.group(1).split("|")) == sorted(mn._NOUNS_AFTER_NAME)
    assert "[ ]+[\\u201c\\\"\\u2018']" in mn._QUOTED_AFTER_NOUN.pattern
    assert {q[1] for q in mn._QUOTE_AFTER_SPACE} == {"\u201c", '"', "\u2018", "'"}
    assert mn._OVER_AT.pattern.startswith(r"(?<![\w-])over at")
