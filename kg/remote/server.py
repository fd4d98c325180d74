"""Run the Oxigraph SPARQL server on a kg store, on this machine, for as long as a ``with`` block.

:func:`serve` starts the Oxigraph server (the ``oxigraph`` package from PyPI)
on a store folder, bound to localhost, read-only unless asked, with a query
timeout; it waits until the server answers and stops it when the block ends.
The :class:`RunningServer` it gives names the SPARQL query, update and Graph
Store endpoints, which :mod:`kg.remote.client` talks to.

Examples
--------
>>> server = RunningServer(process=None, host="::1", port=7878)
>>> server.query_url, server.store_url
('http://[::1]:7878/query', 'http://[::1]:7878/store')
>>> 0 < free_port() < 65536
True
>>> with serve("no/such/store"):
...     pass
Traceback (most recent call last):
...
kg.errors.UsageError: no/such/store: not a kg store (make one with store)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kg.errors import UsageError


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
        """The SPARQL 1.1 Protocol query endpoint (for :func:`kg.remote.query_endpoint`)."""
        return f"{self.url}/query"

    @property
    def update_url(self) -> str:
        """The SPARQL 1.1 update endpoint (a writable server only)."""
        return f"{self.url}/update"

    @property
    def store_url(self) -> str:
        """The Graph Store Protocol endpoint (for :func:`kg.remote.push`)."""
        return f"{self.url}/store"

    def stop(self) -> None:
        """Stop the server (terminate, then kill after 10 s); nothing if it has stopped already."""
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
        A store folder (:class:`kg.store.StoreFolder`); None serves an empty
        in-memory store (writable), e.g. as a target for :func:`kg.remote.push`.
    host, port : str, int
        Where to listen; the default is loopback only and a free port.
    writable : bool
        Accept SPARQL updates and Graph Store writes. A read-only server lets
        other readers open the store at the same time.
    timeout_s : int
        Longest time one query may run.
    startup_s : float
        How long to wait for the server to answer before giving up.

    Raises
    ------
    kg.errors.UsageError
        The server program is missing, the folder is not a store, the port is
        taken, or the server did not start (its own message is given).
    """
    from kg.store import is_store

    if store_folder is not None and not is_store(store_folder):
        raise UsageError(f"{store_folder}: not a kg store (make one with {{option}})", option="store")
    from kg.store import StoreFolder

    command = [server_executable()]
    with contextlib.ExitStack() as held:
        if store_folder is None:
            command.append("serve")
        else:
            folder = StoreFolder(store_folder)
            if writable:
                held.enter_context(folder.writing("a writable server"))
            database = str(held.enter_context(folder.reading()).database)
            command += ["serve" if writable else "serve-read-only", "--location", database]
        yield from _run(command, host, port, timeout_s, startup_s)


def _run(command: list[str], host: str, port: int | None, timeout_s: int, startup_s: float) -> Iterator[RunningServer]:
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


def _wait_until_up(server: RunningServer, startup_s: float, messages: IO[bytes]) -> None:
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
