"""What every command shares: how options and messages look, tables, progress, the build options from flags.

Only the command line names flags: library messages name options by their Python
keyword (``as_of``), and :func:`flag` renders them (``--as-of``).

Examples
--------
>>> flag("as_of"), flag("store")
('--as-of', 'kg build --store')
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Sequence
from typing import TextIO

from kg.errors import render
from kg.extractors.records import parse_mapping

PROG = "kg"
_WARNINGS_SHOWN = 10

# The exit statuses of every command, local or remote alike (README's table is this one).
OK = 0
FAILED = 1
USAGE = 2
BUSY = 3
INTERRUPTED = 130
EXIT_STATUSES = (
    (OK, "done"),
    (FAILED, "something failed: an input, store or server could not be read or reached (each is named on a line "
     "of its own; a build still writes what it could read), a name matched nothing, kg validate found "
     "violations, kg check found damage"),
    (USAGE, "nothing was done: the command line is wrong (an unknown option, a bad value) or the query is (it "
     "does not parse, breaks a limit, or needs a value), with GRAPH or --endpoint alike"),
    (BUSY, "nothing was done: another kg command is changing the store; try again, or give --wait S"),
    (INTERRUPTED, "interrupted (Ctrl-C); a store is as it was before the command (kg serve, which runs until "
     "stopped, stops with 0)"),
)  # fmt: skip


def exit_status_epilog() -> str:
    """The exit statuses as ``kg --help`` ends with them."""
    import textwrap

    lines = [textwrap.fill(meaning, 79, initial_indent=f"  {code:<4} ", subsequent_indent=" " * 7)
             for code, meaning in EXIT_STATUSES]  # fmt: skip
    return "exit status:\n" + "\n".join(lines)


def date_argument(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in YYYY-MM-DD form") from None


def add_graph_argument(command: argparse.ArgumentParser) -> None:
    """GRAPH, as every command that reads a graph takes it: an RDF file or a store folder."""
    command.add_argument(
        "graph", metavar="GRAPH", help="an RDF file (.ttl .nt .nq .trig .jsonld .rdf) or a kg build --store folder"
    )


def count_argument(text: str) -> int:
    """A whole number, 0 or more (argparse type): how many rows or items.

    Examples
    --------
    >>> count_argument("20")
    20
    >>> count_argument("-3")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: '-3' is not a count (a whole number, 0 or more)
    """
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a count (a whole number, 0 or more)")
    return value


def seconds_argument(text: str) -> float:
    """A number of seconds, 0 or more (argparse type)."""
    import math

    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds (0 or more)")
    return value


def port_argument(text: str) -> int:
    """A TCP port, 1 to 65535 (argparse type)."""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (1 to 65535)")
    return int(text)


def add_wait_option(command: argparse.ArgumentParser) -> None:
    """--wait, for commands that change a store: how long to wait while another command changes it."""
    command.add_argument(
        "--wait",
        type=seconds_argument,
        default=60.0,
        metavar="S",
        help="wait up to S seconds while another kg command changes the store (60; 0: fail at once)",
    )


def add_extract_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--format", metavar="NAME", help="force an input format instead of detecting it")
    command.add_argument(
        "--as-of",
        type=date_argument,
        metavar="YYYY-MM-DD",
        help="when the pages were saved (resolves dates shown without a year)",
    )
    command.add_argument(
        "--org",
        action="append",
        default=[],
        metavar="NAME",
        help="whose page it is: added to every record's orgs (repeatable)",
    )
    command.add_argument(
        "--owner",
        metavar="NAME",
        help="the person whose page it is: an author of every paper on it, printed or not "
        "(profile pages find their owner themselves)",
    )
    command.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=KEY",
        help="for generic JSON/CSV: the key holding FIELD (title, authors, abstract, date, doi, ...); repeatable",
    )
    command.add_argument(
        "--allow-private", action="store_true", help="let URLs reach private and loopback addresses (off by default)"
    )
    command.add_argument(
        "--follow-links", action="store_true", help="follow links in input folders that lead out of them (off)"
    )
    command.add_argument("-q", "--quiet", action="store_true", help="print errors only, no notes or summary")


# How the command line names an option the library's messages refer to (by Python keyword).
_FLAG_NAMES = {
    "store": "kg build --store",
    "list_formats": "kg extract --list-formats",
    "result_format": "--format",
    "bindings": "--bind",
    "graph_format": "--format",
    "check": "kg check --store DIR",
    "repair": "kg check --store DIR --repair",
}


def flag(option: str) -> str:
    """The flag (or command) for a library option: ``as_of`` -> ``--as-of``."""
    return _FLAG_NAMES.get(option) or "--" + option.replace("_", "-")


# Control characters shown escaped, so that a file named "a\nkg: error: ..." cannot forge a line.
_CONTROL_ESCAPES = {code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
_CONTROL_ESCAPES.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})


def one_line(message: str) -> str:
    r"""``message`` with line breaks and other control characters escaped: one line, always.

    Examples
    --------
    >>> print(one_line("evil\nkg: error: forged.txt: empty file"))
    evil\nkg: error: forged.txt: empty file
    """
    return message.translate(_CONTROL_ESCAPES)


def note(message: str, quiet: bool) -> None:
    if not quiet:
        print(f"{PROG}: note: {one_line(message)}", file=sys.stderr)


def error(message: str) -> None:
    print(f"{PROG}: error: {one_line(message)}", file=sys.stderr)


def warn(message: str) -> None:
    print(f"{PROG}: warning: {one_line(message)}", file=sys.stderr)


def build_options(args: argparse.Namespace):
    """The BuildOptions a command's flags ask for (flags a command lacks keep their defaults)."""
    from kg.pipeline import BuildOptions
    from kg.resolve.aliases import Aliases

    values = {
        "format": args.format,
        "as_of": args.as_of,
        "orgs": tuple(args.org),
        "mapping": parse_mapping(args.map),
        "allow_private": args.allow_private,
        "follow_links": args.follow_links,
        "owner": args.owner,
    }
    for name in ("base", "topics", "max_topics", "min_topic_papers", "strict"):
        if hasattr(args, name):
            values[name] = getattr(args, name)
    if getattr(args, "aliases", None):
        values["aliases"] = Aliases.load(args.aliases)
    return BuildOptions(**values)


def print_report(report, quiet: bool) -> None:
    """The notes, errors and summary of a build, add or remove, the same for every target."""
    for source in report.sources:
        for message in source.notes:
            note(f"{source.source}: {render(message, flag)}", quiet)
        change = f"{report.change}, " if report.change else ""
        note(f"{source.source}: {change}{source.papers} paper(s) read as {source.format}", quiet)
    for skipped in report.skipped:
        note(f"skipped {skipped}", quiet)
    for failure in report.failures:
        error(failure.render(flag))
    for message in report.warnings[:_WARNINGS_SHOWN]:
        print(f"{PROG}: warning: {message}", file=sys.stderr)
    if len(report.warnings) > _WARNINGS_SHOWN:
        print(f"{PROG}: warning: and {len(report.warnings) - _WARNINGS_SHOWN} more paper(s) whose titles disagree",
              file=sys.stderr)  # fmt: skip
    if report.refused:
        error(render(report.refused, flag))
        return
    for message in report.notes:
        note(message, quiet)
    if report.written:
        note(report.summary(), quiet)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A CSV cell a spreadsheet will show as text: one starting like a formula gets a leading ``'``.

    Names come from the web; "=HYPERLINK(...)" in a CSV opened in a spreadsheet would run.

    Examples
    --------
    >>> print(spreadsheet_safe('=HYPERLINK("http://x")'), spreadsheet_safe("Ann Lee"), spreadsheet_safe(-0.5))
    '=HYPERLINK("http://x") Ann Lee -0.5
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def table_width(out: TextIO) -> int:
    """How wide tables may be: ``$COLUMNS`` when set, else the terminal's width, else 160 (a file or pipe)."""
    import os
    import shutil

    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if out.isatty():
        return shutil.get_terminal_size().columns
    return 160


_NUMBER_CHARS = frozenset("0123456789.,-+eE%")


def _fair_widths(natural: Sequence[int], available: int) -> list[int]:
    """Widths for text columns that share ``available`` characters: narrow ones whole, wide ones cut evenly.

    Examples
    --------
    >>> _fair_widths([5, 40, 60], 50)
    [5, 22, 23]
    """
    widths = list(natural)
    left, open_columns = available, sorted(range(len(natural)), key=lambda i: natural[i])
    while open_columns:
        share = max(left // len(open_columns), 3)
        index = open_columns.pop(0)
        widths[index] = min(natural[index], share if open_columns else max(left, 3))
        left -= widths[index]
    return widths


def _pack_items(text: str, width: int) -> str:
    """A list written as ``"a, b, c"`` spread over lines of at most ``width`` characters, breaking between items.

    Examples
    --------
    >>> print(_pack_items("2019: 3, 2020: 12, 2021: 5", 18))
    2019: 3, 2020: 12,
    2021: 5
    >>> _pack_items("2015: 1, 2018: 1", 16)
    '2015: 1, 2018: 1'
    """
    items = text.split(", ")
    lines: list[str] = []
    for number, item in enumerate(items, start=1):
        comma = 0 if number == len(items) else 1  # every item but the last is followed by its comma
        if lines and len(lines[-1]) + 2 + len(item) + comma <= width:
            lines[-1] += ", " + item
        else:
            if lines:
                lines[-1] += ","
            lines.append(item)
    return "\n".join(lines)


def print_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    out: TextIO,
    title: str | None = None,
    lists: Sequence[str] = (),
    tails: Sequence[str] = (),
) -> None:
    """A table that fits the width (:func:`table_width`): long text is cut with an ellipsis, numbers never are.

    The columns named in ``lists`` hold comma-separated lists, spread over as many lines as they need
    instead of being cut; those in ``tails`` (paths) lose their beginning, not their end, when cut.
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    width = table_width(out)
    cells = [[str(row[index]) for row in rows if index < len(row)] for index in range(len(columns))]
    numeric = [bool(column) and all(c and set(c) <= _NUMBER_CHARS for c in column) for column in cells]
    natural = [max([len(name), *map(len, column)]) for name, column in zip(columns, cells, strict=True)]
    text = [index for index in range(len(columns)) if not numeric[index]]
    numbers_width = sum(n for n, is_number in zip(natural, numeric, strict=True) if is_number)
    available = width - (3 * len(columns) + 1) - numbers_width  # each column has a border and two spaces
    fitted = dict(zip(text, _fair_widths([natural[i] for i in text], available), strict=True))
    table = Table(show_lines=False)
    for index, column in enumerate(columns):
        if numeric[index]:
            table.add_column(column, justify="right", no_wrap=True, min_width=natural[index])
        elif column in lists:
            table.add_column(column, overflow="fold", no_wrap=False, max_width=fitted[index])
        else:
            table.add_column(column, overflow="ellipsis", no_wrap=True, max_width=fitted[index])
    packed = [index for index, column in enumerate(columns) if column in lists and not numeric[index]]
    ends = [index for index, column in enumerate(columns) if column in tails and not numeric[index]]
    for row in rows:
        cells_shown = list(row)
        for index in packed:
            if index < len(cells_shown):
                cells_shown[index] = _pack_items(str(cells_shown[index]), fitted[index])
        for index in ends:
            text = str(cells_shown[index]) if index < len(cells_shown) else ""
            if len(text) > fitted[index]:
                cells_shown[index] = "…" + text[len(text) - fitted[index] + 1 :]
        table.add_row(*cells_shown)
    console = Console(file=out, width=width, markup=False, highlight=False)
    if title:  # above the table, as rich's title would be, without the spaces rich pads it with to the table's width
        console.print(Text(title, style="table.title"))
    console.print(table)
    if not rows:
        out.write("(no rows)\n")
