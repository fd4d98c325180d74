"""RIS: the real EndNote export of Web of Science records, and small files in other exporters' flavours."""

from __future__ import annotations

import pytest

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
    assert [a.name for a in paper.authors] == ["A. B. Smith", "C. Jones"] and paper.authors[0].family is None
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
