"""kg check: verify a store, and repair what can be repaired."""

from __future__ import annotations

import argparse
from typing import TextIO

from kg.cli.common import FAILED, OK, add_wait_option, error, flag, note, print_report
from kg.cli.progress import ProgressBars
from kg.errors import render


def add_parser(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser(
        "check",
        help="verify a store (and repair it with --repair)",
        description="Verify a store: its current generation, options, manifest, every source's records, the "
        "database, and leftovers of interrupted commands. Each problem is printed with how to repair it; "
        "--repair removes leftovers and builds the database again from the stored records (reading a "
        "source's file again when its records are lost and the file is unchanged).",
    )
    check.add_argument("--store", required=True, metavar="DIR", help="a store made by kg build --store")
    check.add_argument("--repair", action="store_true", help="repair what can be repaired")
    add_wait_option(check)
    check.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    check.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    from kg.pipeline import rebuild
    from kg.store import StoreFolder

    folder = StoreFolder(args.store)
    problems = folder.check()
    for problem in problems:
        error(f"{problem.what} (repair: {render(problem.repair, flag)})")
    if not problems:
        sources = folder.sources()
        note(f"{args.store}: whole ({len(sources)} source(s), generation {folder.current_generation()})", args.quiet)
        return OK
    if not args.repair:
        return FAILED
    if not all(problem.repairable for problem in problems):
        error(f"{args.store}: not repaired: some problems need the step named above")
        return FAILED
    if folder.state() == "damaged":
        with folder.writing("a repair", args.wait):
            note(f"{args.store}: now at generation {folder.repair_pointer()}", args.quiet)
        problems = folder.check()
    if problems:
        with ProgressBars(args.quiet) as progress:
            report = rebuild(args.store, progress=progress, wait_s=args.wait)
        print_report(report, args.quiet)
    left = folder.check()
    for problem in left:
        error(f"still: {problem.what} (repair: {render(problem.repair, flag)})")
    if not left:
        note(f"{args.store}: repaired", args.quiet)
    return FAILED if left or (problems and report.status) else OK
