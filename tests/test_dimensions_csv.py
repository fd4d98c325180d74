"""The dimensions-csv reader (Dimensions.ai "Publications export" CSV).

No Dimensions export is in the shared data; the fixture below is written from the papers' public
metadata (the column names are those of a Dimensions export), with no abstracts copied.
"""

from __future__ import annotations

import pytest

from kg.errors import UnknownFormatError
from kg.extract import extract_text
from kg.extractors import detect_format

HEADER = (
    '"Rank","Publication ID","DOI","PMID","PMCID","Title","Abstract","Source title","Anthology title",'
    '"Publication Date","PubYear","Volume","Issue","Pagination","Publication Type","Authors",'
    '"Authors (Raw Affiliation)","Corresponding Authors","Authors Affiliations",'
    '"Research Organizations - standardized","GRID IDs","Funder","Times cited","Altmetric",'
    '"Dimensions URL","Fields of Research (ANZSRC 2020)","MeSH terms"'
)
GO = (
    '"1","pub.1092350212","10.1038/nature24270","29052630","","Mastering the game of Go without human knowledge",'
    '"A short summary of our own.","Nature","","2017-10-18","2017","550","7676","354-359","article",'
    '"Silver, David; Schrittwieser, Julian; Hassabis, Demis",'
    '"Silver, David (DeepMind, 5 New Street Square, London EC4A 3TW, UK.); '
    "Schrittwieser, Julian (DeepMind, London, UK); Hassabis, Demis (DeepMind, London, UK; "
    'University College London, London, UK)",'
    '"Silver, David","","DeepMind (United Kingdom); University College London","grid.498210.6; grid.83440.3b",'
    '"","8000","2500","https://app.dimensions.ai/details/publication/pub.1092350212",'
    '"46 Information and Computing Sciences; 4611 Machine Learning","Games; Neural Networks, Computer"'
)
BERT = (
    '"2","pub.1111111111","10.18653/v1/n19-1423","","","BERT: Pre-training of Deep Bidirectional Transformers for '
    'Language Understanding","","","Proceedings of NAACL-HLT 2019","","2019","","","4171-4186","proceeding",'
    '"Devlin, Jacob; Chang, Ming-Wei","Devlin, J. (Google AI Language)","","","Google (United States)","",'
    '"","","","https://app.dimensions.ai/details/publication/pub.1111111111","",""'
)
EMPTY = '"3","pub.1000000003","","","","","","Nature","","","2020","","","","article"' + ',""' * 12
EXPORT = (
    '"About the data: Exported on Mar 02, 2024. Criteria: ""game of Go"" in title and abstract."\r\n'
    f"{HEADER}\r\n{GO}\r\n{BERT}\r\n{EMPTY}\r\n"
)


def test_dimensions_export_with_a_note_above_the_header():
    assert detect_format(EXPORT)[0].name == "dimensions-csv"
    result = extract_text(EXPORT, source="Dimensions-Publication-2024-03-02.csv")
    assert result.format == "dimensions-csv" and result.notes == ("1 row(s) without title or abstract skipped",)
    go, bert = result.records
    assert go.title == "Mastering the game of Go without human knowledge" and go.source.line == 3
    assert [(a.name, a.given, a.family) for a in go.authors] == [
        ("Silver, David", "David", "Silver"),
        ("Schrittwieser, Julian", "Julian", "Schrittwieser"),
        ("Hassabis, Demis", "Demis", "Hassabis"),
    ]
    assert go.authors[0].affiliations == ("DeepMind, 5 New Street Square, London EC4A 3TW, UK.",)
    assert go.authors[2].affiliations == ("DeepMind, London, UK", "University College London, London, UK")
    assert go.ids == {
        "dimensions": "pub.1092350212",
        "doi": "10.1038/nature24270",
        "pmid": "29052630",
        "url": "https://app.dimensions.ai/details/publication/pub.1092350212",
    }
    assert go.date == "2017-10-18" and go.venue == "Nature"
    assert go.orgs == ("DeepMind (United Kingdom)", "University College London")
    assert go.extra["keywords"] == ["Games", "Neural Networks, Computer"]
    assert go.extra["fields_of_research"] == ["46 Information and Computing Sciences", "4611 Machine Learning"]
    assert go.extra["times_cited"] == 8000 and go.extra["pages"] == "354-359"
    # The raw-affiliation list does not align with the authors (one name, spelt with an initial):
    # no affiliation is attached to the wrong person.
    assert [a.name for a in bert.authors] == ["Devlin, Jacob", "Chang, Ming-Wei"]
    assert all(a.affiliations == () for a in bert.authors)
    assert bert.venue == "Proceedings of NAACL-HLT 2019" and bert.date == "2019" and bert.source.line == 4


def test_an_export_without_the_note_and_with_no_rows_is_an_error():
    assert detect_format(f"{HEADER}\n{GO}\n")[0].name == "dimensions-csv"
    with pytest.raises(UnknownFormatError, match="dimensions-csv"):
        extract_text(f"{HEADER}\n{EMPTY}\n", source="dimensions.csv")
