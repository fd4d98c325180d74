"""The graph kg builds and queries: an Oxigraph store behind a small API.

Oxigraph parses, serializes and answers SPARQL 10-50 times faster than
rdflib's in-memory store (see MEASUREMENTS.md), so it holds the graph; the
rdflib API is one call away (:meth:`KnowledgeGraph.to_rdflib`) for users and
for SHACL validation.

Examples
--------
>>> from kg.records import Record, SourceRef
>>> graph = KnowledgeGraph.from_records([Record(title="Universal Transformers",
...                                             source=SourceRef("p.txt", 1, "hf-papers"))])
>>> graph.query("SELECT ?t WHERE { ?p kg:title ?t }").as_dicts()
[{'t': 'Universal Transformers'}]
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from kg.errors import InputError, UsageError
from kg.io.inputs import STDIN_NAME
from kg.io.outputs import atomic_write
from kg.namespace import DEFAULT_BASE, PREFIXES, compact_iri
from kg.rdf.formats import RdfFormat, oxigraph_format, rdf_format_for, sniff_rdf_format
from kg.records import Record

CITED_ONLY = "kg:Paper (cited only)"  # how counts name the papers known only from reference lists


def class_counts_of(classes: Mapping[str, int], cited_only: int) -> dict[str, int]:
    """Nodes per class (class IRI -> count), most first, classes shortened with the standard prefixes, and the
    papers known only from reference lists (see :meth:`KnowledgeGraph.class_counts`).

    Examples
    --------
    >>> class_counts_of({"https://w3id.org/kg/ontology#Author": 2, "https://w3id.org/kg/ontology#Paper": 3}, 1)
    {'kg:Paper': 3, 'kg:Author': 2, 'kg:Paper (cited only)': 1}
    """
    ordered = sorted(classes.items(), key=lambda item: (-item[1], item[0]))
    counts = {compact_iri(iri): count for iri, count in ordered}
    return {**counts, CITED_ONLY: cited_only} if cited_only else counts


def node_prefixes(base: str) -> dict[str, str]:
    """One prefix per kind of node kg mints under ``base`` (``paper:``, ``author:`` ...).

    Examples
    --------
    >>> node_prefixes("https://example.org/")["author"]
    'https://example.org/author/'
    """
    prefixes = {kind: f"{base}{kind}/" for kind in ("paper", "author", "topic", "source")}
    prefixes["organisation"] = f"{base}org/"
    return prefixes


def output_prefixes(base: str) -> dict[str, str]:
    """Prefixes written into Turtle and TriG: the standard ones and one per node kind under ``base``."""
    prefixes = {name: iri for name, iri in PREFIXES.items() if name not in ("sh", "owl")}
    return {**prefixes, **node_prefixes(base)}


def query_prefixes(base: str) -> dict[str, str]:
    """The prefixes a query may use undeclared, and that kg prints results with: the standard ones and the nodes'.

    Examples
    --------
    >>> prefixes = query_prefixes("https://example.org/")
    >>> prefixes["paper"], prefixes["kg"]
    ('https://example.org/paper/', 'https://w3id.org/kg/ontology#')
    """
    return {**PREFIXES, **node_prefixes(base)}


class KnowledgeGraph:
    """An RDF dataset of papers, authors, topics and orgs (one named graph per source).

    Parameters
    ----------
    store : pyoxigraph.Store, optional
        The store to wrap; a new in-memory one by default.
    base : str
        The base IRI its nodes were minted under (used for output prefixes).
    """

    def __init__(self, store: Any = None, base: str = DEFAULT_BASE) -> None:
        import pyoxigraph

        self.store = store if store is not None else pyoxigraph.Store()
        self.base = base
        # Where views may keep what they read of this graph (kg.store.ViewCache): a store's generation only.
        self.views: Any = None
        # The folder of an on-disk database (a store's), which other processes may open read-only; else None.
        self.database_path: str | None = None
        # A store's sources in the generation this graph holds (kg.store.SourceEntry each); else None.
        self.store_sources: list[Any] | None = None

    @classmethod
    def from_quads(cls, quads: Iterable[Any], base: str = DEFAULT_BASE) -> KnowledgeGraph:
        graph = cls(base=base)
        graph.store.bulk_extend(quads)
        return graph

    @classmethod
    def from_nquads(cls, lines: Iterable[str], base: str = DEFAULT_BASE) -> KnowledgeGraph:
        """A graph from N-Quads lines, bulk-loaded (the fast path of a build)."""
        import pyoxigraph

        graph = cls(base=base)
        data = "\n".join(lines).encode("utf-8")
        if data:
            graph.store.bulk_load(data, format=pyoxigraph.RdfFormat.N_QUADS)
        return graph

    @classmethod
    def from_records(cls, records: Sequence[Record], base: str = DEFAULT_BASE) -> KnowledgeGraph:
        """Build the graph of ``records``, without topics from text (see :func:`kg.pipeline.build` for a full build)."""
        from kg.rdf.writer import load_statements
        from kg.resolve import resolve

        graph = cls(base=base)
        load_statements(graph.store, resolve(records), base)
        return graph

    @classmethod
    def load(cls, path: str | os.PathLike[str], base: str = DEFAULT_BASE) -> KnowledgeGraph:
        """Read an RDF file; the format follows the extension.

        Raises
        ------
        kg.errors.InputError
            The file is missing or is not valid RDF in that format.
        """

        name = str(path)
        if not Path(path).is_file():
            raise InputError(name, "no such file" if not Path(path).exists() else "not a regular file")
        rdf_format = rdf_format_for(path)
        return cls._bulk_load(Path(path), rdf_format, name, base)

    @classmethod
    def read_stdin(cls, base: str = DEFAULT_BASE) -> KnowledgeGraph:
        """Read RDF from standard input, its format told from its first bytes (:func:`kg.rdf.formats.sniff_rdf_format`).

        Raises
        ------
        kg.errors.InputError
            Nothing came, or it is not valid RDF in the format it looks like.
        """
        import tempfile

        data = sys.stdin.buffer.read()
        if not data.strip():
            raise InputError(STDIN_NAME, "no RDF on standard input")
        rdf_format = sniff_rdf_format(data)
        with tempfile.TemporaryDirectory(prefix="kg-stdin-") as folder:
            path = Path(folder) / f"graph{rdf_format.extensions[0]}"
            path.write_bytes(data)
            return cls._bulk_load(path, rdf_format, STDIN_NAME, base)

    @classmethod
    def _bulk_load(cls, path: Path, rdf_format: RdfFormat, name: str, base: str) -> KnowledgeGraph:
        if rdf_format.name == "RDF/XML":
            _refuse_entity_bombs(path, name)
        graph = cls(base=base)
        try:
            graph.store.bulk_load(path=str(path), format=oxigraph_format(rdf_format))
        except SyntaxError as error:
            # A temporary file (standard input) is called by the name the user gave.
            reason = str(error).splitlines()[0].replace(str(path), name).replace(f"({path.name},", f"({name},")
            raise InputError(name, f"not valid {rdf_format.name}: {reason}") from None
        except (OSError, ValueError) as error:
            reason = str(error).replace(str(path), name)
            raise InputError(name, f"cannot be read as {rdf_format.name}: {reason}") from None
        return graph

    def __len__(self) -> int:
        return len(self.store)

    def graph_names(self) -> list[Any]:
        """The default graph, then every named graph in IRI order."""
        import pyoxigraph

        return [pyoxigraph.DefaultGraph(), *sorted(self.store.named_graphs(), key=str)]

    def _graph_lines(self, graph_name: Any) -> list[str]:
        import pyoxigraph

        data = self.store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=graph_name)
        # split("\n"), not splitlines(): U+2028 or U+0085 inside a literal is not a line break.
        return sorted({line for line in data.decode("utf-8").split("\n") if line})

    def canonical_nquads(self) -> bytes:
        """Every quad as N-Quads, graph by graph (default first), lines sorted: the written order."""
        import pyoxigraph

        out: list[str] = []
        for graph_name in self.graph_names():
            lines = self._graph_lines(graph_name)
            if isinstance(graph_name, pyoxigraph.DefaultGraph):
                out.extend(lines)
            else:
                out.extend(f"{line[:-2]} {graph_name} ." for line in lines)
        return ("\n".join(out) + "\n" if out else "").encode("utf-8")

    def canonical_ntriples(self) -> bytes:
        """The union of all graphs as N-Triples, each triple once, lines sorted."""
        union: set[str] = set()
        for graph_name in self.graph_names():
            union.update(self._graph_lines(graph_name))
        return ("\n".join(sorted(union)) + "\n" if union else "").encode("utf-8")

    def sorted_quads(self) -> list[Any]:
        """Every quad as pyoxigraph Quads, in the order files are written in."""
        import pyoxigraph

        return list(pyoxigraph.parse(self.canonical_nquads(), format=pyoxigraph.RdfFormat.N_QUADS))

    def serialize(self, rdf_format: RdfFormat) -> bytes:
        """The graph in ``rdf_format`` (see :meth:`write`)."""
        buffer = io.BytesIO()
        self.write(buffer, rdf_format)
        return buffer.getvalue()

    def write(self, output: BinaryIO, rdf_format: RdfFormat) -> None:
        """Stream the graph to ``output`` in ``rdf_format``, by Oxigraph, never whole in memory.

        Dataset formats keep the named graphs; triple formats get their union,
        each triple once. The order is the store's own: the same content
        loaded in the same order (every build of the same inputs) gives the
        same bytes. :meth:`canonical_nquads` is the sorted form, for comparing.
        """
        import pyoxigraph

        prefixes = output_prefixes(self.base) if rdf_format.name in ("Turtle", "TriG") else None
        if rdf_format.dataset:
            self.store.dump(output, format=oxigraph_format(rdf_format), prefixes=prefixes)
            return
        union = self.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
        pyoxigraph.serialize(union, output, format=oxigraph_format(rdf_format), prefixes=prefixes)

    def save(self, path: str | os.PathLike[str]) -> RdfFormat:
        """Write the graph to ``path`` (format from the extension), atomically."""
        rdf_format = rdf_format_for(path)
        with atomic_write(path) as handle:
            self.write(handle, rdf_format)
        return rdf_format

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None):
        """Run SPARQL over the union of all graphs; see :func:`kg.query.run_query`."""
        from kg.query import run_query

        return run_query(self.store, sparql, bindings)

    def class_counts(self) -> dict[str, int]:
        """Nodes per class, classes shortened with the standard prefixes (cheaper than :meth:`stats`)."""
        from kg.queries import load_query

        rows = self.query(load_query("classes")).as_dicts()
        return class_counts_of({str(row["class"]): row["count"] for row in rows}, self._cited_only())

    def _cited_only(self) -> int:
        """How many papers no source describes: known from reference lists only (``kg:citedOnly``)."""
        return int(self.query("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p kg:citedOnly true }").rows[0][0].value)

    def stats(self) -> dict[str, list[tuple[str, int]]]:
        """Node counts per class and statement counts per node-to-node predicate.

        Predicates and classes are shortened with the standard prefixes. Papers known only from
        reference lists are counted among the papers and once more on a line of their own.
        """
        from kg.queries import load_query

        classes = [(compact_iri(r["class"]), r["count"]) for r in self.query(load_query("classes")).as_dicts()]
        cited_only = self._cited_only()
        if cited_only:
            at = next((i + 1 for i, (name, _) in enumerate(classes) if name == "kg:Paper"), len(classes))
            classes.insert(at, (CITED_ONLY, cited_only))
        edges = [(compact_iri(r["predicate"]), r["count"]) for r in self.query(load_query("edges")).as_dicts()]
        graphs = sum(1 for _ in self.store.named_graphs())
        return {"classes": classes, "edges": edges, "totals": [("quads", len(self)), ("named graphs", graphs)]}

    def to_rdflib(self, backend: str = "memory"):
        """The same data as an ``rdflib.Dataset`` (named graphs kept; queries see their union).

        ``backend="memory"`` is rdflib's own store: slow on large graphs, use
        it for rdflib-based tools, not bulk queries. ``backend="oxigraph"``
        keeps the rdflib API on an Oxigraph store (the ``oxrdflib`` package,
        ``pip install 'kg[rdflib-store]'``), loaded and queried by Oxigraph.

        Raises
        ------
        kg.errors.UsageError
            An unknown backend, or oxrdflib is not installed.
        """
        import rdflib

        if backend == "oxigraph":
            try:
                import oxrdflib  # noqa: F401  (registers the "Oxigraph" store and "ox-*" formats)
            except ImportError:
                raise UsageError("the oxigraph rdflib backend needs oxrdflib: pip install 'kg[rdflib-store]'") from None
            dataset = rdflib.Dataset(store="Oxigraph", default_union=True)
            # Oxigraph's own parser: rdflib's would build a Python object per statement.
            import pyoxigraph

            dataset.parse(data=self.store.dump(format=pyoxigraph.RdfFormat.N_QUADS), format="ox-nquads")
        elif backend == "memory":
            dataset = rdflib.Dataset(default_union=True)
            dataset.parse(data=self.canonical_nquads(), format="nquads")
        else:
            raise UsageError(f"unknown rdflib backend {backend!r} (memory or oxigraph)")
        for name, iri in PREFIXES.items():
            dataset.bind(name, iri)
        return dataset

    def union_rdflib_graph(self):
        """All statements in one ``rdflib.Graph`` (named graphs merged)."""
        import rdflib

        graph = rdflib.Graph()
        data = self.serialize(rdf_format_for("x.nt"))
        graph.parse(data=data, format="nt")
        for name, iri in PREFIXES.items():
            graph.bind(name, iri)
        return graph


# What an RDF/XML file's internal entities may expand to, at most (bytes), before it is refused.
MAX_ENTITY_EXPANSION = 50_000_000
_ENTITY_RE = re.compile(rb"""<!ENTITY\s+(%\s+)?([\w.:-]+)\s+(?:"([^"]*)"|'([^']*)'|(SYSTEM|PUBLIC)\b)""")


def _refuse_entity_bombs(path: Path, shown: str | None = None) -> None:
    """Refuse an RDF/XML file whose DTD could expand without bound (entities within entities, or a
    large entity used very often) or reach outside the file (external and parameter entities).

    Entities that name namespaces, as Protégé writes them (``<!ENTITY owl "http://...#">``), pass.

    Examples
    --------
    >>> import tempfile
    >>> bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "xx"><!ENTITY b "&a;&a;">]><r>&b;</r>'
    >>> with tempfile.NamedTemporaryFile(suffix=".rdf") as f:
    ...     _ = f.write(bomb); f.flush()
    ...     _refuse_entity_bombs(Path(f.name))
    Traceback (most recent call last):
    ...
    kg.errors.InputError: ...: an entity defined from other entities could expand without bound; refused
    """
    who = shown or str(path)
    with path.open("rb") as handle:
        head = handle.read(1_000_000)
    if b"<!ENTITY" not in head and b"<!entity" not in head.lower():
        return
    data = path.read_bytes()
    total = 0
    for match in _ENTITY_RE.finditer(data):
        parameter, name, value = match.group(1), match.group(2), match.group(3) or match.group(4)
        if parameter or match.group(5) or value is None:
            raise InputError(who, "an external or parameter entity in its DTD could read other files; refused")
        if b"&" in value or b"%" in value:
            raise InputError(who, "an entity defined from other entities could expand without bound; refused")
        total += len(value) * data.count(b"&" + name + b";")
        if total > MAX_ENTITY_EXPANSION:
            raise InputError(who, "its entities would expand past 50 MB; refused")
