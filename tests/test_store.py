"""The persistent store: kg build --store, kg add / kg remove, and every command reading a store."""

from __future__ import annotations

import shutil

from conftest import FIXTURES

from kg.cli import main
from kg.graph import KnowledgeGraph
from kg.store import is_store, open_graph

PAGES = ["profile_sample.txt", "hf_sample.txt", "lab_sample.txt"]


def test_incremental_add_and_remove_equal_a_full_build(tmp_path, capsys):
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in PAGES:
        shutil.copy(FIXTURES / name, pages / name)
    store = tmp_path / "store"
    assert main(["build", str(pages / PAGES[0]), "--store", str(store), "-q"]) == 0
    assert is_store(store)
    for name in PAGES[1:]:
        assert main(["add", str(pages / name), "--store", str(store), "-q"]) == 0
    full = tmp_path / "full.nq"
    assert main(["build", *[str(pages / n) for n in PAGES], "-o", str(full), "-q"]) == 0
    assert open_graph(store).canonical_nquads() == KnowledgeGraph.load(full).canonical_nquads()
    assert main(["remove", str(pages / PAGES[1]), "--store", str(store), "-q"]) == 0
    partial = tmp_path / "partial.nq"
    assert main(["build", str(pages / PAGES[0]), str(pages / PAGES[2]), "-o", str(partial), "-q"]) == 0
    assert open_graph(store).canonical_nquads() == KnowledgeGraph.load(partial).canonical_nquads()


def test_unchanged_source_is_a_no_op_and_a_changed_one_is_replaced(tmp_path, capsys):
    page = tmp_path / "hf.txt"
    shutil.copy(FIXTURES / "hf_sample.txt", page)
    store = tmp_path / "store"
    assert main(["build", str(page), "--store", str(store)]) == 0
    capsys.readouterr()
    assert main(["add", str(page), "--store", str(store)]) == 0
    assert "unchanged since it was added; nothing to do" in capsys.readouterr().err
    page.write_text(page.read_text(encoding="utf-8").replace("Universal Transformers", "Universal Transformers II"))
    assert main(["add", str(page), "--store", str(store)]) == 0
    assert "replaced, 4 paper(s)" in capsys.readouterr().err
    titles = open_graph(store).query("SELECT ?t WHERE { ?p kg:title ?t }").as_dicts()
    assert {"t": "Universal Transformers II"} in titles and {"t": "Universal Transformers"} not in titles


def test_stats_of_a_store_lists_its_sources_in_the_order_they_were_added(tmp_path, capsys, monkeypatch):
    store = tmp_path / "store"
    assert main(["build", str(FIXTURES / "lab_sample.txt"), "--store", str(store), "-q"]) == 0
    assert main(["add", str(FIXTURES / "hf_sample.txt"), "--store", str(store), "-q"]) == 0
    monkeypatch.setenv("COLUMNS", "200")
    capsys.readouterr()
    assert main(["stats", str(store)]) == 0
    sources = capsys.readouterr().out.split("Nodes per class", 1)[0]
    rows = [line for line in sources.splitlines() if "_sample.txt" in line]
    names = [row.split("│")[1].strip() for row in rows]
    assert names == [str(FIXTURES / name) for name in ("lab_sample.txt", "hf_sample.txt")]
    assert "hf-papers" in rows[1]
    monkeypatch.setenv("COLUMNS", "50")  # a long path keeps its file name
    assert main(["stats", str(store)]) == 0
    assert "…" in (narrow := capsys.readouterr().out.split("Nodes per class", 1)[0]) and "hf_sample.txt" in narrow
    assert main(["remove", str(FIXTURES / "lab_sample.txt"), "--store", str(store), "-q"]) == 0
    assert main(["stats", str(store)]) == 0
    assert "lab_sample.txt" not in capsys.readouterr().out


def test_commands_read_a_store_like_a_file(tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["build", str(FIXTURES / "profile_sample.txt"), "--store", str(store), "-q"]) == 0
    assert (
        main(["query", str(store), "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a kg:Paper }", "--format", "csv"]) == 0
    )
    assert capsys.readouterr().out.splitlines()[1] == "6"
    for command in (["stats", str(store)], ["topics", str(store)], ["validate", str(store)]):
        assert main(command) == 0


def test_store_errors(tmp_path, capsys):
    assert main(["add", str(FIXTURES / "hf_sample.txt"), "--store", str(tmp_path / "nothing")]) == 2
    assert "not a kg store" in capsys.readouterr().err
    store = tmp_path / "store"
    assert main(["build", str(FIXTURES / "hf_sample.txt"), "--store", str(store), "-q"]) == 0
    assert main(["remove", "never-added.txt", "--store", str(store)]) == 1
    assert "not a source of" in capsys.readouterr().err
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "keep.txt").write_text("mine")
    assert main(["build", str(FIXTURES / "hf_sample.txt"), "--store", str(occupied)]) == 2
    assert (occupied / "keep.txt").read_text() == "mine"
    assert main(["build", str(FIXTURES / "hf_sample.txt")]) == 2
