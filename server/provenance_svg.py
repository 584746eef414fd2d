"""A small provenance drawing, rendered on the server as inline SVG.

A claim's provenance reads left to right: speaker -> relay -> claim -> document -> text.
A source's reads: the comments that judged it -> the source -> what it relayed. Drawing on
the server keeps pages readable without JavaScript and loads nothing from elsewhere.
Every label is untrusted text: it is XML-escaped, and shortened to fit its box.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from kb.views import ClaimView, EntityView

_BOX_W, _BOX_H, _GAP_X, _GAP_Y, _PAD = 170, 40, 50, 14, 10
_MAX_PER_COLUMN = 6
_COLOURS = {
    "speaker": "#e8f0fe",
    "relay": "#fef7e0",
    "claim": "#e6f4ea",
    "document": "#f3e8fd",
    "text": "#f1f3f4",
    "judgement": "#fce8e6",
    "source": "#fef7e0",
}


@dataclass
class Node:
    key: str
    label: str
    kind: str
    href: str | None = None
    note: str = ""  # second line (a grade, a polarity)


@dataclass
class Drawing:
    title: str
    columns: list[list[Node]] = field(default_factory=list)
    edges: list[tuple[str, str, str]] = field(default_factory=list)  # (from, to, label)


def _short(text: str, limit: int = 24) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def render(drawing: Drawing, href_for: Callable[[str], str | None] = str) -> str:
    """The drawing as an accessible inline SVG element."""
    columns = [c[:_MAX_PER_COLUMN] for c in drawing.columns if c]
    rows = max((len(c) for c in columns), default=1)
    width = _PAD * 2 + len(columns) * _BOX_W + max(0, len(columns) - 1) * _GAP_X
    height = _PAD * 2 + rows * _BOX_H + max(0, rows - 1) * _GAP_Y + 16
    pos: dict[str, tuple[int, int]] = {}
    parts: list[str] = []
    for ci, column in enumerate(columns):
        x = _PAD + ci * (_BOX_W + _GAP_X)
        offset = (rows - len(column)) * (_BOX_H + _GAP_Y) // 2
        for ri, node in enumerate(column):
            y = _PAD + offset + ri * (_BOX_H + _GAP_Y)
            pos[node.key] = (x, y)
    for src, dst, label in drawing.edges:
        if src not in pos or dst not in pos:
            continue
        (x1, y1), (x2, y2) = pos[src], pos[dst]
        ax, ay, bx, by = x1 + _BOX_W, y1 + _BOX_H // 2, x2, y2 + _BOX_H // 2
        parts.append(
            f'<line x1="{ax}" y1="{ay}" x2="{bx}" y2="{by}" class="edge" marker-end="url(#arrow)"/>'
        )
        if label:
            parts.append(
                f'<text x="{(ax + bx) // 2}" y="{(ay + by) // 2 - 4}" class="edge-label" '
                f'text-anchor="middle">{escape(_short(label, 14))}</text>'
            )
    for column in columns:
        for node in column:
            x, y = pos[node.key]
            fill = _COLOURS.get(node.kind, "#ffffff")
            box = (
                f'<rect x="{x}" y="{y}" width="{_BOX_W}" height="{_BOX_H}" rx="6" fill="{fill}" '
                f'class="node node-{escape(node.kind)}"/>'
                f'<text x="{x + 8}" y="{y + 16}" class="node-label">'
                f"<title>{escape(node.label)}</title>{escape(_short(node.label))}</text>"
            )
            if node.note:
                box += (
                    f'<text x="{x + 8}" y="{y + 32}" class="node-note">'
                    f"{escape(_short(node.kind + ' · ' + node.note, 28))}</text>"
                )
            else:
                box += (
                    f'<text x="{x + 8}" y="{y + 32}" class="node-note">{escape(node.kind)}</text>'
                )
            href = href_for(node.href) if node.href else None
            if href:  # href_for gives None for IRIs that must not become links
                box = f"<a href={quoteattr(href)}>{box}</a>"
            parts.append(box)
    title = escape(drawing.title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="provenance" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="prov-title"><title id="prov-title">{title}</title>'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" '
        'markerHeight="6" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z"/></marker>'
        "</defs>" + "".join(parts) + "</svg>"
    )


def claim_drawing(view: ClaimView) -> Drawing:
    """speaker -> relay -> claim -> document -> source text."""
    s = view.summary
    grades = {  # F is no bad grade: too little evidence to judge the source
        link.iri: "not enough evidence" if grade == "F" else grade
        for link, grade in view.chain_ratings
    }
    d = Drawing(title=f"Provenance of the claim: {_short(s.content, 80)}")
    cols: list[list[Node]] = []
    chain: list[Node] = []
    if s.speaker:
        chain.append(
            Node(
                "speaker", s.speaker.label, "speaker", s.speaker.iri, grades.get(s.speaker.iri, "")
            )
        )
    if s.via:
        chain.append(Node("relay", s.via.label, "relay", s.via.iri, grades.get(s.via.iri, "")))
    for node in chain:
        cols.append([node])
    claim = Node(
        "claim", s.content, "claim", s.iri, f"credibility {s.credibility}" if s.credibility else ""
    )
    cols.append([claim])
    cols.append([Node("document", s.document.label, "document", s.document.iri)])
    cols.append([Node("text", view.file, "text", view.text_iri or None)])
    d.columns = cols
    keys = [n.key for n in chain] + ["claim", "document", "text"]
    labels = {
        "speaker": "told" if s.via else "said",
        "relay": "relayed",
        "claim": "in",
        "document": "part of",
    }
    d.edges = [(a, b, labels.get(a, "")) for a, b in zip(keys, keys[1:], strict=False)]
    return d


def source_drawing(view: EntityView) -> Drawing:
    """The comments that judged a source -> the source -> the claims it relayed."""
    d = Drawing(title=f"Evidence about {view.label}")
    judges = [
        Node(f"j{i}", j.comment.label, "judgement", j.comment.iri, j.polarity)
        for i, j in enumerate(view.judgements[:_MAX_PER_COLUMN])
    ]
    grade = view.rating.grade if view.rating else ""
    note = f"grade {grade}" if grade and grade != "F" else ""
    if grade == "F" and view.rating is not None:
        note = view.rating.display  # "not enough evidence (n pieces)"
    centre = Node("source", view.label, "source", view.iri, note)
    relayed = [
        Node(
            f"c{i}",
            c.content,
            "claim",
            c.iri,
            f"credibility {c.credibility}" if c.credibility else "",
        )
        for i, c in enumerate((view.relayed + view.claims_by)[:_MAX_PER_COLUMN])
    ]
    d.columns = [judges, [centre], relayed]
    d.edges = [(n.key, "source", "judged") for n in judges] + [
        ("source", n.key, "relayed") for n in relayed
    ]
    return d
