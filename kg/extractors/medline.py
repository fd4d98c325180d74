"""MEDLINE / PubMed tagged text (PubMed's "Save > PubMed format", ``.nbib``): ``PMID- `` records.

Authors come from ``FAU`` ("Woyach, Jennifer A"; ``AU`` "Woyach JA" when there is no full
name) and ``CN`` (collective names) in printed order; each author's ``AD`` lines and
``AUID- ORCID:`` follow that author. The venue is ``JT`` (``TA`` when missing), the date ``DP``
("2018 Dec 27", "2018 Jan-Feb"; ``DEP`` when missing); the DOI comes from ``LID``/``AID``
("... [doi]"); ``PMID`` and ``PMC`` are ids; ``OT`` terms are the keywords, and MeSH descriptors
(``MH``, without their ``/qualifier`` parts and ``*`` marks; the format prints no descriptor ids) are
``mesh`` ``subjects``.

Examples
--------
>>> text = ("PMID- 30501481\\nTI  - Ibrutinib Regimens versus Chemoimmunotherapy.\\n"
...         "FAU - Woyach, Jennifer A\\nAU  - Woyach JA\\nAD  - Ohio State University, Columbus.\\n"
...         "DP  - 2018 Dec 27\\nLID - 10.1056/NEJMoa1812836 [doi]\\n")
>>> [record], notes = extract(text, "pubmed.nbib", ExtractOptions())
>>> author = record.authors[0]
>>> author.name, author.family, author.affiliations, record.date, record.ids["doi"].lower()
('Woyach, Jennifer A', 'Woyach', ('Ohio State University, Columbus.',), '2018-12-27', '10.1056/nejmoa1812836')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kg.extractors.base import ExtractOptions, Extractor, papers_of
from kg.extractors.common.subjects import mesh_heading, subjects
from kg.extractors.common.tagged import (
    MEDLINE_LINE_RE,
    TaggedRecord,
    date_from_parts,
    month_day_in,
    split_family_given,
    tagged_records,
)
from kg.records import COLLECTIVE_AUTHORS, AuthorRef, Record, SourceRef
from kg.text import clean_space

FORMAT = "medline"
_HEAD_RE = re.compile(r"^PMID- ?\d+\s*$", re.M)
_TAG_LINES_RE = re.compile(r"^(?:OWN|STAT|DCOM|LR|IS|VI|IP|DP|TI|PG|LID|AB|FAU|AU|AD|LA|PT|TA|JT|JID)\s*- ", re.M)
_ORCID_RE = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dXx])")
_ISSN_RE = re.compile(r"^(\d{4}-\d{3}[\dX])\b")
_SHORT_NAME_RE = re.compile(r"^(?P<family>.+?) (?P<initials>[A-Z]{1,4})$")
# Tags after which an AD line is no author's: investigators (IR/FIR, with their own IRAD) and editors.
_NOT_AUTHORS = {"FIR", "IR", "FED", "ED"}


def detect(text: str) -> float:
    """Confident when a ``PMID- `` line opens the text and MEDLINE tags follow it."""
    head = text[:20_000].lstrip("\ufeff \t\r\n")
    # PubMed's own export opens with "PMID- "; PubMed Central's MEDLARS export with "PMC - ", then "PMID- ".
    first_lines = head.split("\n", 2)[:2]
    opening = first_lines[0].startswith("PMID-") or (
        first_lines[0].startswith("PMC - ") and len(first_lines) > 1 and first_lines[1].startswith("PMID-")
    )
    if not opening or not _HEAD_RE.search(head[:2000]):
        return 0.0
    return 0.95 if len(_TAG_LINES_RE.findall(head[:5000])) >= 3 else 0.5


@dataclass
class _Author:
    name: str
    given: str | None = None
    family: str | None = None
    affiliations: list[str] = field(default_factory=list)
    orcid: str | None = None
    has_full_name: bool = False
    has_short_name: bool = False

    def ref(self) -> AuthorRef:
        return AuthorRef(self.name, tuple(dict.fromkeys(self.affiliations)), self.orcid, self.given, self.family)


def _short_name_parts(name: str) -> tuple[str | None, str | None]:
    """``(given, family)`` of a short "Woyach JA" name: the initials, the family name."""
    match = _SHORT_NAME_RE.match(name)
    return (match["initials"], match["family"]) if match else (None, None)


def _authors(record: TaggedRecord) -> tuple[list[AuthorRef], list[str]]:
    """The authors in printed order with their affiliations and ORCIDs; and the AD lines no author precedes."""
    authors: list[_Author] = []
    current: _Author | None = None
    orphan_addresses: list[str] = []
    among_others = False  # after an investigator or editor: their AD lines are no author's
    for tag, lines in record.fields:
        value = clean_space(" ".join(lines))
        if tag in ("FAU", "AU", "CN"):
            among_others = False
        if tag == "FAU" and value:
            given, family = split_family_given(value)
            current = _Author(value, given, family, has_full_name=True)
            authors.append(current)
        elif tag == "AU" and value:
            if current is not None and current.has_full_name and not current.has_short_name:
                current.has_short_name = True  # the short printing of the FAU above
            else:
                current = _Author(value, *_short_name_parts(value), has_short_name=True)
                authors.append(current)
        elif tag == "CN" and value:
            current = _Author(value)
            authors.append(current)
        elif tag == "AUID" and current is not None:
            match = _ORCID_RE.search(value) if "orcid" in value.lower() else None
            if match and current.orcid is None:
                current.orcid = match.group(1).upper()
        elif tag == "AD" and value:
            if current is not None:
                current.affiliations.append(value)
            elif not among_others:
                orphan_addresses.append(value)
        elif tag in _NOT_AUTHORS:
            current, among_others = None, True
    refs = [a.ref() for a in authors]
    if orphan_addresses and len(refs) == 1:
        only = refs[0]
        refs[0] = AuthorRef(only.name, tuple(dict.fromkeys(orphan_addresses)), only.orcid, only.given, only.family)
        orphan_addresses = []
    return refs, list(dict.fromkeys(orphan_addresses))


def _date(record: TaggedRecord) -> str | None:
    published = record.text("DP") or ""
    year = re.match(r"^\s*([12]\d{3})", published)
    if year:
        return date_from_parts(year.group(1), *month_day_in(published[year.end() :]))
    electronic = re.match(r"^([12]\d{3})(\d{2})(\d{2})$", record.text("DEP") or "")
    if electronic:
        return date_from_parts(electronic.group(1), int(electronic.group(2)), int(electronic.group(3)))
    return None


def _ids(record: TaggedRecord) -> dict[str, str]:
    ids: dict[str, str] = {}
    pmid = record.text("PMID")
    if pmid and pmid.isdigit():
        ids["pmid"] = pmid
    for value in record.values("LID") + record.values("AID"):
        if value.endswith("[doi]"):
            ids.setdefault("doi", value.removesuffix("[doi]").strip())
        elif value.endswith("[pmc]"):
            ids.setdefault("pmcid", value.removesuffix("[pmc]").strip())
    pmc = record.text("PMC")
    if pmc:
        ids["pmcid"] = pmc
    issn = next((m.group(1) for v in record.values("IS") if (m := _ISSN_RE.match(v))), None)
    if issn:
        ids["issn"] = issn
    isbn = record.text("ISBN")
    if isbn:
        ids["isbn"] = isbn
    return ids


def _keywords(record: TaggedRecord) -> list[str]:
    """The ``OT`` (other term) keywords."""
    return list(dict.fromkeys(w for w in record.values("OT") if w))


def _record(record: TaggedRecord, source: str) -> Record | None:
    title = record.text("TI") or record.text("BTI") or record.text("TT")
    abstract = record.text("AB")
    if not title and not abstract:
        return None
    authors, orgs = _authors(record)
    extra: dict[str, Any] = {}
    groups = [value for tag, lines in record.fields if tag == "CN" and (value := clean_space(" ".join(lines)))]
    if groups:
        extra[COLLECTIVE_AUTHORS] = groups  # groups, whatever words they hold (kg.resolve.groups)
    kinds = record.values("PT")
    if kinds:
        extra["document_type"] = kinds[0]
    if record.text("LA"):
        extra["language"] = record.text("LA")
    keywords = _keywords(record)
    if keywords:
        extra["keywords"] = keywords
    mesh = subjects("mesh", labels=[mesh_heading(h) for h in record.values("MH")])
    if mesh:
        extra["subjects"] = mesh
    return Record(
        title=title,
        authors=tuple(authors),
        orgs=tuple(orgs),
        date=_date(record),
        venue=record.text("JT") or record.text("TA"),
        abstract=abstract,
        ids=_ids(record),
        source=SourceRef(source, record.line, FORMAT),
        extra=extra,
    )


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    text = text.replace("\r\n", "\n")
    tagged = list(tagged_records(text, MEDLINE_LINE_RE, start_tags={"PMID"}, blank_ends=True))
    records, notes = papers_of(tagged, lambda item: _record(item, source), lambda item: item.line)
    if not tagged:
        notes.append("no MEDLINE record (a 'PMID- ' line) found")
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="MEDLINE / PubMed tagged text (.nbib): authors, affiliations, ORCIDs, MeSH",
    detect=detect,
    extract=extract,
)
