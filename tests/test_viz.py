"""kg viz without a browser: what the page carries (positions, communities, the side panel's facts), the cap, the
Content-Security-Policy and ``-o -`` (tests/test_browser.py opens the pages)."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import re
import subprocess
import sys
from collections import Counter

import pytest

from kg.cli import main
from kg.errors import UsageError
from kg.export.html import PALETTE, layout, render_page, vis_network_script
from kg.graph import KnowledgeGraph
from kg.network.projections import projection
from kg.network.readmodel import load_graph_data
from kg.pipeline import build
from kg.records import AuthorRef, Record, SourceRef


def record(title, authors, line, **fields) -> Record:
    return Record(title=title, authors=tuple(AuthorRef(a) for a in authors), source=SourceRef("list.txt", line, "test"),
                  **fields)  # fmt: skip


def payload(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S).group(1))


@pytest.fixture(scope="module")
def graph() -> KnowledgeGraph:
    return KnowledgeGraph.from_records([
        record("Ordered", ["Zed Young", "Amy Adams", "et al."], 7, date="2021-03", venue="ICML",
               ids={"doi": "10.1000/ordered", "url": "javascript:alert(1)"}),
        record("Second", ["Amy Adams", "Zed Young", "Cy Cole"], 9, date="2019"),
    ])  # fmt: skip


def test_a_paper_carries_its_authors_as_printed_and_where_it_was_read(graph):
    data = payload(render_page(graph).html)
    names = data["names"]
    ordered = next(p for p in data["papers"] if p["title"] == "Ordered")
    assert [names[a][1] for a in ordered["authors"]] == ["Zed Young", "Amy Adams"] and ordered["etal"]
    assert ordered["lines"] == ["list.txt:7"] and ordered["venue"] == "ICML" and ordered["date"] == "2021-03"
    # Only addresses kg builds (or http(s) ones) are links; the javascript: one is text.
    assert ordered["ids"] == [["DOI", "10.1000/ordered", "https://doi.org/10.1000/ordered"],
                              ["URL", "javascript:alert(1)", None]]  # fmt: skip
    second = next(p for p in data["papers"] if p["title"] == "Second")
    assert [names[a][1] for a in second["authors"]] == ["Amy Adams", "Zed Young", "Cy Cole"] and "etal" not in second


def test_a_node_lists_its_newest_papers_and_counts_names_over_all_of_them(monkeypatch):
    from kg.export import html

    monkeypatch.setattr(html, "NODE_PAPERS", 2)
    graph = KnowledgeGraph.from_records([
        record("Ordered", ["Amy Adams", "Zed Young"], 7, date="2021-03"),
        record("Second", ["Amy Adams", "Zed Young"], 9, date="2019"),
        record("Third", ["Amy Adams", "Zed Young"], 11, date="2021"),
        record("Fourth", ["Amy Adams", "Zed Young", "Cy Cole"], 12, date="2018"),
    ])  # fmt: skip
    data = payload(render_page(graph, projection="coauthor").html)
    names = data["names"]
    amy = next(n for n in data["nodes"] if n["label"] == "Amy Adams")
    assert [data["papers"][p]["title"] for p in amy["papers"]] == ["Ordered", "Third"]  # the newest two
    assert amy["count"] == 4 and amy["years"] == [2018, 2019, 2021]
    assert [(names[ref][1], count) for ref, count in amy["people"]] == [("Zed Young", 4), ("Cy Cole", 1)]
    assert amy["peopleTotal"] == 2
    monkeypatch.setattr(html, "PANEL_PEOPLE", 1)
    amy = next(n for n in payload(render_page(graph, projection="coauthor").html)["nodes"] if n["label"] == "Amy Adams")
    assert len(amy["people"]) == 1 and amy["peopleTotal"] == 2, "the page knows how many it leaves out"
    assert "Second" not in [paper["title"] for paper in data["papers"]], "a paper no node lists is not on the page"


def test_nodes_carry_positions_apart_from_each_other(graph):
    data = payload(render_page(graph).html)
    nodes = data["nodes"]
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            assert math.dist((a["x"], a["y"]), (b["x"], b["y"])) >= a["size"] + b["size"]  # no node hides another
    assert payload(render_page(graph).html)["nodes"] == nodes  # the same graph, the same picture


def test_layout_packs_components_without_overlap():
    import networkx as nx

    g = nx.disjoint_union_all([nx.complete_graph(6), nx.path_graph(4), nx.empty_graph(3)])
    positions = layout(g, sizes=dict.fromkeys(g, 5.0))
    assert sorted(positions) == sorted(g)
    points = list(positions.values())
    assert min(math.dist(a, b) for i, a in enumerate(points) for b in points[i + 1 :]) >= 10.0


def test_the_same_graph_gives_the_same_picture_in_every_run(seeds, tmp_path):
    path = tmp_path / "seeds.ttl"
    build([str(seeds)]).graph.save(path)
    pictures = []
    for hash_seed in ("1", "2"):  # each process iterates sets in its own order
        environment = {**os.environ, "PYTHONHASHSEED": hash_seed}
        result = subprocess.run([sys.executable, "-m", "kg", "viz", str(path), "-o", "-", "-q"], capture_output=True,
                                check=True, timeout=120, env=environment)  # fmt: skip
        pictures.append([(n["id"], n["x"], n["y"]) for n in payload(result.stdout.decode("utf-8"))["nodes"]])
    assert pictures[0] == pictures[1] and len(pictures[0]) == 277


def test_coauthor_page_is_coloured_by_the_communities_kg_analyze_finds():
    records = [record(f"A{i}", ["Ann Alder", "Abe Ash", "Ada Aspen"], i) for i in range(3)]
    records += [record(f"B{i}", ["Bea Birch", "Bo Beech", "Bill Bay"], 10 + i) for i in range(3)]
    records.append(record("Bridge", ["Ann Alder", "Bea Birch"], 20))
    graph = KnowledgeGraph.from_records(records)
    data = payload(render_page(graph, projection="coauthor").html)
    from kg.analysis.measures import analyze

    ranking = analyze(projection(load_graph_data(graph), "coauthor"), top=0).ranking
    assert {n["label"]: n["community"] for n in data["nodes"]} == {row["label"]: row["community"] for row in ranking}
    assert [(e["name"], e["colour"]) for e in data["legend"]] == [("Ann Alder & co.", PALETTE[0]),
                                                                   ("Bea Birch & co.", PALETTE[1])]  # fmt: skip
    assert data["colourBy"] == "community"
    assert payload(render_page(graph).html)["colourBy"] == "type"  # the mixed view: one colour per type


def test_max_nodes_keeps_a_share_of_every_type(seeds):
    graph = build([str(seeds)]).graph
    page = render_page(graph, max_nodes=50)
    kinds = Counter(n["kind"] for n in payload(page.html)["nodes"])
    assert kinds == {"paper": 14, "author": 14, "topic": 15, "org": 7}
    assert "showing the 50 most central of 277 nodes, each type its share" in page.notes[0]


def test_the_page_runs_only_vis_network_and_its_own_script_each_by_hash(graph):
    html = render_page(graph).html
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(scripts) == 2 and scripts[0] == vis_network_script()  # pyvis's copy of vis-network, as it ships
    digests = [base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode("ascii") for s in scripts]
    assert f"script-src 'sha256-{digests[0]}' 'sha256-{digests[1]}';" in policy
    assert "unsafe" not in policy and "default-src 'none'" in policy
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert "style-src 'sha256-" + base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode() in policy
    assert not any(marker in html for marker in ('src="http', 'href="http', "<script src", "<link"))


def test_hostile_text_stays_inside_the_data_block():
    evil = "</script><script>alert(1)</script><!--"
    html = render_page(KnowledgeGraph.from_records([record(evil, [evil], 1)])).html
    assert evil not in html and "alert(1)</script>" not in html
    assert payload(html)["papers"][0]["title"] == evil


def test_viz_writes_the_page_to_standard_output(graph, tmp_path, capsysbinary):
    path = tmp_path / "g.ttl"
    graph.save(path)
    assert main(["viz", str(path), "-o", "-", "--projection", "coauthor"]) == 0
    captured = capsysbinary.readouterr()
    assert captured.out.startswith(b"<!DOCTYPE html>") and captured.out.rstrip().endswith(b"</html>")
    assert b"kg: note: wrote standard output: 3 of 3 nodes" in captured.err
    assert main(["viz", str(path), "-o", "-", "-q"]) == 0
    assert capsysbinary.readouterr().err == b""


def test_negative_sizes_are_refused_in_one_line(graph, tmp_path, capsys):
    with pytest.raises(UsageError, match="max_nodes must be 0 or more"):
        render_page(graph, max_nodes=-1)
    path = tmp_path / "g.ttl"
    graph.save(path)
    assert main(["viz", str(path), "-o", str(tmp_path / "p.html"), "--depth", "-2"]) == 2
    assert capsys.readouterr().err == "kg: error: --depth must be 0 or more, not -2\n"


def test_the_typed_graph_measured_from_arrays_is_the_networkx_one(shared_data, seeds):
    from kg.analysis.measures import CENTRALITIES, Centralities
    from kg.export.html import _capped, _capped_parts
    from kg.network.projections import TypedParts, typed_graph

    report = build([str(seeds), str(shared_data / "wos-plaintext"), str(shared_data / "medline")], topics="none")
    data = load_graph_data(report.graph)
    parts, whole = TypedParts(data), typed_graph(data)
    assert len(parts) == whole.number_of_nodes() > 1000, "large enough for igraph's measures"
    from_arrays, from_networkx = Centralities(parts), Centralities(whole)
    assert from_arrays.engine == from_networkx.engine == "igraph"
    for measure in CENTRALITIES:
        assert from_arrays[measure] == from_networkx[measure], measure  # the same figures, to the last bit
    for cap in (50, 400):
        ours = _capped_parts(parts, from_arrays["pagerank"], cap)
        theirs = _capped(whole, from_networkx["pagerank"], cap)
        # (a NetworkX subgraph lists its nodes in the order of a set: the page orders them itself)
        assert sorted(ours.nodes(data=True)) == sorted(theirs.nodes(data=True))
        assert sorted(ours.edges(data=True), key=str) == sorted(theirs.edges(data=True), key=str)
    assert list(parts.networkx().edges(data=True)) == list(whole.edges(data=True))
