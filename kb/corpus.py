"""Reading input texts: files, folders and stdin, checked before anything is written.

Every problem becomes an InputError with a one-line message naming the input, so the
CLI can refuse a batch before touching the store.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError

TEXT_SUFFIXES = (".txt", ".text")
JSON_SUFFIX = ".json"
MAX_INPUT_BYTES = 50 * 1024 * 1024
_BINARY_CONTROL_RATIO = 0.05


@dataclass(frozen=True)
class InputText:
    """One text to ingest, already decoded and checked.

    ``document`` holds the parsed JSON document form (url, title, publisher, published,
    body, comments) when the input is one; ``text`` is then the raw JSON.
    """

    name: str  # file path as given, or "<stdin>"
    text: str
    document: dict[str, Any] | None = field(default=None, compare=False)


def _is_document(data: object) -> bool:
    return isinstance(data, dict) and ("body" in data or "comments" in data)


def parse_document(name: str, text: str) -> dict[str, Any]:
    """Parse the JSON document form, or raise a one-line InputError."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"{name}: not valid JSON ({exc})") from exc
    if not _is_document(data):
        raise InputError(
            f"{name}: a JSON input must be an object with a 'body' or 'comments' field "
            "(see the README's JSON document form)"
        )
    from .extract.jsondoc import assembled_text  # the extractor owns the document form

    try:
        assembled_text(data)  # validates every field now, before anything is written
    except InputError as exc:
        raise InputError(f"{name}: {exc.message}") from exc
    return data


def _describe_decode_error(name: str, data: bytes, exc: UnicodeDecodeError) -> str:
    return (
        f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start} "
        "cannot be decoded); convert it to UTF-8 first, e.g. with iconv"
    )


def decode_text(name: str, data: bytes) -> str:
    """Decode and check one input's bytes.

    Raises:
        InputError: empty, binary (NUL bytes or many control characters) or not UTF-8.
    """
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{name}: {len(data)} bytes is more than the {MAX_INPUT_BYTES}-byte limit")
    if not data.strip():
        raise InputError(f"{name}: the file is empty; nothing to ingest")
    if b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file (it contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(_describe_decode_error(name, data, exc)) from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > _BINARY_CONTROL_RATIO * len(text):
        raise InputError(
            f"{name}: looks like a binary file ({controls} control characters), not text"
        )
    if not text.strip():
        raise InputError(f"{name}: the file holds only whitespace; nothing to ingest")
    return text


def expand_paths(args: Iterable[str]) -> list[str]:
    """Files as given, folders expanded to their text files (sorted), '-' kept for stdin."""
    out: list[str] = []
    for arg in args:
        if arg == "-":
            out.append(arg)
            continue
        path = Path(arg)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES
            )
            if not found:
                raise InputError(
                    f"{arg}: the folder holds no text files ({', '.join(TEXT_SUFFIXES)})"
                )
            out.extend(str(p) for p in found)
        elif path.exists():
            out.append(arg)
        else:
            raise InputError(f"{arg}: no such file or folder")
    return out


def _json_document_file(path: Path) -> bool:
    """In a folder, a .json file is ingested only if it has the document form (gold
    annotations and other JSON beside the texts are left alone)."""
    try:
        return _is_document(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return False


def _sniff(name: str, text: str) -> InputText:
    """A plain-text input that has the JSON document shape is read as a document."""
    stripped = text.strip()
    if stripped.startswith("{") and stripped.endswith("}"):
        try:
            data = json.loads(stripped)
        except ValueError:
            return InputText(name, text)
        if _is_document(data):
            return InputText(name, text, data)
    return InputText(name, text)


def read_input(name: str) -> InputText:
    """Read and check one input ('-' is stdin); JSON documents are recognised by their
    .json suffix or, on stdin, by their shape."""
    if name == "-":
        text = decode_text("<stdin>", sys.stdin.buffer.read())
        return _sniff("<stdin>", text)
    path = Path(name)
    if not path.exists():
        raise InputError(f"{name}: no such file")
    if path.is_dir():
        raise InputError(f"{name}: is a folder, not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror})") from exc
    text = decode_text(name, data)
    if path.suffix.lower() == JSON_SUFFIX:
        return InputText(name, text, parse_document(name, text))
    return _sniff(name, text)


def read_inputs(args: Iterable[str]) -> list[InputText]:
    """Read every input first, so one bad file stops the batch before anything is stored."""
    return [read_input(name) for name in expand_paths(args)]
