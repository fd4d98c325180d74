"""NetworkX export and projections, centrality analysis, plots, and the HTML page options."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from conftest import FIXTURES

from kg.analysis.measures import EXACT_BETWEENNESS_MAX_NODES, analyze, papers_per_year
from kg.cli import main
from kg.errors import UsageError
from kg.export.html import render_page
from kg.graph import KnowledgeGraph
from kg.network.projections import load_graph_data, projection, write_graph
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
    with pytest.raises(UsageError, match=r"graphml or \.gexf"):
        write_graph(original, str(tmp_path / "x.csv"))


def test_analysis_ranks_the_hub_first(data):
    result = analyze(projection(data, "coauthor"), top=3)
    assert result.ranking[0]["label"] == "Ann Lee"
    assert result.ranking[0]["degree"] == 3 and result.ranking[0]["weighted_degree"] == 4.0
    assert set(result.ranking[0]) >= {"betweenness", "closeness", "pagerank", "eigenvector", "community"}
    assert result.components == [4, 1]
    assert "closeness computed for the 3 nodes shown only" in result.approximations[0]


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
    pytest.importorskip("igraph", reason="igraph is optional (pip install 'kg[fast-graphs]')")
    import random

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
    assert any("igraph" in note for note in by_igraph.approximations)
    assert [r["label"] for r in by_igraph.ranking] == [r["label"] for r in by_networkx.ranking]
    for ours, theirs in zip(by_igraph.ranking, by_networkx.ranking, strict=True):
        assert ours["pagerank"] == pytest.approx(theirs["pagerank"], abs=2e-4)
        assert ours["eigenvector"] == pytest.approx(theirs["eigenvector"], abs=1e-3)  # NetworkX stops at tol 1e-6
        assert ours["closeness"] == pytest.approx(theirs["closeness"], abs=1e-4)
        assert ours["betweenness"] == pytest.approx(theirs["betweenness"], abs=2e-3)
    assert abs(len(by_igraph.communities) - len(by_networkx.communities)) <= 3
