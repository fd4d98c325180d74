"""Scopus cited-reference strings, split into the parts Web of Science references give.

Scopus prints a reference in one of two layouts:

* the older one (the RIS ``N1  - References:`` lines of 2019 and 2020 exports): the authors as
  "Family, I.," pairs, then the title, the year in parentheses, the source, volume (issue) and
  pages, and after ". ," whatever else it knows: ``Ross, C.A., Patterned magnetic recording media
  (2001) Annu. Rev. Mater. Res., 31, pp. 203-235``;
* the newer one (the "References" column of a 2024 CSV export): every part separated by ", ", the
  authors as "Family I.", the year last, no article number:
  ``Ross C.A., Patterned magnetic recording media, Annu. Rev. Mater. Res., 31, 1, pp. 203-235, (2001)``.

:func:`scopus_reference` returns the keys :mod:`kg.resolve.citations` matches by: ``text`` (as
printed), ``first_author`` (family name), ``cited_author`` (the first author as Web of Science
would print it, "Ross CA"), ``year`` (int), ``title``, ``venue`` (the source as printed), ``volume``,
``page`` (the first page) and ``doi``. A part is given only when the layout tells it apart: in the
newer layout the title and the source are both plain ", "-separated text, so they are given only
when exactly two such parts stand between the authors and a volume or pages; an author list that
does not end where the title begins, a year not followed by a source, leave the title out.

Examples
--------
>>> scopus_reference("Preisach, F., (1935) Z. Phys., 94, p. 277;")
{'text': 'Preisach, F., (1935) Z. Phys., 94, p. 277', 'first_author': 'Preisach', 'cited_author': 'Preisach F', \
'year': 1935, 'venue': 'Z. Phys.', 'volume': '94', 'page': '277'}
>>> scopus_reference("Smith J., Doe A., A title of the paper, Journal Name, 12, 3, pp. 45-67, (2010)")
{'text': 'Smith J., Doe A., A title of the paper, Journal Name, 12, 3, pp. 45-67, (2010)', \
'first_author': 'Smith', 'cited_author': 'Smith J', 'year': 2010, 'title': 'A title of the paper', \
'venue': 'Journal Name', 'volume': '12', 'page': '45'}
"""

from __future__ import annotations

import re
from typing import Any

from kg.extractors.common.tagged import find_doi
from kg.text import clean_space

# A year as Scopus prints it: "(1935)".
_YEAR = r"\((1[5-9]\d\d|20\d\d)\)"
_YEAR_RE = re.compile(_YEAR)
_YEAR_PART_RE = re.compile(rf"^{_YEAR}$")
# Old layout: the year in parentheses between the title and the source, "... media (2001) Annu. Rev. ...".
_OLD_YEAR_RE = re.compile(rf"(?:^|\s){_YEAR}(?=\s|,|$)")
# Initials: "F.", "I.D.", "C.-H.", "Yu.", "R. F." (dotted); "R F L", "J" (the newer layout, undotted).
_DOTTED_INITIALS_RE = re.compile(r"^[^\W\d_]{1,2}\.(?:[\s-]*[^\W\d_]{1,2}\.)*$")
_UNDOTTED_INITIALS_RE = re.compile(r"^[A-Z](?: [A-Z]){0,3}$")
# A family name: words of letters, apostrophes and hyphens ("de Boer", "d'Aquino", "Vachon-Presseau").
_FAMILY_RE = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’\-])*(?: [^\W\d_](?:[^\W\d_]|['’\-])*){0,4}$")
# "Brown Jr., W.F." / "Rowles, J.L., III": generational suffixes, not names.
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "2nd", "3rd"}
_ET_AL = {"et al.", "et al"}
# Pages: "p. 277", "pp. 557-602", "p. Q09003", "pp. e196"; the first page is what follows "p." up to a dash.
_PAGES_RE = re.compile(r"^pp?\.\s*([^\s\-–,]+)")
# A volume, perhaps with its issue: "56", "52 (3)", "2017".
_VOLUME_RE = re.compile(r"^(\d+)(?:\s*\([^()]*\))?$")
# The newer layout's issue or volume part: "12", "3", "3-4".
_NUMBER_RE = re.compile(r"^\d+(?:[-–]\d+)?$")
# A trailing DOI part ("doi:10.1/x", "https://doi.org/10.1/x", "DOI 10.1/x").
_DOI_PART_RE = re.compile(r"^(?:doi\s*:?\s*|https?://(?:dx\.)?doi\.org/)10\.", re.I)
# Where the old layout's extra information begins: ". , Oct", ", , Interscience".
_EXTRA_RE = re.compile(r"\.\s,\s|,\s,(?:\s|$)")
# An old-layout author pair inside what would be a title: the author list did not end there.
_PAIR_IN_TITLE_RE = re.compile(r"(?:^|, )[^\W\d_][^,]{0,40}, [^\W\d_]{1,2}\.(?:[\s-]*[^\W\d_]{1,2}\.)*(?:,|$)")
# "; " then what begins a reference in the old layout ("Lenz, J., ...", "(2013), ..."): two references on one line.
_NEXT_REFERENCE_RE = re.compile(
    r";\s+(?=[^\W\d_][^,;]{0,60}, [^\W\d_]{1,2}\.(?:[\s-]*[^\W\d_]{1,2}\.)*,|\((?:1[5-9]|20)\d\d\))"
)
# A month where the source would go on ("Sooriyakumaran, R., (2006) SEMATECH Litho Forum, May, , Vancouver").
_MONTH_RE = re.compile(
    r"^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t|tember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?$",
    re.I,
)


def scopus_reference(text: str) -> dict[str, Any]:
    """One Scopus cited reference as printed, and the parts of it the layout tells apart.

    Parameters
    ----------
    text : str
        The reference as Scopus prints it (a trailing ";" is dropped, whitespace collapsed).

    Returns
    -------
    dict
        ``text`` always; ``first_author``, ``cited_author``, ``year`` (int), ``title``, ``venue``,
        ``volume``, ``page`` and ``doi`` when the string tells them (see the module docstring).

    Examples
    --------
    >>> ref = scopus_reference("Ross, C.A., Patterned magnetic recording media (2001) Annu. Rev. Mater. Res., "
    ...                        "31, pp. 203-235. , https://doi.org/10.1146/annurev.matsci.31.1.203;")
    >>> ref["title"], ref["venue"], ref["volume"], ref["page"], ref["doi"]
    ('Patterned magnetic recording media', 'Annu. Rev. Mater. Res.', '31', '203', '10.1146/annurev.matsci.31.1.203')

    The newer layout: the source is told from the title only when a volume or pages follow it.

    >>> scopus_reference("Morise H., Nakamura S., Phys. Rev. B, 71, (2005)")["venue"]
    'Phys. Rev. B'
    >>> sorted(scopus_reference("Brown W.F., Micromagnetics, (1963)"))
    ['cited_author', 'first_author', 'text', 'year']
    >>> sorted(scopus_reference("Cuda Solver API"))
    ['text']
    """
    text = clean_space(text).rstrip(";").strip()
    reference: dict[str, Any] = {"text": text}
    parts = _old_layout(text) or _new_layout(text) or {}
    reference.update(parts)
    if "year" not in reference:
        year = _YEAR_RE.search(text)
        if year:
            reference["year"] = int(year.group(1))
    reference = {key: reference[key] for key in _ORDER if key in reference}
    doi = find_doi(text)
    if doi:
        reference["doi"] = doi
    return reference


def split_line(line: str) -> list[str]:
    """The references on one line of Scopus's RIS ``References:`` note: one, or several joined by "; ".

    Scopus ends each reference with ";" and most lines hold one; some hold several. A line is cut
    at a "; " only where an old-layout reference begins ("Family, I.," or "(Year)"), so a title
    or note with a semicolon in it stays whole.

    Examples
    --------
    >>> split_line("Edelstein, A.S., (2008); Lenz, J., Magnetic sensors (2006) IEEE Sens. J., 6, pp. 631-649;")
    ['Edelstein, A.S., (2008)', 'Lenz, J., Magnetic sensors (2006) IEEE Sens. J., 6, pp. 631-649']
    >>> split_line("Wu, Z., (2000) Coding and Iterative Detection, pp. 11-12. , 1st ed.; Kluwer Academic: Norwell;")
    ['Wu, Z., (2000) Coding and Iterative Detection, pp. 11-12. , 1st ed.; Kluwer Academic: Norwell']
    """
    parts = (clean_space(part).rstrip(";").strip() for part in _NEXT_REFERENCE_RE.split(clean_space(line)))
    return [part for part in parts if part]


_ORDER = ("text", "first_author", "cited_author", "year", "title", "venue", "volume", "page")


def _family(name: str) -> str | None:
    """A family name as printed ("de Boer", "Brown Jr." as "Brown"), or None when it is not shaped as one."""
    words = name.split()
    if len(words) > 1 and words[-1].casefold() in _SUFFIXES:
        words = words[:-1]
    family = " ".join(words)
    if not _FAMILY_RE.match(family) or family.casefold() in _ET_AL:
        return None
    last = re.split(r"['’\-]", words[-1])
    if not any(piece[:1].isupper() for piece in last):  # "Vachon-Presseau", "d'Aquino"; not "others"
        return None
    return family


def _cited_author(family: str, initials: str) -> str:
    """ "Preisach", "F." -> "Preisach F"; "Lin", "C.-H." -> "Lin CH" (the first letter of each initial)."""
    letters = "".join(piece[0].upper() for piece in re.split(r"[.\s\-]+", initials) if piece)
    return f"{family} {letters}" if letters else family


def _old_authors(parts: list[str]) -> tuple[list[tuple[str, str]], int]:
    """The leading "Family, I.," pairs of ``parts`` (suffixes and "et al." skipped) and where they end."""
    authors: list[tuple[str, str]] = []
    index = 0
    while index + 1 < len(parts):
        family = _family(parts[index])
        initials = parts[index + 1]
        if family is None or initials.casefold() in _SUFFIXES or not _DOTTED_INITIALS_RE.match(initials):
            break
        authors.append((family, initials))
        index += 2
        if index < len(parts) and parts[index].casefold() in _SUFFIXES:
            index += 1
    if authors and index < len(parts) and parts[index].casefold() in _ET_AL:
        index += 1
    return authors, index


def _old_layout(text: str) -> dict[str, Any] | None:
    """The parts of a reference in the old layout ("Family, I., Title (Year) Source, 12 (3), pp. 4-5"), or None."""
    parts = text.split(", ")
    authors, end = _old_authors(parts)
    rest = ", ".join(parts[end:])
    year = _OLD_YEAR_RE.search(rest)
    if not authors and not (year and year.start() == 0):
        return None
    found: dict[str, Any] = {}
    if authors:
        family, initials = authors[0]
        found["first_author"] = family
        found["cited_author"] = _cited_author(family, initials)
    if not year:
        return found
    found["year"] = int(year.group(1))
    after = rest[year.end() :]
    if not after.startswith(" ") or not after.strip():  # "(2010), private communication": no source follows
        return found
    title = rest[: year.start()].strip()
    if title and authors and not _PAIR_IN_TITLE_RE.search(title):
        found["title"] = title
    source = _EXTRA_RE.split(after.strip(), maxsplit=1)[0].strip()
    _source_parts(source.split(", "), found)
    return found


def _source_parts(parts: list[str], found: dict[str, Any]) -> None:
    """The venue, volume and first page of the old layout's "Source, 12 (3), pp. 4-5" (into ``found``)."""
    venue: list[str] = []
    for part in parts:
        if _VOLUME_RE.match(part.rstrip(".")) or _PAGES_RE.match(part) or _MONTH_RE.match(part):
            break
        venue.append(part)
    if venue:
        found["venue"] = ", ".join(venue)
    for part in parts[len(venue) :]:
        volume, pages = _VOLUME_RE.match(part.rstrip(".")), _PAGES_RE.match(part)
        if volume and "volume" not in found and "page" not in found:
            found["volume"] = volume.group(1)
        elif pages and "page" not in found:
            found["page"] = pages.group(1)
        else:
            break


def _new_author(part: str) -> tuple[str, str, bool] | None:
    """ "Smith J.", "de Boer F.R.", "Evans R F L" as (family, initials, whether dotted), or None."""
    words = part.split()
    for split in range(1, len(words)):
        family, initials = " ".join(words[:split]), " ".join(words[split:])
        dotted = bool(_DOTTED_INITIALS_RE.match(initials))
        if (dotted or _UNDOTTED_INITIALS_RE.match(initials)) and _family(family) == family:
            return family, initials, dotted
    return None


def _new_layout(text: str) -> dict[str, Any] | None:
    """The parts of a reference in the newer layout ("Family I., Title, Source, 12, 3, pp. 4-5, (Year)"), or None."""
    parts = [part.strip() for part in text.split(", ")]
    while parts and _DOI_PART_RE.match(parts[-1]):
        parts.pop()
    authors = []
    while len(authors) < len(parts) and (author := _new_author(parts[len(authors)])):
        authors.append(author)
    if not authors:
        return None
    family, initials, _ = authors[0]
    found: dict[str, Any] = {"first_author": family, "cited_author": _cited_author(family, initials)}
    tail = parts[len(authors) :]
    if tail and tail[0].casefold() in _ET_AL:
        tail = tail[1:]
    if tail and (year := _YEAR_PART_RE.match(tail[-1])):
        found["year"] = int(year.group(1))
        tail = tail[:-1]
    if tail and (pages := _PAGES_RE.match(tail[-1])):
        found["page"] = pages.group(1)
        tail = tail[:-1]
    numbers = []
    while tail and len(numbers) < 2 and _NUMBER_RE.match(tail[-1]):
        numbers.insert(0, tail.pop())
    if numbers and _VOLUME_RE.match(numbers[0]):
        found["volume"] = numbers[0]
    if "volume" not in found and "page" not in found:
        return found  # "Title" or "Source": nothing tells which
    if not tail and len(authors) > 1 and not authors[-1][2]:
        tail = [parts[len(authors) - 1]]  # "Phys Rev B, 71": a volume has a source, the undotted "author" is it
    if len(tail) == 1 and _source_like(tail[0]):
        found["venue"] = tail[0]
    elif len(tail) == 2 and _title_like(tail[0]) and _source_like(tail[1]):
        found["title"], found["venue"] = tail
    return found


def _source_like(part: str) -> bool:
    """Whether ``part`` can be a whole source name."""
    if re.match(r"^[A-Z]:", part) or _YEAR_PART_RE.match(part) or re.fullmatch(r"[^\W\d_]{1,5}\.", part):
        return False  # "B: Polym Phys", "Lett.": a source's end; a year
    return len(part) > 3


def _title_like(part: str) -> bool:
    """Whether ``part`` can be a title: not an abbreviated source ("J. Phys. Chem") cut at a comma."""
    words = part.split()
    abbreviated = sum(1 for word in words if word.endswith(".") and len(word) <= 6)
    return len(part) > 3 and not (abbreviated >= 2 and abbreviated * 2 >= len(words))
