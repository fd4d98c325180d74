"""ORCID works as XML: a record's works (``/works``, a ``record``'s ``activities-summary``, work details
``/work/{put-code}`` or ``/works/{put-codes}``) in the public API's v2.0, v2.1 and v3.0 schemas, and the
old v1.2 profile (``<orcid-message>``, or a saved ``<message>``) with its ``orcid-works``.

Each work is one record: title (with its subtitle), ``type``, ``publication-date``, ``journal-title`` as
venue, the external ids (doi, arxiv, pmid, pmc, eid, isbn, wosuid ...) that are the work's own
(``self``; a ``part-of`` ISSN or ISBN too), ``short-description`` as abstract and, in work details and
v1.2 profiles, the contributors that have a name, in order, with their ORCID iD. A works summary lists
no contributors: those records have no authors; the record's owner is never added as one. In
v2/v3 summaries ORCID groups the copies of one work from several sources: each group is one record,
read from its preferred copy (the highest ``display-index``), with the group's ids. What real answers
need besides (the same rules for the JSON reader, :mod:`kg.extractors.orcid_json`):

* a group whose copies have ids that contradict (two DOIs or two EIDs with none in common) holds
  several works (ORCID grouped by any shared ``self`` id, and Scopus once sent the journal's ISSN as
  the work's own): each work is one record, with its own copies' ids, and a note says so;
* v3.0 lists a contributor once per CRediT role: one person with several roles is one author;
* an ISSN pair "03069877 15322777" is the first ISSN; a DOI typed with BibTeX escapes
  ("...-0\\_25") loses them; a work whose only link is a doi.org URL has that DOI.

An ORCID record is one person's list of works. Every record read from it carries that person, the
page's owner, as the record prints them: ``extra["page_owner"]`` is the owner's name (the person's
``credit-name``, else ``given-names`` and ``family-name``, of a ``/record``, ``/person`` or v1.2
profile); ``extra["page_owner_orcid"]`` the owner's bare iD (the ``orcid-identifier``, the answer's
``path``, else the iD in every work's ``path`` or, failing that, every work's ``source-orcid``). An
answer without a person block (``/works``, a work, a bulk answer) takes the name a work's contributor
with the owner's iD is credited under; with no such contributor only ``page_owner_orcid`` is set.
The owner's position in an author list is never invented: the list stays as the work prints it.

The JSON forms of the same data are read by :mod:`kg.extractors.orcid_json`, through
:func:`records_from_works`.

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
>>> "page_owner" in r.extra  # a work detail without its path names no owner
False
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

from kg.errors import InputError, KgError
from kg.extractors.base import HOLDS_NO_PAPERS, ExtractOptions, Extractor
from kg.extractors.common.xmldoc import child_text, children, local_name, parse_xml, sniff_root
from kg.records import AuthorRef, Record, SourceRef
from kg.text import clean_space

FORMAT = "orcid-xml"
_ROOTS = {"message", "orcid-message", "record", "activities-summary", "works", "work", "work-summary", "bulk"}
_ID_KEYS = {"pmc": "pmcid", "eid": "scopus", "wosuid": "wos", "uri": "url"}
_SKIPPED_ID_TYPES = {"other-id", "source-work-id"}
_NOT_AUTHOR_ROLES = {"editor", "chair-or-translator", "support-staff"}
_ORCID_RE = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", re.I)
# Ids that name one work (a DOI, a Scopus EID...), unlike a journal's ISSN or a book's ISBN.
_WORK_ID_TYPES = {"doi", "eid", "pmid", "pmc", "arxiv", "wosuid", "handle", "bibcode", "dnb", "ethos", "jstor"}
# What one id is written with or without: "2-s2.0-" before an EID, a resolver before a DOI, "PMC", "arXiv:".
_ID_PREFIX_RE = re.compile(r"^(?:2-s2\.0-|https?://(?:dx\.)?doi\.org/|doi:\s*|pmc|arxiv:\s*)")
_ISSN_RE = re.compile(r"\b(\d{4})-?(\d{3}[\dXx])\b")
_DOI_LINK_RE = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\.\d{4,9}/\S+)$", re.I)
_TEX_ESCAPE_RE = re.compile(r"\\([_&%#$])")


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
    display_index: int = 0  # a copy's rank in its group: the highest is the preferred copy
    path: str | None = None  # the work's API path, "/0000-0002-1825-0097/work/123": the owner's iD
    source_orcid: str | None = None  # the iD of the person who added the work (a client's id is not kept)


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


def external_id(kind: str, value: str, relationship: str | None) -> tuple[str, str, str | None]:
    """One external id as a work keeps it: a DOI typed with BibTeX's escapes loses them; an ISSN pair
    (Scopus's print and electronic ISSN in one, "03069877 15322777") is its first ISSN.

    Examples
    --------
    >>> external_id("doi", "10.1007/978-3-642-33362-0\\\\_25", "self")
    ('doi', '10.1007/978-3-642-33362-0_25', 'self')
    >>> external_id("issn", "03069877 15322777", "SELF")
    ('issn', '0306-9877', 'SELF')
    """
    lowered = kind.strip().lower()
    if lowered == "doi":
        value = _TEX_ESCAPE_RE.sub(r"\1", value)
    elif lowered == "issn":
        issn = _ISSN_RE.search(value)
        value = f"{issn.group(1)}-{issn.group(2).upper()}" if issn else value
    return kind, value, relationship


def one_per_person(contributors: list[Contributor]) -> list[Contributor]:
    """The contributors, each person once: v3.0 lists a person once per CRediT role, and a second role
    of the same name and iD is no second author. The same role twice is two entries, as listed.

    Examples
    --------
    >>> roles = ["writing-original-draft", "software", "writing-original-draft"]
    >>> [c.role for c in one_per_person([Contributor("Ann Lee", None, r) for r in roles])]
    ['writing-original-draft', 'writing-original-draft']
    """
    kept: list[Contributor] = []
    seen: dict[tuple[str | None, str | None], set[str | None]] = {}
    for contributor in contributors:
        name = clean_space(contributor.name or "") or None
        orcid = orcid_id(contributor.orcid)
        roles = seen.setdefault((name, orcid), set())
        if roles and contributor.role not in roles and (name or orcid):
            roles.add(contributor.role)
            continue
        roles.add(contributor.role)
        kept.append(contributor)
    return kept


def _self_ids(work: Work) -> dict[str, set[str]]:
    """A copy's own work-level ids by type (``self`` DOIs, EIDs, PMIDs...; not a journal's ISSN)."""
    ids: dict[str, set[str]] = {}
    for kind, value, relationship in work.external_ids:
        kind = clean_space(kind).lower().replace("_", "-")
        if kind in _WORK_ID_TYPES and (relationship or "self").strip().lower() == "self":
            ids.setdefault(kind, set()).add(_ID_PREFIX_RE.sub("", value.strip().lower()))
    return ids


def _copies(copies: list[Work]) -> list[list[int]]:
    """The copies of one ORCID group (their indexes), split into works. Copies that share a DOI, EID...
    are one work; the others join the first work whose ids do not contradict theirs (two DOIs, two EIDs
    with none in common). ORCID grouped by any shared ``self`` id, so a source that called the
    journal's ISSN the work's own put a journal's papers in one group."""
    works: list[tuple[list[int], dict[str, set[str]]]] = []
    for index, copy in enumerate(copies):  # copies that share an id
        ids = _self_ids(copy)
        joined = [w for w in works if any(ids.get(k, set()) & values for k, values in w[1].items())]
        works = [w for w in works if all(w is not j for j in joined)]
        members, merged = [index], ids
        for other_members, other_ids in joined:
            members = [*other_members, *members]
            merged = {k: merged.get(k, set()) | other_ids.get(k, set()) for k in {*merged, *other_ids}}
        works.append((members, merged))
    merged_works: list[tuple[list[int], dict[str, set[str]]]] = []
    for members, ids in sorted(works, key=lambda w: min(w[0])):
        for other_members, other_ids in merged_works:  # copies whose ids do not contradict
            if not any(k in other_ids and not ids[k] & other_ids[k] for k in ids):
                other_members.extend(members)
                for k, values in ids.items():
                    other_ids.setdefault(k, set()).update(values)
                break
        else:
            merged_works.append((list(members), {k: set(v) for k, v in ids.items()}))
    return [sorted(members) for members, _ in merged_works]


def group_works(copies: list[Work], group_ids: list[tuple[str, str, str | None]]) -> list[Work]:
    """The works of one ORCID group of copies, each read from its preferred copy (the highest
    ``display-index``, the first of equals). A group that is one work has the group's ids after its
    preferred copy's; a work of a group that holds several has the ids of its own copies.

    Examples
    --------
    >>> a = Work(title="A", external_ids=[("doi", "10.1/a", "self"), ("issn", "0306-9877", "self")])
    >>> b = Work(title="B", external_ids=[("doi", "10.1/b", "self"), ("issn", "0306-9877", "self")])
    >>> [(w.title, w.external_ids[0][1]) for w in group_works([a, b], [])]
    [('A', '10.1/a'), ('B', '10.1/b')]
    """
    split = _copies(copies)
    works = []
    for members in split:
        best = max(members, key=lambda index: copies[index].display_index)  # max keeps the first of equals
        preferred = copies[best]
        if len(split) == 1:
            extra_ids = list(group_ids)
        else:
            extra_ids = [i for index in members if index != best for i in copies[index].external_ids]
        works.append(dataclasses.replace(preferred, external_ids=[*preferred.external_ids, *extra_ids]))
    return works


def person_name(credit: str | None, given: str | None, family: str | None) -> str | None:
    """The name an ORCID record gives its person: the ``credit-name``, else given names and family name.

    Examples
    --------
    >>> person_name(None, "Stergios", "Polyzos"), person_name("J. S. Carberry", "Josiah", "Carberry")
    ('Stergios Polyzos', 'J. S. Carberry')
    """
    return clean_space(credit or "") or clean_space(f"{given or ''} {family or ''}") or None


def _unanimous(values) -> str | None:
    found = {value for value in values if value}
    return found.pop() if len(found) == 1 else None


def page_owner(name: str | None, orcid: str | None, works: list[Work]) -> dict[str, str]:
    """The ``extra`` keys that name the owner of an ORCID record: ``page_owner`` and ``page_owner_orcid``.

    ``orcid`` is the iD the answer states (its ``orcid-identifier`` or ``path``); without one, the iD in
    every work's ``path``, else every work's ``source-orcid``, where they agree. ``name`` is the
    record's person's; without it (an answer with no person block), the name the works credit the
    owner's iD under (the most frequent, the first of equals). No iD and no name: no keys.

    Examples
    --------
    >>> work = Work(path="/0000-0002-1825-0097/work/1", contributors=[
    ...     Contributor("Ann Lee"), Contributor("Josiah Carberry", "https://orcid.org/0000-0002-1825-0097")])
    >>> page_owner(None, None, [work])
    {'page_owner': 'Josiah Carberry', 'page_owner_orcid': '0000-0002-1825-0097'}
    >>> page_owner(None, "0000-0002-1825-0097", [Work(title="A summary")])
    {'page_owner_orcid': '0000-0002-1825-0097'}
    >>> page_owner(None, None, [Work(path="/0000-0002-1825-0097/work/1"), Work(path="/0000-0001-5109-3700/work/2")])
    {}
    """
    orcid = (
        orcid_id(orcid)
        or _unanimous(orcid_id(work.path) for work in works)
        or _unanimous(orcid_id(work.source_orcid) for work in works)
    )
    name = clean_space(name or "")
    if not name and orcid:
        credited = Counter(
            clean_space(c.name or "") for work in works for c in work.contributors or [] if orcid_id(c.orcid) == orcid
        )
        credited.pop("", None)
        name = credited.most_common(1)[0][0] if credited else ""
    owner = {"page_owner": name} if name else {}
    if orcid:
        owner["page_owner_orcid"] = orcid
    return owner


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
    doi_link = _DOI_LINK_RE.match(clean_space(work.url or ""))
    if doi_link and "doi" not in ids:
        ids["doi"] = doi_link.group(1)  # the work's link is its DOI
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


def records_from_works(
    works: list[Work], source: str, format: str, owner: dict[str, str], groups: tuple[int, int] = (0, 0)
) -> tuple[list, list]:
    """Records and notes for the works of one input (shared by the XML and JSON readers).

    ``owner`` is :func:`page_owner`'s answer, set on every record; ``groups`` counts the ORCID groups
    that held several works and the works read from them.
    """
    records, untitled, nameless, without_list = [], 0, 0, 0
    for work in works:
        record, missing = work_record(work, source, format)
        if record is None:
            untitled += 1
            continue
        record.extra.update(owner)
        records.append(record)
        nameless += missing
        without_list += work.contributors is None
    notes = []
    mixed, split = groups
    if mixed:
        notes.append(
            f"{mixed} ORCID group(s) held copies of different works (distinct DOIs or EIDs): read as {split} works"
        )
    whose = f" of ORCID {owner['page_owner_orcid']}" if owner.get("page_owner_orcid") else ""
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


def _external_ids(id_list) -> list[tuple[str, str, str | None]]:
    out = []
    for entry in [] if id_list is None else list(id_list):
        kind = _text(entry, "external-id-type", "work-external-identifier-type")
        value = _text(entry, "external-id-value", "work-external-identifier-id")
        if kind and value:
            out.append(external_id(kind, value, _text(entry, "external-id-relationship")))
    return out


def _orcid_of(element) -> str | None:
    """The iD in a ``contributor-orcid`` or ``source-orcid`` (its ``path``, ``uri`` or text)."""
    if element is None:
        return None
    return _text(element, "path") or _text(element, "uri") or _text(element)


def _work(element) -> Work:
    work = Work(line=element.sourceline or 1, display_index=_display_index(element), path=element.get("path"))
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
        work.external_ids.extend(_external_ids(id_list))
    source = _child(element, "source")
    if source is not None:
        work.source_orcid = orcid_id(_orcid_of(_child(source, "source-orcid")))
    contributors = _child(element, "contributors", "work-contributors")
    if contributors is not None:
        listed = []
        for contributor in children(contributors, "contributor"):
            attributes = _child(contributor, "contributor-attributes")
            listed.append(
                Contributor(
                    _text(contributor, "credit-name"),
                    _orcid_of(_child(contributor, "contributor-orcid")),
                    _text(attributes, "contributor-role") if attributes is not None else None,
                )
            )
        work.contributors = one_per_person(listed)
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
    return name in ("work", "orcid-work") and (
        _child(element, "title", "work-title") is not None or bool(element.get("put-code"))
    )


def _works(root) -> tuple[list[Work], tuple[int, int]]:
    """The works, and how many groups held several works (and how many works they held)."""
    works: list[Work] = []
    mixed = split = 0
    for element in root.iter():
        name = local_name(element)
        if name == "group" and any(local_name(c) == "work-summary" for c in element):
            copies = [_work(summary) for summary in children(element, "work-summary")]
            found = group_works(copies, _external_ids(_child(element, "external-ids")))
            works.extend(found)
            if len(found) > 1:
                mixed, split = mixed + 1, split + len(found)
        elif _is_work(element, name):
            works.append(_work(element))
    return works, (mixed, split)


def _owner(root) -> tuple[str | None, str | None]:
    """The name and iD the answer gives its person (``person/name``; v1.2 ``personal-details``); none
    where it names several people (a v1.2 ``orcid-search-results``)."""
    names, orcids = set(), set()
    for element in root.iter():
        found = local_name(element)
        if (found == "name" and local_name(element.getparent()) == "person") or found == "personal-details":
            names.add(person_name(*(_text(element, part) for part in ("credit-name", "given-names", "family-name"))))
        elif found in ("orcid-identifier", "identifier") and _text(element, "path"):
            orcids.add(orcid_id(_text(element, "path")))
    names.discard(None)
    orcids.discard(None)
    if len(names) > 1 or len(orcids) > 1:
        return None, None
    return next(iter(names), None), next(iter(orcids), None) or orcid_id(root.get("path"))


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    try:
        root = parse_xml(text)
    except KgError as error:
        raise InputError(source, str(error)) from None
    if local_name(root) == "error" or child_text(root, "error-desc"):
        raise InputError(source, f"an ORCID API error: {_text(root, 'developer-message', 'error-desc') or 'no reason'}")
    works, groups = _works(root)
    name, orcid = _owner(root)
    return records_from_works(works, source, FORMAT, page_owner(name, orcid, works), groups)


EXTRACTOR = Extractor(
    name=FORMAT,
    description="ORCID works (public API XML v1.2, v2.0, v2.1, v3.0: records, works summaries, work details)",
    detect=detect,
    extract=extract,
)
