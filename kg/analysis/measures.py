"""Centrality, communities, components and trends: graphs in, tables out.

Distances for betweenness and closeness are ``1 / weight`` (two authors with
many joint papers are close). Large graphs use the documented
approximations, and :attr:`Analysis.approximations` says which ones ran:

- betweenness on more than :data:`EXACT_BETWEENNESS_MAX_NODES` nodes is
  estimated from ``k`` sampled sources with a fixed seed (Brandes & Pich);
- closeness is exact, but computed only for the nodes reported (one
  shortest-path run each), not for every node;
- from :data:`COMPILED_MIN_NODES` nodes on, igraph computes PageRank,
  eigenvector, betweenness (the same sampled sources), closeness and Louvain
  communities when it is installed (``pip install 'kg[fast-graphs]'``), with
  NetworkX's normalisations.

Examples
--------
>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_edge("a", "b", weight=2); g.add_edge("b", "c", weight=1)
>>> for n in g: g.nodes[n].update(type="author", label=n.upper())
>>> result = analyze(g, top=2)
>>> [row["label"] for row in result.ranking]
['B', 'A']
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

EXACT_BETWEENNESS_MAX_NODES = 3000
# From this size on, igraph (compiled) computes the costly measures when installed: NetworkX's sampled
# betweenness alone took ~80 s on a 5,000-author graph and would take hours at 100,000.
COMPILED_MIN_NODES = 1_000
BETWEENNESS_SAMPLES = 500
SEED = 42


@dataclass
class Analysis:
    """The results of :func:`analyze`, ready to print or dump as JSON."""

    nodes: int
    edges: int
    ranking: list[dict] = field(default_factory=list)
    communities: list[dict] = field(default_factory=list)
    components: list[int] = field(default_factory=list)
    approximations: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "nodes": self.nodes,
            "edges": self.edges,
            "approximations": self.approximations,
            "components": {"count": len(self.components), "sizes": self.components[:20]},
            "communities": self.communities,
            "ranking": self.ranking,
        }


def _distance_graph(graph):
    distances = graph.copy()
    for _, _, data in distances.edges(data=True):
        data["distance"] = 1.0 / float(data.get("weight", 1.0) or 1.0)
    return distances


def analyze(
    graph, top: int = 20, sort_by: str = "pagerank", exact_betweenness_max: int = EXACT_BETWEENNESS_MAX_NODES
) -> Analysis:
    """Centralities of every node, the ``top`` nodes by ``sort_by``, communities and components.

    ``graph`` is a NetworkX graph whose nodes have ``label`` and ``type``
    (a projection of :mod:`kg.network.projections`); a directed graph is analysed
    as undirected. Betweenness is sampled above ``exact_betweenness_max`` nodes.
    """
    import networkx as nx

    undirected = graph.to_undirected() if graph.is_directed() else graph
    result = Analysis(nodes=undirected.number_of_nodes(), edges=undirected.number_of_edges())
    if result.nodes == 0:
        return result
    degree = nx.degree_centrality(undirected) if result.nodes > 1 else {n: 0.0 for n in undirected}
    strength = dict(undirected.degree(weight="weight"))
    compiled = _compiled_engine(undirected) if result.nodes >= COMPILED_MIN_NODES else None
    k = min(BETWEENNESS_SAMPLES, result.nodes) if result.nodes > exact_betweenness_max else None
    if compiled is not None:
        pagerank, eigenvector, betweenness, communities = compiled.measures(k)
        result.approximations.append(
            f"PageRank, eigenvector, betweenness, closeness and communities (Louvain) computed by igraph: the graph "
            f"has {result.nodes} nodes, at least {COMPILED_MIN_NODES}"
        )
    else:
        pagerank = nx.pagerank(undirected, weight="weight")
        eigenvector = _eigenvector(undirected, result)
        distances = _distance_graph(undirected)
        if k is not None:
            betweenness = nx.betweenness_centrality(distances, k=k, weight="distance", seed=SEED)
        else:
            betweenness = nx.betweenness_centrality(distances, weight="distance")
        communities = nx.community.louvain_communities(undirected, weight="weight", seed=SEED)
    if k is not None:
        result.approximations.append(
            f"betweenness estimated from {k} sampled sources (seed {SEED}): the graph has {result.nodes} nodes, "
            f"more than {exact_betweenness_max}"
        )
    community_of = {}
    for index, members in enumerate(sorted(communities, key=lambda c: (-len(c), min(c)))):
        for node in members:
            community_of[node] = index + 1
    measures = {"pagerank": pagerank, "degree": degree, "weighted_degree": strength,
                "betweenness": betweenness, "eigenvector": eigenvector}  # fmt: skip
    if sort_by not in measures:
        raise ValueError(f"cannot sort by {sort_by!r}")
    order = sorted(undirected, key=lambda n: (-measures[sort_by][n], str(undirected.nodes[n].get("label", n))))
    chosen = order[:top] if top else order
    if compiled is not None:
        closeness = compiled.closeness(chosen)
    else:
        closeness = {n: nx.closeness_centrality(distances, u=n, distance="distance") for n in chosen}
    if len(chosen) < result.nodes:
        result.approximations.append(
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
            "degree_centrality": round(degree[node], 4),
            "weighted_degree": round(float(strength[node]), 4),
            "betweenness": round(betweenness[node], 4),
            "closeness": round(closeness[node], 4),
            "pagerank": round(pagerank[node], 4),
            "eigenvector": round(eigenvector[node], 4),
            "community": community_of[node],
        })  # fmt: skip
    for members in sorted(communities, key=lambda c: (-len(c), min(c)))[:10]:
        best = sorted(members, key=lambda n: (-pagerank[n], str(undirected.nodes[n].get("label", n))))[:5]
        result.communities.append({
            "id": community_of[best[0]],
            "size": len(members),
            "top": [undirected.nodes[n].get("label", str(n)) for n in best],
        })  # fmt: skip
    result.components = sorted((len(c) for c in nx.connected_components(undirected)), reverse=True)
    return result


def _eigenvector(graph, result: Analysis) -> dict:
    import networkx as nx

    try:
        return nx.eigenvector_centrality(graph, weight="weight", max_iter=1000, tol=1e-6)
    except (nx.PowerIterationFailedConvergence, nx.NetworkXException):
        result.approximations.append(
            "eigenvector centrality by the sparse eigen-solver (power iteration did not converge)"
        )
        return nx.eigenvector_centrality_numpy(graph, weight="weight")


def papers_per_year(data, top: int = 10, author: str | None = None) -> dict[str, dict[int, int]]:
    """Paper counts per year: for the ``top`` topics, or for one author (by name, case-insensitive).

    Returns ``{label: {year: papers}}``, years ascending; undated papers are left out.
    """
    year_of = {paper: info["year"] for paper, info in data.papers.items() if info["year"] is not None}
    if author is not None:
        wanted = author.casefold()
        matches = [n for n, (kind, label, _) in data.labels.items() if kind == "author" and label.casefold() == wanted]
        counts: defaultdict[str, Counter] = defaultdict(Counter)
        for node, paper in data.authored:
            if node in matches and paper in year_of:
                counts[data.label(node)][year_of[paper]] += 1
        return {name: dict(sorted(c.items())) for name, c in sorted(counts.items())}
    per_topic: defaultdict[str, Counter] = defaultdict(Counter)
    for paper, topic in data.cites:
        if paper in year_of:
            per_topic[topic][year_of[paper]] += 1
    largest = sorted(per_topic, key=lambda t: (-sum(per_topic[t].values()), data.label(t)))[:top]
    return {data.label(t): dict(sorted(per_topic[t].items())) for t in largest}


class _IgraphEngine:
    """The costly measures of one undirected weighted graph, by igraph, normalised as NetworkX does."""

    def __init__(self, graph) -> None:
        import igraph

        self.nodes = list(graph)
        index = {node: i for i, node in enumerate(self.nodes)}
        edges = [(index[a], index[b]) for a, b in graph.edges()]
        weights = [float(data.get("weight", 1.0) or 1.0) for _, _, data in graph.edges(data=True)]
        self.graph = igraph.Graph(n=len(self.nodes), edges=edges, directed=False)
        self.graph.es["weight"] = weights
        self.graph.es["distance"] = [1.0 / w for w in weights]
        self.index = index

    def measures(self, k: int | None):
        import random
        import warnings

        n = len(self.nodes)
        pagerank = self.graph.pagerank(weights="weight", damping=0.85)
        with warnings.catch_warnings():  # a disconnected graph is normal here (NetworkX's path says nothing)
            warnings.simplefilter("ignore", RuntimeWarning)
            eigen = self.graph.eigenvector_centrality(weights="weight", scale=False)
        norm = sum(x * x for x in eigen) ** 0.5 or 1.0
        if k is None:
            raw, scale = self.graph.betweenness(weights="distance"), 2.0
        else:
            # The sources NetworkX would sample with the same seed, so both engines estimate alike.
            sources = random.Random(SEED).sample(self.nodes, k)
            raw = self.graph.betweenness(weights="distance", sources=[self.index[s] for s in sources])
            scale = 2.0 * n / k  # igraph counts each sampled source once per pair, NetworkX twice
        pairs = (n - 1) * (n - 2)
        betweenness = [x * scale / pairs if pairs else 0.0 for x in raw]
        state = random.getstate()
        random.seed(SEED)  # python-igraph draws from Python's random module: seeded, communities repeat
        try:
            clusters = self.graph.community_multilevel(weights="weight")
        finally:
            random.setstate(state)
        communities = [{self.nodes[i] for i in members} for members in clusters]
        by_node = dict(zip(self.nodes, zip(pagerank, eigen, betweenness, strict=True), strict=True))
        return (
            {node: values[0] for node, values in by_node.items()},
            {node: values[1] / norm for node, values in by_node.items()},
            {node: values[2] for node, values in by_node.items()},
            communities,
        )

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


def _compiled_engine(graph) -> _IgraphEngine | None:
    try:
        import igraph  # noqa: F401
    except ImportError:
        return None
    return _IgraphEngine(graph)
