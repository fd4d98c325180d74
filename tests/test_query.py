"""SPARQL with safely bound values, the canned queries, and kg query / kg stats."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kg.cli import main
from kg.errors import UsageError
from kg.graph import KnowledgeGraph
from kg.query import bind_values, parse_cli_binding, read_query
from kg.records import AuthorRef, Record, SourceRef

QUERIES = Path(__file__).resolve().parents[1] / "examples" / "queries"
HOSTILE = ['x" } ; DROP ALL ; #', "a\nb", "}}}{{{", "<http://evil/>", "'''", "\\", "?name"]


def small_graph() -> KnowledgeGraph:
    def rec(title, authors, path, line, **fields):
        return Record(title=title, authors=tuple(a if isinstance(a, AuthorRef) else AuthorRef(a) for a in authors),
                      source=SourceRef(path, line, "test"), **fields)  # fmt: skip

    # Ann Lee's two papers give her ORCID: a name as common as hers is one person only on evidence.
    ann = AuthorRef("Ann Lee", orcid="0000-0002-1825-0097")
    return KnowledgeGraph.from_records([
        rec("Paper One", [ann, "Bo Chen"], "a.txt", 1, categories=("LG",), date="2020-01-02", orgs=("mila",)),
        rec("Paper Two", [ann, "Cy Diaz"], "a.txt", 4, categories=("LG",), date="2021"),
        rec("Paper One", ["Ann Lee", "Bo Chen"], "b.txt", 7),
        *[rec(h, [h.strip() or "Hostile Name"], "h.txt", i + 1) for i, h in enumerate(HOSTILE)],
    ])  # fmt: skip


@pytest.fixture(scope="module")
def graph() -> KnowledgeGraph:
    return small_graph()


def run_file(graph, file_name, **bindings):
    return graph.query(read_query(str(QUERIES / file_name)), bindings).as_dicts()


def test_top_authors(graph):
    rows = run_file(graph, "top-authors.rq")
    assert rows[0]["name"] == "Ann Lee" and rows[0]["papers"] == 2


def test_coauthors_with_bound_name(graph):
    assert run_file(graph, "coauthors.rq", name="Ann Lee") == [
        {"coauthor": "Bo Chen", "shared": 1},
        {"coauthor": "Cy Diaz", "shared": 1},
    ]


def test_papers_per_topic_per_year(graph):
    assert run_file(graph, "papers-per-topic-per-year.rq") == [
        {"topic": "Machine Learning", "year": 2020, "papers": 1},
        {"topic": "Machine Learning", "year": 2021, "papers": 1},
    ]


def test_orgs_by_papers(graph):
    assert run_file(graph, "orgs-by-papers.rq") == [
        {"org": "https://w3id.org/kg/id/org/mila", "name": "Mila", "papers": 1}
    ]


def test_papers_with_sources_lists_every_source(graph):
    rows = [r for r in run_file(graph, "papers-with-sources.rq") if r["title"] == "Paper One"]
    assert [(r["path"], r["line"]) for r in rows] == [("a.txt", 1), ("b.txt", 7)]


def test_who_says_authored(graph):
    rows = run_file(graph, "who-says-authored.rq", name="Bo Chen", title="Paper One")
    assert [(r["path"], r["line"], r["position"]) for r in rows] == [("a.txt", 1, 2), ("b.txt", 7, 2)]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_are_only_values(graph, value):
    # The record holds the title with its whitespace collapsed ("a\nb" is "a b").
    title = " ".join(value.split())
    rows = graph.query("SELECT ?paper WHERE { ?paper kg:title ?title }", {"title": title}).as_dicts()
    assert len(rows) == 1
    assert graph.query("ASK { ?p kg:title ?title }", {"title": value + "-not-there"}).boolean is False


def test_binding_errors(graph):
    with pytest.raises(UsageError, match="no variable"):
        graph.query("SELECT ?p WHERE { ?p a kg:Paper }", {"title": "x"})
    with pytest.raises(UsageError, match="not a SPARQL variable"):
        bind_values("SELECT ?p WHERE { ?p ?q ?r }", {"p}": "x"})
    with pytest.raises(UsageError, match="does not parse"):
        graph.query("SELECT WHERE {")


def test_values_land_in_the_where_group_not_in_strings_or_iris():
    query = "PREFIX x: <http://e/WHERE#> SELECT ?s # WHERE {\n WHERE { ?s ?p 'WHERE {' . ?s ?p ?o }"
    bound = bind_values(query, {"o": 1})
    assert bound.startswith("PREFIX x: <http://e/WHERE#> SELECT ?s # WHERE {\n WHERE { VALUES (?o) {")
    construct = bind_values("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"o": "v"})
    assert construct.startswith("CONSTRUCT { ?s ?p ?o } WHERE { VALUES")


def test_cli_binding_forms():
    assert parse_cli_binding("n=12")[1].datatype.value.endswith("#integer")
    assert parse_cli_binding("c=kg:Paper")[1].value == "https://w3id.org/kg/ontology#Paper"
    assert parse_cli_binding("t=Show, Attend: and Tell")[1].value == "Show, Attend: and Tell"
    with pytest.raises(UsageError):
        parse_cli_binding("no-equals-sign")


def test_query_command_formats(tmp_path, capsys):
    path = tmp_path / "g.trig"
    small_graph().save(path)
    query = str(QUERIES / "coauthors.rq")
    assert main(["query", str(path), query, "--bind", "name=Ann Lee"]) == 0
    table = capsys.readouterr().out
    assert "Bo Chen" in table and "Cy Diaz" in table
    assert main(["query", str(path), query, "--bind", "name=Ann Lee", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [b["coauthor"]["value"] for b in data["results"]["bindings"]] == ["Bo Chen", "Cy Diaz"]
    assert main(["query", str(path), query, "--bind", "name=Ann Lee", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "coauthor,shared"
    assert main(["query", str(path), "ASK { ?s a kg:Paper }"]) == 0
    assert capsys.readouterr().out.strip() == "true"


def test_query_command_errors(tmp_path, capsys):
    path = tmp_path / "g.ttl"
    small_graph().save(path)
    assert main(["query", str(path), "SELECT nonsense"]) == 2
    assert capsys.readouterr().err.startswith("kg: error: the query does not parse")
    assert main(["query", str(tmp_path / "missing.ttl"), "ASK {}"]) == 1
    assert capsys.readouterr().err.strip() == f"kg: error: {tmp_path / 'missing.ttl'}: no such file"
    assert main(["query", str(path), "missing.rq"]) == 2


def test_stats_command(tmp_path, capsys):
    path = tmp_path / "g.nq"
    small_graph().save(path)
    assert main(["stats", str(path)]) == 0
    out = capsys.readouterr().out
    assert "kg:Paper" in out and "kg:authored" in out and "named graphs" in out
    stats = KnowledgeGraph.load(path).stats()
    assert dict(stats["classes"])["kg:Paper"] == 2 + len(HOSTILE)
    # Two sources, the topics, the counts and the resolution (the merges that made Ann Lee).
    assert dict(stats["totals"])["named graphs"] == 5


# -- limits a query must keep (kg.sparql_guard), and one-line failures ---------------------------------------------


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("SELECT * WHERE " + "{" * 5000 + "}" * 5000, "nests brackets more than 64 deep"),
        ("SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 100 + "?o" + ")" * 100 + ") }", "more than 64 deep"),
        ("SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 20000 + "?o) }", "more than 2,000 terms and operators"),
        ("SELECT * WHERE { ?s " + "/".join(["kg:p"] * 3000) + " ?o }", "more than 2,000 terms and operators"),
        ("SELECT * WHERE { ?s ?p ?o FILTER(" + "-".join(["1"] * 3000) + ") }", "more than 2,000 terms"),
        ("ASK { " + "?s ?p 'x' . " * 10000 + "}", "is 120,007 bytes, more than the 100,000"),
        ("SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", "a \\u escape outside a string"),
    ],
)
def test_queries_past_the_limits_are_refused_before_oxigraph_sees_them(graph, query, reason):
    with pytest.raises(UsageError, match=re.escape(reason)):
        graph.query(query)


def test_what_the_limits_count_and_what_they_skip(graph):
    from kg.sparql_guard import check_sparql

    quoted = "'''" + "{" * 200 + "''' " + '"' + "(" * 200 + '" ' + "<http://e/" + "(" * 200 + ">"
    assert check_sparql(f"SELECT * WHERE {{ ?s ?p {quoted} }} # {'{' * 200} SERVICE <http://x/>") == []
    titles = " ".join(f'"title {i}"' for i in range(5000))
    many_values = f"SELECT ?p WHERE {{ VALUES ?t {{ {titles} }} ?p kg:title ?t }}"
    assert graph.query(many_values).rows == [], "a long VALUES block is data, not structure"
    deep_enough = "SELECT * WHERE " + "{" * 60 + " ?s ?p ?o " + "}" * 60
    assert graph.query(deep_enough).variables == ["o", "p", "s"]


@pytest.mark.parametrize(
    "call",
    [
        "SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o }",
        "SERVICE SILENT <http://127.0.0.1:1/sparql> { ?s ?p ?o }",
        "service ?endpoint { ?s ?p ?o } VALUES ?endpoint { <http://127.0.0.1:1/sparql> }",
        "SERVICE kg:sparql { ?s ?p ?o }",
    ],
)
def test_service_is_refused_unless_its_endpoint_is_allowed(graph, call):
    with pytest.raises(UsageError, match="calls SERVICE") as refused:
        graph.query(f"SELECT * WHERE {{ {call} }}")
    assert refused.value.option == "allow_service"


def test_a_failing_allowed_service_and_bad_bindings_are_one_line(tmp_path, capsys):
    import socket

    path = tmp_path / "g.ttl"
    small_graph().save(path)
    with socket.socket() as probe:  # a port nobody listens on: the request is refused
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}/sparql"
    query = f"SELECT * WHERE {{ SERVICE <{dead}> {{ ?s ?p ?o }} }}"
    assert main(["query", str(path), query]) == 2
    assert capsys.readouterr().err.strip().endswith("not allowed (allow it with --allow-service)")
    assert main(["query", str(path), query, "--allow-service", dead]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"kg: error: {dead}: the SERVICE request failed: ") and err.count("\n") == 1
    for bad in ("x=<not an iri>", "x=schema:a{b}", "x=<http://e/\x01>"):
        assert main(["query", str(path), "SELECT ?x WHERE { ?x ?p ?o }", "--bind", bad]) == 2
        err = capsys.readouterr().err
        assert err.startswith("kg: error: --bind ") and "is not a valid IRI" in err and err.count("\n") == 1


def test_a_deep_query_file_and_a_long_inline_query_are_one_line(tmp_path, capsys):
    path = tmp_path / "g.ttl"
    small_graph().save(path)
    deep = tmp_path / "deep.rq"
    deep.write_text("SELECT * WHERE " + "{" * 20000 + "}" * 20000, encoding="utf-8")
    assert main(["query", str(path), str(deep)]) == 2
    assert "nests brackets more than 64 deep" in capsys.readouterr().err
    long_inline = "ASK { ?p kg:title ?t FILTER(?t != '" + "x" * 5000 + "') }"
    assert main(["query", str(path), long_inline]) == 0, "a long inline query is no file name"
    assert capsys.readouterr().out.strip() == "true"
