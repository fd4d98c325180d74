"""Dimensions.ai publication exports as CSV ("Dimensions-Publication-<date>.csv").

The first line is often a note, ``About the data: Exported on ...``, above the header.
Multi-valued cells are ``; ``-separated. Authors come from "Authors" ("Family, Given; ..."),
their affiliations from "Authors (Raw Affiliation)" ("Family, Given (Affiliation); ..."), matched
by position when both list the same names, else by name. The date is "Publication Date" (ISO)
else "PubYear"; the venue "Source title" else "Anthology title"; the Dimensions publication
ID is ``ids["dimensions"]``; "MeSH terms" are keywords; "Research Organizations -
standardized" are the record's organisations.

Examples
--------
>>> text = ('About the data: Exported on Mar 02, 2024. Criteria: "transformer" in title.\\n'
...         '"Rank","Publication ID","DOI","Title","Source title","PubYear","Authors",'
...         '"Authors (Raw Affiliation)","Dimensions URL"\\n'
...         '"1","pub.1092350212","10.1038/nature24270","Mastering the game of Go without human knowledge",'
...         '"Nature","2017","Silver, David; Hassabis, Demis","Silver, David (DeepMind, London, UK); '
...         'Hassabis, Demis (DeepMind, London, UK)","https://app.dimensions.ai/details/publication/pub.1092350212"\\n')
>>> detect(text) >= 0.9
True
>>> [record], notes = extract(text, "Dimensions-Publication.csv", ExtractOptions())
>>> [(a.name, a.given, a.affiliations) for a in record.authors]  # doctest: +NORMALIZE_WHITESPACE
[('Silver, David', 'David', ('DeepMind, London, UK',)),
 ('Hassabis, Demis', 'Demis', ('DeepMind, London, UK',))]
>>> record.date, record.venue, record.ids["dimensions"], record.source.line
('2017', 'Nature', 'pub.1092350212', 3)
"""

from __future__ import annotations

from typing import Any

from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.csvdoc import (
    Row,
    blank_first_line,
    has_columns,
    header_names,
    read_table,
    records_of_rows,
    split_cell,
    unique,
)
from kg.extractors.common.jsondoc import iso_date
from kg.records import AuthorRef, Record, SourceRef
from kg.text import clean_space

FORMAT = "dimensions-csv"
_PREAMBLE = "About the data"
_COLUMNS = (
    "Publication ID",
    "Dimensions URL",
    "Source title",
    "Anthology title",
    "PubYear",
    "Authors (Raw Affiliation)",
    "Research Organizations - standardized",
    "GRID IDs",
    "Times cited",
)


def detect(text: str) -> float:
    header = header_names(blank_first_line(text[:65536], _PREAMBLE))
    if not has_columns(header, "Publication ID") or not has_columns(header, "Title"):
        return 0.0
    found = has_columns(header, *_COLUMNS)
    return 0.95 if found >= 4 else 0.6 if found >= 2 else 0.0


def _top_level(value: str) -> tuple[list[str], list[str]]:
    """The ``;``-separated parts of ``value`` outside parentheses, and each part's parenthesised groups.

    Returns the parts with their groups taken out, and for each part the groups' texts.
    """
    parts: list[tuple[list[str], list[str]]] = [([], [])]
    depth = 0
    for char in value:
        text, groups = parts[-1]
        if char == "(":
            depth += 1
            if depth == 1:
                groups.append("")
                continue
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                continue
        elif char == ";" and depth == 0:
            parts.append(([], []))
            continue
        if depth:
            groups[-1] += char
        else:
            text.append(char)
    names = [clean_space("".join(text)) for text, _ in parts]
    return names, ["\x00".join(groups) for _, groups in parts]


def _raw_affiliations(value: str | None) -> list[tuple[str, tuple[str, ...]]]:
    """``(name, affiliations)`` of each "Family, Given (Affiliation; Affiliation)" part."""
    names, groups = _top_level(value or "")
    out = []
    for name, joined in zip(names, groups, strict=True):
        affiliations = [a for group in joined.split("\x00") for a in split_cell(group)]
        if name or affiliations:
            out.append((name, tuple(unique(affiliations))))
    return out


def _author(printed: str, affiliations: tuple[str, ...] = ()) -> AuthorRef:
    family, comma, given = printed.partition(",")
    if comma and clean_space(family) and clean_space(given):
        return AuthorRef(printed, affiliations, given=clean_space(given), family=clean_space(family))
    return AuthorRef(printed, affiliations)


def _authors(row: Row) -> tuple[AuthorRef, ...]:
    names = split_cell(row.get("Authors"))
    raw = _raw_affiliations(row.raw("Authors (Raw Affiliation)"))
    if not names:
        return tuple(_author(name, affs) for name, affs in raw if name)
    if [n.casefold() for n, _ in raw] == [n.casefold() for n in names]:
        return tuple(_author(name, affs) for name, (_, affs) in zip(names, raw, strict=True))
    by_name: dict[str, tuple[str, ...]] = {}
    for name, affs in raw:
        by_name.setdefault(name.casefold(), affs)
    return tuple(_author(name, by_name.get(name.casefold(), ())) for name in names)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _record(row: Row, line: int, source: str) -> Record | None:
    title, abstract = row.get("Title"), row.get("Abstract")
    if not (title or abstract):
        return None
    ids: dict[str, str] = {}
    for key, column in (("dimensions", "Publication ID"), ("doi", "DOI"), ("pmid", "PMID"), ("pmcid", "PMCID")):
        if row.get(column):
            ids[key] = row.get(column) or ""
    if row.get("Dimensions URL"):
        ids["url"] = row.get("Dimensions URL") or ""
    extra: dict[str, Any] = {}
    keywords = unique(split_cell(row.get("Keywords")) + split_cell(row.get("MeSH terms")))
    if keywords:
        extra["keywords"] = keywords
    fields = split_cell(row.get("Fields of Research (ANZSRC 2020)", "FOR (ANZSRC) Categories"))
    if fields:
        extra["fields_of_research"] = fields
    for key, columns in (("corresponding_authors", ("Corresponding Authors", "Corresponding Author")),
                         ("funders", ("Funder",))):  # fmt: skip
        if split_cell(row.get(*columns)):
            extra[key] = split_cell(row.get(*columns))
    for key, column in (("volume", "Volume"), ("issue", "Issue"), ("pages", "Pagination")):
        if row.get(column):
            extra[key] = row.get(column)
    if row.get("Publication Type"):
        extra["document_type"] = row.get("Publication Type")
    for key, column in (("times_cited", "Times cited"), ("altmetric", "Altmetric")):
        if _int(row.get(column)) is not None:
            extra[key] = _int(row.get(column))
    return Record(
        title=title,
        authors=_authors(row),
        orgs=tuple(split_cell(row.get("Research Organizations - standardized"))),
        date=iso_date(row.get("Publication Date")) or iso_date(row.get("PubYear")),
        venue=row.get("Source title", "Anthology title"),
        abstract=abstract,
        ids=ids,
        source=SourceRef(source, line, FORMAT),
        extra=extra,
    )


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    table = read_table(blank_first_line(text, _PREAMBLE))
    return records_of_rows(table.rows, lambda row, line: _record(row, line, source))


EXTRACTOR = Extractor(
    name=FORMAT,
    description="Dimensions.ai publication CSV exports (raw affiliations per author, Dimensions IDs)",
    detect=detect,
    extract=extract,
)
