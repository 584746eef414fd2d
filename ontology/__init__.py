"""Paths of the ontology data files shipped with srkb (the Turtle files are the source of truth)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

_HERE = Path(str(files(__name__)))

ONTOLOGY_PATH = _HERE / "srkb.ttl"
GAZETTEER_PATH = _HERE / "gazetteer.ttl"
SHAPES_PATH = _HERE / "shapes.ttl"

ONTOLOGY_IRI = "https://w3id.org/srkb/ontology"
NAMESPACE = "https://w3id.org/srkb/ontology#"

__all__ = ["GAZETTEER_PATH", "NAMESPACE", "ONTOLOGY_IRI", "ONTOLOGY_PATH", "SHAPES_PATH"]
