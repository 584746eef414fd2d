"""``python -m kb.extract FILE``: print the extraction JSON of one text ("-" reads stdin).

A file holding the JSON document form (see kb/extract/jsondoc.py) is read as such.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from kb.errors import InputError

from . import extract, extract_document, looks_like_json_document, to_score_json


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kb.extract", description=__doc__)
    ap.add_argument("file", help="a UTF-8 text file, or - for standard input")
    ap.add_argument("--date", type=date.fromisoformat, help="the article's date, YYYY-MM-DD")
    ap.add_argument("--article-end", type=int, help="character offset where comments begin")
    args = ap.parse_args(argv)
    if args.file == "-":
        text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    else:
        try:
            text = Path(args.file).read_bytes().decode("utf-8", errors="replace")
        except OSError as exc:
            print(f"cannot read {args.file}: {exc.strerror}", file=sys.stderr)
            return 2
    if looks_like_json_document(text):
        try:
            ex = extract_document(json.loads(text))
        except InputError as exc:
            print(f"{args.file}: {exc}", file=sys.stderr)
            return 2
    else:
        ex = extract(text, document_date=args.date, article_end=args.article_end)
    sys.stdout.write(json.dumps(to_score_json(ex), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
