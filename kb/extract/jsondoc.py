"""The JSON document form: an article and its comments with their structure made explicit.

For callers that know the structure (a scraper, an API) instead of plain text::

    {"url": "https://outlet.example/2024/03/story", "title": "...", "publisher": "SouthFront",
     "published": "2024-03-03", "body": "paragraph\\nparagraph",
     "comments": [{"id": "c1", "author": "Sinbad", "date": "2024-03-04", "text": "...",
                   "reply_to": null}, ...]}

Only ``body`` or ``comments`` is required. The extraction reads one plain text assembled
from the fields (title, body, then each comment on one line, joined by newlines), so all
offsets stay plain-text offsets into ``Extraction.text``; the article/comment boundary
comes from the fields, never from the register rule. A newline inside a comment becomes
a space (same length), so one comment is one line. ``reply_to`` names another comment's
``id`` (or its 1-based position when comments have no ids). ``published`` (an ISO date or
date-time) dates the article: "on Tuesday" in it gets a full date. ``publisher`` (a
name or a domain) and else the host of ``url`` name the outlet, which becomes a source
entity and what "the article" in a comment refers to.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from kb.errors import InputError

from .doc import Doc
from .lexicon import normalise
from .model import Extraction, Segment, Span
from .pipeline import STAGES, freeze

logger = logging.getLogger(__name__)

_FIELDS = {"url", "title", "publisher", "published", "body", "comments"}
_COMMENT_FIELDS = {"id", "author", "date", "text", "reply_to"}
_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:www\.)?([^/\s:?#]+)", re.IGNORECASE)


def looks_like_json_document(text: str) -> bool:
    """True when ``text`` is a JSON object with a ``body`` or ``comments`` field."""
    head = text.lstrip()[:1]
    if head != "{":
        return False
    try:
        data = json.loads(text)
    except ValueError:
        return False
    return isinstance(data, dict) and ("body" in data or "comments" in data)


def _opt_str(data: dict[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{where}: '{key}' must be a string, not {type(value).__name__}")
    return value


def _published(value: str | None) -> date | None:
    if not value:
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError as exc:
        raise InputError(
            f"JSON document: 'published' is not an ISO date (YYYY-MM-DD): {value!r}"
        ) from exc


def _validate(data: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if not isinstance(data, dict):
        raise InputError(f"JSON document: expected an object, not {type(data).__name__}")
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        raise InputError(
            f"JSON document: unknown field(s) {', '.join(unknown)}; "
            f"expected some of {', '.join(sorted(_FIELDS))}"
        )
    if "body" not in data and "comments" not in data:
        raise InputError("JSON document: needs a 'body' or a 'comments' field")
    for key in ("url", "title", "publisher", "published", "body"):
        _opt_str(data, key, "JSON document")
    comments = data.get("comments") or []
    if not isinstance(comments, list):
        raise InputError("JSON document: 'comments' must be a list of objects")
    for n, c in enumerate(comments, start=1):
        if not isinstance(c, dict):
            raise InputError(f"JSON document: comment {n} must be an object")
        unknown = sorted(set(c) - _COMMENT_FIELDS)
        if unknown:
            raise InputError(f"JSON document: comment {n}: unknown field(s) {', '.join(unknown)}")
        if not isinstance(c.get("text"), str):
            raise InputError(f"JSON document: comment {n}: 'text' must be a string")
        for key in ("author", "date"):
            _opt_str(c, key, f"JSON document: comment {n}")
        if c.get("id") is not None and not isinstance(c["id"], (str, int)):
            raise InputError(f"JSON document: comment {n}: 'id' must be a string or a number")
        reply = c.get("reply_to")
        if reply is not None and (isinstance(reply, bool) or not isinstance(reply, (str, int))):
            raise InputError(
                f"JSON document: comment {n}: 'reply_to' must be a comment id or position"
            )
    return data, comments


def _one_line(text: str) -> str:
    """A comment on one line, same length: line breaks become spaces."""
    return re.sub(r"[\r\n\u2028\u2029\x85\x0b\x0c]", " ", text)


def _publisher_key(doc: Doc, publisher: str | None, url: str | None) -> str | None:
    """The source entity of the outlet, from its name, its domain, or the url's host."""
    from .gazetteer_index import load_matcher  # the gazetteer is loaded once per process

    gaz = load_matcher()
    candidates = [publisher] if publisher else []
    if url:
        m = _HOST.match(url.strip())
        if m:
            candidates.append(m.group(1))
    for cand in candidates:
        cand = cand.strip()
        if not cand:
            continue
        key = gaz.domain_key(cand) if "." in cand else None
        if key is None:
            labels = gaz.by_lower.get(cand.lower(), [])
            key = labels[0].key if labels else None
        if key is None:
            squeezed = re.sub(r"[\W_]+", "", cand.lower())
            key = gaz.compact.get(squeezed)
        if key is not None:
            entry = gaz.entries[key]
            ent = doc.add_entity(key, entry.name, set(entry.types), in_gazetteer=True)
            ent.roles.add("source")
            return key
    name = (publisher or "").strip() or (candidates[-1].strip() if candidates else "")
    if not name:
        return None
    key = doc.new_key(name)
    doc.add_entity(key, name, {"NewsOutlet"}, evidence="the publisher of the document")
    return key


@dataclass(frozen=True)
class Assembled:
    """A validated document laid out as plain text: the data, the text, where the
    comments begin, and the kept comments with their 1-based position among all comments.
    Reading an input makes it (kb.corpus), and naming and extracting the text reuse it:
    laying a document out four times took 4% of an ingest worker's time (cProfile)."""

    data: dict[str, Any]
    text: str
    article_end: int
    kept: list[tuple[int, dict[str, Any]]]


def assemble(data: Any) -> Assembled:
    """Validate, then lay out the plain text: title and body, then one line per comment.

    Raises:
        InputError: the structure is not the documented one.
    """
    data, comments = _validate(data)
    head = [p for p in (data.get("title"), data.get("body")) if p]
    article = "\n".join(head)
    lines = [article] if article else []
    kept: list[tuple[int, dict[str, Any]]] = []
    for n, c in enumerate(comments, start=1):
        line = _one_line(c["text"])
        if normalise(line).strip():  # the segmenter skips lines that are blank once normalised
            kept.append((n, c))
            lines.append(line)
    text = "\n".join(lines)
    article_end = len(article) + 1 if article else 0
    if not kept:
        article_end = len(text)
    return Assembled(data, text, article_end, kept)


def assembled_text(data: Any) -> str:
    """The plain text a JSON document is read as (what offsets count in).

    Raises:
        InputError: the structure is not the documented one.
    """
    return assemble(data).text


def extract_document(data: dict[str, Any], assembled: Assembled | None = None) -> Extraction:
    """Extract from the JSON document form (see the module docstring); ``assembled``:
    ``assemble(data)``, when the caller has it already.

    Raises:
        InputError: the structure is not the documented one (one-line message).
    """
    layout = assembled if assembled is not None else assemble(data)
    data, text, article_end, kept = layout.data, layout.text, layout.article_end, layout.kept
    doc_date = _published(data.get("published"))
    try:
        doc = Doc(text, doc_date, article_end)
        for st in STAGES:
            if st.name == "references":  # the outlet is known before references are resolved
                doc.publisher = _publisher_key(doc, data.get("publisher"), data.get("url"))
            doc = st.func(doc)
        ex = freeze(doc)
    except Exception:  # like extract(): one bad document must not stop a batch
        logger.exception("extraction failed on a JSON document of %d characters", len(text))
        return Extraction(
            text=text,
            segments=(Segment(kind="article", index=0, span=Span(0, len(text), text)),),
            entities=(),
            mentions=(),
            claims=(),
            judgements=(),
            metadata={"error": "extraction failed; see the log", "input": "json"},
        )
    # comment segments carry author, date and the segment they answer
    by_id: dict[str, int] = {}
    for seg_index, (n, c) in enumerate(kept, start=1):
        by_id[str(c["id"]) if c.get("id") is not None else f"#{n}"] = seg_index
        by_id.setdefault(f"#{n}", seg_index)
    segments: list[Segment] = list(ex.segments)
    comment_segments = [s for s in segments if s.kind == "comment"]
    for seg, (_, c) in zip(comment_segments, kept, strict=False):
        reply = c.get("reply_to")
        target = None
        if reply is not None:
            target = by_id.get(str(reply)) or by_id.get(f"#{reply}")
        segments[seg.index] = replace(
            seg, author=c.get("author") or None, date=c.get("date") or None, reply_to=target
        )
    meta = dict(ex.metadata)
    meta["input"] = "json"
    if data.get("url"):
        meta["url"] = data["url"]
    if data.get("published"):
        meta["published"] = data["published"]
    if data.get("title"):
        meta["title"] = " ".join(str(data["title"]).split())
    return replace(ex, segments=tuple(segments), metadata=meta)
