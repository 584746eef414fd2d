"""Dump every extraction record of the project's text sets, to prove a refactor changes nothing.

A split or clean-up of kb/extract must leave the output byte-identical; the scorer's F1 can
hide a changed offset or a renamed key. This writes one file per text holding the scorer JSON
and the full frozen records (segments, entities, mentions, claims, judgements, metadata), so
two runs compare with ``diff -r``. Usage:

    python bench/extraction_snapshot.py OUT_DIR          # seed, tests/data, realdev, examples
"""

from __future__ import annotations

import json
import sys
from dataclasses import fields, is_dataclass
from pathlib import Path

from kb.extract import extract, extract_document, looks_like_json_document, to_score_json

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def texts() -> list[tuple[str, Path]]:
    """(set name, file) for every text the snapshot covers."""
    found: list[tuple[str, Path]] = []
    for name, folder, pattern in (
        ("seed", SHARED / "corpus", "*.txt"),
        ("own", ROOT / "tests/data", "*.txt"),
        ("docs", ROOT / "tests/data/docs", "*.json"),
        ("realdev", ROOT / "bench/realdev/texts", "*.txt"),
        ("examples", ROOT / "examples", "*.txt"),
    ):
        found += [(name, p) for p in sorted(folder.glob(pattern))]
    return found


def _plain(record: object) -> str:
    """A record's repr with its sets sorted (a frozenset's order changes with the hash seed)."""
    if not is_dataclass(record):
        return repr(record)
    parts = []
    for f in fields(record):
        value = getattr(record, f.name)
        if isinstance(value, frozenset):
            value = sorted(value)
        parts.append(f"{f.name}={_plain(value) if is_dataclass(value) else repr(value)}")
    return f"{type(record).__name__}({', '.join(parts)})"


def snapshot(path: Path) -> str:
    """The scorer JSON and the repr of every record of one text."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    ex = extract_document(json.loads(text)) if looks_like_json_document(text) else extract(text)
    lines = [json.dumps(to_score_json(ex), ensure_ascii=False, sort_keys=True)]
    for group in (ex.segments, ex.entities, ex.mentions, ex.claims, ex.judgements):
        lines += [_plain(r) for r in group]
    lines.append(repr(sorted(ex.metadata.items())))
    lines.append(repr(ex.publisher))
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python bench/extraction_snapshot.py OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    for name, path in texts():
        target = out / name / (path.stem + ".txt")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(snapshot(path), encoding="utf-8")
    print(f"{len(texts())} texts written under {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
