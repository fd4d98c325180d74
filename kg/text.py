"""The text normalisers of kg, in one place: every layer cleans and compares text with these.

Examples
--------
>>> clean_space("  Show,\\u00a0Attend   and Tell ")
'Show, Attend and Tell'
>>> normalise_title("Show, Attend and Tell:  Neural Image Caption")
'show attend and tell neural image caption'
>>> fold("Çağlar Gülçehre"), slug("Çağlar Gülçehre")
('caglar gulcehre', 'caglar-gulcehre')
"""

from __future__ import annotations

import re
import unicodedata

# Characters no text field may hold: C0/C1 controls other than tab and line breaks (XML 1.0 forbids
# them), lone surrogates (not encodable as UTF-8) and the two noncharacters.
UNSAFE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_WORD_RE = re.compile(r"[^\W_]+")
# ASCII letters and digits kept, every other ASCII character a space: the words of ASCII text without a
# regular expression (four times as fast, and most titles are ASCII).
_ASCII_WORDS = str.maketrans({chr(code): chr(code) if chr(code).isalnum() else " " for code in range(128)})
_SLUG_RE = re.compile(r"[^a-z0-9]+")
_DOI_URL_RE = re.compile(r"^(?:https?://)?(?:dx\.|www\.)?doi\.org/", re.IGNORECASE)
_DOI_LABEL_RE = re.compile(r"^doi\s*:?\s*(?=10\.)", re.IGNORECASE)
# Where a second DOI starts in one field ("10.1/a, 10.2/b" or "10.1/a;10.2/b"): DOIs hold no whitespace.
_DOI_END_RE = re.compile(r"\s|[,;](?=\s*(?:doi:\s*|https?://\S*doi\.org/)?10\.\d{4,9}/)", re.IGNORECASE)
_DOI_TRAILING = ".,;:"
# A UTF-8 lead byte then a continuation byte, both read as Windows-1252 or Latin-1 ("Ã©" for "é"):
# text without such a pair has no mojibake that ftfy would undo, and skips its slower check.
_MOJIBAKE_PAIR_RE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def sanitize_text(text: str) -> str:
    """``text`` without control characters; a lone surrogate becomes U+FFFD.

    Examples
    --------
    >>> sanitize_text("a" + chr(1) + "b" + chr(0xD800) + "c") == "ab" + chr(0xFFFD) + "c"
    True
    """
    if not UNSAFE_RE.search(text):
        return text
    return UNSAFE_RE.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else "", text)


def clean_space(text: str) -> str:
    """Collapse runs of whitespace (including non-breaking spaces) to one space.

    Examples
    --------
    >>> clean_space("  a\\u00a0 b\\t")
    'a b'
    """
    return " ".join(text.split())


def normalise_text(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def normalise_title(title: str) -> str:
    """Case, punctuation and whitespace removed: the key two printings of one title share."""
    return " ".join(_words(title))


def word_key(text: str) -> str:
    """Words joined by hyphens, case and punctuation gone ("Google DeepMind" -> "google-deepmind")."""
    return "-".join(_words(text))


def _words(text: str) -> list[str]:
    """The words of ``text`` (runs of letters and digits), NFKC and case-folded: what sets words apart is the
    same whatever the spacing."""
    if text.isascii():  # NFKC leaves ASCII as it is, and case-folding it is lower-casing
        return text.lower().translate(_ASCII_WORDS).split()
    return _WORD_RE.findall(unicodedata.normalize("NFKC", text).casefold())


def fold(text: str) -> str:
    """Lower case without accents: "Gülçehre" -> "gulcehre"."""
    if text.isascii():  # nothing to decompose, no accent to drop
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def normalise_doi(doi: str) -> str:
    """A DOI as kg keeps it: no resolver prefix, lower case, no trailing punctuation.

    DOIs are case-insensitive; a field that lists several keeps the first. A closing
    parenthesis is punctuation only when it closes nothing in the DOI.

    Examples
    --------
    >>> normalise_doi(" https://doi.org/10.1103/PhysRevD.93.016005, ")
    '10.1103/physrevd.93.016005'
    >>> normalise_doi("doi:10.1000/XYZ."), normalise_doi("DOI: 10.1000/xyz)")
    ('10.1000/xyz', '10.1000/xyz')
    >>> normalise_doi("10.1016/0370-2693(95)00001-I)")
    '10.1016/0370-2693(95)00001-i'
    >>> normalise_doi("10.1002/(SICI)1097-4636(199706)35:4<1::AID>3.0.CO;2-H")
    '10.1002/(sici)1097-4636(199706)35:4<1::aid>3.0.co;2-h'
    >>> normalise_doi("10.1103/PhysRevD.93.016005;10.1103/PhysRevD.98.079901")
    '10.1103/physrevd.93.016005'
    """
    value = doi.strip()
    if _DOI_URL_RE.match(value):
        from urllib.parse import unquote

        value = unquote(_DOI_URL_RE.sub("", value))
    value = _DOI_LABEL_RE.sub("", value)
    value = _DOI_END_RE.split(value, maxsplit=1)[0]
    end = len(value)
    while end and (
        value[end - 1] in _DOI_TRAILING
        or (value[end - 1] == ")" and value.count(")", 0, end) > value.count("(", 0, end))
    ):
        end -= 1
    # Punctuation alone is no DOI to shorten (a real one starts "10."): it is kept as it came.
    return (value[:end] if end else value).lower()


def repair_text(text: str) -> tuple[str, bool]:
    """``text`` with mojibake repaired (UTF-8 read as Windows-1252 or Latin-1), and whether it changed.

    Only encoding mix-ups are undone (:func:`ftfy.fix_encoding`): correct accents,
    CJK, curly quotes and mathematical symbols are left as they are.

    Examples
    --------
    >>> repair_text("Ram\u00c3\u00adrez")
    ('Ramírez', True)
    >>> repair_text("Çağlar Gülçehre, ∀x ∈ ℝ, 深度学习")
    ('Çağlar Gülçehre, ∀x ∈ ℝ, 深度学习', False)
    """
    if text.isascii() or not _MOJIBAKE_PAIR_RE.search(text):
        return text, False
    try:
        from ftfy import fix_encoding
    except ImportError:  # pragma: no cover - ftfy is a dependency; without it, text is kept as read
        return text, False
    fixed = fix_encoding(text)
    return fixed, fixed != text


def slug(text: str, max_length: int = 60) -> str:
    """ASCII, lower-case, hyphen-separated form of ``text`` for IRIs.

    Examples
    --------
    >>> slug("Show, Attend and Tell")
    'show-attend-and-tell'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return _SLUG_RE.sub("-", ascii_text).strip("-")[:max_length].strip("-")


def shortened(label: str, chars: int = 40) -> str:
    """``label`` cut to ``chars`` characters (at a word where one ends near), with an ellipsis.

    Examples
    --------
    >>> shortened("Kelvin Xu")
    'Kelvin Xu'
    >>> shortened("White HD, 1998, J AM SOC INFORM SCI, V49, P327, DOI 10.1002/(SICI)1097-4571")
    'White HD, 1998, J AM SOC INFORM SCI,…'
    """
    if len(label) <= chars:
        return label
    head = label[: chars - 1]
    at_word = head.rsplit(" ", 1)[0]
    return (at_word if len(at_word) >= chars // 2 else head).rstrip() + "…"


_TRAILING_INITIALS_RE = re.compile(r"^(?P<family>.+?)\s+(?P<initials>(?:[A-Z]\.?-?\s*){1,4})$")


def split_initials(name: str) -> tuple[str, str] | None:
    """A name printed family first with initials after ("KAMADA T", "Burt R. S."): (family, initials), else None.

    How cited references print their authors (Web of Science, bibliometric exports).

    Examples
    --------
    >>> split_initials("Van der Berg JA"), split_initials("Burt R. S."), split_initials("Gemini Team")
    (('Van der Berg', 'JA'), ('Burt', 'R. S.'), None)
    """
    found = _TRAILING_INITIALS_RE.match(name.strip())
    return (found["family"], found["initials"].strip()) if found else None
