"""Views of the graph as files for other tools: GraphML and GEXF (Gephi, Cytoscape, NetworkX), VOSviewer JSON
and Pajek ``.net`` (VOSviewer, Pajek; see :mod:`kg.export.maps`).

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

from kg.errors import UsageError
from kg.io.memory import collector_paused
from kg.io.outputs import STDOUT, atomic_write, check_output
from kg.network.projections import projection as build_projection
from kg.network.projections import require_projection
from kg.network.readmodel import filtered, load_graph_data
from kg.text import sanitize_text

GRAPH_FORMATS = {".graphml": "GraphML", ".gexf": "GEXF", ".json": "VOSviewer", ".net": "Pajek"}


@dataclass(frozen=True)
class ExportedGraph:
    """What :func:`export_graph` wrote: the format, the view and its size."""

    format: str
    projection: str
    nodes: int
    edges: int


def check_graph_output(path: str | os.PathLike[str], graph_format: str | None = None) -> str:
    """The format (``GraphML``, ``GEXF``, ``VOSviewer`` or ``Pajek``) of the export to ``path``, checked first.

    ``path`` ``-`` is standard output, in ``graph_format`` (``graphml``, the default, ``gexf``,
    ``vosviewer`` or ``pajek``); a file's format is its extension's (:data:`GRAPH_FORMATS`),
    which ``graph_format``, if given, must agree with.

    Examples
    --------
    >>> check_graph_output("g.GraphML"), check_graph_output("-", "gexf"), check_graph_output("map.json")
    ('GraphML', 'GEXF', 'VOSviewer')
    >>> check_graph_output("g.csv")
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: g.csv: the export is written as .graphml, .gexf, .json or .net, not .csv
    >>> check_graph_output("map.net", "vosviewer")
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: map.net: the extension says Pajek, graph_format says vosviewer
    """
    by_name = {name.lower(): name for name in GRAPH_FORMATS.values()}
    if graph_format is not None and graph_format.lower() not in by_name:
        raise UsageError(f"{{option}} {graph_format!r}: known formats are {', '.join(by_name)}", option="graph_format")
    if str(path) == STDOUT:
        return by_name[(graph_format or "graphml").lower()]
    name = check_output(path, GRAPH_FORMATS, "the export")
    if graph_format is not None and by_name[graph_format.lower()] != name:
        raise UsageError(f"{path}: the extension says {name}, {{option}} says {graph_format}", option="graph_format")
    return name


def _xml_safe(graph: Any) -> Any:
    """A copy whose string attributes hold only characters XML 1.0 allows (control characters dropped)."""

    def clean(attributes: dict) -> dict:
        return {k: sanitize_text(v) if isinstance(v, str) else v for k, v in attributes.items()}

    safe = graph.__class__()
    safe.add_nodes_from((node, clean(data)) for node, data in graph.nodes(data=True))
    safe.add_edges_from((a, b, clean(data)) for a, b, data in graph.edges(data=True))
    return safe


def _render(graph: Any, name: str, data: Any = None, projection: str | None = None) -> bytes:
    """The bytes of ``graph`` in the format ``name`` (a value of :data:`GRAPH_FORMATS`)."""
    import io

    import networkx as nx

    from kg.export.maps import pajek_text, vosviewer_json

    if name == "VOSviewer":
        return vosviewer_json(graph, data, projection)
    if name == "Pajek":
        return pajek_text(graph).encode("utf-8")
    writer = nx.write_graphml if name == "GraphML" else nx.write_gexf
    buffer = io.BytesIO()
    writer(_xml_safe(graph), buffer)
    return buffer.getvalue()


def write_graph(
    graph: Any,
    path: str | os.PathLike[str],
    graph_format: str | None = None,
    data: Any = None,
    projection: str | None = None,
) -> str:
    """Write a NetworkX ``graph`` as GraphML, GEXF, VOSviewer JSON or Pajek, atomically; returns the format name.

    The format is ``path``'s extension's (``.graphml``, ``.gexf``, ``.json``, ``.net``); ``path`` ``-``
    writes to standard output (see :func:`check_graph_output`). ``data`` (the
    :class:`kg.network.readmodel.GraphData` the view was made of) and ``projection`` (its name) add
    papers, years and names to a VOSviewer map (:func:`kg.export.maps.vosviewer_map`); other formats
    ignore them.

    Raises
    ------
    kg.errors.UsageError
        Another extension, or a folder that does not exist.
    """
    import sys

    name = check_graph_output(path, graph_format)
    payload = _render(graph, name, data, projection)
    if str(path) == STDOUT:
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
        return name
    with atomic_write(path) as handle:
        handle.write(payload)
    return name


def export_graph(
    graph: Any,
    path: str | os.PathLike[str],
    projection: str = "full",
    since: int | None = None,
    graph_format: str | None = None,
) -> ExportedGraph:
    """Write a view of ``graph`` (a :class:`kg.graph.KnowledgeGraph`) as GraphML, GEXF, VOSviewer JSON or Pajek.

    Parameters
    ----------
    graph : kg.graph.KnowledgeGraph or path-like
        The graph, or the path of a graph file or a store folder; read once, after the options are checked.
    path : path-like
        ``.graphml``, ``.gexf``, ``.json`` (VOSviewer) or ``.net`` (Pajek), or ``-`` for standard output;
        checked before the graph is read.
    projection : str
        ``full`` (the typed graph) or one of the projections of :mod:`kg.network.projections`.
    since : int, optional
        Only papers from this year on.
    graph_format : str, optional
        ``graphml``, ``gexf``, ``vosviewer`` or ``pajek``: the format on standard output (GraphML by default).

    Raises
    ------
    kg.errors.UsageError
        An unknown projection or an output that cannot be written.
    """
    require_projection(projection)
    check_graph_output(path, graph_format)
    with collector_paused():  # millions of small objects that form no cycles (kg.io.memory)
        data = filtered(load_graph_data(graph), since)
        view = build_projection(data, projection)
        name = write_graph(view, path, graph_format, data=data, projection=projection)
    return ExportedGraph(name, projection, view.number_of_nodes(), view.number_of_edges())
