"""ORCID works as JSON: the public API's v2.0, v2.1 and v3.0 ``/works`` summaries, a ``/record`` (its
``activities-summary``), work details (``/work/{put-code}``, ``/works/{put-codes}`` as ``bulk``) and the old
v1.2 ``orcid-profile``; an ``/activities`` answer (an activities summary without its wrapper) too.

The fields and their rules are those of :mod:`kg.extractors.orcid_xml` (one record per work, or per
group of copies of one work; authors only where the work lists named contributors, never the record's
owner). Each record's line is the line of its work's ``put-code``. What real answers need besides:

* a group whose copies have ids that contradict (two DOIs or two EIDs with none in common) holds
  several works (ORCID grouped by any shared ``self`` id, and Scopus once sent the journal's ISSN as
  the work's own): each work is one record, with its own copies' ids, and a note says so;
* v3.0 lists a contributor once per CRediT role: one person with several roles is one author;
* an ISSN pair "03069877 15322777" is the first ISSN; a DOI typed with BibTeX escapes
  ("...-0\\_25") loses them; a work whose only link is a doi.org URL has that DOI.

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
# Keys beside "works" in an /activities answer (v2.0_rc1 to v3.0).
_ACTIVITY_KEYS = ("educations", "employments", "fundings", "peer-reviews", "distinctions", "memberships")
# Ids that name one work (a DOI, a Scopus EID...), unlike a journal's ISSN or a book's ISBN.
_WORK_ID_TYPES = {"doi", "eid", "pmid", "pmc", "arxiv", "wosuid", "handle", "bibcode", "dnb", "ethos", "jstor"}
# What one id is written with or without: "2-s2.0-" before an EID, a resolver before a DOI, "PMC", "arXiv:".
_ID_PREFIX_RE = re.compile(r"^(?:2-s2\.0-|https?://(?:dx\.)?doi\.org/|doi:\s*|pmc|arxiv:\s*)")
_ISSN_RE = re.compile(r"\b(\d{4})-?(\d{3}[\dXx])\b")
_DOI_LINK_RE = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\.\d{4,9}/\S+)$", re.I)
_TEX_ESCAPE_RE = re.compile(r"\\([_&%#$])")


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
    """ids from v2/v3 ``external-ids``, v2.0_rc1 ``external-identifiers`` or v1.2 ``work-external-identifiers``.

    A DOI typed in with BibTeX's escapes ("10.1007/978-3-642-33362-0\\_25") loses the backslashes.
    """
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
            if kind.lower() == "doi":
                value = _TEX_ESCAPE_RE.sub(r"\1", value)
            elif kind.lower() == "issn":  # Scopus wrote print and electronic ISSN in one: "03069877 15322777"
                issn = _ISSN_RE.search(value)
                value = f"{issn.group(1)}-{issn.group(2).upper()}" if issn else value
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
        external_ids=_external_ids(
            node.get("external-ids") or node.get("work-external-identifiers") or node.get("external-identifiers")
        ),
        abstract=_value(node.get("short-description")),
        url=_value(node.get("url")),
        line=line,
    )
    doi_link = _DOI_LINK_RE.match(work.url or "")
    if doi_link and not any(kind.lower() == "doi" for kind, _, _ in work.external_ids):
        work.external_ids.append(("doi", doi_link.group(1), "self"))  # the work's link is its DOI
    contributors = node.get("contributors") or node.get("work-contributors")
    if isinstance(contributors, dict):
        work.contributors = []
        seen: dict[tuple[str | None, str | None], set[str | None]] = {}
        for entry in contributors.get("contributor") or []:
            if not isinstance(entry, dict):
                continue
            orcid = entry.get("contributor-orcid")
            orcid_text = (_value(orcid.get("path")) or _value(orcid.get("uri"))) if isinstance(orcid, dict) else None
            role = _value(_get(entry, "contributor-attributes", "contributor-role"))
            name = _value(entry.get("credit-name"))
            roles = seen.setdefault((name, orcid_text), set())
            # v3.0 lists a person once per CRediT role: a second role of the same person is no new author.
            if roles and role not in roles and (name or orcid_text):
                roles.add(role)
                continue
            roles.add(role)
            work.contributors.append(Contributor(name, orcid_text, role))
    return work


def _display_index(summary: dict) -> int:
    try:
        return int(summary.get("display-index") or 0)
    except (TypeError, ValueError):
        return 0


def _self_ids(summary: dict) -> dict[str, set[str]]:
    """A summary's own work-level ids by type (``self`` DOIs, EIDs, PMIDs...; not a journal's ISSN)."""
    ids: dict[str, set[str]] = {}
    for kind, value, relationship in _external_ids(summary.get("external-ids")):
        kind = kind.lower().replace("_", "-")
        if kind in _WORK_ID_TYPES and (relationship or "self").lower() == "self":
            ids.setdefault(kind, set()).add(_ID_PREFIX_RE.sub("", value.strip().lower()))
    return ids


def _copies(summaries: list[dict]) -> list[list[dict]]:
    """The summaries of one ORCID group, split into works. Copies that share a DOI, EID... are one work;
    the others join the first work whose ids do not contradict theirs (two DOIs, two EIDs with none in
    common). ORCID grouped by any shared ``self`` id, so a source that called the journal's ISSN the
    work's own put a journal's papers in one group."""
    works: list[tuple[list[dict], dict[str, set[str]]]] = []
    for summary in summaries:  # copies that share an id
        ids = _self_ids(summary)
        joined = [w for w in works if any(ids.get(k, set()) & values for k, values in w[1].items())]
        members, merged = [summary], ids
        for other_members, other_ids in joined:
            works.remove((other_members, other_ids))
            members = [*other_members, *members]
            merged = {k: merged.get(k, set()) | other_ids.get(k, set()) for k in {*merged, *other_ids}}
        works.append((members, merged))
    merged_works: list[tuple[list[dict], dict[str, set[str]]]] = []
    for members, ids in sorted(works, key=lambda w: min(summaries.index(m) for m in w[0])):
        for other_members, other_ids in merged_works:  # copies whose ids do not contradict
            if not any(k in other_ids and not ids[k] & other_ids[k] for k in ids):
                other_members.extend(members)
                for k, values in ids.items():
                    other_ids.setdefault(k, set()).update(values)
                break
        else:
            merged_works.append((list(members), {k: set(v) for k, v in ids.items()}))
    return [sorted(members, key=summaries.index) for members, _ in merged_works]


def _works_list(data: Any, notes: list[str] | None = None) -> list[dict] | None:
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
    if summary is None and isinstance(data.get("works"), dict) and any(k in data for k in _ACTIVITY_KEYS):
        summary = data  # /activities: an activities summary without its wrapper
    works_node = summary.get("works") if isinstance(summary, dict) else data
    if isinstance(works_node, dict) and isinstance(works_node.get("group"), list):
        out, mixed, split = [], 0, 0
        for group in works_node["group"]:
            summaries = [s for s in _get(group, "work-summary") or [] if isinstance(s, dict)]
            if not summaries:
                continue
            copies = _copies(summaries)
            group_ids = _get(group, "external-ids", "external-id")
            for members in copies:
                best = max(members, key=_display_index)
                preferred = dict(best)
                # The group's ids (all its copies' ids) are the work's when the group is one work;
                # else the work has the ids of its own copies.
                if len(copies) == 1:
                    extra_ids = group_ids if isinstance(group_ids, list) else []
                else:
                    copies_ids = (_get(m, "external-ids", "external-id") or [] for m in members if m is not best)
                    extra_ids = [i for ids in copies_ids for i in ids]
                if extra_ids:
                    own = _get(preferred, "external-ids", "external-id") or []
                    preferred["external-ids"] = {"external-id": [*own, *extra_ids]}
                out.append(preferred)
            if len(copies) > 1:
                mixed += 1
                split += len(copies)
        if mixed and notes is not None:
            notes.append(
                f"{mixed} ORCID group(s) held copies of different works (distinct DOIs or EIDs): read as {split} works"
            )
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
    if isinstance(data.get("works"), dict) and any(k in data for k in _ACTIVITY_KEYS):
        return 0.9
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
    grouping: list[str] = []
    nodes = _works_list(data, grouping)
    if nodes is None:
        return [], ["not an ORCID works document (no group, bulk, activities-summary or orcid-profile)"]
    lines = _lines(text)
    works = [_work(node, lines.get(str(_value(node.get("put-code"))), 1)) for node in nodes]
    owner = orcid_id(_value(_get(data, "orcid-identifier", "path")) or _value(_get(data, "path")))
    owner = owner or orcid_id(_value(_get(data, "orcid-profile", "orcid-identifier", "path")))
    records, notes = records_from_works(works, source, FORMAT, owner)
    return records, [*grouping, *notes]


EXTRACTOR = Extractor(
    name=FORMAT,
    description="ORCID works (public API JSON v1.2, v2.0, v2.1, v3.0: records, works summaries, work details)",
    detect=detect,
    extract=extract,
    whole_text_detect=True,
)
