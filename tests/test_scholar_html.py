"""Google Scholar pages saved as HTML: the two real result pages in ../shared/data and fixtures written here."""

from __future__ import annotations

import pytest

from kg.errors import KgError
from kg.extract import extract_file, extract_text
from kg.extractors import detect_format

# A profile page as Scholar serves it (citations?user=...), trimmed to two rows; the facts are real.
PROFILE = """<!doctype html><html><head><title>Albert Einstein - Google Scholar</title></head><body>
<div id="gsc_prf_in">Albert Einstein</div>
<table id="gsc_a_t"><tbody id="gsc_a_b">
<tr class="gsc_a_tr"><td class="gsc_a_t">
<a href="/citations?view_op=view_citation&amp;user=qc6CJjYAAAAJ&amp;citation_for_view=qc6CJjYAAAAJ:u5HHmVD_uO8C"
 class="gsc_a_at">Can quantum-mechanical description of physical reality be considered complete?</a>
<div class="gs_gray">A Einstein, B Podolsky, N Rosen</div>
<div class="gs_gray">Physical review 47 (10), 777<span class="gs_oph">, 1935</span></div>
</td>
<td class="gsc_a_c"><a href="https://scholar.google.com/scholar?oi=bibs&amp;hl=en&amp;cites=8174092782678430881"
 class="gsc_a_ac gs_ibl">25088</a>
</td>
<td class="gsc_a_y"><span class="gsc_a_h gsc_a_hc gs_ibl">1935</span></td>
</tr>
<tr class="gsc_a_tr"><td class="gsc_a_t">
<a href="javascript:void(0)"
 data-href="/citations?view_op=view_citation&amp;user=qc6CJjYAAAAJ&amp;citation_for_view=qc6CJjYAAAAJ:d1gkVwhDpl0C"
 class="gsc_a_at">The foundation of the general theory of relativity</a>
<div class="gs_gray">A Einstein, ...</div>
<div class="gs_gray">Annalen der Physik 49 (7), 769-822</div>
</td>
<td class="gsc_a_c"><a class="gsc_a_ac gs_ibl"></a>
</td>
<td class="gsc_a_y"><span class="gsc_a_h gsc_a_hc gs_ibl">1916</span></td>
</tr>
</tbody></table></body></html>"""

# A results fragment copied out of a page (no <html>): the ellipsis glued to the last name, no title link.
FRAGMENT = """<div class="gs_r gs_or gs_scl" data-cid="uuhZWsLJT48J"><div class="gs_ri">
<h3 class="gs_rt"><span class="gs_ctc"><span class="gs_ct1">[BOOK]</span>
<span class="gs_ct2">[B]</span></span> The quantum Hall effect</h3>
<div class="gs_a">ME Cage, K Klitzing, M Haldane…&nbsp;- 2012 - books.google.com</div>
<div class="gs_fl"><a href="/scholar?cites=10344187061034411962&amp;hl=en">Cited by 2046</a></div></div></div>"""


def test_results_pages_are_read_with_every_result(shared_data):
    folder = shared_data / "google-scholar-html"
    results = extract_file(folder / "quantum_theory.html")
    assert results.format == "scholar-html" and len(results.records) == 10
    aharonov = results.records[2]
    assert aharonov.title == "Significance of electromagnetic potentials in the quantum theory"
    assert [a.name for a in aharonov.authors] == ["Y Aharonov", "D Bohm"]
    assert aharonov.venue == "Physical Review" and aharonov.date == "1959"
    assert aharonov.extra["cited_by"] == 6961 and aharonov.ids["scholar"] == "5545735591029960915"
    kittel = results.records[1]  # a [CITATION] entry: no link in its title
    assert kittel.title == "Quantum theory of solids" and kittel.extra["document_type"] == "citation"
    assert "url" not in kittel.ids and kittel.extra["scholar_source"] == "Wiley New York"
    citing = extract_file(folder / "quantum_theory_citations.html").records
    assert len(citing) == 10
    hall = next(r for r in citing if r.title == "The quantum Hall effect")
    assert [a.name for a in hall.authors] == ["ME Cage", "K Klitzing", "AM Chang", "F Duncan", "M Haldane"]
    assert hall.authors_truncated and hall.extra["document_type"] == "book" and hall.date == "2012"


def test_profile_page_rows():
    result = extract_text(PROFILE, source="profile.html")
    assert result.format == "scholar-html" and len(result.records) == 2
    epr, gr = result.records
    assert epr.title.startswith("Can quantum-mechanical description")
    assert [a.name for a in epr.authors] == ["A Einstein", "B Podolsky", "N Rosen"] and not epr.authors_truncated
    assert epr.venue == "Physical review 47 (10), 777" and epr.date == "1935"
    assert epr.extra["cited_by"] == 25088 and epr.ids == {"scholar": "8174092782678430881"}
    assert epr.extra["scholar_profile"] == "Albert Einstein"
    assert gr.extra["scholar_citation_id"] == "qc6CJjYAAAAJ:d1gkVwhDpl0C" and "cited_by" not in gr.extra
    assert [a.name for a in gr.authors] == ["A Einstein"] and gr.authors_truncated


def test_fragment_without_html_and_glued_ellipsis():
    detected = detect_format(FRAGMENT)
    assert detected is not None and detected[0].name == "scholar-html"
    [record] = extract_text(FRAGMENT, source="frag.html").records
    assert [a.name for a in record.authors] == ["ME Cage", "K Klitzing", "M Haldane"] and record.authors_truncated
    assert record.venue is None and record.date == "2012" and record.extra["scholar_source"] == "books.google.com"
    assert record.extra["scholar_result_id"] == "uuhZWsLJT48J" and record.source.line == 1


def test_a_scholar_page_without_results_fails_with_a_reason():
    page = '<html><body><div class="gs_ri"><div class="gs_a">nothing</div></div></body></html>'
    with pytest.raises(KgError, match="Google Scholar results page with no titled entry"):
        extract_text(page, source="empty.html")
