"""Is this string shaped like a printed author name?

Extractors of plain-text pages use this to find where a title ends and the
author list begins. It judges shape only ("Peter J. Liu", "John D. Co-Reyes",
"The Theano Development Team"); normalising names is the resolver's job.

Examples
--------
>>> looks_like_name("Peter J. Liu"), looks_like_name("ReportRohan Anil")
(True, False)
>>> looks_like_name("Ludwig van Beethoven"), looks_like_name("van")
(True, False)
"""

from __future__ import annotations

from kg.data import load_json

_APOSTROPHES = "'\u2019"


def _word_list(key: str) -> frozenset[str]:
    return frozenset(load_json("names.json")[key])


def is_initial(token: str) -> bool:
    """True for "C.", "J.-P.", "J.R."."""
    if len(token) < 2 or not token[0].isupper() or not token.endswith("."):
        return False
    letters = token.replace("-", "").split(".")[:-1]
    return all(len(p) == 1 and p.isalpha() and p.isupper() for p in letters)


def is_name_word(token: str) -> bool:
    """True for a capitalised name word: "Xu", "Co-Reyes", "McDonald", "O'Brien", "Gülçehre"."""
    parts = token.split("-")
    if not parts[0]:
        return False
    for index, part in enumerate(parts):
        if not part:
            return False
        if index > 0 and part.isalpha() and part.islower():
            continue  # "Chun-liang"
        if not _is_capitalised_part(part):
            return False
    return True


def _is_capitalised_part(part: str) -> bool:
    for prefix in _word_list("camel_prefixes"):
        rest = part[len(prefix) :]
        if part.startswith(prefix) and len(rest) > 1 and rest[0].isupper():
            part = rest
            break
    if not part[0].isalpha() or not part[0].isupper():
        return False
    tail = part[1:]
    return all((ch.isalpha() and ch.islower()) or ch in _APOSTROPHES for ch in tail) and not tail.endswith(
        tuple(_APOSTROPHES)
    )


def looks_like_name(text: str, min_tokens: int = 1, max_tokens: int = 6) -> bool:
    """True when ``text`` is shaped like one printed person or group name."""
    tokens = text.split()
    if not min_tokens <= len(tokens) <= max_tokens:
        return False
    particles = _word_list("particles")
    suffixes = _word_list("suffixes")
    for index, token in enumerate(tokens):
        first, last = index == 0, index == len(tokens) - 1
        if token in particles:
            if first or last:
                return False
        elif token in suffixes:
            if first:
                return False
        elif not (is_initial(token) or is_name_word(token)):
            return False
    return True
