"""Run the `srkb` commands shown in README.md and write (or check) their real output.

Every ```console block that follows an ``<!-- example -->`` line is a transcript: lines
starting with ``$ `` are commands (continued while a quote is open), everything else is
their output. The commands run against a fresh knowledge base built from examples/,
exactly as the README's first command builds it.

    python scripts/readme_examples.py           # rewrite README.md with real outputs
    python scripts/readme_examples.py --check   # exit 1 if README.md is out of date

Times and extractor fingerprints change from run to run and from commit to commit; the
check compares them as placeholders.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- example -->\n```console\n)(.*?)(```)", re.DOTALL)
VOLATILE = [
    (re.compile(r"\d+\.\d+\.\d+\+[0-9a-f]{8}"), "<version>"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)?"), "<time>"),
]


def srkb_bin() -> str:
    local = Path(sys.executable).with_name("srkb")
    return str(local) if local.exists() else "srkb"


def split_commands(body: str) -> list[str]:
    """The commands of a transcript (output lines are dropped)."""
    commands, current = [], None
    for line in body.splitlines():
        if current is not None:
            current += "\n" + line
        elif line.startswith("$ "):
            current = line[2:]
        else:
            continue
        try:
            shlex.split(current)
        except ValueError:  # an open quote: the command goes on
            continue
        commands.append(current)
        current = None
    return commands


def run(command: str, env: dict[str, str]) -> str:
    argv = shlex.split(command)
    if argv[0] != "srkb":
        raise SystemExit(f"README example does not start with srkb: {command!r}")
    out = subprocess.run(
        [srkb_bin(), *argv[1:]], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    if out.returncode != 0:
        raise SystemExit(f"README example failed: {command!r}\n{out.stderr}")
    return out.stdout


def render(readme: str, env: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        parts = []
        for command in split_commands(match.group(2)):
            parts.append("$ " + command + "\n" + run(command, env))
        return match.group(1) + "".join(parts) + match.group(3)

    return BLOCK.sub(replace, readme)


def normalise(text: str) -> str:
    for pattern, placeholder in VOLATILE:
        text = pattern.sub(placeholder, text)
    return text


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--check", action="store_true", help="compare instead of rewriting")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SRKB_DATA": str(Path(tmp) / "kb")}
        env.pop("SRKB_BASE_IRI", None)
        run("srkb ingest examples/", env)
        current = README.read_text(encoding="utf-8")
        fresh = render(current, env)
    if args.check:
        if normalise(fresh) == normalise(current):
            return 0
        diff = difflib.unified_diff(
            normalise(current).splitlines(),
            normalise(fresh).splitlines(),
            "README.md",
            "real output",
            lineterm="",
            n=1,
        )
        print("\n".join(diff))
        print("README examples are out of date: run python scripts/readme_examples.py")
        return 1
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
