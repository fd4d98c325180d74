"""The hf-papers extractor (a Hugging Face papers listing copied as text)."""

from __future__ import annotations

import datetime

from conftest import TODAY

from kg.extract import extract_file


def test_fixture_records(fixtures):
    result = extract_file(fixtures / "hf_sample.txt", today=TODAY)
    assert result.format == "hf-papers"
    records = result.records
    assert [r.title for r in records] == [
        "Universal Transformers",
        "Skip a Layer or Loop it? Test-Time Depth Adaptation of Pretrained LLMs",
        "A Paper With No Metadata Lines",
        "Titans: Learning to Memorize at Test Time",
    ]
    assert [r.author_count for r in records] == [5, 3, None, 3]
    assert [r.upvotes for r in records] == [None, 14, None, 3]
    assert all(r.authors == () and r.authors_truncated is False for r in records)
    assert records[0].abstract.startswith("A fixture abstract we wrote")
    assert records[0].source.line == 7


def test_yearless_date_inferred_from_latest_year(fixtures):
    records = extract_file(fixtures / "hf_sample.txt", today=TODAY).records
    assert records[1].date == "2025-07-10" and records[1].date_inferred is True
    assert records[3].date == "2024-12-31" and records[3].date_inferred is False
    assert records[2].date is None and records[2].date_inferred is False


def test_yearless_date_resolved_against_as_of(fixtures):
    records = extract_file(fixtures / "hf_sample.txt", as_of=datetime.date(2026, 8, 1), today=TODAY).records
    assert records[1].date == "2026-07-10" and records[1].date_inferred is True


def test_inferred_year_never_after_today(fixtures):
    records = extract_file(fixtures / "hf_sample.txt", today=datetime.date(2025, 3, 1)).records
    # One more than 2024 is 2025, but Jul 10, 2025 is after "today": the year before.
    assert records[1].date == "2024-07-10"


def test_page_date_before_first_paper_is_not_a_paper(fixtures):
    result = extract_file(fixtures / "hf_sample.txt", today=TODAY)
    assert len(result.records) == 4
    assert any("page's date" in note for note in result.notes)
    assert any("resolved to 2025" in note for note in result.notes)
