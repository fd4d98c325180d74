"""SpringerLink search results "Download CSV" files (``SearchResults.csv``).

SpringerLink writes the "Authors" cell with no separator between names
("Justice Opara-MartinsReza SahandiFeng Tian"). A name boundary shows only as a
lower-case letter directly followed by an upper-case one, which is also how
"McDonald" or "JianPing" are spelled. So a cell is split only where that is safe:

- "Mc", "Mac" and "Fitz" before a capital are read as part of the name ("Chris McMahon");
- a boundary after "De", "Di", "Du", "Le", "La", "Van"... could be either ("Suparna DeMassimo
  Vecchio", "Kevin D. LePage"): the cell is not split;
- every piece must be shaped like a whole printed name of two words or more ("Zhen" from
  "ZhenFeng Shao" is not), and a cell in a script without letter case cannot be split at all.

A cell that cannot be split safely gives the record no authors (never a guessed name), and a
note says how many records that concerns.

Examples
--------
>>> split_authors("Justice Opara-MartinsReza SahandiFeng Tian")
['Justice Opara-Martins', 'Reza Sahandi', 'Feng Tian']
>>> split_authors("Nicholas MeeseChris McMahon")
['Nicholas Meese', 'Chris McMahon']
>>> split_authors("ZhenFeng ShaoDeRen Li") is None
True
>>> split_authors("Tiantian DuGongyi Xiao") is None
True
"""

from __future__ import annotations

import re

from kg.data import load_json
from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.csvdoc import Row, has_columns, header_names, read_table, split_cell
from kg.extractors.common.jsondoc import iso_date
from kg.extractors.common.names import looks_like_name
from kg.records import AuthorRef, Record, SourceRef
from kg.text import clean_space

FORMAT = "springer-csv"
_COLUMNS = ("Item Title", "Publication Title", "Book Series Title", "Item DOI", "Authors", "Content Type")
# A lower-case letter directly followed by an upper-case one: where two joined names meet (or a camel-cased name).
_BOUNDARY_RE = re.compile(r"(?<=[^\W\d_])(?=[^\W\d_])")
_INSIDE_NAME = ("Mc", "Mac", "Fitz")
# "Th.", "Yu.", "CP" (initials without periods), as printed in SpringerLink cells.
_SHORT_INITIAL_RE = re.compile(r"^(?:[A-Z][a-z]?\.|[A-Z]{1,3})$")
_TITLES = frozenset({"Prof.", "Dr.", "Ph.D.", "PhD", "Dipl.-Kfm.", "Jr.", "Jr", "Sr.", "II", "III", "IV", "V"})


def detect(text: str) -> float:
    header = header_names(text)
    if has_columns(header, "Item Title", "Item DOI") < 2:
        return 0.0
    return 0.95 if has_columns(header, *_COLUMNS) >= 5 else 0.6


def _ambiguous_prefixes() -> frozenset[str]:
    prefixes = load_json("names.json")["camel_prefixes"]
    return frozenset(p for p in prefixes if p.isalpha() and p not in _INSIDE_NAME)


def _name_shaped(name: str, min_tokens: int) -> bool:
    """A whole printed name: name words, initials ("J.", "Th.", "CP"), particles, suffixes and titles only.

    A token that hides a join ("Jr.Xavier", "SGowri") is none of these, so the name is refused.
    """
    tokens = name.split()
    if not min_tokens <= len(tokens) <= 8:
        return False
    if looks_like_name(name, min_tokens=min_tokens, max_tokens=8):
        return True
    titles = [t for t in tokens if t in _TITLES]
    rest = [t for t in tokens if t not in _TITLES]
    if len(rest) < min_tokens:
        return False
    return all(
        _SHORT_INITIAL_RE.match(t) or looks_like_name(t) or (index and t in _particles())
        for index, t in enumerate(rest)
    ) and (not titles or tokens[: len(titles)] == titles or tokens[-len(titles) :] == titles)


def _particles() -> frozenset[str]:
    return frozenset(load_json("names.json")["particles"])


def split_authors(value: str) -> list[str] | None:
    """The names of a SpringerLink "Authors" cell, or None when they cannot be told apart safely."""
    value = clean_space(value)
    if not value:
        return []
    if ";" in value:
        names = split_cell(value)
        return names if all(_name_shaped(n, min_tokens=1) for n in names) else None
    if any(ch.isalpha() and not (ch.isupper() or ch.islower()) for ch in value):
        return None  # a script without case (Chinese, ...): boundaries are invisible
    ambiguous = _ambiguous_prefixes()
    names, start = [], 0
    for match in _BOUNDARY_RE.finditer(value):
        index = match.start()
        before, after = value[index - 1], value[index]
        if not (before.islower() and after.isupper()):
            continue
        word_start = max(value.rfind(" ", 0, index), value.rfind("-", 0, index)) + 1
        fragment = value[word_start:index]
        if fragment in _INSIDE_NAME:
            continue
        if fragment in ambiguous:
            return None
        names.append(value[start:index])
        start = index
    names.append(value[start:])
    names = [clean_space(n) for n in names]
    if not all(_name_shaped(n, min_tokens=2 if len(names) > 1 else 1) for n in names):
        return None
    return names


def _record(row: Row, line: int, source: str) -> tuple[Record | None, bool]:
    title = row.get("Item Title")
    if not title:
        return None, False
    cell = row.get("Authors") or ""
    names = split_authors(cell)
    ids = {}
    if row.get("Item DOI"):
        ids["doi"] = row.get("Item DOI") or ""
    if row.get("URL"):
        ids["url"] = row.get("URL") or ""
    extra: dict = {}
    if row.get("Content Type"):
        extra["document_type"] = row.get("Content Type")
    if names is None:
        extra["authors_as_printed"] = cell
    for key, column in (("volume", "Journal Volume"), ("issue", "Journal Issue"), ("series", "Book Series Title")):
        if row.get(column):
            extra[key] = row.get(column)
    record = Record(
        title=title,
        authors=tuple(AuthorRef(n) for n in names or ()),
        date=iso_date(row.get("Publication Year")),
        venue=row.get("Publication Title", "Book Series Title"),
        ids=ids,
        source=SourceRef(source, line, FORMAT),
        extra=extra,
    )
    return record, names is None


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    table = read_table(text)
    records, skipped, unsplit = [], 0, 0
    for line, row in table.rows:
        record, not_split = _record(row, line, source)
        if record is None:
            skipped += 1
            continue
        records.append(record)
        unsplit += not_split
    notes = []
    if unsplit:
        notes.append(
            f"{unsplit} record(s) without authors: SpringerLink joins names with no separator and their "
            "cell could not be split safely (kept as printed in authors_as_printed)"
        )
    if skipped:
        notes.append(f"{skipped} row(s) without a title skipped")
    if not table.rows:
        notes.append("the header is there but no row follows it")
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="SpringerLink search-results CSV (joined author names split only where safe)",
    detect=detect,
    extract=extract,
)
