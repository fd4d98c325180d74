"""dblp's search API as JSON (``https://dblp.org/search/publ/api?q=...&format=json``): one record per hit.

Each hit's ``info`` holds ``authors`` (one author object or a list), ``title``, ``venue`` (a string or a
list), ``year``, ``type``, ``doi``, ``ee``, ``key`` and ``url``. Names keep dblp's homonym numbers
("Markus Schmitt 0002") as the dblp XML reader does: two numbers are two people. The API writes some
characters as HTML entities inside the JSON strings ("Operators&apos; State"); they are decoded. dblp
ends every title with a period, which is dropped (one period: a title ending in "..." keeps it).

Answers of the search API before 2016 (``dblp.org/search/api/?q=...&format=json``) are read too: their
authors are plain strings, ``title`` is an object whose ``@ee`` is the electronic edition, ``venue`` an
object naming the ``@journal`` or ``@conference``, and the dblp key sits in the hit's ``url``
(``.../rec/bibtex/<key>``).

Author and venue search answers (``/search/author/api``, ``/search/venue/api``) list people or venues, not
papers: their hits are skipped, and a note says what the answer holds and where the papers are. Each
record's line is the line of its hit's ``key`` (or of the hit's ``@id`` where there is no key).

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

import html
import re
from typing import Any

from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.jsondoc import try_json
from kg.extractors.dblp_xml import DOI_LINK_RE, dblp_title
from kg.records import AuthorRef, Record, SourceRef

FORMAT = "dblp-json"
# doi.org and dx.doi.org; before 2016 dblp also linked ACM's and the IEEE Computer Society's DOI resolvers
# The hit types of edited volumes, now and before 2016: their "authors" are the editors.
_EDITED = {"Editorship", "proceedings"}
_ARXIV_RE = re.compile(r"arxiv\.org/abs/(.+?)(?:v\d+)?$")
# The dblp key in a hit's url: ".../rec/bibtex/conf/x/Y15" (before 2016), ".../rec/conf/x/Y15" (since).
_REC_URL_RE = re.compile(
    r"dblp\.(?:uni-trier\.de|org)/rec/(?:bibtex/)?((?:[\w.+-]+/){2,}[\w.+-]+?)(?:\.(?:xml|bib|html|ris|rdf|nt|ttl))?$"
)


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
    """Strings from a string, an object with ``text``, or a list of either; HTML entities decoded.

    Examples
    --------
    >>> _texts([{"@pid": "1", "text": "Operators&apos;  Work"}, "B", {"x": 1}, None])
    ["Operators' Work", 'B']
    """
    items = node if isinstance(node, list) else [node]
    out = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("text")
        if isinstance(item, (str, int)) and not isinstance(item, bool):
            text = " ".join(html.unescape(str(item)).split())
            if text:
                out.append(text)
    return out


def _attribute(node: Any, name: str) -> str | None:
    """The ``@name`` attribute of a JSON object written from XML (the pre-2016 answers), decoded."""
    value = node.get(name) if isinstance(node, dict) else None
    texts = _texts(value) if isinstance(value, str) else []
    return texts[0] if texts else None


def _title(node: Any) -> str:
    """The title without dblp's closing period."""
    return dblp_title(" ".join(_texts(node)))


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


def _key(hit: dict, info: dict) -> str | None:
    """The dblp key: ``info.key``, else the key in the hit's or info's record url (pre-2016 answers)."""
    key = _texts(info.get("key"))
    if key:
        return key[0]
    for url in _texts(hit.get("url")) + _texts(info.get("url")):
        match = _REC_URL_RE.search(url)
        if match:
            return match.group(1)
    return None


def _record(hit: dict, info: dict, source: str, line: int) -> Record | None:
    title = _title(info.get("title"))
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
    key = _key(hit, info)
    if key:
        ids["dblp"] = key
    doi = _texts(info.get("doi"))
    ee = _texts(info.get("ee"))
    title_ee = _attribute(info.get("title"), "@ee")  # pre-2016: the electronic edition sits on the title
    if title_ee and title_ee not in ee:
        ee.append(title_ee)
    for url in ee:
        if not doi and DOI_LINK_RE.search(url):
            doi = [DOI_LINK_RE.search(url).group(1)]
        arxiv = _ARXIV_RE.search(url)
        if arxiv and "arxiv" not in ids:
            ids["arxiv"] = arxiv.group(1)
    if doi:
        ids["doi"] = doi[0]
    year = _texts(info.get("year"))
    venue_node = info.get("venue")
    # pre-2016: {"@journal": "TOCE", "@volume": "15", "text": "TOCE 15(2):9 (2015)"}; a book's has only "@publisher"
    if isinstance(venue_node, dict) and any(k.startswith("@") for k in venue_node):
        venue = [v for v in (_attribute(venue_node, "@journal"), _attribute(venue_node, "@conference")) if v]
    else:
        venue = _texts(venue_node)
    extra: dict[str, Any] = {}
    fields = (
        ("type", "dblp_type"),
        ("url", "dblp_url"),
        ("volume", "volume"),
        ("number", "number"),
        ("pages", "pages"),
        ("access", "access"),
    )
    for field, name in fields:
        value = _texts(info.get(field))
        if value:
            extra[name] = value[0]
    for field in ("@volume", "@number", "@pages", "@publisher"):
        value = _attribute(venue_node, field)
        if value:
            extra.setdefault(field[1:], value)
    if ee:
        extra["ee"] = ee
    pid_field = "dblp_author_pids"
    if extra.get("dblp_type") in _EDITED:  # an edited volume's "authors" are its editors
        extra["editors"], authors, pid_field = [a.name for a in authors], [], "dblp_editor_pids"
    if any(pids):
        extra[pid_field] = pids
    return Record(
        title=title,
        authors=tuple(authors),
        date=year[0] if year and re.fullmatch(r"\d{4}", year[0]) else None,
        venue=venue[0] if venue else None,
        ids=ids,
        source=SourceRef(source, line, FORMAT),
        extra=extra,
    )


def _string_pattern(value: str) -> str:
    """A regex for ``value`` as a JSON string body, "/" optionally escaped as "\\/" (PHP writes it so)."""
    return "".join(r"\\?/" if ch == "/" else re.escape(ch) for ch in value)


class _Lines:
    """Finds each hit's line, scanning forward so that a key listed twice gets two lines."""

    def __init__(self, text: str) -> None:
        self.text, self.position, self.line = text, 0, 1

    def find(self, name: str, value: str | None) -> int | None:
        if not value:
            return None
        pattern = rf'"{re.escape(name)}"\s*:\s*"{_string_pattern(value)}"'
        match = re.compile(pattern).search(self.text, self.position)
        if match is None:
            return None
        self.line += self.text.count("\n", self.position, match.start())
        self.position = match.start()
        return self.line


def _what_it_lists(infos: list[dict], papers: int) -> str:
    """The note for hits that are no papers: people or venues (an answer with no paper at all), or a count."""
    people = [info for info in infos if _texts(info.get("author"))]
    if not papers and people and len(people) == len(infos):
        first = people[0]
        url = next(iter(_texts(first.get("url"))), "")
        example = f" ({_texts(first.get('author'))[0]}{', ' + url if url else ''})"
        return (
            f"a dblp author search answer: it lists {len(people)} person(s){example}, not papers; "
            "save a person's page as XML (https://dblp.org/pid/<pid>.xml) to read their papers"
        )
    if not papers and infos and all(_texts(info.get("venue")) and "title" not in info for info in infos):
        return f"a dblp venue search answer: it lists {len(infos)} venue(s), not papers"
    return f"{len(infos)} hit(s) without a title skipped (author or venue search answers hold no papers)"


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    data = try_json(text)
    hits = _hits(data)
    if hits is None:
        return [], ["not a dblp search answer (no result.hits)"]
    if not hits:
        return [], ["the dblp search answer has no hits"]
    lines = _Lines(text)
    records, skipped = [], []
    for hit in hits:
        info = hit.get("info") if isinstance(hit, dict) else None
        if not isinstance(info, dict):
            skipped.append({})
            continue
        hit_id = next(iter(_texts(hit.get("@id"))), None)
        line = lines.find("key", next(iter(_texts(info.get("key"))), None)) or lines.find("@id", hit_id) or 1
        record = _record(hit, info, source, line)
        if record is None:
            skipped.append(info)
        else:
            records.append(record)
    return records, [_what_it_lists(skipped, len(records))] if skipped else []


EXTRACTOR = Extractor(
    name=FORMAT,
    description="dblp search API JSON (publ search hits, also pre-2016 answers; homonym numbers kept)",
    detect=detect,
    extract=extract,
    whole_text_detect=True,
)
