"""JSTOR Data for Research (DfR) metadata: the ``citations`` table (tab-separated ``citations.tsv`` or
comma-separated ``citations.CSV``) and the per-article metadata XML (JATS ``<article>`` with
``<front><journal-meta>``/``<article-meta>``).

The table's columns are ``id  doi  title  author  journaltitle  volume  issue  pubdate  pagerange
publisher  type  reviewed-work  abstract``: one row is one record, ``author`` holding all authors in one
cell separated by ", " (a "Jr." after a comma belongs to the name before it), ``pubdate`` an issue date
as a timestamp ("1912-10-01T00:00:00Z", days and months that are only padding left out: "1912-10"),
``journaltitle`` the venue, ``doi`` (and ``id``) the DOI, ``type`` the JSTOR item type ("fla": a
full-length article). The XML gives the same fields plus per-author name parts, ORCID iDs, affiliations,
keywords and the references of its ``ref-list``.

Examples
--------
>>> text = ("id\\tdoi\\ttitle\\tauthor\\tjournaltitle\\tvolume\\tissue\\tpubdate\\tpagerange\\tpublisher\\ttype\\t"
...         "reviewed-work\\tabstract\\n10.2307/1\\t10.2307/1\\tA fixture\\tAnn Lee, Bo Chen, Jr.\\tPMLA\\t1\\t2\\t"
...         "1912-10-01T00:00:00Z\\tpp. 1-2\\tMLA\\tfla\\t\\t\\t\\n")
>>> records, notes = extract(text, "citations.tsv", ExtractOptions())
>>> r = records[0]
>>> r.title, [a.name for a in r.authors], r.date, r.venue, r.ids, r.source.line
('A fixture', ['Ann Lee', 'Bo Chen, Jr.'], '1912-10', 'PMLA', {'doi': '10.2307/1'}, 2)
"""

from __future__ import annotations

import csv
import datetime
import io
import re

from kg.errors import InputError, KgError
from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.xmldoc import children, local_name, parse_xml, sniff_root
from kg.records import AuthorRef, Record, SourceRef
from kg.text import clean_space

FORMAT = "jstor-dfr"
_COLUMNS = {"doi", "title", "author", "journaltitle", "pubdate"}
_SUFFIX_RE = re.compile(r"^(?:Jr|Sr|Jnr|Snr)\.?$|^(?:II|III|IV|V|VI)$", re.I)
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_STABLE_RE = re.compile(r"jstor\.org/stable/(?:pdf/)?([\w.\-/]+?)(?:\.pdf)?$")
_ORCID_RE = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", re.I)
_TYPES = {"fla": "full-length article", "brv": "book review", "mis": "miscellaneous", "nws": "news"}


def _header(text: str) -> tuple[str, list[str]] | None:
    """The delimiter and column names when the first line is a DfR citations header."""
    first = text.lstrip("\ufeff").lstrip("\r\n").split("\n", 1)[0].rstrip("\r")
    for delimiter in ("\t", ","):
        names = [clean_space(n).strip('"').lower() for n in first.split(delimiter)]
        if set(names) >= _COLUMNS:
            return delimiter, names
    return None


def _is_dfr_xml(text: str) -> bool:
    if sniff_root(text) != "article":
        return False
    head = text[:20000]
    return "<article-meta" in head and ('journal-id-type="jstor"' in head or "jstor.org/stable" in head)


def detect(text: str) -> float:
    """0.95 for a DfR citations table (its header), 0.9 for DfR's JATS article metadata.

    Examples
    --------
    >>> detect("id\\tdoi\\ttitle\\tauthor\\tjournaltitle\\tvolume\\tissue\\tpubdate\\tpagerange\\n")
    0.95
    >>> detect("title\\tauthors\\tyear\\n")
    0.0
    """
    if _header(text) is not None:
        return 0.95
    return 0.9 if _is_dfr_xml(text) else 0.0


def split_authors(cell: str) -> list[str]:
    """One DfR ``author`` cell as names: ", " (or a tab) separates authors; a suffix stays with its name.

    Examples
    --------
    >>> split_authors("James W. Bright, Wilfred P. Mustard")
    ['James W. Bright', 'Wilfred P. Mustard']
    >>> split_authors("Joseph Quincy Adams, Jr.")
    ['Joseph Quincy Adams, Jr.']
    """
    names: list[str] = []
    for part in re.split(r"\t|,\s+|;\s*", cell):
        part = clean_space(part).strip(",")
        if not part:
            continue
        if names and _SUFFIX_RE.match(part):
            names[-1] += f", {part}"
        else:
            names.append(part)
    return names


def _iso(year: int, month: int | None, day: int | None) -> str | None:
    if not 1000 <= year <= 2999:
        return None
    if not month or not 1 <= month <= 12:
        return f"{year:04d}"
    if not day:
        return f"{year:04d}-{month:02d}"
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return f"{year:04d}-{month:02d}"


def dfr_date(value: str | None) -> str | None:
    """DfR's ``pubdate`` as ISO; a day of 01 is padding (so is a month of 01 on the 1st).

    Examples
    --------
    >>> dfr_date("1912-10-01T00:00:00Z"), dfr_date("1913-01-01T00:00:00Z"), dfr_date("1999-05-17")
    ('1912-10', '1913', '1999-05-17')
    """
    match = _DATE_RE.match(clean_space(value or ""))
    if not match:
        return None
    year, month, day = int(match[1]), int(match[2] or 0), int(match[3] or 0)
    if day == 1:
        day = 0
        if month == 1:
            month = 0
    return _iso(year, month, day)


def _table_records(text: str, source: str, delimiter: str) -> tuple[list[Record], list[str]]:
    # DfR does not quote: a title starting with a quotation mark is text, not a quoted field (tabs).
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter, quoting=quoting)
    header: list[str] | None = None
    records, skipped, read = [], 0, 0
    for row in reader:
        line, read = read + 1, reader.line_num  # a row starts after the last line the one before it ended on
        if header is None:
            header = [clean_space(n).lower() for n in row]
            continue
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: clean_space(value) for name, value in zip(header, row, strict=False) if name}
        title, abstract = cells.get("title") or None, cells.get("abstract") or None
        if not title and not abstract:
            skipped += 1
            continue
        ids = {}
        doi = cells.get("doi") or (cells["id"] if cells.get("id", "").startswith("10.") else "")
        if doi:
            ids["doi"] = doi
        extra: dict[str, object] = {}
        kind = cells.get("type")
        if kind:
            extra["document_type"] = _TYPES.get(kind, kind)
        if cells.get("reviewed-work"):
            extra["reviewed_work"] = cells["reviewed-work"]
        records.append(
            Record(
                title=title,
                authors=tuple(AuthorRef(name) for name in split_authors(cells.get("author", ""))),
                date=dfr_date(cells.get("pubdate")),
                venue=cells.get("journaltitle") or None,
                abstract=abstract,
                ids=ids,
                source=SourceRef(source, line, FORMAT),
                extra=extra,
            )
        )
    notes = [f"{skipped} row(s) without a title skipped"] if skipped else []
    if header is not None and not records and not skipped:
        notes.append("the citations table has a header but no rows")
    return records, notes


def _first(element, *path: str):
    for name in path:
        if element is None:
            return None
        element = next((c for c in element if local_name(c) == name), None)
    return element


def _text(element) -> str | None:
    return clean_space("".join(element.itertext())) or None if element is not None else None


def _contributor(contrib, affiliations: dict[str, str]) -> AuthorRef | None:
    name_element = _first(contrib, "string-name")
    if name_element is None:
        name_element = _first(contrib, "name")
    if name_element is None:
        name_element = _first(contrib, "collab")
        return AuthorRef(_text(name_element) or "") if _text(name_element) else None
    family = (_text(_first(name_element, "surname")) or "").rstrip(",").strip() or None
    given = _text(_first(name_element, "given-names"))
    suffix = _text(_first(name_element, "suffix"))
    if family or given:
        name = " ".join(p for p in (given, family) if p) + (f", {suffix}" if suffix else "")
    else:
        name = _text(name_element) or ""
    if not name:
        return None
    own = [a for a in (_text(x) for x in children(contrib, "aff")) if a]
    own += [affiliations[x.get("rid")] for x in children(contrib, "xref") if x.get("rid") in affiliations]
    orcid = None
    for contrib_id in children(contrib, "contrib-id"):
        match = _ORCID_RE.search(contrib_id.text or "")
        if match and (contrib_id.get("contrib-id-type") or "orcid").lower() == "orcid":
            orcid = match.group(1).upper()
    if family or given:
        return AuthorRef(name, tuple(dict.fromkeys(own)), orcid, given, family)
    return AuthorRef(name, tuple(dict.fromkeys(own)), orcid)


def _citation_text(citation) -> str | None:
    """A reference as printed: DfR puts the printed text first and its parsed parts after it."""
    own = clean_space((citation.text or "") + " ".join(c.tail or "" for c in citation))
    return own if len(own) >= 20 else _text(citation)


def _references(article) -> list[dict[str, str]]:
    references = []
    for ref_list in article.iter("{*}ref-list"):
        for ref in children(ref_list, "ref"):
            citations = [c for c in ref if local_name(c) in ("mixed-citation", "element-citation", "citation")]
            for citation in citations:
                entry = {"text": _citation_text(citation)}
                year = _text(_first(citation, "year"))
                if year and re.fullmatch(r"\d{4}", year):
                    entry["year"] = year
                title = _text(_first(citation, "article-title"))
                if title:
                    entry["title"] = title
                for pub_id in children(citation, "pub-id"):
                    kind = (pub_id.get("pub-id-type") or "").lower()
                    if kind in ("doi", "pmid") and _text(pub_id):
                        entry[kind] = _text(pub_id) or ""
                entry = {k: v for k, v in entry.items() if v}
                if entry:
                    references.append(entry)
    return references


def _xml_record(text: str, source: str) -> tuple[list[Record], list[str]]:
    try:
        article = parse_xml(text)
    except KgError as error:
        raise InputError(source, str(error)) from None
    meta = _first(article, "front", "article-meta")
    if meta is None:
        return [], ["no <front><article-meta> in this <article>"]
    journal = _first(article, "front", "journal-meta")
    title_group = _first(meta, "title-group")
    title = _text(_first(title_group, "article-title"))
    subtitle = _text(_first(title_group, "subtitle"))
    if title and subtitle:
        title = f"{title}: {subtitle}"
    abstract = " ".join(a for a in (_text(x) for x in children(meta, "abstract")) if a) or None
    if not title and not abstract:
        return [], ["the article metadata has no title"]
    affiliations = {aff.get("id"): _text(aff) for aff in meta.iter("{*}aff") if aff.get("id") and _text(aff)}
    authors = []
    for group in children(meta, "contrib-group"):
        for contrib in children(group, "contrib"):
            if (contrib.get("contrib-type") or "author") == "author":
                author = _contributor(contrib, affiliations)  # type: ignore[arg-type]
                if author:
                    authors.append(author)
    ids: dict[str, str] = {}
    for article_id in children(meta, "article-id"):
        kind, value = (article_id.get("pub-id-type") or "").lower(), _text(article_id)
        if value and kind in ("doi", "jstor", "pmid", "pmcid"):
            ids.setdefault(kind, value)
    for uri in children(meta, "self-uri"):
        match = _STABLE_RE.search(uri.get("{http://www.w3.org/1999/xlink}href") or "")
        if match:
            ids.setdefault("jstor", match.group(1))
    if journal is not None:
        issn = next((_text(i) for i in children(journal, "issn") if _text(i)), None)
        if issn:
            ids["issn"] = issn
    date = None
    for pub_date in children(meta, "pub-date"):
        try:
            year = int(_text(_first(pub_date, "year")) or "")
        except ValueError:
            continue
        month, day = (_text(_first(pub_date, part)) for part in ("month", "day"))
        date = _iso(
            year, int(month) if month and month.isdigit() else None, int(day) if day and day.isdigit() else None
        )
        break
    venue = _text(_first(journal, "journal-title-group", "journal-title")) or _text(_first(journal, "journal-title"))
    extra: dict[str, object] = {}
    keywords = [k for k in (_text(x) for x in meta.iter("{*}kwd")) if k]
    if keywords:
        extra["keywords"] = list(dict.fromkeys(keywords))
    references = _references(article)
    if references:
        extra["references"] = references
    if article.get("article-type"):
        extra["document_type"] = article.get("article-type")
    record = Record(
        title=title,
        authors=tuple(authors),
        date=date,
        venue=venue,
        abstract=abstract,
        ids=ids,
        source=SourceRef(source, article.sourceline or 1, FORMAT),
        extra=extra,
    )
    return [record], []


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    header = _header(text)
    if header is not None:
        return _table_records(text, source, header[0])
    if sniff_root(text) == "article":
        return _xml_record(text, source)
    return [], ["neither a DfR citations table (no id/doi/title/author/journaltitle/pubdate header) nor DfR XML"]


EXTRACTOR = Extractor(
    name=FORMAT,
    description="JSTOR Data for Research: citations.tsv / citations.CSV tables and JATS article metadata XML",
    detect=detect,
    extract=extract,
)
