"""Past one machine: serve a store over SPARQL 1.1, push a graph to a server, query a remote endpoint.

- :func:`serve` runs the Oxigraph server (the ``oxigraph`` package from PyPI)
  on a store folder, bound to localhost, read-only unless asked, with a
  query timeout; kg starts it, waits until it answers, and stops it.
- :func:`push` loads a graph into any SPARQL 1.1 Graph Store HTTP Protocol
  server, one request per named graph, so every source keeps its own graph.
- :func:`query_endpoint` sends a query to any SPARQL 1.1 Protocol endpoint and
  reads the answer with Oxigraph's results parser.

Examples
--------
>>> with_prefixes("SELECT * WHERE { ?s a kg:Paper }").startswith("PREFIX kg: <https://w3id.org/kg/ontology#>")
True
>>> query_endpoint("ftp://example.org/sparql", "ASK {}")
Traceback (most recent call last):
...
kg.errors.UsageError: ftp://example.org/sparql: an endpoint must be an http(s) URL
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import InputError, UsageError
from kg.io.http import USER_AGENT
from kg.query import PREFIXES, QueryResult, bind_values

TIMEOUT_S = 60.0
_PREFIX_DECLARED_RE = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)
_RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


def server_executable() -> str:
    """The ``oxigraph`` server program: next to this Python (a venv), else on PATH.

    Raises
    ------
    kg.errors.UsageError
        It is not installed.
    """
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.is_file() and os.access(beside, os.X_OK) else shutil.which("oxigraph")
    if not found:
        raise UsageError("the Oxigraph server is not installed: pip install oxigraph (kg's 'server' extra)")
    return found


@dataclass
class RunningServer:
    """A server kg started: its process and the URLs of its endpoints."""

    process: subprocess.Popen
    host: str
    port: int

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.url}/update"

    @property
    def store_url(self) -> str:
        """The Graph Store Protocol endpoint (for :func:`push`)."""
        return f"{self.url}/store"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def _require_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            raise UsageError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None


@contextmanager
def serve(
    store_folder: str | Path | None,
    *,
    host: str = "127.0.0.1",
    port: int | None = None,
    writable: bool = False,
    timeout_s: int = 30,
    startup_s: float = 30.0,
) -> Iterator[RunningServer]:
    """Run the Oxigraph SPARQL server on a kg store folder until the ``with`` block ends.

    Parameters
    ----------
    store_folder : path or None
        A folder made by ``kg build --store``; None serves an empty in-memory
        store (writable), e.g. as a target for :func:`push`.
    host, port : str, int
        Where to listen; the default is loopback only and a free port.
    writable : bool
        Accept SPARQL updates and Graph Store writes. A read-only server lets
        other readers (kg query, analyze) open the store at the same time.
    timeout_s : int
        Longest time one query may run.
    startup_s : float
        How long to wait for the server to answer before giving up.

    Raises
    ------
    kg.errors.UsageError
        The server program is missing, the folder is not a store, or the
        server did not start (its own message is given).
    """
    from kg.store import is_store

    command = [server_executable()]
    if store_folder is None:
        command.append("serve")
    else:
        if not is_store(store_folder):
            raise UsageError(f"{store_folder}: not a kg store (make one with kg build --store {store_folder})")
        database = str(Path(store_folder) / "oxigraph")
        command += ["serve" if writable else "serve-read-only", "--location", database]
    port = port or free_port(host)
    _require_free(host, port)
    address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    command += ["--bind", address, "--union-default-graph", "--timeout-s", str(int(timeout_s))]
    # The server's messages go to a file: a pipe nobody reads would fill up and stall it.
    with tempfile.TemporaryFile() as messages:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=messages)
        server = RunningServer(process, host, port)
        try:
            _wait_until_up(server, startup_s, messages)
            yield server
        finally:
            server.stop()


def _wait_until_up(server: RunningServer, startup_s: float, messages: Any) -> None:
    deadline = time.monotonic() + startup_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            messages.seek(0)
            message = messages.read().decode("utf-8", "replace").strip().splitlines()
            raise UsageError(f"the Oxigraph server stopped at start: {message[-1] if message else 'no message'}")
        try:
            with socket.create_connection((server.host, server.port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise UsageError(f"the Oxigraph server did not answer on {server.url} within {startup_s:.0f} s")


def with_prefixes(sparql: str) -> str:
    """``sparql`` with kg's usual prefixes declared, except those it declares itself.

    A remote server does not know kg's predeclared prefixes, so they travel with the query.
    """
    declared = {match.group(1) or "" for match in _PREFIX_DECLARED_RE.finditer(sparql)}
    lines = [f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items() if name not in declared]
    return "\n".join([*lines, sparql])


def _check_endpoint(endpoint: str) -> None:
    if urllib.parse.urlsplit(endpoint).scheme.lower() not in ("http", "https"):
        raise UsageError(f"{endpoint}: an endpoint must be an http(s) URL")


def _send(request: urllib.request.Request, endpoint: str, timeout_s: float) -> bytes:
    request.add_header("User-Agent", USER_AGENT)
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        body = error.read(2000).decode("utf-8", "replace").strip()
        reason = " ".join(body.split())[:300] or error.reason
        raise InputError(endpoint, f"the server answered {error.code}: {reason}") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise InputError(endpoint, f"cannot reach the endpoint: {reason}") from None


def query_endpoint(
    endpoint: str,
    sparql: str,
    bindings: Mapping[str, Any] | None = None,
    *,
    result_format: str | None = None,
    timeout_s: float = TIMEOUT_S,
) -> QueryResult | bytes:
    """Run ``sparql`` on a SPARQL 1.1 Protocol endpoint.

    With ``result_format`` (json, xml, csv, tsv) the server's answer is returned
    as bytes; without, a :class:`kg.query.QueryResult` like a local query's.
    Bindings go into a VALUES block, as for local queries; kg's prefixes are
    declared in the text sent.
    """
    _check_endpoint(endpoint)
    text = with_prefixes(bind_values(sparql, bindings or {}))
    if result_format is not None and result_format not in _RESULT_TYPES:
        raise UsageError(f"unknown result format {result_format!r} (known: {', '.join(_RESULT_TYPES)})")
    accept = _RESULT_TYPES.get(result_format or "json") + ", application/n-triples;q=0.9"
    body = urllib.parse.urlencode({"query": text}).encode("utf-8")
    request = urllib.request.Request(endpoint, data=body, method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
    request.add_header("Accept", accept)
    data = _send(request, endpoint, timeout_s)
    if result_format is not None:
        return data
    return _parse_answer(endpoint, data)


def _parse_answer(endpoint: str, data: bytes) -> QueryResult:
    import pyoxigraph

    try:
        answer = pyoxigraph.parse_query_results(data, format=pyoxigraph.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError):
        try:
            triples = list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES))
        except (SyntaxError, ValueError):
            raise InputError(endpoint, "the answer is neither SPARQL JSON results nor N-Triples") from None
        return QueryResult([], [], triples=triples)
    if isinstance(answer, pyoxigraph.QueryBoolean):
        return QueryResult([], [], boolean=bool(answer))
    variables = [v.value for v in answer.variables]
    return QueryResult(variables, [tuple(solution[v] for v in variables) for solution in answer])


def push(graph: Any, endpoint: str, *, append: bool = False, timeout_s: float = TIMEOUT_S) -> list[tuple[str, int]]:
    """Load ``graph`` (a :class:`kg.graph.KnowledgeGraph`) into a Graph Store Protocol server.

    Each named graph (one per source, topics, resolution) is sent as N-Triples
    to ``endpoint?graph=IRI``, and the default graph to ``endpoint?default``:
    PUT replaces what the server held under that name, POST (``append``) adds
    to it. Returns (graph name, statements sent) per request.
    """
    import pyoxigraph

    _check_endpoint(endpoint)
    sent: list[tuple[str, int]] = []
    for graph_name in graph.graph_names():
        data = graph.store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=graph_name)
        if isinstance(graph_name, pyoxigraph.DefaultGraph):
            if not data:
                continue
            target, label = _with_query(endpoint, "default"), "default graph"
        else:
            target, label = _with_query(endpoint, urllib.parse.urlencode({"graph": graph_name.value})), graph_name.value
        request = urllib.request.Request(target, data=data, method="POST" if append else "PUT")
        request.add_header("Content-Type", "application/n-triples")
        _send(request, endpoint, timeout_s)
        sent.append((label, data.count(b"\n")))
    return sent


def _with_query(url: str, query: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{query}"
