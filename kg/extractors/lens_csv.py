"""Lens.org scholarly-works "Export > CSV" files (``lens-export.csv``).

Multi-valued cells are ``; ``-separated. Authors come from "Author/s" ("First Last; First Last",
as printed: a person Lens lists twice, in Latin and in CJK script, stays twice); the date from
"Date Published" (ISO) else "Publication Year"; keywords from "Keywords"; "MeSH Terms" (their
``/qualifier`` parts dropped) as ``mesh`` ``subjects``; "Fields of Study" (machine-assigned) as
``fields_of_study``; "References" (Lens IDs of the cited works) as
``references`` entries ``{"lens": ID}``; the Lens ID is ``ids["lens"]``.

Examples
--------
>>> text = ('Lens ID,Title,Date Published,Publication Year,Source Title,Author/s,DOI,PMID,References\\n'
...         '000-122-946-719-709,Recent progress in road and lane detection: a survey,2012-02-07,2012,'
...         'Machine Vision and Applications,Aharon Bar Hillel; Ronen Lerner,10.1007/s00138-011-0404-2,,'
...         '028-396-621-844-004; 074-722-268-937-945\\n')
>>> detect(text) > 0.5  # above the generic reader's best
True
>>> [record], notes = extract(text, "lens-export.csv", ExtractOptions())
>>> [a.name for a in record.authors], record.date, record.ids["lens"]
(['Aharon Bar Hillel', 'Ronen Lerner'], '2012-02-07', '000-122-946-719-709')
>>> record.extra["references"]
[{'lens': '028-396-621-844-004'}, {'lens': '074-722-268-937-945'}]
"""

from __future__ import annotations

import re

from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.csvdoc import Row, has_columns, header_names, read_table, records_of_rows, split_cell, unique
from kg.extractors.common.jsondoc import iso_date
from kg.extractors.common.subjects import mesh_heading, subjects
from kg.records import AuthorRef, Record, SourceRef

FORMAT = "lens-csv"
_COLUMNS = ("Lens ID", "Author/s", "Source Title", "Publication Type", "Citing Works Count", "Fields of Study")
_LENS_ID_RE = re.compile(r"^\d{3}-\d{3}-\d{3}-\d{3}-\d{3}$")
_ISSN_RE = re.compile(r"^(\d{4})-?(\d{3}[\dXx])$")


def detect(text: str) -> float:
    header = header_names(text)
    if not has_columns(header, "Lens ID"):
        return 0.0
    return 0.95 if has_columns(header, *_COLUMNS) >= 4 else 0.6


def _issn(value: str | None) -> str | None:
    for part in split_cell(value):
        match = _ISSN_RE.match(part)
        if match:
            return f"{match.group(1)}-{match.group(2).upper()}"
    return None


def _record(row: Row, line: int, source: str) -> Record | None:
    title, abstract = row.get("Title"), row.get("Abstract")
    if not (title or abstract):
        return None
    ids = {}
    for key, column in (("lens", "Lens ID"), ("doi", "DOI"), ("pmid", "PMID"), ("pmcid", "PMCID")):
        if row.get(column):
            ids[key] = row.get(column) or ""
    mag = split_cell(row.get("Microsoft Academic ID"))
    if mag:
        ids["mag"] = mag[0]
    issn = _issn(row.get("ISSNs"))
    if issn:
        ids["issn"] = issn
    extra: dict = {}
    keywords = unique(split_cell(row.get("Keywords")))
    if keywords:
        extra["keywords"] = keywords
    mesh = subjects("mesh", labels=[mesh_heading(h) for h in split_cell(row.get("MeSH Terms"))])
    if mesh:
        extra["subjects"] = mesh
    fields = split_cell(row.get("Fields of Study"))
    if fields:
        extra["fields_of_study"] = fields
    references = [{"lens": ref} for ref in split_cell(row.get("References")) if _LENS_ID_RE.match(ref)]
    if references:
        extra["references"] = references
    if row.get("Publication Type"):
        extra["document_type"] = row.get("Publication Type")
    return Record(
        title=title,
        authors=tuple(AuthorRef(name) for name in split_cell(row.get("Author/s"))),
        date=iso_date(row.get("Date Published")) or iso_date(row.get("Publication Year")),
        venue=row.get("Source Title"),
        abstract=abstract,
        ids=ids,
        source=SourceRef(source, line, FORMAT),
        extra=extra,
    )


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    return records_of_rows(read_table(text).rows, lambda row, line: _record(row, line, source))


EXTRACTOR = Extractor(
    name=FORMAT,
    description="Lens.org scholarly CSV exports (Lens IDs, cited works as Lens IDs, MeSH terms)",
    detect=detect,
    extract=extract,
)
