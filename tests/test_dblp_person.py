"""dblp person pages as XML (dblp-person): a fixture written here from Michael Ley's real dblp entries."""

from __future__ import annotations

import pytest

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
