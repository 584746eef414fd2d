"""A knowledge base kept in any SPARQL 1.1 server, through the standard protocols.

Reads go to the server's query endpoint (SPARQL 1.1 Protocol), writes to its update
endpoint (SPARQL 1.1 Update): ``INSERT DATA``/``DELETE DATA``/``DROP GRAPH`` in one
request, which Oxigraph, Fuseki (TDB2), GraphDB and Neptune each run as one transaction,
so a text is still written whole or not at all. Answers are parsed into pyoxigraph's
objects (``parse_query_results``), streamed from the response, so the rest of srkb does not
know which backend it runs on.

What the server must do (docs/remote-store.md has the recipes per product):

* present the union of its named graphs as the default graph of a query without FROM
  (``oxigraph serve --union-default-graph``, Fuseki's ``tdb2:unionDefaultGraph``; GraphDB,
  Virtuoso and Neptune do it by default), as srkb's embedded store does;
* accept SPARQL 1.1 Update over HTTP (the update URL; the query URL when the server takes
  both on one endpoint).

Not offered: snapshots (a server in front of a remote store queries it directly) and a
canonical dump order (srkb sorts nothing in memory; a dump streams in the server's order).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox
import requests

from ..errors import StoreError
from .base import StoreBackend, Term

logger = logging.getLogger(__name__)

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
TIMEOUT_S = 600.0
_BATCH_QUADS = 500  # quads per INSERT DATA operation (Virtuoso compiles each to SQL, and
# refuses one past about 10,000 lines of it); all operations go in one request


def _nt(term: Any) -> str:
    """A term in N-Triples syntax (what INSERT DATA and pattern queries take)."""
    return str(term)


def insert_data(quads: Iterable[ox.Quad], verb: str = "INSERT") -> Iterator[str]:
    """``INSERT DATA`` (or DELETE DATA) operations for the quads, graph by graph."""
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        if isinstance(q.graph_name, ox.DefaultGraph):
            raise StoreError("srkb writes every quad into a named graph")
        by_graph.setdefault(_nt(q.graph_name), []).append(
            f"{_nt(q.subject)} {_nt(q.predicate)} {_nt(q.object)} ."
        )
    for graph, lines in by_graph.items():
        for i in range(0, len(lines), _BATCH_QUADS):
            block = "\n".join(lines[i : i + _BATCH_QUADS])
            yield f"{verb} DATA {{ GRAPH {graph} {{\n{block}\n}} }}"


class SparqlBackend(StoreBackend):
    """A remote SPARQL 1.1 server: ``query_url`` for reading, ``update_url`` for writing."""

    name = "sparql"
    ordered_dump = False

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        *,
        read_only: bool = False,
        graph_prefix: str = "",
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url
        self.read_only = read_only or update_url is None
        self.path: Path | None = None
        self.session = requests.Session()
        # srkb's graphs are all named under its base IRI; a server may hold others (its
        # own system graphs, other datasets): listing, counting and dumping skip those.
        self.graph_prefix = graph_prefix

    def _ours(self, var: str = "?g") -> str:
        if not self.graph_prefix:
            return ""
        return f"FILTER(STRSTARTS(STR({var}), {json.dumps(self.graph_prefix)}))"

    @classmethod
    def open(cls, path: Path, *, read_only: bool) -> SparqlBackend:
        """``path`` is the query endpoint URL (the registry passes locations as paths)."""
        return cls(str(path), None, read_only=True)

    @classmethod
    def temporary(cls) -> SparqlBackend:
        raise StoreError("a remote SPARQL store cannot be created as a temporary store")

    def describe(self) -> str:
        return f"SPARQL store at {self.query_url}"

    # --- HTTP ------------------------------------------------------------------------
    def _post(self, url: str, data: dict[str, str], accept: str, stream: bool) -> Any:
        try:
            resp = self.session.post(
                url, data=data, headers={"Accept": accept}, stream=stream, timeout=TIMEOUT_S
            )
        except requests.RequestException as exc:
            raise StoreError(f"the SPARQL store at {url} cannot be reached: {exc}") from exc
        if resp.status_code >= 400:
            detail = resp.text[:500].strip().replace("\n", " ")
            if resp.status_code == 400 and "update" not in data:
                raise SyntaxError(f"the SPARQL store refused the query: {detail}")
            raise StoreError(f"the SPARQL store at {url} answered {resp.status_code}: {detail}")
        return resp

    def _select(self, sparql: str) -> Iterator[ox.QuerySolution]:
        resp = self._post(self.query_url, {"query": sparql}, RESULTS_JSON, stream=True)
        resp.raw.decode_content = True
        solutions = ox.parse_query_results(resp.raw, format=ox.QueryResultsFormat.JSON)
        assert isinstance(solutions, ox.QuerySolutions)
        return iter(solutions)

    # --- reading ---------------------------------------------------------------------
    def query(self, sparql: str, **options: Any) -> Any:
        """Run a query remotely; its answer as pyoxigraph's result objects.

        ``base_iri`` becomes a BASE line; ``default_graph``/``named_graphs`` the protocol's
        dataset parameters. ``use_default_graph_as_union`` is the server's configuration
        (see the module docstring), so it needs nothing here.
        """
        data: dict[str, Any] = {"query": sparql}
        base = options.get("base_iri")
        if base:
            data["query"] = f"BASE <{base}>\n{sparql}"
        graphs = options.get("default_graph")
        if graphs is not None:
            data["default-graph-uri"] = [g.value for g in _as_list(graphs)]
            data["named-graph-uri"] = [g.value for g in options.get("named_graphs") or []]
        form = _form(sparql)
        if form in ("CONSTRUCT", "DESCRIBE"):
            resp = self._post(self.query_url, data, N_TRIPLES, stream=True)
            resp.raw.decode_content = True
            return (q.triple for q in ox.parse(resp.raw, format=ox.RdfFormat.N_TRIPLES))
        # JSON: every server writes it to the spec (Virtuoso's TSV header is not).
        resp = self._post(self.query_url, data, RESULTS_JSON, stream=True)
        resp.raw.decode_content = True
        return ox.parse_query_results(resp.raw, format=ox.QueryResultsFormat.JSON)

    def quads_for_pattern(
        self,
        subject: Term | None,
        predicate: ox.NamedNode | None,
        obj: Term | None,
        graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None,
    ) -> Iterator[ox.Quad]:
        if isinstance(graph, ox.DefaultGraph) or isinstance(subject, ox.Literal):
            return iter(())  # srkb keeps nothing in the default graph
        s = _nt(subject) if subject is not None else "?s"
        p = _nt(predicate) if predicate is not None else "?p"
        o = _nt(obj) if obj is not None else "?o"
        g = _nt(graph) if graph is not None else "?g"
        ours = self._ours() if graph is None else ""
        rows = self._select(f"SELECT * WHERE {{ GRAPH {g} {{ {s} {p} {o} }} {ours} }}")

        def quads() -> Iterator[ox.Quad]:
            for row in rows:
                yield ox.Quad(
                    subject if subject is not None else row["s"],
                    predicate if predicate is not None else row["p"],
                    obj if obj is not None else row["o"],
                    graph if graph is not None else row["g"],
                )

        return quads()

    def contains_named_graph(self, graph: ox.NamedNode) -> bool:
        return bool(self.query(f"ASK {{ GRAPH {_nt(graph)} {{ ?s ?p ?o }} }}"))

    def named_graphs(self) -> Iterator[ox.NamedNode | ox.BlankNode]:
        rows = self._select(
            f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._ours()} }}"
        )
        return (row["g"] for row in rows)

    def __len__(self) -> int:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._ours()} }}"
        (row,) = list(self._select(query))
        return int(row["n"].value)

    def dump_nquads(self, output: BinaryIO) -> None:
        query = f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._ours()} }}"
        for row in self._select(query):
            output.write(f"{row['s']} {row['p']} {row['o']} {row['g']} .\n".encode())

    # --- writing ---------------------------------------------------------------------
    def _check_writable(self) -> None:
        if self.read_only or self.update_url is None:
            raise StoreError(
                "this SPARQL store is read-only here: set SRKB_STORE_UPDATE to its update "
                "endpoint to write to it"
            )

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        self.update(" ;\n".join(insert_data(quads)))

    def update(self, sparql: str) -> None:
        self._check_writable()
        if not sparql.strip():
            return
        assert self.update_url is not None
        self._post(self.update_url, {"update": sparql}, "*/*", stream=False)

    def close(self) -> None:
        self.session.close()


def _as_list(graphs: Any) -> list[Any]:
    return list(graphs) if isinstance(graphs, list | tuple) else [graphs]


def _form(sparql: str) -> str:
    from ..sparql_guard import parse_query

    return parse_query(sparql).form
