"""Serve a kg store over SPARQL 1.1, on this machine, for as long as a ``with`` block.

:func:`serve` runs the Oxigraph server (the ``oxigraph`` program from PyPI)
on a random port of 127.0.0.1, behind kg's own front
(:mod:`kg.remote.gateway`), which listens where the caller asks (loopback by
default) and checks every request: Host and Origin, the query's size, depth
and ``SERVICE`` calls, a real time limit. The :class:`RunningServer` it gives
names the SPARQL query, update and Graph Store endpoints, which
:mod:`kg.remote.client` talks to.

The store stays coherent with other kg commands: a read-only server holds the
generation it serves (no ``add`` or ``remove`` deletes it meanwhile) and moves
to the new one when the store changed, before answering; a writable server
holds the store's writer lock while it runs (other writers are told it is
busy) and logs every write it took, which later rebuilds of the store replay.

Examples
--------
>>> server = RunningServer(host="::1", port=7878)
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
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kg.errors import UsageError
from kg.remote.gateway import STORE_DEADLINE_S, Backend, Gateway, start_backend


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
    """A server kg started: where it listens, and the front that answers there."""

    host: str
    port: int
    gateway: Gateway | None = None

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

    @property
    def backend_pid(self) -> int | None:
        """The process id of the Oxigraph server answering now (None between two)."""
        backend = self.gateway.backend if self.gateway else None
        return backend.process.pid if backend else None

    @property
    def failure(self) -> str | None:
        """Why the server stopped answering (its SPARQL engine could not be restarted); None while it serves."""
        return self.gateway.failure if self.gateway else None


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


@contextmanager
def serve(
    store_folder: str | Path | None,
    *,
    host: str = "127.0.0.1",
    port: int | None = None,
    writable: bool = False,
    timeout_s: int = 30,
    startup_s: float = 30.0,
    allow_service: Iterable[str] = (),
    holder: str = "a writable server (kg.remote.serve)",
) -> Iterator[RunningServer]:
    """Serve a kg store folder over SPARQL 1.1 until the ``with`` block ends.

    Parameters
    ----------
    store_folder : path or None
        A store folder (:class:`kg.store.StoreFolder`); None serves an empty
        store (writable, in a temporary folder removed at the end), e.g. as a
        target for :func:`kg.remote.push`.
    host, port : str, int
        Where to listen; the default is loopback only and a free port.
    writable : bool
        Accept SPARQL updates and Graph Store writes. The store's writer lock is
        held meanwhile, and every write is logged for later rebuilds to replay.
    timeout_s : int
        Longest time one query (or update) may run: past it the client gets
        504 and the work is stopped.
    startup_s : float
        How long to wait for the Oxigraph server to answer before giving up.
    allow_service : iterable of str
        Endpoints a query's ``SERVICE`` may call; none by default.
    holder : str
        Who holds the writer lock of a writable server, as busy messages show it.

    Raises
    ------
    kg.errors.UsageError
        The server program is missing, the folder is not a store, another
        command writes to it (:class:`kg.errors.StoreBusyError`), the address
        cannot be listened on, or the server did not start (its message is given).
    """
    from kg.store import StoreFolder

    executable = server_executable()
    backend_timeout = int(max(timeout_s, STORE_DEADLINE_S)) + 60  # the front stops a query first
    with contextlib.ExitStack() as stack:
        folder: StoreFolder | None = None
        if store_folder is None:
            database = stack.enter_context(tempfile.TemporaryDirectory(prefix="kg-serve-"))
            writable = True
        else:
            folder = StoreFolder(store_folder).require()
            if writable:
                stack.enter_context(folder.writing(holder))
                if folder.current_generation() is None:
                    raise UsageError(
                        f"{store_folder}: written before generations; convert it with {{option}} first",
                        option="repair",
                    )

        def launch() -> Backend:
            with contextlib.ExitStack() as held:
                if folder is None:
                    location, generation = database, None
                else:
                    snapshot = held.enter_context(folder.reading())
                    location, generation = str(snapshot.database), snapshot.generation
                mode = "serve" if writable else "serve-read-only"
                backend = start_backend(
                    [executable, mode, "--location", location],
                    generation=generation,
                    timeout_s=backend_timeout,
                    startup_s=startup_s,
                )
                backend.release = held.pop_all().close  # the generation is let go when the backend stops
            return backend

        gateway = Gateway(
            host,
            port or 0,
            launch,
            writable=writable,
            timeout_s=timeout_s,
            allow_service=allow_service,
            generation=folder.current_generation if folder is not None and not writable else None,
            log_write=folder.log_server_write if folder is not None and writable else None,
        )
        stack.callback(gateway.close)
        gateway.start()
        yield RunningServer(host, gateway.port, gateway)
