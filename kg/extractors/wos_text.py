"""Web of Science exports: "Plain Text" (``FN``/``VR`` header, ``PT`` ... ``ER`` records) and "Tab-delimited".

Authors come from ``AF`` (full names; ``AU`` when there is none) in order, "Family, Given"
split into its parts, with group authors (``CA``) after them; each author's addresses from
the ``C1`` lines that name them ("[Lee, Ann; Xu, Kelvin] Univ X, City"), else (older records,
whose ``C1`` names nobody) the ``RP`` address of the reprint author; unattributed
addresses and ``C3`` organisation names as the paper's ``orgs``; ORCIDs from ``OI``; cited
references from ``CR`` (the DOI parsed out of "..., DOI 10.x/y"); ``UT`` as the ``wos`` id; author
keywords (``DE``) then Keywords Plus (``ID``) as ``keywords``; the Web of Science categories (``WC``)
and research areas (``SC``) as ``wos-category`` and ``wos-area`` ``subjects``.

Examples
--------
>>> text = ("FN Clarivate Analytics Web of Science\\nVR 1.0\\nPT J\\nAU Xu, K\\nAF Xu, Kelvin\\n"
...         "TI Show, Attend and Tell\\nC1 [Xu, Kelvin] Univ Toronto, Toronto, ON, Canada.\\n"
...         "PY 2015\\nUT WOS:000000000000001\\nER\\nEF\\n")
>>> [record], notes = extract(text, "savedrecs.txt", ExtractOptions())
>>> record.authors[0].name, record.authors[0].affiliations, record.ids, record.source.line
('Xu, Kelvin', ('Univ Toronto, Toronto, ON, Canada.',), {'wos': 'WOS:000000000000001'}, 3)
"""

from __future__ import annotations

import csv
import re
from typing import Any

from kg.extractors.base import ExtractOptions, Extractor, papers_of
from kg.extractors.common.subjects import subjects
from kg.extractors.common.tagged import (
    WOS_LINE_RE,
    TaggedRecord,
    date_from_parts,
    find_doi,
    find_person,
    month_day_in,
    name_key,
    split_family_given,
    tagged_records,
)
from kg.records import AuthorRef, Record, SourceRef
from kg.text import clean_space, split_initials

FORMAT = "wos-text"
_PLAIN_HEAD_RE = re.compile(r"^FN [^\n]*\nVR \d")
_BARE_HEAD_RE = re.compile(r"^PT [A-Z]\n(?:[A-Z][A-Z0-9] [^\n]*\n|   [^\n]*\n){0,40}?(?:AU|AF|TI) ")
_TAB_HEAD_RE = re.compile(r"^PT\tAU\t")
_ADDRESS_RE = re.compile(r"^\[(?P<names>[^\]]*)\]\s*(?P<address>.+)$")
_INLINE_TAG_RE = re.compile(r"</?(?:i|b|em|strong|sub|sup|scp|u)>", re.IGNORECASE)
_ORCID_RE = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])")
_ISSN_RE = re.compile(r"^\d{4}-\d{3}[\dX]$")
# "RP Ni, T (reprint author), Virginia Tech, Blacksburg, VA 24061 USA." ("corresponding author" since 2019),
# several of them separated by "; ".
_REPRINT_RE = re.compile(r"^(?P<name>[^()]+?)\s*\((?:reprint|corresponding) author\),\s*(?P<address>.+?)\s*$")
_REPRINT_SPLIT_RE = re.compile(r";\s*(?=[^;]*\((?:reprint|corresponding) author\))")
# Tab-delimited fields that hold one item per "; " (one per line in plain text).
_LIST_TAGS = {"AU", "AF", "BA", "BF", "CA", "GP", "BE", "CR", "C1"}


def detect(text: str) -> float:
    """Confident on the ``FN``/``VR`` header, a tab-delimited header, or a bare ``PT`` record."""
    head = text[:20_000].lstrip("\ufeff")
    if _PLAIN_HEAD_RE.match(head) or _TAB_HEAD_RE.match(head):
        return 0.95
    if _BARE_HEAD_RE.match(head.lstrip("\n")) and re.search(r"^ER\s*$", head, re.M):
        return 0.7
    return 0.0


def _split_semicolons(value: str | None) -> list[str]:
    return [clean_space(part) for part in (value or "").split(";") if clean_space(part)]


def _authors(record: TaggedRecord) -> tuple[list[AuthorRef], list[str]]:
    """The authors with their addresses and ORCIDs; and the addresses no author is named on."""
    full, short = record.items("AF") or record.items("BF"), record.items("AU") or record.items("BA")
    names = full or short
    # A printing per author to match C1 and OI names against: the full name and the short one.
    keys = [
        tuple({name_key(n), name_key(short[i])} if len(short) == len(names) else {name_key(n)})
        for i, n in enumerate(names)
    ]
    addresses: list[list[str]] = [[] for _ in names]
    unattributed: list[str] = []
    for line in record.items("C1"):
        match = _ADDRESS_RE.match(line)
        if not match:
            unattributed.append(line)
            continue
        placed = False
        for person in _split_semicolons(match["names"]):
            index = find_person(person, keys)
            if index is not None and match["address"] not in addresses[index]:
                addresses[index].append(match["address"])
                placed = True
        if not placed:
            unattributed.append(match["address"])
    if len(names) == 1 and unattributed:  # one author: every address is hers
        addresses[0].extend(a for a in unattributed if a not in addresses[0])
        unattributed = []
    # The reprint (corresponding) author's address names its person: it is hers when C1 gave her none.
    unplaced = {index for index, found in enumerate(addresses) if not found}
    for entry in _REPRINT_SPLIT_RE.split(record.text("RP") or ""):
        match = _REPRINT_RE.match(clean_space(entry))
        index = find_person(match["name"], keys) if match else None
        if match and index in unplaced and match["address"] not in addresses[index]:
            addresses[index].append(match["address"])
    orcids: dict[int, str] = {}
    for entry in _split_semicolons(record.text("OI")):
        person, _, rest = entry.rpartition("/")
        orcid = _ORCID_RE.search(rest)
        index = find_person(person, keys) if orcid and person else None
        if index is not None and orcid:
            orcids.setdefault(index, orcid.group(1))
    authors = []
    for index, name in enumerate(names):
        given, family = split_family_given(name)
        authors.append(AuthorRef(name, tuple(addresses[index]), orcids.get(index), given, family))
    authors.extend(AuthorRef(group) for group in record.items("CA") + record.items("GP"))
    return authors, unattributed


def _date(record: TaggedRecord) -> str | None:
    published = record.text("PD")
    year = record.text("PY")
    if not (year and re.fullmatch(r"\d{4}", year)):
        found = re.search(r"\b[12]\d{3}\b", " ".join(filter(None, (published, record.text("EY"), record.text("EA")))))
        year = found.group(0) if found else None
    if year is None:
        return None
    pd_year = re.search(r"\b[12]\d{3}\b", published or "")
    if pd_year and pd_year.group(0) != year:  # "PD 2023 DEC" of a paper dated PY 2024: the month is not PY's
        return date_from_parts(year)
    return date_from_parts(year, *month_day_in(published))


def _reference(text: str) -> dict[str, Any]:
    """A cited reference as printed, and its parts.

    Examples
    --------
    >>> _reference("Burt R. S., 1992, STRUCTURAL HOLES SOC")["first_author"]
    'Burt'
    >>> _reference("Ahuja G, 2000, ADMIN SCI QUART, V45, P425, DOI 10.2307/2667105")
    {'text': 'Ahuja G, 2000, ADMIN SCI QUART, V45, P425, DOI 10.2307/2667105', 'year': 2000, \
'first_author': 'Ahuja', 'cited_author': 'Ahuja G', 'venue': 'ADMIN SCI QUART', 'volume': '45', 'page': '425', \
'doi': '10.2307/2667105'}
    """
    reference: dict[str, Any] = {"text": text}
    parts = [p.strip() for p in text.split(",")]
    if len(parts) > 1 and re.fullmatch(r"[12]\d{3}", parts[1]):
        reference["year"] = int(parts[1])
        if parts[0] and not parts[0].startswith("["):  # "[Anonymous]" names no one
            reference["first_author"] = (split_initials(parts[0]) or (parts[0],))[0]
            reference["cited_author"] = parts[0]
        if len(parts) > 2 and parts[2] and not _CITED_PART_RE.match(parts[2]):
            reference["venue"] = parts[2]
        for part in parts[2:]:
            found = _CITED_PART_RE.match(part)
            if found and found.group(1) == "V":
                reference.setdefault("volume", found.group(2))
            elif found and found.group(1) == "P":
                reference.setdefault("page", found.group(2))
    doi = find_doi(text)
    if doi:
        reference["doi"] = doi
    return reference


_CITED_PART_RE = re.compile(r"^([VP])(\d+)$")


def _record(record: TaggedRecord, source: str) -> Record | None:
    title = clean_space(_INLINE_TAG_RE.sub("", record.text("TI") or "")) or None
    abstract = record.text("AB")
    if not title and not abstract:
        return None
    authors, unattributed = _authors(record)
    orgs = list(dict.fromkeys(_split_semicolons(record.text("C3")) + unattributed))
    ids: dict[str, str] = {}
    accession = record.text("UT") or ""
    if accession.upper().startswith("MEDLINE:"):  # an "All Databases" export: the MEDLINE record
        ids["pmid"] = accession.partition(":")[2].strip()
    elif accession:
        ids["wos"] = accession
    for key, tag in (("doi", "DI"), ("pmid", "PM"), ("isbn", "BN")):
        value = record.text(tag)
        if value and key == "doi":
            ids[key] = find_doi(value) or value
        elif value:
            ids[key] = value.split(";")[0].strip()
    issn = next((v for v in (record.text("SN"), record.text("EI")) if v and _ISSN_RE.match(v)), None)
    if issn:
        ids["issn"] = issn
    extra: dict[str, Any] = {}
    if record.text("DT"):
        extra["document_type"] = record.text("DT")
    if record.text("LA"):
        extra["language"] = record.text("LA")
    if record.text("VL"):
        extra["volume"] = record.text("VL")
    if record.text("J9"):
        extra["venue_abbreviation"] = record.text("J9")  # as cited references print the venue
    pages = "-".join(p for p in (record.text("BP"), record.text("EP")) if p)
    if pages:
        extra["pages"] = pages
    cited = (record.text("TC") or "").strip()
    if cited.isdigit():
        extra["citation_count"] = int(cited)  # times cited, as Web of Science counted them when exported
    keywords = _split_semicolons(record.text("DE")) + _split_semicolons(record.text("ID"))
    keywords = list({k.casefold(): k for k in reversed(keywords)}.values())[::-1]
    if keywords:
        extra["keywords"] = keywords
    areas = subjects("wos-category", labels=_split_semicolons(record.text("WC"))) + subjects(
        "wos-area", labels=_split_semicolons(record.text("SC"))
    )
    if areas:
        extra["subjects"] = areas
    references = [_reference(text) for text in record.items("CR")]
    if references:
        extra["references"] = references
    return Record(
        title=title,
        authors=tuple(authors),
        orgs=tuple(orgs),
        date=_date(record),
        venue=record.text("SO") or record.text("SE"),
        abstract=abstract,
        ids=ids,
        source=SourceRef(source, record.line, FORMAT),
        extra=extra,
    )


def _tab_records(text: str) -> list[TaggedRecord]:
    reader = csv.DictReader(text.lstrip("\ufeff").split("\n"), delimiter="\t", quoting=csv.QUOTE_NONE)
    records = []
    for row in reader:
        fields: list[tuple[str, list[str]]] = []
        for tag, value in row.items():
            if not isinstance(tag, str) or not isinstance(value, str) or not value.strip():
                continue  # the empty column after the trailing tab
            tag = tag.strip()
            if tag == "C1" and value.lstrip().startswith("["):
                items = re.split(r";\s*(?=\[)", value)
            elif tag in _LIST_TAGS:
                items = value.split("; ")
            else:
                items = [value]
            fields.append((tag, [i.strip() for i in items if i.strip()]))
        if fields:
            records.append(TaggedRecord(reader.line_num, fields))
    return records


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    text = text.replace("\r\n", "\n")
    if _TAB_HEAD_RE.match(text.lstrip("\ufeff")):
        tagged = _tab_records(text)
    else:
        tagged = list(
            tagged_records(text, WOS_LINE_RE, start_tags={"PT"}, end_tags={"ER"}, ignore_tags={"FN", "VR", "EF"})
        )
    records, notes = papers_of(tagged, lambda item: _record(item, source), lambda item: item.line)
    if not tagged:
        notes.append("no Web of Science record (a 'PT' line, or a row under the tab-delimited header) found")
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="Web of Science plain-text or tab-delimited export (authors, addresses, ORCIDs, cited references)",
    detect=detect,
    extract=extract,
)
