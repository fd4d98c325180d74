"""Citation resolution: which paper each cited reference is, in the corpus or known only from citations.

A record's ``extra["references"]`` lists what it cites, one dict per reference as
its source printed it (``text``) with what the extractor could read from it:
identifiers (``doi``, ``arxiv``, ``pmid``, ``openalex``, ``s2``, ``lens``), a
``title``, a ``year``, and for the compact Web of Science and Scopus strings the
``first_author`` (family name; ``cited_author`` as printed, "Kamada T"), ``volume`` and
``page``. A record of a paper that cites or is cited by another record of the same source says so in
``extra["cites"]`` / ``extra["cited_by"]`` with that paper's identifiers.

Each reference is matched, strongest key first, to a corpus paper:

1. an identifier both carry (DOI, arXiv id, PubMed id, OpenAlex, Semantic Scholar or Lens id);
2. the citation key ``family|year|volume|page`` (what Web of Science and Scopus print for a
   reference, and what their records state for a paper);
3. the normalised title (long enough to tell papers apart);
4. the short key ``family|year|venue`` (a book or a reference printed without volume and page);
5. the printed text itself, normalised (one reference printed alike by two records).

A weaker key never joins two works whose identifiers or citation keys differ, nor, below the
citation key, whose volumes, titles or first authors (family name and initial) differ: a reference
with one DOI is never matched by title to a paper with another. A reference that matches no corpus paper is a work
known only from citations; references to one such work (from several records or sources) are
grouped by the same keys and rules. Every match records the rule that made it.

Examples
--------
>>> from kg.records import Record
>>> records = [Record(title="Attention Is All You Need", date="2017", ids={"arxiv": "1706.03762"}),
...            Record(title="BERT", date="2018", extra={"references": [
...                {"text": "Vaswani A, 2017, Attention is all you need", "arxiv": "1706.03762v5"},
...                {"text": "Hochreiter S, 1997, NEURAL COMPUT, V9, P1735", "first_author": "Hochreiter",
...                 "year": 1997, "volume": "9", "page": "1735"}]})]
>>> result = resolve_citations(records, [0, 1], paper_count=2)
>>> [(c.citing, c.cited, c.rule) for c in result.citations]
[(1, 0, 'arxiv'), (1, 2, 'new')]
>>> result.cited_only[0].label
'Hochreiter S, 1997, NEURAL COMPUT, V9, P1735'
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kg.records import Record
from kg.resolve.keys import cited_author_key, normalise_arxiv_id, normalise_doi
from kg.text import fold, normalise_title

# Identifier kinds, strongest first; then the weaker keys.
IDENTIFIERS = ("doi", "arxiv", "pmid", "openalex", "s2", "lens")
KEY_ORDER = (*IDENTIFIERS, "citation_key", "title", "short_key", "text")
# Two works that both carry one of these and share none of it are never one work (checked for every key
# weaker than the one in question; a volume for the title and weaker keys).
DECISIVE = (*IDENTIFIERS, "citation_key", "volume", "title", "author")
# Beyond the citation key, a volume, a (long) title or the first author's initial that differ part two works:
# "Tserkovnyak Y, 2009, PHYS REV B, V79" of two different papers share the short key.
_AFTER_CITATION_KEY = KEY_ORDER.index("citation_key")
_NOT_KEYS = ("volume", "author")  # compared, never looked up
_CHECKED_BEFORE = {
    kind: tuple(k for k in DECISIVE if k in KEY_ORDER[:level] or (k in _NOT_KEYS and level > _AFTER_CITATION_KEY))
    for level, kind in enumerate(KEY_ORDER)
}
# A normalised title shorter than this ("introduction", "editorial") names no one paper.
MIN_TITLE_KEY_CHARS = 24

_OPENALEX_RE = re.compile(r"(?:https?://openalex\.org/)?(W\d+)$", re.IGNORECASE)
_DIGITS_RE = re.compile(r"\d+")


@dataclass(frozen=True)
class CitedWork:
    """A work cited by the corpus that is no paper of it: what the references say of it.

    Attributes
    ----------
    identity : str
        The key its IRI is minted from (its strongest key, ``kind:value``).
    label : str
        How it is shown: a title if a reference gives one, else the shortest printed reference.
    ids : dict
        Identifiers the references give (one per kind: the smallest).
    title, year, first_author, cited_author, venue : optional
        As the references give them (title: the longest; year: the most often printed; the first
        author's family name, and as printed).
    mentions : tuple of (int, int)
        The (record, reference position) pairs that cite it.
    """

    identity: str
    label: str
    ids: dict[str, str] = field(default_factory=dict)
    title: str | None = None
    year: int | None = None
    first_author: str | None = None
    cited_author: str | None = None
    venue: str | None = None
    mentions: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Citation:
    """One reference of one record, resolved.

    ``citing`` and ``cited`` index the corpus papers first, then the cited-only works
    (``cited >= paper_count`` is ``cited_only[cited - paper_count]``). ``position`` is the
    reference's index in the record's list (-1 for a stated ``cites``/``cited_by`` link).
    ``rule`` is the key that matched (``doi`` ... ``title``), or ``new`` for the first
    reference to a cited-only work.
    """

    citing: int
    cited: int
    record: int
    position: int
    rule: str
    text: str | None = None


@dataclass(frozen=True)
class CitationResolution:
    """Every citation of the corpus and the works known only from citations."""

    citations: list[Citation]
    cited_only: list[CitedWork]
    paper_count: int
    unmatched: int = 0  # references with nothing to know them by (no identifier, key or title)


def reference_keys(reference: Mapping[str, Any]) -> dict[str, str]:
    """The keys a reference can be matched by, strongest first.

    Examples
    --------
    >>> keys = reference_keys({"text": "Ahuja G, 2000, ADMIN SCI QUART, V45, P425, DOI 10.2307/2667105",
    ...                        "doi": "10.2307/2667105", "first_author": "Ahuja", "year": 2000, "volume": "45",
    ...                        "page": "425", "venue": "ADMIN SCI QUART"})
    >>> keys["doi"], keys["citation_key"], keys["short_key"]
    ('10.2307/2667105', 'ahuja|2000|45|425', 'ahuja|2000|admin sci quart')
    """
    keys: dict[str, str] = {}
    for kind in IDENTIFIERS:
        value = _identifier(kind, reference.get(kind))
        if value:
            keys[kind] = value
    key = citation_key(reference.get("first_author"), reference.get("year"), reference.get("volume"),
                       reference.get("page"))  # fmt: skip
    if key:
        keys["citation_key"] = key
    volume = _number(reference.get("volume"))
    if volume:
        keys["volume"] = volume
    author = cited_author_key(reference["cited_author"]) if isinstance(reference.get("cited_author"), str) else None
    if author:
        keys["author"] = author
    title = _title_key(reference.get("title"))
    if title:
        keys["title"] = title
    short = short_key(reference.get("first_author"), reference.get("year"), reference.get("venue"))
    if short:
        keys["short_key"] = short
    text = normalise_title(reference["text"]) if isinstance(reference.get("text"), str) else ""
    if len(text) >= MIN_TITLE_KEY_CHARS:
        keys["text"] = text
    return keys


def paper_citation_keys(record: Record) -> dict[str, str]:
    """The keys a corpus record can be cited by: its identifiers, citation key and title."""
    keys: dict[str, str] = {}
    for kind in IDENTIFIERS:
        value = _identifier(kind, record.ids.get(kind))
        if value:
            keys[kind] = value
    family = None
    if record.authors:
        first = record.authors[0]
        family = first.family or (first.name.split(",")[0] if "," in first.name else first.name.split()[-1])
    year = record.date[:4] if record.date else None
    key = citation_key(family, year, record.extra.get("volume"), _first_page(record.extra.get("pages")))
    if key:
        keys["citation_key"] = key
    volume = _number(record.extra.get("volume"))
    if volume:
        keys["volume"] = volume
    author = cited_author_key(record.authors[0].name) if record.authors else None
    if author:
        keys["author"] = author
    title = _title_key(record.title)
    if title:
        keys["title"] = title
    short = short_key(family, year, record.extra.get("venue_abbreviation"))
    if short:
        keys["short_key"] = short
    return keys


def short_key(family: Any, year: Any, venue: Any) -> str | None:
    """``family|year|venue`` when all three are known.

    Examples
    --------
    >>> short_key("Burt", 1992, "STRUCTURAL HOLES SOC")
    'burt|1992|structural holes soc'
    """
    if not (family and year and venue):
        return None
    name = "".join(ch for ch in fold(str(family)) if ch.isalpha())
    year_digits = _DIGITS_RE.search(str(year))
    venue_key = normalise_title(str(venue))
    if not (name and year_digits and venue_key):
        return None
    return f"{name}|{year_digits.group()}|{venue_key}"


def citation_key(family: Any, year: Any, volume: Any, page: Any) -> str | None:
    """``family|year|volume|page`` when all four are known (volume and page as their first number).

    Examples
    --------
    >>> citation_key("Van der Berg", "2003", "V32", "P301-315")
    'vanderberg|2003|32|301'
    >>> citation_key("Ahuja", 2000, None, "425") is None
    True
    """
    if not (family and year and volume and page):
        return None
    name = "".join(ch for ch in fold(str(family)) if ch.isalpha())
    year_digits, volume_digits, page_digits = (_DIGITS_RE.search(str(v)) for v in (year, volume, page))
    if not (name and year_digits and volume_digits and page_digits):
        return None
    return f"{name}|{year_digits.group()}|{int(volume_digits.group())}|{int(page_digits.group())}"


def _number(value: Any) -> str | None:
    """The first number of a volume ("V32", "32(4)"), without leading zeros."""
    found = _DIGITS_RE.search(str(value)) if value else None
    return str(int(found.group())) if found else None


def _first_page(pages: Any) -> str | None:
    found = _DIGITS_RE.search(str(pages)) if pages else None
    return found.group() if found else None


def _identifier(kind: str, value: Any) -> str | None:
    if not value or not isinstance(value, (str, int)):
        return None
    text = str(value).strip()
    if kind == "doi":
        return normalise_doi(text) or None
    if kind == "arxiv":
        return normalise_arxiv_id(text).lower() or None
    if kind == "openalex":
        found = _OPENALEX_RE.search(text)
        return found.group(1).upper() if found else None
    if kind == "pmid":
        return text if text.isdigit() else None
    return text.lower()


def _title_key(title: Any) -> str | None:
    if not isinstance(title, str):
        return None
    key = normalise_title(title)
    return key if len(key) >= MIN_TITLE_KEY_CHARS else None


def _conflicts(one: Mapping[str, set[str]], other: Mapping[str, str], kinds: Sequence[str]) -> bool:
    """Whether two works carry a key of one of ``kinds`` and share none of it."""
    return any(one.get(kind) and other.get(kind) and other[kind] not in one[kind] for kind in kinds)


# Keys two works may share: a reference that one of them matches against two works names neither for sure.
_WEAK = ("title", "short_key", "text")


class _Index:
    """Works known so far: their keys, and which works each key points to."""

    def __init__(self) -> None:
        self.keys: list[dict[str, set[str]]] = []
        self.by_key: dict[tuple[str, str], list[int]] = {}

    def add(self, keys: Mapping[str, str]) -> int:
        self.keys.append({})
        self.extend(len(self.keys) - 1, keys)
        return len(self.keys) - 1

    def extend(self, work: int, keys: Mapping[str, str]) -> None:
        for kind, value in keys.items():
            self.keys[work].setdefault(kind, set()).add(value)
            works = self.by_key.setdefault((kind, value), [])
            if work not in works:
                works.append(work)

    def find(self, keys: Mapping[str, str]) -> tuple[int, str] | None:
        """The work ``keys`` match, strongest key first, and the key kind.

        A candidate whose stronger keys differ is no match; a weak key (title, short key, text)
        that two works could be is none either: which one the reference names cannot be told.
        """
        for kind in KEY_ORDER:
            if kind not in keys:
                continue
            candidates = [
                work
                for work in self.by_key.get((kind, keys[kind]), ())
                if not _conflicts(self.keys[work], keys, _CHECKED_BEFORE[kind])
            ]
            if len(candidates) > 1 and kind in _WEAK:
                return None  # the reference could name either
            if candidates:
                return candidates[0], kind
        return None


def resolve_citations(
    records: Sequence[Record], paper_of: Sequence[int], paper_count: int | None = None
) -> CitationResolution:
    """Resolve every reference of ``records`` (see the module's rules).

    Parameters
    ----------
    records : sequence of Record
        The corpus records, in order.
    paper_of : sequence of int
        For each record, the index of its paper (:func:`kg.resolve.papers.resolve_papers`).
    paper_count : int, optional
        How many papers there are (``max(paper_of) + 1`` by default).
    """
    paper_count = paper_count if paper_count is not None else (max(paper_of) + 1 if paper_of else 0)
    corpus = _Index()
    for _ in range(paper_count):
        corpus.keys.append({})
    for index, record in enumerate(records):
        corpus.extend(paper_of[index], paper_citation_keys(record))
    cited_only = _Index()
    mentions: list[list[tuple[int, int]]] = []
    found: list[list[Mapping[str, Any]]] = []
    citations: list[Citation] = []
    unmatched = 0
    for index, record in enumerate(records):
        citing = paper_of[index]
        for position, reference in enumerate(_references(record)):
            keys = reference_keys(reference)
            if not any(kind in keys for kind in KEY_ORDER):  # a volume alone knows no work
                unmatched += 1
                continue
            match = corpus.find(keys)
            if match is not None:
                cited, rule = match
            else:
                other = cited_only.find(keys)
                if other is None:
                    work, rule = cited_only.add(keys), "new"
                    mentions.append([])
                    found.append([])
                else:
                    work, rule = other
                    cited_only.extend(work, keys)
                mentions[work].append((index, position))
                found[work].append(reference)
                cited = paper_count + work
            citations.append(Citation(citing, cited, index, position, rule, reference.get("text")))
        for relation, link in (("cites", record.extra.get("cites")), ("cited_by", record.extra.get("cited_by"))):
            if not isinstance(link, Mapping):
                continue
            match = corpus.find(reference_keys(link))
            if match is None or match[0] == citing:
                continue
            other, rule = match
            source, target = (citing, other) if relation == "cites" else (other, citing)
            citations.append(Citation(source, target, index, -1, rule))
    works = [_work(cited_only.keys[k], found[k], mentions[k]) for k in range(len(found))]
    return CitationResolution(_distinct(citations, records), works, paper_count, unmatched)


def _references(record: Record) -> list[Mapping[str, Any]]:
    references = record.extra.get("references") if record.extra else None
    if not isinstance(references, list):
        return []
    return [reference for reference in references if isinstance(reference, Mapping)]


def _distinct(citations: list[Citation], records: Sequence[Record]) -> list[Citation]:
    """One citation per citing paper, cited paper and source line: a reference list that names a work twice
    cites it once, and so do two records of one paper read from one place (a JSON file's works all stand
    on its line 1: a preprint and its published version both listing a reference)."""
    seen: set[tuple] = set()
    kept = []
    for citation in citations:
        source = records[citation.record].source
        where = (source.path, source.key, source.line) if source else ("", "", citation.record)
        key = (citation.citing, citation.cited, where)
        if key not in seen and citation.citing != citation.cited:
            seen.add(key)
            kept.append(citation)
    return kept


def _composed(reference: Mapping[str, Any]) -> str:
    """A reference given only in parts, written as Web of Science prints one: "Burnett K, 2001, J PHYS, V2, P399"."""
    parts = [str(reference.get(key) or "") for key in ("first_author", "year", "venue")]
    parts += [f"{mark}{reference[key]}" for key, mark in (("volume", "V"), ("page", "P")) if reference.get(key)]
    return ", ".join(part for part in parts if part)


def _work(keys: Mapping[str, set[str]], references: list[Mapping[str, Any]], mentions: list) -> CitedWork:
    identity = next(f"{kind}:{min(keys[kind])}" for kind in KEY_ORDER if keys.get(kind))
    titles = [r["title"] for r in references if isinstance(r.get("title"), str) and r["title"].strip()]
    title = max(titles, key=lambda t: (len(t), t)) if titles else None
    texts = [r["text"] for r in references if isinstance(r.get("text"), str) and r["text"].strip()]
    years = [int(m.group()) for r in references if (m := re.search(r"\b[12]\d{3}\b", str(r.get("year") or "")))]
    year = max(set(years), key=lambda y: (years.count(y), -y)) if years else None
    authors = [r["first_author"] for r in references if isinstance(r.get("first_author"), str)]
    venues = [r["venue"] for r in references if isinstance(r.get("venue"), str)]
    printed = [r.get("cited_author") or r.get("first_author") for r in references]
    printed = [name for name in printed if isinstance(name, str) and name.strip()]
    label = title or (min(texts, key=lambda t: (len(t), t)) if texts else _composed(references[0]) or identity)
    return CitedWork(
        identity=identity,
        label=label,
        ids={kind: min(keys[kind]) for kind in IDENTIFIERS if keys.get(kind)},
        title=title,
        year=year,
        first_author=authors[0] if authors else None,
        cited_author=printed[0] if printed else None,
        venue=venues[0] if venues else None,
        mentions=tuple(mentions),
    )
