"""Records -> RDF: the triples kb/build.py writes, and that they satisfy the SHACL shapes."""

from __future__ import annotations

from datetime import UTC, datetime

import pyoxigraph as ox
import pytest
from rdflib import RDF, SKOS, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, XSD

from kb.build import build_text_graph
from kb.derived import finish_pending
from kb.derived.entities import entities_graph_iri
from kb.extract.model import Claim, Entity, Extraction, Judgement, Mention, Segment, Span
from kb.gazetteer import gazetteer_turtle_for_base
from kb.ingest import ensure_reference_graphs
from kb.iri import span_offsets
from kb.journal import ADDED, entry
from kb.store import KnowledgeBase
from kb.validate import validate_graph
from kb.vocab import NIF, SCHEMA, SRKB
from ontology import ONTOLOGY_PATH

from .helpers import span_of

BASE = "http://kb.example.org/"
TEXT = (
    "On 3 May, Kurdish commander Rojhat Amed told Reuters that the dam may reopen.\n"
    "Reuters is a reliable source, unlike the rumours on Telegram.\n"
)
WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def sample_extraction() -> Extraction:
    line1_end = TEXT.index("\n")
    article = Segment("article", 0, Span(0, line1_end, TEXT[:line1_end]))
    c_start = line1_end + 1
    comment = Segment("comment", 1, Span(c_start, len(TEXT) - 1, TEXT[c_start:-1]))
    entities = (
        Entity(
            "rojhat-amed",
            "Rojhat Amed",
            frozenset({"Person"}),
            frozenset({"actor"}),
            ("Rojhat Amed",),
            False,
            "title 'commander'",
        ),
        Entity(
            "reuters",
            "Reuters",
            frozenset({"NewsAgency"}),
            frozenset({"source"}),
            ("Reuters",),
            True,
        ),
    )
    sentence = Span(0, line1_end, TEXT[:line1_end])
    claim = Claim(
        span=sentence,
        content=span_of(TEXT, "the dam may reopen"),
        cue=span_of(TEXT, "told Reuters"),
        segment=0,
        speaker="rojhat-amed",
        via="reuters",
        date=span_of(TEXT, "On 3 May"),
        date_value="--05-03",
        modality="possible",
    )
    judgement = Judgement(
        span=comment.span,
        cue=span_of(TEXT, "a reliable source"),
        source="reuters",
        polarity="positive",
        segment=1,
    )
    mentions = (
        Mention("rojhat-amed", span_of(TEXT, "Rojhat Amed"), 0),
        Mention("reuters", span_of(TEXT, "Reuters"), 0),
        Mention("reuters", span_of(TEXT, "Reuters", c_start), 1),
    )
    return Extraction(TEXT, (article, comment), entities, mentions, (claim,), (judgement,))


def build() -> Graph:
    return build_text_graph(
        sample_extraction(), base_iri=BASE, source_name="sample.txt", version="9.9.9", when=WHEN
    ).rdflib_graph()


def shared_descriptions() -> Graph:
    """What a store derives from the sample text beside its graph: the shared entities
    graph (kb.derived.entities), read from a store the text was written to."""
    built = build_text_graph(
        sample_extraction(), base_iri=BASE, source_name="sample.txt", version="9.9.9", when=WHEN
    )
    kb = KnowledgeBase.in_memory()
    ensure_reference_graphs(kb, BASE)
    kb.add_quads([*built.quads, entry(BASE, built.graph_iri, ADDED)])
    finish_pending(kb, base_iri=BASE)
    out = Graph()
    for q in kb.quads(entities_graph_iri(BASE)):
        out.add(
            tuple(
                URIRef(t.value) if isinstance(t, ox.NamedNode) else Literal(t.value)
                for t in q.triple
            )
        )
    kb.close()
    return out


def full_graph(g: Graph) -> Graph:
    """The text graph plus the reference and shared graphs a store holds beside it."""
    out = Graph()
    out += g
    out.parse(ONTOLOGY_PATH, format="turtle")
    out += gazetteer_turtle_for_base(BASE)
    out += shared_descriptions()
    return out


def test_the_shared_graph_states_the_new_entity_once() -> None:
    shared = shared_descriptions()
    amed = URIRef(BASE + "entity/rojhat-amed")
    assert set(shared.objects(amed, RDF.type)) == {SRKB.Person}
    assert [str(x) for x in shared.objects(amed, SKOS.prefLabel)] == ["Rojhat Amed"]


def test_claim_triples_carry_speaker_relay_date_modality_and_span() -> None:
    g = build()
    claims = list(g.subjects(RDF.type, SRKB.Claim))
    assert len(claims) == 1
    c = claims[0]
    assert g.value(c, SRKB.speaker) == URIRef(BASE + "entity/rojhat-amed")
    assert g.value(c, SRKB.relayedBy) == URIRef(BASE + "entity/reuters")
    assert g.value(c, SRKB.statementDate) == Literal("--05-03", datatype=XSD.gMonthDay)
    assert g.value(c, SRKB.dateText) == Literal("On 3 May")
    assert g.value(c, SRKB.modality) == SRKB.possible
    span = g.value(c, SRKB.evidence)
    assert str(span).endswith(f"#char=0,{TEXT.index(chr(10))}")
    text_iri, begin, end = span_offsets(str(span)) or ("", -1, -1)
    assert str(g.value(span, NIF.anchorOf)) == TEXT[begin:end]
    assert g.value(c, SRKB.inDocument) == URIRef(text_iri + "/article")
    assert (URIRef(text_iri), RDF.type, SRKB.SourceText) in g
    # the text and the offsets are the span's IRI, not stated again (kb.build)
    for offset in (NIF.referenceContext, NIF.beginIndex, NIF.endIndex):
        assert (span, offset, None) not in g
    # provenance is stated once per text: the activity that used the claim's source text
    text = g.value(g.value(c, SRKB.inDocument), SRKB.inSourceText)
    activity = g.value(None, PROV.used, text)
    assert (activity, RDF.type, SRKB.ExtractionActivity) in g
    software = g.value(activity, PROV.wasAssociatedWith)
    assert str(g.value(software, SCHEMA.softwareVersion)) == "9.9.9"
    assert (c, PROV.wasGeneratedBy, None) not in g  # not repeated on every fact


def test_new_entity_gets_name_type_and_evidence_gazetteer_entity_does_not_repeat() -> None:
    g = build()
    amed = URIRef(BASE + "entity/rojhat-amed")
    # what this text says of the person; its labels are stated once, in the entities graph
    assert (amed, SRKB.typeInText, SRKB.Person) in g
    assert str(g.value(amed, SRKB.nameInText)) == "Rojhat Amed"
    assert str(g.value(amed, SRKB.typeEvidence)) == "title 'commander'"
    assert (amed, RDF.type, None) not in g and (amed, SKOS.prefLabel, None) not in g
    reuters = URIRef(BASE + "entity/reuters")
    assert (reuters, None, None) not in g  # said once, by the gazetteer graph


def test_judgement_links_commenter_source_and_polarity() -> None:
    g = build()
    (j,) = list(g.subjects(RDF.type, SRKB.SourceJudgement))
    assert g.value(j, SRKB.polarity) == SRKB.positive
    assert g.value(j, SRKB.judgedSource) == URIRef(BASE + "entity/reuters")
    assessor = g.value(j, SRKB.assessor)
    assert (assessor, RDF.type, SRKB.Commenter) in g
    comment = g.value(j, SRKB.inDocument)
    assert g.value(comment, SCHEMA.author) == assessor


def test_a_mention_is_its_span_with_what_it_refers_to_and_its_document() -> None:
    """As in NIF, a mention is the name's character span itself: no mention node linked
    to a span (kb.build), and the shapes hold it to a span's promises."""
    g = build()
    text_id = next(str(s) for s in g.subjects(RDF.type, SRKB.SourceText)).rsplit("/", 1)[-1]
    at = TEXT.index("Reuters", TEXT.index("\n"))  # the comment's "Reuters"
    mention = URIRef(f"{BASE}text/{text_id}#char={at},{at + 7}")
    assert g.value(mention, SRKB.refersTo) == URIRef(BASE + "entity/reuters")
    assert g.value(mention, SRKB.inDocument) == URIRef(f"{BASE}text/{text_id}/comment/1")
    assert g.value(mention, NIF.anchorOf) == Literal("Reuters")
    assert span_offsets(str(mention)) == (f"{BASE}text/{text_id}", at, at + 7)
    assert (mention, NIF.beginIndex, None) not in g and (mention, NIF.endIndex, None) not in g
    mentions = set(g.subjects(SRKB.refersTo, None))
    assert len(mentions) == 3 and all("#char=" in str(m) for m in mentions)
    assert not any((m, SRKB.evidence, None) in g for m in mentions)
    g.set((mention, NIF.anchorOf, Literal("Reuter")))  # no longer the text's characters
    result = validate_graph(full_graph(g))
    assert not result.conforms and "anchorOf" in result.text


def test_build_is_deterministic() -> None:
    assert isomorphic(build(), build())
    assert sorted(build()) == sorted(build())  # no blank nodes: identical triples


def test_built_graph_conforms_to_shapes() -> None:
    result = validate_graph(full_graph(build()))
    assert result.conforms, result.text


@pytest.mark.parametrize(
    "tamper, message",
    [
        (lambda g, s: g.set((s, NIF.anchorOf, Literal("not the text"))), "anchorOf"),
        (lambda g, s: g.remove((None, SRKB.evidence, None)), "character span"),
    ],
)
def test_shapes_catch_broken_provenance(tamper, message) -> None:
    g = build()
    (c,) = list(g.subjects(RDF.type, SRKB.Claim))
    tamper(g, g.value(c, SRKB.evidence))
    result = validate_graph(full_graph(g))
    assert not result.conforms
    assert message in result.text


def test_reference_graphs_are_written_once_and_again_when_their_files_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import kb.ingest as ingest
    from kb.content import read_state

    kb = KnowledgeBase.in_memory()
    ensure_reference_graphs(kb, BASE)
    ontology_graph = BASE + "graph/ontology"
    written = kb.graph_quad_count(ontology_graph)
    assert written > 100
    state = read_state(kb, BASE)
    assert state is not None and state.reference == ingest.reference_key(BASE)

    def unread(base_iri: str) -> None:
        raise AssertionError("the reference files were read again")

    with monkeypatch.context() as m:  # same files: nothing is parsed or written
        m.setattr(ingest, "_reference_graphs", unread)
        ensure_reference_graphs(kb, BASE)

    # other files (simulated by another key): the graphs are compared and put right
    kb.change(remove=list(kb.quads(ontology_graph))[:5], add=[])
    monkeypatch.setattr(ingest, "reference_key", lambda base_iri: "other files")
    ensure_reference_graphs(kb, BASE)
    assert kb.graph_quad_count(ontology_graph) == written
    state = read_state(kb, BASE)
    assert state is not None and state.reference == "other files"
    kb.close()
