"""Resolution: records in, plain values out — which records are one paper, which names one person or org.

Every decision about identity and about the values a node takes is made here,
once; the RDF writer only maps the result to statements. The steps are
separate functions so that a build can start reading topics as soon as the
papers are known (:func:`resolve_papers`), and resolve people meanwhile.

Examples
--------
>>> from kg.records import AuthorRef, Record
>>> result = resolve([Record(title="Universal Transformers", authors=(AuthorRef("Ł. Kaiser"),), date="2018"),
...                   Record(title="Universal transformers", authors=(AuthorRef("Łukasz Kaiser"),), date="2019")])
>>> [(p.title, p.year) for p in result.papers], result.people.display
([('Universal Transformers', 2018)], {0: 'Łukasz Kaiser'})
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kg.progress import Progress
from kg.records import Record
from kg.resolve.aliases import Aliases
from kg.resolve.citations import CitationResolution, resolve_citations
from kg.resolve.clusterings import KeptClusterings
from kg.resolve.groups import groups_apart
from kg.resolve.orgs import OrgResolution, resolve_orgs
from kg.resolve.papers import ResolvedPaper, is_paper, resolve_papers
from kg.resolve.people import AuthorResolution, resolve_authors

__all__ = [
    "Aliases",
    "AuthorResolution",
    "CitationResolution",
    "OrgResolution",
    "Resolution",
    "ResolvedPaper",
    "resolve",
    "resolve_authors",
    "resolve_citations",
    "resolve_orgs",
    "resolve_papers",
]


@dataclass(frozen=True)
class Resolution:
    """The resolved corpus: the records, their papers, people and orgs.

    Attributes
    ----------
    records : sequence of Record
        The records, in input order (indexes below refer to it).
    papers : list of ResolvedPaper
        One per paper, in order of first appearance.
    paper_of : list of int
        For each record, the index of its paper in ``papers``.
    people : AuthorResolution
        The person of every author mention (record, position), names and merges.
    orgs : OrgResolution
        The org node every printed org name belongs to.
    citations : CitationResolution
        Which paper each reference names, and the works known only from citations.
    """

    records: Sequence[Record]
    papers: list[ResolvedPaper]
    paper_of: list[int]
    people: AuthorResolution
    orgs: OrgResolution
    citations: CitationResolution


def resolve(records: Sequence[Record], aliases: Aliases | None = None) -> Resolution:
    """Resolve ``records`` in one call (a build runs the steps itself, to read topics meanwhile).

    Records that cannot be a paper (no title, no abstract) are left out first: ``Resolution.records``
    holds the others, each with the groups printed among its authors moved to its orgs
    (:func:`kg.resolve.groups.groups_apart`).
    """
    records = [groups_apart(record) for record in records if is_paper(record)]
    papers, paper_of = resolve_papers(records)
    return resolve_rest(records, papers, paper_of, aliases)


def resolve_rest(
    records: Sequence[Record],
    papers: list[ResolvedPaper],
    paper_of: list[int],
    aliases: Aliases | None = None,
    progress: Progress | None = None,
    clusterings: KeptClusterings | None = None,
    apart: bool = False,
) -> Resolution:
    """People, orgs and citations of ``records`` once their papers are known (``progress``: see :mod:`kg.progress`;
    ``clusterings``: the name blocks an earlier build clustered; ``apart``: whether a second process may cluster
    some of them; see :func:`resolve_authors`)."""
    paper_groups = [paper.records for paper in papers]
    people = resolve_authors(records, aliases, paper_groups, progress, kept=clusterings, apart=apart)
    citations = resolve_citations(records, paper_of, len(papers))
    return Resolution(records, papers, paper_of, people, resolve_orgs(records, aliases), citations)
