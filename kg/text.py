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
_NON_WORD_RE = re.compile(r"[\W_]+")
_SLUG_RE = re.compile(r"[^a-z0-9]+")


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
    return " ".join(_NON_WORD_RE.sub(" ", normalise_text(title)).split())


def word_key(text: str) -> str:
    """Words joined by hyphens, case and punctuation gone ("Google DeepMind" -> "google-deepmind")."""
    return "-".join(_NON_WORD_RE.sub(" ", normalise_text(text)).split())


def fold(text: str) -> str:
    """Lower case without accents: "Gülçehre" -> "gulcehre"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def slug(text: str, max_length: int = 60) -> str:
    """ASCII, lower-case, hyphen-separated form of ``text`` for IRIs.

    Examples
    --------
    >>> slug("Show, Attend and Tell")
    'show-attend-and-tell'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return _SLUG_RE.sub("-", ascii_text).strip("-")[:max_length].strip("-")
