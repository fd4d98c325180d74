"""The guessing fallback for listing text in no known layout."""

from __future__ import annotations

import pytest

from kg.errors import UnknownFormatError
from kg.extract import extract_file, extract_text
from kg.extractors import listing_text

CV_STYLE = """Publications

Probabilistic Model-Agnostic Meta-Learning
Chelsea Finn, Kelvin Xu and Sergey Levine
NeurIPS 2018

Learning a Prior over Intent via Meta-Inverse Reinforcement Learning
Kelvin Xu, Ellis Ratner, Anca Dragan et al.
May 31, 2018
"""


def test_blocks_become_records():
    result = extract_text(CV_STYLE, source="cv.txt")
    assert result.format == "listing-text"
    first, second = result.records
    assert first.title == "Probabilistic Model-Agnostic Meta-Learning"
    assert [a.name for a in first.authors] == ["Chelsea Finn", "Kelvin Xu", "Sergey Levine"]
    assert first.date == "2018"
    assert second.authors_truncated and second.date == "2018-05-31"
    assert "guessed 2 paper(s)" in result.notes[0]


def test_prose_is_not_guessed_into_papers():
    with pytest.raises(UnknownFormatError):
        extract_text("Some prose.\n\nMore prose without names or dates.\n", source="essay.txt")


def test_forcing_a_format_that_finds_nothing():
    with pytest.raises(UnknownFormatError, match="no paper found when read as lab-page"):
        extract_text(CV_STYLE, source="cv.txt", format="lab-page")


# Every real export in a known data shape: forced through the fallback, none may give a record.
DATA_FOLDERS = [
    "wos-plaintext", "ris", "medline", "d2l-bibtex", "scopus-csv", "ieee-csv", "lens-csv", "springer-csv",
    "csl-json", "pubmed-xml", "orcid", "jstor-dfr", "zotero-rdf", "crossref-references", "openalex-references",
    "papercopilot-paperlists", "dblp-xml-sample", "arxiv-api-atom", "publications-html", "arxiv-listing",
]  # fmt: skip


@pytest.mark.parametrize("folder", DATA_FOLDERS)
def test_data_exports_are_never_guessed_into_papers(shared_data, folder):
    files = sorted(p for p in (shared_data / folder).rglob("*") if p.is_file() and p.name != "SOURCE.md")
    assert files, f"no sample in {folder}"
    for path in files:
        with pytest.raises(UnknownFormatError, match="in no known format"):
            extract_file(path, format="listing-text")


TAGGED = {
    "ris": "TY  - JOUR\nTI  - Deep Residual Learning\nAU  - He, Kaiming\nPY  - 2016\nER  - \n",
    "medline": "PMID- 30501481\nTI  - Ibrutinib Regimens versus Chemoimmunotherapy.\nFAU - Woyach, Jennifer A\n"
    "DP  - 2018 Dec 27\n",
    "wos": "FN Thomson Reuters Web of Science\nVR 1.0\nPT J\nAU Smith, J\n   Jones, K\nTI Deep learning\n"
    "   for all\nPY 2019\nER\n\nEF\n",
    "refer": "%0 Journal Article\n%T Deep Residual Learning\n%A Kaiming He\n%D 2016\n",
    "bibtex-fields": "title = {Deep Residual Learning},\nauthor = {He, Kaiming and Zhang, Xiangyu},\nyear = 2016,\n",
    "csv": '"Title","Authors","Year"\n"Deep Residual Learning","Kaiming He, Xiangyu Zhang","2016"\n',
    "tsv": "title\tauthor\tyear\tdoi\nDeep Residual Learning\tKaiming He\t2016\t10.1109/CVPR.2016.90\n",
    "json": '[\n  {\n    "title": "Deep Residual Learning",\n    "author": "Kaiming He",\n    "year": 2016\n  }\n]\n',
}


@pytest.mark.parametrize("name", sorted(TAGGED))
def test_tagged_text_gives_no_record(name):
    with pytest.raises(UnknownFormatError, match="in no known format"):
        extract_text(TAGGED[name], source=f"{name}.txt", format="listing-text")
    assert listing_text.detect(TAGGED[name]) == 0.0


def test_titles_that_look_like_tags_at_a_glance_are_still_titles():
    text = (
        "AI Safety via Debate\nGeoffrey Irving, Paul Christiano and Dario Amodei\n2018\n\n"
        "[Re] Warm-Starting Neural Network Training\nAnn Lee, Bo Chen\nMay 2, 2021\n"
    )
    first, second = extract_text(text, source="cv.txt").records
    assert first.title == "AI Safety via Debate" and first.date == "2018"
    assert second.title == "[Re] Warm-Starting Neural Network Training"
    assert [a.name for a in second.authors] == ["Ann Lee", "Bo Chen"]


def test_a_data_line_is_never_a_title():
    # A listing with one stray tagged block: the listing is read, the tagged block gives nothing.
    text = CV_STYLE + "\nPT J\nAU Smith, J\nPY 2019\n"
    titles = [r.title for r in extract_text(text, source="cv.txt").records]
    assert titles == ["Probabilistic Model-Agnostic Meta-Learning", "Learning a Prior over Intent via Meta-Inverse "
                      "Reinforcement Learning"]  # fmt: skip
