"""Web pages saved as HTML: listing layouts (ACL Anthology person pages, Proceedings of Science
tables), a paper's own page (Highwire ``citation_*`` meta tags, schema.org JSON-LD or microdata), and the text
layouts (profile, Hugging Face, lab page) when saved as HTML rather than text.

HTML is only parsed, never executed, and nothing it links to is fetched.
"""

from __future__ import annotations

import json
import re

from kg.data import load_json
from kg.extractors import hf_papers, lab_page, profile_text
from kg.extractors.base import DETECT_THRESHOLD, ExtractOptions, Extractor
from kg.extractors.common.jsondoc import iso_date
from kg.records import AuthorRef, Record, SourceRef
from kg.text import clean_space

FORMAT = "html"
_HTML_RE = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|div|table)[\s>]", re.IGNORECASE)
_NAME_SPLIT_RE = re.compile(r"\s*(?:,|;|\band\b)\s*")
# The text layouts a page may be saved from as HTML (the registry is not imported: it imports this module).
_TEXT_LAYOUTS = (profile_text.EXTRACTOR, hf_papers.EXTRACTOR, lab_page.EXTRACTOR)
_SCHOLARLY = {"ScholarlyArticle", "Article", "CreativeWork", "Report", "Thesis", "Chapter", "Book"}


def detect(text: str) -> float:
    head = text[:4096].lstrip("\ufeff \t\r\n").lower()
    if head.startswith(("<!doctype html", "<html")):
        return 0.95
    return 0.6 if _HTML_RE.search(text[:4096]) else 0.0


def _soup(text: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(text, "lxml")


def _text(node) -> str | None:
    """Inline text as a browser renders it: tags add no spaces ("<span>C</span>o<span>NLL</span>" is "CoNLL")."""
    return clean_space(node.get_text("")) or None if node is not None else None


def _acl(soup, layout: dict, source: str) -> list[Record]:
    records = []
    for entry in soup.select(layout["entry"]):
        title_link = entry.select_one(layout["title"])
        if title_link is None:
            continue
        heading = entry.find_previous(layout["year_heading"])
        year = clean_space(heading.get_text()) if heading else ""
        match = re.match(layout["id_from_title_href"], title_link.get("href", ""))
        paper_id = match.group(1) if match else None
        # The Anthology writes the dots of new-style ids as "--" in element ids (2022.in2writing-1.1).
        ids = (
            f"{layout['abstract_id_prefix']}{paper_id}",
            f"{layout['abstract_id_prefix']}{(paper_id or '').replace('.', '--')}",
        )
        abstract_node = next((n for n in (soup.find(id=i) for i in ids) if n is not None), None) if paper_id else None
        records.append(
            Record(
                title=_text(title_link),
                authors=tuple(AuthorRef(name) for name in (_text(a) for a in entry.select(layout["authors"])) if name),
                date=year if re.fullmatch(r"\d{4}", year) else None,
                venue=_text(entry.select_one(layout["venue"])),
                abstract=_text(abstract_node),
                ids={layout["id_scheme"]: paper_id} if paper_id else {},
                source=SourceRef(source, entry.sourceline or 1, FORMAT),
                extra={"layout": "acl-anthology"},
            )
        )
    return records


def _pos(soup, layout: dict, source: str) -> list[Record]:
    records = []
    for row in soup.select(layout["entry"]):
        title = _text(row.select_one(layout["title"]))
        if not title:
            continue
        authors = [n for n in _NAME_SPLIT_RE.split(_text(row.select_one(layout["authors_text"])) or "") if n]
        code = _text(row.select_one(layout["code"]))
        records.append(
            Record(
                title=title,
                authors=tuple(AuthorRef(n) for n in authors),
                ids={layout["id_scheme"]: code} if code else {},
                venue=_text(soup.find("title")),
                source=SourceRef(source, row.sourceline or 1, FORMAT),
                extra={"layout": "pos-proceedings"},
            )
        )
    return records


def _meta(soup, source: str) -> list[Record]:
    names = load_json("html_selectors.json")["meta"]
    values: dict[str, list[str]] = {}
    for tag in soup.find_all("meta"):
        key = (tag.get("name") or tag.get("property") or "").strip().lower()
        content = clean_space(tag.get("content") or "")
        if key and content:
            values.setdefault(key, []).append(content)

    def first(field: str) -> str | None:
        return next((values[k][0] for k in names[field] if k in values), None)

    title = next((values[k][0] for k in names["title"][:1] if k in values), None)
    if title is None:
        return []
    authors = [a for k in names["author"] if k in values for a in values[k]]
    ids = {}
    if first("doi"):
        ids["doi"] = first("doi") or ""
    if first("arxiv"):
        ids["arxiv"] = first("arxiv") or ""
    return [
        Record(
            title=title,
            authors=tuple(AuthorRef(a) for a in authors),
            date=iso_date((first("date") or "").replace("/", "-")),
            venue=first("venue"),
            abstract=first("abstract"),
            ids=ids,
            source=SourceRef(source, 1, FORMAT),
            extra={"layout": "citation-meta"},
        )
    ]


def _json_ld(soup, source: str) -> list[Record]:
    records = []
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except ValueError:
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        for item in items:
            kinds = item.get("@type") if isinstance(item, dict) else None
            kinds = {kinds} if isinstance(kinds, str) else set(kinds or [])
            if not kinds & _SCHOLARLY:
                continue
            people = item.get("author") or []
            people = people if isinstance(people, list) else [people]
            names = [p.get("name") if isinstance(p, dict) else p for p in people]
            title = item.get("headline") or item.get("name")
            if not isinstance(title, str):
                continue
            records.append(
                Record(
                    title=clean_space(title),
                    authors=tuple(AuthorRef(clean_space(n)) for n in names if isinstance(n, str) and n.strip()),
                    date=iso_date(item.get("datePublished")),
                    abstract=clean_space(item["abstract"]) if isinstance(item.get("abstract"), str) else None,
                    source=SourceRef(source, script.sourceline or 1, FORMAT),
                    extra={"layout": "json-ld"},
                )
            )
    return records


def _itemprop_value(node) -> str | None:
    if node.name == "meta":
        return clean_space(node.get("content") or "") or None
    if node.name == "time" and node.get("datetime"):
        return clean_space(node["datetime"])
    return _text(node)


def _microdata(soup, source: str) -> list[Record]:
    """schema.org microdata: ``itemscope`` items typed ScholarlyArticle, Article, CreativeWork, ..."""
    records = []
    for item in soup.find_all(attrs={"itemscope": True, "itemtype": True}):
        kinds = {t.rstrip("/").rsplit("/", 1)[-1] for t in item["itemtype"].split()}
        if not kinds & _SCHOLARLY or item.find_parent(attrs={"itemscope": True}) is not None:
            continue
        props: dict[str, list] = {}
        for node in item.find_all(attrs={"itemprop": True}):
            if node.find_parent(attrs={"itemscope": True}) is not item:
                continue  # a property of a nested item (an author's own name is read below)
            for name in node["itemprop"].split():
                props.setdefault(name, []).append(node)
        title = next((_itemprop_value(n) for n in props.get("headline", []) + props.get("name", [])), None)
        if not title:
            continue
        authors = []
        for node in props.get("author", []):
            nested = node.find(attrs={"itemprop": "name"}) if node.has_attr("itemscope") else None
            name = _itemprop_value(nested) if nested is not None else _itemprop_value(node)
            if name:
                authors.append(AuthorRef(name))
        date = next((_itemprop_value(n) for n in props.get("datePublished", [])), None)
        abstract = next((_itemprop_value(n) for n in props.get("abstract", []) + props.get("description", [])), None)
        records.append(
            Record(
                title=title,
                authors=tuple(authors),
                date=iso_date(date),
                abstract=abstract,
                source=SourceRef(source, item.sourceline or 1, FORMAT),
                extra={"layout": "microdata"},
            )
        )
    return records


def _as_text_layout(soup, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    """A text layout (profile, Hugging Face, lab page) saved as HTML: read its visible text."""
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    text = "\n".join(line for line in (clean_space(s) for s in soup.get_text("\n").split("\n")) if line)
    score, layout = max(((e.detect(text), e) for e in _TEXT_LAYOUTS), key=lambda pair: pair[0])
    if score < DETECT_THRESHOLD:
        return [], []
    records, notes = layout.extract(text, source, options)
    return records, [f"read the page's visible text as {layout.name}", *notes]


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    soup = _soup(text)
    layouts = load_json("html_selectors.json")["layouts"]
    readers = {"acl-anthology": _acl, "pos-proceedings": _pos}
    for name, layout in layouts.items():
        if soup.select_one(layout["detect"]) is not None:
            records = readers[name](soup, layout, source)
            if records:
                return records, [f"read as a {name} page"]
    for reader, label in ((_meta, "citation meta tags"), (_json_ld, "schema.org JSON-LD"), (_microdata, "microdata")):
        records = reader(soup, source)
        if records:
            return records, [f"read from the page's {label}"]
    return _as_text_layout(soup, source, options)


EXTRACTOR = Extractor(
    name=FORMAT,
    description="HTML pages: ACL Anthology and PoS listings, citation_* meta tags, JSON-LD, text layouts saved as HTML",
    detect=detect,
    extract=extract,
)
