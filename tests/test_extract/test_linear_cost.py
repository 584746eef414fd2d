"""Pathological inputs of issue 11 item 8: the output is right and the work is bounded.

The work is counted, not timed: cProfile counts every Python-level call (generator steps
included), so a loop over all mentions inside a loop over candidates shows as calls that
grow with the square of the text. Regex scans are counted by the characters they are
offered: every module-level pattern of kb/extract is wrapped so that each search,
finditer, findall and sub adds the length of its window; a search from the start of the
text at every verb shows as a window total that grows with the square of the text. An
input twice as long must not cost much more than twice either count. (A pattern that
backtracks inside a short window is not seen here; bench/extraction_scaling.py shows
that time per MB stays flat.)
"""

from __future__ import annotations

import cProfile
import importlib
import pkgutil
import pstats
import re
from typing import Any

import pytest

import kb.extract
from kb.extract import extract_strict, to_score_json
from kb.extract.segment import MAX_SENTENCE

from .helpers import DATA

LINES = [
    "Rebels shelled the airport on Tuesday, the army said.",
    "Commander Rami Saleh told Reuters the town was taken.",
    "I think TASS is pure propaganda, but Al-Masdar reported it too.",
    "The Syrian Observatory for Human Rights said 12 people were killed in Idlib.",
    "Commander Ion Vrabie called the report a fabrication, the ministry said on Monday.",
]


def _own_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.txt"))[:6])


def _repeat(base: str, size: int) -> str:
    return ((base + "\n") * (size // (len(base) + 1) + 1))[:size].rsplit(" ", 1)[0] + "\n"


def _al_chain(size: int) -> str:
    return "Al-" * (size // 3) + "Masdar said."


def _one_line(size: int) -> str:
    return _repeat(_own_text().replace("\n", " "), size)


def _no_stops(size: int) -> str:
    text = _own_text().replace("\n", " ")
    for stop in ".?!\u2026":
        text = text.replace(stop, "")
    return _repeat(text, size)


def _many_lines(size: int) -> str:
    return _repeat("\n".join(LINES), size)


def _many_names(size: int) -> str:
    out, n = [], 0
    while sum(map(len, out)) < size:
        a, b = f"Kar{n:05d}", f"Vel{n * 7 % 99991:05d}"
        out.append(f"Commander {a} {b} told {b} News that the {a} Brigade shelled it, said {b}.")
        n += 1
    return "\n".join(out) + "\n"


def _many_verdicts(size: int) -> str:
    """New outlets and verdicts on every line: echoes, nationalities, credit tags."""
    out, n = [], 0
    while sum(map(len, out)) < size:
        out.append(
            f'"The bridge is intact," Colonel Kar{n:05d} Vel told TASS. Right. Serbian figures '
            f"are exaggerated, the Vel{n:05d} propaganda platform says. (Zdg{n:05d} / Post{n:05d})"
        )
        n += 1
    return "\n".join(out) + "\n"


BUILDERS = {
    "al-chain": _al_chain,
    "one-line": _one_line,
    "no-stops": _no_stops,
    "many-lines": _many_lines,
    "many-names": _many_names,
    "many-verdicts": _many_verdicts,
}


def _calls(text: str) -> int:
    profiler = cProfile.Profile()
    profiler.enable()
    extract_strict(text)
    profiler.disable()
    return pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]


class _CountingPattern:
    """A compiled pattern that adds the length of each scanned window to a counter."""

    def __init__(self, rx: re.Pattern[str], counter: list[int]) -> None:
        self._rx, self._counter = rx, counter

    def __getattr__(self, name: str) -> Any:
        return getattr(self._rx, name)

    def _window(self, string: str, pos: int = 0, endpos: int | None = None) -> None:
        self._counter[0] += (len(string) if endpos is None else min(endpos, len(string))) - pos

    def search(self, string: str, pos: int = 0, endpos: int = 2**62) -> Any:
        self._window(string, pos, endpos)
        return self._rx.search(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = 2**62) -> Any:
        self._window(string, pos, endpos)
        return self._rx.finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = 2**62) -> Any:
        self._window(string, pos, endpos)
        return self._rx.findall(string, pos, endpos)

    def sub(self, repl: Any, string: str, count: int = 0) -> Any:
        self._window(string)
        return self._rx.sub(repl, string, count)

    def match(self, *args: Any) -> Any:
        return self._rx.match(*args)

    def fullmatch(self, *args: Any) -> Any:
        return self._rx.fullmatch(*args)


@pytest.fixture
def scanned(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Wrap every module-level compiled pattern of kb.extract; the count of scanned chars."""
    counter = [0]
    for info in pkgutil.iter_modules(kb.extract.__path__):
        module = importlib.import_module(f"kb.extract.{info.name}")
        for attr, value in vars(module).items():
            if isinstance(value, re.Pattern):
                monkeypatch.setattr(module, attr, _CountingPattern(value, counter))
    return counter


@pytest.mark.parametrize("kind", BUILDERS)
def test_regex_scans_grow_linearly(kind: str, scanned: list[int]) -> None:
    build = BUILDERS[kind]
    extract_strict(build(2_000))
    scanned[0] = 0
    extract_strict(build(30_000))
    small, scanned[0] = scanned[0], 0
    extract_strict(build(60_000))
    large = scanned[0]
    assert large < 2.6 * small, (kind, small, large)


@pytest.mark.parametrize("kind", BUILDERS)
def test_twice_the_text_is_about_twice_the_work(kind: str) -> None:
    build = BUILDERS[kind]
    extract_strict(build(2_000))  # warm-up: patterns and gazetteer are loaded once
    small, large = _calls(build(30_000)), _calls(build(60_000))
    assert large < 2.4 * small, (kind, small, large)


def test_al_chain_keeps_its_claim() -> None:
    text = _al_chain(120_000)
    out = to_score_json(extract_strict(text))
    assert [s["canonical_name"] for s in out["sources"]] == ["Al-Masdar News"]
    (claim,) = out["claims"]
    assert claim["via_key"] == "al-masdar-news" and claim["cue"] == "said"
    assert claim["span"][1] == len(text)


def test_run_on_text_is_still_read() -> None:
    """A text without stops is read in pieces: its frames and verdicts are still found."""
    text = _many_lines(20_000).replace(".", "").replace("\n", " ")
    ex = extract_strict(text)
    cues = {c.cue.text for c in ex.claims}
    assert {"said", "told Reuters"} <= cues
    assert len(ex.claims) >= len(text) // MAX_SENTENCE  # one frame a piece at least
    assert {ex.entity(j.source).name for j in ex.judgements} >= {"TASS"}
    assert all(len(s.span.text) <= 3000 for s in ex.judgements)


def test_many_lines_give_one_record_per_line() -> None:
    text = _many_lines(20_000)
    lines = text.count("\n")
    ex = extract_strict(text)
    said = [c for c in ex.claims if c.cue.text == "said" and c.via]
    assert len(said) >= lines // 4 - 1
