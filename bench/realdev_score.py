"""Score `srkb extract` on realdev part A, part B, the seed and the project's own texts.

The shared scorer has no option to restrict it to a part, so each part gets a folder of links
to its gold files (bench/realdev/parts/, git-ignored). Rebuild the texts first
(scripts/rebuild_realdev.py). Usage:

    python3 bench/realdev_score.py [A B seed own] [--errors] [--json]
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "eval" / "score_extraction.py"
CMD = f"{ROOT / '.venv/bin/srkb'} extract {{file}} --json"


def part_gold(part: str) -> Path:
    """A folder linking to the gold files of one realdev part."""
    folder = ROOT / "bench/realdev/parts" / part
    folder.mkdir(parents=True, exist_ok=True)
    for gold in sorted((SHARED / "realdev/gold").glob(f"{part}-*.json")):
        link = folder / gold.name
        if not link.exists():
            link.symlink_to(gold)
    return folder


def sets() -> dict[str, tuple[Path, Path]]:
    texts = ROOT / "bench/realdev/texts"
    return {
        "A": (texts, part_gold("A")),
        "B": (texts, part_gold("B")),
        "seed": (SHARED / "corpus", SHARED / "gold"),
        "own": (ROOT / "tests/data", ROOT / "tests/data"),
    }


def main(argv: list[str]) -> int:
    passed = [a for a in ("--errors", "--json") if a in argv]
    wanted = [a for a in argv if not a.startswith("--")] or ["A", "B", "seed", "own"]
    table = sets()
    for name in wanted:
        texts, gold = table[name]
        cmd = [sys.executable, str(SCORER), "--texts", str(texts), "--gold", str(gold)]
        cmd += ["--cmd", CMD] + passed
        print(f"## {name}", flush=True)
        subprocess.run(cmd, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
