"""The NetworkX views of the read model: the whole typed graph and its projections.

Every view is made from a :class:`kg.network.readmodel.GraphData` (read from
the RDF graph once) and leaves it unchanged. Every node has a ``type``
(paper, author, topic, org) and a ``label``.

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

Citation views (``kg:cites``; works known only from reference lists take part, ``cited_only`` true):

``citation`` (directed)
    papers and the works they cite; an edge citing -> cited, ``weight`` 1.
``cocitation``
    works cited by at least :data:`MIN_COCITATIONS` papers of the graph; an edge per pair cited
    together by one paper, ``weight`` = papers citing both.
``coupling``
    papers of the graph; an edge per pair whose reference lists share a work, ``weight`` = shared works.
``author-cocitation``
    the first authors of cited works (one node per family name and first initial, so "KAMADA T" of
    a reference and "Tomihisa Kamada" of a paper are one), cited by at least :data:`MIN_COCITATIONS` papers;
    an edge per pair cited together by one paper, ``weight`` = papers citing both.

Work nodes of the citation views carry ``year`` (0 when unknown) and ``cited_only``.

Examples
--------
>>> from kg.records import AuthorRef, Record, SourceRef
>>> from kg.graph import KnowledgeGraph
>>> from kg.network.readmodel import load_graph_data
>>> graph = KnowledgeGraph.from_records([Record(title="T", authors=(AuthorRef("Ann Lee"), AuthorRef("Bo Chen")),
...                                             source=SourceRef("p", 1, "x"))])
>>> g = projection(load_graph_data(graph), "coauthor")
>>> sorted(g.nodes[n]["label"] for n in g), [d["weight"] for _, _, d in g.edges(data=True)]
(['Ann Lee', 'Bo Chen'], [1])
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Mapping

from kg.errors import UsageError
from kg.network.readmodel import GraphData, Numbered
from kg.resolve.keys import cited_author_key

PROJECTIONS = (
    "full", "coauthor", "author-topic", "org", "topic", "citation", "cocitation", "coupling", "author-cocitation"
)  # fmt: skip
DIRECTED = ("citation",)  # the views measured along their edges (PageRank, in-degree); "full" is directed too
CITATION_VIEWS = ("citation", "cocitation", "coupling", "author-cocitation")
# A work cited once is co-cited with every other reference of that one paper: noise, not structure
# (VOSviewer and CiteSpace apply such a threshold too).
MIN_COCITATIONS = 2


# What each view reads beyond papers, labels, authorship, topic and citation edges (see
# kg.network.readmodel.OPTIONAL_PARTS): each is a query over the whole graph, so a view reads only its own.
_PARTS_OF = {"full": ("sources", "topic_scores"), "org": ("paper_orgs",)}


def parts_of(name: str) -> tuple[str, ...]:
    """The optional parts of the read model the view ``name`` needs (:func:`kg.network.readmodel.load_graph_data`).

    Examples
    --------
    >>> parts_of("coauthor"), parts_of("org")
    ((), ('paper_orgs',))
    """
    return _PARTS_OF.get(require_projection(name), ())


def require_projection(name: str) -> str:
    """``name`` if it is one of :data:`PROJECTIONS`, else a usage error.

    Examples
    --------
    >>> require_projection("coauthor")
    'coauthor'
    >>> require_projection("people")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: unknown projection 'people' (known: full, coauthor, author-topic, org, topic, citation, ...
    """
    if name not in PROJECTIONS:
        raise UsageError(f"unknown projection {name!r} (known: {', '.join(PROJECTIONS)})")
    return name


def _node_attributes(data: GraphData, node: str) -> dict:
    kind, label, code = data.labels.get(node, ("other", node, None))
    return {"type": kind, "label": label, **({"code": code} if code else {})}


class TypedParts:
    """The whole typed graph as plain arrays (what :func:`typed_graph` makes into NetworkX), for views too large
    to make whole: igraph can be built from the arrays, and NetworkX for the nodes a page draws only.

    Attributes
    ----------
    nodes : list of str
        In the order :func:`typed_graph` adds them: papers, then the others as the edges first name them.
    kinds : list of str
        Each node's type.
    source, target : numpy.ndarray
        Each edge's ends (indices into ``nodes``), in the order :func:`typed_graph` adds the edges.
    weight : numpy.ndarray
        Each edge's ``weight``.
    predicate : list of str
        Each edge's ``predicate``.

    Examples
    --------
    >>> from kg.network.readmodel import GraphData, Paper
    >>> data = GraphData(papers={"p": Paper("P")}, labels={"a": ("author", "Ann", None)}, authored=(("a", "p"),))
    >>> parts = TypedParts(data)
    >>> parts.nodes, parts.kinds, parts.source.tolist(), parts.target.tolist()
    (['p', 'a'], ['paper', 'author'], [1], [0])
    >>> sorted(parts.networkx({"a"}).nodes(data="label"))
    [('a', 'Ann')]
    """

    def __init__(self, data: GraphData) -> None:
        import numpy as np

        self.data = data
        if data.numbered is not None:
            self._number(data.numbered)
            return
        index = {paper: i for i, paper in enumerate(data.papers)}
        ends, weights, self.predicate = [], [], []
        number = index.setdefault
        for predicate, pairs in (("authored", data.authored), ("citesTopic", data.cites),
                                 ("affiliated", data.affiliated)):  # fmt: skip
            # Each pair's source, then its target, numbered as first named (len is taken before each insertion).
            ends.extend(number(node, len(index)) for pair in pairs for node in pair)
            weights.extend(map(data.topic_scores.get, pairs, itertools.repeat(1.0)))
            self.predicate.extend([predicate] * len(pairs))
        sources, targets = ends[0::2], ends[1::2]
        self.nodes = list(index)
        self.index = index
        self.kinds = ["paper" if node in data.papers else data.labels.get(node, ("other",))[0] for node in self.nodes]
        self.source = np.asarray(sources, dtype=np.int64)
        self.target = np.asarray(targets, dtype=np.int64)
        self.weight = np.asarray(weights, dtype=float)

    def _number(self, numbered: Numbered) -> None:
        """What ``__init__`` makes, from the numbers a kept read model holds (with numpy, not one pair at a time)."""
        import numpy as np

        data, terms = self.data, numbered.terms
        kinds = [("authored", "authored"), ("citesTopic", "cites"), ("affiliated", "affiliated")]
        flat = np.concatenate([numbered.pairs[name].reshape(-1) for _, name in kinds])
        node_of = np.full(len(terms), -1, dtype=np.int64)
        node_of[numbered.papers] = np.arange(len(numbered.papers))
        # The other nodes, numbered as the edges first name them.
        unseen = flat[node_of[flat] < 0]
        found, first = np.unique(unseen, return_index=True)
        others = found[np.argsort(first, kind="stable")]
        node_of[others] = len(numbered.papers) + np.arange(len(others))
        self.nodes = [terms[i] for i in numbered.papers.tolist()] + [terms[i] for i in others.tolist()]
        self.index = {node: i for i, node in enumerate(self.nodes)}
        self.source, self.target = node_of[flat[0::2]], node_of[flat[1::2]]
        keys = np.concatenate([numbered.pairs[name] for _, name in kinds]) @ np.asarray([len(terms), 1])
        at = np.minimum(np.searchsorted(numbered.scored, keys), max(len(numbered.scored) - 1, 0))
        scored = numbered.scored[at] == keys if len(numbered.scored) else np.zeros(len(keys), dtype=bool)
        self.weight = np.where(scored, numbered.scores[at] if len(numbered.scored) else 1.0, 1.0)
        self.predicate = [kind for kind, name in kinds for _ in range(len(numbered.pairs[name]))]
        self.kinds = ["paper"] * len(numbered.papers) + [data.labels.get(node, ("other",))[0]
                                                         for node in self.nodes[len(numbered.papers):]]  # fmt: skip

    def __len__(self) -> int:
        return len(self.nodes)

    def attributes(self, node: str) -> dict:
        """The attributes :func:`typed_graph` gives ``node``."""
        info = self.data.papers.get(node)
        if info is not None:
            return {"type": "paper", "label": info.label, "title": info.title or "", "date": info.date or "",
                    "sources": "\n".join(info.sources)}  # fmt: skip
        return _node_attributes(self.data, node)

    def networkx(self, keep: set | None = None):
        """The typed graph in NetworkX (of the nodes in ``keep`` only, when given: what ``typed_graph(data)
        .subgraph(keep).copy()`` gives, with the same orders)."""
        import networkx as nx
        import numpy as np

        graph = nx.DiGraph()
        chosen = range(len(self.nodes)) if keep is None else [i for i, n in enumerate(self.nodes) if n in keep]
        graph.add_nodes_from((self.nodes[i], self.attributes(self.nodes[i])) for i in chosen)
        edges = np.arange(len(self.source))
        if keep is not None:
            inside = np.zeros(len(self.nodes), dtype=bool)
            inside[list(chosen)] = True
            edges = edges[inside[self.source] & inside[self.target]]
            edges = edges[np.argsort(self.source[edges], kind="stable")]  # a subgraph's copy: by source, in order
        nodes, source, target, weight = self.nodes, self.source.tolist(), self.target.tolist(), self.weight.tolist()
        graph.add_edges_from((nodes[source[e]], nodes[target[e]], {"predicate": self.predicate[e], "weight": weight[e]})
                             for e in edges.tolist())  # fmt: skip
        return graph


def typed_graph(data: GraphData):
    """The whole graph: papers, authors, topics and orgs with ``authored``, ``citesTopic``, ``affiliated`` edges.

    Edges are directed as stated (author -> paper, paper -> topic, author or
    paper -> org); ``weight`` is the topic's score for a topic found in text, else 1.

    Examples
    --------
    >>> from kg.network.readmodel import GraphData, Paper
    >>> data = GraphData(papers={"p": Paper("P")}, labels={"a": ("author", "Ann", None)}, authored=(("a", "p"),))
    >>> g = typed_graph(data)
    >>> [(a, b, d["predicate"]) for a, b, d in g.edges(data=True)], g.nodes["a"]
    ([('a', 'p', 'authored')], {'type': 'author', 'label': 'Ann'})
    """
    return TypedParts(data).networkx()


def _pair_graph(data: GraphData, groups: Mapping[str, tuple[str, ...]], kind: str, titles: bool = True):
    """Nodes of one kind, linked when they share a paper; weight = shared papers (and their titles, with ``titles``)."""
    import networkx as nx

    graph = nx.Graph()
    if not titles:  # counting only: a third of the time on a 50,000-author graph
        counts: Counter[tuple[str, str]] = Counter()
        for members in groups.values():
            for node in members:
                if node not in graph:
                    graph.add_node(node, type=kind, label=data.label(node))
            counts.update(itertools.combinations(sorted(set(members)), 2))
        graph.add_edges_from((a, b, {"weight": weight}) for (a, b), weight in counts.items())
        return graph
    shared: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    for paper, members in groups.items():
        for node in members:
            if node not in graph:
                graph.add_node(node, type=kind, label=data.label(node))
        title = data.papers[paper].label if paper in data.papers else paper
        for a, b in itertools.combinations(sorted(set(members)), 2):
            shared[(a, b)].append(title)
    graph.add_edges_from(
        (a, b, {"weight": len(papers), "papers": "; ".join(sorted(papers))})
        for (a, b), papers in sorted(shared.items())
    )
    return graph


def projection(data: GraphData, name: str, *, titles: bool = True):
    """One of :data:`PROJECTIONS` as a NetworkX graph (``data`` is left unchanged).

    ``titles=False`` leaves out the ``papers`` attribute of the ``coauthor``, ``org`` and ``topic`` edges
    (the titles of the shared papers), for a view that only counts them.

    Raises
    ------
    kg.errors.UsageError
        ``name`` is not one of :data:`PROJECTIONS`.

    Examples
    --------
    >>> from kg.network.readmodel import GraphData, Paper
    >>> data = GraphData(papers={"p": Paper("P")}, cites=(("p", "t1"), ("p", "t2")))
    >>> list(projection(data, "topic").edges(data="weight"))
    [('t1', 't2', 1)]
    >>> list(projection(data, "topic", titles=False).edges(data=True))
    [('t1', 't2', {'weight': 1})]
    """
    data.require(*parts_of(name))
    if name == "full":
        return typed_graph(data)
    if name == "coauthor":
        return _pair_graph(data, data.authors_of, "author", titles)
    if name == "org":
        return _pair_graph(data, data.orgs_of, "org", titles)
    if name == "topic":
        return _pair_graph(data, data.topics_of, "topic", titles)
    if name == "citation":
        return _citation_graph(data)
    if name == "cocitation":
        cited = {work for work, citing in data.cited_by.items() if len(set(citing)) >= MIN_COCITATIONS}
        groups = {paper: tuple(w for w in works if w in cited) for paper, works in data.references_of.items()}
        return _with_work_attributes(data, _pair_graph(data, groups, "paper", titles))
    if name == "coupling":
        return _with_work_attributes(data, _pair_graph(data, data.cited_by, "paper", titles))
    if name == "author-cocitation":
        return _author_cocitation(data)
    return _author_topic(data)


def _author_cocitation(data: GraphData):
    """First authors of cited works, linked when one paper cites works of both; weight = such papers."""
    import networkx as nx

    key_of = {work: cited_author_key(name) for work, name in data.first_authors.items()}
    printed: defaultdict[str, Counter] = defaultdict(Counter)
    for work, name in data.first_authors.items():
        if key_of[work]:
            printed[key_of[work]][name] += 1
    citing_of: defaultdict[str, set[str]] = defaultdict(set)
    cited_of: dict[str, set[str]] = {}
    for paper, works in data.references_of.items():
        authors = {key_of[w] for w in works if key_of.get(w)}
        cited_of[paper] = authors
        for author in authors:
            citing_of[author].add(paper)
    kept = {author for author, papers in citing_of.items() if len(papers) >= MIN_COCITATIONS}
    counts: Counter[tuple[str, str]] = Counter()
    for authors in cited_of.values():
        counts.update(itertools.combinations(sorted(authors & kept), 2))
    graph = nx.Graph()
    for author in sorted(kept):
        label = min(printed[author].items(), key=lambda pair: (-pair[1], pair[0]))[0]
        graph.add_node(author, type="author", label=label, citations=len(citing_of[author]))
    graph.add_edges_from((a, b, {"weight": weight}) for (a, b), weight in sorted(counts.items()))
    return graph


def _work_attributes(data: GraphData, node: str) -> dict:
    work = data.work(node)
    return {"type": "paper", "label": data.label(node), "year": (work.year if work else None) or 0,
            "cited_only": node in data.cited_works}  # fmt: skip


def _with_work_attributes(data: GraphData, graph):
    for node in graph:
        graph.nodes[node].update(_work_attributes(data, node))
    return graph


def _citation_graph(data: GraphData):
    """Papers and the works they cite, one directed edge per citation."""
    import networkx as nx

    graph = nx.DiGraph()
    for citing, cited in data.citations:
        for node in (citing, cited):
            if node not in graph:
                graph.add_node(node, **_work_attributes(data, node))
        graph.add_edge(citing, cited, weight=1)
    return graph


def _author_topic(data: GraphData):
    import networkx as nx

    counts: defaultdict[tuple[str, str], int] = defaultdict(int)
    for author, paper in data.authored:
        for topic in data.topics_of.get(paper, ()):
            counts[(author, topic)] += 1
    graph = nx.Graph()
    for (author, topic), count in sorted(counts.items()):
        graph.add_node(author, type="author", label=data.label(author))
        graph.add_node(topic, type="topic", label=data.label(topic))
        graph.add_edge(author, topic, weight=count)
    return graph
