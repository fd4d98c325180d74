"""PubMed XML: efetch ``<PubmedArticleSet>`` (and PubMed's "Save > XML"), 2009 to current DTDs.

Each ``PubmedArticle`` (or ``PubmedBookArticle``) is one record: authors in order with their
``ForeName``/``LastName`` parts, per-author ``AffiliationInfo`` and ORCID ``Identifier`` (the 2009
layout's one ``Article/Affiliation`` is the first author's), a ``CollectiveName`` as an author, the title
with its inline markup flattened to text, labelled abstract parts joined, the journal as venue,
``PubDate`` (or ``MedlineDate``) as date, PMID/DOI/PMC ids, ``Keyword`` terms as ``keywords``, MeSH
descriptors (``DescriptorName`` with its ``UI``, e.g. D000818 Animals) as ``mesh`` ``subjects``, and the
cited works (``ReferenceList``, or the older ``CommentsCorrections`` "Cites") as
``references``. The DOCTYPE is never loaded.

Examples
--------
>>> text = '''<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>
... <Journal><JournalIssue><PubDate><Year>2019</Year><Month>Jan</Month></PubDate></JournalIssue>
... <Title>Fixture journal</Title></Journal><ArticleTitle>A <i>fixture</i> title.</ArticleTitle>
... <AuthorList><Author><LastName>Lee</LastName><ForeName>Ann</ForeName></Author></AuthorList>
... </Article></MedlineCitation></PubmedArticle></PubmedArticleSet>'''
>>> records, notes = extract(text, "f.xml", ExtractOptions())
>>> r = records[0]
>>> r.title, r.authors[0].name, r.authors[0].family, r.date, r.venue, r.ids
('A fixture title.', 'Ann Lee', 'Lee', '2019-01', 'Fixture journal', {'pmid': '1'})
"""

from __future__ import annotations

import datetime
import re

from kg.errors import InputError, KgError
from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.dates import month_number
from kg.extractors.common.subjects import subject, unique_subjects
from kg.extractors.common.xmldoc import child_text, children, local_name, parse_xml, sniff_root
from kg.records import COLLECTIVE_AUTHORS, AuthorRef, Record, SourceRef
from kg.text import clean_space

FORMAT = "pubmed-xml"
_ROOTS = {"PubmedArticleSet", "PubmedArticle", "PubmedBookArticleSet", "PubmedBookArticle"}
_ITEMS = {"PubmedArticle", "PubmedBookArticle"}
_ID_KEYS = {"pubmed": "pmid", "doi": "doi", "pmc": "pmcid", "pmcid": "pmcid", "arxiv": "arxiv"}
_ORCID_RE = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", re.I)
_MEDLINE_DATE_RE = re.compile(r"^(?P<year>\d{4})(?:\s+(?P<month>[A-Za-z]{3,9}))?(?:\s+(?P<day>\d{1,2})\b)?")


def detect(text: str) -> float:
    """1.0 for a PubMed XML document (its root element is ``PubmedArticleSet`` or an article).

    Examples
    --------
    >>> detect('<?xml version="1.0"?>\\n<!DOCTYPE PubmedArticleSet>\\n<PubmedArticleSet>'), detect("<feed/>")
    (1.0, 0.0)
    """
    return 1.0 if sniff_root(text) in _ROOTS else 0.0


def _text(element) -> str | None:
    """All text inside ``element`` (inline markup such as ``<i>`` or ``<sup>`` kept as its text)."""
    if element is None:
        return None
    return clean_space("".join(element.itertext())) or None


def _first(element, *path: str):
    """The first descendant along ``path`` of local names, or None."""
    for name in path:
        if element is None:
            return None
        element = next((c for c in element if local_name(c) == name), None)
    return element


def _iso(year: str | None, month: str | None, day: str | None) -> str | None:
    """ "2007", "Nov"/"11", "09" as "2007-11-09", as precise as the parts are valid."""
    if not year or not re.fullmatch(r"\d{4}", year.strip()):
        return None
    out, number = year.strip(), None
    month = (month or "").strip()
    if month.isdigit() and 1 <= int(month) <= 12:
        number = int(month)
    elif month:
        try:
            number = month_number(month[:3] if len(month) > 3 and month[:3].isalpha() else month)
        except KeyError:
            number = None  # a season ("Spring"): the year alone
    if number is None:
        return out
    out += f"-{number:02d}"
    if day and day.strip().isdigit():
        try:
            return datetime.date(int(year), number, int(day)).isoformat()
        except ValueError:
            return out
    return out


def _date(article) -> str | None:
    pub_date = _first(article, "Journal", "JournalIssue", "PubDate")
    if pub_date is not None:
        year = child_text(pub_date, "Year")
        if year:
            return _iso(year, child_text(pub_date, "Month"), child_text(pub_date, "Day"))
        medline = child_text(pub_date, "MedlineDate")  # "2007 Nov-Dec", "1998 Dec-1999 Jan", "2000 Spring"
        match = _MEDLINE_DATE_RE.match(medline or "")
        if match:
            return _iso(match["year"], match["month"], match["day"] if match["month"] else None)
    for article_date in children(article, "ArticleDate"):
        date = _iso(
            child_text(article_date, "Year"), child_text(article_date, "Month"), child_text(article_date, "Day")
        )
        if date:
            return date
    return None


def _orcid(author) -> str | None:
    for identifier in children(author, "Identifier"):
        if (identifier.get("Source") or "").upper() == "ORCID":
            match = _ORCID_RE.search(identifier.text or "")
            if match:
                return match.group(1).upper()
    return None


def _author(element) -> AuthorRef | None:
    family, given = child_text(element, "LastName"), child_text(element, "ForeName")
    initials, suffix = child_text(element, "Initials"), child_text(element, "Suffix")
    affiliations = tuple(
        a for a in (child_text(info, "Affiliation") for info in children(element, "AffiliationInfo")) if a
    )
    affiliations += tuple(a for a in (_text(x) for x in children(element, "Affiliation")) if a)
    if family:
        given = given or initials
        name = " ".join(p for p in (given, family) if p) + (f" {suffix}" if suffix else "")
        return AuthorRef(name, affiliations, _orcid(element), given, family)
    collective = child_text(element, "CollectiveName")
    if collective:
        return AuthorRef(collective, affiliations, _orcid(element))
    return None


def _author_list(article):
    """The article's list of authors (not of editors), or None."""
    return next((a for a in children(article, "AuthorList") if (a.get("Type") or "authors") == "authors"), None)


def _authors(article) -> list[AuthorRef]:
    author_list = _author_list(article)
    if author_list is None:
        return []
    authors = [a for a in (_author(x) for x in children(author_list, "Author") if x.get("ValidYN", "Y") != "N") if a]
    # Before 2014 MEDLINE kept one affiliation per article: the first author's.
    article_affiliation = _text(_first(article, "Affiliation"))
    if article_affiliation and authors and not authors[0].affiliations:
        first = authors[0]
        authors[0] = AuthorRef(first.name, (article_affiliation,), first.orcid, first.given, first.family)
    return authors


def _collective_names(article) -> list[str]:
    """The ``CollectiveName`` entries of the author list: groups, whatever words they hold (kg.resolve.groups)."""
    author_list = _author_list(article)
    if author_list is None:
        return []
    names = []
    for author in children(author_list, "Author"):
        if author.get("ValidYN", "Y") != "N" and not child_text(author, "LastName"):
            name = child_text(author, "CollectiveName")
            if name:
                names.append(name)
    return names


def _abstract(article) -> str | None:
    abstract = _first(article, "Abstract")
    if abstract is None:
        return None
    parts = []
    for part in children(abstract, "AbstractText"):
        text = _text(part)
        if text:
            label = (part.get("Label") or "").strip()
            parts.append(f"{label}: {text}" if label and label.upper() != "UNLABELLED" else text)
    return " ".join(parts) or None


def _article_ids(id_list) -> dict[str, str]:
    ids: dict[str, str] = {}
    for article_id in children(id_list, "ArticleId") if id_list is not None else []:
        key = _ID_KEYS.get((article_id.get("IdType") or "").lower())
        value = clean_space(article_id.text or "")
        if key and value and key not in ids:
            ids[key] = value
    return ids


def _references(item) -> list[dict[str, str]]:
    references = []
    for reference in item.iter("{*}Reference"):
        entry = {"text": _text(_first(reference, "Citation"))}
        for key, value in _article_ids(_first(reference, "ArticleIdList")).items():
            if key in ("doi", "pmid", "arxiv"):
                entry[key] = value
        entry = {k: v for k, v in entry.items() if v}
        if entry:
            references.append(entry)
    for cites in item.iter("{*}CommentsCorrections"):
        if cites.get("RefType") != "Cites":
            continue
        entry = {"text": child_text(cites, "RefSource"), "pmid": child_text(cites, "PMID")}
        entry = {k: v for k, v in entry.items() if v}
        if entry:
            references.append(entry)
    return references


def _keywords(citation) -> list[str]:
    words = []
    for keyword_list in children(citation, "KeywordList"):
        words += [_text(k) for k in children(keyword_list, "Keyword")]
    return list(dict.fromkeys(w for w in words if w))


def _mesh(citation) -> list[dict]:
    """The MeSH descriptors of a citation: the unique id (``UI``, absent before 2013's DTD) and the name."""
    found = []
    for heading_list in children(citation, "MeshHeadingList"):
        for heading in children(heading_list, "MeshHeading"):
            descriptor = _first(heading, "DescriptorName")
            if descriptor is not None:
                found.append(subject("mesh", descriptor.get("UI"), _text(descriptor)))
    return unique_subjects(s for s in found if s)


def _record(item, source: str) -> Record | None:
    book = local_name(item) == "PubmedBookArticle"
    citation = _first(item, "BookDocument" if book else "MedlineCitation")
    if citation is None:
        return None
    article = citation if book else _first(citation, "Article")
    if article is None:
        return None
    title = _text(_first(article, "ArticleTitle")) or _text(_first(article, "VernacularTitle"))
    if book and not title:
        title = _text(_first(article, "Book", "BookTitle"))
    abstract = _abstract(article)
    if not title and not abstract:
        return None
    ids: dict[str, str] = {}
    pmid = child_text(citation, "PMID")
    if pmid:
        ids["pmid"] = pmid
    for location in children(article, "ELocationID"):
        if (location.get("EIdType") or "").lower() == "doi" and location.text and "doi" not in ids:
            ids["doi"] = clean_space(location.text)
    data = _first(item, "PubmedBookData" if book else "PubmedData")
    for key, value in _article_ids(_first(data, "ArticleIdList") if data is not None else None).items():
        ids.setdefault(key, value)
    journal = _first(article, "Journal")
    issn = child_text(journal, "ISSN") if journal is not None else None
    if issn:
        ids["issn"] = issn
    if book:
        book_element = _first(article, "Book")
        isbn = child_text(book_element, "Isbn") if book_element is not None else None
        if isbn:
            ids["isbn"] = isbn
        venue = _text(_first(book_element, "BookTitle"))
        venue = venue if venue != title else None
        date = _book_date(book_element)
    else:
        venue = child_text(journal, "Title") or child_text(journal, "ISOAbbreviation") if journal is not None else None
        journal_info = _first(citation, "MedlineJournalInfo")
        venue = venue or (child_text(journal_info, "MedlineTA") if journal_info is not None else None)
        date = _date(article)
    extra: dict[str, object] = {}
    keywords = _keywords(citation)
    if keywords:
        extra["keywords"] = keywords
    mesh = _mesh(citation)
    if mesh:
        extra["subjects"] = mesh
    references = _references(item)
    if references:
        extra["references"] = references
    type_list = _first(article, "PublicationTypeList")
    types = [_text(t) for t in children(type_list, "PublicationType")] if type_list is not None else []
    if types and types[0]:
        extra["document_type"] = types[0]
    groups = _collective_names(article)
    if groups:
        extra[COLLECTIVE_AUTHORS] = groups
    return Record(
        title=title,
        authors=tuple(_authors(article)),
        date=date,
        venue=venue,
        abstract=abstract,
        ids=ids,
        source=SourceRef(source, item.sourceline or 1, FORMAT),
        extra=extra,
    )


def _book_date(book) -> str | None:
    pub_date = _first(book, "PubDate")
    if pub_date is None:
        return None
    return _iso(child_text(pub_date, "Year"), child_text(pub_date, "Month"), child_text(pub_date, "Day"))


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    try:
        root = parse_xml(text)
    except KgError as error:
        raise InputError(source, str(error)) from None
    items = [root] if local_name(root) in _ITEMS else [c for c in root if local_name(c) in _ITEMS]
    records, skipped = [], 0
    for item in items:
        record = _record(item, source)
        if record is None:
            skipped += 1
        else:
            records.append(record)
    notes = []
    if skipped:
        notes.append(f"{skipped} PubMed article(s) without a title or abstract skipped")
    if not items:
        notes.append(f"no PubmedArticle in this <{local_name(root)}>")
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="PubMed XML (efetch PubmedArticleSet: authors, affiliations, ORCIDs, MeSH, references)",
    detect=detect,
    extract=extract,
)
