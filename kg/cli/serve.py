"""kg serve: a store as a SPARQL endpoint on localhost."""

from __future__ import annotations

import argparse
from typing import TextIO

from kg.cli.common import (
    FAILED,
    OK,
    error,
    note,
    port_argument,
)


def add_parser(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve a store as a SPARQL 1.1 endpoint on localhost (Oxigraph server behind kg's checks)",
        description="Serve a store folder over SPARQL 1.1 until interrupted (Ctrl-C): the Oxigraph server runs "
        "on a private port behind kg's front, which checks the Host and Origin of every request, the size and "
        "depth of every query, refuses SERVICE calls not allowed, and stops a query past --timeout. Queries see "
        "the union of all named graphs. Read-only unless --writable (which holds the store: kg add and kg remove "
        "wait for the server to stop, and every write is kept for their rebuilds).",
    )
    serve.add_argument("--store", required=True, metavar="DIR", help="a store made by kg build --store")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1: this machine only)")
    serve.add_argument("--port", type=port_argument, default=7878, help="port (7878)")
    serve.add_argument("--writable", action="store_true", help="accept SPARQL updates and Graph Store writes")
    serve.add_argument("--timeout", type=int, default=30, metavar="S", help="longest a query may run, seconds (30)")
    serve.add_argument(
        "--allow-service",
        action="append",
        default=[],
        metavar="URL",
        help="let a query's SERVICE <URL> call this endpoint (repeatable); no other endpoint is called",
    )
    serve.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    import signal
    import time

    from kg.remote import serve

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # so the server is stopped too, not orphaned
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, stop)  # its terminal closed
    if args.timeout < 1:
        from kg.errors import UsageError

        raise UsageError("--timeout must be at least 1 second")
    try:
        with serve(
            args.store,
            host=args.host,
            port=args.port,
            writable=args.writable,
            timeout_s=args.timeout,
            allow_service=args.allow_service,
            holder=f"kg serve --writable (port {args.port})",
        ) as server:
            mode = "read-write" if args.writable else "read-only"
            note(f"serving {args.store} ({mode}); stop with Ctrl-C", False)
            out.write(f"SPARQL query endpoint:  {server.query_url}\n")
            if args.writable:
                out.write(f"SPARQL update endpoint: {server.update_url}\n")
            out.write(f"Graph Store endpoint:   {server.store_url}\n")
            out.flush()
            while server.failure is None:
                time.sleep(0.5)
            failure = server.failure
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM, at any moment once serving: a clean stop
        return OK
    error(f"the server stopped: {failure}")
    return FAILED
