"""Crossref REST API ``work`` responses (or bare work objects, or a ``items`` list of them).

A work's ``subject`` names (Crossref's subject areas of the journal, "Condensed Matter Physics")
are ``crossref-subject`` ``subjects``.
"""

from __future__ import annotations

from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.jsondoc import date_from_parts, strip_markup, text_of, try_json
from kg.extractors.common.subjects import subjects
from kg.records import COLLECTIVE_AUTHORS, AuthorRef, Record, SourceRef

FORMAT = "crossref-json"


def _works(data: object) -> list[dict]:
    if isinstance(data, dict) and isinstance(data.get("message"), dict):
        message = data["message"]
        if isinstance(message.get("items"), list):
            return [w for w in message["items"] if isinstance(w, dict)]
        return [message]
    if isinstance(data, dict) and "DOI" in data:
        return [data]
    return []


def detect(text: str) -> float:
    data = try_json(text)
    if isinstance(data, dict) and data.get("message-type") in ("work", "work-list"):
        return 1.0
    works = _works(data)
    return 0.8 if works and all("DOI" in w and "title" in w for w in works[:5]) else 0.0


def _author(entry: dict) -> AuthorRef | None:
    name = " ".join(p for p in (entry.get("given"), entry.get("family")) if isinstance(p, str) and p.strip())
    name = name or text_of(entry.get("name")) or ""
    if not name.strip():
        return None
    affiliations = tuple(
        a["name"].strip() for a in entry.get("affiliation") or [] if isinstance(a, dict) and a.get("name")
    )
    orcid = entry.get("ORCID")
    orcid = orcid.rsplit("/", 1)[-1] if isinstance(orcid, str) else None
    return AuthorRef(" ".join(name.split()), affiliations, orcid)


def _organizations(work: dict) -> dict:
    """Crossref gives an organization among the authors by ``name`` alone (a person by ``given`` and ``family``):
    those are ``collective_authors``, groups whatever words they hold (:mod:`kg.resolve.groups`)."""
    names = [
        " ".join(name.split())
        for entry in work.get("author") or []
        if isinstance(entry, dict) and not entry.get("given") and not entry.get("family")
        and (name := text_of(entry.get("name")) or "").strip()
    ]  # fmt: skip
    return {COLLECTIVE_AUTHORS: names} if names else {}


def _reference(entry: dict) -> dict | None:
    """One item of a work's ``reference`` list: its DOI, or its printed text and the parts Crossref split out.

    Examples
    --------
    >>> _reference({"key": "r1", "author": "Wen", "year": "1990", "journal-title": "Int. J. Mod. Phys. B",
    ...             "volume": "4", "first-page": "239", "DOI": "10.1142/S0217979290000139"})
    {'doi': '10.1142/S0217979290000139', 'first_author': 'Wen', 'year': '1990', 'venue': 'Int. J. Mod. Phys. B', \
'volume': '4', 'page': '239', 'cited_author': 'Wen'}
    """
    reference = {}
    for key, field in (
        ("text", "unstructured"),
        ("doi", "DOI"),
        ("title", "article-title"),
        ("first_author", "author"),
        ("year", "year"),
        ("venue", "journal-title"),
        ("volume", "volume"),
        ("page", "first-page"),
    ):
        value = text_of(entry.get(field))
        if value:
            reference[key] = value
    if "first_author" in reference:
        reference["cited_author"] = reference["first_author"]
    if "venue" not in reference and text_of(entry.get("volume-title")):
        reference["venue"] = text_of(entry.get("volume-title"))
    return reference or None


def _subjects(work: dict) -> dict:
    """Crossref's subject areas as ``subjects`` (an empty dict when it names none)."""
    found = subjects("crossref-subject", labels=[s for s in work.get("subject") or [] if isinstance(s, str)])
    return {"subjects": found} if found else {}


def _citation_extra(work: dict) -> dict:
    """What a work says of citations: its reference list, citation count, volume and pages."""
    extra: dict = {}
    references = [r for r in (_reference(e) for e in work.get("reference") or [] if isinstance(e, dict)) if r]
    if references:
        extra["references"] = references
    if isinstance(work.get("is-referenced-by-count"), int):
        extra["citation_count"] = work["is-referenced-by-count"]
    for key, field in (("volume", "volume"), ("pages", "page")):
        if text_of(work.get(field)):
            extra[key] = text_of(work.get(field))
    return extra


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    records = []
    for work in _works(try_json(text)):
        date = None
        for key in ("issued", "published-print", "published-online", "created"):
            date = date_from_parts((work.get(key) or {}).get("date-parts"))
            if date:
                break
        authors = tuple(a for a in (_author(e) for e in work.get("author") or [] if isinstance(e, dict)) if a)
        records.append(
            Record(
                title=text_of(work.get("title")),
                authors=authors,
                date=date,
                venue=text_of(work.get("container-title")),
                abstract=strip_markup(work.get("abstract")),
                ids={"doi": work["DOI"]} if isinstance(work.get("DOI"), str) else {},
                source=SourceRef(source, 1, FORMAT),
                extra=_citation_extra(work) | _subjects(work) | _organizations(work),
            )
        )
    return records, []


EXTRACTOR = Extractor(
    name=FORMAT,
    description="Crossref REST API work responses (JSON)",
    detect=detect,
    extract=extract,
    whole_text_detect=True,
)
