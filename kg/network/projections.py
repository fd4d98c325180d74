"""The knowledge graph as NetworkX graphs: the whole typed graph and its projections.

Only chosen predicates become edges (``kg:authored``, ``kg:citesTopic``,
``kg:affiliated``); rdf:type, provenance and literals never do. Every node
has a ``type`` (paper, author, topic, org) and a ``label``.

Projections (undirected, weighted):

``coauthor``
    authors; an edge per pair who wrote a paper together, ``weight`` = joint
    papers, ``papers`` = their titles.
``author-topic``
    authors and topics; ``weight`` = the author's papers on the topic.
``org``
    orgs; an edge per pair tied to one paper, ``weight`` = shared papers.
``topic``
    topics; an edge per pair on one paper, ``weight`` = papers with both.

Examples
--------
>>> from kg.records import AuthorRef, Record, SourceRef
>>> from kg.graph import KnowledgeGraph
>>> graph = KnowledgeGraph.from_records([Record(title="T", authors=(AuthorRef("Ann Lee"), AuthorRef("Bo Chen")),
...                                             source=SourceRef("p", 1, "x"))])
>>> g = projection(load_graph_data(graph), "coauthor")
>>> sorted(g.nodes[n]["label"] for n in g), [d["weight"] for _, _, d in g.edges(data=True)]
(['Ann Lee', 'Bo Chen'], [1])
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from kg.errors import UsageError
from kg.namespace import KG
from kg.queries import load_query
from kg.text import sanitize_text

PROJECTIONS = ("full", "coauthor", "author-topic", "org", "topic")


@dataclass
class GraphData:
    """What the NetworkX views are made of, read from the RDF graph once."""

    papers: dict[str, dict] = field(default_factory=dict)
    labels: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)  # node -> (type, label, code)
    authored: list[tuple[str, str]] = field(default_factory=list)  # (author, paper)
    cites: list[tuple[str, str]] = field(default_factory=list)  # (paper, topic)
    affiliated: list[tuple[str, str]] = field(default_factory=list)  # (author or paper, org)
    paper_orgs: list[tuple[str, str]] = field(default_factory=list)  # (paper, org), via authorships too
    topic_scores: dict[tuple[str, str], float] = field(default_factory=dict)

    def label(self, node: str) -> str:
        if node in self.papers:
            return self.papers[node]["label"]
        return self.labels.get(node, ("", node.rsplit("/", 1)[-1], None))[1]

    def node_type(self, node: str) -> str:
        return "paper" if node in self.papers else self.labels.get(node, ("other", "", None))[0]


def load_graph_data(graph) -> GraphData:
    """Read papers, labels and the chosen edges of a :class:`kg.graph.KnowledgeGraph`."""
    data = GraphData()
    abstracts = {r["paper"]: r["abstract"] for r in graph.query(load_query("nx_abstracts")).as_dicts()}
    for row in graph.query(load_query("nx_papers")).as_dicts():
        title = row["title"]
        abstract = abstracts.get(row["paper"])
        label = title or (abstract[:60] + "…" if abstract and len(abstract) > 60 else abstract) or row["paper"]
        data.papers[row["paper"]] = {
            "label": label,
            "title": title,
            "date": row["date"],
            "year": int(row["date"][:4]) if row["date"] else None,
            "sources": sorted(filter(None, (row["sources"] or "").split("\n"))),
            "abstract": abstract,
        }
    for row in graph.query(load_query("nx_labels")).as_dicts():
        data.labels[row["node"]] = (row["type"], row["label"], row["notation"])
    for row in graph.query(load_query("nx_edges")).as_dicts():
        pair = (row["source"], row["target"])
        if row["predicate"] == KG.authored:
            data.authored.append(pair)
        elif row["predicate"] == KG.citesTopic:
            data.cites.append(pair)
        elif row["target"] in data.labels:
            data.affiliated.append(pair)
    data.paper_orgs = [(r["paper"], r["org"]) for r in graph.query(load_query("nx_paper_orgs")).as_dicts()]
    for row in graph.query(load_query("nx_topic_scores")).as_dicts():
        data.topic_scores[(row["paper"], row["topic"])] = row["score"]
    for pairs in (data.authored, data.cites, data.affiliated, data.paper_orgs):
        pairs.sort()
    return data


def filtered(data: GraphData, since: int | None = None) -> GraphData:
    """``data`` without papers published before ``since`` (undated papers are dropped too)."""
    if since is None:
        return data
    keep = {p for p, info in data.papers.items() if info["year"] is not None and info["year"] >= since}
    return GraphData(
        papers={p: info for p, info in data.papers.items() if p in keep},
        labels=data.labels,
        authored=[(a, p) for a, p in data.authored if p in keep],
        cites=[(p, t) for p, t in data.cites if p in keep],
        affiliated=[(s, o) for s, o in data.affiliated if s in keep or s not in data.papers],
        paper_orgs=[(p, o) for p, o in data.paper_orgs if p in keep],
        topic_scores={k: v for k, v in data.topic_scores.items() if k[0] in keep},
    )


def typed_graph(data: GraphData):
    """The whole graph: papers, authors, topics and orgs with ``authored``, ``citesTopic``, ``affiliated`` edges."""
    import networkx as nx

    graph = nx.DiGraph()
    for paper, info in data.papers.items():
        graph.add_node(paper, type="paper", label=info["label"], title=info["title"] or "", date=info["date"] or "",
                       sources="\n".join(info["sources"]))  # fmt: skip
    for predicate, pairs in (("authored", data.authored), ("citesTopic", data.cites), ("affiliated", data.affiliated)):
        for source, target in pairs:
            for node in (source, target):
                if node not in graph:
                    kind, label, code = data.labels.get(node, ("other", node, None))
                    graph.add_node(node, type=kind, label=label, **({"code": code} if code else {}))
            weight = data.topic_scores.get((source, target), 1.0)
            graph.add_edge(source, target, predicate=predicate, weight=weight)
    return graph


def _pair_graph(data: GraphData, groups: dict[str, list[str]], kind: str):
    """Nodes of one kind, linked when they share a paper; weight = shared papers."""
    import networkx as nx

    graph = nx.Graph()
    shared: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    for paper, members in groups.items():
        for node in members:
            if node not in graph:
                graph.add_node(node, type=kind, label=data.label(node))
        for a, b in itertools.combinations(sorted(set(members)), 2):
            shared[(a, b)].append(data.papers[paper]["label"] if paper in data.papers else paper)
    for (a, b), papers in sorted(shared.items()):
        graph.add_edge(a, b, weight=len(papers), papers="; ".join(sorted(papers)))
    return graph


def projection(data: GraphData, name: str):
    """One of :data:`PROJECTIONS` as a NetworkX graph."""
    if name == "full":
        return typed_graph(data)
    if name == "coauthor":
        groups: defaultdict[str, list[str]] = defaultdict(list)
        for author, paper in data.authored:
            groups[paper].append(author)
        return _pair_graph(data, groups, "author")
    if name == "org":
        groups = defaultdict(list)
        for paper, org in data.paper_orgs:
            groups[paper].append(org)
        return _pair_graph(data, groups, "org")
    if name == "topic":
        groups = defaultdict(list)
        for paper, topic in data.cites:
            groups[paper].append(topic)
        return _pair_graph(data, groups, "topic")
    if name == "author-topic":
        return _author_topic(data)
    raise UsageError(f"unknown projection {name!r} (known: {', '.join(PROJECTIONS)})")


def _author_topic(data: GraphData):
    import networkx as nx

    topics_of: defaultdict[str, list[str]] = defaultdict(list)
    for paper, topic in data.cites:
        topics_of[paper].append(topic)
    counts: defaultdict[tuple[str, str], int] = defaultdict(int)
    for author, paper in data.authored:
        for topic in topics_of[paper]:
            counts[(author, topic)] += 1
    graph = nx.Graph()
    for (author, topic), count in sorted(counts.items()):
        graph.add_node(author, type="author", label=data.label(author))
        graph.add_node(topic, type="topic", label=data.label(topic))
        graph.add_edge(author, topic, weight=count)
    return graph


def _xml_safe(graph):
    """A copy whose string attributes hold only characters XML 1.0 allows (control characters dropped)."""

    def clean(attributes: dict) -> dict:
        return {k: sanitize_text(v) if isinstance(v, str) else v for k, v in attributes.items()}

    safe = graph.__class__()
    safe.add_nodes_from((node, clean(data)) for node, data in graph.nodes(data=True))
    safe.add_edges_from((a, b, clean(data)) for a, b, data in graph.edges(data=True))
    return safe


def write_graph(graph, path: str) -> str:
    """Write ``graph`` as GraphML (.graphml) or GEXF (.gexf), atomically; returns the format name."""
    import io

    import networkx as nx

    from kg.io.outputs import atomic_write

    suffix = str(path).lower().rsplit(".", 1)[-1] if "." in str(path) else ""
    writers = {"graphml": (nx.write_graphml, "GraphML"), "gexf": (nx.write_gexf, "GEXF")}
    if suffix not in writers:
        raise UsageError(f"{path}: export writes .graphml or .gexf, not {('.' + suffix) if suffix else 'no extension'}")
    writer, name = writers[suffix]
    buffer = io.BytesIO()
    writer(_xml_safe(graph), buffer)
    with atomic_write(path) as handle:
        handle.write(buffer.getvalue())
    return name
