"""Records to RDF: serializations, determinism, merging and provenance."""

from __future__ import annotations

import os
import subprocess
import sys

import pyoxigraph
import pytest
import rdflib
from conftest import FIXTURES

from kg.errors import UsageError
from kg.graph import KnowledgeGraph
from kg.pipeline import build
from kg.rdf.writer import IriMinter
from kg.records import AuthorRef, Record, SourceRef

EXTENSIONS = (".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf")
RDFLIB_FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld", ".rdf": "xml"}


def record(title=None, *, authors=(), path="a.txt", line=1, **fields) -> Record:
    return Record(
        title=title, authors=tuple(AuthorRef(a) for a in authors), source=SourceRef(path, line, "test"), **fields
    )


def titles(graph: KnowledgeGraph) -> list:
    rows = graph.query(
        "SELECT ?p (COUNT(DISTINCT ?t) AS ?n) WHERE { ?p a kg:Paper . OPTIONAL { ?p kg:title ?t } } GROUP BY ?p"
    )
    return rows.as_dicts()


PAGES = [str(FIXTURES / n) for n in ("profile_sample.txt", "hf_sample.txt", "lab_sample.txt")]


@pytest.fixture(scope="module")
def fixture_graph():
    report = build(PAGES)
    assert not report.failures
    return report.graph


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_every_serialization_round_trips_through_two_parsers(fixture_graph, tmp_path, extension):
    path = tmp_path / f"graph{extension}"
    fixture_graph.save(path)
    triples = {(str(q.subject), str(q.predicate), str(q.object)) for q in fixture_graph.sorted_quads()}
    reloaded = KnowledgeGraph.load(path)  # Oxigraph: a strict parser
    assert {(str(q.subject), str(q.predicate), str(q.object)) for q in reloaded.sorted_quads()} == triples
    dataset = rdflib.Dataset()
    dataset.parse(path, format=RDFLIB_FORMATS[extension])
    assert len({(s, p, o) for s, p, o, _ in dataset.quads()}) == len(triples)
    if extension in (".nq", ".trig", ".jsonld"):
        assert len(list(reloaded.store.named_graphs())) == len(list(fixture_graph.store.named_graphs()))


def test_two_builds_in_two_processes_are_byte_identical(tmp_path):
    outputs = []
    for run, hash_seed in (("one", "1"), ("two", "2")):  # a different str hash order in each process
        for extension in (".ttl", ".trig"):
            out = tmp_path / f"{run}{extension}"
            done = subprocess.run(
                [sys.executable, "-m", "kg", "build", *PAGES, "-q", "-o", str(out)],
                capture_output=True,
                text=True,
                timeout=120,
                env={**os.environ, "PYTHONHASHSEED": hash_seed},
            )
            assert done.returncode == 0, done.stderr
            outputs.append(out.read_bytes())
    assert outputs[0] == outputs[2] and outputs[1] == outputs[3]


def test_base_iri_is_configurable():
    graph = KnowledgeGraph.from_records([record("A Title", authors=["Ann Lee"])], base="https://lab.example/kg#")
    iris = {q.subject.value for q in graph.sorted_quads()}
    assert "https://lab.example/kg#author/ann-lee" in iris
    with pytest.raises(UsageError):
        IriMinter("ftp://nope/")


def test_same_paper_by_arxiv_id_across_sources_is_one_node_with_both_sources():
    a = record("Universal Transformers", path="one.txt", ids={"arxiv": "1807.03819v1"})
    b = record("Universal transformers", path="two.txt", line=9, ids={"arxiv": "arXiv:1807.03819v3"})
    graph = KnowledgeGraph.from_records([a, b])
    rows = graph.query(
        "SELECT ?paper ?path ?line WHERE { ?paper prov:wasDerivedFrom ?w . ?w kg:line ?line ; kg:inSource ?s . "
        "?s kg:path ?path } ORDER BY ?path"
    ).as_dicts()
    assert len({r["paper"] for r in rows}) == 1
    assert [(r["path"], r["line"]) for r in rows] == [("one.txt", 1), ("two.txt", 9)]
    assert len(list(graph.store.named_graphs())) == 2


def test_same_paper_by_doi_title_and_abstract():
    graph = KnowledgeGraph.from_records([
        record("Paper A", ids={"doi": "https://doi.org/10.1000/ABC"}),
        record("A different printing of A", ids={"doi": "10.1000/abc"}, path="b.txt"),
        record("Show, Attend and Tell", path="c.txt"),
        record("show attend and tell!", path="d.txt"),
        record(None, abstract="The same  abstract.", path="e.txt"),
        record(None, abstract="the same abstract", path="f.txt"),
    ])  # fmt: skip
    assert len(titles(graph)) == 3


def test_different_dois_stay_apart_even_with_one_title():
    graph = KnowledgeGraph.from_records(
        [record("Introduction", ids={"doi": "10.1/a"}), record("Introduction", ids={"doi": "10.1/b"}, path="b.txt")]
    )
    assert len(titles(graph)) == 2


def test_author_names_normalised_to_one_node():
    nfd = "Gu\u0308lc\u0327ehre Caglar"  # decomposed umlaut and cedilla
    graph = KnowledgeGraph.from_records([
        record("One", authors=["Kelvin  Xu", "Gülçehre Caglar"]),
        record("Two", authors=["KELVIN XU", nfd], path="b.txt"),
    ])  # fmt: skip
    rows = graph.query("SELECT DISTINCT ?a WHERE { ?a a kg:Author }").as_dicts()
    assert len(rows) == 2


def test_org_slug_and_name_variants_are_one_node():
    graph = KnowledgeGraph.from_records(
        [record("One", orgs=("amazon-science",)), record("Two", orgs=("Amazon Science",), path="b.txt")]
    )
    rows = graph.query("SELECT ?o (COUNT(DISTINCT ?n) AS ?names) WHERE { ?o a kg:Org ; kg:name ?n } GROUP BY ?o")
    assert rows.as_dicts() == [{"o": "https://w3id.org/kg/id/org/amazon-science", "names": 2}]


def test_author_order_and_printed_name_on_authorship_nodes():
    graph = KnowledgeGraph.from_records([record("One", authors=["Chelsea Finn", "Kelvin Xu", "Sergey Levine"])])
    rows = graph.query(
        "SELECT ?position ?printed WHERE { ?p kg:hasAuthorship ?a . ?a kg:position ?position ; "
        "kg:nameAsPrinted ?printed } ORDER BY ?position"
    ).as_dicts()
    assert rows == [
        {"position": 1, "printed": "Chelsea Finn"},
        {"position": 2, "printed": "Kelvin Xu"},
        {"position": 3, "printed": "Sergey Levine"},
    ]


def test_dates_are_typed_by_precision():
    graph = KnowledgeGraph.from_records(
        [record("A", date="2020"), record("B", date="2020-05", path="b"), record("C", date="2020-05-01", path="c")]
    )
    types = {
        q.object.datatype.value.rsplit("#")[-1] for q in graph.sorted_quads() if q.predicate.value.endswith("#date")
    }
    assert types == {"gYear", "gYearMonth", "date"}


def test_hostile_text_stays_a_literal(tmp_path):
    nasty = 'Title "quoted" <b>bold</b> } ; DROP ALL\n\u202e\x0b'
    graph = KnowledgeGraph.from_records([record(nasty, authors=["Ann <script>"], orgs=("a}b",))])
    for extension in EXTENSIONS:
        path = tmp_path / f"n{extension}"
        graph.save(path)
        parsed = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.from_extension(extension[1:])))
        # A vertical tab cannot be in XML: records drop control characters, and collapse whitespace.
        kept = " ".join(nasty.replace("\x0b", "").split())
        assert any(getattr(q, "object", None) == pyoxigraph.Literal(kept) for q in parsed)


def test_jsonl_records_build_the_same_graph_as_the_pages(tmp_path, capsys):
    from kg.cli import main

    pages = [str(FIXTURES / "profile_sample.txt"), str(FIXTURES / "lab_sample.txt")]
    assert main(["extract", *pages]) == 0
    jsonl = tmp_path / "records.jsonl"
    jsonl.write_text(capsys.readouterr().out, encoding="utf-8")
    direct = build(pages).graph.serialize(rdf_format("x.nq"))
    via_jsonl = build([str(jsonl)]).graph.serialize(rdf_format("x.nq"))
    assert direct == via_jsonl


def rdf_format(name):
    from kg.rdf.formats import rdf_format_for

    return rdf_format_for(name)


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_rdflib_api_on_either_backend_sees_every_graph(backend):
    if backend == "oxigraph":
        pytest.importorskip("oxrdflib", reason="oxrdflib is optional (pip install 'kg[rdflib-store]')")
    graph = KnowledgeGraph.from_records([record("A Title", authors=["Ann Lee", "Bo Chen"])])
    dataset = graph.to_rdflib(backend)
    assert len(dataset) == len(graph)
    assert {str(g.identifier) for g in dataset.graphs()} >= {q.graph_name.value for q in graph.sorted_quads()}
    names = dataset.query("PREFIX kg: <https://w3id.org/kg/ontology#> SELECT ?n WHERE { ?a a kg:Author ; kg:name ?n }")
    assert sorted(str(row[0]) for row in names) == ["Ann Lee", "Bo Chen"]


def test_unknown_rdflib_backend_is_a_usage_error():
    with pytest.raises(UsageError):
        KnowledgeGraph().to_rdflib("berkeleydb")
