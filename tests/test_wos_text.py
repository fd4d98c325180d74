"""Web of Science plain-text exports (two real files) and tab-delimited exports (a fixture and two real ones)."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from kg.errors import InputError
from kg.extract import extract_file, extract_text
from kg.extractors import wos_text

TAB_HEADER = "PT\tAU\tAF\tTI\tSO\tDE\tID\tAB\tC1\tOI\tCR\tPD\tPY\tDI\tUT\tPM\t"
TAB_ROW = "\t".join(
    [
        "J",
        "Xu, K; Ba, J",
        "Xu, Kelvin; Ba, Jimmy",
        "Show, Attend and Tell",
        "PROCEEDINGS OF MACHINE LEARNING RESEARCH",
        "attention; captioning",
        "NEURAL-NETWORKS",
        "A short fixture abstract.",
        "[Xu, Kelvin] Univ Toronto, Toronto, ON, Canada; [Ba, Jimmy; Xu, Kelvin] Univ Montreal, Montreal, QC, Canada",
        "Ba, Jimmy/0000-0002-0000-0001",
        "Bahdanau D, 2014, ARXIV; Vinyals O, 2015, PROC CVPR IEEE, P3156, DOI 10.1109/CVPR.2015.7298935",
        "JUL 6",
        "2015",
        "10.1000/fixture.sat",
        "WOS:000000000000042",
        "12345678",
        "",
    ]
)

# A plain-text record with no FN/VR header (cut from a larger file), unattributed addresses, a
# single author, and a PD whose year is not PY's.
BARE = """PT J
AU Lee, A
TI A fixture record without a file header
SO FIXTURE JOURNAL
C1 Univ Florida, Gainesville, FL 32611 USA.
PD DEC 2023
PY 2024
UT WOS:000000000000043
ER
"""


@pytest.fixture(scope="module")
def savedrecs(shared_data):
    return extract_file(shared_data / "wos-plaintext" / "savedrecs.txt")


@pytest.fixture(scope="module")
def wosfile(shared_data):
    return extract_file(shared_data / "wos-plaintext" / "wos_plaintext.txt")


def test_real_exports_read_every_record(savedrecs, wosfile):
    assert savedrecs.format == wosfile.format == "wos-text"
    assert len(savedrecs.records) == 102 and len(wosfile.records) == 50
    assert savedrecs.records[0].source.line == 3 and wosfile.records[1].source.line == 109
    assert sum(1 for r in savedrecs.records if "pmid" in r.ids) == 39
    # Every cited reference of the first file is kept (the NR counts sum to 2,911).
    assert sum(len(r.extra["references"]) for r in wosfile.records) == 2911


def test_real_record_authors_addresses_orcids(savedrecs):
    first, second = savedrecs.records[:2]
    assert first.title == "Is there really such a thing as Tropical Biology?"  # "<i>Tropical</i>" in the file
    # Author keywords (DE, wrapped over two lines), then Keywords Plus (ID); WC and SC are subjects of their schemes.
    assert first.extra["keywords"][-3:] == ["ECOLOGICAL RESEARCH", "LOCAL STAKEHOLDERS", "CONSERVATION"]
    assert first.extra["subjects"] == [
        {"scheme": "wos-category", "code": None, "label": "Ecology"},
        {"scheme": "wos-area", "code": None, "label": "Environmental Sciences & Ecology"},
    ]
    [bruna] = first.authors
    assert (bruna.name, bruna.given, bruna.family) == ("Bruna, Emilio M.", "Emilio M.", "Bruna")
    assert bruna.affiliations == (
        "Univ Florida, Dept Wildlife Ecol & Conservat, Gainesville, FL 32611 USA.",
        "Univ Florida, Ctr Latin Amer Studies, Gainesville, FL USA.",
    )
    assert first.date == "2024-10-09" and first.venue == "BIOTROPICA"
    assert first.ids["wos"] == "WOS:001331408900001" and first.ids["doi"].lower() == "10.1111/btp.13387"
    assert first.orgs == ("State University System of Florida", "University of Florida")  # C3
    assert [a.name for a in second.authors] == [
        "Ferreira, Ana Maria",
        "Faria, Ana Paula",
        "Vasconcelos, Heraldo L.",
        "Bruna, Emilio M.",
        "Costa, Vladimir Eliodoro",
        "Moreira, Ana Silvia Franco Pinheiro",
    ]
    assert second.date == "2024-02"  # PD FEB, PY 2024
    assert second.authors[4].affiliations == (
        "Univ Estadual Paulista, Ctr Isotopos Estaveis, BR-18618689 Botucatu, SP, Brazil.",
    )
    # OI names people as their ORCID profile does: "Costa, Vladimir", "Franco Pinheiro Moreira, Ana Silvia".
    assert [a.orcid for a in second.authors] == [
        None,
        None,
        "0000-0001-6969-7131",
        None,
        "0000-0003-3889-7514",
        "0000-0001-5090-5527",
    ]
    assert second.extra["keywords"][:2] == ["C3 grasses", "C4 grasses"] and "INVASION" in second.extra["keywords"]


def test_real_record_with_191_authors_and_a_group(savedrecs):
    big = next(r for r in savedrecs.records if r.source.line == 189)
    assert len(big.authors) == 192 and big.authors[-1].name == "Herbivory Variability Network"
    assert big.authors[-1].family is None


def test_real_old_style_addresses_and_cited_references(wosfile):
    first = wosfile.records[0]
    assert [a.name for a in first.authors] == ["Owen-Smith, J", "Powell, WW"]
    assert first.date == "2004-01" and first.ids["wos"] == "WOS:000220015600001"
    # Addresses that name no author belong to the paper.
    assert first.orgs == (
        "Univ Michigan, Dept Sociol, Ann Arbor, MI 48104 USA.",
        "Stanford Univ, Stanford, CA 94305 USA.",
    )
    references = first.extra["references"]
    assert len(references) == 62
    assert references[0]["year"] == 2000 and references[0]["doi"].lower() == "10.2307/2667105"
    assert references[0]["text"] == "Ahuja G, 2000, ADMIN SCI QUART, V45, P425, DOI 10.2307/2667105"
    assert "doi" not in references[5] and references[5]["text"] == "Audretsch DB, 1996, AM ECON REV, V86, P641"
    proceedings = next(r for r in wosfile.records if r.source.line == 3063)
    assert proceedings.extra["document_type"] == "Proceedings Paper"
    assert [a.name for a in proceedings.authors][:2] == ["Ni, Tao", "Schmidt, Greg S."]  # BE editors are not authors
    # Six authors and one address naming nobody: it is the paper's, and the reprint author's (RP names him).
    assert proceedings.authors[0].affiliations == ("Virginia Tech, Dept Comp Sci, Blacksburg, VA 24061 USA.",)
    assert all(a.affiliations == () for a in proceedings.authors[1:])
    assert proceedings.orgs == ("Virginia Tech, Dept Comp Sci, Blacksburg, VA 24061 USA.",)


def test_tab_delimited_export():
    result = extract_text(TAB_HEADER + "\n" + TAB_ROW + "\n", source="savedrecs.txt")
    [record] = result.records
    assert result.format == "wos-text" and record.source.line == 2
    assert [(a.given, a.family) for a in record.authors] == [("Kelvin", "Xu"), ("Jimmy", "Ba")]
    assert record.authors[0].affiliations == (
        "Univ Toronto, Toronto, ON, Canada",
        "Univ Montreal, Montreal, QC, Canada",
    )
    assert record.authors[1].affiliations == ("Univ Montreal, Montreal, QC, Canada",)
    assert record.authors[1].orcid == "0000-0002-0000-0001" and record.authors[0].orcid is None
    assert record.date == "2015-07-06"
    assert record.ids == {"doi": "10.1000/fixture.sat", "wos": "WOS:000000000000042", "pmid": "12345678"}
    assert [ref.get("doi", "").lower() for ref in record.extra["references"]] == ["", "10.1109/cvpr.2015.7298935"]
    assert record.extra["keywords"] == ["attention", "captioning", "NEURAL-NETWORKS"]


def test_bare_record_single_author_and_pd_of_another_year():
    result = extract_text(BARE, source="cut.txt")
    [record] = result.records
    assert result.format == "wos-text"
    assert record.authors[0].affiliations == ("Univ Florida, Gainesville, FL 32611 USA.",) and record.orgs == ()
    assert record.date == "2024"  # "PD DEC 2023" is the issue of an early-access paper of 2024
    # An "All Databases" export names the MEDLINE record by its PubMed id.
    [medline_record] = extract_text(BARE.replace("WOS:000000000000043", "MEDLINE:31018078"), source="all.txt").records
    assert medline_record.ids == {"pmid": "31018078"}


def test_header_without_records_fails_and_titleless_records_are_skipped():
    with pytest.raises(InputError, match=r"no paper found when read as wos-text.*no Web of Science record"):
        extract_text("FN Clarivate Analytics Web of Science\nVR 1.0\nEF\n", source="empty.txt")
    result = extract_text("FN x\nVR 1.0\nPT J\nAU Lee, A\nER\n\n" + BARE + "EF\n", source="two.txt")
    assert (
        len(result.records) == 1
        and "1 record(s) with neither a title nor an abstract skipped (line(s) 3)" in result.notes
    )


def test_detection():
    assert wos_text.detect("\ufeffFN Thomson Reuters Web of Science\nVR 1.0\n") == 0.95
    assert wos_text.detect(TAB_HEADER + "\n") == 0.95
    assert wos_text.detect("PT is a tag.\nSo is AU.\n") == 0.0
    assert wos_text.detect("TY  - JOUR\nAU  - Lee, A\nER  - \n") == 0.0


# Real tab-delimited exports (tests/fixtures/real/wos-tab/SOURCE.md): rows kept, abstracts replaced.
WOS_TAB = FIXTURES / "real" / "wos-tab"


def test_real_tab_delimited_export_in_utf16():
    path = WOS_TAB / "wos_tab_delimited_win_utf16.txt"
    assert path.read_bytes()[:2] == b"\xff\xfe"  # UTF-16 LE with its byte-order mark, CRLF line ends
    result = extract_file(path)
    assert result.format == "wos-text" and len(result.records) == 6
    assert [r.ids["wos"] for r in result.records] == [
        "WOS:000220015600001",
        "WOS:000254383200006",
        "WOS:000087268000005",
        "WOS:000237211000029",
        "WOS:000185383500042",
        "WOS:000234932600008",
    ]
    assert [r.source.line for r in result.records] == [2, 3, 4, 5, 6, 7]
    first, avatar, erdos, survey, book, citespace = result.records
    assert first.title.startswith("Knowledge networks as channels and conduits")
    assert [a.name for a in first.authors] == ["Owen-Smith, J", "Powell, WW"] and first.date == "2004-01"
    # C1 names nobody; RP gives the reprint author's own printing of his address.
    assert first.authors[0].affiliations == ("Univ Michigan, Dept Sociol, 1225 S Univ Ave, Ann Arbor, MI 48104 USA.",)
    assert first.authors[1].affiliations == ()
    assert first.orgs == (
        "Univ Michigan, Dept Sociol, Ann Arbor, MI 48104 USA",
        "Stanford Univ, Stanford, CA 94305 USA",
    )
    assert len(first.extra["references"]) == 62 and first.extra["references"][0] == {
        "text": "Ahuja G, 2000, ADMIN SCI QUART, V45, P425, DOI 10.2307/2667105",
        "year": 2000,
        "doi": "10.2307/2667105",
        "first_author": "Ahuja",
        "cited_author": "Ahuja G",
        "venue": "ADMIN SCI QUART",
        "volume": "45",
        "page": "425",
    }
    assert first.abstract == "Abstract replaced for the fixture." and first.venue == "ORGANIZATION SCIENCE"
    assert [(a.given, a.family) for a in avatar.authors][:2] == [("Gary", "Bente"), ("Sabine", "Rueggenberg")]
    assert all(a.affiliations == ("Univ Cologne, Dept Psychol, D-50969 Cologne, Germany",) for a in avatar.authors)
    assert avatar.extra["document_type"] == "Review" and avatar.date == "2008-04"
    # OI "Batagelj, Vladimir/0000-0002-0240-9446" is the AU "Batagelj, V".
    assert [a.orcid for a in erdos.authors] == ["0000-0002-0240-9446", None]
    assert survey.ids == {"wos": "WOS:000237211000029", "isbn": "1-4244-0223-9", "issn": "1087-8270"}
    assert [a.name for a in survey.authors][-1] == "May, Richard" and len(survey.authors) == 6  # BE: editors
    assert survey.venue == "IEEE Virtual Reality 2006, Proceedings" and survey.date == "2006"
    assert book.extra["document_type"] == "Proceedings Paper" and book.ids["isbn"] == "1-4020-1383-3"
    assert citespace.date == "2006-02-01" and citespace.authors[0].orcid == "0000-0001-8584-1041"  # PD "FEB 1"


def test_real_tab_delimited_export_with_newer_columns():
    path = WOS_TAB / "savedrecs-26-02-18.txt"
    assert wos_text.detect(path.read_text(encoding="utf-8-sig")) == 0.95
    result = extract_file(path)
    assert result.format == "wos-text" and len(result.records) == 4 and result.notes == ()
    stone, boosting, additive, sybil = result.records
    assert stone.title == "Stone, Jade, Medium: A Neocybernetic New Story of the Stone (1905-1906)"
    assert stone.date == "2018" and stone.ids["doi"] == "10.1353/con.2018.0000"  # PD "WIN" is no month
    assert [r["text"] for r in stone.extra["references"]][
        4
    ] == "Bruce Clarke Information, 2010, CRITICAL TERMS MEDIA, p[157, 166]"
    assert stone.authors[0].affiliations == ("Yale NUS Coll, Literature, Singapore, Singapore",)
    assert boosting.date == "2018-06-07" and boosting.ids["pmid"] == "29422128"
    assert len(boosting.authors) == 8 and boosting.authors[4].affiliations == (
        "Tianjin Polytech Univ, Sch Environm & Chem Engn, Tianjin 300387, Peoples R China",
    )
    bracketed = boosting.extra["references"][2]  # "DOI [10.1039/C7AY00353F, 10.1039/c7ay00353f]"
    assert bracketed["text"].endswith("DOI [10.1039/C7AY00353F, 10.1039/c7ay00353f]")
    assert bracketed["doi"].lower() == "10.1039/c7ay00353f"
    assert [a.orcid for a in additive.authors] == [None, None, None, None, "0000-0002-8679-8097"]
    assert additive.authors[1].name == "Natschlaeger, Thomas"  # AU spells him "Natschlager, T"
    assert sybil.extra["document_type"] == "Article; Proceedings Paper" and len(sybil.extra["references"]) == 43
