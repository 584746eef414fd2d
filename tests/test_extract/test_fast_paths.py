"""The speed-ups of the extractor give exactly what the plain code they replace gives.

Each fast path (bench/RESULTS-extraction.md, "Speed") is compared with a reference
implementation, the plain ``re`` scan or loop it stands in for, on every text of
tests/data, the seed when present, and random word soup that provokes edge cases
(overlaps, hyphens, apostrophes, quotes, capitals, odd spaces).
"""

from __future__ import annotations

import random
import re

import pytest

from kb.extract import claim_reader as A  # noqa: N812  # short module aliases
from kb.extract import cues as C  # noqa: N812
from kb.extract import gazetteer_index as GI  # noqa: N812
from kb.extract import gazetteer_match as GM  # noqa: N812
from kb.extract import name_rules as NR  # noqa: N812
from kb.extract import segment as S  # noqa: N812
from kb.extract import state_bodies as SB  # noqa: N812
from kb.extract import words as W  # noqa: N812
from kb.extract.doc import Doc, _mention, _span
from kb.extract.lexicon import (
    LiteralScan,
    find_all,
    literal_starts,
    load_lexicon,
    lower_same_length,
    matches_at,
    normalise,
    starts_at_line_start,
    word_guarded_starts,
)
from kb.extract.model import Mention, Span
from kb.extract.pipeline import STAGES
from kb.extract.starts import StartIndex, _index

from .helpers import DATA, SEED_PATH

_WORDS = (
    "the army said The Army ARMY forces security forces air force is it was were has been "
    "according to According to as As reported said told says Syrian Democratic Forces SDF "
    "US U.S. u.s. UN Iraq in Iraq Kharkiv spokesman Spokesman representative lie lies lied "
    "liar propaganda media office al-Nusra Al-Nusra -run -led Hamas-run ministry I I'm you "
    "we us our lol fuck haha ... … ' \" “ ” , ; : ( ) - \u3000 \u00a0 \n URLxx www.x.com "
    "https://t.me/abc armed armed forces Free Syrian Army it's didn't can't"
).split(" ")


def _soup(rng: random.Random, n: int) -> str:
    parts = []
    for _ in range(n):
        parts.append(rng.choice(_WORDS))
        parts.append(rng.choice([" ", " ", " ", "", "-", ", ", ". ", "\n", "  "]))
    return "".join(parts)


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.txt"))]
    if SEED_PATH.exists():
        texts.append(SEED_PATH.read_text(encoding="utf-8"))
    rng = random.Random(7)
    texts += [_soup(rng, rng.randint(5, 120)) for _ in range(150)]
    return [normalise(t) for t in texts]


TEXTS = _texts()
LOWS = [lower_same_length(t) for t in TEXTS]


def _spans(found: list[re.Match[str]] | object) -> list[tuple[int, int]]:
    return [m.span() for m in found]  # type: ignore[attr-defined]


# ---------------------------------------------------------------------- literal scans


def _scanned_patterns() -> list[re.Pattern[str]]:
    r = A._rules()
    return [
        r.according,
        r.passive,
        r.comment_ref,
        SB._military_noun_rx(),
        NR._rules().url,
        *(cue[1] for cue in load_lexicon().comment_cues),
    ]


@pytest.mark.parametrize("rx", _scanned_patterns(), ids=lambda rx: rx.pattern[:30])
def test_literal_scan_equals_finditer(rx: re.Pattern[str]) -> None:
    scan = LiteralScan(rx)
    for text in TEXTS + LOWS:
        assert _spans(scan.finditer(text)) == _spans(rx.finditer(text))


def test_literal_starts() -> None:
    assert literal_starts(re.compile(r"(?<!\w)(?:army|air force)(?!\w)")) == {"army", "air force"}
    assert literal_starts(re.compile(r"[Aa]s\s+x")) == {"As", "as"}
    assert literal_starts(re.compile(r"(?:x)?y")) is None  # an optional first item
    assert literal_starts(re.compile(r"\w+n't")) is None  # a class
    assert literal_starts(re.compile(r"(?i)army")) is None  # case-blind


def test_url_candidates_found_in_lower_case() -> None:
    rx = NR._rules().url
    for text, low in zip(TEXTS, LOWS, strict=True):
        found = matches_at(rx, text, find_all(low, ("http", "www.")))
        assert _spans(found) == _spans(rx.finditer(text))


def _first_per_token(text: str, rx: re.Pattern[str]) -> dict[int, int]:
    """Token start -> end of the first candidate in it (what _match_domains reads)."""
    out: dict[int, int] = {}
    for c in rx.finditer(text):
        ts = max(text.rfind(" ", 0, c.start()), text.rfind("\n", 0, c.start())) + 1
        out.setdefault(ts, c.end())
    return out


def test_domain_candidates_first_in_each_token() -> None:
    old = re.compile(r"[a-z0-9]\.[a-z]{2}")
    for text in TEXTS:
        assert _first_per_token(text, NR._rules().candidates) == _first_per_token(text, old)


# ---------------------------------------------------------------------- the shared scan


def test_shared_scan_finds_every_start_of_every_list() -> None:
    index = _index()
    words = {name: {w for w in index.lists_of if name in index.lists_of[w]} for name in index.names}
    for low in LOWS:
        found = index.scan(low)
        for name in index.names:
            own = re.compile(r"(?<!\w)(?=(?:" + "|".join(map(re.escape, words[name])) + "))")
            expected = [m.start() for m in own.finditer(low)]
            assert found[name] == expected, name


def test_shared_scan_refuses_a_word_it_cannot_find() -> None:
    with pytest.raises(ValueError):
        StartIndex({"x": ["-run"]})


_SHARED = {  # list name -> (its pattern, scanned in lower case?) as the stages use them
    "gazetteer": (lambda: GI.load_matcher().full_rx, True),
    "triggers": (lambda: C._triggers()[0], True),
    "titles": (lambda: NR._rules().title, False),
    "verbs": (lambda: A._rules().verb, False),
    "according": (lambda: A._rules().according, False),
    "military nouns": (SB._military_noun_rx, True),
}


@pytest.mark.parametrize("name", sorted(_SHARED))
def test_matches_at_shared_starts_equals_finditer(name: str) -> None:
    make, lower = _SHARED[name]
    rx = make()
    for text, low in zip(TEXTS, LOWS, strict=True):
        target = low if lower else text
        found = matches_at(rx, target, _index().scan(low)[name])
        assert _spans(found) == _spans(rx.finditer(target))


# ---------------------------------------------------------------------- word searches


def test_find_word_variants_equal_the_plain_search() -> None:
    index = _index()
    for text, low in zip(TEXTS, LOWS, strict=True):
        roles = index.scan(low)["role nouns"]
        for role in {r.lower() for r in load_lexicon().role_nouns}:
            assert W._find_word_at(low, role, roles) == W._find_word(low, role)
        for form in ("Democratic Forces", "Army", "SDF", "Al-Nusra", "aa", "Forces"):
            written, lowered = W._find_word_twice(text, low, form, True)
            assert written == W._find_word(text, form)
            assert lowered == W._find_word(low, form.lower())


def test_has_border() -> None:
    assert W._has_border("abab") and W._has_border("aa")
    assert not W._has_border("spokesman") and not W._has_border("army")


# ---------------------------------------------------------------------- segment


def _scoring_text_plain(norm: str, quotes: list[tuple[int, int]], limit: int) -> tuple[str, str]:
    blank = list(norm[:limit])
    for qs, qe in quotes:
        if qs < limit:
            blank[qs + 1 : min(qe - 1, limit)] = " " * max(0, min(qe - 1, limit) - qs - 1)
    text = "".join(blank)
    return text, lower_same_length(text)


def test_scoring_text_blanks_quotes_as_before() -> None:
    rng = random.Random(3)
    for _ in range(3000):
        n = rng.randint(2, 40)
        norm = "".join(rng.choice('ab "\n') for _ in range(n))
        quotes = sorted(
            (a, rng.randint(a + 2, n))
            for a in (rng.randint(0, n - 2) for _ in range(rng.randint(0, 4)))
        )
        limit = rng.randint(0, n)
        assert S._scoring_text(norm, [], quotes, limit) == _scoring_text_plain(norm, quotes, limit)


def test_token_before_walks_back_to_any_space() -> None:
    for text in TEXTS:
        for pos in [i for i, c in enumerate(text) if c == "."][:50]:
            start = text.rfind("\n", 0, pos) + 1
            tok = pos
            while tok > start and not text[tok - 1].isspace():
                tok -= 1
            assert S._token_before(text, start, pos) == text[tok : pos + 1]


def test_line_scores_with_and_without_the_shared_scan() -> None:
    for text, low in zip(TEXTS, LOWS, strict=True):
        lines = S._lines(text)
        quotes = [q for s, e in lines for q in S.quote_pairs(text, s, e)]
        starts = _index().scan(low)
        plain = S.line_scores(text, low, lines, quotes)
        assert S.line_scores(text, low, lines, quotes, starts=starts.__getitem__) == plain


def test_line_cue_forms() -> None:
    cues = {cue[0]: cue[1] for cue in load_lexicon().comment_cues}
    doc_rx = {k: re.compile(S._line_text(v.pattern), v.flags | re.M) for k, v in cues.items()}
    assert starts_at_line_start(doc_rx["greeting"])
    assert not starts_at_line_start(doc_rx["imperative_start"])  # "^" or a sentence end
    assert word_guarded_starts(doc_rx["opinion_word"])
    assert word_guarded_starts(doc_rx["profanity"]) is None  # "fuck" has no word guard


# ---------------------------------------------------------------------- entities and records


def test_shouted_precheck_equals_the_word_search() -> None:
    def plain(norm: str, s: int, e: int, acronyms: set[str]) -> bool:
        before = re.search(r"(\w+)[ ]+$", norm[max(0, s - 30) : s])
        after = re.match(r"[ ]+(\w+)", norm[e : e + 30])
        return any(
            m is not None
            and len(m.group(1)) >= 2
            and m.group(1).isalpha()
            and m.group(1).isupper()
            and m.group(1) not in acronyms
            for m in (before, after)
        )

    for text in TEXTS:
        for m in re.finditer(r"\b[A-Z]{2,3}\b", text):
            assert GM._shouted(text, m.start(), m.end(), {"US"}) == plain(
                text, m.start(), m.end(), {"US"}
            )


def test_gazetteer_capital_only_skip_changes_nothing() -> None:
    gaz = GI.load_matcher()
    kept = gaz.capital_only
    for text in TEXTS[:40]:
        found = []
        for skip in (kept, frozenset()):
            doc = Doc(text)
            STAGES[0].func(doc)
            gaz.capital_only = skip
            try:
                GM._match_gazetteer(doc)
            finally:
                gaz.capital_only = kept
            found.append([(m.entity, m.span.start, m.span.end) for m in doc.mentions])
        assert found[0] == found[1]


def test_fast_records_equal_the_dataclass_ones() -> None:
    assert _span(1, 3, "ab") == Span(1, 3, "ab")
    assert hash(_span(1, 3, "ab")) == hash(Span(1, 3, "ab"))
    m = _mention("sdf", Span(0, 3, "SDF"), 2)
    assert m == Mention("sdf", Span(0, 3, "SDF"), 2)
    with pytest.raises(AttributeError):
        m.segment = 3  # type: ignore[misc]  # frozen


def test_date_prefilter_never_hides_a_date() -> None:
    from kb.extract.dates import _MAYBE_DATE, DATE_RX

    samples = TEXTS + [
        "On Tuesday, April 3, 2018 it rained. Last night, this morning, earlier this week.",
        "on the 4th of Sept, in mid-July 2024, since March, yesterday, 2024-05-01",
    ]
    for text in samples:
        for m in DATE_RX.finditer(text):
            assert _MAYBE_DATE.search(m.group(0).lower()), m.group(0)


def test_quote_pairs_by_line_as_line_by_line() -> None:
    for text in TEXTS:
        lines = S._lines(text)
        assert S._pairs_by_line(text, lines) == [S.quote_pairs(text, s, e) for s, e in lines]


def test_no_reference_cycle_keeps_a_document_alive() -> None:
    import gc

    from kb.extract import extract_strict

    text = TEXTS[0]
    extract_strict(text)
    gc.collect()
    gc.disable()
    try:
        extract_strict(text)
        assert gc.collect() == 0  # freed by reference counting alone
    finally:
        gc.enable()
