"""An interactive HTML page of the graph (vis-network), fully offline.

The page is drawn from the read model (:mod:`kg.network.readmodel`): nodes are
sized by a centrality of :mod:`kg.analysis.measures` (the same measure that
``kg analyze`` reports under that name), and tooltips read the read model's
per-paper indexes. The page inlines vis-network from pyvis's own copy and
loads nothing from the network (a Content-Security-Policy forbids it).
Everything from the sources is data: node and edge lists go through Jinja's
``tojson`` (HTML-safe), tooltips are plain strings, which vis-network shows as
text, and the page's own markup is autoescaped, so a title holding
``<img onerror=...>`` is shown, never run.

Examples
--------
>>> from kg.records import AuthorRef, Record, SourceRef
>>> from kg.graph import KnowledgeGraph
>>> graph = KnowledgeGraph.from_records([Record(title="<b>T</b>", authors=(AuthorRef("Ann Lee"),),
...                                             source=SourceRef("p", 1, "x"))])
>>> page = render_page(graph, projection="full")
>>> "<b>T</b>" in page.html, page.shown, page.total
(False, 2, 2)
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.analysis.measures import CENTRALITIES, Centralities, require_centrality
from kg.errors import Note, UsageError, render
from kg.io.outputs import atomic_write, check_output
from kg.network.projections import projection as build_projection
from kg.network.projections import require_projection
from kg.network.readmodel import GraphData, filtered, load_graph_data

DEFAULT_MAX_NODES = 2000
# Above this many nodes the layout gets fewer stabilisation rounds so the page opens in seconds.
LARGE_PAGE = 1000
STYLE = {
    "paper": ("Paper", "#4c78a8", "square"),
    "author": ("Author", "#f58518", "dot"),
    "topic": ("Topic", "#54a24b", "diamond"),
    "org": ("Org", "#b279a2", "triangle"),
}
SIZE_MEASURES = CENTRALITIES
PAGE_FORMATS = {".html": "HTML", ".htm": "HTML"}
# How many authors and topics a paper's tooltip names.
TOOLTIP_NAMES = 8


@dataclass(frozen=True)
class Page:
    """A rendered page and what it shows.

    Attributes
    ----------
    html : str
        The whole page.
    shown, total, edges : int
        Nodes drawn, nodes in the view before the cap, edges drawn.
    notes : tuple of str
        What the page leaves out or estimates (:class:`kg.errors.Note` where one names an option).
    """

    html: str
    shown: int
    total: int
    edges: int
    notes: tuple[str, ...]


def check_page_output(path: str | os.PathLike[str]) -> str:
    """Check, before any work is done, that ``path`` can take the page (.html or .htm).

    Examples
    --------
    >>> check_page_output("graph.htm")
    'HTML'
    >>> check_page_output("graph.txt")
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: graph.txt: the page is written as .html or .htm, not .txt
    """
    return check_output(path, PAGE_FORMATS, "the page")


def _names(data: GraphData, nodes: tuple[str, ...]) -> str:
    names = ", ".join(data.label(n) for n in nodes[:TOOLTIP_NAMES])
    return names + (f" (+{len(nodes) - TOOLTIP_NAMES} more)" if len(nodes) > TOOLTIP_NAMES else "")


def _tooltip(data: GraphData, node: str, view: Any, kind: str) -> str:
    """Plain text (never HTML) shown on hover; a paper's authors and topics come from the read model's indexes."""
    lines = [data.label(node)]
    if kind == "paper":
        paper = data.papers.get(node)
        authors = data.authors_of.get(node, ())
        topics = data.topics_of.get(node, ())
        if paper is not None and paper.date:
            lines.append(f"Date: {paper.date}")
        if authors:
            lines.append("Authors: " + _names(data, authors))
        if topics:
            lines.append("Topics: " + ", ".join(data.label(t) for t in topics[:TOOLTIP_NAMES]))
        if paper is not None and paper.sources:
            lines.append("Source: " + "; ".join(paper.sources))
    else:
        code = data.code(node)
        if code:
            lines[0] += f" ({code})"
        lines.append(f"Connections: {view.degree(node)}")
    return "\n".join(lines)


def _focus(graph: Any, name: str, depth: int) -> tuple[Any, list]:
    import networkx as nx

    wanted = name.casefold()
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    exact = [n for n in graph if str(graph.nodes[n].get("label", "")).casefold() == wanted]
    centres = exact or [n for n in graph if wanted in str(graph.nodes[n].get("label", "")).casefold()]
    if not centres:
        raise UsageError(f"{{option}} {name!r}: no node has that name (or a label containing it)", option="focus")
    keep: set = set()
    for centre in centres:
        keep.update(nx.ego_graph(undirected, centre, radius=depth).nodes)
    return graph.subgraph(keep).copy(), centres


def render_page(
    graph: Any,
    *,
    projection: str = "full",
    max_nodes: int = DEFAULT_MAX_NODES,
    focus: str | None = None,
    depth: int = 1,
    since: int | None = None,
    size_by: str = "pagerank",
    title: str | None = None,
    option_names: Callable[[str], str] | None = None,
) -> Page:
    """The HTML page of a view of a :class:`kg.graph.KnowledgeGraph` (read once).

    Parameters
    ----------
    graph : kg.graph.KnowledgeGraph or path-like
        The graph, or the path of a graph file or a store folder; read once, after the options are checked.
    projection : str
        ``full`` (the typed graph) or one of the projections of :mod:`kg.network.projections`.
    max_nodes : int
        Draw at most this many nodes, the most central by ``size_by`` (0: all).
    focus : str, optional
        Only the neighbourhood of the nodes with this label (else those whose label contains it).
    depth : int
        Steps around ``focus``.
    since : int, optional
        Only papers from this year on.
    size_by : str
        The centrality that sizes the nodes, one of :data:`kg.analysis.measures.CENTRALITIES`.
    title : str, optional
        The page's heading.
    option_names : callable, optional
        How the page names an option its notes mention (``max_nodes``); the command line passes its flag
        names, so the page a ``kg viz`` user opens says ``--max-nodes``.

    Raises
    ------
    kg.errors.UsageError
        An unknown projection or measure, or a ``focus`` that names no node.
    """
    require_projection(projection)
    require_centrality(size_by, "size_by")
    return _render(
        filtered(load_graph_data(graph), since), projection, max_nodes, focus, depth, since, size_by, title,
        option_names,
    )  # fmt: skip


def _render(
    data: GraphData,
    projection: str,
    max_nodes: int,
    focus: str | None,
    depth: int,
    since: int | None,
    size_by: str,
    title: str | None,
    option_names: Callable[[str], str] | None = None,
) -> Page:
    view = build_projection(data, projection)
    notes: list[str] = []
    if since is not None:
        notes.append(f"papers from {since} on")
    if focus:
        view, centres = _focus(view, focus, depth)
        notes.append(f"within {depth} step(s) of {', '.join(sorted(data.label(c) for c in centres))}")
    total = view.number_of_nodes()
    measures = Centralities(view)
    centrality = measures[size_by]
    if max_nodes and total > max_nodes:
        keep = sorted(view, key=lambda n: (-centrality[n], str(n)))[:max_nodes]
        capped = view.subgraph(keep).copy()
        # Nodes cut off from everything kept (a topic whose papers fell below the cap) say nothing.
        capped.remove_nodes_from([n for n in capped if capped.degree(n) == 0 and view.degree(n) > 0])
        view = capped
        notes.append(
            Note(
                f"showing the {view.number_of_nodes():,} most central of {total:,} nodes "
                f"(by {size_by}; raise {{option}})",
                option="max_nodes",
            )
        )
    notes.extend(measures.approximations)
    values = [centrality[n] for n in view] or [0.0]
    low, high = min(values), max(values)
    nodes = []
    for node in sorted(view, key=str):
        kind = view.nodes[node].get("type", "other")
        _, color, shape = STYLE.get(kind, ("Other", "#999999", "dot"))
        scaled = (centrality[node] - low) / (high - low) if high > low else 0.5
        label = str(view.nodes[node].get("label", node))
        short = label if len(label) <= 48 else label[:47] + "…"
        nodes.append({"color": color, "title": _tooltip(data, node, view, kind), "size": round(8 + 30 * scaled, 2),
                      "kind": kind, "id": node, "label": short or node, "shape": shape})  # fmt: skip
    edges = []
    for source, target, attributes in sorted(view.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        weight = float(attributes.get("weight", 1.0) or 1.0)
        edge = {"from": source, "to": target, "width": round(min(1 + weight, 10), 2), "color": {"opacity": 0.45}}
        if attributes.get("papers"):
            edge["title"] = f"{int(weight)} shared paper(s): {attributes['papers']}"
        elif attributes.get("predicate"):
            edge["title"] = attributes["predicate"]
        edges.append(edge)
    counts = Counter(node["kind"] for node in nodes)
    legend = [{"type": kind, "name": STYLE[kind][0], "color": STYLE[kind][1], "count": counts[kind]}
              for kind in STYLE if counts[kind]]  # fmt: skip
    shown = len(nodes)
    shown_notes = [render(note, option_names) if option_names else str(note) for note in notes]
    summary = f"{shown:,} nodes, {len(edges):,} edges; {projection} view" + (
        f"; {'; '.join(shown_notes)}" if shown_notes else ""
    )
    html = _template().render(
        title=title or f"kg: {projection} graph",
        summary=summary,
        legend=legend,
        size_by=size_by,
        nodes=nodes,
        edges=edges,
        options=_options(shown, view.is_directed()),
    )
    return Page(html=html, shown=shown, total=total, edges=len(edges), notes=tuple(notes))


def _options(nodes: int, directed: bool) -> dict:
    iterations = 250 if nodes <= LARGE_PAGE else 80
    return {
        "physics": {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -6000, "springLength": 120, "springConstant": 0.02, "damping": 0.3},
            "stabilization": {"enabled": True, "iterations": iterations, "fit": True},
        },
        "layout": {"improvedLayout": nodes <= LARGE_PAGE},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": nodes > LARGE_PAGE},
        "edges": {"smooth": False, "arrows": {"to": {"enabled": directed, "scaleFactor": 0.4}}},
        "nodes": {"font": {"size": 12}},
    }


def _template() -> Any:
    """kg's page template; vis-network itself is read from pyvis's copy (pyvis is not imported)."""
    import importlib.util

    import jinja2

    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise UsageError("pages need pyvis (its copy of vis-network): pip install pyvis")
    pyvis_templates = Path(next(iter(spec.submodule_search_locations))) / "templates"
    folders = [str(Path(__file__).resolve().parents[1] / "templates"), str(pyvis_templates)]
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(folders), autoescape=True)
    return environment.get_template("graph.html")


def write_page(page: Page, path: str | os.PathLike[str]) -> None:
    """Write the page atomically to ``path`` (.html or .htm).

    Raises
    ------
    kg.errors.UsageError
        Another extension, or a folder that does not exist.
    """
    check_page_output(path)
    with atomic_write(path) as handle:
        handle.write(page.html.encode("utf-8"))


def save_page(graph: Any, path: str | os.PathLike[str], **options: Any) -> Page:
    """Render the page of ``graph`` and write it to ``path``; the path is checked before the graph is read.

    ``options`` are those of :func:`render_page`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from kg.graph import KnowledgeGraph
    >>> save_page(KnowledgeGraph(), pathlib.Path(tempfile.mkdtemp()) / "page.pdf")
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: ...page.pdf: the page is written as .html or .htm, not .pdf
    """
    check_page_output(path)
    page = render_page(graph, **options)
    write_page(page, path)
    return page
