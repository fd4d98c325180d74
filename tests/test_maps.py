"""Maps for VOSviewer (JSON) and Pajek (.net): what those tools read, clustered as kg analyze clusters.

The VOSviewer JSON structure checked here is the one VOSviewer Online documents
(https://app.vosviewer.com/docs/file-types/json-file-type/, source
neesjanvaneck/VOSviewer-Online-Docs docs/file-types/json-file-type.md) and that its example networks
use (neesjanvaneck/VOSviewer-Online data/*.json: integer ids, ``weights``/``scores`` objects, links
listed once per pair); the rules VOSviewer Online enforces when it opens a file (src/utils/errors.js:
clusters 1..1000, weights non-negative numbers on every item, scores numbers, links between known
items with a non-negative strength) are checked too.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from collections import Counter
from numbers import Real

import networkx as nx
import pytest
from conftest import FIXTURES

from kg.cli import main
from kg.errors import KgError, UsageError
from kg.export.files import export_graph, write_graph
from kg.export.maps import MAX_CLUSTER, numbered_communities, pajek_label, pajek_text, vosviewer_map
from kg.graph import KnowledgeGraph
from kg.network.projections import PROJECTIONS, projection
from kg.network.readmodel import load_graph_data
from kg.records import AuthorRef, Record, SourceRef

# The documented attributes and their types (json-file-type.md); x, y, url, description are optional.
ITEM_TYPES = {
    "id": (str, int),
    "label": (str,),
    "description": (str,),
    "url": (str,),
    "x": (float, int),
    "y": (float, int),
    "cluster": (int,),
    "weights": (dict,),
    "scores": (dict,),
}
LINK_TYPES = {"source_id": (str, int), "target_id": (str, int), "strength": (float, int)}
TOP_LEVEL = {"network", "config", "info"}
TERMINOLOGY_KEYS = {"item", "items", "link", "links", "cluster", "clusters", "link_strength", "total_link_strength"}


def is_number(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)


def check_vosviewer(document: dict) -> None:
    """Fail unless ``document`` is a VOSviewer JSON network as documented and as VOSviewer Online accepts it."""
    assert set(document) <= TOP_LEVEL and set(document["network"]) <= {"items", "links", "clusters"}
    items, links = document["network"]["items"], document["network"]["links"]
    ids = [item["id"] for item in items]
    assert len(set(ids)) == len(ids)
    weight_keys = {tuple(sorted(item["weights"])) for item in items}
    assert len(weight_keys) <= 1, "every item must have the same weights (VOSviewer refuses a missing one)"
    for item in items:
        assert {"id", "label"} <= set(item) <= set(ITEM_TYPES), item
        for key, value in item.items():
            assert isinstance(value, ITEM_TYPES[key]) and not isinstance(value, bool), (key, value)
        if "cluster" in item:
            assert 1 <= item["cluster"] <= MAX_CLUSTER
        assert all(isinstance(k, str) and is_number(v) and v >= 0 for k, v in item["weights"].items())
        assert all(isinstance(k, str) and is_number(v) for k, v in item["scores"].items())
    known = set(ids)
    pairs = set()
    for link in links:
        assert set(link) == set(LINK_TYPES), link
        assert all(isinstance(link[k], LINK_TYPES[k]) for k in LINK_TYPES)
        assert link["source_id"] in known and link["target_id"] in known and link["source_id"] != link["target_id"]
        assert is_number(link["strength"]) and link["strength"] >= 0
        pair = frozenset((link["source_id"], link["target_id"]))
        assert pair not in pairs, "a pair is linked once (VOSviewer links have no direction)"
        pairs.add(pair)
    if items and not links:  # VOSviewer lays a map out from its links: without any, it needs coordinates
        assert all("x" in item and "y" in item for item in items)
        assert len({(item["x"], item["y"]) for item in items}) == len(items)
    for name, value in document.get("config", {}).get("terminology", {}).items():
        assert name in TERMINOLOGY_KEYS and isinstance(value, str)


def analyzed_communities(graph_path, name: str, capsys) -> dict[str, int]:
    assert main(["analyze", str(graph_path), "--projection", name, "--top", "0", "--json"]) == 0
    ranking = json.loads(capsys.readouterr().out)["ranking"]
    return {row["node"]: row["community"] for row in ranking}


def nodes_by_id(view) -> dict[int, str]:
    return {index: node for index, node in enumerate(sorted(view, key=str), start=1)}


@pytest.fixture(scope="module")
def seeds_graph(tmp_path_factory, seeds):
    from kg.pipeline import Target, build

    out = tmp_path_factory.mktemp("maps") / "seeds.trig"
    build([str(p) for p in sorted(seeds.glob("*.txt"))], target=Target(output=str(out)))
    return out


@pytest.fixture(scope="module")
def wos_graph(tmp_path_factory, shared_data):
    from kg.pipeline import Target, build

    out = tmp_path_factory.mktemp("maps") / "wos.trig"
    build([str(shared_data / "wos-plaintext" / "wos_plaintext.txt")], target=Target(output=str(out)))
    return out


@pytest.fixture(scope="module")
def scopus_graph(tmp_path_factory, shared_data):
    from kg.pipeline import Target, build

    out = tmp_path_factory.mktemp("maps") / "scopus.trig"
    build([str(shared_data / "scopus-csv" / "wblca_scopus.csv")], target=Target(output=str(out)))
    return out


def test_seed_maps_are_vosviewer_networks_clustered_as_kg_analyze(seeds_graph, tmp_path, capsys):
    data = load_graph_data(seeds_graph)
    for name in ("coauthor", "full", "topic"):
        path = tmp_path / f"{name}.json"
        assert main(["export", str(seeds_graph), "-o", str(path), "--projection", name, "-q"]) == 0
        document = json.loads(path.read_text(encoding="ascii"))
        check_vosviewer(document)
        view = projection(data, name)
        items = document["network"]["items"]
        assert len(items) == view.number_of_nodes() and len(document["network"]["links"]) > 0
        by_id = nodes_by_id(view)
        assert [item["label"] for item in items] == [view.nodes[by_id[item["id"]]]["label"] for item in items]
        communities = analyzed_communities(seeds_graph, name, capsys)
        assert {by_id[item["id"]]: item["cluster"] for item in items} == communities
    coauthor = json.loads((tmp_path / "coauthor.json").read_text(encoding="ascii"))
    assert coauthor["config"]["terminology"]["item"] == "Author"
    kelvin = next(item for item in coauthor["network"]["items"] if item["label"] == "Kelvin Xu")
    assert kelvin["weights"]["Documents"] >= 5 and kelvin["weights"]["Links"] >= 5
    assert 2000 < kelvin["scores"]["Avg. pub. year"] < 2030


def test_links_carry_the_projection_weights_and_each_items_totals(wos_graph, tmp_path):
    data = load_graph_data(wos_graph)
    view = projection(data, "coauthor")
    document = vosviewer_map(view, data, "coauthor")
    check_vosviewer(document)
    by_id = nodes_by_id(view)
    links = document["network"]["links"]
    assert len(links) == view.number_of_edges()
    for link in links:
        assert link["strength"] == view.edges[by_id[link["source_id"]], by_id[link["target_id"]]]["weight"]
    for item in document["network"]["items"]:
        node = by_id[item["id"]]
        assert item["weights"]["Links"] == view.degree(node)
        assert item["weights"]["Total link strength"] == view.degree(node, weight="weight")
        assert item["weights"]["Documents"] == len(data.papers_of[node])


def test_real_exports_give_maps_vosviewer_opens(wos_graph, scopus_graph, tmp_path, capsys):
    # Scopus: 1,236 co-authors, so kg analyze (and the map) takes its communities from igraph.
    for graph_path, name in ((wos_graph, "full"), (wos_graph, "org"), (scopus_graph, "coauthor")):
        path = tmp_path / f"{name}.json"
        exported = export_graph(graph_path, path, projection=name)
        document = json.loads(path.read_bytes())
        check_vosviewer(document)
        assert exported.format == "VOSviewer" and len(document["network"]["items"]) == exported.nodes
        view = projection(load_graph_data(graph_path), name)
        by_id = nodes_by_id(view)
        clusters = {by_id[item["id"]]: item["cluster"] for item in document["network"]["items"]}
        assert clusters == analyzed_communities(graph_path, name, capsys)
    assert exported.nodes >= 1000


def test_a_directed_view_gives_arcs_and_undirected_links(tmp_path):
    cites = nx.DiGraph()
    for node in "abc":
        cites.add_node(node, type="paper", label=node.upper(), date="2020")
    cites.add_edge("a", "b", weight=1)
    cites.add_edge("b", "a", weight=2)
    cites.add_edge("c", "a", weight=1)
    cites.add_edge("c", "c", weight=1)
    text = pajek_text(cites)
    assert "*Arcs\n1 2 1\n2 1 2\n3 1 1\n3 3 1\n" in text and "*Edges" not in text
    loaded = nx.read_pajek(_written(tmp_path / "c.net", text))
    assert loaded.is_directed() and loaded.number_of_edges() == 4
    document = vosviewer_map(cites)
    check_vosviewer(document)
    assert document["network"]["links"] == [
        {"source_id": 1, "target_id": 2, "strength": 3},
        {"source_id": 1, "target_id": 3, "strength": 1},
    ]
    assert "Documents" not in document["network"]["items"][0]["weights"]
    assert document["network"]["items"][0]["scores"] == {"Avg. pub. year": 2020}


def _written(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", [p for p in PROJECTIONS])
def test_pajek_round_trips_through_networkx(seeds_graph, tmp_path, name):
    view = projection(load_graph_data(seeds_graph), name)
    path = tmp_path / f"{name}.net"
    assert write_graph(view, path) == "Pajek"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"*Vertices {view.number_of_nodes()}\n")
    assert ("*Arcs\n" in text) == view.is_directed() and ("*Edges\n" in text) != view.is_directed()
    loaded = nx.read_pajek(path)
    labels = Counter(pajek_label(view.nodes[n]["label"]) for n in view)
    assert loaded.number_of_nodes() == len(labels)  # NetworkX names vertices by label: one per distinct label
    assert loaded.number_of_edges() == view.number_of_edges()
    assert Counter(round(w, 6) for _, _, w in loaded.edges(data="weight")) == Counter(
        round(float(w), 6) for _, _, w in view.edges(data="weight", default=1)
    )
    if len(labels) == view.number_of_nodes():
        by_label = {pajek_label(view.nodes[n]["label"]): n for n in view}
        for a, b, weight in loaded.edges(data="weight"):
            assert math.isclose(view.edges[by_label[a], by_label[b]].get("weight", 1), weight)


def test_pajek_keeps_every_vertex_and_weight_of_a_real_export(wos_graph, tmp_path):
    view = projection(load_graph_data(wos_graph), "coauthor")
    path = tmp_path / "wos.net"
    export_graph(wos_graph, path, projection="coauthor")
    lines = path.read_text(encoding="utf-8").splitlines()
    n = view.number_of_nodes()
    assert lines[0] == f"*Vertices {n}" and lines[n + 1] == "*Edges" and len(lines) == n + 2 + view.number_of_edges()
    by_id = nodes_by_id(view)
    for line in lines[n + 2 :]:
        a, b, weight = line.split()
        assert view.edges[by_id[int(a)], by_id[int(b)]]["weight"] == int(weight)
    # Two authors kg keeps apart under one name ("Borner, K") are two vertices, one label.
    assert Counter(line.split(" ", 1)[1] for line in lines[1 : n + 1]).most_common(1)[0][1] >= 2
    assert nx.read_pajek(path).number_of_edges() == view.number_of_edges()


HOSTILE = ['Ann "The Hammer" <script>alert(1)</script>', "Line\nbreak\r\n\tand \u2028 tab", "back\\slash\\", "Zoë 日本"]


def test_hostile_labels_are_written_safely(tmp_path):
    records = [
        Record(
            title='<img src=x onerror=alert(1)> "quoted"\ntitle {label}',
            authors=tuple(AuthorRef(name) for name in HOSTILE),
            date="2021",
            source=SourceRef("evil.txt", 1, "x"),
        )
    ]
    graph = KnowledgeGraph.from_records(records)
    for name in ("full", "coauthor"):
        json_path, net_path = tmp_path / f"{name}.json", tmp_path / f"{name}.net"
        export_graph(graph, json_path, projection=name)
        export_graph(graph, net_path, projection=name)
        raw = json_path.read_bytes()
        assert raw.isascii()
        document = json.loads(raw)
        check_vosviewer(document)
        for item in document["network"]["items"]:
            assert "<script" not in item["description"] and "<img" not in item["description"]
            assert "\n" not in item["label"]
            # No {name} within one text node: VOSviewer Online would fill it in as a template placeholder.
            assert not re.search(r"\{[^<>]*\}", item["description"]), item["description"]
        descriptions = " ".join(item["description"] for item in document["network"]["items"])
        if name == "coauthor":
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in descriptions and "&quot;The Hammer&quot;" in descriptions
        text = net_path.read_text(encoding="utf-8")
        vertex_lines = text.split("*Edges" if name == "coauthor" else "*Arcs")[0].splitlines()[1:]
        for line in vertex_lines:
            number, label = line.split(" ", 1)
            assert number.isdigit() and label.startswith('"') and label.endswith('"') and '"' not in label[1:-1]
        loaded = nx.read_pajek(net_path)
        view = projection(load_graph_data(graph), name)
        assert loaded.number_of_nodes() == view.number_of_nodes()
        assert loaded.number_of_edges() == view.number_of_edges()
    labels = set(nx.read_pajek(tmp_path / "coauthor.net"))
    assert "Ann 'The Hammer' <script>alert(1)</script>" in labels and "Zoë 日本" in labels


def test_clusters_past_vosviewers_limit_are_left_out():
    lonely = nx.Graph()
    lonely.add_nodes_from((f"n{i:04d}", {"type": "author", "label": f"N{i}"}) for i in range(MAX_CLUSTER + 2))
    document = vosviewer_map(lonely)
    items = document["network"]["items"]
    assert sum("cluster" not in item for item in items) == 2
    assert max(numbered_communities(lonely).values()) == MAX_CLUSTER + 2
    check_vosviewer(document)  # and, without links, on a circle: VOSviewer needs coordinates then


def test_pajek_to_standard_output_and_format_mismatches(seeds_graph, tmp_path, capsys):
    assert main(["export", str(seeds_graph), "-o", "-", "--format", "pajek", "--projection", "coauthor"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("*Vertices ") and "*Edges" in captured.out
    assert "wrote standard output (Pajek, coauthor)" in captured.err
    assert main(["export", str(seeds_graph), "-o", "-", "--format", "vosviewer", "-q"]) == 0
    captured = capsys.readouterr()
    check_vosviewer(json.loads(captured.out))
    assert captured.err == ""
    for argv, message in (
        (["-o", str(tmp_path / "m.net"), "--format", "vosviewer"], "the extension says Pajek, --format says vosviewer"),
        (["-o", str(tmp_path / "m.json"), "--format", "pajek"], "the extension says VOSviewer, --format says pajek"),
        (["-o", str(tmp_path / "m.txt")], "the export is written as .graphml, .gexf, .json or .net, not .txt"),
    ):
        assert main(["export", str(seeds_graph), *argv]) == 2
        err = capsys.readouterr().err
        assert err == f"kg: error: {tmp_path / argv[1].rsplit('/', 1)[1]}: {message}\n"
    assert not list(tmp_path.iterdir())


def test_a_failed_export_keeps_the_previous_map(tmp_path):
    path = tmp_path / "map.json"
    path.write_text("previous", encoding="utf-8")
    with pytest.raises(UsageError):
        export_graph(str(FIXTURES / "no-such-graph.ttl"), path, projection="people")
    with pytest.raises(KgError):
        export_graph(str(tmp_path / "no-such-graph.ttl"), path)
    assert path.read_text(encoding="utf-8") == "previous" and sorted(tmp_path.iterdir()) == [path]


def test_pajek_from_the_command_line_process(seeds_graph):
    done = subprocess.run(
        [sys.executable, "-m", "kg", "export", str(seeds_graph), "-o", "-", "--format", "pajek", "-q"],
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0 and done.stderr == b"" and done.stdout.startswith(b"*Vertices ")
