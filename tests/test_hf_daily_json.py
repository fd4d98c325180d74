"""The hf-daily-json reader (Hugging Face ``/api/daily_papers`` and ``/api/papers/<id>`` JSON).

No export of this API is in the shared data; the fixtures below are written from the papers' public
arXiv metadata, with short summaries of our own.
"""

from __future__ import annotations

import json

import pytest

from kg.errors import UnknownFormatError
from kg.extract import extract_text
from kg.extractors import detect_format, get

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
    assert mamba.extra["keywords"] == ["state space models", "selective scan"]
    assert mamba.extra["featured"] == "2023-12-04" and mamba.extra["comments"] == 12
    assert mamba.abstract.startswith("A selective state space model") and mamba.source.line == 2
    # A hidden author (one who hid the claim on the site) is still an author of the paper.
    assert [a.name for a in attention.authors] == ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"]
    assert attention.date == "2017-06-12" and attention.has_code is None and "keywords" not in attention.extra


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
