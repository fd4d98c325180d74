"""BibTeX and BibLaTeX files (bibtexparser 2): LaTeX accents, ``~`` and math (``$\\alpha$`` as α) decoded,
"Last, First" and "First Last" names, ``and others`` as a truncated author list.

BibLaTeX fields are read too: ``date`` (ISO; a range "2019-03/2019-04" gives its start),
``journaltitle`` and ``maintitle`` as venues, ``eprint`` with ``eprinttype`` (or BibTeX's
``archivePrefix``) as an arXiv id (a PubMed eprint as a PMID), ``isbn``, ``issn``, ``pmid``,
``pmcid``, ``keywords``, ``langid``/``language``. Text commands (``\\emph``, ``\\texttt``,
``\\mbox``) keep their text; citations (``\\cite{...}``) are dropped.

Exports that put a no-break or zero-width space in a field name or entry type
(Scopus) are read as if the space were not there. Every entry seen is accounted
for: one that gives no record is named in a note.
"""

from __future__ import annotations

import re
from collections import Counter

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
# Spaces a word processor or web export slips in: no-break, narrow, zero-width, word joiner, byte-order mark.
_ODD_SPACE = "\u00a0\u2000-\u200b\u202f\u205f\u2060\u3000\ufeff"
_ODD_SPACE_RE = re.compile(f"[{_ODD_SPACE}]")
# An entry's first line, "@ARTICLE{key,", with any odd spaces in it: what bibtexparser must see clean.
_HEADER_RE = re.compile(rf"^[ \t{_ODD_SPACE}]*@[^{{(\n]*[{{(][^,\n]*", re.M)
_SEEN_RE = re.compile(r"^[ \t]*@\s*([A-Za-z]+)\s*[{(]\s*([^,\s]*)", re.M)
_NOT_ENTRIES = frozenset({"comment", "string", "preamble"})
_MONTHS = {
    m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}


_VENUE_FIELDS = ("booktitle", "journal", "journaltitle", "maintitle", "eventtitle", "publisher", "school",
                 "institution")  # fmt: skip
_ISO_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:$|/|T)")
_ARXIV_RE = re.compile(r"^(?:arxiv:)?((?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[a-z]{2})?/\d{7})(?:v\d+)?)$", re.IGNORECASE)
_EPRINT_IDS = {"arxiv": "arxiv", "pubmed": "pmid", "pmid": "pmid", "pmc": "pmcid", "pmcid": "pmcid"}
_ISSN_RE = re.compile(r"\b(\d{4})-?(\d{3}[\dXx])\b")
_KEYWORD_SPLIT_RE = re.compile(r"\s*[;,]\s*")


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
    """BibLaTeX's ``date`` (ISO 8601, a range's start), else ``year`` and ``month``.

    Examples
    --------
    >>> _date({"date": "2019-03/2019-04"}), _date({"date": "2021-06-14"}), _date({"year": "2020", "month": "mar"})
    ('2019-03', '2021-06-14', '2020-03')
    """
    match = _ISO_DATE_RE.match(_plain(_text(fields.get("date"))) or "")
    if match:
        return "-".join(part for part in match.groups() if part)
    year = _plain(fields.get("year"))
    if not year or not re.fullmatch(r"\d{4}", year):
        return None
    month = (_plain(fields.get("month")) or "").lower()[:3]
    if month.isdigit() and 1 <= int(month) <= 12:
        return f"{year}-{int(month):02d}"
    return f"{year}-{_MONTHS[month]:02d}" if month in _MONTHS else year


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _ids(key: str, fields: dict) -> dict[str, str]:
    """The identifiers of an entry's fields: DOI, eprint (by its type), ISBN, ISSN, PMID, PMCID."""
    ids = {"bibtex": key}
    value = {name: _plain(_text(fields.get(name))) for name in ("doi", "eprint", "isbn", "issn", "pmid", "pmcid")}
    if value["doi"]:
        ids["doi"] = value["doi"]
    eprint = value["eprint"]
    eprint_type = (_plain(_text(fields.get("eprinttype") or fields.get("archiveprefix"))) or "").lower()
    if eprint and (eprint_type or "arxiv") in _EPRINT_IDS:
        id_key = _EPRINT_IDS[eprint_type or "arxiv"]
        match = _ARXIV_RE.match(eprint)
        if id_key != "arxiv" or match or not eprint_type:
            ids[id_key] = match.group(1) if id_key == "arxiv" and match else eprint
    for name in ("pmid", "pmcid"):
        if value[name] and name not in ids:
            ids[name] = value[name] or ""
    if value["isbn"]:
        ids["isbn"] = re.split(r"\s*[;,]\s*|\s+(?=\d)", value["isbn"])[0]
    issn = _ISSN_RE.search(value["issn"] or "")
    if issn:
        ids["issn"] = f"{issn.group(1)}-{issn.group(2).upper()}"
    return ids


def _decoder():  # type: ignore[no-untyped-def]
    """bibtexparser's LaTeX decoder, with text commands that keep their text and citations dropped."""
    from bibtexparser.middlewares import LatexDecodingMiddleware
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    context = get_default_latex_context_db()
    keep = ("url", "texttt", "mbox", "textnormal", "textup", "textmd", "textsf", "textrm", "textsc", "emph")
    drop = ("cite", "citep", "citet", "citeauthor", "citeyear", "footnote", "label", "ref")
    context.add_context_category(
        "kg-bibtex",
        prepend=True,
        macros=[MacroTextSpec(m, simplify_repl="%s") for m in keep] + [MacroTextSpec(m, "") for m in drop],
    )
    return LatexDecodingMiddleware(decoder=LatexNodes2Text(latex_context=context, math_mode="text"))


def _clean_headers(text: str) -> str:
    """``text`` with odd spaces taken out of entry header lines (bibtexparser would skip such an entry).

    Examples
    --------
    >>> _clean_headers("@ARTICLE\\u00a0{Smith2020,\\ntitle={A\\u00a0B}}") == "@ARTICLE{Smith2020,\\ntitle={A\\u00a0B}}"
    True
    """
    if not _ODD_SPACE_RE.search(text):
        return text
    return _HEADER_RE.sub(lambda m: _ODD_SPACE_RE.sub("", m.group()), text)


def _field_name(key: str) -> str:
    """A field name as kg looks it up: lower case, odd spaces gone ("Title\\u00a0" -> "title")."""
    return " ".join(_ODD_SPACE_RE.sub(" ", key).split()).lower()


def _seen_entries(text: str) -> list[str]:
    """The keys of the entries in ``text`` (not @string, @comment or @preamble), in order."""
    return [m[2] for m in _SEEN_RE.finditer(text) if m[1].lower() not in _NOT_ENTRIES]


def _unread_note(seen: list[str], parsed: list[str], untitled: list[str]) -> str | None:
    """A note naming the entries that gave no record, or None when every entry seen gave one."""
    unparsed = list((Counter(seen) - Counter(parsed)).elements())
    if not unparsed and not untitled:
        return None
    parts = []
    for keys, why in ((unparsed, "could not be parsed"), (untitled, "no title or abstract")):
        if keys:
            shown = ", ".join(k or "(no key)" for k in keys[:20]) + (", ..." if len(keys) > 20 else "")
            parts.append(f"{shown} ({why})")
    return f"{len(unparsed) + len(untitled)} of {len(seen)} entries gave no record: {'; '.join(parts)}"


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    import logging

    import bibtexparser
    from bibtexparser.middlewares import SeparateCoAuthors

    # bibtexparser logs every block it cannot parse; kg reports them itself, in one note.
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    from bibtexparser.middlewares.names import split_multiple_persons_names

    text = _clean_headers(text)
    library = bibtexparser.parse_string(text, append_middleware=[_decoder(), SeparateCoAuthors()])
    records, notes, untitled = [], [], []
    for entry in library.entries:
        fields = {_field_name(field.key): field.value for field in entry.fields}
        raw_authors = fields.get("author") or []
        if isinstance(raw_authors, str):  # "Author = {...}": the co-author middleware only splits "author"
            raw_authors = split_multiple_persons_names(raw_authors)
        names = [_name(p) for p in raw_authors]
        truncated = bool(names) and names[-1].lower() == "others"
        names = [n for n in names if n and n.lower() != "others"]
        ids = _ids(entry.key, fields)
        venue = next((_plain(fields[k]) for k in _VENUE_FIELDS if _plain(_text(fields.get(k)))), None)
        extra: dict = {"entry_type": entry.entry_type.lower()}
        keywords = [k for k in (_plain(p) for p in _KEYWORD_SPLIT_RE.split(_text(fields.get("keywords")) or "")) if k]
        if keywords:
            extra["keywords"] = list(dict.fromkeys(keywords))
        language = _plain(_text(fields.get("langid") or fields.get("language")))
        if language:
            extra["language"] = language
        title = _plain(fields.get("title")) if isinstance(fields.get("title"), str) else None
        abstract = _plain(fields.get("abstract")) if isinstance(fields.get("abstract"), str) else None
        if not title and not abstract:
            untitled.append(entry.key)
            continue
        records.append(
            Record(
                title=title,
                authors=tuple(AuthorRef(n) for n in names),
                authors_truncated=truncated,
                date=_date(fields),
                venue=venue,
                abstract=abstract,
                ids=ids,
                source=SourceRef(source, (entry.start_line or 0) + 1, FORMAT),
                extra=extra,
            )
        )
    if library.failed_blocks:
        lines = ", ".join(str((b.start_line or 0) + 1) for b in library.failed_blocks[:10])
        notes.append(f"{len(library.failed_blocks)} block(s) could not be parsed (from line(s) {lines})")
    unread = _unread_note(_seen_entries(text), [e.key for e in library.entries], untitled)
    if unread:
        notes.append(unread)
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="BibTeX (bibtexparser; LaTeX accents, 'Last, First', 'and others')",
    detect=detect,
    extract=extract,
)
