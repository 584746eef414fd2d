"""Hostile and broken inputs through the real CLI (issue 11, items 7 and 9): each one is
ingested or refused with one line on stderr and exit status 1, never a traceback, and a
refusal leaves the store exactly as it was, even when good texts come first in the batch.

The inputs are generated here (nothing third-party). How time and memory grow with the
size of an accepted input is measured in bench/hostile_inputs.py, not asserted here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import run_srkb

GOOD = "Reuters said on Monday that the convoy reached Kobani.\nI trust Reuters on this one.\n"


def _deep_json(depth: int) -> str:
    return '{"body": "x", "comments": ' + "[" * depth + "]" * depth + "}"


# name -> bytes of the input file and its suffix
REFUSED: dict[str, tuple[Callable[[], bytes], str, str]] = {
    "nul bytes": (lambda: b"Reuters said\x00 the town fell.\n", ".txt", "binary"),
    "not utf-8": (lambda: "Reuters said ça.\n".encode("latin-1"), ".txt", "UTF-8"),
    "empty": (lambda: b"", ".txt", "empty"),
    "only whitespace": (lambda: b" \n\t\n", ".txt", "empty"),
    "over the byte limit (50 MB)": (lambda: b"Reuters said it. " * 3_000_000, ".txt", "limit"),
    "over the line limit (100k lines)": (
        lambda: b"ok Reuters lies\n" * 100_000,
        ".txt",
        "line limit",
    ),
    "100k comments": (
        lambda: json.dumps(
            {"body": "Reuters said it.", "comments": [{"text": "Reuters lies"}] * 100_000}
        ).encode(),
        ".json",
        "line limit",
    ),
    "deep JSON (200k nested arrays)": (
        lambda: _deep_json(200_000).encode(),
        ".json",
        "nested too deeply",
    ),
    "lone surrogate in a JSON escape": (
        lambda: b'{"body": "Reuters said \\ud800 it.", "comments": []}',
        ".json",
        "surrogate",
    ),
    "lone surrogate in a comment": (
        lambda: b'{"body": "Reuters said it.", "comments": [{"text": "bad \\udfff"}]}',
        ".json",
        "surrogate",
    ),
    "JSON that is not a document": (lambda: b"[1, 2, 3]", ".json", "object"),
    "broken JSON": (lambda: b'{"body": "x"', ".json", "not valid JSON"),
    "a comment that is not an object": (
        lambda: b'{"body": "x", "comments": [[[[]]]]}',
        ".json",
        "comment",
    ),
}

ACCEPTED: dict[str, tuple[Callable[[], bytes], str]] = {
    "one huge line (1 MB)": (
        lambda: ("The convoy moved north past the river and the town. " * 20_000).encode(),
        ".txt",
    ),
    "repeated cue words": (lambda: ("said " * 20_000 + "Reuters said it.\n").encode(), ".txt"),
    "many verdicts (2,000 lines)": (lambda: b"ok Reuters lies\n" * 2_000, ".txt"),
    "nested quotes": (
        lambda: ('Reuters said "' * 300 + "the town fell" + '"' * 300 + ".\n").encode(),
        ".txt",
    ),
    "RTL and zero-width text": (
        lambda: (
            "\u202eReuters\u202c said \u200bthe\u200d town \u2067fell\u2069.\n"
            "وكالة رويترز قالت إن القافلة وصلت.\u200f\nI\u200b trust Reuters.\n"
        ).encode(),
        ".txt",
    ),
    "CRLF line ends": (lambda: GOOD.replace("\n", "\r\n").encode(), ".txt"),
    "a JSON document with odd but valid fields": (
        lambda: json.dumps(
            {
                "title": "\u202e<script>alert(1)</script>",
                "body": "Reuters said the town fell.\r\nIt said so twice.",
                "comments": [{"text": "AMN lies \U0001f600", "author": "\u200b"}],
            }
        ).encode(),
        ".json",
    ),
}


def _quads(data: Path) -> str:
    done = run_srkb("dump", "--format", "nquads", data=data)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data = tmp_path_factory.mktemp("hostile") / "data"
    good = tmp_path_factory.mktemp("hostile-good") / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    done = run_srkb("ingest", str(good), data=data)
    assert done.returncode == 0, done.stderr
    return data, _quads(data)


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_hostile_input_is_refused_in_one_line_and_nothing_is_written(
    name: str, seeded: tuple[Path, str], tmp_path: Path
) -> None:
    make, suffix, reason = REFUSED[name]
    data, before = seeded
    fresh = tmp_path / "fresh.txt"  # a good text first in the batch: it must not land
    fresh.write_text("The SDF said the dam was calm on Friday.\n", encoding="utf-8")
    bad = tmp_path / f"input{suffix}"
    bad.write_bytes(make())
    done = run_srkb("ingest", str(fresh), str(bad), data=data)
    assert done.returncode == 1, (name, done.stderr[-500:])
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert reason.lower() in lines[0].lower() and str(bad) in lines[0], lines[0]
    assert _quads(data) == before


@pytest.mark.parametrize("name", list(ACCEPTED))
def test_an_odd_but_valid_input_is_ingested(name: str, tmp_path: Path) -> None:
    make, suffix = ACCEPTED[name]
    path = tmp_path / f"input{suffix}"
    path.write_bytes(make())
    data = tmp_path / "data"
    done = run_srkb("ingest", str(path), data=data)
    assert done.returncode == 0, (name, done.stderr[-2000:])
    assert "Traceback" not in done.stderr
    listed = run_srkb("texts", data=data)
    assert listed.returncode == 0 and "input" in listed.stdout, listed.stdout


def test_limits_are_settings(tmp_path: Path) -> None:
    path = tmp_path / "three.txt"
    path.write_text("Reuters said it.\nAMN said it.\nSANA said it.\n", encoding="utf-8")
    done = run_srkb("ingest", str(path), data=tmp_path / "data", env={"SRKB_MAX_INPUT_LINES": "2"})
    assert done.returncode == 1 and "2-line limit" in done.stderr, done.stderr
    done = run_srkb("ingest", str(path), data=tmp_path / "data", env={"SRKB_MAX_INPUT_BYTES": "20"})
    assert done.returncode == 1 and "20-byte limit" in done.stderr, done.stderr
    done = run_srkb("extract", str(path), env={"SRKB_MAX_INPUT_BYTES": "20"})
    assert done.returncode == 1 and "20-byte limit" in done.stderr, done.stderr
