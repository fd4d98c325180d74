"""The scopus-csv reader (Scopus "Export > CSV")."""

from __future__ import annotations

import pytest

from kg.errors import UnknownFormatError
from kg.extract import extract_file, extract_text


def test_export_with_full_names_and_eid(shared_data):
    result = extract_file(shared_data / "scopus-csv" / "wblca_scopus.csv")
    assert result.format == "scopus-csv" and len(result.records) == 314
    first = result.records[0]
    assert first.title == "Who is saving and how much? New evidence from Brazil"
    assert [a.name for a in first.authors] == [
        "Bernardelli, Luan Vinicius",
        "Plassa, Wander",
        "Paschoalino, Pietro Andre Telatin",
    ]
    assert (first.authors[0].given, first.authors[0].family) == ("Luan Vinicius", "Bernardelli")
    assert first.extra["scopus_author_ids"] == ["57195606432", "57226300357", "57195609320"]
    assert first.date == "2022" and first.venue == "Management Research" and first.source.line == 2
    assert first.ids == {"doi": "10.1108/mrjiam-12-2021-1254", "scopus": "2-s2.0-85125962759"}
    last = result.records[-1]
    assert last.source.line == 315 and last.authors[0].family == "da Costa Ganzo Fernandez"


def test_localised_export_whose_author_column_is_mislabelled(shared_data):
    result = extract_file(shared_data / "scopus-csv" / "scopus.csv")
    assert result.format == "scopus-csv" and len(result.records) == 234
    assert any("author names" in note for note in result.notes)
    first = result.records[0]
    assert first.title == "A Combined Eulerian-Lagrangian Data Representation for Large-Scale Applications"
    assert [a.name for a in first.authors] == ["Sauer, F.", "Xie, J.", "Ma, K.-L."]
    assert first.authors[2].family == "Ma" and first.authors[2].given == "K.-L."
    assert first.date == "2017" and first.venue == "IEEE Transactions on Visualization and Computer Graphics"
    assert "keywords" not in first.extra  # the column holds authors, not keywords
    assert [a.family for a in result.records[-1].authors] == ["Ma", "Kessler"]  # "Ma K.‐L." with U+2010


def test_affiliations_references_and_keywords_of_a_full_export():
    text = (
        '"Authors","Author full names","Title","Year","Source title","Affiliations","Authors with affiliations",'
        '"Abstract","Author Keywords","Index Keywords","References","EID","PubMed ID","DOI"\n'
        '"Lee A.; Chen B.","Lee, Ann (11); Chen, Bo (22)","A Study","2020","J. Tests","MIT; ETH",'
        '"Lee A., MIT, Cambridge, United States; Chen B., ETH, Zurich, Switzerland","[No abstract available]",'
        '"graphs; tests","Graphs","Smith J., Old work, Nature, 1, pp. 1-2, (1999); Doe J., New work, (2019), '
        'doi:10.1000/abc","2-s2.0-1","123","10.1/x"\n'
    )
    result = extract_text(text, source="s.csv")
    assert result.format == "scopus-csv"
    [record] = result.records
    assert [(a.name, a.affiliations) for a in record.authors] == [
        ("Lee, Ann", ("MIT, Cambridge, United States",)),
        ("Chen, Bo", ("ETH, Zurich, Switzerland",)),
    ]
    assert record.abstract is None and record.ids["pmid"] == "123" and record.ids["scopus"] == "2-s2.0-1"
    assert record.extra["keywords"] == ["graphs", "tests"]  # "Graphs" once
    assert record.extra["references"] == [
        # the parts the newer layout tells apart (kg.extractors.common.scopus_references), the year as a number
        {"text": "Smith J., Old work, Nature, 1, pp. 1-2, (1999)", "first_author": "Smith", "cited_author": "Smith J",
         "year": 1999, "title": "Old work", "venue": "Nature", "volume": "1", "page": "1"},
        # one part and a year: title or source? Neither is guessed.
        {"text": "Doe J., New work, (2019), doi:10.1000/abc", "first_author": "Doe", "cited_author": "Doe J",
         "year": 2019, "doi": "10.1000/abc"},
    ]  # fmt: skip


def test_placeholder_author_and_header_only():
    header = '"Authors","Title","Year","Source title","EID","Author(s) ID"\n'
    assert extract_text(header + '"[No author name available]","T","2001","S","e",""\n').records[0].authors == ()
    with pytest.raises(UnknownFormatError, match="no row follows"):
        extract_text(header)
