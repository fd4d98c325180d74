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

import bisect
import functools
import hashlib
import heapq
import itertools
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from kg.errors import UsageError
from kg.io.memory import collector_paused
from kg.io.version import code_version
from kg.progress import Progress, Tally
from kg.records import Record
from kg.resolve.aliases import Aliases
from kg.resolve.clusterings import KeptClusterings, KeptPeople, RankedJoin, RankedSplit
from kg.resolve.keys import author_key, org_key
from kg.sizes import size_class
from kg.text import fold, normalise_text

_DBLP_NUMBER_RE = re.compile(r"\s+(\d{4})$")
# Two or three letters alone ("GM", "JAB"): initials printed together when they are capitals.
_RUN_INITIALS_RE = re.compile(r"(?<![\w.'’-])[^\W\d_]{2,3}(?![\w.'’-])")
_TOKEN_RE = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class PersonName:
    """A printed name split for comparison: folded given-name tokens, family name, dblp number.

    What resolution asks of a name again and again is worked out once, as the name is made:

    ``block``: names that could be one person share this (family name, first initial);
    ``initials_only``: whether the name gives no whole given name ("X. Zhang", "Zhang");
    ``given_letters``: how much of a name the given names give, their letters;
    ``signature``: how a co-author is recognised across printings, family name and every initial.

    Examples
    --------
    >>> name = PersonName(("andrew", "m"), "dai", None)
    >>> name.block, name.initials_only, name.given_letters, name.signature
    (('dai', 'a'), False, 7, ('dai', 'am'))
    """

    given: tuple[str, ...]
    family: str
    number: str | None
    block: tuple[str, str] = field(init=False, repr=False, compare=False)
    initials_only: bool = field(init=False, repr=False, compare=False)
    given_letters: int = field(init=False, repr=False, compare=False)
    signature: tuple[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        given, family = self.given, self.family
        derived = self.__dict__  # frozen: set once, here
        derived["block"] = (family, given[0][0] if given else "")
        derived["initials_only"] = all(len(token) == 1 for token in given)
        derived["given_letters"] = sum(map(len, given))
        derived["signature"] = (family, "".join(g[0] for g in given))

    def __reduce__(self):
        return PersonName, (self.given, self.family, self.number)  # what it derives is made again, not pickled


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
        if not first and not title and parsed.suffix and name.count(",") == 1:
            family, given = name.split(",")
            if family.strip() and not _generational_suffix(given):
                # "Sievers, Cem", "Khan, Md Abdul": nameparser takes a given name it also knows as a degree
                # ("CEM", "MD") for a suffix; after a family name and its comma it is the given name.
                first, middle, last = given, "", family
    # "Md." or "Sheikh" are part of many names, not titles to drop; "Dr." and "Prof." are.
    title = "" if fold(title).strip(". ") in _HONORIFICS else title
    given_text = f"{title} {first} {middle}"
    if not name.isupper():
        # "Church, GM", "GM Church": MEDLINE's initials run together, in capitals beside a name that has small letters.
        given_text = _RUN_INITIALS_RE.sub(_spread_capitals, given_text)
    given = _given_tokens(fold(given_text))
    family = " ".join(_TOKEN_RE.findall(fold(last))) or " ".join(given[-1:])
    if not last and given:
        given = given[:-1]
    return PersonName(given, family, number)


@lru_cache(maxsize=1)
def _generational_suffixes() -> frozenset[str]:
    from kg.data import load_json

    return frozenset(fold(word).strip(".") for word in load_json("names.json")["suffixes"])


def _spread_capitals(match: re.Match) -> str:
    letters = match.group(0)
    return " ".join(letters) if letters.isupper() else letters


def _generational_suffix(text: str) -> bool:
    """Whether ``text`` is a suffix such as "Jr." or "III" and nothing else."""
    words = fold(text).replace(".", " ").split()
    return bool(words) and all(word in _generational_suffixes() for word in words)


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


def initials_only(name: PersonName) -> bool:
    """Whether a name gives no whole given name ("X. Zhang", "Zhang"): only its evidence can place it."""
    return name.initials_only


@dataclass(frozen=True)
class Merge:
    """One recorded merge: the name that joined, the rule, the evidence and its score."""

    variant: str
    into: str
    rule: str
    evidence: tuple[str, ...] = ()
    score: float | None = None

    def __reduce__(self):
        return Merge, (self.variant, self.into, self.rule, self.evidence, self.score)  # pickled small and fast


@dataclass(frozen=True)
class Split:
    """Two people who print one name, kept apart, and why (a rule, or too little evidence)."""

    person: int
    other: int
    name: str
    rule: str
    evidence: tuple[str, ...] = ()
    score: float | None = None


@dataclass
class AuthorResolution:
    """Which person each author mention is, the people's names, and the merges and splits made.

    Attributes
    ----------
    mention_people : array
        The person number of every author mention, record by record (a record's authors in order).
    first_mentions : array
        Where each record's mentions start in ``mention_people`` (one more entry: where they end).
        :meth:`person` reads both; :attr:`person_of` is the same as a mapping.
    display : dict
        person number -> the name shown for them.
    merges : dict
        person number -> the merges that made them, each with its rule, evidence and score.
    identity : dict
        person number -> what tells them apart from a namesake (their ids, else their name keys).
    splits : list of Split
        People who print one name but were kept apart, with the reason.
    listed : dict
        record index -> (person number, name) of the page owner a record is listed under, where
        the record's printed author list does not show them (``extra["page_owner"]``).
    """

    mention_people: array
    first_mentions: array
    display: dict[int, str]
    merges: dict[int, list[Merge]]
    identity: dict[int, str] = field(default_factory=dict)
    splits: list[Split] = field(default_factory=list)
    listed: dict[int, tuple[int, str]] = field(default_factory=dict)

    def person(self, record: int, position: int) -> int:
        """The person number of the author at ``position`` (from 0) of record ``record``.

        Raises
        ------
        KeyError
            The record has no author there.
        """
        start = self.first_mentions[record] if 0 <= record < len(self.first_mentions) - 1 else -1
        if start < 0 or not 0 <= position < self.first_mentions[record + 1] - start:
            raise KeyError((record, position))
        return self.mention_people[start + position]

    @property
    def person_of(self) -> Mapping[tuple[int, int], int]:
        """(record index, position in its author list) -> person number, for every mention."""
        return _MentionPeople(self)


class _MentionPeople(Mapping):
    """:attr:`AuthorResolution.person_of`: a read-only view of its arrays (a dict would take ~130 bytes a mention)."""

    def __init__(self, people: AuthorResolution) -> None:
        self._people = people

    def __getitem__(self, mention: tuple[int, int]) -> int:
        try:
            record, position = mention
        except (TypeError, ValueError):  # no (record, position) pair: as a dict, no such key
            raise KeyError(mention) from None
        return self._people.person(record, position)

    def __len__(self) -> int:
        return len(self._people.mention_people)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        starts = self._people.first_mentions
        for record in range(len(starts) - 1):
            for position in range(starts[record + 1] - starts[record]):
                yield (record, position)


@dataclass(frozen=True)
class _Weights:
    """The scores of :data:`kg/data/author_evidence.json`, read once."""

    threshold: float
    name: dict[str, float]
    evidence: dict[str, float]
    limits: dict[str, float]
    ignored_venues: frozenset[str]
    title_stopwords: frozenset[str]
    common_families: frozenset[str]
    common_given: frozenset[str]


@lru_cache(maxsize=1)
def _weights() -> _Weights:
    from kg.data import load_json

    data = load_json("author_evidence.json")
    families = load_json("common_family_names.json")
    return _Weights(
        threshold=float(data["threshold"]),
        name={k: float(v) for k, v in data["name"].items()},
        evidence={k: float(v) for k, v in data["evidence"].items()},
        limits={k: float(v) for k, v in data["limits"].items()},
        ignored_venues=frozenset(fold(v) for v in data["ignored venues"]),
        title_stopwords=frozenset(data["title words that are no evidence"]),
        common_families=frozenset(fold(n) for n in families["names"]),
        common_given=frozenset(fold(n) for n in families["common given names"]),
    )


# A record's own sources of identity for its authors: extra key -> id scheme. Semantic Scholar and
# Scopus over-split people (one person, several ids), so their ids join names and never split them.
SOURCE_ID_EXTRAS = {
    "s2_author_ids": "s2",
    "scopus_author_ids": "scopus",
    "scholar_author_ids": "scholar",
    "openalex_author_ids": "openalex",
}
_WORD_RE = re.compile(r"[^\W\d_]{4,}")


@dataclass(frozen=True)
class _Paper:
    """What one record says about all its authors: the evidence their groups share or not."""

    names: frozenset[str]  # every author's name key
    signatures: frozenset[tuple[str, str]]  # every author's family name + initials
    initial_signatures: frozenset[tuple[str, str]]  # those of authors printed with initials only
    venue: str | None
    year: int | None
    topics: frozenset[str]
    words: frozenset[str]
    orgs: frozenset[str]  # the paper's own organisations (a lab page's, a profile's), not per author
    owner: str | None  # the page owner's name key, on a one-person page


_EMPTY: frozenset = frozenset()


@lru_cache(maxsize=65536)
def _alone(value: object) -> frozenset:
    """``frozenset((value,))``, one for each value: a venue or year is the evidence of thousands of groups."""
    return frozenset((value,))


@dataclass(slots=True)
class _Group:
    """Mentions believed to be one person so far, with the evidence they carry.

    A group of one mention holds frozensets (most mentions have no identifier or org: the one empty
    :data:`_EMPTY`); only :meth:`_Resolver.union` changes a group's values, and it makes a set of its own
    before it adds to one. So a group of one mention is what its record says, and can be made again from it
    (:class:`_Groups`).
    """

    size: int  # mentions
    names: dict[str, int]  # printed name -> mentions
    parsed: set[PersonName] | frozenset[PersonName]
    keys: set[str] | frozenset[str]
    orcids: set[str] | frozenset[str]
    source_ids: set[str] | frozenset[str]
    numbers: set[str] | frozenset[str]
    records: set[int] | frozenset[int]
    orgs: set[str] | frozenset[str]
    sort_key: tuple
    _evidence: dict | None = None

    def absorb_evidence(self, other: _Group) -> None:
        """Take ``other``'s evidence into this group's (called as ``other`` joins it).

        Both cached: the sets are joined in place, so a prolific author absorbing mentions one by
        one costs what the mentions bring, not what the author already has. Else the cache is
        dropped and rebuilt from the papers when next asked for.
        """
        mine, theirs = self._evidence, other._evidence
        if mine is None or theirs is None:
            self._evidence = None
            return
        for name, values in theirs.items():
            if values:
                if not isinstance(mine[name], set):
                    mine[name] = set(mine[name])
                mine[name] |= values
        own_signatures = {p.signature for p in self.parsed}
        for name, own in (
            ("coauthors", self.keys),
            ("signatures", own_signatures),
            ("initial_signatures", own_signatures),
        ):
            if mine[name] and not mine[name].isdisjoint(own):
                if not isinstance(mine[name], set):
                    mine[name] = set(mine[name])
                mine[name] -= own

    def evidence(self, papers: Sequence[_Paper]) -> dict:
        """Co-authors, signatures, venues, topics, title words and years of the group's papers (cached).

        A group of one paper shares that paper's sets (never changed in place: see
        :meth:`absorb_evidence`).
        """
        if self._evidence is not None:
            return self._evidence
        own_signatures = {p.signature for p in self.parsed}
        if len(self.records) == 1:
            paper = papers[next(iter(self.records))]
            self._evidence = {
                "coauthors": paper.names - self.keys,
                "signatures": paper.signatures - own_signatures,
                "initial_signatures": paper.initial_signatures - own_signatures,
                "venues": _alone(paper.venue) if paper.venue else _EMPTY,
                "topics": paper.topics,
                "words": paper.words,
                "years": _alone(paper.year) if paper.year else _EMPTY,
                "owners": _alone(paper.owner) if paper.owner else _EMPTY,
                "paper_orgs": paper.orgs,
            }
            return self._evidence
        coauthors: set[str] = set()
        signatures: set[tuple[str, str]] = set()
        initial_signatures: set[tuple[str, str]] = set()
        venues, topics, words, years, owners, orgs = set(), set(), set(), set(), set(), set()
        for r in self.records:
            paper = papers[r]
            coauthors |= paper.names
            signatures |= paper.signatures
            initial_signatures |= paper.initial_signatures
            if paper.venue:
                venues.add(paper.venue)
            if paper.year:
                years.add(paper.year)
            topics |= paper.topics
            words |= paper.words
            orgs |= paper.orgs
            if paper.owner:
                owners.add(paper.owner)
        self._evidence = {
            "coauthors": coauthors - self.keys,
            "signatures": signatures - own_signatures,
            "initial_signatures": initial_signatures - own_signatures,
            "venues": venues,
            "topics": topics,
            "words": words,
            "years": years,
            "owners": owners,
            "paper_orgs": orgs,
        }
        return self._evidence


class _Groups:
    """Every mention's group, by mention number, made from the mention's record when it is asked for.

    A group that is still one mention alone is forgotten again when :meth:`release` is told (it would be made
    the same), so a run holds the groups of the name blocks being clustered and those of several mentions, not
    one group per mention (at a million papers, about 6 million).
    """

    def __init__(self, records: Sequence[Record], first_mentions: array, made: dict[int, _Group] | None = None):
        self._records = records
        self._first = first_mentions
        self._made: dict[int, _Group] = {} if made is None else made
        self._fixed: dict[int, tuple] = {}  # the sort keys of people taken as an earlier run kept them

    @classmethod
    def given(cls, groups: dict[int, _Group]) -> _Groups:
        """Only ``groups`` (a part of the name blocks), never made from records nor released."""
        return cls((), array("q", [0]), groups)

    def __len__(self) -> int:
        return self._first[-1]

    def __getitem__(self, index: int) -> _Group:
        group = self._made.get(index)
        if group is None:
            group = self._made[index] = self.fresh(index)
        return group

    def peek(self, index: int) -> _Group:
        """The group of ``index``, not kept when it is made here (a group read, never changed)."""
        group = self._made.get(index)
        return group if group is not None else self.fresh(index)

    def made(self, index: int) -> _Group | None:
        return self._made.get(index)

    def settle(self, made: dict[int, _Group]) -> None:
        """Take ``made`` (groups by number, made elsewhere) for the groups of those numbers."""
        self._made.update(made)

    def several(self) -> list[int]:
        """The groups of more than one mention (joined at least once), by number."""
        return sorted(index for index, group in self._made.items() if group.size > 1)

    def release(self, indexes: Iterable[int]) -> None:
        """Forget the groups of ``indexes`` that are one mention alone (with any evidence they cached)."""
        made = self._made
        for index in indexes:
            group = made.get(index)
            if group is not None and group.size == 1:
                del made[index]

    def _mention(self, index: int) -> tuple[int, int]:
        record = bisect.bisect_right(self._first, index) - 1
        return record, index - self._first[record]

    def first_sort_key(self, index: int) -> tuple:
        """The sort key of the mention alone (a group's is the least of its mentions')."""
        r, j = self._mention(index)
        record = self._records[r]
        return _sort_key(record, j, _mention_key(record.authors[j].name))

    def sort_key(self, index: int) -> tuple:
        fixed = self._fixed.get(index) if self._fixed else None
        if fixed is not None:
            return fixed
        group = self._made.get(index)
        return group.sort_key if group is not None else self.first_sort_key(index)

    def fix_sort_key(self, index: int, sort_key: tuple) -> None:
        """The sort key of the person whose root is ``index`` (taken as kept: their group is not made here)."""
        self._fixed[index] = sort_key

    def parsed(self, index: int) -> Iterable[PersonName]:
        group = self._made.get(index)
        if group is not None:
            return group.parsed
        r, j = self._mention(index)
        return (_parsed(self._records[r].authors[j]),)

    def key(self, index: int) -> str:
        """The name key of the mention alone."""
        r, j = self._mention(index)
        return _mention_key(self._records[r].authors[j].name)

    def fresh(self, index: int) -> _Group:
        """The group of the mention alone, as its record gives it."""
        r, j = self._mention(index)
        record = self._records[r]
        author = record.authors[j]
        parsed = _parsed(author)
        key = _mention_key(author.name)
        orgs = frozenset(filter(None, map(org_key, author.affiliations))) if author.affiliations else None
        return _Group(  # by position (size, names, parsed, keys, orcids, source_ids, numbers, records, orgs, sort_key)
            1,
            {author.name: 1},
            frozenset((parsed,)),
            frozenset((key,)),
            frozenset((author.orcid,)) if author.orcid else _EMPTY,
            (frozenset(_source_ids(record)[j]) or _EMPTY) if record.extra and _has_source_ids(record) else _EMPTY,
            frozenset((parsed.number,)) if parsed.number else _EMPTY,
            frozenset((r,)),
            orgs or _EMPTY,
            _sort_key(record, j, key),
        )


def _listing_order(record: Record) -> tuple:
    """How the listings of one paper are ordered to join their authors by position: by title and author count,
    then by what tells two listings apart (never by the records' order, which would pick the evidence)."""
    where = (record.source.path, record.source.line) if record.source else ("", 0)
    title = record.title or ""
    return (normalise_text(title), len(record.authors), title, *where, tuple(a.name for a in record.authors))


def _sort_key(record: Record, position: int, key: str) -> tuple:
    """A mention's place among the mentions: its name key, its paper's title, its position, where it was read
    (which tells apart two records with one title, volumes of a series)."""
    where = (record.source.path, record.source.line) if record.source else ("", 0)
    return (key, _title_key(record.title or ""), position, *where)


@lru_cache(maxsize=1 << 17)
def _title_key(title: str) -> str:
    """A title as mentions' sort keys compare it (asked for once per author of each paper)."""
    return normalise_text(title)


@lru_cache(maxsize=500_000)
def _mention_key(name: str) -> str:
    """The name's normalised key, with a dblp homonym number kept apart ("markus schmitt#0002")."""
    parsed = parse_name(name)
    key = author_key(_DBLP_NUMBER_RE.sub("", name))
    return f"{key}#{parsed.number}" if parsed.number else key


def _parsed(author) -> PersonName:  # type: ignore[no-untyped-def]
    """The author's name split, trusting the source's own given/family parts when it gives them."""
    if author.family and author.given and not _DBLP_NUMBER_RE.search(author.name):
        return parse_name(f"{author.family}, {author.given}")
    return parse_name(author.name)


def _has_source_ids(record: Record) -> bool:
    """Whether the record may give its authors' own ids (most records give none)."""
    return not record.extra.keys().isdisjoint(SOURCE_ID_EXTRAS)


def _source_ids(record: Record) -> list[set[str]]:
    """Per author position, the source's own author ids ("s2:123", "scopus:456")."""
    out: list[set[str]] = [set() for _ in record.authors]
    if not _has_source_ids(record):
        return out
    for extra_key, scheme in SOURCE_ID_EXTRAS.items():
        values = record.extra.get(extra_key)
        if isinstance(values, list) and len(values) == len(record.authors):
            for j, value in enumerate(values):
                if value:
                    out[j].add(f"{scheme}:{value}")
        elif isinstance(values, dict):
            for j, author in enumerate(record.authors):
                if values.get(author.name):
                    out[j].add(f"{scheme}:{values[author.name]}")
    return out


@dataclass(frozen=True)
class _Corpus:
    """The evidence of every record, and how much a shared venue says (less, the more papers it has)."""

    papers: list[_Paper]
    venue_weight: dict[str, float]
    printed: dict[str, str]  # name key -> how the name is printed (the first in sort order)

    @classmethod
    def of(cls, records: Sequence[Record], weights: _Weights, tally: Tally | None = None) -> _Corpus:
        papers = _papers(records, weights, tally)
        counts: defaultdict[str, int] = defaultdict(int)
        for paper in papers:
            if paper.venue:
                counts[paper.venue] += 1
        # Inverse document frequency by size class (of the corpus and of the venue, kg.sizes), scaled to 1 for
        # a venue of one paper. Exact sizes gave no better F1 on any labelled set (bench/README.md).
        size = size_class(len(papers))
        scale = math.log(max(size, 2))
        printed: dict[str, str] = {}
        for record in records:
            for author in record.authors:
                key = _mention_key(author.name)
                if key not in printed or author.name < printed[key]:
                    printed[key] = author.name
        weight = {venue: math.log(size / size_class(n)) / scale if size_class(n) < size else 0.0
                  for venue, n in counts.items()}  # fmt: skip
        return cls(papers, weight, printed)


def _papers(records: Sequence[Record], weights: _Weights, tally: Tally | None = None) -> list[_Paper]:
    """The evidence of every record, with title words kept only where they are rare in the corpus."""
    advance = tally.advance if tally is not None else (lambda items=1: None)
    max_authors = weights.limits["co-authors read from papers with at most"]
    word_lists = [frozenset(_WORD_RE.findall(fold(r.title or ""))) - weights.title_stopwords for r in records]
    frequency: defaultdict[str, int] = defaultdict(int)
    for words in word_lists:
        for word in words:
            frequency[word] += 1
    rare_at_most = max(
        weights.limits["rare title word at most in papers (small corpora)"],
        weights.limits["rare title word at most in share of papers"] * size_class(len(records)),
    )
    papers = []
    for record, words in zip(records, word_lists, strict=True):
        parsed = [_parsed(a) for a in record.authors] if len(record.authors) <= max_authors else []
        venue = normalise_text(record.venue) if record.venue else None
        owner = record.extra.get("page_owner")
        owner = _mention_key(owner) if isinstance(owner, str) and owner.strip() else None
        papers.append(
            _Paper(
                names=frozenset(_mention_key(a.name) for a in record.authors) if parsed else frozenset(),
                signatures=frozenset(p.signature for p in parsed),
                initial_signatures=frozenset(p.signature for p in parsed if initials_only(p)),
                venue=venue if venue and fold(venue) not in weights.ignored_venues else None,
                year=int(record.date[:4]) if record.date else None,
                topics=frozenset(record.categories) | frozenset(_keywords(record)),
                words=frozenset(w for w in words if frequency[w] <= rare_at_most),
                orgs=frozenset(key for key in map(org_key, record.orgs) if key),
                owner=owner,
            )
        )
        advance()
    return papers


def _keywords(record: Record) -> list[str]:
    """What the source says the paper is about, as topic evidence: its keywords, AI keywords and subjects' names.

    A subject without a name (an arXiv MSC or ACM code) counts by its code.

    Examples
    --------
    >>> _keywords(Record(title="T", extra={"keywords": ["Graphs"], "subjects": [
    ...     {"scheme": "mesh", "code": "D000818", "label": "Animals"}, {"scheme": "msc", "code": "05C80"}]}))
    ['graphs', 'animals', '05c80']
    """
    words = []
    for key in ("keywords", "ai_keywords"):
        values = record.extra.get(key)
        if isinstance(values, list):
            words += [v for v in values if isinstance(v, str)]
    subjects = record.extra.get("subjects")
    if isinstance(subjects, list):
        for item in subjects:
            if isinstance(item, dict):
                name = item.get("label") or item.get("code")
                if isinstance(name, str):
                    words.append(name)
    return [normalise_text(w) for w in words if w.strip()]


def score_pair(a: _Group, b: _Group, corpus: _Corpus, weights: _Weights) -> tuple[float, str, tuple[str, ...]]:
    """How strongly the evidence says two groups of one name block are one person.

    The terms (kg/data/author_evidence.json) add like log-odds: a prior for how the two names
    relate (the same full name, common or not; initials only; compatible), then shared co-authors
    (by full name; through initials only where one side prints initials), affiliations, venue,
    topics and rare title words, the same one-person page, and years far apart.

    Returns
    -------
    tuple
        (score, rule, evidence): the rule names the name relation and the strongest evidence.
    """
    name_term, relation = _name_prior(a, b, weights)
    ea, eb = a.evidence(corpus.papers), b.evidence(corpus.papers)
    w, limits = weights.evidence, weights.limits
    score, evidence, kinds = name_term, [], []
    coauthors = sorted(ea["coauthors"] & eb["coauthors"])
    through_initials = sorted(
        ((ea["initial_signatures"] & eb["signatures"]) | (ea["signatures"] & eb["initial_signatures"]))
        - {parse_name(name).signature for name in coauthors}
    )
    if ea["coauthors"] and eb["coauthors"] and not coauthors and not through_initials:
        score += w["co-authors, none shared"]
    if coauthors:
        score += w["shared co-author"]
        score += w["each further shared co-author"] * min(len(coauthors) - 1, limits["further co-authors counted"])
        evidence += [f"co-author: {corpus.printed.get(name, name)}" for name in coauthors[:5]]
        kinds.append("shared co-author")
    elif through_initials:
        score += w["shared co-author through initials"]
        evidence += [f"co-author: {' '.join(i.upper() + '.' for i in initials)} {family.title()}"
                     for family, initials in through_initials[:5]]  # fmt: skip
        kinds.append("shared co-author")
    orgs = sorted(a.orgs & b.orgs)
    if a.orgs and b.orgs and not orgs:
        score += w["affiliations, none shared"]
    if orgs:
        score += w["shared affiliation"] + w["each further shared affiliation"] * min(
            len(orgs) - 1, limits["further affiliations counted"]
        )
        evidence += [f"affiliation: {org}" for org in orgs[:5]]
        kinds.append("shared affiliation")
    paper_orgs = sorted((ea["paper_orgs"] & eb["paper_orgs"]) - set(orgs))
    if paper_orgs:
        score += w["shared organisation of the papers"]
        evidence += [f"organisation of both papers: {org}" for org in paper_orgs[:3]]
        kinds.append("shared organisation")
    venues = sorted(ea["venues"] & eb["venues"], key=lambda v: (-corpus.venue_weight[v], v))
    if venues:
        score += w["shared venue"] * corpus.venue_weight[venues[0]]
        evidence += [f"venue: {venue}" for venue in venues[:3]]
        kinds.append("shared venue")
    topics = sorted(ea["topics"] & eb["topics"])
    if topics:
        score += w["shared topic"] * min(len(topics), limits["topics counted"])
        evidence += [f"topic: {topic}" for topic in topics[:3]]
        kinds.append("shared topic")
    words = sorted(ea["words"] & eb["words"])
    if words:
        score += w["shared rare title word"] * min(len(words), limits["rare title words counted"])
        evidence.append("title words: " + ", ".join(words[:5]))
        kinds.append("shared title words")
    owners = sorted(ea["owners"] & eb["owners"] & (a.keys | b.keys))
    if owners:
        score += w["same source page"]
        evidence.append(f"listed on one person's page: {owners[0]}")
        kinds.append("one person's page")
    if ea["years"] and eb["years"]:
        gap = min(abs(x - y) for x in ea["years"] for y in eb["years"])
        if gap > limits["years far apart"]:
            score += w["years far apart"]
            evidence.append(f"years apart: {gap}")
    rule = relation + (" + " + kinds[0] if kinds else "")
    return round(score, 3), rule, tuple(evidence)


# One syllable of Mandarin in pinyin ("wei", "jing", "zhuang"): such given names are shared by many.
_PINYIN_SYLLABLE_RE = re.compile(
    r"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?"
    r"(?:a|ai|an|ang|ao|e|ei|en|eng|er|i|ia|ian|iang|iao|ie|in|ing|iong|iu|o|ong|ou|u|ua|uai|uan|uang|ue|ui|un|uo|v|ve)"
)


def _one_syllable(given: str) -> bool:
    """Whether a given name is a single pinyin syllable.

    Examples
    --------
    >>> [_one_syllable(g) for g in ("wei", "jing", "zhuang", "li", "xiaoming", "anup", "eun")]
    [True, True, True, True, False, False, False]
    """
    return bool(_PINYIN_SYLLABLE_RE.fullmatch(given))


def _name_prior(a: _Group, b: _Group, weights: _Weights) -> tuple[float, str]:
    """The name term of :func:`score_pair` and the relation it names.

    How much one printed name says depends on how many people print it: a name with a common
    family name ("Wang", "Kim", "Smith") is weaker evidence, with a common given name ("David
    Smith") or a one-syllable one ("Wei Wang") weaker still; initials say less than given names.
    """
    # A group may print names of two families (joined by an identifier): the name weighed is chosen by its
    # parts, never by a set's order (which changes from one run of Python to the next).
    shared = a.keys & b.keys
    whole = [parse_name(key) for key in shared if not initials_only(parse_name(key))]
    if whole:
        name = max(whole, key=lambda p: (p.given_letters, p.given, p.family, p.number or ""))
        return _name_term("same full name", name, weights), "same name"
    if shared:
        return _name_term("same initials", parse_name(min(shared)), weights), "same name"
    pairs = [(x, y) for x in _in_order(a.parsed) for y in _in_order(b.parsed) if compatible(x, y)]
    name = pairs[0][0] if pairs else _in_order(a.parsed)[0]
    if pairs and all(not initials_only(x) and not initials_only(y) for x, y in pairs):
        return _name_term("compatible full names", name, weights), "compatible names"
    return _name_term("compatible names", name, weights), "compatible names"


def _in_order(names: Iterable[PersonName]) -> list[PersonName]:
    """``names`` by family name, given names and dblp number."""
    return sorted(names, key=lambda p: (p.family, p.given, p.number or ""))


def _name_term(relation: str, name: PersonName, weights: _Weights) -> float:
    """The weight of one name relation ("same full name", ...) for a name, by how common the name is."""
    term = relation
    if name.family in weights.common_families:
        term += ", common family name"
        if relation == "same full name":
            if name.given and name.given[0] in weights.common_given:
                term += ", common given name"
            elif len(name.given) == 1 and _one_syllable(name.given[0]):
                term += ", one-syllable given name"
    return weights.name[term]


def _name_token_proposes(key: str, weights: _Weights) -> bool:
    """Whether one printed name alone may propose pairs: only when the name alone could join them."""
    name = parse_name(key)
    return _name_term("same initials" if initials_only(name) else "same full name", name, weights) >= weights.threshold


def resolve_authors(
    records: Sequence[Record],
    aliases: Aliases | None = None,
    paper_groups: Sequence[Sequence[int]] = (),
    progress: Progress | None = None,
    partitions: int = 1,
    run_partitions: PartitionRunner | None = None,
    kept: KeptClusterings | None = None,
    apart: bool = False,
) -> AuthorResolution:
    """Group the author mentions of ``records`` into people, on scored evidence.

    1. **Identifiers** join mentions whatever their names: the same ORCID, the same source author id
       (Semantic Scholar, Scopus, Google Scholar, OpenAlex); two sources listing one paper
       (``paper_groups``) with compatible names at one position; the user's ``same`` aliases; the
       owner of a one-person page wherever the page prints them.
    2. **Nothing joins** co-authors of one paper, two ORCIDs, two dblp homonym numbers, given names
       that disagree ("Andrew" and "Alice" through "A."), or a user's ``different`` alias.
    3. **Evidence, scored**, inside each name block (family name + first initial): groups of
       compatible names, identical ones included, join while the best-scoring pair reaches the
       threshold (:func:`score_pair`); a joined group carries the union of its parts' evidence and
       is scored again. Mentions with whole given names are clustered first; then each
       initials-only group joins the person its evidence favours most, each decided alone against
       the same people (never in arrival order); the initials-only groups left cluster among
       themselves.

    ``progress`` is told how far the stage ``"resolving authors"`` is (see :mod:`kg.progress`).

    The result does not depend on the order of ``records``: ties are broken by the names and
    titles of the groups, never by their positions.

    Step 3 never compares groups of two name blocks, so it can run in ``partitions`` parts, split
    by blocking key (:class:`BlockPartition`: each part holds what its blocks need and nothing
    else), anywhere: ``run_partitions(cluster_partition, parts)`` returns each part's joins, in
    the order of ``parts`` (a cluster's map; by default they are clustered here, one after the
    other). The joins are made again here, in order: the result is the one of a single pass.

    With ``kept`` (what an earlier run noted there, :class:`kg.resolve.clusterings.KeptClusterings`), a
    component of name blocks whose input is the same as then (its groups, their papers' evidence, the
    corpus's weights for them, the forbidding aliases, kg's code and the versions of the libraries that split
    names and fold text, by digest) is not clustered: the joins clustering
    made then are made again. The others are clustered, and every component's joins are noted in ``kept``
    for the next run. The result is the one of clustering every block (only with ``partitions`` 1).

    With ``apart`` (and ``partitions`` 1), from :data:`CLUSTER_APART_MIN_GROUPS` groups to cluster on, a
    forked copy of this process clusters some of the components while this one clusters the others, each
    claiming the next few until none is left (a build asks for it where no topic worker uses the other core;
    a process with threads of its own should not fork). The result is the one of a single process.

    Examples
    --------
    >>> from kg.records import AuthorRef
    >>> papers = [Record(title="A", authors=(AuthorRef("Ann Lee"), AuthorRef("Bo Chen"))),
    ...           Record(title="B", authors=(AuthorRef("Ann Lee"), AuthorRef("Bo Chen"))),
    ...           Record(title="C", authors=(AuthorRef("Ann Lee"), AuthorRef("Cy Dunn")))]
    >>> people = resolve_authors(papers)
    >>> people.person(0, 0) == people.person(1, 0), people.person(0, 0) == people.person(2, 0)
    (True, False)
    >>> people.merges[people.person(0, 0)][0].rule
    'same name + shared co-author'
    >>> resolve_authors(papers, partitions=3) == people
    True
    >>> from kg.records import SourceRef
    >>> read = [Record(title=p.title, authors=p.authors, source=SourceRef("a.ris", n, "ris"))
    ...         for n, p in enumerate(papers, 1)]
    >>> kept = KeptClusterings(None)
    >>> resolve_authors(read, kept=kept) == resolve_authors(read), kept.clustered  # Ann Lee's block, Bo Chen's
    (True, 2)
    >>> later = KeptClusterings(b"".join(kept.kept_parts()))
    >>> resolve_authors(read, kept=later) == resolve_authors(read), later.reused, later.clustered
    (True, 2, 0)
    """
    if isinstance(partitions, bool) or not isinstance(partitions, int) or partitions < 1:
        raise UsageError(f"partitions must be a whole number, at least 1, not {partitions!r}")
    if kept is not None and partitions != 1:
        raise UsageError("kept clusterings are read and noted only when the blocks are clustered in one part")
    with collector_paused():
        # Two passes over the records, then the name blocks (their size is known once the first pass is done).
        mentions = sum(len(record.authors) for record in records)
        tally = Tally(progress, "resolving authors", 2 * len(records) + mentions)
        try:
            resolver = _Resolver(records, aliases or Aliases(), paper_groups, tally, apart)
            return resolver.run(partitions, run_partitions, kept)
        except _RefusedKeptJoin:
            # Kept joins that are not what clustering makes (a kept file edited by hand, with its digest made
            # again): everything kept is dropped and every block clustered.
            assert kept is not None
            kept.forget()
            tally = Tally(progress, "resolving authors", 2 * len(records) + mentions)
            resolver = _Resolver(records, aliases or Aliases(), paper_groups, tally, apart)
            return resolver.run(partitions, run_partitions, kept)


# Author resolution clusters its name blocks in two processes from this many groups on (kg.io.workers.ForkedJob),
# and each process claims this many components at a time.
CLUSTER_APART_MIN_GROUPS = 20_000
_COMPONENTS_PER_CLAIM = 64


@dataclass(frozen=True)
class _Component:
    """Name blocks that share a group, to be clustered together: the ``keys`` of those with more than one group
    (``size``: the groups of all its blocks, for progress). ``noted``: its joins are kept for the next build,
    under ``digest`` (None: not kept) with its groups in ``ordered`` order (:meth:`_Resolver._cluster_with_kept`).
    """

    keys: list[tuple[str, str]]
    size: int
    noted: bool = False
    digest: str | None = None
    ordered: list[int] = field(default_factory=list)


class _RefusedKeptJoin(Exception):
    """A kept join that the groups it names refuse (:meth:`_Resolver._cluster_with_kept`)."""


# What clustering one part of the name blocks gives: the joins made, in order, as (group, group, rule,
# evidence, score), the arguments of _Resolver.union.
Join = tuple[int, int, str, tuple[str, ...], float | None]
PartitionRunner = Callable[[Callable[["BlockPartition"], list[Join]], list["BlockPartition"]], Iterable[list[Join]]]


@dataclass(frozen=True)
class BlockPartition:
    """Part of the name blocks of :func:`resolve_authors`, with everything clustering them needs (it pickles).

    Blocks that share a group (one person printing names of two blocks, joined by an identifier)
    are in one part; a part holds the blocks whose blocking key hashes to it.

    Attributes
    ----------
    keys : tuple
        The blocking keys (family name, first initial) of the blocks to cluster, in order.
    blocks : tuple
        Each block's groups (by number), in the order of ``keys``.
    groups : dict
        Group number -> the group (its mentions, names and evidence), as identifiers left it.
    papers : dict
        Record index -> what the record says of its authors, for the records of ``groups``.
    venue_weight, printed : dict
        The corpus's venue weights and printed names, for the venues and names of ``papers``.
    aliases : kg.resolve.aliases.Aliases
        The user's forbidden merges.
    size : int
        Groups of this part's blocks, blocks of one group included (for progress).
    """

    keys: tuple[tuple[str, str], ...]
    blocks: tuple[tuple[int, ...], ...]
    groups: dict[int, _Group]
    papers: dict[int, _Paper]
    venue_weight: dict[str, float]
    printed: dict[str, str]
    aliases: Aliases
    size: int


def cluster_partition(part: BlockPartition) -> list[Join]:
    """Cluster the name blocks of ``part`` (step 3 of :func:`resolve_authors`) and return the joins made, in order.

    Runs anywhere ``kg`` is installed (a cluster's worker); ``part`` is not changed.
    """
    with collector_paused():
        resolver = _Resolver.of_partition(part)
        for block in part.blocks:
            resolver._cluster_members(block)
            resolver._forget_evidence(block)
        return resolver.joins or []


def _run_here(cluster: Callable[[BlockPartition], list[Join]], parts: list[BlockPartition]) -> Iterator[list[Join]]:
    return map(cluster, parts)


class _Resolver:
    """The state of one :func:`resolve_authors` run: groups of mentions in a union-find forest."""

    def __init__(
        self,
        records: Sequence[Record],
        aliases: Aliases,
        paper_groups: Sequence[Sequence[int]],
        tally: Tally,
        apart: bool = False,
    ):
        self.tally = tally
        self.apart = apart  # whether a forked copy may cluster some of the components (_cluster_components)
        self.records = records
        self.aliases = aliases
        self.paper_groups = paper_groups
        self.weights = _weights()
        self.corpus = _Corpus.of(records, self.weights, tally)
        self.papers = self.corpus.papers
        # Where each record's mentions start: mention number (first_mentions[r] + j) is author j of record r.
        self.first_mentions = array("q", itertools.accumulate((len(r.authors) for r in records), initial=0))
        self.groups = _Groups(records, self.first_mentions)
        self.parent: list[int] = list(range(len(self.groups)))
        self.merges: defaultdict[int, list[Merge]] = defaultdict(list)
        self.joins: list[Join] | None = None  # the joins made, kept where they are to be made again elsewhere
        self._kept_roots: dict[int, KeptPeople] = {}  # root -> a person taken as an earlier run kept them
        self._kept_splits: dict[tuple[int, int], tuple[str, tuple[str, ...], float | None]] = {}
        self._to_note: list[tuple[str, list[int]]] = []  # (digest, groups in digest order) whose people are kept
        self.identified: list[int] = []  # the mentions with an ORCID or a source's author id
        for r, record in enumerate(records):
            ids = _source_ids(record)
            for j, author in enumerate(record.authors):
                if author.orcid or ids[j]:
                    self.identified.append(self.first_mentions[r] + j)
            tally.advance()

    @classmethod
    def of_partition(cls, part: BlockPartition) -> _Resolver:
        """A resolver that holds only ``part`` (copies of its groups), to cluster its blocks and note the joins."""
        resolver = cls.__new__(cls)
        resolver.tally = Tally(None, "resolving authors", None)
        resolver.records, resolver.paper_groups, resolver.aliases = (), (), part.aliases
        resolver.weights = _weights()
        resolver.corpus = _Corpus(part.papers, part.venue_weight, part.printed)  # type: ignore[arg-type]
        resolver.papers = resolver.corpus.papers
        resolver.groups = _Groups.given({index: _copied(group) for index, group in part.groups.items()})
        resolver.parent = {index: index for index in part.groups}  # type: ignore[assignment]
        resolver.merges = defaultdict(list)
        resolver.first_mentions, resolver.identified = array("q"), []
        resolver.joins = []
        resolver.apart = False
        resolver._kept_roots, resolver._kept_splits, resolver._to_note = {}, {}, []
        return resolver

    def run(
        self, partitions: int = 1, run_partitions: PartitionRunner | None = None, kept: KeptClusterings | None = None
    ) -> AuthorResolution:
        groups = self.groups
        self._join_on_identifiers()
        groups.release(range(len(groups)))
        blocks: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
        for index in range(len(groups)):
            if self.find(index) == index:
                for parsed in groups.parsed(index):
                    block = blocks[parsed.block]
                    if not block or block[-1] != index:
                        block.append(index)
        # Each block counts its groups (a block of one is done at once, a large one takes long).
        self.tally.retotal(2 * len(self.records) + sum(map(len, blocks.values())))
        if kept is not None:
            self._cluster_with_kept(blocks, kept)
        elif partitions == 1:
            work = []
            for keys in _components(blocks):
                several = [key for key in keys if len(blocks[key]) > 1]  # a block of one group has nothing to join
                if several:
                    work.append(_Component(several, sum(len(blocks[key]) for key in keys)))
                else:
                    self.tally.advance(sum(len(blocks[key]) for key in keys))
            self._cluster_components(work, blocks)
        else:
            parts = self._partitions(blocks, partitions)
            for part, joins in zip(parts, (run_partitions or _run_here)(cluster_partition, parts), strict=True):
                for a, b, rule, evidence, score in joins:
                    joined = self.union(a, b, rule, evidence, score)
                    assert joined, "a join made on a part of the blocks is refused on the whole"
                self.tally.advance(part.size)
        roots = self._ordered({self.find(i) for i in range(len(groups))})
        number = {root: n for n, root in enumerate(roots)}
        display, identity = {}, {}
        for root in roots:
            person = self._kept_roots.get(root)
            if person is not None:
                display[number[root]], identity[number[root]] = person.display, person.identity
            else:
                group = groups.peek(root)
                display[number[root]], identity[number[root]] = _display(group), _identity(group)
        own_identity = dict(identity) if self._to_note else identity
        # Two people an identifier cannot tell apart (one id on a name printed twice on one paper):
        # their first mentions can.
        seen: defaultdict[str, list[int]] = defaultdict(list)
        for root in roots:
            seen[identity[number[root]]].append(root)
        for same in seen.values():
            for root in same[1:] if len(same) > 1 else ():
                identity[number[root]] += "|" + "|".join(map(str, groups.sort_key(root)))
        listed = self._listed(number, display, identity)
        splits = self._splits(roots, number)
        if kept is not None and self._to_note:
            self._note_people(kept, roots, number, display, own_identity, splits)
        self.tally.finish()
        return AuthorResolution(
            mention_people=array("q", (number[self.find(index)] for index in range(len(groups)))),
            first_mentions=self.first_mentions,
            display=display,
            merges={
                number[root]: [
                    Merge(m.variant, display[number[root]], m.rule, m.evidence, m.score) for m in self.merges[root]
                ]
                for root in roots
                if self.merges.get(root)
            },
            identity=identity,
            splits=splits,
            listed=listed,
        )

    def _note_people(
        self,
        kept: KeptClusterings,
        roots: list[int],
        number: dict[int, int],
        display: dict[int, str],
        identity: dict[int, str],
        splits: list[Split],
    ) -> None:
        """Keep, for each component whose joins were noted, the people the run ended with (kg.resolve.clusterings):
        each one's groups, sort key, name, identity, name keys and merges, and the splits between them."""
        place: dict[int, tuple[int, int]] = {}  # root -> (component, its place among the component's people)
        people_of: list[list[list]] = []
        for n, (_, ordered) in enumerate(self._to_note):
            members: defaultdict[int, list[int]] = defaultdict(list)
            for position, group in enumerate(ordered):
                members[self.find(group)].append(position)
            people = []
            for root in self._ordered(members):
                place[root] = (n, len(people))
                group = self.groups.peek(root)
                people.append([
                    members[root], group.sort_key, display[number[root]], identity[number[root]], sorted(group.keys),
                    [(m.variant, m.rule, m.evidence, m.score) for m in self.merges.get(root, ())],
                ])  # fmt: skip
            people_of.append(people)
        splits_of: list[list[RankedSplit]] = [[] for _ in self._to_note]
        weighed_across: set[int] = set()  # components with a person split from someone of another component
        for split in splits:
            first, other = place.get(roots[split.other]), place.get(roots[split.person])
            if first is not None and other is not None and first[0] == other[0]:
                splits_of[first[0]].append((first[1], other[1], split.name, split.rule, split.evidence, split.score))
            else:
                # One name key in two components (a source's own given and family parts put it in another name
                # block): such a split needs both people's groups, so those components keep their joins alone.
                weighed_across.update(side[0] for side in (first, other) if side is not None)
        for n, ((digest, _), people, component_splits) in enumerate(
            zip(self._to_note, people_of, splits_of, strict=True)
        ):
            if n not in weighed_across:
                kept.note_people(digest, people, component_splits)

    # -- the forest ---------------------------------------------------------------------------

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def _ordered(self, indexes: Iterable[int]) -> list[int]:
        return sorted(indexes, key=self.groups.sort_key)

    def forbidden(self, a: _Group, b: _Group) -> str | None:
        """Why two groups can never be one person, or None."""
        if any(frozenset((x, y)) in self.aliases.different_author_keys for x in a.keys for y in b.keys):
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

    def union(self, a: int, b: int, rule: str, evidence: tuple[str, ...], score: float | None = None) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        ga, gb = self.groups[ra], self.groups[rb]
        if rule != "user alias: same" and self.forbidden(ga, gb):
            return False
        # The group that stays is the larger, else the one printing the fuller name: the other "joins" it.
        larger = (ga.size, _fullness(ga), gb.sort_key) >= (gb.size, _fullness(gb), ga.sort_key)
        keep, gone = (ra, rb) if larger else (rb, ra)
        kept, merged = (ga, gb) if larger else (gb, ga)
        merges = self.merges[keep]
        names = merged.names
        # "into" is filled in at the end
        merges.extend([Merge(name, "", rule, evidence, score) for name in (sorted(names) if len(names) > 1 else names)])
        merges.extend(self.merges.pop(gone, ()))
        kept.size += merged.size
        mine = kept.names
        for name, count in names.items():
            mine[name] = mine.get(name, 0) + count
        for name in _GROUP_SETS:
            theirs = getattr(merged, name)
            if theirs:
                setattr(kept, name, _joined(getattr(kept, name), theirs))
        if merged.sort_key < kept.sort_key:
            kept.sort_key = merged.sort_key
        kept.absorb_evidence(merged)
        merged._evidence = None  # it joined: its evidence is the kept group's now
        self.parent[gone] = keep
        if self.joins is not None:
            self.joins.append((a, b, rule, evidence, score))
        return True

    # -- step 1: identifiers and the user ------------------------------------------------------

    def _join_on_identifiers(self) -> None:
        records, groups = self.records, self.groups
        # Only groups of mentions with identifiers join on them, and before any join a group's sort key is its
        # mention's.
        order = self._ordered(self.identified)
        for attribute, rule in (("orcids", "same ORCID"), ("source_ids", "same source id")):
            owner: dict[str, int] = {}
            for index in order:
                for value in sorted(getattr(groups[index], attribute)):
                    if value in owner:
                        self.union(owner[value], index, rule, (value,))
                    else:
                        owner[value] = index
        for members in self.paper_groups:
            ordered = sorted(members, key=lambda r: _listing_order(records[r]))
            for a, b in itertools.pairwise(ordered):
                title = records[a].title or records[b].title or "one paper"
                for j in range(min(len(records[a].authors), len(records[b].authors))):
                    if compatible(_parsed(records[a].authors[j]), _parsed(records[b].authors[j])):
                        x, y = self.first_mentions[a] + j, self.first_mentions[b] + j
                        self.union(x, y, "same paper, same position", (title,))
        # A one-person page's owner is one person wherever the page prints them.
        for (page, _), indexes in sorted(self._owner_mentions().items()):
            ordered = self._ordered(indexes)
            printed = _display(self.groups[ordered[0]])
            for other in ordered[1:]:
                self.union(ordered[0], other, "owner of a one-person page", (f"{printed}'s page: {page}",))
        if not self.aliases.same_authors:
            return
        # The groups that print a name of the user's, in their mentions' order.
        wanted = {author_key(name) for group in self.aliases.same_authors for name in group}
        several = set(groups.several())
        printing = [
            index
            for index in range(len(groups))
            if (not groups.peek(index).keys.isdisjoint(wanted) if index in several else groups.key(index) in wanted)
        ]
        by_key: defaultdict[str, list[int]] = defaultdict(list)
        for index in sorted(printing, key=groups.first_sort_key):
            for key in groups.peek(index).keys:
                by_key[key].append(index)
        for group in self.aliases.same_authors:
            flat = [index for name in group for index in by_key.get(author_key(name), [])]
            for other in flat[1:]:
                self.union(flat[0], other, "user alias: same", tuple(group))

    def _owner_mentions(self) -> dict[tuple[str, str], list[int]]:
        """(page, owner key) -> the groups of the mentions where a one-person page prints its owner.

        On each paper the owner is the author printed with the owner's name, else the one author
        whose name is compatible with it ("K. Xu" for "Kelvin Xu"); on a paper with none or with
        two such authors the page does not print its owner.
        """
        found: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
        for r, record in enumerate(self.records):
            owner = self.papers[r].owner
            if not owner:
                continue
            keys = [_mention_key(a.name) for a in record.authors]
            at = [j for j, key in enumerate(keys) if key == owner]
            if not at:
                wanted = parse_name(owner)
                at = [j for j, a in enumerate(record.authors) if compatible(_parsed(a), wanted)]
            if len(at) == 1:
                found[(_page(record), owner)].append(self.first_mentions[r] + at[0])
        return found

    # -- step 3: scored evidence ----------------------------------------------------------------

    def _forget_evidence(self, block: Iterable[int]) -> None:
        """Drop the evidence cached for a block's groups once it is clustered (it is rebuilt, the same, where a
        group of two blocks or the splits ask for it again): a build holds one block's evidence at a time."""
        for index in block:
            group = self.groups.made(self.find(index))
            if group is not None:
                group._evidence = None

    def _cluster_members(self, block: Iterable[int]) -> None:
        """Cluster one name block, given the groups it held after step 1 (some may have joined others since)."""
        members = self._ordered({self.find(i) for i in block})
        if len(members) > 1:
            self._cluster_block(members)

    def _cluster_with_kept(self, blocks: dict[tuple[str, str], list[int]], kept: KeptClusterings) -> None:
        """Cluster each component of ``blocks`` alone, or make again the joins ``kept`` holds for it, and note the
        joins of those clustered in ``kept`` (see :mod:`kg.resolve.clusterings`).

        Raises
        ------
        _RefusedKeptJoin
            A kept join was refused by the groups it names (some joins may have been made).
        """
        record_digests = self._record_digests(kept.record_digests)
        joined_in_step_one: defaultdict[int, list[int]] = defaultdict(list)  # root -> its other mentions
        for index, parent in enumerate(self.parent):
            if parent != index:
                joined_in_step_one[self.find(index)].append(index)
        namespace = _clustering_namespace(self.aliases)
        components = _components(blocks)
        shared = self._sharing_a_name_key(components, blocks)
        work = []
        for number, keys in enumerate(components):
            several = [key for key in keys if len(blocks[key]) > 1]  # a block of one group has nothing to join
            size = sum(len(blocks[key]) for key in keys)
            if several:
                digest, ordered = self._component_digest(several, blocks, joined_in_step_one, record_digests, namespace)
                joins = kept.get(digest, len(ordered)) if digest is not None else None
                if joins is None:
                    work.append(_Component(several, size, True, digest, ordered))
                    continue
                # People split from a namesake of another component are weighed against that one's groups: a
                # component that shares a name key with another makes its groups (its joins made again).
                people = kept.people(digest) if number not in shared else kept.again(digest, joins)
                if people is not None:
                    self._take_people(ordered, *people)
                else:
                    # Made again here: in another process they would cost more to hand back than to make.
                    for a, b, rule, evidence, score in joins:
                        if not self.union(ordered[a], ordered[b], rule, evidence, score):
                            raise _RefusedKeptJoin(digest)
                    self._to_note.append((digest, ordered))
                for key in several:
                    self.groups.release(blocks[key])
            self.tally.advance(size)
        for digest, joins in self._cluster_components(work, blocks):
            if digest is None:
                kept.clustered += 1
            else:
                kept.note(digest, joins)
        self._to_note.extend((component.digest, component.ordered) for component in work if component.digest)

    def _sharing_a_name_key(
        self, components: list[list[tuple[str, str]]], blocks: dict[tuple[str, str], list[int]]
    ) -> set[int]:
        """The components (by number) with a name key that a group of another component prints too (a source's
        own given and family parts can put one printed name in two name blocks)."""
        owner: dict[str, int] = {}
        shared: set[int] = set()
        for number, keys in enumerate(components):
            for key in keys:
                for index in blocks[key]:
                    group = self.groups.made(index)
                    for name_key in group.keys if group is not None else (self.groups.key(index),):
                        first = owner.setdefault(name_key, number)
                        if first != number:
                            shared.update((first, number))
        return shared

    def _take_people(self, ordered: list[int], people: list[KeptPeople], splits: list[RankedSplit]) -> None:
        """A component's people as an earlier run ended with them (its groups ``ordered`` as that run's digest
        order): each one's groups under one root, their merges, and the splits between them, with no group
        made or joined."""
        roots = []
        for person in people:
            root = ordered[person.members[0]]
            for member in person.members:
                group = ordered[member]
                self.merges.pop(group, None)
                if group != root:
                    self.parent[group] = root
            if person.merges:
                self.merges[root] = [Merge(variant, "", rule, evidence, score)
                                     for variant, rule, evidence, score in person.merges]  # fmt: skip
            self._kept_roots[root] = person
            self.groups.fix_sort_key(root, person.sort_key)
            roots.append(root)
        for first, other, _, rule, evidence, score in splits:
            self._kept_splits[roots[first], roots[other]] = (rule, evidence, score)

    def _cluster_components(
        self, work: list[_Component], blocks: dict[tuple[str, str], list[int]]
    ) -> list[tuple[str | None, list[RankedJoin]]]:
        """Cluster the components of ``work``: in two processes when the resolver may (``apart``), there are at
        least :data:`CLUSTER_APART_MIN_GROUPS` groups to cluster and a process to spare, each claiming components
        until none is left (:class:`kg.io.workers.Claims`); the other's outcome is then taken here
        (:meth:`_settle`). Components share no group, so the people are those of one process.

        Returns, for each component that is ``noted``, its digest and the joins made, each group by its place in
        the component's order (:mod:`kg.resolve.clusterings`), in no particular order.
        """
        from kg.io.workers import Claims, ForkedJob

        helper = None
        take: Callable[[], range | None] = iter((range(len(work)), None)).__next__  # all of them, here
        try:
            if self.apart and len(work) > 1 and sum(component.size for component in work) >= CLUSTER_APART_MIN_GROUPS:
                try:
                    claims = Claims(len(work), block=_COMPONENTS_PER_CLAIM)
                    helper = ForkedJob(functools.partial(self._cluster_apart, work, blocks, claims.back))
                    take = claims.front
                except OSError:  # no fork here, or no process or file to spare: all here
                    helper = None
            notes, mine = self._cluster_claimed(work, blocks, take, here=True)
            if helper is None:
                return notes
            try:
                ((roots, made, merges), more_notes, size), _ = helper.result()
            except Exception:
                # The other process failed (killed for memory, say): what it claimed is untouched here, and is
                # clustered here (an error of kg's own would come again, here).
                helper = None
                left = sorted(set(range(len(work))).difference(mine))
                more_notes, _ = self._cluster_claimed(work, blocks, iter((left, None)).__next__, here=True)
                return notes + more_notes
        except BaseException:
            if helper is not None:
                helper.cancel()
            raise
        self._settle(roots, made, merges)
        self.tally.advance(size)
        return notes + more_notes

    def _cluster_apart(
        self, work: list[_Component], blocks: dict[tuple[str, str], list[int]], take: Callable[[], range | None]
    ) -> tuple[tuple, list]:
        """In the other process of :meth:`_cluster_components`: cluster the components ``take`` hands out, and
        return what :meth:`_settle` needs of them, their notes and their groups (and no files)."""
        self.tally = Tally(None, "resolving authors", None)  # the progress is told by the first process
        notes, claimed = self._cluster_claimed(work, blocks, take, here=False)
        roots: dict[int, int] = {}
        for number in claimed:
            for key in work[number].keys:
                for index in blocks[key]:
                    roots[index] = self.find(index)
        made, merges = {}, {}
        for root in set(roots.values()):
            group = self.groups.made(root)
            if group is not None and group.size > 1:
                group._evidence = None  # made again where it is asked for
                made[root] = group
            if self.merges.get(root):
                merges[root] = self.merges[root]
        return ((roots, made, merges), notes, sum(work[number].size for number in claimed)), []

    def _cluster_claimed(
        self,
        work: list[_Component],
        blocks: dict[tuple[str, str], list[int]],
        take: Callable[[], range | None],
        here: bool,
    ) -> tuple[list[tuple[str | None, list[RankedJoin]]], list[int]]:
        """Cluster the components of ``work`` that ``take`` hands out, until it hands out None: the notes of the
        noted ones (see :meth:`_cluster_components`) and the numbers of those clustered. ``here``: in the process
        that tells the progress. Each process forgets the groups of one mention as it goes."""
        notes: list[tuple[str | None, list[RankedJoin]]] = []
        claimed: list[int] = []
        for numbers in iter(take, None):
            for number in numbers:
                component = work[number]
                claimed.append(number)
                self.joins = [] if component.noted else None
                for key in component.keys:
                    self._cluster_members(blocks[key])
                    self._forget_evidence(blocks[key])
                if component.noted:
                    joins = None
                    if component.digest is not None:
                        rank = {group: n for n, group in enumerate(component.ordered)}
                        joins = [(rank[a], rank[b], *rest) for a, b, *rest in self.joins]
                    notes.append((component.digest, joins))
                self.joins = None
                for key in component.keys:
                    self.groups.release(blocks[key])
                if here:
                    self.tally.advance(component.size)
        return notes, claimed

    def _settle(self, roots: dict[int, int], made: dict[int, _Group], merges: dict[int, list[Merge]]) -> None:
        """Take what clustering some components in another process left (:meth:`_cluster_apart`): each of their
        groups' root, the roots' groups and their merges, as the joins made there would have left them here."""
        for index, root in roots.items():
            if index != root:
                self.parent[index] = root
                self.merges.pop(index, None)
        self.groups.settle(made)
        self.merges.update(merges)

    def _record_digests(self, stored: Sequence[bytes] | None = None) -> list[bytes | None]:
        """Per record, a digest of everything clustering reads of it: its authors as printed, their source ids,
        its title and where it was read (the mentions' sort keys), its evidence (:class:`_Paper`) and the corpus's
        weight of its venue and printing of its authors' names.

        With the records' ``stored`` digests (as a store keeps each record: all of it), those stand for what a
        record says itself; the corpus's part (its venue's weight, its names' printing and which of its title
        words are rare) is added to each.

        None for a record that shares its title and place with another (one line of a file holding two records of
        one title, or no place): their mentions' sort keys can tie, and ties go by the records' order, which no
        digest of their content holds."""
        corpus, out = self.corpus, []
        places = Counter((record.source.path, record.source.line) for record in self.records if record.source)
        shared_places = Counter(
            (record.source.path, record.source.line, _title_key(record.title or ""))
            for record in self.records
            if record.source and places[(record.source.path, record.source.line)] > 1
        )
        for index, (record, paper) in enumerate(zip(self.records, self.papers, strict=True)):
            where = (record.source.path, record.source.line) if record.source else None
            if where is None or (places[where] > 1 and shared_places[(*where, _title_key(record.title or ""))] > 1):
                out.append(None)
                continue
            if stored is not None:
                of_corpus = (
                    [corpus.printed.get(name) for name in sorted(paper.names)],
                    corpus.venue_weight.get(paper.venue) if paper.venue else None,
                    sorted(paper.words),
                )
                digest = hashlib.blake2b(stored[index], digest_size=16)
                digest.update(repr(of_corpus).encode("utf-8", "surrogatepass"))
                out.append(digest.digest())
                continue
            facts = (
                record.authors,
                [sorted(ids) for ids in _source_ids(record)],  # a set's order changes from one run to the next
                record.title,
                where,
                sorted(paper.names),
                [corpus.printed.get(name) for name in sorted(paper.names)],
                sorted(paper.signatures),
                sorted(paper.initial_signatures),
                paper.venue,
                corpus.venue_weight.get(paper.venue) if paper.venue else None,
                paper.year,
                sorted(paper.topics),
                sorted(paper.words),
                sorted(paper.orgs),
                paper.owner,
            )
            out.append(hashlib.blake2b(repr(facts).encode("utf-8", "surrogatepass"), digest_size=16).digest())
        return out

    def _component_digest(
        self,
        keys: list[tuple[str, str]],
        blocks: dict[tuple[str, str], list[int]],
        joined_in_step_one: dict[int, list[int]],
        record_digests: list[bytes | None],
        namespace: bytes,
    ) -> tuple[str | None, list[int]]:
        """The digest of what clustering the blocks ``keys`` reads, and their groups in the order of their own
        digests (made from their mentions'); no digest where a record has none (:meth:`_record_digests`), or
        where two groups' are the same."""
        first = self.first_mentions

        def mention(index: int) -> bytes:
            record = bisect.bisect_right(first, index) - 1
            digest = record_digests[record]
            if digest is None:
                raise LookupError(record)
            return digest + (index - first[record]).to_bytes(4, "big")

        try:
            token = _group_tokens(keys, blocks, joined_in_step_one, mention)
        except LookupError:
            return None, []
        ordered = sorted(token, key=token.__getitem__)
        if len(set(token.values())) < len(token):
            return None, ordered
        digest = hashlib.blake2b(namespace, digest_size=16)
        for key in keys:
            # A key's repr holds no NUL; the tokens are counted, and each one's first byte gives its length.
            digest.update(repr(key).encode("utf-8", "surrogatepass") + b"\0")
            digest.update(len(blocks[key]).to_bytes(4, "big"))
            digest.update(b"".join(sorted(token[index] for index in blocks[key])))
        # The merges the identifiers' step made (their names, rules, evidence and order): kept people hold them.
        for place, index in enumerate(ordered):
            merges = self.merges.get(index)
            if merges:
                made = repr([(m.variant, m.rule, m.evidence, m.score) for m in merges])
                digest.update(b"\3" + place.to_bytes(4, "big") + made.encode("utf-8", "surrogatepass") + b"\0")
        return digest.hexdigest(), ordered

    def _partitions(self, blocks: dict[tuple[str, str], list[int]], count: int) -> list[BlockPartition]:
        """The name blocks in ``count`` parts by blocking key, blocks that share a group in one part."""
        import zlib

        part_keys: list[list[tuple[str, str]]] = [[] for _ in range(count)]
        for keys in _components(blocks):
            family, initial = keys[0]
            part_keys[zlib.crc32(f"{family}|{initial}".encode()) % count].extend(keys)
        parts = []
        for keys in part_keys:
            keys.sort()
            shipped = [key for key in keys if len(blocks[key]) > 1]  # a block of one group has nothing to join
            # Shared, not copied: step 1 cached no evidence, and a part is clustered on copies (cluster_partition).
            groups = {index: self.groups[index] for key in shipped for index in blocks[key]}
            papers = {r: self.papers[r] for group in groups.values() for r in group.records}
            venues = {paper.venue for paper in papers.values() if paper.venue}
            names = {name for paper in papers.values() for name in paper.names}
            parts.append(
                BlockPartition(
                    keys=tuple(shipped),
                    blocks=tuple(tuple(sorted(blocks[key])) for key in shipped),
                    groups=groups,
                    papers=papers,
                    venue_weight={venue: self.corpus.venue_weight[venue] for venue in venues},
                    printed={name: self.corpus.printed[name] for name in names if name in self.corpus.printed},
                    aliases=self.aliases,
                    size=sum(len(blocks[key]) for key in keys),
                )
            )
        return parts

    def _cluster_block(self, members: list[int]) -> None:
        """Cluster one name block (``members``: root groups)."""
        groups = self.groups
        whole = [i for i in members if not all(initials_only(p) for p in groups[i].parsed)]
        initials = [i for i in members if all(initials_only(p) for p in groups[i].parsed)]
        self._join_namesakes_sharing(whole)
        self._agglomerate(self._ordered({self.find(i) for i in whole}))
        people = self._ordered({self.find(i) for i in whole})
        if people and initials:
            choices = []
            for index in initials:
                best = None
                for person in self._candidates(index, people):
                    score, rule, evidence = score_pair(groups[index], groups[person], self.corpus, self.weights)
                    if score >= self.weights.threshold and (
                        best is None or (score, groups[person].sort_key) > best[:2]
                    ):
                        best = (score, groups[person].sort_key, person, rule, evidence)
                if best is not None:
                    choices.append((index, best))
            # Each initials-only group was weighed against the same people; the joins come after.
            for index, (score, _, person, rule, evidence) in sorted(choices, key=lambda c: groups[c[0]].sort_key):
                self.union(person, index, rule, evidence, score)
        joined = {self.find(p) for p in people}
        self._agglomerate(self._ordered({self.find(i) for i in initials} - joined))

    def _join_namesakes_sharing(self, members: list[int]) -> None:
        """A first, linear pass: groups that print one name and share an affiliation or a co-author.

        Each group is scored against the first group (in the fixed order) that prints the same
        name with the same affiliation or co-author, and joins it when the score reaches the
        threshold. A prolific author's hundreds of mentions become one group here without
        scoring every pair; the best-first pass that follows starts from far fewer groups.
        """
        groups, find, threshold = self.groups, self.find, self.weights.threshold
        first: dict[tuple[str, str, str], int] = {}
        for index in members:
            group = groups[index]
            coauthors = group.evidence(self.papers)["coauthors"]
            shared = [("org", org) for org in sorted(group.orgs)] if group.orgs else []
            if coauthors:
                shared += [("coauthor", name) for name in sorted(coauthors)]
            if not shared:
                continue
            b = find(index)  # changes only when it joins another group, below
            for key in sorted(group.keys) if len(group.keys) > 1 else group.keys:
                for kind, value in shared:
                    seen = first.setdefault((key, kind, value), index)
                    if seen == index:
                        continue
                    a = find(seen)
                    if a == b or not self._joinable(groups[a], groups[b]):
                        continue
                    score, rule, why = score_pair(groups[a], groups[b], self.corpus, self.weights)
                    if score >= threshold and self.union(a, b, rule, why, score):
                        b = find(index)

    def _joinable(self, a: _Group, b: _Group) -> bool:
        return any(compatible(x, y) for x in a.parsed for y in b.parsed) and not self.forbidden(a, b)

    def _candidates(self, index: int, people: list[int]) -> list[int]:
        """The people that share something with group ``index`` and could be it."""
        mine = _tokens(self.groups[index], self.papers, self.weights)
        return [
            p
            for p in people
            if mine & _tokens(self.groups[p], self.papers, self.weights)
            and self._joinable(self.groups[index], self.groups[p])
        ]

    def _agglomerate(self, members: list[int]) -> None:
        """Join the best-scoring pair of ``members`` while its score reaches the threshold.

        Pairs are proposed by an inverted index of what groups could share (a name, a co-author,
        an org, a venue, a topic, a rare title word): no pair that shares nothing is scored.
        Evidence that more groups hold than the limit is too common to propose pairs (it still
        counts in a score). After a join the new group is scored against both parts' neighbours.
        """
        if len(members) < 2:
            return
        groups, weights = self.groups, self.weights
        limit = weights.limits["evidence shared by more groups than this in one block is too common to propose pairs"]
        postings: defaultdict[tuple[str, object], list[int]] = defaultdict(list)
        for index in members:
            for token in _tokens(groups[index], self.papers, weights):
                postings[token].append(index)
        neighbours: defaultdict[int, set[int]] = defaultdict(set)
        for indexes in postings.values():
            if 1 < len(indexes) <= limit:
                for a, b in itertools.combinations(indexes, 2):
                    neighbours[a].add(b)
                    neighbours[b].add(a)
        heap: list = []

        def push(a: int, b: int) -> None:
            ga, gb = groups[a], groups[b]
            if self._joinable(ga, gb):
                score, rule, evidence = score_pair(ga, gb, self.corpus, weights)
                if score >= weights.threshold:
                    first, second = sorted((ga.sort_key, gb.sort_key))
                    # A pair pushed again after one side grew ties with its first push on score and sort keys:
                    # the rule and evidence, never the groups' numbers (the records' order), decide which pops.
                    heapq.heappush(heap, (-score, first, second, rule, evidence, a, b))

        for a in members:
            for b in neighbours[a]:
                if groups[a].sort_key < groups[b].sort_key:
                    push(a, b)
        while heap:
            negative, _, _, rule, evidence, a, b = heapq.heappop(heap)
            if self.find(a) != a or self.find(b) != b:
                continue  # one side joined another group since; that group's pairs were pushed then
            if self.union(a, b, rule, evidence, -negative):
                joined = self.find(a)
                other = b if joined == a else a
                near = {self.find(n) for n in neighbours[a] | neighbours[b]} - {joined}
                neighbours[joined] = near
                neighbours.pop(other, None)
                for n in self._ordered(near):
                    neighbours[n].add(joined)
                    push(joined, n)

    # -- what the graph keeps ---------------------------------------------------------------------

    def _splits(self, roots: list[int], number: dict[int, int]) -> list[Split]:
        """For people who print one name, why they stayed apart (each against the first, 20 at most)."""
        by_key: defaultdict[str, list[int]] = defaultdict(list)
        for root in roots:
            person = self._kept_roots.get(root)
            for key in person.keys if person is not None else sorted(self.groups.peek(root).keys):
                by_key[key].append(root)
        out, done = [], set()
        for key in sorted(by_key):
            first, *others = by_key[key]
            for other in others[:20]:
                if (first, other) in done:
                    continue  # the same two people under another printing of their name
                done.add((first, other))
                if first in self._kept_roots or other in self._kept_roots:
                    kept = self._kept_splits.get((first, other))
                    if kept is None:  # an earlier run's people without this pair: not what that run ended with
                        raise _RefusedKeptJoin(key)
                    out.append(Split(number[other], number[first], key, *kept))
                    continue
                a, b = self.groups.peek(first), self.groups.peek(other)
                reason = self.forbidden(a, b)
                if not reason and not any(compatible(x, y) for x in a.parsed for y in b.parsed):
                    reason = "names kg cannot split into given and family names"
                if reason:
                    out.append(Split(number[other], number[first], key, reason))
                else:
                    score, _, evidence = score_pair(a, b, self.corpus, self.weights)
                    out.append(Split(number[other], number[first], key, "too little evidence", evidence, score))
        return out

    def _listed(
        self, number: dict[int, int], display: dict[int, str], identity: dict[int, str]
    ) -> dict[int, tuple[int, str]]:
        """The page owner of each record that shows them only by being on their page.

        An owner the page never prints becomes a person of their own (numbered after the others),
        added to ``display`` and ``identity``.
        """
        # The owner's first mention, by its own place (not its group's, which depends on the joins' order).
        owner_person = {
            page_owner: number[self.find(min(indexes, key=self.groups.first_sort_key))]
            for page_owner, indexes in self._owner_mentions().items()
        }
        listed = {}
        for r, record in enumerate(self.records):
            owner = self.papers[r].owner
            if not owner:
                continue
            page_owner = (_page(record), owner)
            if page_owner not in owner_person:
                person = len(display)
                owner_person[page_owner] = person
                display[person] = natural_order(record.extra["page_owner"])
                identity[person] = f"page owner:{owner}"
            person = owner_person[page_owner]
            if all(number[self.find(self.first_mentions[r] + j)] != person for j in range(len(record.authors))):
                listed[r] = (person, record.extra["page_owner"])
        return listed


def _clustering_namespace(aliases: Aliases) -> bytes:
    """What every component's digest starts from: kg's code, the versions of the libraries that split and fold
    names and titles, and the name pairs the user forbids (the only aliases clustering reads)."""
    from importlib.metadata import PackageNotFoundError, version

    libraries = []
    for name in ("nameparser", "ftfy"):
        try:
            libraries.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            libraries.append(f"{name} not installed")
    forbidden = sorted(sorted(pair) for pair in aliases.different_author_keys)
    text = "\0".join([code_version(), *libraries, repr(forbidden)])
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _group_tokens(
    keys: list[tuple[str, str]],
    blocks: dict[tuple[str, str], list[int]],
    joined_in_step_one: dict[int, list[int]],
    mention: Callable[[int], bytes],
) -> dict[int, bytes]:
    """Each group of the blocks ``keys``: 1 and its mention's digest and place, or 2 and a digest of its mentions'
    (a group of several mentions after the identifiers' step)."""
    token: dict[int, bytes] = {}
    for key in keys:
        for index in blocks[key]:
            if index not in token:
                others = joined_in_step_one.get(index)
                if others is None:
                    token[index] = b"\1" + mention(index)
                else:
                    joined = b"".join(sorted(map(mention, [index, *others])))
                    token[index] = b"\2" + hashlib.blake2b(joined, digest_size=32).digest()
    return token


def _components(blocks: dict[tuple[str, str], list[int]]) -> list[list[tuple[str, str]]]:
    """The name blocks in components, blocks that share a group in one (a small union-find over block keys),
    each component's keys in order, the components in the order of their first.

    Examples
    --------
    >>> _components({("lee", "a"): [1, 2], ("chen", "b"): [3], ("ann", "l"): [2]})
    [[('ann', 'l'), ('lee', 'a')], [('chen', 'b')]]
    """
    top = {key: key for key in blocks}

    def root(key: tuple[str, str]) -> tuple[str, str]:
        while top[key] != key:
            top[key] = top[top[key]]
            key = top[key]
        return key

    first_block: dict[int, tuple[str, str]] = {}
    for key in sorted(blocks):
        for index in blocks[key]:
            other = first_block.setdefault(index, key)
            if other != key:
                top[root(key)] = root(other)
    components: defaultdict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for key in sorted(blocks):
        components[root(key)].append(key)
    return list(components.values())


def _page(record: Record) -> str:
    return record.source.path if record.source else ""


def _tokens(group: _Group, papers: Sequence[_Paper], weights: _Weights) -> set[tuple[str, object]]:
    """What a group could share with another: the keys of the inverted index that proposes pairs.

    A printed name proposes pairs only where it could join them alone (an uncommon name): for
    others a pair must share some evidence, which proposes it anyway.
    """
    evidence = group.evidence(papers)
    tokens: set[tuple[str, object]] = {("name", key) for key in group.keys if _name_token_proposes(key, weights)}
    tokens.update(("coauthor", s) for s in evidence["signatures"])
    tokens.update(("org", o) for o in group.orgs)
    tokens.update(("paper org", o) for o in evidence["paper_orgs"])
    tokens.update(("venue", v) for v in evidence["venues"])
    tokens.update(("topic", t) for t in evidence["topics"])
    tokens.update(("word", w) for w in evidence["words"])
    return tokens


def _identity(group: _Group) -> str:
    """What tells this person apart from a namesake: identifiers, else the name keys and first paper."""
    ids = sorted(group.orcids | group.source_ids | group.numbers)
    # The first mention (name key, paper title, position) tells apart even one name printed twice on one paper.
    return "|".join(ids) if ids else "|".join([*sorted(group.keys), *map(str, group.sort_key[1:])])


def _copied(group: _Group) -> _Group:
    """A copy of ``group`` that shares nothing changeable with it (and no cached evidence: it is rebuilt)."""
    return _Group(
        size=group.size,
        names=dict(group.names),
        parsed=set(group.parsed),
        keys=set(group.keys),
        orcids=set(group.orcids),
        source_ids=set(group.source_ids),
        numbers=set(group.numbers),
        records=set(group.records),
        orgs=set(group.orgs),
        sort_key=group.sort_key,
    )


# The sets of a _Group that a join adds up.
_GROUP_SETS = ("parsed", "keys", "orcids", "source_ids", "numbers", "records", "orgs")


def _joined(mine: set | frozenset, theirs: set | frozenset) -> set:
    """``mine`` with ``theirs`` added: in place when it is a group's own set, else (a frozenset another mention
    shares) a new set."""
    if isinstance(mine, frozenset):
        mine = set(mine)
    mine.update(theirs)
    return mine


def _fullness(group: _Group) -> int:
    """How much of a name the group's fullest printing gives (letters of its given names)."""
    return max(p.given_letters for p in group.parsed)


def _display(group: _Group) -> str:
    """The most informative printing, given names first: the longest given names, the most used, alphabetical."""
    chosen = max(sorted(group.names), key=lambda n: (parse_name(n).given_letters, group.names[n]))
    return natural_order(chosen)


@lru_cache(maxsize=50_000)
def natural_order(name: str) -> str:
    """A person's name printed family name first ("Abate, Francesco", as RIS and WoS print them) in reading order.

    Only a name nameparser reads as the same name both ways is turned: one comma (or a second before a
    suffix), every word kept, the same given and family names. Anything else is returned as printed: a list
    of names, an org after a name, a dblp number, a nickname, a family name of several words nameparser would
    split otherwise, and names in scripts that print the family name first.

    Examples
    --------
    >>> natural_order("Abate, Francesco"), natural_order("de la Cruz, María José"), natural_order("Smith, John, Jr.")
    ('Francesco Abate', 'María José de la Cruz', 'John Smith Jr.')
    >>> natural_order("Lee, Ann (Annie)"), natural_order("Ann Lee, Google"), natural_order("Schmitt, Markus 0002")
    ('Lee, Ann (Annie)', 'Ann Lee, Google', 'Schmitt, Markus 0002')
    >>> natural_order("Andrew M. Dai"), natural_order("山田, 太郎"), natural_order("Smith, J. and Doe, J.")
    ('Andrew M. Dai', '山田, 太郎', 'Smith, J. and Doe, J.')
    """
    if "," not in name or _NOT_TURNED_RE.search(name):
        return name
    from nameparser import HumanName

    parsed = HumanName(name)
    if parsed.first and parsed.last:
        ordered = " ".join(p for p in (parsed.title, parsed.first, parsed.middle, parsed.last, parsed.suffix) if p)
        if sorted(ordered.split()) != sorted(name.replace(",", " ").split()):
            return name  # a word nameparser set apart (a nickname) or lost
        if name.count(",") > 1 and not (parsed.suffix and name.rstrip().endswith(parsed.suffix)):
            return name
    elif name.count(",") == 1 and not parsed.title:
        # "Sievers, Cem": a given name nameparser takes for a suffix (parse_name reads it as the given name).
        family, given = (part.strip() for part in name.split(","))
        if not family or not given or _generational_suffix(given):
            return name
        ordered = f"{given} {family}"
    else:
        return name
    return ordered if parse_name(ordered) == parse_name(name) else name


def name_forms(name: str) -> set[str]:
    """The forms a person asked for by ``name`` may be shown in, case-folded: as typed, in reading order
    (:func:`natural_order`), and with a "Family, Given" printing swapped, which :func:`natural_order` leaves
    where nameparser would read the swapped name otherwise ("Garcia Marquez, Gabriel": a family name of two words).

    Examples
    --------
    >>> sorted(name_forms("Garcia Marquez,  Gabriel")), sorted(name_forms("Francesco Abate"))
    (['gabriel garcia marquez', 'garcia marquez, gabriel'], ['francesco abate'])
    """
    text = " ".join(name.split())
    forms = {text.casefold(), natural_order(text).casefold()}
    if text.count(",") == 1:
        family, given = (part.strip() for part in text.split(","))
        if family and given:
            forms.add(f"{given} {family}".casefold())
    return forms


# Lists of names, digits (a dblp number, an address), and the scripts of names printed family name first
# (CJK ideographs, kana, hangul).
_NOT_TURNED_RE = re.compile(r"[;&\d\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]|\band\b", re.IGNORECASE)
