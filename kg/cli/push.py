"""kg push: load a graph into a Graph Store Protocol server."""

from __future__ import annotations

import argparse
from typing import TextIO

from kg.cli.common import (
    add_graph_argument,
    note,
)
from kg.store import open_graph


def add_parser(commands: argparse._SubParsersAction) -> None:
    push = commands.add_parser(
        "push",
        help="load a graph into a SPARQL 1.1 Graph Store Protocol server",
        description="Send every named graph of GRAPH (one per source, topics, resolution) to a Graph Store "
        "Protocol endpoint: PUT replaces each graph there, --append adds to it.",
    )
    add_graph_argument(push)
    push.add_argument(
        "--endpoint", required=True, metavar="URL", help="the Graph Store endpoint, e.g. http://host/store"
    )
    push.add_argument("--append", action="store_true", help="add to the server's graphs instead of replacing them")
    push.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    push.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    from kg.remote import push

    sent = push(open_graph(args.graph), args.endpoint, append=args.append)
    total = sum(count for _, count in sent)
    note(f"sent {total} statements in {len(sent)} graph(s) to {args.endpoint}", args.quiet)
    return 0
