"""CSL-JSON: the citation data of citeproc, Zotero's "Export Items > CSL JSON", Better BibTeX, Manubot.

A JSON array of items (or one item). Each item has a CSL ``type``; persons are
``{"family", "given", "non-dropping-particle", "dropping-particle", "suffix"}`` or
``{"literal"}`` (Crossref's CSL adds ``affiliation`` and ``ORCID``); ``issued`` is
``{"date-parts": [[y, m, d]]}`` (numbers or strings) or ``{"raw"}``/``{"literal"}``.
Editors, translators and other contributors are not authors: editors are kept in ``editors``.
``subject`` (Crossref's subject areas, which its CSL carries) gives ``crossref-subject`` ``subjects``.

Examples
--------
>>> text = '''[{"id": "xu2015", "type": "paper-conference", "title": "Show, Attend and Tell",
...   "author": [{"family": "Xu", "given": "Kelvin"}, {"family": "Beethoven", "given": "Ludwig",
...              "non-dropping-particle": "van"}, {"literal": "The Theano Development Team"}],
...   "issued": {"date-parts": [["2015", "7"]]}, "container-title": "ICML",
...   "DOI": "10.5555/3045118.3045336", "keyword": "attention; captioning"}]'''
>>> detect(text) >= 0.9
True
>>> [record], notes = extract(text, "items.json", ExtractOptions())
>>> [(a.name, a.given, a.family) for a in record.authors]  # doctest: +NORMALIZE_WHITESPACE
[('Kelvin Xu', 'Kelvin', 'Xu'), ('Ludwig van Beethoven', 'Ludwig', 'van Beethoven'),
 ('The Theano Development Team', None, None)]
>>> record.date, record.venue, record.ids, record.extra["keywords"]
('2015-07', 'ICML', {'doi': '10.5555/3045118.3045336', 'csl': 'xu2015'}, ['attention', 'captioning'])
"""

from __future__ import annotations

import re
from typing import Any

from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.jsondoc import array_items, date_from_parts, iso_date, strip_markup, text_of, try_json
from kg.extractors.common.subjects import subjects
from kg.records import AuthorRef, Record, SourceRef
from kg.text import clean_space

FORMAT = "csl-json"
# The item types of the CSL 1.0.2 specification.
_TYPE_LIST = """article article-journal article-magazine article-newspaper bill book broadcast chapter classic
    collection dataset document entry entry-dictionary entry-encyclopedia event figure graphic hearing
    interview legal_case legislation manuscript map motion_picture musical_score pamphlet paper-conference
    patent performance periodical personal_communication post post-weblog regulation report review
    review-book software song speech standard thesis treaty webpage"""
CSL_TYPES = frozenset(_TYPE_LIST.split())
_PERSON_KEYS = ("family", "given", "literal")
_DATE_KEYS = ("date-parts", "raw", "literal")
_YEAR_RE = re.compile(r"\b(1\d{3}|2\d{3})\b")
_ORCID_RE = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$")
_KEYWORD_SPLIT_RE = re.compile(r"\s*[;,]\s*")


def _items(data: Any) -> list[dict]:
    if isinstance(data, list):
        return [item for item in data if isinstance(item, dict)]
    if isinstance(data, dict) and "message-type" not in data:
        return [data]
    return []


def _is_csl_item(item: dict) -> bool:
    """A CSL type, and CSL-shaped persons or dates (Crossref's own types and OpenAlex's shapes are not)."""
    if item.get("type") not in CSL_TYPES:
        return False
    persons = [p for key in ("author", "editor") for p in item.get(key) or [] if isinstance(item.get(key), list)]
    csl_persons = bool(persons) and all(isinstance(p, dict) and any(k in p for k in _PERSON_KEYS) for p in persons)
    issued = item.get("issued")
    csl_date = isinstance(issued, dict) and any(k in issued for k in _DATE_KEYS)
    return csl_persons or csl_date


def detect(text: str) -> float:
    items = _items(try_json(text))
    if not items:
        return 0.0
    sample = items[:20]
    share = sum(1 for item in sample if _is_csl_item(item)) / len(sample)
    if share < 0.5:
        return 0.0
    return 0.9 * share if isinstance(try_json(text), list) else 0.85 * share


def _text(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return text_of(value)


def _person(entry: Any) -> AuthorRef | None:
    if isinstance(entry, str):
        return AuthorRef(clean_space(entry)) if clean_space(entry) else None
    if not isinstance(entry, dict):
        return None
    given = _text(entry.get("given"))
    family_parts = [_text(entry.get("non-dropping-particle")), _text(entry.get("family"))]
    family = " ".join(p for p in family_parts if p) or None
    dropping = _text(entry.get("dropping-particle"))
    suffix = _text(entry.get("suffix"))
    if family or given:
        name = " ".join(p for p in (given, dropping, family) if p)
        if suffix:
            name += f", {suffix}"
    else:
        name = _text(entry.get("literal")) or _text(entry.get("name")) or ""
        given = family = None
    if not name:
        return None
    affiliations = []
    for affiliation in entry.get("affiliation") or []:
        text = _text(affiliation.get("name")) if isinstance(affiliation, dict) else _text(affiliation)
        if text:
            affiliations.append(text)
    orcid_match = _ORCID_RE.search(_text(entry.get("ORCID")) or "")
    return AuthorRef(name, tuple(affiliations), orcid_match.group(1) if orcid_match else None, given, family)


def _date(item: dict) -> str | None:
    for key in ("issued", "published-print", "published-online", "original-date"):
        value = item.get(key)
        if not isinstance(value, dict):
            continue
        date = date_from_parts(value.get("date-parts"))
        for free in (value.get("raw"), value.get("literal")):
            if date or not isinstance(free, str):
                continue
            date = iso_date(free.strip())
            year = _YEAR_RE.search(free)
            date = date or (year.group(1) if year else None)
        if date:
            return date
    return None


def _first(value: Any) -> str | None:
    """The first identifier of a string ("978-...; 978-..."), a number or a list."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, (str, int))), None)
    text = _text(value)
    if not text:
        return None
    return clean_space(re.split(r"[;,]| (?=\d)", text)[0]) or None


def _keywords(value: Any) -> list[str]:
    parts = value if isinstance(value, list) else _KEYWORD_SPLIT_RE.split(value) if isinstance(value, str) else []
    return list(dict.fromkeys(clean_space(p) for p in parts if isinstance(p, str) and clean_space(p)))


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _record(item: dict, line: int, source: str) -> Record | None:
    title = _text(item.get("title"))
    abstract = strip_markup(item.get("abstract"))
    if not (title or abstract):
        return None
    authors = (
        tuple(a for a in map(_person, item.get("author") or []) if a) if isinstance(item.get("author"), list) else ()
    )
    ids: dict[str, str] = {}
    for key, field in (("doi", "DOI"), ("pmid", "PMID"), ("pmcid", "PMCID"), ("isbn", "ISBN"), ("issn", "ISSN")):
        value = _first(item.get(field)) if key in ("isbn", "issn") else _text(item.get(field))
        if value:
            ids[key] = value
    if _text(item.get("URL")):
        ids["url"] = _text(item.get("URL")) or ""
    if _text(item.get("id")):
        ids["csl"] = _text(item.get("id")) or ""
    extra: dict[str, Any] = {"document_type": item["type"]} if isinstance(item.get("type"), str) else {}
    editors = (
        [e.name for e in map(_person, item.get("editor") or []) if e] if isinstance(item.get("editor"), list) else []
    )
    if editors:
        extra["editors"] = editors
    keywords = _keywords(item.get("keyword"))
    if keywords:
        extra["keywords"] = keywords
    if _text(item.get("language")):
        extra["language"] = _text(item.get("language"))
    subject_names = item.get("subject") if isinstance(item.get("subject"), list) else []
    areas = subjects("crossref-subject", labels=[s for s in subject_names if isinstance(s, str)])
    if areas:
        extra["subjects"] = areas
    venue = next(
        (_text(item.get(k)) for k in ("container-title", "event-title", "event") if _text(item.get(k))),
        None,
    )
    return Record(
        title=title,
        authors=authors,
        date=_date(item),
        venue=venue,
        abstract=abstract,
        ids=ids,
        source=SourceRef(source, line, FORMAT),
        extra=extra,
    )


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    data = try_json(text)
    if isinstance(data, list):
        located = [(line, item) for line, item in array_items(text) if isinstance(item, dict)]
    else:
        located = [(text[: len(text) - len(text.lstrip())].count("\n") + 1, item) for item in _items(data)]
    records, skipped = [], 0
    for line, item in located:
        record = _record(item, line, source)
        if record is None:
            skipped += 1
        else:
            records.append(record)
    notes = [f"{skipped} item(s) without title or abstract skipped"] if skipped else []
    if not located:
        notes.append("the JSON holds no CSL item")
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="CSL-JSON (Zotero, Better BibTeX, citeproc, Manubot: given/family names, issued dates)",
    detect=detect,
    extract=extract,
    whole_text_detect=True,
)
