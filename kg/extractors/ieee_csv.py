"""IEEE Xplore "Export > CSV" search results: one row per document.

Authors are ``; ``-separated ("I. Pratama; W. Gambetta"); "Author Affiliations" is
``; ``-separated too and aligned with the authors when the counts match (else the
affiliations are the paper's ``orgs``). Keywords are the author keywords (without the
literal "Keywords" some exports start them with), IEEE Terms, INSPEC controlled terms and
MeSH terms; the article number of the PDF link is ``ids["ieee"]``.

Examples
--------
>>> text = ('"Document Title",Authors,"Author Affiliations","Publication Title","Publication_Year",'
...         '"DOI",PDF Link,"Author Keywords"\\n'
...         '"Deep Residual Learning","K. He; X. Zhang","MSRA, Beijing; MSRA, Beijing","CVPR","2016",'
...         '"10.1109/cvpr.2016.90","https://ieeexplore.ieee.org/stamp/stamp.jsp?arnumber=7780459",'
...         '"Keywords residual;deep learning"\\n')
>>> detect(text) >= 0.9
True
>>> [record], notes = extract(text, "ieee.csv", ExtractOptions())
>>> [(a.name, a.affiliations) for a in record.authors]
[('K. He', ('MSRA, Beijing',)), ('X. Zhang', ('MSRA, Beijing',))]
>>> record.date, record.ids, record.extra["keywords"]
('2016', {'doi': '10.1109/cvpr.2016.90', 'ieee': '7780459'}, ['residual', 'deep learning'])
"""

from __future__ import annotations

import html
import re

from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.csvdoc import Row, has_columns, header_names, read_table, records_of_rows, split_cell, unique
from kg.extractors.common.jsondoc import iso_date
from kg.records import AuthorRef, Record, SourceRef

FORMAT = "ieee-csv"
_IEEE_COLUMNS = (
    "Author Affiliations",
    "IEEE Terms",
    "PDF Link",
    "Date Added To Xplore",
    "INSPEC Controlled Terms",
    "Document Identifier",
    "Article Citation Count",
)
_ARNUMBER_RE = re.compile(r"arnumber=(\d+)")
_ISBN_RE = re.compile(r"(?:[\w ]+:)?\s*([\dXx-]{10,17})")
_KEYWORDS_PREFIX_RE = re.compile(r"^Keywords\s+")


def detect(text: str) -> float:
    header = header_names(text)
    if has_columns(header, "Document Title", "Authors") < 2:
        return 0.0
    hits = has_columns(header, *_IEEE_COLUMNS)
    return 0.95 if hits >= 2 else 0.6 if hits == 1 else 0.0


def _unescaped(value: str | None) -> str | None:
    """IEEE cells keep HTML character references ("&#x00D3;buda University")."""
    return html.unescape(value) if value and "&" in value else value


def _isbn(value: str | None) -> str | None:
    """The first ISBN of "Electronic:978-8-3608-1065-1; POD:978-1-4799-6747-6"."""
    for part in split_cell(value):
        match = _ISBN_RE.fullmatch(part)
        if match:
            return match.group(1)
    return None


def _record(row: Row, line: int, source: str) -> Record | None:
    title, abstract = _unescaped(row.get("Document Title")), _unescaped(row.get("Abstract"))
    if not (title or abstract):
        return None
    # Entities are decoded before splitting: the ";" of "&#x00D3;buda University" is no separator.
    names = split_cell(_unescaped(row.get("Authors")))
    affiliations = split_cell(_unescaped(row.get("Author Affiliations")))
    orgs: tuple[str, ...] = ()
    if names and len(affiliations) == len(names):
        authors = tuple(AuthorRef(name, (aff,)) for name, aff in zip(names, affiliations, strict=True))
    else:
        authors = tuple(AuthorRef(name) for name in names)
        orgs = tuple(dict.fromkeys(affiliations))
    ids = {}
    if row.get("DOI"):
        ids["doi"] = row.get("DOI") or ""
    arnumber = _ARNUMBER_RE.search(row.get("PDF Link") or "")
    if arnumber:
        ids["ieee"] = arnumber.group(1)
    issn = split_cell(row.get("ISSN"))
    if issn:
        ids["issn"] = issn[0]
    isbn = _isbn(row.get("ISBNs"))
    if isbn:
        ids["isbn"] = isbn
    author_keywords = _KEYWORDS_PREFIX_RE.sub("", row.get("Author Keywords") or "")
    keywords = split_cell(author_keywords)
    for column in ("IEEE Terms", "INSPEC Controlled Terms", "Mesh_Terms", "MeSH Terms"):
        keywords += split_cell(row.get(column))
    extra: dict = {}
    if keywords:
        extra["keywords"] = unique(keywords)
    if row.get("Document Identifier"):
        extra["document_type"] = row.get("Document Identifier")
    return Record(
        title=title,
        authors=authors,
        orgs=orgs,
        date=iso_date(row.get("Publication Year", "Publication_Year", "Year")),
        venue=row.get("Publication Title"),
        abstract=abstract,
        ids=ids,
        source=SourceRef(source, line, FORMAT),
        extra=extra,
    )


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    return records_of_rows(read_table(text).rows, lambda row, line: _record(row, line, source))


EXTRACTOR = Extractor(
    name=FORMAT,
    description="IEEE Xplore CSV exports (authors with aligned affiliations, IEEE/INSPEC terms)",
    detect=detect,
    extract=extract,
)
