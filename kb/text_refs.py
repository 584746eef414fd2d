"""Which ingested texts a user means: `srkb remove`'s references, resolved together.

A reference is a text id (or a prefix of it of at least 6 hex digits), the text's IRI,
its graph's IRI, or the name of the file it was ingested from (a path is taken by its
file name). All of a command's references are resolved in one query that starts from
what each names (a graph, a file name), so the store's indexes answer it. Only id
prefixes shorter than an id need the list of the texts, read once for all of them:
listing the 100,000 texts of a large store for each of 100 references took minutes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import PurePath

import pyoxigraph as ox

from .iri import IriMinter
from .store import KnowledgeBase
from .vocab import SRKB

ID_PREFIX = re.compile(r"[0-9a-f]{6,}")
_DCTERMS_SOURCE = "http://purl.org/dc/terms/source"


def resolve_text_refs(
    kb: KnowledgeBase, refs: Iterable[str], base_iri: str
) -> dict[str, list[tuple[str, str]]]:
    """Each reference's texts, as sorted (graph IRI, file name) pairs; [] for none."""
    mint = IriMinter(base_iri)
    graph_base, text_base = str(mint.text_graph("")), str(mint.source_text(""))
    by_graph: dict[str, set[str]] = defaultdict(set)
    by_name: dict[str, set[str]] = defaultdict(set)
    prefixes: dict[str, str] = {}  # an id prefix -> its reference
    refs = list(dict.fromkeys(refs))
    for ref in refs:
        by_name[ref].add(ref)
        if ref.startswith(mint.base):
            for iri_base in (graph_base, text_base):
                text_id = ref.removeprefix(iri_base)
                if ref.startswith(iri_base) and text_id and "/" not in text_id:
                    by_graph[str(mint.text_graph(text_id))].add(ref)
        else:
            by_name[PurePath(ref).name].add(ref)
        if ID_PREFIX.fullmatch(ref):
            prefixes[ref] = ref
    if prefixes:
        for graph in kb.named_graphs():
            text_id = graph.removeprefix(graph_base)
            if graph.startswith(graph_base):
                for prefix, ref in prefixes.items():
                    if text_id.startswith(prefix):
                        by_graph[graph].add(ref)

    found: dict[str, set[tuple[str, str]]] = {ref: set() for ref in refs}
    for graph, name in _texts_of(kb, by_graph, by_name):
        for ref in by_graph.get(graph, set()) | by_name.get(name, set()):
            found[ref].add((graph, name))
    return {ref: sorted(pairs) for ref, pairs in found.items()}


def _texts_of(
    kb: KnowledgeBase, graphs: Iterable[str], names: Iterable[str]
) -> set[tuple[str, str]]:
    """(graph, file name) of the ingested texts in ``graphs`` or from files ``names``."""
    text_pattern = f"?text a <{SRKB.SourceText}> ; <{_DCTERMS_SOURCE}> ?name"
    in_graphs = " ".join(f"<{g}>" for g in graphs)
    of_names = " ".join(str(ox.Literal(n)) for n in names)
    branches = []
    if in_graphs:
        branches.append(f"{{ VALUES ?g {{ {in_graphs} }} GRAPH ?g {{ {text_pattern} }} }}")
    if of_names:
        branches.append(f"{{ VALUES ?name {{ {of_names} }} GRAPH ?g {{ {text_pattern} }} }}")
    if not branches:
        return set()
    rows = kb.query(f"SELECT ?g ?name WHERE {{ {' UNION '.join(branches)} }}")
    return {
        (r["g"].value, r["name"].value)
        for r in rows
        if isinstance(r["g"], ox.NamedNode) and isinstance(r["name"], ox.Literal)
    }


__all__ = ["resolve_text_refs"]
