"""Generic exports: a JSON array (or an object holding one), JSON Lines, or CSV with a header row.

The usual keys are recognised (kg/data/record_keys.json: title, authors/author,
abstract/summary, date/year/published, doi, arxiv_id, url, affiliations, ...);
``--map FIELD=KEY`` names the key of a field the table does not spell the usual way.
Authors may be a list of names, a list of objects with a ``name``, or one string
with ``;`` or `` and `` (or ``,`` when no name holds one) between names.

Examples
--------
>>> split_names("Ann Lee; Bo Chen and Cy Diaz")
['Ann Lee', 'Bo Chen', 'Cy Diaz']
"""

from __future__ import annotations

import csv
import io
import json
import re

from kg.data import load_json
from kg.errors import UsageError
from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.jsondoc import iso_date, try_json
from kg.records import AuthorRef, Record, SourceRef
from kg.text import clean_space

FORMAT = "records"
_SPLIT_RE = re.compile(r"\s*;\s*|\s+and\s+", re.IGNORECASE)


def parse_mapping(pairs: list[str]) -> tuple[tuple[str, str], ...]:
    """``FIELD=KEY`` pairs from ``--map`` (FIELD one of the fields of record_keys.json), checked.

    Examples
    --------
    >>> parse_mapping(["title=Paper_Title"])
    (('title', 'paper_title'),)
    """
    fields = {k for k in load_json("record_keys.json") if not k.startswith("_")}
    mapping = []
    for pair in pairs:
        field, sep, key = pair.partition("=")
        if not sep or field.strip() not in fields or not key.strip():
            raise UsageError(
                f"{{option}} {pair!r}: expected FIELD=KEY with FIELD one of {', '.join(sorted(fields))}", option="map"
            )
        mapping.append((field.strip(), key.strip().lower()))
    return tuple(mapping)


def split_names(value: str) -> list[str]:
    """Names from one string: ``;`` or ``and`` between names, else ``,`` between two-word names."""
    parts = [clean_space(p) for p in _SPLIT_RE.split(value) if clean_space(p)]
    if len(parts) == 1 and value.count(",") >= 1 and all(len(p.split()) >= 2 for p in value.split(",")):
        parts = [clean_space(p) for p in value.split(",") if clean_space(p)]
    return parts


def _key_for(item: dict, field: str, mapping: tuple[tuple[str, str], ...] = ()) -> str | None:
    lowered = {k.lower(): k for k in item if isinstance(k, str)}  # csv gives extra cells the key None
    candidates = [key for f, key in mapping if f == field] + load_json("record_keys.json")[field]
    return next((lowered[c] for c in candidates if c in lowered), None)


def _first_lines(text: str, count: int) -> str:
    end = 0
    for _ in range(count):
        end = text.find("\n", end) + 1
        if end == 0:
            return text
    return text[:end]


def _rows(text: str, limit: int | None = None) -> list[tuple[int, dict]] | None:
    """The JSON objects of ``text`` (an array, an object holding one, or JSON Lines); ``limit`` JSON Lines at most."""
    data = try_json(text)
    if isinstance(data, dict):
        data = next((v for v in data.values() if isinstance(v, list) and v and isinstance(v[0], dict)), None)
    if isinstance(data, list):
        return [(1, item) for item in data if isinstance(item, dict)]
    if limit is not None:
        text = _first_lines(text, limit)
    lines = [(n, line) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]
    if lines and lines[0][1].lstrip().startswith("{"):
        rows = []
        for number, line in lines:
            try:
                value = json.loads(line)
            except (ValueError, RecursionError):
                return None
            if isinstance(value, dict):
                rows.append((number, value))
        return rows
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return None
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    try:
        return [(reader.line_num, row) for row in reader]
    except csv.Error:  # not a table after all (a lone carriage return in an unquoted field, ...)
        return None


def detect(text: str) -> float:
    # JSON Lines are judged on their first lines: parsing a whole corpus only to detect it doubled its reading.
    rows = _rows(text, limit=200) if text.lstrip()[:1] in "{[" or "\n" in text[:4096] else None
    if not rows:
        return 0.0
    sample = [row for _, row in rows[:20]]
    hits = sum(
        1 for row in sample if _key_for(row, "title") and (_key_for(row, "authors") or _key_for(row, "abstract"))
    )
    return 0.5 * hits / len(sample)


def _authors(value, affiliations) -> list[AuthorRef]:
    if isinstance(value, str):
        names = split_names(value)
    elif isinstance(value, list):
        names = [v.get("name") or v.get("display_name") if isinstance(v, dict) else v for v in value]
    else:
        names = []
    names = [clean_space(n) for n in names if isinstance(n, str) and clean_space(n)]
    per_author = affiliations if isinstance(affiliations, list) and len(affiliations) == len(names) else None
    out = []
    for index, name in enumerate(names):
        own = per_author[index] if per_author else None
        own = [own] if isinstance(own, str) else own if isinstance(own, list) else []
        out.append(AuthorRef(name, tuple(clean_space(a) for a in own if isinstance(a, str) and clean_space(a))))
    return out


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    records, skipped = [], 0

    def _value(item: dict, field: str):
        key = _key_for(item, field, options.mapping)
        return item.get(key) if key is not None else None

    for line, row in _rows(text) or []:
        title, abstract = _value(row, "title"), _value(row, "abstract")
        title = clean_space(str(title)) if title not in (None, "") else None
        abstract = clean_space(str(abstract)) if abstract not in (None, "") else None
        if not (title or abstract):
            skipped += 1
            continue
        ids = {f: clean_space(str(_value(row, f))) for f in ("doi", "arxiv", "url") if _value(row, f) not in (None, "")}
        categories = _value(row, "categories")
        categories = split_names(categories) if isinstance(categories, str) else categories or []
        date = _value(row, "date")
        records.append(
            Record(
                title=title,
                authors=tuple(_authors(_value(row, "authors"), _value(row, "affiliations"))),
                date=iso_date(date if isinstance(date, int) else str(date) if date is not None else None),
                venue=clean_space(str(_value(row, "venue"))) if _value(row, "venue") else None,
                abstract=abstract,
                categories=tuple(c for c in categories if isinstance(c, str)),
                ids={k: v for k, v in ids.items() if v},
                source=SourceRef(source, line, FORMAT),
            )
        )
    return records, [f"{skipped} row(s) without title or abstract skipped"] if skipped else []


EXTRACTOR = Extractor(
    name=FORMAT,
    description="generic JSON / JSON Lines / CSV exports (usual keys recognised; a FIELD=KEY mapping names others)",
    detect=detect,
    extract=extract,
    whole_text_detect=True,
)
