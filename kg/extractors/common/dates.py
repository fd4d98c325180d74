"""Dates as listing pages print them, turned into ISO strings.

Examples
--------
>>> parse_month_day_year("Sep 25, 2023")
PrintedDate(year=2023, month=9, day=25)
>>> parse_month_day_year("Oct 29")
PrintedDate(year=None, month=10, day=29)
>>> infer_page_year([2015, 2024], today=datetime.date(2026, 11, 22))
2025
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import NamedTuple

from kg.errors import Note

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip

MONTH_NAME = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
# "Sep 25, 2023", "Sep 25 2023", "Oct 29" (the year left out).
MONTH_DAY_YEAR = rf"(?P<month>{MONTH_NAME})\.? (?P<day>\d{{1,2}})(?:,? (?P<year>\d{{4}}))?"
_MONTH_DAY_YEAR_RE = re.compile(rf"^{MONTH_DAY_YEAR}$")
_ISO_RE = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})$")


class PrintedDate(NamedTuple):
    """A date as printed; ``year`` is None when the page left it out."""

    year: int | None
    month: int
    day: int


def month_number(name: str) -> int:
    """Return 1-12 for an English month name or abbreviation.

    Examples
    --------
    >>> month_number("Sept")
    9
    """
    return _MONTHS[name.lower().rstrip(".")]


def parse_month_day_year(text: str) -> PrintedDate | None:
    """Parse "Mon D, YYYY" or "Mon D"; None if ``text`` is not such a date."""
    match = _MONTH_DAY_YEAR_RE.match(text.strip())
    if not match:
        return None
    return printed_date_from_match(match)


def printed_date_from_match(match: re.Match[str]) -> PrintedDate | None:
    """Build a :class:`PrintedDate` from a match of :data:`MONTH_DAY_YEAR`.

    Returns None when the day does not exist in that month.
    """
    year = int(match["year"]) if match["year"] else None
    date = PrintedDate(year, month_number(match["month"]), int(match["day"]))
    try:
        datetime.date(year or 2000, date.month, date.day)  # 2000: a leap year, so Feb 29 passes
    except ValueError:
        return None
    return date


def parse_iso_date(text: str) -> str | None:
    """Return ``text`` if it is a valid YYYY-MM-DD date, else None.

    Examples
    --------
    >>> parse_iso_date("2024-07-08"), parse_iso_date("2024-13-01")
    ('2024-07-08', None)
    """
    text = text.strip()
    if not _ISO_RE.match(text):
        return None
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def infer_page_year(explicit_years: Iterable[int], today: datetime.date) -> int:
    """Guess the year a page was saved in from the years it prints.

    A page that leaves the year out for dates of the current year shows explicit
    years only for earlier years, so the page's year is one more than the latest
    explicit year, but never later than ``today``'s year. With no explicit year
    at all, ``today``'s year is the best guess.
    """
    years = list(explicit_years)
    if not years:
        return today.year
    return min(max(years) + 1, today.year)


def resolve_printed_date(date: PrintedDate, page_year: int, latest: datetime.date | None = None) -> str:
    """ISO string for a printed date, filling a missing year with ``page_year``.

    ``latest`` is the latest possible date (when the page was saved): a yearless
    date that would fall after it belongs to the year before.

    Examples
    --------
    >>> resolve_printed_date(PrintedDate(None, 10, 29), 2025)
    '2025-10-29'
    >>> resolve_printed_date(PrintedDate(None, 12, 30), 2026, datetime.date(2026, 11, 22))
    '2025-12-30'
    """
    year = date.year if date.year is not None else page_year
    if date.month == 2 and date.day == 29:
        # A yearless Feb 29 must fall in a leap year; step back to the nearest one.
        while not _is_leap(year):
            year -= 1
    resolved = datetime.date(year, date.month, date.day)
    if date.year is None and latest is not None and resolved > latest:
        resolved = resolved.replace(year=year - 1) if not (date.month == 2 and date.day == 29) else resolved
    return resolved.isoformat()


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def resolve_page_dates(
    printed: list[PrintedDate | None], as_of: datetime.date | None, today: datetime.date
) -> tuple[list[str | None], list[bool], str | None]:
    """Resolve every date printed on one page, filling left-out years.

    Sites that leave the year out for dates of the current year are resolved
    against ``as_of`` (when the page was saved) if given, else against the
    year inferred by :func:`infer_page_year`.

    Returns the ISO dates, whether each one's year was filled in, and a note
    for the user saying how (None when no year was missing).

    Examples
    --------
    >>> dates = [PrintedDate(2024, 6, 23), PrintedDate(None, 10, 29), None]
    >>> iso, inferred, note = resolve_page_dates(dates, None, datetime.date(2026, 11, 22))
    >>> iso, inferred
    (['2024-06-23', '2025-10-29', None], [False, True, False])
    """
    missing = sum(1 for d in printed if d is not None and d.year is None)
    latest = as_of or today
    if as_of is not None:
        page_year = as_of.year
        how = f"the year of {{option}} {as_of.isoformat()}"
    else:
        explicit = [d.year for d in printed if d is not None and d.year is not None]
        page_year = infer_page_year(explicit, today)
        how = (
            f"{page_year}, inferred as one more than the latest year on the page ({max(explicit)})"
            if explicit
            else f"{page_year}, today's year (no year is printed on the page)"
        ) + "; pass {option} to say when the page was saved"
    iso = [resolve_printed_date(d, page_year, latest) if d is not None else None for d in printed]
    inferred = [d is not None and d.year is None for d in printed]
    note = Note(f"{missing} date(s) printed without a year: resolved to {how}", "as_of") if missing else None
    return iso, inferred, note
