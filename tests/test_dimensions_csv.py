"""The dimensions-csv reader (Dimensions.ai "Publications export" CSV).

The first fixture below is written from the papers' public metadata (the column names are those of a
Dimensions export); the real exports under tests/fixtures/real/dimensions-csv are read at the end.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from kg.errors import UnknownFormatError
from kg.extract import extract_file, extract_text
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
    # MeSH terms are subjects of MeSH (Dimensions prints no descriptor ids), not keywords; the ANZSRC fields
    # are kept as printed and as coded subjects.
    assert "keywords" not in go.extra
    assert go.extra["fields_of_research"] == ["46 Information and Computing Sciences", "4611 Machine Learning"]
    assert [(s["scheme"], s["code"], s["label"]) for s in go.extra["subjects"]] == [
        ("mesh", None, "Games"),
        ("mesh", None, "Neural Networks, Computer"),
        ("anzsrc-for-2020", "46", "Information and Computing Sciences"),
        ("anzsrc-for-2020", "4611", "Machine Learning"),
    ]
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


# Real exports (tests/fixtures/real/dimensions-csv/SOURCE.md): rows kept as exported, abstracts replaced.
REAL = FIXTURES / "real" / "dimensions-csv"
SCIMAP = REAL / "Dimensions-Publications-scimap.csv"  # re-saved by a spreadsheet: dates "29/11/2022"
C2A = REAL / "Dimensions-Publication-2023-09-04_13-00-55.csv"


def _by_id(result):
    return {record.ids["dimensions"]: record for record in result.records}


def test_real_export_resaved_by_a_spreadsheet():
    assert detect_format(SCIMAP.read_text(encoding="utf-8"))[0].name == "dimensions-csv"
    result = extract_file(SCIMAP)
    assert result.format == "dimensions-csv" and len(result.records) == 9 and result.notes == ()
    records = _by_id(result)
    first = records["pub.1153203717"]
    assert first.title.startswith("DNA Authentication and Chemical Analysis of Psilocybe Mushrooms")
    assert first.source.line == 3 and first.venue == "Applied and Environmental Microbiology"
    assert first.ids["doi"] == "10.1128/aem.01498-22" and first.ids["pmcid"] == "PMC9764976"
    assert [a.name for a in first.authors][:3] == [
        "Bradshaw, Alexander J.",
        "Backman, Talia A.",
        "Ramírez-Cruz, Virginia",
    ]
    assert len(first.authors) == 9 and first.authors[-1].family == "Dentinger"
    # The raw-affiliation cell stops inside Bradshaw's parenthesis: his finished entry only, no one else's.
    assert first.authors[0].affiliations == (
        "School of Biological Sciences, University of Utah, Salt Lake City, Utah, USA",
    )
    assert all(a.affiliations == () for a in first.authors[1:])
    assert first.extra["corresponding_authors"] == ["Bradshaw, Alexander J.", "Dentinger, Bryn T. M."]
    # "29/11/2022" and "17/05/2022" show the file is day-first, so "05/11/1976" is 5 November.
    assert first.date == "2022-11-29" and records["pub.1147961249"].date == "2022-05-17"
    assert records["pub.1074462195"].date == "1976-11-05" and records["pub.1074462195"].authors == ()
    assert records["pub.1150727369"].date == "2022-06" and records["pub.1068140002"].date == "2005"
    # E-mail addresses among the raw affiliations are no affiliation.
    zhuk = records["pub.1016937987"].authors
    assert zhuk[0].affiliations == (
        "Department of Biotechnology and Molecular Biology, Opole University, 45-040 Opole, Poland",
    )
    assert zhuk[1].affiliations == ("Faculty of Chemistry, Opole University, 45-040 Opole, Poland",)
    assert not any("@" in aff or "Mail" in aff for a in zhuk for aff in a.affiliations)
    kent = records["pub.1155815794"].authors  # "... United Kingdom. Electronic address: c.chatwin@kent.ac.uk."
    assert kent[1].affiliations == (
        "Law Society and Social Justice, University of Kent, Giles Lane, Canterbury, Kent, CT2 7NF, United Kingdom.",
    )
    riba = records["pub.1023402445"].authors[1]
    assert riba.affiliations == (
        "Human Neuropsychopharmacology Group, Sant Pau Institute of Biomedical Research (IIB-Sant Pau)",
        "Department of Pharmacology and Therapeutics, Universitat Autònoma de Barcelona (UAB)",
    )
    # "Johnston, Peter(iR.}": a parenthesis in a name spoils the cell; nobody is given a wrong affiliation.
    johnston = records["pub.1027723047"]
    assert [a.name for a in johnston.authors] == ["Johnston, Peter(iR.}", "Buchanan, Peter K."]
    assert all(a.affiliations == () for a in johnston.authors) and johnston.date == "1995-09"


def test_real_export_slashed_dates_only_in_the_order_the_file_shows():
    text = SCIMAP.read_text(encoding="utf-8")
    for day_first, other in (("29/11/2022", "09/11/2022"), ("17/05/2022", "07/05/2022"), ("27/03/2015", "07/03/2015"),
                             ("28/02/2023", "08/02/2023")):  # fmt: skip
        text = text.replace(day_first, other)
    records = _by_id(extract_text(text, source="resaved.csv"))
    # No date left with a day above 12: "09/11/2022" could be either; the year stays, the rest is not guessed.
    assert records["pub.1153203717"].date == "2022" and records["pub.1074462195"].date == "1976"
    month_first = _by_id(extract_text(text.replace("09/11/2022", "11/29/2022"), source="us.csv"))
    assert month_first["pub.1153203717"].date == "2022-11-29" and month_first["pub.1074462195"].date == "1976-05-11"


def test_real_export_notes_and_affiliations_that_name_their_people():
    result = extract_file(C2A)
    assert result.format == "dimensions-csv" and len(result.records) == 9 and result.notes == ()
    records = _by_id(result)
    mouse = records["pub.1144505979"]
    assert mouse.date == "2022-01-07" and mouse.venue == "Science Advances" and mouse.ids["pmid"] == "34995117"
    assert mouse.abstract == "Abstract replaced for the fixture."
    # "These authors contributed equally to this work." is no affiliation; a present address is one.
    assert mouse.authors[0].affiliations == (
        "Department of Pathology, National Institute of Infectious Diseases, 208-0011 Tokyo, Japan.",
    )
    assert mouse.authors[3].name == "Sano, Kaori" and mouse.authors[3].affiliations[1].startswith("Present address: ")
    assert mouse.orgs == (
        "Tokyo University of Science",
        "National Institute of Infectious Diseases",
        "Icahn School of Medicine at Mount Sinai",
    )
    # "University of the Balearic Islands, Palma, Spain (S. Delgado-Serra; C. Paredes-Esquivel)": theirs only.
    worm = records["pub.1147977216"]
    assert [(a.family, a.affiliations) for a in worm.authors] == [
        ("Delgado-Serra", ("University of the Balearic Islands, Palma, Spain",)),
        ("Sola", ("Consorci per a la Recuperació de la Fauna de les Illes Balears, Santa Eugènia, Spain",)),
        ("Negre", ("Consorci per a la Recuperació de la Fauna de les Illes Balears, Santa Eugènia, Spain",)),
        ("Paredes-Esquivel", ("University of the Balearic Islands, Palma, Spain",)),
    ]
    omicron = records["pub.1147059379"].authors
    assert omicron[3].name == "Focosi, Daniele" and omicron[3].affiliations == (
        "Pisa University Hospital, Pisa, Italy",
    )
    assert omicron[0].affiliations == (
        "Azienda Socio Sanitaria Territoriale, Sette Laghi, Varese, Italy",
        "University of Insubria, Varese",
    )
    assert records["pub.1141457177"].authors[0].affiliations == (
        "History Department, University of Geneva, Geneva, Switzerland",
    )
    assert records["pub.1132867732"].authors[1].affiliations == (
        "Department of Biology, University of Waterloo, 200 University Avenue West, Waterloo, Ontario, "
        "N2L 3G1, Canada.",
    )
    # A raw cell with "()" for every author (and one more for a nameless entry): 13 authors, no affiliation.
    europe = records["pub.1125805250"]
    assert len(europe.authors) == 13 and all(a.affiliations == () for a in europe.authors)
    # "Jain, Sankalp (HPC-M&BA) Group, Centre ...": the parenthesis closes too early; nothing is attached.
    assert all(a.affiliations == () for a in records["pub.1140037833"].authors)
    correction = records["pub.1143769102"]
    assert correction.authors == () and correction.date == "2022-01"
