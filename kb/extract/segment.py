"""Stage 1: split the text into the article and its comments, then into sentences.

The boundary rule has to work for any outlet, so it reads register, not layout. Each
line gets a signed score: reader cues count for a comment (first or second person,
questions, greetings, contractions, chat words, imperatives, and any judgement cue of
patterns/judgement_cues.jsonl) and
news cues against it (reporting frames, dates, casualty figures, "could not be
independently verified"); the weights are data in patterns/segment_cues.jsonl, checked
outside quotation marks. The article is a leading run of lines, so the comments start
where the sum of the scores of all following lines is largest (and at least
``COMMENT_THRESHOLD``): one news-like comment or one chatty article line cannot move
the boundary on its own, as a first-line-over-a-threshold rule would. A caller that
knows the boundary passes ``article_end`` instead.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import lru_cache

from .cues import cue_hits
from .doc import Doc, Sentence
from .lexicon import (
    CLOSE_QUOTES,
    OPEN_QUOTES,
    load_lexicon,
    lower_same_length,
    starts_at_line_start,
    word_guarded_starts,
)
from .model import Segment
from .starts import TRIGGERS

# A "sentence" longer than this (text without stops, a pasted table) is cut at spaces into
# pieces no longer: every stage works sentence by sentence, so this bounds the work per
# character. Real sentences are far shorter (the longest in the dev texts: ~700).
MAX_SENTENCE = 1500
COMMENT_THRESHOLD = 2  # the summed scores of the comments must reach this
PROSE_LENGTH = 180  # a line this long without any cue counts against a comment
FIRST_LINE_THRESHOLD = 4  # a headline may ask a short question; the first line needs more
VERDICT_WEIGHT = 1  # a judgement cue (patterns/judgement_cues.jsonl) outside quotes
FIRST_BATCH = 24  # lines prepared for scoring before the rest is needed
STOP_MARGIN = 8  # once the score sum rises this far above its low, the cut is known

_LINE = re.compile(r"[^\n]+")
_BOUNDARY = re.compile(r"[.!?\u2026]+[\"\u201d\u00bb')\]]*(?=\s|$)")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+")
_QUOTE_CHARS = re.compile('["' + OPEN_QUOTES + CLOSE_QUOTES + "]")


@lru_cache(maxsize=1)
def _abbrev() -> frozenset[str]:
    return load_lexicon().abbreviations


def quote_pairs(norm: str, start: int, end: int) -> list[tuple[int, int]]:
    """Matched quotation marks inside one line, as (open, close + 1) spans."""
    pairs: list[tuple[int, int]] = []
    stack: list[int] = []
    straight: int | None = None
    for m in _QUOTE_CHARS.finditer(norm, start, end):
        i, c = m.start(), m.group(0)
        if c in OPEN_QUOTES:
            stack.append(i)
        elif c in CLOSE_QUOTES:
            if stack:
                pairs.append((stack.pop(), i + 1))
        elif c == '"':
            if straight is None:
                straight = i
            else:
                pairs.append((straight, i + 1))
                straight = None
    return sorted(pairs)


def _pairs_by_line(norm: str, lines: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """``quote_pairs`` of every line; one scan finds the few lines with quotation marks."""
    marks = [m.start() for m in _QUOTE_CHARS.finditer(norm)]
    out: list[list[tuple[int, int]]] = []
    for s, e in lines:
        i = bisect.bisect_left(marks, s)
        out.append(quote_pairs(norm, s, e) if i < len(marks) and marks[i] < e else [])
    return out


def _line_text(pattern: str) -> str:
    """A per-line cue made safe for one scan of the whole text: ``\\s`` outside character
    classes may not cross a newline, and ``^``/``$`` mark line ends."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            pair = pattern[i : i + 2]
            out.append("[^\\S\\n]" if pair == "\\s" and not in_class else pair)
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
        elif c == "]" and in_class:
            in_class = False
        out.append(c)
        i += 1
    return "".join(out)


CueFinder = Callable[[str, int, int], "re.Match[str] | None"]
# a cue's words go to the shared scan when none is shorter ("i", "we" begin too many words)
MIN_INDEXED = 3


@lru_cache(maxsize=1)
def _document_cues() -> tuple[tuple[CueFinder, int, bool, tuple[str, ...], str | None], ...]:
    """The register cues compiled to be searched line by line in the whole text: (find,
    weight, on lower case, needs, index name).

    A cue that opens with ``^`` can only match at the line start, so ``match`` stands in
    for ``search`` there (no walk along the line). A cue made of a list of words at word
    starts ("propaganda", "said") has its words found by the shared scan of starts.py
    (under its index name): a line that holds none of them is not searched.
    """
    out = []
    for cue_id, rx, w, lower, needs in load_lexicon().comment_cues:
        doc_rx = re.compile(_line_text(rx.pattern), rx.flags | re.MULTILINE)
        find = doc_rx.match if starts_at_line_start(doc_rx) else doc_rx.search
        words = word_guarded_starts(doc_rx)
        indexed = words is not None and min(map(len, words)) >= MIN_INDEXED
        out.append((find, w, lower, needs, f"cue {cue_id}" if indexed else None))
    return tuple(out)


def indexed_cue_words() -> dict[str, frozenset[str]]:
    """Index name -> the words of each cue that the shared scan looks for (starts.py)."""
    out: dict[str, frozenset[str]] = {}
    for find, _, _, _, name in _document_cues():
        if name is not None:
            words = word_guarded_starts(find.__self__)  # type: ignore[attr-defined]
            assert words is not None
            out[name] = words
    return out


def _line_score(
    text: str, lowered: str, s: int, e: int, starts: Callable[[str], list[int]] | None
) -> int:
    """The summed weights of the cues found in the line [s, e); each counts once.

    ``starts`` (``Doc.word_starts``) tells where the words of the indexed cues begin in
    the document; a line whose web addresses were replaced by "URLxxx" is searched in
    full (the replacement is not in the document's text)."""
    score = 0
    indexed = starts is not None and text.find("URLx", s, e) < 0
    for find, w, lower, needs, name in _document_cues():
        t = lowered if lower else text
        if needs and not any(t.find(n, s, e) >= 0 for n in needs):
            continue  # none of the strings every match holds: no need to search
        if name is not None and indexed:
            offsets = starts(name)  # type: ignore[misc]
            i = bisect.bisect_left(offsets, s)
            if i == len(offsets) or offsets[i] >= e:
                continue  # none of its words begins in this line
        if find(t, s, e):
            score += w
    return score


def line_scores(
    norm: str,
    low: str,
    lines: list[tuple[int, int]],
    quotes: list[tuple[int, int]],
    bonus: set[int] | None = None,
    starts: Callable[[str], list[int]] | None = None,
) -> list[int]:
    """Signed register score of the lines: each cue counts once per line, read outside
    quotation marks and with web addresses (not at a line start) reduced to "URL";
    lines in ``bonus`` (a judgement cue) get ``VERDICT_WEIGHT`` more. ``starts``:
    ``Doc.word_starts``, to skip cues whose words a line does not hold.

    The cut falls where the running sum of scores is lowest, so once the sum has risen
    ``STOP_MARGIN`` above its lowest point (several sure comments in a row) the later
    lines cannot move it: they are not read and count as comments (+1). Scoring costs
    grow with the article, not with the length of the thread.
    """
    if not lines:
        return []
    bonus = bonus or set()
    # the cut is nearly always near the top: prepare the first lines only, all if needed
    head = min(len(lines), FIRST_BATCH)
    text, lowered = _scoring_text(norm, lines, quotes, lines[head - 1][1])
    scores: list[int] = []
    total = lowest = 0
    for i, (s, e) in enumerate(lines):
        if e > len(text):
            text, lowered = _scoring_text(norm, lines, quotes, len(norm))
        score = _line_score(text, lowered, s, e, starts)
        score += VERDICT_WEIGHT if i in bonus else 0
        if score == 0 and e - s >= PROSE_LENGTH:
            score = -1  # a long paragraph with no reader's cue at all: the article's prose
        scores.append(score)
        if i >= 1:
            lowest = min(lowest, total)  # the running sum before line i: a possible cut
        total += score
        if i >= 1 and total - lowest >= STOP_MARGIN:
            return scores + [1] * (len(lines) - i - 1)
    return scores


def _scoring_text(
    norm: str, lines: list[tuple[int, int]], quotes: list[tuple[int, int]], limit: int
) -> tuple[str, str]:
    """``norm[:limit]`` with quotation insides blanked and web addresses (not at a line
    start) reduced to "URL", and its lower-case twin."""
    pieces, last = [], 0
    for a, b in sorted((qs + 1, min(qe - 1, limit)) for qs, qe in quotes if qs < limit):
        a = max(a, last)  # nested or overlapping quotations: blank their union
        if a < b:
            pieces += [norm[last:a], " " * (b - a)]
            last = b
    pieces.append(norm[last:limit])
    text = "".join(pieces)
    starts = {s for s, _ in lines}
    if "http" in text or "www." in text:
        out, last = [], 0  # pieces: one join, not a copy of the text per address
        for m in _URL.finditer(text):
            if m.start() not in starts:
                k = m.end() - m.start()
                out += [text[last : m.start()], ("URL" + "x" * k)[:k]]
                last = m.end()
        out.append(text[last:])
        text = "".join(out)
    return text, lower_same_length(text)


def best_boundary(scores: list[int]) -> int:
    """Index of the first comment line (``len(scores)`` when there are none).

    The cut maximises the summed scores of the lines after it; among equal sums the
    latest wins (a neutral line between the two parts is more often the article's last
    paragraph than a reader's first word). Line 0 (a headline) starts the comments only
    on strong evidence.
    """
    n = len(scores)
    suffix = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        suffix[i] = suffix[i + 1] + scores[i]
    first = 0 if n and scores[0] >= FIRST_LINE_THRESHOLD else 1
    best, cut = COMMENT_THRESHOLD, n
    for c in range(first, n):
        if suffix[c] >= best:  # ">=": the latest of equal maxima
            best, cut = suffix[c], c
    return cut


def _lines(norm: str) -> list[tuple[int, int]]:
    out = []
    for m in _LINE.finditer(norm):
        s, e = m.start(), m.end()
        while s < e and norm[s].isspace():
            s += 1
        while e > s and norm[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def _token_before(norm: str, start: int, pos: int) -> str:
    """The whitespace-delimited token of the line (from ``start``) that ends at ``pos``,
    ``pos`` included. ``str.rfind`` of a space, checked for other kinds of space."""
    token = norm[max(start, norm.rfind(" ", start, pos) + 1) : pos + 1]
    if len(token.split()) == 1 and not token[0].isspace():
        return token
    tok_start = pos  # another kind of space in between: walk back
    while tok_start > start and not norm[tok_start - 1].isspace():
        tok_start -= 1
    return norm[tok_start : pos + 1]


def split_sentences(
    norm: str, start: int, end: int, pairs: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Sentence spans of one line; never splits inside a matched quotation."""
    abbrev = _abbrev()
    line = norm[start:end]
    cuts: list[int] = []
    quoted = _merged(pairs)
    quote_starts = [qs for qs, _ in quoted]
    for m in _BOUNDARY.finditer(line):
        pos, mend = start + m.start(), start + m.end()
        if mend >= end:
            continue
        q = bisect.bisect_left(quote_starts, pos) - 1
        if q >= 0 and mend < quoted[q][1]:
            continue  # inside a quote (the closing mark itself ends at qe)
        punct = m.group(0).rstrip("\"\u201d\u00bb')]")
        nxt_i = mend
        while nxt_i < end and norm[nxt_i].isspace():
            nxt_i += 1
        nxt = norm[nxt_i] if nxt_i < end else ""
        if punct == ".":
            token = _token_before(norm, start, pos).lstrip("(\"'\u201c[")
            if token in abbrev or _DOTTED.fullmatch(token):
                continue
        if nxt.islower():
            if punct not in {".", "?", "!", "?.", "!."} and not punct.startswith("?"):
                continue  # ".." or "…" then lower case: the sentence goes on
            prev = norm[pos - 1] if pos > start else ""
            if not prev.isalpha() and punct == ".":
                continue
        elif nxt and not (nxt.isupper() or nxt.isdigit() or nxt in "\"'\u201c\u201d(["):
            if not nxt.isalpha():
                continue
        cuts.append(mend)
    spans = []
    s = start
    for c in cuts + [end]:
        a, b = s, c
        while a < b and norm[a].isspace():
            a += 1
        while b > a and norm[b - 1].isspace():
            b -= 1
        if a < b:
            spans.extend(_capped(norm, a, b) if b - a > MAX_SENTENCE else [(a, b)])
        s = c
    return spans


def _merged(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Quotation spans (sorted by start) with nested and overlapping ones joined."""
    out: list[tuple[int, int]] = []
    for qs, qe in pairs:
        if out and qs < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], qe))
        else:
            out.append((qs, qe))
    return out


def _capped(norm: str, a: int, b: int) -> list[tuple[int, int]]:
    """A run-on "sentence" cut into pieces of at most ``MAX_SENTENCE`` characters, each
    at the last space before the limit (anywhere, if a piece has none)."""
    out = []
    while b - a > MAX_SENTENCE:
        cut = norm.rfind(" ", a + MAX_SENTENCE // 2, a + MAX_SENTENCE)
        if cut <= a:
            cut = a + MAX_SENTENCE
        out.append((a, cut))
        a = cut
        while a < b and norm[a].isspace():
            a += 1
    if a < b:
        out.append((a, b))
    return out


def segment(doc: Doc) -> Doc:
    """Fill ``doc.segments``, ``doc.sentences``, ``doc.quotes`` and ``doc.cue_hits``."""
    norm = doc.norm
    lines = _lines(norm)
    pairs_by_line = _pairs_by_line(norm, lines)
    for p in pairs_by_line:
        doc.quotes.extend(p)
    sents_by_line = [
        split_sentences(norm, s, e, pairs_by_line[i]) for i, (s, e) in enumerate(lines)
    ]
    spans = [sp for line_sents in sents_by_line for sp in line_sents]
    doc.cue_hits = cue_hits(doc.low, spans, doc.word_starts(TRIGGERS))
    if doc.article_end is not None:
        cut = next((i for i, (s, _) in enumerate(lines) if s >= doc.article_end), len(lines))
        doc.metadata["boundary"] = "given"
    else:
        verdict = _verdict_lines(lines, pairs_by_line, spans, doc.cue_hits)
        scores = line_scores(norm, doc.low, lines, doc.quotes, verdict, doc.word_starts)
        cut = best_boundary(scores)
        doc.metadata["boundary"] = "rule"
    if cut > 0:
        a, b = lines[0][0], lines[cut - 1][1]
    else:
        a = b = 0
    doc.segments.append(Segment(kind="article", index=0, span=doc.span(a, b)))
    for n, (s, e) in enumerate(lines[cut:], start=1):
        doc.segments.append(Segment(kind="comment", index=n, span=doc.span(s, e)))
    doc.index_segments()
    for i, line_sents in enumerate(sents_by_line):
        seg = 0 if i < cut else i - cut + 1
        for a2, b2 in line_sents:
            doc.sentences.append(Sentence(a2, b2, seg))
    return doc


def _verdict_lines(
    lines: list[tuple[int, int]],
    pairs_by_line: list[list[tuple[int, int]]],
    spans: list[tuple[int, int]],
    hits: dict[int, list[tuple[int, int, str, int]]],
) -> set[int]:
    """Lines holding a judgement cue outside quotation marks."""
    starts = [s for s, _ in lines]
    out: set[int] = set()
    for k, found in hits.items():
        i = bisect.bisect_right(starts, spans[k][0]) - 1
        if i < 0 or i in out:
            continue
        quotes = pairs_by_line[i]
        if any(not any(qs < cs < qe for qs, qe in quotes) for cs, _, _, _ in found):
            out.add(i)
    return out
