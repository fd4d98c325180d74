"""Shared reading of CSV exports (Scopus, IEEE Xplore, SpringerLink, Lens.org): header, rows, line numbers.

Every row comes with the 1-based line it starts on (a quoted cell may span lines,
so a row's start is not its index), and cells are looked up by header name,
case-insensitively, with whitespace collapsed.

Examples
--------
>>> table = read_table('\\ufeffTitle,Authors\\n"A, B",Ann Lee\\n\\n"Multi\\nline",Bo Chen\\n')
>>> table.header
('Title', 'Authors')
>>> [(line, row.get("title"), row.get("Authors")) for line, row in table.rows]
[(2, 'A, B', 'Ann Lee'), (4, 'Multi line', 'Bo Chen')]
>>> header_names('"Document Title",Authors,"Publication_Year"\\n"x","y","2015"')
('Document Title', 'Authors', 'Publication_Year')
>>> split_cell("a; b;; c ")
['a', 'b', 'c']
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kg.records import Record
from kg.text import clean_space

_BOM = "\ufeff"


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith(_BOM) else text


def _first_line(text: str) -> str:
    end = text.find("\n")
    return text if end < 0 else text[:end]


def _delimiter(header_line: str) -> str:
    """The delimiter of a header line: the most frequent of comma, tab and semicolon outside quotes."""
    outside = re.sub(r'"[^"]*"', "", header_line)
    counts = {d: outside.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def header_names(text: str) -> tuple[str, ...]:
    """The column names of a CSV text's first line (cheap: only that line is parsed), whitespace collapsed."""
    line = _first_line(_strip_bom(text.lstrip("\r\n"))).rstrip("\r")
    if not line.strip() or line.lstrip()[:1] in "{[<":
        return ()
    try:
        cells = next(csv.reader([line], delimiter=_delimiter(line)), [])
    except csv.Error:
        return ()
    return tuple(clean_space(_strip_bom(cell)) for cell in cells)


def has_columns(header: Iterable[str], *names: str) -> int:
    """How many of ``names`` are in ``header`` (case-insensitive)."""
    folded = {h.casefold() for h in header}
    return sum(1 for name in names if name.casefold() in folded)


@dataclass(frozen=True)
class Row:
    """One data row: cells by (case-folded) column name."""

    cells: dict[str, str]

    def get(self, *names: str) -> str | None:
        """The first non-empty cell among ``names``, whitespace collapsed; None when all are empty or absent."""
        for name in names:
            value = self.cells.get(name.casefold())
            if value is not None and clean_space(value):
                return clean_space(value)
        return None

    def raw(self, name: str) -> str | None:
        """The cell as written (line breaks kept), or None."""
        return self.cells.get(name.casefold())


@dataclass(frozen=True)
class Table:
    """A CSV text read with its header: the column names and ``(line, Row)`` pairs."""

    header: tuple[str, ...]
    rows: tuple[tuple[int, Row], ...]


def read_table(text: str) -> Table:
    """Read a CSV export whose first line is its header; blank lines are skipped.

    The delimiter is taken from the header line (comma, tab or semicolon).
    Cells past the header's width are dropped; missing cells are absent.
    Raises ``csv.Error`` (a ValueError is not raised) for text the csv module refuses.
    """
    text = _strip_bom(text)
    delimiter = _delimiter(_first_line(text.lstrip("\r\n")).rstrip("\r"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: tuple[str, ...] = ()
    rows: list[tuple[int, Row]] = []
    previous_end = 0
    for cells in reader:
        start, previous_end = previous_end + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if not header:
            header = tuple(clean_space(_strip_bom(cell)) for cell in cells)
            continue
        keyed = {}
        for name, cell in zip(header, cells, strict=False):
            keyed.setdefault(name.casefold(), cell)
        rows.append((start, Row(keyed)))
    return Table(header, tuple(rows))


def blank_first_line(text: str, starts: str) -> str:
    """``text`` with its first line emptied when it starts with ``starts`` (quoted or not, case-insensitive).

    For exports that write a note above the header (Dimensions: "About the data: ..."); the line is
    emptied, not removed, so rows keep their line numbers.

    Examples
    --------
    >>> blank_first_line('"About the data: x"\\nTitle\\nA\\n', "About the data")
    '\\nTitle\\nA\\n'
    """
    body = _strip_bom(text)
    if not body.lstrip('"').casefold().startswith(starts.casefold()):
        return text
    end = body.find("\n")
    return "" if end < 0 else body[end:]


def split_cell(value: str | None, separator: str = ";") -> list[str]:
    """The non-empty parts of a multi-valued cell, whitespace collapsed (``;`` between values by default)."""
    if not value:
        return []
    return [part for part in (clean_space(p) for p in value.split(separator)) if part]


def unique(values: Iterable[str]) -> list[str]:
    """``values`` without repeats (compared case-insensitively), first spelling and order kept.

    Examples
    --------
    >>> unique(["Cloud", "cloud", "Edge"])
    ['Cloud', 'Edge']
    """
    seen: set[str] = set()
    out = []
    for value in values:
        if value.casefold() not in seen:
            seen.add(value.casefold())
            out.append(value)
    return out


def records_of_rows(
    rows: Iterable[tuple[int, Row]], make: Callable[[Row, int], Record | None]
) -> tuple[list[Record], list[str]]:
    """The records ``make`` gives for each (line, row), and a note for the rows that gave none.

    Examples
    --------
    >>> table = read_table("Title,Year\\nUniversal Transformers,2018\\n,2019\\n")
    >>> records, notes = records_of_rows(table.rows, lambda row, line: Record(title=row.get("Title"))
    ...                                  if row.get("Title") else None)
    >>> [r.title for r in records], notes
    (['Universal Transformers'], ['1 row(s) without title or abstract skipped'])
    """
    rows = list(rows)
    records = [record for line, row in rows if (record := make(row, line)) is not None]
    notes = [f"{len(rows) - len(records)} row(s) without title or abstract skipped"] if len(records) < len(rows) else []
    if not rows:
        notes.append("the header is there but no row follows it")
    return records, notes
