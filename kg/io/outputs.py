"""Outputs: checked before any work is done, and written so that a failed or interrupted write never costs the
previous file."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO, TypeVar

from kg.errors import KgError, UsageError

T = TypeVar("T")
STDOUT = "-"  # the output name that means standard output


def _mode_for(target: Path) -> int:
    """The mode the file would have had if written in place: the old file's, else 0666 less the umask."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` in one rename.

    If the body raises (or the process dies) the temporary file is removed and
    ``path`` keeps its previous content.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(target) as handle:
    ...     _ = handle.write(b"done")
    >>> target.read_bytes()
    b'done'
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise KgError(f"{target}: the folder {folder} does not exist")
    # The name is chosen before the file is made, inside the ``try``: an interrupt that lands just after
    # the file is created (as tempfile.mkstemp would leave it) still finds the name to remove.
    temporary: Path | None = None
    try:
        while True:
            temporary = folder / f".{target.name}.{secrets.token_hex(6)}.tmp"
            try:
                handle = open(temporary, "xb", opener=_private)  # noqa: SIM115 - closed by the with below
                break
            except FileExistsError:
                temporary = None
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except BaseException:
        if temporary is not None:
            with contextlib.suppress(OSError):  # not made (a read-only folder), or gone: the first error stands
                os.unlink(temporary)
        raise


def _private(path: str, flags: int) -> int:
    """Open as :func:`open` asks, readable by its owner alone until it takes the mode of the file it replaces."""
    return os.open(path, flags, 0o600)


def check_output(path: str | os.PathLike[str], kinds: Mapping[str, T], what: str) -> T:
    """The kind of output ``path`` names, checked before any work is done.

    Every writer of kg (graphs, exports, pages, plots) checks its output here:
    the extension must be one of ``kinds`` (lower-case, with the dot) and the
    folder must exist.

    Parameters
    ----------
    path : path-like
        The output the user named.
    kinds : mapping of str to anything
        Known extensions and what each one means to the writer.
    what : str
        What is written, for the message ("the page", "a plot").

    Raises
    ------
    kg.errors.UsageError
        An unknown extension, or a folder that does not exist.

    Examples
    --------
    >>> check_output("plot.svg", {".png": "PNG", ".svg": "SVG"}, "a plot")
    'SVG'
    >>> check_output("plot.gif", {".png": "PNG", ".svg": "SVG"}, "a plot")
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: plot.gif: a plot is written as .png or .svg, not .gif
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in kinds:
        known = list(kinds)
        listed = ", ".join(known[:-1]) + f" or {known[-1]}" if len(known) > 1 else known[0]
        raise UsageError(f"{path}: {what} is written as {listed}, not {suffix or 'a file without an extension'}")
    folder = target.parent
    if str(folder) and not folder.is_dir():
        raise UsageError(f"{path}: the folder {folder} does not exist")
    return kinds[suffix]
