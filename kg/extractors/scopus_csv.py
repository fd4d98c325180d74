"""Scopus "Export > CSV" files: one row per document, English or localised headers.

Authors come from "Author full names" ("Family, Given (Scopus id)") when the export
has it, else from "Authors" ("Family I.", joined by ``; `` or, in older exports, ``, ``),
written "Family, I." so the family name is not taken for a given name. Per-author
affiliations come from "Authors with affiliations"; "References" become ``references``
entries (the text as printed and the parts it tells: first author, year, title, source,
volume, first page, DOI; :mod:`kg.extractors.common.scopus_references`). The record's own
volume, pages ("Page start"-"Page end", else the article number, which older references print
as the page) and abbreviated source title let other references find it by
``family|year|volume|page``; the EID is ``ids["scopus"]``. A Traditional-Chinese export whose
first column is mislabelled "Author Keywords" (作者關鍵字) but holds the authors is read as authors.

Examples
--------
>>> text = ('"Authors","Author full names","Title","Year","Source title","DOI","EID"\\n'
...         '"Xu K.; Ba J.","Xu, Kelvin (1); Ba, Jimmy (2)","Show, Attend and Tell","2015","ICML",'
...         '"10.5555/x","2-s2.0-1"\\n')
>>> detect(text) >= 0.9
True
>>> [record], notes = extract(text, "scopus.csv", ExtractOptions())
>>> [(a.name, a.given, a.family) for a in record.authors]
[('Xu, Kelvin', 'Kelvin', 'Xu'), ('Ba, Jimmy', 'Jimmy', 'Ba')]
>>> record.date, record.venue, record.ids
('2015', 'ICML', {'doi': '10.5555/x', 'scopus': '2-s2.0-1'})
>>> record.extra["scopus_author_ids"]
['1', '2']
"""

from __future__ import annotations

import re

from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.csvdoc import Row, has_columns, header_names, read_table, records_of_rows, split_cell, unique
from kg.extractors.common.jsondoc import iso_date
from kg.extractors.common.scopus_references import scopus_reference
from kg.records import AuthorRef, Record, SourceRef
from kg.text import clean_space

FORMAT = "scopus-csv"
# Columns only a Scopus export has (English interface).
_SCOPUS_COLUMNS = (
    "Author(s) ID",
    "Author full names",
    "Source title",
    "EID",
    "Authors with affiliations",
    "Index Keywords",
    "Publication Stage",
    "Correspondence Address",
    "Abbreviated Source Title",
    "Language of Original Document",
)
# Localised header names seen in real exports (Traditional Chinese), as the English ones.
_ALIASES = {
    "作者": "Authors",
    "作者關鍵字": "Author Keywords",
    "書名": "Book title",
    "年份": "Year",
    "來源出版物名稱": "Source title",
    "施引文獻": "Cited by",
    "連結": "Link",
    "文獻類型": "Document Type",
    "來源出版物": "Source",
}
_INITIALS_RE = re.compile(r"^(?:[^\W\d_]{1,3}\.)(?:[-\u2010\u2011]?[^\W\d_]{1,3}\.)*$")
_FULL_NAME_RE = re.compile(r"^(?P<name>.*?)\s*\((?P<id>\d+)\)$")
_NO_ABSTRACT = "[no abstract available]"


def _canonical(name: str) -> str:
    return _ALIASES.get(name, name)


def detect(text: str) -> float:
    header = [_canonical(h) for h in header_names(text)]
    if not header:
        return 0.0
    hits = has_columns(header, *_SCOPUS_COLUMNS)
    if hits >= 2 and has_columns(header, "Title", "Authors"):
        return 0.95
    # A short export (authors, title, year, source title, link...): Scopus's own record links.
    if has_columns(header, "Source title", "Link") == 2 and "scopus.com/inward/record.uri" in text[:20_000]:
        return 0.9
    return 0.0


def _split_authors(value: str | None) -> list[str]:
    if not value:
        return []
    return split_cell(value, ";" if ";" in value else ",")


def _abbreviated(name: str) -> AuthorRef:
    """ "Ma K.-L." as "Ma, K.-L." (family first, as Scopus prints it); a name without initials as printed."""
    family, _, initials = name.rpartition(" ")
    if family and _INITIALS_RE.match(initials):
        return AuthorRef(f"{family}, {initials}", given=initials, family=family)
    return AuthorRef(name)


def _full(entry: str) -> tuple[AuthorRef, str | None]:
    """ "Bernardelli, Luan Vinicius (57195606432)" as an author and the Scopus author id."""
    match = _FULL_NAME_RE.match(entry)
    name, author_id = (match["name"], match["id"]) if match else (entry, None)
    family, sep, given = name.partition(", ")
    if sep and family.strip() and given.strip():
        return AuthorRef(name, given=given.strip(), family=family.strip()), author_id
    return AuthorRef(name), author_id


def _looks_like_author_lists(values: list[str]) -> bool:
    names = [n for v in values for n in _split_authors(v)][:200]
    shaped = sum(1 for n in names if _INITIALS_RE.match(n.rpartition(" ")[2]) and " " in n)
    return bool(names) and shaped >= 0.8 * len(names)


def _affiliations(row: Row, abbreviated: list[str], count: int) -> list[tuple[str, ...]] | None:
    """Per-author affiliations from "Authors with affiliations" ("Xu K., Dept..., City; Ba J., ..."), in order."""
    entries = split_cell(row.get("Authors with affiliations"))
    if not entries or len(entries) != count:
        return None
    out = []
    for index, entry in enumerate(entries):
        short = abbreviated[index] if index < len(abbreviated) else ""
        rest = entry[len(short) :] if short and entry.startswith(short) else entry.partition(", ")[2]
        rest = clean_space(rest.lstrip(", "))
        out.append((rest,) if rest else ())
    return out


def _record(row: Row, line: int, source: str, authors_column: str) -> Record | None:
    title = row.get("Title", "Book title")
    abstract = row.get("Abstract")
    if abstract and abstract.casefold() == _NO_ABSTRACT:
        abstract = None
    if not (title or abstract):
        return None
    abbreviated = _split_authors(row.get(authors_column))
    full = split_cell(row.get("Author full names"))
    extra: dict = {}
    if full and (not abbreviated or len(full) == len(abbreviated)):
        pairs = [_full(entry) for entry in full]
        authors = [author for author, _ in pairs]
        author_ids = [author_id for _, author_id in pairs]
    else:
        authors = [_abbreviated(name) for name in abbreviated]
        author_ids = split_cell(row.get("Author(s) ID"))
    if author_ids and len(author_ids) == len(authors) and all(author_ids):
        extra["scopus_author_ids"] = author_ids
    per_author = _affiliations(row, abbreviated, len(authors))
    orgs: tuple[str, ...] = ()
    if per_author:
        authors = [
            AuthorRef(a.name, affs, a.orcid, a.given, a.family) for a, affs in zip(authors, per_author, strict=True)
        ]
    else:
        orgs = tuple(dict.fromkeys(split_cell(row.get("Affiliations"))))
    ids = {}
    for key, column in (("doi", "DOI"), ("scopus", "EID"), ("pmid", "PubMed ID"), ("issn", "ISSN")):
        if row.get(column):
            ids[key] = row.get(column) or ""
    isbns = split_cell(row.get("ISBN"))
    if isbns:
        ids["isbn"] = isbns[0]
    keywords = unique(split_cell(row.get("Author Keywords")) + split_cell(row.get("Index Keywords")))
    if authors_column == "Author Keywords":
        keywords = []
    if keywords:
        extra["keywords"] = keywords
    references = [scopus_reference(text) for text in split_cell(row.get("References"))]
    if references:
        extra["references"] = references
    for key, column in (
        ("document_type", "Document Type"),
        ("language", "Language of Original Document"),
        ("volume", "Volume"),
        ("venue_abbreviation", "Abbreviated Source Title"),  # as cited references print the venue
    ):
        if row.get(column):
            extra[key] = row.get(column)
    pages = "-".join(p for p in (row.get("Page start"), row.get("Page end")) if p) or row.get("Art. No.")
    if pages:
        extra["pages"] = pages  # the first page, or the article number (old-layout references print it there)
    return Record(
        title=title,
        authors=tuple(authors),
        orgs=orgs,
        date=iso_date(row.get("Year")),
        venue=row.get("Source title"),
        abstract=abstract,
        ids=ids,
        source=SourceRef(source, line, FORMAT),
        extra=extra,
    )


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    table = read_table(text)
    header = [_canonical(h) for h in table.header]
    rows = [(line, Row({_canonical_key(k): v for k, v in row.cells.items()})) for line, row in table.rows]
    notes = []
    authors_column = "Authors"
    if (
        not has_columns(header, "Authors", "Author full names")
        and has_columns(header, "Author Keywords")
        and _looks_like_author_lists([row.get("Author Keywords") or "" for _, row in rows[:50]])
    ):
        authors_column = "Author Keywords"
        notes.append(
            "the column labelled as author keywords holds author names (a localised Scopus export): read as authors"
        )
    records, row_notes = records_of_rows(rows, lambda row, line: _record(row, line, source, authors_column))
    return records, [*notes, *row_notes]


def _canonical_key(key: str) -> str:
    return next((english.casefold() for local, english in _ALIASES.items() if local.casefold() == key), key)


EXTRACTOR = Extractor(
    name=FORMAT,
    description="Scopus CSV exports (full names with Scopus ids, per-author affiliations, references, EID)",
    detect=detect,
    extract=extract,
)
