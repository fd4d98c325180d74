"""The keys resolution compares: normalised identifiers, titles, names and org names.

Examples
--------
>>> normalise_title("Show, Attend and Tell:  Neural Image Caption")
'show attend and tell neural image caption'
>>> normalise_arxiv_id("arXiv:2306.12345v2")
'2306.12345'
>>> org_key("Amazon Science") == org_key("amazon-science")
True
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.records import Record
from kg.text import fold, normalise_text, normalise_title, split_initials, word_key
from kg.text import normalise_doi as _normalise_doi

_ARXIV_VERSION_RE = re.compile(r"v\d+$")
_ARXIV_PREFIX_RE = re.compile(r"^(?:https?://arxiv\.org/(?:abs|pdf)/|arxiv:\s*)", re.IGNORECASE)


def normalise_doi(doi: str) -> str:
    """Lower-case DOI without a resolver prefix or trailing punctuation ("10.1000/xyz").

    The one normaliser records use too (:func:`kg.text.normalise_doi`).

    Examples
    --------
    >>> normalise_doi("https://dx.doi.org/10.1000/XYZ).")
    '10.1000/xyz'
    """
    return _normalise_doi(doi)


def normalise_arxiv_id(arxiv_id: str) -> str:
    """arXiv id without prefix, ``.pdf`` or version suffix."""
    value = _ARXIV_PREFIX_RE.sub("", arxiv_id.strip()).removesuffix(".pdf")
    return _ARXIV_VERSION_RE.sub("", value)


def author_key(name: str) -> str:
    """The key of an author node: the name after Unicode, whitespace and case normalisation."""
    return normalise_text(name)


@lru_cache(maxsize=100_000)
def org_key(name: str) -> str:
    """The key of an org node: its slug ("Google DeepMind" -> "google-deepmind")."""
    return word_key(name)


def cited_author_key(name: str) -> str | None:
    """Family name and first initial: how author co-citation joins "KAMADA T", "Kamada T." and "Tomihisa Kamada".

    Examples
    --------
    >>> cited_author_key("KAMADA T"), cited_author_key("Tomihisa Kamada"), cited_author_key("Kamada, Tomihisa")
    ('kamada t', 'kamada t', 'kamada t')
    >>> cited_author_key("Van der Berg JA"), cited_author_key("Gemini Team")
    ('vanderberg j', 'team g')
    """
    text = " ".join(name.split())
    if not text:
        return None
    if "," in text:
        family, given = (part.strip() for part in text.split(",", 1))
    elif found := split_initials(text):
        family, given = found
    else:
        *given_names, family = text.split(" ")
        given = " ".join(given_names)
    family_key = "".join(ch for ch in fold(family) if ch.isalpha())
    initial = next((ch for ch in fold(given) if ch.isalpha()), "")
    return f"{family_key} {initial}".strip() or None


def paper_keys(record: Record) -> dict[str, str]:
    """The identity keys of a record, strongest first: doi, arxiv, title, abstract."""
    keys: dict[str, str] = {}
    if record.ids.get("doi"):
        keys["doi"] = normalise_doi(record.ids["doi"])
    if record.ids.get("arxiv"):
        keys["arxiv"] = normalise_arxiv_id(record.ids["arxiv"])
    if record.title:
        keys["title"] = normalise_title(record.title)
    if record.abstract:
        # The first words are enough to tell abstracts apart, and cheap to normalise
        # (an abstract cut short by a "see more" link still keys the same).
        keys["abstract"] = normalise_title(record.abstract[: _ABSTRACT_KEY_CHARS + 100])[:_ABSTRACT_KEY_CHARS]
    return {kind: value for kind, value in keys.items() if value}


KEY_ORDER = ("doi", "arxiv", "title", "abstract")
_ABSTRACT_KEY_CHARS = 300
