"""JSTOR Data for Research (DfR) metadata: the ``citations`` table (tab-separated ``citations.tsv`` or
comma-separated ``citations.CSV``), the older ``citations.XML``, and the per-item metadata XML (JATS
``<article>`` with ``<front><journal-meta>``/``<article-meta>``; a book's ``<book>`` with ``<book-meta>``
and its ``<book-part>`` chapters).

The table's columns are ``id  doi  title  author  journaltitle  volume  issue  pubdate  pagerange
publisher  type  reviewed-work  abstract``: one row is one record, ``author`` holding all authors in one
cell separated by ", " (a "Jr." after a comma belongs to the name before it), ``pubdate`` an issue date
as a timestamp ("1912-10-01T00:00:00Z", days and months that are only padding left out: "1912-10"),
``journaltitle`` the venue, ``doi`` (and ``id``) the DOI, ``type`` the JSTOR item type ("fla": a
full-length article). citations.XML has the same fields as elements of ``<article id="...">``, one
``<author>`` per author. JSTOR's front and back matter ("Front Matter", "Volume Information", no
author) is no paper: it is skipped with a note. The article XML gives the same fields plus per-author
name parts, ORCID iDs, affiliations, keywords and the references of its ``ref-list``; its
``<pub-date>`` is padded as ``pubdate`` is. A book gives a record for itself (editors in
``editors``) and one per part that names its authors (the book's title as venue); parts naming
nobody (front matter, contents, index) are skipped with a note.

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
# The titles JSTOR gives scanned pages that are no paper.
_PLACEHOLDERS = {"front matter", "back matter", "volume information", "table of contents", "index"}
# DfR's own marks in its XML: JSTOR ids, stable URLs, and the "lang" custom-meta every DfR file carries.
_DFR_MARK_RE = re.compile(r'(?:journal|book)-id-type="jstor"|jstor\.org/stable|<meta-name>\s*lang\s*</meta-name>')


def _header(text: str) -> tuple[str, list[str]] | None:
    """The delimiter and column names when the first line is a DfR citations header."""
    first = text.lstrip("\ufeff").lstrip("\r\n").split("\n", 1)[0].rstrip("\r")
    for delimiter in ("\t", ","):
        names = [clean_space(n).strip('"').lower() for n in first.split(delimiter)]
        if set(names) >= _COLUMNS:
            return delimiter, names
    return None


def _dfr_xml(text: str) -> str | None:
    """Which DfR XML ``text`` is: "article" (JATS), "book" (book-chapter file) or "citations" (citations.XML)."""
    root, head = sniff_root(text), text[:20000]
    if root == "article" and "<article-meta" in head and _DFR_MARK_RE.search(head):
        return "article"
    if root == "book" and "<book-meta" in head and _DFR_MARK_RE.search(head):
        return "book"
    if root == "citations" and re.search(r"<article[\s>]", head) and re.search(r"<(?:journaltitle|pubdate)>", head):
        return "citations"
    return None


def detect(text: str) -> float:
    """0.95 for a DfR citations table (its header) or citations.XML, 0.9 for DfR's JATS article or book XML.

    Examples
    --------
    >>> detect("id\\tdoi\\ttitle\\tauthor\\tjournaltitle\\tvolume\\tissue\\tpubdate\\tpagerange\\n")
    0.95
    >>> detect('<citations>\\n<article id="10.2307/1742"><doi>10.2307/1742</doi><pubdate>1955</pubdate>')
    0.95
    >>> detect("title\\tauthors\\tyear\\n")
    0.0
    """
    if _header(text) is not None:
        return 0.95
    kind = _dfr_xml(text)
    return 0.95 if kind == "citations" else 0.9 if kind else 0.0


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


def _placeholder(title: str | None, authors: list[str]) -> bool:
    """Whether an item is JSTOR's front or back matter ("Front Matter", "Volume Information"), not a paper."""
    return not authors and clean_space(title or "").casefold().strip(" .") in _PLACEHOLDERS


def _citation(fields: dict[str, str], authors: list[str], line: int, source: str) -> Record:
    """A record of DfR's citations fields (a table row, or an ``<article>`` of citations.XML)."""
    ids = {}
    doi = fields.get("doi") or (fields["id"] if fields.get("id", "").startswith("10.") else "")
    if doi:
        ids["doi"] = doi
    extra: dict[str, object] = {}
    kind = fields.get("type")
    if kind:
        extra["document_type"] = _TYPES.get(kind, kind)
    if fields.get("reviewed-work"):
        extra["reviewed_work"] = fields["reviewed-work"]
    return Record(
        title=fields.get("title") or None,
        authors=tuple(AuthorRef(name) for name in authors),
        date=dfr_date(fields.get("pubdate")),
        venue=fields.get("journaltitle") or None,
        abstract=fields.get("abstract") or None,
        ids=ids,
        source=SourceRef(source, line, FORMAT),
        extra=extra,
    )


def _skipped_notes(untitled: int, placeholders: list[str], what: str) -> list[str]:
    notes = [f"{untitled} {what}(s) without a title skipped"] if untitled else []
    if placeholders:
        names = ", ".join(f"'{name}'" for name in sorted(set(placeholders)))
        notes.append(f"{len(placeholders)} front or back matter {what}(s) without authors skipped ({names})")
    return notes


def _table_records(text: str, source: str, delimiter: str) -> tuple[list[Record], list[str]]:
    # DfR does not quote: a title starting with a quotation mark is text, not a quoted field (tabs).
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter, quoting=quoting)
    header: list[str] | None = None
    records: list[Record] = []
    untitled, placeholders, read = 0, [], 0
    for row in reader:
        line, read = read + 1, reader.line_num  # a row starts after the last line the one before it ended on
        if header is None:
            header = [clean_space(n).lower() for n in row]
            continue
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: clean_space(value) for name, value in zip(header, row, strict=False) if name}
        authors = split_authors(cells.get("author", ""))
        if not cells.get("title") and not cells.get("abstract"):
            untitled += 1
        elif _placeholder(cells.get("title"), authors):
            placeholders.append(cells["title"])
        else:
            records.append(_citation(cells, authors, line, source))
    notes = _skipped_notes(untitled, placeholders, "row")
    if header is not None and not records and not untitled and not placeholders:
        notes.append("the citations table has a header but no rows")
    return records, notes


def _citations_xml_records(root, source: str) -> tuple[list[Record], list[str]]:
    """DfR's older ``citations.XML``: ``<citations><article id="10.2307/...">`` with one ``<author>`` per author."""
    records: list[Record] = []
    untitled, placeholders = 0, []
    articles = children(root, "article")
    for article in articles:
        fields = {"id": article.get("id") or ""}
        for child in article:
            name, value = local_name(child), _text(child)
            if value and name != "author":
                fields.setdefault(name, value)
        authors = [name for name in (_text(a) for a in article.iter("{*}author")) if name]
        if not fields.get("title") and not fields.get("abstract"):
            untitled += 1
        elif _placeholder(fields.get("title"), authors):
            placeholders.append(fields["title"])
        else:
            records.append(_citation(fields, authors, article.sourceline or 1, source))
    notes = _skipped_notes(untitled, placeholders, "article")
    if not articles:
        notes.append("the <citations> document has no <article>")
    return records, notes


def _first(element, *path: str):
    for name in path:
        if element is None:
            return None
        element = next((c for c in element if local_name(c) == name), None)
    return element


def _text(element) -> str | None:
    return clean_space("".join(element.itertext())) or None if element is not None else None


def _title(group, name: str) -> str | None:
    """The title of a JATS title group, its subtitle after a colon (none when the title already ends in one).

    Examples
    --------
    >>> group = parse_xml("<title-group><title>Fiji’s December 2006 coup:</title><subtitle>Who, what, where and "
    ...                   "why?</subtitle></title-group>")
    >>> _title(group, "title")
    'Fiji’s December 2006 coup: Who, what, where and why?'
    """
    title, subtitle = _text(_first(group, name)), _text(_first(group, "subtitle"))
    if title and subtitle:
        return f"{title} {subtitle}" if title[-1] in ":?!.;" else f"{title}: {subtitle}"
    return title or subtitle


def _contributor(contrib, affiliations: dict[str, str]) -> AuthorRef | None:
    name_element = _first(contrib, "string-name")
    if name_element is None:
        name_element = _first(contrib, "name")
    if name_element is None:
        name_element = _first(contrib, "collab")
        return AuthorRef(_text(name_element) or "") if _text(name_element) else None
    family = (_text(_first(name_element, "surname")) or "").rstrip(",").strip() or None
    given = " ".join(filter(None, (_text(g) for g in children(name_element, "given-names")))) or None
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


def _contributors(meta) -> tuple[list[AuthorRef], list[str]]:
    """The authors (contributors of no type, or "author") and the editors' names of a JATS meta element."""
    affiliations = {aff.get("id"): _text(aff) for aff in meta.iter("{*}aff") if aff.get("id") and _text(aff)}
    authors, editors = [], []
    for group in children(meta, "contrib-group"):
        for contrib in children(group, "contrib"):
            role = (contrib.get("contrib-type") or "author").lower()
            person = _contributor(contrib, affiliations)  # type: ignore[arg-type]
            if person and role == "author":
                authors.append(person)
            elif person and role == "editor":
                editors.append(person.name)
    return authors, editors


def _abstract(meta) -> str | None:
    """The abstracts of a JATS meta element; an "extract" (a book part's opening page) is no abstract."""
    found = [_text(x) for x in children(meta, "abstract") if (x.get("abstract-type") or "").lower() != "extract"]
    return " ".join(a for a in found if a) or None


def _jats_date(meta) -> str | None:
    """The first ``<pub-date>`` with a year, DfR's padding left out as in :func:`dfr_date` (1 April: April)."""
    for pub_date in children(meta, "pub-date"):
        year = _text(_first(pub_date, "year")) or ""
        if not year.isdigit():
            continue
        month, day = (_text(_first(pub_date, part)) or "" for part in ("month", "day"))
        return dfr_date(f"{year}-{int(month) if month.isdigit() else 0:02d}-{int(day) if day.isdigit() else 0:02d}")
    return None


def _citation_text(citation) -> str | None:
    """A reference as printed.

    A JSTOR-digitised reference prints its text first and repeats its parsed parts after it (each
    part's tail blank); a publisher's marks its parts inside the printed text.
    """
    head = clean_space(citation.text or "")
    if len(head) >= 20 and all(not (c.tail or "").strip() for c in citation):
        return head
    return _text(citation)


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


def _xml_record(article, source: str) -> tuple[list[Record], list[str]]:
    meta = _first(article, "front", "article-meta")
    if meta is None:
        return [], ["no <front><article-meta> in this <article>"]
    journal = _first(article, "front", "journal-meta")
    title = _title(_first(meta, "title-group"), "article-title")
    abstract = _abstract(meta)
    if not title and not abstract:
        return [], ["the article metadata has no title"]
    authors, _ = _contributors(meta)
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
        date=_jats_date(meta),
        venue=venue,
        abstract=abstract,
        ids=ids,
        source=SourceRef(source, article.sourceline or 1, FORMAT),
        extra=extra,
    )
    return [record], []


def _pages(meta) -> str | None:
    first, last = _text(_first(meta, "fpage")), _text(_first(meta, "lpage"))
    return f"{first}-{last}" if first and last else first


def _book_records(book, source: str) -> tuple[list[Record], list[str]]:
    """A DfR book (``book-chapter-*.xml``): a record for the book, and one per part that names its authors.

    Parts without authors (front matter, contents, index; a monograph's chapters) are left out with a note.
    """
    meta = _first(book, "book-meta")
    if meta is None:
        return [], ["no <book-meta> in this <book>"]
    book_title = _title(_first(meta, "book-title-group"), "book-title")
    date = _jats_date(meta)
    authors, editors = _contributors(meta)
    ids: dict[str, str] = {}
    for book_id in children(meta, "book-id"):
        if (book_id.get("book-id-type") or "").lower() == "jstor" and _text(book_id):
            ids.setdefault("jstor", _text(book_id) or "")
    isbn = next((_text(i) for i in children(meta, "isbn") if _text(i)), None)
    if isbn:
        ids["isbn"] = isbn
    publisher = _text(_first(meta, "publisher", "publisher-name"))
    extra: dict[str, object] = {"document_type": "book"}
    if editors:
        extra["editors"] = editors
    if publisher:
        extra["publisher"] = publisher
    records, notes = [], []
    if book_title:
        book_source = SourceRef(source, book.sourceline or 1, FORMAT)
        records.append(Record(book_title, tuple(authors), date=date, abstract=_abstract(meta), ids=ids,
                              source=book_source, extra=extra))  # fmt: skip
    else:
        notes.append("the book metadata has no title")
    unsigned: list[str] = []
    for part in book.iter("{*}book-part"):
        part_meta = _first(part, "book-part-meta")
        if part_meta is None:
            continue
        title = _title(_first(part_meta, "title-group"), "title")
        part_authors, _ = _contributors(part_meta)
        if not title or not part_authors:
            unsigned.append(title or "(untitled)")
            continue
        part_id = _text(_first(part_meta, "book-part-id"))
        part_ids = {"jstor": part_id} if part_id else {}
        part_extra: dict[str, object] = {"document_type": "book-chapter"}
        if _pages(part_meta):
            part_extra["pages"] = _pages(part_meta)
        records.append(
            Record(
                title=title,
                authors=tuple(part_authors),
                date=date,
                venue=book_title,
                abstract=_abstract(part_meta),
                ids=part_ids,
                source=SourceRef(source, part_meta.sourceline or 1, FORMAT),
                extra=part_extra,
            )
        )
    if unsigned:
        shown = ", ".join(f"'{t}'" for t in unsigned[:4]) + (", ..." if len(unsigned) > 4 else "")
        notes.append(f"{len(unsigned)} book part(s) that name no author skipped ({shown})")
    return records, notes


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    header = _header(text)
    if header is not None:
        return _table_records(text, source, header[0])
    root_name = sniff_root(text)
    if root_name not in ("article", "book", "citations"):
        return [], ["neither a DfR citations table (no id/doi/title/author/journaltitle/pubdate header) nor DfR XML"]
    try:
        root = parse_xml(text)
    except KgError as error:
        raise InputError(source, str(error)) from None
    if root_name == "book":
        return _book_records(root, source)
    if root_name == "citations":
        return _citations_xml_records(root, source)
    return _xml_record(root, source)


EXTRACTOR = Extractor(
    name=FORMAT,
    description="JSTOR Data for Research: citations.tsv / citations.CSV tables and JATS article metadata XML",
    detect=detect,
    extract=extract,
)
