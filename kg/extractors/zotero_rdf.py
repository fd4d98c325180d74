"""Zotero RDF exports ("Export Library > Zotero RDF"): RDF/XML in the ``bib:``, ``z:``, ``foaf:``, ``dc:``,
``dcterms:`` and ``prism:`` vocabularies, read with rdflib.

Every node with a ``z:itemType`` other than ``attachment`` or ``note`` is one record: ``dc:title``; the
``bib:authors`` sequence in order (``foaf:Person`` with ``foaf:surname``/``foaf:givenName``, or a
``foaf:Organization``'s ``foaf:name``; another primary role such as ``z:programmers`` when there is no
author); ``dc:date`` (free text: "2006", "12/2012", "April 9, 2006"); ``dcterms:abstract``; ``dc:subject``
tags as ``keywords``; ``dc:identifier`` ("DOI ...", "ISBN ...", "ISSN ...", a ``dcterms:URI``) as ids, also
those of the journal or book the item is part of (``dcterms:isPartOf``), whose title is the venue; the
"Extra" field's ``PMID:``/``WOS:``/``arXiv:`` lines. Attachments, notes, collections and journal nodes are
not papers. Each record's line is the line of its item's element.

The XML is first parsed safely (no DTD, no entities, no network) and only then handed to rdflib.

Examples
--------
>>> text = '''<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
...  xmlns:z="http://www.zotero.org/namespaces/export#" xmlns:dc="http://purl.org/dc/elements/1.1/"
...  xmlns:bib="http://purl.org/net/biblio#" xmlns:foaf="http://xmlns.com/foaf/0.1/">
...  <bib:Article rdf:about="#item_1"><z:itemType>journalArticle</z:itemType>
...   <bib:authors><rdf:Seq><rdf:li><foaf:Person><foaf:surname>Lee</foaf:surname>
...    <foaf:givenName>Ann</foaf:givenName></foaf:Person></rdf:li></rdf:Seq></bib:authors>
...   <dc:title>A fixture</dc:title><dc:date>April 2006</dc:date><dc:identifier>DOI 10.1000/x1</dc:identifier>
...  </bib:Article></rdf:RDF>'''
>>> records, notes = extract(text, "lib.rdf", ExtractOptions())
>>> r = records[0]
>>> r.title, r.authors[0].name, r.authors[0].given, r.date, r.ids, r.source.line
('A fixture', 'Ann Lee', 'Ann', '2006-04', {'doi': '10.1000/x1'}, 4)
"""

from __future__ import annotations

import datetime
import logging
import re

from kg.errors import InputError, KgError
from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.dates import MONTH_NAME, month_number
from kg.extractors.common.xmldoc import local_name, parse_xml, sniff_root
from kg.records import AuthorRef, Record, SourceRef
from kg.text import clean_space

FORMAT = "zotero-rdf"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_Z = "http://www.zotero.org/namespaces/export#"
_BIB = "http://purl.org/net/biblio#"
_FOAF = "http://xmlns.com/foaf/0.1/"
_DC = "http://purl.org/dc/elements/1.1/"
_DCTERMS = "http://purl.org/dc/terms/"
_NOT_PAPERS = {"attachment", "note"}
# Creator roles that stand for the authors of an item that has no bib:authors (Zotero's primary creator types).
_PRIMARY_ROLES = (
    "programmers", "artists", "directors", "inventors", "cartographers", "composers", "performers",
    "podcasters", "presenters", "interviewees", "sponsors", "castMembers", "recipients",
)  # fmt: skip
_ITEM_URI = "urn:kg:zotero-item:"
_RDF_SYNTAX_TERMS = ("resource", "about", "ID", "nodeID", "datatype", "parseType", "RDF", "aboutEach", "bagID")
_TYPED_ID_RE = re.compile(r"^(DOI|ISBN|ISSN|PMID|PMCID|arXiv)\s*:?\s*(\S.*)$", re.I)
_EXTRA_ID_RE = re.compile(r"^\s*(PMID|PMCID|WOS|arXiv|DOI)\s*:\s*(\S+)", re.I | re.M)
_DOI_RE = re.compile(r"10\.\d{4,9}/\S+")
_MONTH_DAY_YEAR_RE = re.compile(rf"^(?P<month>{MONTH_NAME})\.?(?:\s+(?P<day>\d{{1,2}}))?,?\s+(?P<year>\d{{4}})\b", re.I)
_DAY_MONTH_YEAR_RE = re.compile(rf"^(?P<day>\d{{1,2}})\s+(?P<month>{MONTH_NAME})\.?,?\s+(?P<year>\d{{4}})\b", re.I)
_YEAR_MONTH_RE = re.compile(rf"^(?P<year>\d{{4}})\s+(?P<month>{MONTH_NAME})\b", re.I)
_YEAR_RE = re.compile(r"\b(1[5-9]\d\d|2\d\d\d)\b")


def detect(text: str) -> float:
    """0.95 for RDF/XML written by Zotero (the ``rdf:RDF`` root and Zotero's export namespace).

    Examples
    --------
    >>> detect('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    ...        'xmlns:z="http://www.zotero.org/namespaces/export#">')
    0.95
    >>> detect('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">')
    0.0
    """
    if sniff_root(text) != "RDF":
        return 0.0
    # Items are told by z:itemType: RDF without Zotero's namespace has none to read.
    return 0.95 if _Z in text[:20000] else 0.0


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if not 1000 <= year <= 2999:
        return None
    if month is None or not 1 <= month <= 12:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return f"{year:04d}-{month:02d}"


def parse_date(text: str | None) -> str | None:
    """Zotero's free-text date as ISO, as precise as it is unambiguous.

    Examples
    --------
    >>> [parse_date(t) for t in ("2006", "2003-7", "2013/11/01", "08/28/1998", "02/2009", "Apr 9, 2006",
    ...                          "July 2001", "2007 Sep-Oct", "9 March 2010", "n.d.")]
    ['2006', '2003-07', '2013-11-01', '1998-08-28', '2009-02', '2006-04-09', '2001-07', '2007-09', '2010-03-09', None]
    """
    text = clean_space(text or "")
    if not text:
        return None
    match = re.match(r"^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?\b", text)
    if match:
        return _iso(int(match[1]), int(match[2]), int(match[3]) if match[3] else None)
    match = re.match(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b", text)
    if match:  # Zotero's own order is month/day/year; a first number over 12 can only be a day
        first, second = int(match[1]), int(match[2])
        month, day = (second, first) if first > 12 else (first, second)
        return _iso(int(match[3]), month, day)
    match = re.match(r"^(\d{1,2})[/.-](\d{4})\b", text)
    if match:
        return _iso(int(match[2]), int(match[1]))
    for pattern in (_MONTH_DAY_YEAR_RE, _DAY_MONTH_YEAR_RE, _YEAR_MONTH_RE):
        match = pattern.match(text)
        if match:
            day = match.groupdict().get("day")
            return _iso(int(match["year"]), month_number(match["month"]), int(day) if day else None)
    match = _YEAR_RE.search(text)
    return _iso(int(match[1])) if match else None


def _mark_items(root) -> dict[str, tuple[int, list[str]]]:
    """Give every top-level item element an IRI of its own; return IRI -> (its line, its titles in order).

    Zotero names an item by its URL or ISBN, which two items may share (two chapters of one book);
    RDF would merge them into one node. Items are only ever referred to by attachments, notes and
    collections, which are not read, so renaming them loses nothing. The titles are taken from the
    XML because RDF keeps no order: a conference paper without a proceedings node has two ``dc:title``,
    its own and then its proceedings'.
    """
    about_attribute = f"{{{_RDF}}}about"
    # Zotero writes an attachment's file as <rdf:resource rdf:resource="storage:..."/>, which RDF/XML
    # forbids as a property; attachments are not read, so such elements are dropped.
    for element in list(root.iter(*(f"{{{_RDF}}}{name}" for name in _RDF_SYNTAX_TERMS))):
        if element is not root and element.getparent() is not None:
            element.getparent().remove(element)
    items: dict[str, tuple[int, list[str]]] = {}
    for index, element in enumerate(root):
        if not isinstance(element.tag, str):
            continue
        item_type = next((c for c in element if c.tag == f"{{{_Z}}}itemType"), None)
        if item_type is None:
            continue
        for attribute in (f"{{{_RDF}}}nodeID", f"{{{_RDF}}}ID"):
            element.attrib.pop(attribute, None)
        iri = f"{_ITEM_URI}{index}"
        element.set(about_attribute, iri)
        titles = [clean_space("".join(c.itertext())) for c in element if c.tag == f"{{{_DC}}}title"]
        items[iri] = (element.sourceline or 1, [t for t in titles if t])
    return items


def _graph(text: str, source: str):
    import rdflib
    from lxml import etree

    try:
        root = parse_xml(text)
    except KgError as error:
        raise InputError(source, str(error)) from None
    if local_name(root) != "RDF":
        raise InputError(source, f"not RDF/XML: the root element is <{local_name(root)}>")
    places = _mark_items(root)
    # rdflib warns about every malformed URI an export holds (Zotero keeps URLs as typed); kg reads on.
    logging.getLogger("rdflib").setLevel(logging.ERROR)
    graph = rdflib.Graph()
    try:
        graph.parse(data=etree.tostring(root), format="xml", publicID="urn:kg:zotero-export")
    except Exception as error:  # rdflib raises its own error classes (and SAX ones) for malformed RDF
        raise InputError(source, f"not valid RDF/XML ({type(error).__name__}: {error})") from None
    return graph, places


def _literal(graph, node, predicate) -> str | None:
    """The first non-empty text value of ``predicate``: a literal, or a node's ``rdf:value``."""
    from rdflib import Literal, URIRef

    for value in graph.objects(node, URIRef(predicate)):
        if not isinstance(value, Literal):
            value = graph.value(value, URIRef(_RDF + "value"))
        text = clean_space(str(value)) if value is not None else ""
        if text:
            return text
    return None


def _values(graph, node, predicate) -> list[str]:
    from rdflib import Literal, URIRef

    out = []
    for value in graph.objects(node, URIRef(predicate)):
        if not isinstance(value, Literal):
            value = graph.value(value, URIRef(_RDF + "value"))
        text = clean_space(str(value)) if value is not None else ""
        if text:
            out.append(text)
    return out


def _sequence(graph, node) -> list:
    """The members of an ``rdf:Seq`` in order (``rdf:_1``, ``rdf:_2`` ...)."""
    members = []
    for predicate, value in graph.predicate_objects(node):
        text = str(predicate)
        if text.startswith(_RDF + "_") and text[len(_RDF) + 1 :].isdigit():
            members.append((int(text[len(_RDF) + 1 :]), value))
    return [value for _, value in sorted(members, key=lambda pair: pair[0])]


def _creator(graph, node) -> AuthorRef | None:
    family = _literal(graph, node, _FOAF + "surname") or _literal(graph, node, _FOAF + "familyName")
    given = _literal(graph, node, _FOAF + "givenName") or _literal(graph, node, _FOAF + "givenname")
    if family:
        name = f"{given} {family}" if given else family
        return AuthorRef(name, (), None, given, family) if given else AuthorRef(name)
    name = _literal(graph, node, _FOAF + "name")
    return AuthorRef(name) if name else None


def _creators(graph, item) -> list[AuthorRef]:
    from rdflib import URIRef

    for predicate in (_BIB + "authors", *(_Z + role for role in _PRIMARY_ROLES)):
        for seq in graph.objects(item, URIRef(predicate)):
            authors = [a for a in (_creator(graph, member) for member in _sequence(graph, seq)) if a]
            if authors:
                return authors
    return []


def _add_identifier(ids: dict[str, str], value: str) -> None:
    match = _TYPED_ID_RE.match(value)
    if match:
        kind, rest = match[1].lower(), match[2].strip()
        # "ISBN 978-1-4684-8603-2, 978-1-4684-8601-8", "ISSN 0305-1048; 1362-4962": the first one
        first = re.split(r"[,;]\s*|\s+(?=\d)", rest)[0].strip()
        first = re.sub(r"\(.*?\)$", "", first).strip()  # "1935-990X(Electronic)"
        if kind == "doi":
            doi = _DOI_RE.search(re.sub(r"(?<=[./])\s+", "", rest))  # "10.1126/science. 1109070"
            first = doi.group(0) if doi else ""
        if first:
            ids.setdefault(kind, first)
    elif re.match(r"^(https?|ftp)://", value):
        ids.setdefault("url", value)


def _ids(graph, item, container, container_shared: bool) -> dict[str, str]:
    ids: dict[str, str] = {}
    for value in _values(graph, item, _DC + "identifier"):
        _add_identifier(ids, value)
    if container is not None:
        found: dict[str, str] = {}
        for value in _values(graph, container, _DC + "identifier"):
            _add_identifier(found, value)
        for key, value in found.items():
            # A DOI on a journal node Zotero wrote for this one article is the article's; one shared is not.
            if key == "doi" and container_shared:
                continue
            ids.setdefault(key, value)
    from rdflib import URIRef

    extra = "\n".join(str(v) for v in graph.objects(item, URIRef(_DC + "description")))  # Zotero's "Extra"
    for kind, value in _EXTRA_ID_RE.findall(extra):
        ids.setdefault(kind.lower(), value.rstrip(".,;"))
    return ids


def _container(graph, item):
    from rdflib import URIRef

    for container in graph.objects(item, URIRef(_DCTERMS + "isPartOf")):
        return container
    return None


def _record(graph, item, place: tuple[int, list[str]], source: str, shared: set) -> Record | None:
    from rdflib import URIRef

    line, titles = place
    title = titles[0] if titles else _literal(graph, item, _DC + "title")
    abstract = _literal(graph, item, _DCTERMS + "abstract")
    if not title and not abstract:
        return None
    container = _container(graph, item)
    venue = _literal(graph, container, _DC + "title") if container is not None else None
    venue = venue or (titles[1] if len(titles) > 1 else None)
    if not venue:
        for conference in graph.objects(item, URIRef(_BIB + "presentedAt")):
            venue = _literal(graph, conference, _DC + "title")
    extra: dict[str, object] = {}
    item_type = _literal(graph, item, _Z + "itemType")
    if item_type:
        extra["document_type"] = item_type
    keywords = list(dict.fromkeys(_values(graph, item, _DC + "subject")))
    if keywords:
        extra["keywords"] = keywords
    return Record(
        title=title,
        authors=tuple(_creators(graph, item)),
        date=parse_date(_literal(graph, item, _DC + "date")),
        venue=venue,
        abstract=abstract,
        ids=_ids(graph, item, container, container in shared),
        source=SourceRef(source, line, FORMAT),
        extra=extra,
    )


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    from rdflib import URIRef

    graph, places = _graph(text, source)
    items = []
    for item in set(graph.subjects(URIRef(_Z + "itemType"), None)):
        item_type = _literal(graph, item, _Z + "itemType") or ""
        if item_type not in _NOT_PAPERS:
            items.append((places.get(str(item), (1, [])), str(item), item))
    items.sort(key=lambda entry: (entry[0][0], entry[1]))
    users: dict[object, int] = {}
    for _, _, item in items:
        container = _container(graph, item)
        if container is not None:
            users[container] = users.get(container, 0) + 1
    shared = {container for container, count in users.items() if count > 1}
    records, skipped = [], 0
    for place, _, item in items:
        record = _record(graph, item, place, source, shared)
        if record is None:
            skipped += 1
        else:
            records.append(record)
    notes = []
    if skipped:
        notes.append(f"{skipped} Zotero item(s) without a title or abstract skipped")
    if not items:
        notes.append("no Zotero item in this RDF (only attachments, notes or collections)")
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="Zotero RDF exports (RDF/XML: bib:, dc:, foaf:, z:; attachments and notes left out)",
    detect=detect,
    extract=extract,
)
