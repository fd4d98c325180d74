"""A hostile SPARQL client against kg serve, on loopback only: what the server refuses, and what it survives.

Each case is one a web page or another program on the machine could try: a
query that nests a few thousand groups, a ``SERVICE`` call to an internal
address, a DNS name rebound to 127.0.0.1, a cross-site form that posts
``DROP ALL``, a query that never ends, a client that leaves, and ``kill -9``
of kg serve itself. Every request has a client-side timeout; every server
is stopped when its test ends.
"""

from __future__ import annotations

import http.client
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES, skip_unless_required

from kg.cli import main
from kg.errors import StoreBusyError, UsageError
from kg.remote import free_port, query_endpoint, serve, server_executable

PAGES = ["profile_sample.txt", "hf_sample.txt", "lab_sample.txt"]
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# Four copies of every statement joined with each other: hundreds of billions of rows, for ever.
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
STREAMED = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # answered as it is computed


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    try:
        server_executable()
    except UsageError as missing:
        skip_unless_required("server", str(missing))
    folder = tmp_path_factory.mktemp("hostile") / "store"
    assert main(["build", *[str(FIXTURES / name) for name in PAGES], "--store", str(folder), "-q"]) == 0
    return folder


@pytest.fixture
def own_store(store, tmp_path) -> Path:
    """A copy of the store a test may change."""
    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    return copy


def send(url: str, method: str = "GET", body: bytes = b"", headers: dict | None = None, timeout: float = 30):
    """(status, body) of one request; headers as given (Host too), nothing added but Content-Length."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.putrequest(method, parts.path + (f"?{parts.query}" if parts.query else ""), skip_host=True)
        headers = {"Host": parts.netloc, **(headers or {})}
        for name, value in headers.items():
            if value is not None:
                connection.putheader(name, value)
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def ask(server, query: str, headers: dict | None = None, timeout: float = 30):
    body = urllib.parse.urlencode({"query": query}).encode()
    form = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}
    return send(server.query_url, "POST", body, {**form, **(headers or {})}, timeout)


def count(server) -> int:
    return int(query_endpoint(server.query_url, COUNT).rows[0][0].value)


def dead(pid: int) -> bool:
    """The process is gone, or a zombie nobody reaped yet (it runs nothing either way)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def wait_until(condition, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")


def test_a_nested_group_bomb_is_refused_and_the_server_keeps_answering(store):
    with serve(store) as server:
        backend = server.backend_pid
        for bomb in (
            "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
            "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 20000 + "?o) }",
            "SELECT * WHERE { ?s ?p ( " + "?o " * 5000 + ") }",
        ):
            status, body = ask(server, bomb)
            assert status == 400 and body.count(b"\n") == 1 and b"no real query needs" in body
        status, body = send(server.query_url, "POST", ("ASK " + "{" * 3000 + "}" * 3000).encode(),
                            {"Content-Type": "application/sparql-query"})  # fmt: skip
        assert status == 400
        assert query_endpoint(server.query_url, "ASK { ?s a kg:Author }").boolean is True
        assert server.backend_pid == backend, "the engine never saw the bombs"


def test_service_to_a_loopback_address_is_never_sent(store, capsys):
    hits: list[str] = []

    class Internal(http.server.BaseHTTPRequestHandler):
        def answer(self):
            hits.append(self.path)
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = answer

        def log_message(self, *args):
            pass

    internal = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Internal)
    threading.Thread(target=internal.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    url = f"http://127.0.0.1:{internal.server_address[1]}/admin"
    try:
        with serve(store) as server:
            for query in (
                f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
                f"SELECT * WHERE {{ SERVICE SILENT ?x {{ ?s ?p ?o }} VALUES ?x {{ <{url}> }} }}",
                f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
            ):
                status, body = ask(server, query)
                assert status == 400 and body.count(b"\n") == 1, body
            assert send(server.query_url + "?" + urllib.parse.urlencode({"query": query}))[0] == 400
        assert main(["query", str(store), f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"]) == 2
        assert "not allowed (allow it with --allow-service)" in capsys.readouterr().err
        assert hits == [], "nothing reached the internal address"
        # Allowed by name, it is called; its failure is one line.
        query = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
        assert main(["query", str(store), query, "--allow-service", url]) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"kg: error: {url}: the SERVICE request failed") and err.count("\n") == 1
        assert len(hits) == 1
    finally:
        internal.shutdown()
        internal.server_close()


def test_a_rebound_dns_name_is_misdirected(store):
    with serve(store) as server:
        query = server.query_url + "?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
        for host in (f"evil.example:{server.port}", "evil.example", f"127.0.0.1:{server.port + 1}", "a b"):
            status, body = send(query, headers={"Host": host})
            assert status in (400, 403) and body.count(b"\n") == 1
        for host in (f"localhost:{server.port}", f"127.0.0.1:{server.port}", "kg.localhost", None):
            assert send(query, headers={"Host": host})[0] == 200, host


def test_a_page_elsewhere_cannot_post_to_a_writable_server(own_store):
    drop = b"update=DROP+ALL"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    with serve(own_store, writable=True) as server:
        before = count(server)
        for foreign in (
            {"Origin": "http://evil.example"},
            {"Origin": "null"},
            {"Origin": f"http://localhost:{server.port + 1}"},
            {"Sec-Fetch-Site": "cross-site"},
            {"Sec-Fetch-Site": "same-site", "Origin": None},
        ):
            status, body = send(server.update_url, "POST", drop, {**form, **foreign})
            assert status == 403 and b"other sites" in body
            status, _ = ask(server, "ASK {}", foreign)
            assert status == 403
        assert count(server) == before > 100, "the data is still there"
        insert = b"update=" + urllib.parse.quote_plus("INSERT DATA { <urn:a> <urn:b> <urn:c> }").encode()
        status, _ = send(server.update_url, "POST", insert, {**form, "Origin": server.url})
        assert status == 204, "the server's own page may write"
        assert count(server) == before + 1


def test_writes_a_writable_server_took_survive_the_next_rebuild(own_store, capsys):
    with serve(own_store, writable=True, holder="kg serve --writable") as server:
        sent = "INSERT DATA { GRAPH <urn:kept> { <urn:paper> <urn:note> 'taken by the server' } }"
        status, _ = send(server.update_url, "POST", sent.encode(), {"Content-Type": "application/sparql-update"})
        assert status == 204
        with pytest.raises(StoreBusyError), serve(own_store, writable=True):
            pass
        assert main(["remove", str(FIXTURES / PAGES[2]), "--store", str(own_store), "-q"]) == 3  # BUSY
        assert "busy: kg serve --writable" in capsys.readouterr().err
    assert main(["remove", str(FIXTURES / PAGES[2]), "--store", str(own_store), "-q"]) == 0
    kept = "SELECT ?note WHERE { GRAPH <urn:kept> { <urn:paper> <urn:note> ?note } }"
    assert main(["query", str(own_store), kept, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == ["taken by the server"]


def test_a_read_only_server_follows_the_store_and_lets_the_old_state_go(own_store):
    with serve(own_store) as server:
        first = count(server)
        assert main(["remove", str(FIXTURES / PAGES[2]), "--store", str(own_store), "-q"]) == 0
        second = count(server)
        assert second < first, "the answer follows the store, not deleted files"
        generations = sorted(path.name for path in own_store.glob("gen-*"))
        assert main(["add", str(FIXTURES / PAGES[2]), "--store", str(own_store), "-q"]) == 0
        assert count(server) == first
        now = sorted(path.name for path in own_store.glob("gen-*"))
        assert generations[0] not in now, "the generation the server let go of was removed"


@linux_only
def test_a_query_past_the_timeout_is_stopped_with_its_work(store):
    with serve(store, timeout_s=1) as server:
        for query in (CARTESIAN, STREAMED):
            backend = server.backend_pid
            status, body = ask(server, query, timeout=60)
            assert status == 504, "an error status, never 200 with half an answer"
            assert body == b"the query ran past the 1 s time limit and was stopped\n"
            assert wait_until(lambda pid=backend: dead(pid)), "the engine that ran it is not left computing"
            assert query_endpoint(server.query_url, "ASK { ?s a kg:Paper }", timeout_s=10).boolean is True


@linux_only
def test_a_client_that_leaves_takes_its_query_with_it(store):
    with serve(store, timeout_s=600) as server:
        backend = server.backend_pid
        body = urllib.parse.urlencode({"query": CARTESIAN}).encode()
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as client:
            client.sendall(
                f"POST /query HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            time.sleep(0.5)
        assert wait_until(lambda: dead(backend)), "its query was stopped"
        assert query_endpoint(server.query_url, "ASK { ?s a kg:Paper }", timeout_s=10).boolean is True


def test_other_queries_are_not_lost_when_one_is_stopped(store):
    with serve(store, timeout_s=3) as server:
        stopped: list = []
        runaway = threading.Thread(target=lambda: stopped.append(ask(server, CARTESIAN, timeout=60)))
        runaway.start()
        answers = []
        while runaway.is_alive():
            answers.append(ask(server, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }", timeout=60)[0])
        runaway.join()
    assert stopped[0][0] == 504
    assert answers and set(answers) == {200}


def test_requests_outside_what_kg_serves(store):
    with serve(store) as server:
        assert send(server.url + "/sparql")[0] == 404
        assert send(server.url + "/store", "PUT", b"<urn:a> <urn:b> <urn:c> .",
                    {"Content-Type": "application/n-triples"})[0] == 403  # fmt: skip
        assert send(server.update_url, "POST", b"update=CLEAR+ALL",
                    {"Content-Type": "application/x-www-form-urlencoded"})[0] == 403  # fmt: skip
        big = b"query=" + b"x" * (1 << 20)
        assert send(server.query_url, "POST", big, {"Content-Type": "application/x-www-form-urlencoded"})[0] == 413
        assert send(server.query_url, "POST", b"ASK {}", {"Content-Type": "text/plain"})[0] == 415
        assert send(server.url + "/", "OPTIONS")[0] == 501
        assert count(server) > 100


@linux_only
def test_kill_9_of_kg_serve_takes_its_engine_down(store):
    port = free_port()
    command = [sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout.readline().startswith("SPARQL query endpoint:")
        engines = list(_children(process.pid))
        assert len(engines) == 1
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        process.stdout.close()
    assert wait_until(lambda: dead(engines[0]), 5), "the Oxigraph server died with kg serve"


def _children(pid: int) -> Iterator[int]:
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    if int(handle.read().rsplit(")", 1)[1].split()[1]) == pid:
                        yield int(entry)
            except (OSError, ValueError, IndexError):
                continue


# An engine that answers like Oxigraph when a query fails halfway: 200, part of the results, its error
# message in the body, and the same message on stderr; or that drops the connection halfway.
HALF_ANSWER = r"""
import http.server, sys
port = int(sys.argv[sys.argv.index("--bind") + 1].rsplit(":", 1)[1])
class Half(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        part = b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"urn:a"}},'
        self.wfile.write(b"%X\r\n%s\r\n" % (len(part), part))
        if "dropped" in sys.argv:
            self.wfile.flush()
            self.connection.close()
            return
        message = b"The SPARQL operation has been cancelled"
        print("Internal server error while streaming results: " + message.decode(), file=sys.stderr, flush=True)
        self.wfile.write(b"%X\r\n%s\r\n0\r\n\r\n" % (len(message), message))
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", port), Half).serve_forever()
"""


@pytest.mark.parametrize(
    ("how", "reason"),
    [("cancelled", b"failed while answering: Internal server error"), ("dropped", b"broke off its answer")],
)
def test_an_answer_cut_short_is_an_error_never_a_200(how, reason):
    from kg.remote.gateway import Gateway, start_backend

    def launch():
        return start_backend([sys.executable, "-c", HALF_ANSWER, how], timeout_s=30, startup_s=10)

    gateway = Gateway("127.0.0.1", 0, launch, timeout_s=10)
    try:
        gateway.start()
        url = f"http://127.0.0.1:{gateway.port}/query"
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        status, body = send(url, "POST", b"query=SELECT+*+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D", form, timeout=30)
    finally:
        gateway.close()
    assert status == 502 and reason in body and body.count(b"\n") == 1
