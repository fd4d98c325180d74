"""OpenAlex API JSON: works (one, or a ``results`` list); author, institution and topic entities hold no papers.

Authorships keep their order, the institutions of each author on that paper
(with ROR ids in ``ids``-style extra data) and ORCIDs; the abstract is rebuilt
from OpenAlex's inverted index. A work's ``topics`` are ``openalex`` ``subjects``: the topic's id
("T10896") and name, with its subfield, field and domain as ``broader`` ("subfields/2610"
Mathematical Physics, "fields/26" Mathematics, "domains/3" Physical Sciences). OpenAlex's
``keywords`` and legacy ``concepts`` are machine-assigned and not read.

Examples
--------
>>> abstract_from_index({"deep": [0], "nets": [1, 3], "learn": [2]})
'deep nets learn nets'
>>> topic = _topic({"id": "https://openalex.org/T10896", "display_name": "Homotopy and Cohomology",
...                 "field": {"id": "https://openalex.org/fields/26", "display_name": "Mathematics"}})
>>> topic["code"], topic["label"], topic["broader"]
('T10896', 'Homotopy and Cohomology', [{'code': 'fields/26', 'label': 'Mathematics'}])
"""

from __future__ import annotations

from kg.extractors.base import HOLDS_NO_PAPERS, ExtractOptions, Extractor
from kg.extractors.common.jsondoc import iso_date, text_of, try_json
from kg.extractors.common.subjects import subject, unique_subjects
from kg.records import AuthorRef, Record, SourceRef

FORMAT = "openalex-json"
_PREFIX = "https://openalex.org/"
_ENTITY_NAMES = {"A": "author", "I": "institution", "T": "topic", "S": "source", "C": "concept", "P": "publisher"}


def _entity_kind(item: object) -> str | None:
    if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"].startswith(_PREFIX):
        letter = item["id"][len(_PREFIX) : len(_PREFIX) + 1]
        return "work" if letter == "W" else _ENTITY_NAMES.get(letter, "entity")
    return None


def _items(data: object) -> list[dict]:
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return [r for r in data["results"] if isinstance(r, dict)]
    return [data] if isinstance(data, dict) else []


def detect(text: str) -> float:
    kinds = [_entity_kind(item) for item in _items(try_json(text))[:5]]
    return 1.0 if kinds and all(kinds) else 0.0


def abstract_from_index(index: object) -> str | None:
    """The abstract text from OpenAlex's ``abstract_inverted_index`` (word -> positions)."""
    if not isinstance(index, dict):
        return None
    placed = sorted((p, word) for word, positions in index.items() if isinstance(positions, list) for p in positions)
    return " ".join(word for _, word in placed) or None


def _citation_extra(item: dict) -> dict:
    """What a work says of citations: the works it cites (``referenced_works``), its citation count, volume, pages.

    Examples
    --------
    >>> _citation_extra({"referenced_works": ["https://openalex.org/W1", 7], "cited_by_count": 3,
    ...                  "biblio": {"volume": "12", "first_page": "5", "last_page": "9"}})
    {'references': [{'openalex': 'W1'}], 'citation_count': 3, 'volume': '12', 'pages': '5-9'}
    """
    extra: dict = {}
    cited = [w[len(_PREFIX) :] if w.startswith(_PREFIX) else w for w in item.get("referenced_works") or []
             if isinstance(w, str)]  # fmt: skip
    if cited:
        extra["references"] = [{"openalex": work} for work in dict.fromkeys(cited)]
    if isinstance(item.get("cited_by_count"), int):
        extra["citation_count"] = item["cited_by_count"]
    biblio = item.get("biblio") if isinstance(item.get("biblio"), dict) else {}
    if text_of(biblio.get("volume")):
        extra["volume"] = text_of(biblio.get("volume"))
    pages = "-".join(p for p in (text_of(biblio.get("first_page")), text_of(biblio.get("last_page"))) if p)
    if pages:
        extra["pages"] = pages
    return extra


def _short_id(value: object) -> str | None:
    text = text_of(value)
    return text[len(_PREFIX) :] if text and text.startswith(_PREFIX) else text


def _topic(topic: object) -> dict | None:
    """One of a work's ``topics`` as an ``openalex`` subject, with its subfield, field and domain as parents."""
    if not isinstance(topic, dict):
        return None
    found = subject("openalex", _short_id(topic.get("id")), text_of(topic.get("display_name")))
    if found is None:
        return None
    broader = []
    for level in ("subfield", "field", "domain"):
        parent = topic.get(level)
        if isinstance(parent, dict) and (_short_id(parent.get("id")) or text_of(parent.get("display_name"))):
            broader.append({"code": _short_id(parent.get("id")), "label": text_of(parent.get("display_name"))})
    if broader:
        found["broader"] = broader
    return found


def _author(authorship: dict) -> AuthorRef | None:
    author = authorship.get("author") or {}
    name = text_of(authorship.get("raw_author_name")) or text_of(author.get("display_name"))
    if not name:
        return None
    institutions = [i for i in authorship.get("institutions") or [] if isinstance(i, dict)]
    affiliations = [text_of(i.get("display_name")) for i in institutions]
    affiliations = [a for a in affiliations if a] or [s for s in authorship.get("raw_affiliation_strings") or [] if s]
    orcid = author.get("orcid")
    return AuthorRef(name, tuple(affiliations), orcid.rsplit("/", 1)[-1] if isinstance(orcid, str) else None)


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    records, notes = [], []
    for item in _items(try_json(text)):
        kind = _entity_kind(item)
        if kind != "work":
            notes.append(f"an OpenAlex {kind} record ({item.get('display_name')}): {HOLDS_NO_PAPERS}")
            continue
        ids = {"openalex": item["id"][len(_PREFIX) :]}
        if isinstance(item.get("doi"), str):
            ids["doi"] = item["doi"]
        authorships = [a for a in item.get("authorships") or [] if isinstance(a, dict)]
        institutions = [i for a in authorships for i in a.get("institutions") or [] if isinstance(i, dict)]
        org_ror = {
            i["display_name"]: i["ror"]
            for i in institutions
            if isinstance(i.get("ror"), str) and isinstance(i.get("display_name"), str)
        }
        topics = unique_subjects(t for t in map(_topic, item.get("topics") or []) if t)
        location = item.get("primary_location") or {}
        venue = text_of((location.get("source") or {}).get("display_name")) if isinstance(location, dict) else None
        extra = _citation_extra(item)
        if org_ror:
            extra["org_ror"] = dict(sorted(org_ror.items()))
        if topics:
            extra["subjects"] = topics
        records.append(
            Record(
                title=text_of(item.get("title")) or text_of(item.get("display_name")),
                authors=tuple(a for a in (_author(x) for x in authorships) if a),
                date=iso_date(item.get("publication_date")) or iso_date(item.get("publication_year")),
                venue=venue,
                abstract=abstract_from_index(item.get("abstract_inverted_index")),
                ids=ids,
                source=SourceRef(source, 1, FORMAT),
                extra=extra,
            )
        )
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="OpenAlex API JSON (works; author/institution/topic entities are recognised and hold no papers)",
    detect=detect,
    extract=extract,
    whole_text_detect=True,
)
