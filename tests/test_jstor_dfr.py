"""JSTOR Data for Research: the real citations.tsv in ../shared/data, a CSV variant, DfR's JATS XML, and the
real citations.XML, article and book XML under tests/fixtures/real/jstor-dfr."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from kg.errors import KgError
from kg.extract import extract_file, extract_text
from kg.extractors import detect_format

HEADER = "id,doi,title,author,journaltitle,volume,issue,pubdate,pagerange,publisher,type,reviewed-work,abstract,\n"
CSV = HEADER + (
    '10.2307/1000001,10.2307/1000001,"Commas, Quotes and a ""Fixture""","Ann Lee, Bo Chen",Fixture Review,'
    "3,1,1999-05-17T00:00:00Z,pp. 1-9,Fixture Press,fla,,A fixture abstract.,\n"
    "10.2307/1000002,10.2307/1000002,A reviewed fixture,Chidi Okafor,Fixture Review,3,1,1999-01-01T00:00:00Z,"
    "pp. 10-11,Fixture Press,brv,A Reviewed Book,,\n"
)

JATS = """<article xmlns:xlink="http://www.w3.org/1999/xlink" dtd-version="1.0" article-type="research-article">
   <front>
      <journal-meta>
         <journal-id journal-id-type="jstor">fixturejournal</journal-id>
         <journal-title-group><journal-title>Fixture Quarterly</journal-title></journal-title-group>
         <issn pub-type="ppub">00000000</issn>
      </journal-meta>
      <article-meta>
         <article-id pub-id-type="doi">10.2307/2000001</article-id>
         <title-group><article-title>A Fixture Article</article-title><subtitle>Its Subtitle</subtitle></title-group>
         <contrib-group>
            <contrib contrib-type="author">
               <string-name><given-names>Glen H.</given-names><surname>Fixture,</surname><suffix>Jr.</suffix>
               </string-name>
               <contrib-id contrib-id-type="orcid">https://orcid.org/0000-0002-1825-0097</contrib-id>
               <xref ref-type="aff" rid="a1"/>
            </contrib>
            <contrib contrib-type="author"><string-name>Ann Lee</string-name></contrib>
            <contrib contrib-type="editor">
               <string-name><given-names>Ed</given-names><surname>Editor</surname></string-name></contrib>
         </contrib-group>
         <aff id="a1">Fixture University</aff>
         <pub-date><day>1</day><month>4</month><year>1922</year></pub-date>
         <self-uri xlink:href="http://www.jstor.org/stable/2000001"/>
         <kwd-group><kwd>fixtures</kwd><kwd>parsing</kwd></kwd-group>
      </article-meta>
   </front>
   <back>
      <ref-list>
         <ref id="r1">
            <mixed-citation publication-type="journal">
LEE, A. 1909 A cited fixture paper. Fixture Journal, 53:201-276.<person-group>
                  <string-name><surname>Lee</surname></string-name></person-group>
               <year>1909</year>
            </mixed-citation>
         </ref>
      </ref-list>
   </back>
</article>
"""


def test_real_citations_tsv(shared_data):
    result = extract_file(shared_data / "jstor-dfr" / "citations.tsv")
    records = result.records
    assert result.format == "jstor-dfr" and len(records) == 662
    first = records[0]
    # A title that starts with a quotation mark elsewhere in the file is text: the table is not quoted.
    assert first.title == 'Sidney\'s "Arcadia" and "The Tryall of Chevalry"'
    assert [a.name for a in first.authors] == ["C. R. Baskervill"] and first.venue == "Modern Philology"
    assert first.date == "1912-10" and first.ids == {"doi": "10.2307/432680"} and first.source.line == 2
    assert records[2].title == '"Piers Plowman", the Work of One or of Five' and records[2].date == "1909"
    by_line = {r.source.line: r for r in records}
    assert [a.name for a in by_line[70].authors] == ["James W. Bright", "Wilfred P. Mustard"]
    assert [a.name for a in by_line[44].authors] == ["Joseph Quincy Adams, Jr."]
    assert by_line[250].title == "Notice of New Department" and by_line[250].authors == ()
    assert sum(1 for r in records if r.venue == "PMLA") == 282
    assert {r.to_dict()["document_type"] for r in records} == {"full-length article"}


def test_csv_variant_quotes_reviews_and_dates():
    result = extract_text(CSV, source="citations.CSV")
    assert result.format == "jstor-dfr"
    article, review = result.records
    assert article.title == 'Commas, Quotes and a "Fixture"' and [a.name for a in article.authors] == [
        "Ann Lee",
        "Bo Chen",
    ]
    assert article.date == "1999-05-17" and article.abstract == "A fixture abstract." and article.source.line == 2
    # January 1st is DfR's padding of a year.
    assert review.date == "1999" and review.to_dict()["reviewed_work"] == "A Reviewed Book"
    assert review.to_dict()["document_type"] == "book review" and review.source.line == 3


def test_jats_article_metadata():
    result = extract_text(JATS, source="journal-article-10.2307_2000001.xml")
    assert result.format == "jstor-dfr"
    record = result.records[0]
    assert record.title == "A Fixture Article: Its Subtitle" and record.venue == "Fixture Quarterly"
    first, second = record.authors
    assert (first.name, first.given, first.family, first.orcid) == (
        "Glen H. Fixture, Jr.",
        "Glen H.",
        "Fixture",
        "0000-0002-1825-0097",
    )
    assert first.affiliations == ("Fixture University",) and second.name == "Ann Lee"
    assert record.date == "1922-04"  # <day>1</day> is DfR's padding, as in pubdate
    assert record.ids == {"doi": "10.2307/2000001", "jstor": "2000001", "issn": "00000000"}
    data = record.to_dict()
    assert data["keywords"] == ["fixtures", "parsing"]
    assert data["references"] == [
        {"text": "LEE, A. 1909 A cited fixture paper. Fixture Journal, 53:201-276.", "year": "1909"}
    ]


def test_detection_and_empty_inputs():
    for text in (CSV, JATS):
        detected = detect_format(text)
        assert detected is not None and detected[0].name == "jstor-dfr"
    # A JATS article from elsewhere (no JSTOR ids) is not claimed.
    assert (
        detect_format(JATS.replace("jstor", "other")) is None
        or detect_format(JATS.replace("jstor", "other"))[0].name != "jstor-dfr"
    )
    with pytest.raises(KgError, match="header but no rows"):
        extract_text(HEADER, source="citations.CSV")
    with pytest.raises(KgError, match="no title"):
        extract_text(JATS.replace("A Fixture Article", "").replace("Its Subtitle", ""), source="untitled.xml")


REAL = FIXTURES / "real" / "jstor-dfr"


def test_real_files_are_detected():
    for name in (
        "citations.XML",
        "journal-article-10.2307_3221896.xml",
        "journal-article-10.2307_4117222.xml",
        "book-chapter-j.ctt24hdz7.xml",
    ):
        detected = detect_format((REAL / name).read_text(encoding="utf-8"))
        assert detected is not None and detected[0].name == "jstor-dfr", name


def test_real_citations_xml():
    result = extract_file(REAL / "citations.XML")
    assert result.format == "jstor-dfr" and len(result.records) == 6
    assert result.notes == (
        "1 article(s) without a title skipped",
        "3 front or back matter article(s) without authors skipped "
        "('Back Matter', 'Front Matter', 'Volume Information')",
    )
    first = result.records[0]
    assert first.title == "Cytotaxonomical Studies on the Northern Bedstraw" and first.source.line == 3
    assert [a.name for a in first.authors] == ["Askell Love", "Doris Love"]  # one <author> each
    assert first.date == "1954-07" and first.venue == "American Midland Naturalist"
    assert first.ids == {"doi": "10.2307/2422045"} and first.to_dict()["document_type"] == "full-length article"
    by_doi = {r.ids["doi"]: r for r in result.records}
    assert by_doi["10.2307/41609686"].date == "1952" and by_doi["10.2307/41609686"].venue == "Bartonia"
    assert by_doi["10.2307/1742"].to_dict()["document_type"] == "news"
    assert [a.name for a in by_doi["10.2307/3881754"].authors] == ["James H. Oliver, Jr."]
    assert len(by_doi["10.2307/1293232"].authors) == 6 and by_doi["10.2307/1293232"].date == "1964-07"


def test_real_jats_articles():
    result = extract_file(REAL / "journal-article-10.2307_3221896.xml")
    [record] = result.records
    assert result.format == "jstor-dfr" and result.notes == ()
    assert record.title == "On the Protozoa Parasitic in Frogs" and record.date == "1922-04"  # day 1, month 4
    assert [(a.name, a.given, a.family) for a in record.authors] == [("R. Kudo", "R.", "Kudo")]
    assert record.venue == "Transactions of the American Microscopical Society"
    assert record.ids == {"doi": "10.2307/3221896", "jstor": "3221896", "issn": "00030023"}
    references = record.to_dict()["references"]
    assert len(references) == 5  # two <ref-list>s: 3 <ref>s, 5 <mixed-citation>s
    assert references[0] == {
        "text": "DOBELL, C.C. 1909 Researches on the intestinal Protozoa of frogs and toads. "
        "Quart. Jour. Micros. Sc., 53:201-276, 4 pl. and 1 textfig.",
        "year": "1909",
    }
    assert references[2] == {"text": "DOBELL, C. C. 1909 (see Entamoeba ranarum)."}
    [kew] = extract_file(REAL / "journal-article-10.2307_4117222.xml").records
    assert kew.title == "Two New Species of Ischaemum" and [a.name for a in kew.authors] == ["N. L. Bor"]
    assert kew.date == "1950" and kew.venue == "Kew Bulletin"  # 1 January of volume 5, issue 2: the year


def test_real_book_and_its_chapters():
    result = extract_file(REAL / "book-chapter-j.ctt24hdz7.xml")
    assert result.format == "jstor-dfr"
    assert result.notes == (
        "3 book part(s) that name no author skipped ('Front Matter', 'Table of Contents', 'Index')",
    )
    book, first, second, last = result.records
    assert book.title == "The 2006 Military Takeover in Fiji: A Coup to End All Coups?" and book.authors == ()
    assert book.to_dict()["editors"] == ["Jon Fraenkel", "Stewart Firth", "Brij V. Lal"]
    assert book.ids == {"jstor": "j.ctt24hdz7", "isbn": "9781921536502"} and book.date == "2009-04-30"
    assert book.abstract == "Abstract replaced for the fixture." and book.to_dict()["publisher"] == "ANU E Press"
    assert first.title == "The enigmas of Fiji’s good governance coup" and first.ids == {"jstor": "j.ctt24hdz7.5"}
    assert [(a.given, a.family) for a in first.authors] == [("Jon", "Fraenkel"), ("Stewart", "Firth")]
    assert first.venue == book.title and first.date == "2009-04-30" and first.to_dict()["pages"] == "3"
    assert first.abstract is None  # an "extract" (the chapter's opening) is no abstract
    # "‘Anxiety, uncertainty and fear in our land’:" and its subtitle: one colon.
    assert second.title == "‘Anxiety, uncertainty and fear in our land’: Fiji’s road to military coup, 2006"
    assert [a.name for a in second.authors] == ["Brij V. Lal"] and last.title == "Fiji’s Coup Syndrome"
