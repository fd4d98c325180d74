"""Scopus cited references (CSV "References", RIS "N1  - References:") split into the parts citations resolve by."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from kg.extract import extract_file
from kg.extractors.common.scopus_references import scopus_reference, split_line
from kg.resolve.citations import resolve_citations
from kg.resolve.papers import resolve_papers

REAL = FIXTURES / "real" / "scopus-references"


def _parts(text):
    return {key: value for key, value in scopus_reference(text).items() if key != "text"}


def test_old_layout_authors_title_year_source_volume_pages():
    text = (
        "Roberts, A.P., Heslop, D., Zhao, X., Pike, C.R., (2014) Rev. Geophys., 52, pp. 557-602. , "
        "https://doi.org/10.1002/2014RG000462;"
    )
    assert scopus_reference(text) == {
        "text": text.rstrip(";"),
        "first_author": "Roberts",
        "cited_author": "Roberts AP",
        "year": 2014,
        "venue": "Rev. Geophys.",
        "volume": "52",
        "page": "557",
        "doi": "10.1002/2014RG000462",
    }
    assert _parts("Lin, C.-H., O'Brien, L., Size-Tuned ZnO Nanocrucible Arrays (2015) ACS Nano, 9 (2), p. Q09003") == {
        "first_author": "Lin",
        "cited_author": "Lin CH",
        "year": 2015,
        "title": "Size-Tuned ZnO Nanocrucible Arrays",
        "venue": "ACS Nano",
        "volume": "9",
        "page": "Q09003",
    }
    # a generational suffix is no name; a month or ", ," ends the source
    assert _parts("Brown Jr., W.F., (1963) Micromagnetics, , Interscience Publisher, London, New York")["venue"] == (
        "Micromagnetics"
    )
    assert _parts("Rowles, J.L., III, Park, Y.-M., A study (2016) Med Sci Sports Exerc, 48 (9), p. 1688")["title"] == (
        "A study"
    )
    assert _parts("Sooriyakumaran, R., (2006) SEMATECH Litho Forum, May, , Vancouver, Canada")["venue"] == (
        "SEMATECH Litho Forum"
    )


def test_old_layout_leaves_out_what_it_cannot_tell():
    # an author list that does not end where the title seems to begin: no title, the first author kept
    garbled = _parts("Schulenburg, J., Graf von der, Claes, C., Greiner, W., Die deutsche version (1998) Z. Ges., 6")
    assert garbled["first_author"] == "Schulenburg" and "title" not in garbled and garbled["volume"] == "6"
    # a year followed by no source: only the year
    assert _parts("Jinbo, Y., Greaves, S., (2010), private communication") == {
        "first_author": "Jinbo",
        "cited_author": "Jinbo Y",
        "year": 2010,
    }
    # no author: the source is still told by the year before it; a title without authors is not
    assert _parts("(1993) Electron. Lett., 29, p. 1858") == {
        "year": 1993,
        "venue": "Electron. Lett.",
        "volume": "29",
        "page": "1858",
    }
    untitled = "Patterned media write designs (2000) IEEE Trans. Magn., 36 (2), pp. 521-527. , Mar"
    assert _parts(untitled) == {"year": 2000}
    assert _parts("J. M. Shaw, W. H. Rippard, J. Appl. Phys. 101, 023909 (2007)") == {"year": 2007}


def test_newer_layout_tells_title_and_source_apart_only_when_unambiguous():
    text = "Julliere M., Tunneling between ferromagnetic films, Physics Letters A, 54, 3, pp. 225-226, (1975)"
    assert _parts(text) == {
        "first_author": "Julliere",
        "cited_author": "Julliere M",
        "year": 1975,
        "title": "Tunneling between ferromagnetic films",
        "venue": "Physics Letters A",
        "volume": "54",
        "page": "225",
    }
    # no title: a volume follows the source, so the one part left is the source
    assert _parts("Xiao J., Et al., Phys. Rev. B, 73, (2006)")["venue"] == "Phys. Rev. B"
    # undotted initials: "Phys Rev B" reads like an author, but a volume needs a source
    undotted = _parts("Evans R F L, Chantrell R W, Phys Rev B, 100, (2012)")
    assert undotted["cited_author"] == "Evans RFL" and undotted["venue"] == "Phys Rev B"
    # one part and only a year: a book's or a preprint's title, or a source? Neither is guessed.
    book = _parts("Brown W.F., Micromagnetics, (1963)")
    assert book == {"first_author": "Brown", "cited_author": "Brown WF", "year": 1963}
    # a title with commas (or a source with one): three parts, no boundary known
    commas = _parts("Alouges F., A new scheme, Discrete Contin. Dyn. Syst., Ser. S, 1, 2, pp. 187-196, (2008)")
    assert "title" not in commas and "venue" not in commas and commas["volume"] == "1" and commas["page"] == "187"
    # an abbreviated source cut at its comma is no title
    assert "title" not in _parts("Sun S., J. Phys. Chem, B., 107, (2003)")
    assert _parts("Cuda Solver API") == {}
    assert _parts("Schoberl J., Netgen/NGSolve") == {"first_author": "Schoberl", "cited_author": "Schoberl J"}


def test_a_ris_line_holding_several_references_is_cut_where_one_begins():
    line = "G. F. Hughes, Patterned media, Intermag, 2002, GA6; White, R.L., New, R.M.H., Patterned (1997) IEEE, 33;"
    assert split_line(line) == [
        "G. F. Hughes, Patterned media, Intermag, 2002, GA6",
        "White, R.L., New, R.M.H., Patterned (1997) IEEE, 33",
    ]
    assert split_line("(2013), www.itrs.net, accessed 04.11.15; (2016), http://x.org, (accessed)") == [
        "(2013), www.itrs.net, accessed 04.11.15",
        "(2016), http://x.org, (accessed)",
    ]
    assert split_line("Wu, Z., (2000) Coding, pp. 11-12. , 1st ed.; Kluwer Academic: Norwell, MA, USA;") == [
        "Wu, Z., (2000) Coding, pp. 11-12. , 1st ed.; Kluwer Academic: Norwell, MA, USA"
    ]


def _resolved(path):
    records = extract_file(path).records
    papers, paper_of = resolve_papers(records)
    return records, resolve_citations(records, paper_of, len(papers))


def test_real_scopus_csv_references_resolve_to_papers_and_shared_works():
    records, result = _resolved(REAL / "scopus_2024.csv")
    assert [len(r.extra["references"]) for r in records] == [11, 6, 3, 6, 8]
    imex = records[0].extra["references"]
    assert imex[1] == {
        "text": "Akrivis G., Feischl M., Kovacs B., Lubich C., Higher-order linearly implicit full discretization of "
        "the Landau-Lifshitz-Gilbert equation, Math. Comput., 90, 329, pp. 995-1038, (2021)",
        "first_author": "Akrivis",
        "cited_author": "Akrivis G",
        "year": 2021,
        "title": "Higher-order linearly implicit full discretization of the Landau-Lifshitz-Gilbert equation",
        "venue": "Math. Comput.",
        "volume": "90",
        "page": "995",
    }
    assert sorted(imex[4]) == ["cited_author", "first_author", "text", "year"]  # "Brown W.F., Micromagnetics, (1963)"
    assert imex[9] == {"text": "NIST micromagnetic modeling activity group (μMAG) website"}
    # the CSV rows carry volume and pages (else the article number), so a reference finds the paper by
    # family|year|volume|page
    assert [(r.extra["volume"], r.extra["pages"]) for r in records[1:4]] == [
        ("90", "995-1038"),
        ("40", "2802-2838"),
        ("109", "024413"),
    ]
    corpus = sorted((c.citing, c.cited, c.rule) for c in result.citations if c.cited < result.paper_count)
    assert corpus == [(0, 1, "citation_key"), (0, 2, "citation_key"), (1, 2, "citation_key"), (3, 4, "title")]
    # Landau & Lifshitz 1935, printed by three records with and without middle initials: one work
    landau = next(w for w in result.cited_only if w.identity == "citation_key:landau|1935|8|153")
    assert sorted(record for record, _ in landau.mentions) == [0, 2, 3]
    assert landau.title == "On the theory of the dispersion of magnetic permeability in ferromagnetic bodies"
    # "Gilbert T.L., IEEE Trans. Magn., 40, (2004)" joins the titled printings by family|year|source
    gilbert = next(w for w in result.cited_only if w.identity == "citation_key:gilbert|2004|40|3443")
    assert sorted(record for record, _ in gilbert.mentions) == [0, 3, 4]


def test_real_scopus_ris_references_resolve_by_title_and_citation_key():
    records, result = _resolved(REAL / "scopus_2020.ris")
    viterbi = records[1].extra["references"]
    assert len(viterbi) == 9  # 8 lines, the first holding two references
    assert viterbi[0] == {
        "text": "G. F. Hughes, Patterned media recording systems - The potential and the problems, presented at the "
        "Intermag, 2002, Dig. Tech. Papers, GA6"
    }
    assert viterbi[1]["first_author"] == "White" and viterbi[1]["page"] == "990"
    assert viterbi[1]["title"] == "Patterned media: A viable rout to 50 Gbit/in2 and up for magnetic recording"
    # no reference carries a DOI: the two older papers are found by title
    corpus = sorted((c.citing, c.cited, c.rule) for c in result.citations if c.cited < result.paper_count)
    assert corpus == [(0, 2, "title"), (0, 3, "title"), (1, 2, "title"), (1, 3, "title"), (2, 3, "title")]
    # Wilton 2004, printed with "three-dimensional" by one record and "3-D" by another: one work
    wilton = next(w for w in result.cited_only if w.identity == "citation_key:wilton|2004|40|148")
    assert [record for record, _ in wilton.mentions] == [2, 3]


@pytest.mark.parametrize("name", ["scopus_2024.csv", "scopus_2020.ris"])
def test_every_real_reference_keeps_its_printed_text(name):
    records = extract_file(REAL / name).records
    for record in records:
        for reference in record.extra["references"]:
            assert reference["text"] and not reference["text"].endswith(";")
            assert set(reference) <= {"text", "first_author", "cited_author", "year", "title", "venue", "volume",
                                      "page", "doi"}  # fmt: skip
            assert "year" not in reference or isinstance(reference["year"], int)
