"""The extractor's version: the release number plus a fingerprint of what decides its output.

Two runs with the same version produce the same triples, so a text already ingested by
this version is skipped; any change to the extraction code, its patterns or the
gazetteer changes the fingerprint, and the text is extracted again on the next ingest.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from ontology import GAZETTEER_PATH, ONTOLOGY_PATH

from . import __version__

_KB_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """SHA-256 (first 8 hex digits) over the extraction code, patterns and gazetteer."""
    digest = hashlib.sha256()
    files = sorted((_KB_DIR / "extract").rglob("*.py")) + sorted(
        (_KB_DIR / "extract" / "patterns").glob("*.jsonl")
    )
    files += [_KB_DIR / "build.py", GAZETTEER_PATH, ONTOLOGY_PATH]
    for path in files:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


@lru_cache(maxsize=1)
def software_version() -> str:
    """PEP 440 local version: "0.1.0+a1b2c3d4"."""
    return f"{__version__}+{extractor_fingerprint()}"
