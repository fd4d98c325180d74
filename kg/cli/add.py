"""kg add: add or replace one source in a store."""

from __future__ import annotations

import argparse
from typing import TextIO

from kg.cli.common import (
    add_extract_options,
    add_wait_option,
    build_options,
    note,
    print_report,
)
from kg.cli.progress import ProgressBars


def add_parser(commands: argparse._SubParsersAction) -> None:
    add = commands.add_parser(
        "add",
        help="add or replace one source in a store",
        description="Add SOURCE to the store (or replace it when its content changed) and rebuild the graph; "
        "re-adding an unchanged source does nothing.",
    )
    add.add_argument("source", metavar="SOURCE", help="a file")
    add.add_argument("--store", required=True, metavar="DIR", help="a store made by kg build --store")
    add_extract_options(add)
    add_wait_option(add)
    add.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    from kg.pipeline import add

    with ProgressBars(args.quiet) as progress:
        report = add(args.store, args.source, build_options(args), progress=progress, wait_s=args.wait)
    if report.change == "unchanged":
        note(f"{args.source}: unchanged since it was added; nothing to do", args.quiet)
        return 0
    print_report(report, args.quiet)
    return report.status
