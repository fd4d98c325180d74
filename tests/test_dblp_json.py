"""dblp search API JSON (dblp-json): invented answers first, then real ones (tests/fixtures/real/dblp-json)."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

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


# ---- real answers (tests/fixtures/real/dblp-json, see SOURCE.md there) ----

REAL = FIXTURES / "real" / "dblp-json"


def _read(name: str):
    return extract_text((REAL / name).read_text(encoding="utf-8"), source=name)


def test_real_publ_answer_pretty_printed():
    result = _read("publ-basov-oleg.json")
    assert result.format == "dblp-json"
    assert detect_format((REAL / "publ-basov-oleg.json").read_text(encoding="utf-8"))[0].name == "dblp-json"
    assert [r.ids["dblp"] for r in result.records] == [
        "conf/specom/BasovBN14",
        "journals/cai/BasovKS17",
        "conf/hci/RonzhinBMKMZ16",
        "conf/isnn/SaitovBMSBB16",
        "conf/new2an/SavelievSVBS16",
        "conf/new2an/BasovSR15",
    ]
    first, journal, hci, isnn = result.records[:4]
    # "&apos;" is written inside the JSON string by dblp; the closing period is dblp's
    assert first.title == "Human Resources Management in Conditions of Operators' Psychophysiological State Changes"
    assert [a.name for a in first.authors] == ["Oleg Basov", "Angelina Basova", "Maksim Nosov"]
    assert (first.date, first.venue, first.ids["doi"]) == ("2014", "SPECOM", "10.1007/978-3-319-11581-8_32")
    assert first.extra["dblp_author_pids"] == ["152/3896", "152/3864", "152/3872"]
    assert (journal.venue, journal.extra["volume"], journal.extra["number"]) == ("Comput. Informatics", "36", "4")
    assert journal.extra["dblp_type"] == "Journal Articles"
    assert journal.ids["doi"] == "10.4149/cai_2017_4_908"
    assert [a.name for a in hci.authors] == [
        "Andrey L. Ronzhin",
        "Oleg Basov",
        "Anna I. Motienko",
        "Alexey Karpov 0001",
        "Yuri V. Mikhailov",
        "Milos Zelezný",
    ]
    assert isnn.authors[1].name == "O. O. Basov" and isnn.extra["dblp_author_pids"][1] == "152/3896"
    lines = (REAL / "publ-basov-oleg.json").read_text(encoding="utf-8").splitlines()
    for record in result.records:
        assert lines[record.source.line - 1].strip() == f'"key": "{record.ids["dblp"]}",'


def test_real_publ_answer_in_dblp_wire_layout():
    result = _read("publ-test-star-wire.json")
    (record,) = result.records
    assert record.title == (
        "A Test Cost Reduction Method by Test Response and Test Vector Overlapping for Full-Scan Test Architecture"
    )
    assert [a.name for a in record.authors] == [
        "Tsuyoshi Shinogi",
        "Hiroyuki Yamada",
        "Terumine Hayashi",
        "Shinji Tsuruoka",
        "Tomohiro Yoshikawa",
    ]
    assert record.ids == {"dblp": "conf/ats/ShinogiYHTY05", "doi": "10.1109/ats.2005.17"}
    assert (record.date, record.venue, record.source.line) == ("2005", "Asian Test Symposium", 41)
    assert record.extra["access"] == "closed"


def test_real_author_search_answer_says_it_lists_people_not_papers():
    text = (REAL / "author-basov-oleg.json").read_text(encoding="utf-8")
    assert detect_format(text)[0].name == "dblp-json"
    with pytest.raises(
        KgError, match=r"author search answer: it lists 1 person\(s\) \(Oleg Basov, https://dblp.org/pid/152/3896\)"
    ):
        extract_text(text, source="author.json")


def test_real_pre_2016_answer():
    result = _read("legacy-2015-ulrik-schroeder.json")
    assert result.format == "dblp-json" and result.notes == ()
    by_key = {r.ids["dblp"]: r for r in result.records}
    assert len(by_key) == len(result.records) == 10
    toce = by_key["journals/jeric/KnobelsdorfMBEH15"]
    assert toce.title == "Computer Science Education in North-Rhine Westphalia, Germany - A Case Study"
    assert [a.name for a in toce.authors][:3] == ["Maria Knobelsdorf", "Johannes Magenheim", "Torsten Brinda"]
    assert len(toce.authors) == 9
    # the venue object names the journal; its text "TOCE 15(2):9 (2015)" is not the venue
    assert (toce.date, toce.venue, toce.extra["volume"], toce.extra["number"]) == ("2015", "TOCE", "15", "2")
    assert toce.ids["doi"] == "10.1145/2716313"  # from "@ee": "http://doi.acm.org/10.1145/2716313"
    assert by_key["journals/tlt/ChattiDTS13"].ids["doi"] == "10.1109/tlt.2013.23"  # doi.ieeecomputersociety.org
    assert by_key["journals/corr/TewariGCYCS14"].ids["arxiv"] == "1401.7735"
    assert by_key["journals/tlt/ChattiDTS13"].authors[2].name == "Hendrik Thüs"
    assert by_key["conf/schule/BergnerSS13"].title == (
        'Informatik und Mathematik - kombiniert im SchülerlaborModul "Einstieg in die Computergrafik"'
    )
    assert by_key["journals/ets/DyckhoffZBCS12"].venue == "Educational Technology & Society (ETS)"
    assert "doi" not in by_key["conf/csedu/BergnerHS12"].ids  # "@ee": "" is no link
    book = by_key["books/daglib/0077975"]
    assert (book.venue, book.extra["publisher"], book.extra["dblp_type"]) == (None, "Shaker", "book")
    proceedings = by_key["conf/delfi/2010"]
    assert proceedings.authors == ()
    assert proceedings.extra["editors"] == ["Michael Kerres", "Nadine Ojstersek", "Ulrik Schroeder", "Ulrich Hoppe"]
    lines = (REAL / "legacy-2015-ulrik-schroeder.json").read_text(encoding="utf-8").splitlines()
    assert lines[toce.source.line - 1] == '"@id":"1637906",'
