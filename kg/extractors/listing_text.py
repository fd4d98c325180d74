"""A guess at listing text in no known layout.

Blocks of lines separated by blank lines are read as one paper each: a short
line is the title, a line of person names is the author list, a line holding a
date or year is the date, a long line is the abstract. A block becomes a
record only when it has a title and authors or a date, so plain prose yields
nothing. The command line says on stderr that the layout was guessed.
"""

from __future__ import annotations

import re

from kg.errors import Note
from kg.extractors.base import ExtractOptions, Extractor, word_count
from kg.extractors.common.dates import MONTH_DAY_YEAR, parse_iso_date, printed_date_from_match, resolve_printed_date
from kg.extractors.common.names import looks_like_name
from kg.records import AuthorRef, Record, SourceRef
from kg.text import clean_space

FORMAT = "listing-text"

_ET_AL_RE = re.compile(r",?\s+(?:et\s+al\.?|and\s+others)$")
_NAME_SPLIT_RE = re.compile(r",\s*(?:and\s+)?|\s+and\s+|;\s*")
_WRITTEN_DATE_RE = re.compile(rf"\b{MONTH_DAY_YEAR}\b")
_YEAR_RE = re.compile(r"(?:^|[\s(,])(?P<year>(?:19|20)\d{2})[).,]?$")
_TITLE_MAX_WORDS = 40
_ABSTRACT_MIN_WORDS = 30


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    blocks: list[list[tuple[int, str]]] = [[]]
    for number, raw in enumerate(text.split("\n"), start=1):
        line = clean_space(raw)
        if line:
            blocks[-1].append((number, line))
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def parse_author_line(line: str) -> tuple[list[str], bool] | None:
    """Names on a line of authors, and whether it ended with "et al."; None if it is not one.

    Examples
    --------
    >>> parse_author_line("Chelsea Finn, Kelvin Xu and Sergey Levine")
    (['Chelsea Finn', 'Kelvin Xu', 'Sergey Levine'], False)
    >>> parse_author_line("Learning to learn from few examples") is None
    True
    """
    truncated = bool(_ET_AL_RE.search(line))
    names = [n for n in _NAME_SPLIT_RE.split(_ET_AL_RE.sub("", line)) if n.strip()]
    if names and all(looks_like_name(n, min_tokens=2) for n in names):
        return [clean_space(n) for n in names], truncated
    return None


def _date_in(line: str) -> str | None:
    iso = parse_iso_date(line)
    if iso:
        return iso
    match = _WRITTEN_DATE_RE.search(line)
    if match and match["year"]:
        printed = printed_date_from_match(match)
        if printed and printed.year:
            return resolve_printed_date(printed, printed.year)
    year = _YEAR_RE.search(line)
    if year:  # a year ending a short line ("NeurIPS 2019")
        return year["year"]
    return None


def detect(text: str) -> float:
    """Share of blocks that read as a paper (used only to rank against other guesses)."""
    blocks = _blocks(text)
    if not blocks:
        return 0.0
    return 0.2 * sum(1 for block in blocks if _read_block(block, "") is not None) / len(blocks)


def _read_block(block: list[tuple[int, str]], source: str) -> Record | None:
    # Titles can be shaped like names too ("Universal Transformers"): the line
    # with the most names is the author list, the later one on a tie.
    author_lines = [(parsed, index) for index, (_, line) in enumerate(block) if (parsed := parse_author_line(line))]
    (names, truncated), author_index = (
        max(author_lines, key=lambda p: (len(p[0][0]), p[1])) if author_lines else (([], False), -1)
    )
    title = date = abstract = None
    for index, (_, line) in enumerate(block):
        if index == author_index:
            continue
        if date is None and word_count(line) <= 12 and (found := _date_in(line)):
            date = found
        elif word_count(line) >= _ABSTRACT_MIN_WORDS and abstract is None:
            abstract = line
        elif title is None and word_count(line) <= _TITLE_MAX_WORDS:
            title = line
    if title is None or not (names or date):
        return None
    return Record(
        title=title,
        authors=tuple(AuthorRef(n) for n in names),
        authors_truncated=truncated,
        date=date,
        abstract=abstract,
        source=SourceRef(source, block[0][0], FORMAT),
    )


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    blocks = _blocks(text)
    records = [r for r in (_read_block(b, source) for b in blocks) if r is not None]
    notes = [
        Note(
            f"no known layout matched; guessed {len(records)} paper(s) from {len(blocks)} blank-line separated "
            "block(s) (check them, or name the layout with {option})",
            "format",
        )
    ]
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="fallback for listing text in no known layout: blank-line separated blocks (a guess)",
    detect=detect,
    extract=extract,
    guesses=True,
)
