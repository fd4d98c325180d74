"""The ``kg`` command: parse arguments, call one library function, print.

Exit status: 0 when every input was read, 1 when any input failed (the others
are still processed and printed), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from kg import extractors
from kg.errors import InputError, KgError
from kg.extract import extract_bytes, extract_paths
from kg.extractors.base import Extraction

PROG = "kg"


def _date_argument(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in YYYY-MM-DD form") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="kg turns saved listings of research papers into a knowledge graph."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    extract = commands.add_parser(
        "extract",
        help="print one JSON record per paper (JSON Lines)",
        description="Print one JSON record per paper found in the inputs (JSON Lines, to stdout). "
        "Folders are walked; '-' reads standard input. Notes and errors go to stderr.",
    )
    extract.add_argument("paths", nargs="*", metavar="PATH", help="files, folders, or - for stdin")
    extract.add_argument("--format", metavar="NAME", help="force a format instead of detecting it")
    extract.add_argument(
        "--as-of",
        type=_date_argument,
        metavar="YYYY-MM-DD",
        help="when the pages were saved (resolves dates shown without a year)",
    )
    extract.add_argument(
        "--org",
        action="append",
        default=[],
        metavar="NAME",
        help="whose page it is: added to every record's orgs (repeatable)",
    )
    extract.add_argument("--list-formats", action="store_true", help="list the known formats and exit")
    extract.add_argument("-q", "--quiet", action="store_true", help="print errors only, no notes or summary")
    extract.set_defaults(handler=run_extract)
    return parser


def _note(message: str, quiet: bool) -> None:
    if not quiet:
        print(f"{PROG}: note: {message}", file=sys.stderr)


def _error(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)


def _iter_extractions(args: argparse.Namespace):
    options = {"format": args.format, "as_of": args.as_of, "orgs": args.org}
    for path in args.paths:
        if path == "-":
            try:
                yield extract_bytes(sys.stdin.buffer.read(), "<stdin>", **options)
            except InputError as error:
                yield error
        else:
            yield from extract_paths([path], **options)


def run_extract(args: argparse.Namespace, out: TextIO) -> int:
    if args.list_formats:
        for extractor in extractors.formats():
            out.write(f"{extractor.name:14} {extractor.description}\n")
        return 0
    if not args.paths:
        _error("extract: give at least one PATH (or --list-formats)")
        return 2
    if args.format is not None:
        extractors.get(args.format)  # an unknown name is a usage error before any input is read
    failed = papers = inputs = 0
    for item in _iter_extractions(args):
        if isinstance(item, InputError):
            failed += 1
            _error(str(item))
            continue
        inputs += 1
        papers += len(item.records)
        _report(item, args.quiet)
        for record in item.records:
            out.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
    _note(f"{papers} paper(s) from {inputs} input(s); {failed} input(s) failed", args.quiet)
    return 1 if failed else 0


def _report(item: Extraction, quiet: bool) -> None:
    guessed = extractors.get(item.format).guesses
    if guessed:
        print(f"{PROG}: warning: {item.source}: layout guessed as {item.format}", file=sys.stderr)
    for note in item.notes:
        _note(f"{item.source}: {note}", quiet)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    stream = out if out is not None else sys.stdout
    try:
        return args.handler(args, stream)
    except KgError as error:
        _error(str(error))
        return 2
    except BrokenPipeError:
        # The reader went away (kg extract ... | head): stop quietly, and point
        # stdout at /dev/null so the interpreter's final flush does not complain.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        _error("interrupted")
        return 130


def entry_point() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    entry_point()
