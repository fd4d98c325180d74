"""kg viz: an interactive HTML page of the graph."""

from __future__ import annotations

import argparse
from typing import TextIO

from kg.analysis.measures import CENTRALITIES
from kg.cli.common import (
    add_graph_argument,
    flag,
    note,
)
from kg.errors import render
from kg.io.memory import collector_paused
from kg.io.outputs import STDOUT
from kg.network.projections import PROJECTIONS


def add_parser(commands: argparse._SubParsersAction) -> None:
    viz = commands.add_parser(
        "viz",
        help="write an interactive HTML page of the graph",
        description="Write an interactive, offline HTML page of GRAPH or a projection: laid out before it opens, "
        "coloured by the communities kg analyze finds (by type in the mixed views), with a side panel of what the "
        "sources say of the node chosen and filters by type, year and edge weight.",
    )
    add_graph_argument(viz)
    viz.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="the .html page to write, or - for standard output"
    )
    viz.add_argument("--projection", choices=PROJECTIONS, default="full", help="full (typed graph) or a projection")
    viz.add_argument("--focus", metavar="NAME", help="only the neighbourhood of this author, topic, org or paper")
    viz.add_argument("--depth", type=int, default=1, metavar="K", help="steps around --focus (1)")
    viz.add_argument(
        "--max-nodes",
        type=int,
        default=2000,
        metavar="N",
        help="keep the N most central nodes (2000; 0: all); in the mixed views each type keeps a share",
    )
    viz.add_argument("--since", type=int, metavar="YEAR", help="only papers from YEAR on")
    viz.add_argument(
        "--size-by",
        choices=CENTRALITIES,
        default="pagerank",
        help="the centrality that sizes nodes and picks them under --max-nodes, as kg analyze defines it (pagerank)",
    )
    viz.add_argument("--title", help="the page's heading")
    viz.add_argument("-q", "--quiet", action="store_true", help="print errors only, no notes")
    viz.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    from kg.export.html import save_page

    with collector_paused(freeze=True):  # the command ends when the page is written (kg.io.memory)
        page = save_page(args.graph, args.output, projection=args.projection, max_nodes=args.max_nodes,
                         focus=args.focus, depth=args.depth, since=args.since, size_by=args.size_by, title=args.title,
                         option_names=flag)  # fmt: skip
    notes = "; ".join(render(message, flag) for message in page.notes)
    shown = "standard output" if args.output == STDOUT else args.output
    note(f"wrote {shown}: {page.shown:,} of {page.total:,} nodes, {page.edges:,} edges"
          + (f"; {notes}" if notes else ""), args.quiet)  # fmt: skip
    return 0
