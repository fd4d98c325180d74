"""Analyses of the read model: centralities, communities and components (:mod:`~kg.analysis.measures`), papers
per year (:mod:`~kg.analysis.trends`), plots, topic summaries, and ``kg analyze`` as one call
(:func:`report`)."""

from kg.analysis.measures import CENTRALITIES, Analysis, Centralities, analyze, centrality
from kg.analysis.reports import AnalysisReport, report
from kg.analysis.trends import papers_per_year

__all__ = [
    "CENTRALITIES",
    "Analysis",
    "AnalysisReport",
    "Centralities",
    "analyze",
    "centrality",
    "papers_per_year",
    "report",
]
