"""The curated topic vocabulary (kg/data/topic_vocabulary.json) as spaCy PhraseMatchers.

Long forms match case-insensitively, with their plurals and with hyphens or
spaces; acronyms ("RL", "RNNs") match case-sensitively so that "rl" or "Gan"
inside ordinary words never count.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

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
    else:
        words = form.split()
        plurals = getInflection(words[-1], tag="NNS") if words[-1].isalpha() else ()
        forms.update(" ".join([*words[:-1], plural]) for plural in plurals)
    for variant in list(forms):
        if "-" in variant:
            forms.add(variant.replace("-", " "))
            forms.add(variant.replace("-", ""))
    return forms


def build_matchers(nlp):
    """Two PhraseMatchers over ``nlp``'s vocab: long forms on LOWER, acronyms on ORTH.

    Each match id is the preferred label's string hash, so a match maps back
    to its topic with ``nlp.vocab.strings[match_id]``.
    """
    from spacy.matcher import PhraseMatcher

    long_forms = PhraseMatcher(nlp.vocab, attr="LOWER")
    acronyms = PhraseMatcher(nlp.vocab, attr="ORTH")
    for entry in load_vocabulary():
        plain, upper = set(), set()
        for form in (entry.label, *entry.alt):
            for variant in _variants(form):
                (upper if is_acronym(form) else plain).add(variant)
        if plain:
            long_forms.add(entry.label, [nlp.make_doc(v) for v in sorted(plain)])
        if upper:
            acronyms.add(entry.label, [nlp.make_doc(v) for v in sorted(upper)])
    return long_forms, acronyms
