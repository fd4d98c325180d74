"""kg's front for the Oxigraph server: what a client reaches, checked, with a real time limit.

The Oxigraph server (the ``oxigraph`` program) runs on a random port of
127.0.0.1 behind a small HTTP server of kg's own, which listens where the user
asked. For every request the front:

- checks ``Host`` (the bound address, ``localhost`` names, the bound host
  name; answered 403 otherwise, so a DNS name rebound to this machine reaches
  nothing) and ``Origin`` / ``Sec-Fetch-Site`` (none, or this server's own
  pages; 403 otherwise, so a web page elsewhere cannot post a query or a
  ``DROP ALL``);
- serves only the endpoints kg names (``/query``, ``/update``, ``/store``,
  and the query page ``/``), refuses writes on a read-only server, limits the
  body's size and the time it may take to arrive;
- checks a query or update with :func:`kg.sparql_guard.check_sparql` (400 and
  one line when it fails a limit or calls a ``SERVICE`` not allowed) and sends
  the backend exactly the text it checked;
- reads the backend's whole answer before answering, so an answer cut short
  or an error met while results were streamed is an error status, never a
  ``200`` with half a document;
- stops a query that runs past the time limit (``504``) or whose client left:
  the backend is killed, which frees the CPU at once, and a fresh one is
  started (80 ms for a read-only store). Other queries the restart cut off are
  sent again once to the fresh backend; on a writable server a restart first
  waits for the write in progress, so no write is cut in half.

Backends are started by one long-lived thread (:class:`Supervisor`), with
``prctl(PR_SET_PDEATHSIG, SIGKILL)`` on Linux: the kernel kills a backend when
the thread that started it ends, so a backend never outlives kg, even after
``kill -9``. They run with 64 MiB thread stacks (``RUST_MIN_STACK``), far more
than the queries the guard lets through need.

Examples
--------
>>> split_host("[::1]:7878"), split_host("Example.org"), split_host("a b")
(('::1', 7878), ('example.org', None), (None, None))
"""

from __future__ import annotations

import contextlib
import http.client
import http.server
import io
import ipaddress
import os
import queue
import re
import selectors
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, Any

from kg.errors import KgError, UsageError
from kg.sparql_guard import MAX_BYTES, check_sparql

MAX_CLIENTS = 64  # requests handled at once; more are answered 503 at once (each is a thread, here and behind)
MAX_FORM_BYTES = 4 * MAX_BYTES  # a query or update request: the largest text, percent-encoded, and parameters
MAX_UPLOAD_BYTES = 256 << 20  # one Graph Store write (kg push sends one graph per request)
REQUEST_TIMEOUT_S = 15  # longest wait for each part of a request a client sends
BODY_DEADLINE_S = 300  # and for its whole body
DISCARD_BYTES = 16 << 20  # after a refusal, this much unread body is read and dropped so the client hears why
DISCARD_DEADLINE_S = 5
STORE_DEADLINE_S = 600  # a Graph Store request or a page: no query to stop, as long as the data takes
BACKEND_STACK_BYTES = 64 << 20  # Oxigraph plans queries by recursion; its 2 MiB default aborts on deep ones
SPOOL_BYTES = 16 << 20  # an answer larger than this waits in a temporary file, not in memory
_STREAM_FAILED = b"error while streaming results"  # what Oxigraph prints when a query fails mid-answer
_FORM = "application/x-www-form-urlencoded"
_PAGES = ("/", "/yasgui.min.css", "/yasgui.min.js", "/logo.svg")
_PASSED_HEADERS = ("content-type", "content-disposition", "location", "vary")
_UPDATE_PARAMETERS = {"update"}  # an update's whole meaning is its text: what a writable server logs
_HOST_NAME_RE = re.compile(r"[a-z0-9_.-]+\Z")


class Refusal(Exception):
    """An answer the front gives itself: a status and one line."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class _BackendLost(Exception):
    """The backend's answer did not come whole (it stopped or was stopped)."""


def split_host(value: str) -> tuple[str | None, int | None]:
    """A ``Host`` header's name (lower case, without a final dot or IPv6 brackets) and port; (None, None) if bad."""
    value = value.strip()
    if not value or any(c.isspace() or c in "/@?#\\" for c in value):
        return None, None
    value = value.lower()
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")) or ":" not in name or not _is_address(name):
            return None, None
        port_text = rest[1:] if rest else None
    else:
        name, _, port_text = value.partition(":") if ":" in value else (value, "", None)
        name = name.rstrip(".")
        if not _HOST_NAME_RE.match(name):
            return None, None
    if port_text is not None and not (port_text.isdigit() and 0 < int(port_text) < 65536):
        return None, None
    return name, int(port_text) if port_text is not None else None


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _die_with_parent() -> Callable[[], None] | None:
    """For Popen's preexec_fn on Linux: the child gets SIGKILL when the thread that started it ends."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    parent = os.getpid()
    set_deathsig = 1  # PR_SET_PDEATHSIG

    def preexec() -> None:  # in the child, between fork and exec: nothing here may take a lock
        prctl(set_deathsig, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # kg died before the line above: follow it now
            os._exit(1)

    return preexec


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(eq=False)
class Backend:
    """One Oxigraph server behind the front: its process, port, messages, and the store generation it holds."""

    process: subprocess.Popen
    port: int
    messages: IO[bytes]
    generation: str | None = None
    release: Callable[[], None] | None = None
    in_flight: int = 0
    retired: bool = False  # no new request goes to it; it stops when the last one ends
    killed: bool = False  # stopped on purpose, its requests cut off

    def messages_size(self) -> int:
        return os.fstat(self.messages.fileno()).st_size

    def failure_since(self, offset: int) -> str | None:
        """The first error Oxigraph printed about a streamed answer after ``offset`` of its messages."""
        with contextlib.suppress(OSError, ValueError):
            text = os.pread(self.messages.fileno(), 1 << 16, offset)
            for line in text.splitlines():
                if _STREAM_FAILED in line.lower():
                    return line.decode("utf-8", "replace").strip()[:300]
        return None

    def last_message(self) -> str:
        """What it said when it stopped: its ``Error:`` line, else its last line."""
        with contextlib.suppress(OSError, ValueError):
            size = self.messages_size()
            text = os.pread(self.messages.fileno(), 8192, max(0, size - 8192)).decode("utf-8", "replace")
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            errors = [line.removeprefix("Error:").strip() for line in lines if line.startswith("Error:")]
            if errors or lines:
                return (errors or lines)[-1][:300]
        return "no message"

    def stop(self, *, kill: bool = False) -> None:
        """Stop the process (SIGKILL at once with ``kill``, else SIGTERM then SIGKILL after 5 s) and let go."""
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                self.process.kill() if kill else self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        with contextlib.suppress(OSError, ValueError):
            self.messages.close()
        release, self.release = self.release, None
        if release is not None:
            release()


def start_backend(
    arguments: Iterable[str],
    *,
    generation: str | None = None,
    release: Callable[[], None] | None = None,
    timeout_s: int,
    startup_s: float = 30.0,
) -> Backend:
    """Start ``oxigraph ARGUMENTS`` on a free port of 127.0.0.1 and wait until it answers.

    Call it from :class:`Supervisor`'s thread only: on Linux the backend is
    killed when the thread that started it ends. ``release`` is called when
    the backend stops (it lets go of the store generation it serves).

    Raises
    ------
    kg.errors.UsageError
        It stopped at start (its message is given) or did not answer within ``startup_s``.
    """
    arguments = list(arguments)
    environment = {**os.environ, "RUST_MIN_STACK": str(BACKEND_STACK_BYTES), "RUST_BACKTRACE": "0"}
    message = "no message"
    for _ in range(3):  # a port found free can be taken by someone else before the backend binds it
        port = _free_port()
        command = [*arguments, "--bind", f"127.0.0.1:{port}", "--union-default-graph", "--timeout-s", str(timeout_s)]
        messages = tempfile.TemporaryFile()  # noqa: SIM115 - the backend owns it and closes it when it stops
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=messages,
            env=environment,
            preexec_fn=_die_with_parent(),  # one prctl call, safe between fork and exec
            start_new_session=True,  # Ctrl-C in a terminal reaches kg, which stops it
        )
        backend = Backend(process, port, messages, generation, release)
        deadline = time.monotonic() + startup_s
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return backend
            except OSError:
                time.sleep(0.02)
        message = backend.last_message()
        backend.release = None  # the caller lets go of what it holds when this raises
        backend.stop(kill=True)
        if "address" not in message.lower() or "in use" not in message.lower():
            break
    raise UsageError(f"the Oxigraph server did not start: {message}")


class Supervisor:
    """The one long-lived thread that starts (and kills) backends, so that they die with kg."""

    def __init__(self) -> None:
        self._jobs: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._loop, name="kg-serve-backends", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while (job := self._jobs.get()) is not None:
            work, outcome, done = job
            try:
                outcome["value"] = work()
            except BaseException as error:  # handed back to the caller
                outcome["error"] = error
            done.set()

    def call(self, work: Callable[[], Any]) -> Any:
        """``work()`` run on the supervisor's thread; its result, or its exception raised here."""
        outcome: dict[str, Any] = {}
        done = threading.Event()
        self._jobs.put((work, outcome, done))
        while not done.wait(0.5):
            if not self._thread.is_alive():
                raise UsageError("the server was stopped")
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join(timeout=10)


class _Spool:
    """Bytes written in order, kept in memory up to SPOOL_BYTES and in a temporary file beyond."""

    def __init__(self) -> None:
        self._memory = bytearray()
        self._file: IO[bytes] | None = None
        self.size = 0

    def write(self, data: bytes) -> None:
        self.size += len(data)
        if self._file is None and len(self._memory) + len(data) > SPOOL_BYTES:
            self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
            self._file.write(self._memory)
            self._memory = bytearray()
        if self._file is not None:
            self._file.write(data)
        else:
            self._memory += data

    def reader(self) -> IO[bytes]:
        if self._file is None:
            return io.BytesIO(bytes(self._memory))
        self._file.flush()
        self._file.seek(0)
        return self._file

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


class _Replay:
    """What http.client.HTTPResponse needs of a socket, over an answer already read whole."""

    def __init__(self, data: IO[bytes]) -> None:
        self._data = data

    def makefile(self, *args: Any, **kwargs: Any) -> IO[bytes]:
        return self._data


@dataclass
class _Answer:
    status: int
    headers: list[tuple[str, str]]
    body: _Spool


@dataclass
class _Forward:
    """The request the backend gets: exactly what the front checked."""

    route: str  # page, query, update, store-read, store-write
    method: str
    target: str
    headers: dict[str, str]
    body: bytes = b""
    text: str = ""  # a query's or update's text
    log: tuple[str, bytes, str | None, str | None] | None = None  # what a writable server logs once it is done


class _FrontServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], gateway: Gateway) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.gateway = gateway
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer's own would look the address up in DNS for a name nothing here uses.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that misbehaves or leaves is its own business: nothing to print


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _FrontServer
    server_version = "kg-serve"
    sys_version = ""
    timeout = REQUEST_TIMEOUT_S
    error_message_format = "%(message)s\n"  # what http.server answers itself (a method it lacks): one line too
    error_content_type = "text/plain; charset=utf-8"
    body_bytes_read = 0  # of the request now answered

    def handle(self) -> None:
        gateway = self.server.gateway
        if not gateway.clients.acquire(blocking=False):
            with contextlib.suppress(OSError):
                body = b"the server is busy: too many requests at once; try again\n"
                self.wfile.write(
                    b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    b"Retry-After: 1\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
                )
            return
        try:
            super().handle()
        finally:
            gateway.clients.release()

    def _serve(self) -> None:
        try:
            self.server.gateway.answer(self)
        except Refusal as refusal:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.reply(refusal.status, [("Content-Type", "text/plain; charset=utf-8")], refusal.message)
                self._discard_unread_body()
        except (OSError, http.client.HTTPException):
            self.close_connection = True  # the client went away, or wrote something no HTTP client writes

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = _serve

    def _discard_unread_body(self) -> None:
        """Read and drop what is left of a refused request's body (bounded), then close.

        A client such as ``http.client`` sends its whole body before it reads the answer; closing
        on it while it still sends makes it see a broken pipe instead of the refusal.
        """
        length_text = (self.headers.get("Content-Length") or "0").strip() if self.headers else "0"
        left = min(int(length_text), DISCARD_BYTES) if length_text.isdigit() else 0
        left -= self.body_bytes_read
        deadline = time.monotonic() + DISCARD_DEADLINE_S
        self.connection.settimeout(DISCARD_DEADLINE_S)
        while left > 0 and time.monotonic() < deadline:
            chunk = self.rfile.read1(min(left, 1 << 16))
            if not chunk:
                break
            left -= len(chunk)

    def reply(self, status: int, headers: list[tuple[str, str]], body: str | _Spool) -> None:
        """Answer with ``status``, ``headers`` and ``body`` (a one-line message or a spooled answer)."""
        if isinstance(body, str):
            data: IO[bytes] = io.BytesIO((" ".join(body.split()) + "\n").encode("utf-8"))
            size = len(data.getvalue())  # type: ignore[attr-defined]
        else:
            data, size = body.reader(), body.size
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(size))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            while chunk := data.read(1 << 16):
                self.wfile.write(chunk)
        self.wfile.flush()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # no access log


class Gateway:
    """The front server and the backend behind it; see the module's description.

    Parameters
    ----------
    host, port : str, int
        Where the front listens (port 0: a free one).
    launch : callable
        Starts a backend (:func:`start_backend` on the store's current
        generation); the gateway calls it on its supervisor's thread.
    writable : bool
        Whether updates and Graph Store writes are taken.
    timeout_s : float
        Longest time one query or update may run.
    allow_service : iterable of str
        Endpoints a query's ``SERVICE`` may call.
    generation : callable, optional
        The store's current generation (cheap); when it is not the one the
        backend serves, a new backend is started on it before answering.
    log_write : callable, optional
        Called with (kind, body, content type, graph) for each write the
        backend took, before the client is told.

    Raises
    ------
    kg.errors.UsageError
        The address cannot be listened on.
    """

    def __init__(
        self,
        host: str,
        port: int,
        launch: Callable[[], Backend],
        *,
        writable: bool = False,
        timeout_s: float = 30,
        allow_service: Iterable[str] = (),
        generation: Callable[[], str | None] | None = None,
        log_write: Callable[[str, bytes, str | None, str | None], None] | None = None,
    ) -> None:
        self.host = host
        self.writable = writable
        self.timeout_s = timeout_s
        self.allow_service = tuple(allow_service)
        self._launch = launch
        self._generation = generation
        self._log_write = log_write
        self.clients = threading.BoundedSemaphore(MAX_CLIENTS)
        self._state = threading.Condition()
        self._write_lock = threading.Lock()  # one write at a time: the log's order is the database's
        self._backend: Backend | None = None
        self._backends: set[Backend] = set()  # every backend started and not yet stopped
        self._restarting = False
        self.failure: str | None = None
        self.restarts = 0
        try:
            self._httpd = _FrontServer((host, port), self)
        except OSError as error:
            raise UsageError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
        self.port = int(self._httpd.server_address[1])
        name = host.lower().strip("[]").rstrip(".")
        self._names = {"localhost", "127.0.0.1", "::1", name}
        self._any_address = name in ("", "0.0.0.0", "::")
        if self._any_address:
            self._names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
        self._supervisor = Supervisor()
        self._serving: threading.Thread | None = None

    # -- life -------------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the backend, then answer requests (on a thread of their own) until :meth:`close`."""
        self._backend = self._start_backend()
        self._serving = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.2}, name="kg-serve-front", daemon=True
        )
        self._serving.start()

    def close(self) -> None:
        """Stop answering, stop every backend, end the supervisor."""
        if self._serving is not None:
            self._httpd.shutdown()
        self._httpd.server_close()
        with self._state:
            self._backend = None
            self.failure = self.failure or "the server was stopped"
            self._state.notify_all()
            backends = list(self._backends)
        for backend in backends:
            backend.retired = True
            self._supervisor.call(backend.stop)
        self._supervisor.close()

    def _start_backend(self) -> Backend:
        backend = self._supervisor.call(self._launch)
        with self._state:
            self._backends.add(backend)
        return backend

    def _stop_backend(self, backend: Backend, *, kill: bool = False) -> None:
        backend.stop(kill=kill)
        with self._state:
            self._backends.discard(backend)

    @property
    def backend(self) -> Backend | None:
        """The backend new requests go to (None while one is being started)."""
        return self._backend

    # -- one request ------------------------------------------------------------------------------
    def answer(self, handler: _Handler) -> None:
        """Check ``handler``'s request, forward it, and answer; a :class:`Refusal` says why not."""
        self._check_host(handler)
        self._check_origin(handler)
        forward = self._prepare(handler)
        if forward.route in ("update", "store-write"):
            with self._write_lock:
                self._forward_and_reply(handler, forward, holding_write=True)
        else:
            self._forward_and_reply(handler, forward, holding_write=False)

    def _known_host(self, name: str) -> bool:
        return name in self._names or name.endswith(".localhost") or (self._any_address and _is_address(name))

    def _check_host(self, handler: _Handler) -> None:
        values = handler.headers.get_all("Host") or []
        if len(values) > 1:
            raise Refusal(400, "more than one Host header")
        if not values:
            return  # an HTTP/1.0 client: no browser, so no DNS name to rebind
        name, port = split_host(values[0])
        if name is None:
            raise Refusal(400, "the Host header is not a host name")
        if not self._known_host(name) or (port is not None and port != self.port):
            raise Refusal(403, f"misdirected: {values[0][:100]!r} is not this server's address or name")

    def _check_origin(self, handler: _Handler) -> None:
        site = (handler.headers.get("Sec-Fetch-Site") or "none").strip().lower()
        opened = handler.command in ("GET", "HEAD") and handler.path in _PAGES
        navigation = opened and (handler.headers.get("Sec-Fetch-Mode") or "").strip().lower() == "navigate"
        if site not in ("same-origin", "none") and not navigation:  # a link elsewhere may open the query page
            raise Refusal(403, "requests from other sites' pages are refused")
        origin = handler.headers.get("Origin")
        if origin is None:
            return
        parsed = urllib.parse.urlsplit(origin.strip())
        try:
            port = parsed.port or 80
        except ValueError:
            port = -1
        name = (parsed.hostname or "").rstrip(".")
        if parsed.scheme != "http" or not name or not self._known_host(name) or port != self.port:
            raise Refusal(403, f"requests from other sites' pages are refused (Origin {origin[:100]!r})")

    def _prepare(self, handler: _Handler) -> _Forward:
        """What to send the backend for ``handler``'s request, checked; a :class:`Refusal` otherwise."""
        method = handler.command
        path, _, query_string = handler.path.partition("?")
        accept = _clean_header(handler.headers.get("Accept"))
        headers = {"Accept": accept} if accept else {}
        bound = f"[{self.host}]" if ":" in self.host else self.host
        headers["Host"] = _clean_header(handler.headers.get("Host")) or f"{bound}:{self.port}"
        if path in _PAGES and method in ("GET", "HEAD"):
            return _Forward("page", method, path, headers)
        if path in ("/query", "/update") and method in ("GET", "HEAD") and not query_string:
            return _Forward("page", method, path, headers)  # the endpoint's service description
        if path in ("/query", "/update") and method in ("GET", "POST"):
            return self._prepare_sparql(handler, path[1:], query_string, headers)
        if path.startswith("/store") and method in ("GET", "HEAD"):
            return _Forward("store-read", method, handler.path, headers)
        if path.startswith("/store") and method in ("PUT", "POST", "DELETE"):
            return self._prepare_store_write(handler, path, query_string, headers)
        if path in (*_PAGES, "/query", "/update") or path.startswith("/store"):
            raise Refusal(405, f"{method} is not taken at {path}")
        raise Refusal(404, f"nothing here: this server answers at /query, /update and /store, not {path[:100]!r}")

    def _prepare_sparql(self, handler: _Handler, kind: str, query_string: str, headers: dict[str, str]) -> _Forward:
        if kind == "update" and not self.writable:
            raise Refusal(403, "this server is read-only: it takes no updates")
        if kind == "update" and handler.command != "POST":
            raise Refusal(405, "an update is sent with POST")
        parameters = _parameters(query_string)
        texts = [value for name, value in parameters if name == kind]
        content_type = _media_type(handler.headers.get("Content-Type"))
        if handler.command == "POST":
            body = _read_body(handler, MAX_FORM_BYTES)
            if content_type == _FORM:
                try:
                    form = body.decode("utf-8")
                except UnicodeDecodeError:
                    raise Refusal(400, "the form is not UTF-8") from None
                parameters += _parameters(form)
                texts = [value for name, value in parameters if name == kind]
            elif content_type == f"application/sparql-{kind}":
                if texts:
                    raise Refusal(400, f"the {kind} is given twice: in the URL and in the body")
                try:
                    texts = [body.decode("utf-8")]
                except UnicodeDecodeError:
                    raise Refusal(400, f"the {kind} is not UTF-8 text") from None
            else:
                raise Refusal(415, f"send the {kind} as application/sparql-{kind} or as a form ({_FORM})")
        if len(texts) != 1:
            raise Refusal(400, f"no {kind} given" if not texts else f"more than one {kind} given")
        others = [(name, value) for name, value in parameters if name != kind]
        if kind == "update" and any(name not in _UPDATE_PARAMETERS for name, _ in others):
            raise Refusal(400, "an update takes no other parameter here: write USING or WITH in its text")
        try:
            check_sparql(texts[0], allow_service=self.allow_service, what=kind)
        except UsageError as refused:  # its option is the server's, which the client may not know by name
            raise Refusal(400, refused.render(lambda name: f"the server's {name.replace('_', '-')} option")) from None
        body = urllib.parse.urlencode([*others, (kind, texts[0])]).encode("ascii")
        forward = _Forward(kind, "POST", f"/{kind}", {**headers, "Content-Type": _FORM}, body, texts[0])
        if kind == "update":
            # Relative IRIs in it were resolved against this URL: the log says so, to be replayed the same.
            based = f"BASE <http://{headers['Host']}/update>\n{texts[0]}"
            forward.log = ("update", based.encode("utf-8"), "application/sparql-update", None)
        return forward

    def _prepare_store_write(self, handler: _Handler, path: str, query_string: str, headers: dict[str, str]):
        if not self.writable:
            raise Refusal(403, "this server is read-only: it takes no Graph Store writes")
        parameters = _parameters(query_string)
        names = [name for name, _ in parameters]
        graph: str | None = None
        if path == "/store" and names == ["graph"] and urllib.parse.urlsplit(parameters[0][1]).scheme:
            graph = parameters[0][1]
        elif path == "/store" and names == ["default"]:
            graph = "default"
        if graph is None:
            raise Refusal(400, "name the graph a write goes to: /store?graph=<absolute IRI> or /store?default")
        content_type = _clean_header(handler.headers.get("Content-Type"))
        body = b"" if handler.command == "DELETE" else _read_body(handler, MAX_UPLOAD_BYTES)
        if content_type:
            headers = {**headers, "Content-Type": content_type}
        target = "/store?" + ("default" if graph == "default" else urllib.parse.urlencode({"graph": graph}))
        forward = _Forward("store-write", handler.command, target, headers, body)
        forward.log = (handler.command.lower(), body, content_type, graph)
        return forward

    # -- the backend ------------------------------------------------------------------------------
    def _forward_and_reply(self, handler: _Handler, forward: _Forward, *, holding_write: bool) -> None:
        timed = forward.route in ("query", "update")
        limit = self.timeout_s if timed else max(self.timeout_s, STORE_DEADLINE_S)
        deadline = time.monotonic() + limit
        safe = forward.route in ("page", "query", "store-read")  # sent again after a restart cut it off
        for attempt in (1, 2):
            backend = self._acquire()
            offset = backend.messages_size()
            try:
                answer = self._exchange(backend, forward, deadline, handler.connection if timed else None)
            except TimeoutError:
                self._recycle(backend, holding_write=holding_write)
                what = "update" if forward.route == "update" else "query" if timed else "request"
                raise Refusal(504, f"the {what} ran past the {limit:g} s time limit and was stopped") from None
            except ConnectionAbortedError:  # its client left: the work stops with it
                if forward.route == "query":
                    self._recycle(backend, holding_write=holding_write)
                raise
            except _BackendLost:
                if backend.killed and safe and attempt == 1 and time.monotonic() < deadline:
                    continue  # cut off by another request's restart: once more, on the fresh backend
                if backend.killed:
                    raise Refusal(503, "the server was restarted while this request ran; try again") from None
                status = backend.process.poll()
                self._recycle(backend, holding_write=holding_write)
                how = "broke off its answer" if status is None else f"stopped while answering (exit status {status})"
                raise Refusal(502, f"the SPARQL engine {how}; it was restarted") from None
            finally:
                self._release(backend)
            try:
                failure = backend.failure_since(offset)
                if failure is not None:
                    raise Refusal(502, f"the SPARQL engine failed while answering: {failure}")
                if forward.log is not None and 200 <= answer.status < 300 and self._log_write is not None:
                    try:
                        self._log_write(*forward.log)
                    except (KgError, OSError) as error:
                        raise Refusal(500, f"the write was applied but could not be logged: {error}") from None
                handler.reply(answer.status, answer.headers, answer.body)
            finally:
                answer.body.close()
            return

    def _acquire(self) -> Backend:
        """The backend for a new request (following the store when it moved on), counted as in use."""
        with self._state:
            while True:
                if self.failure is not None:
                    raise Refusal(503, self.failure)
                if self._backend is not None and not self._restarting:
                    break
                self._state.wait(timeout=1)
            self._follow_store()
            backend = self._backend
            backend.in_flight += 1
            return backend

    def _release(self, backend: Backend) -> None:
        with self._state:
            backend.in_flight -= 1
            done = backend.retired and not backend.killed and backend.in_flight == 0
        if done:  # the last request on a backend the store moved away from: it stops, this answer need not wait
            threading.Thread(target=self._stop_backend, args=(backend,), daemon=True).start()

    def _follow_store(self) -> None:
        """With the state lock held: when the store moved to a new generation, serve that one from now on."""
        if self._generation is None or self._backend is None:
            return
        try:
            current = self._generation()
        except KgError as error:
            raise Refusal(503, f"the store cannot be read: {error}") from None
        old = self._backend
        if current is None or current == old.generation:
            return
        try:
            fresh = self._supervisor.call(self._launch)
        except KgError as error:
            raise Refusal(503, f"the store changed, and its new state cannot be served: {error}") from None
        self._backends.add(fresh)
        self._backend = fresh
        old.retired = True
        if old.in_flight == 0:
            threading.Thread(target=self._stop_backend, args=(old,), daemon=True).start()

    def _recycle(self, backend: Backend, *, holding_write: bool) -> None:
        """Kill ``backend`` now (the work it does stops with it) and start a fresh one, unless done already."""
        with contextlib.ExitStack() as stack:
            if self.writable and not holding_write:
                stack.enter_context(self._write_lock)  # no write is cut in half
            with self._state:
                if backend.killed:
                    return
                backend.retired = backend.killed = True
                current = self._backend is backend
                if current:
                    self._restarting = True
            try:
                self._stop_backend(backend, kill=True)
                if not current:
                    return
                self.restarts += 1
                try:
                    fresh = self._start_backend()
                except KgError as error:
                    with self._state:
                        self.failure = f"the SPARQL engine could not be restarted: {error}"
                    return
                with self._state:
                    self._backend = fresh
            finally:
                with self._state:
                    if current:
                        self._restarting = False
                    self._state.notify_all()

    def _exchange(self, backend: Backend, forward: _Forward, deadline: float, client: socket.socket | None) -> _Answer:
        """Send ``forward`` to ``backend`` and read its whole answer before ``deadline``.

        Raises TimeoutError past the deadline, ConnectionAbortedError when
        ``client`` (watched while the backend works) went away, and
        :class:`_BackendLost` when the answer does not come whole.
        """
        headers = {**forward.headers, "Content-Length": str(len(forward.body)), "Connection": "close"}
        head = f"{forward.method} {forward.target} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        raw = _Spool()
        try:
            with socket.create_connection(("127.0.0.1", backend.port), timeout=10) as sock:
                sock.settimeout(max(0.05, deadline - time.monotonic()))
                sock.sendall(head.encode("latin-1") + b"\r\n" + forward.body)
                sock.setblocking(False)
                with selectors.DefaultSelector() as waiting:
                    waiting.register(sock, selectors.EVENT_READ, "backend")
                    if client is not None:
                        waiting.register(client, selectors.EVENT_READ, "client")
                    while True:
                        left = deadline - time.monotonic()
                        if left <= 0:
                            raise TimeoutError
                        for key, _ in waiting.select(timeout=min(left, 0.5)):
                            if key.data == "client":
                                if _gone(client):
                                    raise ConnectionAbortedError
                                waiting.unregister(client)  # it sent more bytes: nothing to watch for
                            else:
                                try:
                                    chunk = sock.recv(1 << 16)
                                except (BlockingIOError, InterruptedError):
                                    continue
                                if not chunk:
                                    return _parse(raw, forward.method)
                                raw.write(chunk)
        except (TimeoutError, ConnectionAbortedError):
            raw.close()
            raise
        except OSError:
            raw.close()
            raise _BackendLost from None


def _gone(client: socket.socket | None) -> bool:
    """Whether a client socket that polled readable was closed (rather than sending more)."""
    if client is None:
        return False
    try:
        return client.recv(1, socket.MSG_PEEK | getattr(socket, "MSG_DONTWAIT", 0)) == b""
    except (BlockingIOError, InterruptedError):
        return False
    except OSError:
        return True


def _parse(raw: _Spool, method: str) -> _Answer:
    """The backend's answer, read whole: status, the headers passed on, and the decoded body."""
    body = _Spool()
    try:
        response = http.client.HTTPResponse(_Replay(raw.reader()), method=method)  # type: ignore[arg-type]
        response.begin()
        while chunk := response.read(1 << 16):
            body.write(chunk)
    except (http.client.HTTPException, OSError, ValueError):
        body.close()
        raise _BackendLost from None
    finally:
        raw.close()
    headers = [(name, value) for name, value in response.getheaders() if name.lower() in _PASSED_HEADERS]
    return _Answer(response.status, headers, body)


def _read_body(handler: _Handler, limit: int) -> bytes:
    """The request's body, at most ``limit`` bytes, arrived within BODY_DEADLINE_S."""
    if handler.headers.get("Transfer-Encoding"):
        raise Refusal(411, "send the body with a Content-Length")
    length_text = (handler.headers.get("Content-Length") or "0").strip()
    if not length_text.isdigit():
        raise Refusal(400, "the Content-Length is not a number")
    length = int(length_text)
    if length > limit:
        raise Refusal(413, f"the request body is {length:,} bytes, more than the {limit:,} this server takes")
    deadline = time.monotonic() + BODY_DEADLINE_S
    parts, left = [], length
    try:
        while left:
            if time.monotonic() > deadline:
                raise Refusal(408, f"the request body took longer than {BODY_DEADLINE_S} s to arrive")
            chunk = handler.rfile.read1(min(left, 1 << 16))
            if not chunk:
                raise Refusal(400, "the request body ended early")
            parts.append(chunk)
            left -= len(chunk)
            handler.body_bytes_read = length - left
    except TimeoutError:
        raise Refusal(408, f"the request body stalled for {REQUEST_TIMEOUT_S} s") from None
    return b"".join(parts)


def _parameters(text: str) -> list[tuple[str, str]]:
    try:
        return urllib.parse.parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise Refusal(400, "the request's parameters are not UTF-8 text") from None


def _media_type(value: str | None) -> str:
    return (value or "").split(";")[0].strip().lower()


def _clean_header(value: str | None) -> str | None:
    """A header value passed on to the backend: printable ASCII of reasonable length, else nothing."""
    if value is None or len(value) > 1000 or not all(" " <= c <= "~" for c in value):
        return None
    return value.strip() or None
