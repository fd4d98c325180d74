"""RIS files (rispy), as every common producer writes them.

Reference managers (Zotero, EndNote, Mendeley, Citavi), databases (Scopus, Web of Science,
PubMed, Embase and PsycINFO through Ovid or EBSCOhost, ProQuest, Dimensions, Lens, Google
Scholar through Publish or Perish) and publisher sites (ScienceDirect, IEEE Xplore, PLoS,
Nature, ACS, Wiley, HighWire journals) all write ``TAG  - value`` lines, each a little
differently. What is read, and from where:

* authors from ``AU`` and ``A1`` in order (``A2``/``A3`` are editors). "Family, Given" is
  split into its parts, and so are the comma-less "Liu R." (Embase) and "A. B. Smith" (IEEE);
  a given name written ``null`` (Lens) is dropped.
* the title from ``TI``/``T1`` (else ``BT`` or ``ST``); the venue from the journal tags
  ``JF``/``JO`` first (ScienceDirect's ``T2`` is an issue's theme, EBSCO's a translated
  title), then ``T2``, ``BT`` (a chapter's book), ``JA``/``J2`` (abbreviations), ``T3``.
* the date from ``PY``/``Y1``/``DA`` ("2019///", "2013/11/24/print", "Dec. 2019", "MAR 15").
* the abstract from ``AB``/``N2``; keywords from ``KW`` (one per line or ";"-separated).
* ids: the DOI from ``DO`` (also "doi: 10..." and doi.org links), else a bare DOI in ``L3``
  (EBSCO), a DOI note in ``N1``/``M3``/``M1`` (HighWire, ScienceDirect) or a publisher's
  ``/doi/10...`` link; ``SN`` as ISSN or ISBN; ``AN`` as Web of Science ("WOS:", "ISI:"),
  PubMed, Scopus or Dimensions id; PubMed ids in ``U1`` ("35957633 [PMID]", Dimensions and
  PubMed), Scopus's ``C2`` and EBSCO notes; the Lens id from ``ID`` or its link; the IEEE Xplore
  article number from its link.
* Scopus's ``N1  - References:`` lines as cited ``references``; EBSCO's note of numbered
  affiliations ("Lee, Ann 1; ... Affiliations: 1: ...") as the authors' affiliations; Web of
  Science's ORCID note (EndNote) as the authors' ORCIDs.

A field written ``NA`` (R tools write their missing values so) is empty. A file whose records
have no ``TY`` line (some R tools) is read record by record up to each ``ER`` line, with a note.

Examples
--------
>>> text = "TY  - JOUR\\nAU  - Xu, Kelvin\\nAU  - Ba, Jimmy\\nTI  - Show, Attend and Tell\\nPY  - 2015\\nER  - \\n"
>>> [record], notes = extract(text, "refs.ris", ExtractOptions())
>>> record.title, [(a.given, a.family) for a in record.authors], record.date
('Show, Attend and Tell', [('Kelvin', 'Xu'), ('Jimmy', 'Ba')], '2015')
>>> text = ("TY  - JOUR\\nT1  - A paper\\nA1  - Liu R.\\nJO  - Cell\\nT2  - Theme issue\\n"
...         "N1  - doi: 10.1093/nar/gkq369\\nER  -\\n")
>>> [record], notes = extract(text, "refs.ris", ExtractOptions())
>>> [(a.given, a.family) for a in record.authors], record.venue, record.ids
([('R.', 'Liu')], 'Cell', {'doi': '10.1093/nar/gkq369'})
"""

from __future__ import annotations

import re
from typing import Any

from kg.extractors.base import ExtractOptions, Extractor, skipped_note
from kg.extractors.common.scopus_references import scopus_reference, split_line
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
_TAG_LINE_RE = re.compile(r"^([A-Z][A-Z0-9])  -(?: |$)")
_NUMERIC_DATE_RE = re.compile(r"^\s*(\d{4})(?:[/-](\d{1,2})?(?:[/-](\d{1,2})?)?)?")
_ISSN_RE = re.compile(r"\b(\d{4})-?(\d{3}[\dXx])\b")
_ISBN_RE = re.compile(r"\b((?:97[89][- ]?)?(?:\d[- ]?){9}[\dXx])\b")
_URL_IDS = (
    ("pmid", re.compile(r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)(\d+)")),
    ("pmcid", re.compile(r"ncbi\.nlm\.nih\.gov/pmc/articles/(PMC\d+)")),
    ("arxiv", re.compile(r"arxiv\.org/(?:abs|pdf)/([^\s?#]+?)(?:\.pdf)?(?:[?#]|$)")),
    ("scopus", re.compile(r"scopus\.com/.*[?&]eid=(2-s2\.0-\d+)")),
    ("dimensions", re.compile(r"app\.dimensions\.ai/details/publication/(pub\.\d+)")),
    ("ieee", re.compile(r"ieeexplore\.ieee\.org/(?:document/|.*[?&]arnumber=)(\d+)")),
    ("lens", re.compile(r"\blens\.org/(?:lens/scholar/article/)?(\d{3}-\d{3}-\d{3}-\d{3}-\d{2}[\dX])\b")),
)
_LENS_ID_RE = re.compile(r"^\d{3}-\d{3}-\d{3}-\d{3}-\d{2}[\dX]$")
# A publisher's landing or PDF link that carries the DOI: ".../doi/abs/10.1002/x", ".../doi/pdf/10.1080/y?x=1".
_DOI_PATH_RE = re.compile(r"^https?://[^/\s]+/doi/(?:[a-z]+/)?(10\.\d{4,9}/[^\s?#]+)", re.I)
# A note that is nothing but a DOI: "doi: 10.1073/pnas.1300327110", "DOI 10.1/x", "10.1/x".
_DOI_NOTE_RE = re.compile(r"^(?:doi\s*:?\s*)?(10\.\d{4,9}/\S+)$", re.I)
# "35957633 [PMID]", "PMC9359172 [PMCID]" (Dimensions), "31448845[pmid]" (PubMed).
_BRACKETED_ID_RE = re.compile(r"^(PMC\d+|\d+)\s*\[(pmid|pmcid)\]$", re.I)
# EndNote keeps Web of Science's ORCID list in a note: "Taiana, Elisa/0000-0003-4940-1318; ...".
_NAMED_ORCID_RE = re.compile(r"([^;/\n]+?)/(\d{4}-\d{4}-\d{4}-\d{3}[\dX])\b")
# "Liu R.", "Adler D.G.", "Smith AB": family name(s), then initials (Embase, PubMed-style).
_FAMILY_INITIALS_RE = re.compile(r"^(?P<family>[^\s,.][^,]*?)\s+(?P<given>(?:[A-Z]\.(?:\s?-?[A-Z]\.)*|[A-Z]{1,3}))$")
# "A. B. Smith", "C. Jones" (IEEE Xplore): initials, then the family name(s).
_INITIALS_FAMILY_RE = re.compile(r"^(?P<given>(?:[A-Z]\.\s?-?)+)\s*(?P<family>[A-Z][^\s.,]+(?:[\s-][A-Z][^\s.,]+)*)$")
# EBSCO's note: "...; Lee, Ann 1,2; Email Address: x; ...; Affiliations: 1: Univ A; 2: Univ B; Issue Info: ...".
_EBSCO_PERSON_RE = re.compile(r"^(?P<name>[^;:]+?,[^;:\d]+?)\s+(?P<numbers>\d+(?:\s*,\s*\d+)*)$")
_EBSCO_AFFILIATION_RE = re.compile(r"(?:^|;\s*)(\d+)\s*:\s*(.+?)(?=;\s*\d+\s*:|;\s*[A-Z][A-Za-z /-]+:|$)")
# Venue tags, the best first (see the module docstring).
_VENUE_KEYS = (
    "alternate_title3",
    "journal_name",
    "secondary_title",
    "BT",
    "alternate_title2",
    "alternate_title1",
    "tertiary_title",
)
# Tags rispy keeps once by default but that exporters repeat (ISSN print and electronic, Scopus addresses).
_REPEATED_TAGS = ("AD", "SN", "DO", "AN", "L1", "L2", "L3", "U1", "C2", "DB", "ID")
# Values that stand for "nothing" (R writes its missing values as NA).
_EMPTY_VALUES = {"NA"}


def detect(text: str) -> float:
    """Confident when the first non-blank lines hold a ``TY  - `` line; less so for ``TY``-less tag records.

    Examples
    --------
    >>> detect("TY  - JOUR\\nTI  - T\\nER  - \\n"), detect("AU  - Lee, Ann\\nTI  - T\\nPY  - 2020\\nER  - \\n")
    (0.95, 0.6)
    """
    head = text[:4000].lstrip("\ufeff \t\r\n")
    if head.startswith(("TY  - ", "TY - ")) and _TY_RE.match(head):
        return 0.95
    first_lines = "\n".join(head.split("\n")[:5])
    if _TY_RE.search(first_lines):
        return 0.6
    return 0.6 if _untyped_records(head.replace("\r\n", "\n").split("\n")) else 0.0


def _untyped_records(lines: list[str]) -> bool:
    """Whether ``lines`` are RIS records without ``TY`` lines: tag lines only, with ``ER`` lines between."""
    filled = [line for line in lines[:200] if line.strip()]
    tagged = [match.group(1) for line in filled if (match := _TAG_LINE_RE.match(line))]
    if "TY" in tagged or tagged.count("ER") < 1 or len(set(tagged)) < 3:
        return False
    return len(tagged) >= 0.8 * len(filled) and any(tag in tagged for tag in ("TI", "T1", "AB"))


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = clean_space(value)
    return value if value and value not in _EMPTY_VALUES else None


def _values(entry: dict[str, Any], *keys: str) -> list[str]:
    """Every non-empty string under ``keys`` (rispy's names, or a tag rispy does not know), whitespace collapsed."""
    out = []
    for key in keys:
        value = entry.get(key) if key in entry else (entry.get("unknown_tag") or {}).get(key)
        for item in value if isinstance(value, list) else [value]:
            cleaned = _clean(item)
            if cleaned:
                out.append(cleaned)
    return out


def _first(entry: dict[str, Any], *keys: str) -> str | None:
    return next(iter(_values(entry, *keys)), None)


def _author(raw: str) -> AuthorRef:
    """One ``AU`` value: "Family, Given", "Family, null" (Lens), "Liu R." (Embase) or "A. B. Smith" (IEEE)."""
    family, sep, given = raw.partition(",")
    if sep and clean_space(given).lower() == "null":
        raw = clean_space(family)
    given, family = split_family_given(raw)
    if family:
        return AuthorRef(raw, given=given, family=family)
    for pattern in (_FAMILY_INITIALS_RE, _INITIALS_FAMILY_RE):
        match = pattern.match(raw)
        if match and not (pattern is _FAMILY_INITIALS_RE and match["family"].isupper()):
            return AuthorRef(raw, given=match["given"].strip(), family=match["family"].strip())
    return AuthorRef(raw)


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


def _ebsco_affiliations(note: str) -> dict[str, tuple[str, ...]] | None:
    """Affiliations by person from EBSCO's note ("Lee, Ann 1,2; ...; Affiliations: 1: Univ A; 2: Univ B; ...")."""
    head, sep, tail = note.partition("Affiliations:")
    if not sep or not head.startswith("Accession Number:"):
        return None
    numbered = dict(_EBSCO_AFFILIATION_RE.findall(tail.strip()))
    people: dict[str, tuple[str, ...]] = {}
    for part in head.split(";")[1:]:
        match = _EBSCO_PERSON_RE.match(part.strip())
        if match:
            numbers = [n.strip() for n in match["numbers"].split(",")]
            people[match["name"]] = tuple(clean_space(numbered[n].rstrip(" .;")) for n in numbers if n in numbered)
    return people if any(people.values()) else None


def _with_affiliations(authors: list[AuthorRef], notes: list[str]) -> tuple[list[AuthorRef], bool]:
    """Authors with the affiliations an EBSCO note numbers; True when the note gave any."""
    keys = [(name_key(a.name),) for a in authors]
    found: dict[int, tuple[str, ...]] = {}
    for note in notes:
        for person, affiliations in (_ebsco_affiliations(note) or {}).items():
            index = find_person(person, keys)
            if index is not None and affiliations:
                found.setdefault(index, affiliations)
    authors = [
        AuthorRef(a.name, found[i], a.orcid, a.given, a.family) if i in found and not a.affiliations else a
        for i, a in enumerate(authors)
    ]
    return authors, bool(found)


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


def _doi(entry: dict[str, Any], urls: list[str]) -> str | None:
    """The paper's DOI, from the most trustworthy place that has one (see the module docstring)."""
    given = _values(entry, "doi", "DI") + [u for u in urls if "doi.org/10." in u]
    doi = next((d for d in map(find_doi, given) if d), None)
    if doi:
        return doi
    notes = _values(entry, "L3", "type_of_work", "note", "notes")
    doi = next((m.group(1) for v in notes if (m := _DOI_NOTE_RE.match(v))), None)
    return doi or next((m.group(1) for u in urls if (m := _DOI_PATH_RE.match(u))), None)


def _serial_number(number: str) -> tuple[str | None, str]:
    """``("issn", "0306-9877")`` or ``("isbn", ...)`` for an ``SN`` value: "0028-0836 1476-4687" and
    "03069877 (ISSN)" are ISSNs (the first), "978-3-319-56985-7" and "9780262035613 (ISBN)" ISBNs.

    Examples
    --------
    >>> _serial_number("0028-0836 1476-4687"), _serial_number("979-8-3503-4065-5")
    (('issn', '0028-0836'), ('isbn', '979-8-3503-4065-5'))
    """
    label = re.search(r"\((ISSN|ISBN)\)", number, re.I)
    bare = re.sub(r"\((?:ISSN|ISBN|electronic|print|Linking)\)", " ", number, flags=re.I)
    tokens = [t for t in re.split(r"[\s;,]+", bare) if t]
    issn = _ISSN_RE.search(bare)
    all_issns = tokens and all(re.fullmatch(r"\d{4}-?\d{3}[\dXx]", t) for t in tokens)
    if issn and (all_issns or (label and label.group(1).upper() == "ISSN")):
        return "issn", f"{issn.group(1)}-{issn.group(2).upper()}"
    isbn = _ISBN_RE.search(bare)
    if isbn and len(re.sub(r"[^\dXx]", "", isbn.group(1))) in (10, 13):
        return "isbn", isbn.group(1)
    if issn:
        return "issn", f"{issn.group(1)}-{issn.group(2).upper()}"
    return None, number


def _ids(entry: dict[str, Any]) -> dict[str, str]:
    ids: dict[str, str] = {}
    urls = _values(entry, "urls", "file_attachments1", "file_attachments2", "L3")
    doi = _doi(entry, urls)
    if doi:
        ids["doi"] = doi
    for number in _values(entry, "issn"):
        kind, value = _serial_number(number)
        if kind:
            ids.setdefault(kind, value)
    databases = {d.lower() for d in _values(entry, "name_of_database")}
    for accession in _values(entry, "accession_number"):
        prefix, _, rest = accession.partition(":")
        if prefix.upper() in ("WOS", "ISI") and rest.strip():
            ids.setdefault("wos", "WOS:" + rest.strip())
        elif prefix.upper() in ("MEDLINE", "PMID") and rest.strip().isdigit():
            ids.setdefault("pmid", rest.strip())
        elif accession.startswith("2-s2.0-"):
            ids.setdefault("scopus", accession)
        elif re.fullmatch(r"pub\.\d+", accession):
            ids.setdefault("dimensions", accession)
        elif accession.isdigit() and databases & {"pubmed", "medline"}:
            ids.setdefault("pmid", accession)
    for value in _values(entry, "U1"):
        match = _BRACKETED_ID_RE.match(value)
        if match:
            ids.setdefault(match.group(2).lower(), match.group(1))
    if "scopus" in databases:  # Scopus writes the PubMed id in C2
        pmid = next((v for v in _values(entry, "custom2") if v.isdigit()), None)
        if pmid:
            ids.setdefault("pmid", pmid)
    for note in _values(entry, "notes"):  # EBSCO: "Accession Number: 2017-50583-002. PMID: 28738096 ..."
        match = re.search(r"\bPMID:\s*(\d+)", note) if note.startswith("Accession Number:") else None
        if match:
            ids.setdefault("pmid", match.group(1))
    lens = next((v for v in _values(entry, "id") if _LENS_ID_RE.match(v)), None)
    if lens:
        ids["lens"] = lens
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


def _references(lines: list[str], start: int) -> list[dict[str, Any]]:
    """Scopus's cited references: the ``N1  - References:`` line and the untagged lines after it,
    one reference each ("Preisach, F., (1935) Z. Phys., 94, p. 277;"), or several joined by "; ",
    split into their parts (:mod:`kg.extractors.common.scopus_references`)."""
    texts: list[str] = []
    for line in lines[start - 1 :]:
        tag = _TAG_LINE_RE.match(line)
        if texts and (tag or not line.strip()):
            break
        if tag and tag.group(1) == "ER":
            break
        if not texts and line.startswith("N1  - References: "):
            texts.append(line[len("N1  - References: ") :])
        elif texts:
            texts.append(line)
    return [scopus_reference(text) for line in texts for text in split_line(line)]


def _prepared(text: str) -> tuple[str, list[str]]:
    """The text as rispy reads it (one BOM, LF lines, two-space tags, a ``TY`` for every record) and notes."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = _ONE_SPACE_TAG_RE.sub(r"\1  -", text)
    lines = text.split("\n")
    if _TY_RE.search(text) or not _untyped_records(lines):
        return text, []
    out, inside = [], False
    for line in lines:
        tag = _TAG_LINE_RE.match(line)
        if tag and not inside and tag.group(1) != "ER":
            out.append("TY  - GEN")
            inside = True
        elif tag and tag.group(1) == "ER":
            inside = False
        out.append(line)
    return "\n".join(out), ["no record has a TY line: each record was read up to its ER line, its type unknown"]


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    import rispy
    from rispy.config import LIST_TYPE_TAGS

    text, notes = _prepared(text)
    untyped = bool(notes)
    lines = text.split("\n")
    starts, left_open = _start_lines(lines)
    if left_open:
        notes.append(f"the last record (line {starts[-1]}) has no ER line; read up to the end of the file")
        text += "\nER  - \n"
    entries = rispy.loads(text, list_tags=[*LIST_TYPE_TAGS, *_REPEATED_TAGS])
    records, skipped = [], []
    # Lines of the file as the user has it: a TY line added for a TY-less record is not counted.
    offsets = [sum(1 for line in lines[: s - 1] if line == "TY  - GEN") for s in starts] if untyped else None
    for index, (line, entry) in enumerate(zip(starts, entries, strict=True)):
        own_line = line - offsets[index] if offsets else line
        title = _first(entry, "title", "primary_title")
        title = title or _first(entry, "BT", "short_title")
        abstract = _first(entry, "abstract", "notes_abstract")
        if not title and not abstract:
            skipped.append(own_line)
            continue
        authors = [_author(n) for n in dict.fromkeys(_values(entry, "authors", "first_authors"))]
        notes_of_record = _values(entry, "notes")
        authors = _with_orcids(authors, notes_of_record)
        authors, numbered = _with_affiliations(authors, notes_of_record)
        addresses = list(dict.fromkeys(_values(entry, "author_address")))
        if len(authors) == 1 and addresses and not numbered:  # one author: the addresses are hers
            first = authors[0]
            authors[0] = AuthorRef(first.name, tuple(addresses), first.orcid, first.given, first.family)
            addresses = []
        extra: dict[str, Any] = {}
        kind = _first(entry, "type_of_reference")
        if kind and not untyped:
            extra["document_type"] = kind
        language = _first(entry, "language")
        if language:
            extra["language"] = language
        keywords = _keywords(entry)
        if keywords:
            extra["keywords"] = keywords
        references = _references(lines, line) if any(n.startswith("References: ") for n in notes_of_record) else []
        if references:
            extra["references"] = references
        venue = next((v for v in _values(entry, *_VENUE_KEYS) if v != title), None)
        records.append(
            Record(
                title=title,
                authors=tuple(authors),
                orgs=tuple(addresses),
                date=_date(entry),
                venue=venue,
                abstract=abstract,
                ids=_ids(entry),
                source=SourceRef(source, own_line, FORMAT),
                extra=extra,
            )
        )
    notes.extend(skipped_note(skipped))
    if not starts:
        notes.append("no RIS record (a 'TY  - ' line) found")
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="RIS (rispy): reference managers, databases (Scopus, WoS, PubMed, EBSCO, Ovid...), publisher sites",
    detect=detect,
    extract=extract,
)
