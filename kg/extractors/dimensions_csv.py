"""Dimensions.ai publication exports as CSV ("Dimensions-Publication-<date>.csv").

The first line is often a note, ``About the data: Exported on ...``, above the header.
Multi-valued cells are ``; ``-separated. Authors come from "Authors" ("Family, Given; ..."),
their affiliations from "Authors (Raw Affiliation)" ("Family, Given (Affiliation); ..."), matched
by position when both list the same names, else by name. Raw affiliations are as printed, with the
contact details among them left out ("E-Mails:, ann@uni.pl, (A.L.)", "These authors contributed
equally ..."), and a cell cut short inside its last parenthesis loses its unfinished last entry.
The date is "Publication Date" (ISO; "29/11/2022" from a spreadsheet re-save is read day- or
month-first only when the file's dates show which) else "PubYear"; the venue "Source title" else
"Anthology title" (or the bibliometric export's "Source title/Anthology title"); the Dimensions
publication ID is ``ids["dimensions"]``; "MeSH terms" are ``mesh`` ``subjects``, and so are the
ANZSRC fields of research ("46 Information and Computing Sciences; 4611 Machine Learning": the
2020 column in scheme ``anzsrc-for-2020``, the older "FOR (ANZSRC) Categories" in
``anzsrc-for-2008``), also kept as printed in ``fields_of_research``; "Research Organizations -
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

import datetime
import re
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
from kg.extractors.common.subjects import coded_labels, subjects
from kg.records import AuthorRef, Record, SourceRef
from kg.text import clean_space

FORMAT = "dimensions-csv"
_PREAMBLE = "About the data"
# An e-mail address, an "E-mail:" label, the authors' initials after it ("(A.P.)"), and punctuation.
_CONTACT_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?i:\be-?mails?\b)|\((?:[A-Z][a-z]?\.?[- ]?)+\)|\W")
# Where contact details start inside an affiliation: "Japan. Electronic address: ann@uni.jp.",
# "Germany e-mail: a@b.de, Tel.: +49 ...", "Poland. ann@wp.pl", "Fax: +31 317 484978".
_CONTACT_START_RE = re.compile(
    r"(?i:\b(?:electronic address|e-?mails?|fax|tel|phone)\b\.?\s*:)|[\w.+-]+@\s?[\w-]+(?:\.[\w-]+)+"
)
# An affiliation that names its own people, as some journals print it: "CDC, Atlanta, Georgia, USA
# (D. Owusu, K. O'Laughlin)"; each entry is initials and a family name.
_MEMBER_LIST_RE = re.compile(r"\s*\(([^()]+)\)[.\s]*$")
_MEMBER_RE = re.compile(r"^((?:[A-Z][a-z]?(?:\.-?|-)\s?)+)\s*([^\s.].*)$")
_NOTE_RE = re.compile(r"\b(?:contributed equally|equal(?:ly)? contribut)", re.I)
# "Publication date" as a spreadsheet program re-saves it: "29/11/2022" (or "11/29/2022").
_SLASH_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
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


def _top_level(value: str) -> tuple[list[str], list[str], bool]:
    """The ``;``-separated parts of ``value`` outside parentheses, and each part's parenthesised groups.

    Returns the parts with their groups taken out, for each part the groups' texts, and whether the
    cell ends inside an open parenthesis (Dimensions cuts long cells short: "Lee, Ann (Univ X; Dep").
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
    return names, ["\x00".join(groups) for _, groups in parts], depth > 0


def _split_outside_parentheses(text: str) -> list[str]:
    """``text`` split at the ``;`` that are outside parentheses.

    Examples
    --------
    >>> _split_outside_parentheses("Univ A (S. Lee; C. Wu); Univ B")
    ['Univ A (S. Lee; C. Wu)', ' Univ B']
    """
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += (char == "(") - (char == ")" and depth > 0)
        if char == ";" and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    return [*parts, text[start:]]


def _affiliation(text: str) -> str | None:
    """A raw affiliation without the contact details Dimensions leaves in it; None when nothing else is left.

    Examples
    --------
    >>> [_affiliation(t) for t in ("E-Mails:, ann@uni.pl, (A.L.)", ", bo@x.cn", "email: ann@wisc.edu.",
    ...                            "These authors contributed equally to this work.", "Univ Utah, USA")]
    [None, None, None, None, 'Univ Utah, USA']
    >>> _affiliation("Hokkaido University, Sapporo, Japan. Electronic address: ann@hokudai.ac.jp.")
    'Hokkaido University, Sapporo, Japan.'
    >>> _affiliation("Univ Heidelberg, 68135 Mannheim, Germany e-mail: a@uni.de, Tel.: +49-621-38, Fax: +49-621-31")
    'Univ Heidelberg, 68135 Mannheim, Germany'
    """
    contact = _CONTACT_START_RE.search(text)
    if contact:
        text = text[: contact.start()].rstrip(" ,;:")
    if _NOTE_RE.search(text) or not any(char.isalpha() for char in _CONTACT_RE.sub(" ", text)):
        return None
    return text


def _members(affiliation: str) -> tuple[str, list[tuple[str, str]] | None]:
    """The affiliation without the people it names at its end, and those people as (initial, family).

    Examples
    --------
    >>> _members("CDC, Kampala, Uganda (J.R. Harris, T. Nsibambi)")
    ('CDC, Kampala, Uganda', [('j', 'harris'), ('t', 'nsibambi')])
    >>> _members("Sant Pau Institute of Biomedical Research (IIB-Sant Pau)")
    ('Sant Pau Institute of Biomedical Research (IIB-Sant Pau)', None)
    """
    found = _MEMBER_LIST_RE.search(affiliation)
    entries = [_MEMBER_RE.match(clean_space(e)) for e in re.split(r"[,;]", found[1])] if found else []
    if not entries or not all(entries):
        return affiliation, None
    people = [(m[1][0].casefold(), clean_space(m[2]).casefold()) for m in entries if m]
    return affiliation[: found.start()].rstrip(" ,;") if found else affiliation, people


def _is_member(name: str, people: list[tuple[str, str]]) -> bool:
    """Whether the author printed "Family, Given" is one of ``people`` (same family name and first initial)."""
    family, _, given = (clean_space(part) for part in name.partition(","))
    return any(family.casefold() == last and (not given or given[0].casefold() == first) for first, last in people)


def _raw_affiliations(value: str | None) -> list[tuple[str, tuple[str, ...]]]:
    """``(name, affiliations)`` of each "Family, Given (Affiliation; Affiliation)" part.

    A cell cut short inside its last parenthesis loses that group's last, unfinished affiliation; an
    affiliation that ends with the people it belongs to ("(J.R. Harris, T. Nsibambi)") goes to them only.
    """
    names, groups, cut = _top_level(value or "")
    out = []
    for index, (name, joined) in enumerate(zip(names, groups, strict=True)):
        pieces = [_split_outside_parentheses(group) for group in joined.split("\x00")]
        if cut and index == len(names) - 1 and pieces:
            pieces[-1] = pieces[-1][:-1]
        affiliations = []
        for text in filter(None, (_affiliation(clean_space(a)) for piece in pieces for a in piece if a.strip())):
            text, people = _members(text)
            if people is None or _is_member(name, people):
                affiliations.append(text)
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


def _slash_order(rows: list[tuple[int, Row]]) -> str | None:
    """ "dmy" or "mdy" when the file's slashed dates ("29/11/2022") show which comes first; else None.

    One export is written in one order: a first number above 12 makes it day-first, a second one
    month-first; a file that shows neither (or both) is ambiguous, and its slashed dates keep the year only.

    Examples
    --------
    >>> from kg.extractors.common.csvdoc import read_table
    >>> _slash_order(read_table("Publication date\\n01/09/2022\\n29/11/2022\\n").rows)
    'dmy'
    >>> _slash_order(read_table("Publication date\\n01/09/2022\\n").rows) is None
    True
    """
    day_first = month_first = False
    for _, row in rows:
        match = _SLASH_DATE_RE.match(row.get("Publication Date") or "")
        if match:
            day_first |= int(match[1]) > 12
            month_first |= int(match[2]) > 12
    return "dmy" if day_first and not month_first else "mdy" if month_first and not day_first else None


def _date(row: Row, order: str | None) -> str | None:
    """ "Publication date" as ISO ("2022-11-29", "2022-06", "2022"), else "PubYear"."""
    printed = row.get("Publication Date") or ""
    match = _SLASH_DATE_RE.match(printed)
    if match is None:
        return iso_date(printed) or iso_date(row.get("PubYear"))
    first, second, year = int(match[1]), int(match[2]), match[3]
    day, month = (first, second) if order == "dmy" else (second, first) if order == "mdy" else (0, 0)
    try:
        return datetime.date(int(year), month, day).isoformat()
    except ValueError:  # no order known, or no such day
        return year


def _record(row: Row, line: int, source: str, order: str | None = None) -> Record | None:
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
    keywords = unique(split_cell(row.get("Keywords")))
    if keywords:
        extra["keywords"] = keywords
    fields = split_cell(row.get("Fields of Research (ANZSRC 2020)", "FOR (ANZSRC) Categories"))
    if fields:
        extra["fields_of_research"] = fields
    scheme = "anzsrc-for-2020" if row.get("Fields of Research (ANZSRC 2020)") else "anzsrc-for-2008"
    found = subjects("mesh", labels=split_cell(row.get("MeSH terms"))) + coded_labels(scheme, fields)
    if found:
        extra["subjects"] = found
    # "Bradshaw, Alexander J. (University of Utah; University of Utah); Dentinger, ..." : the names.
    corresponding = [name for name in _top_level(row.get("Corresponding Authors", "Corresponding Author") or "")[0]
                     if name]  # fmt: skip
    if corresponding:
        extra["corresponding_authors"] = corresponding
    if split_cell(row.get("Funder")):
        extra["funders"] = split_cell(row.get("Funder"))
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
        date=_date(row, order),
        venue=row.get("Source title", "Anthology title", "Source title/Anthology title"),
        abstract=abstract,
        ids=ids,
        source=SourceRef(source, line, FORMAT),
        extra=extra,
    )


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    table = read_table(blank_first_line(text, _PREAMBLE))
    order = _slash_order(list(table.rows))
    return records_of_rows(table.rows, lambda row, line: _record(row, line, source, order))


EXTRACTOR = Extractor(
    name=FORMAT,
    description="Dimensions.ai publication CSV exports (raw affiliations per author, Dimensions IDs)",
    detect=detect,
    extract=extract,
)
