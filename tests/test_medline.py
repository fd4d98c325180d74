"""MEDLINE / PubMed tagged text: two real PubMed exports and small fixtures."""

from __future__ import annotations

import pytest

from kg.errors import InputError
from kg.extract import extract_file, extract_text
from kg.extractors import medline

# An older citation: short AU names only, one AD before any author (the article's), a season date,
# investigators (FIR/IR) whose IRAD is not an author's affiliation; CRLF line endings.
OLD = (
    "PMID- 1000001\r\n"
    "DP  - 1998 Spring\r\n"
    "TI  - A fixture citation from before full author names\r\n"
    "AD  - Department of Surgery, Fixture Hospital, Boston.\r\n"
    "AU  - Smith JA\r\n"
    "AU  - van der Berg K\r\n"
    "FIR - Doe, John\r\n"
    "IR  - Doe J\r\n"
    "IRAD- Somewhere Else, Chicago.\r\n"
    "AD  - Investigator address, not an author's.\r\n"
    "TA  - Fixture J\r\n"
    "AID - S0000-0000(98)00001-X [pii]\r\n"
    "\r\n"
    "PMID- 1000002\r\n"
    "DP  - 2020 Jan-Feb\r\n"
    "AB  - Only an abstract, continued\r\n"
    "      on a second line.\r\n"
    "FAU - Lee, Ann\r\n"
    "AU  - Lee A\r\n"
    "AUID- ORCID: https://orcid.org/0000-0002-1825-0097\r\n"
    "JT  - Fixture journal of medicine\r\n"
    "OT  - fixtures\r\n"
    "MH  - *Humans\r\n"
    "MH  - Leukemia/*drug therapy\r\n"
)


@pytest.fixture(scope="module")
def nbib(shared_data):
    return extract_file(shared_data / "medline" / "pubmed.nbib")


@pytest.fixture(scope="module")
def result45(shared_data):
    return extract_file(shared_data / "medline" / "pubmed_result_45_medline.txt")


def test_real_exports_read_every_record(nbib, result45):
    assert nbib.format == result45.format == "medline"
    assert len(nbib.records) == 75 and len(result45.records) == 45
    assert [r.source.line for r in nbib.records[:4]] == [1, 645, 836, 1065]
    assert result45.records[0].source.line == 2  # the file starts with an empty line
    # One author per FAU line (and the one CN group of the second file).
    assert sum(len(r.authors) for r in nbib.records) == 1240
    assert sum(len(r.authors) for r in result45.records) == 261
    assert all(r.ids.get("pmid", "").isdigit() for r in nbib.records + result45.records)


def test_real_record_fields(nbib):
    first = nbib.records[0]
    assert first.title == "Ibrutinib Regimens versus Chemoimmunotherapy in Older Patients with Untreated CLL."
    assert len(first.authors) == 31
    woyach = first.authors[0]
    assert (woyach.name, woyach.given, woyach.family) == ("Woyach, Jennifer A", "Jennifer A", "Woyach")
    assert woyach.affiliations[0].startswith("From Ohio State University Comprehensive Cancer Center, Columbus")
    ding = next(a for a in first.authors if a.family == "Ding")
    assert ding.orcid == "0000-0001-9811-4601"
    assert first.date == "2018-12-27" and first.venue == "The New England journal of medicine"
    assert first.ids["pmid"] == "30501481" and first.ids["pmcid"] == "PMC6325637"
    assert first.ids["doi"].lower() == "10.1056/nejmoa1812836" and first.ids["issn"] == "1533-4406"
    assert first.abstract.startswith("BACKGROUND: Ibrutinib has been approved") and "  " not in first.abstract
    # MeSH headings are subjects of MeSH (MEDLINE prints no descriptor ids), without subheadings or major-topic
    # stars; the record has no OT keywords.
    headings = [s["label"] for s in first.extra["subjects"]]
    assert {s["scheme"] for s in first.extra["subjects"]} == {"mesh"} and "keywords" not in first.extra
    assert "Bendamustine Hydrochloride" in headings and "Immunotherapy" in headings
    assert not any("/" in h or "*" in h for h in headings)
    assert first.extra["document_type"] == "Clinical Trial, Phase III"


def test_real_orcid_url_and_collective_author(result45):
    by_pmid = {r.ids["pmid"]: r for r in result45.records}
    ou = next(a for a in by_pmid["28407019"].authors if a.family == "Ou")
    assert ou.orcid == "0000-0001-8578-3523"
    assert ou.affiliations == (
        "Department of Orthopedics, the First Affiliated Hospital of Chongqing Medical University, "
        "Chongqing, P.R. China.",
    )
    aorta = by_pmid["27050883"]
    assert aorta.date == "2016-09"
    assert aorta.authors[-1].name == "AAST AORTA Study Group" and aorta.authors[-1].family is None
    assert aorta.authors[-2].name == "Poulin, Nathaniel"


def test_old_citation_short_names_investigators_and_abstract_only_record():
    result = extract_text(OLD, source="old.nbib")
    old, new = result.records
    assert result.format == "medline"
    assert [(a.name, a.given, a.family) for a in old.authors] == [
        ("Smith JA", "JA", "Smith"),
        ("van der Berg K", "K", "van der Berg"),
    ]
    assert all(a.affiliations == () for a in old.authors)
    assert old.orgs == ("Department of Surgery, Fixture Hospital, Boston.",)  # the AD before any author
    assert old.date == "1998" and old.venue == "Fixture J" and old.ids == {"pmid": "1000001"}
    assert new.title is None and new.abstract == "Only an abstract, continued on a second line."
    assert new.source.line == 14 and new.date == "2020-01"
    assert new.authors[0].orcid == "0000-0002-1825-0097"
    assert new.extra["keywords"] == ["fixtures"]
    assert [s["label"] for s in new.extra["subjects"]] == ["Humans", "Leukemia"]


def test_a_record_without_title_or_abstract_is_skipped_and_none_left_fails():
    text = "PMID- 1\nFAU - Lee, Ann\n\nPMID- 2\nTI  - Kept\n"
    result = extract_text(text, source="x.nbib")
    assert [r.title for r in result.records] == ["Kept"]
    assert "1 record(s) with neither a title nor an abstract skipped (line(s) 1)" in result.notes
    with pytest.raises(InputError, match="no paper found when read as medline"):
        extract_text("PMID- 1\nOWN - NLM\nSTAT- MEDLINE\nDP  - 2020\nFAU - Lee, Ann\n", source="empty.nbib")


def test_detection():
    assert medline.detect("\nPMID- 30747696\nOWN - NLM\nSTAT- MEDLINE\nDCOM- 20190219\nLR  - 1\nIS  - 1\n") == 0.95
    assert medline.detect("PMID- 12\nTI  - x\n") >= 0.3
    assert medline.detect("PMID is the PubMed id.\nTI  - x\n") == 0.0
    assert medline.detect("TY  - JOUR\nAU  - Lee, A\nER  - \n") == 0.0


def test_pubmed_central_medlars_records_open_with_their_pmc_line():
    """PMC's MEDLARS export prints "PMC - " before each "PMID- ": one record each, the PMC id kept."""
    text = (
        "PMC - PMC6055010\nPMID- 30042925\nDP  - 2018\nTI  - A method package for electrophysiological evaluation of\n"
        "      reconstructed or regenerated facial nerves in rodents.\nFAU - Takeuchi, Yuichi\nAU  - Takeuchi Y\n"
        "LID - 10.1016/j.mex.2018.03.007 [doi]\n\n"
        "PMC - PMC4211933\nPMID- 25150679\nDP  - 2014\nTI  - Phonological coding during reading.\n"
        "FAU - Leinenger, Mallorie\nAU  - Leinenger M\n"
    )
    result = extract_text(text, source="pmc.txt")
    assert result.format == "medline"
    assert [(r.source.line, r.ids["pmid"], r.ids["pmcid"]) for r in result.records] == [
        (1, "30042925", "PMC6055010"),
        (10, "25150679", "PMC4211933"),
    ]
    assert result.records[0].title.endswith("facial nerves in rodents.") and not result.notes
