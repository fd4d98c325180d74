"""BibTeX: the d2l bibliography, LaTeX decoding, and odd spaces in field names (Scopus exports)."""

from __future__ import annotations

import pytest

from kg.errors import UnknownFormatError
from kg.extract import extract_file, extract_text


def test_d2l_bibliography(shared_data):
    result = extract_file(shared_data / "d2l-bibtex" / "d2l.bib")
    assert result.format == "bibtex" and len(result.records) == 488 and result.notes == ()
    first = result.records[0]
    assert first.title == "TensorFlow: A system for large-scale machine learning"
    assert first.authors[0].name == "Martín Abadi" and len(first.authors) == 10 and first.authors_truncated
    assert first.date == "2016" and first.ids == {"bibtex": "Abadi.Barham.Chen.ea.2016"}
    assert first.venue == "12th USENIX Symposium on Operating Systems Design and Implementation (OSDI 16)"
    vit = next(r for r in result.records if r.ids["bibtex"] == "Dosovitskiy.Beyer.Kolesnikov.ea.2021*1")
    assert vit.title.startswith("An image is worth 16× 16 words")  # "$16\times 16$" decoded
    assert vit.source.line == 588


def test_latex_in_titles_and_names_is_decoded():
    text = (
        r"@article{k1, title={{\"U}ber den $\alpha$-Zerfall: \textit{ein} {B}ayes-Modell in $O(n^2)$},"
        r" author={M{\"u}ller, J{\"o}rg and Others}, year={2020}, month=mar, doi={https://doi.org/10.1000/ABC.}}"
    )
    (record,) = extract_text(text).records
    assert record.title == "Über den α-Zerfall: ein Bayes-Modell in O(n^2)"
    assert [a.name for a in record.authors] == ["Jörg Müller"] and record.authors_truncated
    assert record.date == "2020-03" and record.ids["doi"] == "10.1000/abc"


# A Scopus-style export: a no-break space in field names and in one entry's type, a zero-width space before one
# field name. bibtexparser would skip the entry whose type holds the space without a word.
SCOPUS_STYLE = (
    "@ARTICLE{Bernardelli2025,\n"
    "author\u00a0= {Bernardelli, Luan Vinicius and Plassa, Wander},\n"
    "title\u00a0= {Who is saving and how much?},\n"
    "year = {2025},\n"
    "funding_text\u00a01 = {Thanks.},\n"
    "source = {Scopus}\n"
    "}\n\n"
    "@ARTICLE\u00a0{Portugal2025,\n"
    "\u200btitle = {Challenges of sustainable maintenance in residential condominiums},\n"
    "author = {Portugal, Marco Antonio},\n"
    "year = {2025}\n"
    "}\n"
)


def test_odd_spaces_in_field_names_and_entry_types():
    result = extract_text(SCOPUS_STYLE, source="scopus.bib")
    first, second = result.records
    assert first.title == "Who is saving and how much?"
    assert [a.name for a in first.authors] == ["Luan Vinicius Bernardelli", "Wander Plassa"]
    assert second.title == "Challenges of sustainable maintenance in residential condominiums"
    assert [a.name for a in second.authors] == ["Marco Antonio Portugal"] and second.source.line == 9
    assert result.notes == ()


def test_entries_that_give_no_record_are_named():
    text = (
        "@article{good, title={A readable entry}, author={Lee, Ann}, year={2019}}\n\n"
        "@article{notitle, author={Chen, Bo}, year={2019}}\n\n"
        "@article{broken, title={An entry whose value never closes, year={2019}\n\n"
        "@article{good2, title={Another readable entry}, year={2021}}\n"
    )
    result = extract_text(text, source="mixed.bib")
    assert [r.ids["bibtex"] for r in result.records] == ["good", "good2"]
    assert result.notes[-1] == (
        "2 of 4 entries gave no record: broken (could not be parsed); notitle (no title or abstract)"
    )


def test_a_bibtex_file_of_untitled_entries_is_an_error():
    with pytest.raises(UnknownFormatError, match="no paper found when read as bibtex: 1 of 1 entries gave no record"):
        extract_text("@misc{k, author={Lee, Ann}, year={2019}}\n", source="x.bib")


BIBLATEX = r"""@inproceedings{gu2024mamba,
  author       = {Gu, Albert and Dao, Tri},
  title        = {\emph{Mamba}: Linear-Time Sequence Modeling with \texttt{Selective} State Spaces \cite{s4}},
  booktitle    = {First Conference on Language Modeling},
  date         = {2024-10-07/2024-10-09},
  eprint       = {2312.00752v2},
  eprinttype   = {arxiv},
  keywords     = {state space models; sequence modeling, state space models},
  langid       = {english},
}

@article{silver2017,
  author       = {Silver, David and {DeepMind Team} and others},
  title        = {Mastering the game of {Go} without human knowledge},
  journaltitle = {Nature},
  date         = {2017-10},
  doi          = {10.1038/nature24270},
  issn         = {0028-0836},
  eprint       = {29052630},
  eprinttype   = {pubmed},
}

@book{goodfellow2016,
  author       = {Goodfellow, Ian and Bengio, Yoshua and Courville, Aaron},
  title        = {Deep Learning},
  maintitle    = {Adaptive Computation and Machine Learning},
  date         = {2016},
  isbn         = {978-0-262-03561-3},
  eprint       = {1234.5678},
  archivePrefix = {arXiv},
}
"""


def test_biblatex_fields():
    result = extract_text(BIBLATEX, source="refs.bib")
    assert result.format == "bibtex" and result.notes == ()
    mamba, go, book = result.records
    assert mamba.title == "Mamba: Linear-Time Sequence Modeling with Selective State Spaces"
    assert mamba.date == "2024-10-07" and mamba.venue == "First Conference on Language Modeling"
    assert mamba.ids == {"bibtex": "gu2024mamba", "arxiv": "2312.00752v2"}
    assert mamba.extra["keywords"] == ["state space models", "sequence modeling"]
    assert mamba.extra["language"] == "english"
    assert [a.name for a in go.authors] == ["David Silver", "DeepMind Team"] and go.authors_truncated
    assert go.title == "Mastering the game of Go without human knowledge"
    assert (go.venue, go.date) == ("Nature", "2017-10")
    assert go.ids == {"bibtex": "silver2017", "doi": "10.1038/nature24270", "pmid": "29052630", "issn": "0028-0836"}
    assert book.venue == "Adaptive Computation and Machine Learning" and book.date == "2016"
    assert book.ids == {"bibtex": "goodfellow2016", "arxiv": "1234.5678", "isbn": "978-0-262-03561-3"}
