"""kg's one HTTP client: real HTTP servers on loopback, never the internet."""

from __future__ import annotations

import http.server
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import pytest
from conftest import FIXTURES
from test_layers import flag_messages as _flag_messages

import kg.io.http
from kg.cli import main
from kg.errors import InputError
from kg.io.http import USER_AGENT, fetch, request


class Handler(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []
    agents: ClassVar[list[str]] = []
    failures_left = 0

    def do_GET(self):
        Handler.hits.append(self.path)
        Handler.agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/flaky" and Handler.failures_left > 0:
            Handler.failures_left -= 1
            self.send_error(503)
            return
        if self.path == "/missing":
            self.send_error(404)
            return
        body = b"x" * 5000 if self.path == "/big" else (FIXTURES / "hf_sample.txt").read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fast_retries(monkeypatch):
    """Back-off of milliseconds, so retries cost no test time."""
    monkeypatch.setattr(kg.io.http, "BACKOFF_S", 0.001)
    monkeypatch.setattr(kg.io.http, "MAX_WAIT_S", 0.05)


@pytest.fixture
def server(tmp_path, monkeypatch, fast_retries):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    Handler.hits, Handler.agents, Handler.failures_left = [], [], 0
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@dataclass
class Scripted:
    """A loopback server that gives the answers queued in ``answers`` (the last one repeats)."""

    url: str
    answers: list[tuple[int, dict[str, str | None], bytes]] = field(default_factory=list)
    seen: list[tuple[str, str, bytes]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    delay_s: float = 0.0


@pytest.fixture
def scripted(fast_retries) -> Iterator[Scripted]:
    state = Scripted("")

    class Answering(http.server.BaseHTTPRequestHandler):
        def answer(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            state.seen.append((self.command, self.path, body))
            state.headers.append(dict(self.headers))
            time.sleep(state.delay_s)
            status, headers, payload = state.answers.pop(0) if len(state.answers) > 1 else state.answers[0]
            self.send_response(status)
            headers = {"Content-Length": str(len(payload)), **headers}
            for name, value in headers.items():
                if value is not None:
                    self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = answer

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answering)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield state
    httpd.shutdown()
    httpd.server_close()


def test_loopback_is_refused_unless_allowed(server):
    with pytest.raises(InputError, match="private or local address") as refused:
        fetch(f"{server}/page")
    assert Handler.hits == []
    assert fetch(f"{server}/page", allow_private=True).startswith(b"new")
    # The message names the option, never a flag: the command line renders it.
    assert refused.value.option == "allow_private"
    assert str(refused.value).endswith("(allow it with allow_private)")
    assert refused.value.render(lambda name: "--allow-private").endswith("(allow it with --allow-private)")


def test_cache_user_agent_retries_and_limits(server):
    url = f"{server}/page"
    first = fetch(url, allow_private=True)
    assert fetch(url, allow_private=True) == first and Handler.hits == ["/page"]  # second read from the cache
    assert Handler.agents == [USER_AGENT]
    Handler.failures_left = 2
    assert fetch(f"{server}/flaky", allow_private=True, retries=2)
    assert Handler.hits.count("/flaky") == 3
    with pytest.raises(InputError, match=r"the server answered 404: .*Not Found"):
        fetch(f"{server}/missing", allow_private=True)
    assert Handler.hits.count("/missing") == 1, "a 4xx answer is not retried"
    with pytest.raises(InputError, match=r"larger than the size limit \(1000 bytes\)"):
        fetch(f"{server}/big", allow_private=True, max_bytes=1000, use_cache=False)
    with pytest.raises(InputError, match="only http and https"):
        fetch("ftp://example.org/x")


def test_a_get_is_retried_after_a_503(scripted):
    scripted.answers = [(503, {}, b"busy"), (200, {}, b"done")]
    assert request(f"{scripted.url}/page", allow_private=True, retries=2) == b"done"
    assert [(method, path) for method, path, _ in scripted.seen] == [("GET", "/page"), ("GET", "/page")]


def test_retries_are_bounded_and_the_last_answer_is_reported(scripted):
    scripted.answers = [(503, {"Content-Type": "text/plain"}, b"try later")]
    with pytest.raises(InputError) as failed:
        request(f"{scripted.url}/page", allow_private=True, retries=2)
    assert str(failed.value) == f"{scripted.url}/page: the server answered 503: try later"
    assert len(scripted.seen) == 3


def test_retry_after_is_honoured_only_up_to_the_longest_wait(scripted):
    scripted.answers = [(429, {"Retry-After": "3600"}, b"slow down"), (200, {}, b"done")]
    started = time.monotonic()
    assert request(scripted.url, allow_private=True) == b"done"
    assert time.monotonic() - started < 5
    assert len(scripted.seen) == 2


def test_a_post_is_sent_once_unless_declared_idempotent(scripted):
    scripted.answers = [(503, {}, b"busy"), (200, {}, b"done")]
    with pytest.raises(InputError, match="the server answered 503: busy"):
        request(scripted.url, method="POST", data=b"a=1", allow_private=True, retries=3)
    assert len(scripted.seen) == 1
    scripted.answers = [(503, {}, b"busy"), (200, {}, b"done")]
    assert request(scripted.url, method="POST", data=b"a=1", allow_private=True, idempotent=True) == b"done"
    assert [body for _, _, body in scripted.seen] == [b"a=1", b"a=1", b"a=1"]


def test_a_put_is_retried(scripted):
    scripted.answers = [(502, {}, b""), (204, {}, b"")]
    assert request(scripted.url, method="PUT", data=b"x", allow_private=True) == b""
    assert [method for method, _, _ in scripted.seen] == ["PUT", "PUT"]


def test_an_error_answer_is_one_line_with_the_server_message(scripted):
    scripted.answers = [(400, {"Content-Type": "text/plain"}, b"Parser error at line 1:\n  unexpected WHERE\n")]
    with pytest.raises(InputError) as failed:
        request(scripted.url + "/sparql", method="POST", data=b"q", allow_private=True, source="my endpoint")
    assert str(failed.value) == "my endpoint: the server answered 400: Parser error at line 1: unexpected WHERE"
    assert failed.value.source == "my endpoint" and "\n" not in str(failed.value)


def test_an_html_error_page_is_reduced_to_its_text(scripted):
    page = b"<html><head><title>x</title><style>p{}</style></head><body><h1>Gone</h1><p>It&#39;s moved.</p></body>"
    scripted.answers = [(410, {"Content-Type": "text/html"}, page)]
    with pytest.raises(InputError, match=r"the server answered 410: Gone It's moved\.$"):
        request(scripted.url, allow_private=True)
    scripted.answers = [(500, {}, b"e" * 5000)]
    with pytest.raises(InputError) as failed:
        request(scripted.url, allow_private=True, retries=0)
    assert len(failed.value.reason) < 400 and failed.value.reason.endswith("…")
    scripted.answers = [(404, {}, b"")]
    with pytest.raises(InputError, match=r"the server answered 404: Not Found$"):
        request(scripted.url, allow_private=True)


def test_the_size_limit_holds_with_and_without_a_declared_length(scripted):
    scripted.answers = [(200, {}, b"y" * 2048)]
    assert len(request(scripted.url, allow_private=True, max_bytes=2048)) == 2048
    with pytest.raises(InputError, match=r"larger than the size limit \(2047 bytes\)"):
        request(scripted.url, allow_private=True, max_bytes=2047)
    scripted.answers = [(200, {"Content-Length": None}, b"y" * 2048)]  # read until the connection closes
    with pytest.raises(InputError, match=r"larger than the size limit \(1000 bytes\)"):
        request(scripted.url, allow_private=True, max_bytes=1000)
    assert len(request(scripted.url, allow_private=True, max_bytes=None)) == 2048
    with pytest.raises(InputError, match=r"size limit \(2 MB\)"):
        kg.io.http._read_limited(_Declared(3 * 1024 * 1024), "u", 2 * 1024 * 1024)


class _Declared:
    """A response that declares a length and must not be read."""

    def __init__(self, length: int) -> None:
        self.headers = {"Content-Length": str(length)}

    def read(self, *args):
        raise AssertionError("read past a declared length over the limit")


def test_no_answer_in_time_and_no_server(scripted):
    scripted.answers, scripted.delay_s = [(200, {}, b"late")], 1.0
    with pytest.raises(InputError, match=r"no answer within 0.2 s$"):
        request(scripted.url, allow_private=True, timeout=0.2, retries=0)
    from kg.remote.server import free_port

    dead = f"http://127.0.0.1:{free_port()}/x"
    with pytest.raises(InputError, match=r"cannot reach the server: .*refused"):
        request(dead, allow_private=True, retries=1)


def test_a_redirect_goes_only_to_http(scripted):
    scripted.answers = [(302, {"Location": "ftp://127.0.0.1/secret"}, b"")]
    with pytest.raises(InputError, match=re.escape("refused a redirect to ftp://127.0.0.1/secret")):
        request(scripted.url, allow_private=True)
    scripted.answers = [(302, {"Location": "/here"}, b""), (200, {}, b"arrived")]
    assert request(scripted.url, allow_private=True) == b"arrived"
    assert [path for _, path, _ in scripted.seen[-2:]] == ["/", "/here"]


def test_headers_and_user_agent_are_sent(scripted):
    scripted.answers = [(200, {}, b"ok")]
    assert request(scripted.url, method="POST", data=b"q=1", headers={"Content-Type": "text/plain"},
                   allow_private=True) == b"ok"  # fmt: skip
    assert scripted.seen == [("POST", "/", b"q=1")]
    assert scripted.headers[0]["User-Agent"] == USER_AGENT
    assert scripted.headers[0]["Content-Type"] == "text/plain"


def test_messages_of_the_client_name_no_flag():
    """Errors name options by keyword (``{option}``); only the command line knows flags."""
    assert _flag_messages(Path(kg.io.http.__file__)) == []


def test_extract_and_build_a_url(server, tmp_path, capsys):
    url = f"{server}/hf.txt"
    assert main(["extract", url]) == 1
    assert "private or local address" in capsys.readouterr().err
    assert main(["extract", "--allow-private", url]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 4 and records[0]["source"]["path"] == url
    assert main(["build", "--allow-private", url, "-o", str(tmp_path / "g.ttl"), "-q"]) == 0
