"""arXiv's daily mailing, monthly listing and .abs metadata files: real samples and small fixtures.

The real samples (tests/fixtures/real/arxiv-mailing, see SOURCE.md) are arXiv's own files from
arXiv/arxiv-browse's test data and a subscriber's saved mailing; their abstracts are replaced.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from kg.errors import InputError
from kg.extract import extract_file, extract_text
from kg.extractors import arxiv_mailing, detect_format
from kg.extractors.base import ExtractOptions

# A daily cs digest: the mailing's header, a new submission, a cross-list with affiliations (named and
# numbered) and TeX in the author list, and a replacement (no abstract, no Date line). Abstracts are fixtures.
MAILING = """------------------------------------------------------------------------------
------------------------------------------------------------------------------
Send any comments regarding submissions directly to submitter.
------------------------------------------------------------------------------
Archives at http://arxiv.org/
To unsubscribe, e-mail To: cs@arXiv.org, Subject: cancel
------------------------------------------------------------------------------
 Submissions to:
Computation and Language
Machine Learning
 received from  Fri  9 Jun 17 18:00:00 GMT  to  Mon 12 Jun 17 18:00:00 GMT
------------------------------------------------------------------------------
------------------------------------------------------------------------------
\\\\
arXiv:1706.03762
Date: Mon, 12 Jun 2017 17:57:34 GMT   (1102kb,D)

Title: Attention Is All You Need
Authors: Ashish Vaswani, Noam Shazeer, Niki Parmar, Jakob Uszkoreit, Llion
  Jones, Aidan N. Gomez, Lukasz Kaiser, Illia Polosukhin
Categories: cs.CL cs.LG
Comments: 15 pages, 5 figures
\\\\
  A fixture abstract that goes on
over a second line.
\\\\ ( https://arxiv.org/abs/1706.03762 ,  1102kb)
------------------------------------------------------------------------------
\\\\
arXiv:1807.03819 (*cross-listing*)
Date: Tue, 10 Jul 2018 18:39:08 GMT   (1215kb,D)

Title: Universal Transformers
Authors: Mostafa Dehghani (University of Amsterdam), Stephan Gouws (1), Oriol
  Vinyals (1), Jakob Uszkoreit (2), {\\L}ukasz Kaiser (2) ((1) DeepMind, (2)
  Google Brain)
Categories: cs.CL cs.LG stat.ML
Journal-ref: ICLR 2019
DOI: 10.0000/fixture.1
\\\\
  Another fixture abstract with $\\alpha$ and 100\\% of it.
\\\\ ( https://arxiv.org/abs/1807.03819 ,  1215kb)
------------------------------------------------------------------------------
%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%--%%
------------------------------------------------------------------------------
\\\\
arXiv:1512.03385
replaced with revised version Sat, 10 Jun 2017 12:00:00 GMT   (494kb)

Title: Deep Residual Learning for Image Recognition
Authors: Kaiming He and Xiangyu Zhang and Shaoqing Ren and Jian Sun
Categories: cs.CV
Comments: Tech report
\\\\ ( https://arxiv.org/abs/1512.03385 ,  494kb)
------------------------------------------------------------------------------
%%%---%%%---%%%---%%%---%%%---%%%---%%%---%%%---%%%---%%%---%%%---%%%---%%%---
"""

# A .abs file of arXiv's bulk metadata (old-style id, "Paper:", a revised date, Report-no).
ABS = """------------------------------------------------------------------------------
\\\\
Paper: hep-th/9711200
From: Juan Maldacena <malda@example.org>
Date: Fri, 28 Nov 1997 05:28:09 GMT   (44kb)
Date (revised v2): Wed, 3 Dec 1997 00:43:18 GMT   (45kb)

Title: The Large N Limit of Superconformal Field Theories and Supergravity
Authors: Juan M. Maldacena
Comments: 20 pages, harvmac
Report-no: HUTP-97/A097
Journal-ref: Adv.Theor.Math.Phys.2:231-252,1998
\\\\
  A fixture abstract.
\\\\
"""


def test_mailing_reads_every_paper():
    result = extract_text(MAILING, source="digest.txt")
    assert result.format == "arxiv-mailing"
    attention, universal, _ = result.records
    assert attention.title == "Attention Is All You Need" and attention.source.line == 15
    assert [a.name for a in attention.authors] == [
        "Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit", "Llion Jones", "Aidan N. Gomez",
        "Lukasz Kaiser", "Illia Polosukhin",
    ]  # fmt: skip
    assert attention.date == "2017-06-12" and attention.categories == ("cs.CL", "cs.LG")
    assert attention.abstract == "A fixture abstract that goes on over a second line."
    assert attention.ids == {"arxiv": "1706.03762"} and attention.extra["comments"] == "15 pages, 5 figures"
    assert universal.ids == {"arxiv": "1807.03819", "doi": "10.0000/fixture.1"} and universal.venue == "ICLR 2019"
    assert universal.extra["cross_list"] is True and universal.date == "2018-07-10"
    assert universal.abstract == "Another fixture abstract with $\\alpha$ and 100% of it."


def test_affiliations_named_and_numbered():
    universal = extract_text(MAILING, source="digest.txt").records[1]
    assert [(a.name, a.affiliations) for a in universal.authors] == [
        ("Mostafa Dehghani", ("University of Amsterdam",)),
        ("Stephan Gouws", ("DeepMind",)),
        ("Oriol Vinyals", ("DeepMind",)),
        ("Jakob Uszkoreit", ("Google Brain",)),
        ("Łukasz Kaiser", ("Google Brain",)),
    ]


def test_replacement_is_dated_by_its_id():
    result = extract_text(MAILING, source="digest.txt")
    resnet = result.records[2]
    assert resnet.title == "Deep Residual Learning for Image Recognition" and resnet.abstract is None
    assert [a.name for a in resnet.authors] == ["Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun"]
    assert resnet.date == "2015-12" and resnet.extra["replaced"] is True  # not the replacement's 2017 date
    assert any("submission month of their arXiv id" in note for note in result.notes)


def test_abs_file():
    [record] = extract_text(ABS, source="9711200.abs").records
    assert record.title == "The Large N Limit of Superconformal Field Theories and Supergravity"
    assert [a.name for a in record.authors] == ["Juan M. Maldacena"]
    assert record.ids == {"arxiv": "hep-th/9711200"} and record.date == "1997-11-28"  # the first version's date
    assert record.venue == "Adv.Theor.Math.Phys.2:231-252,1998" and record.extra["report_no"] == "HUTP-97/A097"
    assert record.abstract == "A fixture abstract." and record.source.line == 3


def test_tex_accents_and_name_suffixes():
    text = (
        "\\\\\narXiv:2306.07429\nDate: Mon, 12 Jun 2023 21:15:25 GMT   (15219kb,D)\n\n"
        "Title: Explaining CLIP through Co-Creative Drawings and Interaction\n"
        "Authors: Varvara Guljajeva and Mar Canet Sol\\`a and Isaac Joseph Clarke, John Smith, Jr.\n"
        "Categories: cs.AI cs.CV cs.CY\n\\\\\n  Fixture.\n\\\\ ( https://arxiv.org/abs/2306.07429 ,  15219kb)\n"
    )
    [record] = extract_text(text, source="d.txt").records
    assert [a.name for a in record.authors] == [
        "Varvara Guljajeva", "Mar Canet Solà", "Isaac Joseph Clarke", "John Smith, Jr.",
    ]  # fmt: skip


def test_detected_over_the_fallbacks_and_only_on_mailings():
    for text in (MAILING, ABS):
        extractor, score = detect_format(text)
        assert extractor.name == "arxiv-mailing" and score >= 0.3
    prose = "Notes on arXiv:1706.03762\nTitle: my reading list\nAuthors: me\n"  # no id opens a line
    assert arxiv_mailing.detect(prose) == 0.0
    assert arxiv_mailing.detect("arXiv:1706.03762\nSome text without fields.\n") == 0.0


def test_papers_without_title_or_abstract_are_no_records():
    text = "\\\\\narXiv:1706.03762\nDate: Mon, 12 Jun 2017 17:57:34 GMT\nAuthors: Ann Lee\nCategories: cs.CL\n\\\\\n"
    records, notes = arxiv_mailing.extract(text, "x.txt", ExtractOptions())
    assert records == [] and "1 paper(s) with neither a title nor an abstract skipped (line(s) 2)" in notes
    with pytest.raises(InputError, match="no paper found"):
        extract_text(text, source="x.txt", format="arxiv-mailing")


REAL = FIXTURES / "real" / "arxiv-mailing"


def _people(record):
    return [(a.name, a.affiliations) for a in record.authors]


def test_real_daily_mailing_new_cross_lists_and_replacements():
    result = extract_file(REAL / "astro-ph-new-2023-03-03.txt")
    assert result.format == "arxiv-mailing"
    assert [r.ids["arxiv"] for r in result.records] == [
        "2303.00763", "2303.00766", "2303.00985", "2303.01004", "2303.00812", "2104.03145", "2206.06142", "2303.00370",
    ]  # fmt: skip
    census, obelisk = result.records[:2]
    assert census.title == "Census of Gaseous Satellites around Local Spiral Galaxies"
    assert [a.name for a in census.authors] == ["Jingyao Zhu", "Mary E Putman"]
    assert census.date == "2023-03-01" and census.categories == ("astro-ph.GA",) and census.source.line == 14
    assert census.abstract == "Abstract replaced for the fixture."
    assert obelisk.title == (
        "Black hole mergers as tracers of spinning massive black hole and galaxy populations in the Obelisk simulation"
    )
    assert [a.name for a in obelisk.authors][:2] == ["C. A. Dong-Páez", "M. Volonteri"] and len(obelisk.authors) == 8
    cross = result.records[4]
    assert cross.extra["cross_list"] is True and "replaced" not in cross.extra
    assert cross.categories == ("gr-qc", "astro-ph.EP", "astro-ph.IM", "physics.space-ph")


def test_real_replacements_have_no_abstract_and_are_dated_by_their_id():
    result = extract_file(REAL / "astro-ph-new-2023-03-03.txt")
    pbh, inflation, grb = result.records[5:]
    assert pbh.title == "Isotropic X-ray bound on Primordial Black Hole Dark Matter" and pbh.abstract is None
    assert pbh.date == "2021-04" and pbh.extra["replaced"] is True and pbh.extra["report_no"] == "LAPTH-014/21"
    assert pbh.venue == "Phys. Rev. D 103, 103025 (2021)" and pbh.ids["doi"] == "10.1103/physrevd.103.103025"
    assert inflation.extra["cross_list"] is True and inflation.extra["replaced"] is True and inflation.date == "2022-06"
    assert grb.date == "2023-03" and len(grb.authors) == 13 and grb.authors[-1].name == "Hongyu Zhao"
    assert "3 paper(s) without a Date line (replacements) are dated by the submission month of their arXiv id" in (
        result.notes
    )


def test_real_numbered_affiliations_and_remarks():
    records = extract_file(REAL / "astro-ph-new-2023-03-03.txt").records
    emi, cryo = records[2], records[3]
    # "Miki Kurihara (1 and 2), ..., Yoh Takei (5, on behalf of the XRISM Resolve team) ... ((1) University of
    # Tokyo, (2) JAXA ISAS, ...)": the remark is no affiliation, the legend wraps over lines.
    assert _people(emi)[0] == ("Miki Kurihara", ("University of Tokyo", "JAXA ISAS"))
    assert _people(emi)[8:] == [("Yoh Takei", ("JAXA",)), ("Yoichi Kochibe", ("Fujitsu Limited",))]
    # The legend shares its parentheses with "on behalf of the XRISM Resolve team, (1) Ehime U., ...".
    assert _people(cryo)[:2] == [("R. Imamura", ("Ehime U.",)), ("H. Awaki", ("Ehime U.",))]
    assert _people(cryo)[-1] == ("Y. Takei", ("JAXA ISAS",)) and cryo.ids["doi"] == "10.1007/s10909-022-02935-1"


def test_real_subscriber_mailing_with_cut_author_list():
    result = extract_file(REAL / "cs-2026-01-26.txt")
    assert result.format == "arxiv-mailing" and len(result.records) == 5 and result.notes == ()
    tools, semantic, syco, longcat, insect = result.records
    assert tools.title == (
        "When Agents Fail to Act: A Diagnostic Framework for Tool Invocation Reliability in Multi-Agent LLM Systems"
    )
    assert tools.date == "2026-01-22" and tools.extra["comments"].endswith("(ICAIBD 2026)")
    assert "Tré Guillory" in [a.name for a in semantic.authors] and len(semantic.authors) == 12
    assert [a.name for a in syco.authors] == ["Dongshen Peng", "Yi Wang", "Carl Preiksaitis", "Christian Rose"]
    # "..., Linsen Guo, et al. (97 additional authors not shown)": 65 listed + 97.
    assert longcat.title == "LongCat-Flash-Thinking-2601 Technical Report"
    assert longcat.authors[0].name == "Meituan LongCat Team" and longcat.authors[-1].name == "Linsen Guo"
    assert len(longcat.authors) == 65 and longcat.authors_truncated and longcat.author_count == 162
    assert insect.categories == ("cs.AI", "cs.RO") and not insect.authors_truncated


def test_real_monthly_listing_with_old_ids():
    result = extract_file(REAL / "astro-ph-listing-2000-01.txt")
    assert result.format == "arxiv-mailing" and result.notes == ()
    turbulence, ngc4472, grb, ulx, chaos = result.records
    assert turbulence.ids == {"arxiv": "astro-ph/0001001"} and turbulence.date == "2000-01-01"
    assert turbulence.categories[:2] == ("astro-ph", "cond-mat.stat-mech") and len(turbulence.categories) == 6
    assert turbulence.abstract is None and turbulence.title == "Statistics of Turbulence from Spectral-Line Data Cubes"
    # "Eunhyeuk Kim (1), Myung Gyoon Lee, (1), and Doug Geisler (2) ((1) ... (2) ...)": Lee's mark stands
    # after the comma and is not guessed.
    assert _people(ngc4472) == [
        ("Eunhyeuk Kim", ("Seoul National University, Korea",)),
        ("Myung Gyoon Lee", ()),
        ("Doug Geisler", ("Universidad de Concepcion, Chile",)),
    ]
    assert ngc4472.extra["report_no"] == "SNU-ASTRO-00-001"
    assert grb.date == "2000-01-03"  # the first version's, not "Date (revised v2)"
    assert len(ulx.authors) == 15 and _people(ulx)[3] == ("Tomohisa Ohnishi", ("University of Tokyo",))
    assert _people(ulx)[-1] == ("Kyoko Okada", ("Harima Institute",)) and ulx.venue == "Astrophys.J. 535 (2000) 632"
    assert chaos.ids == {"arxiv": "cond-mat/0001445"} and chaos.extra["cross_list"] is True
    assert chaos.venue == "Physical Review Letters 85 (2000) 554"


def test_real_abs_files():
    [klopp] = extract_file(REAL / "math-ph-0509022.abs").records
    assert klopp.ids == {"arxiv": "math-ph/0509022"} and klopp.date == "2005-09-12"
    assert _people(klopp) == [("Frédéric Klopp", ("LAGA",)), ("Georgi Raikov", ())]
    assert klopp.extra["msc_class"] == "82B44, 47B80, 47N55, 81Q10" and klopp.categories == ("math-ph", "math.MP")
    # The MSC and ACM codes are subjects too (named in the graph by the shipped taxonomies).
    assert [(s["scheme"], s["code"]) for s in klopp.extra["subjects"]] == [
        ("msc", "82B44"), ("msc", "47B80"), ("msc", "47N55"), ("msc", "81Q10")]  # fmt: skip
    [transfer] = extract_file(REAL / "cs-0011004.abs").records
    assert transfer.title == "Anonymous Oblivious Transfer" and transfer.ids == {"arxiv": "cs/0011004"}
    assert transfer.date == "2000-11-04" and transfer.extra["acm_class"] == "C.2.0"
    assert transfer.extra["subjects"] == [{"scheme": "acm-ccs", "code": "C.2.0", "label": None}]
    assert [a.name for a in transfer.authors] == ["J. Mueller-Quade", "H. Imai"]
    [grand] = extract_file(REAL / "2409.03427.abs").records
    assert grand.title.startswith("The Giant Radio Array for Neutrino Detection (GRAND) Collaboration --")
    assert len(grand.authors) == 125 and grand.authors[1].name == "Aurélien Benoit-Lévy"
    # "Hao Zhou (for the GRAND Collaboration)" is a remark, not an affiliation.
    hao = next(a for a in grand.authors if a.name == "Hao Zhou")
    assert hao.affiliations == () and grand.authors[-1].name == "Frank G. Schroeder"
    assert grand.extra["license"] == "http://arxiv.org/licenses/nonexclusive-distrib/1.0/"
    assert grand.abstract == "Abstract replaced for the fixture." and grand.source.line == 3


def test_real_samples_detected_as_mailings():
    for path in sorted(REAL.iterdir()):
        if path.name != "SOURCE.md":
            extractor, score = detect_format(path.read_text(encoding="utf-8"))
            assert extractor.name == "arxiv-mailing" and score >= 0.9, path.name


def test_author_list_conventions():
    cases = {
        # "&", a bare legend after the last author, "et al." glued to a name, collaborations.
        "A. B (1), C. D (2) & E. F (1); (1) MIT; (2) Stanford": [
            ("A. B", ("MIT",)), ("C. D", ("Stanford",)), ("E. F", ("MIT",)),
        ],
        "Ann Lee (1 - MIT), Bo Chen": [("Ann Lee", ("1 - MIT",)), ("Bo Chen", ())],
        "Jianghua Wu et al.": [("Jianghua Wu", ())],
        "Lorenzo Perrone, for the Pierre Auger Collaboration": [
            ("Lorenzo Perrone", ()), ("Pierre Auger Collaboration", ()),
        ],
        "The Tibet AS Gamma Collaboration: M. Amenomori, X. J. Bi": [
            ("The Tibet AS Gamma Collaboration", ()), ("M. Amenomori", ()), ("X. J. Bi", ()),
        ],
        "(1) S.B. Vinogradov, (1,2) P. Berczik, ((1) MAO NASU Kiev, (2) ARI ZAH)": [
            ("S.B. Vinogradov", ()), ("P. Berczik", ()),
        ],
        "\\\"O. \\c{C}ak{\\i}rl{\\i}, A. Sa\\v{s}a; Ru{\\dj}er Bo\\v{s}kovi\\'c": [
            ("Ö. Çakırlı", ()), ("A. Saša", ()), ("Ruđer Bošković", ()),
        ],
    }  # fmt: skip
    for authors, expected in cases.items():
        text = f"\\\\\narXiv:2401.00001\nTitle: T\nAuthors: {authors}\nCategories: cs.AI\n\\\\\n"
        [record] = extract_text(text, source="d.txt", format="arxiv-mailing").records
        assert _people(record) == expected, authors
