"""Printed dates to ISO, and the year inference for pages that leave it out."""

from __future__ import annotations

import datetime

from kg.extractors.common.dates import (
    PrintedDate,
    infer_page_year,
    parse_iso_date,
    parse_month_day_year,
    resolve_page_dates,
)


def test_parse_forms():
    assert parse_month_day_year("Sept 5, 2019") == PrintedDate(2019, 9, 5)
    assert parse_month_day_year("June 5 2019") == PrintedDate(2019, 6, 5)
    assert parse_month_day_year("Feb 30, 2019") is None
    assert parse_month_day_year("Feb 29") == PrintedDate(None, 2, 29)
    assert parse_iso_date("2024-02-30") is None


def test_infer_page_year_is_capped_by_today():
    assert infer_page_year([2018, 2026], datetime.date(2026, 11, 22)) == 2026
    assert infer_page_year([], datetime.date(2026, 11, 22)) == 2026


def test_yearless_feb_29_lands_in_a_leap_year():
    iso, inferred, _ = resolve_page_dates(
        [PrintedDate(None, 2, 29)], datetime.date(2025, 6, 1), datetime.date(2026, 1, 1)
    )
    assert iso == ["2024-02-29"] and inferred == [True]


def test_note_says_how_the_year_was_chosen():
    _, _, note = resolve_page_dates([PrintedDate(None, 1, 2)], None, datetime.date(2026, 11, 22))
    assert "today's year" in note and "pass as_of to say when the page was saved" in note
    # The command line names the flag instead of the keyword.
    assert "pass --as-of to say" in note.render(lambda option: "--" + option.replace("_", "-"))
