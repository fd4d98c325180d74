"""A lab's publications page, copied from the browser as plain text.

The page shows one card per paper: the abstract (cut by a "… (see more)"
link that the copy leaves in the middle of a word), then, for some cards, the
date and the venue on lines of their own. Titles and authors are not in the
copied text, so records have ``title`` None and no authors: nothing is
invented. A cookie banner at the top is dropped; a card shown twice is one
record.
"""

from __future__ import annotations

import re

from kg.data import load_json
from kg.extractors.base import ExtractOptions, Extractor, numbered_lines, word_count
from kg.extractors.common.dates import MONTH_DAY_YEAR, parse_iso_date, printed_date_from_match, resolve_printed_date
from kg.records import Record, SourceRef

FORMAT = "lab-page"

_SETTINGS = load_json("page_chrome.json")[FORMAT]
_PROSE_MIN_WORDS = 20
_WRITTEN_DATE_RE = re.compile(rf"^{MONTH_DAY_YEAR}$")


def _is_banner(line: str) -> bool:
    lowered = line.lower()
    return any(keyword in lowered for keyword in _SETTINGS["keywords"])


def _see_more_count(line: str) -> int:
    return sum(line.count(marker) for marker in _SETTINGS["see_more_markers"])


def remove_see_more(text: str) -> str:
    """Remove the "… (see more)" link, rejoining a word it cut in two.

    The link sits exactly where the preview was cut, so what precedes it and
    what follows it are the two halves of the text, joined with nothing between.

    Examples
    --------
    >>> remove_see_more("a key carrier o… (see more)f sharp behaviour")
    'a key carrier of sharp behaviour'
    >>> remove_see_more("representations… (see more) from image-text pairs")
    'representations from image-text pairs'
    """
    for marker in _SETTINGS["see_more_markers"]:
        text = text.replace(marker, "")
    return " ".join(text.split())


def _parse_date(line: str) -> str | None:
    iso = parse_iso_date(line)
    if iso:
        return iso
    match = _WRITTEN_DATE_RE.match(line)
    printed = printed_date_from_match(match) if match and match["year"] else None
    return resolve_printed_date(printed, printed.year) if printed and printed.year else None


def split_venue_status(line: str) -> tuple[str, str | None]:
    """Split "Proceedings of ICML (published)" into the venue and its status.

    Examples
    --------
    >>> split_venue_status("Proceedings of the 41st International Conference on Machine Learning (published)")
    ('Proceedings of the 41st International Conference on Machine Learning', 'published')
    """
    for suffix in _SETTINGS["venue_status_suffixes"]:
        if line.endswith(suffix):
            return line[: -len(suffix)].rstrip(), suffix.strip("()")
    return line, None


def detect(text: str) -> float:
    """Share of prose lines that carry a "(see more)" link or are followed by an ISO date."""
    lines = [line for _, line in numbered_lines(text)]
    prose_at = [i for i, line in enumerate(lines) if word_count(line) >= _PROSE_MIN_WORDS and not _is_banner(line)]
    if not prose_at:
        return 0.0
    # A card's date follows its abstract within a few lines; a date elsewhere says nothing of the layout.
    shown = sum(
        1 for i in prose_at if _see_more_count(lines[i]) or any(parse_iso_date(line) for line in lines[i + 1 : i + 4])
    )
    return min(1.0, shown / len(prose_at))


class _Card:
    def __init__(self, line: int, abstract: str) -> None:
        self.line = line
        self.abstract = abstract
        self.date: str | None = None
        self.venue: str | None = None
        self.venue_status: str | None = None


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    cards: list[_Card] = []
    seen: dict[str, int] = {}
    notes: list[str] = []
    dropped = 0
    expect_venue = False
    for number, line in numbered_lines(text):
        if _is_banner(line):
            dropped += 1
            expect_venue = False
            continue
        date = _parse_date(line)
        if date:
            # The date and venue lines belong to the card *above* them: on this
            # layout a card's footer (date, then venue) is rendered under its
            # abstract. The page opens with cards that have no footer at all,
            # and the footers that follow match the papers above them (e.g. the
            # RL fine-tuning paper above the first footer is an ICML 2024 paper,
            # while the normalisation paper after the last footer is not).
            if cards and cards[-1].date is None:
                cards[-1].date = date
                expect_venue = True
            else:
                notes.append(f"line {number}: date {line!r} with no card above it ignored")
            continue
        if word_count(line) >= _PROSE_MIN_WORDS:
            abstract = remove_see_more(line)
            expect_venue = False
            if abstract in seen:
                notes.append(f"line {number}: the card of line {seen[abstract]} shown again; kept once")
                continue
            seen[abstract] = number
            cards.append(_Card(number, abstract))
            continue
        if expect_venue and cards and cards[-1].venue is None:
            cards[-1].venue, cards[-1].venue_status = split_venue_status(line)
            expect_venue = False
            continue
        dropped += 1
    if dropped:
        notes.append(f"dropped {dropped} line(s) of page chrome (cookie banner, buttons)")
    records = []
    for card in cards:
        extra = {"venue_status": card.venue_status} if card.venue_status else {}
        records.append(
            Record(
                abstract=card.abstract,
                date=card.date,
                venue=card.venue,
                source=SourceRef(source, card.line, FORMAT),
                extra=extra,
            )
        )
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="lab publications page, as text (abstracts with '… (see more)', date and venue lines)",
    detect=detect,
    extract=extract,
)
