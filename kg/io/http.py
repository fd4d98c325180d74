"""kg's one HTTP client: bounded, polite, retried where safe, refusing what it should not reach.

:func:`request` sends every request kg makes (a page the user named, a SPARQL
query, a Graph Store upload) and :func:`fetch` adds an on-disk cache for pages.

- only ``http`` and ``https``; hosts that resolve to private, loopback,
  link-local or reserved addresses are refused unless ``allow_private`` is set
  (SSRF), and a redirect is followed only to a host that passes the same check;
- a timeout, a size limit and a clear User-Agent on every request;
- retries with back-off on timeouts, lost connections and 5xx (and 408, 429)
  answers, but only for requests that may be repeated: GET, HEAD, PUT, DELETE,
  and a POST the caller declares ``idempotent`` (a read-only SPARQL query);
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

import hashlib
import html
import http.client
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
from pathlib import Path

from kg.errors import InputError

USER_AGENT = "kg/0.1 (knowledge-graph builder for research literature; +https://w3id.org/kg)"
TIMEOUT_S = 20.0
MAX_BYTES = 50 * 1024 * 1024
RETRIES = 2  # tries after the first: three in all
BACKOFF_S = 0.5  # the first wait; doubled after each failure
MAX_WAIT_S = 10.0  # no wait is longer, whatever the server's Retry-After says
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
_RETRIED_STATUSES = frozenset({408, 429})
_MESSAGE_CHARS = 300
_HTML_HEAD_RE = re.compile(r"<(head|script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_HTML_TAG_RE = re.compile(r"<[^>]*>")


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
        Seconds to wait for a connection and for each read.
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
        cannot be resolved or is refused, no connection, no answer in time, an
        answer over the size limit, or an HTTP error answer with the server's
        short message (``the server answered 400: ...``).

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
    name = source or url
    method = method.upper()
    host = _http_host(url, name)
    _check_host(name, host, allow_private)
    opener = urllib.request.build_opener(_CheckedRedirects(allow_private, name))
    sent_headers = {"Accept": "*/*", **(headers or {}), "User-Agent": USER_AGENT}
    repeatable = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
    attempts = 1 + max(0, retries) if repeatable else 1
    for attempt in range(attempts):
        last = attempt == attempts - 1
        outgoing = urllib.request.Request(url, data=data, headers=sent_headers, method=method)
        try:
            with opener.open(outgoing, timeout=timeout) as response:
                return _read_limited(response, name, max_bytes)
        except urllib.error.HTTPError as error:
            reason = f"the server answered {error.code}: {_server_message(error)}"
            if last or not (error.code >= 500 or error.code in _RETRIED_STATUSES):
                raise InputError(name, reason) from None
            _wait(attempt, _retry_after(error))
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            cause = getattr(error, "reason", error)
            if isinstance(cause, TimeoutError):
                reason = f"no answer within {timeout:g} s"
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
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme.lower() not in ("http", "https") or not parsed.hostname:
        raise InputError(name, "only http and https URLs are fetched")
    return parsed.hostname


def _check_host(name: str, host: str, allow_private: bool) -> None:
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        raise InputError(name, f"cannot resolve host {host!r}") from None
    if allow_private:
        return
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        private = address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
        if private or address.is_multicast or address.is_unspecified:
            reason = f"refused: {host} is a private or local address (allow it with {{option}})"
            raise InputError(name, reason, option="allow_private")


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects only to http(s) URLs whose host passes the same checks."""

    def __init__(self, allow_private: bool, name: str) -> None:
        self.allow_private = allow_private
        self.name = name

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        parsed = urllib.parse.urlsplit(newurl)
        if parsed.scheme.lower() not in ("http", "https") or not parsed.hostname:
            raise InputError(self.name, f"refused a redirect to {newurl}")
        _check_host(self.name, parsed.hostname, self.allow_private)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _read_limited(response: http.client.HTTPResponse, name: str, max_bytes: int | None) -> bytes:
    if max_bytes is None:
        return response.read()
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise InputError(name, f"larger than the size limit ({_size(max_bytes)})")
    body = response.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise InputError(name, f"larger than the size limit ({_size(max_bytes)})")
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
