"""OWL reasoning over the ontology with owlready2 and HermiT (the only owlready2 import).

owlready2 reads RDF/XML and N-Triples, not Turtle, so the Turtle source of truth is
converted with rdflib first. Each check builds its own owlready2 World, so nothing
leaks between calls and nothing happens at import time. HermiT needs a Java runtime.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph

from ontology import ONTOLOGY_PATH

from .errors import OntologyError


@dataclass(frozen=True)
class ReasoningReport:
    """What HermiT found."""

    consistent: bool
    unsatisfiable: tuple[str, ...]
    classes: int
    properties: int
    message: str = ""


def _load_world(path: Path) -> tuple[Any, Any]:  # owlready2 ships no type hints
    import owlready2

    world = owlready2.World()
    graph = Graph()
    graph.parse(path, format="turtle")
    with tempfile.TemporaryDirectory() as tmp:
        nt = Path(tmp) / "ontology.nt"
        graph.serialize(nt, format="nt", encoding="utf-8")
        onto = world.get_ontology(nt.as_uri()).load()
    return world, onto


def check_ontology(path: Path = ONTOLOGY_PATH) -> ReasoningReport:
    """Load the ontology in owlready2 and classify it with HermiT.

    Raises:
        OntologyError: no Java runtime, or owlready2 cannot load the file.
    """
    import owlready2

    if shutil.which("java") is None:
        raise OntologyError("HermiT needs a Java runtime: install default-jre-headless")
    try:
        world, onto = _load_world(path)
    except Exception as exc:  # owlready2 raises plain exceptions of many kinds
        raise OntologyError(f"owlready2 cannot load {path}: {exc}") from exc
    classes = len(list(world.classes()))
    properties = len(list(world.properties()))
    try:
        with onto:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError as exc:
        return ReasoningReport(False, (), classes, properties, str(exc))
    unsat = tuple(sorted(c.iri for c in world.inconsistent_classes()))
    return ReasoningReport(True, unsat, classes, properties)
