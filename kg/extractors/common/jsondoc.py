"""Shared reading of JSON sources: one parse per text, array items with their line numbers, small cleaners.

Examples
--------
>>> [(line, item["t"]) for line, item in array_items('[\\n {"t": 1},\\n {"t": 2}\\n]')]
[(2, 1), (3, 2)]
>>> date_from_parts([[2019, 5]])
'2019-05'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

_CACHE: dict[str, Any] = {"text": None, "value": None, "error": None}
_TAG_RE = re.compile(r"<[^>]+>")


def parse_json(text: str) -> Any:
    """``json.loads(text)``, remembered for the last text (every JSON detector looks at the same input).

    Raises ValueError for text that is not JSON.
    """
    if _CACHE["text"] is not text:
        _CACHE["text"] = text
        try:
            _CACHE["value"], _CACHE["error"] = json.loads(text), None
        except (ValueError, RecursionError) as error:
            _CACHE["value"], _CACHE["error"] = None, ValueError(str(error))
    if _CACHE["error"] is not None:
        raise _CACHE["error"]
    return _CACHE["value"]


def try_json(text: str) -> Any:
    """The parsed JSON, or None when the text is not JSON (cheap for text that does not start like JSON)."""
    if text.lstrip()[:1] not in ("{", "["):
        return None
    try:
        return parse_json(text)
    except ValueError:
        return None


def array_items(text: str) -> Iterator[tuple[int, Any]]:
    """The items of a top-level JSON array with the 1-based line each starts on."""
    decoder = json.JSONDecoder()
    start = text.find("[")
    if start < 0:
        return
    index = start + 1
    line = text.count("\n", 0, index) + 1
    length = len(text)
    while True:
        while index < length and text[index] in " \t\r\n,":
            if text[index] == "\n":
                line += 1
            index += 1
        if index >= length or text[index] == "]":
            return
        item, end = decoder.raw_decode(text, index)
        yield line, item
        line += text.count("\n", index, end)
        index = end


def date_from_parts(parts: Any) -> str | None:
    """An ISO date from Crossref's ``[[year, month, day]]`` (as precise as given)."""
    try:
        values = [int(v) for v in parts[0] if v is not None]
    except (TypeError, ValueError, IndexError):
        return None
    if not values or not 1000 <= values[0] <= 2999:
        return None
    formats = ["{:04d}", "{:04d}-{:02d}", "{:04d}-{:02d}-{:02d}"]
    return formats[min(len(values), 3) - 1].format(*values[:3])


def iso_date(value: Any) -> str | None:
    """ "2024-06-01", "2024-06", "2024" or a year number as an ISO date string; None otherwise."""
    if isinstance(value, int) and 1000 <= value <= 2999:
        return str(value)
    if not isinstance(value, str):
        return None
    match = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
    if not match:
        return None
    return "-".join(part for part in match.groups() if part)


def strip_markup(text: Any) -> str | None:
    """Text without XML/HTML tags (JATS abstracts), whitespace collapsed."""
    if not isinstance(text, str):
        return None
    cleaned = " ".join(_TAG_RE.sub(" ", text).split())
    return cleaned or None


def text_of(value: Any) -> str | None:
    """A string, or the first string of a list (Crossref titles), whitespace collapsed."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, str):
        return " ".join(value.split()) or None
    return None
