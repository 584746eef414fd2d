"""Blueprint "ontology": the srkb ontology published at its namespace, as W3C recommends.

"Best Practice Recipes for Publishing RDF Vocabularies" (W3C Note, 2008), recipe 3
(hash namespace, content negotiation): the namespace document ``…/ontology`` answers
with RDF for RDF clients and with HTML documentation for browsers, and every term
``…/ontology#Term`` resolves into that document (the HTML has an anchor per local
name). srkb answers directly (200, ``Vary: Accept``, ``Content-Location`` naming the
variant) rather than with a 303 to each variant; the recipes allow both. The namespace
IRI ``https://w3id.org/srkb/ontology`` is this path when the base IRI is
``https://w3id.org/srkb/``; otherwise a w3id redirect points here.

* ``/ontology`` (and the version IRI ``/ontology/VERSION``): Turtle (the file as
  shipped), RDF/XML, JSON-LD or N-Triples by Accept, HTML for browsers.
* ``/ontology.ttl``, ``.rdf``, ``.jsonld``, ``.nt``, ``.html``: one variant each.

The HTML is generated from the Turtle here: every class, property, concept scheme and
concept with its label, comment, super- and sub-classes or -properties, domain and range,
the properties whose domain or range it is, and the terms it reuses from other
vocabularies. pyLODE was tried first and not used: its current release (3.4.1) fails on
import when installed from a wheel, 3.3.4 calls ``logging.basicConfig(level=DEBUG)`` at
import and documents this ontology's concept schemes as if they were the ontology
(wrong title and IRI), and it pulls in an HTTP client stack srkb does not otherwise need.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, url_for
from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from kb.errors import NotAcceptableError, NotFoundError
from kb.jsonld import context_document
from kb.vocab import PREFIXES
from ontology import NAMESPACE, ONTOLOGY_IRI, ONTOLOGY_PATH

from . import conneg

logger = logging.getLogger(__name__)

bp = Blueprint("ontology", __name__)

VANN = "http://purl.org/vocab/vann/"
_VARIANTS: dict[str, conneg.Format] = {
    "ttl": conneg.TURTLE,
    "rdf": conneg.RDFXML,
    "jsonld": conneg.JSONLD,
    "nt": conneg.NTRIPLES,
    "html": conneg.HTML,
}
_OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "ntriples": ox.RdfFormat.N_TRIPLES,
}
_KIND_ORDER = (
    ("class", "Classes"),
    ("object", "Object properties"),
    ("datatype", "Datatype properties"),
    ("annotation", "Annotation properties"),
    ("scheme", "Concept schemes"),
    ("concept", "Concepts"),
)


# --------------------------------------------------------------------------- the model
@dataclass(frozen=True)
class Ref:
    """A link to a term: its label, its compact name and where it is documented."""

    iri: str
    label: str
    curie: str
    href: str


@dataclass
class Term:
    """One documented term."""

    iri: str
    anchor: str
    curie: str
    kind: str
    label: str
    comment: str
    definition: str = ""
    notation: str = ""
    types: list[Ref] = field(default_factory=list)
    supers: list[Ref] = field(default_factory=list)
    subs: list[Ref] = field(default_factory=list)
    domain: list[Ref] = field(default_factory=list)
    range: list[Ref] = field(default_factory=list)
    in_domain_of: list[Ref] = field(default_factory=list)
    in_range_of: list[Ref] = field(default_factory=list)
    characteristics: list[str] = field(default_factory=list)
    scheme: list[Ref] = field(default_factory=list)
    members: list[Ref] = field(default_factory=list)
    external: bool = False


@dataclass
class OntologyDoc:
    """What the HTML page shows."""

    iri: str
    title: str
    description: str
    metadata: list[tuple[str, str, bool]]  # (label, value, is_link)
    sections: list[tuple[str, str, list[Term]]]  # (anchor, heading, terms)
    reused: list[Term]


def _curie(iri: str) -> str:
    if iri.startswith(NAMESPACE):
        return "srkb:" + iri[len(NAMESPACE) :]
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    if iri.startswith(VANN):
        return "vann:" + iri[len(VANN) :]
    return iri


def _anchor(iri: str) -> str:
    """srkb terms by their local name (so ``ontology#Claim`` lands on them); others by CURIE."""
    if iri.startswith(NAMESPACE):
        return iri[len(NAMESPACE) :]
    return _curie(iri).replace(":", "-")


def _text(graph: Graph, node: Node, prop: URIRef) -> str:
    values = [str(v) for v in graph.objects(node, prop)]
    english = [str(v) for v in graph.objects(node, prop) if getattr(v, "language", None) == "en"]
    return (english or sorted(values) or [""])[0]


def _kind(graph: Graph, node: URIRef) -> str | None:
    types = set(graph.objects(node, RDF.type))
    if OWL.Class in types or RDFS.Class in types:
        return "class"
    if OWL.ObjectProperty in types:
        return "object"
    if OWL.DatatypeProperty in types:
        return "datatype"
    if OWL.AnnotationProperty in types or RDF.Property in types:
        return "annotation"
    if SKOS.ConceptScheme in types:
        return "scheme"
    if OWL.NamedIndividual in types:
        return "concept"
    return None


@lru_cache(maxsize=1)
def ontology_doc() -> OntologyDoc:
    """Read ontology/srkb.ttl into the page's model (once per process: the file is static)."""
    graph = Graph().parse(ONTOLOGY_PATH, format="turtle")
    documented = {
        s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef) and _kind(graph, s)
    }

    def ref(node: Node) -> Ref:
        iri = str(node)
        label = _text(graph, node, RDFS.label) or _curie(iri)
        href = f"#{_anchor(iri)}" if node in documented else iri
        return Ref(iri, label, _curie(iri), href)

    def refs(nodes: Iterable[Node]) -> list[Ref]:
        return sorted((ref(n) for n in nodes if isinstance(n, URIRef)), key=lambda r: r.curie)

    terms: dict[str, Term] = {}
    for node in sorted(documented, key=str):
        kind = _kind(graph, node)
        assert kind is not None
        iri = str(node)
        is_property = kind in ("object", "datatype", "annotation")
        sub_of = RDFS.subPropertyOf if is_property else RDFS.subClassOf
        characteristics = sorted(
            _curie(str(t)).split(":", 1)[1]
            for t in graph.objects(node, RDF.type)
            if t in (OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.TransitiveProperty)
        )
        terms[iri] = Term(
            iri=iri,
            anchor=_anchor(iri),
            curie=_curie(iri),
            kind=kind,
            label=_text(graph, node, RDFS.label) or _text(graph, node, SKOS.prefLabel),
            comment=_text(graph, node, RDFS.comment),
            definition=_text(graph, node, SKOS.definition),
            notation=_text(graph, node, SKOS.notation),
            types=refs(t for t in graph.objects(node, RDF.type) if t != OWL.NamedIndividual)
            if kind in ("concept", "scheme")
            else [],
            supers=refs(graph.objects(node, sub_of)),
            subs=refs(graph.subjects(sub_of, node)),
            domain=refs(graph.objects(node, RDFS.domain)) if is_property else [],
            range=refs(graph.objects(node, RDFS.range)) if is_property else [],
            in_domain_of=[] if is_property else refs(graph.subjects(RDFS.domain, node)),
            in_range_of=[] if is_property else refs(graph.subjects(RDFS.range, node)),
            characteristics=characteristics,
            scheme=refs(graph.objects(node, SKOS.inScheme)),
            members=refs(graph.subjects(SKOS.inScheme, node)) if kind == "scheme" else [],
            external=not iri.startswith(NAMESPACE),
        )
    own = [t for t in terms.values() if not t.external]
    sections = [
        (f"sec-{kind}", heading, sorted((t for t in own if t.kind == kind), key=lambda t: t.anchor))
        for kind, heading in _KIND_ORDER
    ]
    sections = [s for s in sections if s[2]]
    reused = sorted((t for t in terms.values() if t.external), key=lambda t: t.curie)

    onto = URIRef(ONTOLOGY_IRI)
    metadata: list[tuple[str, str, bool]] = [("IRI", ONTOLOGY_IRI, True)]
    for label, prop, link in (
        ("version IRI", OWL.versionIRI, True),
        ("version", OWL.versionInfo, False),
        ("created", DCTERMS.created, False),
        ("license", DCTERMS.license, True),
        ("preferred prefix", URIRef(VANN + "preferredNamespacePrefix"), False),
        ("namespace", URIRef(VANN + "preferredNamespaceUri"), False),
    ):
        for value in graph.objects(onto, prop):
            metadata.append((label, str(value), link))
    return OntologyDoc(
        iri=ONTOLOGY_IRI,
        title=_text(graph, onto, DCTERMS.title) or _text(graph, onto, RDFS.label),
        description=_text(graph, onto, DCTERMS.description) or _text(graph, onto, RDFS.comment),
        metadata=metadata,
        sections=sections,
        reused=reused,
    )


@lru_cache(maxsize=4)
def ontology_rdf(format_name: str) -> bytes:
    """The ontology file in an RDF format: Turtle as shipped, others converted."""
    if format_name == "turtle":
        return ONTOLOGY_PATH.read_bytes()
    store = ox.Store()
    store.load(path=str(ONTOLOGY_PATH), format=ox.RdfFormat.TURTLE)
    triples = sorted((q.triple for q in store), key=str)
    prefixes = dict(PREFIXES) if format_name == "rdfxml" else None
    out = ox.serialize(triples, format=_OX_FORMATS[format_name], prefixes=prefixes)
    assert out is not None  # bytes when no output file is given
    return out


# --------------------------------------------------------------------------- views
def _variant_response(fmt: conneg.Format) -> Response:
    if fmt.name == "html":
        body = render_template("ontology.html", doc=ontology_doc(), variants=_variant_links())
        response = Response(body, mimetype="text/html")
    else:
        response = Response(ontology_rdf(fmt.name), mimetype=fmt.media_type)
    return response


def _variant_links() -> list[tuple[str, str, str]]:
    return [
        (ext, fmt.media_type, url_for("ontology.variant", ext=ext))
        for ext, fmt in _VARIANTS.items()
    ]


@bp.route("/ontology")
def namespace_document() -> Response:
    """The namespace document, negotiated: RDF for RDF clients, HTML for browsers."""
    fmt = conneg.negotiate(request.headers.get("Accept"), conneg.RESOURCE_OFFERS)
    if fmt is None:
        available = ", ".join(f.media_type for f in conneg.RESOURCE_OFFERS)
        raise NotAcceptableError(f"the ontology is available as {available}")
    response = _variant_response(fmt)
    ext = next(e for e, f in _VARIANTS.items() if f is fmt)
    response.headers["Content-Location"] = url_for("ontology.variant", ext=ext)
    response.vary.add("Accept")
    return response


@bp.route("/ontology/<version>")
def version_document(version: str) -> Response:
    """The version IRI (…/ontology/1.0.0) resolves while it is the version served."""
    known = [v for label, v, _ in ontology_doc().metadata if label == "version"]
    if version not in known:
        raise NotFoundError(
            f"this server publishes ontology version {', '.join(known) or 'unknown'}, not {version}"
        )
    return namespace_document()


@bp.route("/ontology.<ext>")
def variant(ext: str) -> Response:
    fmt = _VARIANTS.get(ext)
    if fmt is None:
        raise NotFoundError(
            f"no ontology.{ext}; there are " + ", ".join(f"ontology.{e}" for e in _VARIANTS)
        )
    return _variant_response(fmt)


@bp.route("/context.jsonld")
def jsonld_context() -> Response:
    """The JSON-LD ``@context`` every compacted JSON-LD answer of this server refers to."""
    response = Response(context_document(), mimetype="application/ld+json")
    response.headers["Cache-Control"] = "public, max-age=86400"
    response.headers["Access-Control-Allow-Origin"] = "*"  # JSON-LD processors fetch it
    return response
