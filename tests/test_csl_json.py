"""The csl-json reader (CSL-JSON from Zotero, Better BibTeX, Manubot, citeproc)."""

from __future__ import annotations

import pytest

from kg.errors import UnknownFormatError
from kg.extract import extract_file, extract_text


def test_manubot_bibliography(shared_data):
    result = extract_file(shared_data / "csl-json" / "bibliography.json")
    assert result.format == "csl-json" and len(result.records) == 433
    first = result.records[0]
    assert first.title.startswith("Development and Validation of a Deep Learning Algorithm")
    assert [a.name for a in first.authors[:3]] == ["Varun Gulshan", "Lily Peng", "Marc Coram"]
    assert (first.authors[0].given, first.authors[0].family) == ("Varun", "Gulshan")
    assert first.authors[0].affiliations == ("Google Inc, Mountain View, California",)
    assert first.date == "2016-12-13" and first.venue == "JAMA" and first.source.line == 2
    assert first.ids["doi"] == "10.1001/jama.2016.17216" and first.ids["csl"] == "1mJW6umJ"
    by_title = {r.title: r for r in result.records}
    goh = by_title["Deep learning for computational chemistry"]
    assert ("Garrett B. Goh", "0000-0002-8858-0868") in [(a.name, a.orcid) for a in goh.authors]
    ehr = by_title["Secondary Use of EHR: Data Quality Issues and Informatics Opportunities"]
    assert (ehr.ids["pmid"], ehr.ids["pmcid"], ehr.date) == ("21347133", "PMC3041534", "2010")
    survey = by_title["A survey on deep learning in medical image analysis"]
    laak = next(a for a in survey.authors if a.family == "Laak")  # "dropping-particle": "van der"
    assert laak.name == "Jeroen A. W. M. van der Laak"
    assert sum(1 for r in result.records if r.authors) == 421
    # Crossref's subject areas, which Manubot's CSL carries, are subjects of their scheme, not category codes.
    assert first.categories == () and all(s["scheme"] == "crossref-subject" for s in first.extra.get("subjects", []))
    areas = [s["label"] for r in result.records for s in r.extra.get("subjects", [])]
    assert "General Medicine" in areas and "Cell Biology" in areas
    assert all(r.date for r in result.records)


def test_zotero_export_with_string_date_parts(shared_data):
    records = extract_file(shared_data / "csl-json" / "Exported Items.json").records
    assert len(records) == 250
    crafts = records[1]
    assert crafts.title == "Արհեստները Հայաստանում IV-XVIII դդ. [Crafts in Armenia in the 4th-18th centuries]"
    assert crafts.authors[0].family == "Աբրահամյան [Abrahamyan]" and crafts.authors[0].given == "Վալենտինա [Valentina]"
    assert crafts.date == "1956" and crafts.source.line == 33 and crafts.extra["document_type"] == "book"
    assert crafts.ids["csl"] == "http://zotero.org/groups/4625341/items/EFJK5DXD"
    assert any(r.ids.get("isbn") == "5-8084-0775-3" for r in records)


def test_names_dates_and_ids_of_the_csl_spec():
    text = """[
      {"id": "a", "type": "article-journal", "title": "On Names",
       "author": [{"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"},
                  {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
                  {"literal": "The Theano Development Team"}],
       "editor": [{"family": "Doe", "given": "Jane"}],
       "issued": {"raw": "Spring 1999"}, "container-title": ["J. Names", "JN"],
       "ISSN": "1234-5678, 8765-4321", "keyword": "names; particles, suffixes"},
      {"id": "b", "type": "book", "title": "Only an Editor", "editor": [{"family": "Doe", "given": "Jane"}],
       "issued": {"date-parts": [["2006", "3", "1"]]}}
    ]"""
    result = extract_text(text, source="items.json")
    assert result.format == "csl-json"
    names, book = result.records
    assert [(a.name, a.family) for a in names.authors] == [
        ("Ludwig van Beethoven", "van Beethoven"),
        ("Martin Luther King, Jr.", "King"),
        ("The Theano Development Team", None),
    ]
    assert names.date == "1999" and names.venue == "J. Names" and names.ids["issn"] == "1234-5678"
    assert names.extra["keywords"] == ["names", "particles", "suffixes"] and names.extra["editors"] == ["Jane Doe"]
    assert names.source.line == 2 and book.source.line == 9
    assert book.authors == () and book.date == "2006-03-01"


def test_detected_over_generic_records_but_not_for_crossref_items():
    csl = '[{"type": "article-journal", "title": "T", "author": [{"family": "Lee", "given": "Ann"}]}]'
    assert extract_text(csl).format == "csl-json"
    crossref_types = '[{"type": "journal-article", "title": "T", "authors": ["Ann Lee"]}]'
    assert extract_text(crossref_types).format == "records"


def test_items_without_title_are_no_papers():
    with pytest.raises(UnknownFormatError, match="without title or abstract"):
        extract_text('[{"type": "book", "issued": {"date-parts": [[2001]]}, "author": [{"literal": "X Y"}]}]')
