"""The springer-csv reader (SpringerLink search results CSV, author names joined without separators)."""

from __future__ import annotations

import pytest

from kg.extract import extract_file, extract_text
from kg.extractors.springer_csv import split_authors


def test_search_results(shared_data):
    result = extract_file(shared_data / "springer-csv" / "SearchResults.csv")
    assert result.format == "springer-csv" and len(result.records) == 561
    first = result.records[0]
    assert first.title.startswith("Critical analysis of vendor lock-in and its impact on cloud computing migration")
    assert [a.name for a in first.authors] == ["Justice Opara-Martins", "Reza Sahandi", "Feng Tian"]
    assert first.date == "2016" and first.venue == "Journal of Cloud Computing" and first.source.line == 2
    assert first.ids["doi"] == "10.1186/s13677-016-0054-z"
    assert [a.name for a in result.records[2].authors] == ["Eduard Marin", "Diego Perino", "Roberto Di Pietro"]
    unsplit = [r for r in result.records if "authors_as_printed" in r.extra]
    assert all(r.authors == () for r in unsplit) and any(str(len(unsplit)) in n for n in result.notes)


def test_older_export_with_empty_authors(shared_data):
    result = extract_file(shared_data / "springer-csv" / "extractor-SearchResults.csv")
    assert len(result.records) == 1000
    first = result.records[0]
    assert first.title.startswith("“Crowdsourcing” as a tool for e-participation")
    assert [a.name for a in first.authors] == ["Sonia Royo", "Ana Yetano"]
    last = result.records[-1]
    assert last.source.line == 1004 and [a.name for a in last.authors] == ["Amit Sheth"]
    assert result.records[1].authors == () and "authors_as_printed" not in result.records[1].extra  # empty cell


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Nicholas MeeseChris McMahon", ["Nicholas Meese", "Chris McMahon"]),
        ("Blair MacIntyreSteven Dow", ["Blair MacIntyre", "Steven Dow"]),
        ("Moumita DasJack CP Cheng", ["Moumita Das", "Jack CP Cheng"]),
        ("Prof. Dr. Hans Ulrich BuhlDr. Markus Löffler", ["Prof. Dr. Hans Ulrich Buhl", "Dr. Markus Löffler"]),
        ("Robert Munro", ["Robert Munro"]),
        ("", []),
        # Not safe: "Du"/"Le" may end a name or begin the next part of one; camel-cased given names; hidden joins.
        ("Jing ChenTiantian DuGongyi Xiao", None),
        ("Kevin D. LePage", None),
        ("ZhenFeng ShaoDeRen Li", None),
        ("Don Olcott Jr.Xavier Carrera", None),
        ("Gayathri SGowri S", None),
        ("Ze-min Jiang 江泽民", None),
    ],
)
def test_names_are_split_only_where_safe(cell, names):
    assert split_authors(cell) == names


def test_an_unsplittable_cell_gives_no_author_and_a_note():
    text = (
        "Item Title,Publication Title,Book Series Title,Journal Volume,Journal Issue,Item DOI,Authors,"
        "Publication Year,URL,Content Type\n"
        'T,J,,1,2,10.1/x,"ZhenFeng ShaoDeRen Li",2019,http://link.springer.com/x,Article\n'
    )
    result = extract_text(text)
    assert result.format == "springer-csv"
    assert result.records[0].authors == () and "could not be split safely" in result.notes[0]
    assert result.records[0].extra["authors_as_printed"] == "ZhenFeng ShaoDeRen Li"
