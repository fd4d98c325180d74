"""Centrality, communities and components: graphs in, tables out.

Every centrality kg reports is defined once, in :class:`Centralities`:
``kg analyze`` ranks nodes by them and the HTML page sizes nodes by them, so
a name means the same everywhere (:data:`CENTRALITIES`):

``pagerank``
    PageRank (damping 0.85) over edge weights.
``degree``
    degree centrality: neighbours / (nodes - 1), weights ignored.
``weighted_degree``
    the sum of the node's edge weights (its strength).
``betweenness``
    shortest-path betweenness, normalised, with ``1 / weight`` as the
    distance (two authors with many joint papers are close).
``eigenvector``
    eigenvector centrality over edge weights, scaled to unit length.
``in_degree``
    edges into the node: in a citation graph, how many papers of the graph cite it
    (on an undirected graph, its degree).

A directed graph is measured as undirected, except when it is measured as directed
(``directed=True``, the citation view): then PageRank follows the edges (a work cited by
cited works ranks high) and ``in_degree`` counts the edges in. Closeness (same distances) is
computed only for the nodes asked for. Large graphs use the documented
approximations, and :attr:`Centralities.approximations` says which ones ran:

- betweenness on more than :data:`EXACT_BETWEENNESS_MAX_NODES` nodes is
  estimated from ``k`` sampled sources with a fixed seed (Brandes & Pich):
  :data:`BETWEENNESS_SAMPLES`, fewer on a graph so large that they would cost more
  than :data:`BETWEENNESS_WORK` (each source is a shortest-path run over every edge),
  and never fewer than :data:`BETWEENNESS_MIN_SAMPLES`;
- closeness is exact, but computed only for the nodes reported (one
  shortest-path run each), not for every node;
- from :data:`COMPILED_MIN_NODES` nodes on, igraph (a dependency of kg)
  computes PageRank, eigenvector, betweenness (the same sampled sources),
  closeness and Louvain communities, with NetworkX's normalisations; NetworkX
  alone is used only if igraph cannot be imported.

Examples
--------
>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_edge("a", "b", weight=2); g.add_edge("b", "c", weight=1)
>>> for n in g: g.nodes[n].update(type="author", label=n.upper())
>>> result = analyze(g, top=2)
>>> [row["label"] for row in result.ranking]
['B', 'A']
>>> {n: round(v, 3) for n, v in centrality(g, "weighted_degree").items()}
{'a': 2.0, 'b': 3.0, 'c': 1.0}
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from kg.errors import UsageError

EXACT_BETWEENNESS_MAX_NODES = 3000
# From this size on, igraph (compiled) computes the costly measures when installed: NetworkX's sampled
# betweenness alone took ~80 s on a 5,000-author graph and would take hours at 100,000.
COMPILED_MIN_NODES = 1_000
BETWEENNESS_SAMPLES = 500
# Sources x edges a sampled betweenness may cost (500 sources up to 200,000 edges: about half a minute on one
# core of the project's machine), and the fewest sources it samples however large the graph.
BETWEENNESS_WORK = 100_000_000
BETWEENNESS_MIN_SAMPLES = 100
SEED = 42
# Sampled betweenness is summed over this many fixed chunks of its sources, each in its own forked process
# where the machine has the cores: the same chunks and the same order of sums on any machine, so the same figures.
BETWEENNESS_CHUNKS = 4
CENTRALITIES = ("pagerank", "degree", "weighted_degree", "betweenness", "eigenvector", "in_degree")


@dataclass
class Analysis:
    """The results of :func:`analyze`, ready to print or dump as JSON."""

    nodes: int
    edges: int
    ranking: list[dict] = field(default_factory=list)
    communities: list[dict] = field(default_factory=list)
    components: list[int] = field(default_factory=list)
    approximations: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "nodes": self.nodes,
            "edges": self.edges,
            "approximations": self.approximations,
            "methods": self.methods,
            "components": {"count": len(self.components), "sizes": self.components[:20]},
            "communities": self.communities,
            "ranking": self.ranking,
        }


def _undirected(graph: Any) -> Any:
    """``graph`` itself when undirected, else an undirected copy that shares its attribute values."""
    import networkx as nx

    if not graph.is_directed():
        return graph
    undirected = nx.Graph()
    undirected.add_nodes_from(graph.nodes(data=True))
    undirected.add_edges_from(graph.edges(data=True))
    return undirected


def _undirected_edges(graph: Any) -> Iterable[tuple[Hashable, Hashable, Any]]:
    """``(node, node, weight)`` of :func:`_undirected` ``(graph)``, in its order, without making the copy.

    An edge stated both ways is one edge that weighs what the later one says, where the earlier one was.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph([("a", "b", {"weight": 2}), ("c", "a"), ("b", "a", {"weight": 5}), ("c", "d", {"weight": 3}),
    ...                 ("d", "c")])
    >>> list(_undirected_edges(g)) == list(_undirected(g).edges(data="weight", default=1.0))
    True
    """
    if not graph.is_directed():
        return graph.edges(data="weight", default=1.0)
    around: dict[Hashable, dict[Hashable, Any]] = {node: {} for node in graph}
    for a, b, attributes in graph.edges(data=True):
        weight = attributes.get("weight", around[a].get(b, 1.0))  # the copy updates the edge's attributes
        around[a][b] = weight
        around[b][a] = weight
    seen: set = set()
    edges = []
    for node, neighbours in around.items():
        edges.extend((node, other, weight) for other, weight in neighbours.items() if other not in seen)
        seen.add(node)
    return edges


def _undirected_arrays(nodes: int, source: Any, target: Any, weight: Any) -> tuple[Any, list[float]]:
    """The edges and weights :func:`_undirected_edges` gives for a directed graph made of ``nodes`` nodes (in
    index order) and the edges ``source[i] -> target[i]`` (in the order they were added), from the arrays alone.

    NetworkX's undirected copy lists an edge when it reaches its lower end (in node order), among that node's
    edges in the order the pair was first added (the directed graph lists its edges by source, in the order
    added); a pair stated both ways weighs what the last statement says (weights missing or 0 count as 1).

    Examples
    --------
    >>> import networkx as nx, numpy as np
    >>> added = [(2, 0, 2.0), (1, 2, 3.0), (0, 2, 5.0), (1, 1, 1.0)]
    >>> g = nx.DiGraph(); g.add_nodes_from([0, 1, 2]); g.add_weighted_edges_from(added)
    >>> edges, weights = _undirected_arrays(3, *(np.array(column) for column in zip(*added)))
    >>> [(int(a), int(b), w) for (a, b), w in zip(edges, weights)]
    [(0, 2, 2.0), (1, 2, 3.0), (1, 1, 1.0)]
    >>> list(_undirected_edges(g))
    [(0, 2, 2.0), (1, 2, 3.0), (1, 1, 1.0)]
    """
    import numpy as np

    order = np.argsort(source, kind="stable")  # the directed graph's own order: by source, then as added
    first, second, weights = source[order], target[order], weight[order]
    low, high = np.minimum(first, second), np.maximum(first, second)
    pair = low * nodes + high
    _, first_seen = np.unique(pair, return_index=True)  # where each pair is first stated...
    reversed_pair = pair[::-1]
    _, from_end = np.unique(reversed_pair, return_index=True)
    last_seen = len(pair) - 1 - from_end  # ...and last (np.unique sorts both by pair: they line up)
    listed = np.lexsort((first_seen, low[first_seen]))
    edges = np.column_stack([low[first_seen][listed], high[first_seen][listed]])
    values = weights[last_seen][listed]
    return edges, [float(w) if w else 1.0 for w in values.tolist()]


def require_centrality(measure: str, option: str) -> str:
    """``measure`` if it is one of :data:`CENTRALITIES`, else a usage error about ``option``.

    Examples
    --------
    >>> require_centrality("closeness", "size_by")
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: size_by must be one of pagerank, degree, weighted_degree, betweenness, eigenvector, in_degree
    """
    if measure not in CENTRALITIES:
        raise UsageError(f"{{option}} must be one of {', '.join(CENTRALITIES)}", option=option)
    return measure


class Centralities:
    """The centralities of one graph, each computed when first asked for and then kept.

    The one definition of the measures in :data:`CENTRALITIES` (see the module
    documentation for their meanings), of closeness and of communities; the
    engine (igraph or NetworkX) and the sampling are chosen here, once per graph.

    Parameters
    ----------
    graph : networkx.Graph, networkx.DiGraph or kg.network.projections.TypedParts
        Edges may carry a ``weight`` (1 when missing); a directed graph is
        measured as undirected. The graph is not changed. The typed graph's
        arrays give igraph its edges without NetworkX (which is made only for a
        measure igraph does not compute).
    exact_betweenness_max : int
        Above this many nodes betweenness is estimated from sampled sources.
    directed : bool
        Measure PageRank and in-degree along the edges of a directed ``graph`` (the others stay undirected).

    Attributes
    ----------
    graph : networkx.Graph
        The undirected graph measured.
    approximations : list of str
        What was estimated rather than computed exactly, so far.
    methods : list of str
        How an exact measure was computed where that is worth saying, so far.

    Examples
    --------
    >>> import networkx as nx
    >>> measures = Centralities(nx.path_graph(3))
    >>> measures["degree"], measures.engine
    ({0: 0.5, 1: 1.0, 2: 0.5}, 'networkx')
    >>> {n: round(v, 3) for n, v in measures["betweenness"].items()}
    {0: 0.0, 1: 1.0, 2: 0.0}
    """

    def __init__(
        self, graph: Any, *, exact_betweenness_max: int = EXACT_BETWEENNESS_MAX_NODES, directed: bool = False
    ) -> None:
        self._source = graph
        self._graph = None
        self.directed = graph if directed and graph.is_directed() else None
        self.nodes = len(graph)
        self.exact_betweenness_max = exact_betweenness_max
        self.approximations: list[str] = []
        self.methods: list[str] = []
        self._values: dict[str, dict] = {}
        self._compiled: _IgraphEngine | bool | None = False  # False: not looked for yet
        self._distances = None

    @property
    def graph(self) -> Any:
        """The undirected graph measured (a directed graph's copy is made when first asked for: igraph needs none)."""
        if self._graph is None:
            source = self._source.networkx() if hasattr(self._source, "networkx") else self._source
            self._graph = _undirected(source)
        return self._graph

    @property
    def samples(self) -> int | None:
        """How many sources sampled betweenness starts from (None: it is exact)."""
        if self.nodes <= self.exact_betweenness_max:
            return None
        engine = self._engine()
        edges = engine.graph.ecount() if engine is not None else self.graph.number_of_edges()
        return _samples(self.nodes, edges)

    @property
    def engine(self) -> str:
        """``igraph`` when igraph computes the costly measures (installed, and a large graph), else ``networkx``."""
        return "igraph" if self._engine() is not None else "networkx"

    def _engine(self) -> _IgraphEngine | None:
        if self._compiled is False:
            self._compiled = _compiled_engine(self._source) if self.nodes >= COMPILED_MIN_NODES else None
        return self._compiled  # type: ignore[return-value]

    def _distance_graph(self) -> Any:
        if self._distances is None:
            distances = self.graph.copy()
            for _, _, data in distances.edges(data=True):
                data["distance"] = 1.0 / float(data.get("weight", 1.0) or 1.0)
            self._distances = distances
        return self._distances

    def __getitem__(self, measure: str) -> dict[Hashable, float]:
        """The value of ``measure`` (one of :data:`CENTRALITIES`) for every node."""
        if measure not in self._values:
            if measure not in CENTRALITIES:
                raise UsageError(f"unknown centrality {measure!r} (known: {', '.join(CENTRALITIES)})")
            self._values[measure] = getattr(self, "_" + measure)() if self.nodes else {}
        return self._values[measure]

    def _pagerank(self) -> dict:
        import networkx as nx

        if self.directed is not None:  # scipy's sparse power iteration: seconds at 100,000 nodes
            return nx.pagerank(self.directed, weight="weight")
        engine = self._engine()
        return engine.pagerank() if engine is not None else nx.pagerank(self.graph, weight="weight")

    def _degree(self) -> dict:
        import networkx as nx

        return nx.degree_centrality(self.graph) if self.nodes > 1 else {n: 0.0 for n in self.graph}

    def _in_degree(self) -> dict:
        degrees = self.directed.in_degree() if self.directed is not None else self.graph.degree()
        return {node: float(value) for node, value in degrees}

    def _weighted_degree(self) -> dict:
        return {node: float(value) for node, value in self.graph.degree(weight="weight")}

    def _eigenvector(self) -> dict:
        import networkx as nx

        engine = self._engine()
        if engine is not None:
            return engine.eigenvector()
        try:
            return nx.eigenvector_centrality(self.graph, weight="weight", max_iter=1000, tol=1e-6)
        except (nx.PowerIterationFailedConvergence, nx.NetworkXException):
            self.methods.append("eigenvector centrality by the sparse eigen-solver (power iteration did not converge)")
            return nx.eigenvector_centrality_numpy(self.graph, weight="weight")

    def _betweenness(self) -> dict:
        import networkx as nx

        k = self.samples
        if k is not None:
            engine = self._engine()
            edges = engine.graph.ecount() if engine is not None else self.graph.number_of_edges()
            fewer = f" and {edges} edges" if k < min(BETWEENNESS_SAMPLES, self.nodes) else ""
            self.approximations.append(
                f"betweenness estimated from {k} sampled sources (seed {SEED}): the graph has {self.nodes} nodes"
                f"{fewer}, more than {self.exact_betweenness_max}"
            )
        engine = self._engine()
        if engine is not None:
            return engine.betweenness(k)
        if k is not None:
            return nx.betweenness_centrality(self._distance_graph(), k=k, weight="distance", seed=SEED)
        return nx.betweenness_centrality(self._distance_graph(), weight="distance")

    def closeness(self, nodes: Iterable[Hashable]) -> dict[Hashable, float]:
        """Closeness of ``nodes`` only (exact for each; Wasserman-Faust scaling where some are unreachable)."""
        import networkx as nx

        chosen = list(nodes)
        engine = self._engine()
        if engine is not None:
            return engine.closeness(chosen)
        distances = self._distance_graph()
        return {n: nx.closeness_centrality(distances, u=n, distance="distance") for n in chosen}

    def communities(self) -> list[set]:
        """Louvain communities over edge weights (seeded: the same graph gives the same communities)."""
        import networkx as nx

        if not self.nodes:
            return []
        engine = self._engine()
        if engine is not None:
            return engine.communities()
        return nx.community.louvain_communities(self.graph, weight="weight", seed=SEED)


def centrality(
    graph: Any, measure: str = "pagerank", *, exact_betweenness_max: int = EXACT_BETWEENNESS_MAX_NODES
) -> dict[Hashable, float]:
    """One of :data:`CENTRALITIES` for every node of ``graph`` (see :class:`Centralities`).

    Examples
    --------
    >>> import networkx as nx
    >>> centrality(nx.star_graph(2), "degree")
    {0: 1.0, 1: 0.5, 2: 0.5}
    """
    return Centralities(graph, exact_betweenness_max=exact_betweenness_max)[measure]


def analyze(
    graph: Any,
    top: int = 20,
    sort_by: str = "pagerank",
    exact_betweenness_max: int = EXACT_BETWEENNESS_MAX_NODES,
    directed: bool = False,
) -> Analysis:
    """Centralities of every node, the ``top`` nodes by ``sort_by``, communities and components.

    ``graph`` is a NetworkX graph whose nodes have ``label`` and ``type``
    (a view of :mod:`kg.network.projections`); a directed graph is analysed
    as undirected, but for PageRank and in-degree with ``directed`` (see :class:`Centralities`).
    Betweenness is sampled above ``exact_betweenness_max`` nodes.

    Raises
    ------
    kg.errors.UsageError
        ``sort_by`` is not one of :data:`CENTRALITIES`.
    """
    import networkx as nx

    require_centrality(sort_by, "sort_by")
    measures = Centralities(graph, exact_betweenness_max=exact_betweenness_max, directed=directed)
    undirected = measures.graph
    result = Analysis(nodes=undirected.number_of_nodes(), edges=undirected.number_of_edges())
    if result.nodes == 0:
        return result
    if measures.engine == "igraph":
        result.methods.append(
            f"PageRank, eigenvector, betweenness, closeness and communities (Louvain) computed by igraph: the graph "
            f"has {result.nodes} nodes, at least {COMPILED_MIN_NODES}"
        )
    values = {name: measures[name] for name in CENTRALITIES}
    communities = sorted(measures.communities(), key=lambda c: (-len(c), min(c)))
    community_of = {node: index for index, members in enumerate(communities, start=1) for node in members}
    order = sorted(undirected, key=lambda n: (-values[sort_by][n], str(undirected.nodes[n].get("label", n))))
    chosen = order[:top] if top else order
    closeness = measures.closeness(chosen)
    result.approximations.extend(measures.approximations)
    result.methods.extend(measures.methods)
    if len(chosen) < result.nodes:
        result.methods.append(
            f"closeness computed for the {len(chosen)} nodes shown only (exact for each), not for all {result.nodes}"
        )
    for rank, node in enumerate(chosen, start=1):
        attributes = undirected.nodes[node]
        result.ranking.append({
            "rank": rank,
            "node": node,
            "label": attributes.get("label", str(node)),
            "type": attributes.get("type", ""),
            "degree": undirected.degree(node),
            "in_degree": int(values["in_degree"][node]),
            "degree_centrality": round(values["degree"][node], 4),
            "weighted_degree": round(float(values["weighted_degree"][node]), 4),
            "betweenness": round(values["betweenness"][node], 4),
            "closeness": round(closeness[node], 4),
            "pagerank": round(values["pagerank"][node], 4),
            "eigenvector": round(values["eigenvector"][node], 4),
            "community": community_of[node],
        })  # fmt: skip
    pagerank = values["pagerank"]
    for members in communities[:10]:
        best = sorted(members, key=lambda n: (-pagerank[n], str(undirected.nodes[n].get("label", n))))[:5]
        result.communities.append({
            "id": community_of[best[0]],
            "size": len(members),
            "top": [undirected.nodes[n].get("label", str(n)) for n in best],
        })  # fmt: skip
    result.components = sorted((len(c) for c in nx.connected_components(undirected)), reverse=True)
    return result


class _IgraphEngine:
    """The costly measures of one undirected weighted graph, by igraph, normalised as NetworkX does."""

    def __init__(self, graph: Any) -> None:
        import igraph

        if hasattr(graph, "source"):  # plain arrays (kg.network.projections.TypedParts): no NetworkX at all
            self.nodes = list(graph.nodes)
            index = graph.index
            ends, weights = _undirected_arrays(len(self.nodes), graph.source, graph.target, graph.weight)
            flat = ends.ravel().tolist()  # igraph reads a list of pairs twice as fast as an array of rows
            edges = list(zip(flat[0::2], flat[1::2], strict=True))
        else:
            self.nodes = list(graph)
            index = {node: i for i, node in enumerate(self.nodes)}
            edges, weights = [], []
            for a, b, weight in _undirected_edges(graph):
                edges.append((index[a], index[b]))
                weights.append(float(weight or 1.0))
        self.graph = igraph.Graph(n=len(self.nodes), edges=edges, directed=False)
        self.graph.es["weight"] = weights
        self.graph.es["distance"] = [1.0 / w for w in weights]
        self.index = index

    def pagerank(self) -> dict:
        # ARPACK, not igraph's default PRPACK: the same figures (to 1e-16 here), and PRPACK took 0.5 s on a
        # 12,000-node typed graph with fractional weights where ARPACK took 0.05 s (no slower at 100,000 nodes).
        with _seeded():
            values = self.graph.pagerank(weights="weight", damping=0.85, implementation="arpack")
        return dict(zip(self.nodes, values, strict=True))

    def eigenvector(self) -> dict:
        import warnings

        with warnings.catch_warnings(), _seeded():  # a disconnected graph is normal here (NetworkX says nothing)
            warnings.simplefilter("ignore", RuntimeWarning)
            eigen = self.graph.eigenvector_centrality(weights="weight", scale=False)
        norm = sum(x * x for x in eigen) ** 0.5 or 1.0
        return {node: value / norm for node, value in zip(self.nodes, eigen, strict=True)}

    def betweenness(self, k: int | None) -> dict:
        import random

        n = len(self.nodes)
        if k is None:
            raw, scale = self.graph.betweenness(weights="distance"), 2.0
        else:
            # The sources NetworkX would sample with the same seed, so both engines estimate alike.
            sources = random.Random(SEED).sample(self.nodes, k)
            raw = self._summed_betweenness([self.index[s] for s in sources])
            scale = 2.0 * n / k  # igraph counts each sampled source once per pair, NetworkX twice
        pairs = (n - 1) * (n - 2)
        return {node: x * scale / pairs if pairs else 0.0 for node, x in zip(self.nodes, raw, strict=True)}

    def _summed_betweenness(self, sources: list[int]) -> list[float]:
        """Betweenness from ``sources``: each chunk's sum (in forked processes when there are cores), then their sum.

        python-igraph holds the GIL while it computes, so threads would not help; forked processes share the
        graph without copying it and send back one number per node.
        """
        chunks = [sources[i::BETWEENNESS_CHUNKS] for i in range(BETWEENNESS_CHUNKS)]
        chunks = [chunk for chunk in chunks if chunk]
        workers = min(len(chunks), os.cpu_count() or 1) if hasattr(os, "fork") else 1
        if workers > 1:
            from kg.io.workers import worker_pool

            global _FORKED_GRAPH
            _FORKED_GRAPH = self.graph  # inherited by the forked workers, never pickled
            try:
                with worker_pool(workers) as pool:
                    parts = list(pool.map(_chunk_betweenness, chunks))
            finally:
                _FORKED_GRAPH = None
        else:
            parts = [self.graph.betweenness(weights="distance", sources=chunk) for chunk in chunks]
        return [sum(values) for values in zip(*parts, strict=True)]

    def communities(self) -> list[set]:
        with _seeded():
            clusters = self.graph.community_multilevel(weights="weight")
        return [{self.nodes[i] for i in members} for members in clusters]

    def closeness(self, chosen: list) -> dict:
        """Closeness of ``chosen`` as NetworkX gives it (Wasserman-Faust scaling for unreachable nodes)."""
        n = len(self.nodes)
        component_of = self.graph.connected_components().membership
        sizes = Counter(component_of)
        vertices = [self.index[node] for node in chosen]
        values = self.graph.closeness(vertices=vertices, weights="distance", normalized=True)
        out = {}
        for node, vertex, value in zip(chosen, vertices, values, strict=True):
            reachable = sizes[component_of[vertex]]
            out[node] = (value or 0.0) * (reachable - 1) / (n - 1) if n > 1 and reachable > 1 else 0.0
        return out


@contextmanager
def _seeded() -> Iterator[None]:
    """Python's random module seeded with :data:`SEED` for the duration, then as it was.

    python-igraph draws from it: Louvain's order, and ARPACK's start vector (PageRank and eigenvector
    centrality differed in their last digits from one run to the next without it).
    """
    import random

    state = random.getstate()
    random.seed(SEED)
    try:
        yield
    finally:
        random.setstate(state)


def _samples(nodes: int, edges: int) -> int:
    """How many sources sampled betweenness starts from on a graph of ``nodes`` and ``edges``.

    Examples
    --------
    >>> _samples(5_000, 40_000), _samples(100_000, 1_000_000), _samples(1_000_000, 20_000_000), _samples(300, 900)
    (500, 100, 100, 300)
    """
    budget = max(BETWEENNESS_MIN_SAMPLES, BETWEENNESS_WORK // max(edges, 1))
    return min(BETWEENNESS_SAMPLES, budget, nodes)


_FORKED_GRAPH: Any = None


def _chunk_betweenness(sources: list[int]) -> list[float]:
    """In a forked worker: the betweenness contributions of ``sources`` on the graph the parent set aside."""
    return _FORKED_GRAPH.betweenness(weights="distance", sources=sources)


def _compiled_engine(graph: Any) -> _IgraphEngine | None:
    try:
        import igraph  # noqa: F401
    except ImportError:
        return None
    return _IgraphEngine(graph)
