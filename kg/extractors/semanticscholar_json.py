"""Semantic Scholar Academic Graph API JSON: a paper (with its citations and references), an author
(with their papers), or a ``data`` list of either.

A paper's ``s2FieldsOfStudy`` categories (Semantic Scholar's fixed list: "Computer Science",
"Medicine", ...) are ``s2-field`` ``subjects``.
"""

from __future__ import annotations

from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.jsondoc import iso_date, text_of, try_json
from kg.extractors.common.subjects import subjects
from kg.records import AuthorRef, Record, SourceRef

FORMAT = "semanticscholar-json"
_ID_KEYS = {"DOI": "doi", "ArXiv": "arxiv", "DBLP": "dblp", "CorpusId": "s2corpus", "MAG": "mag", "PubMed": "pmid"}
# How a listed paper stands to the paper whose ``citations`` or ``references`` list it.
_LINKS = {"citations": ("cites the paper", "cites"), "references": ("cited by the paper", "cited_by")}


def _is_paper(item: object) -> bool:
    return isinstance(item, dict) and "paperId" in item and "title" in item


def _is_author(item: object) -> bool:
    return isinstance(item, dict) and "authorId" in item and "papers" in item


def _top_items(data: object) -> list:
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        return data["data"]
    return [data]


def detect(text: str) -> float:
    items = _top_items(try_json(text))
    return 1.0 if items and all(_is_paper(i) or _is_author(i) for i in items[:5]) else 0.0


def _record(
    paper: dict, source: str, relation: str | None, owner: dict | None = None, link: dict | None = None
) -> Record | None:
    title, abstract = text_of(paper.get("title")), text_of(paper.get("abstract"))
    if not (title or abstract):
        return None
    ids = {"s2": paper["paperId"]} if isinstance(paper.get("paperId"), str) else {}
    for key, value in (paper.get("externalIds") or {}).items():
        if key in _ID_KEYS and value not in (None, ""):
            ids[_ID_KEYS[key]] = str(value)
    authors = []
    for entry in paper.get("authors") or ([owner] if owner else []):
        if isinstance(entry, dict) and text_of(entry.get("name")):
            affiliations = tuple(a for a in entry.get("affiliations") or [] if isinstance(a, str) and a.strip())
            authors.append(AuthorRef(text_of(entry["name"]) or "", affiliations))
    journal = paper.get("journal") if isinstance(paper.get("journal"), dict) else {}
    fields = [f.get("category") for f in paper.get("s2FieldsOfStudy") or [] if isinstance(f, dict)]
    extra = {"s2_author_ids": [a.get("authorId") for a in paper.get("authors") or [] if isinstance(a, dict)]}
    if relation:
        extra["relation"] = relation
    fields_of_study = subjects("s2-field", labels=[f for f in fields if isinstance(f, str)])
    if fields_of_study:
        extra["subjects"] = fields_of_study
    if link:
        extra.update(link)
    if isinstance(paper.get("citationCount"), int):
        extra["citation_count"] = paper["citationCount"]
    for key in ("volume", "pages"):
        if text_of(journal.get(key)):
            extra[key] = " ".join((text_of(journal.get(key)) or "").split())
    return Record(
        title=title,
        authors=tuple(authors),
        date=iso_date(paper.get("publicationDate")) or iso_date(paper.get("year")),
        venue=text_of(paper.get("venue")) or text_of(journal.get("name")),
        abstract=abstract,
        ids=ids,
        source=SourceRef(source, 1, FORMAT),
        extra=extra,
    )


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    records, skipped = [], 0
    for item in _top_items(try_json(text)):
        if _is_author(item):
            owner = {"name": item.get("name"), "authorId": item.get("authorId")}
            papers = [(p, "paper of the author") for p in item.get("papers") or []]
            candidates = [(p, r, owner, None) for p, r in papers]
        elif _is_paper(item):
            candidates = [(item, None, None, None)]
            for key, (relation, link) in _LINKS.items():
                main = {link: {"s2": item["paperId"]}} if isinstance(item.get("paperId"), str) else None
                candidates += [(p, relation, None, main) for p in item.get(key) or []]
        else:
            continue
        for paper, relation, owner, link in candidates:
            record = _record(paper, source, relation, owner, link) if isinstance(paper, dict) else None
            if record is None:
                skipped += 1
            else:
                records.append(record)
    notes = [f"{skipped} paper(s) without title or abstract skipped"] if skipped else []
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="Semantic Scholar Graph API JSON (papers with citations/references, authors with papers)",
    detect=detect,
    extract=extract,
    whole_text_detect=True,
)
