"""The record contract: what every extractor emits, one object per paper.

Extractors know nothing of RDF; they produce :class:`Record` objects, which
``kg extract`` prints as JSON Lines and ``kg build`` turns into a graph. The
key order of :meth:`Record.to_dict` is part of the contract (ARCHITECTURE.md).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from kg.errors import KgError
from kg.text import UNSAFE_RE as _UNSAFE_RE
from kg.text import normalise_doi, sanitize_text

_DATE_PATTERN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# The extra key under which a reader lists the author entries its source marks as groups, not people
# (kg.resolve.groups moves them to the paper's orgs).
COLLECTIVE_AUTHORS = "collective_authors"


def _unsafe(value) -> bool:
    """Whether ``value`` (text, or tuples, lists and dicts of it) holds a character :func:`_clean` drops."""
    if isinstance(value, str):
        return _UNSAFE_RE.search(value) is not None
    if isinstance(value, (tuple, list)):
        return any(map(_unsafe, value))
    if isinstance(value, dict):
        return any(map(_unsafe, value)) or any(map(_unsafe, value.values()))
    return False


def _clean(value):
    if isinstance(value, str):
        return sanitize_text(value)
    if isinstance(value, tuple):
        return tuple(_clean(v) for v in value)
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class AuthorRef:
    """One author of one paper, as printed.

    ``given`` and ``family`` are the name's parts when the source gives them
    apart (RIS, CSL-JSON, PubMed); they are printed only when known.

    Examples
    --------
    >>> AuthorRef("Kelvin Xu").to_dict()
    {'name': 'Kelvin Xu', 'affiliations': [], 'orcid': None}
    >>> AuthorRef("Xu, Kelvin", given="Kelvin", family="Xu").to_dict()
    {'name': 'Xu, Kelvin', 'affiliations': [], 'orcid': None, 'given': 'Kelvin', 'family': 'Xu'}
    """

    name: str
    affiliations: tuple[str, ...] = ()
    orcid: str | None = None
    given: str | None = None
    family: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "affiliations": list(self.affiliations), "orcid": self.orcid}
        if self.given is not None or self.family is not None:
            out["given"], out["family"] = self.given, self.family
        return out


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a record came from: the input as named, its 1-based line, the format.

    ``key`` names a local file whatever its spelling (``page.txt``, ``./page.txt``
    or its absolute path, from any working directory): a digest of its real path,
    set when the file is read. Source IRIs are minted from it, so they do not
    depend on where kg ran. Empty for URLs (their own name is stable) and text.
    """

    path: str
    line: int
    format: str
    key: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "line": self.line, "format": self.format}
        if self.key:
            out["key"] = self.key
        return out


@dataclass(frozen=True, slots=True)
class Record:
    """One paper as one source describes it.

    Field meanings follow the record contract in ARCHITECTURE.md. ``extra`` holds
    additional keys an extractor knows (they are printed after the contract keys).
    Author entries that are no person are decided here, once, for every reader:
    "et al.", "and others" or "…" set ``authors_truncated``; placeholders such as
    "[No author name available]" or "Anonymous" are not authors
    (``kg/data/author_placeholders.json``).

    Examples
    --------
    >>> r = Record(title="Universal Transformers", author_count=5,
    ...            date="2018-07-10", source=SourceRef("page.txt", 12, "hf-papers"))
    >>> d = r.to_dict()
    >>> d["title"], d["author_count"], d["date"], d["source"]["line"]
    ('Universal Transformers', 5, '2018-07-10', 12)
    >>> r = Record(title="T", authors=(AuthorRef("Ann Lee"), AuthorRef("et al.")))
    >>> [a.name for a in r.authors], r.authors_truncated
    (['Ann Lee'], True)
    >>> [a.name for a in Record(title="T", authors=(AuthorRef("[No author name available]"),)).authors]
    []

    A DOI is kept one way, whoever read it: no resolver prefix, lower case, no trailing
    punctuation (:func:`kg.text.normalise_doi`); so is a cited reference's.

    >>> Record(title="T", ids={"doi": "https://doi.org/10.1103/PhysRevD.93.016005,"}).ids
    {'doi': '10.1103/physrevd.93.016005'}
    """

    title: str | None = None
    authors: tuple[AuthorRef, ...] = ()
    authors_truncated: bool = False
    author_count: int | None = None
    orgs: tuple[str, ...] = ()
    date: str | None = None
    date_inferred: bool = False
    categories: tuple[str, ...] = ()
    venue: str | None = None
    has_code: bool | None = None
    upvotes: int | None = None
    abstract: str | None = None
    ids: dict[str, str] = field(default_factory=dict)
    source: SourceRef | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.date is not None and not _spaced_once(self.date):
            object.__setattr__(self, "date", _collapsed(self.date))
        if self.date is not None and not _DATE_PATTERN.match(self.date):
            raise KgError(f"record date must be YYYY, YYYY-MM or YYYY-MM-DD, got {self.date!r}")
        # Every record is made safe once, here, whatever extractor built it.
        for name in ("title", "abstract", "venue", "orgs", "categories", "ids", "extra"):
            value = getattr(self, name)
            if value and _unsafe(value):  # most values are clean: walked, not copied
                object.__setattr__(self, name, _clean(value))
        if self.source is not None and _UNSAFE_RE.search(self.source.path + self.source.format):
            source = SourceRef(_clean(self.source.path), self.source.line, _clean(self.source.format))
            object.__setattr__(self, "source", source)
        author_text = "".join(  # one search for every author (a value that is not text fails here, as it should)
            "".join((a.name, *a.affiliations, a.orcid or "", a.given or "", a.family or "")) for a in self.authors
        )
        if _UNSAFE_RE.search(author_text):
            authors = tuple(
                AuthorRef(_clean(a.name), _clean(a.affiliations), _clean(a.orcid), _clean(a.given), _clean(a.family))
                for a in self.authors
            )
            # A name of control characters only is no name: that author is not kept.
            object.__setattr__(self, "authors", tuple(a for a in authors if a.name.strip()))
        # Whitespace collapsed, whoever made the record, so that a record read back from its stored line
        # (record_json) is the record that was stored.
        for name in ("title", "abstract", "venue"):
            value = getattr(self, name)
            if value is not None and not _spaced_once(value):
                object.__setattr__(self, name, _collapsed(value))
        for name in ("orgs", "categories"):
            value = getattr(self, name)
            if not all(map(_spaced_once, value)):
                object.__setattr__(self, name, _collapsed_all(value))
        if not all(map(_spaced_author, self.authors)):
            authors = tuple(
                AuthorRef(_collapsed(a.name) or "", _collapsed_all(a.affiliations), _collapsed(a.orcid),
                          _collapsed(a.given), _collapsed(a.family))
                for a in self.authors
            )  # fmt: skip
            object.__setattr__(self, "authors", tuple(a for a in authors if a.name))
        if not all(value and value == value.strip() for value in self.ids.values()):
            object.__setattr__(self, "ids", {k: v.strip() for k, v in self.ids.items() if v.strip()})
        if "doi" in self.ids:
            doi = normalise_doi(self.ids["doi"])
            if doi != self.ids["doi"]:
                ids = {k: v for k, v in self.ids.items() if k != "doi" or doi}
                if doi:
                    ids["doi"] = doi
                object.__setattr__(self, "ids", ids)
        references = self.extra.get("references")
        if isinstance(references, list) and any(isinstance(r, dict) and "doi" in r for r in references):
            object.__setattr__(self, "extra", {**self.extra, "references": [_with_normal_doi(r) for r in references]})
        if any(_may_be_no_person(a.name) for a in self.authors):
            people, truncated = _people(self.authors)
            object.__setattr__(self, "authors", people)
            if truncated:
                object.__setattr__(self, "authors_truncated", True)
            listed = self.extra.get(COLLECTIVE_AUTHORS)
            if isinstance(listed, list):
                # A group entry that is no author ("et al" as a PubMed CollectiveName) is no group either.
                kept = {" ".join(a.name.split()) for a in people}
                groups = [name for name in listed if isinstance(name, str) and " ".join(name.split()) in kept]
                extra = {k: v for k, v in self.extra.items() if k != COLLECTIVE_AUTHORS}
                object.__setattr__(self, "extra", {**extra, COLLECTIVE_AUTHORS: groups} if groups else extra)

    def to_dict(self) -> dict[str, Any]:
        """Return the record as a plain dict in contract key order."""
        out: dict[str, Any] = {
            "title": self.title,
            "authors": [a.to_dict() for a in self.authors],
            "authors_truncated": self.authors_truncated,
            "author_count": self.author_count,
            "orgs": list(self.orgs),
            "date": self.date,
            "date_inferred": self.date_inferred,
            "categories": list(self.categories),
            "venue": self.venue,
            "has_code": self.has_code,
            "upvotes": self.upvotes,
            "abstract": self.abstract,
            "ids": dict(self.ids),
            "source": self.source.to_dict() if self.source else None,
        }
        for key, value in self.extra.items():
            out.setdefault(key, value)
        return out


def _with_normal_doi(reference: Any) -> Any:
    if not isinstance(reference, dict) or not isinstance(reference.get("doi"), str):
        return reference
    doi = normalise_doi(reference["doi"])
    if doi == reference["doi"]:
        return reference
    return {k: (doi if k == "doi" else v) for k, v in reference.items() if k != "doi" or doi}


_NO_PERSON_HINTS = ("et al", "other", "etc", "…", "...", "anon", "unknown", "n/a", "no author", "[", "none", "null")
_DOTS_AND_SPACES_RE = re.compile(r"[\s.]+")


_NO_PERSON_HINT_RE = re.compile("|".join(map(re.escape, _NO_PERSON_HINTS)))


def _may_be_no_person(name: str) -> bool:
    folded = name.casefold()
    return len(folded) < 4 or _NO_PERSON_HINT_RE.search(folded) is not None


@cache
def _no_person_keys() -> tuple[frozenset[str], frozenset[str]]:
    from kg.data import load_json

    data = load_json("author_placeholders.json")
    return frozenset(map(_name_key, data["truncation"])), frozenset(map(_name_key, data["placeholders"]))


def _name_key(name: str) -> str:
    return _DOTS_AND_SPACES_RE.sub(" ", name.casefold()).strip()


def _people(authors: tuple[AuthorRef, ...]) -> tuple[tuple[AuthorRef, ...], bool]:
    """The authors that are people; and whether an entry said the list goes on ("et al.", "and others")."""
    truncation, placeholders = _no_person_keys()
    people, truncated = [], False
    for author in authors:
        key = _name_key(author.name)
        if key in truncation:
            truncated = True
        elif key not in placeholders:
            people.append(author)
    return tuple(people), truncated


def _text_or_none(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return None if value is None else _text(value, key)


def _text(value: Any, key: str) -> str:
    """``value`` (of ``key``), which must be text (the record collapses its whitespace)."""
    if not isinstance(value, str):
        raise KgError(f"{key!r} must be a string or null, not {type(value).__name__}")
    return value


def _spaced_once(value: str) -> bool:
    """Whether ``value`` is text whose whitespace is already collapsed: printable text holds no whitespace but
    spaces (most stored values), and these are single and inside."""
    return value.isprintable() and "  " not in value and value[:1] not in ("", " ") and value[-1] != " "


def _collapsed(value: str | None) -> str | None:
    """``value`` with its whitespace collapsed; None when nothing is left."""
    if value is None or _spaced_once(value):
        return value
    return " ".join(value.split()) or None


def _collapsed_all(values: tuple[str, ...]) -> tuple[str, ...]:
    """Each of ``values`` with its whitespace collapsed, the empty ones left out."""
    if all(map(_spaced_once, values)):
        return values
    return tuple(text for text in (" ".join(value.split()) for value in values) if text)


def _spaced_author(author: AuthorRef) -> bool:
    """Whether every text of ``author`` has its whitespace collapsed already (:func:`_spaced_once`)."""
    return (
        _spaced_once(author.name)
        and all(map(_spaced_once, author.affiliations))
        and (author.orcid is None or _spaced_once(author.orcid))
        and (author.given is None or _spaced_once(author.given))
        and (author.family is None or _spaced_once(author.family))
    )


def _int_or_none(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise KgError(f"{key!r} must be a non-negative integer or null")
    return value


def _bool(data: dict[str, Any], key: str, default: bool | None) -> bool | None:
    value = data.get(key, default)
    if value is not None and not isinstance(value, bool):
        raise KgError(f"{key!r} must be true, false or null")
    return value


def _strings(data: dict[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    return _strings_of(value, key) if value else ()


def _strings_of(value: Any, key: str) -> tuple[str, ...]:
    """The texts of ``value`` (a list of strings, of ``key``; the record collapses their whitespace)."""
    if not isinstance(value, list) or not all(isinstance(text, str) for text in value):
        raise KgError(f"{key!r} must be a list of strings")
    return tuple(value)


_AUTHOR_KEYS = ("affiliations", "orcid", "given", "family")


def record_json(record: Record) -> str:
    """The record as one line of JSON, without the line break: what ``kg extract`` prints and a store keeps.

    :func:`record_from_dict` reads it back as the same record.

    Examples
    --------
    >>> line = record_json(Record(title="Universal Transformers", authors=(AuthorRef("Łukasz Kaiser"),)))
    >>> line.startswith('{"title": "Universal Transformers", "authors": [{"name": "Łukasz Kaiser", ')
    True
    >>> record_from_dict(json.loads(line)).authors[0].name
    'Łukasz Kaiser'
    """
    return json.dumps(record.to_dict(), ensure_ascii=False)


def record_from_dict(data: Any, default_source: SourceRef | None = None) -> Record:
    """Rebuild a :class:`Record` from its JSON form (``kg extract`` output).

    Types are checked; a value of the wrong type raises :class:`kg.errors.KgError`
    saying which key. A record without ``source`` gets ``default_source``.

    Examples
    --------
    >>> r = record_from_dict({"title": "Universal Transformers", "authors": [{"name": "Łukasz Kaiser"}]})
    >>> r.title, r.authors[0].name, r.authors[0].affiliations
    ('Universal Transformers', 'Łukasz Kaiser', ())
    >>> record_from_dict({"title": 3})
    Traceback (most recent call last):
    ...
    kg.errors.KgError: 'title' must be a string or null, not int

    Extra keys come back as they were written, so a stored record keeps what its reader found:
    ``keywords`` (the source's own keywords), ``ai_keywords`` (keywords its software assigned) and
    ``subjects`` (codes and headings of controlled schemes, :mod:`kg.topics.schemes`).

    >>> mesh = {"scheme": "mesh", "code": "D000818", "label": "Animals"}
    >>> stored = Record(title="T", extra={"keywords": ["knowledge graphs"], "subjects": [mesh]}).to_dict()
    >>> again = record_from_dict(stored)
    >>> again.extra["subjects"], again.extra["keywords"], again == record_from_dict(again.to_dict())
    ([{'scheme': 'mesh', 'code': 'D000818', 'label': 'Animals'}], ['knowledge graphs'], True)
    """
    if not isinstance(data, dict):
        raise KgError("a record must be a JSON object")
    authors = data.get("authors") or []
    if not isinstance(authors, list):
        raise KgError("'authors' must be a list")
    author_refs = []
    for author in authors:
        if isinstance(author, str):
            author = {"name": author}
        name = author.get("name") if isinstance(author, dict) else None
        if name is None or not _text(name, "name").strip():
            raise KgError("each author must be an object with a non-empty 'name'")
        # Most authors print no ORCID nor name parts: a key is looked at only when it is there.
        affiliations, orcid, given, family = (author.get(key) for key in _AUTHOR_KEYS)
        author_refs.append(
            AuthorRef(
                name,
                _strings_of(affiliations, "affiliations") if affiliations else (),
                None if orcid is None else _text(orcid, "orcid"),
                None if given is None else _text(given, "given"),
                None if family is None else _text(family, "family"),
            )
        )
    ids = data.get("ids") or {}
    if not isinstance(ids, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in ids.items()):
        raise KgError("'ids' must be an object of strings")
    source = default_source
    raw_source = data.get("source")
    if isinstance(raw_source, dict) and isinstance(raw_source.get("path"), str):
        line = raw_source.get("line")
        source = SourceRef(
            raw_source["path"],
            line if isinstance(line, int) and not isinstance(line, bool) and line > 0 else 1,
            raw_source.get("format") if isinstance(raw_source.get("format"), str) else "unknown",
            raw_source.get("key") if isinstance(raw_source.get("key"), str) else "",
        )
    known = set(Record.__dataclass_fields__) - {"extra"}
    return Record(
        title=_text_or_none(data, "title"),
        authors=tuple(author_refs),
        authors_truncated=bool(_bool(data, "authors_truncated", False)),
        author_count=_int_or_none(data, "author_count"),
        orgs=_strings(data, "orgs"),
        date=_text_or_none(data, "date"),
        date_inferred=bool(_bool(data, "date_inferred", False)),
        categories=_strings(data, "categories"),
        venue=_text_or_none(data, "venue"),
        has_code=_bool(data, "has_code", None),
        upvotes=_int_or_none(data, "upvotes"),
        abstract=_text_or_none(data, "abstract"),
        ids=dict(ids),
        source=source,
        extra={k: v for k, v in data.items() if k not in known},
    )
