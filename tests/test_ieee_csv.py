"""The ieee-csv reader (IEEE Xplore "Export > CSV")."""

from __future__ import annotations

from kg.extract import extract_file, extract_text


def test_2025_layout_with_aligned_affiliations(shared_data):
    result = extract_file(shared_data / "ieee-csv" / "slr_churn_ieee.csv")
    assert result.format == "ieee-csv" and len(result.records) == 390
    first = result.records[0]
    assert first.title == "Implementation of Exact Machine Unlearning Algorithm in Credit Scoring Cases"
    assert [a.name for a in first.authors] == ["I. Pratama", "W. Gambetta"]
    assert first.authors[0].affiliations == (
        "School of Electrical Engineering and Informatics, Bandung Institute Technology, Bandung, Indonesia",
    )
    assert first.date == "2024" and first.ids["ieee"] == "10829911" and first.ids["isbn"] == "979-8-3315-0640-7"
    assert first.extra["keywords"][:2] == ["machine unlearning", "exact machine unlearning"]
    last = result.records[-1]
    assert (last.title, last.source.line, last.venue) == ("Outlook 2025", 391, "Computer")
    assert sum(1 for r in result.records if "doi" in r.ids) == 334


def test_2019_layout(shared_data):
    records = extract_file(shared_data / "ieee-csv" / "ieee.csv").records
    assert len(records) == 15 and all(r.abstract for r in records)
    first = records[0]
    assert [a.name for a in first.authors] == ["A. Skowroński", "J. Werewka"]
    # One affiliation for two authors: the paper's, not guessed onto an author.
    assert first.orgs == ("Schibsted Tech Polska Sp. z o.o., ul. Armii Krajowej 28, Krakow, Poland",)
    assert first.authors[0].affiliations == ()
    assert first.extra["keywords"][0] == "Reactive systems"  # the literal "Keywords " dropped
    assert first.ids["isbn"] == "978-8-3608-1065-1" and first.date == "2015"
    rudas = records[3]  # "&#x00D3;buda": the entity's ";" is no separator
    assert rudas.authors[0].affiliations == ("Óbuda University, Budapest, Hungary",)


def test_title_less_rows_are_skipped_with_a_note():
    text = '"Document Title",Authors,"Author Affiliations","IEEE Terms"\n"","A. B","X","t"\n"Real","C. D","Y","u"\n'
    result = extract_text(text)
    assert result.format == "ieee-csv" and [r.title for r in result.records] == ["Real"]
    assert result.records[0].source.line == 3 and "1 row(s)" in result.notes[0]
