"""kg's own records as JSON Lines (what ``kg extract`` prints), read back for ``kg build``.

A record keeps the ``source`` it was extracted from, so provenance in the
graph points at the original page and line, not at the JSON Lines file.
"""

from __future__ import annotations

import json

from kg.errors import KgError
from kg.extractors.base import ExtractOptions, Extractor
from kg.io.inputs import json_line_loader
from kg.records import Record, SourceRef, record_from_dict

FORMAT = "kg-jsonl"
_SAMPLE_LINES = 20
# Keys only kg's own records carry (a plain JSON paper has "title" and "authors" too).
_RECORD_KEYS = frozenset({"authors_truncated", "author_count", "date_inferred", "has_code", "upvotes", "source"})


def detect(text: str) -> float:
    """Share of the first non-blank lines that are JSON objects with record keys."""
    lines = [line for line in text.split("\n", 200)[:200] if line.strip()][:_SAMPLE_LINES]
    if not lines:
        return 0.0
    hits = 0
    for line in lines:
        try:
            value = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if isinstance(value, dict) and len(_RECORD_KEYS & value.keys()) >= 3:
            hits += 1
    return hits / len(lines)


def _lines(text: str):
    """The lines of ``text`` one at a time, without a list of them all (a corpus can be gigabytes)."""
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        yield text[start:end]
        start = end + 1


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    records: list[Record] = []
    notes: list[str] = []
    loads = json_line_loader()
    for number, line in enumerate(_lines(text), start=1):
        if not line.strip():
            continue
        try:
            records.append(record_from_dict(loads(line), SourceRef(source, number, FORMAT)))
        except (ValueError, RecursionError) as error:
            notes.append(f"line {number}: skipped, not JSON ({error.__class__.__name__})")
        except KgError as error:
            notes.append(f"line {number}: skipped, not a kg record ({error})")
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="kg's own records as JSON Lines (what extraction prints, one record a line)",
    detect=detect,
    extract=extract,
)
