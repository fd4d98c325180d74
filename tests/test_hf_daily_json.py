"""The hf-daily-json reader (Hugging Face ``/api/daily_papers`` and ``/api/papers/<id>`` JSON).

Real answers are under fixtures/real/hf-daily-json (see SOURCE.md there): one of October 2024 (no
``submittedOnDailyAt``, no AI keywords) and one of June 2026. The fixtures written below are built from
the papers' public arXiv metadata, with short summaries of our own.
"""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

from kg.errors import UnknownFormatError
from kg.extract import extract_file, extract_text
from kg.extractors import detect_format, get

REAL = FIXTURES / "real" / "hf-daily-json"
DAILY_2024 = REAL / "paper-reviewer-daily-papers-2024-10-25.json"
DAILY_2026 = REAL / "sotawhat-daily-papers-2026-06.json"

DAILY = [
    {
        "paper": {
            "id": "2312.00752",
            "authors": [
                {"_id": "6570a1", "name": "Albert Gu", "hidden": False},
                {
                    "_id": "6570a2",
                    "name": "Tri Dao",
                    "hidden": False,
                    "user": {"_id": "u1", "fullname": "Tri Dao", "user": "tridao", "type": "user"},
                },
            ],
            "publishedAt": "2023-12-01T18:01:34.000Z",
            "title": "Mamba: Linear-Time Sequence Modeling with Selective State Spaces",
            "summary": "A selective state space model that scales linearly in sequence length.",
            "upvotes": 187,
            "discussionId": "6570a3",
            "githubRepo": "https://github.com/state-spaces/mamba",
            "ai_keywords": ["state space models", "selective scan", "state space models"],
        },
        "publishedAt": "2023-12-04T02:56:09.611Z",
        "title": "Mamba: Linear-Time Sequence Modeling with Selective State Spaces",
        "thumbnail": "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2312.00752.png",
        "numComments": 12,
        "submittedBy": {"_id": "s1", "fullname": "AK", "name": "akhaliq", "type": "user"},
        "isAuthorParticipating": False,
    },
    {
        "paper": {
            "id": "1706.03762",
            "authors": [
                {"_id": "b1", "name": "Ashish Vaswani", "hidden": False},
                {"_id": "b2", "name": "Noam Shazeer", "hidden": False},
                {"_id": "b3", "name": "Niki Parmar", "hidden": True},
            ],
            "publishedAt": "2017-06-12T17:57:34.000Z",
            "title": "Attention Is All You Need",
            "summary": "A sequence transduction model built on attention alone.",
            "upvotes": 95,
        },
        "publishedAt": "2024-05-01T00:00:00.000Z",
        "title": "Attention Is All You Need",
        "numComments": 0,
        "submittedBy": {"_id": "s2", "fullname": "Someone", "name": "someone", "type": "user"},
    },
]


def test_daily_papers_array():
    text = json.dumps(DAILY, indent=2)
    assert detect_format(text)[0].name == "hf-daily-json"
    result = extract_text(text, source="daily_papers.json")
    assert result.format == "hf-daily-json" and result.notes == ()
    mamba, attention = result.records
    assert mamba.title == "Mamba: Linear-Time Sequence Modeling with Selective State Spaces"
    assert [a.name for a in mamba.authors] == ["Albert Gu", "Tri Dao"]
    assert mamba.ids == {"arxiv": "2312.00752"} and mamba.date == "2023-12-01"
    assert mamba.upvotes == 187 and mamba.has_code is True
    # Hugging Face's software made them: kept apart from a source's own keywords.
    assert mamba.extra["ai_keywords"] == ["state space models", "selective scan"] and "keywords" not in mamba.extra
    assert mamba.extra["featured"] == "2023-12-04" and mamba.extra["comments"] == 12
    assert mamba.abstract.startswith("A selective state space model") and mamba.source.line == 2
    # A hidden author (one who hid the claim on the site) is still an author of the paper.
    assert [a.name for a in attention.authors] == ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"]
    assert attention.date == "2017-06-12" and attention.has_code is None and "ai_keywords" not in attention.extra


def test_single_paper_object_from_papers_endpoint():
    paper = dict(DAILY[1]["paper"], discussionId="d1")
    result = extract_text(json.dumps(paper), source="1706.03762.json")
    assert result.format == "hf-daily-json"
    (record,) = result.records
    assert record.title == "Attention Is All You Need" and record.ids == {"arxiv": "1706.03762"}
    assert record.upvotes == 95 and "featured" not in record.extra


def test_generic_records_reader_does_not_win():
    text = json.dumps(DAILY)
    assert get("hf-daily-json").detect(text) > get("records").detect(text)
    # A plain list of {"title", "authors"} objects is not an HF export.
    plain = json.dumps([{"title": "Attention Is All You Need", "authors": ["Ashish Vaswani"], "id": "1706.03762"}])
    assert get("hf-daily-json").detect(plain) == 0.0


def test_entries_without_title_or_summary_are_skipped_and_an_empty_export_is_an_error():
    untitled = {"paper": dict(DAILY[1]["paper"], title="", summary=""), "publishedAt": "2024-05-01T00:00:00Z"}
    result = extract_text(json.dumps([DAILY[0], untitled]), source="daily.json")
    assert len(result.records) == 1 and result.notes == ("1 item(s) without a paper title or summary skipped",)
    with pytest.raises(UnknownFormatError, match="hf-daily-json"):
        extract_text(json.dumps([untitled]), source="daily.json")


def test_real_2024_answer_wrapped_titles_claimed_and_hidden_authors():
    result = extract_file(DAILY_2024)
    assert detect_format(DAILY_2024.read_text(encoding="utf-8"))[0].name == "hf-daily-json"
    assert result.format == "hf-daily-json" and result.notes == ()
    ids = [r.ids["arxiv"] for r in result.records]
    assert ids == ["2410.17243", "2410.16251", "2410.18693", "2410.17897", "2410.18234"]
    memory, editing, reasoning, residual, drafts = result.records
    # The paper title keeps arXiv's line wrap ("for\n  Contrastive Loss"); the record's does not.
    assert memory.title == "Breaking the Memory Barrier: Near Infinite Batch Size Scaling for Contrastive Loss"
    assert [a.name for a in memory.authors][::4] == ["Zesen Cheng", "Zhiqiang Hu", "Lidong Bing"]
    assert len(memory.authors) == 9 and memory.upvotes == 64 and memory.date == "2024-10-22"
    # No submittedOnDailyAt in 2024: the entry's own publishedAt is the featuring time.
    assert memory.extra["featured"] == "2024-10-25" and memory.extra["comments"] == 3
    assert memory.has_code is None and "keywords" not in memory.extra
    assert editing.title == "Can Knowledge Editing Really Correct Hallucinations?" and editing.upvotes == 41
    # The paper's author name, not the claiming Hub account's fullname ("Ding").
    assert [a.name for a in reasoning.authors][:2] == ["Yuyang Ding", "Xinyu Shi"]
    assert [a.name for a in residual.authors] == ["Zhanchao Zhou", "Tianyi Wu", "Zhiyun Jiang", "Zhenzhong Lan"]
    assert [a.name for a in drafts.authors][1] == "M. Reza Ebrahimi" and drafts.date == "2024-10-23"


def test_real_2026_answer_featured_day_keywords_code_and_organization():
    result = extract_file(DAILY_2026)
    assert result.format == "hf-daily-json" and len(result.records) == 5 and result.notes == ()
    caltech, risk, fusion, distill, minimax = result.records
    assert caltech.title.startswith("On the Limits of LLM Adaptability") and caltech.ids == {"arxiv": "2606.00467"}
    assert [a.name for a in caltech.authors] == ["Etienne Casanova", "Rafal Kocielnik", "R. Michael Alvarez"]
    # publishedAt of the entry (2026-05-29T20:00) is arXiv's listing time; submittedOnDailyAt is the featuring day.
    assert caltech.date == "2026-05-30" and caltech.extra["featured"] == "2026-06-12"
    assert caltech.upvotes == 0 and caltech.has_code is None
    assert caltech.extra["organization"] == "California institute of technology"
    assert caltech.extra["ai_keywords"][:2] == ["zero-shot annotation", "LLM-as-a-judge"]
    assert [a.name for a in risk.authors][1] == "Boglárka Ecsedi"
    assert risk.has_code is True and risk.extra["code"] == "https://github.com/r-three/risk-under-pressure"
    assert fusion.extra["project_page"] == "https://zju-xyc.github.io/1D-Fusion-Project-Page/"
    assert "organization" not in fusion.extra and fusion.has_code is None
    assert "Dengyang Jiang" in [a.name for a in distill.authors]  # hidden on the site, still an author
    assert minimax.title == "MiniMax Sparse Attention" and minimax.upvotes == 103 and len(minimax.authors) == 11


def test_papers_dump_keyed_by_arxiv_id_is_read_here_not_as_generic_records():
    """A dump of ``/api/papers/<id>`` answers as one object keyed by arXiv id (the papers of the 2026 answer)."""
    papers = [entry["paper"] for entry in json.loads(DAILY_2026.read_text(encoding="utf-8"))]
    dump = {p["id"]: {k: v for k, v in p.items() if k != "id"} for p in papers}
    text = json.dumps(dump, indent=2, ensure_ascii=False)
    assert detect_format(text)[0].name == "hf-daily-json"
    assert get("hf-daily-json").detect(text) > get("records").detect(text)
    result = extract_text(text, source="hf_papers.json")
    assert [r.ids for r in result.records][:2] == [{"arxiv": "2606.00467"}, {"arxiv": "2606.11409"}]
    assert result.records[1].date == "2026-06-09" and result.records[1].upvotes == 8
    assert text.splitlines()[result.records[1].source.line - 1].strip() == '"2606.11409": {'
