"""A guess at listing text in no known layout.

Blocks of lines separated by blank lines are read as one paper each: a short
line is the title, a line of person names is the author list, a line holding a
date or year is the date, a long line is the abstract. A block becomes a
record only when it has a title and authors or a date, so plain prose yields
nothing. The command line says on stderr that the layout was guessed.

Data in a known shape is never guessed into papers: a file whose lines are
mostly field tags (RIS ``TY  - JOUR``, MEDLINE ``PMID- 1``, Web of Science
``PT J``, refer ``%T``), markup, JSON, BibTeX or table rows gives no record
(so kg says the input is in no known format), and no such line is a title.
"""

from __future__ import annotations

import re

from kg.errors import Note
from kg.extractors.base import ExtractOptions, Extractor, word_count
from kg.extractors.common.dates import MONTH_DAY_YEAR, parse_iso_date, printed_date_from_match, resolve_printed_date
from kg.extractors.common.names import looks_like_name
from kg.records import AuthorRef, Record, SourceRef
from kg.text import clean_space

FORMAT = "listing-text"

_ET_AL_RE = re.compile(r",?\s+(?:et\s+al\.?|and\s+others)$")
_NAME_SPLIT_RE = re.compile(r",\s*(?:and\s+)?|\s+and\s+|;\s*")
_WRITTEN_DATE_RE = re.compile(rf"\b{MONTH_DAY_YEAR}\b")
_YEAR_RE = re.compile(r"(?:^|[\s(,])(?P<year>(?:19|20)\d{2})[).,]?$")
_TITLE_MAX_WORDS = 40
_ABSTRACT_MIN_WORDS = 30

# Web of Science field tags (two characters, then one space): only these, so "AI Safety via Debate" is a title.
_WOS_TAGS = frozenset(
    {
        "FN", "VR", "PT", "AU", "AF", "BA", "BF", "CA", "GP", "BE", "TI", "SO", "SE", "BS", "LA", "DT", "CT", "CY",
        "CL", "SP", "HO", "DE", "ID", "AB", "C1", "C3", "RP", "EM", "RI", "OI", "FU", "FP", "FX", "CR", "NR", "TC",
        "Z9", "U1", "U2", "PU", "PI", "PA", "SN", "EI", "BN", "J9", "JI", "PD", "PY", "VL", "IS", "PN", "SU", "SI",
        "MA", "BP", "EP", "AR", "DI", "DL", "D2", "EA", "PG", "WC", "WE", "SC", "GA", "UT", "PM", "OA", "HC", "HP",
        "DA", "ER", "EF",
    }
)  # fmt: skip
_FIELD_TAG_RE = re.compile(
    r"^(?:[A-Z][A-Z0-9] {1,2}-(?: |$)"  # RIS: "TY  - JOUR", "ER  -"
    r"|[A-Z][A-Z0-9 ]{2,3}- "  # MEDLINE: "PMID- 1", "TI  - ", "FAU - "
    r"|%[A-Z0-9@!#$&()*+^|~?] "  # refer / EndNote: "%T A title"
    r"|(?P<wos>[A-Z][A-Z0-9])(?: |$))"  # Web of Science: "PT J", "AU Smith, J" (checked against _WOS_TAGS)
)
_DATA_LINE_RE = re.compile(
    r"^\s*(?:<[!?/A-Za-z]"  # markup
    r'|[{}\]]|\[\s*(?:$|[{"\[\d-])|"[^"]*"\s*:'  # JSON ("[Re] A title" is a title)
    r"|@\s*[A-Za-z]+\s*[{(]"  # a BibTeX entry
    r'|[A-Za-z][\w.-]*\s*=\s*(?:[{"]|.*,\s*$))'  # key = value
    r"|</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>\s*$"  # a line ending in a markup tag
    r'|",\s*"|,,|\t[^\t]*\t'  # table rows: '","', an empty cell, two tabs
    r"|^\s*(?:#{1,6}\s|[-*+]\s|```|\|.*\|\s*$)"  # Markdown: headings, list items, code fences, table rows
)
_CELL_VALUE_RE = re.compile(r"^\s*(?:\d+(?:[.-]\d+)*|10\.\d{4,9}/\S+|https?://\S+)\s*$")
# At least this share of the non-blank lines in field tags or data rows makes a file data, not a listing.
_DATA_SHARE = 0.5


def is_data_line(raw: str) -> bool:
    """True for a line in a known data shape: a field tag, markup, JSON, BibTeX or a table row.

    Examples
    --------
    >>> [is_data_line(x) for x in ("TY  - JOUR", "PMID- 30501481", "PT J", "AU Smith, J", "%T A title")]
    [True, True, True, True, True]
    >>> [is_data_line(x) for x in ("@article{key,", "  title = {X},", '"DOI": "10.1/x",', "<dt>", "a,b,,c")]
    [True, True, True, True, True]
    >>> is_data_line("000-102-656-132-186,Some Title,2015-05-19,2015,journal article,Springer")
    True
    >>> [is_data_line(x) for x in ("# pubmed-xml", "- `efetch.xml`", "| a | b |", "```")]
    [True, True, True, True]
    >>> [is_data_line(x) for x in ("AI Safety via Debate", "Show, Attend and Tell", "[Re] On Warm-Starting")]
    [False, False, False]
    >>> [is_data_line(x) for x in ("Is there a <i>Tropical</i> Biology?", "P = NP is open", "GANs - a survey")]
    [False, False, False]
    """
    match = _FIELD_TAG_RE.match(raw)
    if match and (match["wos"] is None or match["wos"] in _WOS_TAGS):
        return True
    if _DATA_LINE_RE.search(raw):
        return True
    cells = raw.split(",")
    return len(cells) >= 5 and any(_CELL_VALUE_RE.match(cell) for cell in cells)


def _data_share(text: str) -> float:
    """Share of non-blank lines that are field tags, their indented continuations, or data rows."""
    total = data = 0
    in_field = False
    for raw in text.split("\n"):
        if not raw.strip():
            in_field = False
            continue
        total += 1
        if is_data_line(raw.lstrip("\ufeff")):
            data += 1
            in_field = True
        elif in_field and raw[:1] in (" ", "\t"):
            data += 1  # a tagged field's continuation line (Web of Science, MEDLINE)
        else:
            in_field = False
    return data / total if total else 0.0


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    """Blank-line separated blocks of (line number, text) with data lines left out; none when the file is data."""
    if _data_share(text[:200_000]) >= _DATA_SHARE:
        return []
    blocks: list[list[tuple[int, str]]] = [[]]
    dropped: list[int] = [0]
    for number, raw in enumerate(text.split("\n"), start=1):
        line = clean_space(raw)
        if not line:
            if blocks[-1] or dropped[-1]:
                blocks.append([])
                dropped.append(0)
        elif is_data_line(raw.lstrip("\ufeff")):
            dropped[-1] += 1
        else:
            blocks[-1].append((number, line))
    # A block that is mostly data lines is no paper, whatever plain lines it holds.
    return [block for block, gone in zip(blocks, dropped, strict=True) if block and gone <= len(block)]


def parse_author_line(line: str) -> tuple[list[str], bool] | None:
    """Names on a line of authors, and whether it ended with "et al."; None if it is not one.

    Examples
    --------
    >>> parse_author_line("Chelsea Finn, Kelvin Xu and Sergey Levine")
    (['Chelsea Finn', 'Kelvin Xu', 'Sergey Levine'], False)
    >>> parse_author_line("Learning to learn from few examples") is None
    True
    """
    truncated = bool(_ET_AL_RE.search(line))
    names = [n for n in _NAME_SPLIT_RE.split(_ET_AL_RE.sub("", line)) if n.strip()]
    if names and all(looks_like_name(n, min_tokens=2) for n in names):
        return [clean_space(n) for n in names], truncated
    return None


def _date_in(line: str) -> str | None:
    iso = parse_iso_date(line)
    if iso:
        return iso
    match = _WRITTEN_DATE_RE.search(line)
    if match and match["year"]:
        printed = printed_date_from_match(match)
        if printed and printed.year:
            return resolve_printed_date(printed, printed.year)
    year = _YEAR_RE.search(line)
    if year:  # a year ending a short line ("NeurIPS 2019")
        return year["year"]
    return None


def _is_title_shaped(line: str) -> bool:
    """Words, not a number, an identifier or a lone symbol: three letters at least in a word of two."""
    return sum(ch.isalpha() for ch in line) >= 3 and bool(re.search(r"[^\W\d_]{2}", line))


def detect(text: str) -> float:
    """Share of blocks that read as a paper (used only to rank against other guesses)."""
    blocks = _blocks(text)
    if not blocks:
        return 0.0
    return 0.2 * sum(1 for block in blocks if _read_block(block, "") is not None) / len(blocks)


def _read_block(block: list[tuple[int, str]], source: str) -> Record | None:
    # Titles can be shaped like names too ("Universal Transformers"): the line
    # with the most names is the author list, the later one on a tie.
    author_lines = [(parsed, index) for index, (_, line) in enumerate(block) if (parsed := parse_author_line(line))]
    (names, truncated), author_index = (
        max(author_lines, key=lambda p: (len(p[0][0]), p[1])) if author_lines else (([], False), -1)
    )
    title = date = abstract = None
    for index, (_, line) in enumerate(block):
        if index == author_index:
            continue
        if date is None and word_count(line) <= 12 and (found := _date_in(line)):
            date = found
        elif word_count(line) >= _ABSTRACT_MIN_WORDS and abstract is None:
            abstract = line
        elif title is None and word_count(line) <= _TITLE_MAX_WORDS and _is_title_shaped(line):
            title = line
    if title is None or not (names or date):
        return None
    return Record(
        title=title,
        authors=tuple(AuthorRef(n) for n in names),
        authors_truncated=truncated,
        date=date,
        abstract=abstract,
        source=SourceRef(source, block[0][0], FORMAT),
    )


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    blocks = _blocks(text)
    records = [r for r in (_read_block(b, source) for b in blocks) if r is not None]
    notes = [
        Note(
            f"no known layout matched; guessed {len(records)} paper(s) from {len(blocks)} blank-line separated "
            "block(s) (check them, or name the layout with {option})",
            "format",
        )
    ]
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="fallback for listing text in no known layout: blank-line separated blocks (a guess)",
    detect=detect,
    extract=extract,
    guesses=True,
)
