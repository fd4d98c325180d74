"""What a store keeps of its graph for the views (kg.store.ViewCache): read once, then the same answers without
reading the graph; never stale after a writable server's write; never trusted when damaged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES

from kg.analysis.reports import report
from kg.export.html import render_page
from kg.network import readmodel
from kg.network.readmodel import OPTIONAL_PARTS, load_graph_data, load_paper_details
from kg.pipeline import Target, build
from kg.store import SERVER_WRITES, StoreFolder, open_graph

PAGES = [FIXTURES / name for name in ("profile_sample.txt", "hf_sample.txt", "lab_sample.txt")]


@pytest.fixture
def store(tmp_path) -> Path:
    folder = tmp_path / "store"
    build([str(page) for page in PAGES], target=Target(store=str(folder)))
    return folder


def never_read(*_args, **_kwargs):
    raise AssertionError("the graph was read again")


def kept_files(store: Path) -> list[str]:
    return sorted(path.name.split(".")[0].split("-")[0] for path in store.glob("gen-*/views/*.json"))


def test_a_store_is_read_once_then_every_view_gives_the_same_answer_without_reading_it(store, monkeypatch):
    first_page = render_page(store).html
    first_report = report(store, projection="coauthor").to_dict()
    assert kept_files(store) == ["details", "readmodel"]
    monkeypatch.setattr(readmodel, "_answers", never_read)
    assert render_page(store).html == first_page
    assert report(store, projection="coauthor").to_dict() == first_report
    assert report(store, projection="org").to_dict()["nodes"] > 0  # the org view's part was read with the page


def test_a_view_needing_a_part_no_view_read_yet_reads_the_graph_once_more(store, monkeypatch):
    coauthor = load_graph_data(store, parts=())
    assert coauthor.parts == frozenset()
    full = load_graph_data(store)  # reads every part, keeps the union
    assert full.parts == frozenset(OPTIONAL_PARTS) and full.paper_orgs and full.topic_scores
    monkeypatch.setattr(readmodel, "_answers", never_read)
    assert load_graph_data(store, parts=()) == coauthor, "a view gets only the parts it asked for"
    assert load_graph_data(store) == full


def test_the_kept_model_is_what_the_graph_says_on_real_exports(tmp_path, shared_data, seeds):
    inputs = [seeds, shared_data / "wos-plaintext", shared_data / "openalex-references", shared_data / "medline"]
    folder = tmp_path / "store"
    build([str(path) for path in inputs], target=Target(store=str(folder)))
    from_graph = load_graph_data(open_graph(folder))  # reads the graph and keeps what it read
    details = load_paper_details(open_graph(folder))
    assert from_graph.citations and from_graph.cited_works and from_graph.topic_scores
    kept = readmodel._decode_data(open_graph(folder).views.read(readmodel._MODEL))
    assert kept == from_graph
    assert readmodel._decode_details(open_graph(folder).views.read(readmodel._DETAILS)) == details
    assert load_graph_data(folder) == from_graph
    # Read in worker processes (a store on disk) or here, one query at a time: the same read model.
    here = open_graph(folder)
    here.database_path = here.views = None
    assert load_graph_data(here) == from_graph and load_paper_details(here) == details


def test_a_page_drawn_from_the_kept_numbers_is_the_page_drawn_from_the_read_model(
    tmp_path, shared_data, seeds, store, monkeypatch
):
    """Read back from its file, the read model carries its numbers, and a large page is counted with numpy from
    them; made any other way, it has none: both pages must be byte-equal."""
    import dataclasses

    from kg.export import html
    from kg.network.projections import TypedParts

    inputs = [seeds, shared_data / "wos-plaintext", shared_data / "openalex-references", shared_data / "medline"]
    folder = tmp_path / "exports"
    build([str(path) for path in inputs], target=Target(store=str(folder)))
    # (projection, node cap, papers listed per node)
    for where, views in ((folder, [("full", 150, 100), ("full", 150, 2), ("coauthor", 60, 100), ("org", 100, 2),
                                   ("topic", 40, 100)]),
                         (store, [("full", 0, 2), ("coauthor", 0, 100)])):  # fmt: skip
        load_graph_data(where), load_paper_details(where)  # kept
        numbered = load_graph_data(where)
        plain = dataclasses.replace(numbered)
        assert numbered.numbered is not None and plain.numbered is None and plain == numbered
        a, b = TypedParts(numbered), TypedParts(plain)
        assert (a.nodes, a.kinds, a.predicate) == (b.nodes, b.kinds, b.predicate)
        assert a.source.tolist() == b.source.tolist() and a.target.tolist() == b.target.tolist()
        assert a.weight.tolist() == b.weight.tolist() and 0 < sum(w != 1 for w in a.weight.tolist()) < len(a.weight)
        for projection, max_nodes, newest in views:
            monkeypatch.setattr(html, "NODE_PAPERS", newest)
            pages = []
            for data in (numbered, plain):
                monkeypatch.setattr(html, "load_graph_data", lambda *_args, data=data, **_kwargs: data)
                pages.append(render_page(where, projection=projection, max_nodes=max_nodes).html)
            assert pages[0] == pages[1], (where.name, projection, max_nodes, newest)


def test_a_writable_servers_write_is_seen_by_the_next_view(store):
    import pyoxigraph

    before = load_graph_data(store)
    folder = StoreFolder(store)
    generation = store / folder.current_generation()
    insert = b"INSERT DATA { <urn:kg:test:p> a <https://w3id.org/kg/ontology#Paper> ; " \
             b"<https://w3id.org/kg/ontology#title> 'Written through the server' }"  # fmt: skip
    with folder.writing("a writable server (test)"):
        database = pyoxigraph.Store(str(generation / "oxigraph"))
        database.update(insert.decode())
        database.flush()
        del database
        folder.log_server_write("update", insert, None, None)
    assert (generation / SERVER_WRITES).is_file()
    after = load_graph_data(store)
    assert after.papers["urn:kg:test:p"].title == "Written through the server"
    assert len(after.papers) == len(before.papers) + 1
    assert len(list((generation / "views").glob("readmodel-*.json"))) == 1, "the stale model is gone"


@pytest.mark.parametrize(
    "damage",
    [
        b"not json",
        b'{"terms": []}',
        json.dumps({"terms": ["x"], "parts": [], "papers": [[0, "T", None, None, "2020", []]], "labels": [],
                    "authored": [], "cites": [], "affiliated": [], "paper_orgs": [], "topic_scores": [],
                    "citations": [], "cited_works": [], "first_authors": []}).encode(),  # a year as text
    ],
)  # fmt: skip
def test_a_damaged_kept_model_is_read_from_the_graph_again(store, damage):
    expected = load_graph_data(open_graph(store))
    for path in store.glob("gen-*/views/*.json"):
        path.write_bytes(damage)
    assert load_graph_data(store) == expected
    assert load_paper_details(store) == load_paper_details(open_graph(store))


def test_a_store_that_cannot_keep_the_model_still_gives_every_view(store):
    generation = next(store.glob("gen-*"))
    (generation / "views").write_text("a file where the folder would go")  # as a read-only disk: nothing is kept
    page = render_page(store).html
    assert render_page(store).html == page
    assert (generation / "views").is_file()


def test_a_value_kg_cannot_keep_is_read_from_the_graph_each_time(store):
    import pyoxigraph

    folder = StoreFolder(store)
    generation = store / folder.current_generation()
    insert = "INSERT DATA { <urn:kg:test:p> a <https://w3id.org/kg/ontology#Paper> ; " \
             "<https://w3id.org/kg/ontology#year> 100000000000000000000 }"  # fmt: skip
    with folder.writing("a writable server (test)"):
        database = pyoxigraph.Store(str(generation / "oxigraph"))
        database.update(insert)
        database.flush()
        del database
        folder.log_server_write("update", insert.encode(), None, None)
    assert load_graph_data(store).papers["urn:kg:test:p"].year == 10**20  # past what the kept file can hold
    assert render_page(store).shown > 0, "every view still draws"
    assert not list((generation / "views").glob("readmodel-*.json")), "nothing kept, nothing wrong"


def test_kept_files_are_plain_files_in_the_store_never_links(store, tmp_path):
    import os

    generation = next(store.glob("gen-*"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (generation / "views").symlink_to(elsewhere)
    expected = load_graph_data(open_graph(store))
    assert load_graph_data(store) == expected
    assert list(elsewhere.iterdir()) == [], "nothing written through a link"
    (generation / "views").unlink()
    load_graph_data(store)  # keeps the read model
    (kept,) = (generation / "views").glob("readmodel-*.json")
    kept.unlink()
    os.mkfifo(kept)  # a reader would wait on it for ever
    assert load_graph_data(store) == expected
