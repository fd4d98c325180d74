"""Field fidelity kept centrally, whatever reader made a record: DOIs normalised once, mojibake repaired."""

from __future__ import annotations

import json

import ftfy  # noqa: F401  (kg repairs mojibake with ftfy: this file fails loudly where it is missing)
import pytest

from kg.extract import extract_file, extract_text
from kg.records import AuthorRef, Record
from kg.resolve.keys import normalise_doi
from kg.text import repair_text


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("10.1103/PhysRevD.93.016005,", "10.1103/physrevd.93.016005"),
        ("https://doi.org/10.1000/ABC", "10.1000/abc"),
        ("http://dx.doi.org/10.1000%2Fabc", "10.1000/abc"),
        ("doi: 10.1000/abc.", "10.1000/abc"),
        (" 10.1000/abc; ", "10.1000/abc"),
        ("10.1000/abc)", "10.1000/abc"),
        ("10.1016/0370-2693(95)00001-I", "10.1016/0370-2693(95)00001-i"),  # a balanced ")" is the DOI's
        (
            "10.1002/(SICI)1097-4636(199706)35:4<1::AID>3.0.CO;2-H",
            "10.1002/(sici)1097-4636(199706)35:4<1::aid>3.0.co;2-h",
        ),
        ("10.1103/PhysRevD.93.016005, 10.1103/PhysRevD.98.079901", "10.1103/physrevd.93.016005"),
    ],
)
def test_dois_are_normalised_in_every_record(raw, kept):
    assert normalise_doi(raw) == kept
    assert Record(title="T", ids={"doi": raw, "arxiv": "1601.03238"}).ids == {"doi": kept, "arxiv": "1601.03238"}


def test_a_blank_doi_is_dropped_and_cited_dois_are_normalised():
    assert Record(title="T", ids={"doi": "  ", "pmid": "1"}).ids == {"pmid": "1"}
    assert Record(title="T", ids={"doi": " . "}).ids == {"doi": "."}  # no DOI to shorten: kept as it came
    references = [{"doi": "https://doi.org/10.1/X.", "year": "2001"}, {"text": "x"}]
    record = Record(title="T", extra={"references": references})
    assert record.extra["references"] == [{"doi": "10.1/x", "year": "2001"}, {"text": "x"}]


def test_oai_doi_keeps_no_trailing_comma(shared_data):
    path = shared_data / "hepcrawl-arxiv-oai-crossref-pos" / "arxiv-oai" / "sample_arxiv_record0.xml"
    (record,) = extract_file(path).records
    assert record.ids == {"arxiv": "1601.03238", "doi": "10.1103/physrevd.93.016005"}


CORRECT = [
    "José Núñez", "Łukasz Kaiser", "Çağlar Gülçehre", "Björk Guðmundsdóttir", "Ångström", "İstanbul",
    "深度学习的研究", "Трансформеры", "∀x ∈ ℝ, α ≤ β — “quoted” naïve", "ＡＢＣ full width", "ﬁne ligature",
    "±2 °C, 5 µm, © 2020", "café–bar", "Müller’s model", "Tor Lattimore: « bandits »",
]  # fmt: skip


@pytest.mark.parametrize("text", CORRECT)
def test_correct_text_is_never_changed(text):
    assert repair_text(text) == (text, False)


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("Aurora Ram\u00c3\u00adrez", "Aurora Ramírez"),
        ("JosÃ© RaÃºl Romero", "José Raúl Romero"),
        ("Oliver WeiÃ\u009fl", "Oliver Weißl"),
        ("Robinsonâ€™s nonstandard analysis", "Robinson’s nonstandard analysis"),
        ("error at most $Î±$", "error at most $α$"),
        ("Ð¡ÐµÑ€Ð³ÐµÐ¹", "Сергей"),
    ],
)
def test_mojibake_is_repaired(broken, fixed):
    assert repair_text(broken) == (fixed, True)


def test_extraction_repairs_mojibake_and_says_so():
    rows = [
        {"title": "Ãœber Tests", "authors": ["JosÃ© NÃºÃ±ez", "Ann Lee"], "abstract": "Plain text."},
        {"title": "Correct: José Núñez, 深度学习", "authors": ["Łukasz Kaiser"]},
    ]
    result = extract_text(json.dumps(rows), source="rows.json", format="records")
    first, second = result.records
    assert first.title == "Über Tests" and [a.name for a in first.authors] == ["José Núñez", "Ann Lee"]
    assert second.title == "Correct: José Núñez, 深度学习" and second.authors == (AuthorRef("Łukasz Kaiser"),)
    assert "repaired mojibake (UTF-8 read as another encoding) in 2 field(s)" in result.notes


def test_nothing_to_repair_gives_no_note():
    rows = [{"title": "Correct: José Núñez", "authors": ["Łukasz Kaiser"]}]
    assert not any("mojibake" in n for n in extract_text(json.dumps(rows), format="records").notes)


def test_real_arxiv_response_names_repaired(shared_data):
    result = extract_file(shared_data / "arxiv-api-atom" / "q_testing_s0_m100_cfe7536492ca.json")
    assert "repaired mojibake (UTF-8 read as another encoding) in 24 field(s)" in result.notes
    paper = next(r for r in result.records if r.title.startswith("Towards Explainable Test Case Prioritisation"))
    assert [a.name for a in paper.authors] == ["Aurora Ramírez", "Mario Berrios", "José Raúl Romero", "Robert Feldt"]
    assert not any("Ã" in a.name for r in result.records for a in r.authors)
