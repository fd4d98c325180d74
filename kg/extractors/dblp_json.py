"""dblp's search API as JSON (``https://dblp.org/search/publ/api?q=...&format=json``): one record per hit.

Each hit's ``info`` holds ``authors`` (one author object or a list), ``title``, ``venue`` (a string or a
list), ``year``, ``type``, ``doi``, ``ee``, ``key`` and ``url``. Names keep dblp's homonym numbers
("Markus Schmitt 0002") as the dblp XML reader does: two numbers are two people. Each record's line is
the line of its hit's ``key``.

Examples
--------
>>> text = '''{"result": {"query": "ley*", "hits": {"@total": "1", "hit": [{"@score": "1", "info": {
...   "authors": {"author": {"@pid": "l/MichaelLey", "text": "Michael Ley"}},
...   "title": "DBLP - Some Lessons Learned.", "venue": "Proc. VLDB Endow.", "year": "2009",
...   "type": "Journal Articles", "key": "journals/pvldb/Ley09"}}]}}}'''
>>> records, notes = extract(text, "dblp.json", ExtractOptions())
>>> r = records[0]
>>> r.title, [a.name for a in r.authors], r.date, r.venue, r.ids, r.source.line
('DBLP - Some Lessons Learned', ['Michael Ley'], '2009', 'Proc. VLDB Endow.', {'dblp': 'journals/pvldb/Ley09'}, 4)
"""

from __future__ import annotations

import re
from typing import Any

from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.jsondoc import try_json
from kg.records import AuthorRef, Record, SourceRef

FORMAT = "dblp-json"
_KEY_RE = re.compile(r'"key"\s*:\s*"((?:[^"\\]|\\.)*)"')
_DOI_RE = re.compile(r"doi\.org/(10\..+)$")
_ARXIV_RE = re.compile(r"arxiv\.org/abs/(.+?)(?:v\d+)?$")


def _hits(data: Any) -> list | None:
    """The hit list of a dblp search answer (empty when it found nothing), None for anything else."""
    result = data.get("result") if isinstance(data, dict) else None
    hits = result.get("hits") if isinstance(result, dict) else None
    if not isinstance(hits, dict):
        return None
    hit = hits.get("hit", [])
    if isinstance(hit, dict):  # some JSON writers give a lone hit as an object
        hit = [hit]
    return hit if isinstance(hit, list) else None


def _texts(node: Any) -> list[str]:
    """Strings from a string, an object with ``text``, or a list of either."""
    items = node if isinstance(node, list) else [node]
    out = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("text")
        if isinstance(item, (str, int)) and not isinstance(item, bool):
            text = " ".join(str(item).split())
            if text:
                out.append(text)
    return out


def detect(text: str) -> float:
    """0.95 for a dblp search answer (``result`` with ``hits``, and a ``query``, a ``@total`` or hits with ``info``).

    Examples
    --------
    >>> detect('{"result": {"query": "x", "status": {"@code": "200"}, "hits": {"@total": "0"}}}')
    0.95
    >>> detect('{"result": {"hits": {"hit": []}}}'), detect('{"notes": []}')
    (0.0, 0.0)
    >>> detect('{"result": {"hits": []}}')
    0.0
    """
    data = try_json(text)
    hits = _hits(data)
    if hits is None:
        return 0.0
    if (
        "query" in data["result"]
        or "@total" in data["result"]["hits"]
        or any(isinstance(h, dict) and isinstance(h.get("info"), dict) for h in hits[:5])
    ):
        return 0.95
    return 0.0


def _record(info: dict, source: str, line: int) -> Record | None:
    title = " ".join(_texts(info.get("title")))
    if not title:
        return None
    authors_node = info.get("authors")
    author_nodes = authors_node.get("author") if isinstance(authors_node, dict) else None
    author_nodes = author_nodes if isinstance(author_nodes, list) else [author_nodes] if author_nodes else []
    authors, pids = [], []
    for node in author_nodes:
        names = _texts(node)
        if names:
            authors.append(AuthorRef(names[0]))
            pids.append(node.get("@pid") if isinstance(node, dict) else None)
    ids: dict[str, str] = {}
    key = _texts(info.get("key"))
    if key:
        ids["dblp"] = key[0]
    doi = _texts(info.get("doi"))
    ee = _texts(info.get("ee"))
    for url in ee:
        if not doi and _DOI_RE.search(url):
            doi = [_DOI_RE.search(url).group(1)]
        arxiv = _ARXIV_RE.search(url)
        if arxiv and "arxiv" not in ids:
            ids["arxiv"] = arxiv.group(1)
    if doi:
        ids["doi"] = doi[0]
    year = _texts(info.get("year"))
    venue = _texts(info.get("venue"))
    extra: dict[str, Any] = {}
    for field, name in (("type", "dblp_type"), ("url", "dblp_url"), ("volume", "volume"), ("pages", "pages")):
        value = _texts(info.get(field))
        if value:
            extra[name] = value[0]
    if ee:
        extra["ee"] = ee
    if any(pids):
        extra["dblp_author_pids"] = pids
    return Record(
        title=title.rstrip("."),
        authors=tuple(authors),
        date=year[0] if year and re.fullmatch(r"\d{4}", year[0]) else None,
        venue=venue[0] if venue else None,
        ids=ids,
        source=SourceRef(source, line, FORMAT),
        extra=extra,
    )


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    data = try_json(text)
    hits = _hits(data)
    if hits is None:
        return [], ["not a dblp search answer (no result.hits)"]
    if not hits:
        return [], ["the dblp search answer has no hits"]
    lines: dict[str, int] = {}
    for match in _KEY_RE.finditer(text):
        lines.setdefault(match.group(1), text.count("\n", 0, match.start()) + 1)
    records, skipped = [], 0
    for hit in hits:
        info = hit.get("info") if isinstance(hit, dict) else None
        key = _texts(info.get("key")) if isinstance(info, dict) else []
        record = _record(info, source, lines.get(key[0], 1) if key else 1) if isinstance(info, dict) else None
        if record is None:
            skipped += 1
        else:
            records.append(record)
    notes = [f"{skipped} hit(s) without a title skipped (author or venue search answers hold no papers)"]
    return records, notes if skipped else []


EXTRACTOR = Extractor(
    name=FORMAT,
    description="dblp search API JSON (publ search hits; homonym numbers kept)",
    detect=detect,
    extract=extract,
    whole_text_detect=True,
)
