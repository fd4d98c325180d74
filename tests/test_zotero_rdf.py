"""Zotero RDF exports: the two real libraries in ../shared/data and a fixture written here."""

from __future__ import annotations

import pytest

from kg.errors import KgError
from kg.extract import extract_file, extract_text
from kg.extractors import detect_format

HEAD = """<rdf:RDF
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns:z="http://www.zotero.org/namespaces/export#"
 xmlns:dcterms="http://purl.org/dc/terms/"
 xmlns:bib="http://purl.org/net/biblio#"
 xmlns:foaf="http://xmlns.com/foaf/0.1/"
 xmlns:link="http://purl.org/rss/1.0/modules/link/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:prism="http://prismstandard.org/namespaces/1.2/basic/">
"""

FIXTURE = (
    HEAD
    + """    <bib:BookSection rdf:about="urn:isbn:978-0-00-000000-2">
        <z:itemType>bookSection</z:itemType>
        <dcterms:isPartOf>
            <bib:Book><dc:title>Fixture Handbook</dc:title>
                <dc:identifier>ISBN 978-0-00-000000-2, 0-00-000000-1</dc:identifier></bib:Book>
        </dcterms:isPartOf>
        <bib:authors><rdf:Seq>
            <rdf:li><foaf:Person><foaf:surname>Lee</foaf:surname><foaf:givenName>Ann</foaf:givenName></foaf:Person></rdf:li>
            <rdf:li><foaf:Organization><foaf:name>Fixture Consortium</foaf:name></foaf:Organization></rdf:li>
            <rdf:li><foaf:Person><foaf:surname>Chen</foaf:surname><foaf:givenName>Bo</foaf:givenName></foaf:Person></rdf:li>
        </rdf:Seq></bib:authors>
        <bib:editors><rdf:Seq>
            <rdf:li><foaf:Person><foaf:surname>Editor</foaf:surname><foaf:givenName>Ed</foaf:givenName></foaf:Person></rdf:li>
        </rdf:Seq></bib:editors>
        <link:link rdf:resource="#item_9"/>
        <dc:subject>chapters</dc:subject>
        <dc:subject><z:AutomaticTag><rdf:value>fixtures</rdf:value></z:AutomaticTag></dc:subject>
        <dc:title>The first chapter</dc:title>
        <dc:date>08/28/1998</dc:date>
        <dc:description>PMID: 12345
arXiv: 2001.00001</dc:description>
    </bib:BookSection>
    <z:Attachment rdf:about="#item_9">
        <z:itemType>attachment</z:itemType>
        <rdf:resource rdf:resource="storage:chapter.pdf"/>
        <dc:title>Full Text PDF</dc:title>
    </z:Attachment>
    <bib:BookSection rdf:about="urn:isbn:978-0-00-000000-2">
        <z:itemType>bookSection</z:itemType>
        <bib:authors><rdf:Seq>
            <rdf:li><foaf:Person><foaf:surname>Okafor</foaf:surname><foaf:givenName>Chidi</foaf:givenName></foaf:Person></rdf:li>
        </rdf:Seq></bib:authors>
        <dc:title>The second chapter</dc:title>
        <dcterms:abstract>Fixture abstract.</dcterms:abstract>
        <dc:date>April 9, 2001</dc:date>
    </bib:BookSection>
    <bib:Article rdf:about="#item_3">
        <z:itemType>journalArticle</z:itemType>
        <dcterms:isPartOf rdf:resource="urn:issn:0000-0001"/>
        <dc:title>Shared journal one</dc:title>
        <dc:identifier>DOI 10.1000/own.1</dc:identifier>
    </bib:Article>
    <bib:Article rdf:about="#item_4">
        <z:itemType>journalArticle</z:itemType>
        <dcterms:isPartOf rdf:resource="urn:issn:0000-0001"/>
        <dc:title>Shared journal two</dc:title>
    </bib:Article>
    <bib:Journal rdf:about="urn:issn:0000-0001">
        <dc:title>Fixture Letters</dc:title>
        <dc:identifier>DOI 10.1000/only-one-of-them</dc:identifier>
        <dc:identifier>ISSN 0000-0001</dc:identifier>
    </bib:Journal>
    <bib:Data rdf:about="https://example.org/tool">
        <z:itemType>computerProgram</z:itemType>
        <z:programmers><rdf:Seq>
            <rdf:li><foaf:Person><foaf:surname>Fixture Team</foaf:surname></foaf:Person></rdf:li>
        </rdf:Seq></z:programmers>
        <dc:title>fixturetool</dc:title>
        <dc:identifier><dcterms:URI><rdf:value>https://example.org/tool</rdf:value></dcterms:URI></dc:identifier>
    </bib:Data>
    <bib:Article rdf:about="#item_6">
        <z:itemType>journalArticle</z:itemType>
        <dcterms:isPartOf><bib:Journal><dc:title>No article title</dc:title></bib:Journal></dcterms:isPartOf>
    </bib:Article>
    <bib:Memo rdf:about="#item_7"><rdf:value>A note</rdf:value></bib:Memo>
    <z:Collection rdf:about="#collection_1"><dc:title>My collection</dc:title></z:Collection>
</rdf:RDF>
"""
)


def test_dissertation_library(shared_data):
    result = extract_file(shared_data / "zotero-rdf" / "My Library.rdf")
    records = result.records
    # 479 items that are no attachment or note; two of them have no title (only a journal) and are skipped.
    assert result.format == "zotero-rdf" and len(records) == 477
    assert any("2 Zotero item(s) without a title" in note for note in result.notes)
    guide, cmonkey = records[0], records[1]
    assert guide.title == "Zotero Quick Start Guide" and guide.source.line == 11
    assert guide.to_dict()["document_type"] == "webpage"
    assert cmonkey.title.startswith("Integrated biclustering of heterogeneous genome-wide datasets")
    assert [(a.given, a.family) for a in cmonkey.authors] == [
        ("David", "Reiss"),
        ("Nitin", "Baliga"),
        ("Richard", "Bonneau"),
    ]
    assert cmonkey.date == "2006" and cmonkey.venue == "BMC Bioinformatics" and cmonkey.source.line == 36
    # The DOI sits on the journal node Zotero wrote for this article only.
    assert cmonkey.ids["doi"] == "10.1186/1471-2105-7-280" and cmonkey.ids["issn"] == "1471-2105"
    assert "Halobacterium" in cmonkey.to_dict()["keywords"]
    chapter = next(r for r in records if r.source.line == 8514)
    assert chapter.venue == "Year in Evolutionary Biology 2009" and [a.name for a in chapter.authors] == ["Rees Kassen"]
    assert chapter.ids == {"isbn": "978-1-57331-754-2", "wos": "000268507900001"}
    # A conference paper with two dc:title: its own, then its proceedings'.
    bagging = next(r for r in records if r.source.line == 12992)
    assert (bagging.title, bagging.venue, bagging.date) == ("Bagging Predictors", "Machine Learning", "1996")
    assert sum(1 for r in records if r.abstract) == 350


def test_visualiser_library_reports_and_programs(shared_data):
    records = extract_file(shared_data / "zotero-rdf" / "visualiser-My Library.rdf").records
    assert len(records) == 32
    types = [r.to_dict()["document_type"] for r in records]
    assert types.count("report") == 6 and types.count("computerProgram") == 4
    rstudio = next(r for r in records if r.title.startswith("RStudio"))
    assert [a.name for a in rstudio.authors] == ["RStudio Team"]
    social = next(r for r in records if r.title.startswith("Social Class Differences in Mortality"))
    assert social.date == "1993-04-01" and social.venue == "International Journal of Epidemiology"
    assert social.ids["doi"] == "10.1093/ije/22.2.255" and social.ids["pmid"] == "8505181"


def test_fixture_items_and_what_is_not_a_paper():
    result = extract_text(FIXTURE, source="lib.rdf")
    assert result.format == "zotero-rdf"
    titles = [r.title for r in result.records]
    # Two items with one rdf:about stay two; attachments, memos, collections and journals are no papers.
    assert titles == [
        "The first chapter",
        "The second chapter",
        "Shared journal one",
        "Shared journal two",
        "fixturetool",
    ]
    first, second, one, two, tool = result.records
    assert [a.name for a in first.authors] == ["Ann Lee", "Fixture Consortium", "Bo Chen"]
    assert (first.authors[0].given, first.authors[0].family) == ("Ann", "Lee")
    assert first.venue == "Fixture Handbook" and first.date == "1998-08-28"
    assert first.ids == {"isbn": "978-0-00-000000-2", "pmid": "12345", "arxiv": "2001.00001"}
    assert first.to_dict()["keywords"] == ["chapters", "fixtures"]
    assert [a.name for a in second.authors] == ["Chidi Okafor"] and second.abstract == "Fixture abstract."
    assert second.date == "2001-04-09" and second.venue is None
    # A journal node two articles share gives its title and ISSN, not its DOI.
    assert one.ids == {"doi": "10.1000/own.1", "issn": "0000-0001"} and one.venue == "Fixture Letters"
    assert two.ids == {"issn": "0000-0001"}
    assert [a.name for a in tool.authors] == ["Fixture Team"] and tool.ids == {"url": "https://example.org/tool"}
    assert [r.source.line for r in result.records] == [10, 37, 46, 52, 62]
    assert any("1 Zotero item(s) without a title" in note for note in result.notes)


def test_detection_and_libraries_without_papers():
    detected = detect_format(FIXTURE)
    assert detected is not None and detected[0].name == "zotero-rdf"
    only_notes = HEAD + '<bib:Memo rdf:about="#item_1"><rdf:value>note</rdf:value></bib:Memo></rdf:RDF>'
    with pytest.raises(KgError, match="no Zotero item"):
        extract_text(only_notes, source="notes.rdf")
    plain_rdf = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>'
    detected = detect_format(plain_rdf)
    assert detected is None or detected[0].name != "zotero-rdf"
