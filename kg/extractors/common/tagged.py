"""Tagged-line exports (Web of Science plain text, MEDLINE): records of ``TAG value`` lines.

Both layouts put a short tag at the start of a line and continue a long value on
indented lines; a record starts at a given tag. :func:`tagged_records` reads them
into :class:`TaggedRecord` objects that keep each record's first line and, for every
tag, its values line by line (an author per line under ``AU``, a reference per line
under ``CR``). The helpers below split "Family, Given" names and build ISO dates
from printed parts.

Examples
--------
>>> text = "PT J\\nAU Lee, A\\n   Xu, K\\nTI A long\\n   title\\nER\\n"
>>> [record] = tagged_records(text, WOS_LINE_RE, start_tags={"PT"}, end_tags={"ER"})
>>> record.line, record.items("AU"), record.text("TI")
(1, ['Lee, A', 'Xu, K'], 'A long title')
>>> split_family_given("Woyach, Jennifer A")
('Jennifer A', 'Woyach')
>>> date_from_parts(2018, month_in("Dec"), 27)
'2018-12-27'
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

from kg.text import clean_space

# Web of Science: a two-character tag, one space, the value; "ER" and "EF" stand alone.
WOS_LINE_RE = re.compile(r"^(?P<tag>[A-Z][A-Z0-9])(?: (?P<value>.*))?$")
# MEDLINE: a tag left-aligned in four columns, "- ", the value ("PMID- 1", "AU  - Lee A").
MEDLINE_LINE_RE = re.compile(r"^(?=[A-Z][A-Z0-9 ]{3}-)(?P<tag>[A-Z][A-Z0-9]{0,3}) *-(?: (?P<value>.*))?$")

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_WORD_RE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)(?:uary|ruary|ch|il|e|y|ust|t|tember|ober|ember)?\b\.?"
    r"(?:\s+(\d{1,2})\b(?![-/\d]))?",
    re.IGNORECASE,
)
_PARTICLES = {"", "da", "das", "de", "del", "della", "der", "di", "do", "dos", "du", "la", "le", "van", "von", "y"}
_DOI_RE = re.compile(r"\b(10\.\d{4,9}/\S+)")


@dataclass
class TaggedRecord:
    """One record: the 1-based line it starts on and its ``(tag, lines)`` fields in file order."""

    line: int
    fields: list[tuple[str, list[str]]] = field(default_factory=list)

    def tags(self) -> set[str]:
        """Every tag the record has."""
        return {tag for tag, _ in self.fields}

    def values(self, tag: str) -> list[str]:
        """Each occurrence of ``tag``, its lines joined by a space."""
        return [clean_space(" ".join(lines)) for t, lines in self.fields if t == tag]

    def text(self, tag: str) -> str | None:
        """The first non-empty value of ``tag``, or None."""
        return next((v for v in self.values(tag) if v), None)

    def items(self, tag: str) -> list[str]:
        """Every line of every occurrence of ``tag``: one item a line (authors, addresses, references)."""
        return [clean_space(line) for t, lines in self.fields if t == tag for line in lines if line.strip()]


def tagged_records(
    text: str,
    line_re: re.Pattern[str],
    *,
    start_tags: Collection[str],
    end_tags: Collection[str] = (),
    ignore_tags: Collection[str] = (),
    blank_ends: bool = False,
) -> Iterator[TaggedRecord]:
    """The records of a tagged-line text.

    A record starts at a line tagged with one of ``start_tags`` (or, with
    ``blank_ends``, at the first tagged line after a blank line) and ends at one of
    ``end_tags``, at the next start, or at a blank line when ``blank_ends``. Lines that
    match no tag continue the value above. Lines tagged with ``ignore_tags`` (file
    headers) and anything outside a record are skipped.
    """
    current: TaggedRecord | None = None
    for number, raw in enumerate(text.lstrip("\ufeff").split("\n"), start=1):
        line = raw.rstrip()
        if not line.strip():
            if blank_ends and current is not None:
                yield current
                current = None
            continue
        match = line_re.match(line)
        if match is None:
            if current is not None and current.fields:
                current.fields[-1][1].append(line.strip())
            continue
        tag, value = match["tag"], (match["value"] or "").strip()
        if tag in ignore_tags:
            continue
        if tag in end_tags:
            if current is not None:
                yield current
            current = None
            continue
        # A start tag opens a new record, unless the current one has none yet (PubMed Central's
        # MEDLARS export prints "PMC - " before each record's "PMID- ").
        opens = tag in start_tags and (current is None or bool(current.tags() & set(start_tags)))
        if opens or (blank_ends and current is None):
            if current is not None:
                yield current
            current = TaggedRecord(number)
        if current is not None:
            current.fields.append((tag, [value] if value else []))
    if current is not None:
        yield current


def split_family_given(name: str) -> tuple[str | None, str | None]:
    """``(given, family)`` of a "Family, Given" name; ``(None, None)`` when there is no comma.

    Examples
    --------
    >>> split_family_given("Bruna, Emilio M."), split_family_given("Planck Collaboration")
    (('Emilio M.', 'Bruna'), (None, None))
    >>> split_family_given("King, Martin Luther, Jr.")
    ('Martin Luther', 'King')
    """
    family, sep, given = name.partition(",")
    family, given = clean_space(family), clean_space(given.split(",")[0])
    if not sep or not family:
        return None, None
    return given or None, family


def month_in(text: str | None) -> int | None:
    """The number of the first English month name or abbreviation in ``text`` ("JAN-FEB" -> 1)."""
    match = _MONTH_WORD_RE.search(text or "")
    return _MONTHS[match.group(1).lower()] if match else None


def month_day_in(text: str | None) -> tuple[int | None, int | None]:
    """Month and day of "Aug 15", "2024 OCT 9", "Dec. 2019" (no day), "Jul-Aug" (no day).

    Examples
    --------
    >>> month_day_in("2024 OCT 9"), month_day_in("Jul-Aug"), month_day_in("Dec. 2019")
    ((10, 9), (7, None), (12, None))
    """
    match = _MONTH_WORD_RE.search(text or "")
    if not match:
        return None, None
    return _MONTHS[match.group(1).lower()], int(match.group(2)) if match.group(2) else None


def date_from_parts(year: int | str | None, month: int | None = None, day: int | None = None) -> str | None:
    """An ISO date as precise as the parts allow: a month or day that does not exist is left out.

    Examples
    --------
    >>> date_from_parts("2019", 2, 30), date_from_parts(2019, 13, 1), date_from_parts(None, 1, 1)
    ('2019-02', '2019', None)
    """
    try:
        year = int(year) if year is not None else None
    except ValueError:
        return None
    if year is None or not 1000 <= year <= 2999:
        return None
    if month is None or not 1 <= month <= 12:
        return f"{year:04d}"
    if day is not None:
        try:
            return datetime.date(year, month, day).isoformat()
        except ValueError:
            pass
    return f"{year:04d}-{month:02d}"


def find_doi(text: str | None) -> str | None:
    """The first DOI in ``text`` ("DOI 10.1/x", "https://doi.org/10.1/x"), trailing punctuation dropped.

    Examples
    --------
    >>> find_doi("Ahuja G, 2000, ADMIN SCI QUART, V45, P425, DOI 10.2307/2667105.")
    '10.2307/2667105'
    """
    match = _DOI_RE.search(text or "")
    if not match:
        return None
    doi = match.group(1).rstrip(".,;")
    while doi[-1:] in ")]" and doi.count(doi[-1]) > doi.count("(" if doi[-1] == ")" else "["):
        doi = doi[:-1].rstrip(".,;")
    return doi


def name_key(name: str) -> str:
    """A "Family, Given" name for comparison: no accents, case or punctuation but the comma.

    Examples
    --------
    >>> name_key("Björkman, A. M.")
    'bjorkman, a m'
    """
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return clean_space(re.sub(r"[^\w,]+", " ", plain.casefold()))


def find_person(name: str, keys: list[tuple[str, ...]]) -> int | None:
    """Which of a paper's authors a "Family, Given" ``name`` printed elsewhere in the record is.

    ``keys`` holds, per author, the :func:`name_key` of each of their printings. The answer is
    an author with a printing equal to ``name``'s key; else the only author whose family name
    shares a word with ``name``'s and whose given names start with the same letter. Made for
    lists of the paper's own authors (addresses, ORCID lists), where one such author is the person.

    Examples
    --------
    >>> keys = [(name_key("Costa, Vladimir Eliodoro"), name_key("Costa, VE")), (name_key("Brito Darosci, Adriano"),)]
    >>> find_person("Costa, Vladimir", keys), find_person("Darosci, Adriano", keys), find_person("Lee, Ann", keys)
    (0, 1, None)
    """
    key = name_key(name)
    for index, printings in enumerate(keys):
        if key in printings:
            return index
    family, _, given = key.partition(",")
    words, given = _family_words(family), given.strip()
    if not words or not given:
        return None
    found = []
    for index, printings in enumerate(keys):
        for printing in printings:
            other_family, _, other_given = printing.partition(",")
            other_given = other_given.strip()
            if words & _family_words(other_family) and other_given[:1] == given[:1]:
                found.append(index)
                break
    return found[0] if len(found) == 1 else None


def _family_words(family: str) -> set[str]:
    return set(re.split(r"[\s-]+", family.strip())) - _PARTICLES
