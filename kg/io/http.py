"""Fetching a URL the user named: bounded, polite, cached, and refusing what it should not reach.

- only ``http`` and ``https``; hosts that resolve to private, loopback, link-local
  or reserved addresses are refused unless ``allow_private`` is set (SSRF);
- a timeout, a size limit, a clear User-Agent, retries with back-off on
  timeouts and 5xx answers;
- an on-disk cache (``$KG_CACHE_DIR``, else ``~/.cache/kg/http``): a URL fetched
  once is read from disk next time.

Examples
--------
>>> is_url("https://arxiv.org/abs/1807.03819"), is_url("papers/page.txt")
(True, False)
>>> fetch("file:///etc/passwd")
Traceback (most recent call last):
...
kg.errors.InputError: file:///etc/passwd: only http and https URLs are fetched
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from kg.errors import InputError

USER_AGENT = "kg/0.1 (knowledge-graph builder for research literature; +https://w3id.org/kg)"
TIMEOUT_S = 20.0
MAX_BYTES = 50 * 1024 * 1024
RETRIES = 3


def is_url(name: str) -> bool:
    """True for names kg fetches rather than opens (``http://`` or ``https://``)."""
    return name.lower().startswith(("http://", "https://"))


def cache_dir() -> Path:
    """Where fetched pages are kept."""
    return Path(os.environ.get("KG_CACHE_DIR") or Path.home() / ".cache" / "kg" / "http")


def _check_host(url: str, host: str, allow_private: bool) -> None:
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        raise InputError(url, f"cannot resolve host {host!r}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        private = address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
        if (private or address.is_multicast or address.is_unspecified) and not allow_private:
            raise InputError(url, f"refused: {host} is a private or local address (allow it with --allow-private)")


class _NoRedirectToElsewhere(urllib.request.HTTPRedirectHandler):
    """Follows redirects only to http(s) URLs whose host passes the same checks."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        parsed = urllib.parse.urlsplit(newurl)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise InputError(req.full_url, f"refused a redirect to {newurl}")
        _check_host(newurl, parsed.hostname, self.allow_private)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, allow_private: bool = False, use_cache: bool = True, timeout: float = TIMEOUT_S,
          max_bytes: int = MAX_BYTES, retries: int = RETRIES) -> bytes:  # fmt: skip
    """The body of ``url``; :class:`kg.errors.InputError` with the reason when it cannot be had."""
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise InputError(url, "only http and https URLs are fetched")
    cached = cache_dir() / hashlib.sha256(url.encode("utf-8")).hexdigest()
    if use_cache and cached.is_file():
        return cached.read_bytes()
    _check_host(url, parsed.hostname, allow_private)
    opener = urllib.request.build_opener(_NoRedirectToElsewhere(allow_private))
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    last_error = "no answer"
    for attempt in range(retries):
        try:
            with opener.open(request, timeout=timeout) as response:
                body = response.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise InputError(url, f"larger than the {max_bytes // (1024 * 1024)} MB limit")
            if use_cache:
                _store(cached, body)
            return body
        except urllib.error.HTTPError as error:
            last_error = f"HTTP {error.code} {error.reason}"
            if error.code < 500:
                break
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            last_error = str(getattr(error, "reason", error))
        time.sleep(min(0.5 * 2**attempt, 4.0))
    raise InputError(url, f"could not be fetched ({last_error})")


def _store(path: Path, body: bytes) -> None:
    from kg.io.outputs import atomic_write

    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as handle:
        handle.write(body)
