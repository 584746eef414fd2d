"""A text graph read back into records, with one index scan of the graph.

The derived steps (ratings, shared entity descriptions, search index, counts) need what
a batch of text graphs holds. Asking the store with SPARQL and ``VALUES ?g { ... }`` over
a thousand graphs made Oxigraph scan the matching patterns of the whole store, so each
step cost more as the store grew (at 10,000 texts, a step of 2,000 texts spent more than
a minute in those queries). Reading each graph's quads (``GRAPH <g>``: one prefix scan of
its index) and sorting them into records costs a fraction of a millisecond per text,
whatever the store's size.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from .evidence import ClaimEvidence, JudgementEvidence
from .own_accounts import own_account
from .reliability import ClaimRow
from .store import KnowledgeBase
from .vocab import PREFIXES

_S = PREFIXES["srkb"]
_NIF = PREFIXES["nif"]
_RDF_TYPE = PREFIXES["rdf"] + "type"
_DATE = PREFIXES["dcterms"] + "date"
_SOURCE = PREFIXES["dcterms"] + "source"
_LABEL = PREFIXES["rdfs"] + "label"
_POSITION = PREFIXES["schema"] + "position"
_PUBLISHER = PREFIXES["schema"] + "publisher"
_PREF = PREFIXES["skos"] + "prefLabel"
_VERSION = PREFIXES["schema"] + "softwareVersion"


@dataclass
class Document:
    iri: str
    kind: str  # "article" or "comment"
    begin: int
    end: int
    position: int | None = None
    date: str | None = None
    publisher: str | None = None


@dataclass
class TextRecords:
    """What one text graph holds, as the derived steps use it."""

    graph: str
    text: str = ""  # the source text's IRI
    name: str = ""  # dcterms:source (the file name)
    label: str = ""  # rdfs:label: the title (and date) a person reads, else the file name
    string: str = ""  # nif:isString
    documents: dict[str, Document] = field(default_factory=dict)
    claims: list[ClaimEvidence] = field(default_factory=list)
    judgements: list[JudgementEvidence] = field(default_factory=list)
    # (entity, written form, document) of every mention
    mentions: list[tuple[str, str, str]] = field(default_factory=list)
    # (entity, "name" | "type", value): what the text says of actors outside the gazetteer
    statements: list[tuple[str, str, str]] = field(default_factory=list)
    # the versions of the extractor software the graph names (one, normally)
    versions: list[str] = field(default_factory=list)
    # the claims' rows for the claim index, in ``claims``' order, when an extraction
    # worker made them (kb.ingest_workers): the writer's process has less to do
    claim_rows: list[ClaimRow] | None = field(default=None, compare=False)
    # and what the search index holds of its items (kb.search ``index_words``)
    index_words: list[str] | None = field(default=None, compare=False)

    def document_label(self, doc: Document) -> str:
        name = self.label or self.name
        if doc.kind == "comment":
            return f"comment {doc.position} on {name}"
        return f"article: {name}"


def _first(values: dict[str, list[str]], prop: str) -> str | None:
    found = values.get(prop)
    return found[0] if found else None


def _int(text: str | None) -> int:
    try:
        return int(text) if text is not None else 0
    except ValueError:
        return 0


def _mark_own_accounts(out: TextRecords, props: dict[str, dict[str, list[str]]]) -> None:
    """Which claims are a party's own account (kb.own_accounts), from what this text
    says of their speakers and relays: types, names and the forms it writes them in."""
    types: dict[str, set[str]] = {}
    names: dict[str, set[str]] = {}
    for entity, kind, value_ in out.statements:
        if kind == "type":
            types.setdefault(entity, set()).add(value_.rsplit("#", 1)[-1])
        else:
            names.setdefault(entity, set()).add(value_)
    for entity, written, _doc in out.mentions:
        names.setdefault(entity, set()).add(written)
    for c in out.claims:
        for agent in c.agents:
            found = props.get(agent, {})
            for t in found.get(_RDF_TYPE, ()):
                types.setdefault(agent, set()).add(t.rsplit("#", 1)[-1])
            names.setdefault(agent, set()).update(found.get(_PREF, ()))
        c.own_account = own_account(c.content, c.modality, c.agents, c.about, types, names)


def read_text_graph(kb: KnowledgeBase, graph: str) -> TextRecords:
    """Sort a text graph's quads into records (see the module docstring)."""
    return records_of(graph, kb.backend.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


def records_of(graph: str, quads: Iterable[ox.Quad]) -> TextRecords:
    """Sort one text graph's quads (as the store gives them back) into records."""
    return records_from_props(graph, props_of(quads))


def props_of(quads: Iterable[ox.Quad]) -> dict[str, dict[str, list[str]]]:
    """subject -> predicate -> the objects' values (IRIs, literals' lexical forms)."""
    props: dict[str, dict[str, list[str]]] = {}
    for q in quads:  # each attribute read makes a new Python object: read each once
        subject, predicate, object_ = q.subject.value, q.predicate.value, q.object.value  # type: ignore[union-attr]
        found = props.get(subject)
        if found is None:
            props[subject] = {predicate: [object_]}
            continue
        objects = found.get(predicate)
        if objects is None:
            found[predicate] = [object_]
        else:
            objects.append(object_)
    return props


def records_from_props(graph: str, props: dict[str, dict[str, list[str]]]) -> TextRecords:
    """Sort a text graph's terms by subject (``props_of``, or as an extraction worker
    built them: kb.build) into records."""
    out = TextRecords(graph)

    def one(subject: str, prop: str) -> str | None:
        found = props.get(subject, {}).get(prop)
        return found[0] if found else None

    unnamed = set()
    for subject, p in props.items():
        types = p.get(_RDF_TYPE, ())
        if _S + "SourceText" in types:
            out.text = subject
            out.string = (p.get(_NIF + "isString") or [""])[0]
            out.name = (p.get(_SOURCE) or [""])[0]
            out.label = (p.get(_LABEL) or [""])[0]
        if _S + "UnnamedSource" in types:
            unnamed.add(subject)
        if _S + "ExtractorSoftware" in types:
            out.versions += p.get(_VERSION, ())
        kind = (
            "article"
            if _S + "Article" in types
            else "comment"
            if _S + "ReaderComment" in types
            else None
        )
        if kind and p.get(_S + "inSourceText"):
            out.documents[subject] = Document(
                subject,
                kind,
                _int(one(subject, _NIF + "beginIndex")),
                _int(one(subject, _NIF + "endIndex")),
                _int(one(subject, _POSITION)) if p.get(_POSITION) else None,
                min(p.get(_DATE, ())) if p.get(_DATE) else None,
                one(subject, _PUBLISHER),
            )
        for name in p.get(_S + "nameInText", ()):
            out.statements.append((subject, "name", name))
        for cls in p.get(_S + "typeInText", ()):
            out.statements.append((subject, "type", cls))
    article = next((d for d in out.documents.values() if d.kind == "article"), None)
    for subject, p in props.items():
        types = p.get(_RDF_TYPE, ())
        doc = _first(p, _S + "inDocument")
        refers = _first(p, _S + "refersTo")
        if refers and doc:  # a mention is its span (kb.build)
            out.mentions.append((refers, _first(p, _NIF + "anchorOf") or "", doc))
        document = out.documents.get(doc) if doc else None
        date = (document.date if document else None) or (article.date if article else None)
        if _S + "Claim" in types and doc:
            speaker, via = _first(p, _S + "speaker"), _first(p, _S + "relayedBy")
            modality = _first(p, _S + "modality") or _S + "asserted"
            out.claims.append(
                ClaimEvidence(
                    iri=subject,
                    text=out.text,
                    document=doc,
                    content=_first(p, _S + "content") or "",
                    modality=modality.rsplit("#", 1)[-1],
                    cue=" ".join(sorted(p.get(_S + "cue", ()))),
                    speaker=speaker,
                    via=via,
                    speaker_unnamed=speaker in unnamed,
                    via_unnamed=via in unnamed,
                    publisher=article.publisher if article else None,
                    date=date,
                    about=set(p.get(_S + "mentionsActor", ())),
                    graph=graph,
                )
            )
        if _S + "SourceJudgement" in types and doc:
            polarity = _first(p, _S + "polarity") or _S + "mixed"
            out.judgements.append(
                JudgementEvidence(
                    subject,
                    _first(p, _S + "judgedSource") or "",
                    polarity.rsplit("#", 1)[-1],
                    " ".join(sorted(p.get(_S + "cue", ()))),
                    one(_first(p, _S + "evidence") or "", _NIF + "anchorOf") or "",
                    date,
                    graph,
                )
            )
    _mark_own_accounts(out, props)
    out.claims.sort(key=lambda c: c.iri)
    out.judgements.sort(key=lambda j: j.iri)
    out.mentions.sort()
    out.statements = sorted(set(out.statements))
    out.versions = sorted(set(out.versions))
    return out


def read_text_graphs(kb: KnowledgeBase, graphs: Iterable[str]) -> list[TextRecords]:
    return [read_text_graph(kb, g) for g in graphs]
