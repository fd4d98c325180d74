"""Virtuoso open source as a target: kg push, kg query --endpoint and the bulk loader, on loopback.

The ``virtuoso`` fixture starts Debian's ``virtuoso-t`` (package virtuoso-opensource, 7.2) on two free
loopback ports with its own virtuoso.ini in a temporary folder, lets its anonymous SPARQL user write
(``GRANT SPARQL_UPDATE TO "SPARQL"``), caps answers at ``ROW_CAP`` rows, and stops it after the module.
Without ``virtuoso-t`` the tests skip, unless KG_REQUIRE names ``virtuoso`` (``.ci/virtuoso`` installs it).
"""

from __future__ import annotations

import csv
import io
import secrets
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FIXTURES, skip_unless_required
from test_remote import (
    PAGES,
    check_a_removed_source_leaves_the_server,
    check_two_builds_keep_their_graphs,
    kg_graph_sizes,
)

from kg.cli import main
from kg.query import read_query, run_query
from kg.remote import build_name, free_port, push, query_endpoint

QUERIES = Path(__file__).resolve().parents[1] / "examples" / "queries"
ROW_CAP = 50  # ResultSetMaxRows of the test server: a query over every statement passes it
START_S = 60.0
# The example queries that need values, with values the three fixture pages hold.
BINDINGS = {
    "coauthors": {"name": "Ashish Vaswani"},
    "who-says-authored": {"name": "Ashish Vaswani", "title": "Attention Is All You Need"},
}
INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {load}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}/www
ServerThreads = 4
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = {row_cap}
MaxQueryExecutionTime = 60
"""


@dataclass
class Virtuoso:
    """A running test server: its ports, its bulk-load folder and its dba password."""

    isql_executable: str
    sql_port: int
    http_port: int
    load: Path
    password: str

    @property
    def store_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql-graph-crud"

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def isql(self, statements: str, password: str | None = None) -> str:
        """Run SQL statements through isql-vt as dba; their output (an error fails the test)."""
        command = [self.isql_executable, f"127.0.0.1:{self.sql_port}", "dba", password or self.password,
                   f"exec={statements}"]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
        assert done.returncode == 0 and "*** Error" not in done.stdout + done.stderr, done.stdout + done.stderr
        return done.stdout

    def clear(self) -> None:
        """Drop every graph of kg's (the server's own graphs stay)."""
        self.isql("DELETE FROM DB.DBA.RDF_QUAD WHERE id_to_iri (G) LIKE 'https://w3id.org/kg/%';")


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory) -> Iterator[Virtuoso]:
    executable, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not executable or not isql:
        skip_unless_required("virtuoso", "virtuoso-t and isql-vt not found (apt-get install virtuoso-opensource)")
    folder = tmp_path_factory.mktemp("virtuoso")
    load = folder / "load"
    load.mkdir()
    (folder / "www").mkdir()
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:
        http_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(folder=folder, load=load, sql_port=sql_port, http_port=http_port, row_cap=ROW_CAP))
    log = (folder / "stdout.log").open("wb")
    # +foreground: the server stays this process (no daemon to hunt down), and dies with the fixture.
    process = subprocess.Popen([executable, "+foreground", "+configfile", str(ini)], cwd=folder, stdout=log,
                               stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    try:
        _wait_until_up(process, f"http://127.0.0.1:{http_port}/sparql", folder / "virtuoso.log")
        server = Virtuoso(isql, sql_port, http_port, load, "dba")
        password = secrets.token_hex(12)  # not the default: nothing else on this machine logs in as dba
        server.isql(f"USER_SET_PASSWORD ('dba', '{password}');")
        server.password = password
        server.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
        yield server
    finally:
        process.send_signal(signal.SIGTERM)  # Virtuoso's quick shutdown
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        log.close()


def _wait_until_up(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + START_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"virtuoso-t stopped ({process.returncode}): {_tail(log)}", pytrace=False)
        try:
            with urllib.request.urlopen(url + "?query=ASK%20%7B%7D", timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    pytest.fail(f"virtuoso-t did not answer within {START_S:g} s: {_tail(log)}", pytrace=False)


def _tail(log: Path) -> str:
    return " | ".join(log.read_text(errors="replace").splitlines()[-5:]) if log.exists() else "no log"


@pytest.fixture
def server(virtuoso) -> Virtuoso:
    """The module's server, holding none of kg's graphs."""
    virtuoso.clear()
    return virtuoso


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("virtuoso-build") / "seeds"
    assert main(["build", *[str(FIXTURES / name) for name in PAGES], "--store", str(folder), "-q"]) == 0
    return folder


def _csv_rows(text: str) -> list[list[str]]:
    """CSV rows as cells: Virtuoso quotes every string, kg only where needed; the cells are the same."""
    return list(csv.reader(io.StringIO(text)))


def _local_and_remote(store: Path, endpoint: str, query: Path, capsys) -> tuple[list, list]:
    assert main(["query", str(store), str(query), "--format", "csv"]) == 0
    local = _csv_rows(capsys.readouterr().out)
    assert main(["query", "--endpoint", endpoint, str(query), "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert "warning" not in captured.err
    return local, _csv_rows(captured.out)


def _kg_statements(endpoint: str, graph: str) -> int:
    answer = query_endpoint(endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(answer.rows[0][0].value)


def test_a_pushed_build_answers_the_example_queries_as_the_local_build(server, store, capsys):
    from kg.store import open_graph

    assert main(["push", str(store), "--endpoint", server.store_url]) == 0
    assert "sent " in capsys.readouterr().err
    for name in ("top-authors", "papers-per-topic-per-year"):
        local, remote = _local_and_remote(store, server.query_url, QUERIES / f"{name}.rq", capsys)
        assert len(local) > 10, name
        assert remote[0] == local[0] and sorted(remote[1:]) == sorted(local[1:]), name
    graph = open_graph(store)
    for query in sorted(QUERIES.glob("*.rq")):  # every example, term for term
        text, bindings = read_query(str(query)), BINDINGS.get(query.stem, {})
        local = run_query(graph.store, text, bindings)
        remote = query_endpoint(server.query_url, text, bindings)
        assert remote.variables == local.variables, query.stem
        assert sorted(map(str, remote.rows)) == sorted(map(str, local.rows)), query.stem
    counts = f"{graph.base}graph/counts"
    local_counts = len(list(graph.store.quads_for_pattern(None, None, None, _named(counts))))
    assert _kg_statements(server.query_url, f"{counts}/{build_name(store)}") == local_counts > 50


def _named(iri: str):
    import pyoxigraph

    return pyoxigraph.NamedNode(iri)


def test_builds_pushed_into_virtuoso_keep_their_counts(server, store, tmp_path, capsys):
    second = tmp_path / "second"
    assert main(["build", str(FIXTURES / PAGES[1]), "--store", str(second), "-q"]) == 0
    check_two_builds_keep_their_graphs(server.store_url, server.query_url, store, second, capsys)
    from kg.store import open_graph

    whole = kg_graph_sizes(server.query_url)
    push(open_graph(store), server.store_url, build=build_name(store), chunk=100)  # PUT 100, then POST 100 at a time
    assert kg_graph_sizes(server.query_url) == whole, "the same statements, none lost or doubled"


def test_a_source_removed_from_a_store_leaves_virtuoso_at_its_next_push(server, tmp_path, capsys):
    check_a_removed_source_leaves_the_server(server.store_url, server.query_url, tmp_path, capsys)


def test_a_file_with_statements_in_no_named_graph_and_tags_in_literals(server, tmp_path, capsys):
    # Virtuoso's Graph Store has no default graph to write (it answers "?default" with an error) and guesses
    # a body's type from its content (a literal holding <html> read as a web page): both pushed all the same.
    triples = tmp_path / "tagged.nt"
    triples.write_text('<https://example.org/p> <https://example.org/says> "see <html> here" .\n', encoding="utf-8")
    assert main(["push", str(triples), "--endpoint", server.store_url, "--build", "tagged"]) == 0
    assert "sent 1 statements in 1 graph(s)" in capsys.readouterr().err
    query = "SELECT ?said WHERE { GRAPH <https://w3id.org/kg/id/graph/default/tagged> { ?p ?says ?said } }"
    assert [row[0].value for row in query_endpoint(server.query_url, query).rows] == ["see <html> here"]


def test_the_row_cap_warning(server, store, capsys):
    assert main(["push", str(store), "--endpoint", server.store_url, "-q"]) == 0
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    for output in ("table", "csv"):
        assert main(["query", "--endpoint", server.query_url, everything, "--format", output]) == 0
        captured = capsys.readouterr()
        lines = captured.err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("kg: warning: "), captured.err
        assert f"the answer has {ROW_CAP} rows, the server's row cap" in lines[0] and "ResultSetMaxRows" in lines[0]
        assert "LIMIT and OFFSET" in lines[0]
        if output == "csv":
            assert len(_csv_rows(captured.out)) == 1 + ROW_CAP, "the rows are still printed"
    under = "SELECT ?s WHERE { ?s a kg:Paper } LIMIT 3"
    assert main(["query", "--endpoint", server.query_url, under]) == 0
    assert capsys.readouterr().err == ""
    with pytest.warns(UserWarning, match="row cap"):
        assert len(query_endpoint(server.query_url, everything).rows) == ROW_CAP


def test_a_refused_write_is_one_line_saying_how_to_allow_it(server, store, capsys):
    server.isql('REVOKE SPARQL_UPDATE FROM "SPARQL";')
    try:
        assert main(["push", str(store), "--endpoint", server.store_url]) == 1
    finally:
        server.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "the server refused to write graph" in err
    assert "graph/pushed" in err, "the first write is the build's list of its graphs"
    assert "permission" in err.lower() and 'GRANT SPARQL_UPDATE TO "SPARQL"' in err, err


def test_bulk_loaded_nquads_answer_as_the_local_build(server, store, capsys):
    shard = server.load / "seeds.nq"
    assert main(["build", *[str(FIXTURES / name) for name in PAGES], "-o", str(shard), "-q"]) == 0
    # The loader reads only folders in DirsAllowed; its third argument is the graph of triples in no graph
    # (N-Quads name their own). It does not fail on a file it cannot read: load_list keeps the error.
    server.isql(f"ld_dir ('{server.load}', 'seeds.nq', 'https://w3id.org/kg/id/graph/bulk'); rdf_loader_run ();")
    errors = server.isql("SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;")
    assert "0 Rows." in errors, errors
    quads = sum(1 for line in shard.read_text(encoding="utf-8").splitlines() if line.strip())
    loaded = query_endpoint(server.query_url, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                            "FILTER (STRSTARTS(STR(?g), 'https://w3id.org/kg/')) }")  # fmt: skip
    assert int(loaded.rows[0][0].value) == quads
    for name in ("top-authors", "papers-per-topic-per-year"):
        local, remote = _local_and_remote(store, server.query_url, QUERIES / f"{name}.rq", capsys)
        assert remote[0] == local[0] and sorted(remote[1:]) == sorted(local[1:]), name
