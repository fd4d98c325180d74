"""The corpus-level view of topics: paper counts and top authors per topic (``kg topics``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from kg.network.readmodel import graph_of
from kg.queries import load_query


@dataclass(frozen=True)
class TopicSummary:
    """One topic of a graph: its label, code, scheme, paper count and most frequent authors.

    ``scheme`` is the last part of its concept scheme's IRI: "topics" (kg's own: found in text, or a
    source's keywords), "arxiv", "mesh", "openalex", ...; None for a code no taxonomy knows.
    """

    topic: str
    label: str
    notation: str | None
    papers: int
    top_authors: tuple[tuple[str, int], ...]
    scheme: str | None = None

    def to_dict(self) -> dict:
        return {
            "topic": self.topic,
            "label": self.label,
            "notation": self.notation,
            "scheme": self.scheme,
            "papers": self.papers,
            "top_authors": [{"name": name, "papers": count} for name, count in self.top_authors],
        }


def summarise_topics(
    graph: Any, min_papers: int = 1, limit: int | None = None, authors: int = 3, scheme: str | None = None
) -> list[TopicSummary]:
    """Topics of ``graph`` (or of the graph file or store folder it names) with at least ``min_papers`` papers.

    Most papers first; each with its ``authors`` most frequent authors; only those of ``scheme``
    (:attr:`TopicSummary.scheme`) when one is given.

    Examples
    --------
    >>> from kg.records import AuthorRef, Record, SourceRef
    >>> from kg.graph import KnowledgeGraph
    >>> g = KnowledgeGraph.from_records([Record(title="T", authors=(AuthorRef("Ann Lee"),), categories=("LG",),
    ...                                          source=SourceRef("p", 1, "x"))])
    >>> [(t.label, t.notation, t.scheme, t.papers, t.top_authors) for t in summarise_topics(g)]
    [('Machine Learning', 'cs.LG', 'arxiv', 1, (('Ann Lee', 1),))]
    >>> summarise_topics(g, scheme="mesh")
    []
    """
    graph = graph_of(graph)
    counts = graph.query(load_query("topics")).as_dicts()
    by_topic: defaultdict[str, list[tuple[str, int]]] = defaultdict(list)
    for row in graph.query(load_query("topic_authors")).as_dicts():
        by_topic[row["topic"]].append((row["name"], row["papers"]))
    out = []
    for row in counts:
        in_scheme = row["scheme"].rstrip("/").rsplit("/", 1)[-1] if row.get("scheme") else None
        if row["papers"] < min_papers or (scheme is not None and in_scheme != scheme):
            continue
        ranked = sorted(by_topic[row["topic"]], key=lambda pair: (-pair[1], pair[0]))[:authors]
        out.append(
            TopicSummary(row["topic"], row["label"], row.get("notation"), row["papers"], tuple(ranked), in_scheme)
        )
        if limit is not None and len(out) == limit:
            break
    return out
