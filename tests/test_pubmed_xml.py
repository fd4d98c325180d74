"""PubMed XML (efetch PubmedArticleSet): the two real exports in ../shared/data and fixtures written here."""

from __future__ import annotations

import pytest

from kg.errors import KgError
from kg.extract import extract_file, extract_text
from kg.extractors import detect_format

FIXTURE = """<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2019//EN" "https://example.invalid/x.dtd">
<PubmedArticleSet>
<PubmedArticle>
  <MedlineCitation Status="MEDLINE" Owner="NLM">
    <PMID Version="1">11111111</PMID>
    <Article PubModel="Print">
      <Journal>
        <JournalIssue><PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate></JournalIssue>
        <Title>Fixture journal of examples</Title>
      </Journal>
      <ArticleTitle>Ca<sup>2+</sup> waves in <i>Xenopus</i> oocytes.</ArticleTitle>
      <ELocationID EIdType="doi" ValidYN="Y">10.1000/fixture.1</ELocationID>
      <Abstract>
        <AbstractText Label="BACKGROUND">First part.</AbstractText>
        <AbstractText Label="RESULTS">Second part.</AbstractText>
      </Abstract>
      <AuthorList CompleteYN="Y">
        <Author ValidYN="Y"><LastName>Lee</LastName><ForeName>Ann</ForeName><Initials>A</Initials>
          <Identifier Source="ORCID">https://orcid.org/0000-0002-1825-0097</Identifier>
          <AffiliationInfo><Affiliation>Uni A</Affiliation></AffiliationInfo>
          <AffiliationInfo><Affiliation>Lab B</Affiliation></AffiliationInfo></Author>
        <Author ValidYN="N"><LastName>Wrong</LastName><ForeName>Name</ForeName></Author>
        <Author ValidYN="Y"><LastName>Chen</LastName><Initials>B</Initials><Suffix>Jr</Suffix></Author>
        <Author ValidYN="Y"><CollectiveName>Fixture Study Group</CollectiveName></Author>
      </AuthorList>
      <AuthorList Type="editors"><Author><LastName>Editor</LastName><ForeName>Ed</ForeName></Author></AuthorList>
    </Article>
    <KeywordList Owner="NOTNLM"><Keyword MajorTopicYN="N">calcium</Keyword></KeywordList>
    <MeshHeadingList><MeshHeading><DescriptorName UI="D1">Oocytes</DescriptorName></MeshHeading></MeshHeadingList>
  </MedlineCitation>
  <PubmedData>
    <ArticleIdList>
      <ArticleId IdType="pubmed">11111111</ArticleId>
      <ArticleId IdType="pmc">PMC1111111</ArticleId>
    </ArticleIdList>
    <ReferenceList>
      <Reference><Citation>Fixture Ref. 1990;1:1-2</Citation>
        <ArticleIdList><ArticleId IdType="pubmed">222</ArticleId>
          <ArticleId IdType="doi">10.1000/ref.2</ArticleId></ArticleIdList>
      </Reference>
    </ReferenceList>
  </PubmedData>
</PubmedArticle>
<PubmedBookArticle>
  <BookDocument>
    <PMID Version="1">33333333</PMID>
    <Book><BookTitle>Fixture Handbook</BookTitle><PubDate><Year>2020</Year><Month>Mar</Month></PubDate>
      <Isbn>9780000000002</Isbn></Book>
    <ArticleTitle>A chapter of the fixture handbook</ArticleTitle>
    <AuthorList Type="authors"><Author><LastName>Okafor</LastName><ForeName>Chidi</ForeName></Author></AuthorList>
  </BookDocument>
</PubmedBookArticle>
</PubmedArticleSet>
"""


def test_efetch_2009_layout(shared_data):
    result = extract_file(shared_data / "pubmed-xml" / "efetch.xml")
    assert result.format == "pubmed-xml" and len(result.records) == 50
    first = result.records[0]
    assert first.title == "Genome-wide expression and location analyses of the Candida albicans Tac1p regulon."
    assert [a.name for a in first.authors[:3]] == ["Teresa T Liu", "Sadri Znaidi", "Katherine S Barker"]
    assert (first.authors[0].given, first.authors[0].family) == ("Teresa T", "Liu")
    # The 2009 layout's one Article/Affiliation is the first author's.
    assert first.authors[0].affiliations[0].startswith("Department of Clinical Pharmacy, University of Tennessee")
    assert first.authors[1].affiliations == ()
    assert first.date == "2007-11" and first.venue == "Eukaryotic cell" and first.source.line == 4
    assert first.ids["pmid"] == "17905926" and first.ids["pmcid"] == "PMC2168409"
    assert first.ids["doi"].lower() == "10.1128/ec.00327-07"
    # CommentsCorrections RefType="Cites": PubMed's own citation links.
    assert len(first.to_dict()["references"]) == 83
    assert first.to_dict()["references"][0] == {"text": "Yeast. 1995 Oct;11(13):1265-74", "pmid": "8553697"}
    # A 2009 DescriptorName has no UI: the heading is a MeSH subject named by its label.
    assert {"scheme": "mesh", "code": None, "label": "Candida albicans"} in first.extra["subjects"]
    assert sum(len(r.authors) for r in result.records) == 186
    assert sum(len(r.to_dict().get("references", [])) for r in result.records) == 600
    # A MedlineDate "2007 Nov-Dec" is its first month.
    medline_date = next(r for r in result.records if r.ids["pmid"] == "17905894")
    assert medline_date.date == "2007-11"


def test_pubmed_2019_per_author_affiliations_orcids_references(shared_data):
    records = extract_file(shared_data / "pubmed-xml" / "pubmed_result.xml").records
    assert len(records) == 93
    assert sum(len(r.authors) for r in records) == 828
    assert sum(len(r.to_dict().get("references", [])) for r in records) == 1925
    assert sum(1 for r in records if any(a.orcid for a in r.authors)) == 17
    first = records[0]
    assert [a.name for a in first.authors] == ["Bijun Yang", "Yu Xu", "Xiaohui Wang", "Yuliang Liu"]
    assert first.date == "2019-01-15" and first.ids["pmid"] == "30527807"
    assert first.to_dict()["keywords"][:2] == ["Exon", "Lung carcinoma"]
    # MeSH descriptors are subjects with their unique ids, not keywords.
    assert {"scheme": "mesh", "code": "D000818", "label": "Animals"} in first.extra["subjects"]
    assert "Animals" not in first.extra["keywords"]
    ampk = next(r for r in records if r.ids["pmid"] and r.title.startswith("The critical role of AMPK"))
    zhang = ampk.authors[3]
    assert (zhang.name, zhang.orcid, len(zhang.affiliations)) == ("Xian Zhang", "0000-0001-9674-7886", 2)
    assert ampk.to_dict()["references"][0] == {"text": "Sci Rep. 2016 Jul 28;6:30347", "pmid": "27464733"}
    # Inline markup in a title is kept as its text.
    assert any(
        r.title == "O-GlcNAcylation of the Tumor Suppressor FOXO3 Triggers Aberrant Cancer Cell Growth."
        for r in records
    )
    labelled = next(r for r in records if r.abstract and r.abstract.startswith("OBJECTIVES: To explore"))
    assert "METHODS: NB-1s, NB-1s co-cultured" in labelled.abstract


def test_fixture_markup_labels_collective_names_books():
    result = extract_text(FIXTURE, source="fixture.xml")
    assert result.format == "pubmed-xml"
    article, book = result.records
    assert article.title == "Ca2+ waves in Xenopus oocytes."
    assert article.abstract == "BACKGROUND: First part. RESULTS: Second part."
    # ValidYN="N" authors and the editors' list are no authors; a CollectiveName is one.
    assert [a.name for a in article.authors] == ["Ann Lee", "B Chen Jr", "Fixture Study Group"]
    assert article.authors[0].orcid == "0000-0002-1825-0097"
    assert article.authors[0].affiliations == ("Uni A", "Lab B")
    assert (article.authors[1].given, article.authors[1].family) == ("B", "Chen")
    assert article.date == "1998-12" and article.venue == "Fixture journal of examples"
    assert article.ids == {"pmid": "11111111", "doi": "10.1000/fixture.1", "pmcid": "PMC1111111"}
    data = article.to_dict()
    assert data["keywords"] == ["calcium"]
    assert data["subjects"] == [{"scheme": "mesh", "code": "D1", "label": "Oocytes"}]
    assert data["references"] == [{"text": "Fixture Ref. 1990;1:1-2", "pmid": "222", "doi": "10.1000/ref.2"}]
    assert book.title == "A chapter of the fixture handbook" and book.venue == "Fixture Handbook"
    assert book.date == "2020-03" and book.ids == {"pmid": "33333333", "isbn": "9780000000002"}
    assert [a.name for a in book.authors] == ["Chidi Okafor"]
    assert book.source.line > article.source.line > 1


def test_detection_beats_html_and_empty_sets_fail():
    detected = detect_format(FIXTURE)
    assert detected is not None and detected[0].name == "pubmed-xml"
    with pytest.raises(KgError, match="no PubmedArticle"):
        extract_text("<PubmedArticleSet>\n</PubmedArticleSet>\n", source="empty.xml")
    with pytest.raises(KgError, match="without a title or abstract"):
        extract_text(
            "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle/>"
            "</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>",
            source="untitled.xml",
        )
    with pytest.raises(KgError, match="not well-formed"):
        extract_text("<PubmedArticleSet><PubmedArticle>", source="cut.xml")
