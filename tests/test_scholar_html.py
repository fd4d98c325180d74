"""Google Scholar pages saved as HTML: real result pages in ../shared/data, real profile pages in fixtures/real."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

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


# Real profile pages (tests/fixtures/real/scholar-html, see SOURCE.md there): trimmed to a few rows, facts as saved.
REAL = FIXTURES / "real" / "scholar-html"


def test_real_profile_page_2024_rows_owner_and_the_rows_not_saved():
    text = (REAL / "white_profile_2024.html").read_text(encoding="utf-8")
    detected = detect_format(text)
    assert detected is not None and detected[0].name == "scholar-html"
    result = extract_file(REAL / "white_profile_2024.html")
    assert result.format == "scholar-html" and len(result.records) == 5
    horde, glue, hearts, scaling, bakeoffs = result.records
    assert horde.title.startswith("Horde: A scalable real-time architecture")
    assert [a.name for a in horde.authors] == [
        "RS Sutton", "J Modayil", "M Delp", "T Degris", "PM Pilarski", "A White", "D Precup"
    ]  # fmt: skip
    assert horde.venue == "The 10th International Conference on Autonomous Agents and Multiagent …"
    assert horde.date == "2011" and horde.ids == {"scholar": "7498513689227638110"} and horde.extra["cited_by"] == 598
    assert horde.extra["scholar_profile"] == "Adam White" and horde.extra["scholar_user"] == "1GqGhcsAAAAJ"
    assert horde.extra["scholar_citation_id"] == "1GqGhcsAAAAJ:SeFeTyx0c_EC"
    assert glue.venue == "The Journal of Machine Learning Research 10, 2133-2136" and glue.date == "2009"
    assert [a.name for a in hearts.authors] == ["NR Sturtevant", "AM White"] and not hearts.authors_truncated
    assert [a.name for a in scaling.authors] == ["RSS Adam White", "Joseph Modayil"]  # as Scholar prints it
    assert scaling.extra["cited_by"] == 32 and scaling.date == "2013"
    assert bakeoffs.authors_truncated and [a.name for a in bakeoffs.authors][-1] == "M Riedmiller"
    assert any("Articles 1–20" in note and "not in the file" in note for note in result.notes)


def test_real_profile_page_2014_layout_with_checkboxes_and_absolute_links():
    result = extract_file(REAL / "schreij_profile_2014.html")
    assert result.format == "scholar-html" and len(result.records) == 4
    visual, opensesame, thesis, chapter = result.records
    assert visual.title == "Visual memory performance for color depends on spatiotemporal context"
    assert [a.name for a in visual.authors] == ["CNL Olivers", "D Schreij"]
    assert visual.venue == "Attention, Perception, & Psychophysics 76 (7), 1873-1884" and visual.date == "2014"
    assert visual.ids == {"scholar": "7312419017567000784"} and visual.extra["cited_by"] == 1
    assert visual.extra["scholar_profile"] == "Daniël Schreij" and visual.extra["scholar_user"] == "Pm3O_58AAAAJ"
    assert opensesame.authors_truncated and len(opensesame.authors) == 5
    assert "cited_by" not in opensesame.extra and opensesame.ids == {}  # its count cell is "&nbsp;"
    assert [a.name for a in thesis.authors] == ["DBB Schreij"] and thesis.venue == "Amsterdam: Vrije Universiteit"
    assert chapter.title.startswith("3: Object-based attentional control") and chapter.date is None
    assert not any("Show more" in note for note in result.notes)  # the page held every article


def test_real_copied_profile_rows_keep_merged_clusters_apart():
    text = (REAL / "einstein_profile_rows.html").read_text(encoding="utf-8")
    assert not text.lstrip().startswith("<html") and detect_format(text)[0].name == "scholar-html"
    result = extract_file(REAL / "einstein_profile_rows.html")
    records = result.records
    assert len(records) == 9
    epr, brownian, light, zur, feld_1915, feld_undated, papers, elementar, manuscript = records
    assert [a.name for a in epr.authors] == ["A Einstein", "B Podolsky", "N Rosen"]
    assert epr.venue == "Physical Review 47 (10), 777" and epr.date == "1935" and epr.extra["cited_by"] == 20996
    # A count merging clusters names no single cluster as the article's id: the first one is shared with other rows.
    assert epr.ids == {} and epr.extra["scholar_clusters"] == [
        "8174092782678430881", "12190171275948905551", "16972834412862403915"
    ]  # fmt: skip
    assert brownian.extra["scholar_clusters"][0] == light.extra["scholar_clusters"][0] == "2921717725886405222"
    assert (
        light.extra["scholar_cited_by_also_in"] == brownian.extra["scholar_citation_id"] == "qc6CJjYAAAAJ:oqD4_j7ulsYC"
    )
    assert zur.title == "Zur Elektrodynamik bewegter Körper" and zur.venue is None and zur.date is None
    assert feld_1915.ids == feld_undated.ids == {"scholar": "8066420215978626200"}
    assert feld_1915.date == "1915" and feld_undated.date is None
    assert papers.authors_truncated and papers.date == "1995"
    assert elementar.title == "Über ein den Elementarprozeß der Lichtemission betreffendes Experiment"
    assert any("mojibake" in note for note in result.notes)
    assert "cited_by" not in manuscript.extra and "scholar_profile" not in manuscript.extra
    assert {r.extra["scholar_user"] for r in records} == {"qc6CJjYAAAAJ"}


# ---- the page's owner (kg issue 14): a profile names its owner on every row; other pages name none ----


def test_profile_pages_name_their_owner_and_results_pages_do_not(shared_data):
    for name, owner in (("white_profile_2024.html", "Adam White"), ("schreij_profile_2014.html", "Daniël Schreij")):
        records = extract_file(REAL / name).records
        assert records and {r.extra.get("page_owner") for r in records} == {owner}, name
        assert all("page_owner_orcid" not in r.extra for r in records)
    horde = extract_file(REAL / "white_profile_2024.html").records[0]
    assert [a.name for a in horde.authors][5] == "A White" and len(horde.authors) == 7  # printed list unchanged
    assert {r.extra.get("page_owner") for r in extract_text(PROFILE, source="p.html").records} == {"Albert Einstein"}
    # Copied rows carry no #gsc_prf_in header: the profile's owner is not named there.
    rows = extract_file(REAL / "einstein_profile_rows.html").records
    assert len(rows) == 9 and all("page_owner" not in r.extra for r in rows)
    # Results pages list many people's papers.
    for name in ("quantum_theory.html", "quantum_theory_citations.html"):
        results = extract_file(shared_data / "google-scholar-html" / name).records
        assert len(results) == 10 and all("page_owner" not in r.extra for r in results), name
