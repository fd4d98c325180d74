"""Words and phrases that are never topics (kg/data/topic_stoplist.json): generic nouns, pronouns, filler.

Examples
--------
>>> is_junk("this paper"), is_junk("results"), is_junk("2019"), is_junk("ii"), is_junk("knowledge graph")
(True, True, True, True, False)
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from kg.data import load_json

_LETTER_RE = re.compile(r"[a-z]")
_ROMAN_RE = re.compile(r"[ivxl]{1,5}")


@cache
def stoplist() -> dict[str, frozenset[str]]:
    """The lists of the stoplist file by name ("never_topics", "trim_words", "pronouns", ...)."""
    data = load_json("topic_stoplist.json")
    return {key: frozenset(value) for key, value in data.items() if isinstance(value, list)}


@lru_cache(maxsize=262144)
def is_junk(key: str) -> bool:
    """True for topic keys that are never topics: generic nouns, pronouns, numbers, one letter, stop-word edges."""
    from spacy.lang.en.stop_words import STOP_WORDS

    words = key.split()
    stop = stoplist()
    if not words or key in stop["never_topics"] or any(w in stop["pronouns"] for w in words):
        return True
    if words[0] in STOP_WORDS or words[-1] in STOP_WORDS:
        return True  # "a novel approach", "learning of"
    if all(w in stop["never_topics"] or w in stop["trim_words"] or w in STOP_WORDS for w in words):
        return True
    if len(words) == 1 and _ROMAN_RE.fullmatch(key):
        return True  # "II", "iv": a part number
    return any(not _LETTER_RE.search(w) for w in words) or len(key) < 2
