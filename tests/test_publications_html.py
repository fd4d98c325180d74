"""Publication-list pages from site generators: the two real bibtex2html pages in ../shared/data and fixtures here."""

from __future__ import annotations

import pytest

from kg.errors import KgError
from kg.extract import extract_file, extract_text

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
