"""arXiv's daily mailing and .abs metadata files: small fixtures (no public sample is in shared data)."""

from __future__ import annotations

import pytest

from kg.errors import InputError
from kg.extract import extract_text
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
