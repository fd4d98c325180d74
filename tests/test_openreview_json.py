"""OpenReview notes JSON (openreview-json), API v1 and v2: fixtures written here (no sample in ../shared)."""

from __future__ import annotations

import json

import pytest

from kg.errors import KgError
from kg.extract import extract_text
from kg.extractors import detect_format

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
    assert any("1 note(s) without a title" in note for note in result.notes)


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
