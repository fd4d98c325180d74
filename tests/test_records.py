"""The generic records reader: JSON, JSON Lines and CSV with the usual keys."""

from __future__ import annotations

import json

from kg.extract import extract_text


def test_json_lines_with_author_objects():
    lines = [
        {
            "title": "Attention Is All You Need",
            "authors": [{"name": "Ashish Vaswani", "affiliations": ["Google Brain"], "orcid": None}],
            "year": 2017,
        },
        {"title": "BERT", "authors": [{"given": "Jacob", "family": "Devlin"}, {"literal": "Google AI Language"}]},
    ]
    text = "\n".join(json.dumps(line) for line in lines) + "\n"
    result = extract_text(text, source="papers.jsonl")
    assert result.format == "records"
    first, second = result.records
    assert [(a.name, a.affiliations) for a in first.authors] == [("Ashish Vaswani", ("Google Brain",))]
    assert first.date == "2017" and second.source.line == 2
    assert [(a.name, a.given, a.family) for a in second.authors] == [
        ("Jacob Devlin", "Jacob", "Devlin"),
        ("Google AI Language", None, None),
    ]


def test_one_json_line_is_one_record_not_its_author_list():
    text = json.dumps({"title": "One Paper", "authors": [{"name": "Ann Lee", "affiliations": ["MIT"]}]})
    [record] = extract_text(text).records
    assert record.title == "One Paper" and record.authors[0].affiliations == ("MIT",)


def test_json_array_keeps_affiliations_and_orcids():
    text = json.dumps(
        [
            {
                "title": "A Paper",
                "authors": [
                    {
                        "name": "Ann Lee",
                        "affiliation": [{"name": "MIT"}],
                        "orcid": "https://orcid.org/0000-0002-1825-0097",
                    },
                    {"name": "Bo Chen", "ORCID": "0000-0001-5109-3700"},
                ],
                "issued": {"date-parts": [[2019, 5]]},
            }
        ],
        indent=1,
    )
    [record] = extract_text(text).records
    assert [(a.affiliations, a.orcid) for a in record.authors] == [
        (("MIT",), "0000-0002-1825-0097"),
        ((), "0000-0001-5109-3700"),
    ]
    assert record.date == "2019-05" and record.source.line == 2


def test_object_keyed_by_arxiv_id_or_doi():
    text = (
        "{\n"
        '  "2106.01234": {"title": "Paper One", "authors": ["Ann Lee"], "published": "2021-06-02"},\n'
        '  "10.1000/xyz": {"title": "Paper Two", "authors": ["Bo Chen"]},\n'
        '  "misc-7": {"title": "Paper Three", "authors": ["Cy Diaz"]},\n'
        '  "1706.03762": {"title": "Paper Four", "authors": ["Di Wu"], "arxiv_id": "1706.03762v5"}\n'
        "}\n"
    )
    result = extract_text(text)
    assert result.format == "records"
    assert [(r.title, r.ids, r.source.line) for r in result.records] == [
        ("Paper One", {"arxiv": "2106.01234"}, 2),
        ("Paper Two", {"doi": "10.1000/xyz"}, 3),
        ("Paper Three", {}, 4),
        ("Paper Four", {"arxiv": "1706.03762v5"}, 5),  # the record's own id wins
    ]
    assert result.records[0].date == "2021-06-02"


def test_csv_rows_start_where_their_first_line_is():
    text = 'title,authors,year\n"A Title","Ann Lee; Bo Chen",2017\n"Two\nLines","Cy Diaz",2018\n"Next","Di Wu",2019\n'
    records = extract_text(text).records
    assert [(r.title, r.source.line) for r in records] == [("A Title", 2), ("Two Lines", 3), ("Next", 5)]


def test_a_keywords_column_gives_categories_for_arxiv_codes_and_keywords_for_words():
    text = 'title,authors,year,keywords\n"A Paper","Ann Lee",2017,"cs.LG; knowledge graphs; Graph Mining"\n'
    [record] = extract_text(text).records
    assert record.categories == ("cs.LG",) and record.extra["keywords"] == ["knowledge graphs", "Graph Mining"]


def test_a_record_holds_no_control_character_however_deep_and_keeps_clean_values_as_they_are():
    """Every field is made safe where the record is made, nested values too (a reference's title in ``extra``,
    a dict key, an org, an id); a field without such characters is the very value given."""
    from kg.records import AuthorRef, Record, record_from_dict

    clean_extra = {"references": [{"title": "Clean", "year": 2020}], "keywords": ["graphs"]}
    record = Record(
        title="T\x01itle",
        authors=(AuthorRef("Ann\x0b Lee", ("Lab\x7f",)),),
        orgs=("Org\x00",),
        ids={"pmid": "12\x1f3"},
        extra={"references": [{"title": "A\ud800B", "bad\x02key": 1}], "keywords": ["fine"]},
    )
    assert record.title == "Title" and record.authors[0].name == "Ann Lee"
    assert record.authors[0].affiliations == ("Lab",) and record.orgs == ("Org",) and record.ids == {"pmid": "123"}
    assert record.extra["references"] == [{"title": "A\ufffdB", "badkey": 1}]
    kept = Record(title="Clean", extra=clean_extra)
    assert kept.extra is clean_extra
    stored = record_from_dict(json.loads(json.dumps(record.to_dict())))
    assert stored == record
    # Stored text is read as written; text with runs of white space, a leading space or a tab is collapsed.
    again = record_from_dict(
        {"title": " A\tspaced  title ", "authors": [{"name": "Bo  Chen", "affiliations": ["", " X "]}]}
    )
    assert again.title == "A spaced title" and again.authors[0].name == "Bo Chen"
    assert again.authors[0].affiliations == ("X",)


def test_an_author_value_that_is_not_text_is_refused_where_the_record_is_made():
    """A reader's bug (an ORCID read as a number) fails where the record is made, not later in the graph."""
    import pytest

    from kg.records import AuthorRef, Record

    with pytest.raises(TypeError):
        Record(title="T", authors=(AuthorRef("Ann Lee", orcid=123),))  # type: ignore[arg-type]


def test_every_real_files_records_come_back_from_their_stored_line_as_they_were(shared_data, seeds):
    """A store keeps each record as a line (record_json) and later builds read it back; a store's kept digests
    take a record for its line, so what comes back must be the record that was stored (a reader that left a
    trailing space in an ORCID, an id or a category, or a line break in an affiliation, once gave another
    record back)."""
    from kg.errors import InputError
    from kg.extract import extract_file
    from kg.records import record_from_dict, record_json

    paths = [path for path in sorted(shared_data.rglob("*")) if path.is_file() and path.name != "SOURCE.md"]
    paths = [path for path in paths if "keyphrase-benchmarks" not in path.parts] + sorted(seeds.glob("*.txt"))
    read = 0
    for path in paths:
        try:
            records = extract_file(path).records
        except InputError:
            continue
        for record in records:
            again = record_from_dict(json.loads(record_json(record)))
            assert again == record and record_json(again) == record_json(record), (path, record.title)
        read += len(records)
    assert read > 5_000


def test_whitespace_is_collapsed_however_the_record_is_made():
    """A reader that keeps a source's spacing gets the record a stored line gives: text collapsed, empty texts
    and ids left out."""
    from kg.records import AuthorRef, Record, record_from_dict, record_json

    made = Record(
        title="  Graph\n networks ",
        authors=(AuthorRef(" Ann  Lee", (" MIT\n  Lab", " "), "0000-0001-2345-6789 ", given="", family=" Lee"),),
        orgs=("Acme  Lab", " "),
        categories=("cs.LG ",),
        venue="\tNeurIPS",
        abstract="One\n\ntwo.",
        date=" 2020",
        ids={"pmid": "123 ", "arxiv": "  "},
    )
    assert made.title == "Graph networks" and made.venue == "NeurIPS" and made.abstract == "One two."
    author = made.authors[0]
    assert (author.name, author.affiliations, author.orcid, author.given, author.family) == (
        "Ann Lee", ("MIT Lab",), "0000-0001-2345-6789", None, "Lee"
    )  # fmt: skip
    assert made.orgs == ("Acme Lab",) and made.categories == ("cs.LG",) and made.ids == {"pmid": "123"}
    assert made.date == "2020"
    assert record_from_dict(json.loads(record_json(made))) == made
