"""arXiv API Atom feeds, raw or inside a recorded HTTP response (``{"url", "status_code", "body"}``)."""

from __future__ import annotations

import re

from kg.errors import InputError, KgError
from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.jsondoc import iso_date, try_json
from kg.extractors.common.xmldoc import child_text, children, local_name, parse_xml, sniff_root
from kg.records import AuthorRef, Record, SourceRef

FORMAT = "arxiv-atom"
_ABS_RE = re.compile(r"arxiv\.org/abs/(?P<id>.+?)/?$")


def _feed_text(text: str) -> str | None:
    if sniff_root(text) == "feed" and "arxiv" in text[:5000].lower():
        return text
    data = try_json(text)
    if isinstance(data, dict) and isinstance(data.get("body"), str) and sniff_root(data["body"]) == "feed":
        return data["body"]
    return None


def detect(text: str) -> float:
    return 1.0 if _feed_text(text) is not None else 0.0


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    feed_text = _feed_text(text)
    if feed_text is None:
        return [], ["not an Atom feed"]
    try:
        feed = parse_xml(feed_text)
    except KgError as error:
        raise InputError(source, str(error)) from None
    records, notes = [], []
    if feed_text is not text:
        notes.append("read the Atom feed inside a recorded HTTP response")
    for entry in children(feed, "entry"):
        entry_id = child_text(entry, "id") or ""
        match = _ABS_RE.search(entry_id)
        if not match:
            notes.append(f"an entry without an arXiv id skipped ({entry_id or 'no id'})")
            continue
        ids = {"arxiv": match["id"]}
        authors = []
        for author in children(entry, "author"):
            name = child_text(author, "name")
            if name:
                affiliations = tuple(
                    a for a in (" ".join(x.text.split()) for x in children(author, "affiliation") if x.text) if a
                )
                authors.append(AuthorRef(name, affiliations))
        categories = [c.get("term") for c in children(entry, "category") if c.get("term")]
        primary = next((c.get("term") for c in entry if local_name(c) == "primary_category"), None)
        if primary and primary in categories:
            categories.remove(primary)
        categories = ([primary] if primary else []) + categories
        doi = child_text(entry, "doi")
        if doi:
            ids["doi"] = doi
        records.append(
            Record(
                title=child_text(entry, "title"),
                authors=tuple(authors),
                date=iso_date(child_text(entry, "published")),
                categories=tuple(dict.fromkeys(categories)),
                venue=child_text(entry, "journal_ref"),
                abstract=child_text(entry, "summary"),
                ids=ids,
                source=SourceRef(source, entry.sourceline or 1, FORMAT),
                extra={"updated": child_text(entry, "updated")} if child_text(entry, "updated") else {},
            )
        )
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="arXiv API Atom XML (also inside recorded HTTP responses as JSON)",
    detect=detect,
    extract=extract,
    whole_text_detect=True,
)
