"""The lens-csv reader (Lens.org scholarly works "Export > CSV")."""

from __future__ import annotations

from kg.extract import extract_file, extract_text


def test_lens_export(shared_data):
    result = extract_file(shared_data / "lens-csv" / "lens-export.csv")
    assert result.format == "lens-csv"
    # 1,000 rows; row 833 (Lens ID 142-499-243-410-237) has neither title nor abstract.
    assert len(result.records) == 999 and any("1 row(s)" in n for n in result.notes)
    first = result.records[0]
    assert (
        first.title
        == "Construction And Verification Of Distributed Medical Database Using Resource Description Framework"
    )
    assert [a.name for a in first.authors] == ["Y. Hayakawa", "M. Shinoda", "M. Hirose", "Y. Chiba", "吉彦 早川"]
    assert first.date == "2015-05-19" and first.source.line == 2
    assert first.ids == {
        "lens": "000-102-656-132-186",
        "doi": "10.1007/s11548-015-1213-2",
        "pmid": "25985879",
        "mag": "2594051837",
        "issn": "1861-6429",
    }
    assert first.extra["references"] == [{"lens": "028-396-621-844-004"}, {"lens": "074-722-268-937-945"}]
    second = result.records[1]
    assert [a.name for a in second.authors] == ["Aharon Bar Hillel", "Ronen Lerner", "Dan Levi", "Guy Raz"]
    assert second.venue == "Machine Vision and Applications" and second.extra["document_type"] == "journal article"
    assert result.records[-1].source.line == 1001


def test_lens_topology(shared_data):
    records = extract_file(shared_data / "lens-csv" / "lens-topology.csv").records
    assert len(records) == 1000
    last = records[-1]
    assert (last.title, last.date, last.source.line) == (
        "Flat and constructible topologies on prime spectrum",
        "2015-03-14",
        1003,
    )
    assert [a.name for a in last.authors] == ["Abolfazl Tarizadeh"]


def test_keywords_mesh_and_year_only_date():
    text = (
        "Lens ID,Title,Date Published,Publication Year,Publication Type,Source Title,Author/s,Keywords,MeSH Terms,"
        "Fields of Study,Citing Works Count\r\n"
        "000-000-000-000-001,A Title,,2019,journal article,J,Ann Lee,graphs; Graphs,Humans,Topology,3\r\n"
    )
    [record] = extract_text(text).records
    assert record.date == "2019" and record.extra["keywords"] == ["graphs"]
    assert record.extra["subjects"] == [{"scheme": "mesh", "code": None, "label": "Humans"}]
    assert record.extra["fields_of_study"] == ["Topology"] and record.ids == {"lens": "000-000-000-000-001"}
