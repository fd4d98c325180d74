"""OpenReview notes JSON (openreview-json), API v1 and v2.

Fixtures written here for the edge cases, and real samples under fixtures/real/openreview-json (see SOURCE.md there):
an API v2 search answer and API v1 notes as a crawler saved them, with their reviews, decisions and comments.
"""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

from kg.errors import KgError
from kg.extract import extract_file, extract_text
from kg.extractors import detect_format, get

REAL = FIXTURES / "real" / "openreview-json"
V2_REAL = REAL / "pdoom-live-regml2025-v2.json"
V1_CRAWL = REAL / "openreviewcrawler-nips2018-cdnnria-v1.json"

V1 = {
    "notes": [
        {
            "id": "rJzIBfZAb",
            "forum": "rJzIBfZAb",
            "invitation": "ICLR.cc/2018/Conference/-/Blind_Submission",
            "cdate": 1518730159000,
            "tcdate": 1509137000000,
            "content": {
                "title": "Towards Deep Learning Models Resistant to Adversarial Attacks",
                "authors": [
                    "Aleksander Madry",
                    "Aleksandar Makelov",
                    "Ludwig Schmidt",
                    "Dimitris Tsipras",
                    "Adrian Vladu",
                ],
                "authorids": [
                    "madry@example.edu",
                    "~Aleksandar_Makelov1",
                    "",
                    "~Dimitris_Tsipras1",
                    "vladu@example.edu",
                ],
                "keywords": ["adversarial examples", "robust optimization"],
                "abstract": "A fixture abstract.",
                "pdf": "/pdf/fixture.pdf",
            },
        },
        {
            "id": "review1",
            "forum": "rJzIBfZAb",
            "replyto": "rJzIBfZAb",
            "invitation": "ICLR.cc/2018/Conference/-/Paper1/Official_Review",
            "content": {"rating": "8: Top 50% of accepted papers", "review": "Fixture review."},
        },
    ],
    "count": 2,
}

V2 = {
    "notes": [
        {
            "id": "fixture2024",
            "forum": "fixture2024",
            "invitations": ["ICLR.cc/2024/Conference/-/Submission"],
            "cdate": 1695000000000,
            "pdate": 1705400000000,
            "content": {
                "title": {"value": "A Fixture Submission"},
                "authors": {"value": ["Ada Lovelace", "Alan Turing"]},
                "authorids": {"value": ["~Ada_Lovelace1", "https://orcid.org/0000-0002-1825-0097"]},
                "venue": {"value": "ICLR 2024 poster"},
                "venueid": {"value": "ICLR.cc/2024/Conference"},
            },
        }
    ],
    "count": 1,
}


def test_v1_notes_submissions_only_emails_dropped():
    text = json.dumps(V1, indent=2)
    result = extract_text(text, source="v1.json")
    assert result.format == "openreview-json"
    assert len(result.records) == 1
    paper = result.records[0]
    assert paper.title == "Towards Deep Learning Models Resistant to Adversarial Attacks"
    assert [a.name for a in paper.authors][:2] == ["Aleksander Madry", "Aleksandar Makelov"]
    assert all(a.orcid is None for a in paper.authors)
    assert paper.extra["openreview_profiles"] == [None, "~Aleksandar_Makelov1", None, "~Dimitris_Tsipras1", None]
    assert "madry@example.edu" not in json.dumps(paper.to_dict())
    assert paper.ids == {"openreview": "rJzIBfZAb"}
    assert paper.date == "2018-02-15"  # cdate, UTC: no pdate in API v1
    assert paper.extra["keywords"] == ["adversarial examples", "robust optimization"]
    assert paper.extra["pdf"] == "https://openreview.net/pdf/fixture.pdf"
    assert text.splitlines()[paper.source.line - 1].strip() == '"id": "rJzIBfZAb",'
    assert result.notes == ("1 reply skipped (reviews, comments, decisions: notes answering another note)",)


def test_v2_values_unwrapped_and_pdate_preferred():
    result = extract_text(json.dumps(V2), source="v2.json")
    paper = result.records[0]
    assert paper.title == "A Fixture Submission"
    assert paper.date == "2024-01-16"
    assert (paper.venue, paper.extra["venueid"]) == ("ICLR 2024 poster", "ICLR.cc/2024/Conference")
    assert [(a.name, a.orcid) for a in paper.authors] == [
        ("Ada Lovelace", None),
        ("Alan Turing", "0000-0002-1825-0097"),
    ]


def test_detection_of_answers_and_bare_lists():
    assert detect_format(json.dumps(V2))[0].name == "openreview-json"
    assert detect_format(json.dumps(V1["notes"]))[0].name == "openreview-json"


@pytest.mark.parametrize("notes", [[V1["notes"][1]], []])
def test_reviews_only_or_no_notes_is_an_error_with_a_reason(notes):
    with pytest.raises(KgError, match="no paper found when read as openreview-json"):
        extract_text(json.dumps({"notes": notes, "count": len(notes)}), source="reviews.json")


def test_real_v2_search_answer():
    result = extract_file(V2_REAL)
    assert detect_format(V2_REAL.read_text(encoding="utf-8"))[0].name == "openreview-json"
    assert result.format == "openreview-json" and result.notes == ()
    (paper,) = result.records  # "count": 10000 is the search's total, not this answer's length
    assert paper.title == "Emergency Response Measures for Catastrophic Risk"
    assert [a.name for a in paper.authors] == [
        "James Zhang",
        "Miles Kodama",
        "Zongze Wu",
        "Michael Chen",
        "Yue Zhu",
        "Geng Hong",
    ]
    assert paper.extra["openreview_profiles"][0] == "~James_Zhang2"
    assert paper.extra["openreview_profiles"][-1] == "~Geng_Hong1"
    assert paper.ids == {"openreview": "4aMedv0ONH"}
    assert paper.date == "2025-09-23"  # pdate 1758606093305, not cdate (2025-08-21) nor odate (2025-10-09)
    assert (paper.venue, paper.extra["venueid"]) == ("RegML 2025 Poster", "NeurIPS.cc/2025/Workshop/RegML")
    assert paper.extra["keywords"][:2] == ["China AI Governance", "Emergency Response"]
    assert paper.extra["pdf"] == "https://openreview.net/pdf/6aff10dc6d9b9af5e02b538c0abf0319ef99b31a.pdf"
    assert paper.abstract == "Abstract replaced for the fixture."
    assert V2_REAL.read_text(encoding="utf-8").splitlines()[paper.source.line - 1].strip() == '"id": "4aMedv0ONH",'


def test_real_v1_crawler_dump_reads_submissions_not_their_replies():
    text = V1_CRAWL.read_text(encoding="utf-8")
    assert get("openreview-json").detect(text) == 0.9
    result = extract_file(V1_CRAWL)
    assert result.format == "openreview-json"
    dropout, pruning = result.records
    assert dropout.title == "Targeted Dropout"
    assert [a.name for a in dropout.authors] == [
        "Aidan N. Gomez",
        "Ivan Zhang",
        "Kevin Swersky",
        "Yarin Gal",
        "Geoffrey E. Hinton",
    ]
    assert "openreview_profiles" not in dropout.extra  # v1 authorids here are e-mail addresses only
    assert dropout.ids == {"openreview": "HkghWScuoQ"} and dropout.date == "2018-10-20"  # cdate, UTC
    assert dropout.venue is None and dropout.extra["invitation"] == "NIPS.cc/2018/Workshop/CDNNRIA/-/Blind_Submission"
    assert pruning.title == "Rethinking the Value of Network Pruning"
    assert [a.name for a in pruning.authors][-1] == "Trevor Darrell" and pruning.ids == {"openreview": "r1eLk2mKiX"}
    assert "Acceptance Decision" not in {r.title for r in result.records}


def test_real_v1_forum_answer_skips_titled_reviews_decisions_and_comments():
    """API v1 replies carry titles ("Acceptance Decision", a review's headline): a title alone makes no paper."""
    submission = json.loads(V1_CRAWL.read_text(encoding="utf-8"))[0]["submissions"][0]
    replies = submission.pop("notes")
    submission.pop("revisions")
    assert [r["content"].get("title") for r in replies] == [
        "Acceptance Decision",
        "An important direction to explore.",
        None,
        "Ref of Smallify suggested",
    ]
    answer = json.dumps({"notes": [submission, *replies], "count": 1 + len(replies)}, indent=2)
    result = extract_text(answer, source="forum.json")
    assert [r.title for r in result.records] == ["Targeted Dropout"]
    assert result.notes == ("4 replies skipped (reviews, comments, decisions: notes answering another note)",)


def test_deleted_notes_are_skipped_with_a_note():
    note = json.loads(V2_REAL.read_text(encoding="utf-8"))["notes"][0]
    deleted = dict(note, id="gone1", forum="gone1", ddate=1761181439786)
    result = extract_text(json.dumps({"notes": [note, deleted]}), source="notes.json")
    assert [r.ids["openreview"] for r in result.records] == ["4aMedv0ONH"]
    assert result.notes == ("1 deleted note skipped (a ddate)",)
