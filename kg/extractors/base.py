"""What every extractor is: a name, a content detector and an extract function."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from kg.records import Record
from kg.text import clean_space

# A note with these words tells kg that an input it recognised legitimately holds no paper
# (an OpenAlex author record); any other input that yields no paper failed.
HOLDS_NO_PAPERS = "holds no papers"
# A detector score at least this high is confident; below it only a guessing fallback may take an input.
DETECT_THRESHOLD = 0.3


@dataclass(frozen=True)
class ExtractOptions:
    """Options every extractor accepts.

    Attributes
    ----------
    as_of : datetime.date or None
        When the page was saved; dates printed without a year are resolved
        against it.
    today : datetime.date
        The latest date any inferred date may take (tests pin it).
    mapping : tuple of (field, key)
        For generic tables: the key that holds a record field (``--map``).
    """

    as_of: datetime.date | None = None
    today: datetime.date = field(default_factory=datetime.date.today)
    mapping: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Extraction:
    """The result of extracting one input: records plus notes for the user."""

    source: str
    format: str
    records: tuple[Record, ...]
    notes: tuple[str, ...] = ()
    encoding: str = "utf-8"


@dataclass(frozen=True)
class Extractor:
    """A registered source format.

    ``detect`` returns a confidence in [0, 1] that ``text`` is in this format;
    ``extract`` turns the text into records and notes. ``guesses`` marks a
    fallback whose output the user is told is a guess.
    """

    name: str
    description: str
    detect: Callable[[str], float]
    extract: Callable[[str, str, ExtractOptions], tuple[list[Record], list[str]]]
    guesses: bool = False
    whole_text_detect: bool = False  # JSON can only be told from a whole parse; the rest from a sample


def numbered_lines(text: str) -> list[tuple[int, str]]:
    """Non-blank lines of ``text`` with their 1-based line numbers, whitespace collapsed.

    Examples
    --------
    >>> numbered_lines("a\\n\\n  b   c \\n")
    [(1, 'a'), (3, 'b c')]
    """
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        cleaned = clean_space(line)
        if cleaned:
            out.append((number, cleaned))
    return out


def word_count(text: str) -> int:
    """Number of whitespace-separated words."""
    return len(text.split())


def skipped_note(lines: Sequence[int]) -> list[str]:
    """The note for records that gave no paper, naming their first lines (none when nothing was skipped).

    Examples
    --------
    >>> skipped_note([3, 9])
    ['2 record(s) with neither a title nor an abstract skipped (line(s) 3, 9)']
    >>> skipped_note([])
    []
    """
    if not lines:
        return []
    where = ", ".join(map(str, lines[:10])) + (", ..." if len(lines) > 10 else "")
    return [f"{len(lines)} record(s) with neither a title nor an abstract skipped (line(s) {where})"]


def papers_of(items: Iterable, make: Callable, line_of: Callable) -> tuple[list[Record], list[str]]:
    """The records ``make`` gives for ``items`` (None: no paper), and the note naming the lines of the others."""
    records, skipped = [], []
    for item in items:
        record = make(item)
        if record is None:
            skipped.append(line_of(item))
        else:
            records.append(record)
    return records, skipped_note(skipped)
