"""OpenReview notes as JSON: the API's ``{"notes": [...]}`` answers, v1 (plain content values) and v2
(content values wrapped as ``{"value": ...}``), a bare list of notes, or notes as crawlers save them: an
object, or a list of objects, holding lists of notes under other keys (``[{"venue": ..., "submissions":
[...]}]``).

A paper is a forum's root note (its ``id`` is its ``forum``, it replies to nothing) with a title in its
content. Replies are skipped, titled or not: in API v1 reviews, decisions and comments carry titles of their
own ("Acceptance Decision"). So are deleted notes (a ``ddate``) and notes without a title. The record's
``openreview`` id is the note's forum; its date is the UTC day of ``pdate`` (publication), else ``odate``,
``cdate`` or ``tcdate`` (milliseconds since the epoch). ``authorids`` that are OpenReview profiles
(``~Ada_Lovelace1``) go in ``extra["openreview_profiles"]``, aligned with the authors; e-mail addresses are
dropped; the note's (first) invitation is kept as ``extra["invitation"]``. Each record's line is the line
of its note's ``id``.

Examples
--------
>>> text = '''{"notes": [{"id": "abc123", "forum": "abc123", "pdate": 1704067200000,
...   "content": {"title": {"value": "A Fixture Paper"}, "authors": {"value": ["Ada Lovelace", "Alan Turing"]},
...   "authorids": {"value": ["~Ada_Lovelace1", "alan@example.org"]}, "venue": {"value": "ICLR 2024 poster"},
...   "venueid": {"value": "ICLR.cc/2024/Conference"}, "keywords": {"value": ["fixtures"]}}},
...  {"id": "r1", "forum": "abc123", "replyto": "abc123", "content": {"title": {"value": "Fine."}}}],
...  "count": 2}'''
>>> records, notes = extract(text, "notes.json", ExtractOptions())
>>> r = records[0]
>>> r.title, [a.name for a in r.authors], r.date, r.venue, r.ids
('A Fixture Paper', ['Ada Lovelace', 'Alan Turing'], '2024-01-01', 'ICLR 2024 poster', {'openreview': 'abc123'})
>>> r.extra["openreview_profiles"], r.extra["keywords"]
(['~Ada_Lovelace1', None], ['fixtures'])
>>> notes
['1 reply skipped (reviews, comments, decisions: notes answering another note)']
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


def _note_lists(data: Any) -> list[list] | None:
    """The lists of notes in ``data``, or None when it holds none.

    ``{"notes": [...]}`` (an API answer) and a bare list of notes first; else the lists of notes held under
    any key of an object, or of each object of a list, that is no note itself (a crawler's
    ``[{"venue": ..., "submissions": [...]}]``). Lists nested deeper (a note's replies or revisions) are not
    read.
    """
    if isinstance(data, dict) and isinstance(data.get("notes"), list):
        return [data["notes"]]
    if isinstance(data, list) and data and all(_is_note(item) for item in data[:5]):
        return [data]
    holders = [data] if isinstance(data, dict) else data if isinstance(data, list) else []
    if not holders or not all(isinstance(h, dict) and not _is_note(h) for h in holders):
        return None
    lists = [value for holder in holders for value in holder.values() if _is_note_list(value)]
    return lists or None


def _is_note_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(_is_note(item) for item in value[:5])


def _is_note(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("content"), dict) and any(k in item for k in _NOTE_KEYS)


def detect(text: str) -> float:
    """0.95 for ``{"notes": [...]}`` whose notes have ``content`` and ``forum``/``invitation``/dates; 0.9 for
    a bare list of such notes, or lists of them held by a crawler's objects.

    Examples
    --------
    >>> detect('{"notes": [{"id": "a", "forum": "a", "content": {"title": "T"}}], "count": 1}')
    0.95
    >>> detect('[{"venue": "NIPS.cc", "submissions": [{"id": "a", "forum": "a", "content": {"title": "T"}}]}]')
    0.9
    >>> detect('{"notes": ["a note"]}'), detect('[{"title": "T"}]')
    (0.0, 0.0)
    """
    data = try_json(text)
    lists = _note_lists(data)
    if lists is None:
        return 0.0
    if not (isinstance(data, dict) and "notes" in data):
        return 0.9
    notes = lists[0]
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
    invitation = note.get("invitation") or next(iter(note.get("invitations") or []), None)
    if isinstance(invitation, str) and invitation:
        extra["invitation"] = invitation
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


def _skip_reason(note: Any) -> str | None:
    """Why a note is no paper: ``"reply"``, ``"deleted"``, ``"untitled"``; None for a paper."""
    if not isinstance(note, dict) or not isinstance(note.get("content"), dict):
        return "untitled"
    ddate = note.get("ddate")
    if isinstance(ddate, (int, float)) and not isinstance(ddate, bool) and ddate > 0:
        return "deleted"
    replyto, forum, note_id = note.get("replyto"), note.get("forum"), note.get("id")
    in_another_forum = isinstance(forum, str) and isinstance(note_id, str) and bool(forum) and forum != note_id
    if (isinstance(replyto, str) and replyto) or in_another_forum:
        return "reply"
    return None if _text(note["content"].get("title")) else "untitled"


_SKIPPED = {
    "reply": "{n} repl{ies} skipped (reviews, comments, decisions: notes answering another note)",
    "deleted": "{n} deleted note{s} skipped (a ddate)",
    "untitled": "{n} note{s} without a title skipped",
}


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    lists = _note_lists(try_json(text))
    if lists is None:
        return [], ["not an OpenReview notes answer (no notes list)"]
    notes = [note for found in lists for note in found]
    if not notes:
        return [], ["the OpenReview answer holds no notes"]
    lines: dict[str, int] = {}
    for match in _ID_RE.finditer(text):
        lines.setdefault(match.group(1), text.count("\n", 0, match.start()) + 1)
    records: list[Record] = []
    skipped = {reason: 0 for reason in _SKIPPED}
    for note in notes:
        reason = _skip_reason(note)
        record = None if reason else _record(note, source, lines.get(str(note.get("id")), 1))
        if record is None:
            skipped[reason or "untitled"] += 1
        else:
            records.append(record)
    messages = [
        _SKIPPED[reason].format(n=n, s="" if n == 1 else "s", ies="y" if n == 1 else "ies")
        for reason, n in skipped.items()
        if n
    ]
    return records, messages


EXTRACTOR = Extractor(
    name=FORMAT,
    description="OpenReview notes JSON (API v1 and v2; submissions only, reviews and comments skipped)",
    detect=detect,
    extract=extract,
    whole_text_detect=True,
)
