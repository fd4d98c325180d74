"""Author resolution: which printed names are one person, merged only on evidence, and why.

Rules, in order (each merge is recorded with its rule and evidence):

1. the same name after Unicode, whitespace and case normalisation is one
   person, unless an identifier says otherwise (two ORCIDs, two dblp homonym
   numbers). Semantic Scholar author ids join names but never split them:
   measured on our labelled pairs, they split one person into several ids
   in 40 of 42 cases;
2. ``same ORCID`` and ``same source id`` (Semantic Scholar author id) join
   any two names;
3. ``compatible names`` ("A. M. Dai" / "Andrew M. Dai" / "Dai, Andrew M.",
   accents ignored) join only with evidence: the same position on one paper
   (two sources listing the same paper), a shared co-author, a shared
   affiliation, or, when no initial is involved, a shared topic;
4. a user's alias file forces (``same``) or forbids (``different``) merges,
   and a forbidden pair is never joined by any rule.

A merge that would put two incompatible full names in one person ("Andrew"
and "Alice" through "A.") is refused.

Examples
--------
>>> compatible(parse_name("A. M. Dai"), parse_name("Andrew M. Dai"))
True
>>> compatible(parse_name("Andrew Dai"), parse_name("Alice Dai"))
False
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from kg.records import Record
from kg.resolve.aliases import Aliases
from kg.resolve.keys import author_key, org_key
from kg.text import fold

_DBLP_NUMBER_RE = re.compile(r"\s+(\d{4})$")
_TOKEN_RE = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class PersonName:
    """A printed name split for comparison: folded given-name tokens, family name, dblp number."""

    given: tuple[str, ...]
    family: str
    number: str | None

    @property
    def block(self) -> tuple[str, str]:
        """Names that could be one person share this (family name, first initial)."""
        return (self.family, self.given[0][0] if self.given else "")

    @cached_property
    def signature(self) -> tuple[str, str]:
        """How a co-author is recognised across printings: family name and every initial."""
        return (self.family, "".join(g[0] for g in self.given))


@lru_cache(maxsize=200_000)
def parse_name(name: str) -> PersonName:
    """Split a printed name ("Dai, Andrew M.", "A. M. Dai", "Markus Schmitt 0002").

    Examples
    --------
    >>> parse_name("Dai, Andrew M.")
    PersonName(given=('andrew', 'm'), family='dai', number=None)
    >>> parse_name("Markus Schmitt 0002").number
    '0002'
    """
    from nameparser import HumanName

    number = None
    match = _DBLP_NUMBER_RE.search(name)
    if match:
        number, name = match.group(1), name[: match.start()]
    simple = _split_simple(name)
    if simple is not None:
        title, first, middle, last = "", *simple
    else:
        parsed = HumanName(name)
        title, first, middle, last = parsed.title, parsed.first, parsed.middle, parsed.last
    # "Md." or "Sheikh" are part of many names, not titles to drop; "Dr." and "Prof." are.
    title = "" if fold(title).strip(". ") in _HONORIFICS else title
    given = _given_tokens(fold(f"{title} {first} {middle}"))
    family = " ".join(_TOKEN_RE.findall(fold(last))) or " ".join(given[-1:])
    if not last and given:
        given = given[:-1]
    return PersonName(given, family, number)


# Words of letters (inner hyphens and apostrophes allowed), or an initial with its period.
_SIMPLE_TOKEN_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|[^\W\d_]\.")


@lru_cache(maxsize=1)
def _nameparser_words() -> frozenset[str]:
    from nameparser.config import CONSTANTS

    words = set()
    for group in ("titles", "first_name_titles", "prefixes", "non_first_name_prefixes", "bound_first_names",
                  "suffix_acronyms", "suffix_not_acronyms", "suffix_acronyms_ambiguous", "conjunctions"):  # fmt: skip
        words.update(str(word).lower().strip(".") for word in getattr(CONSTANTS, group, ()))
    return frozenset(words)


def _split_simple(name: str) -> tuple[str, str, str] | None:
    """(first, middle, last) of a plain "Given [Middle...] Family" name, as nameparser would split it.

    nameparser costs ~0.4 ms a name, which is minutes at a million authors; most printed names
    need none of its rules (no comma, title, suffix, particle, nickname or digit), and for those
    its answer is first token, middle tokens, last token (a test checks this on real names).
    """
    tokens = name.split()
    if not 2 <= len(tokens) <= 4:
        return None
    words = _nameparser_words()
    for position, token in enumerate(tokens):
        if not _SIMPLE_TOKEN_RE.fullmatch(token):
            return None
        initial = len(token) == 2 and token[1] == "." and position < len(tokens) - 1  # "E." is no conjunction
        if not initial and token.lower().strip(".") in words:
            return None
    return tokens[0], " ".join(tokens[1:-1]), tokens[-1]


_MERGED_SETS = ("parsed", "keys", "orcids", "source_ids", "numbers", "coauthors", "records", "orgs", "topics")
_HONORIFICS = {"dr", "prof", "professor", "mr", "mrs", "ms", "miss", "sir", "dame", "rev", "hon"}


def _given_tokens(text: str) -> tuple[str, ...]:
    """Given-name tokens: "Hong-Hong" is one name ("honghong"), "J.-P." two initials."""
    tokens: list[str] = []
    for word in text.replace(".", ". ").split():
        parts = _TOKEN_RE.findall(word)
        if len(parts) > 1 and all(len(p) > 1 for p in parts):
            tokens.append("".join(parts))
        else:
            tokens.extend(parts)
    return tuple(tokens)


def compatible(a: PersonName, b: PersonName) -> bool:
    """Could these be one person's name? Same family name; given names equal or initial-of, in order."""
    if a.family != b.family or not a.family:
        return False
    if a.number and b.number and a.number != b.number:
        return False
    for x, y in zip(a.given, b.given, strict=False):
        if x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y)):
            continue
        return False
    return True


def _initials_only(a: PersonName, b: PersonName) -> bool:
    return any(len(x) == 1 or len(y) == 1 for x, y in zip(a.given, b.given, strict=False)) or not (a.given and b.given)


@dataclass(frozen=True)
class Merge:
    """One recorded merge: the name that joined, the rule, the evidence."""

    variant: str
    into: str
    rule: str
    evidence: tuple[str, ...] = ()


@dataclass
class _Cluster:
    names: dict[str, int] = field(default_factory=dict)  # printed name -> mentions
    parsed: set[PersonName] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    orcids: set[str] = field(default_factory=set)
    source_ids: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)
    coauthors: set[tuple[str, str]] = field(default_factory=set)
    records: set[int] = field(default_factory=set)
    orgs: set[str] = field(default_factory=set)
    topics: set[str] = field(default_factory=set)


@dataclass
class AuthorResolution:
    """Which person each author mention is, the people's names, and the merges made."""

    person_of: dict[tuple[int, int], int]
    display: dict[int, str]
    merges: dict[int, list[Merge]]
    identity: dict[int, str] = field(default_factory=dict)

    def person(self, record: int, position: int) -> int:
        return self.person_of[(record, position)]


def _mention_key(name: str) -> str:
    """The name's normalised key, with a dblp homonym number kept apart ("markus schmitt#0002")."""
    parsed = parse_name(name)
    key = author_key(_DBLP_NUMBER_RE.sub("", name))
    return f"{key}#{parsed.number}" if parsed.number else key


def resolve_authors(
    records: Sequence[Record], aliases: Aliases | None = None, paper_groups: Sequence[Sequence[int]] = ()
) -> AuthorResolution:
    """Group the author mentions of ``records`` into people (see the module's rules).

    ``paper_groups`` lists the records that are one paper (:func:`kg.resolve.keys.group_papers`):
    compatible names at the same position of one paper are one person.
    """
    aliases = aliases or Aliases()
    clusters: list[_Cluster] = []
    parent: list[int] = []
    merges: defaultdict[int, list[Merge]] = defaultdict(list)
    by_key: dict[tuple[str, str | None, str | None], int] = {}
    mention_cluster: dict[tuple[int, int], int] = {}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r, record in enumerate(records):
        s2_ids = record.extra.get("s2_author_ids") if isinstance(record.extra.get("s2_author_ids"), list) else []
        signatures = {parse_name(a.name).signature for a in record.authors}
        for j, author in enumerate(record.authors):
            source_id = f"s2:{s2_ids[j]}" if j < len(s2_ids) and s2_ids[j] else None
            key = _mention_key(author.name)
            # Same name but two ORCIDs: two people from the start. Source ids (Semantic
            # Scholar's) are trusted to join names, never to split them: they over-split.
            identity = (key, author.orcid, None) if author.orcid else (key, None, None)
            index = by_key.get(identity)
            if index is None:
                plain = by_key.get((key, None, None))
                clash = plain is not None and author.orcid and clusters[plain].orcids - {author.orcid}
                index = plain if plain is not None and not clash else None
            if index is None:
                index = len(clusters)
                clusters.append(_Cluster())
                parent.append(index)
            by_key.setdefault(identity, index)
            by_key.setdefault((key, None, None), index)
            cluster = clusters[index]
            cluster.names[author.name] = cluster.names.get(author.name, 0) + 1
            parsed = parse_name(author.name)
            cluster.parsed.add(parsed)
            cluster.keys.add(key)
            if author.orcid:
                cluster.orcids.add(author.orcid)
            if source_id:
                cluster.source_ids.add(source_id)
            if parsed.number:
                cluster.numbers.add(parsed.number)
            cluster.coauthors.update(signatures - {parsed.signature})
            cluster.records.add(r)
            cluster.orgs.update(org_key(a) for a in author.affiliations if org_key(a))
            cluster.topics.update(record.categories)
            mention_cluster[(r, j)] = index

    def forbidden(a: _Cluster, b: _Cluster) -> str | None:
        if any(frozenset((x, y)) in aliases.different_author_keys for x in a.keys for y in b.keys):
            return "user alias: different"
        if a.records & b.records:
            return "co-authors of one paper"
        if a.orcids and b.orcids and not a.orcids & b.orcids:
            return "different ORCIDs"
        if a.numbers and b.numbers and not a.numbers & b.numbers:
            return "different dblp numbers"
        if not all(compatible(x, y) or x.family != y.family for x in a.parsed for y in b.parsed):
            return "incompatible given names"
        return None

    def union(a: int, b: int, rule: str, evidence: tuple[str, ...]) -> bool:
        ra, rb = find(a), find(b)
        if ra == rb:
            return False
        ca, cb = clusters[ra], clusters[rb]
        if rule != "user alias: same" and forbidden(ca, cb):
            return False
        larger = (len(ca.names), sum(ca.names.values())) >= (len(cb.names), sum(cb.names.values()))
        keep, gone = (ra, rb) if larger else (rb, ra)
        kept, merged = clusters[keep], clusters[gone]
        for name in sorted(merged.names):
            merges[keep].append(Merge(name, "", rule, evidence))  # "into" is filled in once all merges are made
        merges[keep].extend(merges.pop(gone, []))
        for attribute in (
            "parsed",
            "keys",
            "orcids",
            "source_ids",
            "numbers",
            "coauthors",
            "records",
            "orgs",
            "topics",
        ):
            getattr(kept, attribute).update(getattr(merged, attribute))
        for name, count in merged.names.items():
            kept.names[name] = kept.names.get(name, 0) + count
        parent[gone] = keep
        return True

    # Rule 2: identifiers shared across different names.
    for attribute, rule in (("orcids", "same ORCID"), ("source_ids", "same source id")):
        owner: dict[str, int] = {}
        for index, cluster in enumerate(clusters):
            for value in sorted(getattr(cluster, attribute)):
                if value in owner:
                    union(owner[value], index, rule, (value,))
                else:
                    owner[value] = index
    # Same paper, same position, compatible names: the strongest evidence short of an identifier.
    for members in paper_groups:
        for a, b in itertools.pairwise(members):
            title = records[a].title or records[b].title or "one paper"
            for j in range(min(len(records[a].authors), len(records[b].authors))):
                x, y = mention_cluster[(a, j)], mention_cluster[(b, j)]
                if compatible(parse_name(records[a].authors[j].name), parse_name(records[b].authors[j].name)):
                    union(x, y, "same paper, same position", (title,))
    # Rule 4 (forcing): the user's "same" groups.
    key_to_cluster = {key: i for i, c in enumerate(clusters) for key in c.keys}
    for group in aliases.same_authors:
        present = [key_to_cluster[author_key(n)] for n in group if author_key(n) in key_to_cluster]
        for other in present[1:]:
            union(present[0], other, "user alias: same", tuple(group))
    # Rule 3: compatible names with evidence, block by block.
    blocks: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
    for index, cluster in enumerate(clusters):
        for parsed in cluster.parsed:
            blocks[parsed.block].append(index)
    for block in sorted(blocks):
        members = sorted(set(blocks[block]))
        for position, a in enumerate(members):
            for b in members[position + 1 :]:
                ca, cb = clusters[find(a)], clusters[find(b)]
                if find(a) == find(b):
                    continue
                pairs = [(x, y) for x in ca.parsed for y in cb.parsed if compatible(x, y)]
                if not pairs:
                    continue
                evidence, rule = _evidence(ca, cb, pairs)
                if evidence:
                    union(a, b, rule, evidence)
    roots = sorted({find(i) for i in range(len(clusters))})
    number = {root: n for n, root in enumerate(roots)}
    display = {root: _display(clusters[root]) for root in roots}
    return AuthorResolution(
        person_of={mention: number[find(index)] for mention, index in mention_cluster.items()},
        display={number[root]: display[root] for root in roots},
        merges={
            number[root]: [dataclasses.replace(m, into=display[root]) for m in merges[root]]
            for root in roots
            if merges.get(root)
        },
        identity={number[root]: _identity(clusters[root]) for root in roots},
    )


def _identity(cluster: _Cluster) -> str:
    """What tells this person apart from a namesake: identifiers, else the name keys."""
    return "|".join(sorted(cluster.orcids | cluster.source_ids | cluster.numbers) or sorted(cluster.keys))


def _evidence(a: _Cluster, b: _Cluster, pairs) -> tuple[tuple[str, ...], str]:
    shared_coauthors = sorted(a.coauthors & b.coauthors)
    if shared_coauthors:
        names = tuple(f"{'. '.join(initials.upper())}. {family.title()}" for family, initials in shared_coauthors[:5])
        return names, "compatible names + shared co-author"
    shared_orgs = sorted(a.orgs & b.orgs)
    if shared_orgs:
        return tuple(shared_orgs[:5]), "compatible names + shared affiliation"
    shared_topics = sorted(a.topics & b.topics)
    if shared_topics and not any(_initials_only(x, y) for x, y in pairs):
        return tuple(shared_topics[:5]), "compatible names + shared topic"
    return (), ""


def _display(cluster: _Cluster) -> str:
    """The most informative printing: the longest given names, then the most used, then alphabetical."""
    return max(sorted(cluster.names), key=lambda n: (sum(len(t) for t in parse_name(n).given), cluster.names[n]))
