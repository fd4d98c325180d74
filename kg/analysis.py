"""Centrality, communities, components and trends: graphs in, tables out.

Distances for betweenness and closeness are ``1 / weight`` (two authors with
many joint papers are close). Large graphs use the documented
approximations, and :attr:`Analysis.approximations` says which ones ran:

- betweenness on more than :data:`EXACT_BETWEENNESS_MAX_NODES` nodes is
  estimated from ``k`` sampled sources with a fixed seed (Brandes & Pich);
- closeness is exact, but computed only for the nodes reported (one
  shortest-path run each), not for every node.

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
    (a projection of :mod:`kg.export.networkx`); a directed graph is analysed
    as undirected. Betweenness is sampled above ``exact_betweenness_max`` nodes.
    """
    import networkx as nx

    undirected = graph.to_undirected() if graph.is_directed() else graph
    result = Analysis(nodes=undirected.number_of_nodes(), edges=undirected.number_of_edges())
    if result.nodes == 0:
        return result
    degree = nx.degree_centrality(undirected) if result.nodes > 1 else {n: 0.0 for n in undirected}
    strength = dict(undirected.degree(weight="weight"))
    pagerank = nx.pagerank(undirected, weight="weight")
    eigenvector = _eigenvector(undirected, result)
    distances = _distance_graph(undirected)
    if result.nodes > exact_betweenness_max:
        k = min(BETWEENNESS_SAMPLES, result.nodes)
        betweenness = nx.betweenness_centrality(distances, k=k, weight="distance", seed=SEED)
        result.approximations.append(
            f"betweenness estimated from {k} sampled sources (seed {SEED}): the graph has {result.nodes} nodes, "
            f"more than {exact_betweenness_max}"
        )
    else:
        betweenness = nx.betweenness_centrality(distances, weight="distance")
    communities = nx.community.louvain_communities(undirected, weight="weight", seed=SEED)
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
