"""A real SPARQL server on loopback: kg serve, kg push, kg query --endpoint."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import FIXTURES, skip_unless_required

from kg.cli import main
from kg.errors import UsageError
from kg.remote.client import free_port, push, query_endpoint, serve, server_executable
from kg.store import GraphStore

PAGES = ["profile_sample.txt", "hf_sample.txt", "lab_sample.txt"]
TOP_AUTHORS = Path(__file__).resolve().parents[1] / "examples" / "queries" / "top-authors.rq"


@pytest.fixture(scope="module", autouse=True)
def oxigraph_server():
    try:
        server_executable()
    except UsageError as missing:
        skip_unless_required("server", str(missing))


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
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
    graph = GraphStore(store).open_graph()
    expected_graphs = len(list(graph.store.named_graphs()))
    with serve(None) as target:
        assert main(["push", str(store), "--endpoint", target.store_url]) == 0
        assert "statements in" in capsys.readouterr().err
        counted = "SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?g) AS ?graphs) WHERE { GRAPH ?g { ?s ?p ?o } }"
        first = query_endpoint(target.query_url, counted).rows[0]
        assert main(["push", str(store), "--endpoint", target.store_url, "-q"]) == 0  # PUT replaces
        again = query_endpoint(target.query_url, counted).rows[0]
        ttl = tmp_path / "one.ttl"
        assert main(["build", str(FIXTURES / PAGES[1]), "-o", str(ttl), "-q"]) == 0
        assert main(["push", str(ttl), "--endpoint", target.store_url, "--append", "-q"]) == 0
        with_default = query_endpoint(target.query_url, "ASK { ?s a kg:Paper }").boolean
    assert int(first[0].value) == len(graph)
    assert int(first[1].value) == expected_graphs
    assert [term.value for term in again] == [term.value for term in first]
    assert with_default is True


def test_endpoint_errors_are_one_line(store, capsys):
    dead = f"http://127.0.0.1:{free_port()}/query"
    assert main(["query", "--endpoint", dead, "ASK {}"]) == 1
    assert "cannot reach the endpoint" in capsys.readouterr().err
    with serve(store) as server:
        assert main(["query", "--endpoint", server.query_url, "SELECT WHERE"]) == 1
        error = capsys.readouterr().err
        assert error.count("\n") == 1 and "the server answered 400" in error
        assert main(["serve", "--store", str(store), "--port", str(server.port)]) == 2
        assert "cannot listen" in capsys.readouterr().err
    assert main(["query", str(store), "ASK {}", "--endpoint", dead]) == 2
    assert main(["serve", "--store", str(store.parent / "nothing")]) == 2
    assert "not a kg store" in capsys.readouterr().err


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
        push(None, "file:///tmp/x")
