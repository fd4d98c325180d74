"""kg remove: drop one source from a store."""

from __future__ import annotations

import argparse
from typing import TextIO

from kg.cli.common import (
    add_wait_option,
    note,
    print_report,
)
from kg.cli.progress import ProgressBars


def add_parser(commands: argparse._SubParsersAction) -> None:
    remove = commands.add_parser("remove", help="drop one source from a store and rebuild the graph")
    remove.add_argument("source", metavar="SOURCE", help="the source as it was added")
    remove.add_argument("--store", required=True, metavar="DIR", help="a store made by kg build --store")
    add_wait_option(remove)
    remove.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    remove.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    from kg.pipeline import remove

    with ProgressBars(args.quiet) as progress:
        report = remove(args.store, args.source, progress=progress, wait_s=args.wait)
    if report.change == "removed":
        note(f"{args.source}: removed", args.quiet)
    print_report(report, args.quiet)
    return report.status
