"""The record contract: what every extractor emits, one object per paper.

Extractors know nothing of RDF; they produce :class:`Record` objects, which
``kg extract`` prints as JSON Lines and ``kg build`` turns into a graph. The
key order of :meth:`Record.to_dict` is part of the contract (ARCHITECTURE.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kg.errors import KgError

_DATE_PATTERN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class AuthorRef:
    """One author of one paper, as printed.

    Examples
    --------
    >>> AuthorRef("Kelvin Xu").to_dict()
    {'name': 'Kelvin Xu', 'affiliations': [], 'orcid': None}
    """

    name: str
    affiliations: tuple[str, ...] = ()
    orcid: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "affiliations": list(self.affiliations), "orcid": self.orcid}


@dataclass(frozen=True)
class SourceRef:
    """Where a record came from: the input as named, its 1-based line, the format."""

    path: str
    line: int
    format: str

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "format": self.format}


@dataclass(frozen=True)
class Record:
    """One paper as one source describes it.

    Field meanings follow the record contract in ARCHITECTURE.md. ``extra`` holds
    additional keys an extractor knows (they are printed after the contract keys).

    Examples
    --------
    >>> r = Record(title="Universal Transformers", author_count=5,
    ...            date="2018-07-10", source=SourceRef("page.txt", 12, "hf-papers"))
    >>> d = r.to_dict()
    >>> d["title"], d["author_count"], d["date"], d["source"]["line"]
    ('Universal Transformers', 5, '2018-07-10', 12)
    """

    title: str | None = None
    authors: tuple[AuthorRef, ...] = ()
    authors_truncated: bool = False
    author_count: int | None = None
    orgs: tuple[str, ...] = ()
    date: str | None = None
    date_inferred: bool = False
    categories: tuple[str, ...] = ()
    venue: str | None = None
    has_code: bool | None = None
    upvotes: int | None = None
    abstract: str | None = None
    ids: dict[str, str] = field(default_factory=dict)
    source: SourceRef | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.date is not None and not _DATE_PATTERN.match(self.date):
            raise KgError(f"record date must be YYYY, YYYY-MM or YYYY-MM-DD, got {self.date!r}")

    def to_dict(self) -> dict[str, Any]:
        """Return the record as a plain dict in contract key order."""
        out: dict[str, Any] = {
            "title": self.title,
            "authors": [a.to_dict() for a in self.authors],
            "authors_truncated": self.authors_truncated,
            "author_count": self.author_count,
            "orgs": list(self.orgs),
            "date": self.date,
            "date_inferred": self.date_inferred,
            "categories": list(self.categories),
            "venue": self.venue,
            "has_code": self.has_code,
            "upvotes": self.upvotes,
            "abstract": self.abstract,
            "ids": dict(self.ids),
            "source": self.source.to_dict() if self.source else None,
        }
        for key, value in self.extra.items():
            out.setdefault(key, value)
        return out
