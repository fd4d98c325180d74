"""Paper resolution: which records are one paper, and the values that paper takes, chosen once.

Papers are matched on strong identifiers first (DOI, arXiv id without its
version), then on the normalised title, then on the normalised abstract; a
weaker key never joins two papers whose stronger keys disagree (two different
DOIs stay two papers even with one title).

Each paper's values are chosen here, once, by rules that do not depend on the
order the sources were read in, and every view reads them:

- title: the printing with the most letters and digits (ties: the first in code-point
  order, which prefers capitals); abstract: the longest;
- date: the earliest year among the dates the sources printed (inferred dates
  only when no source printed one), the most precise date of that year (ties:
  the earliest); ``year`` is its year;
- venue: the first source that gives one; author count and upvotes: the
  largest stated; code: true if any source says so;
- the author list is truncated only if every source's list is;
- a printed title that differs from the chosen one in its words (a preprint and
  its published version under one DOI) is kept as a variant, with the record
  that printed it (:attr:`ResolvedPaper.title_variants`).

``chosen_from`` says which record each value came from, so the graph can put
the statement in that source's named graph.

Examples
--------
>>> from kg.records import Record
>>> papers, paper_of = resolve_papers([Record(title="Universal transformers.", date="2019-03-05"),
...                                    Record(title="Universal Transformers", date="2018-07-10",
...                                           ids={"arxiv": "1807.03819"})])
>>> len(papers), paper_of, papers[0].title, papers[0].year, papers[0].chosen_from["date"]
(1, [0, 0], 'Universal Transformers', 2018, 1)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kg.records import Record
from kg.resolve.keys import KEY_ORDER, paper_keys
from kg.text import normalise_title


@dataclass(frozen=True)
class ResolvedPaper:
    """One paper: the records that describe it and the values chosen for it."""

    identity: str
    records: tuple[int, ...]
    title: str | None = None
    abstract: str | None = None
    date: str | None = None
    date_inferred: bool = False
    year: int | None = None
    venue: str | None = None
    venue_status: str | None = None
    author_count: int | None = None
    upvotes: int | None = None
    has_code: bool | None = None
    authors_truncated: bool | None = None
    chosen_from: dict[str, int] = field(default_factory=dict)
    title_variants: tuple[tuple[str, int], ...] = ()

    def disagrees(self) -> bool:
        """True when its sources print titles that are not one title (other words, not only case or punctuation)."""
        return bool(self.title_variants)


def is_paper(record: Record) -> bool:
    """A record becomes a paper only if it has a title or an abstract to know it by.

    Examples
    --------
    >>> is_paper(Record(title="Universal Transformers")), is_paper(Record(venue="ICLR 2019"))
    (True, False)
    """
    return bool(record.title or record.abstract)


def resolve_papers(records: Sequence[Record]) -> tuple[list[ResolvedPaper], list[int]]:
    """The papers of ``records`` (in order of first appearance) and, per record, its paper's index."""
    keys = [paper_keys(record) for record in records]
    papers = []
    paper_of = [0] * len(records)
    for number, members in enumerate(group_papers(records, keys)):
        for index in members:
            paper_of[index] = number
        papers.append(choose(records, members, paper_identity(records, members, keys), keys))
    return papers, paper_of


def _longest(
    records: Sequence[Record], members: Sequence[int], name: str, measure: Callable[[int], int]
) -> tuple[str | None, int | None]:
    """The longest value of ``name`` by ``measure`` (of a record index), then the first in text order, then the
    earliest record; with the record it came from."""
    values = [(getattr(records[i], name), i) for i in members if getattr(records[i], name)]
    if not values:
        return None, None
    if len(values) == 1:
        return values[0]
    return min(values, key=lambda pair: (-measure(pair[1]), pair[0], pair[1]))


def _date(records: Sequence[Record], members: Sequence[int]) -> int | None:
    dated = [i for i in members if records[i].date]
    printed = [i for i in dated if not records[i].date_inferred] or dated
    if not printed:
        return None
    year = min(records[i].date[:4] for i in printed)
    same_year = [i for i in printed if records[i].date.startswith(year)]
    return min(same_year, key=lambda i: (-len(records[i].date), records[i].date, i))


def choose(
    records: Sequence[Record], members: Sequence[int], identity: str, keys: Sequence[dict[str, str]] | None = None
) -> ResolvedPaper:
    """The values of the paper that ``members`` (record indexes) describe, by the module's rules.

    ``keys`` are the records' :func:`paper_keys`, when already computed (their title keys are used).
    """
    chosen: dict[str, int] = {}

    def title_key(index: int) -> str:
        if keys is not None:
            return keys[index].get("title", "")
        return normalise_title(records[index].title or "")

    title, chosen["title"] = _longest(records, members, "title", lambda index: len(title_key(index)))
    abstract, chosen["abstract"] = _longest(records, members, "abstract", lambda index: len(records[index].abstract))
    dated = _date(records, members)
    chosen["date"] = dated
    venue_from = next((i for i in members if records[i].venue), None)
    chosen["venue"] = venue_from
    counts = [(records[i].author_count, i) for i in members if records[i].author_count is not None]
    chosen["author_count"] = max(counts, key=lambda pair: (pair[0], -pair[1]))[1] if counts else None
    votes = [(records[i].upvotes, i) for i in members if records[i].upvotes is not None]
    chosen["upvotes"] = max(votes, key=lambda pair: (pair[0], -pair[1]))[1] if votes else None
    code = [i for i in members if records[i].has_code] or [i for i in members if records[i].has_code is False]
    chosen["has_code"] = code[0] if code else None
    listed = [i for i in members if records[i].authors]
    truncated = all(records[i].authors_truncated for i in listed) if listed else None
    chosen["authors_truncated"] = next((i for i in listed if records[i].authors_truncated == truncated), None)
    venue_record = records[venue_from] if venue_from is not None else None
    # Printings that differ from the chosen title in more than case, punctuation and spacing: the sources disagree.
    chosen_key = title_key(chosen["title"]) if title else None
    variants: dict[str, tuple[str, int]] = {}
    for index in members:
        printed = records[index].title
        if printed and title_key(index) != chosen_key:
            variants.setdefault(title_key(index), (printed, index))
    return ResolvedPaper(
        identity=identity,
        records=tuple(members),
        title=title,
        abstract=abstract,
        date=records[dated].date if dated is not None else None,
        date_inferred=records[dated].date_inferred if dated is not None else False,
        year=int(records[dated].date[:4]) if dated is not None else None,
        venue=venue_record.venue if venue_record else None,
        venue_status=venue_record.extra.get("venue_status") if venue_record and venue_record.extra else None,
        author_count=records[chosen["author_count"]].author_count if chosen["author_count"] is not None else None,
        upvotes=records[chosen["upvotes"]].upvotes if chosen["upvotes"] is not None else None,
        has_code=records[chosen["has_code"]].has_code if chosen["has_code"] is not None else None,
        authors_truncated=truncated,
        chosen_from={name: index for name, index in chosen.items() if index is not None},
        title_variants=tuple(variants.values()),
    )


@dataclass
class _Group:
    members: list[int]
    keys: dict[str, set[str]] = field(default_factory=dict)

    def conflicts(self, other: _Group, kinds: Sequence[str]) -> bool:
        """True when both groups have a key of one of ``kinds`` and share none of it."""
        return any(
            self.keys.get(kind) and other.keys.get(kind) and not (self.keys[kind] & other.keys[kind]) for kind in kinds
        )


def group_papers(records: Sequence[Record], keys: Sequence[dict[str, str]] | None = None) -> list[list[int]]:
    """Indexes of the records that are one paper, in order of first appearance.

    ``keys`` are the records' :func:`paper_keys`, when already computed.

    Examples
    --------
    >>> a = Record(title="Universal Transformers", ids={"arxiv": "1807.03819v3"})
    >>> b = Record(title="Universal transformers.")
    >>> c = Record(title="Universal Transformers", ids={"arxiv": "9999.99999"})
    >>> group_papers([a, b, c])
    [[0, 1], [2]]
    """
    groups: list[_Group] = []
    index_by_key: dict[tuple[str, str], int] = {}
    all_keys = keys if keys is not None else [paper_keys(record) for record in records]
    for position, keys in enumerate(all_keys):
        target: int | None = None
        for level, kind in enumerate(KEY_ORDER):
            if kind not in keys or (kind, keys[kind]) not in index_by_key:
                continue
            candidate = index_by_key[(kind, keys[kind])]
            incoming = _Group([position], {k: {v} for k, v in keys.items()})
            # A match on this key joins only if no stronger key disagrees.
            if not groups[candidate].conflicts(incoming, KEY_ORDER[:level]):
                target = candidate
                break
        if target is None:
            groups.append(_Group([position]))
            target = len(groups) - 1
        group = groups[target]
        if position not in group.members:
            group.members.append(position)
        for kind, value in keys.items():
            group.keys.setdefault(kind, set()).add(value)
            index_by_key.setdefault((kind, value), target)
    return [group.members for group in groups]


def paper_identity(records: Sequence[Record], members: Sequence[int], keys: Sequence[dict] | None = None) -> str:
    """The key a paper's IRI is minted from: its strongest key, the smallest on a tie."""
    keys = [keys[i] if keys is not None else paper_keys(records[i]) for i in members]
    for kind in KEY_ORDER:
        values = sorted(k[kind] for k in keys if kind in k)
        if values:
            return f"{kind}:{values[0]}"
    source = records[members[0]].source
    where = f"{source.path}:{source.line}" if source else "unknown"
    return f"record:{where}"
