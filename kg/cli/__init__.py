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
import difflib
import os
import signal
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
from kg.cli.common import BUSY, FAILED, INTERRUPTED, PROG, USAGE, error, exit_status_epilog, flag
from kg.errors import InputError, KgError, StoreBusyError

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


class Parser(argparse.ArgumentParser):
    """argparse with kg's manners: no abbreviated options, and a "did you mean" for a misspelt one."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("allow_abbrev", False)  # --max-topic is a typo, not --max-topics
        super().__init__(*args, **kwargs)

    def error(self, message: str):  # type: ignore[override]
        super().error(message + self._suggestion(message))

    def _suggestion(self, message: str) -> str:
        if "invalid choice: " in message and self._subparsers is not None:
            typed = message.split("invalid choice: ", 1)[1].split("'")[1]
            known = [name for action in self._subparsers._group_actions for name in getattr(action, "choices", {})]
        elif message.startswith("unrecognized arguments: "):
            typed = next((word for word in message.split()[2:] if word.startswith("-")), "")
            typed = typed.split("=", 1)[0]
            known = [option for action in self._actions for option in action.option_strings]
        else:
            return ""
        close = difflib.get_close_matches(typed, known, n=1, cutoff=0.6) if typed else []
        return f" (did you mean {close[0]}?)" if close else ""


def build_parser() -> argparse.ArgumentParser:
    from kg import __version__

    parser = Parser(
        prog=PROG,
        description="kg turns saved listings of research papers into a knowledge graph.",
        epilog=exit_status_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    for command in COMMANDS:
        command.add_parser(commands)
    return parser


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments; an unknown one is reported by its own command, with that command's usage."""
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        command = parser._subparsers._group_actions[0].choices[args.command]  # type: ignore[union-attr]
        command.error(f"unrecognized arguments: {' '.join(unknown)}")
    return args


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit status."""
    stream = out if out is not None else sys.stdout
    try:
        args = _parse(build_parser(), argv)
        return args.handler(args, stream)
    except InputError as failure:
        error(failure.render(flag))
        return FAILED
    except StoreBusyError as failure:
        error(failure.render(flag))
        return BUSY
    except KgError as failure:
        error(failure.render(flag))
        return USAGE
    except BrokenPipeError:
        # The reader went away (kg extract ... | head): stop quietly, and point
        # stdout at /dev/null so the interpreter's final flush does not complain.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        error("interrupted")
        return INTERRUPTED


def entry_point() -> None:
    """Console-script entry point. SIGTERM (``kill``, a scheduler's stop) ends kg as Ctrl-C does: temporary
    files and scratch stores are removed, a store is left as it was, and the exit status is 130."""
    signal.signal(signal.SIGTERM, _interrupt)
    sys.exit(main())


def _interrupt(signum: int, frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM, while kg cleans up, stops it outright
    raise KeyboardInterrupt


if __name__ == "__main__":
    entry_point()
