"""An author's profile on a paper site, copied from the browser as plain text.

Each paper is three lines::

    CLNov 30, 2023Code
    LMRL Gym: Benchmarks for ...Marwa Abdulhai, Isadora White, Charlie Snell et al. · deepmind
    <abstract>

The first line glues a category code, the date and an optional "Code" flag;
the second glues the title to the first author, ends the author list with an
optional "et al." and gives the orgs after " · ".

Examples
--------
>>> split_title_authors("PaLM 2 Technical ReportRohan Anil, Andrew M. Dai et al. · deepmind")
('PaLM 2 Technical Report', ['Rohan Anil', 'Andrew M. Dai'], True, ['deepmind'])
"""

from __future__ import annotations

import re

from kg.extractors.base import ExtractOptions, Extractor, numbered_lines
from kg.extractors.common.dates import MONTH_DAY_YEAR, printed_date_from_match, resolve_printed_date
from kg.extractors.common.names import looks_like_name
from kg.extractors.common.owner import find_page_owner, with_page_owner
from kg.records import AuthorRef, Record, SourceRef
from kg.text import clean_space

FORMAT = "profile-text"

# The category is matched lazily so that "MAMar 7, 2019" splits as "MA" + "Mar".
_HEADER_RE = re.compile(rf"^(?P<category>[A-Za-z][\w.\-]*?){MONTH_DAY_YEAR}(?P<code>Code)?$")
_ET_AL_RE = re.compile(r",?\s+et\s+al\.?$")
_ORG_SEPARATOR = " · "
# Characters after which an upper-case letter continues a word rather than
# starting a glued author name ("Jean-Baptiste", "O'Brien").
_NO_GLUE_BEFORE = "-'\u2019"


def _header(line: str) -> re.Match[str] | None:
    match = _HEADER_RE.match(line)
    return match if match and match["year"] else None


def detect(text: str) -> float:
    """Share of the expected header lines (one per three lines) that are present."""
    lines = numbered_lines(text)
    headers = sum(1 for _, line in lines if _header(line))
    if not headers:
        return 0.0
    return min(1.0, headers / max(1.0, len(lines) / 3))


def split_title_authors(line: str) -> tuple[str, list[str], bool, list[str]]:
    """Split a glued "TitleFirst Author, Second Author et al. · org, org" line.

    Returns the title, the author names in order, whether the list ended with
    "et al." and the orgs. When no author list can be found the whole line is
    the title and the author list is empty.
    """
    main, orgs = line, []
    if _ORG_SEPARATOR in line:
        main, org_text = line.rsplit(_ORG_SEPARATOR, 1)
        orgs = [clean_space(org) for org in org_text.split(",") if clean_space(org)]
    truncated = bool(_ET_AL_RE.search(main))
    main = _ET_AL_RE.sub("", main)
    start = find_author_start(main)
    if start is None:
        return clean_space(main), [], truncated, orgs
    names = [clean_space(name) for name in main[start:].split(",")]
    return clean_space(main[:start]), [n for n in names if n], truncated, orgs


def find_author_start(text: str) -> int | None:
    """Index where the author list starts inside a title glued to its authors.

    The first author's name starts at an upper-case letter glued to the last
    character of the title. Every such position is tried from the left; the
    first one after which the comma-separated pieces are all shaped like names
    wins. Internal capitals of title words ("PaLM", "GANs") are rejected
    because what follows them is not a name. Names of unusual shape later in
    the list and one-word first authors are handled by looser passes.

    Examples
    --------
    >>> text = "Show, Attend and Tell: Neural Image Caption Generation with Visual AttentionKelvin Xu, Jimmy Ba"
    >>> text[find_author_start(text):]
    'Kelvin Xu, Jimmy Ba'
    """
    candidates = [
        i
        for i in range(1, len(text))
        if text[i].isupper() and not text[i - 1].isspace() and text[i - 1] not in _NO_GLUE_BEFORE
    ]

    def names_from(i: int, first_min_tokens: int, check_rest: bool) -> bool:
        first, *rest = text[i:].split(",")
        if not looks_like_name(first, min_tokens=first_min_tokens):
            return False
        return not check_rest or all(looks_like_name(name, max_tokens=8) for name in rest)

    # Most telling first: every piece a name and a first author of two words or
    # more; then only the first author checked; then a one-word first author
    # ("Mausam"), which alone could be the tail of a camel-case title word.
    for first_min_tokens, check_rest in ((2, True), (2, False), (1, True)):
        for i in candidates:
            if names_from(i, first_min_tokens, check_rest):
                return i
    return None


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    lines = numbered_lines(text)
    header_at = [index for index, (_, line) in enumerate(lines) if _header(line)]
    records: list[Record] = []
    notes: list[str] = []
    skipped = header_at[0] if header_at else len(lines)
    if skipped:
        notes.append(f"skipped {skipped} line(s) before the first paper (from line {lines[0][0]})")
    for position, start in enumerate(header_at):
        end = header_at[position + 1] if position + 1 < len(header_at) else len(lines)
        number, header_line = lines[start]
        match = _header(header_line)
        assert match is not None
        printed = printed_date_from_match(match)
        body = [line for _, line in lines[start + 1 : end]]
        title, names, truncated, orgs = (None, [], False, [])
        if body:
            title, names, truncated, orgs = split_title_authors(body[0])
            if not names:
                notes.append(f"line {lines[start + 1][0]}: could not tell the title from the authors")
        else:
            notes.append(f"line {number}: a paper header with no title line")
        records.append(
            Record(
                title=title or None,
                authors=tuple(AuthorRef(name) for name in names),
                authors_truncated=truncated,
                orgs=tuple(orgs),
                date=resolve_printed_date(printed, printed.year) if printed and printed.year else None,
                categories=(match["category"],),
                has_code=bool(match["code"]),
                abstract=" ".join(body[1:]) or None,
                source=SourceRef(source, number, FORMAT),
            )
        )
    # A profile is one person's page: its owner is an author of every paper on it.
    owner, owner_note = find_page_owner(records)
    if owner and owner_note:
        records, notes = with_page_owner(records, owner), [*notes, owner_note]
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="author profile on a paper site, as text ('CLNov 30, 2023Code', 'TitleFirst Author, ... · org')",
    detect=detect,
    extract=extract,
)
