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


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        # LaTeX math as arXiv and the conference lists write it; Unicode scripts where each character has one.
        ("$\\ell_1$-regression with Heavy-tailed Distributions", "ℓ₁-regression with Heavy-tailed Distributions"),
        ("First-Order Algorithms Converge Faster than $O(1/k)$", "First-Order Algorithms Converge Faster than O(1/k)"),
        ("Enhanced $$A_{\\infty }$$-obstruction theory", "Enhanced A_∞-obstruction theory"),
        ("Minimal topologies and $L_{p}$-spaces", "Minimal topologies and Lₚ-spaces"),
        ('Schr\\"odinger operators', "Schrödinger operators"),
        ("we propose \\texttt{A}daptive \\texttt{M}C testing", "we propose Adaptive MC testing"),
        ("When is the {I}sbell topology a group topology?", "When is the Isbell topology a group topology?"),
        # HTML, JATS and MathML as Crossref, OpenAlex, CSL-JSON and Lens carry them.
        ("Approach to <italic>ab initio</italic> Protein", "Approach to ab initio Protein"),
        ("<title>Sequence learning with recurrent networks</title>", "Sequence learning with recurrent networks"),
        ("ff. 142<sup>c</sup>-164<sup>b</sup>", "ff. 142ᶜ-164ᵇ"),
        ("IP&amp;C - SMAS &ndash; a mobility aid", "IP&C - SMAS – a mobility aid"),
        (
            "Enhanced <mml:math xmlns:mml='http://www.w3.org/1998/Math/MathML'><mml:msub><mml:mi>A</mml:mi>"
            "<mml:mi>∞</mml:mi></mml:msub></mml:math>-obstruction theory",
            "Enhanced A_∞-obstruction theory",
        ),
        (
            '<AbstractText Label="PURPOSE" NlmCategory="UNASSIGNED">We review.</AbstractText>',
            "PURPOSE: We review.",
        ),
        # Not markup: kept as written.
        ("Redshifts 0.3<z<0.95 in clusters", "Redshifts 0.3<z<0.95 in clusters"),
        ("A $5 laptop and a $10 phone", "A $5 laptop and a $10 phone"),
        ("Linear topologies on $\\Z$ are not Mackey", "Linear topologies on $\\Z$ are not Mackey"),
    ],
)
def test_markup_in_titles_is_decoded(raw, plain):
    assert extract_text(json.dumps([{"title": raw}]), format="records").records[0].title == plain


def test_abstracts_lose_tags_and_entities_but_keep_their_tex():
    raw = "<jats:p>We gain up to $1.96$ BLEU &amp; call it ReST$^{EM}$ (p&lt;0.05).</jats:p>"
    record = extract_text(json.dumps([{"title": "T", "abstract": raw}]), format="records").records[0]
    assert record.abstract == "We gain up to $1.96$ BLEU & call it ReST$^{EM}$ (p<0.05)."


def test_two_printings_of_a_formula_title_share_one_key():
    from kg.resolve.keys import paper_keys

    rows = [
        {"title": "Capture of CO<sub>2</sub> in <i>ab initio</i> models"},
        {"title": "Capture of $CO_2$ in ab initio models"},
        {"title": "Capture of CO2 in ab initio models"},
    ]
    keys = {paper_keys(r)["title"] for r in extract_text(json.dumps(rows), format="records").records}
    assert keys == {"capture of co2 in ab initio models"}


def test_real_exports_lose_their_markup(shared_data):
    titles = {r.title for r in extract_file(shared_data / "csl-json" / "bibliography.json").records}
    assert "A Deep Learning Network Approach to ab initio Protein Secondary Structure Prediction" in titles
    assert "Sequence learning with recurrent networks: analysis of internal representations" in titles
    lens = [r.title for r in extract_file(shared_data / "lens-csv" / "lens-export.csv").records]
    assert "IP&C - SMAS - Stereovision Mobility Aid System for People with a Vision Impairment" in lens
    nips = [r.title for r in extract_file(shared_data / "papercopilot-paperlists" / "nips2018.json").records]
    assert "ℓ₁-regression with Heavy-tailed Distributions" in nips
    assert not [t for t in nips if "$\\" in t]


def test_impossible_dates_are_dropped_with_a_note():
    rows = [{"title": t, "date": d} for t, d in (("T", "2020-13-45"), ("U", "2021-02-30"), ("V", "2024-02-29"))]
    result = extract_text("\n".join(json.dumps(r) for r in rows), format="records")
    assert [r.date for r in result.records] == [None, None, "2024-02-29"]
    assert "dropped 2 impossible date(s): '2020-13-45' (line 1), '2021-02-30' (line 2)" in result.notes
