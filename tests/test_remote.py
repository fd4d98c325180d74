"""A real SPARQL server on loopback: kg serve, kg push, kg query --endpoint.

The Oxigraph server is needed by the tests that take ``store``; the others talk
to a small scripted HTTP server on loopback.
"""

from __future__ import annotations

import http.server
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import FIXTURES, skip_unless_required
from test_http import _flag_messages

import kg.io.http
import kg.remote
import kg.remote.client
import kg.remote.server
from kg.cli import main
from kg.errors import InputError, QueryError, UsageError
from kg.query import run_query
from kg.remote import free_port, push, query_endpoint, serve, server_executable

PAGES = ["profile_sample.txt", "hf_sample.txt", "lab_sample.txt"]
TOP_AUTHORS = Path(__file__).resolve().parents[1] / "examples" / "queries" / "top-authors.rq"


@pytest.fixture(scope="module")
def oxigraph_server():
    try:
        server_executable()
    except UsageError as missing:
        skip_unless_required("server", str(missing))


@pytest.fixture(scope="module")
def store(oxigraph_server, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("remote") / "store"
    assert main(["build", *[str(FIXTURES / name) for name in PAGES], "--store", str(folder), "-q"]) == 0
    return folder


def test_query_through_a_served_store_matches_the_local_answer(store, capsys):
    assert main(["query", str(store), str(TOP_AUTHORS), "--format", "csv"]) == 0
    local = capsys.readouterr().out
    with serve(store) as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert main(["query", "--endpoint", server.query_url, str(TOP_AUTHORS), "--format", "csv"]) == 0
        remote = capsys.readouterr().out
        assert main(["query", "--endpoint", server.query_url, str(TOP_AUTHORS)]) == 0
        table = capsys.readouterr().out
        first_name = local.splitlines()[1].split(",")[1]
        bound = query_endpoint(
            server.query_url, "SELECT ?paper WHERE { ?a kg:name ?name ; kg:authored ?paper }", {"name": first_name}
        )
    assert remote.replace("\r\n", "\n") == local.replace("\r\n", "\n")
    assert len(local.splitlines()) > 3
    assert first_name in table
    assert len(bound.rows) == int(local.splitlines()[1].split(",")[2]), "the bound name reached the server"


def test_a_read_only_server_refuses_updates(store):
    with serve(store) as server:
        request = urllib.request.Request(
            server.url + "/update",
            data=b"update=DELETE+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=10)
        count = query_endpoint(server.query_url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(count.rows[0][0].value) > 100


def test_push_loads_every_named_graph_into_a_graph_store_server(store, tmp_path, capsys):
    from kg.store import open_graph

    database = open_graph(store).store
    expected_statements, expected_graphs = len(database), len(list(database.named_graphs()))
    del database
    with serve(None) as target:
        assert main(["push", str(store), "--endpoint", target.store_url]) == 0
        assert "statements in" in capsys.readouterr().err
        counted = ("SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?g) AS ?graphs) WHERE { GRAPH ?g { ?s ?p ?o } "
                   'FILTER (!STRSTARTS(STR(?g), "https://w3id.org/kg/id/graph/pushed")) }')  # fmt: skip
        listed = "SELECT (COUNT(?g) AS ?n) WHERE { GRAPH ?list { ?list prov:hadMember ?g } }"
        first = query_endpoint(target.query_url, counted).rows[0]
        # The build's list of its graphs (each graph once), and the list of builds (this one).
        assert int(query_endpoint(target.query_url, listed).rows[0][0].value) == expected_graphs + 1
        assert main(["push", str(store), "--endpoint", target.store_url, "-q"]) == 0  # PUT replaces
        again = query_endpoint(target.query_url, counted).rows[0]
        ttl = tmp_path / "one.ttl"
        assert main(["build", str(FIXTURES / PAGES[1]), "-o", str(ttl), "-q"]) == 0
        assert main(["push", str(ttl), "--endpoint", target.store_url, "--append", "-q"]) == 0
        with_default = query_endpoint(target.query_url, "ASK { ?s a kg:Paper }").boolean
    assert int(first[0].value) == expected_statements
    assert int(first[1].value) == expected_graphs
    assert [term.value for term in again] == [term.value for term in first]
    assert with_default is True


def kg_graph_sizes(query_url: str) -> dict[str, int]:
    """The statements in each of kg's graphs on a server (the server's own graphs left out)."""
    rows = query_endpoint(query_url, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {g.value: int(n.value) for g, n in rows.rows if g.value.startswith("https://w3id.org/kg/")}


def check_two_builds_keep_their_graphs(store_url: str, query_url: str, first: Path, second: Path, capsys) -> None:
    """Push ``first``, then ``second`` (another build), then ``first`` again, into one server.

    The first build's counts and topics graphs are whole after the second's push, and a push of
    the same build again replaces its graphs instead of adding a copy.
    """
    from kg.remote import build_name
    from kg.store import open_graph

    local = open_graph(first).store
    kept = {name.value: len(list(local.quads_for_pattern(None, None, None, name))) for name in local.named_graphs()
            if name.value.endswith(("/graph/counts", "/graph/topics"))}  # fmt: skip
    del local
    assert len(kept) == 2 and min(kept.values()) > 50
    build = build_name(first)
    assert build != build_name(second)

    assert main(["push", str(first), "--endpoint", store_url]) == 0
    assert f"as build {build} " in capsys.readouterr().err, "the push names the build"
    assert main(["push", str(second), "--endpoint", store_url, "-q"]) == 0
    after_second = kg_graph_sizes(query_url)
    assert {name: after_second.get(f"{name}/{build}") for name in kept} == kept, "the first build's graphs are whole"
    assert sum(1 for name in after_second if name.endswith(f"/graph/counts/{build_name(second)}")) == 1
    assert not any(name.endswith(("/graph/counts", "/graph/topics")) for name in after_second)
    assert main(["push", str(first), "--endpoint", store_url, "-q"]) == 0
    assert kg_graph_sizes(query_url) == after_second, "the same build again replaces its graphs: nothing doubled"


def test_builds_pushed_into_one_server_keep_their_counts(store, tmp_path, capsys):
    from kg.store import open_graph

    second = tmp_path / "second"
    assert main(["build", str(FIXTURES / PAGES[1]), "--store", str(second), "-q"]) == 0
    with serve(None) as target:
        check_two_builds_keep_their_graphs(target.store_url, target.query_url, store, second, capsys)
        assert main(["push", str(second), "--endpoint", target.store_url, "--build", "hf-only", "-q"]) == 0
        whole = kg_graph_sizes(target.query_url)
        in_chunks = push(open_graph(second), target.store_url, build="hf-only", chunk=7)  # PUT 7, then POST 7 at a time
        assert kg_graph_sizes(target.query_url) == whole, "the same statements, none lost or doubled"
        assert sum(count for _, count in in_chunks.sent) == len(open_graph(second))
        named = query_endpoint(
            target.query_url, "ASK { GRAPH <https://w3id.org/kg/id/graph/counts/hf-only> { ?s ?p ?o } }"
        )
    assert named.boolean is True, "--build names the build"


def check_a_removed_source_leaves_the_server(store_url: str, query_url: str, tmp_path: Path, capsys) -> None:
    """Push a store, remove one of its sources, push it again: that source's graph is gone from the server,
    unless another build pushed it too."""
    from kg.store import open_graph

    own = tmp_path / "own"
    assert main(["build", *[str(FIXTURES / name) for name in PAGES], "--store", str(own), "-q"]) == 0
    other = tmp_path / "other"
    assert main(["build", str(FIXTURES / PAGES[1]), "--store", str(other), "-q"]) == 0
    sources = sorted(g.value for g in open_graph(own).store.named_graphs() if "/source/" in g.value)
    assert len(sources) == 3
    assert main(["push", str(own), "--endpoint", store_url, "-q"]) == 0
    assert set(sources) <= set(kg_graph_sizes(query_url))
    assert main(["remove", str(FIXTURES / PAGES[2]), "--store", str(own), "-q"]) == 0
    kept = sorted(g.value for g in open_graph(own).store.named_graphs() if "/source/" in g.value)
    (gone,) = set(sources) - set(kept)
    assert main(["push", str(own), "--endpoint", store_url]) == 0
    assert "removed 1 graph(s) it no longer has" in capsys.readouterr().err
    on_server = kg_graph_sizes(query_url)
    assert gone not in on_server and set(kept) <= set(on_server)
    papers = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a kg:Paper }"
    local = run_query(open_graph(own).store, papers).rows[0][0].value
    assert query_endpoint(query_url, papers).rows[0][0].value == local, "the server answers as the store does"
    # A source another build pushed too stays while that build has it.
    assert main(["push", str(other), "--endpoint", store_url, "-q"]) == 0
    assert main(["remove", str(FIXTURES / PAGES[1]), "--store", str(own), "-q"]) == 0
    assert main(["push", str(own), "--endpoint", store_url]) == 0
    assert "removed" not in capsys.readouterr().err
    shared = next(g for g in open_graph(other).store.named_graphs() if "/source/" in g.value)
    statements = len(list(open_graph(other).store.quads_for_pattern(None, None, None, shared)))
    assert kg_graph_sizes(query_url)[shared.value] == statements


def test_a_source_removed_from_a_store_leaves_the_server_at_its_next_push(tmp_path, capsys):
    with serve(None) as target:
        check_a_removed_source_leaves_the_server(target.store_url, target.query_url, tmp_path, capsys)


def test_endpoint_errors_are_one_line(store, capsys):
    dead = f"http://127.0.0.1:{free_port()}/query"
    assert main(["query", "--endpoint", dead, "ASK {}"]) == 1
    assert "cannot reach the server" in capsys.readouterr().err
    for command in (
        ["query", "--endpoint", "http://127.0.0.1:99999/query", "ASK {}"],
        ["query", "--endpoint", "http://[::1/query", "ASK {}"],
        ["push", str(store), "--endpoint", "http://127.0.0.1:99999/store"],
    ):
        assert main(command) in (1, 2)
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "not a valid URL" in err
    with pytest.raises(SystemExit):
        main(["serve", "--store", str(store), "--port", "99999"])
    assert "'99999' is not a port (1 to 65535)" in capsys.readouterr().err
    with serve(store) as server:
        # A query that does not parse is the query's fault, wherever it runs: exit 2, and the same position.
        query = "SELECT ?x\nWHERE { ?x kg:name ?n . FILTER( }"
        assert main(["query", "--endpoint", server.query_url, query, "--bind", "n=Ann"]) == 2
        remote = capsys.readouterr().err
        assert main(["query", str(store), query, "--bind", "n=Ann"]) == 2
        local = capsys.readouterr().err
        assert remote.count("\n") == 1 and "the endpoint refused the query: error at 2:" in remote
        assert remote.split("error at ")[1] == local.split("error at ")[1]
        assert main(["serve", "--store", str(store), "--port", str(server.port)]) == 2
        assert "cannot listen" in capsys.readouterr().err
    assert main(["query", str(store), "ASK {}", "--endpoint", dead]) == 2
    assert main(["serve", "--store", str(store.parent / "nothing")]) == 2
    assert "not a kg store" in capsys.readouterr().err
    with pytest.raises(UsageError) as not_a_store, serve(store.parent / "nothing"):
        pass
    assert not_a_store.value.option == "store"
    assert not_a_store.value.render(lambda name: "kg build --store").endswith("(make one with kg build --store)")


def test_kg_serve_runs_until_stopped_and_takes_its_server_down(store):
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = process.stdout.readline()
        assert line.strip() == f"SPARQL query endpoint:  http://127.0.0.1:{port}/query"
        answer = query_endpoint(f"http://127.0.0.1:{port}/query", "ASK { ?s a kg:Author }")
        assert answer.boolean is True
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    deadline = time.monotonic() + 5
    while not _port_free(port) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _port_free(port), "the Oxigraph server outlived kg serve"


def _port_free(port: int) -> bool:
    """Nobody listens there: a connection is refused."""
    import socket

    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except ConnectionRefusedError:
        return True
    return False


def test_push_of_a_missing_graph_is_an_input_error(tmp_path, capsys):
    assert main(["push", str(tmp_path / "none.ttl"), "--endpoint", "http://127.0.0.1:9/store"]) == 1
    assert "none.ttl: no such file" in capsys.readouterr().err
    with pytest.raises(UsageError):
        push(None, "file:///tmp/x", build="b")


@dataclass
class GraphStoreDouble:
    """A scripted server on loopback: the answers queued (the last one repeats), the requests seen."""

    url: str = ""
    answers: list[tuple[int, bytes]] = field(default_factory=list)
    seen: list[tuple[str, str, bytes]] = field(default_factory=list)
    pushed_lists: dict[str, bytes] = field(default_factory=dict)  # graph -> N-Triples the server holds
    get_status: int | None = None  # the answer to every GET, when set

    def data_requests(self) -> list[tuple[str, str, bytes]]:
        """The requests that carried a graph's statements (not the build's list of graphs)."""
        return [request for request in self.seen if "/graph/pushed" not in request[1]]


@pytest.fixture
def double(monkeypatch) -> Iterator[GraphStoreDouble]:
    monkeypatch.setattr(kg.io.http, "BACKOFF_S", 0.001)
    state = GraphStoreDouble()

    class Answering(http.server.BaseHTTPRequestHandler):
        def answer(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            state.seen.append((self.command, urllib.parse.unquote(self.path), body))
            if "/graph/pushed" in urllib.parse.unquote(self.path):  # the build's list: taken, whatever is scripted
                self.send_response(204)
                self.end_headers()
                return
            status, payload = state.answers.pop(0) if len(state.answers) > 1 else state.answers[0]
            self.send_response(status)
            self.send_header("Content-Type", "text/plain" if status >= 400 else "application/sparql-results+json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_POST = do_PUT = answer

        def do_GET(self):  # a build's list of the graphs it pushed (none yet, unless a test gave one)
            state.seen.append(("GET", urllib.parse.unquote(self.path), b""))
            listed = state.pushed_lists.get(urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["graph"][0])
            status = state.get_status or (404 if listed is None else 200)
            self.send_response(status)
            payload = listed if status == 200 and listed is not None else b"no such graph"
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_DELETE(self):
            state.seen.append(("DELETE", urllib.parse.unquote(self.path), b""))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answering)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield state
    httpd.shutdown()
    httpd.server_close()


class _TwoGraphs:
    """Just what push reads of a KnowledgeGraph: graph_names(), store and base."""

    base = "https://w3id.org/kg/id/"

    def __init__(self) -> None:
        import pyoxigraph

        self.store = pyoxigraph.Store()
        paper = pyoxigraph.NamedNode("https://w3id.org/kg/id/paper/p")
        kind = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        self.source = pyoxigraph.NamedNode("https://w3id.org/kg/id/graph/source/a")
        self.store.add(pyoxigraph.Quad(paper, kind, pyoxigraph.NamedNode("https://w3id.org/kg/ontology#Paper")))
        self.store.add(pyoxigraph.Quad(paper, kind, pyoxigraph.NamedNode("urn:x"), self.source))

    def graph_names(self) -> list:
        import pyoxigraph

        return [pyoxigraph.DefaultGraph(), self.source]


def test_push_with_append_is_not_retried_after_a_503(double):
    double.answers = [(503, b"busy"), (204, b"")]
    with pytest.raises(InputError) as failed:
        push(_TwoGraphs(), double.url + "/store", build="b", append=True, retries=3)
    assert str(failed.value) == f"{double.url}/store: the server answered 503: busy"
    sent_once = [("POST", "/store?graph=https://w3id.org/kg/id/graph/default/b")]
    assert [(method, path) for method, path, _ in double.data_requests()] == sent_once


def test_the_builds_list_is_written_before_its_graphs_and_a_server_without_reads_is_named(double):
    double.answers = [(204, b"")]
    double.get_status = 405
    pushed = push(_TwoGraphs(), double.url + "/store", build="b")
    writes = [(method, path.split("graph=")[1]) for method, path, _ in double.seen if method != "GET"]
    assert writes[:2] == [("POST", "https://w3id.org/kg/id/graph/pushed"),
                          ("PUT", "https://w3id.org/kg/id/graph/pushed/b")]  # fmt: skip
    assert [name for _, name in writes[2:]] == [name for name, _ in pushed.sent], "then the graphs"
    assert pushed.removed == [] and len(pushed.notes) == 1
    assert "gives no graph back" in pushed.notes[0] and "405" in pushed.notes[0]


def test_push_with_put_is_retried_after_a_503(double):
    double.answers = [(503, b"busy"), (204, b"")]
    sent = push(_TwoGraphs(), double.url + "/store", build="b").sent
    # Statements in no named graph are the build's own: under its name, never the server's default graph.
    assert sent == [("https://w3id.org/kg/id/graph/default/b", 1), ("https://w3id.org/kg/id/graph/source/a", 1)]
    assert [(method, path) for method, path, _ in double.data_requests()] == [
        ("PUT", "/store?graph=https://w3id.org/kg/id/graph/default/b"),
        ("PUT", "/store?graph=https://w3id.org/kg/id/graph/default/b"),
        ("PUT", "/store?graph=https://w3id.org/kg/id/graph/source/a"),
    ]
    assert double.data_requests()[-1][2].endswith(b"<urn:x> .\n")


def test_a_large_graph_goes_in_chunks_put_then_post(double):
    import pyoxigraph

    graph = _TwoGraphs()
    for n in range(4):  # five statements in the source's graph
        graph.store.add(pyoxigraph.Quad(pyoxigraph.NamedNode(f"urn:s{n}"), pyoxigraph.NamedNode("urn:p"),
                                        pyoxigraph.Literal(str(n)), graph.source))  # fmt: skip
    double.answers = [(204, b"")]
    sent = push(graph, double.url + "/store", build="b", chunk=2).sent
    assert sent == [("https://w3id.org/kg/id/graph/default/b", 1), ("https://w3id.org/kg/id/graph/source/a", 5)]
    requests = [(method, path.rsplit("/", 1)[-1], body.count(b"\n")) for method, path, body in double.data_requests()]
    assert requests == [("PUT", "b", 1), ("PUT", "a", 2), ("POST", "a", 2), ("POST", "a", 1)]
    received = pyoxigraph.Store()
    for _, _, body in double.data_requests()[1:]:
        received.load(body, format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert len(received) == 5, "every statement once"
    double.seen.clear()
    double.answers = [(204, b""), (204, b""), (503, b"busy"), (204, b"")]
    with pytest.raises(InputError) as failed:
        push(graph, double.url + "/store", build="b", chunk=2)
    assert str(failed.value).endswith(
        "the server answered 503: busy; the server holds only part of graph "
        "<https://w3id.org/kg/id/graph/source/a> (2 statements): push again"
    )
    assert [method for method, _, _ in double.data_requests()] == ["PUT", "PUT", "POST"], "a POST is not sent twice"


def test_a_server_that_will_not_write_says_how_to_let_it(double, capsys, tmp_path):
    double.answers = [(403, b"SQ110:SECURITY: Permission denied for delete from DB.DBA.RDF_QUAD")]
    with pytest.raises(InputError) as refused:
        push(_TwoGraphs(), double.url + "/store", build="b")
    assert "refused to write graph <https://w3id.org/kg/id/graph/default/b>" in str(refused.value)
    assert "Permission denied" in str(refused.value) and "GRANT SPARQL_UPDATE" in str(refused.value)
    assert len(double.data_requests()) == 1, "a refusal is final"


def test_a_build_name_is_checked_before_the_graph_is_read(tmp_path, capsys):
    for name in ("../up", "a b", "", "x" * 65, "-dash", "caf\u00e9"):
        assert (
            main(["push", str(tmp_path / "none.ttl"), "--endpoint", "http://127.0.0.1:9/store", f"--build={name}"]) == 2
        )
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "is not a build name for --build" in err, name
    assert main(["push", "-", "--endpoint", "http://127.0.0.1:9/store"]) == 2
    assert "standard input needs a build name (--build NAME)" in capsys.readouterr().err


def test_a_literal_with_a_tag_is_sent_with_its_angle_escaped(double):
    import pyoxigraph

    graph = _TwoGraphs()
    tagged = pyoxigraph.Literal('see <html> and "<b>"')
    graph.store.add(
        pyoxigraph.Quad(pyoxigraph.NamedNode("urn:p"), pyoxigraph.NamedNode("urn:says"), tagged, graph.source)
    )
    double.answers = [(204, b"")]
    push(graph, double.url + "/store", build="b")
    body = double.data_requests()[-1][2]
    assert b"<html>" not in body and b"<b>" not in body
    sent = pyoxigraph.Store()
    sent.load(body, format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert {quad.object for quad in sent} == {pyoxigraph.NamedNode("urn:x"), tagged}, "the same statements"


def test_a_query_is_retried_after_a_503_and_a_400_is_one_line(double):
    answer = b'{"head": {}, "boolean": true}'
    double.answers = [(503, b"busy"), (200, answer)]
    assert query_endpoint(double.url + "/query", "ASK { ?s a kg:Paper }").boolean is True
    assert [method for method, _, _ in double.seen] == ["POST", "POST"]
    assert b"PREFIX+kg%3A" in double.seen[0][2], "kg's prefixes travel with the query"
    sent = urllib.parse.parse_qs(double.seen[-1][2].decode())["query"][0]
    prefix_block = len(sent.removesuffix("ASK { ?s a kg:Paper }"))
    double.answers = [(400, f"Parser error:\n  unexpected end at line 1, column {prefix_block + 13}".encode())]
    with pytest.raises(QueryError) as failed:  # the query's fault, as a local query that does not parse
        query_endpoint(double.url + "/query", "SELECT WHERE")
    assert str(failed.value) == (f"{double.url}/query: the endpoint refused the query: Parser error: "
                                 "unexpected end at line 1, column 13")  # positions in the user's text  # fmt: skip
    assert len(double.seen) == 3, "a 4xx answer is not retried"
    double.answers = [(500, b"out of memory")]
    with pytest.raises(InputError) as failed:  # the server's fault: an input that failed
        query_endpoint(double.url + "/query", "ASK {}", retries=0)
    assert not isinstance(failed.value, QueryError) and "the server answered 500: out of memory" in str(failed.value)


def test_the_remote_package_and_its_modules():
    assert kg.remote.serve is kg.remote.server.serve
    assert kg.remote.push is kg.remote.client.push
    assert set(kg.remote.__all__) == {
        "serve", "push", "query_endpoint", "free_port", "server_executable", "RunningServer", "with_prefixes",
        "build_name", "RowCapWarning", "Pushed",
    }  # fmt: skip
    for module in (kg.remote.client, kg.remote.server, kg.remote):
        assert _flag_messages(Path(module.__file__)) == [], "messages name options by keyword, never a flag"
