"""dblp search API JSON (dblp-json): fixtures written here from real dblp entries (no sample in ../shared)."""

from __future__ import annotations

import json

import pytest

from kg.errors import KgError
from kg.extract import extract_text
from kg.extractors import detect_format

ANSWER = {
    "result": {
        "query": "residual attention",
        "status": {"@code": "200", "text": "OK"},
        "hits": {
            "@total": "3",
            "@sent": "3",
            "hit": [
                {
                    "@score": "9",
                    "@id": "1",
                    "info": {
                        "authors": {
                            "author": [
                                {"@pid": "34/1", "text": "Kaiming He 0001"},
                                {"@pid": "00/2", "text": "Xiangyu Zhang 0005"},
                                {"@pid": "00/3", "text": "Shaoqing Ren"},
                                {"@pid": "00/4", "text": "Jian Sun 0001"},
                            ]
                        },
                        "title": "Deep Residual Learning for Image Recognition.",
                        "venue": "CVPR",
                        "pages": "770-778",
                        "year": "2016",
                        "type": "Conference and Workshop Papers",
                        "key": "conf/cvpr/HeZRS16",
                        "doi": "10.1109/CVPR.2016.90",
                        "ee": "https://doi.org/10.1109/CVPR.2016.90",
                        "url": "https://dblp.org/rec/conf/cvpr/HeZRS16",
                    },
                },
                {
                    "@score": "8",
                    "@id": "2",
                    "info": {
                        "authors": {"author": {"@pid": "00/5", "text": "Ashish Vaswani"}},
                        "title": "Attention Is All You Need.",
                        "venue": ["CoRR", "arXiv"],
                        "volume": "abs/1706.03762",
                        "year": "2017",
                        "type": "Informal and Other Publications",
                        "key": "journals/corr/VaswaniSPUJGKP17",
                        "ee": "http://arxiv.org/abs/1706.03762",
                    },
                },
                {"@score": "1", "@id": "3", "info": {"author": "Kaiming He 0001", "url": "https://dblp.org/pid/34/1"}},
            ],
        },
    }
}


def test_hits_become_records_with_homonym_numbers_ids_and_lines():
    text = json.dumps(ANSWER, indent=1)
    result = extract_text(text, source="dblp.json")
    assert result.format == "dblp-json"
    assert len(result.records) == 2
    resnet, attention = result.records
    assert resnet.title == "Deep Residual Learning for Image Recognition"
    assert [a.name for a in resnet.authors] == [
        "Kaiming He 0001",
        "Xiangyu Zhang 0005",
        "Shaoqing Ren",
        "Jian Sun 0001",
    ]
    assert resnet.ids == {"dblp": "conf/cvpr/HeZRS16", "doi": "10.1109/cvpr.2016.90"}
    assert (resnet.date, resnet.venue) == ("2016", "CVPR")
    assert resnet.extra["dblp_author_pids"][0] == "34/1"
    assert text.splitlines()[resnet.source.line - 1].strip().startswith('"key": "conf/cvpr/HeZRS16"')
    # a lone author object, a list venue, an arXiv link
    assert [a.name for a in attention.authors] == ["Ashish Vaswani"]
    assert attention.venue == "CoRR"
    assert attention.ids == {"dblp": "journals/corr/VaswaniSPUJGKP17", "arxiv": "1706.03762"}
    assert any("1 hit(s) without a title" in note for note in result.notes)


def test_detected_from_its_shape_and_not_taken_by_others():
    text = json.dumps(ANSWER)
    assert detect_format(text)[0].name == "dblp-json"
    assert detect_format('{"result": {"query": "x", "hits": {"@total": "0"}}}')[0].name == "dblp-json"
    assert detect_format('{"result": {"hits": {"hit": [{"title": "T"}]}}}') is None or (
        detect_format('{"result": {"hits": {"hit": [{"title": "T"}]}}}')[0].name != "dblp-json"
    )


@pytest.mark.parametrize(
    "text",
    [
        '{"result": {"query": "nothing*", "hits": {"@total": "0", "@sent": "0"}}}',
        '{"result": {"query": "ley", "hits": {"hit": [{"info": {"author": "Michael Ley", "url": "u"}}]}}}',
    ],
)
def test_an_answer_without_papers_is_an_error_with_a_reason(text):
    with pytest.raises(KgError, match="no paper found when read as dblp-json"):
        extract_text(text, source="empty.json")
