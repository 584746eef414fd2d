"""Store backends chosen by name, as rdflib chooses its store plugins.

The embedded Oxigraph store is built in under ``"oxigraph"``. Another backend (a remote
SPARQL store, say) registers itself either by calling ``register_backend`` or, from
another installed package, through the ``srkb.store_backends`` entry point group::

    [project.entry-points."srkb.store_backends"]
    remote = "mypackage.store:RemoteBackend"

``SRKB_STORE_BACKEND`` (Settings.store_backend) picks the one srkb opens.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path
from typing import Protocol

from ..errors import StoreError
from .base import StoreBackend

ENTRY_POINT_GROUP = "srkb.store_backends"
DEFAULT_BACKEND = "oxigraph"


class BackendFactory(Protocol):
    """How a backend is opened: on a location (a directory, or a URL for remote ones)."""

    def open(self, path: Path, *, read_only: bool) -> StoreBackend: ...

    def temporary(self) -> StoreBackend: ...


_BACKENDS: dict[str, BackendFactory] = {}


def register_backend(name: str, factory: BackendFactory) -> None:
    """Make a backend available under ``name`` (replacing one of that name)."""
    _BACKENDS[name] = factory


def _builtin() -> None:
    if DEFAULT_BACKEND not in _BACKENDS:
        from .oxigraph import OxigraphBackend

        register_backend(DEFAULT_BACKEND, OxigraphBackend)


def backend_names() -> list[str]:
    """Every backend that can be chosen: built in, registered, or from entry points."""
    _builtin()
    names = set(_BACKENDS) | {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}
    return sorted(names)


def get_backend(name: str) -> BackendFactory:
    """The backend registered as ``name``, or StoreError naming the known ones."""
    _builtin()
    if name not in _BACKENDS:
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            if ep.name == name:
                register_backend(name, ep.load())
                break
    try:
        return _BACKENDS[name]
    except KeyError:
        known = ", ".join(backend_names())
        raise StoreError(f"no store backend called {name!r}; known backends: {known}") from None
