"""Citations: every reference resolved to a corpus paper or a work known only from citations, by recorded rules."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from kg.records import AuthorRef, Record
from kg.resolve.citations import resolve_citations
from kg.resolve.papers import is_paper, resolve_papers


def _resolve(records):
    papers, paper_of = resolve_papers(records)
    return papers, resolve_citations(records, paper_of, len(papers))


def _cited(records):
    return [(c.cited, c.rule) for c in _resolve(records)[1].citations]


def _citing(*references):
    """One citing record per reference (a list that names one work twice cites it once)."""
    return [Record(title=f"A citing paper number {n}", extra={"references": [r]}) for n, r in enumerate(references)]


def test_an_identifier_matches_first_and_a_title_never_joins_two_dois():
    corpus = Record(title="Knowledge networks as channels and conduits", ids={"doi": "10.1287/orsc.1030.0054"})
    citing = _citing(
        {"text": "Owen-Smith J, 2004, ORGAN SCI", "doi": "https://doi.org/10.1287/ORSC.1030.0054"},
        # the same title with another DOI: another work (a corrigendum, a reprint), never the corpus paper
        {"text": "x", "title": "Knowledge networks as channels and conduits", "doi": "10.9999/other"},
        {"text": "y", "title": "Knowledge networks as channels and conduits"},
    )
    _, result = _resolve([corpus, *citing])
    assert [(c.cited, c.rule) for c in result.citations] == [(0, "doi"), (4, "new"), (0, "title")]
    assert result.cited_only[0].ids == {"doi": "10.9999/other"}


def test_wos_citation_keys_meet_the_records_they_cite():
    venue = "J AM SOC INF SCI TEC"
    cited = Record(title="CiteSpace II", date="2006", authors=(AuthorRef("Chen, CM", family="Chen"),),
                   extra={"volume": "57", "pages": "359-377", "venue_abbreviation": venue})  # fmt: skip
    citing = _citing(
        {"text": "Chen CM, 2006, J AM SOC INF SCI TEC, V57, P359", "first_author": "Chen", "year": 2006,
         "venue": venue, "volume": "57", "page": "359"},
        # same author, year and journal, another volume: another work
        {"text": "Chen CM, 2006, J AM SOC INF SCI TEC, V58", "first_author": "Chen", "year": 2006, "venue": venue,
         "volume": "58"},
        {"text": "Chen CM, 2006, J AM SOC INF SCI TEC", "first_author": "Chen", "year": 2006, "venue": venue},
    )  # fmt: skip
    assert _cited([cited, *citing]) == [(0, "citation_key"), (4, "new"), (0, "short_key")]


def test_references_to_one_outside_work_are_one_cited_only_work():
    refs = [{"text": "Scott J., 2000, SOCIAL NETWORK ANAL", "first_author": "Scott", "year": 2000,
             "venue": "SOCIAL NETWORK ANAL"}]  # fmt: skip
    records = [Record(title=f"Paper number {n}", extra={"references": refs}) for n in range(3)]
    _, result = _resolve(records)
    assert len(result.cited_only) == 1 and result.cited_only[0].mentions == ((0, 0), (1, 0), (2, 0))
    assert result.cited_only[0].label == "Scott J., 2000, SOCIAL NETWORK ANAL" and result.cited_only[0].year == 2000
    assert {c.cited for c in result.citations} == {3}


def test_a_reference_list_naming_a_work_twice_cites_it_once_and_nothing_cites_itself():
    references = [{"doi": "10.1/resnet"}, {"doi": "10.1/vgg"}, {"doi": "10.1/VGG"}]
    paper = Record(title="Deep residual learning", ids={"doi": "10.1/resnet"}, extra={"references": references})
    assert _cited([paper]) == [(1, "new")]


def test_a_stated_link_between_two_records_of_one_source():
    main = Record(title="Attention Is All You Need", ids={"arxiv": "1706.03762"})
    citing = Record(title="BERT: Pre-training of deep bidirectional transformers",
                    extra={"cites": {"arxiv": "1706.03762"}})  # fmt: skip
    cited = Record(title="Long short-term memory", extra={"cited_by": {"arxiv": "1706.03762"}})
    _, result = _resolve([main, citing, cited])
    assert sorted((c.citing, c.cited) for c in result.citations) == [(0, 2), (1, 0)]


def test_nearly_every_cited_reference_of_a_real_wos_export_becomes_a_citation(shared_data):
    from kg.extract import extract_paths

    path = shared_data / "wos-plaintext" / "wos_plaintext.txt"
    records = [r for item in extract_paths([str(path)]) for r in getattr(item, "records", []) if is_paper(r)]
    references = sum(len(r.extra.get("references", [])) for r in records)
    papers, result = _resolve(records)
    assert references == 2911  # the CR lines (SOURCE.md)
    assert len(result.citations) >= 0.98 * references and result.unmatched <= 0.02 * references
    local = [c for c in result.citations if c.cited < len(papers)]
    titles = {papers[c.cited].title for c in local}
    assert (
        "CiteSpace II: Detecting and visualizing emerging trends and transient patterns in scientific literature"
        in {t.split("\n")[0] for t in titles}
        or any(t.startswith("CiteSpace II") for t in titles)
    )
    most = Counter(c.cited for c in result.citations if c.cited >= len(papers)).most_common(1)[0]
    assert result.cited_only[most[0] - len(papers)].label.startswith("KAMADA T, 1989") and most[1] == 7


@pytest.mark.parametrize("pages", ["359-377", "359", "pp. 359–377"])
def test_a_corpus_papers_pages_give_its_first_page(pages):
    cited = Record(title="CiteSpace II", date="2006", authors=(AuthorRef("Chaomei Chen"),),
                   extra={"volume": "57", "pages": pages})  # fmt: skip
    citing = Record(title="Mapping a field", extra={"references": [
        {"text": "Chen CM, 2006, J AM SOC INF SCI TEC, V57, P359", "first_author": "Chen", "year": 2006,
         "volume": "57", "page": "359"}]})  # fmt: skip
    assert _cited([cited, citing]) == [(0, "citation_key")]


def _real(shared_data, *parts):
    from kg.extract import extract_paths

    path = shared_data.joinpath(*parts)
    records = [r for item in extract_paths([str(path)]) for r in getattr(item, "records", []) if is_paper(r)]
    papers, result = _resolve(records)
    return records, papers, result


def test_semantic_scholar_citing_and_cited_papers_are_linked_to_the_paper(shared_data):
    records, papers, result = _real(shared_data, "semanticscholar-api", "Paper.json")
    turing = next(i for i, p in enumerate(papers) if p.title == "Computing Machinery and Intelligence")
    cites_turing = [c for c in result.citations if c.cited == turing]
    cited_by_turing = [c for c in result.citations if c.citing == turing]
    assert (len(cites_turing), len(cited_by_turing), len(result.citations)) == (1000, 14, 1014)
    assert records[0].extra["citation_count"] > 1000  # as Semantic Scholar counted them


def test_openalex_referenced_works_become_citations(shared_data):
    records, papers, result = _real(shared_data, "openalex-references", "openalex.json")
    listed = sum(len(r.extra.get("references", [])) for r in records)
    assert listed == 1338  # referenced_works ids (SOURCE.md)
    assert result.unmatched == 0
    # One edge per citing and cited paper: a preprint and its published version are two works but one paper,
    # and their reference lists overlap (1,338 ids -> 1,229 edges; the figure README gives).
    assert len({(c.citing, c.cited) for c in result.citations}) == len(result.citations) == 1229
    assert all(w.ids.get("openalex", "").startswith("W") for w in result.cited_only)
    assert sum(c.cited < len(papers) for c in result.citations) > 50  # the author cites his own works


def test_crossref_reference_lists_become_citations(shared_data):
    records, _, result = _real(shared_data, "crossref-references")
    per_work = sorted(len(r.extra.get("references", [])) for r in records)
    assert per_work == [0, 7, 22, 50, 56]  # SOURCE.md: 135 references
    with_doi = sum(1 for r in records for ref in r.extra.get("references", []) if "doi" in ref)
    assert with_doi == 48 + 15 + 2 + 45
    assert len(result.citations) >= 133 and len({w.identity for w in result.cited_only}) == len(result.cited_only)


def _graph(paths, tmp_path):
    from kg.graph import KnowledgeGraph
    from kg.pipeline import Target, build

    out = tmp_path / "g.trig"
    build([str(p) for p in paths], target=Target(output=str(out)))
    return KnowledgeGraph.load(out)


def _count(graph, where: str) -> int:
    return int(graph.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}").rows[0][0].value)


def test_the_semantic_scholar_export_gives_1014_cites_edges_with_counts(shared_data, tmp_path):
    graph = _graph([shared_data / "semanticscholar-api" / "Paper.json"], tmp_path)
    assert _count(graph, "?a kg:cites ?b") == 1014
    row = graph.query(
        "SELECT ?local ?stated WHERE { ?p kg:title 'Computing Machinery and Intelligence' ; kg:citationCount ?local ;"
        " kg:statedCitationCount ?stated }"
    ).as_dicts()[0]
    assert row["local"] == 1000 and row["stated"] > 1000  # the corpus's citing papers; Semantic Scholar's count
    assert _count(graph, "?p kg:citedOnly true") == 0  # the 14 references are papers of the export itself


def test_every_citation_says_where_it_was_read_and_why_it_names_that_paper(shared_data, tmp_path):
    graph = _graph([shared_data / "wos-plaintext" / "wos_plaintext.txt"], tmp_path)
    edges = _count(graph, "?a kg:cites ?b")
    assert edges >= 0.98 * 2911
    assert _count(graph, "?c a kg:Citation ; prov:wasDerivedFrom/kg:line ?line ; kg:matchedBy ?rule") == edges
    only = _count(graph, "?w kg:citedOnly true ; rdfs:label ?label")
    assert only > 2500 and _count(graph, "?w kg:citedOnly true FILTER NOT EXISTS { ?w kg:hasAuthorship ?x }") == only
    # a reference printed with a DOI meets the corpus paper of that DOI
    rows = graph.query(
        "SELECT ?text WHERE { ?c kg:matchedBy 'doi' ; kg:citedPaper ?p ; kg:referenceText ?text ."
        " ?p kg:title ?t FILTER STRSTARTS(?t, 'CiteSpace II') }"
    ).as_dicts()
    assert rows and all("Chen CM, 2006" in row["text"] for row in rows)


def test_a_graph_with_citations_conforms_to_the_shapes(tmp_path):
    from kg.graph import KnowledgeGraph
    from kg.records import SourceRef
    from kg.validate import validate_graph

    references = [{"text": "Hochreiter S, 1997, NEURAL COMPUT, V9, P1735", "first_author": "Hochreiter",
                   "year": 1997, "venue": "NEURAL COMPUT", "volume": "9", "page": "1735"},
                  {"doi": "10.1/attention"}]  # fmt: skip
    records = [
        Record(title="Attention Is All You Need", ids={"doi": "10.1/attention"}, source=SourceRef("a.txt", 1, "x")),
        Record(title="BERT", extra={"references": references, "citation_count": 9}, source=SourceRef("b.txt", 4, "x")),
    ]
    graph = KnowledgeGraph.from_records(records)
    assert [r for r in validate_graph(graph) if r.severity == "Violation"] == []
    assert _count(graph, "?a kg:cites ?b") == 2 and _count(graph, "?w kg:citedOnly true ; kg:year 1997") == 1


def test_the_build_summary_and_stats_count_cited_works_apart(shared_data, tmp_path, capsys):
    from kg.cli import main

    out = tmp_path / "wos.trig"
    assert main(["build", str(shared_data / "wos-plaintext" / "wos_plaintext.txt"), "-o", str(out)]) == 0
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert "50 papers (" in summary and "cited works outside them)" in summary
    assert main(["stats", str(out)]) == 0
    assert "kg:Paper (cited only)" in capsys.readouterr().out


def _citation_data():
    from kg.network.readmodel import GraphData, Paper

    papers = {p: Paper(p.upper(), year=2020) for p in ("a", "b", "c")}
    works = {"w1": Paper("W1", year=1990), "w2": Paper("W2", year=1995), "w3": Paper("W3")}
    cites = (("a", "w1"), ("a", "w2"), ("b", "w1"), ("b", "w2"), ("c", "w1"), ("c", "w3"), ("c", "a"))
    return GraphData(papers=papers, cited_works=works, citations=cites)


def test_citation_cocitation_and_coupling_views():
    from kg.network.projections import projection

    data = _citation_data()
    citation = projection(data, "citation")
    assert citation.is_directed() and citation.has_edge("c", "a") and not citation.has_edge("a", "c")
    assert citation.nodes["w1"]["cited_only"] and not citation.nodes["a"]["cited_only"]
    cocitation = projection(data, "cocitation")  # works cited by two papers or more: w1 (3), w2 (2)
    assert sorted(cocitation.nodes) == ["w1", "w2"] and cocitation["w1"]["w2"]["weight"] == 2
    coupling = projection(data, "coupling")
    assert (
        coupling["a"]["b"]["weight"] == 2 and coupling["a"]["c"]["weight"] == 1 and coupling.nodes["c"]["year"] == 2020
    )


def test_in_degree_and_pagerank_follow_the_citations():
    from kg.analysis.measures import analyze
    from kg.network.projections import projection

    result = analyze(projection(_citation_data(), "citation"), top=0, sort_by="in_degree", directed=True)
    ranking = {row["node"]: row for row in result.ranking}
    assert result.ranking[0]["node"] == "w1" and ranking["w1"]["in_degree"] == 3 and ranking["c"]["in_degree"] == 0
    assert ranking["w1"]["pagerank"] > ranking["c"]["pagerank"]  # cited, not citing, ranks high


def test_analyze_and_export_the_citation_views_of_a_real_export(shared_data, tmp_path, capsys, monkeypatch):
    import json

    from kg.cli import main

    monkeypatch.setenv("COLUMNS", "160")
    graph = tmp_path / "wos.trig"
    assert main(["build", str(shared_data / "wos-plaintext" / "wos_plaintext.txt"), "-o", str(graph), "-q"]) == 0
    for view in ("cocitation", "coupling", "citation"):
        assert main(["analyze", str(graph), "--projection", view, "--json", "--top", "5"]) == 0
        result = json.loads(capsys.readouterr().out)
        assert result["nodes"] > 40 and result["edges"] > 100 and len(result["ranking"]) == 5, view
    cited = result["papers_per_year"]["cited works"]
    assert sum(cited["citations"].values()) > 2000  # the citations of works with a known year
    assert main(["analyze", str(graph), "--projection", "citation", "--sort-by", "in_degree", "--top", "1"]) == 0
    assert "KAMADA T, 1989" in capsys.readouterr().out  # the most cited work of the export (7 papers cite it)
    assert main(["export", str(graph), "--projection", "cocitation", "-o", str(tmp_path / "map.json"), "-q"]) == 0
    network = json.loads((tmp_path / "map.json").read_text())["network"]
    assert len(network["items"]) > 100 and len(network["links"]) > 1000


def test_a_source_added_later_turns_a_cited_only_work_into_the_paper(tmp_path, capsys):
    from kg.cli import main
    from kg.store import open_graph

    citing = tmp_path / "citing.json"
    citing.write_text(
        json.dumps(
            {
                "status": "ok",
                "message-type": "work",
                "message": {
                    "DOI": "10.1/citing",
                    "title": ["A paper that cites"],
                    "issued": {"date-parts": [[2020]]},
                    "reference": [{"key": "r1", "DOI": "10.1/cited", "unstructured": "Lee A, 2019, A cited paper"}],
                },
            }
        )
    )
    cited = tmp_path / "cited.json"
    cited.write_text(json.dumps({"status": "ok", "message-type": "work", "message": {
        "DOI": "10.1/CITED", "title": ["The cited paper"], "issued": {"date-parts": [[2019]]}}}))  # fmt: skip
    store = tmp_path / "store"
    assert main(["build", str(citing), "--store", str(store), "-q"]) == 0
    only = "SELECT ?t WHERE { ?a kg:cites ?b . ?b kg:citedOnly true }"
    assert open_graph(store).query(only).rows  # known from the reference only
    assert main(["add", str(cited), "--store", str(store), "-q"]) == 0
    graph = open_graph(store)
    assert not graph.query(only).rows
    assert graph.query("ASK { ?a kg:cites ?b . ?b kg:title 'The cited paper' ; kg:citationCount 1 }").boolean
    assert main(["remove", str(cited), "--store", str(store), "-q"]) == 0
    assert open_graph(store).query(only).rows  # and back again


def test_author_cocitation_joins_an_author_as_references_print_them_and_as_papers_name_them():
    from kg.network.projections import projection
    from kg.network.readmodel import GraphData, Paper

    papers = {p: Paper(p) for p in ("a", "b", "k")}
    works = {"w1": Paper("W1"), "w2": Paper("W2"), "w3": Paper("W3")}
    data = GraphData(
        papers=papers, cited_works=works,
        citations=(("a", "w1"), ("a", "w2"), ("b", "k"), ("b", "w2"), ("b", "w3")),
        first_authors={"w1": "KAMADA T", "k": "Tomihisa Kamada", "w2": "Fruchterman TMJ", "w3": "Eades P"},
    )  # fmt: skip
    graph = projection(data, "author-cocitation")
    assert sorted(graph.nodes) == ["fruchterman t", "kamada t"]  # Eades is cited by one paper only
    assert graph["kamada t"]["fruchterman t"]["weight"] == 2 and graph.nodes["kamada t"]["citations"] == 2


def test_author_cocitation_of_a_real_export(shared_data, tmp_path):
    from kg.analysis.measures import analyze
    from kg.network.projections import projection
    from kg.network.readmodel import load_graph_data

    graph = _graph([shared_data / "wos-plaintext" / "wos_plaintext.txt"], tmp_path)
    view = projection(load_graph_data(graph), "author-cocitation")
    assert view.number_of_nodes() > 100 and view.number_of_edges() > 1000
    top = [row["label"] for row in analyze(view, top=10).ranking]
    assert "KAMADA T" in top and "Newman MEJ" in top


def test_below_the_citation_key_a_different_title_or_initial_keeps_two_works_apart():
    venue = "PHYS REV B"
    a = {"text": "Tserkovnyak Y., Transverse spin diffusion in ferromagnets, PRB, 79 (2009)", "year": 2009,
         "first_author": "Tserkovnyak", "cited_author": "Tserkovnyak Y", "venue": venue, "volume": "79",
         "title": "Transverse spin diffusion in ferromagnets"}  # fmt: skip
    b = {**a, "text": "Tserkovnyak Y., Spin pumping and magnetization dynamics, PRB, 79 (2009)",
         "title": "Spin pumping and magnetization dynamics in metallic multilayers"}  # fmt: skip
    c = {**a, "text": "Tserkovnyak A., PRB, 79 (2009)", "cited_author": "Tserkovnyak A", "title": None}
    d = {**a, "text": "Tserkovnyak Y., PRB, 79 (2009)", "title": None}
    assert [rule for _, rule in _cited(_citing(a, c, d))] == ["new", "new", "short_key"]  # d is a; c another
    assert [rule for _, rule in _cited(_citing(a, b, d))] == ["new", "new", "new"]  # d could be a or b: neither
