"""Candidate key phrases of one paper, each weighed by where and how often its words occur.

Candidates are the noun phrases of the title and abstract: a run of modifiers and nouns that
ends in a noun ("distributed sliding mode control"), and every shorter phrase inside it that
also ends in a noun ("sliding mode control", "mode control", "control"), so that a term printed
inside a longer phrase is found too. Leading filler ("novel", "proposed") is trimmed and junk
("this paper", "results") dropped (:func:`kg.topics.junk.is_junk`).

Each word is weighed as PositionRank does (Florescu and Caragea, ACL 2017): a PageRank over the
graph of words that occur within ``window`` words of each other, biased towards words that occur
early and often (each occurrence adds 1 / its position, so the title counts most). A phrase's
weight is the sum of its words' weights. The ranking across a corpus is in :mod:`kg.topics.finder`.

Examples
--------
>>> found = read_candidates("Sliding mode control of robots", "We study sliding mode control for robots.")
>>> [(c.label, c.count, c.standalone, c.in_title) for c in found if c.words > 1]
[('sliding mode', 2, 0, True), ('sliding mode control', 2, 2, True), ('mode control', 2, 0, True)]
>>> [c.label for c in found if c.standalone]
['sliding mode control', 'robot']
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from kg.topics.junk import is_junk as _is_junk
from kg.topics.junk import stoplist
from kg.topics.normalize import inner_key, is_acronym, singular, topic_key
from kg.topics.tagging import (
    BREAK,
    MODIFIER,
    NOUN,
    WORD_RE,
    Tagged,
    can_be_adjective,
    known_word,
    lexical_class,
    tag_words,
)

MAX_WORDS = 4  # a longer noun phrase keeps its last four words ("... of the art") as its candidate
WINDOW = 10  # words within this distance are linked in the word graph (PositionRank's setting)
DAMPING = 0.85


class Candidate(NamedTuple):
    """One candidate phrase of one paper.

    ``weight`` is the sum of its words' position-biased PageRank; ``count`` how often it occurs,
    inside longer phrases too; ``standalone`` how often it is a whole noun phrase by itself.
    """

    key: str
    form: str
    weight: float
    words: int
    count: int
    standalone: int
    in_title: bool

    @property
    def label(self) -> str:
        """The form as a label (:func:`display_label`)."""
        return display_label(self.form)


def _trim_words() -> frozenset[str]:
    return stoplist()["trim_words"]


_NO_FACTS = ("", "", False, False, False, False)


@lru_cache(maxsize=262144)
def _word_facts(word: str) -> tuple[str, str, bool, bool, bool, bool]:
    """(key as a last word, key inside a phrase with its space, filler, plain noun, can be a term alone,
    a verb's "-ing" form and nothing else)."""
    acronym = is_acronym(word)
    lower = word.lower()
    kind = lexical_class(lower)
    plain_noun = acronym or kind == "noun"
    alone = acronym or not can_be_adjective(lower)
    gerund = not acronym and kind == "participle" and lower.endswith("ing")
    return topic_key(word), inner_key(word) + " ", lower in _trim_words(), plain_noun, alone, gerund


@lru_cache(maxsize=65536)
def _printed_acronym(word: str) -> bool:
    """An acronym as printed ("CMOS", "LLMs"), not a word set in capitals ("PLANT", "GRAPH")."""
    return is_acronym(word) and not (len(word) > 3 and word.isalpha() and word.isupper() and known_word(word.lower()))


def display_label(form: str) -> str:
    """A printed phrase as a label: lower case but for acronyms, hyphens kept, the last word singular.

    Examples
    --------
    >>> display_label("Analog-to-Digital Converters"), display_label("recurrent neural networks (RNNs)")
    ('analog-to-digital converter', 'recurrent neural networks (RNNs)')
    >>> display_label("LLMs"), display_label("E-Commerce"), display_label("GRAPH Topology")
    ('LLM', 'e-commerce', 'graph topology')
    """
    words = [word if _printed_acronym(word) else word.lower() for word in form.split()]
    if words:
        words[-1] = singular(words[-1])
    return " ".join(words)


def noun_phrases(words: Sequence[str], roles: Sequence[int]) -> list[tuple[int, int]]:
    """(first, end) word indices of each maximal run of modifiers then nouns, filler trimmed from its start.

    Examples
    --------
    >>> from kg.topics.tagging import tag_words
    >>> words, roles = tag_words("a novel fuzzy logic controller for nonlinear systems")
    >>> [" ".join(words[a:b]) for a, b in noun_phrases(words, roles)]
    ['fuzzy logic controller', 'nonlinear systems']
    """
    trim = _trim_words()
    spans: list[tuple[int, int]] = []
    index, size = 0, len(words)
    while index < size:
        if roles[index] == BREAK:
            index += 1
            continue
        nouns_from = index
        while nouns_from < size and roles[nouns_from] == MODIFIER:
            nouns_from += 1
        end = nouns_from
        while end < size and roles[end] == NOUN:
            end += 1
        if end == nouns_from:  # modifiers with no noun after them
            index = max(nouns_from, index + 1)
            continue
        first = max(index, end - MAX_WORDS)
        while first < end - 1 and words[first].lower() in trim:
            first += 1
        if end - first > 1 or words[first].lower() not in trim:
            spans.append((first, end))
        index = end
    return spans


def read_candidates(title: str, abstract: str = "", tagged: Tagged | None = None, is_junk=None) -> list[Candidate]:
    """The candidate phrases of a title and abstract, in order of first occurrence.

    Parameters
    ----------
    title, abstract : str
        The paper's title and abstract.
    tagged : (words, roles), optional
        The words of ``f"{title}\\n\\n{abstract}"`` already tagged (by a trained pipeline,
        :func:`kg.topics.tagging.roles_from_tags`); by default tagged here from the lexicon.
    is_junk : callable, optional
        Keys that are never topics; by default :func:`kg.topics.junk.is_junk`.
    """
    is_junk = is_junk or _is_junk
    words, roles = tagged or tag_words(f"{title}\n\n{abstract}")
    title_words = len(WORD_RE.findall(title))
    # Each word's key as the last word of a phrase and inside one, whether it is filler, whether it can end
    # a term inside a longer phrase ("image" of "image compression" cannot), and whether it can be a term
    # alone ("static", "parallel" cannot: they can be adjectives).
    facts = [_word_facts(word) if role != BREAK else _NO_FACTS for word, role in zip(words, roles, strict=True)]
    word_keys = [fact[0] for fact in facts]
    weights = _word_weights(words, roles, word_keys)
    found: dict[str, list] = {}
    for first, end in noun_phrases(words, roles):
        for start in range(first, end):
            if start > first and facts[start][2]:
                continue
            prefix = ""  # the key's words before the last, each with its space
            for stop in range(start + 1, end + 1):
                last = stop - 1
                _, inner, _, ends_inside, alone, _ = facts[last]
                if roles[last] == NOUN and (stop == end or ends_inside) and (last > start or alone):
                    key = prefix + word_keys[last]  # as kg.topics.normalize.topic_key keys the printed phrase
                    if not is_junk(key):
                        entry = found.get(key)
                        if entry is None:
                            weight = sum(weights.get(word_keys[i], 0.0) for i in range(start, stop))
                            form = " ".join(words[start:stop])
                            rest = key[len(facts[start][1]) :] if facts[start][5] and stop - start > 1 else None
                            entry = found[key] = [form, weight, stop - start, 0, 0, start < title_words, rest]
                        entry[3] += 1
                        entry[4] += start == first and stop == end
                prefix += inner
    for key, entry in list(found.items()):
        rest = found.get(entry[6]) if entry[6] else None
        if rest is not None and rest[3] > entry[3]:
            # "Employing plant functional groups", when the groups occur without it too: a verb and its
            # object, not a term ("sliding mode control", whose "mode control" never occurs alone, stays).
            rest[4] += entry[4]
            del found[key]
    return [
        Candidate(key, form, weight, size, count, standalone, in_title)
        for key, (form, weight, size, count, standalone, in_title, _) in found.items()
    ]


def _word_weights(words: Sequence[str], roles: Sequence[int], word_keys: Sequence[str]) -> dict[str, float]:
    """Each noun's or modifier's PageRank in the co-occurrence graph, biased to early, frequent words."""
    import igraph
    import numpy

    node_of: dict[str, int] = {}
    bias: list[float] = []
    positions: list[int] = []
    nodes: list[int] = []
    position = 0
    for word, role, key in zip(words, roles, word_keys, strict=True):
        if not word[0].isalnum():
            continue  # marks and line ends take no position
        position += 1
        if role == BREAK or not key:
            continue
        node = node_of.setdefault(key, len(node_of))
        if node == len(bias):
            bias.append(0.0)
        bias[node] += 1.0 / position
        positions.append(position)
        nodes.append(node)
    size = len(node_of)
    if not size:
        return {}
    at = numpy.array(positions)
    ids = numpy.array(nodes)
    apart = at[None, :] - at[:, None]  # words under WINDOW apart in the text co-occur
    first, second = ((apart > 0) & (apart < WINDOW) & (ids[None, :] != ids[:, None])).nonzero()
    low, high = numpy.minimum(ids[first], ids[second]), numpy.maximum(ids[first], ids[second])
    counts = numpy.bincount(low * size + high, minlength=size * size)
    pairs = counts.nonzero()[0]
    graph = igraph.Graph(n=size, edges=numpy.stack(numpy.divmod(pairs, size), axis=1).tolist(), directed=False)
    ranks = graph.personalized_pagerank(damping=DAMPING, reset=bias, weights=counts[pairs].tolist())
    return dict(zip(node_of, ranks, strict=True))
