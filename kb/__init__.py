"""srkb: a source-reliability knowledge base.

Conflict news and the reader comments under it become RDF: who claims what, through
which source, in which document and character span, and how readers judge each source.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
