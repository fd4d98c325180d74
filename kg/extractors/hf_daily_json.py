"""Hugging Face daily papers API JSON (``/api/daily_papers``, ``/api/papers/<id>``).

``/api/daily_papers`` answers a JSON array of ``{"paper": {...}, "publishedAt", "title",
"numComments", "submittedBy", ...}``; ``/api/papers/<id>`` answers the paper object alone
(``{"id", "title", "summary", "authors", "publishedAt", "upvotes", ...}``); an array of paper
objects is read too, and so is a dump of them as one object keyed by arXiv id (the key is the
id of a paper that has none). The paper's ``id`` is its arXiv identifier; ``publishedAt`` is the
arXiv publication date. The day the paper was featured is kept as ``featured``: the paper's
``submittedOnDailyAt``, or, in older answers without it, the entry's outer ``publishedAt``
(newer answers put the arXiv listing time there, which is no featuring day).
``ai_keywords`` (made by Hugging Face's software, not the authors) are kept as ``ai_keywords``; a
``githubRepo`` means code; the Hugging Face organization the paper is linked to is kept as
``organization`` (its name on the Hub, not an affiliation).

Examples
--------
>>> text = '''[{"paper": {"id": "2312.00752", "title": "Mamba: Linear-Time Sequence Modeling",
...   "summary": "Foundation models ...",
...   "authors": [{"_id": "a1", "name": "Albert Gu", "hidden": false},
...               {"_id": "a2", "name": "Tri Dao", "hidden": false, "user": {"user": "tridao"}}],
...   "publishedAt": "2023-12-01T18:01:34.000Z", "upvotes": 12, "ai_keywords": ["selective SSM"]},
...   "publishedAt": "2023-12-04T02:00:00.000Z", "title": "Mamba", "numComments": 3}]'''
>>> detect(text) >= 0.9
True
>>> [record], notes = extract(text, "daily_papers.json", ExtractOptions())
>>> [a.name for a in record.authors], record.date, record.ids, record.upvotes
(['Albert Gu', 'Tri Dao'], '2023-12-01', {'arxiv': '2312.00752'}, 12)
>>> record.extra["ai_keywords"], record.extra["featured"]
(['selective SSM'], '2023-12-04')
"""

from __future__ import annotations

import json
import re
from typing import Any

from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.jsondoc import array_items, iso_date, text_of, try_json
from kg.records import AuthorRef, Record, SourceRef
from kg.text import clean_space

FORMAT = "hf-daily-json"
_PAPER_KEYS = ("summary", "authors", "upvotes", "publishedAt")
_HF_ONLY_KEYS = ("upvotes", "discussionId", "ai_keywords", "ai_summary", "submittedOnDailyBy", "githubRepo")
_ARXIV_RE = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$", re.IGNORECASE)


def _paper_of(item: Any) -> dict | None:
    """The paper object of a daily-papers entry, or the item itself when it is a paper object."""
    if not isinstance(item, dict):
        return None
    paper = item.get("paper") if isinstance(item.get("paper"), dict) else item
    return paper if isinstance(paper.get("id"), str) and "title" in paper else None


def _is_hf_paper(paper: dict | None, wrapped: bool) -> bool:
    """An HF paper: an arXiv id, authors as ``{"name"}`` objects, and HF's own keys (or the daily wrapper)."""
    if paper is None or not _ARXIV_RE.match(paper.get("id", "")):
        return False
    authors = paper.get("authors")
    if not isinstance(authors, list) or not all(isinstance(a, dict) and "name" in a for a in authors):
        return False
    return sum(1 for k in _PAPER_KEYS if k in paper) >= 3 and (wrapped or any(k in paper for k in _HF_ONLY_KEYS))


def _with_key(key: str, value: Any) -> Any:
    """A value of an object keyed by arXiv id, given its key as its id when it has none of its own."""
    if not isinstance(value, dict) or not _ARXIV_RE.match(key.strip()):
        return value
    if isinstance(value.get("paper"), dict):
        paper = value["paper"]
        return value if paper.get("id") else {**value, "paper": {**paper, "id": key.strip()}}
    return value if value.get("id") else {**value, "id": key.strip()}


def _is_keyed(data: Any) -> bool:
    """An object keyed by arXiv id (a dump of paper objects), not one paper or daily entry itself."""
    return (
        isinstance(data, dict)
        and _paper_of(data) is None
        and any(isinstance(v, dict) for v in data.values())
        and all(_ARXIV_RE.match(str(k).strip()) for k in list(data)[:20])
    )


def _items(data: Any) -> list:
    """The entries of an answer: an array's items, a keyed dump's values (with their keys as ids), or the
    object itself (one paper)."""
    if isinstance(data, list):
        return data
    if _is_keyed(data):
        return [_with_key(key, value) for key, value in data.items()]
    return [data] if isinstance(data, dict) else []


def detect(text: str) -> float:
    items = [item for item in _items(try_json(text))[:20] if isinstance(item, dict)]
    if not items:
        return 0.0
    hits = sum(1 for item in items if _is_hf_paper(_paper_of(item), isinstance(item.get("paper"), dict)))
    share = hits / len(items)
    return 0.95 * share if share >= 0.5 else 0.0


def _author(entry: Any) -> AuthorRef | None:
    if not isinstance(entry, dict):
        return None
    name = clean_space(entry.get("name") or "") if isinstance(entry.get("name"), str) else ""
    return AuthorRef(name) if name else None


def _record(item: dict, line: int, source: str) -> Record | None:
    paper = _paper_of(item)
    if paper is None:
        return None
    title = text_of(paper.get("title")) or text_of(item.get("title"))
    abstract = text_of(paper.get("summary"))
    if not (title or abstract):
        return None
    authors = tuple(a for a in map(_author, paper.get("authors") or []) if a)
    extra: dict[str, Any] = {}
    keywords = [clean_space(k) for k in paper.get("ai_keywords") or [] if isinstance(k, str) and clean_space(k)]
    if keywords:
        extra["ai_keywords"] = list(dict.fromkeys(keywords))
    featured = iso_date(paper.get("submittedOnDailyAt"))
    if featured is None and item is not paper:
        featured = iso_date(item.get("publishedAt"))
    if featured:
        extra["featured"] = featured
    if isinstance(item.get("numComments"), int):
        extra["comments"] = item["numComments"]
    for key, field in (("ai_summary", "ai_summary"), ("project_page", "projectPage"), ("code", "githubRepo")):
        if text_of(paper.get(field)):
            extra[key] = text_of(paper.get(field))
    organization = paper.get("organization") or item.get("organization")
    if isinstance(organization, dict) and text_of(organization.get("fullname") or organization.get("name")):
        extra["organization"] = text_of(organization.get("fullname") or organization.get("name"))
    upvotes = paper.get("upvotes")
    return Record(
        title=title,
        authors=authors,
        date=iso_date(paper.get("publishedAt")),
        abstract=abstract,
        has_code=True if extra.get("code") else None,
        upvotes=upvotes if isinstance(upvotes, int) and not isinstance(upvotes, bool) else None,
        ids={"arxiv": paper["id"]} if _ARXIV_RE.match(paper["id"]) else {"hf": paper["id"]},
        source=SourceRef(source, line, FORMAT),
        extra=extra,
    )


def _key_line(text: str, key: str) -> int:
    """The line of the first ``"key":`` of an object keyed by arXiv id."""
    match = re.search(re.escape(json.dumps(key)) + r"\s*:", text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    data = try_json(text)
    if isinstance(data, list):
        located = list(array_items(text))
    elif _is_keyed(data):
        located = [(_key_line(text, key), _with_key(key, value)) for key, value in data.items()]
    elif isinstance(data, dict):
        located = [(text[: len(text) - len(text.lstrip())].count("\n") + 1, data)]
    else:
        located = []
    records = [r for line, item in located if isinstance(item, dict) and (r := _record(item, line, source))]
    notes = []
    if len(records) < len(located):
        notes.append(f"{len(located) - len(records)} item(s) without a paper title or summary skipped")
    if not located:
        notes.append("the JSON holds no Hugging Face paper")
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="Hugging Face daily papers API JSON (arXiv ids, upvotes, AI keywords)",
    detect=detect,
    extract=extract,
    whole_text_detect=True,
)
