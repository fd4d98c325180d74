"""The lab-page extractor (a lab's publications page copied as text)."""

from __future__ import annotations

from kg.extract import extract_file
from kg.extractors.lab_page import remove_see_more, split_venue_status


def test_fixture_records(fixtures):
    result = extract_file(fixtures / "lab_sample.txt")
    assert result.format == "lab-page"
    records = result.records
    assert len(records) == 3, "cookie banner dropped, the card shown twice kept once"
    assert all(r.title is None and r.authors == () for r in records)
    assert "key carrier of sharp behaviour" in records[0].abstract
    assert "pre-trained capabilities that appear" in records[1].abstract
    assert not any("see more" in r.abstract for r in records)


def test_date_and_venue_belong_to_the_card_above(fixtures):
    records = extract_file(fixtures / "lab_sample.txt").records
    assert (records[0].date, records[0].venue) == (None, None)
    assert records[1].date == "2024-07-08"
    assert records[1].venue == "Proceedings of the 41st International Conference on Machine Learning"
    assert records[1].to_dict()["venue_status"] == "published"
    assert (records[2].date, records[2].venue) == (None, None)


def test_org_option_fills_every_record(fixtures):
    records = extract_file(fixtures / "lab_sample.txt", orgs=["Google DeepMind"]).records
    assert all(r.orgs == ("Google DeepMind",) for r in records)


def test_duplicate_card_noted(fixtures):
    notes = extract_file(fixtures / "lab_sample.txt").notes
    assert any("shown again" in n for n in notes)
    assert any("cookie banner" in n for n in notes)


def test_helpers():
    assert remove_see_more("a b… (see more)c") == "a bc"
    assert split_venue_status("Nature") == ("Nature", None)
