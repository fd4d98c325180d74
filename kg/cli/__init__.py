"""The ``kg`` command: parse arguments, call one library function, print.

One module per command (``kg/cli/<command>.py``), each with ``add_parser``
(its flags) and ``run`` (one library call, then printing); :mod:`kg.cli.common`
holds what they share. This package is the only code that imports argparse
or rich, or names a flag.

Exit status: 0 when every input was read, 1 when any input failed (the others
are still processed and printed), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from kg.cli import (
    add,
    analyze,
    build,
    check,
    export,
    extract,
    push,
    query,
    remove,
    serve,
    stats,
    topics,
    validate,
    viz,
    why_same,
)
from kg.cli.common import PROG, error, flag
from kg.errors import InputError, KgError

# The order `kg --help` lists them in.
COMMANDS = (
    extract,
    build,
    validate,
    add,
    remove,
    check,
    query,
    topics,
    why_same,
    export,
    analyze,
    viz,
    serve,
    push,
    stats,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="kg turns saved listings of research papers into a knowledge graph."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    for command in COMMANDS:
        command.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    stream = out if out is not None else sys.stdout
    try:
        return args.handler(args, stream)
    except InputError as failure:
        error(failure.render(flag))
        return 1
    except KgError as failure:
        error(failure.render(flag))
        return 2
    except BrokenPipeError:
        # The reader went away (kg extract ... | head): stop quietly, and point
        # stdout at /dev/null so the interpreter's final flush does not complain.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        error("interrupted")
        return 130


def entry_point() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    entry_point()
