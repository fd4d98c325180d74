"""SHACL validation: built graphs conform; purpose-built bad graphs do not."""

from __future__ import annotations

import pyoxigraph
import pytest

from kg.cli import main
from kg.graph import KnowledgeGraph
from kg.namespace import KG, PROV_DERIVED_FROM, RDF_TYPE, XSD
from kg.records import AuthorRef, Record, SourceRef
from kg.validate import validate_graph

N = pyoxigraph.NamedNode
BASE = "https://w3id.org/kg/id/"


def good_graph() -> KnowledgeGraph:
    record = Record(
        title="Probabilistic Model-Agnostic Meta-Learning",
        authors=(AuthorRef("Chelsea Finn", ("UC Berkeley",)), AuthorRef("Kelvin Xu")),
        orgs=("mila",),
        categories=("LG",),
        date="2018-06",
        upvotes=3,
        source=SourceRef("page.txt", 4, "profile-text"),
    )
    return KnowledgeGraph.from_records([record])


def with_changes(add=(), remove_predicate=None) -> KnowledgeGraph:
    graph = good_graph()
    quads = [q for q in graph.sorted_quads() if remove_predicate is None or q.predicate.value != remove_predicate]
    quads += [pyoxigraph.Quad(*triple) for triple in add]
    return KnowledgeGraph.from_quads(quads)


def paper_iri(graph: KnowledgeGraph):
    return next(q.subject for q in graph.sorted_quads() if q.object == N(KG.Paper))


def test_built_graph_conforms():
    assert validate_graph(good_graph()) == []


def test_paper_without_title_or_abstract():
    violations = validate_graph(with_changes(remove_predicate=KG.title))
    assert any("needs a title or an abstract" in v.message for v in violations)


def test_untyped_date():
    graph = good_graph()
    bad = with_changes(add=[(paper_iri(graph), N(KG.date), pyoxigraph.Literal("June 2018"))])
    violations = validate_graph(bad)
    assert any(v.path == "kg:date" and "xsd:date" in v.message for v in violations)


def test_two_authors_in_one_position():
    graph = good_graph()
    paper = paper_iri(graph)
    intruder = N(BASE + "author/mallory")
    authorship = N(paper.value + "/authorship/1-mallory")
    one = pyoxigraph.Literal("1", datatype=N(XSD + "integer"))
    line = next(q.object for q in graph.sorted_quads() if q.predicate.value == PROV_DERIVED_FROM)
    bad = with_changes(add=[
        (intruder, N(RDF_TYPE), N(KG.Author)), (intruder, N(KG.name), pyoxigraph.Literal("Mallory")),
        (intruder, N(KG.authored), paper), (paper, N(KG.hasAuthorship), authorship),
        (authorship, N(RDF_TYPE), N(KG.Authorship)), (authorship, N(KG.author), intruder),
        (authorship, N(KG.position), one), (authorship, N(KG.nameAsPrinted), pyoxigraph.Literal("Mallory")),
        (authorship, N(PROV_DERIVED_FROM), line),
    ])  # fmt: skip
    messages = [v.message for v in validate_graph(bad)]
    assert "Two different authors hold the same position on this paper in one source" in messages


def test_sources_disagreeing_on_authors_is_a_warning(tmp_path, capsys):
    records = [
        Record(title="One Paper", authors=(AuthorRef("Ann Lee"),), source=SourceRef("a.txt", 1, "test")),
        Record(title="One Paper", authors=(AuthorRef("Bo Chen"),), source=SourceRef("b.txt", 2, "test")),
    ]
    graph = KnowledgeGraph.from_records(records)
    results = validate_graph(graph)
    assert [(r.severity, r.message) for r in results] == [
        ("Warning", "Sources disagree on who holds this position on this paper")
    ]
    path = tmp_path / "g.nq"
    graph.save(path)
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.strip().endswith("conforms to kg's shapes (1 warning(s))")


def test_author_without_name_and_negative_count():
    graph = good_graph()
    bad = with_changes(
        add=[(paper_iri(graph), N(KG.upvotes), pyoxigraph.Literal("-1", datatype=N(XSD + "integer")))],
        remove_predicate=KG.name,
    )
    violations = validate_graph(bad)
    assert any("An author needs at least a name" in v.message for v in violations)
    assert any("An organisation needs at least a name" in v.message for v in violations)
    assert any(v.path == "kg:upvotes" for v in violations)


def test_missing_provenance():
    violations = validate_graph(with_changes(remove_predicate=PROV_DERIVED_FROM))
    assert any("source line" in v.message for v in violations)


def test_cli_exit_status_and_report(tmp_path, capsys):
    good, bad = tmp_path / "good.ttl", tmp_path / "bad.ttl"
    good_graph().save(good)
    with_changes(remove_predicate=KG.title).save(bad)
    assert main(["validate", str(good)]) == 0
    assert "conforms to kg's shapes" in capsys.readouterr().out
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("Violation: <https://w3id.org/kg/id/paper/")
    assert out.strip().endswith("bad.ttl: 1 violation(s), 0 warning(s)")


@pytest.mark.parametrize("content", [b"", b"<not turtle"])
def test_cli_unreadable_graph(tmp_path, capsys, content):
    path = tmp_path / "broken.ttl"
    path.write_bytes(content)
    code = main(["validate", str(path)])
    err = capsys.readouterr().err
    if content:
        assert code == 1 and err.startswith(f"kg: error: {path}: not valid Turtle")
    else:
        assert code == 0  # an empty file is an empty graph, which has nothing to violate
