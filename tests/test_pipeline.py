"""kg build end to end: on our fixtures, on the real seeds, and with bad inputs or outputs."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph
import pytest
from conftest import FIXTURES, TODAY

from kg.cli import main
from kg.graph import KnowledgeGraph
from kg.pipeline import BuildOptions, Target, build
from kg.query import read_query
from kg.validate import validate_graph

QUERIES = Path(__file__).resolve().parents[1] / "examples" / "queries"
PAGES = [str(FIXTURES / n) for n in ("profile_sample.txt", "hf_sample.txt", "lab_sample.txt")]


def test_build_reports_per_source_and_writes(tmp_path, capsys):
    out = tmp_path / "g.ttl"
    assert main(["build", *PAGES, "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"{PAGES[0]}: 6 paper(s) read as profile-text" in err
    assert f"{PAGES[1]}: 4 paper(s) read as hf-papers" in err
    assert "13 papers" in err and "0 failed" in err
    assert len(KnowledgeGraph.load(out)) > 0


def test_failed_input_still_writes_the_rest(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = tmp_path / "g.nt"
    assert main(["build", PAGES[0], str(empty), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"kg: error: {empty}: empty file" in err
    graph = KnowledgeGraph.load(out)
    assert graph.query("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a kg:Paper }").as_dicts() == [{"n": 6}]


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("g.docx", "a graph is written as .ttl, .nt, .nq, .trig, .jsonld"),
        ("no/such/dir/g.ttl", "does not exist"),
    ],
)
def test_bad_output_fails_before_reading(tmp_path, capsys, output, message):
    assert main(["build", *PAGES, "-o", str(tmp_path / output)]) == 2
    err = capsys.readouterr().err
    assert message in err and "paper(s) read" not in err


def test_bad_base_is_a_usage_error(tmp_path, capsys):
    assert main(["build", *PAGES, "-o", str(tmp_path / "g.ttl"), "--base", "urn:x"]) == 2
    assert "base IRI 'urn:x'" in capsys.readouterr().err


def test_records_without_title_or_abstract_are_skipped(tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text(
        '{"title": null, "authors": [{"name": "Ann Lee"}], "authors_truncated": false, "author_count": null, '
        '"date_inferred": false, "abstract": null, "source": null}\n'
    )
    report = build([str(path)])
    assert report.skipped == [f"{path}:1: no title and no abstract"]
    assert report.papers_read == 0


@pytest.fixture(scope="module")
def seed_build(seeds):
    report = build([str(seeds)], orgs=())
    assert not report.failures
    return report


def test_seed_graph_validates_clean(seed_build):
    assert validate_graph(seed_build.graph) == []


def test_seed_graph_counts(seed_build):
    counts = dict(seed_build.graph.stats()["classes"])
    assert counts["kg:Paper"] == 78 and counts["kg:Source"] == 3
    # "Gemini Team" and "The Theano Development Team", printed among the authors, are orgs.
    assert counts["kg:Author"] == 55 and counts["kg:Org"] == 7


def test_page_owner_is_the_most_prolific_author(seed_build):
    rows = seed_build.graph.query(read_query(str(QUERIES / "top-authors.rq"))).as_dicts()
    # Printed on 13 of his page's papers, listed on all 26: the page owner is an author of every one.
    assert (rows[0]["name"], rows[0]["papers"]) == ("Kelvin Xu", 26)
    assert rows[1]["papers"] == 2


def test_seed_topics_per_year(seed_build):
    rows = seed_build.graph.query(read_query(str(QUERIES / "papers-per-topic-per-year.rq"))).as_dicts()
    assert {"topic": "Computation and Language", "year": 2023, "papers": 4} in rows
    categories = {"Machine Learning", "Computation and Language", "Artificial Intelligence",
                  "Computer Vision and Pattern Recognition", "Symbolic Computation"}  # fmt: skip
    assert sum(r["papers"] for r in rows if r["topic"] in categories) == 26
    rl = {r["year"]: r["papers"] for r in rows if r["topic"] == "reinforcement learning"}
    assert rl[2024] >= 3 and sum(rl.values()) >= 20


@pytest.mark.parametrize("extension", [".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf"])
def test_seed_graph_every_serialization_parses_strictly(seed_build, tmp_path, extension):
    path = tmp_path / f"seeds{extension}"
    seed_build.graph.save(path)
    rdf_format = pyoxigraph.RdfFormat.from_extension(extension[1:])
    assert sum(1 for _ in pyoxigraph.parse(path=str(path), format=rdf_format)) > 1000


def test_hf_dates_pinned_by_as_of(tmp_path):
    report = build(PAGES[1:2], as_of=TODAY)
    rows = report.graph.query('SELECT ?d WHERE { ?p kg:title "Skip a Layer or Loop it? Test-Time Depth Adaptation '
                              'of Pretrained LLMs" ; kg:date ?d ; kg:dateInferred true }').as_dicts()  # fmt: skip
    assert rows == [{"d": "2026-07-10"}]


def test_seed_answers_shown_in_readme(seed_build):
    graph = seed_build.graph
    orgs = graph.query(read_query(str(QUERIES / "orgs-by-papers.rq"))).as_dicts()
    assert [(r["name"], r["papers"]) for r in orgs][:2] == [("Google DeepMind", 6), ("Anthropic", 4)]
    coauthors = graph.query(read_query(str(QUERIES / "coauthors.rq")), {"name": "Kelvin Xu"}).as_dicts()
    assert [r["coauthor"] for r in coauthors if r["shared"] == 2] == [
        "Charlie Snell", "Chelsea Finn", "Laura Culp", "Mohammad Norouzi", "Ofir Nachum", "Orhan Firat",
        "Rohan Anil", "Sergey Levine",
    ]  # fmt: skip
    title = "Show, Attend and Tell: Neural Image Caption Generation with Visual Attention"
    says = graph.query(read_query(str(QUERIES / "who-says-authored.rq")), {"name": "Kelvin Xu", "title": title})
    assert [(r["line"], r["printed"], r["position"]) for r in says.as_dicts()] == [(76, "Kelvin Xu", 1)]
    sources = graph.query(read_query(str(QUERIES / "papers-with-sources.rq"))).as_dicts()
    assert len(sources) == 78


def test_progress_is_told_each_step_and_quiet_when_not_a_terminal(tmp_path, capsys):
    stages = []
    build(PAGES, target=Target(output=str(tmp_path / "g.nt")), progress=lambda stage, *counts: stages.append(stage))
    assert stages.count("reading inputs") == len(PAGES) + 2  # begun, one a file, over (tests/test_progress.py)
    assert "resolving authors" in stages and "writing statements" in stages
    assert stages[-1] == f"writing {tmp_path / 'g.nt'}"
    assert main(["build", *PAGES, "-o", str(tmp_path / "g.ttl"), "-q"]) == 0
    assert capsys.readouterr().err == ""  # no spinner when stderr is not a terminal


COUNTED_LIVE = {
    "author": "SELECT ?node (COUNT(DISTINCT ?paper) AS ?n) WHERE { ?node kg:authored ?paper } GROUP BY ?node",
    "topic": "SELECT ?node (COUNT(DISTINCT ?paper) AS ?n) WHERE { ?paper kg:citesTopic ?node } GROUP BY ?node",
    "org": """SELECT ?node (COUNT(DISTINCT ?paper) AS ?n) WHERE {
                { ?paper kg:affiliated ?node } UNION { ?paper kg:hasAuthorship/kg:affiliated ?node }
                ?paper a kg:Paper } GROUP BY ?node""",
    "topic year": """SELECT ?node ?year (COUNT(DISTINCT ?paper) AS ?n) WHERE {
                ?paper kg:citesTopic ?node ; kg:date ?date
                BIND (xsd:integer(SUBSTR(STR(?date), 1, 4)) AS ?year) } GROUP BY ?node ?year""",
}


def test_materialised_counts_equal_counting_every_paper(seed_build):
    """kg:paperCount and the topic years (graph counts) say what aggregating over the whole graph says."""
    graph = seed_build.graph
    counted = "SELECT ?node ?n WHERE { ?node kg:authorPaperCount|kg:orgPaperCount|kg:topicPaperCount ?n }"
    stored = {(row["node"], None): row["n"] for row in graph.query(counted).as_dicts()}
    years = "SELECT ?node ?year ?n WHERE { [] a kg:TopicYear; kg:countsTopic ?node ; kg:year ?year ; kg:paperCount ?n }"
    stored.update(((row["node"], row["year"]), row["n"]) for row in graph.query(years).as_dicts())
    live = {}
    for sparql in COUNTED_LIVE.values():
        for row in graph.query(sparql).as_dicts():
            live[(row["node"], row.get("year"))] = row["n"]
    assert len(stored) > 100
    assert stored == live


# Every build option, each on both targets: a graph file and a store folder must hold the same graph.
OPTION_CASES = {
    "defaults": ({}, PAGES),
    "base": ({"base": "https://example.org/kg/"}, PAGES),
    "topics keyphrase": ({"topics": "keyphrase", "min_topic_papers": 1}, PAGES),
    "topics vocabulary+keyphrase": ({"topics": "vocabulary+keyphrase"}, PAGES),
    "no topics": ({"topics": "none"}, PAGES),
    "max topics": ({"max_topics": 1}, PAGES),
    "aliases": ({"aliases": "aliases"}, PAGES),
    "format": ({"format": "profile-text"}, PAGES[:1]),
    "as of": ({"as_of": "2024-05-01"}, PAGES),
    "orgs": ({"orgs": ("Mila", "Acme Lab")}, PAGES),
    "mapping": ({"format": "records", "mapping": (("title", "paper_title"), ("authors", "people"))}, ["table"]),
    "strict": ({"strict": True}, PAGES),
}


def _case_options(values: dict, tmp_path: Path):
    import datetime

    from kg.pipeline import BuildOptions
    from kg.resolve.aliases import Aliases

    values = dict(values)
    if values.get("aliases"):
        values["aliases"] = Aliases.from_dict(
            {"authors": {"same": [["Kelvin Xu", "K. Xu"]]}, "orgs": {"same": [["Mila", "Montreal Institute"]]}}, "test"
        )
    if values.get("as_of"):
        values["as_of"] = datetime.date.fromisoformat(values["as_of"])
    return BuildOptions(**values)


def _case_inputs(inputs: list[str], tmp_path: Path) -> list[str]:
    if inputs != ["table"]:
        return inputs
    table = tmp_path / "odd.jsonl"
    table.write_text(
        '{"paper_title": "Universal Transformers", "people": ["Mostafa Dehghani", "Lukasz Kaiser"]}\n'
        '{"paper_title": "Show, Attend and Tell", "people": ["Kelvin Xu"]}\n',
        encoding="utf-8",
    )
    return [str(table)]


@pytest.mark.parametrize("case", sorted(OPTION_CASES))
def test_file_and_store_builds_are_equal_for_every_option(tmp_path, case):
    from kg.store import open_graph

    values, inputs = OPTION_CASES[case]
    options = _case_options(values, tmp_path)
    inputs = _case_inputs(inputs, tmp_path)
    to_file = build(inputs, options, Target(output=str(tmp_path / "g.nq")))
    to_store = build(inputs, options, Target(store=str(tmp_path / "store")))
    assert to_file.status == to_store.status == 0
    assert to_file.papers_read > 0
    assert open_graph(tmp_path / "g.nq").canonical_nquads() == open_graph(tmp_path / "store").canonical_nquads()
    # The same notes and counts on both paths.
    assert [s.notes for s in to_file.sources] == [s.notes for s in to_store.sources]
    assert to_file.notes == to_store.notes and to_file.counts == to_store.counts
    assert to_file.statements == to_store.statements


def test_options_change_the_graph_they_are_about(tmp_path):
    """The equality above is not two empty graphs: each option leaves its mark."""

    def quads(values, inputs=PAGES):
        report = build(_case_inputs(inputs, tmp_path), _case_options(values, tmp_path))
        return report.graph.canonical_nquads().decode("utf-8")

    plain = quads({})
    assert "https://example.org/kg/paper/" in quads({"base": "https://example.org/kg/"})
    assert plain.count("hasTopicAssignment") > quads({"max_topics": 1}).count("hasTopicAssignment") > 0
    assert "hasTopicAssignment" not in quads({"topics": "none"})
    assert "Acme Lab" in quads({"orgs": ("Acme Lab",)}) and "Acme Lab" not in plain
    mapped = {"format": "records", "mapping": (("title", "paper_title"), ("authors", "people"))}
    assert "Universal Transformers" in quads(mapped, ["table"])


def test_add_and_remove_keep_the_options_of_the_store(tmp_path):
    from kg.pipeline import BuildOptions, add, remove
    from kg.store import open_graph

    options = BuildOptions(max_topics=1, base="https://example.org/kg/")
    store = str(tmp_path / "store")
    build(PAGES[:1], options, Target(store=store))
    for page in PAGES[1:]:
        assert add(store, page).change == "added"
    build(PAGES, options, Target(output=str(tmp_path / "full.nq")))
    assert open_graph(store).canonical_nquads() == open_graph(tmp_path / "full.nq").canonical_nquads()
    unchanged = add(store, PAGES[1])
    assert unchanged.change == "unchanged" and not unchanged.written
    removed = remove(store, PAGES[1])
    assert removed.change == "removed" and removed.graph_sources == 2
    assert "13 papers" not in removed.summary() and "from 2 source(s)" in removed.summary()
    build([PAGES[0], PAGES[2]], options, Target(output=str(tmp_path / "partial.nq")))
    assert open_graph(store).canonical_nquads() == open_graph(tmp_path / "partial.nq").canonical_nquads()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_build_whose_inputs_all_fail_leaves_the_store_and_the_file_as_they_were(tmp_path, capsys):
    store, out = tmp_path / "store", tmp_path / "g.ttl"
    assert main(["build", *PAGES, "--store", str(store), "-o", str(out), "-q"]) == 0
    before, written = _snapshot(store), out.read_bytes()
    assert main(["build", str(tmp_path / "typo.jsonl"), "--store", str(store), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "typo.jsonl: no such file or directory" in err and "no input could be read; nothing was written" in err
    assert _snapshot(store) == before and out.read_bytes() == written


def test_strict_with_a_failing_input_leaves_the_store_as_it_was(tmp_path, capsys):
    store = tmp_path / "store"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["build", PAGES[0], "--store", str(store), "-q"]) == 0
    before = _snapshot(store)
    assert main(["build", *PAGES, str(empty), "--store", str(store), "--strict"]) == 1
    err = capsys.readouterr().err
    assert f"kg: error: {empty}: empty file" in err and "--strict: 1 input(s) failed; nothing was written" in err
    assert _snapshot(store) == before
    # Without --strict the readable inputs are built, and the failure still sets the exit status.
    assert main(["build", *PAGES, str(empty), "--store", str(store), "-q"]) == 1
    assert _snapshot(store) != before


def test_one_paper_one_year_everywhere(tmp_path):
    """Two sources date one paper 2019 and 2018: the paper, its counts and the views all say 2018."""
    from kg.records import AuthorRef, Record, SourceRef
    from kg.resolve.papers import resolve_papers

    records = [
        Record(title="Universal Transformers", authors=(AuthorRef("Ann Lee"),), date="2019-03-05",
               categories=("LG",), source=SourceRef("a.txt", 1, "x")),
        Record(title="Universal transformers", authors=(AuthorRef("Ann Lee"),), date="2018-07-10",
               categories=("LG",), source=SourceRef("b.txt", 4, "x")),
    ]  # fmt: skip
    papers, _ = resolve_papers(records)
    assert [(p.year, p.date, p.title) for p in papers] == [(2018, "2018-07-10", "Universal Transformers")]
    jsonl = tmp_path / "records.jsonl"
    jsonl.write_text("".join(__import__("json").dumps(r.to_dict()) + "\n" for r in records), encoding="utf-8")
    graph = build([str(jsonl)], topics="none").graph
    rows = graph.query("SELECT DISTINCT ?y ?d ?t WHERE { ?p kg:year ?y ; kg:date ?d ; kg:title ?t }").as_dicts()
    assert rows == [{"y": 2018, "d": "2018-07-10", "t": "Universal Transformers"}]
    cells = graph.query("SELECT ?y ?n WHERE { ?c a kg:TopicYear ; kg:year ?y ; kg:paperCount ?n }").as_dicts()
    assert cells == [{"y": 2018, "n": 1}]
    assert not [result for result in validate_graph(graph) if result.severity == "Violation"]


def test_a_source_named_two_ways_is_one_source_and_new_reading_options_reread_it(tmp_path, monkeypatch):
    import shutil

    from kg.pipeline import add
    from kg.store import StoreFolder

    shutil.copy(PAGES[0], tmp_path / "profile.txt")
    monkeypatch.chdir(tmp_path)
    build(["profile.txt"], target=Target(store="st"))
    assert add("st", "./profile.txt").change == "unchanged"
    assert [entry.name for entry in StoreFolder("st").sources()] == ["profile.txt"]
    again = add("st", "profile.txt", BuildOptions(orgs=("Acme Lab",)))
    assert again.change == "replaced" and "Acme Lab" in again.graph.canonical_nquads().decode("utf-8")
    assert [entry.read_options["orgs"] for entry in StoreFolder("st").sources()] == [["Acme Lab"]]


def test_store_mistakes_are_one_line_and_change_nothing(tmp_path, capsys):
    from kg.store import StoreFolder

    store = tmp_path / "store"
    assert main(["build", PAGES[0], "--store", str(store), "-q"]) == 0
    before = _snapshot(store)
    assert main(["remove", "never-added.txt", "--store", str(store)]) == 1
    err = capsys.readouterr().err
    assert "never-added.txt: not a source of" in err and _snapshot(store) == before
    # Writing the file fails after the graph is built: the store is left as it was, and the error is one line.
    assert main(["build", *PAGES, "--store", str(store), "-o", "/proc/kg-test-graph.ttl", "-q"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kg: error: /proc/kg-test-graph.ttl: cannot be written") and err.count("\n") == 1
    assert _snapshot(store) == before
    records = store / "records" / StoreFolder(store).sources()[0].records
    records.unlink()
    assert main(["add", PAGES[1], "--store", str(store)]) == 1
    err = capsys.readouterr().err
    assert "are missing from the store" in err and "Traceback" not in err


def test_options_are_checked_and_converted(tmp_path):
    import datetime

    from kg.errors import UsageError

    assert BuildOptions(as_of="2024-05-01").as_of == datetime.date(2024, 5, 1)
    for bad in ({"max_topics": "3"}, {"as_of": "May 2024"}, {"orgs": "Mila"}, {"topics": "magic"}):
        with pytest.raises(UsageError) as caught:
            BuildOptions(**bad)
        assert caught.value.option == next(iter(bad))


def test_one_chosen_name_labels_a_person_and_old_graphs_keep_their_years(tmp_path):
    from kg.network.readmodel import load_graph_data
    from kg.records import AuthorRef, Record, SourceRef

    records = [
        Record(title="Universal Transformers", authors=(AuthorRef("Ł. Kaiser"),), date="2018",
               source=SourceRef("a", 1, "x")),
        Record(title="Universal transformers", authors=(AuthorRef("Łukasz Kaiser"),), date="2019",
               source=SourceRef("b", 1, "x")),
    ]  # fmt: skip
    graph = KnowledgeGraph.from_records(records)
    data = load_graph_data(graph)
    assert sorted(label for kind, label, _ in data.labels.values() if kind == "author") == ["Łukasz Kaiser"]
    assert [paper.year for paper in data.papers.values()] == [2018]
    # A graph written before kg chose years (no kg:year): the views read the year from the date.
    older = tmp_path / "older.nq"
    lines = graph.canonical_nquads().decode("utf-8").splitlines()
    older.write_text("\n".join(line for line in lines if "ontology#year>" not in line) + "\n", encoding="utf-8")
    assert [paper.year for paper in load_graph_data(KnowledgeGraph.load(older)).papers.values()] == [2018]


def test_a_failing_input_reads_the_same_on_both_targets(tmp_path):
    from kg.store import open_graph

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    to_file = build([*PAGES, str(empty)], target=Target(output=str(tmp_path / "g.nq")))
    to_store = build([*PAGES, str(empty)], target=Target(store=str(tmp_path / "store")))
    assert to_file.status == to_store.status == 1
    assert [str(f) for f in to_file.failures] == [str(f) for f in to_store.failures] == [f"{empty}: empty file"]
    assert to_file.summary().split(": ", 1)[1] == to_store.summary().split(": ", 1)[1]
    assert open_graph(tmp_path / "g.nq").canonical_nquads() == open_graph(tmp_path / "store").canonical_nquads()
    strict = build([*PAGES, str(empty)], target=Target(output=str(tmp_path / "s.nq")), strict=True)
    assert strict.status == 1 and strict.refused and not (tmp_path / "s.nq").exists()


def test_sources_that_disagree_on_a_title_leave_one_title_a_variant_and_a_warning(tmp_path, capsys):
    import json

    rows = [("Attention Is All You Need", "1706.03762", 1), ("Attention is all you need.", "1706.03762v5", 2),
            ("Transformers: attention is all you need", "1706.03762", 3)]  # fmt: skip
    path = tmp_path / "t.jsonl"
    path.write_text("".join(json.dumps({"title": title, "authors": [{"name": "Ashish Vaswani"}], "ids": {"arxiv": a},
                                        "source": {"path": "t.jsonl", "line": line, "format": "x"}}) + "\n"
                            for title, a, line in rows), encoding="utf-8")  # fmt: skip
    assert main(["build", str(path), "--format", "kg-jsonl", "-o", str(tmp_path / "g.nq"), "--topics", "none"]) == 0
    err = capsys.readouterr().err
    assert "kg: warning: one paper (arxiv:1706.03762), titles disagree" in err and "(t.jsonl:1)" in err
    graph = KnowledgeGraph.load(tmp_path / "g.nq")
    rows = graph.query("SELECT DISTINCT ?t ?v WHERE { ?p kg:title ?t ; kg:alternativeTitle ?v }").as_dicts()
    # Printings that differ only in case and punctuation are one title, not a disagreement.
    assert rows == [{"t": "Transformers: attention is all you need", "v": "Attention Is All You Need"}]


def test_printings_of_one_org_give_one_name_whatever_the_order():
    from kg.records import AuthorRef, Record, SourceRef

    def graph(order):
        records = [Record(title=f"Paper {i}", authors=(AuthorRef("Ann Lee", (org,)),), source=SourceRef("p", i, "x"))
                   for i, org in enumerate(order, start=1)]  # fmt: skip
        return KnowledgeGraph.from_records(records)

    names = ("acme lab", "Acme Lab", "Acme Lab")
    for order in (names, tuple(reversed(names))):
        rows = graph(order).query("SELECT DISTINCT ?label WHERE { ?o a kg:Org ; skos:prefLabel ?label }").as_dicts()
        assert rows == [{"label": "Acme Lab"}]
    assert not [r for r in validate_graph(graph(names)) if r.severity == "Violation"]


def test_a_large_build_into_a_file_goes_through_a_temporary_store_on_disk_and_writes_the_same_statements(
    seeds, tmp_path, monkeypatch
):
    """Past kg.pipeline.ON_DISK_RECORDS records, a build into a file other than N-Quads holds its graph on disk,
    not in memory: the same statements (in the on-disk store's order, the same every time), and no folder left
    behind."""
    import gc
    import tempfile

    from kg import pipeline

    in_memory = tmp_path / "memory.trig"
    build([str(seeds)], target=Target(output=str(in_memory)))
    monkeypatch.setattr(pipeline, "ON_DISK_RECORDS", 10)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the scratch folder goes, to watch it
    outputs = []
    for name in ("disk.trig", "again.trig"):
        report = build([str(seeds)], target=Target(output=str(tmp_path / name)))
        assert report.status == 0 and report.counts and any(tmp_path.glob("kg-build-*"))
        outputs.append((tmp_path / name).read_bytes())
        del report
        gc.collect()
        assert not any(tmp_path.glob("kg-build-*")), "the scratch store outlived its graph"
    assert outputs[0] == outputs[1]

    def quads(data: bytes) -> set:
        return set(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TRIG))

    assert quads(outputs[0]) == quads(in_memory.read_bytes())


def test_an_nquads_file_holds_the_graphs_statements_sorted_and_each_once_however_large_the_build(
    seeds, tmp_path, monkeypatch
):
    """A graph file is written from the statements as they are made, not from a database. An N-Quads file
    holds every line of the graph a build holds in memory, sorted, each once; N-Triples, Turtle and RDF/XML
    files the union of its graphs, each triple once. The summary counts the same. Past
    kg.pipeline.HELD_RECORDS records no database holds the graph at all, and the files and the summary are
    still the same; no temporary file is left beside them."""
    from kg import pipeline
    from kg.rdf import sorted_nquads
    from kg.rdf.formats import BY_EXTENSION, oxigraph_format

    held = build([str(seeds)])
    expected = sorted(held.graph.serialize(BY_EXTENSION[".nq"]).splitlines())
    union = {quad.triple for quad in held.graph.store}
    small = build([str(seeds)], target=Target(output=str(tmp_path / "small.nq")))
    monkeypatch.setattr(pipeline, "HELD_RECORDS", 10)
    monkeypatch.setattr(sorted_nquads, "_RUN_LINES", 700)  # runs spilled to files and merged
    large = build([str(seeds)], target=Target(output=str(tmp_path / "large.nq")))
    assert len(held.graph) == len(small.graph) and len(large.graph) == 0
    for report, name in ((small, "small.nq"), (large, "large.nq")):
        lines = (tmp_path / name).read_bytes().splitlines()
        assert lines == expected
        assert report.statements == len(held.graph) and report.counts == held.counts
        assert report.summary().replace(name, "X") == small.summary().replace("small.nq", "X")
    for extension in (".nt", ".ttl", ".rdf"):
        path = tmp_path / f"large{extension}"
        report = build([str(seeds)], target=Target(output=str(path)))
        data = path.read_bytes()
        triples = [quad.triple for quad in pyoxigraph.parse(data, format=oxigraph_format(BY_EXTENSION[extension]))]
        assert sorted(triples, key=str) == sorted(union, key=str), extension
        assert report.counts == held.counts and report.statements == len(held.graph)
        if extension == ".nt":
            assert data.splitlines() == sorted(set(data.splitlines()))
        if extension == ".ttl":
            assert b"@prefix kg: <https://w3id.org/kg/ontology#>" in data and b"\nauthor:" in data
    with_store = build([str(seeds)], target=Target(store=str(tmp_path / "store"), output=str(tmp_path / "both.nq")))
    assert (tmp_path / "both.nq").read_bytes().splitlines() == expected and with_store.counts == held.counts
    names = ["both.nq", "large.nq", "large.nt", "large.rdf", "large.ttl", "small.nq", "store"]
    assert sorted(path.name for path in tmp_path.iterdir()) == names


def test_a_large_build_written_by_two_processes_gives_the_file_and_summary_one_process_gives(
    seeds, shared_data, tmp_path, monkeypatch
):
    """Past kg.rdf.writer.APART_MIN_RECORDS records a file's statements are written by two processes, and past
    kg.rdf.sorted_nquads.SPLIT_MIN_LINES lines merged by two: the file (N-Quads, N-Triples), its statements
    and nodes per class, and the summary are those of one process, on the seeds and real exports."""
    from kg import pipeline
    from kg.io import workers
    from kg.rdf import sorted_nquads, writer

    inputs = [str(seeds), str(shared_data / "medline" / "pubmed.nbib"), str(shared_data / "ris" / "wos_2.ris")]
    monkeypatch.setattr(pipeline, "HELD_RECORDS", 10)
    monkeypatch.setattr(sorted_nquads, "_RUN_LINES", 5_000)
    for extension in (".nq", ".nt"):
        one = build(inputs, target=Target(output=str(tmp_path / f"one{extension}")))
        monkeypatch.setattr(writer, "APART_MIN_RECORDS", 1)
        monkeypatch.setattr(sorted_nquads, "SPLIT_MIN_LINES", 1)
        two = build(inputs, target=Target(output=str(tmp_path / f"two{extension}")))
        monkeypatch.undo()
        monkeypatch.setattr(pipeline, "HELD_RECORDS", 10)
        monkeypatch.setattr(sorted_nquads, "_RUN_LINES", 5_000)
        assert (tmp_path / f"two{extension}").read_bytes() == (tmp_path / f"one{extension}").read_bytes()
        assert (two.statements, two.counts) == (one.statements, one.counts) and one.statements > 20_000
        assert two.summary().replace("two", "X") == one.summary().replace("one", "X")
    # Where there is no fork (Windows), one process writes it all, past both thresholds.
    monkeypatch.setattr(writer, "APART_MIN_RECORDS", 1)
    monkeypatch.setattr(sorted_nquads, "SPLIT_MIN_LINES", 1)
    monkeypatch.setattr(workers, "can_fork_jobs", lambda: False)  # a ForkedJob is refused, as a failed fork
    alone = build(inputs, target=Target(output=str(tmp_path / "alone.nq")))
    assert (tmp_path / "alone.nq").read_bytes() == (tmp_path / "one.nq").read_bytes()
    assert alone.counts == one.counts
    (tmp_path / "alone.nq").unlink()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["one.nq", "one.nt", "two.nq", "two.nt"]


@pytest.mark.parametrize("where", ["here", "in the other process", "in the other half of the merge"])
def test_a_disk_full_while_an_nquads_file_is_written_names_the_file_and_leaves_the_old_one(
    tmp_path, monkeypatch, capsys, where
):
    """A build whose N-Quads statements cannot be spilled (the disk is full) fails in one line naming the
    output, and the file written before stays as it was; so it does when the disk fills under the process
    that writes part of the statements, or merges half of them (kg.rdf.writer.APART_MIN_RECORDS)."""
    import tempfile

    from kg import pipeline
    from kg.rdf import sorted_nquads, writer

    out = tmp_path / "g.nq"
    assert main(["build", *PAGES, "-o", str(out), "-q"]) == 0
    before = out.read_bytes()
    monkeypatch.setattr(sorted_nquads, "_RUN_LINES", 50)
    here, made = os.getpid(), tempfile.TemporaryFile

    def full(*args, **kwargs):
        if where == "here" or os.getpid() != here:
            raise OSError(28, "No space left on device")
        return made(*args, **kwargs)

    if where != "here":
        monkeypatch.setattr(pipeline, "HELD_RECORDS", 1)
        if where == "in the other process":
            monkeypatch.setattr(writer, "APART_MIN_RECORDS", 1)
        else:
            monkeypatch.setattr(sorted_nquads, "SPLIT_MIN_LINES", 1)
    monkeypatch.setattr(sorted_nquads.tempfile, "TemporaryFile", full)
    assert main(["build", *PAGES, "-o", str(out), "-q"]) != 0
    err = capsys.readouterr().err
    assert f"kg: error: {out}: cannot be written (No space left on device)" in err
    assert "Traceback" not in err
    assert out.read_bytes() == before
    assert [path.name for path in tmp_path.iterdir()] == ["g.nq"]


def test_a_paper_given_twice_by_one_export_is_said(shared_data, seeds):
    # The real Web of Science RIS export holds the DOI 10.1515/sagmb-2017-0010 in two records.
    report = build([str(shared_data / "ris" / "wos_2.ris"), *map(str, sorted(seeds.glob("*.txt")))])
    repeated = [str(note) for note in report.notes if "repeat a paper given earlier in the file" in str(note)]
    assert repeated == [f"{shared_data / 'ris' / 'wos_2.ris'}: 1 record(s) repeat a paper given earlier in the file "
                        "(same DOI, arXiv id, title or abstract); each paper is one node"]  # fmt: skip
    assert (
        report.graph.query("SELECT (COUNT(*) AS ?n) WHERE { ?p kg:doi '10.1515/sagmb-2017-0010' }").as_dicts()[0]["n"]
        == 1
    )
