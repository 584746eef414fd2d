"""The journal of changes whose derived data is not written yet: how a crash is survived.

Adding texts and computing what derives from them (ratings, the shared entity
descriptions, the claim and search indexes) are two steps, and a process can be killed
between them. So each change leaves an entry in the graph ``BASE/graph/journal`` *in the
same transaction as the change*::

    <BASE/graph/text/ID> srkb:pendingChange "added" .      # written with the text's graph
    <BASE/graph/text/ID> srkb:pendingChange "removed" .    # the text is still there

A batch of texts too large for one transaction to be cheap is bulk-loaded instead
(kb.store.base ``load_quads``): its graphs are first entered as ``"loading"`` in a
transaction of their own, then loaded, then turned to ``"added"`` with their digests in
one more; a graph still ``"loading"`` after a crash may be partly written, and the next
command that writes drops it (kb.derived), so the text is absent, as if never written.

kb.derived clears the entries in the same transaction as it writes the derived data
(and drops the removed texts' graphs). Whatever moment a process dies at, the store holds
every text whole or not at all, and the journal says exactly what derived work is left;
the next srkb command that writes finishes it first (kb.derived.finish_pending).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from .iri import IriMinter
from .store import KnowledgeBase, value
from .vocab import PREFIXES

PENDING = ox.NamedNode(PREFIXES["srkb"] + "pendingChange")
ADDED = "added"
REMOVED = "removed"
LOADING = "loading"


def journal_graph(base_iri: str) -> str:
    return str(IriMinter(base_iri)("graph/journal"))


def entry(base_iri: str, graph_iri: str, change: str) -> ox.Quad:
    """The journal quad recording ``change`` ("added"/"removed") of a text graph."""
    return ox.Quad(
        ox.NamedNode(graph_iri), PENDING, ox.Literal(change), ox.NamedNode(journal_graph(base_iri))
    )


@dataclass(frozen=True)
class Pending:
    """What the journal says is left to derive."""

    added: tuple[str, ...]  # added, derived data not written yet
    removed: tuple[str, ...]  # derived from before, now being removed
    discarded: tuple[str, ...] = ()  # added and removed before anything was derived
    loading: tuple[str, ...] = ()  # bulk-loaded by a run that did not finish: maybe partial

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.discarded or self.loading)


def pending(kb: KnowledgeBase, base_iri: str) -> Pending:
    """The journal's entries, sorted."""
    entries: dict[str, set[str]] = {ADDED: set(), REMOVED: set(), LOADING: set()}
    for q in kb.pattern(None, PENDING, None, journal_graph(base_iri)):
        entries.get(value(q.object), entries[ADDED]).add(value(q.subject))
    added, removed = entries[ADDED], entries[REMOVED]
    return Pending(
        tuple(sorted(added - removed)),
        tuple(sorted(removed - added)),
        tuple(sorted(added & removed)),
        tuple(sorted(entries[LOADING])),
    )


def clear_added(base_iri: str) -> str:
    """A SPARQL update removing the entries of every text ``pending`` lists as added: the
    end of a bulk derivation, for all texts at once. Spelt as quads (``entry``) those
    were a 200,000-quad ``DELETE DATA`` at 100,000 texts, which the store parsed into
    390 MB more memory (and 5.8 s); matched by a pattern, 18 MB and 0.9 s."""
    journal, pending_change = journal_graph(base_iri), PENDING.value
    return (
        f"DELETE {{ GRAPH <{journal}> {{ ?g <{pending_change}> {ox.Literal(ADDED)} }} }} "
        f"WHERE {{ GRAPH <{journal}> {{ ?g <{pending_change}> {ox.Literal(ADDED)} "
        f"FILTER NOT EXISTS {{ ?g <{pending_change}> {ox.Literal(REMOVED)} }} }} }}"
    )


def mark_removed(kb: KnowledgeBase, base_iri: str, graphs: Iterable[str]) -> None:
    """Record, in one transaction, that these text graphs are to be removed."""
    kb.add_quads([entry(base_iri, g, REMOVED) for g in graphs])


def drop_partial_loads(kb: KnowledgeBase, base_iri: str) -> list[str]:
    """Drop the graphs a killed bulk load left ``"loading"`` (maybe partly written), with
    their entries, in one transaction: those texts are then absent, as if never written."""
    journal = journal_graph(base_iri)
    entries = list(kb.pattern(None, PENDING, ox.Literal(LOADING), journal))
    graphs = sorted({value(q.subject) for q in entries})
    if graphs:
        kb.change(remove=entries, drop_graphs=graphs)
    return graphs
