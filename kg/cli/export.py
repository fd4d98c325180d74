"""kg export: the graph or a projection as GraphML or GEXF."""

from __future__ import annotations

import argparse
from typing import TextIO

from kg.cli.common import (
    add_graph_argument,
    note,
)
from kg.network.projections import PROJECTIONS


def add_parser(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser(
        "export",
        help="write the graph or a projection as GraphML or GEXF (for Gephi)",
        description="Write GRAPH as a NetworkX graph in GraphML (.graphml) or GEXF (.gexf).",
    )
    add_graph_argument(export)
    export.add_argument("-o", "--output", required=True, metavar="FILE", help=".graphml or .gexf")
    export.add_argument("--projection", choices=PROJECTIONS, default="full", help="full (typed graph) or a projection")
    export.add_argument("--since", type=int, metavar="YEAR", help="only papers from YEAR on")
    export.add_argument("-q", "--quiet", action="store_true", help="print errors only, no notes")
    export.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    from kg.export.files import export_graph

    exported = export_graph(args.graph, args.output, projection=args.projection, since=args.since)
    note(f"wrote {args.output} ({exported.format}, {exported.projection}): "
          f"{exported.nodes} nodes, {exported.edges} edges", args.quiet)  # fmt: skip
    return 0
