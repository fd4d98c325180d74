"""Entity resolution: which records are the same paper, which names the same author or org.

Papers are matched on strong identifiers first (DOI, arXiv id without its
version), then on the normalised title, then on the normalised abstract; a
weaker key never joins two papers whose stronger keys disagree (two different
DOIs stay two papers even with one title). Authors are one node per name after
Unicode, whitespace and case normalisation; orgs one node per slug.

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
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from kg.records import Record
from kg.text import normalise_text, normalise_title, word_key

_ARXIV_VERSION_RE = re.compile(r"v\d+$")
_DOI_PREFIX_RE = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_ARXIV_PREFIX_RE = re.compile(r"^(?:https?://arxiv\.org/(?:abs|pdf)/|arxiv:\s*)", re.IGNORECASE)


def normalise_doi(doi: str) -> str:
    """Lower-case DOI without a resolver prefix ("10.1000/xyz")."""
    return _DOI_PREFIX_RE.sub("", doi.strip()).lower()


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


@cache
def _org_aliases() -> dict[str, str]:
    from kg.data import load_json

    table: dict[str, str] = {}
    for canonical, aliases in load_json("org_aliases.json")["orgs"].items():
        for name in (canonical, *aliases):
            table.setdefault(org_key(name), canonical)
    return table


def canonical_org(name: str, extra: dict[str, str] | None = None) -> str:
    """The canonical name of an org from the shipped alias table (and a user's), else the name itself.

    Examples
    --------
    >>> canonical_org("deepmind"), canonical_org("Google DeepMind"), canonical_org("Acme Labs")
    ('Google DeepMind', 'Google DeepMind', 'Acme Labs')
    """
    key = org_key(name)
    if extra and key in extra:
        return extra[key]
    return _org_aliases().get(key, name)


def paper_keys(record: Record) -> dict[str, str]:
    """The identity keys of a record, strongest first: doi, arxiv, title, abstract."""
    keys: dict[str, str] = {}
    if record.ids.get("doi"):
        keys["doi"] = normalise_doi(record.ids["doi"])
    if record.ids.get("arxiv"):
        keys["arxiv"] = normalise_arxiv_id(record.ids["arxiv"])
    if record.title and normalise_title(record.title):
        keys["title"] = normalise_title(record.title)
    if record.abstract:
        # The first words are enough to tell abstracts apart, and cheap to normalise
        # (an abstract cut short by a "see more" link still keys the same).
        keys["abstract"] = normalise_title(record.abstract[: _ABSTRACT_KEY_CHARS + 100])[:_ABSTRACT_KEY_CHARS]
    return {kind: value for kind, value in keys.items() if value}


KEY_ORDER = ("doi", "arxiv", "title", "abstract")
_ABSTRACT_KEY_CHARS = 300


@dataclass
class _Group:
    members: list[int]
    keys: dict[str, set[str]] = field(default_factory=dict)

    def conflicts(self, other: _Group, kinds: Sequence[str]) -> bool:
        """True when both groups have a key of one of ``kinds`` and share none of it."""
        return any(
            self.keys.get(kind) and other.keys.get(kind) and not (self.keys[kind] & other.keys[kind]) for kind in kinds
        )


def group_papers(records: Sequence[Record], keys: Sequence[dict[str, str]] | None = None) -> list[list[int]]:
    """Indexes of the records that are one paper, in order of first appearance.

    ``keys`` are the records' :func:`paper_keys`, when already computed.

    Examples
    --------
    >>> a = Record(title="Universal Transformers", ids={"arxiv": "1807.03819v3"})
    >>> b = Record(title="Universal transformers.")
    >>> c = Record(title="Universal Transformers", ids={"arxiv": "9999.99999"})
    >>> group_papers([a, b, c])
    [[0, 1], [2]]
    """
    groups: list[_Group] = []
    index_by_key: dict[tuple[str, str], int] = {}
    all_keys = keys if keys is not None else [paper_keys(record) for record in records]
    for position, keys in enumerate(all_keys):
        target: int | None = None
        for level, kind in enumerate(KEY_ORDER):
            if kind not in keys or (kind, keys[kind]) not in index_by_key:
                continue
            candidate = index_by_key[(kind, keys[kind])]
            incoming = _Group([position], {k: {v} for k, v in keys.items()})
            # A match on this key joins only if no stronger key disagrees.
            if not groups[candidate].conflicts(incoming, KEY_ORDER[:level]):
                target = candidate
                break
        if target is None:
            groups.append(_Group([position]))
            target = len(groups) - 1
        group = groups[target]
        if position not in group.members:
            group.members.append(position)
        for kind, value in keys.items():
            group.keys.setdefault(kind, set()).add(value)
            index_by_key.setdefault((kind, value), target)
    return [group.members for group in groups]


def paper_identity(records: Sequence[Record], members: Sequence[int], keys: Sequence[dict] | None = None) -> str:
    """The key a paper's IRI is minted from: its strongest key, the smallest on a tie."""
    keys = [keys[i] if keys is not None else paper_keys(records[i]) for i in members]
    for kind in KEY_ORDER:
        values = sorted(k[kind] for k in keys if kind in k)
        if values:
            return f"{kind}:{values[0]}"
    source = records[members[0]].source
    where = f"{source.path}:{source.line}" if source else "unknown"
    return f"record:{where}"
