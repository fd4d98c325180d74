"""What a source says a paper is about: subjects of controlled schemes, and its own keywords.

**Subjects** are codes or headings of a classification a source gives: MeSH descriptors
(PubMed), OpenAlex topics, MSC and ACM classes (arXiv), Semantic Scholar fields of study,
Crossref subject areas, Web of Science categories and research areas, ANZSRC fields of research
(Dimensions). A record keeps them, as the source gives them, in ``record.extra["subjects"]``: a list
of ``{"scheme", "code", "label"}`` objects (code or label may be null), with an optional
``"broader"`` list of ``{"code", "label"}`` objects, nearest first, when the source names the
concept's parents (OpenAlex's subfield, field and domain). Every scheme is named in
``kg/data/subject_schemes.json``; ACM CCS 1998 ships its top levels (``kg/data/acm_ccs_1998.json``),
which name a code and give its parents (``I.2.6`` is under ``I.2`` Artificial intelligence, under
``I`` Computing Methodologies). MSC2020's names are licensed for non-commercial use only, so kg
ships none: an MSC code is named by itself, under the classes its digits give (``37K05`` under
``37Kxx``, under ``37-XX``). A code no taxonomy knows is kept with the label its source gave.

**Keywords** (``record.extra["keywords"]``: author keywords, tags, index terms; and
``record.extra["ai_keywords"]``, keywords a source's software assigned) become topics in kg's
own key space (:func:`kg.topics.normalize.topic_key`), so "Knowledge Graphs" from a source and
"knowledge graph" found in an abstract are one topic. A keyword that is empty, numeric only,
longer than :data:`MAX_KEYWORD_WORDS` words or :data:`MAX_KEYWORD_CHARS` characters, or junk
(:func:`kg.topics.junk.is_junk`: "results", "this paper") is no topic; a record gives at most
:data:`MAX_KEYWORDS_PER_RECORD` keyword topics (the first, as the source lists them: author
keywords come before index terms) and at most :data:`MAX_SUBJECTS_PER_RECORD` subjects.

Examples
--------
>>> [tuple(s) for s in subjects_of({"subjects": [{"scheme": "acm-ccs", "code": "I.2.6", "label": None}]})]
[('acm-ccs', 'I.2.6', None, ())]
>>> concept_name("acm-ccs", "I.2.6"), ancestors("acm-ccs", "I.2.6")
('Learning', ['I.2', 'I'])
>>> [(k.key, k.method) for k in keyword_topics({"keywords": ["Knowledge Graphs", "2019", "results"]})[0]]
[('knowledge graph', 'keyword')]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from functools import cache, lru_cache
from typing import Any, NamedTuple

from kg.data import load_json
from kg.topics.normalize import is_acronym, topic_key

MAX_SUBJECTS_PER_RECORD = 50
MAX_KEYWORDS_PER_RECORD = 20
MAX_KEYWORD_WORDS = 8
MAX_KEYWORD_CHARS = 100
_ACRONYM_CHARS = 5  # an all-capitals keyword longer than this is a word printed in capitals
# Where a record keeps its keywords, and the kg:method of the topics they give.
KEYWORD_FIELDS = (("keywords", "keyword"), ("ai_keywords", "ai-keyword"))
_MSC_LEAF_RE = re.compile(r"^(\d\d)([A-Z])(\d\d)$")
_MSC_CLASS_RE = re.compile(r"^(\d\d)([A-Z])xx$")
_MSC_SPECIAL_RE = re.compile(r"^(\d\d)-\d\d$")
_ANZSRC_RE = re.compile(r"^\d{2}(\d{2}){0,2}$")


class Subject(NamedTuple):
    """One subject of one record: its scheme, code and label as the source gave them, and its parents."""

    scheme: str
    code: str | None
    label: str | None
    broader: tuple[tuple[str | None, str | None], ...] = ()


class KeywordTopic(NamedTuple):
    """One keyword of one record as a topic: kg's key, the keyword as printed, and the kg:method."""

    key: str
    printed: str
    method: str


class TaxonomyEntry(NamedTuple):
    code: str
    label: str
    broader: str | None


@cache
def _schemes() -> dict[str, dict[str, Any]]:
    return dict(load_json("subject_schemes.json")["schemes"])


def scheme_label(scheme: str) -> str:
    """The name of a subject scheme's concept scheme (a scheme kg does not know is named by its id).

    Examples
    --------
    >>> scheme_label("mesh"), scheme_label("my-own-scheme")
    ('Medical Subject Headings (MeSH)', 'my-own-scheme')
    """
    return str(_schemes().get(scheme, {}).get("label") or scheme)


@cache
def _taxonomy(scheme: str) -> dict[str, TaxonomyEntry]:
    name = _schemes().get(scheme, {}).get("taxonomy")
    if not name:
        return {}
    concepts = load_json(name)["concepts"]
    return {c["code"]: TaxonomyEntry(c["code"], c["label"], c.get("broader")) for c in concepts}


def concept_name(scheme: str, code: str | None) -> str | None:
    """The name the scheme's shipped taxonomy gives ``code``, else None."""
    entry = _taxonomy(scheme).get(code) if code else None
    return entry.label if entry else None


def ancestors(scheme: str, code: str) -> list[str]:
    """The codes above ``code``, nearest first, from the taxonomy or from the code itself.

    MSC: ``37K05`` is under ``37Kxx``, under ``37-XX``; ACM CCS: ``I.2.6`` under ``I.2``, under
    ``I``; ANZSRC: ``461103`` under ``4611``, under ``46``.

    Examples
    --------
    >>> ancestors("msc", "37K05"), ancestors("msc", "05-01"), ancestors("anzsrc-for-2020", "4611")
    (['37Kxx', '37-XX'], ['05-XX'], ['46'])
    """
    if scheme == "msc":
        leaf, group, special = _MSC_LEAF_RE.match(code), _MSC_CLASS_RE.match(code), _MSC_SPECIAL_RE.match(code)
        if leaf:
            return [f"{leaf[1]}{leaf[2]}xx", f"{leaf[1]}-XX"]
        if group or special:
            return [f"{code[:2]}-XX"]
        return []
    if scheme == "acm-ccs":
        parts = code.split(".")
        return [".".join(parts[:n]) for n in range(len(parts) - 1, 0, -1)] if len(parts) > 1 else []
    if scheme.startswith("anzsrc-for") and _ANZSRC_RE.match(code):
        return [code[:n] for n in range(len(code) - 2, 0, -2)]
    taxonomy, chain, seen = _taxonomy(scheme), [], {code}
    entry = taxonomy.get(code)
    while entry is not None and entry.broader and entry.broader not in seen:
        chain.append(entry.broader)
        seen.add(entry.broader)
        entry = taxonomy.get(entry.broader)
    return chain


def _text(value: Any) -> str | None:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return " ".join(str(value).split()) or None
    return None


def subjects_of(extra: Mapping[str, Any]) -> list[Subject]:
    """The well-formed subjects of a record's ``extra`` (others are skipped), without repeats, capped.

    A subject needs a scheme and a code or a label.

    Examples
    --------
    >>> subjects_of({"subjects": [{"scheme": "mesh", "code": "D000818", "label": "Animals"},
    ...                           {"scheme": "mesh", "label": "Animals", "code": "D000818"}, {"code": "x"}, 7]})
    [Subject(scheme='mesh', code='D000818', label='Animals', broader=())]
    """
    raw = extra.get("subjects") if isinstance(extra, Mapping) else None
    if not isinstance(raw, list):
        return []
    found: dict[tuple, Subject] = {}
    for item in raw:
        if not isinstance(item, Mapping):
            continue
        scheme, code, label = _text(item.get("scheme")), _text(item.get("code")), _text(item.get("label"))
        if not scheme or not (code or label):
            continue
        parents = item.get("broader") if isinstance(item.get("broader"), list) else []
        broader = tuple(
            (_text(p.get("code")), _text(p.get("label")))
            for p in parents
            if isinstance(p, Mapping) and (_text(p.get("code")) or _text(p.get("label")))
        )
        found.setdefault((scheme, code, label), Subject(scheme, code, label, broader))
        if len(found) == MAX_SUBJECTS_PER_RECORD:
            break
    return list(found.values())


@lru_cache(maxsize=131072)
def _screen(keyword: str) -> str | None:
    """kg's key for one printed keyword, or None when it is no topic."""
    from kg.topics.junk import is_junk
    from kg.topics.vocabulary import key_to_label

    text = " ".join(keyword.split())
    if not text or not any(ch.isalpha() for ch in text):
        return None
    if len(text) > MAX_KEYWORD_CHARS or len(text.split()) > MAX_KEYWORD_WORDS:
        return None
    key = topic_key(text)
    vocabulary = key_to_label()
    if key in vocabulary:  # "RNNs" and "recurrent neural networks" are the vocabulary's one topic
        return topic_key(vocabulary[key])
    return None if not key or is_junk(key) else key


def keyword_topics(extra: Mapping[str, Any]) -> tuple[list[KeywordTopic], int, int]:
    """A record's keywords as topics; and how many were junk, and how many were over the cap.

    A keyword that a record lists twice (or as a keyword and as an AI keyword) gives one topic,
    with the method of its first listing.
    """
    if not isinstance(extra, Mapping):
        return [], 0, 0
    kept: dict[str, KeywordTopic] = {}
    junk = over = 0
    for field, method in KEYWORD_FIELDS:
        values = extra.get(field)
        if not isinstance(values, list):
            continue
        for value in values:
            if not isinstance(value, str):
                continue
            key = _screen(value)
            if key is None:
                junk += 1
            elif key in kept:
                continue
            elif len(kept) == MAX_KEYWORDS_PER_RECORD:
                over += 1
            else:
                kept[key] = KeywordTopic(key, " ".join(value.split()), method)
    return list(kept.values()), junk, over


def keyword_label(key: str, forms: Counter) -> str:
    """The label of a keyword topic: the vocabulary's name for it, else its most common printing.

    A printing in capitals ("NEURAL-NETWORKS", Web of Science's Keywords Plus) is lower-cased unless
    it is a short acronym ("DNA", "CMOS"); on a tie the printing that sorts first wins, so the
    label does not depend on the order of the inputs.

    Examples
    --------
    >>> keyword_label("knowledge graph", Counter({"Knowledge graphs": 2, "KNOWLEDGE GRAPH": 3}))
    'knowledge graph'
    >>> keyword_label("growth", Counter({"GROWTH": 3})), keyword_label("cmos", Counter({"CMOS": 1}))
    ('growth', 'CMOS')
    >>> keyword_label("recurrent neural network", Counter({"RNN": 1}))
    'recurrent neural network'
    """
    from kg.topics.vocabulary import key_to_label

    vocabulary = key_to_label()
    if key in vocabulary:
        return vocabulary[key]
    counted: Counter = Counter()
    for form, count in forms.items():
        shouting = form.isupper() and not (is_acronym(form) and len(form) <= _ACRONYM_CHARS)
        counted[form.lower() if shouting else form] += count
    return min(counted, key=lambda form: (-counted[form], form)) if counted else key
