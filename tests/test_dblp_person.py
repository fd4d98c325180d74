"""dblp person pages as XML (dblp-person): a page written here from Michael Ley's dblp entries, then a real page."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from kg.errors import KgError
from kg.extract import extract_text
from kg.extractors import detect_format

PAGE = """<?xml version="1.0" encoding="US-ASCII"?>
<dblpperson name="Michael Ley" pid="l/MichaelLey" n="3">
<person key="homepages/l/MichaelLey" mdate="2020-01-01">
<author pid="l/MichaelLey">Michael Ley</author>
<url>https://dblp.org/</url>
</person>
<r><article key="journals/pvldb/Ley09" mdate="2020-01-01">
<author orcid="0000-0001-7580-4351" pid="l/MichaelLey">Michael Ley</author>
<title>DBLP - Some Lessons Learned.</title>
<pages>1493-1500</pages>
<year>2009</year>
<volume>2</volume>
<journal>Proc. VLDB Endow.</journal>
<ee>https://doi.org/10.14778/1687553.1687577</ee>
</article></r>
<r><inproceedings key="conf/spire/Ley02" mdate="2020-01-01">
<author pid="l/MichaelLey">Michael Ley</author>
<author pid="00/0">Markus Schmitt 0002</author>
<title>The DBLP Computer Science Bibliography: Evolution, Research Issues, Perspectives.</title>
<pages>1-10</pages>
<year>2002</year>
<booktitle>SPIRE</booktitle>
<ee>https://doi.org/10.1007/3-540-45735-6_1</ee>
</inproceedings></r>
<r><www key="homepages/l/other"><title>Home Page</title></www></r>
<coauthors n="1" nc="1"><co c="0"><na pid="00/0">Markus Schmitt 0002</na></co></coauthors>
</dblpperson>
"""


def test_each_r_publication_is_a_record_in_dblp_xml_shape():
    result = extract_text(PAGE, source="ley.xml")
    assert result.format == "dblp-person"
    assert [r.title for r in result.records] == [
        "DBLP - Some Lessons Learned",
        "The DBLP Computer Science Bibliography: Evolution, Research Issues, Perspectives",
    ]
    article, paper = result.records
    assert article.ids == {"dblp": "journals/pvldb/Ley09", "doi": "10.14778/1687553.1687577"}
    assert (article.date, article.venue, article.source.line) == ("2009", "Proc. VLDB Endow.", 7)
    assert article.authors[0].orcid == "0000-0001-7580-4351"
    assert [a.name for a in paper.authors] == ["Michael Ley", "Markus Schmitt 0002"]
    assert [a.orcid for a in paper.authors] == [None, None]
    assert (paper.venue, paper.extra["dblp_type"], paper.source.line) == ("SPIRE", "inproceedings", 16)


def test_person_pages_and_the_dump_are_told_apart():
    assert detect_format(PAGE)[0].name == "dblp-person"
    dump = '<?xml version="1.0"?>\n<dblp><article key="k"><title>T</title></article></dblp>'
    assert detect_format(dump)[0].name == "dblp-xml"


def test_a_page_without_publications_is_an_error_with_a_reason():
    empty = '<dblpperson name="Nobody Yet" pid="00/9"><person key="homepages/00/9"/></dblpperson>'
    with pytest.raises(KgError, match="Nobody Yet lists no publication"):
        extract_text(empty, source="empty.xml")


# ---- a real page (tests/fixtures/real/dblp-person, see SOURCE.md there) ----

REAL_PAGE = FIXTURES / "real" / "dblp-person" / "95-7448-1.xml"


def test_real_page_every_publication_once_with_homonym_numbers_pids_and_dois():
    text = REAL_PAGE.read_text(encoding="utf-8")
    assert detect_format(text)[0].name == "dblp-person"
    result = extract_text(text, source="95-7448-1.xml")
    assert result.format == "dblp-person" and result.notes == ()
    assert len(result.records) == 8  # n="8", eight <r>; the homonym's <person> and <coauthors> are no papers
    first = result.records[0]
    assert first.title == "Automatic stereoscopic 3D video reframing"
    assert [a.name for a in first.authors] == ["Lino Coria-Mendoza", "Di Xu 0001", "Panos Nasiopoulos"]
    assert first.extra["dblp_author_pids"] == ["32/5783", "95/7448-1", "55/3871"]
    assert first.ids == {"dblp": "conf/3dtv/Coria-MendozaXN12", "doi": "10.1109/3dtv.2012.6365428"}
    assert (first.date, first.venue, first.extra["pages"]) == ("2012", "3DTV-Conference", "1-4")
    article = next(r for r in result.records if r.extra["dblp_type"] == "article")
    assert article.title == "Correction of Clipped Pixels in Color Images"
    assert (article.venue, article.date, article.extra["volume"], article.extra["number"]) == (
        "IEEE Trans. Vis. Comput. Graph.",
        "2011",
        "17",
        "3",
    )
    assert article.ids == {"dblp": "journals/tvcg/XuDN11", "doi": "10.1109/tvcg.2010.63"}
    assert len(article.extra["ee"]) == 3
    assert [r.ids["dblp"] for r in result.records][-1] == "conf/icip/XuN09"
    assert sum("Di Xu 0001" in [a.name for a in r.authors] for r in result.records) == 8
    assert all(a.name != "Di Xu" for r in result.records for a in r.authors)  # the homonym stays apart
    lines = text.splitlines()
    for record in result.records:
        assert lines[record.source.line - 1].startswith(f'<r><{record.extra["dblp_type"]} key="{record.ids["dblp"]}"')


def test_a_page_saved_short_of_its_count_says_so():
    text = REAL_PAGE.read_text(encoding="utf-8")
    cut = text[: text.index('<r><article key="journals/tvcg/XuDN11"')] + "</dblpperson>\n"
    result = extract_text(cut, source="cut.xml")
    assert len(result.records) == 3
    assert any("says it lists 8 publication(s) but holds 3" in note for note in result.notes)


def test_an_edited_volume_keeps_its_editors_apart_and_an_ellipsis_title_keeps_its_dots():
    page = """<?xml version="1.0"?>
<dblpperson name="Ann Lee 0002" pid="1/2" n="2">
<r><proceedings key="conf/x/2020" mdate="2020-01-01"><editor pid="1/2">Ann Lee 0002</editor>
<title>X 2020.</title><year>2020</year><booktitle>X</booktitle></proceedings></r>
<r><article key="journals/corr/abs-2001-00001" mdate="2020-01-01" publtype="informal">
<author pid="1/2">Ann Lee 0002</author><title>All You Need...</title><year>2020</year><journal>CoRR</journal>
<ee type="oa">https://arxiv.org/abs/2001.00001</ee></article></r>
</dblpperson>"""
    edited, preprint = extract_text(page, source="lee.xml").records
    assert (edited.authors, edited.extra["editors"], edited.extra["dblp_editor_pids"]) == (
        (),
        ["Ann Lee 0002"],
        ["1/2"],
    )
    assert preprint.title == "All You Need..."
    assert preprint.ids == {"dblp": "journals/corr/abs-2001-00001", "arxiv": "2001.00001"}
    assert preprint.extra["publtype"] == "informal"


def test_a_pre_2016_key_list_is_an_error_that_says_where_the_papers_are():
    keys = (
        '<?xml version="1.0"?>\n<dblpperson name="Curtis Wong"><dblpkey>journals/sigmod/Wong08</dblpkey></dblpperson>'
    )
    with pytest.raises(KgError, match=r"pre-2016 dblp key list of Curtis Wong \(1 <dblpkey>"):
        extract_text(keys, source="wong.xml")


# ---- the page's owner (kg issue 14): every record of a person page names the page's person ----


def test_every_record_names_the_page_owner_with_the_homonym_number():
    real = extract_text(REAL_PAGE.read_text(encoding="utf-8"), source="95-7448-1.xml").records
    assert {r.extra["page_owner"] for r in real} == {"Di Xu 0001"}  # not the homonym "Di Xu" of <homonyms>
    assert all("page_owner_orcid" not in r.extra for r in real)  # the page gives no ORCID of Di Xu 0001
    # The owner keeps the place dblp prints: second of three authors, not moved or added.
    assert [a.name for a in real[0].authors] == ["Lino Coria-Mendoza", "Di Xu 0001", "Panos Nasiopoulos"]
    ley = extract_text(PAGE, source="ley.xml").records
    # The ORCID that the page's publications give the author with the page's pid is the owner's.
    assert {(r.extra["page_owner"], r.extra["page_owner_orcid"]) for r in ley} == {
        ("Michael Ley", "0000-0001-7580-4351")
    }


def test_the_person_record_names_the_owner_when_the_root_does_not():
    text = REAL_PAGE.read_text(encoding="utf-8").replace('<dblpperson name="Di Xu 0001" ', "<dblpperson ")
    records = extract_text(text, source="no-name.xml").records
    assert len(records) == 8 and {r.extra["page_owner"] for r in records} == {"Di Xu 0001"}


def test_a_disambiguation_page_names_no_owner():
    # dblp's page of the homonym "Di Xu" (pid 95/7448) gathers papers of several people of that name.
    page = """<?xml version="1.0"?>
<dblpperson name="Di Xu" pid="95/7448" n="1">
<person key="homepages/95/7448" mdate="2019-11-26" publtype="disambiguation"><author pid="95/7448">Di Xu</author>
</person>
<r><article key="journals/x/Xu20" mdate="2020-01-01"><author pid="95/7448">Di Xu</author>
<title>A paper of one of them.</title><year>2020</year><journal>X</journal></article></r>
</dblpperson>"""
    [record] = extract_text(page, source="di-xu.xml").records
    assert "page_owner" not in record.extra and "page_owner_orcid" not in record.extra
