"""Finding input files and decoding them to text.

Everything here raises :class:`kg.errors.InputError` with a one-line reason;
nothing here knows about page layouts.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import InputError

# How much of a file is inspected to tell binary from text.
STDIN = "-"  # the input name that means standard input
STDIN_NAME = "<stdin>"  # and how messages name it
_SNIFF_BYTES = 64 * 1024
# Share of C0 control characters (other than tab/newline/CR/FF) above which a
# decoded sample is taken for binary rather than text.
_MAX_CONTROL_SHARE = 0.01
_MIN_DETECT_BYTES = 2048
_XML_ENCODING_RE = re.compile(rb"^\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def json_line_loader() -> Callable[[str], Any]:
    """A JSON parser for one line: orjson's (several times faster) with the standard one behind it for what
    orjson refuses (lone surrogates, NaN) and for lines with a run of 19 digits or more, where an integer
    past 64 bits would come back from orjson as a float; so both read the same values.

    Examples
    --------
    >>> loads = json_line_loader()
    >>> loads('{"title": "T", "n": 1}'), loads('{"x": NaN}')["x"] != 0, loads('{"n": 18446744073709551616}')
    ({'title': 'T', 'n': 1}, True, {'n': 18446744073709551616})
    """
    try:
        import orjson
    except ImportError:
        return json.loads

    def loads(line: str) -> Any:
        # Digits made zeros, as bytes: ten times as fast as a regular expression over the text.
        if _LONG_DIGITS in line.encode("utf-8", "surrogatepass").translate(_DIGITS_AS_ZERO):
            return json.loads(line)
        try:
            return orjson.loads(line)
        except orjson.JSONDecodeError:
            return json.loads(line)

    return loads


_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_DIGITS = b"0" * 19


def source_key(path: str | os.PathLike[str]) -> str:
    """A name for a local file that does not depend on how it was spelled or where kg runs.

    A digest of its real path (links resolved), so ``page.txt``, ``./page.txt``
    and ``/home/me/page.txt`` are one source, and the path itself is not shown.

    Examples
    --------
    >>> source_key("page.txt") == source_key("./page.txt") == source_key(os.path.abspath("page.txt"))
    True
    """
    import hashlib

    return hashlib.sha256(os.path.realpath(path).encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True)
class DecodedText:
    """Text of an input and the encoding it was decoded with."""

    text: str
    encoding: str
    dropped: int = 0  # bytes of a character cut off at the end of a UTF-8 file, left out

    @property
    def fallback(self) -> bool:
        """True when the bytes were not UTF-8 and another encoding was used."""
        return self.encoding not in ("utf-8", "utf-8-sig")


def iter_input_paths(names: Iterable[str], follow_links: bool = False) -> Iterator[Path | InputError]:
    """Expand the inputs a user named into files, in a stable order.

    Directories are walked recursively (sorted, hidden entries skipped); a name
    that does not exist yields an :class:`InputError` in its place, so one bad
    name never stops the others. A link inside a walked directory that leads out
    of it is not followed (an :class:`InputError` says so) unless ``follow_links``:
    a folder of saved pages must not pull in a private file from elsewhere.

    Examples
    --------
    >>> [str(p) for p in iter_input_paths(["no/such/file.txt"])]
    ['no/such/file.txt: no such file or directory']
    """
    for name in names:
        path = Path(name)
        if path.is_dir():
            found = False
            inside = path.resolve()
            for root, dirs, files in os.walk(path, followlinks=follow_links):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for file_name in sorted(files):
                    if not file_name.startswith("."):
                        found = True
                        file = Path(root) / file_name
                        if not follow_links and file.is_symlink() and not file.resolve().is_relative_to(inside):
                            yield InputError(str(file), "a link to a file outside the folder; not followed "
                                             "(follow it with {option})", option="follow_links")  # fmt: skip
                            continue
                        yield file
            if not found:
                yield InputError(name, "directory holds no files")
        elif path.is_file():
            yield path
        elif path.exists():
            yield InputError(name, "not a regular file")
        else:
            yield InputError(name, "no such file or directory")


def decode_bytes(data: bytes, name: str) -> DecodedText:
    """Decode an input's bytes to text, trying the usual encodings in turn.

    Order: a byte-order mark if there is one, then UTF-8, then the best guess of
    charset-normalizer and Windows-1252 (Windows-1252 first for inputs too short
    to detect reliably). Bytes that look binary are refused.

    Examples
    --------
    >>> decode_bytes("café".encode("latin-1"), "x.txt").text
    'café'
    >>> cut = decode_bytes("café ü".encode()[:-1], "x.txt")
    >>> cut.text, cut.encoding, cut.dropped
    ('café ', 'utf-8', 1)
    >>> decode_bytes(b"", "x.txt")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: x.txt: empty file
    """
    if not data.strip():
        raise InputError(name, "empty file" if not data else "empty file (only whitespace)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(_check_text(data.decode(encoding), name), encoding)
            except UnicodeDecodeError:
                raise InputError(name, f"starts with a {encoding} byte-order mark but is not {encoding}") from None
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise InputError(name, "binary file (contains NUL bytes), not text")
    try:
        return DecodedText(_check_text(data.decode("utf-8"), name), "utf-8")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data" and error.start >= len(data) - 3:
            # A UTF-8 file cut short inside its last character: keep all that decodes. Only when
            # what comes before holds UTF-8 characters of its own; a Latin-1 "café" ends the same way.
            try:
                text = data[: error.start].decode("utf-8")
            except UnicodeDecodeError:
                text = ""
            if not text.isascii():
                return DecodedText(_check_text(text, name), "utf-8", dropped=len(data) - error.start)
    declared = _XML_ENCODING_RE.match(data[:200])
    if declared:
        try:
            return DecodedText(
                _check_text(data.decode(declared.group(1).decode("ascii")), name), declared.group(1).decode()
            )
        except (UnicodeDecodeError, LookupError):
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 4 * _SNIFF_BYTES]).best()
    guessed = [best.encoding] if best is not None else []
    # A detector needs a few kilobytes to tell Latin text from CJK; below that,
    # the usual encoding of a non-UTF-8 Western file (Windows-1252) goes first.
    candidates = ["cp1252", *guessed] if len(data) < _MIN_DETECT_BYTES else [*guessed, "cp1252"]
    for encoding in candidates:
        try:
            return DecodedText(_check_text(data.decode(encoding), name), encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise InputError(name, "not text in UTF-8 or any usual fallback encoding")


def _check_text(text: str, name: str) -> str:
    sample = text[:_SNIFF_BYTES]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    if sample and controls / len(sample) > _MAX_CONTROL_SHARE:
        raise InputError(name, "binary file (control bytes), not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: str | os.PathLike[str]) -> DecodedText:
    """Read a file and decode it with :func:`decode_bytes`.

    Examples
    --------
    >>> read_text("no/such/file.txt")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: no/such/file.txt: no such file or directory
    """
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(name, "no such file or directory") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror or exc})") from None
    return decode_bytes(data, name)
