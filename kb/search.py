"""Search across actors, sources, claims and documents, forgiving of how readers spell.

Users type "Daesh", "d'aesh", "almasdar" or "Erdoğan" and expect to land on the right
entity. Every label, alias, hidden spelling, domain and surface form seen in the texts is
normalised (case, accents, apostrophes, punctuation) and matched exactly, by prefix, by
words, or approximately (rapidfuzz); claims and documents are found by their words and by
the entities they name. The index is built once from the store and is read-only.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process

from .store import KnowledgeBase
from .vocab import sparql_prefixes

Kind = Literal["actor", "source", "claim", "document"]
KINDS: tuple[Kind, ...] = ("actor", "source", "claim", "document")
_APOSTROPHES = dict.fromkeys(map(ord, "'’‘`´ʼ"), None)
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_SNIPPET = 160


def normalise(text: str) -> str:
    """Case, accents, apostrophes and punctuation folded: "Da’esh" -> "daesh"."""
    if text.isascii():  # the common case, and the same result: nothing to decompose
        folded = text.lower()
    else:
        folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = folded.translate(_APOSTROPHES)
    return " ".join(_NON_WORD.sub(" ", folded).replace("_", " ").split())


def compact(text: str) -> str:
    """Normalised without spaces: "Al Masdar" and "almasdar" meet, so do "U.S." and "US"."""
    return normalise(text).replace(" ", "")


@dataclass(frozen=True)
class SearchHit:
    kind: Kind
    iri: str
    label: str
    score: float
    matched: str  # what matched: the alias, or the words
    snippet: str = ""
    types: tuple[str, ...] = ()


@dataclass
class _Entity:
    iri: str
    label: str
    kinds: set[Kind] = field(default_factory=set)
    types: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)  # every surface form


@dataclass
class _Item:
    kind: Kind
    iri: str
    label: str
    text: str
    entities: set[str] = field(default_factory=set)


def _snippet(text: str, words: list[str]) -> str:
    flat = " ".join(text.split())
    if len(flat) <= _SNIPPET:
        return flat
    low = normalise(flat)
    pos = min((low.find(w) for w in words if low.find(w) >= 0), default=0)
    start = max(0, pos - _SNIPPET // 3)
    piece = flat[start : start + _SNIPPET]
    return ("…" if start else "") + piece + ("…" if start + _SNIPPET < len(flat) else "")


class SearchIndex:
    """An in-memory index of one knowledge base."""

    def __init__(self, entities: dict[str, _Entity], items: list[_Item]) -> None:
        self.entities = entities
        self.items = items
        self._names: list[tuple[str, str, str]] = []  # (normalised name, entity iri, surface)
        for e in entities.values():
            for name in sorted(e.names | {e.label}):
                norm = normalise(name)
                if norm:
                    self._names.append((norm, e.iri, name))
        self._names.sort()
        self._name_keys = [n for n, _, _ in self._names]
        self._name_tokens = [frozenset(n.split()) for n in self._name_keys]
        self._compact: dict[str, set[str]] = defaultdict(set)
        for norm, iri, _ in self._names:
            self._compact[norm.replace(" ", "")].add(iri)
        self._tokens: dict[str, set[int]] = defaultdict(set)
        self._by_entity: dict[str, set[int]] = defaultdict(set)
        for i, item in enumerate(items):
            for tok in set(normalise(item.text).split()):
                self._tokens[tok].add(i)
            for entity_iri in item.entities:
                self._by_entity[entity_iri].add(i)
        self._vocabulary = sorted(self._tokens)
        self._sort_keys = [item.label.casefold() for item in items]

    # --- building ---------------------------------------------------------------------
    @classmethod
    def build(cls, kb: KnowledgeBase) -> SearchIndex:
        """Read everything searchable from the store (all graphs)."""
        entities: dict[str, _Entity] = {}
        q = sparql_prefixes()
        for r in kb.query(
            q
            + """
            SELECT DISTINCT ?e ?label ?kind ?typeLabel WHERE {
              { SELECT DISTINCT ?e WHERE { GRAPH ?g {
                  { ?x srkb:refersTo ?e } UNION { ?x srkb:speaker|srkb:relayedBy ?e }
                  UNION { ?x srkb:judgedSource ?e } } } }
              GRAPH ?gl { ?e skos:prefLabel ?label }
              GRAPH ?gt { ?e a ?type }
              GRAPH ?go { ?type rdfs:subClassOf* ?top ; rdfs:label ?typeLabel }
              VALUES (?top ?kind) { (srkb:Actor "actor") (srkb:Source "source") }
            }"""
        ):
            iri = r["e"].value
            ent = entities.setdefault(iri, _Entity(iri, r["label"].value))
            ent.kinds.add(r["kind"].value)
            ent.types.add(r["typeLabel"].value)  # "armed group", "news outlet"
        for r in kb.query(
            q
            + """
            SELECT DISTINCT ?e ?name WHERE {
              { GRAPH ?g {
                  ?e skos:prefLabel|skos:altLabel|skos:hiddenLabel|srkb:domainName ?name } }
              UNION
              { GRAPH ?g { ?m srkb:refersTo ?e ; srkb:evidence/nif:anchorOf ?name } }
            }"""
        ):
            named = entities.get(r["e"].value)
            if named is not None:
                named.names.add(r["name"].value)
        items: dict[str, _Item] = {}
        for r in kb.query(
            q
            + """
            SELECT ?c ?content ?cue ?who WHERE { GRAPH ?g {
              ?c a srkb:Claim ; srkb:content ?content ; srkb:cue ?cue .
              OPTIONAL { ?c srkb:speaker|srkb:relayedBy|srkb:mentionsActor ?who } } }"""
        ):
            iri = r["c"].value
            item = items.get(iri)
            if item is None:
                content = r["content"].value
                item = items[iri] = _Item("claim", iri, content, f"{content} {r['cue'].value}")
            if r["who"] is not None:
                item.entities.add(r["who"].value)
        for r in kb.query(
            q
            + """
            SELECT ?d ?label ?text ?b ?e WHERE { GRAPH ?g {
              ?d srkb:inSourceText ?t ; rdfs:label ?label ; nif:beginIndex ?b ; nif:endIndex ?e .
              ?t nif:isString ?text } }"""
        ):
            iri = r["d"].value
            b, e = int(r["b"].value), int(r["e"].value)
            items[iri] = _Item("document", iri, r["label"].value, r["text"].value[b:e])
        for r in kb.query(
            q
            + "SELECT DISTINCT ?d ?e WHERE { GRAPH ?g {"
            + " ?m srkb:refersTo ?e ; srkb:inDocument ?d } }"
        ):
            item = items.get(r["d"].value)
            if item is not None:
                item.entities.add(r["e"].value)
        return cls(entities, [items[k] for k in sorted(items)])

    # --- searching --------------------------------------------------------------------
    def _entity_scores(self, query: str) -> dict[str, tuple[float, str]]:
        norm, flat = normalise(query), compact(query)
        scores: dict[str, tuple[float, str]] = {}

        def offer(iri: str, score: float, surface: str) -> None:
            if score > scores.get(iri, (0.0, ""))[0]:
                scores[iri] = (score, surface)

        for iri in self._compact.get(flat, ()):
            offer(iri, 100.0, query)
        start = bisect_left(self._name_keys, norm)
        for name, iri, surface in self._names[start:]:
            if not name.startswith(norm):
                break
            offer(iri, 100.0 if name == norm else 90.0, surface)
        q_tokens = set(norm.split())
        for (name, iri, surface), tokens in zip(self._names, self._name_tokens, strict=True):
            if q_tokens and q_tokens <= tokens:
                offer(iri, 80.0, surface)
            elif tokens and len(name) > 2 and tokens <= q_tokens:
                offer(iri, 70.0, surface)
        if len(norm) >= 4:
            for _name, score, idx in process.extract(
                norm, self._name_keys, scorer=fuzz.ratio, score_cutoff=80, limit=20
            ):
                _, iri, surface = self._names[idx]
                offer(iri, 0.75 * score, surface)
        return scores

    def _items_with_words(self, words: list[str]) -> set[int]:
        found: set[int] | None = None
        for i, word in enumerate(words):
            hits = set(self._tokens.get(word, ()))
            if i == len(words) - 1 and len(word) >= 3:  # the word being typed: a prefix
                start = bisect_left(self._vocabulary, word)
                for tok in self._vocabulary[start:]:
                    if not tok.startswith(word):
                        break
                    hits |= self._tokens[tok]
            found = hits if found is None else found & hits
            if not found:
                return set()
        return found or set()

    def search(self, query: str, limit: int = 20) -> dict[Kind, list[SearchHit]]:
        """Hits grouped by kind, best first; an empty query finds nothing."""
        return self.search_with_totals(query, limit)[0]

    def search_with_totals(
        self, query: str, limit: int = 20
    ) -> tuple[dict[Kind, list[SearchHit]], dict[Kind, int]]:
        """The best ``limit`` hits of each kind, and how many hits each kind has in all.

        Snippets are cut only for the hits returned: a word in thousands of documents
        costs a sort, not thousands of snippets.
        """
        out: dict[Kind, list[SearchHit]] = {k: [] for k in KINDS}
        totals: dict[Kind, int] = dict.fromkeys(KINDS, 0)
        words = normalise(query).split()
        if not words:
            return out, totals
        entity_scores = self._entity_scores(query)
        for iri, (score, surface) in entity_scores.items():
            ent = self.entities[iri]
            for kind in sorted(ent.kinds):
                out[kind].append(
                    SearchHit(kind, iri, ent.label, score, surface, types=tuple(sorted(ent.types)))
                )
        strong = {iri for iri, (score, _) in entity_scores.items() if score >= 80}
        item_scores: dict[int, tuple[float, str]] = {}
        for i in self._items_with_words(words):
            item_scores[i] = (60.0, " ".join(words))
        for iri in strong:
            for i in self._by_entity.get(iri, ()):
                if i not in item_scores:
                    item_scores[i] = (50.0, self.entities[iri].label)
        by_kind: dict[Kind, list[tuple[float, str, str, int]]] = {k: [] for k in KINDS}
        for i, (score, _matched) in item_scores.items():
            item = self.items[i]
            by_kind[item.kind].append((-score, self._sort_keys[i], item.iri, i))
        for kind in KINDS:
            out[kind].sort(key=lambda h: (-h.score, h.label.casefold(), h.iri))
            totals[kind] = len(out[kind]) + len(by_kind[kind])
            for _neg, _key, _iri, i in heapq.nsmallest(limit, by_kind[kind]):
                item = self.items[i]
                score, matched = item_scores[i]
                out[kind].append(
                    SearchHit(
                        item.kind, item.iri, item.label, score, matched, _snippet(item.text, words)
                    )
                )
            del out[kind][limit:]
        return out, totals
