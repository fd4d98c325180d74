"""The read model every view of the graph is made of: papers, labels and the chosen edges, read once.

``kg analyze``, ``kg export``, ``kg viz`` and the trends all read the RDF graph
through :func:`load_graph_data` (the ``nx_*.rq`` queries) and never again: a
:class:`GraphData` is plain data, with its indexes built once when it is made,
and the functions here return new values rather than change their inputs.

A store's graph is read once: its queries run side by side in worker processes,
and what they gave is kept beside the store's generation (:class:`kg.store.ViewCache`)
for the next view of the same state, which reads that file instead.

Only chosen predicates are read as edges (``kg:authored``, ``kg:citesTopic``,
``kg:affiliated``); rdf:type, provenance and literals never are. A paper's
year is its ``kg:year``: the publication year kg chose when it built the graph.

Examples
--------
>>> from kg.records import AuthorRef, Record, SourceRef
>>> from kg.graph import KnowledgeGraph
>>> graph = KnowledgeGraph.from_records([Record(title="T", authors=(AuthorRef("Ann Lee"),), date="2021-05",
...                                             categories=("LG",), source=SourceRef("p.txt", 1, "x"))])
>>> data = load_graph_data(graph)
>>> [(p.title, p.year, p.sources) for p in data.papers.values()]
[('T', 2021, ('p.txt',))]
>>> paper = next(iter(data.papers))
>>> [data.label(a) for a in data.authors_of[paper]], [data.label(t) for t in data.topics_of[paper]]
(['Ann Lee'], ['Machine Learning'])
>>> len(filtered(data, since=2022).papers)
0

What a page shows of each paper, beyond the views (:func:`load_paper_details`):

>>> details = load_paper_details(graph)[paper]
>>> [data.label(a) for a in details.authors], details.lines
(['Ann Lee'], (('p.txt', 1),))
"""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import operator
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from kg.io.memory import collector_paused
from kg.queries import load_query

Pair = tuple[str, str]
Label = tuple[str, str, "str | None"]  # (type, label, code): type is author, org or topic
# What a view may leave unread on a large graph (each is a query over the whole graph): the papers' source
# paths, the papers' orgs through authorships, and the scores of topics found in text.
OPTIONAL_PARTS = ("sources", "paper_orgs", "topic_scores")
_PAIR_NAMES = ("authored", "cites", "affiliated", "paper_orgs", "citations")
# The indexes a GraphData keeps: (pairs, element they are grouped by) -> its attribute.
_INDEXES = {("authored", 1): "authors_of", ("cites", 0): "topics_of", ("paper_orgs", 0): "orgs_of",
            ("citations", 0): "references_of", ("citations", 1): "cited_by"}  # fmt: skip
_PART_QUERIES = {"sources": "nx_paper_sources", "paper_orgs": "nx_paper_orgs", "topic_scores": "nx_topic_scores"}


@dataclass(frozen=True)
class Paper:
    """One paper as the views show it.

    Attributes
    ----------
    label : str
        What a view calls it: the title, else the start of the abstract, else the IRI.
    title, date : str or None
        The paper's single values (a date is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``).
    year : int or None
        Its ``kg:year``, the publication year kg chose.
    sources : tuple of str
        The paths of the sources it was read from, sorted.
    """

    label: str
    title: str | None = None
    date: str | None = None
    year: int | None = None
    sources: tuple[str, ...] = ()


def _index(pairs: Iterable[Pair], key: int) -> Mapping[str, tuple[str, ...]]:
    """``pairs`` grouped by their element ``key`` (0 or 1): node -> the other ends, in the pairs' order."""
    groups: dict[str, list[str]] = {}
    for pair in pairs:
        groups.setdefault(pair[key], []).append(pair[1 - key])
    return MappingProxyType({node: tuple(ends) for node, ends in groups.items()})


def _indexed(name: str, key: int) -> cached_property:
    """A :class:`GraphData` attribute: the index of its pairs ``name`` by their element ``key`` (:func:`_index`),
    built when first asked for."""
    return cached_property(lambda data: _index(getattr(data, name), key))


@dataclass(frozen=True)
class Numbered:
    """A read model's nodes and pairs as numbers, as a store's kept file holds them (every IRI once):
    views too large for Python's objects work on these arrays.

    Attributes
    ----------
    terms : list of str
        The IRIs and names, each once; a number is a place in this list.
    papers : numpy.ndarray
        Each paper's number, in the order of :attr:`GraphData.papers`.
    pairs : dict
        ``authored``, ``cites``, ``affiliated``, ``paper_orgs`` and ``citations``: an (n, 2) array of
        numbers, in the order of the :class:`GraphData`'s pairs.
    scored, scores : numpy.ndarray
        The pairs of ``topic_scores`` as ``first * len(terms) + second``, sorted, and their scores.
    """

    terms: list[str]
    papers: Any
    pairs: Mapping[str, Any]
    scored: Any
    scores: Any

    @cached_property
    def number(self) -> dict[str, int]:
        """Each term's number."""
        return {term: i for i, term in enumerate(self.terms)}

    @classmethod
    def of(cls, data: GraphData, body: Mapping[str, Any], given: Mapping[str, tuple[Pair, ...]]) -> Numbered | None:
        """The numbers of ``data``, decoded from ``body`` (a kept file) with the pairs ``given`` it, if they say
        what ``data`` says: terms each once, papers each once, the pairs kept as given (sorted and distinct)."""
        import numpy as np

        if any(getattr(data, name) is not pairs for name, pairs in given.items()):
            return None
        terms = body["terms"]
        count = len(terms)
        papers = np.asarray([row[0] for row in body["papers"]], dtype=np.int64).reshape(-1)
        pairs = {name: np.asarray(body[name], dtype=np.int64).reshape(-1, 2) for name in _PAIR_NAMES}
        numbers = [papers, *pairs.values()]
        if (
            len(set(terms)) != count
            or len(data.papers) != len(papers)
            or any(len(a) and (a.min() < 0 or a.max() >= count) for a in numbers)
        ):
            return None
        rows = body["topic_scores"]
        keys = np.asarray([a * count + b for a, b, _ in rows], dtype=np.int64)
        values = np.asarray([float(score) for _, _, score in rows], dtype=float)
        order = np.argsort(keys, kind="stable")
        if len(keys) != len(data.topic_scores):
            return None
        return cls(terms, papers, pairs, keys[order], values[order])


@dataclass(frozen=True)
class GraphData:
    """What every view is made of, read from the RDF graph once, with indexes built once.

    Edges are sorted tuples of distinct pairs. The indexes are derived from them when a
    :class:`GraphData` is made (by :func:`load_graph_data` or :func:`filtered`):

    ``authors_of[paper]``
        the paper's authors (from ``authored``);
    ``topics_of[paper]``
        its topics (from ``cites``);
    ``orgs_of[paper]``
        its orgs, stated for the paper or through an authorship (from ``paper_orgs``);
    ``papers_of[node]``
        the papers of an author, topic or org (the three above, read the other way).

    A paper without authors, topics or orgs is absent from the index concerned:
    use ``.get(paper, ())``.

    Examples
    --------
    >>> data = GraphData(papers={"p": Paper("P", year=2020)}, labels={"a": ("author", "Ann", None)},
    ...                  authored=(("a", "p"),))
    >>> data.authors_of["p"], data.papers_of["a"], data.label("a"), data.node_type("p")
    (('a',), ('p',), 'Ann', 'paper')
    """

    papers: Mapping[str, Paper] = field(default_factory=dict)
    labels: Mapping[str, Label] = field(default_factory=dict)
    authored: tuple[Pair, ...] = ()  # (author, paper)
    cites: tuple[Pair, ...] = ()  # (paper, topic)
    affiliated: tuple[Pair, ...] = ()  # (author or paper, org), as stated
    paper_orgs: tuple[Pair, ...] = ()  # (paper, org), through authorships too
    topic_scores: Mapping[Pair, float] = field(default_factory=dict)  # (paper, topic) -> score found in text
    citations: tuple[Pair, ...] = ()  # (citing paper, cited work): kg:cites
    cited_works: Mapping[str, Paper] = field(default_factory=dict)  # works known only from citations
    first_authors: Mapping[str, str] = field(default_factory=dict)  # cited work -> its first author, as named
    parts: frozenset[str] = frozenset(OPTIONAL_PARTS)  # which of OPTIONAL_PARTS were read
    # The same pairs as numbers, where the read model came from a kept file (see Numbered); never carried
    # over by dataclasses.replace, which may change the pairs.
    numbered: Numbered | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in _PAIR_NAMES:
            pairs = getattr(self, name)
            if not (isinstance(pairs, tuple) and all(map(operator.lt, pairs, pairs[1:]))):  # sorted and distinct
                object.__setattr__(self, name, tuple(sorted(set(pairs))))

    # The indexes are built when first asked for: a view asks for some of them only.
    authors_of = _indexed("authored", 1)
    topics_of = _indexed("cites", 0)
    orgs_of = _indexed("paper_orgs", 0)
    references_of = _indexed("citations", 0)
    cited_by = _indexed("citations", 1)

    @cached_property
    def papers_of(self) -> Mapping[str, tuple[str, ...]]:
        return MappingProxyType({**_index(self.authored, 0), **_index(self.cites, 1), **_index(self.paper_orgs, 1)})

    def ends(self, name: str, key: int, nodes: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """For each of ``nodes`` that has one, the other ends of its pairs ``name`` (``"authored"``, ``"cites"``,
        ``"affiliated"``, ``"paper_orgs"`` or ``"citations"``) where it is element ``key`` (0 or 1), in the pairs'
        order: what the index of those pairs gives these nodes (``topics_of`` is ``ends("cites", 0, ...)``), made
        for them only, from the kept numbers where the read model has them.

        Examples
        --------
        >>> data = GraphData(cites=(("p", "t2"), ("p", "t1"), ("q", "t1")))
        >>> data.ends("cites", 0, ["p", "x"]), data.ends("cites", 1, ["t1"])
        ({'p': ('t1', 't2')}, {'t1': ('p', 'q')})
        """
        nodes = list(nodes)
        if self.numbered is None:
            kept = _INDEXES.get((name, key))
            index = getattr(self, kept) if kept else _index(getattr(self, name), key)
            return {node: index[node] for node in nodes if node in index}
        import numpy as np

        pairs, number, terms = self.numbered.pairs[name], self.numbered.number, self.numbered.terms
        order = np.argsort(pairs[:, key], kind="stable")  # each node's pairs together, in their order
        found, other = pairs[order, key], pairs[order, 1 - key].tolist()
        wanted = np.asarray([number.get(node, -1) for node in nodes], dtype=np.int64)
        starts = np.searchsorted(found, wanted, "left").tolist()
        stops = np.searchsorted(found, wanted, "right").tolist()
        return {node: tuple(terms[o] for o in other[begin:stop])
                for node, begin, stop in zip(nodes, starts, stops, strict=True) if stop > begin}  # fmt: skip

    def require(self, *parts: str) -> GraphData:
        """``self``, if it was read with ``parts`` (of :data:`OPTIONAL_PARTS`); a view that needs a part
        left unread must not silently draw without it.

        Examples
        --------
        >>> GraphData(parts=frozenset()).require("paper_orgs")
        Traceback (most recent call last):
        ...
        ValueError: this read model was read without paper_orgs
        """
        missing = [part for part in parts if part not in self.parts]
        if missing:
            raise ValueError(f"this read model was read without {', '.join(missing)}")
        return self

    def work(self, node: str) -> Paper | None:
        """A paper of the corpus or a work known only from citations, else None."""
        return self.papers.get(node) or self.cited_works.get(node)

    def label(self, node: str) -> str:
        """What views call ``node``: a paper's (or cited work's) label, a name, a topic's label, else the IRI's end."""
        paper = self.papers.get(node) or self.cited_works.get(node)
        if paper is not None:
            return paper.label
        known = self.labels.get(node)
        return known[1] if known is not None else node.rsplit("/", 1)[-1]

    def node_type(self, node: str) -> str:
        """``paper`` (a cited work too), ``author``, ``topic``, ``org``, or ``other`` for a node without a label."""
        if node in self.papers or node in self.cited_works:
            return "paper"
        return self.labels.get(node, ("other", "", None))[0]

    def code(self, node: str) -> str | None:
        """A topic's notation (``cs.LG``), else None."""
        return self.labels.get(node, (None, None, None))[2]


def _rows(graph: Any, name: str, text: str | None = None) -> Iterator[list[str]]:
    """The rows of ``kg/queries/<name>.rq`` (or of the query ``text``) as strings ("" for an unbound value),
    header left out.

    The answers come back as CSV, parsed in C: turning a million terms into
    Python objects one at a time would cost more than the query itself.
    """
    from kg.query import run_query_serialized

    return _csv_rows(run_query_serialized(graph.store, text or load_query(name), None, "csv"))


def _answers(graph: Any, queries: Mapping[str, str]) -> dict[str, Iterator[list[str]]]:
    """The rows of several queries (name -> SPARQL text), as :func:`_rows` gives them, by name.

    On a store on disk (``graph.database_path``) the queries run at once in forked worker processes, each
    opening the database read-only: Oxigraph answers one query on one core, and reading a store's read model
    is a dozen independent queries over millions of statements. Elsewhere they run here, one by one.
    """
    location = getattr(graph, "database_path", None)
    workers = min(len(queries), os.cpu_count() or 1)
    if location is None or workers < 2 or not hasattr(os, "fork"):
        return {name: _rows(graph, "", text) for name, text in queries.items()}
    from concurrent.futures.process import BrokenProcessPool

    from kg.io.workers import worker_pool

    try:
        with worker_pool(workers) as pool:
            jobs = [(location, text) for text in queries.values()]
            answers = dict(zip(queries, pool.map(_answer_at, jobs), strict=True))
    except (BrokenProcessPool, OSError, RuntimeError):  # a worker that could not open or read it: read it here
        return {name: _rows(graph, "", text) for name, text in queries.items()}
    return {name: _csv_rows(answer) for name, answer in answers.items()}


def _answer_at(job: tuple[str, str]) -> bytes:
    """In a worker: the CSV answer of a query (``job``: the database's path, the query) on that database."""
    import pyoxigraph

    from kg.query import run_query_serialized

    location, text = job
    return run_query_serialized(pyoxigraph.Store.read_only(location), text, None, "csv")


def _csv_rows(answer: bytes) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(answer.decode("utf-8"), newline=""))
    next(reader, None)
    return reader


def graph_of(graph: Any) -> Any:
    """``graph`` itself, or the graph a path names (an RDF file or a store folder, see :func:`kg.store.open_graph`).

    Examples
    --------
    >>> from kg.graph import KnowledgeGraph
    >>> graph = KnowledgeGraph()
    >>> graph_of(graph) is graph
    True
    """
    if isinstance(graph, (str, os.PathLike)):
        from kg.store import open_graph

        return open_graph(graph)
    return graph


def _paper_label(title: str | None, abstract: str | None, iri: str) -> str:
    if title:
        return title
    if abstract:
        return abstract[:60] + "…" if len(abstract) > 60 else abstract
    return iri


def load_graph_data(graph: Any, parts: Iterable[str] = OPTIONAL_PARTS) -> GraphData:
    """Read papers, labels and the chosen edges of a :class:`kg.graph.KnowledgeGraph`, once.

    Parameters
    ----------
    graph : kg.graph.KnowledgeGraph or path-like
        A graph written by kg (each paper with at most one ``kg:title``,
        ``kg:abstract``, ``kg:date`` and ``kg:year``), or the path of one: an
        RDF file or a store folder (:func:`kg.store.open_graph`). An abstract
        is read only for a paper without a title: it labels the paper.
    parts : iterable of str
        Which of :data:`OPTIONAL_PARTS` to read (all by default); the others stay empty, and
        :meth:`GraphData.require` says so to a view that needs them
        (:func:`kg.network.projections.parts_of` names what each view needs).

    Returns
    -------
    GraphData
        Papers, labels, edges and their indexes.

    Examples
    --------
    >>> from kg.graph import KnowledgeGraph
    >>> load_graph_data(KnowledgeGraph()).papers
    {}
    """
    parts = frozenset(parts)
    unknown = sorted(parts - set(OPTIONAL_PARTS))
    if unknown:
        raise ValueError(f"unknown parts of the read model: {', '.join(unknown)} (known: {', '.join(OPTIONAL_PARTS)})")
    graph = graph_of(graph)
    with collector_paused():  # millions of small tuples that form no cycles (kg.io.memory)
        return _graph_data(graph, parts)


def _graph_data(graph: Any, parts: frozenset[str]) -> GraphData:
    views = getattr(graph, "views", None)
    kept = _decode_data(views.read(_MODEL)) if views is not None else None
    if kept is not None and parts <= kept.parts:
        return _only(kept, parts)
    if views is None:
        return _read_graph_data(graph, parts)
    # What an earlier view read stays read: the store keeps the union, so the next view reads nothing.
    data = _read_graph_data(graph, parts | (kept.parts if kept is not None else frozenset()))
    _keep(views, _MODEL, _encode_data, data)
    return _only(data, parts)


def _keep(views: Any, name: str, encode: Any, value: Any) -> None:
    """Save ``encode(value)`` as ``name``; a value kg cannot encode (an integer past 64 bits written by a
    server's update, say) is not kept: the next view reads the graph again."""
    try:
        data = encode(value)
    except (TypeError, ValueError):
        return
    views.save(name, data)


def _read_graph_data(graph: Any, parts: frozenset[str]) -> GraphData:
    wanted = ["nx_papers", "nx_labels", "nx_edges", "nx_cited_works", "nx_citations"]
    wanted += [name for part, name in _PART_QUERIES.items() if part in parts]
    rows = _answers(graph, {name: load_query(name) for name in wanted})
    sources_of = dict(rows["nx_paper_sources"]) if "sources" in parts else {}
    papers = {}
    for iri, title, date, year, abstract in rows["nx_papers"]:
        papers[iri] = Paper(
            label=_paper_label(title, abstract, iri),
            title=title or None,
            date=date or None,
            year=int(year) if year else None,
            sources=tuple(sorted(filter(None, sources_of.get(iri, "").split("\n")))),
        )
    labels = {node: (kind, label, code or None) for node, kind, label, code in rows["nx_labels"]}
    authored, cites, affiliated = [], [], []
    for source, kind, target in rows["nx_edges"]:
        if kind == "authored":
            authored.append((source, target))
        elif kind == "citesTopic":
            cites.append((source, target))
        elif target in labels:  # an org with a name
            affiliated.append((source, target))
    paper_orgs = []
    if "paper_orgs" in parts:
        paper_orgs = [(paper, org) for paper, org in rows["nx_paper_orgs"]]
        paper_orgs += [(source, org) for source, org in affiliated if source in papers]
    scores = {}
    if "topic_scores" in parts:
        scores = {(paper, topic): float(score) for paper, topic, score in rows["nx_topic_scores"]}
    cited_works = {
        iri: Paper(label=title or label or iri, title=title or None, year=int(year) if year else None)
        for iri, title, label, year in rows["nx_cited_works"]
    }
    citations = tuple((citing, cited) for citing, cited in rows["nx_citations"])
    # Only where there are citations: Oxigraph orders this query's joins one way whatever the data (0.04 s with
    # citations, 7 s over 100,000 papers without any).
    first_authors = dict(_rows(graph, "nx_first_authors")) if citations else {}
    return GraphData(papers, labels, tuple(authored), tuple(cites), tuple(affiliated), tuple(paper_orgs), scores,
                     citations, cited_works, first_authors, parts)  # fmt: skip


def _only(data: GraphData, parts: frozenset[str]) -> GraphData:
    """``data`` as if only ``parts`` had been read: a view's result never depends on what an earlier one read."""
    if data.parts == parts:
        return data
    papers = data.papers
    if "sources" not in parts:
        papers = {iri: dataclasses.replace(paper, sources=()) for iri, paper in papers.items()}
    return dataclasses.replace(
        data,
        papers=papers,
        paper_orgs=data.paper_orgs if "paper_orgs" in parts else (),
        topic_scores=data.topic_scores if "topic_scores" in parts else {},
        parts=parts,
    )


# The read model a store keeps (kg.store.ViewCache), named after what makes it: this layout and the queries.
_LAYOUT = 1
_MODEL_QUERIES = ("nx_papers", "nx_paper_sources", "nx_labels", "nx_edges", "nx_paper_orgs", "nx_topic_scores",
                  "nx_cited_works", "nx_citations", "nx_first_authors")  # fmt: skip


def _cache_name(kind: str, texts: Iterable[str]) -> str:
    """``kind-<digest>``: the digest of the queries and of this module's own code, so a file kept by another
    version of kg is never read as this one's."""
    import hashlib

    code = Path(__file__).read_text(encoding="utf-8")
    digest = hashlib.sha256("\n".join([str(_LAYOUT), code, *texts]).encode("utf-8")).hexdigest()[:12]
    return f"{kind}-{digest}"


_MODEL = _cache_name("readmodel", (load_query(name) for name in _MODEL_QUERIES))


class _Terms:
    """Every IRI and string a cached read model names, each written once and referred to by number."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        number = self.index.get(text)
        if number is None:
            number = self.index[text] = len(self.index)
        return number

    def flat(self, pairs: Iterable[Pair]) -> list[int]:
        return [number for pair in pairs for number in (self(pair[0]), self(pair[1]))]


def _encode_data(data: GraphData) -> bytes:
    import orjson

    term = _Terms()
    body = {
        "parts": sorted(data.parts),
        "papers": [[term(iri), p.label, p.title, p.date, p.year, list(p.sources)] for iri, p in data.papers.items()],
        "labels": [[term(node), kind, label, code] for node, (kind, label, code) in data.labels.items()],
        **{name: term.flat(getattr(data, name)) for name in _PAIR_NAMES},
        "topic_scores": [[term(a), term(b), score] for (a, b), score in data.topic_scores.items()],
        "cited_works": [[term(iri), w.label, w.title, w.year] for iri, w in data.cited_works.items()],
        "first_authors": [[term(work), name] for work, name in data.first_authors.items()],
    }  # fmt: skip
    return orjson.dumps({"terms": list(term.index), **body})


def _types(values: Iterable[Any], *allowed: type) -> bool:
    """Whether every value is exactly of one of the ``allowed`` types (a bool is no int here)."""
    return set(map(type, values)) <= set(allowed)


def _columns(rows: list, width: int) -> list[tuple]:
    """The columns of ``rows`` (each a list of ``width`` values); a row of another shape is a ValueError."""
    if not _types(rows, list) or any(len(row) != width for row in rows):
        raise ValueError("a row of another shape")
    return list(zip(*rows, strict=True)) if rows else [()] * width


def _decode_data(data: bytes | None) -> GraphData | None:
    """The read model a store kept, or None when there is none, or it is not what :func:`_encode_data` writes."""
    import orjson

    if data is None:
        return None
    try:
        body = orjson.loads(data)
        terms = body["terms"]
        papers, labels, works = body["papers"], body["labels"], body["cited_works"]
        scores, first_authors = body["topic_scores"], body["first_authors"]
        parts = frozenset(body["parts"])
        _, p_label, p_title, p_date, p_year, p_sources = _columns(papers, 6)
        _, kinds, l_label, l_code = _columns(labels, 4)
        _, w_label, w_title, w_year = _columns(works, 4)
        well_formed = (
            parts <= set(OPTIONAL_PARTS)
            and _types(terms, str)
            and _types(p_label, str) and _types(p_title, str, type(None)) and _types(p_date, str, type(None))
            and _types(p_year, int, type(None)) and _types(p_sources, list)
            and _types(itertools.chain.from_iterable(p_sources), str)
            and _types(kinds, str) and _types(l_label, str) and _types(l_code, str, type(None))
            and _types(w_label, str) and _types(w_title, str, type(None)) and _types(w_year, int, type(None))
            and _types(_columns(scores, 3)[2], int, float)
            and _types(_columns(first_authors, 2)[1], str)
        )  # fmt: skip
        if not well_formed:
            return None

        def pairs(name: str) -> tuple[Pair, ...]:
            flat = body[name]
            return tuple(zip((terms[i] for i in flat[0::2]), (terms[i] for i in flat[1::2]), strict=True))

        given = {name: pairs(name) for name in _PAIR_NAMES}
        decoded = GraphData(
            papers={terms[i]: Paper(label, title, date, year, tuple(sources))
                    for i, label, title, date, year, sources in papers},
            labels={terms[i]: (kind, label, code) for i, kind, label, code in labels},
            topic_scores={(terms[a], terms[b]): float(score) for a, b, score in scores},
            **given,
            cited_works={terms[i]: Paper(label, title, year=year) for i, label, title, year in works},
            first_authors={terms[i]: name for i, name in first_authors},
            parts=parts,
        )  # fmt: skip
    except (ValueError, TypeError, KeyError, IndexError):  # damaged, foreign or of another kg: read the graph
        return None
    object.__setattr__(decoded, "numbered", Numbered.of(decoded, body, given))
    return decoded


def filtered(data: GraphData, since: int | None = None) -> GraphData:
    """``data`` without papers published before ``since`` (papers without a year are left out too).

    Returns ``data`` itself when ``since`` is None; otherwise a new
    :class:`GraphData` (``data`` is not changed). Authors, topics and orgs keep
    their labels; their edges to papers left out are gone.

    Examples
    --------
    >>> data = GraphData(papers={"old": Paper("Old", year=2019), "new": Paper("New", year=2021)},
    ...                  authored=(("a", "old"), ("a", "new")))
    >>> dict(filtered(data, 2020).authors_of), data.papers_of["a"]
    ({'new': ('a',)}, ('new', 'old'))
    """
    if since is None:
        return data
    keep = {p for p, paper in data.papers.items() if paper.year is not None and paper.year >= since}
    return GraphData(
        papers={p: paper for p, paper in data.papers.items() if p in keep},
        labels=data.labels,
        authored=tuple((a, p) for a, p in data.authored if p in keep),
        cites=tuple((p, t) for p, t in data.cites if p in keep),
        affiliated=tuple((s, o) for s, o in data.affiliated if s in keep or s not in data.papers),
        paper_orgs=tuple((p, o) for p, o in data.paper_orgs if p in keep),
        topic_scores={k: v for k, v in data.topic_scores.items() if k[0] in keep},
        citations=tuple((p, w) for p, w in data.citations if p in keep),  # what the papers kept cite, of any year
        cited_works=data.cited_works,
        first_authors=data.first_authors,
        parts=data.parts,
    )


@dataclass(frozen=True)
class PaperDetails:
    """What a page says of one paper beyond the views: the author list as printed, venue, ids and source lines.

    Attributes
    ----------
    authors : tuple of str
        The authors' IRIs in printed order (their first position in any source; an author a page lists
        without a position comes last).
    truncated : bool
        The source cut the list ("et al."), or says the paper has more authors than it names.
    venue : str or None
        The venue kg chose.
    identifiers : tuple of (str, str)
        ``(scheme, value)`` pairs, sorted: ``doi``, ``arxiv`` and the schemes of ``kg:identifier``
        (``url``, ``pmid``, ``dblp``...); a value without a scheme has the scheme ``""``.
    lines : tuple of (str, int)
        The ``(path, line)`` of every record the paper was read from, sorted.
    """

    authors: tuple[str, ...] = ()
    truncated: bool = False
    venue: str | None = None
    identifiers: tuple[tuple[str, str], ...] = ()
    lines: tuple[tuple[str, int], ...] = ()


# What a page shows of a paper, read one predicate at a time and joined here: Oxigraph answers a single
# pattern over the union of a store's graphs in a fraction of the time a join of three takes.
_DETAIL_PREDICATES = (
    "kg:hasAuthorship", "kg:author", "kg:position", "kg:venue", "kg:authorsTruncated", "kg:authorCount",
    "kg:doi", "kg:arxivId", "kg:identifier", "prov:wasDerivedFrom", "kg:line", "kg:inSource", "kg:path",
)  # fmt: skip


def _integer(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def load_paper_details(graph: Any, papers: Iterable[str] | None = None) -> dict[str, PaperDetails]:
    """The :class:`PaperDetails` of every paper of ``graph`` (a graph or the path of one), read once; of
    ``papers`` only, when given (the others are read all the same, and kept with them).

    A paper with more than one source keeps every source's identifiers and lines; its venue is the one
    kg chose. Its list is cut when a source printed "et al." (``kg:authorsTruncated``) or gave an
    author count (``kg:authorCount``) above the authors it names.

    Examples
    --------
    >>> from kg.records import AuthorRef, Record, SourceRef
    >>> from kg.graph import KnowledgeGraph
    >>> graph = KnowledgeGraph.from_records([Record(title="T", authors=(AuthorRef("Bo Chen"), AuthorRef("Ann Lee"),
    ...     AuthorRef("et al.")), ids={"doi": "10.1/X", "url": "https://x.org/t"}, venue="ICML",
    ...     source=SourceRef("p.txt", 7, "x"))])
    >>> details = next(iter(load_paper_details(graph).values()))
    >>> [a.rsplit("/", 1)[-1] for a in details.authors], details.truncated, details.venue
    (['bo-chen', 'ann-lee'], True, 'ICML')
    >>> details.identifiers, details.lines
    ((('doi', '10.1/x'), ('url', 'https://x.org/t')), (('p.txt', 7),))
    """
    graph = graph_of(graph)
    views = getattr(graph, "views", None)
    wanted = None if papers is None else set(papers)
    with collector_paused():  # millions of small tuples that form no cycles (kg.io.memory)
        kept = _decode_details(views.read(_DETAILS), wanted) if views is not None else None
        if kept is not None:
            return kept
        details = _read_paper_details(graph)
    if views is not None:
        _keep(views, _DETAILS, _encode_details, details)
    return details if wanted is None else {paper: found for paper, found in details.items() if paper in wanted}


def _read_paper_details(graph: Any) -> dict[str, PaperDetails]:
    queries = {predicate: f"SELECT ?s ?o WHERE {{ ?s {predicate} ?o }}" for predicate in _DETAIL_PREDICATES}
    answers = _answers(graph, {**queries, "papers": "SELECT ?paper WHERE { ?paper a kg:Paper }"})
    read = {predicate: list(answers[predicate]) for predicate in _DETAIL_PREDICATES}
    papers = {row[0] for row in answers["papers"]}
    author_of = dict(read["kg:author"])
    position_of = {authorship: _integer(number) for authorship, number in read["kg:position"]}
    positions: dict[str, dict[str, float]] = {}
    for paper, authorship in read["kg:hasAuthorship"]:
        author = author_of.get(authorship)
        if author is None:
            continue
        number = position_of.get(authorship)
        rank = float("inf") if number is None else float(number)
        known = positions.setdefault(paper, {})
        known[author] = min(rank, known.get(author, rank))
    values: dict[str, dict[str, Any]] = {}

    def entry(paper: str) -> dict[str, Any]:
        return values.setdefault(paper, {"ids": set()})

    for paper, venue in read["kg:venue"]:
        entry(paper)["venue"] = min(venue, entry(paper).get("venue", venue))
    for paper, flag in read["kg:authorsTruncated"]:
        entry(paper)["truncated"] = entry(paper).get("truncated", False) or flag in ("true", "1")
    for paper, count in read["kg:authorCount"]:
        entry(paper)["count"] = max(_integer(count) or 0, entry(paper).get("count", 0))
    for scheme, key in (("doi", "kg:doi"), ("arxiv", "kg:arxivId")):
        for paper, value in read[key]:
            entry(paper)["ids"].add((scheme, value))
    line_of = {line: _integer(number) or 0 for line, number in read["kg:line"]}
    path_of = dict(read["kg:path"])
    source_of = {line: path_of[source] for line, source in read["kg:inSource"] if source in path_of}
    lines: dict[str, set[tuple[str, int]]] = {}
    for paper, line in read["prov:wasDerivedFrom"]:
        if paper in papers and line in line_of and line in source_of:
            lines.setdefault(paper, set()).add((source_of[line], line_of[line]))
    for paper, value in read["kg:identifier"]:  # authors and orgs have identifiers too
        if paper in papers:
            scheme, _, rest = value.partition(":")
            entry(paper)["ids"].add((scheme, rest) if rest and scheme.isidentifier() else ("", value))
    details = {}
    for paper in sorted(papers):
        ranks = positions.get(paper, {})
        authors = tuple(sorted(ranks, key=lambda a: (ranks[a], a)))
        found = values.get(paper, {"ids": set()})
        details[paper] = PaperDetails(
            authors=authors,
            truncated=bool(found.get("truncated")) or found.get("count", 0) > len(authors),
            venue=found.get("venue"),
            identifiers=tuple(sorted(found["ids"])),
            lines=tuple(sorted(lines.get(paper, ()))),
        )
    return details


_DETAILS = _cache_name("details", _DETAIL_PREDICATES)


def _encode_details(details: Mapping[str, PaperDetails]) -> bytes:
    import orjson

    term = _Terms()
    rows = [[term(paper), [term(a) for a in d.authors], d.truncated, d.venue, [list(i) for i in d.identifiers],
             [list(line) for line in d.lines]] for paper, d in details.items()]  # fmt: skip
    return orjson.dumps({"terms": list(term.index), "details": rows})


def _decode_details(data: bytes | None, wanted: set[str] | None = None) -> dict[str, PaperDetails] | None:
    """The paper details a store kept (of the papers ``wanted`` only, when given), or None when there are none,
    or they are not what kg writes."""
    import orjson

    if data is None:
        return None
    try:
        body = orjson.loads(data)
        terms, rows = body["terms"], body["details"]
        _, authors, truncated, venues, ids, lines = _columns(rows, 6)
        schemes, values = _columns(list(itertools.chain.from_iterable(ids)), 2)
        paths, numbers = _columns(list(itertools.chain.from_iterable(lines)), 2)
        well_formed = (
            _types(terms, str) and _types(authors, list) and _types(truncated, bool) and _types(venues, str, type(None))
            and _types(schemes, str) and _types(values, str) and _types(paths, str) and _types(numbers, int)
        )  # fmt: skip
        if not well_formed:
            return None
        return {
            terms[paper]: PaperDetails(tuple(terms[a] for a in authors), truncated, venue,
                                       tuple((a, b) for a, b in ids), tuple((path, line) for path, line in lines))
            for paper, authors, truncated, venue, ids, lines in rows
            if wanted is None or terms[paper] in wanted
        }  # fmt: skip
    except (ValueError, TypeError, KeyError, IndexError):  # damaged, foreign or of another kg: read the graph
        return None
