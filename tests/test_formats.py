"""The source formats of issue 6 on fixtures we wrote, and every real export in ../shared/data."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES

from kg.extract import extract_file

SOURCES = FIXTURES / "sources"


def test_bibtex_accents_last_first_and_others():
    records = extract_file(SOURCES / "sample.bib").records
    assert [a.name for a in records[0].authors] == ["Kelvin Xu", "Jimmy Ba", "Ryan Kiros"]
    assert records[0].authors_truncated and records[0].date == "2015-07" and records[0].venue == "ICML"
    assert [a.name for a in records[1].authors] == ["Çağlar Gülçehre", "O. Firat", "Kelvin Xu"]
    assert records[1].ids == {"bibtex": "gulcehre2015", "arxiv": "1503.03535"}


def test_arxiv_atom():
    result = extract_file(SOURCES / "sample-atom.xml")
    record = result.records[0]
    assert result.format == "arxiv-atom" and record.title == "Universal Transformers"
    assert record.ids == {"arxiv": "1807.03819v3", "doi": "10.0000/fixture.1"}
    assert record.categories == ("cs.CL", "cs.LG") and record.date == "2018-07-10"
    assert record.authors[0].affiliations == ("University of Amsterdam",)


def test_arxiv_oai_collaborations_and_affiliations():
    record = extract_file(SOURCES / "sample-oai.xml").records[0]
    assert [a.name for a in record.authors] == ["Planck Collaboration", "P. A. R. Ade"]
    assert record.authors[1].affiliations == ("Cardiff University", "on behalf of Planck Collaboration")
    assert record.categories == ("astro-ph.CO", "hep-th") and record.date == "2015-02-04"


def test_dblp_latin1_entities_and_homonym_numbers():
    result = extract_file(SOURCES / "sample-dblp.xml")
    record = result.records[0]
    assert result.encoding.lower().replace("_", "-") in ("iso-8859-1", "latin-1", "cp1252")
    assert [a.name for a in record.authors] == ["Markus Schmitt 0002", "Jürgen Müller"]
    assert record.title == "A fixture chapter about Résumé parsing" and record.ids["doi"] == "10.1007/fixture"
    assert record.venue == "Fixture Séries"


def test_crossref_openalex_semanticscholar():
    crossref = extract_file(SOURCES / "sample-crossref.json").records[0]
    assert crossref.authors[0].orcid == "0000-0002-1825-0097" and crossref.date == "2019-05-03"
    assert crossref.abstract == "Fixture abstract ." and crossref.authors[0].affiliations == ("Fixture University",)
    openalex = extract_file(SOURCES / "sample-openalex.json").records[0]
    assert openalex.abstract == "Fixture words" and openalex.ids["openalex"] == "W1"
    assert openalex.to_dict()["org_ror"] == {"Fixture University": "https://ror.org/00fixture"}
    s2 = extract_file(SOURCES / "sample-s2.json").records
    assert [r.title for r in s2] == ["Fixture S2 Paper", "Citing Fixture"]
    assert s2[0].ids == {"s2": "p1", "doi": "10.0000/fixture.4", "arxiv": "2001.00001"}


def test_ror_ids_give_orgs_their_identity():
    from kg.pipeline import build

    graph = build([str(SOURCES / "sample-openalex.json"), str(SOURCES / "sample-crossref.json")], topics=None).graph
    rows = graph.query("SELECT ?o ?n ?id WHERE { ?o a kg:Org ; kg:name ?n . OPTIONAL { ?o kg:identifier ?id } }")
    orgs = {(r["o"].rsplit("/", 1)[-1], r["n"], r["id"]) for r in rows.as_dicts()}
    # One node: the same name from Crossref (no ROR) and OpenAlex (with one), the ROR kept as an identifier.
    assert orgs == {("fixture-university", "Fixture University", "ror:00fixture")}


def test_paper_list_affiliations_and_file_name_venue():
    record = extract_file(SOURCES / "icml2019.json").records[0]
    assert [(a.name, a.affiliations) for a in record.authors] == [
        ("Ann Lee", ("Uni A", "Lab B")),
        ("Bo Chen", ("Uni A",)),
    ]
    assert record.venue == "ICML 2019" and record.date == "2019"


def test_html_listing_and_meta_tags_never_run_scripts():
    acl = extract_file(SOURCES / "sample-acl.html").records[0]
    assert acl.title == "A NLG Fixture" and [a.name for a in acl.authors] == ["Ann Lee", "Bo Chen"]
    assert acl.abstract == "Fixture abstract." and acl.date == "2018" and acl.ids == {"acl": "W18-0001"}
    meta = extract_file(SOURCES / "sample-meta.html").records[0]
    assert meta.title == "Attention Is All You Need" and meta.date == "2017-06-12"
    assert [a.name for a in meta.authors] == ["Vaswani, Ashish", "Shazeer, Noam"] and meta.ids == {
        "arxiv": "1706.03762"
    }


def test_text_layout_saved_as_html(tmp_path):
    lines = (FIXTURES / "profile_sample.txt").read_text(encoding="utf-8").splitlines()
    page = tmp_path / "profile.html"
    page.write_text("<!doctype html><html><body>" + "".join(f"<div>{line}</div>" for line in lines) + "</body></html>")
    result = extract_file(page)
    assert result.format == "html" and len(result.records) == 6
    assert result.records[0].title == "Attention Is All You Need"


def test_generic_csv_and_mapped_jsonl(tmp_path):
    table = tmp_path / "papers.csv"
    table.write_text('title,authors,year,doi\n"A Title","Ann Lee; Bo Chen",2017,10.1/x\n', encoding="utf-8")
    record = extract_file(table).records[0]
    assert record.title == "A Title" and [a.name for a in record.authors] == ["Ann Lee", "Bo Chen"]
    assert record.date == "2017" and record.ids == {"doi": "10.1/x"}
    odd = tmp_path / "odd.jsonl"
    odd.write_text('{"paper_title": "X", "people": ["Ann Lee"]}\n', encoding="utf-8")
    mapped = extract_file(odd, format="records", mapping=[("title", "paper_title"), ("authors", "people")]).records[0]
    assert mapped.title == "X" and mapped.authors[0].name == "Ann Lee"


EXPECTED_COUNTS = {
    "acl-anthology-author-page": 6,
    "arxiv-api-atom": 128,
    "arxiv-listing": 200,
    "crossref-references": 5,
    "csl-json": 683,
    "d2l-bibtex": 488,
    "dblp-xml-sample": 1288,
    "google-scholar-html": 10 + 10,
    "hepcrawl-arxiv-oai-crossref-pos": 30 + 7 + 8,
    "ieee-csv": 405,
    "jstor-dfr": 662,
    "keyphrase-benchmarks": 2000 + 244,  # title + abstract documents of two keyphrase sets
    "lens-csv": 1999,
    "medline": 120,
    "openalex-entities": 1,
    "openalex-references": 65,
    "orcid": 130,
    "papercopilot-paperlists": 6502,
    "publications-html": 181 + 183,
    "pubmed-xml": 143,
    "ris": 472,
    "scopus-csv": 548,
    "semanticscholar-api": 1075,
    "springer-csv": 1561,
    "wos-plaintext": 152,
    "zotero-rdf": 509,
}
NOT_READ_YET: set[str] = set()  # folders of ../shared/data with no reader yet


def test_every_real_export_is_read_with_its_count(shared_data):
    from kg.errors import InputError
    from kg.extract import extract_paths

    counts: dict[str, int] = {}
    failures = []
    folders = sorted(p.name for p in shared_data.iterdir() if p.is_dir())
    assert set(folders) == set(EXPECTED_COUNTS) | NOT_READ_YET, "a new folder in ../shared/data: add its count here"
    for item in extract_paths([str(shared_data / folder) for folder in sorted(EXPECTED_COUNTS)]):
        if isinstance(item, InputError):
            failures.append(Path(item.source).name)
            continue
        folder = Path(item.source).relative_to(shared_data).parts[0]
        counts[folder] = counts.get(folder, 0) + len(item.records)
    assert counts == EXPECTED_COUNTS
    # Only the notes about each export are not data, and every one of them is refused (none becomes a paper).
    assert failures == ["SOURCE.md"] * len(list(shared_data.rglob("SOURCE.md")))


def test_two_names_with_one_ror_are_one_org():
    from kg.graph import KnowledgeGraph
    from kg.records import AuthorRef, Record, SourceRef

    def rec(name, line):
        return Record(title=f"T{line}", authors=(AuthorRef("Ann Lee", (name,)),), source=SourceRef("p", line, "x"),
                      extra={"org_ror": {name: "https://ror.org/00jmfr291"}})  # fmt: skip

    graph = KnowledgeGraph.from_records([rec("University of Michigan–Ann Arbor", 1), rec("Univ. Michigan", 2)])
    assert len(graph.query("SELECT DISTINCT ?o WHERE { ?o a kg:Org }").as_dicts()) == 1


def test_html_microdata(tmp_path):
    page = tmp_path / "article.html"
    page.write_text(
        '<!doctype html><html><body><div itemscope itemtype="https://schema.org/ScholarlyArticle">'
        '<h1 itemprop="headline">Probabilistic Model-Agnostic Meta-Learning</h1>'
        '<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
        '<span itemprop="name">Chelsea Finn</span></span>'
        '<span itemprop="author">Kelvin Xu</span><meta itemprop="datePublished" content="2018-06-07">'
        '<p itemprop="abstract">Fixture abstract.</p></div></body></html>',
        encoding="utf-8",
    )
    record = extract_file(page).records[0]
    assert record.title == "Probabilistic Model-Agnostic Meta-Learning" and record.date == "2018-06-07"
    assert [a.name for a in record.authors] == ["Chelsea Finn", "Kelvin Xu"] and record.abstract == "Fixture abstract."
