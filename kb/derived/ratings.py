"""Ratings kept up to date incrementally: only what the added and removed texts touch.

The model (kb.reliability) is local: a claim's rating depends on the claims on its
matter, a source's on counts of its judgements and of its corroborated and contradicted
claims. So after a batch of texts is added or removed, the claims to re-rate are

* the added claims, and the claims they are now on a matter with;
* the claims that were on a matter with a removed claim (read from the stored links);
* the claims using a term whose number of users crossed ``max_postings`` (a term that
  stopped, or started, being specific): at most that many per term, once per term;
* the claims whose grade follows a source whose letter grade changed,

and the sources to re-rate are the judged ones and the speakers and relays of the
re-related claims: their track record (which counts reports, kb.reliability) is kept in
the claim index, moved by each change of a claim's record (one row per source, however
busy). The old state of each rating is made again from what the claim index says it
was written from (ClaimIndex.rated, rated_sources: reading the old nodes back was a
second of random reads per step at 100,000 texts), or read from the ratings graph where
the index does not know it, and the difference is returned as quads to remove and quads
to add, for kb.derived to write in one transaction. Nothing here reads the whole store,
so the cost follows the size of the change, not of the store; and since every rating is
a function of the store's content only, the result is the same whatever batches the
texts came in (tests/test_derived.py checks it against a full computation).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import astuple, dataclass, field

import pyoxigraph as ox

from ..evidence import ClaimEvidence, JudgementEvidence
from ..prior_graphs import priors_of
from ..reliability import (
    ClaimRating,
    ClaimRelations,
    ClaimRow,
    ModelParameters,
    SourceCounts,
    SourceRating,
    claim_row,
    counts_for,
    relations_of,
    track_record,
)
from ..store import KnowledgeBase, value
from ..store.base import Term
from .claim_index import (
    NEVER_RATED,
    NOT_RATED,
    ClaimFacts,
    ClaimIndex,
    RatedAs,
    RatedSource,
    links_text,
)
from .phases import Phases
from .rating_quads import (
    CLAIM_SCALARS,
    COUNTS,
    GENERATED,
    RATED,
    RATED_CLAIM,
    RATED_SOURCE,
    RELATIONS,
    RELIABILITY,
    SOURCE_SCALARS,
    USED_CLAIM,
    USED_JUDGEMENT,
    A,
    RatingQuads,
)

_GRADE_PREFIX = "reliability"


@dataclass
class RatingChange:
    """What one incremental step changes in the ratings graph."""

    remove: list[ox.Quad] = field(default_factory=list)
    add: list[ox.Quad] = field(default_factory=list)
    claims: int = 0  # claims re-rated
    sources: int = 0  # sources re-rated
    # claims whose rating node was written, with their links (None: unchanged)
    rated: dict[str, str | None] = field(default_factory=dict)
    # sources whose rating node was written, with what from (None: it has none now)
    rated_sources: dict[str, RatedSource | None] = field(default_factory=dict)
    # the entities the added and removed claims name (their claim counts changed)
    named: set[str] = field(default_factory=set)


_RELATION_SET = frozenset(RELATIONS)


_PREFETCH = 400  # subjects per query when reading many claims' stored quads at once


class _Stored:
    """Reads the ratings graph as it is before this step (cached).

    A step re-rates thousands of claims: their stored quads are read a few hundred
    subjects per query (``prefetch``), not one pattern per claim (~4x faster at 100,000
    documents, and one request instead of hundreds on a remote store)."""

    def __init__(self, kb: KnowledgeBase, rq: RatingQuads) -> None:
        self.kb, self.rq, self.g = kb, rq, rq.graph
        self._grades: dict[str, str | None] = {}
        self._links: dict[str, list[ox.Quad]] = {}
        self._nodes: dict[str, list[ox.Quad]] = {}
        self._scalars: dict[str, list[ox.Quad]] = {}
        self._held: dict[ox.Quad, bool] = {}

    def _subjects_quads(
        self, subjects: list[ox.NamedNode], predicates: tuple[ox.NamedNode, ...] = ()
    ) -> dict[ox.NamedNode, list[ox.Quad]]:
        """The quads of each subject (only those of ``predicates``, when given: one
        pattern each, since a ``VALUES ?p`` is evaluated as a scan of the graph)."""
        found: dict[ox.NamedNode, list[ox.Quad]] = {s: [] for s in subjects}
        pattern = (
            " UNION ".join(f"{{ ?s {p} ?o BIND({p} AS ?p) }}" for p in predicates)
            if predicates
            else "?s ?p ?o"
        )
        for i in range(0, len(subjects), _PREFETCH):
            chunk = " ".join(str(s) for s in subjects[i : i + _PREFETCH])
            rows = self.kb.query(
                f"SELECT ?s ?p ?o WHERE {{ GRAPH {self.g} {{ "
                f"VALUES ?s {{ {chunk} }} {pattern} }} }}"
            )
            for row in rows:
                s = row["s"]
                found[s].append(ox.Quad(s, row["p"], row["o"], self.g))
        return found

    def _rating_nodes(
        self, items: list[str], link: ox.NamedNode, predicates: tuple[ox.NamedNode, ...]
    ) -> dict[str, list[ox.Quad]]:
        """Each claim's or source's rating node as the graph holds it: the item's link to
        it and the node's ``predicates`` (not its other links: a shared node's are the
        claims or sources rated alike, tens of thousands)."""
        found: dict[str, list[ox.Quad]] = {i: [] for i in items}
        union = " UNION ".join(
            f"{{ ?s {p} ?o BIND({p} AS ?p) }}" for p in predicates if p not in RATED
        )
        for i in range(0, len(items), _PREFETCH):
            chunk = " ".join(f"<{item}>" for item in items[i : i + _PREFETCH])
            rows = self.kb.query(
                f"SELECT ?i ?s ?p ?o WHERE {{ GRAPH {self.g} {{ "
                f"VALUES ?i {{ {chunk} }} ?s {link} ?i . {union} }} }}"
            )
            for row in rows:
                item, s = row["i"], row["s"]
                quads = found[item.value]
                if not quads:
                    quads.append(ox.Quad(s, link, item, self.g))
                quads.append(ox.Quad(s, row["p"], row["o"], self.g))
        return found

    def rating_node(
        self, item: str, link: ox.NamedNode, predicates: tuple[ox.NamedNode, ...]
    ) -> list[ox.Quad]:
        """One claim's or source's rating node (as ``_rating_nodes``), by patterns."""
        found = self.kb.backend.quads_for_pattern(None, link, ox.NamedNode(item), self.g)
        linked = next(iter(found), None)
        if linked is None:
            return []
        node = linked.subject
        assert isinstance(node, ox.NamedNode)
        return [linked] + self.quads(node, [p for p in predicates if p not in RATED])

    def links_left(self, node: ox.NamedNode, link: ox.NamedNode, leaving: set[Term]) -> bool:
        """Does the shared node keep a link other than ``leaving`` (read: at most one more
        than those)?"""
        rows = self.kb.query(
            f"SELECT ?i WHERE {{ GRAPH {self.g} {{ {node} {link} ?i }} }} LIMIT {len(leaving) + 1}"
        )
        return any(row["i"] not in leaving for row in rows)

    def held_node(self, node: ox.NamedNode) -> bool:
        found = self.kb.backend.quads_for_pattern(node, A, None, self.g)
        return next(iter(found), None) is not None

    def _pairs_held(self, quads: list[ox.Quad]) -> set[ox.Quad]:
        """Which of these quads (all of one predicate) the graph holds."""
        chunk = " ".join(f"({q.subject} {q.object})" for q in quads)
        rows = self.kb.query(
            f"SELECT ?s ?o WHERE {{ GRAPH {self.g} {{ "
            f"VALUES (?s ?o) {{ {chunk} }} ?s {quads[0].predicate} ?o }} }}"
        )
        held = {(row["s"], row["o"]) for row in rows}
        return {q for q in quads if (q.subject, q.object) in held}

    def _read(self, kind: str, part: list[str]) -> dict[str, list[ox.Quad]]:
        """One prefetch query: rating nodes of claims, links of claims, scalars of sources."""
        if kind == "nodes":
            return self._rating_nodes(part, RATED_CLAIM, CLAIM_SCALARS)
        if kind == "links":
            links = self._subjects_quads([ox.NamedNode(c) for c in part])
            return {s.value: quads for s, quads in links.items()}
        return self._rating_nodes(part, RATED_SOURCE, SOURCE_SCALARS)

    def prefetch(
        self,
        nodes: Iterable[str] = (),
        links: Iterable[str] = (),
        scalars: Iterable[str] = (),
        used: Iterable[ox.Quad] = (),
    ) -> None:
        """Read at once the rating nodes and relation links of these claims, the scalars
        of these sources' ratings, and whether the graph holds these evidence links: the
        queries in two threads, since Oxigraph evaluates a query without the GIL (1.6
        times as fast at 100,000 texts; one thread on a remote store)."""
        wanted = {
            "nodes": sorted({c for c in nodes if c not in self._nodes}),
            "links": sorted({c for c in links if c not in self._links}),
            "scalars": sorted({s for s in scalars if s not in self._scalars}),
        }
        jobs = [
            (kind, items[i : i + _PREFETCH])
            for kind, items in wanted.items()
            for i in range(0, len(items), _PREFETCH)
        ]
        asked: dict[ox.NamedNode, list[ox.Quad]] = defaultdict(list)
        for q in sorted({q for q in used if q not in self._held}, key=str):
            asked[q.predicate].append(q)
        checks = [
            quads[i : i + _PREFETCH]
            for quads in asked.values()
            for i in range(0, len(quads), _PREFETCH)
        ]
        threads = 2 if self.kb.backend.path is not None else 1
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="srkb-read") as pool:
            held = pool.map(self._pairs_held, checks)
            for (kind, part), found in zip(
                jobs, pool.map(lambda job: self._read(*job), jobs), strict=True
            ):
                quads_of = list(found.values())
                if kind == "nodes":
                    self._nodes.update(zip(part, quads_of, strict=True))
                elif kind == "links":
                    for claim, quads in zip(part, quads_of, strict=True):
                        self._links[claim] = [q for q in quads if q.predicate in _RELATION_SET]
                else:
                    self._scalars.update(zip(part, quads_of, strict=True))
            for quads, found_held in zip(checks, held, strict=True):
                self._held.update({q: q in found_held for q in quads})

    def quads(
        self, subject: ox.NamedNode, predicates: Iterable[ox.NamedNode] | None = None
    ) -> list[ox.Quad]:
        if predicates is None:
            return list(self.kb.backend.quads_for_pattern(subject, None, None, self.g))
        out: list[ox.Quad] = []
        for p in predicates:
            out += self.kb.backend.quads_for_pattern(subject, p, None, self.g)
        return out

    def claim_node(self, claim: str) -> list[ox.Quad]:
        if claim not in self._nodes:
            self._nodes[claim] = self.rating_node(claim, RATED_CLAIM, CLAIM_SCALARS)
        return self._nodes[claim]

    def claim_links(self, claim: str) -> list[ox.Quad]:
        if claim not in self._links:  # a claim's subject in this graph has its links only
            found = self.quads(ox.NamedNode(claim))
            self._links[claim] = [q for q in found if q.predicate in _RELATION_SET]
        return self._links[claim]

    def source_scalars(self, source: str) -> list[ox.Quad]:
        """A source node's scalars, one pattern per predicate: its links to the evidence,
        thousands for a busy source, are not read. (A SPARQL query with ``VALUES ?p`` is
        evaluated as a scan of the whole graph by Oxigraph: 63 s at 10,000 documents.)"""
        if source not in self._scalars:
            self._scalars[source] = self.rating_node(source, RATED_SOURCE, SOURCE_SCALARS)
        return self._scalars[source]

    def has(self, quad: ox.Quad) -> bool:
        if quad in self._held:
            return self._held[quad]
        found = self.kb.backend.quads_for_pattern(quad.subject, quad.predicate, quad.object, self.g)
        return next(iter(found), None) is not None

    def know_grades(self, rated: dict[str, RatedSource | None]) -> None:
        """Take the grades the claim index knows the stored ratings have."""
        for source, was in rated.items():
            if was is NOT_RATED:
                self._grades[source] = None
            elif was is not None:
                self._grades[source] = was.grade

    def graded(self) -> set[str]:
        return set(self._grades)

    def grade(self, source: str) -> str | None:
        if source not in self._grades:
            node = self._scalars.get(source)
            if node is None:
                node = self.rating_node(source, RATED_SOURCE, (RELIABILITY,))
            found = [q for q in node if q.predicate == RELIABILITY]
            grade = value(found[0].object) if found else ""
            self._grades[source] = grade.rsplit(_GRADE_PREFIX, 1)[-1] if grade else None
        return self._grades[source]


def _int_of(quads: list[ox.Quad], predicate: ox.NamedNode) -> int | None:
    for q in quads:
        if q.predicate == predicate:
            return int(value(q.object))
    return None


def _counts_of(quads: list[ox.Quad]) -> SourceCounts:
    """The judgement counts of a stored source rating (its track record is counted
    again from the claim index at each step)."""
    return SourceCounts(
        **{name: _int_of(quads, COUNTS[name]) or 0 for name in ("positive", "negative", "mixed")}
    )


def update_ratings(
    kb: KnowledgeBase,
    index: ClaimIndex,
    rq: RatingQuads,
    *,
    added_claims: list[ClaimEvidence],
    removed_claims: list[ClaimEvidence],
    added_judgements: list[JudgementEvidence],
    removed_judgements: list[JudgementEvidence],
    assessed: Iterable[str] = (),
    leaving: Iterable[str] = (),
) -> RatingChange:
    """Update the claim index and work out the ratings graph's change (see the module).

    ``assessed``: sources whose prior assessments were added or removed; ``leaving``: the
    prior graphs being removed (their assessments no longer count)."""
    params: ModelParameters = rq.params
    phase = Phases("ratings step")
    index.forget()
    stored = _Stored(kb, rq)
    change = RatingChange()
    removed = {c.iri: c for c in removed_claims}
    removed_rows = {c.iri: claim_row(c) for c in removed_claims}

    # what the stored rating nodes and links of the removed claims were written from
    # (and who said them), before the index forgets them
    rated_as = index.rated(removed)
    removed_facts = index.facts(removed)

    # 1. who was on a matter with the removed claims (their stored links)
    touched: set[str] = set()
    stored.prefetch(links=_links_unknown(removed, rated_as))
    for d in removed:
        touched |= {value(q.object) for q in _old_links(d, rated_as, stored)}
    phase.done("removed claims' links read", 2)

    # 2. the index: forget the removed claims, learn the added ones
    index.remove(removed)
    added_rows = {r.iri: r for r in index.add(added_claims)}
    change.named = {
        t[1:]
        for r in [*added_rows.values(), *removed_rows.values()]
        for t in r.terms
        if t.startswith("@")
    }
    touched |= set(added_rows)

    phase.done("index updated", 2)
    # 3. terms that stopped or started being specific: their claims are related afresh
    plus = Counter(t for r in added_rows.values() for t in r.terms)
    minus = Counter(t for r in removed_rows.values() for t in r.terms)
    afresh: set[str] = set()
    for term, now in index.dfs(set(plus) | set(minus)).items():
        before = now - plus[term] + minus[term]
        if (before <= params.max_postings) != (now <= params.max_postings):
            afresh |= set(index.postings(term))
    touched |= afresh
    touched -= set(removed)

    phase.done("terms checked", 2)
    # 4. relations: the added claims first, since their new neighbours are touched too
    rows: dict[str, ClaimRow] = dict(added_rows)
    rows.update(index.rows(touched - set(rows)))
    neighbours = index.neighbours([rows[i] for i in sorted(added_rows)], params)
    joined: dict[str, set[str]] = defaultdict(set)  # claim -> added claims now on its matter
    for added, found in list(neighbours.items()):
        for n in found:
            joined[n.iri].add(added)
            touched.add(n.iri)
    rows.update(index.rows(touched - set(rows)))
    # Any other claim's matter changed only by the claims added to or removed from it
    # (the relation is symmetric): its stored links, less the removed, plus the added.
    rest = [rows[i] for i in sorted(afresh) if i not in neighbours and i in rows]
    neighbours.update(index.neighbours(rest, params))
    linked: dict[str, set[str]] = {}
    rated_as.update(index.rated(touched - set(rated_as)))
    stored.prefetch(
        links=_links_unknown([c for c in touched - set(neighbours) if c in rows], rated_as)
    )
    for claim in sorted(touched - set(neighbours)):
        if claim in rows:
            links = {value(q.object) for q in _old_links(claim, rated_as, stored)}
            links -= set(removed)
            linked[claim] = links | joined.get(claim, set())
    rows.update(index.rows({i for links in linked.values() for i in links} - set(rows)))
    for claim, links in linked.items():
        neighbours[claim] = [rows[i] for i in sorted(links) if i in rows]
    duplicates: dict[tuple[str, str], bool] = {}  # neighbourhoods overlap: test pairs once
    relations: dict[str, ClaimRelations] = {
        i: relations_of(rows[i], neighbours[i], params, duplicates)
        for i in sorted(touched)
        if i in rows
    }
    facts: dict[str, ClaimFacts] = index.facts(relations)

    phase.done("claims related", 2)
    # 5. sources: the links to the claims they are rated on, and who to re-rate (every
    # speaker and relay of a re-related claim: its record or report may have changed)
    rated_as.update(index.rated(set(relations) - set(rated_as)))
    index.set_relations(relations.items())
    delta: dict[str, Counter[str]] = defaultdict(Counter)
    links_add: list[ox.Quad] = []
    links_remove: list[ox.Quad] = []
    old_nodes: dict[str, list[ox.Quad]] = {}
    agents_of = {
        claim: removed[claim].agents if claim in removed else facts[claim].agents
        for claim in set(relations) | set(removed)
    }
    judged = {j.source for j in [*added_judgements, *removed_judgements]}
    unknown = [c for c in agents_of if rated_as.get(c) is None]  # read from the store
    sources_as = index.rated_sources(
        {a for agents in agents_of.values() for a in agents} | judged | set(assessed)
    )
    stored.know_grades(sources_as)
    stored.prefetch(
        nodes=unknown,
        links=_links_unknown(relations, rated_as),
        scalars=[s for s, was in sources_as.items() if _source_unknown(was)],
        used=[
            rq.q(rq.source_iri(a), USED_CLAIM, ox.NamedNode(claim))
            for claim in unknown
            for a in agents_of[claim]
        ],
    )
    phase.done("old ratings read", 2)
    for claim in sorted(set(relations) | set(removed)):
        old_nodes[claim] = _old_node(claim, rated_as, stored, facts, removed_facts)
        new = track_record(relations[claim]) if claim in relations else None
        if claim in removed:
            agents, own = removed[claim].agents, removed[claim].own_account
        else:
            agents, own = facts[claim].agents, facts[claim].own_account
        for agent in agents:
            delta[agent]  # re-rated: its track record is counted again
            link = rq.q(rq.source_iri(agent), USED_CLAIM, ox.NamedNode(claim))
            was = _held(link, agent in own, rated_as.get(claim), stored)
            if counts_for(new, agent in own) and claim not in removed:
                if not was:
                    links_add.append(link)
            elif was:
                links_remove.append(link)
    for source in assessed:
        delta[source]  # its prior assessments are read again below
    for sign, judgements in ((1, added_judgements), (-1, removed_judgements)):
        for j in judgements:
            delta[j.source][j.polarity] += sign
            link = rq.q(rq.source_iri(j.source), USED_JUDGEMENT, ox.NamedNode(j.iri))
            (links_add if sign > 0 else links_remove).append(link)

    phase.done("evidence links", 2)
    # 6. source ratings
    new_grades: dict[str, str | None] = {}
    regrade: set[str] = set()
    unchanged = 0
    for source in sorted(delta):
        held_as = sources_as.get(source)
        # rated before from the counts the index keeps, without prior assessments (and
        # none added or removed now): its rating is made again only if its counts moved
        known = not _source_unknown(held_as) and held_as is not NOT_RATED and source not in assessed
        if known and held_as is not None:
            old_scalars: list[ox.Quad] = []  # made below if the rating changed
            counts = _judgement_counts(SourceCounts(*held_as.counts))
        else:
            old_scalars, counts = _old_source(source, held_as, stored)
        for name, change_by in delta[source].items():
            setattr(counts, name, getattr(counts, name) + change_by)
        counts.set_track(index.track_counts(source))
        priors = [] if known else priors_of(kb, source, leaving)
        rated = counts.judgements > 0 or bool(priors) or index.agent_claim_count(source) > 0
        if known and held_as is not None and rated and astuple(counts) == held_as.counts:
            new_grades[source] = held_as.grade
            change.rated_sources[source] = held_as
            change.sources += 1
            unchanged += 1
            continue
        if known:
            old_scalars = _old_source(source, held_as, stored)[0]
        source_rating = SourceRating(source, counts, params, priors=priors) if rated else None
        new_scalars = rq.source(source_rating) if source_rating else []
        new_grades[source] = source_rating.grade if source_rating else None
        change.rated_sources[source] = (
            RatedSource(source_rating.grade, astuple(counts), len(priors))
            if source_rating
            else None
        )
        if new_grades[source] != stored.grade(source):
            regrade |= set(index.chain_dependent_claims(source))
        _diff(change, old_scalars, new_scalars)
        change.sources += 1

    phase.done(f"sources rated ({unchanged} of {len(delta)} with the same counts)", 2)

    def grade(source: str) -> str | None:
        return new_grades[source] if source in new_grades else stored.grade(source)

    # 7. claim ratings: the touched claims, and those whose grade follows a changed source
    regrade -= set(relations) | set(removed)
    facts.update(index.facts(regrade))
    rated_as.update(index.rated(regrade))
    stored.know_grades(
        index.rated_sources(
            {a for c in regrade for a in facts[c].agents} - set(new_grades) - stored.graded()
        )
    )
    chain_dependent: dict[str, bool] = {}
    stored.prefetch(nodes=[c for c in regrade if rated_as.get(c) is None])
    for claim in sorted(set(relations) | regrade):
        f = facts[claim]
        chain = [a for a in (f.via, f.speaker) if a and grade(a) is not None]
        rel = relations.get(claim, ClaimRelations())  # regraded ones have k = m = 0
        claim_rating = ClaimRating(f, rel, [grade(a) or "F" for a in chain])
        chain_dependent[claim] = claim_rating.depends_on_chain
        if claim in old_nodes:
            stored_node = old_nodes[claim]
        else:
            stored_node = _old_node(claim, rated_as, stored, facts, removed_facts)
        _diff(change, stored_node, rq.claim(claim_rating))
        if claim in relations:
            _diff(change, _old_links(claim, rated_as, stored), rq.relations(claim, rel))
        change.claims += 1
        change.rated[claim] = links_text(rel) if claim in relations else None
    for claim in sorted(removed):
        change.remove += old_nodes[claim] + _old_links(claim, rated_as, stored)
    index.set_chain_dependent(chain_dependent)
    phase.done("claims graded", 2)

    change.remove += links_remove
    change.add += links_add
    settle_shared(change, stored)
    if (change.add or change.remove) and not stored.quads(rq.graph, (GENERATED,)):
        change.add += rq.header()
    return change


def settle_shared(change: RatingChange, stored: _Stored) -> None:
    """Write the shared rating nodes (kb.derived.rating_quads) as the links to them
    leave them: one made for a claim or a source is added unless the graph holds it, one
    whose last link goes is removed, and the others stay as they are (the nodes' own
    quads in ``change`` came from each claim's or source's old and new rating)."""
    rq = stored.rq

    def node_part(q: ox.Quad) -> bool:
        return rq.shared(q.subject) and q.predicate not in RATED

    linked: dict[ox.NamedNode, set[Term]] = defaultdict(set)  # nodes gaining links
    unlinked: dict[ox.NamedNode, set[Term]] = defaultdict(set)  # links going, by node
    for quads, by_node in ((change.add, linked), (change.remove, unlinked)):
        for q in quads:
            if rq.shared(q.subject) and q.predicate in RATED:
                by_node[q.subject].add(q.object)  # type: ignore[index]
    link_of = {q.subject: q.predicate for q in change.remove if q.predicate in RATED}
    added = {q for q in change.add if node_part(q)}
    removed = {q for q in change.remove if node_part(q)}
    new_nodes = {q.subject for q in added if not stored.held_node(q.subject)}  # type: ignore[arg-type]
    gone = {
        node
        for node in {q.subject for q in removed}
        if node in unlinked
        and node not in linked
        and not stored.links_left(node, link_of[node], unlinked[node])  # type: ignore[index, arg-type]
    }
    change.add = [q for q in change.add if not node_part(q)] + sorted(
        (q for q in added if q.subject in new_nodes), key=str
    )
    change.remove = [q for q in change.remove if not node_part(q)] + sorted(
        (q for q in removed if q.subject in gone), key=str
    )


def _old_node(
    claim: str,
    rated_as: dict[str, RatedAs | None],
    stored: _Stored,
    facts: dict[str, ClaimFacts],
    removed_facts: dict[str, ClaimFacts],
) -> list[ox.Quad]:
    """The claim's rating node as the store holds it: made again from the counts it was
    written from (ClaimIndex.rated) and its sources' grades as stored (a change of grade
    re-grades the claims that follow it in the same step), else read from the store."""
    was = rated_as.get(claim)
    if was is None:
        return stored.claim_node(claim)
    k, m, kp, mp, _record, _links = was
    if k == NEVER_RATED:
        return []
    f = facts[claim] if claim in facts else removed_facts[claim]
    chain = [a for a in (f.via, f.speaker) if a and stored.grade(a) is not None]
    grades = [stored.grade(a) or "F" for a in chain]
    return stored.rq.claim(ClaimRating(f, ClaimRelations.counted(k, m, kp, mp), grades))


def _source_unknown(was: RatedSource | None) -> bool:
    """Must the source's stored rating node be read from the store? When the index does
    not know it, or it used prior assessments (their graphs may be leaving)."""
    return was is None or (was is not NOT_RATED and was.priors > 0)


def _old_source(
    source: str, was: RatedSource | None, stored: _Stored
) -> tuple[list[ox.Quad], SourceCounts]:
    """The source's rating node as the store holds it (SOURCE_SCALARS), and its
    judgement counts: made again from what the index says it was written from, else
    read from the store."""
    if _source_unknown(was):
        scalars = stored.source_scalars(source)
        return scalars, _counts_of(scalars)
    assert was is not None
    if was is NOT_RATED:
        return [], SourceCounts()
    old = SourceCounts(*was.counts)
    scalars = stored.rq.source(SourceRating(source, old, stored.rq.params, priors=[]))
    return scalars, _judgement_counts(old)


def _judgement_counts(counts: SourceCounts) -> SourceCounts:
    """A source's judgement counts alone (its track record is counted afresh)."""
    return SourceCounts(positive=counts.positive, negative=counts.negative, mixed=counts.mixed)


def _links_unknown(claims: Iterable[str], rated_as: dict[str, RatedAs | None]) -> list[str]:
    """The claims whose stored links the index does not know (read from the store)."""
    return [c for c in claims if (rated_as.get(c) or (0, 0, 0, 0, None, None))[5] is None]


def _old_links(claim: str, rated_as: dict[str, RatedAs | None], stored: _Stored) -> list[ox.Quad]:
    """The claim's links to the claims on its matter as the store holds them: from the
    index (ClaimIndex.rated), else read from the store."""
    was = rated_as.get(claim)
    if was is None or was[5] is None:
        return stored.claim_links(claim)
    return stored.rq.parsed_relations(claim, was[5])


def _held(link: ox.Quad, own: bool, was: RatedAs | None, stored: _Stored) -> bool:
    """Does the store hold this link from a source's rating to a claim it counted? Yes
    when the record the claim was last rated with counts for the source."""
    if was is None:
        return stored.has(link)
    return was[0] != NEVER_RATED and counts_for(was[4], own)


def _diff(change: RatingChange, old: list[ox.Quad], new: list[ox.Quad]) -> None:
    old_set, new_set = set(old), set(new)
    change.remove += [q for q in old if q not in new_set]
    change.add += [q for q in new if q not in old_set]
