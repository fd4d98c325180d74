"""BibTeX files (bibtexparser 2): LaTeX accents and ``~`` decoded, "Last, First" and "First Last"
names, ``and others`` as a truncated author list."""

from __future__ import annotations

import re

from kg.extractors.base import ExtractOptions, Extractor
from kg.records import AuthorRef, Record, SourceRef
from kg.text import clean_space

FORMAT = "bibtex"
_ENTRY_RE = re.compile(
    r"^\s*@\s*(article|inproceedings|book|incollection|misc|techreport|phdthesis|mastersthesis|"
    r"proceedings|inbook|unpublished|conference|online|manual|booklet)\s*[{(]",
    re.IGNORECASE | re.M,
)
_BRACES_RE = re.compile(r"[{}]")
_MONTHS = {
    m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}


def detect(text: str) -> float:
    entries = len(_ENTRY_RE.findall(text[:200_000]))
    return min(1.0, 0.5 + entries / 4) if entries else 0.0


def _plain(value: str | None) -> str | None:
    if value is None:
        return None
    return clean_space(_BRACES_RE.sub("", value).replace("$", "")) or None


def _name(raw: str) -> str:
    """ "Last, First", "First Last" or "von Last, Jr, First" as "First von Last, Jr"."""
    from bibtexparser.middlewares.names import parse_single_name_into_parts

    raw = clean_space(raw).strip(", ")
    try:
        parts = parse_single_name_into_parts(raw)
    except Exception:  # a malformed name ("Cajal, Santiago,") is kept as printed
        return _plain(raw) or ""
    words = [*parts.first, *parts.von, *parts.last]
    name = " ".join(_plain(w) or "" for w in words if w)
    if parts.jr:
        name += ", " + " ".join(parts.jr)
    return clean_space(name)


def _date(fields: dict) -> str | None:
    year = _plain(fields.get("year"))
    if not year or not re.fullmatch(r"\d{4}", year):
        return None
    month = (_plain(fields.get("month")) or "").lower()[:3]
    if month.isdigit() and 1 <= int(month) <= 12:
        return f"{year}-{int(month):02d}"
    return f"{year}-{_MONTHS[month]:02d}" if month in _MONTHS else year


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    import logging

    import bibtexparser
    from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors

    # bibtexparser logs every block it cannot parse; kg reports them itself, in one note.
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    from bibtexparser.middlewares.names import split_multiple_persons_names

    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors()])
    records, notes = [], []
    for entry in library.entries:
        fields = {field.key.lower(): field.value for field in entry.fields}
        raw_authors = fields.get("author") or []
        if isinstance(raw_authors, str):  # "Author = {...}": the co-author middleware only splits "author"
            raw_authors = split_multiple_persons_names(raw_authors)
        names = [_name(p) for p in raw_authors]
        truncated = bool(names) and names[-1].lower() == "others"
        names = [n for n in names if n and n.lower() != "others"]
        ids = {"bibtex": entry.key}
        for key in ("doi", "eprint"):
            if isinstance(fields.get(key), str) and _plain(fields[key]):
                ids["doi" if key == "doi" else "arxiv"] = _plain(fields[key]) or ""
        venue = next((_plain(fields[k]) for k in ("booktitle", "journal", "publisher", "school", "institution")
                      if isinstance(fields.get(k), str) and _plain(fields[k])), None)  # fmt: skip
        records.append(
            Record(
                title=_plain(fields.get("title")) if isinstance(fields.get("title"), str) else None,
                authors=tuple(AuthorRef(n) for n in names),
                authors_truncated=truncated,
                date=_date(fields),
                venue=venue,
                abstract=_plain(fields.get("abstract")) if isinstance(fields.get("abstract"), str) else None,
                ids=ids,
                source=SourceRef(source, (entry.start_line or 0) + 1, FORMAT),
                extra={"entry_type": entry.entry_type.lower()},
            )
        )
    if library.failed_blocks:
        lines = ", ".join(str((b.start_line or 0) + 1) for b in library.failed_blocks[:10])
        notes.append(f"{len(library.failed_blocks)} block(s) could not be parsed (from line(s) {lines})")
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="BibTeX (bibtexparser; LaTeX accents, 'Last, First', 'and others')",
    detect=detect,
    extract=extract,
)
