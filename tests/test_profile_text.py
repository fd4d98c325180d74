"""The profile-text extractor (an author's profile page copied as text)."""

from __future__ import annotations

import pytest

from kg.extract import extract_file, extract_text
from kg.extractors.profile_text import detect, find_author_start, split_title_authors


def test_fixture_records(fixtures):
    result = extract_file(fixtures / "profile_sample.txt")
    assert result.format == "profile-text"
    titles = [r.title for r in result.records]
    assert titles == [
        "Attention Is All You Need",
        "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding?",
        "Deep Learning for GANs",
        "ImageNet Classification with Deep Convolutional Neural Networks 2",
        "Learning, Planning and Acting with RLHF",
        "Theano: A Python framework",
    ]
    first = result.records[0]
    assert [a.name for a in first.authors] == ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"]
    assert first.authors_truncated is True
    assert first.orgs == ("google-brain", "google-research")
    assert first.date == "2017-06-12" and first.date_inferred is False
    assert first.categories == ("LG",) and first.has_code is True
    assert first.source.line == 1 and first.source.format == "profile-text"


def test_question_mark_title_and_four_authors_without_et_al(fixtures):
    bert = extract_file(fixtures / "profile_sample.txt").records[1]
    assert [a.name for a in bert.authors] == ["Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova"]
    assert bert.authors_truncated is False and bert.has_code is False and bert.orgs == ()


def test_dotted_category_and_unusual_later_names(fixtures):
    record = extract_file(fixtures / "profile_sample.txt").records[2]
    assert record.categories == ("stat.ML",)
    assert [a.name for a in record.authors] == ["Jean-Baptiste Alayrac", "Seán Ó hÉigeartaigh"]
    assert record.abstract is None


def test_multi_line_abstract_is_joined(fixtures):
    record = extract_file(fixtures / "profile_sample.txt").records[3]
    assert record.abstract == "Summary line one. Summary line two."
    assert [a.name for a in record.authors][-1] == "Geoffrey E. Hinton"


def test_title_commas_particles_and_mononyms(fixtures):
    record = extract_file(fixtures / "profile_sample.txt").records[4]
    assert record.categories == ("MA",) and record.date == "2020-05-03"
    assert [a.name for a in record.authors] == ["John McDonald", "Ludwig van Beethoven", "Mausam"]


def test_group_author_first(fixtures):
    record = extract_file(fixtures / "profile_sample.txt").records[5]
    assert [a.name for a in record.authors] == ["The Theano Development Team", "Rami Al-Rfou"]


@pytest.mark.parametrize(
    ("line", "title", "first"),
    [
        ("PaLM 2 Technical ReportRohan Anil, Andrew M. Dai", "PaLM 2 Technical Report", "Rohan Anil"),
        ("Agree 2+2=5?C. Daniel Freeman, Laura Culp", "Agree 2+2=5?", "C. Daniel Freeman"),
        ("Gemini 1.5: Context of millions of tokensGemini Team, Petko Georgiev", None, "Gemini Team"),
        ("Self-Training with MuJoCoJohn D. Co-Reyes, Avi Singh", "Self-Training with MuJoCo", "John D. Co-Reyes"),
    ],
)
def test_split_title_authors(line, title, first):
    got_title, names, truncated, orgs = split_title_authors(line)
    assert names[0] == first
    if title:
        assert got_title == title
    assert truncated is False and orgs == []


def test_no_author_list_keeps_whole_title():
    assert find_author_start("all lower case words only") is None
    assert split_title_authors("just a title") == ("just a title", [], False, [])


def test_detect_scores():
    assert detect("LGSep 25, 2023\nA TitleJohn Smith\nabstract") == 1.0
    assert detect("Nothing here\nat all") == 0.0


def test_header_without_title_line_is_kept_with_a_note():
    result = extract_text("LGSep 25, 2023\nCLSep 26, 2023\nA TitleJohn Smith\n", source="x")
    assert result.records[0].title is None
    assert any("no title line" in note for note in result.notes)
