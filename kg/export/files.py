"""Views of the graph as files for other tools: GraphML and GEXF (Gephi, Cytoscape, NetworkX).

Examples
--------
>>> import pathlib, tempfile
>>> from kg.records import AuthorRef, Record, SourceRef
>>> from kg.graph import KnowledgeGraph
>>> graph = KnowledgeGraph.from_records([Record(title="T", authors=(AuthorRef("Ann Lee"), AuthorRef("Bo Chen")),
...                                             source=SourceRef("p.txt", 1, "x"))])
>>> path = pathlib.Path(tempfile.mkdtemp()) / "coauthors.gexf"
>>> export_graph(graph, path, projection="coauthor")
ExportedGraph(format='GEXF', projection='coauthor', nodes=2, edges=1)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from kg.io.outputs import atomic_write, check_output
from kg.network.projections import projection as build_projection
from kg.network.projections import require_projection
from kg.network.readmodel import filtered, load_graph_data
from kg.text import sanitize_text

GRAPH_FORMATS = {".graphml": "GraphML", ".gexf": "GEXF"}


@dataclass(frozen=True)
class ExportedGraph:
    """What :func:`export_graph` wrote: the format, the view and its size."""

    format: str
    projection: str
    nodes: int
    edges: int


def check_graph_output(path: str | os.PathLike[str]) -> str:
    """The format (``GraphML`` or ``GEXF``) that ``path`` names, checked before any work is done.

    Examples
    --------
    >>> check_graph_output("g.GraphML")
    'GraphML'
    >>> check_graph_output("g.csv")
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: g.csv: the export is written as .graphml or .gexf, not .csv
    """
    return check_output(path, GRAPH_FORMATS, "the export")


def _xml_safe(graph: Any) -> Any:
    """A copy whose string attributes hold only characters XML 1.0 allows (control characters dropped)."""

    def clean(attributes: dict) -> dict:
        return {k: sanitize_text(v) if isinstance(v, str) else v for k, v in attributes.items()}

    safe = graph.__class__()
    safe.add_nodes_from((node, clean(data)) for node, data in graph.nodes(data=True))
    safe.add_edges_from((a, b, clean(data)) for a, b, data in graph.edges(data=True))
    return safe


def write_graph(graph: Any, path: str | os.PathLike[str]) -> str:
    """Write a NetworkX ``graph`` as GraphML (.graphml) or GEXF (.gexf), atomically; returns the format name.

    Raises
    ------
    kg.errors.UsageError
        Another extension, or a folder that does not exist.
    """
    import io

    import networkx as nx

    name = check_graph_output(path)
    writer = nx.write_graphml if name == "GraphML" else nx.write_gexf
    buffer = io.BytesIO()
    writer(_xml_safe(graph), buffer)
    with atomic_write(path) as handle:
        handle.write(buffer.getvalue())
    return name


def export_graph(
    graph: Any, path: str | os.PathLike[str], projection: str = "full", since: int | None = None
) -> ExportedGraph:
    """Write a view of ``graph`` (a :class:`kg.graph.KnowledgeGraph`) as GraphML or GEXF, by ``path``'s extension.

    Parameters
    ----------
    graph : kg.graph.KnowledgeGraph or path-like
        The graph, or the path of a graph file or a store folder; read once, after the options are checked.
    path : path-like
        ``.graphml`` or ``.gexf``; checked before the graph is read.
    projection : str
        ``full`` (the typed graph) or one of the projections of :mod:`kg.network.projections`.
    since : int, optional
        Only papers from this year on.

    Raises
    ------
    kg.errors.UsageError
        An unknown projection or an output that cannot be written.
    """
    require_projection(projection)
    check_graph_output(path)
    view = build_projection(filtered(load_graph_data(graph), since), projection)
    name = write_graph(view, path)
    return ExportedGraph(name, projection, view.number_of_nodes(), view.number_of_edges())
