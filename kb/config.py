"""Settings: every knob srkb has, with its default and help, read from SRKB_* variables.

One frozen dataclass instead of module globals, so that the CLI, the server and the
tests each build the settings they need and pass them down.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

DEFAULT_DATA_DIR = Path("srkb-data")
DEFAULT_BASE_IRI = "http://127.0.0.1:8000/"


def _setting(default: Any, help: str) -> Any:  # noqa: A002 - "help" mirrors click
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """Configuration shared by the CLI, the store and the server."""

    data_dir: Path = _setting(DEFAULT_DATA_DIR, "Directory of the embedded store (SRKB_DATA).")
    store: str = _setting(
        "",
        "Query endpoint URL of a SPARQL 1.1 server holding the knowledge base (empty: the "
        "embedded store under the data directory, which then keeps only derived indexes).",
    )
    store_update: str = _setting(
        "", "Update endpoint URL of that SPARQL server (empty: the store is read-only)."
    )
    base_iri: str = _setting(
        DEFAULT_BASE_IRI,
        "Base of every minted IRI; set it to where srkb is served so IRIs dereference.",
    )
    query_timeout_s: float = _setting(10.0, "Wall-clock limit of one SPARQL query, in seconds.")
    max_rows: int = _setting(10_000, "Most result rows (or triples) one SPARQL response carries.")
    max_request_bytes: int = _setting(1_000_000, "Largest SPARQL request body accepted.")
    union_default_graph: bool = _setting(
        True,
        "Queries without GRAPH see the union of all named graphs (false: the empty default graph).",
    )
    service_allowlist: str = _setting(
        "", "Comma-separated SERVICE targets (IRI prefixes or host names) queries may reach."
    )
    query_processes: int = _setting(
        4,
        "Query processes per server worker (killable, for the time limit); as many as the "
        "requests it runs at once (SRKB_ACTIVE_REQUESTS) so that none waits for one; 0 "
        "evaluates in the worker itself, without a time limit.",
    )
    active_requests: int = _setting(
        4,
        "Requests one server worker runs at once; the others wait, quickest-expected first "
        "(server.admission), at most SRKB_QUERY_TIMEOUT_S; 0 runs every request at once.",
    )
    max_input_bytes: int = _setting(
        10_000_000, "Largest input text (bytes) ingest and extract accept; larger is refused."
    )
    max_input_lines: int = _setting(
        20_000,
        "Most lines (paragraphs and comments) one input text may have; more is refused.",
    )
    query_memory_mb: int = _setting(
        1024,
        "Most resident memory (MB) one query process may reach; a query that needs more is "
        "stopped with a 503 (E409) and the server keeps answering.",
    )
    release_poll_s: float = _setting(
        1.0,
        "How often `srkb serve` looks for a newer published release (seconds); it switches "
        "to it without a restart.",
    )
    cors_origins: str = _setting(
        "", "Origins allowed to read responses from scripts (CORS): comma-separated, or *."
    )
    access_log: bool = _setting(
        True, "Log one JSON line per request on stderr (under `srkb serve`)."
    )

    @property
    def service_targets(self) -> tuple[str, ...]:
        return tuple(t.strip() for t in self.service_allowlist.split(",") if t.strip())

    @property
    def cors_allowed(self) -> tuple[str, ...]:
        return tuple(o.strip().rstrip("/") for o in self.cors_origins.split(",") if o.strip())

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from SRKB_* environment variables, then explicit overrides.

        SRKB_DATA names the data directory (the short form the README uses); every other
        field is SRKB_<FIELD NAME IN CAPITALS>.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            key = "SRKB_DATA" if f.name == "data_dir" else f"SRKB_{f.name.upper()}"
            if key in env and env[key] != "":
                values[f.name] = _coerce(f.type, env[key])
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        return settings.normalised()

    def normalised(self) -> Settings:
        """Return a copy with a Path data_dir and a base IRI ending in '/'."""
        base = self.base_iri if self.base_iri.endswith(("/", "#")) else self.base_iri + "/"
        return replace(self, data_dir=Path(self.data_dir), base_iri=base)


def _coerce(type_name: Any, raw: str) -> Any:
    name = type_name if isinstance(type_name, str) else getattr(type_name, "__name__", "str")
    if name == "Path":
        return Path(raw)
    if name == "float":
        return float(raw)
    if name == "int":
        return int(raw)
    if name == "bool":
        return raw.strip().lower() in ("1", "true", "yes", "on")
    return raw
