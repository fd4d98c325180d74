"""kg's one HTTP client: bounded, polite, retried where safe, refusing what it should not reach.

:func:`request` sends every request kg makes (a page the user named, a SPARQL
query, a Graph Store upload), :func:`request_answer` does the same and hands
back the answer's headers too, and :func:`fetch` adds an on-disk cache for pages.

- only ``http`` and ``https``; hosts that resolve to private, loopback,
  link-local or reserved addresses are refused unless ``allow_private`` is set
  (SSRF): a host name is resolved once, every address it resolves to is
  checked, and kg connects only to those checked addresses, so a name that
  answers differently a moment later (DNS rebinding) cannot lead it inside;
  ``https`` still checks the certificate against the host name, and the
  ``Host`` header keeps it;
- a redirect is followed only to an http(s) URL whose host passes the same
  check and is pinned the same way; its own body is not read;
- proxies named in the environment (``http_proxy``...) are not used: a proxy
  would resolve the name itself, past the check;
- one deadline per try (``timeout``) for connecting, sending and reading the
  whole answer: a server that trickles its answer is cut off; a size limit and
  a clear User-Agent on every request;
- retries with back-off on timeouts, lost connections and 5xx (and 408, 429)
  answers (not 501 or 505, nor a 504 to a POST: a query the server timed out
  would time out again), but only for requests that may be repeated: GET,
  HEAD, PUT, DELETE, and a POST the caller declares ``idempotent`` (a
  read-only SPARQL query);
- every failure is a :class:`kg.errors.InputError` naming the URL with a
  one-line reason; an HTTP error answer keeps the server's own short message;
- :func:`fetch` keeps what it got in ``$KG_CACHE_DIR`` (else
  ``~/.cache/kg/http``): a URL fetched once is read from disk next time.

Examples
--------
>>> is_url("https://arxiv.org/abs/1807.03819"), is_url("papers/page.txt")
(True, False)
>>> fetch("file:///etc/passwd")
Traceback (most recent call last):
...
kg.errors.InputError: file:///etc/passwd: only http and https URLs are fetched
>>> request("http://10.0.0.1/g", method="PUT", data=b"")
Traceback (most recent call last):
...
kg.errors.InputError: http://10.0.0.1/g: refused: 10.0.0.1 is a private or local address (allow it with allow_private)
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import http.client
import io
import ipaddress
import os
import re
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from email.message import Message
from pathlib import Path
from typing import NamedTuple

from kg.errors import InputError, ServerAnswerError

USER_AGENT = "kg/0.1 (knowledge-graph builder for research literature; +https://w3id.org/kg)"
TIMEOUT_S = 20.0
MAX_BYTES = 50 * 1024 * 1024
RETRIES = 2  # tries after the first: three in all
BACKOFF_S = 0.5  # the first wait; doubled after each failure
MAX_WAIT_S = 10.0  # no wait is longer, whatever the server's Retry-After says
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
_RETRIED_STATUSES = frozenset({408, 429})
_FINAL_STATUSES = frozenset({501, 505})  # server errors that no second try mends
_MESSAGE_CHARS = 300
_CHUNK_BYTES = 64 * 1024
_HTML_HEAD_RE = re.compile(r"<(head|script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_HTML_TAG_RE = re.compile(r"<[^>]*>")


class Answer(NamedTuple):
    """An HTTP answer: its body and its headers (an :class:`email.message.Message`, read without regard to case)."""

    body: bytes
    headers: Message


def is_url(name: str) -> bool:
    """True for names kg fetches rather than opens (``http://`` or ``https://``)."""
    return name.lower().startswith(("http://", "https://"))


def cache_dir() -> Path:
    """Where fetched pages are kept."""
    return Path(os.environ.get("KG_CACHE_DIR") or Path.home() / ".cache" / "kg" / "http")


def request(
    url: str,
    *,
    method: str = "GET",
    data: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT_S,
    retries: int = RETRIES,
    max_bytes: int | None = MAX_BYTES,
    allow_private: bool = False,
    idempotent: bool | None = None,
    source: str | None = None,
) -> bytes:
    """Send one HTTP request and return the body of the answer.

    Parameters
    ----------
    url : str
        An ``http`` or ``https`` URL.
    method : str
        The HTTP method.
    data : bytes, optional
        The request body.
    headers : mapping, optional
        Extra headers (``Content-Type``, ``Accept``...); kg's User-Agent is always sent.
    timeout : float
        Seconds one try may take in all: connecting, sending the request and
        reading the whole answer (redirects included). Each socket operation
        waits only for the time left, so a server that trickles its answer
        is cut off at the deadline.
    retries : int
        How many times a failed idempotent request is tried again (timeouts,
        lost connections, 5xx, 408 and 429 answers), waiting ``BACKOFF_S``,
        then twice that, and so on (or what the server's ``Retry-After`` asks,
        up to ``MAX_WAIT_S``). A 4xx answer or a refused address is final.
    max_bytes : int or None
        The largest answer accepted; None for no limit.
    allow_private : bool
        Reach hosts on private, loopback, link-local or reserved addresses.
    idempotent : bool, optional
        Whether the request may be sent again after a failure. By default
        GET, HEAD, PUT, DELETE and OPTIONS are, POST is not; pass True for a
        POST that changes nothing (a SPARQL query), False to never retry.
    source : str, optional
        The name errors give (the URL the user named); ``url`` by default.

    Raises
    ------
    kg.errors.InputError
        ``source: reason``, one line: a scheme other than http(s), a host that
        cannot be resolved or is refused, no connection, no answer (or no
        complete answer) in time, an answer cut short or over the size limit,
        or an HTTP error answer with the server's short message
        (``the server answered 400: ...``).

    Examples
    --------
    >>> import http.server, threading
    >>> class Hello(http.server.BaseHTTPRequestHandler):
    ...     def do_GET(self):
    ...         self.send_response(200)
    ...         self.end_headers()
    ...         self.wfile.write(b"hello")
    ...     def log_message(self, *args):
    ...         pass
    >>> httpd = http.server.HTTPServer(("127.0.0.1", 0), Hello)
    >>> threading.Thread(target=httpd.serve_forever, daemon=True).start()
    >>> url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    >>> request(url, allow_private=True)
    b'hello'
    >>> try:
    ...     request(url, allow_private=True, max_bytes=3)
    ... except InputError as error:
    ...     print(error.reason)
    larger than the size limit (3 bytes)
    >>> httpd.shutdown(); httpd.server_close()
    """
    return request_answer(
        url,
        method=method,
        data=data,
        headers=headers,
        timeout=timeout,
        retries=retries,
        max_bytes=max_bytes,
        allow_private=allow_private,
        idempotent=idempotent,
        source=source,
    ).body


def request_answer(
    url: str,
    *,
    method: str = "GET",
    data: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT_S,
    retries: int = RETRIES,
    max_bytes: int | None = MAX_BYTES,
    allow_private: bool = False,
    idempotent: bool | None = None,
    source: str | None = None,
) -> Answer:
    """:func:`request`, returning the answer's headers with its body.

    The parameters, retries and errors are those of :func:`request`. The
    headers are those of the answer that was read (after any redirect),
    looked up without regard to case.

    Examples
    --------
    >>> import http.server, threading
    >>> class Capped(http.server.BaseHTTPRequestHandler):
    ...     def do_GET(self):
    ...         self.send_response(200)
    ...         self.send_header("X-SPARQL-MaxRows", "50")
    ...         self.end_headers()
    ...         self.wfile.write(b"rows")
    ...     def log_message(self, *args):
    ...         pass
    >>> httpd = http.server.HTTPServer(("127.0.0.1", 0), Capped)
    >>> threading.Thread(target=httpd.serve_forever, daemon=True).start()
    >>> answer = request_answer(f"http://127.0.0.1:{httpd.server_address[1]}/", allow_private=True)
    >>> answer.body, answer.headers.get("x-sparql-maxrows")
    (b'rows', '50')
    >>> httpd.shutdown(); httpd.server_close()
    """
    name = source or url
    method = method.upper()
    pins = _Pins(name, allow_private)
    pins.addresses(_http_host(url, name))  # refused before anything is sent
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}),  # no proxy from the environment: it would resolve names itself
        _PinnedHTTPHandler(pins),
        _PinnedHTTPSHandler(pins),
        _CheckedRedirects(pins),
    )
    sent_headers = {"Accept": "*/*", **(headers or {}), "User-Agent": USER_AGENT}
    repeatable = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
    attempts = 1 + max(0, retries) if repeatable else 1
    for attempt in range(attempts):
        last = attempt == attempts - 1
        outgoing = urllib.request.Request(url, data=data, headers=sent_headers, method=method)
        pins.deadline = time.monotonic() + timeout
        answered = False
        try:
            with opener.open(outgoing, timeout=timeout) as response:
                answered = True
                return Answer(_read_limited(response, name, max_bytes), response.headers)
        except urllib.error.HTTPError as error:
            reason = f"the server answered {error.code}: {_server_message(error)}"
            if last or not _worth_retrying(error.code, method):
                raise ServerAnswerError(name, error.code, reason) from None
            _wait(attempt, _retry_after(error))
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            cause = getattr(error, "reason", error)
            if isinstance(cause, TimeoutError):
                reason = f"no {'complete ' if answered else ''}answer within {timeout:g} s"
            elif isinstance(cause, http.client.IncompleteRead):
                reason = "the answer was cut short: the connection closed before its end"
            else:
                reason = f"cannot reach the server: {cause or type(error).__name__}"
            # A wrong certificate or an unknown host will not mend by itself.
            if last or isinstance(cause, ssl.SSLError | socket.gaierror):
                raise InputError(name, reason) from None
            _wait(attempt, None)
    raise AssertionError("unreachable")  # pragma: no cover - the last attempt returns or raises


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    use_cache: bool = True,
    timeout: float = TIMEOUT_S,
    max_bytes: int = MAX_BYTES,
    retries: int = RETRIES,
) -> bytes:
    """The body of ``url`` (a GET through :func:`request`), from the cache when it was fetched before.

    Private and loopback hosts are refused unless ``allow_private``; what was
    fetched is cached unless ``use_cache`` is false.

    Raises
    ------
    kg.errors.InputError
        With the reason, when the page cannot be had (see :func:`request`).
    """
    _http_host(url, url)
    cached = cache_dir() / hashlib.sha256(url.encode("utf-8")).hexdigest()
    if use_cache and cached.is_file():
        return cached.read_bytes()
    body = request(url, timeout=timeout, retries=retries, max_bytes=max_bytes, allow_private=allow_private)
    if use_cache:
        _store(cached, body)
    return body


def _http_host(url: str, name: str) -> str:
    try:
        parsed = urllib.parse.urlsplit(url)
        parsed.port  # noqa: B018 - a port out of range raises here, before anything is sent
    except ValueError as error:
        raise InputError(name, f"not a valid URL ({error})") from None
    if parsed.scheme.lower() not in ("http", "https") or not parsed.hostname:
        raise InputError(name, "only http and https URLs are fetched")
    return parsed.hostname


def _resolve(name: str, host: str, allow_private: bool) -> list[tuple[int, tuple]]:
    """Every address of ``host`` as (family, socket address), each checked unless ``allow_private``."""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise InputError(name, f"cannot resolve host {host!r}") from None
    addresses: list[tuple[int, tuple]] = []
    for family, _, _, _, sockaddr in infos:
        if not allow_private and not _public(str(sockaddr[0])):
            reason = f"refused: {host} is a private or local address (allow it with {{option}})"
            raise InputError(name, reason, option="allow_private")
        if (family, sockaddr) not in addresses:
            addresses.append((family, sockaddr))
    if not addresses:
        raise InputError(name, f"cannot resolve host {host!r}")
    return addresses


def _public(text: str) -> bool:
    try:
        address = ipaddress.ip_address(text.split("%")[0])
    except ValueError:
        return False
    # is_global also leaves out the shared address space 100.64.0.0/10, which is_private lets through.
    local = address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
    return address.is_global and not (local or address.is_multicast or address.is_unspecified)


class _Pins:
    """The addresses one request may connect to, and the deadline of its current try.

    Each host is resolved once and checked (:func:`_resolve`); every connection
    of the request, retries and redirects included, goes to those addresses
    only, never through a second lookup.
    """

    def __init__(self, name: str, allow_private: bool) -> None:
        self.name = name
        self.allow_private = allow_private
        self.deadline = float("inf")
        self._pinned: dict[str, list[tuple[int, tuple]]] = {}

    def addresses(self, host: str) -> list[tuple[int, tuple]]:
        key = host.lower()
        if key not in self._pinned:
            self._pinned[key] = _resolve(self.name, host, self.allow_private)
        return self._pinned[key]

    def time_left(self) -> float:
        """Seconds left of this try; TimeoutError once the deadline has passed."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the deadline passed")
        return left

    def connect(self, host: str, port: int) -> socket.socket:
        """A TCP connection to the first of ``host``'s checked addresses that answers."""
        failure: OSError = OSError(f"no address for {host}")
        for family, sockaddr in self.addresses(host):
            try:
                return _open_socket(family, (sockaddr[0], port, *sockaddr[2:]), self.time_left())
            except TimeoutError:
                raise
            except OSError as error:
                failure = error
        raise failure


def _open_socket(family: int, address: tuple, timeout: float) -> socket.socket:
    """One TCP connection to one checked address: the only place kg connects."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(address)
    except BaseException:
        sock.close()
        raise
    return sock


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the pinned addresses of its host; every socket operation waits only for the time left."""

    pins: _Pins  # set by the handler that makes the connection

    def connect(self) -> None:
        self.sock = self.pins.connect(self.host, self.port)
        self.sock.settimeout(self.pins.time_left())
        with contextlib.suppress(OSError):  # a system without TCP_NODELAY
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def send(self, data) -> None:
        if self.sock is not None:
            self.sock.settimeout(self.pins.time_left())
        super().send(data)

    def response_class(self, sock, *args, **kwargs) -> http.client.HTTPResponse:
        # getresponse() calls this with the socket: the answer is read against the deadline.
        return http.client.HTTPResponse(_DeadlineSocket(sock, self.pins), *args, **kwargs)


class _PinnedHTTPSConnection(http.client.HTTPSConnection, _PinnedHTTPConnection):
    """TLS over a pinned connection: HTTPSConnection.connect wraps it, checking the certificate for ``host``."""


class _DeadlineSocket:
    """What an answer reads from: its socket, each read given only the time left of the try."""

    def __init__(self, sock: socket.socket, pins: _Pins) -> None:
        self.sock = sock
        self.pins = pins

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self.sock, self.pins))


class _DeadlineReader(io.RawIOBase):
    def __init__(self, sock: socket.socket, pins: _Pins) -> None:
        self.sock = sock
        self.pins = pins
        self.raw = sock.makefile("rb", buffering=0)  # holds the socket open until the answer is closed

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int | None:
        self.sock.settimeout(self.pins.time_left())
        return self.raw.readinto(buffer)

    def close(self) -> None:
        if not self.closed:
            self.raw.close()
        super().close()


class _PinnedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, pins: _Pins) -> None:
        super().__init__()
        self.pins = pins

    def http_open(self, req):
        return self.do_open(self._connection, req)

    def _connection(self, host: str, **kwargs) -> http.client.HTTPConnection:
        connection = _PinnedHTTPConnection(host, **kwargs)
        connection.pins = self.pins
        return connection


class _PinnedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, pins: _Pins) -> None:
        super().__init__()
        self.pins = pins

    def https_open(self, req):
        return self.do_open(self._connection, req, context=self._context)

    def _connection(self, host: str, **kwargs) -> http.client.HTTPSConnection:
        connection = _PinnedHTTPSConnection(host, **kwargs)
        connection.pins = self.pins
        return connection


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects only to http(s) URLs whose host passes the same checks (and is pinned)."""

    def __init__(self, pins: _Pins) -> None:
        self.pins = pins

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        parsed = urllib.parse.urlsplit(newurl)
        if parsed.scheme.lower() not in ("http", "https") or not parsed.hostname:
            raise InputError(self.pins.name, f"refused a redirect to {newurl}")
        self.pins.addresses(parsed.hostname)
        following = super().redirect_request(req, fp, code, msg, headers, newurl)
        if following is not None:
            fp.close()  # the redirect's own body is not read (urllib would read all of it)
        return following


def _read_limited(response: http.client.HTTPResponse, name: str, max_bytes: int | None) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if max_bytes is not None and declared.isdigit() and int(declared) > max_bytes:
        raise InputError(name, f"larger than the size limit ({_size(max_bytes)})")
    chunks, size = [], 0
    while chunk := response.read(_CHUNK_BYTES):
        chunks.append(chunk)
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise InputError(name, f"larger than the size limit ({_size(max_bytes)})")
    body = b"".join(chunks)
    if getattr(response, "length", None):  # fewer bytes than the Content-Length promised
        raise http.client.IncompleteRead(body, response.length)
    return body


def _size(count: int) -> str:
    megabytes = count / (1024 * 1024)
    return f"{megabytes:g} MB" if megabytes >= 1 else f"{count} bytes"


def _server_message(error: urllib.error.HTTPError) -> str:
    """The server's own short reason: the start of its answer on one line, tags removed from HTML."""
    try:
        text = error.read(2000).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        text = ""
    finally:
        error.close()
    content_type = (error.headers.get("Content-Type") or "") if error.headers else ""
    if "html" in content_type.lower() or text.lstrip().startswith("<"):
        text = html.unescape(_HTML_TAG_RE.sub(" ", _HTML_HEAD_RE.sub(" ", text)))
    text = " ".join(text.split())
    if len(text) > _MESSAGE_CHARS:
        text = text[: _MESSAGE_CHARS - 1].rstrip() + "…"
    return text or str(error.reason or "no message")


def _worth_retrying(status: int, method: str) -> bool:
    """Whether an error answer may go away on a second try.

    A 504 to a POST (a SPARQL query the server gave up on) would only run out
    of time again; to a GET it is usually a gateway's passing trouble.

    Examples
    --------
    >>> [_worth_retrying(code, method) for code, method in ((503, "GET"), (504, "POST"), (504, "GET"), (404, "GET"))]
    [True, False, True, False]
    """
    if status in _RETRIED_STATUSES:
        return True
    return status >= 500 and status not in _FINAL_STATUSES and not (status == 504 and method == "POST")


def _retry_after(error: urllib.error.HTTPError) -> float | None:
    value = (error.headers.get("Retry-After") or "").strip() if error.headers else ""
    return float(value) if value.isdigit() else None


def _wait(attempt: int, asked: float | None) -> None:
    delay = BACKOFF_S * 2**attempt
    time.sleep(min(max(delay, asked or 0.0), MAX_WAIT_S))


def _store(path: Path, body: bytes) -> None:
    from kg.io.outputs import atomic_write

    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as handle:
        handle.write(body)
