"""``kg analyze`` as one call: read the graph once, project, measure, count papers per year, draw.

Examples
--------
>>> from kg.records import AuthorRef, Record, SourceRef
>>> from kg.graph import KnowledgeGraph
>>> graph = KnowledgeGraph.from_records([
...     Record(title="One", authors=(AuthorRef("Ann Lee"), AuthorRef("Bo Chen")), date="2020",
...            source=SourceRef("p.txt", 1, "x")),
...     Record(title="Two", authors=(AuthorRef("Ann Lee"),), date="2021", source=SourceRef("p.txt", 2, "x"))])
>>> result = report(graph, top=1, author="ann lee")
>>> result.analysis.ranking[0]["label"], result.papers_per_year["author"], result.problems
('Ann Lee', {'Ann Lee': {2020: 1, 2021: 1}}, ())
>>> report(graph, author="Nobody").problems[0]
"author 'Nobody': no author of that name (names match whole, case-insensitive)"
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from kg.analysis.measures import Analysis, analyze, require_centrality
from kg.analysis.plots import check_plot, plot_analysis
from kg.analysis.trends import cited_per_year, papers_per_year
from kg.errors import Note
from kg.io.memory import collector_paused
from kg.network.projections import CITATION_VIEWS, DIRECTED, parts_of, require_projection
from kg.network.projections import projection as build_projection
from kg.network.readmodel import filtered, load_graph_data


@dataclass(frozen=True)
class AnalysisReport:
    """What ``kg analyze`` shows: the analysis of a projection and the papers per year.

    Attributes
    ----------
    projection, sort_by : str
        What was analysed and how the ranking is sorted.
    analysis : kg.analysis.measures.Analysis
        Ranking, communities, components, approximations and methods.
    papers_per_year : dict
        ``{"topics": {label: {year: papers}}}``, with ``"author"`` too when an author was asked for.
    plot : str or None
        The plot written, if any.
    problems : tuple of kg.errors.Note
        What was asked for and could not be done (an author of no known name); the rest was done.
    """

    projection: str
    sort_by: str
    analysis: Analysis
    papers_per_year: dict[str, dict[str, dict[int, int]]] = field(default_factory=dict)
    plot: str | None = None
    problems: tuple[Note, ...] = ()

    def to_dict(self) -> dict:
        """The report as JSON-ready data (what ``kg analyze --json`` prints)."""
        return {"projection": self.projection, **self.analysis.to_dict(), "papers_per_year": self.papers_per_year}


def report(
    graph: Any,
    *,
    projection: str = "coauthor",
    top: int = 20,
    sort_by: str = "pagerank",
    author: str | None = None,
    since: int | None = None,
    plot: str | os.PathLike[str] | None = None,
) -> AnalysisReport:
    """Analyse one projection of ``graph``, count papers per year, and draw the plot when asked.

    The graph is read once (:func:`kg.network.readmodel.load_graph_data`);
    options and the plot's path are checked before any of it.

    Parameters
    ----------
    graph : kg.graph.KnowledgeGraph or path-like
        The graph, or the path of a graph file or a store folder; read once, after the options are checked.
    projection : str
        One of :data:`kg.network.projections.PROJECTIONS`.
    top : int
        Rows of the ranking (0: every node).
    sort_by : str
        One of :data:`kg.analysis.measures.CENTRALITIES`.
    author : str, optional
        Also count this author's papers per year (the plot then shows them).
    since : int, optional
        Only papers from this year on.
    plot : path-like, optional
        Also draw the ranking and papers per year (.png, .svg or .pdf).

    Raises
    ------
    kg.errors.UsageError
        An unknown projection or measure, or a plot path that cannot be written.
    """
    require_projection(projection)
    require_centrality(sort_by, "sort_by")
    if plot is not None:
        check_plot(plot)
    with collector_paused():  # millions of small objects that form no cycles (kg.io.memory)
        data = filtered(load_graph_data(graph, parts_of(projection)), since)
        view = build_projection(data, projection, titles=False)  # the ranking counts shared papers, never names them
        result = analyze(view, top=top, sort_by=sort_by, directed=projection in DIRECTED)
    trends = {"topics": papers_per_year(data)}
    if projection in CITATION_VIEWS:
        trends["cited works"] = cited_per_year(data)
    problems = []
    if author is not None:
        trends["author"] = papers_per_year(data, author=author)
        if not trends["author"]:
            problems.append(
                Note(f"{{option}} {author!r}: no author of that name (names match whole, case-insensitive)", "author")
            )
    if plot is not None:
        counted = "cited works" if "author" not in trends and trends.get("cited works") else "papers"
        shown = trends.get("author") or (trends["cited works"] if counted == "cited works" else trends["topics"])
        plot_analysis(result.ranking, shown, plot, measure=sort_by, counted=counted)
    return AnalysisReport(projection, sort_by, result, trends, None if plot is None else str(plot), tuple(problems))
