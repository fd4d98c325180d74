"""kg's HTTP client against hostile answers: DNS rebinding, redirects inward, trickling servers.

Everything runs on loopback. Names are answered by a stand-in for DNS (``dns``); public
addresses are never dialled: ``network`` records each address kg connects to and refuses
the public ones, unless a test routes one to its loopback server (playing a public site).
"""

from __future__ import annotations

import http.server
import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import skip_unless_required

import kg.io.http
from kg.errors import InputError
from kg.io.http import request

PUBLIC = "93.184.216.34"  # public addresses, never dialled: ``network`` stands in for them
PUBLIC_2 = "93.184.216.35"


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch):
    monkeypatch.setattr(kg.io.http, "BACKOFF_S", 0.001)
    monkeypatch.setattr(kg.io.http, "MAX_WAIT_S", 0.05)


@dataclass
class Dns:
    """Answers for names: each lookup takes the next answer, the last one repeats."""

    answers: dict[str, list[list[str]]] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)


@pytest.fixture
def dns(monkeypatch) -> Dns:
    state = Dns()
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if name not in state.answers:
            return real(host, port, *args, **kwargs)
        state.asked.append(name)
        queue = state.answers[name]
        addresses = queue.pop(0) if len(queue) > 1 else queue[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0)) for address in addresses]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return state


@dataclass
class Network:
    """Every address kg connected to; ``routes`` sends a public address to a loopback one."""

    connects: list[str] = field(default_factory=list)
    routes: dict[str, str] = field(default_factory=dict)


@pytest.fixture
def network(monkeypatch) -> Network:
    state = Network()
    real = kg.io.http._open_socket

    def open_socket(family, address, timeout):
        state.connects.append(address[0])
        if address[0] in state.routes:
            address = (state.routes[address[0]], *address[1:])
        elif not ipaddress.ip_address(address[0]).is_loopback:
            raise ConnectionRefusedError(111, "Connection refused")
        return real(family, address, timeout)

    monkeypatch.setattr(kg.io.http, "_open_socket", open_socket)
    return state


@dataclass
class Server:
    """A loopback server: ``routes`` maps a path to what the handler does; ``seen`` is (path, Host)."""

    port: int = 0
    routes: dict[str, Callable[[http.server.BaseHTTPRequestHandler], None]] = field(default_factory=dict)
    seen: list[tuple[str, str]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)


def _answer(handler, status: int, body: bytes = b"", **headers: str) -> None:
    handler.send_response(status)
    for name, value in {"Content-Length": str(len(body)), **headers}.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.end_headers()
    handler.wfile.write(body)


def _serve(tls: ssl.SSLContext | None = None) -> Iterator[Server]:
    state = Server()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            state.seen.append((self.path, self.headers.get("Host", "")))
            state.routes.get(self.path, lambda handler: _answer(handler, 200, b"inside"))(self)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    state.port = httpd.server_address[1]
    yield state
    state.stop.set()  # ends every trickle still running
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    yield from _serve()


def _trickle(server: Server, data: bytes, every_s: float = 0.2) -> Callable:
    """A handler that writes ``data`` one byte at a time (for at most 30 s), then stops."""

    def handler(handler):
        for byte in data:
            if server.stop.wait(every_s):
                return
            try:
                handler.wfile.write(bytes([byte]))
            except OSError:
                return  # the client hung up

    return handler


# -- DNS rebinding: a name is resolved once, checked, and only that address is dialled --


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_name_that_rebinds_to_loopback_is_never_reached(scheme, dns, network, server):
    dns.answers["rebind.test"] = [[PUBLIC], ["127.0.0.1"]]  # public when checked, loopback after
    with pytest.raises(InputError, match=r"cannot reach the server: .*refused"):
        request(f"{scheme}://rebind.test:{server.port}/secret", retries=1)
    assert server.seen == []
    assert network.connects == [PUBLIC, PUBLIC]  # both tries went to the checked address
    assert dns.asked == ["rebind.test"]  # resolved once, not again per try or per connection


def test_every_address_of_a_name_is_checked(dns, network, server):
    dns.answers["mixed.test"] = [[PUBLIC, "127.0.0.1"]]
    with pytest.raises(InputError, match=r"refused: mixed\.test is a private or local address"):
        request(f"http://mixed.test:{server.port}/secret")
    assert network.connects == [] and server.seen == []


@pytest.mark.parametrize(
    "address",
    ["127.0.0.2", "::ffff:127.0.0.1", "169.254.169.254", "100.100.100.200", "fd00::1", "0.0.0.0", "224.0.0.1"],
)
def test_local_addresses_in_any_spelling_are_refused(address, dns, network):
    """Loopback, IPv4-mapped, link-local (cloud metadata), shared (100.64/10), unique-local, any, multicast."""
    dns.answers["local.test"] = [[address]]
    with pytest.raises(InputError, match=r"refused: local\.test is a private or local address"):
        request("http://local.test/latest/meta-data/")
    assert network.connects == []


def test_each_redirect_hop_is_checked_and_pinned(dns, network, server):
    network.routes[PUBLIC] = "127.0.0.1"  # the loopback server plays a public site
    dns.answers["site.test"] = [[PUBLIC]]
    dns.answers["hop.test"] = [[PUBLIC_2], ["127.0.0.1"]]
    dns.answers["inside.test"] = [["127.0.0.1"]]
    server.routes["/to-inside"] = lambda h: _answer(h, 302, Location=f"http://inside.test:{server.port}/secret")
    server.routes["/to-hop"] = lambda h: _answer(h, 302, Location=f"http://hop.test:{server.port}/secret")
    assert request(f"http://site.test:{server.port}/page") == b"inside"
    assert server.seen == [("/page", f"site.test:{server.port}")]  # the Host header keeps the name
    with pytest.raises(InputError, match=r"refused: inside\.test is a private or local address"):
        request(f"http://site.test:{server.port}/to-inside")
    with pytest.raises(InputError, match=r"cannot reach the server: .*refused"):
        request(f"http://site.test:{server.port}/to-hop", retries=0)
    assert [path for path, _ in server.seen] == ["/page", "/to-inside", "/to-hop"]  # never /secret
    assert network.connects == [PUBLIC, PUBLIC, PUBLIC, PUBLIC_2]


def test_environment_proxies_are_not_used(dns, network, server, monkeypatch):
    """A proxy would resolve the name itself, past the check: kg connects to the checked address."""
    dns.answers["site.test"] = [["127.0.0.1"]]
    for variable in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.setenv(variable, "http://proxy.test:3128")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    assert request(f"http://site.test:{server.port}/page", allow_private=True) == b"inside"
    assert network.connects == ["127.0.0.1"] and "proxy.test" not in dns.asked


# -- https: connect to the pinned address, check the certificate against the name --


def _certificates(folder: Path, name: str) -> tuple[Path, Path, Path]:
    """A test CA (its certificate file), and a server certificate and key for ``name`` signed by it."""
    if shutil.which("openssl") is None:
        skip_unless_required("openssl", "the openssl command makes the test certificates and is not installed")
    (folder / "server.ext").write_text(
        f"subjectAltName=DNS:{name}\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
    )
    new_key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    for command in (
        ["req", "-x509", *new_key, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=kg test CA",
         "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
        ["req", "-new", *new_key, "-keyout", "server.key", "-out", "server.csr", "-subj", f"/CN={name}"],
        ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "2",
         "-days", "2", "-extfile", "server.ext", "-out", "server.pem"],
    ):  # fmt: skip
        subprocess.run(["openssl", *command], cwd=folder, check=True, capture_output=True, timeout=30)
    return folder / "ca.pem", folder / "server.pem", folder / "server.key"


def test_https_checks_the_certificate_against_the_host_name(dns, tmp_path, monkeypatch):
    ca, certificate, key = _certificates(tmp_path, "tls.test")
    monkeypatch.setenv("SSL_CERT_FILE", str(ca))  # kg trusts the test CA, as it trusts the system's
    names: list[str | None] = []
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(certificate, key)
    tls.sni_callback = lambda connection, name, context: names.append(name)
    dns.answers["tls.test"] = [["127.0.0.1"]]
    dns.answers["other.test"] = [["127.0.0.1"]]
    served = _serve(tls)
    server = next(served)
    try:
        # Connected to 127.0.0.1, but the name went in SNI, the certificate check and the Host header.
        assert request(f"https://tls.test:{server.port}/page", allow_private=True) == b"inside"
        assert names == ["tls.test"] and server.seen == [("/page", f"tls.test:{server.port}")]
        with pytest.raises(InputError, match=r"cannot reach the server: .*CERTIFICATE_VERIFY_FAILED"):
            request(f"https://other.test:{server.port}/page", allow_private=True)
        assert names == ["tls.test", "other.test"], "a wrong certificate is final: not retried"
    finally:
        next(served, None)


# -- one deadline for the whole answer --


@pytest.mark.parametrize("max_bytes", [kg.io.http.MAX_BYTES, None])
def test_a_trickling_body_is_cut_off_at_the_deadline(server, max_bytes):
    def trickle(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        _trickle(server, b"x" * 1000)(handler)  # 200 s at one byte per 0.2 s

    server.routes["/slow"] = trickle
    started = time.monotonic()
    with pytest.raises(InputError) as failed:
        request(f"http://127.0.0.1:{server.port}/slow", allow_private=True, timeout=1, retries=0, max_bytes=max_bytes)
    assert failed.value.reason == "no complete answer within 1 s"
    assert time.monotonic() - started < 10  # a hang guard, not a speed test


def test_trickling_headers_are_cut_off_at_the_deadline(server):
    server.routes["/slow"] = _trickle(server, b"HTTP/1.0 200 OK\r\n" + b"X-Slow: " + b"y" * 1000 + b"\r\n\r\nbody")
    started = time.monotonic()
    with pytest.raises(InputError) as failed:
        request(f"http://127.0.0.1:{server.port}/slow", allow_private=True, timeout=1, retries=1)
    assert failed.value.reason == "no answer within 1 s"
    assert [path for path, _ in server.seen] == ["/slow", "/slow"]  # a timeout is retried, each try bounded
    assert time.monotonic() - started < 15  # a hang guard, not a speed test


def test_a_redirect_body_is_not_read(server):
    """A redirect's own body is dropped unread: an endless one costs neither time nor memory."""

    def endless_redirect(handler):
        handler.send_response(302)
        handler.send_header("Location", "/end")
        handler.end_headers()
        _trickle(server, b"z" * 100_000, every_s=0.001)(handler)

    server.routes["/start"] = endless_redirect
    server.routes["/end"] = lambda h: _answer(h, 200, b"arrived")
    assert request(f"http://127.0.0.1:{server.port}/start", allow_private=True, timeout=2, retries=0) == b"arrived"


def test_an_answer_cut_short_is_an_error(server):
    def short(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "100")
        handler.end_headers()
        handler.wfile.write(b"only ten b")
        handler.close_connection = True

    server.routes["/short"] = short
    for max_bytes in (kg.io.http.MAX_BYTES, None):
        with pytest.raises(InputError) as failed:
            request(f"http://127.0.0.1:{server.port}/short", allow_private=True, retries=0, max_bytes=max_bytes)
        assert failed.value.reason == "the answer was cut short: the connection closed before its end"
