"""dblp XML (the dump's format): publication records with ``<author>``, ``<title>``, ``<year>``, ``<ee>``.

The dump is ISO-8859-1 and uses HTML entities that only its DTD declares; they
are read without the DTD. Names keep dblp's homonym numbers ("Markus Schmitt
0002"): two numbers are two people, and the resolver knows it.
"""

from __future__ import annotations

import re

from kg.errors import InputError, KgError
from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.xmldoc import child_text, children, local_name, parse_xml, sniff_root
from kg.records import AuthorRef, Record, SourceRef

FORMAT = "dblp-xml"
_PUBLICATIONS = {"article", "inproceedings", "proceedings", "book", "incollection", "phdthesis", "mastersthesis", "www"}
DOI_LINK_RE = re.compile(r"(?:doi\.org|doi\.acm\.org|doi\.ieeecomputersociety\.org)/(10\.\d+/.+)$")


def detect(text: str) -> float:
    return 1.0 if sniff_root(text) == "dblp" else 0.0


def dblp_title(title: str) -> str:
    """A dblp title without the one period dblp closes every title with (an ellipsis is the title's own).

    Examples
    --------
    >>> dblp_title("DBLP - Some Lessons Learned."), dblp_title("Why?"), dblp_title("All You Need...")
    ('DBLP - Some Lessons Learned', 'Why?', 'All You Need...')
    """
    return title[:-1] if title.endswith(".") and not title.endswith("...") else title


def read_record(element, source: str, fmt: str = FORMAT) -> Record | None:
    """The record of one dblp publication element (``<article>``, ``<inproceedings>``, ...); None without a title.

    Shared with :mod:`kg.extractors.dblp_person`, whose ``<r>`` children have the same shape.

    Examples
    --------
    >>> element = parse_xml('<article key="k/1"><author>A B 0002</author><title>T.</title><year>2019</year></article>')
    >>> r = read_record(element, "x.xml")
    >>> r.title, r.authors[0].name, r.date, r.ids
    ('T', 'A B 0002', '2019', {'dblp': 'k/1'})
    """
    title = child_text(element, "title")
    if not title:
        return None
    authors = [" ".join("".join(a.itertext()).split()) for a in children(element, "author")]
    ids = {"dblp": element.get("key")} if element.get("key") else {}
    for ee in children(element, "ee"):
        match = DOI_LINK_RE.search((ee.text or "").strip())
        if match:
            ids["doi"] = match.group(1)
            break
    year = child_text(element, "year")
    return Record(
        title=dblp_title(title),
        authors=tuple(AuthorRef(a) for a in authors if a),
        date=year if year and re.fullmatch(r"\d{4}", year) else None,
        venue=child_text(element, "booktitle") or child_text(element, "journal") or child_text(element, "series"),
        ids=ids,
        source=SourceRef(source, element.sourceline or 1, fmt),
        extra={"dblp_type": local_name(element)},
    )


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    try:
        root = parse_xml(text, html_entities=True)
    except KgError as error:
        raise InputError(source, str(error)) from None
    records, skipped = [], 0
    for element in root:
        if local_name(element) not in _PUBLICATIONS or local_name(element) == "www":
            continue
        record = read_record(element, source, FORMAT)
        if record is None:
            skipped += 1
        else:
            records.append(record)
    notes = [f"{skipped} record(s) without a title skipped"] if skipped else []
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="dblp XML (ISO-8859-1, HTML entities without the DTD, homonym numbers kept)",
    detect=detect,
    extract=extract,
)
