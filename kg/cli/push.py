"""kg push: load a graph into a Graph Store Protocol server."""

from __future__ import annotations

import argparse
from typing import TextIO

from kg.cli.common import (
    add_graph_argument,
    note,
    warn,
)
from kg.store import open_graph


def add_parser(commands: argparse._SubParsersAction) -> None:
    push = commands.add_parser(
        "push",
        help="load a graph into a SPARQL 1.1 Graph Store Protocol server",
        description="Send every named graph of GRAPH to a Graph Store Protocol endpoint: PUT replaces each graph "
        "there, --append adds to it. A source's graph keeps its name; the build's own graphs (counts, topics, "
        "resolution) are sent as <graph IRI>/BUILD, so builds pushed into one server keep their own counts and a "
        "push of the same build again replaces them, and deletes the graphs of sources the build no longer has.",
    )
    add_graph_argument(push)
    push.add_argument(
        "--endpoint", required=True, metavar="URL", help="the Graph Store endpoint, e.g. http://host/store"
    )
    push.add_argument(
        "--build",
        metavar="NAME",
        help="name this build on the server (letters, digits, . _ -); by default GRAPH's file or folder name "
        "and a hash of its path, the same each time the same GRAPH is pushed",
    )
    push.add_argument("--append", action="store_true", help="add to the server's graphs instead of replacing them")
    push.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    push.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    from kg.remote import build_name, push

    build = build_name(args.graph, args.build)  # checked before GRAPH is read
    pushed = push(open_graph(args.graph), args.endpoint, build=build, append=args.append)
    for message in pushed.notes:
        warn(message)
    total = sum(count for _, count in pushed.sent)
    removed = f"; removed {len(pushed.removed)} graph(s) it no longer has" if pushed.removed else ""
    note(f"sent {total} statements in {len(pushed.sent)} graph(s) to {args.endpoint} as build {build} "
         f"(its counts, topics and resolution graphs end in /{build}){removed}", args.quiet)  # fmt: skip
    return 0
