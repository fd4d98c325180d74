"""Google Scholar pages saved as HTML: a results page and a profile page, whole or as a fragment.

A results page (``scholar?q=...``, "Cited by" pages ``scholar?cites=...``) holds one
``div.gs_r.gs_or.gs_scl`` per result: the title in ``h3.gs_rt`` (``[BOOK]``/``[CITATION]``
markers become ``document_type``; the link is ``ids["url"]``), the line ``div.gs_a``
"authors - venue, year - host" (the host or publisher after it is ``scholar_source``), the snippet
``div.gs_rs`` (kept as ``snippet``: it is a cut of the abstract, not the abstract) and the
"Cited by N" link (``cited_by``; its cluster number is ``ids["scholar"]``). A profile page
(``citations?user=...``) holds one ``tr.gsc_a_tr`` per paper: title ``a.gsc_a_at``, authors
and venue in the two ``div.gs_gray``, year ``.gsc_a_y``, citations ``a.gsc_a_ac``; the
profile's owner, the name in ``#gsc_prf_in`` as the page prints it, is ``scholar_profile`` and
``page_owner`` (a profile is one person's list of papers, so its owner is an author of each; the
author lists stay as printed), and the profile's id (the ``user=`` of the row's
link, there even in a copied ``<tr>`` fragment) ``scholar_user``. Copied rows without the page's
header name no owner, and a results page names none (it lists many people's papers). A profile
row's "Cited by" link lists every Scholar cluster merged into that article (``cites=a,b,c``): one
cluster is ``ids["scholar"]``; several are ``scholar_clusters`` and no id, as no one of them is
the article's. A struck-through count (``gsc_a_acm``: those citations are counted for another
article of the profile) names that article in ``scholar_cited_by_also_in``. A saved profile shows
its first 20 (or 100) rows: when its "Show more" button is live, a note says the rest are not in the file.

Names are as Scholar prints them ("PAM Dirac"). Scholar cuts long author lists and venues with
"…", often glued to the last name ("F Duncan, M Haldane…"): the "…" is dropped and
``authors_truncated`` set; a cut venue is kept as printed. The page is only parsed, never run.

Examples
--------
>>> page = '''<div class="gs_r gs_or gs_scl" data-cid="x1"><div class="gs_ri">
... <h3 class="gs_rt"><a href="https://example.org/p">Quantal phase factors</a></h3>
... <div class="gs_a">MV Berry, A Smith…&nbsp;- Proceedings of the Royal Society of&nbsp;…, 1984 - royalsociety</div>
... <div class="gs_fl"><a href="/scholar?cites=15571853834960346957">Cited by 7813</a></div></div></div>'''
>>> detect(page) > 0.95
True
>>> [r], notes = extract(page, "scholar.html", ExtractOptions())
>>> r.title, [a.name for a in r.authors], r.authors_truncated, r.date
('Quantal phase factors', ['MV Berry', 'A Smith'], True, '1984')
>>> r.venue, r.ids["scholar"], r.extra["cited_by"], r.extra["scholar_source"]
('Proceedings of the Royal Society of …', '15571853834960346957', 7813, 'royalsociety')

A profile row copied out of the page (a ``<tr>`` fragment), its count merging two clusters:

>>> row = '''<tr class="gsc_a_tr"><td class="gsc_a_t"><a class="gsc_a_at"
... href="/citations?view_op=view_citation&amp;user=qc6CJjYAAAAJ&amp;citation_for_view=qc6CJjYAAAAJ:qyhmnyLat1gC"
... >Can quantum-mechanical description of physical reality be considered complete?</a>
... <div class="gs_gray">A Einstein, B Podolsky, N Rosen</div>
... <div class="gs_gray">Physical Review 47 (10), 777<span class="gs_oph">, 1935</span></div></td>
... <td class="gsc_a_c"><a href="https://scholar.google.com/scholar?oi=bibs&amp;cites=8174092782678430881,12190171275948905551"
... class="gsc_a_ac gs_ibl">20996</a></td>
... <td class="gsc_a_y"><span class="gsc_a_h gsc_a_hc gs_ibl">1935</span></td></tr>'''
>>> [r], notes = extract(row, "rows.html", ExtractOptions())
>>> r.venue, r.date, r.ids, r.extra["cited_by"], r.extra["scholar_user"]
('Physical Review 47 (10), 777', '1935', {}, 20996, 'qc6CJjYAAAAJ')
>>> r.extra["scholar_clusters"], "page_owner" in r.extra
(['8174092782678430881', '12190171275948905551'], False)
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlparse

from kg.extractors.base import ExtractOptions, Extractor
from kg.records import AuthorRef, Record, SourceRef
from kg.text import clean_space

FORMAT = "scholar-html"
_RESULT_RE = re.compile(r"""class=["']?(?:[^"'>]*\s)?(?:gs_ri|gs_rt)[\s"'>]""")
_PROFILE_RE = re.compile(r"""class=["']?(?:[^"'>]*\s)?(?:gsc_a_tr|gsc_a_at)[\s"'>]""")
_ELLIPSIS = ("…", "...")
_GS_A_SPLIT_RE = re.compile(r"\s+-\s+")
_VENUE_YEAR_RE = re.compile(r"^(?:(?P<venue>.*?),\s*)?(?P<year>\d{4})$")
_TYPE_MARKERS = {"[BOOK]": "book", "[CITATION]": "citation"}


def detect(text: str) -> float:
    """0.98 for a page or fragment with Scholar's result or profile-row markup (above plain HTML's 0.95).

    Examples
    --------
    >>> detect('<tr class="gsc_a_tr"><td class="gsc_a_t"><a class="gsc_a_at">T</a></td></tr>')
    0.98
    >>> detect('<div class="gs_r">no result body</div>'), detect("<html><body>Hi</body></html>")
    (0.0, 0.0)
    """
    if _RESULT_RE.search(text) or _PROFILE_RE.search(text):
        return 0.98
    return 0.0


def _soup(text: str) -> Any:
    from bs4 import BeautifulSoup

    return BeautifulSoup(text, "html.parser")  # this parser keeps each element's source line


def _text(node: Any) -> str | None:
    return clean_space(node.get_text("")) or None if node is not None else None


def _names(text: str) -> tuple[list[str], bool]:
    """Scholar's comma-separated names, with "…" stripped wherever it is glued; and whether one was."""
    names, truncated = [], False
    for part in text.split(","):
        name = part.strip()
        for mark in _ELLIPSIS:
            if name.startswith(mark) or name.endswith(mark):
                truncated = True
                name = name.strip().removeprefix(mark).removesuffix(mark).strip()
        if name:
            names.append(name)
    return names, truncated


def _query_value(href: str | None, key: str) -> str | None:
    if not href:
        return None
    values = parse_qs(urlparse(href).query).get(key)
    return values[0] if values else None


def _cited_by(links: list[Any]) -> tuple[int | None, str | None]:
    """The count of a "Cited by N" link and the cluster number in its ``cites=``."""
    for link in links:
        label = _text(link) or ""
        match = re.fullmatch(r"Cited by (\d+)", label)
        if match:
            return int(match.group(1)), _query_value(link.get("href"), "cites")
    return None, None


def _result(node: Any, source: str) -> Record | None:
    heading = node.select_one("h3.gs_rt")
    if heading is None:
        return None
    extra: dict[str, Any] = {}
    for marker in heading.select("span[class^=gs_ct]"):
        kind = _TYPE_MARKERS.get(_text(marker.select_one(".gs_ct1") or marker) or "")
        if kind and "document_type" not in extra:
            extra["document_type"] = kind
        marker.decompose()
    title = _text(heading)
    if not title:
        return None
    link = heading.select_one("a[href]")
    line = node.select_one("div.gs_a")
    authors: list[str] = []
    truncated = False
    venue = date = None
    if line is not None:
        parts = _GS_A_SPLIT_RE.split(clean_space(line.get_text("").replace("\xa0", " ")))
        authors, truncated = _names(parts[0])
        if len(parts) > 1:
            match = _VENUE_YEAR_RE.match(parts[1])
            venue = (match.group("venue") if match else parts[1]) or None
            date = match.group("year") if match else None
        if len(parts) > 2:
            extra["scholar_source"] = " - ".join(parts[2:])
        profiles = {_text(a): _query_value(a.get("href"), "user") for a in line.select("a[href*='user=']")}
        profiles = {name: user for name, user in profiles.items() if name and user}
        if profiles:
            extra["scholar_author_ids"] = profiles
    snippet = _text(node.select_one("div.gs_rs"))
    if snippet:
        extra["snippet"] = snippet
    cited_by, cluster = _cited_by(node.select("div.gs_fl a[href]"))
    if cited_by is not None:
        extra["cited_by"] = cited_by
    container = node if node.get("data-cid") else node.find_parent(attrs={"data-cid": True})
    if container is not None and container.get("data-cid"):
        extra["scholar_result_id"] = container["data-cid"]
    ids = {}
    if cluster:
        ids["scholar"] = cluster
    if link is not None and link["href"].startswith(("http://", "https://")):
        ids["url"] = link["href"]
    return Record(
        title=title,
        authors=tuple(AuthorRef(name) for name in authors),
        authors_truncated=truncated,
        date=date,
        venue=venue,
        ids=ids,
        source=SourceRef(source, (container or node).sourceline or 1, FORMAT),
        extra=extra,
    )


def _profile_row(row: Any, source: str, owner: str | None) -> Record | None:
    title_link = row.select_one("a.gsc_a_at")
    title = _text(title_link)
    if not title:
        return None
    grays = row.select("div.gs_gray")
    authors, truncated = _names(_text(grays[0]) or "") if grays else ([], False)
    venue = None
    if len(grays) > 1:
        for hidden in grays[1].select(".gs_oph"):  # ", 1935" repeated for narrow screens
            hidden.decompose()
        venue = _text(grays[1])
    year = _text(row.select_one(".gsc_a_y span") or row.select_one(".gsc_a_y"))
    extra: dict[str, Any] = {}
    count_link = row.select_one("a.gsc_a_ac")
    count = (_text(count_link) or "").replace("\xa0", "").replace(",", "").rstrip("*").strip()
    if count.isdigit():
        extra["cited_by"] = int(count)
        if "gsc_a_acm" in (count_link.get("class") or []) and count_link.get("data-eud"):
            extra["scholar_cited_by_also_in"] = count_link["data-eud"]
    links = [title_link.get(attr) for attr in ("href", "data-href")]
    view = next((v for v in (_query_value(link, "citation_for_view") for link in links) if v), None)
    if view:
        extra["scholar_citation_id"] = view
    user = next((u for u in (_query_value(link, "user") for link in links) if u), None)
    if user:
        extra["scholar_user"] = user
    if owner:
        extra["scholar_profile"] = owner
        extra["page_owner"] = owner
    cites = _query_value(count_link.get("href"), "cites") if count_link is not None else None
    clusters = [c for c in (cites or "").split(",") if c.strip().isdigit()]
    if len(clusters) > 1:
        extra["scholar_clusters"] = clusters
    return Record(
        title=title,
        authors=tuple(AuthorRef(name) for name in authors),
        authors_truncated=truncated,
        date=year if year and re.fullmatch(r"\d{4}", year) else None,
        venue=venue,
        ids={"scholar": clusters[0]} if len(clusters) == 1 else {},
        source=SourceRef(source, row.sourceline or 1, FORMAT),
        extra=extra,
    )


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    """Read every result (or profile row) of a saved Scholar page."""
    soup = _soup(text)
    rows = soup.select("tr.gsc_a_tr")
    if rows:
        owner = _text(soup.select_one("#gsc_prf_in"))
        records = [r for r in (_profile_row(row, source, owner) for row in rows) if r is not None]
        kind = "profile"
    else:
        records = [r for r in (_result(node, source) for node in soup.select("div.gs_ri")) if r is not None]
        kind = "results"
    if not records:
        return [], [f"a Google Scholar {kind} page with no titled entry"]
    notes = [f"read {len(records)} entries from a Google Scholar {kind} page"]
    more = soup.select_one("#gsc_bpf_more")
    if kind == "profile" and more is not None and not more.has_attr("disabled"):
        shown = _text(soup.select_one("#gsc_a_nn")) or f"{len(rows)} articles"
        notes.append(
            f"the saved profile page shows {shown} and its 'Show more' button was live:"
            " its other articles are not in the file"
        )
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="Google Scholar results and profile pages saved as HTML (whole pages or fragments)",
    detect=detect,
    extract=extract,
)
