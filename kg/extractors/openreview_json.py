"""OpenReview notes as JSON: the API's ``{"notes": [...]}`` answers, v1 (plain content values) and v2
(content values wrapped as ``{"value": ...}``), or a bare list of notes.

A note with a title in its content is a paper (a submission); reviews, comments and decisions have none
and are skipped. The record's ``openreview`` id is the note's forum (its submission's id); its date is the
UTC day of ``pdate`` (publication), else ``odate``, ``cdate`` or ``tcdate`` (milliseconds since the epoch).
``authorids`` that are OpenReview profiles (``~Ada_Lovelace1``) go in ``extra["openreview_profiles"]``,
aligned with the authors; e-mail addresses are dropped. Each record's line is the line of its note's ``id``.

Examples
--------
>>> text = '''{"notes": [{"id": "abc123", "forum": "abc123", "pdate": 1704067200000,
...   "content": {"title": {"value": "A Fixture Paper"}, "authors": {"value": ["Ada Lovelace", "Alan Turing"]},
...   "authorids": {"value": ["~Ada_Lovelace1", "alan@example.org"]}, "venue": {"value": "ICLR 2024 poster"},
...   "venueid": {"value": "ICLR.cc/2024/Conference"}, "keywords": {"value": ["fixtures"]}}},
...  {"id": "r1", "forum": "abc123", "content": {"review": {"value": "Fine."}}}], "count": 2}'''
>>> records, notes = extract(text, "notes.json", ExtractOptions())
>>> r = records[0]
>>> r.title, [a.name for a in r.authors], r.date, r.venue, r.ids
('A Fixture Paper', ['Ada Lovelace', 'Alan Turing'], '2024-01-01', 'ICLR 2024 poster', {'openreview': 'abc123'})
>>> r.extra["openreview_profiles"], r.extra["keywords"], notes
(['~Ada_Lovelace1', None], ['fixtures'], ['1 note(s) without a title skipped (reviews, comments, decisions)'])
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.jsondoc import try_json
from kg.records import AuthorRef, Record, SourceRef

FORMAT = "openreview-json"
_ID_RE = re.compile(r'"id"\s*:\s*"((?:[^"\\]|\\.)*)"')
_ORCID_RE = re.compile(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$")
_NOTE_KEYS = ("forum", "invitation", "invitations", "replyto", "cdate", "tcdate")


def _value(node: Any) -> Any:
    """API v2 wraps every content value as ``{"value": ...}``; v1 gives it as it is."""
    if isinstance(node, dict) and "value" in node:
        return node["value"]
    return node


def _text(node: Any) -> str | None:
    value = _value(node)
    if isinstance(value, str):
        return " ".join(value.split()) or None
    return None


def _notes(data: Any) -> list | None:
    """The list of notes, or None when ``data`` is no OpenReview notes answer."""
    if isinstance(data, dict) and isinstance(data.get("notes"), list):
        return data["notes"]
    if isinstance(data, list) and data and all(_is_note(item) for item in data[:5]):
        return data
    return None


def _is_note(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("content"), dict) and any(k in item for k in _NOTE_KEYS)


def detect(text: str) -> float:
    """0.95 for ``{"notes": [...]}`` whose notes have ``content`` and ``forum``/``invitation``/dates; 0.9 for
    a bare list of such notes.

    Examples
    --------
    >>> detect('{"notes": [{"id": "a", "forum": "a", "content": {"title": "T"}}], "count": 1}')
    0.95
    >>> detect('{"notes": ["a note"]}'), detect('[{"title": "T"}]')
    (0.0, 0.0)
    """
    data = try_json(text)
    notes = _notes(data)
    if notes is None:
        return 0.0
    if isinstance(data, list):
        return 0.9
    if not notes:
        return 0.9 if "count" in data else 0.0
    return 0.95 if all(_is_note(item) for item in notes[:5]) else 0.0


def _date(note: dict) -> str | None:
    for key in ("pdate", "odate", "cdate", "tcdate"):
        stamp = note.get(key)
        if isinstance(stamp, (int, float)) and not isinstance(stamp, bool) and stamp > 0:
            try:
                moment = datetime.datetime.fromtimestamp(stamp / 1000, tz=datetime.timezone.utc)
            except (OverflowError, OSError, ValueError):
                continue
            return moment.date().isoformat()
    return None


def _authors(content: dict) -> tuple[list[AuthorRef], list[str | None]]:
    names = _value(content.get("authors"))
    ids = _value(content.get("authorids"))
    names = names if isinstance(names, list) else []
    ids = ids if isinstance(ids, list) and len(ids) == len(names) else [None] * len(names)
    authors, profiles = [], []
    for name, author_id in zip(names, ids, strict=True):
        if isinstance(name, dict):  # a unified author entry: {"fullname": ..., "username": ...}
            author_id = author_id or name.get("username")
            name = name.get("fullname")
        if not isinstance(name, str) or not name.strip():
            continue
        author_id = author_id.strip() if isinstance(author_id, str) else ""
        orcid = _ORCID_RE.match(author_id)
        authors.append(AuthorRef(" ".join(name.split()), orcid=orcid.group(1) if orcid else None))
        profiles.append(author_id if author_id.startswith("~") else None)
    return authors, profiles


def _record(note: dict, source: str, line: int) -> Record | None:
    content = note.get("content")
    if not isinstance(content, dict):
        return None
    title = _text(content.get("title"))
    if not title:
        return None
    authors, profiles = _authors(content)
    forum = note.get("forum") or note.get("id")
    extra: dict[str, Any] = {}
    keywords = _value(content.get("keywords"))
    if isinstance(keywords, list):
        keywords = [" ".join(k.split()) for k in keywords if isinstance(k, str) and k.strip()]
        if keywords:
            extra["keywords"] = keywords
    if any(profiles):
        extra["openreview_profiles"] = profiles
    venueid = _text(content.get("venueid"))
    if venueid:
        extra["venueid"] = venueid
    pdf = _text(content.get("pdf"))
    if pdf:
        extra["pdf"] = "https://openreview.net" + pdf if pdf.startswith("/") else pdf
    return Record(
        title=title,
        authors=tuple(authors),
        date=_date(note),
        venue=_text(content.get("venue")) or venueid,
        abstract=_text(content.get("abstract")),
        ids={"openreview": forum} if isinstance(forum, str) and forum else {},
        source=SourceRef(source, line, FORMAT),
        extra=extra,
    )


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    notes = _notes(try_json(text))
    if notes is None:
        return [], ["not an OpenReview notes answer (no notes list)"]
    if not notes:
        return [], ["the OpenReview answer holds no notes"]
    lines: dict[str, int] = {}
    for match in _ID_RE.finditer(text):
        lines.setdefault(match.group(1), text.count("\n", 0, match.start()) + 1)
    records, skipped = [], 0
    for note in notes:
        record = _record(note, source, lines.get(str(note.get("id")), 1)) if isinstance(note, dict) else None
        if record is None:
            skipped += 1
        else:
            records.append(record)
    messages = [f"{skipped} note(s) without a title skipped (reviews, comments, decisions)"] if skipped else []
    return records, messages


EXTRACTOR = Extractor(
    name=FORMAT,
    description="OpenReview notes JSON (API v1 and v2; submissions only, reviews and comments skipped)",
    detect=detect,
    extract=extract,
    whole_text_detect=True,
)
