"""arXiv listing pages saved as HTML: a real search results page, a real /list/ page and small fixtures.

tests/fixtures/real/arxiv-listing-html/astro-ph-recent-2024-11.html is a trimmed copy of a
/list/astro-ph/pastweek page saved from a browser in November 2024 (see SOURCE.md).
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from kg.errors import InputError
from kg.extract import extract_file, extract_text
from kg.extractors import arxiv_listing_html, detect_format
from kg.extractors.base import ExtractOptions

RECENT = FIXTURES / "real" / "arxiv-listing-html" / "astro-ph-recent-2024-11.html"

# A /list/cs.CL/new page in the markup arXiv uses since 2024: the id link carries id= and
# title="Abstract", authors link to /a/ pages without an "Authors:" label, abstracts in p.mathjax.
NEW_MARKUP = """<!DOCTYPE html>
<html lang="en"><head><title>Computation and Language</title></head><body>
<div id="dlpage"><h1>Computation and Language</h1>
<h3>New submissions (showing 2 of 2 entries)</h3>
<dl id="articles">
<dt><a name="item1">[1]</a> <a href="/abs/1706.03762" title="Abstract" id="1706.03762">arXiv:1706.03762</a>
 [<a href="/pdf/1706.03762" title="Download PDF" id="pdf-1706.03762">pdf</a>,
 <a href="https://arxiv.org/html/1706.03762v1" title="View HTML">html</a>]</dt>
<dd><div class="meta">
<div class="list-title mathjax"><span class="descriptor">Title:</span>
  Attention Is All You Need
</div>
<div class="list-authors"><a href="https://arxiv.org/a/vaswani_a_1">Ashish Vaswani</a>,
 <a href="https://arxiv.org/a/shazeer_n_1">Noam Shazeer</a>,
 <a href="https://arxiv.org/a/parmar_n_1">Niki Parmar</a></div>
<div class="list-comments mathjax"><span class="descriptor">Comments:</span> 15 pages, 5 figures</div>
<div class="list-subjects"><span class="descriptor">Subjects:</span>
 <span class="primary-subject">Computation and Language (cs.CL)</span>; Machine Learning (cs.LG)</div>
<p class="mathjax">A fixture abstract for the first entry.</p>
</div></dd>
<dt><a name="item2">[2]</a> <a href="/abs/1807.03819" title="Abstract" id="1807.03819">arXiv:1807.03819</a>
 (cross-list from cs.LG) [<a href="/pdf/1807.03819" title="Download PDF">pdf</a>]</dt>
<dd><div class="meta">
<div class="list-title mathjax"><span class="descriptor">Title:</span> Universal Transformers</div>
<div class="list-authors"><a href="https://arxiv.org/a/dehghani_m_1">Mostafa Dehghani</a> (University of
 Amsterdam), <a href="https://arxiv.org/a/gouws_s_1">Stephan Gouws</a>,
 <a href="https://arxiv.org/a/kaiser_l_1">&#321;ukasz Kaiser</a></div>
<div class="list-journal-ref"><span class="descriptor">Journal-ref:</span> ICLR 2019</div>
<div class="list-subjects"><span class="descriptor">Subjects:</span>
 <span class="primary-subject">Machine Learning (cs.LG)</span>; Computation and Language (cs.CL);
 Machine Learning (stat.ML)</div>
</div></dd>
</dl></div></body></html>
"""

# The markup before 2024 (/list/hep-th/recent): span.list-identifier, "Authors:" labels, no abstracts.
OLD_MARKUP = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>High Energy Physics - Theory authors/titles recent
 submissions</title></head><body><div id="dlpage"><h3>Fri, 28 Nov 1997</h3>
<dl>
<dt><a name="item1">[1]</a>&nbsp;  <span class="list-identifier"><a href="/abs/hep-th/9711200"
 title="Abstract">arXiv:hep-th/9711200</a> [<a href="/pdf/hep-th/9711200" title="Download PDF">pdf</a>]</span></dt>
<dd>
<div class="meta">
<div class="list-title mathjax">
<span class="descriptor">Title:</span> The Large N Limit of Superconformal Field Theories and Supergravity
</div>
<div class="list-authors">
<span class="descriptor">Authors:</span>
<a href="/find/hep-th/1/au:+Maldacena_J/0/1/0/all/0/1">Juan M. Maldacena</a>
</div>
<div class="list-journal-ref">
<span class="descriptor">Journal-ref:</span> Adv.Theor.Math.Phys.2:231-252,1998
</div>
<div class="list-subjects">
<span class="descriptor">Subjects:</span> <span class="primary-subject">High Energy Physics - Theory (hep-th)</span>
</div>
</div>
</dd>
</dl></div></body></html>
"""


@pytest.fixture(scope="module")
def search_page(shared_data):
    return extract_file(shared_data / "arxiv-listing" / "arxiv.html")


def test_real_search_page_reads_every_result(search_page):
    records = search_page.records
    assert search_page.format == "arxiv-listing-html" and len(records) == 200
    assert all(r.title and r.abstract and r.authors and r.ids.get("arxiv") for r in records)
    # SOURCE.md counts: 112 results with comments, 7 with a journal reference, 9 with a DOI.
    assert sum("comments" in r.extra for r in records) == 112
    assert sum(r.venue is not None for r in records) == 7
    assert sum("doi" in r.ids for r in records) == 9


def test_real_search_page_fields(search_page):
    first, second = search_page.records[:2]
    assert first.title == "The role of the top Yukawa coupling in triple Higgs production at the LHC"
    assert [a.name for a in first.authors] == ["Luca Panizzi"]
    assert first.ids == {"arxiv": "2512.03003"} and first.categories == ("hep-ph",)
    assert first.date == "2025-12-02" and first.source.line == 309
    assert first.extra["comments"] == "6 pages, 4 figures, 1 table"
    # The full abstract, not the shortened one, and without the "More"/"Less" switches.
    assert first.abstract.startswith("In this letter I quantify the effects of varying the top Yukawa coupling")
    assert first.abstract.endswith("and other global observables.")
    assert [a.name for a in second.authors] == ["Yi-Cheng Wang", "Ehud Altman", "Samuel J. Garratt"]
    assert second.categories == ("quant-ph", "cond-mat.stat-mech")
    review = next(r for r in search_page.records if r.ids["arxiv"] == "2512.02894")
    assert review.venue == "Physica B: Condensed Matter, 417533 (2025)"
    assert review.ids["doi"] == "10.1016/j.physb.2025.417533"


def test_search_result_dated_by_its_first_version(search_page):
    # "Submitted 11 December, 2025; v1 submitted 8 December, 2025": the paper is of the 8th.
    revised = next(r for r in search_page.records if r.ids["arxiv"] == "2512.07321")
    assert revised.date == "2025-12-08" and not revised.date_inferred and revised.source.line == 4482
    assert all(r.date and r.date.startswith(("2025-11-", "2025-12-")) for r in search_page.records)


def test_list_page_new_markup():
    result = extract_text(NEW_MARKUP, source="new.html")
    assert result.format == "arxiv-listing-html"
    attention, universal = result.records
    assert attention.title == "Attention Is All You Need"
    assert [a.name for a in attention.authors] == ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"]
    assert attention.categories == ("cs.CL", "cs.LG") and attention.ids == {"arxiv": "1706.03762"}
    assert attention.date == "2017-06" and not attention.date_inferred
    assert attention.abstract == "A fixture abstract for the first entry."
    assert attention.extra["comments"] == "15 pages, 5 figures" and attention.source.line == 6
    assert universal.venue == "ICLR 2019" and universal.categories == ("cs.LG", "cs.CL", "stat.ML")
    assert [(a.name, a.affiliations) for a in universal.authors] == [
        ("Mostafa Dehghani", ("University of Amsterdam",)),
        ("Stephan Gouws", ()),
        ("Łukasz Kaiser", ()),
    ]
    assert universal.abstract is None and universal.date == "2018-07"
    assert arxiv_listing_html.DATE_NOTE in result.notes


def test_list_page_old_markup_and_old_ids():
    [record] = extract_text(OLD_MARKUP, source="recent.html").records
    assert record.title == "The Large N Limit of Superconformal Field Theories and Supergravity"
    assert [a.name for a in record.authors] == ["Juan M. Maldacena"]
    assert record.ids == {"arxiv": "hep-th/9711200"} and record.date == "1997-11"
    assert record.venue == "Adv.Theor.Math.Phys.2:231-252,1998" and record.categories == ("hep-th",)


def test_listing_detected_before_generic_html():
    for page in (NEW_MARKUP, OLD_MARKUP):
        extractor, score = detect_format(page)
        assert extractor.name == "arxiv-listing-html" and score >= 0.3
    assert arxiv_listing_html.detect("<html><body><dl><dt>Term</dt><dd>Meaning</dd></dl></body></html>") == 0.0
    assert arxiv_listing_html.detect("arXiv:1706.03762 Title: Attention Is All You Need") == 0.0


def test_entries_without_title_are_no_papers():
    empty = NEW_MARKUP.replace("Attention Is All You Need", "").replace("Universal Transformers", "")
    empty = empty.replace("A fixture abstract for the first entry.", "")
    with pytest.raises(InputError, match="no arXiv entry"):
        extract_text(empty, source="empty.html", format="arxiv-listing-html")


def test_real_recent_page_reads_every_entry():
    result = extract_file(RECENT)
    assert result.format == "arxiv-listing-html"
    assert [r.ids["arxiv"] for r in result.records] == [
        "2411.14419", "2411.14273", "2411.14225", "2411.14399", "2411.13551", "2411.13387", "2411.13521",
    ]  # fmt: skip
    first = result.records[0]
    assert first.title == (
        "Combining summary statistics with simulation-based inference for the 21 cm signal"
        " from the Epoch of Reionization"
    )
    assert [a.name for a in first.authors] == ["Benoit Semelin", "Romain Mériot", "Ashutosh Mishra", "David Cornu"]
    assert first.categories == ("astro-ph.CO",) and first.extra["comments"] == "11 pages, submitted to A&A"
    assert first.date == "2024-11" and first.abstract is None and first.source.line == 92
    assert arxiv_listing_html.DATE_NOTE in result.notes


def test_real_recent_page_sections_cross_lists_and_journal_refs():
    records = {r.ids["arxiv"]: r for r in extract_file(RECENT).records}
    # Each day is its own <dl id="articles"> under "Fri, 22 Nov 2024 (showing 75 of 75 entries )".
    assert [records[i].extra["listing_date"] for i in ("2411.14419", "2411.14399", "2411.13551", "2411.13521")] == [
        "2024-11-22", "2024-11-22", "2024-11-21", "2024-11-21",
    ]  # fmt: skip
    discotex = records["2411.14399"]  # "(cross-list from math.NA)"
    assert discotex.extra["cross_list"] is True and discotex.categories == (
        "math.NA",
        "astro-ph.IM",
        "gr-qc",
        "math-ph",
    )
    assert [a.name for a in discotex.authors] == ["Lidia J. Gomes Da Silva"]
    assert "cross_list" not in records["2411.14419"].extra
    picaso = records["2411.14225"]
    assert picaso.venue == "Astrophysical Journal, 976, 181 (2024)" and len(picaso.authors) == 7
    assert records["2411.13387"].venue == "PoS(ARENA2024)035"
    assert [a.name for a in records["2411.13521"].authors][1] == "Alberto García Martín-Caro"


def test_real_page_typeset_by_mathjax_keeps_the_tex():
    # The saved page holds each formula twice: MathJax's spans and <script type="math/tex">.
    text = RECENT.read_text(encoding="utf-8")
    records, _ = arxiv_listing_html.extract(text, "recent.html", ExtractOptions())
    rx, survey = records[1], records[4]
    assert rx.title == "Examining the evolution of the Supersoft X-ray Source RX J$0513.9-6951$"
    assert (
        survey.title == "A Survey of H I and O VI Absorption Lines in the Outskirts of $z\\lesssim0.3$ Galaxy Clusters"
    )
    # Read as a file the TeX is then decoded once, as for every reader.
    decoded = extract_file(RECENT).records
    assert decoded[1].title == "Examining the evolution of the Supersoft X-ray Source RX J0513.9-6951"
    assert decoded[4].title.endswith("Outskirts of z≲0.3 Galaxy Clusters")


def test_new_page_sections_mark_cross_lists_and_replacements():
    page = NEW_MARKUP.replace(
        "<h3>New submissions (showing 2 of 2 entries)</h3>",
        "<h3>Showing new listings for Friday, 22 November 2024</h3><h3>New submissions (showing 1 of 1 entries)</h3>",
    ).replace("(cross-list from cs.LG)", "(replaced)")
    attention, universal = extract_text(page, source="new.html").records
    assert attention.extra["listing_date"] == "2024-11-22" and "replaced" not in attention.extra
    assert universal.extra["replaced"] is True and universal.extra["listing_date"] == "2024-11-22"
