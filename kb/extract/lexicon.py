"""Pattern data of the extractor: patterns/*.jsonl read once per process, plus text helpers.

The cue lists are data (one JSON record a line, spaCy style: ``label`` + ``pattern``) so
that a linguist can extend them without touching code. This module owns reading them,
the character classes the stages share, and the same-length normalisation of the text
that every stage matches against (so offsets never shift).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

PATTERNS_DIR = Path(__file__).with_name("patterns")

# Upper-case letters of every script Python knows, for "capitalised word" rules.
_UPPER_CHARS = "".join(ch for ch in map(chr, range(0x41, 0x2000)) if ch.isupper() or ch.istitle())
UPPER = "[" + re.escape(_UPPER_CHARS) + "]"
LETTER = r"[^\W\d_]"

# Same-length normalisation: curly apostrophes to "'", odd spaces to " ", control
# characters to " ", line separators to "\n". Double quotes are kept: they pair.
_NORM_TABLE: dict[int, str] = {
    **{ord(c): "'" for c in "\u2018\u2019\u201a\u201b\u02bc\u02bb\u0060\u00b4\u2032"},
    **{ord(c): "-" for c in "\u2010\u2011"},
    **{
        ord(c): " "
        for c in "\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a"
    },
    **{ord(c): " " for c in "\u200b\u200c\u200d\u2060\ufeff\t"},
    **{ord(c): "\n" for c in "\r\u2028\u2029\x85\x0b\x0c"},
    **{i: " " for i in range(0x20) if i != 0x0A},
    0x7F: " ",
}
OPEN_QUOTES = "\u201c\u201e\u00ab\u201f"
CLOSE_QUOTES = "\u201d\u00bb"


_NORM_NEEDED = re.compile("[" + re.escape("".join(map(chr, _NORM_TABLE))) + "]")


def normalise(text: str) -> str:
    """Map look-alike characters to one form without changing the length of the text."""
    return _NORM_NEEDED.sub(lambda m: _NORM_TABLE[ord(m.group(0))], text)


def trie_regex(words: Iterable[str]) -> str:
    """A regex alternation shaped as a trie, much faster than a flat list in ``re``."""
    trie: dict[str, dict] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_body(trie)


def _trie_body(node: dict[str, dict]) -> str:
    """The regex of one trie node (a module function: a nested recursive closure would
    be a reference cycle left for the garbage collector on every call)."""
    end = "" in node
    branches = [re.escape(ch) + _trie_body(sub) for ch, sub in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if end:
        body = "(?:" + body + ")?"
    return body


# ---------------------------------------------------------------------- literal scans
# ``re`` steps through the text at 20-30 ns a character for a pattern that opens with a
# look-behind ("(?<![\w-])army"): it cannot jump ahead to a likely start. ``str.find``
# needs about 1 ns. For a pattern whose every match begins with one of a few literal
# strings ("according to", "As", "army"), finding those and trying the pattern only there
# gives the same matches many times faster on a whole document.

try:
    from re import _constants as _sre_c  # type: ignore[attr-defined]
    from re import _parser as _sre_p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover  # a Python whose re internals moved: plain scans
    _sre_c = _sre_p = None

_MAX_STARTS = 24  # beyond this many literals a whole-text scan by ``re`` is as quick


def _seq_starts(items: Any, limit: int) -> tuple[set[str], bool]:
    """(prefixes, complete) of a parsed regex sequence: every match begins with one of the
    prefixes; ``complete`` when the prefixes are all the sequence can match."""
    c = _sre_c
    out = {""}
    for op, av in items:
        if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            continue  # zero width: look-arounds and anchors add no characters
        if op is c.LITERAL:
            out = {p + chr(av) for p in out}
            continue
        if op is c.IN:
            if not all(o is c.LITERAL for o, _ in av) or len(out) * len(av) > limit:
                return out, False
            out = {p + chr(a) for p in out for _, a in av}
            continue
        if op is c.SUBPATTERN:
            _group, add_flags, _del_flags, sub = av
            if add_flags & c.SRE_FLAG_IGNORECASE:
                return out, False
            branches = [list(sub.data)]
        elif op is c.BRANCH:
            branches = av[1]
        elif op is c.MAX_REPEAT or op is c.MIN_REPEAT:
            lo, hi, sub = av
            if lo == 0:
                return out, False
            starts, complete = _seq_starts(sub.data, limit)
            new = {p + q for p in out for q in starts}
            if len(new) > limit:
                return out, False
            out = new
            if lo == hi == 1 and complete:
                continue
            return out, False
        else:
            return out, False
        parts = [_seq_starts(b, limit) for b in branches]
        new = {p + q for p in out for starts, _ in parts for q in starts}
        if len(new) > limit:
            return out, False
        out = new
        if not all(complete for _, complete in parts):
            return out, False
    return out, True


def literal_starts(rx: re.Pattern[str], limit: int = _MAX_STARTS) -> frozenset[str] | None:
    """The literal strings one of which every match of ``rx`` begins with, or None when
    they are unknown (a class such as ``\\w`` first, an optional first item, a
    case-insensitive part) or more than ``limit``."""
    if _sre_p is None or rx.flags & re.IGNORECASE:
        return None
    try:
        parsed = _sre_p.parse(rx.pattern, rx.flags)
        if parsed.state.flags & re.IGNORECASE:
            return None
        starts, _ = _seq_starts(parsed.data, limit)
    except Exception:  # pragma: no cover  # an unexpected parse tree: scan with ``re``
        return None
    if not starts or "" in starts or len(starts) > limit:
        return None
    return frozenset(starts)


def _opens_with_assertion(rx: re.Pattern[str]) -> bool:
    """True when the first item of ``rx`` is a look-around, a boundary or an anchor."""
    if _sre_p is None:
        return False
    try:
        data = _sre_p.parse(rx.pattern, rx.flags).data
    except Exception:  # pragma: no cover
        return False
    return bool(data) and data[0][0] in (_sre_c.ASSERT, _sre_c.ASSERT_NOT, _sre_c.AT)


def word_guarded_starts(rx: re.Pattern[str], limit: int = 64) -> frozenset[str] | None:
    """The literal starts of ``rx`` in lower case when every match begins at a word start
    (``rx`` opens with ``\\b`` or a look-behind that refuses a word character before it,
    and every start is a word character): then a scan for words at word starts finds
    every place ``rx`` can match. None otherwise."""
    if _sre_p is None:
        return None
    try:
        data = _sre_p.parse(rx.pattern, rx.flags).data
    except Exception:  # pragma: no cover
        return None
    if not data:
        return None
    op, av = data[0]
    c = _sre_c
    guarded = (op is c.AT and av is c.AT_BOUNDARY) or (
        op is c.ASSERT_NOT
        and av[0] == -1
        and any(
            item == (c.IN, [(c.CATEGORY, c.CATEGORY_WORD)])
            or (item[0] is c.IN and (c.CATEGORY, c.CATEGORY_WORD) in item[1])
            for item in av[1].data
        )
        and len(av[1].data) == 1
    )
    starts = literal_starts(rx, limit) if guarded else None
    if starts is None or not all(_WORD_CHAR.match(w) for w in starts):
        return None
    lowered = {w.lower() for w in starts}
    if any(len(w) != len(lower_same_length(w)) or lower_same_length(w) != w for w in lowered):
        return None
    return frozenset(lowered)


_WORD_CHAR = re.compile(r"\w")


def starts_at_line_start(rx: re.Pattern[str]) -> bool:
    """True when every match of ``rx`` begins with ``^`` (no top-level alternative
    escapes it): within one line, ``rx.match`` at the line start finds what
    ``rx.search`` would."""
    if _sre_p is None:
        return False
    try:
        data = _sre_p.parse(rx.pattern, rx.flags).data
    except Exception:  # pragma: no cover
        return False
    return bool(data) and data[0] == (_sre_c.AT, _sre_c.AT_BEGINNING)


class LiteralScan:
    """``rx.finditer`` that finds the literal starts of the matches with ``str.find`` and
    tries ``rx`` only there: the same matches in the same order (leftmost, no overlaps).
    Patterns without a short list of literal starts are scanned by ``re`` as usual."""

    def __init__(self, rx: re.Pattern[str], limit: int = _MAX_STARTS) -> None:
        self.rx = rx
        # only a pattern that opens with a look-around or an anchor is slow in ``re``; one
        # that opens with a character or a class is already scanned quickly
        self.starts = literal_starts(rx, limit) if _opens_with_assertion(rx) else None

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> list[re.Match[str]]:
        end = len(text) if endpos is None else endpos
        if self.starts is None:
            return list(self.rx.finditer(text, pos, end))
        return matches_at(self.rx, text, find_all(text, self.starts, pos, end), pos, end)


def find_all(text: str, parts: Iterable[str], pos: int = 0, endpos: int | None = None) -> set[int]:
    """Every offset in [pos, endpos) where one of ``parts`` begins (``str.find``)."""
    end = len(text) if endpos is None else endpos
    found: set[int] = set()
    find = text.find
    for part in parts:
        i = find(part, pos, end)
        while i >= 0:
            found.add(i)
            i = find(part, i + 1, end)
    return found


def matches_at(
    rx: re.Pattern[str], text: str, offsets: Iterable[int], pos: int = 0, endpos: int | None = None
) -> list[re.Match[str]]:
    """What ``rx.finditer(text, pos, endpos)`` yields, when every match of ``rx`` must
    begin at one of ``offsets``: ``rx`` is tried there only, leftmost first, and a match
    hides the offsets it covers. ``rx`` must not match the empty string."""
    end = len(text) if endpos is None else endpos
    out: list[re.Match[str]] = []
    match, after = rx.match, pos
    for i in sorted(offsets):
        if after <= i < end:
            m = match(text, i, end)
            if m is not None:
                out.append(m)
                after = m.end()
    return out


@lru_cache(maxsize=64)
def literal_scan(rx: re.Pattern[str]) -> LiteralScan:
    """The (cached) ``LiteralScan`` of a compiled pattern."""
    return LiteralScan(rx)


def lower_same_length(text: str) -> str:
    """``text.lower()`` when that keeps the length (nearly always), else per character."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def read_jsonl(name: str) -> Iterator[dict[str, Any]]:
    """The records of one pattern file, skipping its header comment and blank lines."""
    with (PATTERNS_DIR / name).open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            rec = json.loads(line)
            if "label" in rec:
                yield rec


def alternation(phrases: Iterable[str], regex: bool = False) -> str:
    """A non-capturing alternation, longest phrase first so the longest wins."""
    if not regex:
        return "(?:" + trie_regex(set(phrases)) + ")"  # a trie: ``re`` scans it far faster
    items = sorted(set(phrases), key=lambda p: (-len(p), p))
    return "(?:" + "|".join(items) + ")"


@dataclass(frozen=True)
class Lexicon:
    """Every word list and cue of the patterns folder, grouped by label."""

    given_names: frozenset[str]
    non_actor: frozenset[str]
    place_words: frozenset[str]
    particles: frozenset[str]
    titles: tuple[str, ...]
    role_nouns: frozenset[str]
    org_heads: dict[str, str]
    leading_heads: dict[str, str]  # "Radio" -> NewsOutlet ("Radio Okapi")
    generic_modifiers: frozenset[str]  # "National" in "National TV": not a name on its own
    descriptors: dict[str, str]  # "security firm" / "channel" -> class of the name it describes
    press_offices: tuple[str, ...]  # "media office": an organisation's own statement office
    military_nouns: tuple[str, ...]  # "army": after a nationality, that state's armed forces
    locatives: frozenset[str]  # "in": a state or capital after it is a place
    place_nouns: frozenset[str]  # "district" after a name: the name is a place
    place_of: frozenset[str]  # "suburbs" in "the suburbs of Damascus": the name is a place
    unit_heads: frozenset[str]  # "Brigade" in "the 93rd Mechanised Brigade": a unit
    nationalities: dict[str, str]
    tlds: frozenset[str]
    abbreviations: frozenset[str]
    comment_cues: tuple[
        tuple[str, re.Pattern[str], int, bool, tuple[str, ...]], ...
    ]  # id, rx, signed weight, on lower case, strings one of which every match holds
    report_verbs: dict[str, str]  # verb phrase -> kind
    according: tuple[str, ...]
    passive: tuple[str, ...]
    comment_refs: tuple[str, ...]
    negations: frozenset[str]
    auxiliaries: frozenset[str]
    subject_pronouns: frozenset[str]
    speaker_excluded: frozenset[str]
    unnamed_nouns: frozenset[str]
    unnamed_people: frozenset[str]
    channel_nouns: frozenset[str]
    via_preps: tuple[str, ...]
    member_nouns: frozenset[str]  # "crews" in "Civil Defence crews said"
    denied_objects: frozenset[str]  # "claim" in "denied the claim", "a charge X denied"
    modality: tuple[tuple[str, re.Pattern[str]], ...]
    references: dict[str, tuple[frozenset[str], bool]]  # noun -> (kinds, may mean publisher)
    # polarity, pattern, trigger words, flags (CUE_FLAGS: what else the cue may do)
    judgement_cues: tuple[tuple[str, re.Pattern[str], tuple[str, ...], frozenset[str]], ...]
    concessions: tuple[re.Pattern[str], ...]


# Judgement cue flags: "parties" may judge any party named as the verdict's subject (a
# state, a person), not only a source; "comments" holds in reader comments only; "echo"
# judges the source of the statement just reported ("Right.", "It must be true"); "both"
# judges the two parties the thread named last ("both sides lie", "Both militaries lie").
CUE_FLAGS = ("parties", "comments", "echo", "both")


def lower_pattern(pattern: str) -> str:
    """A regex for lower-cased text: capitals to lower case, escapes such as \\B kept."""
    return re.sub(r"(?<!\\)[A-Z]", lambda m: m.group(0).lower(), pattern)


def _comment_cue(rec: dict[str, Any]) -> tuple[str, re.Pattern[str], int, bool, tuple[str, ...]]:
    """A "(?i)" cue runs on the lower-cased line instead: much faster in ``re``.

    A NEWS_CUE counts against a comment: its weight is negated. ``needs`` (optional):
    strings one of which every match holds, so a line without them is not searched.
    """
    pattern = rec["pattern"]
    weight = int(rec["weight"]) * (-1 if rec["label"] == "NEWS_CUE" else 1)
    needs = tuple(rec.get("needs", ()))
    if pattern.startswith("(?i)"):
        return rec["id"], re.compile(lower_pattern(pattern[4:])), weight, True, needs
    return rec["id"], re.compile(pattern), weight, False, needs


def _by_label(*files: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for name in files:
        for rec in read_jsonl(name):
            out.setdefault(rec["label"], []).append(rec)
    return out


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Read and compile all pattern files (once per process)."""
    d = _by_label(
        "names.jsonl",
        "titles.jsonl",
        "orgs.jsonl",
        "places.jsonl",
        "sentences.jsonl",
        "segment_cues.jsonl",
        "reporting.jsonl",
        "modality.jsonl",
        "references.jsonl",
        "judgement_cues.jsonl",
    )

    def pats(label: str) -> list[str]:
        return [r["pattern"] for r in d.get(label, [])]

    return Lexicon(
        given_names=frozenset(pats("GIVEN_NAME")),
        non_actor=frozenset(pats("NON_ACTOR")),
        place_words=frozenset(pats("PLACE_WORD")),
        particles=frozenset(pats("NAME_PARTICLE")),
        titles=tuple(pats("TITLE")),
        role_nouns=frozenset(pats("ROLE_NOUN")),
        org_heads={r["pattern"]: r["type"] for r in d.get("ORG_HEAD", [])},
        leading_heads={r["pattern"]: r["type"] for r in d.get("LEADING_HEAD", [])},
        generic_modifiers=frozenset(pats("GENERIC_MODIFIER")),
        descriptors={r["pattern"]: r["type"] for r in d.get("DESCRIPTOR", [])},
        press_offices=tuple(pats("PRESS_OFFICE")),
        military_nouns=tuple(pats("MILITARY_NOUN")),
        locatives=frozenset(pats("LOCATIVE")),
        place_nouns=frozenset(pats("PLACE_NOUN")),
        place_of=frozenset(pats("PLACE_OF")),
        unit_heads=frozenset(pats("UNIT_HEAD")),
        nationalities={r["pattern"]: r["key"] for r in d.get("NATIONALITY", [])},
        tlds=frozenset(pats("TLD")),
        abbreviations=frozenset(pats("ABBREVIATION")),
        comment_cues=tuple(
            _comment_cue(r) for r in d.get("COMMENT_CUE", []) + d.get("NEWS_CUE", [])
        ),
        report_verbs={r["pattern"]: r["kind"] for r in d.get("REPORT_VERB", [])},
        according=tuple(pats("ACCORDING")),
        passive=tuple(pats("PASSIVE_REPORT")),
        comment_refs=tuple(pats("COMMENT_REF")),
        negations=frozenset(pats("NEGATION")),
        auxiliaries=frozenset(pats("AUXILIARY")),
        subject_pronouns=frozenset(pats("SUBJECT_PRONOUN")),
        speaker_excluded=frozenset(pats("SPEAKER_EXCLUDED")),
        unnamed_nouns=frozenset(pats("UNNAMED_SOURCE")),
        unnamed_people=frozenset(
            r["pattern"] for r in d.get("UNNAMED_SOURCE", []) if r.get("person")
        ),
        channel_nouns=frozenset(pats("CHANNEL_NOUN")),
        via_preps=tuple(pats("VIA_PREP")),
        member_nouns=frozenset(pats("MEMBER_NOUN")),
        denied_objects=frozenset(pats("DENIED_OBJECT")),
        modality=tuple(
            (r["value"], re.compile(r["pattern"], re.IGNORECASE)) for r in d.get("MODALITY", [])
        ),
        references={
            r["pattern"]: (frozenset(r["kinds"]), bool(r["publisher"]))
            for r in d.get("REFERENCE", [])
        },
        judgement_cues=tuple(
            (
                r["polarity"],
                re.compile(lower_pattern(r["pattern"])),
                tuple(r.get("any", ())),
                frozenset(f for f in CUE_FLAGS if r.get(f)),
            )
            for r in d.get("JUDGEMENT_CUE", [])
        ),
        concessions=tuple(re.compile(p) for p in pats("CONCESSION")),
    )
