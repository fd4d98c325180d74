"""ORCID works as JSON: the public API's v2.0, v2.1 and v3.0 ``/works`` summaries, a ``/record`` (its
``activities-summary``), work details (``/work/{put-code}``, ``/works/{put-codes}`` as ``bulk``) and the old
v1.2 ``orcid-profile``; an ``/activities`` answer (an activities summary without its wrapper) too.

The fields and their rules are those of :mod:`kg.extractors.orcid_xml`, which both readers share: one
record per work, or per work of a group of copies (a group whose copies' DOIs or EIDs contradict holds
several works, each read apart); authors only where the work lists named contributors, each person once
whatever their CRediT roles, never the record's owner; an ISSN pair is its first ISSN, a DOI loses
BibTeX escapes, a work whose only link is a doi.org URL has that DOI. Each record's line is the line of
its work's ``put-code``.

An ORCID record is one person's list of works: every record carries its owner as the answer gives
them. ``extra["page_owner"]`` is the owner's name (the ``person``'s ``credit-name``, else
``given-names`` and ``family-name``, in a ``/record``, ``/person`` or v1.2 ``orcid-bio``), and
``extra["page_owner_orcid"]`` the bare iD (``orcid-identifier`` or ``path``; in a bulk answer the iD
in every work's ``path``, else every work's ``source-orcid``). Without a person block the name is the
one a work's contributor with that iD is credited under; none found: only ``page_owner_orcid``.

Examples
--------
>>> text = '''{"group": [{"external-ids": {"external-id": []}, "work-summary": [
...   {"put-code": 7, "title": {"title": {"value": "A fixture"}}, "type": "journal-article",
...    "publication-date": {"year": {"value": "2020"}, "month": null, "day": null},
...    "external-ids": {"external-id": [{"external-id-type": "arxiv", "external-id-value": "2001.00001",
...       "external-id-relationship": "self"}]},
...    "journal-title": {"value": "Fixture Letters"}}]}], "path": "/0000-0002-1825-0097/works"}'''
>>> records, notes = extract(text, "works.json", ExtractOptions())
>>> r = records[0]
>>> r.title, r.authors, r.date, r.venue, r.ids, r.source.line
('A fixture', (), '2020', 'Fixture Letters', {'arxiv': '2001.00001'}, 2)
>>> r.extra["page_owner_orcid"], "page_owner" in r.extra  # a works summary names no person
('0000-0002-1825-0097', False)
"""

from __future__ import annotations

import re
from typing import Any

from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.jsondoc import try_json
from kg.extractors.orcid_xml import (
    Contributor,
    Work,
    external_id,
    group_works,
    one_per_person,
    orcid_id,
    page_owner,
    person_name,
    records_from_works,
)
from kg.records import Record

FORMAT = "orcid-json"
_PUT_CODE_RE = re.compile(r'"put-code"\s*:\s*"?(\d+)')
# Keys beside "works" in an /activities answer (v2.0_rc1 to v3.0).
_ACTIVITY_KEYS = ("educations", "employments", "fundings", "peer-reviews", "distinctions", "memberships")


def _value(node: Any) -> str | None:
    """ORCID wraps most strings as ``{"value": ...}``; a plain string or number is taken as it is."""
    if isinstance(node, dict):
        node = node.get("value")
    if isinstance(node, (str, int)) and not isinstance(node, bool):
        return str(node)
    return None


def _get(node: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _external_ids(node: Any) -> list[tuple[str, str, str | None]]:
    """ids from v2/v3 ``external-ids``, v2.0_rc1 ``external-identifiers`` or v1.2 ``work-external-identifiers``."""
    out = []
    entries = _get(node, "external-id") or _get(node, "work-external-identifier") or []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        kind = _value(
            entry.get("external-id-type")
            or entry.get("work-external-identifier-type")
            or entry.get("external-identifier-type")
        )
        value = _value(
            entry.get("external-id-value")
            or entry.get("work-external-identifier-id")
            or entry.get("external-identifier-id")
        )
        if kind and value:
            out.append(external_id(kind, value, _value(entry.get("external-id-relationship"))))
    return out


def _work(node: dict, line: int) -> Work:
    title_group = node.get("title") if isinstance(node.get("title"), dict) else node.get("work-title")
    date = node.get("publication-date") if isinstance(node.get("publication-date"), dict) else {}
    work = Work(
        title=_value(_get(title_group, "title")),
        subtitle=_value(_get(title_group, "subtitle")),
        kind=_value(node.get("type")) or _value(node.get("work-type")),
        year=_value(date.get("year")),
        month=_value(date.get("month")),
        day=_value(date.get("day")),
        journal=_value(node.get("journal-title")),
        external_ids=_external_ids(
            node.get("external-ids") or node.get("work-external-identifiers") or node.get("external-identifiers")
        ),
        abstract=_value(node.get("short-description")),
        url=_value(node.get("url")),
        line=line,
        display_index=_display_index(node),
        path=_value(node.get("path")),
        source_orcid=_orcid_of(_get(node, "source", "source-orcid")),
    )
    contributors = node.get("contributors") or node.get("work-contributors")
    if isinstance(contributors, dict):
        listed = []
        for entry in contributors.get("contributor") or []:
            if isinstance(entry, dict):
                listed.append(
                    Contributor(
                        _value(entry.get("credit-name")),
                        _orcid_of(entry.get("contributor-orcid")),
                        _value(_get(entry, "contributor-attributes", "contributor-role")),
                    )
                )
        work.contributors = one_per_person(listed)
    return work


def _orcid_of(node: Any) -> str | None:
    """The iD of a ``contributor-orcid`` or ``source-orcid`` (its ``path``, else its ``uri``)."""
    return (_value(node.get("path")) or _value(node.get("uri"))) if isinstance(node, dict) else None


def _display_index(summary: dict) -> int:
    try:
        return int(summary.get("display-index") or 0)
    except (TypeError, ValueError):
        return 0


# A group of copies: its work summaries and its ``external-ids`` node.
_Group = tuple[list[dict], Any]


def _works_list(data: Any) -> list[dict | _Group] | None:
    """The work nodes (a summary, a detail or a group of copies), or None when ``data`` is no ORCID works
    document."""
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("bulk"), list):  # /works/{put-codes}: {"bulk": [{"work": {...}} | {"error": ...}]}
        return [
            entry["work"] for entry in data["bulk"] if isinstance(entry, dict) and isinstance(entry.get("work"), dict)
        ]
    profile = data.get("orcid-profile")
    if isinstance(profile, dict):  # v1.2
        works = _get(profile, "orcid-activities", "orcid-works", "orcid-work")
        return [w for w in works or [] if isinstance(w, dict)]
    summary = data.get("activities-summary")
    if summary is None and isinstance(data.get("works"), dict) and any(k in data for k in _ACTIVITY_KEYS):
        summary = data  # /activities: an activities summary without its wrapper
    works_node = summary.get("works") if isinstance(summary, dict) else data
    if isinstance(works_node, dict) and isinstance(works_node.get("group"), list):
        groups: list[dict | _Group] = []
        for group in works_node["group"]:
            summaries = [s for s in _get(group, "work-summary") or [] if isinstance(s, dict)]
            if summaries:
                groups.append((summaries, _get(group, "external-ids")))
        return groups
    if isinstance(summary, dict):
        return []  # a record whose activities hold no works
    if "put-code" in data and ("title" in data or "type" in data):
        return [data]  # one work detail
    return None


def detect(text: str) -> float:
    """0.95 for ORCID API works JSON (v1.2, v2.0, v2.1, v3.0).

    Examples
    --------
    >>> detect('{"activities-summary": {"works": {"group": []}}, "orcid-identifier": {}}')
    0.95
    >>> detect('{"group": []}'), detect('[1, 2]')
    (0.0, 0.0)
    """
    data = try_json(text)
    if not isinstance(data, dict):
        return 0.0
    if "activities-summary" in data or "orcid-profile" in data:
        return 0.95
    if isinstance(data.get("works"), dict) and any(k in data for k in _ACTIVITY_KEYS):
        return 0.9
    path = data.get("path")
    if isinstance(data.get("group"), list) and isinstance(path, str) and path.endswith("/works"):
        return 0.95
    nodes = _works_list(data)
    works = [w for node in nodes or [] for w in (node[0] if isinstance(node, tuple) else [node])]
    if works and all("put-code" in w for w in works[:5]):
        return 0.9
    return 0.0


def _lines(text: str) -> dict[str, int]:
    """Line of the first ``"put-code"`` of each value."""
    lines: dict[str, int] = {}
    for match in _PUT_CODE_RE.finditer(text):
        lines.setdefault(match.group(1), text.count("\n", 0, match.start()) + 1)
    return lines


def _owner(data: dict) -> tuple[str | None, str | None]:
    """The name and iD the answer gives its person (a record's ``person``, a ``/person``, v1.2 ``orcid-bio``)."""
    profile = data.get("orcid-profile") if isinstance(data.get("orcid-profile"), dict) else {}
    details = (
        _get(data, "person", "name")
        or (data.get("name") if str(_value(data.get("path")) or "").endswith("/person") else None)
        or _get(profile, "orcid-bio", "personal-details")
    )
    name = None
    if isinstance(details, dict):
        name = person_name(*(_value(details.get(part)) for part in ("credit-name", "given-names", "family-name")))
    orcid = orcid_id(_value(_get(data, "orcid-identifier", "path")) or _value(data.get("path")))
    return name, orcid or orcid_id(_value(_get(profile, "orcid-identifier", "path")))


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    data = try_json(text)
    nodes = _works_list(data)
    if nodes is None:
        return [], ["not an ORCID works document (no group, bulk, activities-summary or orcid-profile)"]
    lines = _lines(text)

    def read(node: dict) -> Work:
        return _work(node, lines.get(str(_value(node.get("put-code"))), 1))

    works: list[Work] = []
    mixed = split = 0
    for node in nodes:
        if isinstance(node, tuple):
            summaries, group_ids = node
            found = group_works([read(summary) for summary in summaries], _external_ids(group_ids))
            works.extend(found)
            if len(found) > 1:
                mixed, split = mixed + 1, split + len(found)
        else:
            works.append(read(node))
    name, orcid = _owner(data)
    return records_from_works(works, source, FORMAT, page_owner(name, orcid, works), (mixed, split))


EXTRACTOR = Extractor(
    name=FORMAT,
    description="ORCID works (public API JSON v1.2, v2.0, v2.1, v3.0: records, works summaries, work details)",
    detect=detect,
    extract=extract,
    whole_text_detect=True,
)
