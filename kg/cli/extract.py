"""kg extract: print one JSON record per paper found in the inputs."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from kg import extractors
from kg.cli.common import (
    FAILED,
    OK,
    PROG,
    USAGE,
    add_extract_options,
    build_options,
    error,
    flag,
    note,
    print_table,
)
from kg.errors import InputError, render
from kg.extract import extract_paths
from kg.extractors.base import Extraction
from kg.records import record_json


def add_parser(commands: argparse._SubParsersAction) -> None:
    extract = commands.add_parser(
        "extract",
        help="print one JSON record per paper (JSON Lines)",
        description="Print one JSON record per paper found in the inputs (JSON Lines, to stdout). "
        "Folders are walked; '-' reads standard input. Notes and errors go to stderr.",
    )
    extract.add_argument("paths", nargs="*", metavar="PATH", help="files, folders, http(s) URLs, or - for stdin")
    add_extract_options(extract)
    extract.add_argument("--list-formats", action="store_true", help="list the known formats and exit")
    extract.add_argument(
        "--explain",
        action="store_true",
        help="read nothing: print, per input, every format's detection score and which one is chosen and why",
    )
    extract.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    if args.list_formats:
        for extractor in extractors.formats():
            out.write(f"{extractor.name:14} {extractor.description}\n")
        return 0
    if not args.paths:
        error("extract: give at least one PATH (or --list-formats)")
        return USAGE
    if args.explain:
        return _explain(args, out)
    failed = papers = inputs = 0
    for item in _iter_extractions(args):  # a bad option is a usage error before any input is read
        if isinstance(item, InputError):
            failed += 1
            error(item.render(flag))
            continue
        inputs += 1
        papers += len(item.records)
        _report(item, args.quiet)
        for record in item.records:
            out.write(record_json(record) + "\n")
    note(f"{papers} paper(s) from {inputs} input(s); {failed} input(s) failed", args.quiet)
    return FAILED if failed else OK


def _iter_extractions(args: argparse.Namespace):
    options = build_options(args).read_options()  # the same options, checked the same way, as kg build's
    allow_private, follow_links = options.pop("allow_private"), options.pop("follow_links")
    for path in args.paths:  # one by one, so the output keeps the order they were named in
        yield from extract_paths([path], allow_private=allow_private, follow_links=follow_links, **options)


def _explain(args: argparse.Namespace, out: TextIO) -> int:
    """Print every format's detection score for each input, the format chosen and why; 1 if an input is unreadable."""
    from kg.io.http import fetch, is_url
    from kg.io.inputs import decode_bytes, iter_input_paths, read_text

    failed = 0
    for given in args.paths:
        try:
            if given == "-":
                texts = [("<stdin>", decode_bytes(sys.stdin.buffer.read(), "<stdin>").text)]
            elif is_url(given):
                texts = [(given, decode_bytes(fetch(given, allow_private=args.allow_private), given).text)]
            else:
                texts = []
                for path in iter_input_paths([given], follow_links=args.follow_links):
                    if isinstance(path, InputError):
                        raise path
                    texts.append((str(path), read_text(path).text))
        except InputError as failure:
            failed += 1
            error(failure.render(flag))
            continue
        for source, text in texts:
            scores, chosen, why = extractors.explain_detection(text)
            rows = [
                (name, f"{score:.2f}", "fallback (guesses)" if guesses else "", "yes" if name == chosen else "")
                for name, score, guesses in scores
            ]
            out.write(f"{source}: {why}\n")
            print_table(("format", "score", "kind", "chosen"), rows, out)
    return FAILED if failed else OK


def _report(item: Extraction, quiet: bool) -> None:
    guessed = extractors.get(item.format).guesses
    if guessed:
        print(f"{PROG}: warning: {item.source}: layout guessed as {item.format}", file=sys.stderr)
    for message in item.notes:
        note(f"{item.source}: {render(message, flag)}", quiet)
