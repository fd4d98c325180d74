"""kg analyze: centrality, communities, components and trends."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from kg.analysis.measures import CENTRALITIES
from kg.cli.common import (
    FAILED,
    OK,
    add_graph_argument,
    count_argument,
    error,
    flag,
    note,
    print_table,
    spreadsheet_safe,
    table_width,
)
from kg.errors import render
from kg.io.memory import collector_paused
from kg.network.projections import DIRECTED, PROJECTIONS


def add_parser(commands: argparse._SubParsersAction) -> None:
    analyze = commands.add_parser(
        "analyze",
        help="centrality, communities, components and trends",
        description="Rank nodes of a projection by centrality (degree, weighted degree, betweenness, closeness, "
        "PageRank, eigenvector), find communities (Louvain, seeded) and components, and count papers per year.",
    )
    add_graph_argument(analyze)
    analyze.add_argument(
        "--projection", choices=PROJECTIONS, default="coauthor", help="the graph to analyse (coauthor)"
    )
    analyze.add_argument("--top", type=count_argument, default=20, metavar="N", help="rows to show (20; 0 for all)")
    analyze.add_argument("--sort-by", choices=CENTRALITIES, default="pagerank")
    analyze.add_argument("--author", metavar="NAME", help="also count this author's papers per year")
    analyze.add_argument("--since", type=int, metavar="YEAR", help="only papers from YEAR on")
    output = analyze.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument("--csv", action="store_true", help="print the ranking as CSV")
    analyze.add_argument("--plot", metavar="FILE", help="also draw the ranking and papers per year (.png .svg .pdf)")
    analyze.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    import csv

    from kg.analysis import report

    with collector_paused(freeze=True):  # the command ends when the tables are printed (kg.io.memory)
        result = report(args.graph, projection=args.projection, top=args.top, sort_by=args.sort_by,
                        author=args.author, since=args.since, plot=args.plot)  # fmt: skip
    for problem in result.problems:
        error(render(problem, flag))
    status = FAILED if result.problems else OK  # an author not in the graph is an input that failed
    if args.json:
        out.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=1) + "\n")
        return status
    analysis = result.analysis
    columns = ["rank", "label", "type", "degree", "weighted_degree", "betweenness", "closeness", "pagerank",
               "eigenvector", "community"]  # fmt: skip
    if result.projection in DIRECTED or args.sort_by == "in_degree":
        columns.insert(4, "in_degree")  # times cited, in the citation view
    if args.csv:
        for approximation in analysis.approximations:  # the CSV holds the ranking alone: said beside it
            note(f"approximation: {approximation}", quiet=False)
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[spreadsheet_safe(row[c]) for c in columns] for row in analysis.ranking])
        return status
    largest = analysis.components[0] if analysis.components else 0
    out.write(f"{result.projection} graph: {analysis.nodes} nodes, {analysis.edges} edges, "
              f"{len(analysis.components)} component(s), largest {largest}\n")  # fmt: skip
    for approximation in analysis.approximations:
        out.write(f"approximation: {approximation}\n")
    if len({row["type"] for row in analysis.ranking}) == 1:  # one kind of node: the title says which
        columns.remove("type")
    left_out: set[str] = set()
    if table_width(out) < 120:
        # Ten columns do not fit a narrow terminal without cutting names and numbers: the measures that rank.
        shown = {"rank", "label", "type", "degree", "in_degree", result.sort_by, "pagerank", "betweenness", "community"}
        left_out = {c for c in columns if c not in shown}
        columns = [c for c in columns if c in shown]
    for method in analysis.methods:
        if method.split(" ", 1)[0] not in left_out:  # how a measure not shown was computed is not said
            out.write(f"method: {method}\n")
    if left_out:
        out.write("narrow terminal: some measures left out (all of them with --csv or --json)\n")
    print_table(columns, [[str(row[c]) for c in columns] for row in analysis.ranking], out,
                 title=f"Top {len(analysis.ranking)} {_kind(analysis.ranking)} by {result.sort_by}")  # fmt: skip
    print_table(["community", "size", "most central members"],
                 [[str(c["id"]), str(c["size"]), ", ".join(c["top"])] for c in analysis.communities], out,
                 title="Largest communities (Louvain, seed 42)")  # fmt: skip
    for name, counts in result.papers_per_year.items():
        rows = [
            [label, ", ".join(f"{year}: {n}" for year, n in per_year.items())] for label, per_year in counts.items()
        ]
        if name == "cited works":
            rows = [[label, _spread(per_year)] for label, per_year in counts.items()]
            print_table(["count", "by the year of the cited work"], rows, out, title="Cited works per year",
                        lists=["by the year of the cited work"])  # fmt: skip
        else:
            print_table([name, "papers per year"], rows, out, title="Papers per year", lists=["papers per year"])
    if result.plot:
        out.write(f"plot written to {result.plot}\n")
    return status


def _spread(per_year: dict[int, int]) -> str:
    """Counts per year, or per decade ("1990s: 41") when the years are too many to read on one line."""
    if len(per_year) <= 12:
        return ", ".join(f"{year}: {n}" for year, n in per_year.items())
    decades: dict[int, int] = {}
    for year, n in per_year.items():
        decades[year // 10 * 10] = decades.get(year // 10 * 10, 0) + n
    return ", ".join(f"{decade}s: {n}" for decade, n in decades.items())


def _kind(ranking: list[dict]) -> str:
    kinds = {row["type"] for row in ranking}
    return f"{kinds.pop()}s" if len(kinds) == 1 else "nodes"
