"""ORCID works as XML: a record's works (``/works``, a ``record``'s ``activities-summary``, work details
``/work/{put-code}`` or ``/works/{put-codes}``) in the public API's v2.0, v2.1 and v3.0 schemas, and the
old v1.2 ``<message>`` profile with its ``orcid-works``.

Each work is one record: title (with its subtitle), ``type``, ``publication-date``, ``journal-title`` as
venue, the external ids (doi, arxiv, pmid, pmc, eid, isbn, wosuid ...) that are the work's own
(``self``; a ``part-of`` ISSN or ISBN too), ``short-description`` as abstract and, in work details and
v1.2 profiles, the contributors that have a name, in order, with their ORCID iD. A works summary lists
no contributors: those records have no authors; the record's owner is never added as one. In
v2/v3 summaries ORCID groups the copies of one work from several sources: each group is one record,
read from its preferred copy (the highest ``display-index``), with the group's ids.

The JSON forms of the same data are read by :mod:`kg.extractors.orcid_json`, through :func:`work_record`.

Examples
--------
>>> text = '''<work:work xmlns:work="http://www.orcid.org/ns/work" xmlns:common="http://www.orcid.org/ns/common"
...  put-code="1"><work:title><common:title>A fixture</common:title></work:title>
...  <work:type>journal-article</work:type>
...  <common:publication-date><common:year>2019</common:year><common:month>05</common:month></common:publication-date>
...  <common:external-ids><common:external-id><common:external-id-type>doi</common:external-id-type>
...  <common:external-id-value>10.1/x</common:external-id-value>
...  <common:external-id-relationship>self</common:external-id-relationship></common:external-id></common:external-ids>
...  <work:contributors><work:contributor><work:credit-name>Ann Lee</work:credit-name></work:contributor>
...  </work:contributors>
...  </work:work>'''
>>> records, notes = extract(text, "w.xml", ExtractOptions())
>>> r = records[0]
>>> r.title, [a.name for a in r.authors], r.date, r.ids, r.extra["document_type"]
('A fixture', ['Ann Lee'], '2019-05', {'doi': '10.1/x'}, 'journal-article')
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from kg.errors import InputError, KgError
from kg.extractors.base import HOLDS_NO_PAPERS, ExtractOptions, Extractor
from kg.extractors.common.xmldoc import child_text, children, local_name, parse_xml, sniff_root
from kg.records import AuthorRef, Record, SourceRef
from kg.text import clean_space

FORMAT = "orcid-xml"
_ROOTS = {"message", "record", "activities-summary", "works", "work", "work-summary", "bulk"}
_ID_KEYS = {"pmc": "pmcid", "eid": "scopus", "wosuid": "wos", "uri": "url"}
_SKIPPED_ID_TYPES = {"other-id", "source-work-id"}
_NOT_AUTHOR_ROLES = {"editor", "chair-or-translator", "support-staff"}
_ORCID_RE = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", re.I)


@dataclass
class Contributor:
    """One contributor of a work as ORCID lists it (``name`` None when it gives only attributes)."""

    name: str | None
    orcid: str | None = None
    role: str | None = None


@dataclass
class Work:
    """One ORCID work, whatever the schema version or serialisation it came in."""

    title: str | None = None
    subtitle: str | None = None
    kind: str | None = None
    year: str | None = None
    month: str | None = None
    day: str | None = None
    journal: str | None = None
    external_ids: list[tuple[str, str, str | None]] = field(default_factory=list)  # (type, value, relationship)
    contributors: list[Contributor] | None = None  # None: the source has no contributor list (a summary)
    abstract: str | None = None
    url: str | None = None
    line: int = 1


def normal_type(value: str | None) -> str | None:
    """ORCID's work type in one spelling: v2 JSON's "JOURNAL_ARTICLE" is "journal-article".

    Examples
    --------
    >>> normal_type("JOURNAL_ARTICLE"), normal_type("conference-paper")
    ('journal-article', 'conference-paper')
    """
    value = clean_space(value or "")
    return value.lower().replace("_", "-") or None


def orcid_id(value: str | None) -> str | None:
    """The 16-digit iD in an ORCID URI or path."""
    match = _ORCID_RE.search(value or "")
    return match.group(1).upper() if match else None


def _date(work: Work) -> str | None:
    try:
        year = int(work.year or "")
    except ValueError:
        return None
    if not 1000 <= year <= 2999:
        return None
    try:
        month = int(work.month or "")
    except ValueError:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return f"{year:04d}"
    try:
        return datetime.date(year, month, int(work.day or "")).isoformat()
    except ValueError:
        return f"{year:04d}-{month:02d}"


def _ids(work: Work) -> dict[str, str]:
    ids: dict[str, str] = {}
    for kind, value, relationship in work.external_ids:
        kind, value = clean_space(kind).lower().replace("_", "-"), clean_space(value)
        if not kind or not value or kind in _SKIPPED_ID_TYPES:
            continue
        relationship = (relationship or "self").lower().replace("_", "-")
        if relationship != "self" and not (relationship == "part-of" and kind in ("issn", "isbn")):
            continue
        key = _ID_KEYS.get(kind, kind)
        if key == "arxiv":
            value = re.sub(r"^arxiv:\s*", "", value, flags=re.I)
        ids.setdefault(key, value)
    if work.url and not ids:
        ids["url"] = work.url
    return ids


def work_record(work: Work, source: str, format: str) -> tuple[Record | None, int]:
    """The record of one work (None without a title), and how many of its contributors had no name."""
    title = clean_space(work.title or "")
    if not title:
        return None, 0
    subtitle = clean_space(work.subtitle or "")
    if subtitle and subtitle.casefold() not in title.casefold():
        title = f"{title}: {subtitle}"
    authors, nameless, listed = [], 0, 0
    for contributor in work.contributors or []:
        if (contributor.role or "").lower().replace("_", "-") in _NOT_AUTHOR_ROLES:
            continue
        listed += 1
        name = clean_space(contributor.name or "")
        if name:
            authors.append(AuthorRef(name, (), orcid_id(contributor.orcid)))
        else:
            nameless += 1
    extra: dict[str, object] = {}
    kind = normal_type(work.kind)
    if kind:
        extra["document_type"] = kind
    record = Record(
        title=title,
        authors=tuple(authors),
        # Contributors listed only by their role: the count is known, the names are not.
        author_count=listed if nameless else None,
        date=_date(work),
        venue=clean_space(work.journal or "") or None,
        abstract=clean_space(work.abstract or "") or None,
        ids=_ids(work),
        source=SourceRef(source, work.line, format),
        extra=extra,
    )
    return record, nameless


def records_from_works(works: list[Work], source: str, format: str, owner: str | None) -> tuple[list, list]:
    """Records and notes for the works of one input (shared by the XML and JSON readers)."""
    records, untitled, nameless, without_list = [], 0, 0, 0
    for work in works:
        record, missing = work_record(work, source, format)
        if record is None:
            untitled += 1
            continue
        records.append(record)
        nameless += missing
        without_list += work.contributors is None
    notes = []
    whose = f" of ORCID {owner}" if owner else ""
    if not works:
        notes.append(f"this ORCID record{whose} lists no works: it {HOLDS_NO_PAPERS}")
    if untitled:
        notes.append(f"{untitled} ORCID work(s) without a title skipped")
    if without_list:
        notes.append(
            f"{without_list} work(s){whose} list no contributors: their authors are left empty"
            " (the record's owner is not added as an author)"
        )
    if nameless:
        notes.append(f"{nameless} contributor(s) listed without a name are not authors (author_count keeps them)")
    return records, notes


def detect(text: str) -> float:
    """0.95 for ORCID API XML (an ORCID namespace on a ``record``, ``works``, ``work`` or v1.2 ``message``).

    Examples
    --------
    >>> detect('<message xmlns="http://www.orcid.org/ns/orcid"><message-version>1.2</message-version>')
    0.95
    >>> detect('<record><works/></record>')
    0.0
    """
    if sniff_root(text) not in _ROOTS:
        return 0.0
    return 0.95 if "www.orcid.org/ns/" in text[:20000] else 0.0


def _child(element, *names: str):
    for name in names:
        found = next((c for c in element if local_name(c) == name), None)
        if found is not None:
            return found
    return None


def _text(element, *names: str) -> str | None:
    found = _child(element, *names) if names else element
    if found is None:
        return None
    return clean_space("".join(found.itertext())) or None


def _work(element) -> Work:
    work = Work(line=element.sourceline or 1)
    title_group = _child(element, "title", "work-title")
    if title_group is not None:
        work.title = _text(title_group, "title")
        work.subtitle = _text(title_group, "subtitle")
    work.kind = _text(element, "type", "work-type")
    work.journal = _text(element, "journal-title")
    work.abstract = _text(element, "short-description")
    work.url = _text(element, "url")
    date = _child(element, "publication-date")
    if date is not None:
        work.year, work.month, work.day = (_text(date, part) for part in ("year", "month", "day"))
    for id_list in (_child(element, "external-ids"), _child(element, "work-external-identifiers")):
        for entry in [] if id_list is None else list(id_list):
            kind = _text(entry, "external-id-type", "work-external-identifier-type")
            value = _text(entry, "external-id-value", "work-external-identifier-id")
            if kind and value:
                work.external_ids.append((kind, value, _text(entry, "external-id-relationship")))
    contributors = _child(element, "contributors", "work-contributors")
    if contributors is not None:
        work.contributors = []
        for contributor in children(contributors, "contributor"):
            orcid = _child(contributor, "contributor-orcid")
            attributes = _child(contributor, "contributor-attributes")
            work.contributors.append(
                Contributor(
                    _text(contributor, "credit-name"),
                    (_text(orcid, "path") or _text(orcid, "uri") or _text(orcid)) if orcid is not None else None,
                    _text(attributes, "contributor-role") if attributes is not None else None,
                )
            )
    return work


def _display_index(element) -> int:
    try:
        return int(element.get("display-index") or 0)
    except ValueError:
        return 0


def _is_work(element, name: str) -> bool:
    """A work summary outside a group (v2 ``/work-summary``), or a work detail (v1.2, ``/work``, ``bulk``)."""
    if name == "work-summary":
        return local_name(element.getparent()) != "group"
    return name == "work" and (_child(element, "title", "work-title") is not None or bool(element.get("put-code")))


def _works(root) -> list[Work]:
    works = []
    for element in root.iter():
        name = local_name(element)
        if name == "group" and any(local_name(c) == "work-summary" for c in element):
            summaries = children(element, "work-summary")
            preferred = max(summaries, key=_display_index)  # max keeps the first of equals
            work = _work(preferred)
            group_ids = _child(element, "external-ids")
            for entry in [] if group_ids is None else list(group_ids):
                kind, value = _text(entry, "external-id-type"), _text(entry, "external-id-value")
                if kind and value:
                    work.external_ids.append((kind, value, _text(entry, "external-id-relationship")))
            works.append(work)
        elif _is_work(element, name):
            works.append(_work(element))
    return works


def _owner(root) -> str | None:
    for element in root.iter():
        if local_name(element) in ("orcid-identifier", "identifier") and _text(element, "path"):
            return orcid_id(_text(element, "path"))
    return orcid_id(root.get("path"))


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    try:
        root = parse_xml(text)
    except KgError as error:
        raise InputError(source, str(error)) from None
    if local_name(root) == "error" or child_text(root, "error-desc"):
        raise InputError(source, f"an ORCID API error: {_text(root, 'developer-message', 'error-desc') or 'no reason'}")
    return records_from_works(_works(root), source, FORMAT, _owner(root))


EXTRACTOR = Extractor(
    name=FORMAT,
    description="ORCID works (public API XML v1.2, v2.0, v2.1, v3.0: records, works summaries, work details)",
    detect=detect,
    extract=extract,
)
