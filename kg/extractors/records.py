"""Generic exports: a JSON array (or an object holding one), JSON Lines, or CSV with a header row.

The usual keys are recognised (kg/data/record_keys.json: title, authors/author,
abstract/summary, date/year/published, doi, arxiv_id, url, affiliations, ...);
``--map FIELD=KEY`` names the key of a field the table does not spell the usual way.
Authors may be a list of names, a list of objects with a ``name``, or one string
with ``;`` or `` and `` (or ``,`` when no name holds one) between names. Of the values of a
``categories``/``keywords``/``subjects``/``topics`` column, arXiv category codes ("cs.LG", "LG") are
``categories`` and the rest (free words such as "knowledge graphs") ``keywords``.

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
from typing import Any

from kg.data import load_json
from kg.errors import UsageError
from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.jsondoc import array_items, date_from_parts, iso_date, text_of, try_json
from kg.records import AuthorRef, Record, SourceRef
from kg.text import clean_space
from kg.topics.categories import resolve_category

FORMAT = "records"
_SPLIT_RE = re.compile(r"\s*;\s*|\s+and\s+", re.IGNORECASE)
_ARXIV_RE = re.compile(r"^(?:arXiv:)?(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$", re.IGNORECASE)
_DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
_KEY_ID = "\x00key"  # where a record of an object keyed by id keeps its key (a key no export uses)
_ID_FIELDS = ("doi", "arxiv", "pmid", "pmcid", "url")
_ORCID_RE = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])/?$", re.IGNORECASE)


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


def _has_title(item: Any) -> bool:
    """A record object: a title and something else a paper has (an author object has a "name" alone)."""
    if not isinstance(item, dict) or _key_for(item, "title") is None:
        return False
    return any(_key_for(item, field) is not None for field in ("authors", "abstract", "date", "doi", "arxiv", "venue"))


def _json_shape(data: Any) -> tuple[str, Any]:
    """How a parsed JSON document holds its records.

    ``("list", (key, items))``: an array, or an object holding one under ``key``;
    ``("single", item)``: one record object; ``("keyed", {id: item})``: an object keyed by id.
    """
    if isinstance(data, list):
        return "list", (None, data)
    if not isinstance(data, dict):
        return "none", None
    lists = [(k, v) for k, v in data.items() if isinstance(v, list) and v and isinstance(v[0], dict)]
    with_titles = next(((k, v) for k, v in lists if any(_has_title(i) for i in v[:20])), None)
    if with_titles is not None:
        return "list", with_titles
    if _has_title(data):
        return "single", data
    values = list(data.values())[:20]
    if values and sum(1 for v in values if _has_title(v)) * 2 > len(values):
        return "keyed", data
    if lists:
        return "list", lists[0]
    return "single", data  # fields under keys of the user's own mapping


def _object_members(text: str, start: int = 0) -> list[tuple[int, str, int]]:
    """``(line, key, offset of the value)`` of each member of the JSON object at ``text[start:]``."""
    decoder = json.JSONDecoder()
    index = text.index("{", start) + 1
    members = []
    while True:
        while index < len(text) and text[index] in " \t\r\n,":
            index += 1
        if index >= len(text) or text[index] != '"':
            return members
        key_start = index
        key, index = decoder.raw_decode(text, index)
        index = text.index(":", index) + 1
        while text[index] in " \t\r\n":
            index += 1
        members.append((text.count("\n", 0, key_start) + 1, key, index))
        _, index = decoder.raw_decode(text, index)


def _json_rows(text: str, data: Any, lines: bool) -> list[tuple[int, dict]] | None:
    """The record objects of parsed JSON, with the line each starts on when ``lines``."""
    kind, payload = _json_shape(data)
    if kind == "single":
        return [(text.count("\n", 0, len(text) - len(text.lstrip())) + 1, payload)]
    if kind == "keyed":
        if not lines:
            return [(1, _with_key(key, value)) for key, value in payload.items() if isinstance(value, dict)]
        return [
            (line, _with_key(key, payload[key]))
            for line, key, _ in _object_members(text)
            if isinstance(payload.get(key), dict)
        ]
    if kind == "list":
        key, items = payload
        if not lines:
            return [(1, item) for item in items if isinstance(item, dict)]
        offset = 0
        if key is not None:
            offset = next(index for _, name, index in _object_members(text) if name == key)
        base = text.count("\n", 0, offset)
        return [(base + line, item) for line, item in array_items(text[offset:]) if isinstance(item, dict)]
    return None


def _with_key(key: str, item: dict) -> dict:
    """A record of an object keyed by id, with the key as its arXiv id or DOI when it is one."""
    key = key.strip()
    for field, pattern in (("arxiv", _ARXIV_RE), ("doi", _DOI_RE)):
        if pattern.match(key) and _key_for(item, field) is None:
            return {**item, _KEY_ID: (field, key)}
    return item


def _rows(text: str, limit: int | None = None) -> list[tuple[int, dict]] | None:
    """The JSON objects of ``text`` (an array, an object holding one, one object, an object keyed by id, or
    JSON Lines) or the rows of a CSV table; ``limit`` lines at most of JSON Lines; line numbers unless ``limit``."""
    data = try_json(text)
    if data is not None:
        return _json_rows(text, data, lines=limit is None)
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
    rows = []
    try:
        for row in reader:
            # line_num is the line the row ended on: a quoted cell may span lines.
            rows.append((max(reader.line_num - _newlines(row), 1), row))
    except csv.Error:  # not a table after all (a lone carriage return in an unquoted field, ...)
        return None
    return rows


def _newlines(row: dict) -> int:
    cells = [v for v in row.values() if isinstance(v, str)] + [
        c for v in row.values() if isinstance(v, list) for c in v
    ]
    return sum(c.count("\n") for c in cells if isinstance(c, str))


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


def _strings_of(value: Any) -> list[str]:
    """Affiliations as given: a string, a list of strings, or objects with a ``name``/``display_name``."""
    values = value if isinstance(value, list) else [value]
    out = []
    for item in values:
        if isinstance(item, dict):
            item = item.get("name") or item.get("display_name")
        if isinstance(item, str) and clean_space(item):
            out.append(clean_space(item))
    return out


def _author_object(value: dict) -> AuthorRef | None:
    """``{"name"|"display_name"|"literal", "affiliations", "orcid"}`` or ``{"given", "family"}``."""
    given = value.get("given") if isinstance(value.get("given"), str) else None
    family = value.get("family") if isinstance(value.get("family"), str) else None
    given, family = (clean_space(given) or None) if given else None, (clean_space(family) or None) if family else None
    name = next(
        (value[k] for k in ("name", "display_name", "literal", "full_name") if isinstance(value.get(k), str)), None
    )
    name = clean_space(name) if name else " ".join(p for p in (given, family) if p)
    if not name:
        return None
    affiliation_key = next((k for k in ("affiliations", "affiliation", "institutions") if value.get(k)), None)
    affiliations = _strings_of(value[affiliation_key]) if affiliation_key else []
    orcid_value = next((value[k] for k in ("orcid", "ORCID", "orcid_id") if isinstance(value.get(k), str)), "")
    orcid = _ORCID_RE.search(orcid_value.strip())
    return AuthorRef(
        name,
        tuple(affiliations),
        orcid.group(1).upper() if orcid else None,
        given if given or family else None,
        family if given or family else None,
    )


def _authors(value: Any, affiliations: Any) -> list[AuthorRef]:
    if isinstance(value, str):
        entries: list[Any] = split_names(value)
    elif isinstance(value, list):
        entries = value
    else:
        entries = []
    authors = []
    for entry in entries:
        if isinstance(entry, dict):
            author = _author_object(entry)
        elif isinstance(entry, str) and clean_space(entry):
            author = AuthorRef(clean_space(entry))
        else:
            author = None
        if author is not None:
            authors.append(author)
    per_author = affiliations if isinstance(affiliations, list) and len(affiliations) == len(authors) else None
    if per_author:
        authors = [
            a if a.affiliations else AuthorRef(a.name, tuple(_strings_of(own)), a.orcid, a.given, a.family)
            for a, own in zip(authors, per_author, strict=True)
        ]
    return authors


def _date(value: Any) -> str | None:
    if isinstance(value, dict):  # CSL's {"date-parts": [[2017, 6]]}
        return date_from_parts(value.get("date-parts")) or _date(value.get("raw") or value.get("literal"))
    if isinstance(value, int) and not isinstance(value, bool):
        return iso_date(value)
    return iso_date(str(value)) if value is not None else None


def _one_text(value: Any) -> str | None:
    if isinstance(value, list):
        return text_of(value)
    return clean_space(str(value)) or None if value not in (None, "") else None


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    records, skipped = [], 0

    def _value(item: dict, field: str):
        key = _key_for(item, field, options.mapping)
        return item.get(key) if key is not None else None

    for line, row in _rows(text) or []:
        title, abstract = _one_text(_value(row, "title")), _one_text(_value(row, "abstract"))
        if not (title or abstract):
            skipped += 1
            continue
        ids = {f: _one_text(_value(row, f)) for f in _ID_FIELDS}
        keyed = row.get(_KEY_ID)
        if keyed and not ids.get(keyed[0]):
            ids[keyed[0]] = keyed[1]
        categories = _value(row, "categories")
        categories = split_names(categories) if isinstance(categories, str) else categories or []
        categories = [c for c in categories if isinstance(c, str)] if isinstance(categories, list) else []
        keywords = [c for c in categories if resolve_category(c) is None]
        records.append(
            Record(
                title=title,
                authors=tuple(_authors(_value(row, "authors"), _value(row, "affiliations"))),
                date=_date(_value(row, "date")),
                venue=_one_text(_value(row, "venue")),
                abstract=abstract,
                categories=tuple(c for c in categories if resolve_category(c) is not None),
                ids={k: v for k, v in ids.items() if v},
                source=SourceRef(source, line, FORMAT),
                extra={"keywords": keywords} if keywords else {},
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
