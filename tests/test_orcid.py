"""ORCID works, XML (orcid-xml) and JSON (orcid-json): the real v1.2 profile in ../shared/data and fixtures
written here in the v2.0, v2.1 and v3.0 shapes of the public API."""

from __future__ import annotations

import json

import pytest

from kg.errors import KgError
from kg.extract import extract_file, extract_text
from kg.extractors import detect_format

V3_WORKS_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<activities:works path="/0000-0002-1825-0097/works" xmlns:common="http://www.orcid.org/ns/common"
    xmlns:work="http://www.orcid.org/ns/work" xmlns:activities="http://www.orcid.org/ns/activities">
    <common:last-modified-date>2020-01-01T00:00:00.000Z</common:last-modified-date>
    <activities:group>
        <common:external-ids>
            <common:external-id>
                <common:external-id-type>doi</common:external-id-type>
                <common:external-id-value>10.1000/fixture.1</common:external-id-value>
                <common:external-id-relationship>self</common:external-id-relationship>
            </common:external-id>
            <common:external-id>
                <common:external-id-type>arxiv</common:external-id-type>
                <common:external-id-value>arXiv:2001.00001</common:external-id-value>
                <common:external-id-relationship>self</common:external-id-relationship>
            </common:external-id>
        </common:external-ids>
        <work:work-summary put-code="11" display-index="0">
            <work:title><common:title>Fixture work from a second source</common:title></work:title>
            <work:type>preprint</work:type>
        </work:work-summary>
        <work:work-summary put-code="12" display-index="1">
            <work:title><common:title>A fixture work</common:title>
                <common:subtitle>with a subtitle</common:subtitle></work:title>
            <common:external-ids>
                <common:external-id>
                    <common:external-id-type>doi</common:external-id-type>
                    <common:external-id-value>10.1000/fixture.1</common:external-id-value>
                    <common:external-id-relationship>self</common:external-id-relationship>
                </common:external-id>
                <common:external-id>
                    <common:external-id-type>issn</common:external-id-type>
                    <common:external-id-value>0000-0001</common:external-id-value>
                    <common:external-id-relationship>part-of</common:external-id-relationship>
                </common:external-id>
            </common:external-ids>
            <work:type>journal-article</work:type>
            <common:publication-date>
                <common:year>2020</common:year><common:month>02</common:month><common:day>30</common:day>
            </common:publication-date>
            <work:journal-title>Fixture Letters</work:journal-title>
        </work:work-summary>
    </activities:group>
    <activities:group>
        <common:external-ids/>
        <work:work-summary put-code="13" display-index="0">
            <work:title><common:title>A second fixture work</common:title></work:title>
            <work:type>conference-paper</work:type>
            <common:publication-date><common:year>2019</common:year></common:publication-date>
        </work:work-summary>
    </activities:group>
</activities:works>
"""

V3_RECORD_JSON = {
    "orcid-identifier": {"uri": "https://orcid.org/0000-0002-1825-0097", "path": "0000-0002-1825-0097"},
    "person": {"name": {"given-names": {"value": "Josiah"}, "family-name": {"value": "Carberry"}}},
    "activities-summary": {
        "works": {
            "group": [
                {
                    "external-ids": {"external-id": []},
                    "work-summary": [
                        {
                            "put-code": 21,
                            "title": {"title": {"value": "A JSON fixture work"}, "subtitle": None},
                            "external-ids": {
                                "external-id": [
                                    {
                                        "external-id-type": "pmc",
                                        "external-id-value": "PMC0000001",
                                        "external-id-relationship": "self",
                                    },
                                    {
                                        "external-id-type": "eid",
                                        "external-id-value": "2-s2.0-0000000001",
                                        "external-id-relationship": "self",
                                    },
                                    {
                                        "external-id-type": "doi",
                                        "external-id-value": "10.1000/version",
                                        "external-id-relationship": "version-of",
                                    },
                                ]
                            },
                            "type": "journal-article",
                            "publication-date": {"year": {"value": "2021"}, "month": {"value": "07"}, "day": None},
                            "journal-title": {"value": "Fixture Journal"},
                            "display-index": "1",
                        }
                    ],
                }
            ]
        }
    },
}

V2_BULK_JSON = {
    "bulk": [
        {
            "work": {
                "put-code": 31,
                "title": {"title": {"value": "A detailed fixture work"}},
                "short-description": "A short fixture description.",
                "type": "JOURNAL_ARTICLE",
                "publication-date": {"year": {"value": "2018"}, "month": {"value": "11"}, "day": {"value": "05"}},
                "external-ids": {
                    "external-id": [
                        {
                            "external-id-type": "doi",
                            "external-id-value": "10.1000/detail",
                            "external-id-relationship": "SELF",
                        }
                    ]
                },
                "contributors": {
                    "contributor": [
                        {
                            "contributor-orcid": {"path": "0000-0002-1825-0097", "host": "orcid.org"},
                            "credit-name": {"value": "Josiah Carberry"},
                            "contributor-attributes": {"contributor-sequence": "FIRST", "contributor-role": "AUTHOR"},
                        },
                        {
                            "credit-name": {"value": "Ann Lee"},
                            "contributor-attributes": {
                                "contributor-sequence": "ADDITIONAL",
                                "contributor-role": "AUTHOR",
                            },
                        },
                        {
                            "credit-name": {"value": "Ed Editor"},
                            "contributor-attributes": {"contributor-role": "EDITOR"},
                        },
                        {"contributor-attributes": {"contributor-role": "AUTHOR"}},
                    ]
                },
            }
        },
        {"error": {"response-code": 404, "developer-message": "not found"}},
    ]
}

V12_PROFILE_JSON = {
    "message-version": "1.2",
    "orcid-profile": {
        "orcid-identifier": {"path": "0000-0002-1825-0097"},
        "orcid-activities": {
            "orcid-works": {
                "orcid-work": [
                    {
                        "put-code": "41",
                        "work-title": {"title": {"value": "An old fixture work"}},
                        "journal-title": {"value": "Old Fixture Journal"},
                        "work-type": "JOURNAL_ARTICLE",
                        "publication-date": {"year": {"value": "2009"}, "month": {"value": "03"}},
                        "work-external-identifiers": {
                            "work-external-identifier": [
                                {
                                    "work-external-identifier-type": "PMID",
                                    "work-external-identifier-id": {"value": "19000000"},
                                }
                            ]
                        },
                        "work-contributors": {"contributor": [{"credit-name": {"value": "Lee A"}}]},
                    }
                ]
            }
        },
    },
}


def test_real_v12_profile(shared_data):
    result = extract_file(shared_data / "orcid" / "orcid.xml")
    records = result.records
    assert result.format == "orcid-xml" and len(records) == 130
    first = records[0]
    assert first.title == "Chromosome contacts in activated T cells identify autoimmune disease candidate genes."
    assert first.date == "2017-09" and first.venue == "Genome biology" and first.source.line == 24
    assert first.ids == {"pmid": "28870212", "doi": "10.1186/s13059-017-1285-0"}
    # Twelve contributors listed by their role only: no names to keep, the count is kept.
    assert first.authors == () and first.author_count == 12
    il2ra = records[3]
    assert il2ra.title == "A rare IL2RA haplotype identifies SNP rs61839660 as causal for autoimmunity"
    assert [a.name for a in il2ra.authors[:3]] == ["Daniel B Rainbow", "Marcin Lukasz Pekalski", "Antony Cutler"]
    assert il2ra.date == "2017-02-14" and il2ra.to_dict()["document_type"] == "other"
    assert sum(len(r.authors) for r in records) == 5750
    assert sum(1 for r in records if "scopus" in r.ids) == 48 and sum(1 for r in records if "pmcid" in r.ids) == 52
    assert any("40 contributor(s) listed without a name" in note for note in result.notes)
    assert any("0000-0001-9755-1703" in note and "authors are left empty" in note for note in result.notes)


def test_v3_works_summary_xml_groups():
    result = extract_text(V3_WORKS_XML, source="works.xml")
    assert result.format == "orcid-xml"
    first, second = result.records
    # One record per group, from its preferred copy (highest display-index), with the group's ids.
    assert first.title == "A fixture work: with a subtitle" and first.venue == "Fixture Letters"
    assert first.ids == {"doi": "10.1000/fixture.1", "issn": "0000-0001", "arxiv": "2001.00001"}
    assert first.date == "2020-02" and first.to_dict()["document_type"] == "journal-article"
    assert first.authors == () and first.author_count is None and first.source.line == 22
    assert second.title == "A second fixture work" and second.date == "2019" and second.ids == {}
    assert any("list no contributors" in note and "0000-0002-1825-0097" in note for note in result.notes)


def test_json_record_bulk_details_and_v12():
    record = extract_text(json.dumps(V3_RECORD_JSON, indent=1), source="record.json")
    assert record.format == "orcid-json"
    work = record.records[0]
    # The record's owner (Josiah Carberry) is no author of a work that lists none.
    assert work.title == "A JSON fixture work" and work.authors == ()
    assert work.ids == {"pmcid": "PMC0000001", "scopus": "2-s2.0-0000000001"}
    assert work.date == "2021-07" and work.venue == "Fixture Journal" and work.source.line > 1

    bulk = extract_text(json.dumps(V2_BULK_JSON), source="bulk.json")
    detail = bulk.records[0]
    assert len(bulk.records) == 1 and detail.title == "A detailed fixture work"
    assert [(a.name, a.orcid) for a in detail.authors] == [
        ("Josiah Carberry", "0000-0002-1825-0097"),
        ("Ann Lee", None),
    ]
    assert detail.author_count == 3  # the nameless author counts; the editor does not
    assert detail.abstract == "A short fixture description." and detail.date == "2018-11-05"
    assert detail.ids == {"doi": "10.1000/detail"} and detail.to_dict()["document_type"] == "journal-article"

    old = extract_text(json.dumps(V12_PROFILE_JSON), source="profile.json").records[0]
    assert (old.title, old.venue, old.date, old.ids) == (
        "An old fixture work",
        "Old Fixture Journal",
        "2009-03",
        {"pmid": "19000000"},
    )
    assert [a.name for a in old.authors] == ["Lee A"]


def test_detection_and_records_without_works():
    for text, name in ((V3_WORKS_XML, "orcid-xml"), (json.dumps(V3_RECORD_JSON), "orcid-json")):
        detected = detect_format(text)
        assert detected is not None and detected[0].name == name
    empty = {"orcid-identifier": {"path": "0000-0002-1825-0097"}, "activities-summary": {"works": {"group": []}}}
    result = extract_text(json.dumps(empty), source="empty.json")
    assert result.records == () and any("holds no papers" in note for note in result.notes)
    untitled = V3_WORKS_XML.replace("<common:title>", "<common:title-x>").replace(
        "</common:title>", "</common:title-x>"
    )
    with pytest.raises(KgError, match="without a title"):
        extract_text(untitled, source="untitled.xml")


# Real answers of the ORCID public API (tests/fixtures/real/orcid-json/SOURCE.md).
def _real_orcid(name: str):
    from conftest import FIXTURES

    return FIXTURES / "real" / "orcid-json" / name


def test_real_v21_record_splits_groups_of_different_works():
    result = extract_file(_real_orcid("v2.1_record_0000-0001-9232-4042.json"))
    records = result.records
    assert result.format == "orcid-json" and len(records) == 11  # 6 groups, 3 of them mixed
    assert any("3 ORCID group(s) held copies of different works" in note and "8 works" in note for note in result.notes)
    # Group 20: four papers of Medical Hypotheses grouped by their shared ISSN: four records, each its own ids.
    mehy = [r for r in records if r.ids.get("issn") == "0306-9877"]
    assert [r.ids["doi"] for r in mehy] == [
        "10.1016/j.mehy.2013.12.025",
        "10.1016/j.mehy.2013.03.040",
        "10.1016/j.mehy.2011.10.033",
        "10.1016/j.mehy.2011.03.039",
    ]
    assert mehy[0].title.startswith("A proposed role of human defensins in Helicobacter")
    assert mehy[0].ids["scopus"] == "2-s2.0-84893934189" and mehy[0].date == "2014"
    # Group 89: two Scopus copies of one paper (one DOI, two EIDs) and the owner's copy are one work.
    leptin = [r for r in records if r.ids.get("doi") == "10.1097/mcg.0b013e3181ec5c66"]
    assert len(leptin) == 1 and leptin[0].title.startswith("The potential adverse role of leptin resistance")
    first = records[0]
    assert first.title.startswith("Noggin levels in nonalcoholic fatty liver disease")
    assert first.date == "2018-12-22" and first.venue is None and first.authors == ()
    assert first.to_dict()["document_type"] == "journal-article"
    assert records[-1].date is None  # "year": "0"
    assert any("0000-0001-9232-4042" in note and "list no contributors" in note for note in result.notes)


def test_real_v21_bulk_contributors_and_activities_answer():
    bulk = extract_file(_real_orcid("v2.1_bulk_0000-0002-1909-134X.json"))
    assert bulk.format == "orcid-json" and len(bulk.records) == 4
    tdcs = bulk.records[1]
    assert tdcs.title.startswith("The use of tDCS and CVS as methods of non-invasive brain stimulation")
    assert [(a.name, a.orcid) for a in tdcs.authors] == [
        ("Gregory Been", None),
        ("Trung Thanh Ngo", "0000-0002-1909-134X"),
        ("Steven Miller", None),
        ("Paul B Fitzgerald", "0000-0003-4217-8096"),
    ]
    assert tdcs.venue == "Brain Research Reviews" and tdcs.date == "2007"
    assert tdcs.ids["scopus"] == "2-s2.0-36448981766" and tdcs.abstract == "Abstract replaced for the fixture."
    # /activities answers the record's activities summary without its wrapper.
    record = json.loads(_real_orcid("v2.1_record_0000-0001-9232-4042.json").read_text(encoding="utf-8"))
    activities = extract_text(json.dumps(record["activities-summary"]), source="activities.json")
    assert activities.format == "orcid-json" and len(activities.records) == 11


def test_real_v30_works_summary_and_work_detail():
    works = extract_file(_real_orcid("v3.0_works_0000-0003-1444-9135.json"))
    assert works.format == "orcid-json" and len(works.records) == 6
    assert [r.ids.get("doi") for r in works.records] == [
        "10.3897/biss.2.25589",
        "10.21105/joss.00721",
        "10.5281/zenodo.1238947",
        "10.1111/1365-2745.12293",
        "10.12688/f1000research.2-191.v1",
        "10.6084/m9.figshare.669696",  # only a dx.doi.org link in "url"
    ]
    joss = works.records[1]
    assert joss.title.startswith("Suppdata: Downloading Supplementary Data from Published Manuscripts")
    assert joss.venue == "Journal of Open Source Software" and joss.date == "2018-05-03"
    assert works.records[3].ids["issn"] == "0022-0477"
    assert works.records[2].to_dict()["document_type"] == "other"

    work = extract_file(_real_orcid("v3.0_work_0000-0002-0734-2199_77226586.json"))
    [paper] = work.records
    assert paper.title == "Dose-Rate Estimation using α-Al2O3:C Chips: Aftermath"
    assert [(a.name, a.orcid) for a in paper.authors] == [
        ("Sebastian Kreutzer", "0000-0002-0734-2199"),
        ("Chantal Tribolo", None),
        ("Loïc Martin", None),
        ("Norbert Mercier", None),
    ]
    assert paper.date == "2020-06-01" and paper.venue == "Ancient TL" and paper.source.line == 22


def test_real_v30_sandbox_bulk_lists_a_person_once_per_credit_role():
    result = extract_file(_real_orcid("v3.0_bulk_sandbox_0000-0003-4997-3076.json"))
    [work] = result.records
    assert [(a.name, a.orcid) for a in work.authors] == [
        ("Foo Fox", None),
        ("Bar Bunny", "1111-2222-3333-4444"),
        ("Erik Pearson", "0000-0003-4997-3076"),
    ]
    assert work.title == "Test Publication: testing publication workflow" and work.date == "2022-07-29"


def test_real_orcid_json_detection():
    for name in (
        "v2.1_record_0000-0001-9232-4042.json",
        "v2.1_bulk_0000-0002-1909-134X.json",
        "v3.0_works_0000-0003-1444-9135.json",
        "v3.0_work_0000-0002-0734-2199_77226586.json",
    ):
        detected = detect_format(_real_orcid(name).read_text(encoding="utf-8"))
        assert detected is not None and detected[0].name == "orcid-json", name


# ---- the page's owner (kg issue 14): every record of one person's ORCID record names that person ----


def _owners(result) -> set[tuple[str | None, str | None]]:
    return {(r.extra.get("page_owner"), r.extra.get("page_owner_orcid")) for r in result.records}


def test_real_json_answers_name_their_owner():
    # /record: the person's given and family names (its credit-name is null), the record's iD.
    record = extract_file(_real_orcid("v2.1_record_0000-0001-9232-4042.json"))
    assert _owners(record) == {("Stergios Polyzos", "0000-0001-9232-4042")}
    # bulk answers have no person block: the iD from every work's path (v2.1) or source-orcid (the sandbox's
    # answer has no paths), the name that iD's contributor is credited under.
    bulk = extract_file(_real_orcid("v2.1_bulk_0000-0002-1909-134X.json"))
    assert _owners(bulk) == {("Trung Thanh Ngo", "0000-0002-1909-134X")}
    sandbox = extract_file(_real_orcid("v3.0_bulk_sandbox_0000-0003-4997-3076.json"))
    assert _owners(sandbox) == {("Erik Pearson", "0000-0003-4997-3076")}
    work = extract_file(_real_orcid("v3.0_work_0000-0002-0734-2199_77226586.json"))
    assert _owners(work) == {("Sebastian Kreutzer", "0000-0002-0734-2199")}
    # The owner is not inserted into the author list: its place is where the work prints it, or nowhere.
    tdcs = bulk.records[1]
    assert [a.name for a in tdcs.authors][1] == "Trung Thanh Ngo" and len(tdcs.authors) == 4
    # /works summaries list no contributors and no person: the iD only. A Crossref client id, which
    # looks like an iD (source-client-id 0000-0001-9884-1913), is never taken for the owner's.
    works = extract_file(_real_orcid("v3.0_works_0000-0003-1444-9135.json"))
    assert _owners(works) == {(None, "0000-0003-1444-9135")}
    assert all(r.authors == () for r in works.records)


def test_real_v12_profile_without_a_name_gives_the_owners_orcid_only(shared_data):
    # The v1.2 <message> profile has no personal-details and no contributor-orcid: no name can be read.
    result = extract_file(shared_data / "orcid" / "orcid.xml")
    assert _owners(result) == {(None, "0000-0001-9755-1703")}


def test_answers_that_name_no_owner_set_nothing():
    # An invented bulk answer without work paths or sources: a contributor's iD is no owner's.
    bulk = extract_text(json.dumps(V2_BULK_JSON), source="bulk.json")
    assert _owners(bulk) == {(None, None)}
    assert "page_owner" not in bulk.records[0].extra and "page_owner_orcid" not in bulk.records[0].extra


XML_NS = (
    'xmlns:common="http://www.orcid.org/ns/common" xmlns:work="http://www.orcid.org/ns/work" '
    'xmlns:record="http://www.orcid.org/ns/record" xmlns:person="http://www.orcid.org/ns/person" '
    'xmlns:personal-details="http://www.orcid.org/ns/personal-details" '
    'xmlns:activities="http://www.orcid.org/ns/activities" xmlns:bulk="http://www.orcid.org/ns/bulk"'
)


def _xml_ids(node) -> str:
    from xml.sax.saxutils import escape

    entries = "".join(
        "<common:external-id>"
        f"<common:external-id-type>{escape(e['external-id-type'])}</common:external-id-type>"
        f"<common:external-id-value>{escape(e['external-id-value'])}</common:external-id-value>"
        f"<common:external-id-relationship>{e['external-id-relationship'].lower()}</common:external-id-relationship>"
        "</common:external-id>"
        for e in (node or {}).get("external-id") or []
    )
    return f"<common:external-ids>{entries}</common:external-ids>"


def _v21_record_as_xml(data: dict) -> str:
    """The real v2.1 /record JSON answer written out in the API's v2.1 XML shape (same facts, same groups)."""
    from xml.sax.saxutils import escape

    orcid = data["orcid-identifier"]["path"]
    name = data["person"]["name"]
    groups = []
    for group in data["activities-summary"]["works"]["group"]:
        summaries = []
        for s in group["work-summary"]:
            client = s["source"]["source-client-id"]
            source = "<common:source>"
            if client:
                source += (
                    f"<common:source-client-id><common:uri>{client['uri']}</common:uri>"
                    f"<common:path>{client['path']}</common:path></common:source-client-id>"
                )
            source += f"<common:source-name>{escape(s['source']['source-name']['value'])}</common:source-name>"
            date = s.get("publication-date") or {}
            parts = "".join(
                f"<common:{part}>{date[part]['value']}</common:{part}>"
                for part in ("year", "month", "day")
                if (date.get(part) or {}).get("value")
            )
            attributes = f'put-code="{s["put-code"]}" path="{s["path"]}" display-index="{s["display-index"]}"'
            summaries.append(
                f"<work:work-summary {attributes}>{source}</common:source>"
                f"<work:title><common:title>{escape(s['title']['title']['value'])}</common:title></work:title>"
                f"{_xml_ids(s['external-ids'])}<work:type>{s['type'].lower().replace('_', '-')}</work:type>"
                f"<common:publication-date>{parts}</common:publication-date></work:work-summary>"
            )
        ids = _xml_ids(group["external-ids"])
        groups.append(f"<activities:group>\n{ids}\n" + "\n".join(summaries) + "\n</activities:group>")
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<record:record path="/{orcid}" {XML_NS}>\n'
        f"<common:orcid-identifier><common:uri>https://orcid.org/{orcid}</common:uri>"
        f"<common:path>{orcid}</common:path><common:host>orcid.org</common:host></common:orcid-identifier>\n"
        f'<person:person path="/{orcid}/person"><person:name visibility="public" path="{orcid}">'
        f"<personal-details:given-names>{name['given-names']['value']}</personal-details:given-names>"
        f"<personal-details:family-name>{name['family-name']['value']}</personal-details:family-name>"
        "</person:name></person:person>\n"
        f'<activities:activities-summary path="/{orcid}/activities"><activities:works path="/{orcid}/works">\n'
        + "\n".join(groups)
        + "\n</activities:works></activities:activities-summary>\n</record:record>\n"
    )


def test_xml_reader_splits_groups_of_different_works_as_the_json_reader_does():
    path = _real_orcid("v2.1_record_0000-0001-9232-4042.json")
    from_json = extract_file(path)
    xml = _v21_record_as_xml(json.loads(path.read_text(encoding="utf-8")))
    from_xml = extract_text(xml, source="record.xml")
    assert from_xml.format == "orcid-xml"
    # 6 groups; before the XML reader shared the JSON reader's rules it read them as 6 records.
    assert xml.count("<activities:group>") == 6 and len(from_xml.records) == 11
    assert any("3 ORCID group(s) held copies of different works" in n and "8 works" in n for n in from_xml.notes)
    assert [(r.title, r.ids, r.date) for r in from_xml.records] == [(r.title, r.ids, r.date) for r in from_json.records]
    mehy = [r.ids["doi"] for r in from_xml.records if r.ids.get("issn") == "0306-9877"]  # "03069877 15322777"
    assert mehy == [
        "10.1016/j.mehy.2013.12.025",
        "10.1016/j.mehy.2013.03.040",
        "10.1016/j.mehy.2011.10.033",
        "10.1016/j.mehy.2011.03.039",
    ]
    assert _owners(from_xml) == {("Stergios Polyzos", "0000-0001-9232-4042")}


def test_xml_credit_name_v12_personal_details_and_bulk_owner():
    record = V3_WORKS_XML.replace(
        '<activities:works path="/0000-0002-1825-0097/works"',
        '<record:record path="/0000-0002-1825-0097" xmlns:record="http://www.orcid.org/ns/record"'
        ' xmlns:person="http://www.orcid.org/ns/person"'
        ' xmlns:personal-details="http://www.orcid.org/ns/personal-details">'
        "<person:person><person:name><personal-details:given-names>Josiah</personal-details:given-names>"
        "<personal-details:family-name>Carberry</personal-details:family-name>"
        "<personal-details:credit-name>Josiah Stinkney Carberry</personal-details:credit-name>"
        "</person:name></person:person><activities:works",
    ).replace("</activities:works>", "</activities:works></record:record>")
    assert _owners(extract_text(record, source="record.xml")) == {("Josiah Stinkney Carberry", "0000-0002-1825-0097")}
    v12 = (
        '<orcid-message xmlns="http://www.orcid.org/ns/orcid"><message-version>1.2</message-version>'
        "<orcid-profile><orcid-identifier><path>0000-0002-1825-0097</path></orcid-identifier>"
        "<orcid-bio><personal-details><given-names>Josiah</given-names><family-name>Carberry</family-name>"
        "</personal-details></orcid-bio><orcid-activities><orcid-works><orcid-work put-code='1'>"
        "<work-title><title>An old fixture work</title></work-title></orcid-work></orcid-works>"
        "</orcid-activities></orcid-profile></orcid-message>"
    )
    result = extract_text(v12, source="v12.xml")
    assert result.format == "orcid-xml" and result.records[0].title == "An old fixture work"
    assert _owners(result) == {("Josiah Carberry", "0000-0002-1825-0097")}
    # A bulk answer: the owner's iD from the works' paths, the name from the contributor with that iD;
    # a person listed once per CRediT role is one author; BibTeX escapes leave the DOI.
    bulk = f"""<bulk:bulk {XML_NS}>
<work:work put-code="1" path="/0000-0003-4997-3076/work/1">
<work:title><common:title>Test Publication</common:title></work:title>
<common:external-ids><common:external-id><common:external-id-type>doi</common:external-id-type>
<common:external-id-value>10.1007/978-3-642-33362-0\\_25</common:external-id-value>
<common:external-id-relationship>self</common:external-id-relationship></common:external-id></common:external-ids>
<work:type>journal-article</work:type>
<work:contributors>
<work:contributor><work:credit-name>Foo Fox</work:credit-name>
<work:contributor-attributes><work:contributor-role>http://credit.niso.org/contributor-roles/data-curation/</work:contributor-role></work:contributor-attributes></work:contributor>
<work:contributor><common:contributor-orcid><common:uri>https://sandbox.orcid.org/0000-0003-4997-3076</common:uri>
<common:path>0000-0003-4997-3076</common:path></common:contributor-orcid><work:credit-name>Erik Pearson</work:credit-name>
<work:contributor-attributes><work:contributor-role>http://credit.niso.org/contributor-roles/software/</work:contributor-role></work:contributor-attributes></work:contributor>
<work:contributor><common:contributor-orcid><common:path>0000-0003-4997-3076</common:path></common:contributor-orcid>
<work:credit-name>Erik Pearson</work:credit-name>
<work:contributor-attributes><work:contributor-role>http://credit.niso.org/contributor-roles/methodology/</work:contributor-role></work:contributor-attributes></work:contributor>
</work:contributors></work:work></bulk:bulk>"""  # noqa: E501
    [work] = extract_text(bulk, source="bulk.xml").records
    assert [(a.name, a.orcid) for a in work.authors] == [("Foo Fox", None), ("Erik Pearson", "0000-0003-4997-3076")]
    assert work.ids == {"doi": "10.1007/978-3-642-33362-0_25"}
    assert (work.extra["page_owner"], work.extra["page_owner_orcid"]) == ("Erik Pearson", "0000-0003-4997-3076")
