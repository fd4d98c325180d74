"""Trends over time: papers per year for the largest topics or for one author, from the read model.

A paper's year is its ``kg:year`` (:attr:`kg.network.readmodel.Paper.year`);
papers without one are left out.

Examples
--------
>>> from kg.network.readmodel import GraphData, Paper
>>> data = GraphData(papers={"p1": Paper("One", year=2020), "p2": Paper("Two", year=2021)},
...                  labels={"t": ("topic", "Graphs", None), "a": ("author", "Ann Lee", None)},
...                  authored=(("a", "p1"), ("a", "p2")), cites=(("p2", "t"),))
>>> papers_per_year(data)
{'Graphs': {2021: 1}}
>>> papers_per_year(data, author="ANN LEE")
{'Ann Lee': {2020: 1, 2021: 1}}
"""

from __future__ import annotations

from collections import Counter, defaultdict

from kg.network.readmodel import GraphData


def papers_per_year(data: GraphData, top: int = 10, author: str | None = None) -> dict[str, dict[int, int]]:
    """Paper counts per year: for the ``top`` topics, or for one author (by name, case-insensitive).

    Parameters
    ----------
    data : kg.network.readmodel.GraphData
        The read model (filtered or not); it is not changed.
    top : int
        How many topics, those with the most dated papers first.
    author : str, optional
        Count this author's papers instead: every author node whose name is
        ``author`` (whole, case-insensitive, "Family, Given" or "Given Family"), one row per name.

    Returns
    -------
    dict
        ``{label: {year: papers}}``, years ascending; an unknown author gives ``{}``.
    """
    year_of = {paper: info.year for paper, info in data.papers.items() if info.year is not None}
    if author is not None:
        from kg.resolve.people import name_forms

        wanted = name_forms(author)  # "Abate, Francesco" is shown "Francesco Abate"
        counts: defaultdict[str, Counter] = defaultdict(Counter)
        for node, (kind, label, _) in data.labels.items():
            if kind == "author" and not wanted.isdisjoint(name_forms(label)):
                counts[label].update(year_of[p] for p in data.papers_of.get(node, ()) if p in year_of)
        return {name: dict(sorted(c.items())) for name, c in sorted(counts.items()) if c}
    per_topic: dict[str, Counter] = {}
    for paper, topics in data.topics_of.items():
        if paper in year_of:
            for topic in topics:
                per_topic.setdefault(topic, Counter())[year_of[paper]] += 1
    largest = sorted(per_topic, key=lambda t: (-sum(per_topic[t].values()), data.label(t)))[:top]
    return {data.label(t): dict(sorted(per_topic[t].items())) for t in largest}


def cited_per_year(data: GraphData) -> dict[str, dict[int, int]]:
    """The works the papers cite, by the year of the cited work: how a field's roots are spread over time.

    Two rows: ``cited works`` (distinct works of each year that some paper cites) and ``citations``
    (every citation of them), the counts reference publication year spectroscopy (RPYS) reads peaks from.
    Works without a known year are left out.

    Examples
    --------
    >>> from kg.network.readmodel import GraphData, Paper
    >>> data = GraphData(papers={"p": Paper("P", year=2020), "q": Paper("Q", year=2021)},
    ...                  cited_works={"w": Paper("W", year=1998)}, citations=(("p", "w"), ("q", "w"), ("q", "p")))
    >>> cited_per_year(data)
    {'cited works': {1998: 1, 2020: 1}, 'citations': {1998: 2, 2020: 1}}
    """
    works: Counter = Counter()
    citations: Counter = Counter()
    for work, citing in data.cited_by.items():
        info = data.work(work)
        if info is not None and info.year:
            works[info.year] += 1
            citations[info.year] += len(citing)
    if not works:
        return {}
    return {"cited works": dict(sorted(works.items())), "citations": dict(sorted(citations.items()))}
