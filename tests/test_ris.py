"""RIS: the real EndNote export of Web of Science records, real exports of other producers
(tests/fixtures/real/ris, see SOURCE.md there) and small invented samples."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from kg.errors import InputError
from kg.extract import extract_file, extract_text
from kg.extractors import detect_format, ris

# Zotero: "Family, Given" authors, T2 venue, DA "YYYY/MM/DD/", keywords one a line, UR to doi.org.
ZOTERO = """TY  - JOUR
TI  - Show, Attend and Tell: Neural Image Caption Generation with Visual Attention
AU  - Xu, Kelvin
AU  - Ba, Jimmy
AU  - Kiros, Ryan
T2  - Proceedings of Machine Learning Research
DA  - 2015/07/06/
PY  - 2015
VL  - 37
SN  - 1938-7228
UR  - https://arxiv.org/abs/1502.03044
KW  - attention
KW  - image captioning
ER  -

TY  - BOOK
TI  - Deep Learning
AU  - Goodfellow, Ian
AU  - Bengio, Yoshua
AU  - Courville, Aaron
PY  - 2016
PB  - MIT Press
SN  - 978-0-262-03561-3
ER  -
"""

# IEEE Xplore / older exporters: one-space tags, names without a comma, "Y1 Dec. 2019", JO venue,
# an abstract in N2, the DOI only as a doi.org link; and a file whose last record has no ER line.
IEEE = """\ufeffTY - CONF
T1 - Fixture paper on radar signal processing
A1 - A. B. Smith
A1 - C. Jones
JO - 2019 IEEE Radar Conference
Y1 - Dec. 2019
N2 - A short fixture abstract.
UR - https://doi.org/10.1109/FIXTURE.2019.0001
ER -

TY - JOUR
TI - A record that was cut off
AU - Lee, Ann
PY - 2020
"""

# Scopus: keywords in one KW line split by ";", per-paper addresses (AD) and the EID in the URL.
SCOPUS = """TY  - JOUR
AU  - Lee, A.
TI  - A fixture study of leaf litter
T2  - Fixture Ecology
PY  - 2021
DO  - 10.1000/fixture.litter
AD  - Department of Biology, University of Florida, Gainesville, United States
AB  - Short fixture abstract.
KW  - litter; decomposition; savanna
UR  - https://www.scopus.com/inward/record.uri?eid=2-s2.0-85100000000&partnerID=40&md5=0
N1  - Export Date: 1 January 2022
ER  -
"""


@pytest.fixture(scope="module")
def wos_ris(shared_data):
    return extract_file(shared_data / "ris" / "wos_2.ris")


def test_real_endnote_export_reads_every_record(wos_ris):
    assert wos_ris.format == "ris" and len(wos_ris.records) == 472
    assert [r.source.line for r in wos_ris.records[:3]] == [1, 32, 60]
    kinds = [r.extra["document_type"] for r in wos_ris.records]
    assert (kinds.count("JOUR"), kinds.count("CHAP"), kinds.count("BOOK"), kinds.count("PAT")) == (442, 27, 2, 1)
    assert sum(1 for r in wos_ris.records if r.abstract) == 460


def test_real_record_fields(wos_ris):
    first = wos_ris.records[0]
    assert first.title.startswith("Bellerophontes: an RNA-Seq data analysis framework for chimeric transcripts")
    assert len(first.authors) == 11
    assert (first.authors[0].name, first.authors[0].given, first.authors[0].family) == (
        "Abate, Francesco",
        "Francesco",
        "Abate",
    )
    assert first.authors[-1].name == "Macii, Enrico"
    # PY 2012 and DA "Aug 15" together make the day.
    assert first.date == "2012-08-15" and first.venue == "Bioinformatics"
    assert first.ids["doi"].lower() == "10.1093/bioinformatics/bts334"
    assert first.ids["wos"] == "WOS:000307501100004" and first.ids["issn"] == "1367-4803"
    # EndNote's note lists ORCIDs by name; they go to the authors named.
    orcids = {a.name: a.orcid for a in first.authors if a.orcid}
    assert orcids["Ferrarini, Alberto"] == "0000-0002-8452-3380" and orcids["Ficarra, Elisa"] == "0000-0002-8061-2124"


def test_real_record_with_suffix_medline_accession_and_patent(wos_ris):
    by_line = {r.source.line: r for r in wos_ris.records}
    ares = by_line[417]
    assert [(a.name, a.given, a.family) for a in ares.authors] == [("Ares, Manuel, Jr.", "Manuel", "Ares")]
    assert ares.ids["pmid"] == "25368318" and ares.date == "2014-11" and "wos" not in ares.ids
    chapter = by_line[60]
    assert chapter.extra["document_type"] == "CHAP" and "issn" not in chapter.ids  # SN "*****************"
    patent = by_line[3322]
    assert (
        patent.date is None
        and patent.ids == {}
        and [a.name for a in patent.authors][:2] == ["Gnirke, A.", "Lander, E. S."]
    )


def test_zotero_flavour():
    result = extract_text(ZOTERO, source="zotero.ris")
    article, book = result.records
    assert result.format == "ris"
    assert [(a.given, a.family) for a in article.authors] == [("Kelvin", "Xu"), ("Jimmy", "Ba"), ("Ryan", "Kiros")]
    assert article.date == "2015-07-06" and article.venue == "Proceedings of Machine Learning Research"
    assert article.ids == {"issn": "1938-7228", "arxiv": "1502.03044"}
    assert article.extra["keywords"] == ["attention", "image captioning"]
    assert book.ids == {"isbn": "978-0-262-03561-3"} and book.date == "2016" and book.source.line == 16


def test_ieee_flavour_one_space_tags_bom_and_missing_final_er():
    result = extract_text(IEEE, source="ieee.ris")
    paper, cut = result.records
    assert result.format == "ris"
    assert [(a.name, a.given, a.family) for a in paper.authors] == [
        ("A. B. Smith", "A. B.", "Smith"),
        ("C. Jones", "C.", "Jones"),
    ]
    assert paper.date == "2019-12" and paper.venue == "2019 IEEE Radar Conference"
    assert paper.abstract == "A short fixture abstract." and paper.ids["doi"].lower() == "10.1109/fixture.2019.0001"
    assert cut.title == "A record that was cut off" and cut.source.line == 11
    assert any("no ER line" in note for note in result.notes)


def test_scopus_flavour():
    [record] = extract_text(SCOPUS, source="scopus.ris").records
    assert record.ids["scopus"] == "2-s2.0-85100000000" and record.ids["doi"] == "10.1000/fixture.litter"
    assert record.extra["keywords"] == ["litter", "decomposition", "savanna"]
    # One author: the paper's address is hers.
    assert record.authors[0].affiliations == (
        "Department of Biology, University of Florida, Gainesville, United States",
    )


def test_records_without_title_or_abstract_are_skipped_and_an_empty_file_fails():
    text = "TY  - JOUR\nAU  - Lee, Ann\nPY  - 2020\nER  - \n\nTY  - JOUR\nTI  - Kept\nER  - \n"
    result = extract_text(text, source="x.ris")
    assert [r.title for r in result.records] == ["Kept"]
    assert any("1 record(s) with neither a title nor an abstract" in n for n in result.notes)
    with pytest.raises(InputError, match=r"no paper found when read as ris.*neither a title nor an abstract"):
        extract_text("TY  - JOUR\nAU  - Lee, Ann\nER  - \n", source="empty.ris")


def test_detection():
    assert detect_format(ZOTERO)[0].name == "ris"
    assert detect_format("Some notes\nTY  - JOUR\nTI  - T\nER  - \n")[0].name == "ris"
    assert ris.detect("TY is a tag in RIS files.\nAnother line of prose.") == 0.0
    assert ris.detect("PT J\nAU Lee, A\nTI T\nER\n") == 0.0


REAL = FIXTURES / "real" / "ris"


def _real(name):
    return extract_file(REAL / name)


def _people(record):
    return [(a.name, a.given, a.family) for a in record.authors]


def test_real_scopus_exports_with_references_and_pubmed_ids():
    result = _real("scopus_2020.ris")
    forc, track, proceedings = result.records
    assert result.format == "ris" and [r.source.line for r in result.records] == [1, 25, 53]
    assert forc.title.startswith("FORC signatures and switching-field distributions of dipolar coupled nanowire")
    assert _people(forc) == [("Pierrot, A.", "A.", "Pierrot"), ("Béron, F.", "F.", "Béron"), ("Blon, T.", "T.", "Blon")]
    assert forc.venue == "Journal of Applied Physics" and forc.date == "2020"
    assert forc.ids == {"doi": "10.1063/5.0020407", "scopus": "2-s2.0-85091557653"}
    # N1  - References: one reference a line, split into its parts (kg.extractors.common.scopus_references).
    references = forc.extra["references"]
    assert len(references) == 6
    assert references[0] == {
        "text": "Mayergoyz, I.D., (1986) Phys. Rev. Lett., 56, p. 1518",
        "first_author": "Mayergoyz",
        "cited_author": "Mayergoyz ID",
        "year": 1986,
        "venue": "Phys. Rev. Lett.",
        "volume": "56",
        "page": "1518",
    }
    assert references[2]["doi"] == "10.1002/2014rg000462" and references[2]["year"] == 2014
    assert track.extra["document_type"] == "CONF" and track.venue.startswith("Int. Conf. Electr. Eng./Electron.")
    assert proceedings.title == "Nonlinear Photonics, NP 2018" and proceedings.authors == ()

    older = _real("scopus_2019.ris").records
    assert [r.ids.get("pmid") for r in older] == ["31627144", "31574429"]  # Scopus's C2
    assert older[0].ids["issn"] == "0022-3999"  # "SN  - 00223999 (ISSN)"
    # 6 reference lines, one of them holding two references ("... Retrieved 12.5.18 from; Hingray, C., ...")
    assert older[1].ids["scopus"] == "2-s2.0-85072655092" and len(older[1].extra["references"]) == 7


def test_real_web_of_science_ris_with_fields_glued_by_a_lone_carriage_return():
    result = _real("wos_2023.ris")
    whales, metrosea, chapter = result.records
    assert whales.title == "Vocal behavior of false killer whale (Pseudorca crassidens) acoustic subgroups"
    assert whales.date == "2023-03-15" and whales.venue == "FRONTIERS IN MARINE SCIENCE"
    # "AN  - WOS:..." and a second "AD" sit after a lone CR on another field's line.
    assert whales.ids == {"doi": "10.3389/fmars.2023.1147670", "issn": "2296-7745", "wos": "WOS:000958911600001"}
    assert len(whales.orgs) == 2 and whales.orgs[1].startswith("NOAA, Pacific Isl Fisheries Sci Ctr")
    assert metrosea.extra["document_type"] == "CPAPER" and metrosea.ids["isbn"] == "979-8-3503-4065-5"
    assert chapter.extra["document_type"] == "CHAP" and chapter.ids["wos"] == "WOS:000437095400006"
    assert _people(chapter)[1] == ("de Castro, FR", "FR", "de Castro")


def test_real_publisher_site_exports():
    records = {r.title[:30]: r for r in _real("publisher_sites_klab.ris").records}
    assert len(records) == 9
    plos = records["The Prevalence of Species and "]
    assert plos.date == "2014-05-14" and plos.venue == "PLoS ONE"
    assert plos.ids == {"doi": "10.1371/journal.pone.0097279"}
    # HighWire: the DOI only in a note "N1  - doi: ...".
    assert records["Improving computational effici"].ids == {"doi": "10.1093/bioinformatics/btt735"}
    ieee = records["Expanded Explorations into the"]
    assert ieee.ids["doi"] == "10.1109/tcbb.2013.113" and ieee.date == "2013-09-01"
    assert records["Reprogramming an ATP-driven pr"].date == "2013-11-24"  # "PY  - 2013/11/24/print"
    # ScienceDirect: "JO" is the journal, "T2" the theme; a chapter's book is "T2", its series "BT".
    ensembles = records["Designing ensembles in conform"]
    assert ensembles.venue == "Current Opinion in Structural Biology" and ensembles.date == "2010-06"
    chapter = records["Chapter Four - Flexible Backbo"]
    assert chapter.venue == "Methods in Protein Design" and chapter.date == "2013"  # "PY  - 2013///"
    assert chapter.ids["doi"] == "10.1016/b978-0-12-394292-0.00004-7"
    gfp = records["GFP-based Biosensors"]
    assert gfp.venue == "State of the Art in Biosensors - General Aspects" and gfp.ids["isbn"] == "978-953-51-1004-0"
    assert records["SAT-based protein design"].ids == {"issn": "1092-3152", "ieee": "5361301"}


def test_real_dimensions_and_lens_ids():
    bushfires, chapter = _real("dimensions.ris").records
    assert bushfires.source.line == 2  # the file starts with a blank line
    assert bushfires.ids == {
        "doi": "10.1080/20008198.2022.2087980",
        "dimensions": "pub.1149029839",
        "pmid": "35957633",
        "pmcid": "PMC9359172",
    }
    assert chapter.venue == "Artificial Intelligence, Computer and Software Engineering Advances"  # BT
    tramadol, crimes = _real("lens.ris").records
    assert tramadol.ids["lens"] == "000-454-299-663-964" and tramadol.ids["issn"] == "2168-8184"
    assert tramadol.ids["pmid"] == "32789069" and tramadol.date == "2020-07-11"
    # "AU  - Sneha, null": a given name "null" is none.
    assert [a.name for a in crimes.authors] == ["Mohanta, Abhinash", "Sneha", "Muduli, Himanshu Sekhar"]


def test_real_ebsco_numbered_affiliations_crlf_and_l3_doi():
    fire, streams = _real("ebsco_environment_index.ris").records
    assert fire.title == "Global plant responses to intensified fire regimes." and fire.date == "2024-08"
    assert fire.ids == {"doi": "10.1111/geb.13858", "issn": "1466-822X"}
    assert fire.venue == "Global Ecology & Biogeography"
    cardil = streams.authors[1]
    assert cardil.name == "Cardil, Adrián" and len(cardil.affiliations) == 3  # "Cardil, Adrián 1,2,3"
    lleida = "Department of Agricultural and Forest Sciences and Engineering, University of Lleida, Lleida, Spain"
    assert cardil.affiliations[1] == lleida
    assert streams.authors[2].affiliations == cardil.affiliations[1:2]
    gambling, _ = _real("ebsco_crlf.ris").records
    assert gambling.ids == {"doi": "10.1080/16066359.2020.1867111", "issn": "1606-6359"}
    assert gambling.venue == "Addiction Research & Theory" and gambling.abstract == "Abstract replaced for the fixture."


def test_real_ovid_zotero_and_google_scholar_flavours():
    embase = _real("ovid_embase.ris").records[0]
    assert _people(embase) == [("Liu R.", "R.", "Liu"), ("Adler D.G.", "D.G.", "Adler")]
    assert embase.ids == {"doi": "10.4103/2303-9027.138783", "issn": "2226-7190"} and embase.date == "2014"
    psycinfo = _real("ovid_psycinfo.ris")
    assert [r.source.line for r in psycinfo.records] == [2, 31]  # "1." and "2." before the records
    assert psycinfo.records[1].ids["doi"] == "10.1177/1359105317742958"  # "DO  - http://dx.doi.org/..."
    zotero = _real("zotero_pubmed.ris").records[1]
    assert zotero.venue == "Techniques in coloproctology" and zotero.date == "2019-10"
    assert _people(zotero)[2] == ("Slesser, A. A. P.", "A. A. P.", "Slesser")
    scholar = _real("google_scholar_pop.ris").records
    assert [r.ids.get("doi") for r in scholar] == ["10.1038/s41598-022-05753-3", None, "10.5525/gla.thesis.83090"]
    assert _people(scholar[0])[0] == ("Wesenbeeck, B. K. van", "B. K. van", "Wesenbeeck")


def test_real_rayyan_r_written_and_ty_less_files():
    rayyan = _real("rayyan.ris").records[0]
    assert rayyan.extra["keywords"][:3] == ["Health Facility Administration", "Joint Commission", "Standards"]
    assert rayyan.authors == () and rayyan.venue == "Joint Commission Perspectives on Patient Safety"
    book, mangroves = _real("r_written_na.ris").records
    assert book.abstract is None and mangroves.abstract is None  # "AB  - NA"
    assert mangroves.ids == {"doi": "10.1177/1070496510384392"}
    result = _real("citesource_export_no_ty.ris")
    assert result.format == "ris" and [r.source.line for r in result.records] == [1, 21, 42]
    assert any("no record has a TY line" in note for note in result.notes)
    first = result.records[0]
    assert first.title == "A systematic review of the impact of wildfires on sleep disturbances"
    assert first.venue == "International journal of environmental research and public health"
    assert first.ids == {"doi": "10.3390/ijerph181910152"} and "document_type" not in first.extra


def test_real_files_are_detected_as_ris():
    for path in sorted(REAL.glob("*.ris")):
        text = path.read_bytes().decode("utf-8")
        assert detect_format(text)[0].name == "ris", path.name
