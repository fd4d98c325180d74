"""RIS files (rispy): Zotero, EndNote, Mendeley, Scopus, IEEE Xplore and Web of Science flavours.

Authors come from ``AU`` (or ``A1``) in order, "Family, Given" split into its parts; the
title from ``TI``/``T1``; the venue from ``T2``/``JF``/``JO``; the date from ``PY``/``Y1``/``DA``
("2019/05/17/", "Aug 15", "MAR 2019"); the abstract from ``AB``/``N2``; identifiers from ``DO``,
``SN`` (ISSN or ISBN), ``AN`` ("WOS:...") and links in ``UR`` (doi.org, PubMed, arXiv, Scopus).

Examples
--------
>>> text = "TY  - JOUR\\nAU  - Xu, Kelvin\\nAU  - Ba, Jimmy\\nTI  - Show, Attend and Tell\\nPY  - 2015\\nER  - \\n"
>>> [record], notes = extract(text, "refs.ris", ExtractOptions())
>>> record.title, [(a.given, a.family) for a in record.authors], record.date
('Show, Attend and Tell', [('Kelvin', 'Xu'), ('Jimmy', 'Ba')], '2015')
"""

from __future__ import annotations

import re
from typing import Any

from kg.extractors.base import ExtractOptions, Extractor, skipped_note
from kg.extractors.common.tagged import (
    date_from_parts,
    find_doi,
    find_person,
    month_day_in,
    name_key,
    split_family_given,
)
from kg.records import AuthorRef, Record, SourceRef
from kg.text import clean_space

FORMAT = "ris"
# "TY  - JOUR" (the standard two spaces) or "TY - JOUR" (some generators write one).
_TY_RE = re.compile(r"^\ufeff?\s*TY {1,2}- ?[A-Z]", re.M)
_ONE_SPACE_TAG_RE = re.compile(r"^([A-Z][A-Z0-9]) -(?= |$)", re.M)
_NUMERIC_DATE_RE = re.compile(r"^\s*(\d{4})(?:[/-](\d{1,2})?(?:[/-](\d{1,2})?)?)?")
_ISSN_RE = re.compile(r"\b(\d{4}-?\d{3}[\dXx])\b")
_ISBN_RE = re.compile(r"\b((?:97[89][- ]?)?(?:\d[- ]?){9}[\dXx])\b")
_URL_IDS = (
    ("pmid", re.compile(r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)(\d+)")),
    ("pmcid", re.compile(r"ncbi\.nlm\.nih\.gov/pmc/articles/(PMC\d+)")),
    ("arxiv", re.compile(r"arxiv\.org/(?:abs|pdf)/([^\s?#]+?)(?:\.pdf)?(?:[?#]|$)")),
    ("scopus", re.compile(r"scopus\.com/.*[?&]eid=(2-s2\.0-\d+)")),
)
# EndNote keeps Web of Science's ORCID list in a note: "Taiana, Elisa/0000-0003-4940-1318; ...".
_NAMED_ORCID_RE = re.compile(r"([^;/\n]+?)/(\d{4}-\d{4}-\d{4}-\d{3}[\dX])\b")
# Venue tags, the best first: T2, JF (full journal name), JO, JA, J2 (abbreviations), T3 (series).
_VENUE_KEYS = (
    "secondary_title",
    "alternate_title3",
    "journal_name",
    "alternate_title2",
    "alternate_title1",
    "tertiary_title",
)
# Tags rispy keeps once by default but that exporters repeat (ISSN print and electronic, Scopus addresses).
_REPEATED_TAGS = ("AD", "SN", "DO", "AN")


def detect(text: str) -> float:
    """Confident when the first non-blank lines hold a ``TY  - `` line."""
    head = text[:4000].lstrip("\ufeff \t\r\n")
    if head.startswith(("TY  - ", "TY - ")) and _TY_RE.match(head):
        return 0.95
    first_lines = "\n".join(head.split("\n")[:5])
    return 0.6 if _TY_RE.search(first_lines) else 0.0


def _values(entry: dict[str, Any], *keys: str) -> list[str]:
    """Every non-empty string under ``keys`` (rispy gives a string or a list), whitespace collapsed."""
    out = []
    for key in keys:
        value = entry.get(key)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and clean_space(item):
                out.append(clean_space(item))
    return out


def _unknown(entry: dict[str, Any], tag: str) -> list[str]:
    return [clean_space(v) for v in (entry.get("unknown_tag") or {}).get(tag, []) if clean_space(v)]


def _first(entry: dict[str, Any], *keys: str) -> str | None:
    return next(iter(_values(entry, *keys)), None)


def _author(raw: str) -> AuthorRef:
    given, family = split_family_given(raw)
    return AuthorRef(raw, given=given, family=family) if family else AuthorRef(raw)


def _with_orcids(authors: list[AuthorRef], notes: list[str]) -> list[AuthorRef]:
    """Authors with the ORCIDs a note lists by name ("Family, Given/0000-0002-8452-3380")."""
    keys = [(name_key(a.name),) for a in authors]
    orcids: dict[int, str] = {}
    for note in notes:
        for person, orcid in _NAMED_ORCID_RE.findall(note):
            index = find_person(person.strip(), keys) if "," in person else None
            if index is not None:
                orcids.setdefault(index, orcid)
    return [
        AuthorRef(a.name, a.affiliations, orcids[i], a.given, a.family) if i in orcids and not a.orcid else a
        for i, a in enumerate(authors)
    ]


def _date(entry: dict[str, Any]) -> str | None:
    """The most precise date of ``PY``, ``Y1`` and ``DA`` that agrees on the year."""
    candidates = _values(entry, "year", "publication_year", "date")
    year = next((m.group(1) for v in candidates if (m := _NUMERIC_DATE_RE.match(v))), None)
    if year is None:
        year = next((m.group(0) for v in candidates if (m := re.search(r"\b[12]\d{3}\b", v))), None)
    if year is None:
        return None
    best = date_from_parts(year)
    for value in candidates:
        numeric = _NUMERIC_DATE_RE.match(value)
        if numeric and numeric.group(1) == year and numeric.group(2):
            month, day = numeric.group(2), numeric.group(3)
            parts = (int(month), int(day) if day else None)
        elif numeric and numeric.group(1) == year:
            parts = month_day_in(value[numeric.end() :])  # "2014 Nov", "2019 Mar 3"
        elif not numeric and (re.search(r"\b[12]\d{3}\b", value) is None or year in value):
            parts = month_day_in(value)  # "Aug 15", "MAR 2019", "Dec. 2019"
        else:
            continue
        date = date_from_parts(year, *parts)
        if date and best and len(date) > len(best):
            best = date
    return best


def _ids(entry: dict[str, Any]) -> dict[str, str]:
    ids: dict[str, str] = {}
    urls = _values(entry, "urls") + _unknown(entry, "L3") + _unknown(entry, "L2")
    doi_sources = _values(entry, "doi") + _unknown(entry, "DI") + [u for u in urls if "doi.org/" in u]
    doi = next((d for d in map(find_doi, doi_sources) if d), None)
    if doi is None:  # some exporters put the DOI in M3 or M1 ("doi: 10....")
        doi = next((d for d in map(find_doi, _values(entry, "type_of_work", "note")) if d), None)
    if doi:
        ids["doi"] = doi
    for number in _values(entry, "issn"):
        isbn = _ISBN_RE.search(number)
        issn = _ISSN_RE.search(number)
        if isbn and len(re.sub(r"[^\dXx]", "", isbn.group(1))) in (10, 13) and not issn:
            ids.setdefault("isbn", isbn.group(1))
        elif issn:
            ids.setdefault("issn", issn.group(1).upper())
    for accession in _values(entry, "accession_number"):
        prefix, _, rest = accession.partition(":")
        if prefix.upper() == "WOS" and rest:
            ids.setdefault("wos", accession)
        elif prefix.upper() in ("MEDLINE", "PMID") and rest.strip().isdigit():
            ids.setdefault("pmid", rest.strip())
        elif accession.startswith("2-s2.0-"):
            ids.setdefault("scopus", accession)
    for url in urls:
        for key, pattern in _URL_IDS:
            match = pattern.search(url)
            if match:
                ids.setdefault(key, match.group(1))
        if "WOS:" in url and "wos" not in ids:  # EndNote's "<Go to ISI>://WOS:000307501100004"
            ids["wos"] = "WOS:" + url.split("WOS:", 1)[1].strip(" >")
    return ids


def _keywords(entry: dict[str, Any]) -> list[str]:
    words: list[str] = []
    for value in _values(entry, "keywords"):
        words.extend(clean_space(w) for w in (value.split(";") if ";" in value else [value]))
    return list(dict.fromkeys(w for w in words if w))


def _start_lines(lines: list[str]) -> tuple[list[int], bool]:
    """The 1-based line of every record rispy will read (its own rule: a line starting "TY"
    opens a record, an ``ER`` tag closes it), and whether the last record is left open."""
    starts, inside = [], False
    for number, line in enumerate(lines, start=1):
        if not inside:
            if line.startswith("TY"):
                starts.append(number)
                inside = True
        elif line[2:5] == "  -" and line[:2] == "ER":
            inside = False
    return starts, inside


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    import rispy
    from rispy.config import LIST_TYPE_TAGS

    text = _ONE_SPACE_TAG_RE.sub(r"\1  -", text.lstrip("\ufeff").replace("\r\n", "\n"))
    lines = text.split("\n")
    starts, left_open = _start_lines(lines)
    notes: list[str] = []
    if left_open:
        notes.append(f"the last record (line {starts[-1]}) has no ER line; read up to the end of the file")
        text += "\nER  - \n"
    entries = rispy.loads(text, list_tags=[*LIST_TYPE_TAGS, *_REPEATED_TAGS])
    records, skipped = [], []
    for line, entry in zip(starts, entries, strict=True):
        title = _first(entry, "title", "primary_title") or next(iter(_unknown(entry, "BT")), None)
        title = title or _first(entry, "short_title")
        abstract = _first(entry, "abstract", "notes_abstract")
        if not title and not abstract:
            skipped.append(line)
            continue
        authors = [_author(n) for n in dict.fromkeys(_values(entry, "authors", "first_authors"))]
        authors = _with_orcids(authors, _values(entry, "notes"))
        addresses = list(dict.fromkeys(_values(entry, "author_address")))
        if len(authors) == 1 and addresses:  # one author: the addresses are hers
            first = authors[0]
            authors[0] = AuthorRef(first.name, tuple(addresses), first.orcid, first.given, first.family)
            addresses = []
        extra: dict[str, Any] = {}
        kind = _first(entry, "type_of_reference")
        if kind:
            extra["document_type"] = kind
        language = _first(entry, "language")
        if language:
            extra["language"] = language
        keywords = _keywords(entry)
        if keywords:
            extra["keywords"] = keywords
        records.append(
            Record(
                title=title,
                authors=tuple(authors),
                orgs=tuple(addresses),
                date=_date(entry),
                venue=_first(entry, *_VENUE_KEYS),
                abstract=abstract,
                ids=_ids(entry),
                source=SourceRef(source, line, FORMAT),
                extra=extra,
            )
        )
    notes.extend(skipped_note(skipped))
    if not starts:
        notes.append("no RIS record (a 'TY  - ' line) found")
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="RIS (rispy): Zotero, EndNote, Mendeley, Scopus, IEEE, Web of Science",
    detect=detect,
    extract=extract,
)
