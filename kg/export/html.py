"""An interactive HTML page of the graph (pyvis / vis-network), fully offline.

The page inlines vis-network from pyvis's own copy and loads nothing from
the network (a Content-Security-Policy forbids it). Everything from the
sources is data: node and edge lists go through Jinja's ``tojson`` (HTML-safe),
tooltips are plain strings, which vis-network shows as text, and the page's
own markup is autoescaped, so a title holding ``<img onerror=...>`` is shown,
never run.

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

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kg.errors import UsageError
from kg.io.outputs import atomic_write
from kg.network.projections import PROJECTIONS, filtered, load_graph_data
from kg.network.projections import projection as build_projection

DEFAULT_MAX_NODES = 2000
# Above this many nodes the layout gets fewer stabilisation rounds so the page opens in seconds.
LARGE_PAGE = 1000
STYLE = {
    "paper": ("Paper", "#4c78a8", "square"),
    "author": ("Author", "#f58518", "dot"),
    "topic": ("Topic", "#54a24b", "diamond"),
    "org": ("Org", "#b279a2", "triangle"),
}
SIZE_MEASURES = ("pagerank", "degree", "betweenness")


@dataclass(frozen=True)
class Page:
    """A rendered page and what it shows."""

    html: str
    shown: int
    total: int
    edges: int
    notes: tuple[str, ...]


def _tooltip(data, node: str, graph, kind: str) -> str:
    """Plain text (never HTML) shown on hover."""
    lines = [data.label(node)]
    if kind == "paper":
        info = data.papers.get(node, {})
        authors = [data.label(a) for a, p in data.authored if p == node]
        topics = [data.label(t) for p, t in data.cites if p == node]
        if info.get("date"):
            lines.append(f"Date: {info['date']}")
        if authors:
            lines.append(
                "Authors: " + ", ".join(authors[:8]) + (f" (+{len(authors) - 8} more)" if len(authors) > 8 else "")
            )
        if topics:
            lines.append("Topics: " + ", ".join(topics[:8]))
        if info.get("sources"):
            lines.append("Source: " + "; ".join(info["sources"]))
    else:
        code = data.labels.get(node, (None, None, None))[2]
        if code:
            lines[0] += f" ({code})"
        lines.append(f"Connections: {graph.degree(node)}")
    return "\n".join(lines)


def _focus(graph, name: str, depth: int):
    import networkx as nx

    wanted = name.casefold()
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    exact = [n for n in graph if str(graph.nodes[n].get("label", "")).casefold() == wanted]
    centres = exact or [n for n in graph if wanted in str(graph.nodes[n].get("label", "")).casefold()]
    if not centres:
        raise UsageError(f"--focus {name!r}: no node has that name (or a label containing it)")
    keep: set = set()
    for centre in centres:
        keep.update(nx.ego_graph(undirected, centre, radius=depth).nodes)
    return graph.subgraph(keep).copy(), centres


def render_page(
    graph,
    *,
    projection: str = "full",
    max_nodes: int = DEFAULT_MAX_NODES,
    focus: str | None = None,
    depth: int = 1,
    since: int | None = None,
    size_by: str = "pagerank",
    title: str | None = None,
) -> Page:
    """The HTML page of a :class:`kg.graph.KnowledgeGraph` view."""
    from pyvis.network import Network

    if projection not in PROJECTIONS:
        raise UsageError(f"unknown projection {projection!r} (known: {', '.join(PROJECTIONS)})")
    if size_by not in SIZE_MEASURES:
        raise UsageError(f"--size-by must be one of {', '.join(SIZE_MEASURES)}")
    data = filtered(load_graph_data(graph), since)
    view = build_projection(data, projection)
    notes = []
    if since is not None:
        notes.append(f"papers from {since} on")
    if focus:
        view, centres = _focus(view, focus, depth)
        notes.append(f"within {depth} step(s) of {', '.join(sorted(data.label(c) for c in centres))}")
    total = view.number_of_nodes()
    undirected = view.to_undirected() if view.is_directed() else view
    centrality = _centrality(undirected, size_by)
    if max_nodes and total > max_nodes:
        keep = sorted(view, key=lambda n: (-centrality[n], str(n)))[:max_nodes]
        capped = view.subgraph(keep).copy()
        # Nodes cut off from everything kept (a topic whose papers fell below the cap) say nothing.
        orphans = [n for n in capped if capped.degree(n) == 0 and view.degree(n) > 0]
        capped.remove_nodes_from(orphans)
        view = capped
        notes.append(
            f"showing the {view.number_of_nodes():,} most central of {total:,} nodes (by {size_by}; raise --max-nodes)"
        )
    net = Network(height="100%", width="100%", directed=view.is_directed(), cdn_resources="in_line")
    values = [centrality[n] for n in view] or [0.0]
    low, high = min(values), max(values)
    for node in sorted(view, key=str):
        kind = view.nodes[node].get("type", "other")
        _, color, shape = STYLE.get(kind, ("Other", "#999999", "dot"))
        scaled = (centrality[node] - low) / (high - low) if high > low else 0.5
        label = str(view.nodes[node].get("label", node))
        short = label if len(label) <= 48 else label[:47] + "…"
        tooltip = _tooltip(data, node, view, kind)
        net.add_node(
            node, label=short, title=tooltip, color=color, shape=shape, size=round(8 + 30 * scaled, 2), kind=kind
        )
    for source, target, attributes in sorted(view.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        weight = float(attributes.get("weight", 1.0) or 1.0)
        edge = {"from": source, "to": target, "width": round(min(1 + weight, 10), 2), "color": {"opacity": 0.45}}
        if attributes.get("papers"):
            edge["title"] = f"{int(weight)} shared paper(s): {attributes['papers']}"
        elif attributes.get("predicate"):
            edge["title"] = attributes["predicate"]
        net.edges.append(edge)  # appended directly: pyvis's add_edge scans every edge (quadratic)
    counts = Counter(view.nodes[n].get("type", "other") for n in view)
    legend = [{"type": kind, "name": STYLE[kind][0], "color": STYLE[kind][1], "count": counts[kind]}
              for kind in STYLE if counts[kind]]  # fmt: skip
    shown = view.number_of_nodes()
    summary = f"{shown:,} nodes, {len(net.edges):,} edges; {projection} view" + (
        f"; {'; '.join(notes)}" if notes else ""
    )
    html = _template().render(
        title=title or f"kg: {projection} graph",
        summary=summary,
        legend=legend,
        size_by=size_by,
        nodes=net.nodes,
        edges=net.edges,
        options=_options(shown, view.is_directed()),
    )
    return Page(html=html, shown=shown, total=total, edges=len(net.edges), notes=tuple(notes))


def _centrality(graph, measure: str) -> dict:
    import networkx as nx

    if graph.number_of_nodes() == 0:
        return {}
    if measure == "degree":
        return dict(graph.degree(weight="weight"))
    if measure == "betweenness":
        k = min(500, graph.number_of_nodes()) if graph.number_of_nodes() > 3000 else None
        return nx.betweenness_centrality(graph, k=k, seed=42)
    return nx.pagerank(graph, weight="weight")


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


def _template():
    import jinja2
    import pyvis

    folders = [str(Path(__file__).resolve().parents[1] / "templates"), str(Path(pyvis.__file__).parent / "templates")]
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(folders), autoescape=True)
    return environment.get_template("graph.html")


def write_page(page: Page, path: str) -> None:
    """Write the page atomically."""
    if not str(path).lower().endswith((".html", ".htm")):
        raise UsageError(f"{path}: the page is written as .html")
    with atomic_write(path) as handle:
        handle.write(page.html.encode("utf-8"))
