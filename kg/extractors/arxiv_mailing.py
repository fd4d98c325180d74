"""arXiv's daily mailing (the e-mail digest of new submissions) and the ``.abs`` files of its bulk metadata.

Both print one paper as a block of ``Field: value`` lines (a long value goes on over indented
lines), a ``\\\\`` line, the abstract, and a closing ``\\\\`` line (in mailings
``\\\\ ( https://arxiv.org/abs/2401.01234 ,  123kb)``); mailings separate papers by lines of
dashes. A paper opens with its id: ``arXiv:2401.01234`` (with ``(*cross-listing*)`` for a
cross-list) or, in older files, ``Paper: hep-th/9901001``. Replacements ("replaced with revised
version ...") have no abstract; they are papers too.

Monthly listing files (``/listings/0001``, ``pastweek``) print the same blocks without abstracts.

``Date`` is the first version's submission (the record's date, to the day); a block without it
(a replacement) is dated by the submission month its arXiv id encodes, and a note says so.
``Authors`` are split at commas, semicolons, "&", "and" and a collaboration's colon; "Ann Lee
(MIT)" gives an affiliation, and so do numbered legends ("Ann Lee (1), Bo Chen (2) ((1) MIT, (2)
Stanford)", also bare after the last author or "(1 - MIT; 2 - Stanford)"); a remark such as "(for
the X Collaboration)" is none, and a mark that follows no name is not guessed at. "et al. (97
additional authors not shown)" gives the author count. ``Categories`` (primary first),
``Journal-ref`` (the venue), ``DOI``, ``Comments``, ``Report-no``, ``MSC-class``, ``ACM-class``
and ``License`` are kept (the MSC and ACM codes also as ``msc`` and ``acm-ccs`` ``subjects``);
TeX accents (``Sol\\`a``, ``Sa\\v{s}a``) are decoded, ``$math$`` is kept.

Examples
--------
>>> text = ("\\\\\\\\\\narXiv:2309.02553\\nDate: Tue, 5 Sep 2023 19:40:45 GMT   (1295kb,D)\\n\\n"
...         "Title: Automating Behavioral Testing in Machine\\n  Translation\\n"
...         "Authors: Javier Ferrando, Matthias Sperber and Sa\\\\v{s}a Hasan\\n"
...         "Categories: cs.CL cs.AI\\n\\\\\\\\\\n  A fixture abstract.\\n"
...         "\\\\\\\\ ( https://arxiv.org/abs/2309.02553 ,  1295kb)\\n")
>>> [record], notes = extract(text, "digest.txt", ExtractOptions())
>>> record.title, [a.name for a in record.authors], record.date, record.categories
('Automating Behavioral Testing in Machine Translation', ['Javier Ferrando', 'Matthias Sperber', 'Saša Hasan'], \
'2023-09-05', ('cs.CL', 'cs.AI'))
>>> record.ids, record.abstract, record.source.line
({'arxiv': '2309.02553'}, 'A fixture abstract.', 2)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from kg.extractors.arxiv_listing_html import ARXIV_ID, date_from_arxiv_id
from kg.extractors.base import ExtractOptions, Extractor
from kg.extractors.common.subjects import acm_codes, msc_codes, subjects
from kg.extractors.common.tagged import date_from_parts, month_in
from kg.records import AuthorRef, Record, SourceRef
from kg.text import clean_space

FORMAT = "arxiv-mailing"

_ID_LINE_RE = re.compile(
    rf"^(?:arXiv:\s*(?P<new>{ARXIV_ID})|Paper(?P<paper_cross> \(\*cross-listing\*\))?:\s*(?P<old>{ARXIV_ID}))"
    r"(?P<rest>\s.*)?$",
    re.IGNORECASE,
)
_FIELD_RE = re.compile(r"^(?P<key>[A-Z][A-Za-z-]*(?: \([^)]*\))?):\s?(?P<value>.*)$")
_REPLACED_RE = re.compile(r"^replaced with revised version\b", re.IGNORECASE)
_DASHES_RE = re.compile(r"^-{20,}\s*$")
_DATE_RE = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3,9})\s+(\d{4})\b")
_DETECT_ID_RE = re.compile(rf"^(?:arXiv:\s*{ARXIV_ID}|Paper(?: \(\*cross-listing\*\))?:\s*{ARXIV_ID})\b", re.M)
_DETECT_TITLE_RE = re.compile(r"^Title: \S", re.M)
_DETECT_AUTHORS_RE = re.compile(r"^Authors?: \S", re.M)
_DETECT_FIELDS_RE = re.compile(r"^(?:Date|From|Categories|Comments|Journal-ref|Report-no): ", re.M)
_BACKSLASHES_RE = re.compile(r"^\\\\", re.M)
_ID_DATE_NOTE = (
    "{count} paper(s) without a Date line (replacements) are dated by the submission month of their arXiv id"
)

# TeX accents: the combining mark of each accent command.
_ACCENTS = {
    "`": "\u0300", "'": "\u0301", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304", ".": "\u0307",
    "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328", "r": "\u030a", "d": "\u0323",
}  # fmt: skip
_LETTERS = {
    "ss": "ß", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å", "o": "ø", "O": "Ø", "l": "ł",
    "L": "Ł", "i": "ı", "j": "ȷ", "dj": "đ", "DJ": "Đ",
}  # fmt: skip
_SYMBOL_ACCENT_RE = re.compile(r"""\\([`'^"~=.])\s*(?:\{\s*(\\?[A-Za-z])\s*\}|(\\?[A-Za-z]))""")
_WORD_ACCENT_RE = re.compile(r"\\([uvHckrd])(?:\s*\{\s*(\\?[A-Za-z])\s*\}|\s+([A-Za-z]))")
_LETTER_RE = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|dj|DJ|o|O|l|L|i|j)(?![A-Za-z])(?:\{\}|\s(?=[a-z]))?")
_ESCAPE_RE = re.compile(r"\\([&%_#])")
_BRACED_CHAR_RE = re.compile(r"\{(\w)\}")
_MATH_RE = re.compile(r"(\$[^$]*\$)")


def untex(text: str) -> str:
    """``text`` with TeX accents and escapes decoded; ``$math$`` is left as printed.

    Examples
    --------
    >>> untex(r"Mar Canet Sol\\`a, Sa\\v{s}a Hasan, G{\\"o}del, Erd\\H{o}s, \\L ukasz, Stra\\ss e, 100\\% of $\\alpha$")
    'Mar Canet Solà, Saša Hasan, Gödel, Erdős, Łukasz, Straße, 100% of $\\\\alpha$'
    """
    if "\\" not in text:
        return text
    parts = _MATH_RE.split(text)
    for index in range(0, len(parts), 2):  # the even parts are outside $...$
        parts[index] = _untex_plain(parts[index])
    return "".join(parts)


def _accented(match: re.Match[str]) -> str:
    letter = (match.group(2) or match.group(3)).lstrip("\\")
    return unicodedata.normalize("NFC", letter + _ACCENTS[match.group(1)])


def _untex_plain(text: str) -> str:
    text = _SYMBOL_ACCENT_RE.sub(_accented, text)
    text = _WORD_ACCENT_RE.sub(_accented, text)
    text = _LETTER_RE.sub(lambda m: _LETTERS[m.group(1)], text)
    text = _ESCAPE_RE.sub(r"\1", text)
    return _BRACED_CHAR_RE.sub(r"\1", text)


def detect(text: str) -> float:
    """Sure when a line opens with an arXiv id ("arXiv:2401.01234", "Paper: hep-th/9901001") and
    ``Title:`` and ``Authors:`` lines follow; surer with the ``\\\\`` abstract delimiters."""
    head = text[:100_000]
    ids = _DETECT_ID_RE.search(head)
    if not ids:
        return 0.0
    after = head[ids.start() :]
    if not _DETECT_TITLE_RE.search(after) or not (_DETECT_AUTHORS_RE.search(after) or _DETECT_FIELDS_RE.search(after)):
        return 0.0
    return 0.95 if _BACKSLASHES_RE.search(head) else 0.6


@dataclass
class _Block:
    line: int
    arxiv_id: str
    cross_list: bool
    fields: list[tuple[str, list[str]]] = field(default_factory=list)
    abstract: list[str] = field(default_factory=list)
    replaced: bool = False

    def value(self, key: str) -> str | None:
        for name, lines in self.fields:
            if name.lower() == key.lower():
                return clean_space(" ".join(lines)) or None
        return None


def _blocks(text: str) -> list[_Block]:
    """The papers of a mailing or ``.abs`` file, in order."""
    blocks: list[_Block] = []
    current: _Block | None = None
    state = "outside"  # "header" (Field: lines), "abstract" (after the first \\ line), "outside"
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        stripped = line.strip()
        match = _ID_LINE_RE.match(line)
        if match and state != "abstract":
            rest = match["rest"] or ""
            current = _Block(number, match["new"] or match["old"], bool(match["paper_cross"]) or "cross-list" in rest)
            current.replaced = "replaced" in rest.lower()
            blocks.append(current)
            state = "header"
            continue
        if current is None or state == "outside":
            continue
        if state == "header":
            if stripped.startswith("\\\\"):
                state = "abstract" if stripped == "\\\\" else "outside"
            elif _DASHES_RE.match(line):
                state = "outside"
            elif _REPLACED_RE.match(stripped):
                current.replaced = True
            elif raw[:1] in (" ", "\t") and current.fields and stripped:
                current.fields[-1][1].append(stripped)
            elif field_match := _FIELD_RE.match(line):
                current.fields.append((field_match["key"], [field_match["value"].strip()]))
        elif state == "abstract":
            if stripped.startswith("\\\\") or _DASHES_RE.match(line):
                state = "outside"
            else:
                current.abstract.append(stripped)
    return blocks


_LEGEND_MARK_RE = re.compile(r"\(\s*(\d{1,3}|[a-z])\s*\)")  # "(1) MIT", "(a) MIT" in a legend
# "(1 - MIT; 2 - Stanford)", "(1 Penn State, 2 NOAO)"
_DASH_LEGEND_RE = re.compile(r"(?:^|[;,])\s*(\d{1,3})(?:\s*[-\u2013:)]\s*|\s+)(?=[^\W\d_])")
_MARK_RE = re.compile(r"\d{1,3}|[a-z]|[*\u2020\u2021]")
_SEPARATOR_RE = re.compile(r"\s*[,;:]\s*|\s*&\s*|\s+and\s+|^and\s+|\s+and$")
_ET_AL_RE = re.compile(r"(\bet\.?\s*al\b\.?)", re.IGNORECASE)  # "Ann Lee et al.", "et. al"
_NOT_SHOWN_RE = re.compile(r"^(\d+) additional authors? not shown$", re.IGNORECASE)
_SUFFIX_RE = re.compile(r"(?:Jr|Sr|II|III|IV)\.?")
_COLLABORATION_PREFIX_RE = re.compile(
    r"^(?:for|on behalf of)\s+(?:the\s+)?(?=.*\b(?:collaboration|consortium|team|group)s?\b)", re.IGNORECASE
)
_NO_AFFILIATION_RE = re.compile(
    r"^(?:for|on behalf of)\b|^deceased$|^corresponding author$|\bet\.?\s*al\b", re.IGNORECASE
)


def _groups(text: str) -> list[tuple[bool, str]]:
    """``text`` cut into top-level runs of text and parenthesised groups, as (is_group, text).

    Parentheses nest ("((1) INFN, Naples (Italy))" is one group); a ")" that closes nothing is
    dropped; a "(" never closed runs to the end.
    """
    pieces: list[tuple[bool, str]] = []
    outside: list[str] = []
    inside: list[str] = []
    depth = 0
    for char in text:
        if char == "(":
            if depth == 0:
                pieces.append((False, "".join(outside)))
                outside = []
            else:
                inside.append(char)
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                pieces.append((True, "".join(inside)))
                inside = []
            else:
                inside.append(char)
        elif char == ")":
            continue
        elif depth:
            inside.append(char)
        else:
            outside.append(char)
    if depth:
        pieces.append((True, "".join(inside)))
    pieces.append((False, "".join(outside)))
    return [(is_group, piece) for is_group, piece in pieces if is_group or piece]


def _marks(text: str) -> list[str] | None:
    """The keys of an affiliation mark ("1", "1, 2", "1 and 3", "a, b"); None when ``text`` is no mark.

    A remark beside the keys is let go: "(5, on behalf of the XRISM Resolve team)" is mark 5.
    """
    parts = [p for p in re.split(r"\s*(?:,|\band\b|&)\s*", text.strip()) if p]
    keys = [p for p in parts if _MARK_RE.fullmatch(p)]
    remarks = [p for p in parts if not _MARK_RE.fullmatch(p)]
    return keys if keys and all(_NO_AFFILIATION_RE.search(r) for r in remarks) else None


def _legend(text: str) -> dict[str, str]:
    """The numbered affiliations of a legend: "(1) MIT, (2) Stanford" or "1 - MIT; 2 - Stanford"."""
    parts = _LEGEND_MARK_RE.split(text)
    if len(parts) < 3:
        parts = _DASH_LEGEND_RE.split(text)
        if parts[0].strip() or not _in_sequence(parts[1::2]):
            return {}
    legend = {}
    for key, org in zip(parts[1::2], parts[2::2], strict=False):
        org = clean_space(org).strip(" ,;]")
        if org:
            legend.setdefault(key, org)
    return legend


def _in_sequence(keys: list[str]) -> bool:
    """Whether legend keys run 1, 2, 3, ... (or a, b, c, ...), as a legend's do."""
    first = keys[0] if keys else ""
    start = 1 if first == "1" else ord("a") if first == "a" else None
    expected = [str(start + i) if first == "1" else chr(start + i) for i in range(len(keys))] if start else []
    return bool(keys) and keys == expected


def _is_legend(text: str) -> bool:
    return bool(_LEGEND_MARK_RE.search(text)) or len(_legend(text)) > 1


def _name(text: str) -> str | None:
    """A name as printed, without stray punctuation; None when no letter is left."""
    name = re.sub(r"^(?:(?:and|&)(?:\s+|$))+", "", clean_space(text).strip(" ,;:/-")).strip(" -")
    name = re.sub(r"\s+\.$", "", name)  # "E. Vannuccini ." (a full stop before the legend)
    name = _COLLABORATION_PREFIX_RE.sub("", name)
    return name if re.search(r"[^\W\d_]", name) else None


@dataclass
class _Author:
    name: str
    affiliations: list[str] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)


def _authors(text: str | None) -> tuple[list[AuthorRef], int | None]:
    """The authors of an ``Authors:`` value, with their affiliations; and the author count it states.

    Names are split at commas, semicolons, colons ("Planck Collaboration: Ann Lee"), "&" and "and".
    A parenthesised text right after a name is that author's affiliation; a mark ("(1)", "(1,2)",
    "(a)") points into the legend of numbered affiliations, which is printed in outer parentheses
    ("((1) MIT, (2) Stanford)"), as several groups or bare after the last author. An "et al." is
    kept as printed (the record marks the list as cut), and "et al. (97 additional authors not
    shown)" states how many authors the paper has.
    """
    if not text:
        return [], None
    pieces = _groups(clean_space(untex(text)))
    authors: list[_Author] = []
    legend: dict[str, str] = {}
    not_shown: int | None = None
    after_name = False  # only spaces since the last name: a group here belongs to it
    index = 0
    while index < len(pieces):
        is_group, piece = pieces[index]
        index += 1
        if not is_group:
            if not piece.strip():
                continue
            chunks = [c for chunk in _SEPARATOR_RE.split(piece) for c in _ET_AL_RE.split(chunk)]
            for chunk in chunks:
                name = "et al." if _ET_AL_RE.fullmatch(chunk.strip()) else _name(chunk)
                if name is None:
                    continue
                if _SUFFIX_RE.fullmatch(name) and authors:  # "John Smith, Jr."
                    authors[-1].name = f"{authors[-1].name}, {name}"
                    continue
                authors.append(_Author(re.sub(r"^\d+\s+others$", "others", name)))
            after_name = bool(authors) and _name(chunks[-1]) is not None
            continue
        content = clean_space(piece)
        keys = _marks(content)
        if _is_legend(content):
            legend.update(_legend(content))
        elif keys is not None and after_name:
            authors[-1].marks.extend(keys)
            after_name = False
        elif keys is not None:
            rest = "".join(f"({p})" if g else p for g, p in pieces[index - 1 :])
            bare = _legend(rest) if authors and keys in (["1"], ["a"]) else {}
            if _in_sequence(list(bare)) and len(_LEGEND_MARK_RE.findall(rest)) == len(bare):
                # A bare legend after the last author: "Ann Lee (2); (1) MIT, (2) Stanford".
                legend.update(bare)
                break
            # a mark before a name ("(1) Ann Lee") is not read: it may belong to either
        elif (match := _NOT_SHOWN_RE.match(content)) and authors:
            not_shown = int(match.group(1))
        elif authors and content and not _NO_AFFILIATION_RE.search(content):
            authors[-1].affiliations.append(content)
    refs = []
    for author in authors:
        affiliations = author.affiliations + [legend[k] for k in author.marks if k in legend]
        refs.append(AuthorRef(author.name, tuple(dict.fromkeys(affiliations))))
    count = None
    if not_shown is not None:
        count = sum(1 for a in authors if a.name not in ("et al.", "others")) + not_shown
    return refs, count


def _date(block: _Block) -> str | None:
    match = _DATE_RE.search(block.value("Date") or "")
    return date_from_parts(match.group(3), month_in(match.group(2)), int(match.group(1))) if match else None


def _record(block: _Block, source: str) -> Record | None:
    title = untex(block.value("Title") or "") or None
    abstract = untex(clean_space(" ".join(block.abstract))) or None
    if not title and not abstract:
        return None
    ids = {"arxiv": block.arxiv_id}
    doi = (block.value("DOI") or "").split()
    if doi:
        ids["doi"] = doi[0].rstrip(",;")
    extra: dict[str, Any] = {}
    kept = (("Comments", "comments"), ("Report-no", "report_no"), ("MSC-class", "msc_class"), ("License", "license"))
    for key, name in kept:
        value = block.value(key)
        if value:
            extra[name] = untex(value)
    if block.value("ACM-class"):
        extra["acm_class"] = block.value("ACM-class")
    classes = subjects("msc", msc_codes(block.value("MSC-class")))
    classes += subjects("acm-ccs", acm_codes(block.value("ACM-class")))
    if classes:
        extra["subjects"] = classes
    if block.cross_list:
        extra["cross_list"] = True
    if block.replaced:
        extra["replaced"] = True
    authors, author_count = _authors(block.value("Authors") or block.value("Author"))
    return Record(
        title=title,
        authors=tuple(authors),
        author_count=author_count,
        date=_date(block) or date_from_arxiv_id(block.arxiv_id),
        categories=tuple((block.value("Categories") or "").split()),
        venue=untex(block.value("Journal-ref") or "") or None,
        abstract=abstract,
        ids=ids,
        source=SourceRef(source, block.line, FORMAT),
        extra=extra,
    )


def extract(text: str, source: str, options: ExtractOptions) -> tuple[list[Record], list[str]]:
    blocks = _blocks(text.replace("\r\n", "\n").lstrip("\ufeff"))
    records, skipped, dated_by_id = [], [], 0
    for block in blocks:
        record = _record(block, source)
        if record is None:
            skipped.append(block.line)
            continue
        records.append(record)
        if _date(block) is None and record.date is not None:
            dated_by_id += 1
    notes = []
    if dated_by_id:
        notes.append(_ID_DATE_NOTE.format(count=dated_by_id))
    if skipped:
        where = ", ".join(map(str, skipped[:10])) + (", ..." if len(skipped) > 10 else "")
        notes.append(f"{len(skipped)} paper(s) with neither a title nor an abstract skipped (line(s) {where})")
    if not blocks:
        notes.append("no arXiv paper (a line opening with 'arXiv:' or 'Paper:' and an id) found")
    return records, notes


EXTRACTOR = Extractor(
    name=FORMAT,
    description="arXiv daily mailing (e-mail digest) text and arXiv .abs metadata files",
    detect=detect,
    extract=extract,
)
