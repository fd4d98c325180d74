"""Fetching URLs: a real HTTP server on loopback, never the internet."""

from __future__ import annotations

import http.server
import json
import threading
from typing import ClassVar

import pytest
from conftest import FIXTURES

from kg.cli import main
from kg.errors import InputError
from kg.io.http import USER_AGENT, fetch


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
def server(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    Handler.hits, Handler.agents = [], []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_loopback_is_refused_unless_allowed(server):
    with pytest.raises(InputError, match="private or local address"):
        fetch(f"{server}/page")
    assert Handler.hits == []
    assert fetch(f"{server}/page", allow_private=True).startswith(b"new")


def test_cache_user_agent_retries_and_limits(server):
    url = f"{server}/page"
    first = fetch(url, allow_private=True)
    assert fetch(url, allow_private=True) == first and Handler.hits == ["/page"]  # second read from the cache
    assert Handler.agents == [USER_AGENT]
    Handler.failures_left = 2
    assert fetch(f"{server}/flaky", allow_private=True, retries=3)
    with pytest.raises(InputError, match="HTTP 404"):
        fetch(f"{server}/missing", allow_private=True)
    with pytest.raises(InputError, match="MB limit"):
        fetch(f"{server}/big", allow_private=True, max_bytes=1000, use_cache=False)
    with pytest.raises(InputError, match="only http and https"):
        fetch("ftp://example.org/x")


def test_extract_and_build_a_url(server, tmp_path, capsys):
    url = f"{server}/hf.txt"
    assert main(["extract", url]) == 1
    assert "private or local address" in capsys.readouterr().err
    assert main(["extract", "--allow-private", url]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 4 and records[0]["source"]["path"] == url
    assert main(["build", "--allow-private", url, "-o", str(tmp_path / "g.ttl"), "-q"]) == 0
