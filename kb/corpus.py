"""Reading input texts: files, folders and stdin, checked before anything is written.

Every problem becomes an InputError with a one-line message naming the input, so the
CLI can refuse a batch before touching the store. Input is untrusted: its size and line
count are bounded (``InputLimits``, from the settings) before it is read whole, JSON
nested too deeply or holding lone surrogates (``"\\ud800"``, not a character) is refused
here rather than failing halfway through a batch.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError

if TYPE_CHECKING:
    from .extract.jsondoc import Assembled

TEXT_SUFFIXES = (".txt", ".text")
JSON_SUFFIX = ".json"
_BINARY_CONTROL_RATIO = 0.05
# The control characters (Unicode category Cc) other than \n \r \t \f: one regex scan
# instead of a unicodedata lookup per character (the same set, checked over every code point).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class InputLimits:
    """How large one input may be (settings max_input_bytes and max_input_lines)."""

    max_bytes: int = 10_000_000
    max_lines: int = 20_000

    @classmethod
    def from_settings(cls, settings: Any) -> InputLimits:
        return cls(settings.max_input_bytes, settings.max_input_lines)


DEFAULT_LIMITS = InputLimits()


@dataclass(frozen=True)
class InputText:
    """One text to ingest, already decoded and checked.

    ``document`` holds the parsed JSON document form (url, title, publisher, published,
    body, comments) when the input is one; ``text`` is then the raw JSON.
    """

    name: str  # file path as given, or "<stdin>"
    text: str
    document: dict[str, Any] | None = field(default=None, compare=False)
    # the document laid out as plain text (kb.extract.jsondoc.Assembled), made once
    assembled: Assembled | None = field(default=None, compare=False)

    @classmethod
    def of_document(
        cls, name: str, text: str, limits: InputLimits, json_text: str | None = None
    ) -> InputText:
        """A JSON document input (``json_text``: ``text`` without what surrounds the
        object), parsed, checked and laid out (``parse_document``)."""
        data, assembled = _parse_document(name, text if json_text is None else json_text, limits)
        return cls(name, text, data, assembled)


def _is_document(data: object) -> bool:
    return isinstance(data, dict) and ("body" in data or "comments" in data)


def load_json(name: str, text: str) -> Any:
    """``json.loads`` for untrusted text: every failure is a one-line InputError."""
    try:
        return json.loads(text)
    except RecursionError:
        raise InputError(f"{name}: the JSON is nested too deeply to be a document") from None
    except ValueError as exc:
        raise InputError(f"{name}: not valid JSON ({exc})") from exc


def check_characters(name: str, text: str) -> None:
    """Refuse text that cannot be written as UTF-8 (lone surrogates from JSON escapes)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            f"{name}: holds {text[exc.start]!r} at character {exc.start}, a lone surrogate "
            "that is not a character (a broken \\uD8xx escape?); fix the input"
        ) from None


def parse_document(name: str, text: str, limits: InputLimits = DEFAULT_LIMITS) -> dict[str, Any]:
    """Parse the JSON document form, or raise a one-line InputError."""
    return _parse_document(name, text, limits)[0]


def _parse_document(name: str, text: str, limits: InputLimits) -> tuple[dict[str, Any], Assembled]:
    data = load_json(name, text)
    if not _is_document(data):
        raise InputError(
            f"{name}: a JSON input must be an object with a 'body' or 'comments' field "
            "(see the README's JSON document form)"
        )
    from .extract.jsondoc import assemble  # the extractor owns the document form

    try:
        layout = assemble(data)  # validates every field now, before anything is written
    except InputError as exc:
        raise InputError(f"{name}: {exc.message}") from exc
    except RecursionError:
        raise InputError(f"{name}: a field is nested too deeply") from None
    assembled = layout.text
    check_characters(name, assembled)
    lines = assembled.count("\n") + 1
    if lines > limits.max_lines:
        raise InputError(
            f"{name}: {lines} lines (body paragraphs and comments) is more than the "
            f"{limits.max_lines}-line limit (SRKB_MAX_INPUT_LINES); split the document or "
            "raise the limit"
        )
    return data, layout


def _describe_decode_error(name: str, data: bytes, exc: UnicodeDecodeError) -> str:
    return (
        f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start} "
        "cannot be decoded); convert it to UTF-8 first, e.g. with iconv"
    )


def _too_large(name: str, size: int | str, limits: InputLimits) -> InputError:
    return InputError(
        f"{name}: {size} bytes is more than the {limits.max_bytes}-byte limit "
        "(SRKB_MAX_INPUT_BYTES); split the text or raise the limit"
    )


def decode_text(name: str, data: bytes, limits: InputLimits = DEFAULT_LIMITS) -> str:
    """Decode and check one input's bytes.

    Raises:
        InputError: too large, too many lines, empty, binary (NUL bytes or many control
            characters) or not UTF-8.
    """
    if len(data) > limits.max_bytes:
        raise _too_large(name, len(data), limits)
    lines = data.count(b"\n") + 1
    if lines > limits.max_lines:
        raise InputError(
            f"{name}: {lines} lines is more than the {limits.max_lines}-line limit "
            "(SRKB_MAX_INPUT_LINES: one paragraph or comment per line); split the text or "
            "raise the limit"
        )
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
    controls = len(_CONTROLS.findall(text))
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
    except (OSError, ValueError, RecursionError):
        return False


def _sniff(name: str, text: str, limits: InputLimits) -> InputText:
    """A plain-text input that has the JSON document shape is read as a document."""
    stripped = text.strip()
    if stripped.startswith("{") and stripped.endswith("}"):
        try:
            data = json.loads(stripped)
        except (ValueError, RecursionError):
            return InputText(name, text)
        if _is_document(data):
            return InputText.of_document(name, text, limits, stripped)
    return InputText(name, text)


def _read_bounded(name: str, stream: Any, limits: InputLimits) -> bytes:
    """At most max_bytes + 1 bytes: a huge input is refused without being held whole."""
    data: bytes = stream.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise _too_large(name, f"more than {limits.max_bytes}", limits)
    return data


def read_input(name: str, limits: InputLimits = DEFAULT_LIMITS) -> InputText:
    """Read and check one input ('-' is stdin); JSON documents are recognised by their
    .json suffix or, on stdin, by their shape."""
    if name == "-":
        text = decode_text("<stdin>", _read_bounded("<stdin>", sys.stdin.buffer, limits), limits)
        return _sniff("<stdin>", text, limits)
    path = Path(name)
    if not path.exists():
        raise InputError(f"{name}: no such file")
    if path.is_dir():
        raise InputError(f"{name}: is a folder, not a file")
    try:
        with path.open("rb") as stream:
            data = _read_bounded(name, stream, limits)
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror})") from exc
    text = decode_text(name, data, limits)
    if path.suffix.lower() == JSON_SUFFIX:
        return InputText.of_document(name, text, limits)
    return _sniff(name, text, limits)


def read_inputs(args: Iterable[str], limits: InputLimits = DEFAULT_LIMITS) -> list[InputText]:
    """Read every input first, so one bad file stops the batch before anything is stored."""
    return [read_input(name, limits) for name in expand_paths(args)]
