"""Which words of a title or abstract can be part of a term: nouns and their modifiers, guessed offline.

No trained model is needed: a word's possible parts of speech come from the English lexicon that
lemminflect ships, and a few context cues (``kg/data/phrase_grammar.json``) settle the words that
can be a noun or a verb ("we *model* the data" against "the *model* is"). A word the lexicon does
not know is read as a noun, or an adjective by its suffix, since in research text an unknown word
is most often a term ("wavelet", "eigenvalue"). When a trained spaCy pipeline has tagged the text,
its tags are used instead (:func:`roles_from_tags`).

Each word gets a role: :data:`NOUN` (can end a term), :data:`MODIFIER` (an adjective or a
participle, which can start one) or :data:`BREAK` (a stop word, verb, adverb, number or mark).

Examples
--------
>>> words, roles = tag_words("We model sliding mode control of distributed systems.")
>>> [(word, ROLE_NAMES[role]) for word, role in zip(words, roles)]
[('We', 'break'), ('model', 'break'), ('sliding', 'noun'), ('mode', 'noun'), ('control', 'noun'), \
('of', 'break'), ('distributed', 'modifier'), ('systems', 'noun'), ('.', 'break')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache

from kg.data import load_json
from kg.topics.normalize import is_acronym

BREAK, MODIFIER, NOUN = 0, 1, 2
ROLE_NAMES = {BREAK: "break", MODIFIER: "modifier", NOUN: "noun"}
# A word (letters first; inner hyphens kept, so "e-commerce" is one word), a number, a mark, a line end.
WORD_RE = re.compile(r"[^\W\d_](?:\w|[-‐](?=\w))*|\d[\w.,]*|[^\w\s]|\n")
# Tagged text: its words and marks, and the role of each.
Tagged = tuple[list[str], list[int]]


@cache
def _grammar() -> dict[str, frozenset[str] | tuple[str, ...]]:
    data = load_json("phrase_grammar.json")
    return {
        "verb_after": frozenset(data["verb_after"]),
        "verb_before": frozenset(data["verb_before"]),
        "gerund_verb_after": frozenset(data["gerund_verb_after"]),
        "fragments": frozenset(data["fragments"]),
        "adjective_suffixes": tuple(data["adjective_suffixes"]),
        "participle_suffixes": tuple(data["participle_suffixes"]),
        "verb_suffixes": tuple(data["verb_suffixes"]),
    }


@cache
def _stop_words() -> frozenset[str]:
    """English stop words, the function words of titles in other languages ("der", "und", "des"), and
    fragments of Latin phrases ("in vivo", "de novo")."""
    from spacy.lang.en.stop_words import STOP_WORDS

    data = load_json("phrase_grammar.json")
    return frozenset(STOP_WORDS) | frozenset(data["foreign_function_words"]) | frozenset(data["fragments"])


@lru_cache(maxsize=262144)
def lexical_class(word: str) -> str:
    """What the lexicon says a lower-case word can be: "noun", "adjective", "noun-verb", "adjective-verb",
    "participle", "verb", "adverb" or "stop".

    A hyphenated word is classed by its last part; a word the lexicon lacks, by its ending.

    Examples
    --------
    >>> lexical_class("wavelet"), lexical_class("neural"), lexical_class("model"), lexical_class("distributed")
    ('noun', 'adjective', 'noun-verb', 'participle')
    >>> lexical_class("eigenvalue"), lexical_class("nonlinear"), lexical_class("e-commerce"), lexical_class("the")
    ('noun', 'adjective', 'noun', 'stop')
    """
    from lemminflect import getAllLemmas

    if word in _stop_words():
        return "stop"
    last = word.rsplit("-", 1)[-1]
    grammar = _grammar()
    parts = set(getAllLemmas(last))
    if not parts:
        if last.endswith("ly"):
            return "adverb"
        if last.endswith(grammar["verb_suffixes"]):
            return "verb"  # "upregulates", "phosphorylates"
        if last.endswith(grammar["participle_suffixes"]) and len(last) > 5:
            return "participle"
        return "adjective" if last.endswith(grammar["adjective_suffixes"]) else "noun"
    noun = bool(parts & {"NOUN", "PROPN"})
    verb = bool(parts & {"VERB", "AUX"})
    if noun:
        return "noun-verb" if verb else "noun"
    if "ADJ" in parts:
        return "adjective-verb" if verb else "adjective"
    if verb:
        return "participle" if last.endswith(grammar["participle_suffixes"]) else "verb"
    return "adverb" if "ADV" in parts else "noun"


@lru_cache(maxsize=65536)
def known_word(word: str) -> bool:
    """True when the lexicon knows the lower-case word at all.

    >>> known_word("plant"), known_word("cmos")
    (True, False)
    """
    from lemminflect import getAllLemmas

    return bool(getAllLemmas(word))


@lru_cache(maxsize=65536)
def can_be_adjective(word: str) -> bool:
    """True when the lexicon knows a lower-case word as an adjective ("static", "parallel"), whatever else it is.

    Examples
    --------
    >>> can_be_adjective("static"), can_be_adjective("caching")
    (True, False)
    """
    from lemminflect import getAllLemmas

    return "ADJ" in getAllLemmas(word.rsplit("-", 1)[-1])


_ROMAN_RE = re.compile(r"(?=[IVXL]{2})L?X{0,3}(IX|IV|V?I{0,3})")


@lru_cache(maxsize=262144)
def _kind(word: str) -> str:
    """A printed word's lexical class; "mark" for what is no word of a term, "gerund" for an "-ing" participle."""
    if not word[0].isalpha() or len(word) < 2 or (len(word) == 2 and not word.isupper()) or _ROMAN_RE.fullmatch(word):
        return "mark"  # a mark, a letter, a roman numeral ("Part II")
    lower = word.lower()
    if is_acronym(word) and lower not in _stop_words():
        return "noun"
    kind = lexical_class(lower)
    return "gerund" if kind == "participle" and lower.endswith("ing") else kind


_IRREGULAR_PLURALS = frozenset({"people", "children", "men", "women", "mice", "feet", "teeth", "geese"})


@lru_cache(maxsize=65536)
def _plural_noun(word: str) -> bool:
    lower = word.lower()
    regular = lower.endswith("s") and not lower.endswith("ss") and _kind(word) in ("noun", "noun-verb")
    return regular or lower in _IRREGULAR_PLURALS


def tag_words(text: str) -> Tagged:
    """The words and marks of ``text``, and the role of each, guessed from the lexicon and context."""
    grammar = _grammar()
    verb_after, verb_before, gerund_after = grammar["verb_after"], grammar["verb_before"], grammar["gerund_verb_after"]
    words = WORD_RE.findall(text)
    roles = [BREAK] * len(words)
    previous = ""
    for index, word in enumerate(words):
        kind = _kind(word)
        if kind == "mark" or kind == "stop":
            previous = word.lower()
            continue
        if kind == "noun":
            role = NOUN
        elif kind == "adjective":
            role = MODIFIER
        elif (
            kind in ("verb", "adverb")
            or previous in verb_after
            or (previous in gerund_after and kind in ("gerund", "noun-verb", "adjective-verb") and word.endswith("ing"))
        ):
            role = BREAK  # "we model", "is based", "to learn", "by driving AKT activation"
        elif kind in ("noun-verb", "gerund"):
            # "sliding mode", "grid computing"; but "expressions involving", "brokers join": a verb after its subject
            role = BREAK if index and roles[index - 1] == NOUN and _plural_noun(words[index - 1]) else NOUN
        else:
            role = MODIFIER  # "distributed systems", "based"
        if role == MODIFIER and index and roles[index - 1] == NOUN and "-" in words[index - 1]:
            roles[index - 1] = MODIFIER  # "high-finesse optical cavity": a compound that modifies
        roles[index] = role
        previous = word.lower()
    for index in range(1, len(words)):
        if roles[index - 1] == NOUN and words[index].lower() in verb_before and _kind(words[index - 1]) != "noun":
            roles[index - 1] = BREAK  # "EDAS offers a", "by using the"
    return words, roles


def roles_from_tags(text: str, tags: Iterable[tuple[int, str]]) -> Tagged:
    """The words of ``text`` with roles from a tagger's (start offset, universal POS) pairs.

    A word the tagger split (a hyphenated one) takes the tag of its last part. Nouns and proper
    nouns end terms, adjectives modify; everything else breaks.

    Examples
    --------
    >>> roles_from_tags("Deep e-commerce", [(0, "ADJ"), (5, "NOUN"), (6, "PUNCT"), (7, "NOUN")])
    (['Deep', 'e-commerce'], [1, 2])
    """
    by_start = dict(tags)
    starts = sorted(by_start)
    words: list[str] = []
    roles: list[int] = []
    index = 0
    for match in WORD_RE.finditer(text):
        word, start, end = match.group(0), match.start(), match.end()
        while index < len(starts) and starts[index] < start:
            index += 1
        last = None
        while index < len(starts) and starts[index] < end:
            last = by_start[starts[index]]
            index += 1
        role = NOUN if last in ("NOUN", "PROPN") else MODIFIER if last == "ADJ" else BREAK
        words.append(word)
        roles.append(BREAK if _kind(word) in ("mark", "stop") else role)
    return words, roles
