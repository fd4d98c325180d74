"""kg export: the graph or a projection as GraphML, GEXF, a VOSviewer map (JSON) or a Pajek network."""

from __future__ import annotations

import argparse
from typing import TextIO

from kg.cli.common import (
    add_graph_argument,
    note,
)
from kg.io.memory import collector_paused
from kg.io.outputs import STDOUT
from kg.network.projections import PROJECTIONS


def add_parser(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser(
        "export",
        help="write the graph or a projection for Gephi, VOSviewer or Pajek",
        description="Write GRAPH or a projection of it as GraphML (.graphml) or GEXF (.gexf) for Gephi and "
        "NetworkX, as a VOSviewer map (.json: items clustered as kg analyze finds communities) or as a Pajek "
        "network (.net, which VOSviewer reads too).",
    )
    add_graph_argument(export)
    export.add_argument(
        "-o", "--output", required=True, metavar="FILE", help=".graphml, .gexf, .json or .net, or - for standard output"
    )
    export.add_argument(
        "--format",
        dest="graph_format",
        choices=("graphml", "gexf", "vosviewer", "pajek"),
        help="the format on standard output (graphml)",
    )
    export.add_argument("--projection", choices=PROJECTIONS, default="full", help="full (typed graph) or a projection")
    export.add_argument("--since", type=int, metavar="YEAR", help="only papers from YEAR on")
    export.add_argument("-q", "--quiet", action="store_true", help="print errors only, no notes")
    export.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    from kg.export.files import export_graph

    with collector_paused(freeze=True):  # the command ends when the file is written (kg.io.memory)
        exported = export_graph(args.graph, args.output, projection=args.projection, since=args.since,
                                graph_format=args.graph_format)  # fmt: skip
    shown = "standard output" if args.output == STDOUT else args.output
    note(f"wrote {shown} ({exported.format}, {exported.projection}): "
          f"{exported.nodes} nodes, {exported.edges} edges", args.quiet)  # fmt: skip
    return 0
