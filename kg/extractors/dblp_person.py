"""A dblp person page as XML (``https://dblp.org/pid/XX/YYYY.xml``): ``<dblpperson>`` with one ``<r>`` per
publication.

Each ``<r>`` holds one publication element in the shape of dblp's dump (``<article>``, ``<inproceedings>``,
...) and is read by :func:`kg.extractors.dblp_xml.read_record`: homonym numbers stay in names, the dblp key
and the DOI from ``<ee>`` are kept. Person pages also give an author's ``orcid`` attribute, which is kept
here. The ``<person>`` element (the page's own profile) and ``<coauthors>`` are no papers.

Examples
--------
>>> text = '''<?xml version="1.0"?>
... <dblpperson name="Michael Ley" pid="l/MichaelLey" n="1">
... <r><article key="journals/pvldb/Ley09"><author orcid="0000-0001-7580-4351" pid="l/MichaelLey">Michael Ley</author>
... <title>DBLP - Some Lessons Learned.</title><year>2009</year><journal>Proc. VLDB Endow.</journal></article></r>
... </dblpperson>'''
>>> records, notes = extract(text, "ley.xml", ExtractOptions())
>>> r = records[0]
>>> r.title, r.authors[0].orcid, r.date, r.venue, r.ids, r.source.line
('DBLP - Some Lessons Learned', '0000-0001-7580-4351', '2009', 'Proc. VLDB Endow.', {'dblp': 'journals/pvldb/Ley09'}, 3)
"""

from __future__ import annotations

import dataclasses
import re

from kg.errors import InputError, KgError
from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.xmldoc import children, local_name, parse_xml, sniff_root
from kg.extractors.dblp_xml import read_record
from kg.records import AuthorRef, Record

FORMAT = "dblp-person"
_ORCID_RE = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]")


def detect(text: str) -> float:
    """1.0 for a document whose root is ``<dblpperson>``.

    Examples
    --------
    >>> detect('<?xml version="1.0"?>\\n<dblpperson name="A" pid="1/1"><r/></dblpperson>')
    1.0
    >>> detect('<dblp><article/></dblp>')
    0.0
    """
    return 1.0 if sniff_root(text) == "dblpperson" else 0.0


def _with_orcids(record: Record, element) -> Record:
    """The record with each author's ``orcid`` attribute (read_record keeps names only)."""
    nodes = [a for a in children(element, "author") if " ".join("".join(a.itertext()).split())]
    if len(nodes) != len(record.authors):
        return record
    authors = []
    for author, node in zip(record.authors, nodes, strict=True):
        match = _ORCID_RE.search(node.get("orcid") or "")
        authors.append(AuthorRef(author.name, orcid=match.group(0)) if match else author)
    return dataclasses.replace(record, authors=tuple(authors))


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    try:
        root = parse_xml(text, html_entities=True)
    except KgError as error:
        raise InputError(source, str(error)) from None
    records, skipped, entries = [], 0, 0
    for r in children(root, "r"):
        for element in r:
            if not isinstance(element.tag, str) or local_name(element) == "www":
                continue
            entries += 1
            record = read_record(element, source, FORMAT)
            if record is None:
                skipped += 1
            else:
                records.append(_with_orcids(record, element))
    notes = [f"{skipped} record(s) without a title skipped"] if skipped else []
    if not entries:
        person = root.get("name") or root.get("pid") or "this person"
        notes.append(f"the dblp person page of {person} lists no publication (no <r> entries)")
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="dblp person page XML (<dblpperson>: one record per <r> publication; homonym numbers, ORCIDs)",
    detect=detect,
    extract=extract,
)
