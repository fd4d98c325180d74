"""ORCID works as JSON: the public API's v2.0, v2.1 and v3.0 ``/works`` summaries, a ``/record`` (its
``activities-summary``), work details (``/work/{put-code}``, ``/works/{put-codes}`` as ``bulk``) and the old
v1.2 ``orcid-profile``.

The fields and their rules are those of :mod:`kg.extractors.orcid_xml` (one record per work, or per
group of copies of one work; authors only where the work lists named contributors, never the record's
owner). Each record's line is the line of its work's ``put-code``.

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
"""

from __future__ import annotations

import re
from typing import Any

from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.jsondoc import try_json
from kg.extractors.orcid_xml import Contributor, Work, orcid_id, records_from_works
from kg.records import Record

FORMAT = "orcid-json"
_PUT_CODE_RE = re.compile(r'"put-code"\s*:\s*"?(\d+)')


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
    """ids from v2/v3 ``external-ids`` or v1.2 ``work-external-identifiers``."""
    out = []
    entries = _get(node, "external-id") or _get(node, "work-external-identifier") or []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        kind = _value(entry.get("external-id-type") or entry.get("work-external-identifier-type"))
        value = _value(entry.get("external-id-value") or entry.get("work-external-identifier-id"))
        if kind and value:
            out.append((kind, value, _value(entry.get("external-id-relationship"))))
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
        external_ids=_external_ids(node.get("external-ids") or node.get("work-external-identifiers")),
        abstract=_value(node.get("short-description")),
        url=_value(node.get("url")),
        line=line,
    )
    contributors = node.get("contributors") or node.get("work-contributors")
    if isinstance(contributors, dict):
        work.contributors = []
        for entry in contributors.get("contributor") or []:
            if not isinstance(entry, dict):
                continue
            orcid = entry.get("contributor-orcid")
            orcid_text = (_value(orcid.get("path")) or _value(orcid.get("uri"))) if isinstance(orcid, dict) else None
            role = _value(_get(entry, "contributor-attributes", "contributor-role"))
            work.contributors.append(Contributor(_value(entry.get("credit-name")), orcid_text, role))
    return work


def _display_index(summary: dict) -> int:
    try:
        return int(summary.get("display-index") or 0)
    except (TypeError, ValueError):
        return 0


def _works_list(data: Any) -> list[dict] | None:
    """The work nodes (each a summary or detail), or None when ``data`` is no ORCID works document."""
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
    works_node = summary.get("works") if isinstance(summary, dict) else data
    if isinstance(works_node, dict) and isinstance(works_node.get("group"), list):
        out = []
        for group in works_node["group"]:
            summaries = [s for s in _get(group, "work-summary") or [] if isinstance(s, dict)]
            if not summaries:
                continue
            preferred = dict(max(summaries, key=_display_index))
            group_ids = _get(group, "external-ids", "external-id")
            if isinstance(group_ids, list) and group_ids:
                own = _get(preferred, "external-ids", "external-id") or []
                preferred["external-ids"] = {"external-id": [*own, *group_ids]}
            out.append(preferred)
        return out
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
    path = data.get("path")
    if isinstance(data.get("group"), list) and isinstance(path, str) and path.endswith("/works"):
        return 0.95
    works = _works_list(data)
    if works and all(isinstance(w, dict) and "put-code" in w for w in works[:5]):
        return 0.9
    return 0.0


def _lines(text: str) -> dict[str, int]:
    """Line of the first ``"put-code"`` of each value."""
    lines: dict[str, int] = {}
    for match in _PUT_CODE_RE.finditer(text):
        lines.setdefault(match.group(1), text.count("\n", 0, match.start()) + 1)
    return lines


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    data = try_json(text)
    nodes = _works_list(data)
    if nodes is None:
        return [], ["not an ORCID works document (no group, bulk, activities-summary or orcid-profile)"]
    lines = _lines(text)
    works = [_work(node, lines.get(str(_value(node.get("put-code"))), 1)) for node in nodes]
    owner = orcid_id(_value(_get(data, "orcid-identifier", "path")) or _value(_get(data, "path")))
    owner = owner or orcid_id(_value(_get(data, "orcid-profile", "orcid-identifier", "path")))
    return records_from_works(works, source, FORMAT, owner)


EXTRACTOR = Extractor(
    name=FORMAT,
    description="ORCID works (public API JSON v1.2, v2.0, v2.1, v3.0: records, works summaries, work details)",
    detect=detect,
    extract=extract,
    whole_text_detect=True,
)
