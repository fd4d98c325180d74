"""Whose page a list of papers is: the owner of a profile page, found from the page itself.

A profile page lists one person's papers, but a site that cuts author lists short ("et al.")
shows the owner only where they are among the first names. The owner is the name printed on
far more of the page's papers than any other, and on every paper whose author list is printed
whole. Readers of one-person layouts call :func:`find_page_owner`; readers whose page states
its owner (ORCID, dblp person pages, Scholar profiles) set ``extra["page_owner"]`` themselves.

Examples
--------
>>> from kg.records import AuthorRef, Record
>>> def paper(*names, cut=True):
...     return Record(title="T", authors=tuple(AuthorRef(n) for n in names), authors_truncated=cut)
>>> page = [paper("Kelvin Xu", "Ann Lee"), paper("Bo Chen", "Kelvin Xu", cut=False), paper("Cy Dunn", "Ed Fox"),
...         paper("Kelvin Xu", "Gil Ho"), paper("Ann Lee", "Kelvin Xu", cut=False)]
>>> owner, note = find_page_owner(page)
>>> owner
'Kelvin Xu'
>>> print(note)
page owner: Kelvin Xu (printed on 4 of 5 papers and on every whole author list); listed as an author of the other 1
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence

from kg.records import Record
from kg.text import normalise_text

# The owner must be printed on at least this share of the page's papers, and at least this many.
MIN_SHARE = 0.3
MIN_PAPERS = 3


def find_page_owner(records: Sequence[Record]) -> tuple[str | None, str | None]:
    """The owner of a one-person page of ``records`` and a note saying why, or (None, None).

    The most printed name is the owner when it is on at least 30% of the papers (and 3), on
    every paper whose list is not cut short, and on at least twice as many as the next name.
    """
    counts: Counter[str] = Counter()
    printed: dict[str, str] = {}
    for record in records:
        for key in {normalise_text(a.name) for a in record.authors}:
            counts[key] += 1
        for author in record.authors:
            printed.setdefault(normalise_text(author.name), author.name)
    if not counts:
        return None, None
    (key, count), *rest = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    runner_up = rest[0][1] if rest else 0
    whole_lists = [r for r in records if r.authors and not r.authors_truncated]
    if count < max(MIN_PAPERS, MIN_SHARE * len(records)) or count < 2 * runner_up:
        return None, None
    if not all(key in {normalise_text(a.name) for a in r.authors} for r in whole_lists):
        return None, None
    name = printed[key]
    note = (
        f"page owner: {name} (printed on {count} of {len(records)} papers"
        + (" and on every whole author list" if whole_lists else "")
        + ")"
        + (f"; listed as an author of the other {len(records) - count}" if count < len(records) else "")
    )
    return name, note


def with_page_owner(records: Sequence[Record], owner: str) -> list[Record]:
    """``records`` that say they come from ``owner``'s page (``extra["page_owner"]``)."""
    return [dataclasses.replace(r, extra={**r.extra, "page_owner": owner}) for r in records]
