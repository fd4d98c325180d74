"""kg stats: nodes per class and edges per type."""

from __future__ import annotations

import argparse
from typing import TextIO

from kg.cli.common import (
    add_graph_argument,
    print_table,
)
from kg.store import open_graph


def add_parser(commands: argparse._SubParsersAction) -> None:
    stats = commands.add_parser("stats", help="count nodes per class and edges per type (and list a store's sources)")
    add_graph_argument(stats)
    stats.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    graph = open_graph(args.graph)
    sources = graph.store_sources or []
    if sources:
        rows = [[entry.name, entry.format, f"{entry.papers:,}"] for entry in sources]
        print_table(["source", "format", "papers read"], rows, out, title="Sources", tails=["source"])
    stats = graph.stats()
    print_table(["class", "nodes"], [[name, str(n)] for name, n in stats["classes"]], out, title="Nodes per class")
    print_table(["edge", "count"], [[name, str(n)] for name, n in stats["edges"]], out, title="Edges per type")
    print_table(["total", "count"], [[name, str(n)] for name, n in stats["totals"]], out, title="Totals")
    return 0
