"""Publication-list pages from site generators: real bibtex2html pages in ../shared/data, other real pages here."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from kg.errors import KgError
from kg.extract import extract_file, extract_text
from kg.extractors import detect_format

# al-folio's bib layout (the page owner in <em>, an equal-contribution mark, two authors behind "more authors").
AL_FOLIO = """<!DOCTYPE html><html><body><h2 class="bibliography">1935</h2>
<ol class="bibliography"><li><div class="row">
  <div class="col-sm-2 abbr"><abbr class="badge">PhysRev</abbr></div>
  <div id="einstein1935epr" class="col-sm-8">
    <div class="title">Can Quantum-Mechanical Description of Physical Reality Be Considered Complete?</div>
    <div class="author"><em>Albert Einstein</em><sup>*</sup>, Boris Podolsky, and
      <span class="more-authors" title="click to view 2 more authors"
        onclick="var more_authors_text = element.text() == '2 more authors'
          ? 'Nathan Rosen, Ann Fixture' : '2 more authors';">2 more authors</span>
    </div>
    <div class="periodical"><em>Physical Review</em>, May 1935</div>
    <div class="links"><a href="https://doi.org/10.1103/PhysRev.47.777" class="btn btn-sm">DOI</a></div>
    <div class="abstract hidden"><p>Fixture abstract.</p></div>
  </div></div></li></ol></body></html>"""

# jekyll-scholar's default output: one APA citation per <span id="key">.
JEKYLL_SCHOLAR = """<html><body><h2 class="year">2017</h2><ol class="bibliography">
<li><span id="vaswani2017">Vaswani, A., Shazeer, N., &amp; Parmar, N. (2017). Attention is all you need.
 <i>Advances in Neural Information Processing Systems</i>, <i>30</i>.</span></li>
<li><span id="goodfellow2016">Goodfellow, I., Bengio, Y., &amp; Courville, A. (2016).
 <i>Deep learning</i>. MIT Press.</span></li>
</ol></body></html>"""

# Wowchemy / Hugo Academic publication list, "list" view.
WOWCHEMY = """<html><body>
<div class="view-list-item"><i class="far fa-file-alt pub-icon"></i>
  <a href="/publication/fixture/">A fixture paper on lists</a>
  <div class="article-metadata">
    <div><span class="author-highlighted"><a href="/author/ann-lee/">Ann Lee</a></span>, <span>Bo Chen</span></div>
    <span class="article-date">January, 2015</span><span class="middot-divider"></span>
    <span class="pub-publication"><em>Journal of Fixtures, 1(1)</em></span>
  </div></div></body></html>"""


def test_bibtex2html_pages_are_read_with_every_entry(shared_data):
    folder = shared_data / "publications-html"
    table = extract_file(folder / "publications.html")
    assert table.format == "publications-html" and len(table.records) == 181
    first = table.records[0]
    assert first.title == "A semantic-based community model for high-fidelity tuning of olfactory mixture distances"
    assert len(first.authors) == 37 and first.authors[3].name == "Pedro Ilídio"
    assert first.authors[23].name == "DREAM Olfactory Mixtures Prediction Consortium"
    assert first.venue == "Proceedings of the National Academy of Sciences" and first.date == "2026"
    assert first.ids == {"bibtex": "satarifard2026semantic"} and first.source.line == 24
    second = table.records[1]
    assert [a.name for a in second.authors] == ["Shane Kentopp", "Luke Francisco", "Megan Chen", "Ambuj Tewari",
                                                 "Ewa Czyz"]  # fmt: skip
    assert second.ids["doi"] == "10.1111/sltb.70124"
    dl = extract_file(folder / "papers.html")
    assert len(dl.records) == 183
    chain = dl.records[0]
    assert chain.title == (
        "OrderlessChain: A CRDT-based BFT coordination-free blockchain without global order of transactions"
    )
    assert [a.name for a in chain.authors] == ["Pezhman Nasirifard", "Ruben Mayer", "Hans-Arno Jacobsen"]
    assert chain.venue == "24th International Middleware Conference" and chain.date == "2023-12"
    assert chain.ids == {"bibtex": "Nasirifard2023orderlessChain", "doi": "10.1145/3590140.3629111"}
    assert chain.extra["keywords"] == ["security", "invariants", "systems"]
    almeida = dl.records[1]
    assert almeida.ids["arxiv"] == "2310.18220" and almeida.venue is None and almeida.date == "2023-10"
    assert dl.records[-1].title == "Real time group editors without operational transformation"


def test_al_folio_owner_markup_marks_and_hidden_authors():
    result = extract_text(AL_FOLIO, source="pubs.html")
    assert result.format == "publications-html"
    [record] = result.records
    assert record.title == "Can Quantum-Mechanical Description of Physical Reality Be Considered Complete?"
    assert [a.name for a in record.authors] == ["Albert Einstein", "Boris Podolsky", "Nathan Rosen", "Ann Fixture"]
    assert not record.authors_truncated and record.venue == "Physical Review" and record.date == "1935-05"
    assert record.ids == {"bibtex": "einstein1935epr", "doi": "10.1103/physrev.47.777"}
    assert record.abstract == "Fixture abstract."


def test_al_folio_hidden_authors_not_on_the_page_mark_the_list_cut():
    page = AL_FOLIO.replace("? 'Nathan Rosen, Ann Fixture' :", "")
    [record] = extract_text(page, source="pubs.html").records
    assert [a.name for a in record.authors] == ["Albert Einstein", "Boris Podolsky"] and record.authors_truncated


def test_jekyll_scholar_apa_entries():
    attention, book = extract_text(JEKYLL_SCHOLAR, source="pubs.html").records
    assert attention.title == "Attention is all you need"
    assert [(a.name, a.given, a.family) for a in attention.authors] == [
        ("Vaswani, A.", "A.", "Vaswani"),
        ("Shazeer, N.", "N.", "Shazeer"),
        ("Parmar, N.", "N.", "Parmar"),
    ]
    assert attention.venue == "Advances in Neural Information Processing Systems" and attention.date == "2017"
    assert attention.ids == {"bibtex": "vaswani2017"}
    assert book.title == "Deep learning" and book.venue is None and book.authors[2].family == "Courville"


def test_wowchemy_list_view():
    [record] = extract_text(WOWCHEMY, source="publication.html").records
    assert record.title == "A fixture paper on lists" and [a.name for a in record.authors] == ["Ann Lee", "Bo Chen"]
    assert record.date == "2015-01" and record.venue == "Journal of Fixtures, 1(1)"


def test_marker_without_entries_fails_with_a_reason():
    page = '<html><body><table><tr><td class="bibtexitem"> </td></tr></table></body></html>'
    with pytest.raises(KgError, match="no publication-list layout matched"):
        extract_text(page, source="pubs.html")


# Real pages built by the generators (tests/fixtures/real/publications-html, see SOURCE.md there).
REAL = FIXTURES / "real" / "publications-html"


def _read(name: str) -> list:
    path = REAL / name
    detected = detect_format(path.read_text(encoding="utf-8"))
    assert detected is not None and detected[0].name == "publications-html"
    result = extract_file(path)
    assert result.format == "publications-html"
    return result.records


def test_real_al_folio_2022_layout_drops_equal_contribution_markup():
    signing, daso, ksl, sideguide = _read("alfolio_ytaek_oh.html")
    assert signing.title == (
        "Signing Outside the Studio: Benchmarking Background Robustness for Continuous Sign Language Recognition"
    )
    assert signing.venue == "British Machine Vision Conference (BMVC)" and signing.date == "2022"
    assert signing.ids == {"bibtex": "jang2022signing"}
    assert daso.ids == {"bibtex": "oh2022daso", "arxiv": "2106.05682"}
    assert len(ksl.authors) == 9 and ksl.authors[7].name == "Han-Mu Park"  # a linked co-author
    # "<b>{</b>Kibaek Park, ... Kyungdon Joo<b>}*</b>, ... and In So Kweon<i> (*: equally contributed)</i>"
    assert [a.name for a in sideguide.authors] == [
        "Kibaek Park", "Youngtaek Oh", "Soomin Ham", "Kyungdon Joo", "Hyokyoung Kim", "Hyoyoung Kum", "In So Kweon"
    ]  # fmt: skip
    assert (
        sideguide.date == "2020"
        and sideguide.venue == "International Conference on Intelligent Robots and Systems (IROS)"
    )


def test_real_al_folio_2025_hidden_authors_go_back_where_the_toggle_stands():
    detecting, gap, patent = _read("alfolio_jinchaolove.html")
    names = [a.name for a in detecting.authors]
    assert len(names) == 17 and not detecting.authors_truncated
    assert names[:7] == ["Jinchao Li", "Yuejiao Wang", "Junan Li", "Jiawen Kang", "Bo Zheng", "Simon Wong", "Brian Mak"]
    assert names[-2:] == ["Patrick Wong", "Helen Meng"]  # the toggle stood before the last author
    assert detecting.venue == "JSTSP" and detecting.date == "2025"
    assert detecting.ids == {"bibtex": "li2025detecting", "doi": "10.1109/jstsp.2025.3622049"}
    assert detecting.abstract == "Abstract replaced for the fixture."
    assert [a.name for a in gap.authors] == ["Junan Li", "Jinchao Li", "Simon Wong", "Xixin Wu", "Helen Meng"]
    assert patent.venue == "Patent: CN110148422B" and patent.date == "2019"


def test_real_jekyll_scholar_al_folio_style_layout():
    memorization, proximal, book, icassp = _read("jekyll_scholar_sdbuch.html")
    assert [a.name for a in memorization.authors] == ["Sam Buchanan", "Druv Pai", "Yi Ma", "Valentin De Bortoli"]
    assert memorization.ids == {"bibtex": "Buchanan2025-dw", "arxiv": "2508.17689"}
    assert proximal.authors[1].name == "Mateo Díaz" and book.venue == "Online"
    assert icassp.ids["doi"] == "10.1109/icassp.2018.8461811" and icassp.date == "2018"
    assert [a.name for a in icassp.authors] == ["S Buchanan", "T Haque", "P Kinget", "J Wright"]


def test_real_jekyll_scholar_apa_entries_keep_the_in_clause_out_of_titles():
    wellings, doctoral, practice, ifm = _read("jekyll_scholar_apa_luckcuck.md")
    assert wellings.title == "Safety-critical Java level 2: motivations, example applications and issues"
    assert [(a.family, a.given) for a in wellings.authors] == [
        ("Wellings", "A."),
        ("Luckcuck", "M."),
        ("Cavalcanti", "A."),
    ]
    assert wellings.venue == (
        "Proceedings of the 11th International Workshop on Java Technologies for Real-time and Embedded Systems"
    )
    assert wellings.date == "2013" and wellings.ids == {"bibtex": "Wellings2013", "doi": "10.1145/2512989.2512991"}
    assert doctoral.title == "A Formal Model for the SCJ Level 2 Paradigm"
    assert doctoral.venue == "Doctoral Symposium of Formal Methods 2015"
    assert doctoral.extra["editors"] == ["Aichernig", "B. Alessandro"] and "doi" not in doctoral.ids
    assert practice.title == "Safety-Critical Java: level 2 in practice" and practice.date == "2017"
    assert practice.ids["doi"] == "10.1002/cpe.3951"  # printed as text, not linked
    assert ifm.title == "A Formal Model of the Safety-Critical Java Level 2 Paradigm" and ifm.date == "2016"


def test_real_hugo_blox_citation_view():
    mesurer, earthworms, leaf_types, thesis = _read("hugoblox_citation_marcon.html")
    assert [a.name for a in mesurer.authors] == ["Eric Marcon", "Mélaine Aubry-Kientz", "Alexandre Gaudin"]
    assert (
        mesurer.date == "2026" and mesurer.venue == "Statistique et société" and mesurer.ids == {"doi": "10.4000/15rj1"}
    )
    assert [(a.name, a.family, a.given) for a in earthworms.authors[:2]] == [
        ("Goulpeau, Arnaud", "Goulpeau", "Arnaud"), ("Hedde, Mickaël", "Hedde", "Mickaël")
    ]  # fmt: skip
    assert earthworms.date == "2025" and earthworms.venue == "Oecologia"
    assert len(leaf_types.authors) == 242 and "GFBI Consortium" in [a.name for a in leaf_types.authors]
    assert thesis.title == "Statistiques spatiales avec applications à l'écologie et à l'économie"
    assert thesis.venue is None and thesis.date == "2010"


def test_real_academic_4_citation_view_with_an_author_list():
    lad, ekc, ethane, fic = _read("academic_citation_reuvers.html")
    assert lad.title == "Inference on VAR Models using Least Absolute Deviations" and lad.date == "2019"
    assert [a.name for a in lad.authors] == ["Hanno Reuvers"] and lad.venue is None
    assert [a.name for a in ekc.authors] == ["Yicong Lin", "Hanno Reuvers"]
    assert len(ethane.authors) == 9 and ethane.authors[-1].name == "Emmanuel Mahieu"
    assert ethane.ids == {"arxiv": "1903.05403"}
    assert fic.date == "2018" and fic.venue == "Econometric Reviews"


def test_real_wowchemy_citation_view_venue_printed_without_emphasis():
    pseudomonas, prochlorococcus, amr = _read("wowchemy_citation_jravilab.html")
    assert pseudomonas.venue == "mSystems" and pseudomonas.date == "2026"
    assert pseudomonas.ids == {"doi": "10.1128/msystems.01362-25"} and len(pseudomonas.authors) == 6
    assert prochlorococcus.venue == "bioRxiv" and prochlorococcus.date == "2025"
    assert amr.title.startswith("amR: an R package suite") and amr.venue is None and len(amr.authors) == 8


def test_real_academia_stream_view_takes_the_year_from_its_wrapper():
    news, teamwork, motives = _read("academia_stream_brede.html")
    assert news.title == "4. What drives researchers to look up research publications they found in the news?"
    assert news.date == "2023" and news.ids == {"doi": "10.1515/9783110776546-004"}
    assert [a.name for a in news.authors] == ["Max Brede", "Athanasios Mazarakis", "Isabella Peters"]
    assert news.extra["summary"] == "Abstract replaced for the fixture."
    assert teamwork.title == "The rhythm of teamwork: Discovering a complex temporal pattern of team processes"
    assert motives.date is None  # its wrapper says year-0001: no date
