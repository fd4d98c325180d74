"""Keys under which two printings of one topic meet: case, hyphens, plurals and acronyms.

Examples
--------
>>> topic_key("Recurrent Neural Networks"), topic_key("recurrent neural network")
('recurrent neural network', 'recurrent neural network')
>>> topic_key("RNNs"), topic_key("fine-tuning"), topic_key("dynamics")
('rnn', 'fine tuning', 'dynamics')
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from kg.data import load_json

_SPACE_RE = re.compile(r"[\s\-‐‑–_/]+")
_EDGE_RE = re.compile(r"^[^\w]+|[^\w+#]+$")


@cache
def _invariant() -> frozenset[str]:
    return frozenset(load_json("topic_stoplist.json")["never_singularize"])


@lru_cache(maxsize=262144)
def is_acronym(word: str) -> bool:
    """ "RNN", "LLMs", "S4", "ViT": mostly capitals, short, no spaces.

    Examples
    --------
    >>> is_acronym("LLMs"), is_acronym("Mamba"), is_acronym("S4")
    (True, False, True)
    """
    core = word[:-1] if word.endswith("s") and len(word) > 2 else word
    capitals = sum(1 for ch in core if ch.isupper())
    return (2 <= len(core) <= 8 and " " not in core and capitals >= 2) or (
        capitals == 1 and len(core) == 2 and core[1].isdigit()
    )


@lru_cache(maxsize=65536)
def singular(word: str) -> str:
    """The singular of an English noun, leaving invariant words ("data", "dynamics") alone.

    Examples
    --------
    >>> singular("networks"), singular("policies"), singular("LLMs"), singular("analysis"), singular("computing")
    ('network', 'policy', 'LLM', 'analysis', 'computing')
    >>> singular("kinases"), singular("ontologies"), singular("albicans"), singular("Networks")
    ('kinase', 'ontology', 'albicans', 'Network')
    """
    from lemminflect import getAllLemmas

    if is_acronym(word):
        return word[:-1] if word.endswith("s") and word[-2].isupper() else word
    if len(word) < 4 or not word.isalpha() or not word.endswith("s") or word.lower() in _invariant():
        return word  # only a plural changes: "computing" stays (lemminflect would give "compute")
    lower = word.lower()
    if lower.endswith(("ss", "is", "us")):
        return word  # "cytokinesis", "consensus", "glass": singular already
    known = getAllLemmas(lower).get("NOUN")
    if known:
        lemma = known[0]
        return word[: len(lemma)] if lower.startswith(lemma) else lemma if lemma[:1] == lower[:1] else word
    # A word the lexicon lacks: a technical plural ("kinases", "exons", "ontologies"), or a name or Latin
    # word that only ends in s ("Candida albicans", "Hudibras"), which stays.
    if lower.endswith(("ans", "as")):
        return word
    return word[:-3] + "y" if lower.endswith("ies") else word[:-1]


@lru_cache(maxsize=262144)
def inner_key(word: str) -> str:
    """A word's part of a topic key when it is not the last word: lower case, hyphens as spaces, not made singular.

    >>> inner_key("Peer-to-Peer"), inner_key("networks")
    ('peer to peer', 'networks')
    """
    return " ".join(_SPACE_RE.sub(" ", _EDGE_RE.sub("", word)).split()).lower()


@lru_cache(maxsize=262144)
def topic_key(phrase: str) -> str:
    """Lower-case, hyphens as spaces, last word singular, edge punctuation removed."""
    words = _SPACE_RE.sub(" ", _EDGE_RE.sub("", phrase.strip())).split()
    if not words:
        return ""
    words[-1] = singular(words[-1])
    return " ".join(words).lower()
