"""The curated topic vocabulary (kg/data/topic_vocabulary.json), found in the words of a text.

Long forms match case-insensitively, with their plurals and with hyphens, spaces
or neither ("fine-tuning", "fine tuning", "finetuning"); acronyms ("RL", "RNNs")
match case-sensitively so that "rl" or "Gan" inside ordinary words never count.
A hyphenated word is read part by part, so "Transformer-based" holds "Transformer".

Examples
--------
>>> from kg.topics.tagging import WORD_RE
>>> words = WORD_RE.findall("Fine-tuning RNNs for reinforcement learning (RL)")
>>> [form for _, _, _, form in vocabulary_index().find(words)]
['Fine-tuning', 'RNNs', 'reinforcement learning', 'RL']
>>> sorted({label for _, _, label, _ in vocabulary_index().find(words)})
['fine-tuning', 'recurrent neural network', 'reinforcement learning']
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate, chain

from kg.data import load_json
from kg.topics.normalize import is_acronym, topic_key


@dataclass(frozen=True)
class VocabularyEntry:
    """One topic: the preferred label and every other form."""

    label: str
    alt: tuple[str, ...]
    weak: bool = False

    @property
    def key(self) -> str:
        return topic_key(self.label)


@cache
def load_vocabulary() -> tuple[VocabularyEntry, ...]:
    """Every entry of the shipped vocabulary.

    Examples
    --------
    >>> entry = next(e for e in load_vocabulary() if e.label == "recurrent neural network")
    >>> entry.alt
    ('RNN',)
    """
    topics = load_json("topic_vocabulary.json")["topics"]
    return tuple(VocabularyEntry(t["label"], tuple(t["alt"]), bool(t.get("weak"))) for t in topics)


@cache
def weak_keys() -> frozenset[str]:
    """Keys of broad topics that need the title or a repeated mention to count."""
    return frozenset(entry.key for entry in load_vocabulary() if entry.weak)


@cache
def key_to_label() -> dict[str, str]:
    """Topic key of every form (label, alternatives, plurals) -> preferred label."""
    out: dict[str, str] = {}
    for entry in load_vocabulary():
        for form in (entry.label, *entry.alt):
            out.setdefault(topic_key(form), entry.label)
    return out


def _variants(form: str) -> set[str]:
    """A form as it may be printed: plural of its last word, hyphens and spaces swapped."""
    from lemminflect import getInflection

    forms = {form}
    if is_acronym(form):
        forms.add(form + "s")
    elif " " not in form and form[:1].isupper():
        pass  # a name ("Adam", the optimizer) has no plural: "Adams" is someone else
    else:
        words = form.split()
        plurals = getInflection(words[-1], tag="NNS") if words[-1].isalpha() else ()
        forms.update(" ".join([*words[:-1], plural]) for plural in plurals)
    for variant in list(forms):
        if "-" in variant:
            forms.add(variant.replace("-", " "))
            forms.add(variant.replace("-", ""))
    return forms


class VocabularyIndex:
    """Every printed form of the vocabulary by its word parts, to find them in a text's words."""

    def __init__(self, entries: tuple[VocabularyEntry, ...]) -> None:
        self._lower: dict[tuple[str, ...], str] = {}  # long forms, lower case
        self._exact: dict[tuple[str, ...], str] = {}  # acronyms, as printed
        for entry in entries:
            for form in (entry.label, *entry.alt):
                table = self._exact if is_acronym(form) else self._lower
                for variant in _variants(form):
                    parts = tuple(_PART_RE.split((variant if table is self._exact else variant.lower()).strip()))
                    table.setdefault(parts, entry.label)
        # The most parts a form beginning with each (lower-case) first part has.
        self._longest: dict[str, int] = {}
        for parts in [*self._lower, *((part.lower() for part in p) for p in self._exact)]:
            parts = tuple(parts)
            self._longest[parts[0]] = max(len(parts), self._longest.get(parts[0], 0))

    def find(self, words: Sequence[str]) -> list[tuple[int, int, str, str]]:
        """(first word, end word, label, printed form) of each vocabulary phrase in ``words``.

        Matches run from left to right, the longest at each place, and never overlap. A match may
        begin or end inside a hyphenated word; the word indices are those of the words it touches.
        """
        pieces = [_parts(word) if word[0].isalpha() else ("",) for word in words]  # "": no phrase runs across
        parts = list(chain.from_iterable(pieces))
        lowered = [_lower(part) for part in parts]
        ends = list(accumulate(len(word_parts) for word_parts in pieces))  # one past each word's last part
        found = []
        taken = 0  # parts before this are inside a match
        longest = self._longest
        for start in [i for i, part in enumerate(lowered) if part in longest]:
            if start < taken:
                continue
            for end in range(min(len(parts), start + longest[lowered[start]]), start, -1):
                label = self._lower.get(tuple(lowered[start:end])) or self._exact.get(tuple(parts[start:end]))
                if label is not None and all(parts[start:end]) and not _glued_to_a_code(parts, start, end):
                    first, last = bisect_right(ends, start), bisect_right(ends, end - 1)
                    form = " ".join("-".join(p for p in _parts(words[i]) if p) for i in range(first, last + 1))
                    if ends[last] - (end - start) != (ends[first - 1] if first else 0):
                        form = "-".join(parts[start:end])  # inside a hyphenated word: just the parts matched
                    found.append((first, last + 1, label, form))
                    taken = end
                    break
        return found


_PART_RE = re.compile(r"[\s\-‐‑]+")


def _glued_to_a_code(parts: list[str], start: int, end: int) -> bool:
    """A two-letter acronym hyphened to a number is a code, not the acronym: "KG-1a" cells, "AI-2"."""
    return end - start == 1 and len(parts[start]) <= 2 and end < len(parts) and parts[end][:1].isdigit()


@lru_cache(maxsize=262144)
def _parts(word: str) -> tuple[str, ...]:
    return tuple(_PART_RE.split(word)) if "-" in word or "‐" in word or "‑" in word else (word,)


@lru_cache(maxsize=262144)
def _lower(part: str) -> str:
    return part.lower()


@cache
def vocabulary_index() -> VocabularyIndex:
    """The index of the shipped vocabulary, built once."""
    return VocabularyIndex(load_vocabulary())
