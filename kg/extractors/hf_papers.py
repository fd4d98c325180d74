"""A Hugging Face papers listing, copied from the browser as plain text.

Each paper is up to four lines, any of which the page may leave out::

    Universal Transformers
    <abstract>
      • 5 authors
    Jul 10, 2018 3          <- date, then the upvote count when the page shows one

The site prints no year for dates in the current year ("Oct 29"); those are
resolved against ``--as-of`` or an inferred year (see :mod:`kg.extractors.common.dates`).
"""

from __future__ import annotations

import re

from kg.data import load_json
from kg.extractors.base import ExtractOptions, Extractor, numbered_lines, word_count
from kg.extractors.common.dates import MONTH_DAY_YEAR, PrintedDate, printed_date_from_match, resolve_page_dates
from kg.records import Record, SourceRef

FORMAT = "hf-papers"

_AUTHORS_RE = re.compile(r"^[•·*\-]?\s*(?P<count>\d+)\s+authors?$")
_DATE_RE = re.compile(rf"^{MONTH_DAY_YEAR}(?:\s+(?P<upvotes>\d+))?$")


_SENTENCE_END_RE = re.compile(r"[.!?][\"')]? +[A-Z(]")


def _is_prose(line: str, after_title: bool) -> bool:
    """An abstract: longer than any title, or several sentences.

    Titles may end in "?" or hold one ("Skip a Layer or Loop it? Test-Time ..."),
    so one sentence end is not enough to call a line an abstract. Right after a
    title line a shorter line is enough: two titles in a row are rarer than a
    short abstract.
    """
    words = word_count(line)
    if words >= (25 if after_title else 40):
        return True
    return words >= 20 and len(_SENTENCE_END_RE.findall(line)) >= 2


def detect(text: str) -> float:
    """Share of lines that belong to entries with a "• N authors" line (four per entry)."""
    lines = numbered_lines(text)
    authors = sum(1 for _, line in lines if _AUTHORS_RE.match(line))
    if not authors:
        return 0.0
    return min(1.0, 4 * authors / max(1, len(lines)))


class _Entry:
    def __init__(self, line: int, title: str | None) -> None:
        self.line = line
        self.title = title
        self.abstract: str | None = None
        self.author_count: int | None = None
        self.date: PrintedDate | None = None
        self.upvotes: int | None = None
        self.has_date_line = False

    @property
    def awaits_abstract(self) -> bool:
        """True right after the title line, before any other line of the paper."""
        return self.title is not None and self.abstract is None and not self.has_metadata

    @property
    def has_metadata(self) -> bool:
        """True once the author-count or date line was read: later lines start a new paper."""
        return self.author_count is not None or self.has_date_line


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    chrome = set(load_json("page_chrome.json")[FORMAT]["exact"])
    entries: list[_Entry] = []
    notes: list[str] = []
    current: _Entry | None = None
    for number, line in numbered_lines(text):
        if line in chrome:
            continue
        authors = _AUTHORS_RE.match(line)
        date = _DATE_RE.match(line)
        if date:
            if current is None:
                notes.append(f"line {number}: date {line!r} before the first paper taken as the page's date")
                continue
            if current.has_date_line:
                notes.append(f"line {number}: a second date line for one paper ignored")
                continue
            current.has_date_line = True
            current.date = printed_date_from_match(date)
            if current.date is None:
                notes.append(f"line {number}: {line!r} is not a real date")
            current.upvotes = int(date["upvotes"]) if date["upvotes"] else None
        elif authors:
            if current is None or current.has_metadata:
                current = _Entry(number, None)  # an entry whose title line is missing
                entries.append(current)
            current.author_count = int(authors["count"])
        elif _is_prose(line, after_title=current is not None and current.awaits_abstract):
            if (
                current is None
                or current.abstract is not None
                or current.author_count is not None
                or current.has_date_line
            ):
                current = _Entry(number, None)
                entries.append(current)
            current.abstract = line
        else:
            current = _Entry(number, line)
            entries.append(current)
    iso, inferred, note = resolve_page_dates([e.date for e in entries], options.as_of, options.today)
    if note:
        notes.append(note)
    records = [
        Record(
            title=entry.title,
            author_count=entry.author_count,
            date=iso[index],
            date_inferred=inferred[index],
            upvotes=entry.upvotes,
            abstract=entry.abstract,
            source=SourceRef(source, entry.line, FORMAT),
        )
        for index, entry in enumerate(entries)
    ]
    untitled = sum(1 for r in records if r.title is None)
    if untitled:
        notes.append(f"{untitled} paper(s) with no title line")
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="Hugging Face papers listing, as text (title, abstract, '• N authors', 'Jun 23, 2024 1')",
    detect=detect,
    extract=extract,
)
