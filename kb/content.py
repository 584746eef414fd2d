"""The store's content digest and counts, kept up to date by every write: what names a release.

A release id must follow from the content alone, and a server must know it within
seconds of starting, whatever the store's size; hashing a 50-million-quad dump takes
minutes. So srkb keeps an order-independent digest of the content (a multiset hash: the
sum, modulo 2^256, of SHA-256 digests of its parts) and the quad counts, and updates them
by the difference at every write, in the same transaction:

* a text graph's part is the SHA-256 of its sorted N-Quads lines (computed by the
  extraction worker that built it, and kept as ``srkb:contentDigest "HEX QUADS"`` on the
  graph in the bookkeeping graph ``BASE/graph/journal``);
* every other quad (ontology, gazetteer, ratings, shared entities) is a part of its own.

The bookkeeping graph itself (journal entries, digests, this state) is left out. The
state is one literal, ``<BASE> srkb:contentState "{json}"`` in that graph. The release id
is ``sha256:`` + the SHA-256 of the digest and the count (kb.release). A store without
the state (written by other means) gets it computed from scratch.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .iri import IriMinter
from .store import KnowledgeBase, value
from .vocab import PREFIXES

if TYPE_CHECKING:
    from .text_records import TextRecords

MODULUS = 1 << 256
STATE = ox.NamedNode(PREFIXES["srkb"] + "contentState")
DIGEST = ox.NamedNode(PREFIXES["srkb"] + "contentDigest")
TEXT_GRAPH_INFIX = "/graph/text/"
SOFTWARE_VERSION = ox.NamedNode(PREFIXES["schema"] + "softwareVersion")
#: counts[VERSION_COUNT + v]: how many graphs name extractor version v (texts, priors)
VERSION_COUNT = "graphs by extractor "


def bookkeeping_graph(base_iri: str) -> str:
    return str(IriMinter(base_iri)("graph/journal"))


def lines_digest(lines: Iterable[bytes]) -> tuple[int, int]:
    """(digest, count) of a text graph: SHA-256 of its sorted N-Quads lines."""
    ordered = sorted(line for line in lines if line)
    digest = hashlib.sha256(b"\n".join(ordered)).digest()
    return int.from_bytes(digest, "big"), len(ordered)


def text_lines_digest(lines: Iterable[str]) -> tuple[int, int]:
    """``lines_digest`` of N-Quads lines still as text."""
    return lines_digest(line.encode() for line in lines)


def quad_digest(quad: ox.Quad) -> int:
    return int.from_bytes(hashlib.sha256(f"{quad} .".encode()).digest(), "big")


def serialized_digest(quads: list[ox.Quad]) -> tuple[bytes, int]:
    """The quads as N-Quads bytes (a line each), and their digest (the sum of their
    ``quad_digest``) taken from those lines: Rust formats each quad once, instead of
    Python formatting it again."""
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
    total = sum(
        int.from_bytes(hashlib.sha256(line).digest(), "big") for line in data.split(b"\n") if line
    )
    return data, total % MODULUS


def digest_literal(digest: int, count: int) -> ox.Literal:
    return ox.Literal(f"{digest:064x} {count}")


def parse_digest(value: str) -> tuple[int, int]:
    hex_digest, count = value.split()
    return int(hex_digest, 16), int(count)


@dataclass
class ContentState:
    """The content digest and counts (see the module docstring)."""

    digest: int = 0
    quads: int = 0
    texts: int = 0
    graphs: dict[str, int] = field(default_factory=dict)  # quads of each shared graph
    # what the texts hold: articles, reader comments, claims, source judgements
    counts: dict[str, int] = field(default_factory=dict)
    # the key of the reference graphs written (kb.ingest.ensure_reference_graphs): not
    # content, so left out of comparisons
    reference: str = field(default="", compare=False)

    def count(self, what: str, n: int) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def add(self, graph: str, digest: int, count: int, sign: int = 1) -> None:
        self.digest = (self.digest + sign * digest) % MODULUS
        self.quads += sign * count
        if TEXT_GRAPH_INFIX in graph:
            self.texts += sign
        else:
            self.graphs[graph] = self.graphs.get(graph, 0) + sign * count
            if self.graphs[graph] == 0:
                del self.graphs[graph]

    def add_quads(self, quads: Iterable[ox.Quad], sign: int = 1) -> None:
        for q in quads:
            self.add(value(q.graph_name), quad_digest(q), 1, sign)
            if q.predicate == SOFTWARE_VERSION and TEXT_GRAPH_INFIX not in value(q.graph_name):
                self.count(VERSION_COUNT + value(q.object), sign)

    def add_serialized(self, quads: list[ox.Quad], data: bytes) -> None:
        """``add_quads`` of quads serialised as ``data`` (``ox.serialize``: a line each,
        in order): the lines are hashed as they are, and each graph counted once."""
        totals: dict[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, list[int]] = {}
        for q, line in zip(quads, data.split(b"\n"), strict=False):
            found = totals.get(q.graph_name)
            if found is None:
                found = totals[q.graph_name] = [0, 0]
            found[0] += int.from_bytes(hashlib.sha256(line).digest(), "big")
            found[1] += 1
            if q.predicate == SOFTWARE_VERSION and TEXT_GRAPH_INFIX not in value(q.graph_name):
                self.count(VERSION_COUNT + value(q.object), 1)
        for graph, (digest, count) in totals.items():
            self.add(value(graph), digest % MODULUS, count)

    def count_texts(self, records: Iterable[TextRecords], sign: int = 1) -> None:
        """Count what text graphs hold (added: sign 1, removed: -1)."""
        for r in records:
            kinds = [d.kind for d in r.documents.values()]
            self.count("articles", sign * kinds.count("article"))
            self.count("reader comments", sign * kinds.count("comment"))
            self.count("claims", sign * len(r.claims))
            self.count("source judgements", sign * len(r.judgements))
            for version in r.versions:
                self.count(VERSION_COUNT + version, sign)

    def extractor_versions(self) -> list[str] | None:
        """The extractor versions the graphs name, from the counts; None when a store
        kept by an older srkb has texts but no such counts (read them from the store)."""
        found = sorted(
            k[len(VERSION_COUNT) :]
            for k, n in self.counts.items()
            if n > 0 and k.startswith(VERSION_COUNT)
        )
        if not found and self.texts:
            return None
        return found

    def set_extractor_versions(self, counted: dict[str, int]) -> None:
        """Replace the version counts (``counted``: graphs per version, as the store says)."""
        for key in [k for k in self.counts if k.startswith(VERSION_COUNT)]:
            del self.counts[key]
        for version, n in counted.items():
            self.count(VERSION_COUNT + version, n)

    def literal(self) -> ox.Literal:
        data = asdict(self)
        data["digest"] = f"{self.digest:064x}"
        data["graphs"] = dict(sorted(self.graphs.items()))
        data["counts"] = {k: v for k, v in sorted(self.counts.items()) if v}
        return ox.Literal(json.dumps(data, sort_keys=True))

    @classmethod
    def parse(cls, text: str) -> ContentState:
        data = json.loads(text)
        return cls(
            int(data["digest"], 16),
            int(data["quads"]),
            int(data["texts"]),
            data["graphs"],
            {k: int(v) for k, v in data.get("counts", {}).items()},
            str(data.get("reference", "")),
        )


def state_quads(kb: KnowledgeBase, base_iri: str) -> list[ox.Quad]:
    """The stored state quad(s) (one, normally)."""
    return list(kb.pattern(IriMinter(base_iri).base, STATE, None, bookkeeping_graph(base_iri)))


def read_state(kb: KnowledgeBase, base_iri: str) -> ContentState | None:
    found = state_quads(kb, base_iri)
    return ContentState.parse(value(found[0].object)) if len(found) == 1 else None


def state_quad(base_iri: str, state: ContentState) -> ox.Quad:
    return ox.Quad(
        ox.NamedNode(IriMinter(base_iri).base),
        STATE,
        state.literal(),
        ox.NamedNode(bookkeeping_graph(base_iri)),
    )


def text_graph_digest(
    kb: KnowledgeBase, base_iri: str, graph: str, *, recorded: bool = True
) -> tuple[int, int]:
    """A text graph's (digest, count): as its worker recorded it, else computed."""
    if recorded:
        for q in kb.pattern(graph, DIGEST, None, bookkeeping_graph(base_iri)):
            return parse_digest(value(q.object))
    lines = (f"{q} .".encode() for q in kb.pattern(None, None, None, graph))
    return lines_digest(lines)


#: What the content counts are counted as: rdf:type of things in text graphs.
COUNTED = {
    "articles": PREFIXES["srkb"] + "Article",
    "reader comments": PREFIXES["srkb"] + "ReaderComment",
    "claims": PREFIXES["srkb"] + "Claim",
    "source judgements": PREFIXES["srkb"] + "SourceJudgement",
}


def content_counts(kb: KnowledgeBase, graphs: list[str] | None = None) -> dict[str, int]:
    """How many articles, comments, claims and judgements the text graphs (all, or the
    given ones) hold."""
    values = ""
    if graphs is not None:
        if not graphs:
            return {}
        values = "VALUES ?g { " + " ".join(f"<{g}>" for g in graphs) + " }\n"
    kinds = " ".join(f"<{t}>" for t in COUNTED.values())
    rows = kb.query(
        f"SELECT ?kind (COUNT(?x) AS ?n) WHERE {{ {values} VALUES ?kind {{ {kinds} }} "
        f"GRAPH ?g {{ ?x a ?kind }} FILTER(CONTAINS(STR(?g), '{TEXT_GRAPH_INFIX}')) }} "
        "GROUP BY ?kind"
    )
    by_type = {t: k for k, t in COUNTED.items()}
    return {by_type[value(r["kind"])]: int(value(r["n"])) for r in rows}


_VERSIONS = (
    "SELECT ?v (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { "
    f"?sw a <{PREFIXES['srkb']}ExtractorSoftware> ; <{SOFTWARE_VERSION.value}> ?v }} }} "
    "GROUP BY ?v"
)


def version_counts(kb: KnowledgeBase) -> dict[str, int]:
    """How many graphs name each extractor version, read from the whole store (once per
    store: afterwards the kept state counts them)."""
    return {value(r["v"]): int(value(r["n"])) for r in kb.query(_VERSIONS)}


def compute_state(kb: KnowledgeBase, base_iri: str, *, recorded: bool = True) -> ContentState:
    """The state from scratch: every graph read (for stores srkb did not keep it for);
    ``recorded=False`` hashes text graphs too rather than trust their recorded digests."""
    state = ContentState()
    state.counts = {k: v for k, v in content_counts(kb).items() if v}
    skip = bookkeeping_graph(base_iri)
    for graph in kb.named_graphs():
        if graph == skip:
            continue
        if TEXT_GRAPH_INFIX in graph:
            state.add(graph, *text_graph_digest(kb, base_iri, graph, recorded=recorded))
        else:
            state.add_quads(kb.quads(graph))
    for q in kb.pattern(None, None, None, ox.DefaultGraph()):
        state.add("", quad_digest(q), 1)
    state.set_extractor_versions(version_counts(kb))
    return state


def ensure_version_counts(kb: KnowledgeBase, base_iri: str) -> None:
    """Give a kept state from an older srkb its extractor version counts (read once from
    the store, at rest), so that describing a release never scans every text again."""
    state = read_state(kb, base_iri)
    if state is None or state.extractor_versions() is not None:
        return
    from .derived import derived_dir
    from .derived.claim_index import carry_rated_state

    before = state_quads(kb, base_iri)
    state.set_extractor_versions(version_counts(kb))
    after = state_quad(base_iri, state)
    kb.change(remove=before, add=[after])
    if len(before) == 1:  # no rating changed: the claim index still knows them
        carry_rated_state(derived_dir(kb), value(before[0].object), state.literal().value)


def current_state(kb: KnowledgeBase, base_iri: str | None) -> ContentState:
    """The kept state when there is one, else computed."""
    found = read_state(kb, base_iri) if base_iri else None
    return found if found is not None else compute_state(kb, base_iri or "urn:x-srkb:")


def counted_quads(kb: KnowledgeBase) -> int | None:
    """Every quad of the store, from the kept state: None unless the store is at rest
    (one state, no journal entry left), when the count is exact."""
    from .journal import PENDING

    found = list(kb.backend.quads_for_pattern(None, STATE, None, None))
    if len(found) != 1 or next(kb.backend.quads_for_pattern(None, PENDING, None, None), None):
        return None
    state = ContentState.parse(value(found[0].object))
    return state.quads + state.texts + 1  # + the bookkeeping graph: a digest per text, the state
