"""Personal and lab publication pages made by site generators, saved as HTML.

The layouts are data (``kg/data/publication_layouts.json``): bibtex2html (table, definition-list
and paragraph output), al-folio, jekyll-scholar (its default APA ``<span id="key">`` entries and
fielded ``span.title``/``span.author`` layouts) and Hugo Academic / Wowchemy (citation, list,
stream and card views). A new layout is a new entry there, not code.

One record per entry: the title, the authors in order as printed (markup marking the page's owner,
``<em>``/``<b>``, and footnote marks are dropped; "Family, I." pairs keep ``given``/``family``), the
venue (the entry's emphasised container), the date (year, with the month when printed), the BibTeX
key as ``ids["bibtex"]``, DOI and arXiv links (or, in APA text, printed DOI URLs) as ids, and what
the page adds (bibtex2html's "Keywords:" as ``keywords``, an abstract). al-folio's hidden "N more
authors" (in ``data-show`` or the older ``onclick`` script) are put back where the toggle stands in
the list; a list cut with "et al." sets ``authors_truncated``. A year the entry does not print is
taken from its ``year-2019`` class (Hugo Academic wraps every entry so) or from a year heading
above it. A page none of the layouts holds is read as plain ``html`` and says so. The page is only
parsed, never run.

Examples
--------
>>> page = '''<table><tr valign="top"><td class="bibtexnumber">[<a name="lee19">1</a>]</td>
... <td class="bibtexitem">
... Ann Lee and <b>Bo Chen</b>.
...  A fixture title about
...   parsing.
...  In <em>Proceedings of Fixtures</em>, pages 1--2, March 2019.
... [&nbsp;<a href="p_bib.html#lee19">bib</a>&nbsp;|
... <a href="https://doi.org/10.1000/Fix.1">DOI</a>&nbsp;]
... </td></tr></table>'''
>>> detect(page)
0.97
>>> [r], notes = extract(page, "publications.html", ExtractOptions())
>>> r.title, [a.name for a in r.authors], r.venue, r.date
('A fixture title about parsing', ['Ann Lee', 'Bo Chen'], 'Proceedings of Fixtures', '2019-03')
>>> r.ids, r.source.line
({'bibtex': 'lee19', 'doi': '10.1000/fix.1'}, 2)
"""

from __future__ import annotations

import re
from typing import Any

from kg.data import load_json
from kg.extractors import html
from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.dates import month_number
from kg.records import AuthorRef, Record, SourceRef
from kg.text import clean_space

FORMAT = "publications-html"
_MONTHS = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
_DATE_RE = re.compile(rf"(?:\b({_MONTHS})\.?,?\s+)?\b((?:1[89]|20)\d\d)\b")
_PAREN_YEAR_RE = re.compile(r"\((?:[^()]*?\s)?((?:1[89]|20)\d\d)[a-z]?\)")
_NAME_SPLIT_RE = re.compile(r"\s*,\s*and\s+|\s+and\s+|\s*[,;&]\s*")
_INITIALS_RE = re.compile(r"^(?:[A-Z][a-z]?\.[\s-]*)+$|^[A-Z]{1,3}$")
_SUFFIXES = {"jr.", "sr."}
_MARKS = "*∗†‡§¶#"
_BIB_LINKS_RE = re.compile(r"\n\[[\s\xa0]*[^\[\]\n]*(?:\|[^\[\]]*)?\][\s\xa0]*$")
_BLOCK_RE = re.compile(r"\n (?=\S)")
_EDITORS_RE = re.compile(r",?\s+(?:editors?|eds?\.)\.?$", re.IGNORECASE)
_DOI_RE = re.compile(r"(?:doi\.org/|doi:)(10\.\d{4,9}/\S+)", re.IGNORECASE)
_ARXIV_RE = re.compile(r"arxiv\.org/(?:abs|pdf)/([\w.\-/]+?)(?:\.pdf)?$", re.IGNORECASE)
_HTML_RE = re.compile(r"<[a-zA-Z!]")
# A note closing a name list: "(*: equal contributions)", "(† corresponding author)".
_NOTE_RE = re.compile(rf"\(\s*[{re.escape(_MARKS)}][^()]*\)")
_YEAR_CLASS_RE = re.compile(r"^year-((?:1[89]|20)\d\d)$")
_APA_IN_RE = re.compile(r"\.\s+In\s+(?:(?P<editors>[^()]*?)\s+\(Eds?\.\),?)?\s*$")


def _layouts() -> list[dict[str, Any]]:
    return load_json("publication_layouts.json")["layouts"]


def detect(text: str) -> float:
    """0.97 for HTML holding a generator layout's markers (above plain HTML's 0.95).

    Examples
    --------
    >>> detect('<td class="bibtexitem">A. Title.</td>'), detect("<p>class=bibtexitem</p>")
    (0.97, 0.0)
    >>> detect('# Notes: the page has `<td class="bibtexitem">` cells.')
    0.0
    """
    head = text[:4096].lstrip("\ufeff \t\r\n")
    # A page (or a fragment, or a Jekyll source with front matter) starts with markup: a text that only quotes
    # markup (a README describing such a page) is none.
    if not head.startswith(("<", "---")) or not _HTML_RE.search(head):
        return 0.0
    return 0.97 if any(m in text for layout in _layouts() for m in layout["markers"]) else 0.0


def _soup(text: str) -> Any:
    from bs4 import BeautifulSoup

    return BeautifulSoup(text, "html.parser")  # this parser keeps each element's source line


def _text(node: Any) -> str | None:
    return clean_space(node.get_text("")) or None if node is not None else None


def _date(text: str | None) -> str | None:
    """The printed year ("(2019)" first, else the last year), with its month when one precedes it."""
    if not text:
        return None
    paren = _PAREN_YEAR_RE.search(text)
    if paren:
        return paren.group(1)
    matches = list(_DATE_RE.finditer(text))
    if not matches:
        return None
    month, year = matches[-1].groups()
    return f"{year}-{month_number(month):02d}" if month else year


def _authors(text: str | None) -> list[AuthorRef]:
    """Split a printed name list: "A, B, and C", "A and B", "Family, I., Family, I., & Family, I."."""
    text = _NOTE_RE.sub("", clean_space(text or "")).replace("{", "").replace("}", "")
    pieces = [p.strip(" \xa0" + _MARKS) for p in _NAME_SPLIT_RE.split(text)]
    names: list[tuple[str, str | None, str | None]] = []
    for piece in pieces:
        if not _INITIALS_RE.match(piece):
            piece = piece.rstrip(". ")  # the list's closing full stop; initials keep theirs
        if not piece:
            continue
        if names and piece.lower().rstrip(".") + "." in _SUFFIXES | {"ii.", "iii.", "iv."}:
            names[-1] = (f"{names[-1][0]}, {piece}", names[-1][1], names[-1][2])
        elif names and _INITIALS_RE.match(piece) and names[-1][1] is None and " " not in names[-1][0]:
            family = names[-1][0]
            names[-1] = (f"{family}, {piece}", piece, family)
        else:
            names.append((piece, None, None))
    return [AuthorRef(name, given=given, family=family) for name, given, family in names]


def _ids(entry: Any, key: str | None, text_dois: bool = False) -> dict[str, str]:
    """The BibTeX key and the DOI and arXiv links of an entry (with ``text_dois``, DOI URLs printed as text too)."""
    ids = {"bibtex": key} if key else {}
    hrefs = [link["href"].strip() for link in entry.select("a[href]")]
    if text_dois:
        hrefs += [m.group(0).rstrip(".,;") for m in re.finditer(r"\S*(?:doi\.org/|doi:)\S+", entry.get_text(" "))]
    for href in hrefs:
        doi = _DOI_RE.search(href)
        if doi and "doi" not in ids:
            ids["doi"] = doi.group(1)
        arxiv = _ARXIV_RE.search(href)
        if arxiv and "arxiv" not in ids:
            ids["arxiv"] = arxiv.group(1)
    return ids


def _previous_year(entry: Any) -> str | None:
    """The entry's year when it does not print one.

    Hugo Academic wraps each entry in an element of class ``year-2019`` (its year filter); al-folio
    and jekyll-scholar group lists under a year heading ("<h2>2019</h2>").
    """
    for node in (entry, *list(entry.parents)[:3]):
        for cls in node.get("class") or []:
            year = _YEAR_CLASS_RE.match(cls)
            if year:
                return year.group(1)
    heading = entry.find_previous(["h1", "h2", "h3", "h4"])
    text = _text(heading) or ""
    return text if re.fullmatch(r"(?:1[89]|20)\d\d", text) else None


def _bibtex2html(entry: Any, layout: dict, source: str) -> Record | None:
    """One bibtex2html entry: blocks "Authors." / "Title." / "Venue, year." begin on a line indented by one space."""
    extra: dict[str, Any] = {}
    abstract = None
    for quote in entry.select("blockquote"):
        said = _text(quote) or ""
        if said.lower().startswith("keywords:"):
            extra["keywords"] = [k.strip() for k in said.split(":", 1)[1].split(",") if k.strip()]
        elif said:
            abstract = said
        quote.extract()
    anchor = entry.find("a", attrs={"name": True}) or entry.find_previous("a", attrs={"name": True})
    ids = _ids(entry, anchor["name"] if anchor is not None else None)
    ems = [_text(em) for em in entry.select("em, i")]
    for sup in entry.select("sup"):
        sup.decompose()
    raw = _BIB_LINKS_RE.sub("", entry.get_text("").rstrip())
    raw = re.sub(r"^\s*\[[^\]\n]*\]", "", raw).strip()  # the "[12]" label of the paragraph layout
    blocks = [clean_space(b) for b in _BLOCK_RE.split(raw) if clean_space(b)]
    if not blocks:
        return None
    authors: list[AuthorRef] = []
    if len(blocks) >= 3:
        people, title, rest = blocks[0], blocks[1], blocks[2:]
        if _EDITORS_RE.search(people):
            extra["editors"] = [a.name for a in _authors(_EDITORS_RE.sub("", people))]
        else:
            authors = _authors(people)
    else:
        title, rest = blocks[0], blocks[1:]
    title = title.rstrip(" .,") if not title.endswith("..") else title
    rest_text = " ".join(rest)
    venue = next((em for em in ems if em and em in rest_text and em.rstrip(".") != title), None)
    return Record(
        title=title or None,
        authors=tuple(authors),
        date=_date(rest_text) or _previous_year(entry),
        venue=venue,
        abstract=abstract,
        ids=ids,
        source=SourceRef(source, entry.sourceline or 1, FORMAT),
        extra=extra,
    )


def _apa(entry: Any, layout: dict, source: str) -> Record | None:
    """jekyll-scholar's default APA entry: "Family, I., & Family, I. (2019). Title. <i>Venue</i>, 1(2), 3–4."."""
    for sup in entry.select("sup"):
        sup.decompose()
    text = _text(entry) or ""
    match = re.match(r"^(?P<authors>.*?)\s*\((?P<date>[^()]*?\d{4}[a-z]?|n\.d\.)\)\.\s*(?P<rest>.+)$", text)
    if not match:
        return None
    rest = match.group("rest")
    italics = [t for t in (_text(i) for i in entry.select("i, em")) if t and t in rest]
    venue = italics[0] if italics else None
    extra: dict[str, Any] = {}
    if venue and rest.startswith(venue):  # a book: its title is the italic
        title, venue = venue, None
    elif venue:
        title = rest[: rest.index(venue)]
        # "Title. In E. Editor & F. Editor (Eds.), <i>Proceedings</i>": the "In" clause is the container's.
        container = _APA_IN_RE.search(title)
        if container:
            if container.group("editors"):
                extra["editors"] = [a.name for a in _authors(container.group("editors"))]
            title = title[: container.start()]
    else:
        title = rest.split(". ", 1)[0]
    key = entry.get(layout.get("key_attr", "id"))
    return Record(
        title=title.strip().rstrip(".").strip() or None,
        authors=tuple(_authors(match.group("authors"))),
        date=_date(match.group("date")),
        venue=venue.rstrip(".") if venue else None,
        ids=_ids(entry, key, text_dois=True),
        source=SourceRef(source, entry.sourceline or 1, FORMAT),
        extra=extra,
    )


def _more_authors(entry: Any, selector: str | None) -> bool:
    """Put al-folio's hidden names back in place of its "N more authors" toggle; whether some stay hidden.

    The names are in the toggle's ``data-show`` (al-folio 0.12 on) or in its ``onclick`` script
    (``... == '2 more authors' ? 'A, B' : ...``); the toggle may stand before the last author.

    Examples
    --------
    >>> div = _soup('<div>Ann Lee, <span class="more-authors" data-show="Bo Chen, Cy Dan">2 more authors'
    ...             '</span>, and Ed Fox</div>').div
    >>> _more_authors(div, "span.more-authors"), div.get_text()
    (False, 'Ann Lee, Bo Chen, Cy Dan, and Ed Fox')
    """
    from bs4 import NavigableString

    cut = False
    for span in entry.select(selector) if selector else []:
        hidden = span.get("data-show")
        if hidden is None:
            script = re.search(r"\?\s*'((?:[^'\\]|\\.)*)'\s*:", span.get("onclick") or "")
            hidden = script.group(1).replace("\\'", "'") if script else None
        if hidden and hidden.strip():
            span.replace_with(NavigableString(re.sub(r"<[^>]+>", "", hidden)))
        else:
            span.decompose()
            cut = True
    return cut


def _select_one(entry: Any, selector: str | None) -> Any:
    """The first element inside ``entry`` that ``selector`` matches, else ``entry`` itself when it matches.

    Examples
    --------
    >>> item = _soup('<div class="pub-list-item">Lee (2019). <em>Venue</em></div>').div
    >>> _select_one(item, "div.pub-list-item") is item, _select_one(item, "em").get_text()
    (True, 'Venue')
    """
    if not selector:
        return None
    node = entry.select_one(selector)
    return node if node is not None or not entry.css.match(selector) else entry


def _person(name: str) -> AuthorRef:
    """One name printed on its own ("Ann Lee", or "Lee, Ann" as a site's author list may keep it).

    BibTeX's protecting braces ("{GFBI Consortium}", "{Adou Yao}, C. Yves") and ties ("Adou~Yao") are dropped.

    Examples
    --------
    >>> lee = _person("Goulpeau, Arnaud")
    >>> lee.name, lee.family, lee.given, _person("{GFBI Consortium}").name
    ('Goulpeau, Arnaud', 'Goulpeau', 'Arnaud', 'GFBI Consortium')
    """
    name = clean_space(name.replace("{", "").replace("}", "").replace("~", " "))
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 2 and all(parts) and parts[1].lower().rstrip(".") not in {"jr", "sr", "ii", "iii", "iv"}:
        return AuthorRef(name, given=parts[1], family=parts[0])
    return AuthorRef(name)


def _text_after(node: Any) -> str | None:
    """The text that follows ``node`` in its parent up to the next block (``<p>``, ``<div>``), as ". Venue." is.

    Examples
    --------
    >>> item = _soup('<div>Lee (2025). <a href="/p/">A title</a>. mSystems.<p><a>PDF</a></p></div>').div
    >>> _text_after(item.a)
    'mSystems'
    """
    parts = []
    for sibling in node.next_siblings:
        if getattr(sibling, "name", None) in {"p", "div", "ul", "ol", "br", "span"}:
            break
        parts.append(sibling.get_text("") if hasattr(sibling, "get_text") else str(sibling))
    text = clean_space("".join(parts)).strip(" .,;")
    return text or None


def _fields(entry: Any, layout: dict, source: str) -> Record | None:
    """A layout read with its field selectors."""
    title_node = entry.select_one(layout["title"])
    title = _text(title_node)
    if not title:
        return None
    for sup in entry.select("sup"):
        sup.decompose()
    truncated = _more_authors(entry, layout.get("more_authors"))
    names = [_text(n) for n in entry.select(layout["authors"])] if "authors" in layout else []
    authors = [_person(n.strip(_MARKS + " ,{}")) for n in names if n and n.strip(_MARKS + " ,{}")]
    if not authors and "authors_text" in layout:
        node = entry.select_one(layout["authors_text"])
        authors = _authors((_text(node) or "").removesuffix(", and").removesuffix(",").strip())
    extra: dict[str, Any] = {}
    summary = _text(entry.select_one(layout["summary"])) if "summary" in layout else None
    if summary:
        extra["summary"] = summary
    venue = _text(entry.select_one(layout["venue"])) if "venue" in layout else None
    if not venue and layout.get("venue_after_title"):
        venue = _text_after(title_node)
    date_node = _select_one(entry, layout.get("date"))
    key = entry.get(layout["key_attr"]) if "key_attr" in layout else None
    return Record(
        title=title.rstrip(".").strip() if not title.endswith("..") else title,
        authors=tuple(authors),
        authors_truncated=truncated,
        date=_date(_text(date_node)) or _previous_year(entry),
        venue=re.sub(r"^In\s+", "", venue).rstrip(" .,") or None if venue else None,
        abstract=_text(entry.select_one(layout["abstract"])) if "abstract" in layout else None,
        ids=_ids(entry, key if isinstance(key, str) else None),
        source=SourceRef(source, entry.sourceline or 1, FORMAT),
        extra=extra,
    )


_PARSERS = {"bibtex2html": _bibtex2html, "apa": _apa}


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    """Read every entry of the first layout (in the data file's order) that finds any."""
    soup = _soup(text)
    for layout in _layouts():
        if not any(m in text for m in layout["markers"]) or soup.select_one(layout["detect"]) is None:
            continue
        reader = _PARSERS.get(layout.get("parse", ""), _fields)
        records = [r for r in (reader(entry, layout, source) for entry in soup.select(layout["entry"])) if r]
        records = [r for r in records if r.title]
        if records:
            return records, [f"read {len(records)} entries as a {layout['name']} publication list"]
    records, notes = html.extract(text, source, options)
    return records, ["no publication-list layout matched its entries; read as plain html", *notes]


EXTRACTOR = Extractor(
    name=FORMAT,
    description="Publication-list pages from site generators: bibtex2html, al-folio, jekyll-scholar, Hugo Academic",
    detect=detect,
    extract=extract,
)
