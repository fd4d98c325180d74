"""arXiv's own listing pages saved as HTML: ``/list/<category>/new`` (``/recent``, ``/pastweek``),
``/a/<author>`` and search results (``arxiv.org/search/``).

List pages are a ``<dl>`` of ``<dt>`` (the ``arXiv:2401.01234`` link titled "Abstract") and ``<dd>``
(``div.list-title``, ``div.list-authors``, ``div.list-comments``, ``div.list-journal-ref``,
``div.list-subjects`` with the primary subject first, and on ``/new`` pages the abstract in
``p.mathjax``); the markup before 2024 (``span.list-identifier``, "Authors:" descriptors) reads the
same. Search results are ``li.arxiv-result`` items: category chips, ``p.title``, ``p.authors``,
``span.abstract-full``, "Submitted ..." dates (the first version's when the item says "v1
submitted"), comments, journal reference and DOI.

List pages print no submission date: the record's date is then the submission month that the
arXiv id encodes ("2401.01234" was submitted in January 2024), a fact rather than a guess, and a
note says so. The day a paper was listed (the heading above it: "Fri, 22 Nov 2024 (showing 75 of
75 entries)", or "Showing new listings for ..." on /new pages) is kept as ``listing_date``, and
cross-lists and replacements are marked (``cross_list``, ``replaced``). The journal reference is
the venue. Pages saved from a browser after MathJax typeset them keep each formula twice; its
TeX source is kept (``$H_0$``) and the typeset copy dropped. HTML is parsed, never executed.

Examples
--------
>>> page = ('<html><body><h3>New submissions</h3><dl><dt><a href="/abs/2401.01234" title="Abstract">'
...         'arXiv:2401.01234</a></dt><dd><div class="list-title mathjax"><span class="descriptor">Title:'
...         '</span> A Fixture Title</div><div class="list-authors"><a href="/a/lee_a_1">Ann Lee</a>, '
...         '<a href="/a/chen_b_1">Bo Chen</a></div><div class="list-subjects"><span class="descriptor">'
...         'Subjects:</span> <span class="primary-subject">Machine Learning (cs.LG)</span>; '
...         'Artificial Intelligence (cs.AI)</div></dd></dl></body></html>')
>>> [record], notes = extract(page, "new.html", ExtractOptions())
>>> record.title, [a.name for a in record.authors], record.categories, record.date, record.ids
('A Fixture Title', ['Ann Lee', 'Bo Chen'], ('cs.LG', 'cs.AI'), '2024-01', {'arxiv': '2401.01234'})
>>> date_from_arxiv_id("hep-th/9901001"), date_from_arxiv_id("0704.0001v2"), date_from_arxiv_id("x")
('1999-01', '2007-04', None)
"""

from __future__ import annotations

import re
from typing import Any

from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.tagged import date_from_parts, month_in
from kg.records import AuthorRef, Record, SourceRef
from kg.text import clean_space

FORMAT = "arxiv-listing-html"

# "2401.01234", "2401.01234v2", "0704.0001", "hep-th/9901001", "math.AG/0101001v3".
ARXIV_ID = r"(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
_ARXIV_ID_RE = re.compile(rf"^(?:arXiv:)?\s*({ARXIV_ID})$", re.IGNORECASE)
_ID_MONTH_RE = re.compile(r"^(?:(\d{2})(\d{2})\.\d{4,5}|[a-z][a-z.-]*/(\d{2})(\d{2})\d{3})", re.IGNORECASE)
_HTML_HEAD_RE = re.compile(r"<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
# A list page's entry link: the "Abstract" link whose text is the id.
_LIST_ENTRY_RE = re.compile(r"""title\s*=\s*["']Abstract["'][^>]*>\s*arXiv:""", re.IGNORECASE)
_LIST_TITLE_RE = re.compile(r"""class\s*=\s*["']list-title\b""")
_SEARCH_ENTRY_RE = re.compile(r"""<li class=["']arxiv-result["']""")
_CATEGORY_CODE_RE = re.compile(r"\(([a-z][a-z-]*(?:\.[A-Za-z-]+)?)\)\s*$")
_SUBMITTED_RE = re.compile(r"(\d{1,2})\s+([A-Za-z]+),?\s+(\d{4})")
# A listing day in a heading: "Fri, 22 Nov 2024", "Friday, 22 November 2024", "Fri, 3 Mar 23".
_LISTED_RE = re.compile(r"\b[A-Z][a-z]{2,8},\s+(\d{1,2})\s+([A-Z][a-z]{2,8})\s+(\d{4}|\d{2})\b")
_DESCRIPTOR_RE = re.compile(r"^(?:Title|Authors?|Comments|Journal-ref|Journal ref|Subjects|Abstract)\s*:\s*", re.I)
DATE_NOTE = (
    "dates are the submission month that each arXiv id encodes (a listing page prints no submission date;"
    " the day a paper was listed is kept as listing_date)"
)


def date_from_arxiv_id(arxiv_id: str) -> str | None:
    """The month (YYYY-MM) an arXiv id says its paper was submitted in; None for no arXiv id.

    New ids start with YYMM ("2401.01234", since April 2007); old ids end with YYMMNNN
    ("hep-th/9901001", from 1991).
    """
    match = _ID_MONTH_RE.match(arxiv_id.strip())
    if not match:
        return None
    yy, mm = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
    year = (1900 if int(yy) >= 91 else 2000) + int(yy)
    return date_from_parts(year, int(mm)) if 1 <= int(mm) <= 12 else None


def detect(text: str) -> float:
    """Sure for HTML with arXiv's list entries ("Abstract" links to ``arXiv:`` ids, list titles) or search results."""
    head = text[:300_000]
    if not _HTML_HEAD_RE.search(head[:20_000]) and not head.lstrip().startswith("<"):
        return 0.0
    if _SEARCH_ENTRY_RE.search(head) and "arxiv.org/abs/" in head:
        return 0.98
    if _LIST_ENTRY_RE.search(head) and _LIST_TITLE_RE.search(head):
        return 0.98
    return 0.0


def _soup(text: str):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")  # html.parser records each tag's source line
    _unrender_mathjax(soup)
    return soup


_MATHJAX_RENDERED = ("MathJax_Preview", "MathJax", "MathJax_Display", "MathJax_SVG", "MathJax_CHTML")


def _unrender_mathjax(soup) -> None:
    """Put back the TeX of formulas a browser typeset before the page was saved.

    MathJax 2 leaves the rendered formula (``span.MathJax``, whose text reads "H0" for $H_0$)
    beside a ``<script type="math/tex">H_0</script>`` holding the source; the source is kept as
    ``$H_0$`` (``$$...$$`` for display math), as arXiv prints it, and the rendering dropped.
    """
    scripts = soup.find_all("script", attrs={"type": re.compile(r"^math/tex")})
    if not scripts:
        return
    for node in soup.find_all(class_=lambda c: c in _MATHJAX_RENDERED):
        node.decompose()
    for script in scripts:
        fence = "$$" if "mode=display" in script.get("type", "") else "$"
        script.replace_with(f"{fence}{script.get_text()}{fence}")


def _text(node) -> str | None:
    return clean_space(node.get_text("")) or None if node is not None else None


def _labelled(node) -> str | None:
    """A field's text without its "Title:" / "Comments:" label."""
    text = _text(node)
    return clean_space(_DESCRIPTOR_RE.sub("", text)) or None if text else None


def _authors(node) -> list[AuthorRef]:
    """The linked names in order; a "(...)" printed after a name is that author's affiliation."""
    if node is None:
        return []
    authors: list[AuthorRef] = []
    for link in node.find_all("a"):
        name = _text(link)
        if not name:
            continue
        after = link.next_sibling
        tail = clean_space(str(after)) if isinstance(after, str) else ""
        match = re.match(r"^\(([^()]+)\)", tail)
        authors.append(AuthorRef(name, (clean_space(match.group(1)),) if match else ()))
    return authors


def _subjects(node) -> list[str]:
    """Category codes of "Machine Learning (cs.LG); Artificial Intelligence (cs.AI)", the primary first."""
    text = _labelled(node) or ""
    return [m.group(1) for part in text.split(";") if (m := _CATEGORY_CODE_RE.search(part.strip()))]


def _list_entries(soup, source: str) -> tuple[list[Record], int]:
    """Records of the ``<dt>``/``<dd>`` pairs of list pages; and how many entries gave none."""
    records, skipped = [], 0
    for link in soup.find_all("a", attrs={"title": "Abstract"}):
        match = _ARXIV_ID_RE.match(_text(link) or "")
        dt = link.find_parent("dt")
        if not match or dt is None:
            continue
        dd = dt.find_next_sibling("dd")
        if dd is None:
            skipped += 1
            continue
        title = _labelled(dd.find(class_="list-title"))
        abstract_node = dd.find("p", class_="mathjax") or dd.find("p", class_="abstract")
        abstract = _labelled(abstract_node)
        if not title and not abstract:
            skipped += 1
            continue
        arxiv_id = match.group(1)
        extra: dict[str, Any] = {}
        comments = _labelled(dd.find(class_="list-comments"))
        if comments:
            extra["comments"] = comments
        extra.update(_section(dt))
        records.append(
            Record(
                title=title,
                authors=tuple(_authors(dd.find(class_="list-authors"))),
                date=date_from_arxiv_id(arxiv_id),
                categories=tuple(_subjects(dd.find(class_="list-subjects"))),
                venue=_labelled(dd.find(class_="list-journal-ref")),
                abstract=abstract,
                ids={"arxiv": arxiv_id},
                source=SourceRef(source, dt.sourceline or 1, FORMAT),
                extra=extra,
            )
        )
    return records, skipped


def _section(dt) -> dict[str, Any]:
    """What the page says of an entry's listing: the day it was listed and whether it is a cross-list
    or a replacement ("(cross-list from math.NA)", "Cross submissions", "Replacements for ...")."""
    facts: dict[str, Any] = {}
    marks = _text(dt) or ""
    heading = dt.find_previous("h3")
    section = _text(heading) or ""
    if "cross-list" in marks or re.match(r"Cross[- ]?(?:submissions|lists)\b", section):
        facts["cross_list"] = True
    if "(replaced)" in marks or re.match(r"Replace(?:ment|d)", section):
        facts["replaced"] = True
    for _ in range(3):  # "Fri, 22 Nov 2024 (showing 75 of 75 entries)"; on /new pages a heading above
        if heading is None:
            break
        day = _LISTED_RE.search(_text(heading) or "")
        if day:
            year = int(day.group(3)) + (2000 if len(day.group(3)) == 2 else 0)
            facts["listing_date"] = date_from_parts(year, month_in(day.group(2)), int(day.group(1)))
            break
        heading = heading.find_previous("h3")
    return {k: v for k, v in facts.items() if v}


def _submitted(item) -> str | None:
    """The first version's date of a search result: "v1 submitted 8 December, 2025", else "Submitted ..."."""
    node = item.find("p", class_="is-size-7")
    text = _text(node) or ""
    first = re.search(r"\bv1 submitted\s+(.*?)(?:;|$)", text) or re.search(r"\bSubmitted\s+(.*?)(?:;|$)", text)
    match = _SUBMITTED_RE.search(first.group(1)) if first else None
    return date_from_parts(match.group(3), month_in(match.group(2)), int(match.group(1))) if match else None


def _search_fields(item) -> dict[str, str]:
    """The labelled lines of a search result ("Comments:", "Journal ref:"), by label."""
    fields = {}
    for node in item.find_all("p", class_="comments"):
        label = node.find("span")
        key = clean_space(label.get_text()).rstrip(":").lower() if label is not None else ""
        value = _labelled(node)
        if key and value:
            fields[key] = value
    return fields


def _search_entries(soup, source: str) -> tuple[list[Record], int]:
    """Records of ``li.arxiv-result`` items of arXiv search pages; and how many items gave none."""
    records, skipped = [], 0
    for item in soup.find_all("li", class_="arxiv-result"):
        link = item.select_one("p.list-title a")
        match = _ARXIV_ID_RE.match(_text(link) or "") if link is not None else None
        title = _text(item.find("p", class_="title"))
        abstract_node = item.find("span", class_="abstract-full") or item.find("p", class_="abstract")
        if abstract_node is not None:
            for toggle in abstract_node.find_all("a"):  # the "Less" / "More" switches
                toggle.decompose()
        abstract = _labelled(abstract_node)
        if not title and not abstract:
            skipped += 1
            continue
        ids = {"arxiv": match.group(1)} if match else {}
        doi_link = item.select_one('a[href*="doi.org/10."]')
        if doi_link is not None:
            ids["doi"] = doi_link["href"]
        fields = _search_fields(item)
        extra: dict[str, Any] = {"comments": fields["comments"]} if "comments" in fields else {}
        categories = [_text(tag) for tag in item.select("div.tags span.tag[data-tooltip]")]
        records.append(
            Record(
                title=title,
                authors=tuple(_authors(item.find("p", class_="authors"))),
                date=_submitted(item) or (date_from_arxiv_id(match.group(1)) if match else None),
                categories=tuple(c for c in categories if c),
                venue=fields.get("journal ref"),
                abstract=abstract,
                ids=ids,
                source=SourceRef(source, item.sourceline or 1, FORMAT),
                extra=extra,
            )
        )
    return records, skipped


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    soup = _soup(text)
    listed, list_skipped = _list_entries(soup, source)
    found, search_skipped = _search_entries(soup, source)
    records = listed + found
    notes = []
    if listed:
        notes.append(DATE_NOTE)
    if list_skipped + search_skipped:
        notes.append(f"{list_skipped + search_skipped} arXiv entr(y/ies) with neither a title nor an abstract skipped")
    if not records:
        notes.append("no arXiv entry (an arXiv id with a title or an abstract) found on the page")
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="arXiv listing pages saved as HTML (/list/.../new, /recent, /a/<author>, search results)",
    detect=detect,
    extract=extract,
)
