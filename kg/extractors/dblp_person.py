"""A dblp person page as XML (``https://dblp.org/pid/XX/YYYY.xml``): ``<dblpperson>`` with one ``<r>`` per
publication.

Each ``<r>`` holds one publication element in the shape of dblp's dump (``<article>``, ``<inproceedings>``,
``<proceedings>``, ...) and is read by :func:`kg.extractors.dblp_xml.read_record`: homonym numbers stay in
names ("Di Xu 0001"), the dblp key and the DOI from ``<ee>`` are kept. Person pages also give each author's
``pid`` and ``orcid`` attributes: ORCIDs go on the authors, pids (in author order) in
``extra["dblp_author_pids"]``. An arXiv ``<ee>`` gives the arXiv id. An edited volume names
``<editor>`` elements, not authors: they are kept in ``extra["editors"]``. dblp ends every title with a period,
which is dropped (a title ending in "..." keeps it).

The page is one person's list of papers, and every record names that person, the page's owner:
``extra["page_owner"]`` is the name dblp gives the page (``<dblpperson name="...">``, else its
``<person>`` record's ``<author>``), homonym number kept as dblp prints it ("Di Xu 0001"); where the
page gives the owner's ORCID iD (an orcid.org ``<url>`` of the ``<person>`` record, else the one
``orcid`` its publications give the author with the page's ``pid``), ``extra["page_owner_orcid"]``
holds it, bare. The owner's place in each author list is the one dblp prints. A disambiguation page
(``<person publtype="disambiguation">``: the papers of several people of one name) and a group's page
name no owner.

The page's own profile (``<person>``), its ``<homonyms>`` and ``<coauthors>`` are no papers. The root's
``n`` attribute counts the publications: a page with fewer ``<r>`` than that was saved incompletely, and a
note says so. Only the XML export is read; the person page's HTML is not this format.

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
>>> r.extra["dblp_author_pids"], notes
(['l/MichaelLey'], [])
>>> r.extra["page_owner"], r.extra["page_owner_orcid"]
('Michael Ley', '0000-0001-7580-4351')
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from kg.errors import InputError, KgError
from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.xmldoc import child_text, children, local_name, parse_xml, sniff_root
from kg.extractors.dblp_xml import read_record
from kg.records import AuthorRef, Record

FORMAT = "dblp-person"
_ORCID_RE = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]")
_ARXIV_RE = re.compile(r"arxiv\.org/abs/(.+?)(?:v\d+)?$")
# A person record of these kinds is no one person: a page of several homonyms, or of a group.
_NOT_ONE_PERSON = {"disambiguation", "group"}


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


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _person_details(record: Record, element) -> Record:
    """``record`` with what a person page adds to the dump's shape: ORCIDs, pids, editors, arXiv id, publtype.

    Examples
    --------
    >>> element = parse_xml('<proceedings key="conf/x/2020"><editor pid="1/2">Ann Lee 0002</editor>'
    ...                     '<title>X 2020.</title><ee>https://arxiv.org/abs/2001.00001v2</ee></proceedings>')
    >>> r = _person_details(read_record(element, "p.xml", FORMAT), element)
    >>> r.authors, r.ids, r.extra["editors"], r.extra["dblp_editor_pids"]
    ((), {'dblp': 'conf/x/2020', 'arxiv': '2001.00001'}, ['Ann Lee 0002'], ['1/2'])
    """
    nodes = [a for a in children(element, "author") if _text(a)]
    authors = list(record.authors)
    if len(nodes) == len(authors):
        for index, (author, node) in enumerate(zip(authors, nodes, strict=True)):
            match = _ORCID_RE.search(node.get("orcid") or "")
            if match:
                authors[index] = AuthorRef(author.name, orcid=match.group(0))
    extra: dict[str, Any] = dict(record.extra)
    pids = [node.get("pid") for node in nodes]
    if any(pids):
        extra["dblp_author_pids"] = pids
    editors = [e for e in children(element, "editor") if _text(e)]
    if editors:
        extra["editors"] = [_text(e) for e in editors]
        if any(e.get("pid") for e in editors):
            extra["dblp_editor_pids"] = [e.get("pid") for e in editors]
    if element.get("publtype"):
        extra["publtype"] = element.get("publtype")
    ee = [_text(e) for e in children(element, "ee") if _text(e)]
    if ee:
        extra["ee"] = ee
    for field in ("volume", "number", "pages"):
        value = child_text(element, field)
        if value:
            extra[field] = value
    ids = dict(record.ids)
    arxiv = next((m.group(1) for m in map(_ARXIV_RE.search, ee) if m), None)
    if arxiv:
        ids["arxiv"] = arxiv
    return dataclasses.replace(record, authors=tuple(authors), ids=ids, extra=extra)


def _owner(root) -> dict[str, str]:
    """``page_owner`` and ``page_owner_orcid`` of a person page (see the module's docstring).

    Examples
    --------
    >>> _owner(parse_xml('<dblpperson pid="95/7448-1"><person key="homepages/95/7448-1">'
    ...                  '<author pid="95/7448-1">Di Xu 0001</author></person></dblpperson>'))
    {'page_owner': 'Di Xu 0001'}
    >>> _owner(parse_xml('<dblpperson name="Di Xu" pid="95/7448"><person key="homepages/95/7448"'
    ...                  ' publtype="disambiguation"><author pid="95/7448">Di Xu</author></person></dblpperson>'))
    {}
    """
    person = next(iter(children(root, "person")), None)
    if person is not None and person.get("publtype") in _NOT_ONE_PERSON:
        return {}
    names = [_text(a) for a in children(person, "author")] if person is not None else []
    name = " ".join((root.get("name") or "").split()) or next((n for n in names if n), "")
    owner = {"page_owner": name} if name else {}
    urls = [_text(u) for u in children(person, "url")] if person is not None else []
    orcids = {m.group(0) for u in urls if "orcid.org/" in u for m in [_ORCID_RE.search(u)] if m}
    if not orcids and root.get("pid"):
        for r in children(root, "r"):
            for element in r:
                for author in children(element, "author") if isinstance(element.tag, str) else []:
                    match = _ORCID_RE.search(author.get("orcid") or "")
                    if match and author.get("pid") == root.get("pid"):
                        orcids.add(match.group(0))
    if len(orcids) == 1:
        owner["page_owner_orcid"] = orcids.pop()
    return owner


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
            if (element.get("key") or "").startswith("homepages/"):  # a person record, not a publication
                continue
            entries += 1
            record = read_record(element, source, FORMAT)
            if record is None:
                skipped += 1
            else:
                records.append(_person_details(record, element))
    owner = _owner(root)
    records = [dataclasses.replace(r, extra={**r.extra, **owner}) for r in records]
    notes = [f"{skipped} record(s) without a title skipped"] if skipped else []
    person = root.get("name") or root.get("pid") or "this person"
    stated = root.get("n") or ""
    if stated.isdigit() and entries < int(stated):
        notes.append(
            f"the dblp person page of {person} says it lists {stated} publication(s) but holds {entries}: "
            "it was saved incompletely"
        )
    if not entries:
        keys = children(root, "dblpkey")
        if keys:
            notes.append(
                f"a pre-2016 dblp key list of {person} ({len(keys)} <dblpkey>, no titles): "
                "save the person's page as XML (https://dblp.org/pid/<pid>.xml) to read the papers"
            )
        else:
            notes.append(f"the dblp person page of {person} lists no publication (no <r> entries)")
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="dblp person page XML (<dblpperson>: one record per <r> publication; homonym numbers, ORCIDs)",
    detect=detect,
    extract=extract,
)
