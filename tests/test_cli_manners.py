"""The command line's manners: exit statuses, prefixes that round-trip, queries that say what they need, and
``-`` for standard input and output wherever a graph, a query or an export is read or written."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import main
from kg.cli.common import EXIT_STATUSES
from kg.pipeline import Target, build

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
KG = [sys.executable, "-m", "kg"]


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("manners") / "lab.trig"
    build([str(FIXTURES / "profile_sample.txt"), str(FIXTURES / "hf_sample.txt")], target=Target(output=str(out)))
    return out


def _run(argv, capsys, stdin: bytes | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_readme_lists_the_exit_statuses_kg_uses():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Exit status\n", 1)[1].split("\n## ", 1)[0]
    table = re.findall(r"^\| (\d+) \|", section, re.MULTILINE)
    assert [int(code) for code in table] == [code for code, _ in EXIT_STATUSES]
    done = subprocess.run([*KG, "--help"], capture_output=True, text=True, timeout=60)
    assert "exit status:" in done.stdout and all(f"  {code} " in done.stdout for code, _ in EXIT_STATUSES)


def test_every_prefix_a_result_prints_is_one_a_query_accepts(graph_file, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # nothing cut
    code, out, _ = _run(["query", str(graph_file), "SELECT DISTINCT ?s ?p WHERE { ?s ?p ?o }", "--format", "table"],
                        capsys)  # fmt: skip
    assert code == 0
    printed = set(re.findall(r"(?<![\w<])([a-z]+:[\w./%-]+|<[^>\s]+>)", out))
    kinds = {name.split(":")[0] for name in printed}
    assert {"paper", "author", "kg", "rdf"} <= kinds
    for name in sorted(printed)[:60]:
        # pasted into a query as printed...
        code, answer, err = _run(["query", str(graph_file), f"ASK {{ {{ {name} ?p ?o }} UNION {{ ?s {name} ?o }} }}"],
                                 capsys)  # fmt: skip
        assert code == 0 and answer.strip() == "true", (name, err)
    author = next(name for name in sorted(printed) if name.startswith("author:"))
    # ...and given to --bind as printed: it is that node, not a string that matches nothing.
    code, answer, _ = _run(["query", str(graph_file), "SELECT ?n WHERE { ?a kg:name ?n }", "--bind", f"a={author}"],
                           capsys)  # fmt: skip
    assert code == 0 and len(answer.strip().splitlines()) >= 5  # a table with a row


def test_a_query_that_needs_a_value_says_so_and_stops(graph_file, capsys):
    query = str(ROOT / "examples" / "queries" / "coauthors.rq")
    code, out, err = _run(["query", str(graph_file), query], capsys)
    assert code == 2 and out == ""
    assert err.strip() == ("kg: error: the query needs a value for ?name (the author's name, as kg prints it): "
                           "give --bind name=VALUE")  # fmt: skip
    code, out, _ = _run(["query", str(graph_file), query, "--bind", "name=Ashish Vaswani", "--format", "csv"], capsys)
    rows = out.strip().splitlines()
    assert code == 0 and rows[0] == "coauthor,shared" and len(rows) > 1
    assert "Ashish Vaswani" not in {row.split(",")[0] for row in rows}  # never his own co-author


def test_query_errors_exit_2_and_point_at_the_users_text(graph_file, capsys):
    query = "SELECT ?x\nWHERE { ?x kg:name ?n . FILTER( }"
    code, _, plain = _run(["query", str(graph_file), query], capsys)
    assert code == 2 and plain.count("\n") == 1 and "error at 2:" in plain
    # kg puts the --bind values into the text; the position is still the user's.
    code, _, bound = _run(["query", str(graph_file), query, "--bind", "n=A much longer value"], capsys)
    assert code == 2 and bound.split("error at ")[1][:5] == plain.split("error at ")[1][:5]
    code, _, err = _run(["query", str(tmp := graph_file.parent / "missing.ttl"), "ASK {}"], capsys)
    assert code == 1 and str(tmp) in err  # an input that cannot be read is 1, not 2


def test_query_text_from_standard_input(graph_file, capsys, monkeypatch):
    code, out, _ = _run(["query", str(graph_file), "-"], capsys, b"ASK { ?p a kg:Paper }", monkeypatch)
    assert code == 0 and out.strip() == "true"
    code, _, err = _run(["query", str(graph_file), "-"], capsys, b"  \n", monkeypatch)
    assert code == 2 and err.strip() == "kg: error: <stdin>: no query in it"
    code, _, err = _run(["query", "-", "-"], capsys, b"ASK {}", monkeypatch)
    assert code == 2 and "cannot both be read from standard input" in err


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf"])
def test_a_graph_from_standard_input_in_any_format(graph_file, tmp_path, capsys, monkeypatch, suffix):
    from kg.graph import KnowledgeGraph

    graph = KnowledgeGraph.load(graph_file)
    graph.save(tmp_path / f"g{suffix}")
    data = (tmp_path / f"g{suffix}").read_bytes()
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?p a kg:Paper }"
    code, out, err = _run(["query", "-", count, "--format", "csv"], capsys, data, monkeypatch)
    assert code == 0, err
    papers = graph.query(count).rows[0][0].value
    assert int(papers) > 4 and out.split() == ["n", papers]


def test_a_graph_on_standard_input_that_is_not_rdf_is_one_line(capsys, monkeypatch):
    code, _, err = _run(["stats", "-"], capsys, b"Title: not a graph\nAuthors: nobody\n", monkeypatch)
    assert code == 1 and err.count("\n") == 1 and err.startswith("kg: error: <stdin>: not valid TriG")
    code, _, err = _run(["stats", "-"], capsys, b"", monkeypatch)
    assert code == 1 and err.strip() == "kg: error: <stdin>: no RDF on standard input"


def test_build_into_a_pipe_read_by_the_next_command(fixtures):
    command = f"{sys.executable} -m kg build {fixtures / 'hf_sample.txt'} -o - -q | {sys.executable} -m kg stats -"
    done = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert re.search(r"kg:Paper\s*│\s*4\b", done.stdout)


def test_export_to_standard_output(graph_file, capsys, tmp_path):
    import networkx as nx

    code, out, err = _run(["export", str(graph_file), "-o", "-", "--projection", "coauthor"], capsys)
    assert code == 0 and "wrote standard output (GraphML, coauthor)" in err
    (tmp_path / "x.graphml").write_text(out, encoding="utf-8")
    assert nx.read_graphml(tmp_path / "x.graphml").number_of_nodes() > 5
    code, out, _ = _run(["export", str(graph_file), "-o", "-", "--format", "gexf", "-q"], capsys)
    assert code == 0 and "<gexf" in out[:400]
    code, _, err = _run(["export", str(graph_file), "-o", str(tmp_path / "x.gexf"), "--format", "graphml"], capsys)
    assert code == 2 and "the extension says GEXF, --format says graphml" in err


def test_a_plot_never_goes_where_the_tables_go(graph_file, capsys):
    code, out, err = _run(["analyze", str(graph_file), "--plot", "-"], capsys)
    assert code == 2 and out == "" and "standard output, which holds the tables" in err


def test_json_results_are_unchanged_by_prefixes(graph_file, capsys):
    code, out, _ = _run(["query", str(graph_file), "SELECT ?a WHERE { ?a a kg:Author } LIMIT 1", "--format", "json"],
                        capsys)  # fmt: skip
    value = json.loads(out)["results"]["bindings"][0]["a"]
    assert code == 0 and value["type"] == "uri" and value["value"].startswith("http")


def test_counts_and_missing_graphs_are_plain_errors(graph_file, capsys, tmp_path, monkeypatch):
    with pytest.raises(SystemExit) as status:
        main(["analyze", str(graph_file), "--top", "-3"])
    assert status.value.code == 2 and "'-3' is not a count" in capsys.readouterr().err
    code, _, err = _run(["stats", str(tmp_path / "nosuchdir") + "/"], capsys)
    assert code == 1 and err.strip().endswith("nosuchdir/: no such file")
    code, _, err = _run(["stats", "-"], capsys, b"garbage <<\n", monkeypatch)
    assert code == 1 and "(<stdin>, line 1)" in err and "graph.trig" not in err
