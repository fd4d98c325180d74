"""An interactive HTML page of the graph: laid out before it opens, coloured by community, fully offline.

The page is drawn from the read model (:mod:`kg.network.readmodel`). What costs
time is done here, once, so the browser has nothing left to lay out:

- positions: igraph's Fruchterman-Reingold layout of each connected component
  (seeded: the same graph gives the same picture), edges inside a community
  pulled harder, components packed side by side;
- colours: in a view of one kind of node (``coauthor``, ``org``, ``topic``) the
  Louvain communities that ``kg analyze`` reports (:meth:`kg.analysis.measures.Centralities.communities`,
  numbered as it numbers them), each named in the legend by its most central
  member, from the fixed :data:`PALETTE`; in a mixed view (``full``,
  ``author-topic``) the node's type;
- sizes: a centrality of :mod:`kg.analysis.measures` (the one ``kg analyze``
  reports under that name);
- the side panel's facts: a paper's authors in printed order (with "et al."
  where the source cut the list), date, venue, identifiers and the source
  lines it was read from (:func:`kg.network.readmodel.load_paper_details`).

The page is drawn by vis-network (the copy pyvis ships, inlined: :func:`vis_network_script`)
with physics off, at kg's positions; labels are sized so that the most central nodes are
named when the picture fits the window and the others as one zooms in (vis-network's
``drawThreshold``). It loads nothing: its Content-Security-Policy allows no request and
runs no script but vis-network and the page's own (each by its hash). Everything from
the sources is data: it travels as JSON in a non-executable block (with ``<``, ``>``, ``&`` and
``'`` escaped, as Jinja's HTML-safe ``tojson`` does: :func:`script_json`), and the script puts it
on the page with ``textContent`` only (vis-network's tooltips get plain strings, which it shows
as text), so a title holding ``<img onerror=...>`` is shown, never run. Identifiers become
links only as ``http(s)`` addresses kg builds or checks (:func:`identifier_link`).

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

import base64
import hashlib
import heapq
import itertools
import math
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from kg.analysis.measures import CENTRALITIES, SEED, Centralities, require_centrality
from kg.errors import Note, UsageError, render
from kg.io.memory import collector_paused
from kg.io.outputs import STDOUT, atomic_write, check_output
from kg.network.projections import TypedParts, require_projection
from kg.network.projections import projection as build_projection
from kg.network.readmodel import (
    GraphData,
    Numbered,
    PaperDetails,
    filtered,
    graph_of,
    load_graph_data,
    load_paper_details,
)
from kg.text import shortened

DEFAULT_MAX_NODES = 2000
# Node kinds in the order a mixed view fills its share under --max-nodes, with the legend's name and colour.
TYPES = {
    "paper": ("Papers", "#4e79a7"),
    "author": ("Authors", "#f28e2b"),
    "topic": ("Topics", "#59a14f"),
    "org": ("Orgs", "#b07aa1"),
}
# Community colours, in order: the community with the most nodes on the page gets the first.
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#edc948",
    "#76b7b2", "#ff9da7", "#9c755f", "#17becf", "#bcbd22", "#7f3c8d",
)  # fmt: skip
OTHER_COLOUR = "#b4b4b4"
SIZE_MEASURES = CENTRALITIES
PAGE_FORMATS = {".html": "HTML", ".htm": "HTML"}
# vis-network, in pyvis's folder of templates: the page inlines it (nothing is fetched).
VIS_NETWORK = "lib/vis-9.1.2/vis-network.min.js"
# How many authors and topics a paper's tooltip names.
TOOLTIP_NAMES = 8
# How many authors of one paper the side panel lists (a physics paper may have thousands).
PANEL_AUTHORS = 100
# How many of a node's papers the page lists, newest first (a topic of a large graph has thousands), and how many
# names its panel counts over all of them: co-authors or authors, and topics.
NODE_PAPERS = 100
PANEL_PEOPLE = 40
PANEL_TOPICS = 15
# Layout units: the typical distance between neighbours, node radii, and the least room between two nodes.
SPACING = 30.0
RADIUS = (3.0, 12.0)
GAP = SPACING / 4
# Iterations of the force layout, and the component size from which it uses a grid (under a second at 5,000 nodes).
LAYOUT_ITERATIONS = 500
GRID_MIN_NODES = 1000
# An edge inside a community pulls this much harder in the layout, so communities gather.
COMMUNITY_PULL = 3.0
# Links kg builds for an identifier's scheme: value -> address (the value is URL-quoted).
ID_LINKS = {
    "doi": ("DOI", "https://doi.org/{}"),
    "arxiv": ("arXiv", "https://arxiv.org/abs/{}"),
    "pmid": ("PubMed", "https://pubmed.ncbi.nlm.nih.gov/{}/"),
    "pubmed": ("PubMed", "https://pubmed.ncbi.nlm.nih.gov/{}/"),
    "pmcid": ("PMC", "https://www.ncbi.nlm.nih.gov/pmc/articles/{}/"),
    "dblp": ("DBLP", "https://dblp.org/rec/{}"),
    "openalex": ("OpenAlex", "https://openalex.org/{}"),
    "isbn": ("ISBN", None),
    "issn": ("ISSN", None),
    "url": ("URL", None),
}
_SAFE_VALUE = re.compile(r"^[^\s\x00-\x1f\x7f]+$")


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
    """Check, before any work is done, that ``path`` can take the page (.html or .htm, or ``-``: standard output).

    Examples
    --------
    >>> check_page_output("graph.htm"), check_page_output("-")
    ('HTML', 'HTML')
    >>> check_page_output("graph.txt")
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: graph.txt: the page is written as .html or .htm, not .txt
    """
    if str(path) == STDOUT:
        return "HTML"
    return check_output(path, PAGE_FORMATS, "the page")


def identifier_link(scheme: str, value: str) -> tuple[str, str | None]:
    """The name of an identifier's scheme and the ``http(s)`` address it links to (None: shown as text only).

    Only addresses kg builds from a known scheme, or a ``url`` identifier that is itself an ``http(s)``
    address, are links: a ``javascript:`` or ``data:`` value from a source never becomes one.

    Examples
    --------
    >>> identifier_link("doi", "10.1/x y")
    ('DOI', 'https://doi.org/10.1/x%20y')
    >>> identifier_link("url", "https://example.org/p?id=1")
    ('URL', 'https://example.org/p?id=1')
    >>> identifier_link("url", "javascript:alert(1)"), identifier_link("wos", "000123")
    (('URL', None), ('wos', None))
    """
    name, template = ID_LINKS.get(scheme, (scheme or "id", None))
    if template is not None:
        return name, template.format(quote(value, safe="/:;()._-"))
    if scheme == "url" and _SAFE_VALUE.match(value):
        parts = urlsplit(value)
        if parts.scheme.lower() in ("http", "https") and parts.netloc:
            return name, value
    return name, None


def _tooltip(
    data: GraphData,
    node: str,
    kind: str,
    details: PaperDetails | None,
    view: Any,
    years: list[int],
    papers: int,
    names: _PaperNames,
) -> str:
    """Plain text (never HTML) shown on hover: a paper's authors in printed order, its topics."""
    lines = [data.label(node)]
    if kind == "paper":
        paper = data.papers.get(node)
        authors = details.authors if details else names.authors.get(node, ())
        topics = names.topics.get(node, ())
        if paper is not None and paper.date:
            lines.append(f"Date: {paper.date}")
        if authors:
            names = ", ".join(data.label(a) for a in authors[:TOOLTIP_NAMES])
            more = len(authors) - TOOLTIP_NAMES
            cut = details is not None and details.truncated
            lines.append("Authors: " + names + (f" (+{more} more)" if more > 0 else "") + (" et al." if cut else ""))
        if topics:
            lines.append("Topics: " + ", ".join(data.label(t) for t in topics[:TOOLTIP_NAMES]))
        if details is not None and details.venue:
            lines.append(f"Venue: {details.venue}")
    else:
        code = data.code(node)
        if code:
            lines[0] += f" ({code})"
        span = f", {years[0]}–{years[-1]}" if years and years[0] != years[-1] else f", {years[0]}" if years else ""
        lines.append(f"{papers} paper(s){span}; {view.degree(node)} link(s) on this page")
    return "\n".join(lines)


def _focus(graph: Any, name: str, depth: int) -> tuple[Any, list]:
    import networkx as nx

    from kg.resolve.people import name_forms

    wanted = name.casefold()
    whole = name_forms(name)  # "Abate, Francesco" is shown "Francesco Abate"
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    exact = [
        n
        for n in graph
        if str(graph.nodes[n].get("label", "")).casefold() in whole
        or (graph.nodes[n].get("type") == "author" and not whole.isdisjoint(name_forms(str(graph.nodes[n]["label"]))))
    ]
    centres = exact or [n for n in graph if wanted in str(graph.nodes[n].get("label", "")).casefold()]
    if not centres:
        raise UsageError(f"{{option}} {name!r}: no node has that name (or a label containing it)", option="focus")
    keep: set = set()
    for centre in centres:
        keep.update(nx.ego_graph(undirected, centre, radius=depth).nodes)
    return graph.subgraph(keep).copy(), centres


def type_shares(counts: Mapping[str, int], budget: int) -> dict[str, int]:
    """How many nodes of each type a mixed view keeps under a cap of ``budget``: equal shares, a type with fewer
    nodes than its share gives the rest to the others.

    Examples
    --------
    >>> type_shares({"paper": 78, "author": 57, "topic": 128, "org": 5}, 50)
    {'org': 5, 'author': 15, 'paper': 15, 'topic': 15}
    >>> type_shares({"paper": 4, "author": 5, "topic": 2, "org": 2}, 5)
    {'org': 1, 'topic': 1, 'paper': 1, 'author': 2}
    """
    shares: dict[str, int] = {}
    left = budget
    order = sorted(counts, key=lambda kind: (counts[kind], kind))
    for position, kind in enumerate(order):
        shares[kind] = min(counts[kind], left // (len(order) - position))
        left -= shares[kind]
    for kind in sorted(counts, key=lambda kind: (-counts[kind], kind)):
        extra = min(left, counts[kind] - shares[kind])
        shares[kind] += extra
        left -= extra
    return shares


def _chosen(
    kind_of: Mapping[Hashable, str],
    centrality: Mapping[Hashable, float],
    max_nodes: int,
    neighbours: Callable[[Hashable], Iterable[Hashable]],
) -> set:
    """The ``max_nodes`` most central of the nodes of ``kind_of`` (node -> type); in a mixed view each type keeps
    its :func:`type_shares`, and a type filled after the first prefers nodes linked to those already kept."""
    kinds = Counter(kind_of.values())
    ranked = sorted(kind_of, key=lambda n: (-centrality[n], str(n)))
    if len(kinds) == 1:
        return set(ranked[:max_nodes])
    shares = type_shares(kinds, max_nodes)
    order = sorted(kinds, key=lambda k: (list(TYPES).index(k) if k in TYPES else len(TYPES), k))
    members: dict[str, list] = {kind: [] for kind in order}
    for node in ranked:
        members[kind_of[node]].append(node)
    keep: set = set()

    def linked(node: Hashable) -> bool:
        return any(m in keep for m in neighbours(node))

    for kind in order:
        candidates, share = members[kind], shares[kind]
        if keep:  # linked to what is kept first, each part by centrality
            chosen = list(itertools.islice(filter(linked, candidates), share))
            if len(chosen) < share:
                chosen += list(itertools.islice(itertools.filterfalse(linked, candidates), share - len(chosen)))
            candidates = chosen
        keep.update(candidates[:share])
    # The first type was chosen before any other: its nodes left without a link give way to linked ones.
    first = order[0]
    lonely = [n for n in keep if kind_of[n] == first and any(True for _ in neighbours(n)) and not linked(n)]
    keep.difference_update(lonely)
    keep.update(list(itertools.islice((n for n in members[first] if n not in keep and linked(n)), len(lonely))))
    return keep


def _capped(view: Any, centrality: Mapping[Hashable, float], max_nodes: int) -> Any:
    """The ``max_nodes`` most central nodes of ``view`` (:func:`_chosen`), without those cut off by the cap."""
    undirected = view.to_undirected(as_view=True) if view.is_directed() else view
    keep = _chosen(dict(view.nodes(data="type", default="other")), centrality, max_nodes, undirected.neighbors)
    capped = view.subgraph(keep).copy()
    # Nodes cut off from everything kept (a topic whose papers fell below the cap) say nothing.
    capped.remove_nodes_from([n for n in capped if capped.degree(n) == 0 and view.degree(n) > 0])
    return capped


def _capped_parts(parts: TypedParts, centrality: Mapping[Hashable, float], max_nodes: int) -> Any:
    """What :func:`_capped` gives for the typed graph ``parts`` makes, without making it whole in NetworkX."""
    import numpy as np

    ends = np.concatenate([parts.source, parts.target])
    others = np.concatenate([parts.target, parts.source])
    order = np.argsort(ends, kind="stable")
    starts = np.searchsorted(ends[order], np.arange(len(parts) + 1))
    around = others[order].tolist()
    nodes, index = parts.nodes, parts.index

    def neighbours(node: Hashable) -> Iterable[Hashable]:
        i = index[node]
        return (nodes[j] for j in around[starts[i] : starts[i + 1]])

    keep = _chosen(dict(zip(nodes, parts.kinds, strict=True)), centrality, max_nodes, neighbours)
    capped = parts.networkx(keep)
    linked = np.diff(starts) > 0
    capped.remove_nodes_from([n for n in capped if capped.degree(n) == 0 and linked[index[n]]])
    return capped


def _component_layout(
    graph: Any, nodes: list, group_of: Mapping[Hashable, int], sizes: Mapping[Hashable, float]
) -> list[tuple[float, float]]:
    """Positions of one connected component (undirected ``graph``), centred on 0, :data:`SPACING` apart."""
    import random

    import igraph

    if len(nodes) == 1:
        return [(0.0, 0.0)]
    index = {node: i for i, node in enumerate(nodes)}
    pulls = []
    for a, b, attributes in graph.subgraph(nodes).edges(data=True):
        weight = min(float(attributes.get("weight", 1.0) or 1.0), 5.0)
        same = group_of.get(a, -1) == group_of.get(b, -2)
        pulls.append((*sorted((index[a], index[b])), weight * (COMMUNITY_PULL if same else 1.0)))
    # In one order whatever order the graph was built in (which may follow set iteration): the picture repeats.
    pulls.sort()
    edges, weights = [(a, b) for a, b, _ in pulls], [w for _, _, w in pulls]
    component = igraph.Graph(n=len(nodes), edges=edges, directed=False)
    state = random.getstate()
    random.seed(SEED)  # python-igraph draws from Python's random module: seeded, the picture repeats
    try:
        # Above GRID_MIN_NODES repulsion is counted between near nodes only (igraph's grid): 0.6 s, not 12 s,
        # for 3,000 nodes.
        grid = "grid" if len(nodes) > GRID_MIN_NODES else "nogrid"
        coords = component.layout_fruchterman_reingold(weights=weights, niter=LAYOUT_ITERATIONS, grid=grid).coords
    finally:
        random.setstate(state)
    return _spread(coords, [sizes.get(node, RADIUS[0]) for node in nodes])


def _spread(coords: list, radii: list[float]) -> list[tuple[float, float]]:
    """``coords`` centred, scaled to about ``SPACING**2`` of room per node, then pushed apart where nodes
    (of ``radii``) would overlap."""
    import numpy as np
    from scipy.spatial import cKDTree

    points = np.asarray(coords, dtype=float)
    points -= points.mean(axis=0)
    if len(points) >= 20:
        # Long chains and stray leaves would set the picture's extent and crowd the core into its middle:
        # beyond the radius holding 85% of the nodes, distances from the centre are shrunk to a third.
        distance = np.hypot(points[:, 0], points[:, 1])
        core = float(np.quantile(distance, 0.85))
        far = distance > core
        shrunk = core + (distance[far] - core) / 3
        points[far] *= (shrunk / distance[far])[:, None]
    spread = math.sqrt(float((points**2).sum(axis=1).mean())) or 1.0
    points *= SPACING * math.sqrt(len(points)) * 0.45 / spread
    sizes = np.asarray(radii, dtype=float)
    gap = GAP
    reach = 2 * float(sizes.max()) + gap
    for _ in range(60):
        pairs = cKDTree(points).query_pairs(reach, output_type="ndarray")
        if not len(pairs):
            break
        a, b = pairs[:, 0], pairs[:, 1]
        delta = points[b] - points[a]
        distance = np.hypot(delta[:, 0], delta[:, 1])
        overlap = sizes[a] + sizes[b] + gap - distance
        close = overlap > 0.5
        if not close.any():
            break
        a, b, delta, distance, overlap = a[close], b[close], delta[close], distance[close], overlap[close]
        # Coincident points part along a fixed direction per pair (no randomness: the picture repeats).
        angle = (a * 7919 + b * 104729) % 360 * math.pi / 180
        fallback = np.stack([np.cos(angle), np.sin(angle)], axis=1)
        unit = np.where(distance[:, None] > 1e-9, delta / np.maximum(distance, 1e-9)[:, None], fallback)
        push = unit * (overlap / 2)[:, None]
        np.add.at(points, a, -push)
        np.add.at(points, b, push)
    return [(float(x), float(y)) for x, y in points]


def layout(
    graph: Any, group_of: Mapping[Hashable, int] | None = None, sizes: Mapping[Hashable, float] | None = None
) -> dict[Hashable, tuple[int, int]]:
    """Positions (in whole units) for every node of ``graph``: each connected component laid out by igraph, then
    packed, the largest first.

    ``group_of`` (node -> community) pulls edges within a community harder, so communities gather;
    ``sizes`` (node -> radius, in the units of :data:`SPACING`) keeps nodes from overlapping.
    Seeded, and the edges taken in one order: the same graph gives the same positions in every run.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("c", "a")]); g.add_node("d")
    >>> positions = layout(g)
    >>> sorted(positions), positions == layout(g)
    (['a', 'b', 'c', 'd'], True)
    """
    import networkx as nx

    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    components = sorted(
        (sorted(c, key=str) for c in nx.connected_components(undirected)), key=lambda c: (-len(c), str(c[0]))
    )
    sizes = sizes or {}
    pieces = []
    for nodes in components:
        coords = _component_layout(undirected, nodes, group_of or {}, sizes)
        reach = max((math.hypot(x, y) + sizes.get(n, RADIUS[0]) for n, (x, y) in zip(nodes, coords, strict=True)))
        pieces.append((nodes, coords, reach + SPACING / 2))
    # Skyline packing: each component, largest first, goes where its top is lowest, in a strip about as wide
    # as a screen (3:2) holding all of them, so small components fill the room beside the large ones.
    area = sum((2 * r) ** 2 for _, _, r in pieces)
    width = max(math.sqrt(area * 1.5), 2 * pieces[0][2]) if pieces else 0.0
    skyline = [(0.0, width, 0.0)]  # (start, end, height) segments covering [0, width]
    positions: dict[Hashable, tuple[int, int]] = {}
    for nodes, coords, radius in pieces:
        side = 2 * radius
        best = None
        for start, _, _ in skyline:
            if start + side > width + 1e-6 and start > 0:
                continue
            top = max(h for a, b, h in skyline if a < start + side and b > start)
            if best is None or top < best[1] - 1e-6:
                best = (start, top)
        left, top = best if best is not None else (0.0, max(h for _, _, h in skyline))
        for node, (px, py) in zip(nodes, coords, strict=True):  # in whole units, as vis-network reads them
            positions[node] = (round(left + radius + px), round(top + radius + py))
        skyline = _raise(skyline, left, left + side, top + side)
    return positions


def _raise(skyline: list[tuple[float, float, float]], left: float, right: float, height: float) -> list:
    """``skyline`` with ``[left, right)`` raised to ``height``, neighbouring segments of one height merged."""
    raised = []
    for start, end, level in skyline:
        if end <= left or start >= right:
            raised.append((start, end, level))
            continue
        if start < left:
            raised.append((start, left, level))
        if end > right:
            raised.append((right, end, level))
    raised.append((left, right, height))
    raised.sort()
    merged = [raised[0]]
    for start, end, level in raised[1:]:
        if merged[-1][2] == level and merged[-1][1] >= start:
            merged[-1] = (merged[-1][0], end, level)
        else:
            merged.append((start, end, level))
    return merged


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
        Draw at most this many nodes, the most central by ``size_by`` (0: all); in a mixed view
        each type keeps a share (:func:`type_shares`).
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
        An unknown projection or measure, a negative ``max_nodes`` or ``depth``, or a ``focus`` that names no node.
    """
    require_projection(projection)
    require_centrality(size_by, "size_by")
    for option, value in (("max_nodes", max_nodes), ("depth", depth)):
        if value < 0:
            raise UsageError(f"{{option}} must be 0 or more, not {value}", option=option)
    opened = graph_of(graph)
    with collector_paused():  # millions of small objects that form no cycles (kg.io.memory)
        data = filtered(load_graph_data(opened), since)  # every part: a paper's panel names its orgs and sources

        def load_details(papers: list[str]) -> Mapping[str, PaperDetails]:
            return load_paper_details(opened, papers)

        return _render(data, load_details, projection, max_nodes, focus, depth, since, size_by, title, option_names)


def _communities(measures: Centralities) -> dict[Hashable, int]:
    """node -> community, numbered as ``kg analyze`` numbers them (largest first, from 1)."""
    ranked = sorted(measures.communities(), key=lambda c: (-len(c), min(c)))
    return {node: number for number, members in enumerate(ranked, start=1) for node in members}


def _groups(
    view: Any, colour_by: str, community_of: Mapping[Hashable, int], centrality: Mapping[Hashable, float], data: Any
) -> tuple[dict[Hashable, int], list[dict]]:
    """Each node's legend entry, and the legend: types, or the communities with the most nodes on the page."""
    if colour_by == "type":
        kind_of = {n: view.nodes[n].get("type") if view.nodes[n].get("type") in TYPES else "other" for n in view}
        kinds = Counter(kind_of.values())
        styles = {**TYPES, "other": ("Other", OTHER_COLOUR)}
        legend = [{"name": name, "colour": colour, "kind": kind, "count": kinds[kind]}
                  for kind, (name, colour) in styles.items() if kinds[kind]]  # fmt: skip
        slot = {entry["kind"]: i for i, entry in enumerate(legend)}
        return {n: slot[kind] for n, kind in kind_of.items()}, legend
    members: dict[int, list] = {}
    for node in view:
        members.setdefault(community_of[node], []).append(node)
    # The largest communities on the page get the colours; the rest share grey.
    ordered = sorted(members, key=lambda c: (-len(members[c]), c))
    legend, group_of = [], {}
    for community in ordered[: len(PALETTE)]:
        best = min(members[community], key=lambda n: (-centrality[n], str(n)))
        legend.append({"name": f"{shortened(data.label(best))} & co.", "community": community, "kind": "community",
                       "colour": PALETTE[len(legend)], "count": len(members[community])})  # fmt: skip
        group_of.update((n, len(legend) - 1) for n in members[community])
    rest = [n for community in ordered[len(PALETTE) :] for n in members[community]]
    if rest:
        legend.append({"name": f"{len(ordered) - len(PALETTE)} smaller communities", "kind": "community",
                       "community": 0, "colour": OTHER_COLOUR, "count": len(rest)})  # fmt: skip
        group_of.update((n, len(legend) - 1) for n in rest)
    return group_of, legend


class _Refs:
    """Authors, topics and orgs the page names (in a paper's author list, an author's orgs...), each once."""

    def __init__(self, data: GraphData, node_index: Mapping[str, int]) -> None:
        self.data, self.node_index = data, node_index
        self.index: dict[str, int] = {}
        self.rows: list[list] = []

    def __call__(self, node: str) -> int:
        number = self.index.get(node)
        if number is None:
            number = self.index[node] = len(self.rows)
            self.rows.append([self.data.node_type(node), self.data.label(node), self.node_index.get(node, -1)])
        return number


@dataclass(frozen=True)
class _PaperNames:
    """The authors (where a paper's details name none), topics and orgs of the papers a page lists."""

    authors: Mapping[str, tuple[str, ...]]
    topics: Mapping[str, tuple[str, ...]]
    orgs: Mapping[str, tuple[str, ...]]

    @classmethod
    def of(cls, data: GraphData, papers: list[str], details: Mapping[str, PaperDetails]) -> _PaperNames:
        unnamed = [paper for paper in papers if paper not in details or not details[paper].authors]
        return cls(data.ends("authored", 1, unnamed), data.ends("cites", 0, papers), data.ends("paper_orgs", 0, papers))


def _paper_rows(data: GraphData, details: Mapping[str, PaperDetails], papers: list[str], refs: _Refs,
                node_index: Mapping[str, int], names: _PaperNames) -> list[dict]:  # fmt: skip
    """What the side panel shows of each paper (the page's own JSON, read by its script)."""
    rows = []
    for paper in papers:
        info, extra = data.papers[paper], details.get(paper, PaperDetails())
        authors = extra.authors or names.authors.get(paper, ())
        ids = []
        for scheme, value in extra.identifiers:
            name, url = identifier_link(scheme, value)
            ids.append([name, value, url])
        row: dict[str, Any] = {
            "title": info.label,
            "year": info.year,
            "authors": list(map(refs, authors[:PANEL_AUTHORS])),
            "topics": list(map(refs, names.topics.get(paper, ()))),
            "orgs": list(map(refs, names.orgs.get(paper, ()))),
            "lines": [f"{path}:{line}" for path, line in extra.lines] or list(info.sources),
            "node": node_index.get(paper, -1),
        }
        optional = {"date": info.date, "venue": extra.venue, "ids": ids, "etal": extra.truncated,
                    "more": max(0, len(authors) - PANEL_AUTHORS)}  # fmt: skip
        row.update((key, value) for key, value in optional.items() if value)
        rows.append(row)
    return rows


def _age_ranks(data: GraphData) -> dict[str, int]:
    """Each paper's place from the newest (by year, then date, newest first; papers without a year last), then by
    title, then IRI.

    Examples
    --------
    >>> from kg.network.readmodel import Paper
    >>> _age_ranks(GraphData(papers={"a": Paper("A", year=2020, date="2020"), "b": Paper("B"),
    ...                              "c": Paper("C", year=2020, date="2020-05"), "d": Paper("A", year=2021)}))
    {'d': 0, 'c': 1, 'a': 2, 'b': 3}
    """
    papers = data.papers
    # Sorted by each key in turn, the least significant first (Python's sort is stable, reversed too).
    order = sorted(papers)
    order.sort(key=lambda paper: papers[paper].label)
    order.sort(key=lambda paper: papers[paper].date or "", reverse=True)
    order.sort(key=lambda paper: -math.inf if papers[paper].year is None else papers[paper].year, reverse=True)
    return {paper: rank for rank, paper in enumerate(order)}


@dataclass(frozen=True)
class _NodePapers:
    """What a page says of each node's papers of the corpus (a paper's are itself).

    Attributes
    ----------
    newest : dict
        node -> its :data:`NODE_PAPERS` newest papers (:func:`_age_ranks`), newest first.
    count : dict
        node -> how many papers of the corpus it has.
    years : dict
        node -> the years of its papers, sorted.
    linked : dict
        node -> how many papers the graph links it to (works known only from citations too).
    """

    newest: dict[str, list[str]]
    count: dict[str, int]
    years: dict[str, list[int]]
    linked: dict[str, int]


def _corpus_papers(data: GraphData, nodes: list[str]) -> dict[str, list[str]]:
    corpus = data.papers
    return {n: [n] if n in corpus else [p for p in data.papers_of.get(n, ()) if p in corpus] for n in nodes}


def _node_papers(data: GraphData, nodes: list[str]) -> _NodePapers:
    """The :class:`_NodePapers` of ``nodes``: from the kept numbers with numpy where the read model has them.

    Examples
    --------
    >>> from kg.network.readmodel import Paper
    >>> data = GraphData(papers={"p": Paper("P", year=2020), "q": Paper("Q", year=2021)},
    ...                  authored=(("a", "p"), ("a", "q"), ("a", "w")))
    >>> found = _node_papers(data, ["a", "p"])
    >>> found.newest, found.count, found.years, found.linked
    ({'a': ['q', 'p'], 'p': ['p']}, {'a': 2, 'p': 1}, {'a': [2020, 2021], 'p': [2020]}, {'a': 3, 'p': 0})
    """
    rank = _age_ranks(data)
    numbered = data.numbered
    if numbered is None:
        found = _corpus_papers(data, nodes)
        return _NodePapers(
            newest={n: heapq.nsmallest(NODE_PAPERS, found[n], key=rank.__getitem__) for n in nodes},
            count={n: len(found[n]) for n in nodes},
            years={n: sorted({data.papers[p].year for p in found[n]} - {None}) for n in nodes},
            linked={n: len(data.papers_of.get(n, ())) for n in nodes},
        )
    import numpy as np

    terms, count = numbered.terms, len(numbered.terms)
    rank_of = np.full(count, len(rank), dtype=np.int64)
    rank_of[numbered.papers] = np.fromiter(map(rank.__getitem__, data.papers), dtype=np.int64, count=len(rank))
    dated = [(i, paper.year) for i, paper in zip(numbered.papers.tolist(), data.papers.values(), strict=True)
             if paper.year is not None]  # fmt: skip
    has_year = np.zeros(count, dtype=bool)
    year_of = np.zeros(count, dtype=np.int64)
    if dated:
        where, years = zip(*dated, strict=True)
        has_year[list(where)], year_of[list(where)] = True, years
    members = _members(numbered, nodes, corpus_only=True)
    linked = np.diff(_members(numbered, nodes, corpus_only=False).indptr).tolist()
    found = _NodePapers({}, {}, {}, dict(zip(nodes, linked, strict=True)))
    for row, node in enumerate(nodes):
        if node in data.papers:
            papers = np.asarray([numbered.number[node]])
        else:
            papers = members.indices[members.indptr[row] : members.indptr[row + 1]]
        ranks = rank_of[papers]
        first = np.argpartition(ranks, NODE_PAPERS)[:NODE_PAPERS] if len(papers) > NODE_PAPERS else slice(None)
        chosen = papers[first][np.argsort(ranks[first], kind="stable")]
        found.newest[node] = [terms[p] for p in chosen.tolist()]
        found.count[node] = len(papers)
        found.years[node] = np.unique(year_of[papers[has_year[papers]]]).tolist()
    return found


def _members(numbered: Numbered, nodes: list[str], corpus_only: bool) -> Any:
    """What :attr:`GraphData.papers_of` gives ``nodes`` (in its order of precedence: an org's papers, else a
    topic's, else an author's), as a sparse matrix nodes x terms; with ``corpus_only``, papers of the corpus only."""
    import numpy as np
    from scipy.sparse import csr_matrix

    count = len(numbered.terms)
    authored, cites, paper_orgs = (numbered.pairs[name] for name in ("authored", "cites", "paper_orgs"))
    keys = np.concatenate([authored[:, 0], cites[:, 1], paper_orgs[:, 1]])
    papers = np.concatenate([authored[:, 1], cites[:, 0], paper_orgs[:, 0]])
    relation = np.repeat(np.arange(3), [len(authored), len(cites), len(paper_orgs)])
    winner = np.full(count, -1)
    for number, named in enumerate((authored[:, 0], cites[:, 1], paper_orgs[:, 1])):
        winner[named] = number
    row_of = np.full(count, -1)
    numbers = numbered.number
    row_of[[numbers[n] for n in nodes if n in numbers]] = [i for i, n in enumerate(nodes) if n in numbers]
    keep = (relation == winner[keys]) & (row_of[keys] >= 0)
    if corpus_only:
        in_corpus = np.zeros(count, dtype=bool)
        in_corpus[numbered.papers] = True
        keep &= in_corpus[papers]
    ones = np.ones(int(keep.sum()), dtype=np.int64)
    return csr_matrix((ones, (row_of[keys[keep]], papers[keep])), shape=(len(nodes), count))


def _most_named(
    data: GraphData, names: str, nodes: list[str], limit: int, skip_self: bool = False
) -> dict[str, tuple[list[tuple[str, int]], int]]:
    """For each of ``nodes`` (authors, topics, orgs), the ``limit`` authors (``names="authored"``) or topics
    (``"cites"``) named most often over its papers of the corpus, as ``(name, papers)``, most first, then
    by label (not the node itself with ``skip_self``), and how many names there are in all.

    Counted for every node at once, as a product of sparse incidence matrices (nodes x papers, papers x names),
    made from the kept numbers where the read model has them.

    Examples
    --------
    >>> from kg.network.readmodel import Paper
    >>> data = GraphData(papers={p: Paper(p) for p in ("p1", "p2", "p3")},
    ...                  labels={n: ("author", name, None) for n, name in (("a", "Ann"), ("b", "Bo"), ("c", "Cy"))},
    ...                  authored=(("a", "p1"), ("b", "p1"), ("a", "p2"), ("b", "p2"), ("c", "p2"), ("c", "p3")),
    ...                  cites=(("p2", "t"), ("p3", "t")))
    >>> _most_named(data, "authored", ["a", "t"], 2, skip_self=True)
    {'a': ([('b', 2), ('c', 1)], 2), 't': ([('c', 2), ('a', 1)], 3)}
    """
    import numpy as np
    from scipy.sparse import csr_matrix

    if data.numbered is not None:  # counted on the kept numbers: no Python object per paper
        numbered = data.numbered
        count, column_of = len(numbered.terms), numbered.number
        pairs = numbered.pairs[names]
        paper, name = (pairs[:, 1], pairs[:, 0]) if names == "authored" else (pairs[:, 0], pairs[:, 1])
        naming = csr_matrix((np.ones(len(pairs), dtype=np.int64), (paper, name)), shape=(count, count))
        counts, labels = (_members(numbered, nodes, corpus_only=True) @ naming).tocsr(), numbered.terms
    else:
        groups = _corpus_papers(data, nodes)
        index = data.authors_of if names == "authored" else data.topics_of
        papers = {paper: i for i, paper in enumerate(dict.fromkeys(itertools.chain.from_iterable(groups.values())))}
        labels = list(dict.fromkeys(itertools.chain.from_iterable(map(index.get, papers, itertools.repeat(())))))
        column_of = {name: i for i, name in enumerate(labels)}

        def incidence(rows: list, columns: Mapping[str, int], members_of) -> Any:
            pointers, columns_of = [0], []
            for row in rows:
                columns_of.extend(map(columns.__getitem__, members_of(row)))
                pointers.append(len(columns_of))
            ones = np.ones(len(columns_of), dtype=np.int64)
            return csr_matrix((ones, np.asarray(columns_of, dtype=np.int64), pointers), shape=(len(rows), len(columns)))

        naming = incidence(list(papers), column_of, lambda p: index.get(p, ()))
        counts = (incidence(nodes, papers, groups.__getitem__) @ naming).tocsr()
    # Each name's place by label, then IRI, ranked once for all the nodes.
    named = np.unique(counts.indices)
    alphabetical = np.zeros(max(len(labels), 1), dtype=np.int64)
    alphabetical[sorted(named.tolist(), key=lambda c: (data.label(labels[c]), labels[c]))] = np.arange(len(named))
    found: dict[str, tuple[list[tuple[str, int]], int]] = {}
    for row, node in enumerate(nodes):
        begin, stop = counts.indptr[row], counts.indptr[row + 1]
        columns, values = counts.indices[begin:stop], counts.data[begin:stop]
        if skip_self and node in column_of:
            keep = columns != column_of[node]
            columns, values = columns[keep], values[keep]
        first = np.lexsort((alphabetical[columns], -values))[:limit]
        found[node] = ([(labels[c], v) for c, v in zip(columns[first].tolist(), values[first].tolist(), strict=True)],
                       len(values))  # fmt: skip
    return found


def _render(
    data: GraphData,
    load_details: Callable[[list[str]], Mapping[str, PaperDetails]],
    projection: str,
    max_nodes: int,
    focus: str | None,
    depth: int,
    since: int | None,
    size_by: str,
    title: str | None,
    option_names: Callable[[str], str] | None = None,
) -> Page:
    notes: list[str] = []
    if since is not None:
        notes.append(f"papers from {since} on")
    # The whole typed graph is measured from plain arrays, and made in NetworkX for the nodes drawn only.
    parts = TypedParts(data) if projection == "full" and not focus else None
    view = parts if parts is not None else build_projection(data, projection, titles=False)
    if focus:
        view, centres = _focus(view, focus, depth)
        notes.append(f"within {depth} step(s) of {', '.join(sorted(data.label(c) for c in centres))}")
    total = len(view)
    measures = Centralities(view)
    centrality = measures[size_by]
    kinds = set(parts.kinds) if parts is not None else {view.nodes[n].get("type", "other") for n in view}
    colour_by = "type" if len(kinds) > 1 else "community"
    community_of = _communities(measures) if colour_by == "community" else {}
    if parts is not None and not (max_nodes and total > max_nodes):
        view = parts.networkx()
    if max_nodes and total > max_nodes:
        view = _capped(view, centrality, max_nodes) if parts is None else _capped_parts(parts, centrality, max_nodes)
        shares = ", each type its share" if len(kinds) > 1 else ""
        notes.append(
            Note(
                f"showing the {view.number_of_nodes():,} most central of {total:,} nodes{shares} "
                f"(by {size_by}; raise {{option}})",
                option="max_nodes",
            )
        )
    notes.extend(measures.approximations + measures.methods)
    group_of, legend = _groups(view, colour_by, community_of, centrality, data)
    order = sorted(view, key=lambda n: (-centrality[n], str(n)))
    node_index = {node: i for i, node in enumerate(order)}
    values = [centrality[n] for n in order] or [0.0]
    low, high = min(values), max(values)
    sizes = {n: round(RADIUS[0] + (RADIUS[1] - RADIUS[0]) * math.sqrt((centrality[n] - low) / (high - low)), 1)
             if high > low else (RADIUS[0] + RADIUS[1]) / 2 for n in order}  # fmt: skip
    positions = layout(view, group_of if colour_by == "community" else None, sizes)
    refs = _Refs(data, node_index)
    node_papers = _node_papers(data, order)
    listed = node_papers.newest
    papers: list[str] = sorted({p for n in order for p in listed[n]})
    paper_index = {paper: i for i, paper in enumerate(papers)}
    details = load_details(papers)
    names = _PaperNames.of(data, papers, details)
    described = [n for n in order if view.nodes[n].get("type", "other") != "paper"]
    people = _most_named(data, "authored", described, PANEL_PEOPLE, skip_self=True)
    themes = _most_named(data, "cites", described, PANEL_TOPICS)
    orgs_of_author: dict[str, list[str]] = {}
    for source, org in data.affiliated:  # sorted: each author's orgs in one order
        if source in node_index and source not in data.papers:
            orgs_of_author.setdefault(source, []).append(org)
    nodes = []
    for node in order:
        kind = view.nodes[node].get("type", "other")
        x, y = positions[node]
        entry: dict[str, Any] = {
            "id": node,
            "label": str(view.nodes[node].get("label", node)) or node,
            "kind": kind,
            "x": x,
            "y": y,
            "size": sizes[node],
            "group": group_of[node],
            "papers": [paper_index[p] for p in listed[node]],
            "count": node_papers.count[node],
            "years": node_papers.years[node],
        }
        entry["title"] = _tooltip(
            data, node, kind, details.get(node), view, entry["years"], node_papers.linked[node], names
        )
        if kind != "paper":
            entry["people"] = [[refs(name), count] for name, count in people[node][0]]
            entry["peopleTotal"] = people[node][1]
            if kind in ("author", "org"):
                entry["topics"] = [[refs(name), count] for name, count in themes[node][0]]
                entry["topicsTotal"] = themes[node][1]
        if colour_by == "community":
            entry["community"] = community_of[node]
        if kind == "author":
            entry["orgs"] = [refs(org) for org in orgs_of_author.get(node, ())]
        code = data.code(node)
        if code:
            entry["code"] = code
        nodes.append(entry)
    edges = []
    for source, target, attributes in view.edges(data=True):
        weight = float(attributes.get("weight", 1.0) or 1.0)
        edges.append([node_index[source], node_index[target], round(weight, 3)])
    edges.sort()
    paper_rows = _paper_rows(data, details, papers, refs, node_index, names)
    shown = len(nodes)
    shown_notes = [render(note, option_names) if option_names else str(note) for note in notes]
    summary = f"{shown:,} nodes, {len(edges):,} edges; {projection} view" + (
        f"; {'; '.join(shown_notes)}" if shown_notes else ""
    )
    payload = {
        "nodes": nodes,
        "edges": edges,
        "papers": paper_rows,
        "names": refs.rows,
        "legend": legend,
        "colourBy": colour_by,
        "projection": projection,
        "sizeBy": size_by,
        "directed": view.is_directed(),
        "weighted": projection != "full",  # the full view's weights are topic scores, not shared papers
        "gap": GAP,  # nodes may grow by half of it on the page without touching
    }
    html = _page(title=title or f"kg: {projection} graph", summary=summary, payload=script_json(payload))
    return Page(html=html, shown=shown, total=total, edges=len(edges), notes=tuple(notes))


def _environment() -> Any:
    import jinja2

    folder = str(Path(__file__).resolve().parents[1] / "templates")
    return jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=True)


def _csp_hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def vis_network_script() -> str:
    """The text of vis-network's script as pyvis ships it (``templates/lib/vis-9.1.2/vis-network.min.js``).

    pyvis is found, not imported (importing it would import IPython and more): the page inlines the file.

    Raises
    ------
    kg.errors.UsageError
        pyvis is not installed, or its copy is missing or cannot be put inside a ``<script>`` element.

    Examples
    --------
    >>> script = vis_network_script()
    >>> "vis-network" in script[:200] and "@version 9.1.2" in script[:400]
    True
    """
    import importlib.util

    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise UsageError("the page needs pyvis (its copy of vis-network draws the graph): pip install pyvis")
    path = Path(next(iter(spec.submodule_search_locations))) / "templates" / VIS_NETWORK
    try:
        script = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"{path}: cannot read pyvis's copy of vis-network: {error.strerror or error}") from None
    if re.search(r"</script|<!--", script, re.IGNORECASE):  # it would end the element early: never inline it
        raise UsageError(f"{path}: this copy of vis-network cannot be inlined in a page")
    return script


def _page(**values: Any) -> str:
    """kg's page template with vis-network inlined; each script and the style allowed by its hash in the page's
    Content-Security-Policy (no other script runs, nothing is fetched)."""
    from markupsafe import Markup

    template = _environment().get_template("graph.html")
    module = template.make_module({"payload": None})  # its script and style, which depend on no value
    script, style = str(module.page_script), str(module.page_style)
    library = vis_network_script()
    return template.render(vis_script=Markup(library), vis_hash=_csp_hash(library), script_hash=_csp_hash(script),
                           style_hash=_csp_hash(style), **values).lstrip()  # fmt: skip


def script_json(value: Any) -> Any:
    """``value`` as JSON that is safe inside an HTML ``<script>`` block: no ``<``, ``>``, ``&`` or ``'`` is left
    as itself (each is written as its ``\\u`` escape, the same string to JSON), so no text can close the block.

    Examples
    --------
    >>> print(script_json({"title": "</script><b>&'"}))
    {"title":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\\u0027"}
    """
    import orjson
    from markupsafe import Markup

    try:
        text = orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")
    except TypeError:  # what orjson cannot write (an integer past 64 bits): the standard library can
        import json

        text = json.dumps(value, sort_keys=True)
    for character, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("'", "\\u0027")):
        text = text.replace(character, escape)
    return Markup(text)


def write_page(page: Page, path: str | os.PathLike[str]) -> None:
    """Write the page atomically to ``path`` (.html or .htm), or to standard output for ``-``.

    Raises
    ------
    kg.errors.UsageError
        Another extension, or a folder that does not exist.
    """
    check_page_output(path)
    if str(path) == STDOUT:
        sys.stdout.buffer.write(page.html.encode("utf-8"))
        sys.stdout.buffer.flush()
        return
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
