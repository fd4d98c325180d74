"""Conference paper lists as JSON (Paper Copilot's paperlists): flat objects, ``;`` between authors.

Per-author affiliations come from the normalised columns when present
(``aff_unique_norm`` indexed by ``aff_unique_index``, ``+`` joining several
affiliations of one author), else from the raw ``aff`` string. The venue and
year are not in the objects; they come from a file name such as
``icml2019.json`` when it has that shape.

Examples
--------
>>> author_affiliations({"author": "A B; C D", "aff_unique_index": "0+1;1", "aff_unique_norm": "X;Y"})
[('A B', ('X', 'Y')), ('C D', ('Y',))]
"""

from __future__ import annotations

import re
from pathlib import PurePath

from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.jsondoc import array_items, try_json
from kg.records import AuthorRef, Record, SourceRef

FORMAT = "paperlist-json"
_FILE_RE = re.compile(r"^(?P<venue>[a-z]+)(?P<year>(?:19|20)\d{2})\.json$", re.IGNORECASE)
_KEYS = {"title", "author", "aff"}


def _split(value: object, separator: str) -> list[str]:
    return [part.strip() for part in value.split(separator)] if isinstance(value, str) else []


def author_affiliations(item: dict) -> list[tuple[str, tuple[str, ...]]]:
    """Each author with the affiliations the list gives them, in order."""
    names = [n for n in _split(item.get("author"), ";") if n]
    index = _split(item.get("aff_unique_index"), ";")
    norm = _split(item.get("aff_unique_norm"), ";")
    raw = _split(item.get("aff"), ";")
    out = []
    for position, name in enumerate(names):
        affiliations: list[str] = []
        if len(index) == len(names) and norm:
            for number in _split(index[position], "+"):
                if number.isdigit() and int(number) < len(norm) and norm[int(number)]:
                    affiliations.append(norm[int(number)])
        elif len(raw) == len(names):
            affiliations = [a for a in _split(raw[position], "+") if a]
        out.append((name, tuple(dict.fromkeys(affiliations))))
    return out


def detect(text: str) -> float:
    data = try_json(text)
    if not isinstance(data, list) or not data or not isinstance(data[0], dict):
        return 0.0
    sample = [item for item in data[:20] if isinstance(item, dict)]
    hits = sum(1 for item in sample if item.keys() >= _KEYS and isinstance(item.get("author"), str))
    return hits / len(sample) if sample else 0.0


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    venue = year = None
    match = _FILE_RE.match(PurePath(source).name)
    if match:
        venue, year = f"{match['venue'].upper()} {match['year']}", match["year"]
    records: list[Record] = []
    notes: list[str] = []
    skipped = 0
    for line, item in array_items(text):
        if not isinstance(item, dict) or not (item.get("title") or item.get("abstract")):
            skipped += 1
            continue
        ids = {"paperlist": str(item["id"])} if item.get("id") not in (None, "") else {}
        extra = {key: item[key] for key in ("status", "track") if isinstance(item.get(key), str) and item[key]}
        records.append(
            Record(
                title=" ".join(str(item.get("title") or "").split()) or None,
                authors=tuple(AuthorRef(name, affiliations) for name, affiliations in author_affiliations(item)),
                author_count=item["author_num"] if isinstance(item.get("author_num"), int) else None,
                date=year,
                venue=venue,
                abstract=" ".join(str(item.get("abstract") or "").split()) or None,
                ids=ids,
                source=SourceRef(source, line, FORMAT),
                extra=extra,
            )
        )
    if skipped:
        notes.append(f"{skipped} item(s) without title or abstract skipped")
    if venue:
        notes.append(f"venue and year taken from the file name: {venue}")
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="conference paper lists as JSON (Paper Copilot): ';' between authors, '+' between affiliations",
    detect=detect,
    extract=extract,
    whole_text_detect=True,
)
