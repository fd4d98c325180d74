"""Name blocks an earlier build clustered, kept so that the next build clusters again only those whose input changed.

Author resolution clusters each component of name blocks (blocks that share a group) alone
(:func:`kg.resolve.people.resolve_authors`). What a component's clustering reads is its groups, their
papers' evidence, the corpus's weights for those papers, the user's aliases and kg's own code: a digest of
all of it names the component, and the joins its clustering made are kept under that name, each group
given by its place among the component's groups in digest order (group numbers change when records are
added or removed; that order does not). A component whose digest the last build kept is not clustered: its
joins are made again, in order, which gives the groups, merges and people of clustering it. With the joins,
the component's people are kept as the run ended with them (:class:`KeptPeople`: each one's groups, sort key,
name, identity, name keys and merges, and the splits between them): a component whose people were kept is
neither clustered nor joined again, its people are taken as they were.

The kept file is trusted as the store's database is: its digest tells a damaged file, not an edited one.
Still, a kept join the groups refuse drops everything kept (every block is clustered), and none joins on the
user's aliases (a rule that skips what forbids a join).

Examples
--------
>>> kept = KeptClusterings(None)
>>> kept.get("c1", 2) is None
True
>>> kept.note("c1", [(0, 1, "same name + shared co-author", ("co-author: Bo Chen",), 2.5)])
>>> later = KeptClusterings(b"".join(kept.kept_parts()))
>>> later.get("c1", 2)
[(0, 1, 'same name + shared co-author', ('co-author: Bo Chen',), 2.5)]
>>> later.reused, KeptClusterings(b"something else").get("c1", 2)
(1, None)

A component's people, noted once the run is over, come back with its joins (only where they are the joins'):

>>> person = [[0, 1], ["ann lee", "graphs", 0, "a.ris", 1], "Ann Lee", "ann lee|graphs|0|a.ris|1", ["ann lee"],
...           [["Ann Lee", "same name + shared co-author", ["co-author: Bo Chen"], 2.5]]]
>>> kept.note_people("c1", [person], [])
>>> again = KeptClusterings(b"".join(kept.kept_parts()))
>>> joins, (people, splits) = again.get("c1", 2), again.people("c1")
>>> len(joins), people[0].members, people[0].sort_key
(1, (0, 1), ('ann lee', 'graphs', 0, 'a.ris', 1))
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator, Sequence
from typing import NamedTuple

import orjson

# The joins of one component: (group, group, rule, evidence, score), each group by its place in digest order.
RankedJoin = tuple[int, int, str, tuple[str, ...], float | None]
# A split between two people of one component, by their places in the component's people: (person, other,
# name key, rule, evidence, score), as kg.resolve.people.Split has them.
RankedSplit = tuple[int, int, str, str, tuple[str, ...], float | None]

_HEADER = b"kg author clusterings 2 %s\n"


class KeptPeople(NamedTuple):
    """One person of a component as a run ended with them: their groups (places in digest order), sort key,
    name shown, identity (before namesakes are told apart), name keys, and merges (variant, rule, evidence,
    score) in the order they were made."""

    members: tuple[int, ...]
    sort_key: tuple
    display: str
    identity: str
    keys: tuple[str, ...]
    merges: tuple[tuple[str, str, tuple[str, ...], float | None], ...]


class KeptClusterings:
    """The joins of each clustered component, by digest: those an earlier build kept, and this build's.

    ``lines`` is what :meth:`kept_parts` gave; None, or lines that are not what it gave (their digest differs),
    are read as nothing kept, and a line that does not decode as joins keeps nothing of its component (it is
    clustered again). Only the components this build asked for or noted are kept for the next.

    ``record_digests`` (each record's digest as a store keeps it, its line; by the records' order) stand for
    what clustering reads of each record itself in the components' digests: a store's build knows them.
    """

    def __init__(self, lines: bytes | None, record_digests: Sequence[bytes] | None = None) -> None:
        self.record_digests = record_digests
        self._previous: dict[str, bytes] = {}
        self._now: dict[str, bytes] = {}
        self._joins: dict[str, list[RankedJoin]] = {}  # noted here, waiting for the people (note_people)
        self._people: dict[str, tuple[list[KeptPeople], list[RankedSplit]]] = {}
        self.reused = 0  # components whose joins were taken from the last build
        self.taken = 0  # of those, components whose people were taken as they were (no join made again)
        self.clustered = 0  # components clustered here
        lines = lines or b""
        end = lines.find(b"\n")
        if end < 0 or lines[:end] != _HEADER.rstrip(b"\n") % _digest(memoryview(lines)[end + 1 :]):
            return
        start = end + 1
        while start < len(lines):
            end = lines.find(b"\n", start)
            end = len(lines) if end < 0 else end
            tab = lines.find(b"\t", start, end)
            if tab > start:
                self._previous[lines[start:tab].decode("ascii", "replace")] = lines[tab + 1 : end]
            start = end + 1

    def get(self, digest: str, groups: int) -> list[RankedJoin] | None:
        """The joins kept for a component.

        Parameters
        ----------
        digest : str
            The component's digest.
        groups : int
            How many groups the component has: a join naming another place is none of its.

        Returns
        -------
        list or None
            Its joins, in the order they were made; None when none were kept, or what was kept does not decode
            as joins of that many groups that clustering could have made.
        """
        line = self._previous.get(digest)
        if line is None:
            return None
        try:
            kept = orjson.loads(line)
            joins = [
                (int(a), int(b), str(rule), tuple(str(item) for item in evidence),
                 None if score is None else float(score))
                for a, b, rule, evidence, score in kept["joins"]
            ]  # fmt: skip
        except (ValueError, TypeError, KeyError):
            return None
        # Clustering never joins on the user's aliases (that rule also skips what forbids a join).
        if not all(0 <= a < groups and 0 <= b < groups and rule != "user alias: same" for a, b, rule, *_ in joins):
            return None
        self._now[digest] = line
        self.reused += 1
        people = _people(kept.get("people"), kept.get("splits"), groups, joins)
        if people is not None:
            self._people[digest] = people
        else:
            self._joins[digest] = joins  # made again, and their people noted this time
        return joins

    def again(self, digest: str, joins: list[RankedJoin]) -> None:
        """The joins :meth:`get` gave for a component are made again rather than its people taken: its people are
        noted afresh (:meth:`note_people`). Returns None, for no people taken."""
        self._people.pop(digest, None)
        self._joins[digest] = joins

    def people(self, digest: str) -> tuple[list[KeptPeople], list[RankedSplit]] | None:
        """The people and splits kept for a component :meth:`get` gave joins for; None when none were kept, or
        what was kept is not the people those joins make (then the joins are to be made again)."""
        people = self._people.pop(digest, None)
        self.taken += people is not None
        return people

    def note(self, digest: str, joins: list[RankedJoin]) -> None:
        """Keep the joins made clustering a component.

        Parameters
        ----------
        digest : str
            The component's digest.
        joins : list
            Its joins, in the order they were made, each group by its place in the component's digest order.
        """
        self._now[digest] = orjson.dumps({"joins": joins})
        self._joins[digest] = joins
        self.clustered += 1

    def note_people(self, digest: str, people: list[list], splits: list[RankedSplit]) -> None:
        """Keep, with the joins noted for a component, the people the run ended with there.

        Parameters
        ----------
        digest : str
            The component's digest (its joins noted first, :meth:`note`).
        people : list
            Its people, each as :class:`KeptPeople`'s fields (lists for tuples), in the order of their sort keys.
        splits : list
            The splits between them.
        """
        joins = self._joins.pop(digest, None)
        if joins is None:
            return
        # Kept small: a merge made by one of the joins is that join's number and the name that joined; an
        # identity that is the person's name keys and first mention is left out (both are made again).
        join_of: dict[tuple, int] = {}
        for number, (_, _, rule, evidence, score) in enumerate(joins):
            join_of.setdefault((rule, tuple(evidence), score), number)
        compact = []
        for members, sort_key, display, identity, keys, merges in people:
            merges = [
                [number, variant] if (number := join_of.get((rule, tuple(evidence), score))) is not None
                else [variant, rule, evidence, score]
                for variant, rule, evidence, score in merges
            ]  # fmt: skip
            identity = None if identity == _plain_identity(keys, sort_key) else identity
            compact.append([members, sort_key, display, identity, keys, merges])
        # Text orjson refuses (a lone surrogate) keeps the joins alone: they are made again next time.
        with contextlib.suppress(TypeError):
            self._now[digest] = orjson.dumps({"joins": joins, "people": compact, "splits": splits})

    def forget(self) -> None:
        """Drop everything kept and noted so far (what was kept is not what clustering makes)."""
        self._previous.clear()
        self._now.clear()
        self._joins.clear()
        self._people.clear()
        self.reused = self.clustered = self.taken = 0

    def kept_parts(self) -> Iterator[bytes]:
        """What to keep for the next build (read back by :class:`KeptClusterings`): a header with the body's digest,
        then a line per component (never joined into one: a million papers' are hundreds of megabytes)."""
        digests = sorted(self._now)
        body = hashlib.blake2b()
        for digest in digests:
            body.update(_line(digest, self._now[digest]))
        yield _HEADER % body.hexdigest().encode("ascii")
        for digest in digests:
            yield _line(digest, self._now[digest])


def _people(
    people: object, splits: object, groups: int, joins: list[RankedJoin]
) -> tuple[list[KeptPeople], list[RankedSplit]] | None:
    """Kept people and splits decoded, or None where they are missing, do not decode, or are not the people the
    component's ``joins`` make of its ``groups`` (each group in one person, the same groups together)."""
    if not isinstance(people, list) or not isinstance(splits, list):
        return None
    try:
        decoded = []
        for members, sort_key, display, identity, keys, merges in people:
            keys, sort_key = tuple(map(str, keys)), tuple(sort_key)
            made = []
            for merge in merges:
                if isinstance(merge[0], int):
                    number, variant = merge
                    if not 0 <= number < len(joins):
                        return None
                    made.append((str(variant), *joins[number][2:]))
                else:
                    variant, rule, evidence, score = merge
                    made.append((str(variant), str(rule), tuple(map(str, evidence)),
                                 None if score is None else float(score)))  # fmt: skip
            identity = _plain_identity(keys, sort_key) if identity is None else str(identity)
            decoded.append(KeptPeople(tuple(map(int, members)), sort_key, str(display), identity, keys, tuple(made)))
        ranked = [
            (int(a), int(b), str(key), str(rule), tuple(map(str, evidence)), None if score is None else float(score))
            for a, b, key, rule, evidence, score in splits
        ]
    except (ValueError, TypeError, IndexError):
        return None
    parent = list(range(groups))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b, *_ in joins:
        parent[find(a)] = find(b)
    seen: set[int] = set()
    for person in decoded:
        if not person.members or any(not 0 <= m < groups or m in seen for m in person.members):
            return None
        seen.update(person.members)
        if len({find(m) for m in person.members}) != 1:
            return None
    if len(seen) != groups or len({find(m) for m in range(groups)}) != len(decoded):
        return None
    if not all(0 <= a < len(decoded) and 0 <= b < len(decoded) for a, b, *_ in ranked):
        return None
    return decoded, ranked


def _plain_identity(keys: tuple[str, ...] | list[str], sort_key: tuple | list) -> str:
    """A person's identity where they have no identifier: their name keys and first mention (as
    kg.resolve.people makes it)."""
    return "|".join([*keys, *map(str, sort_key[1:])])


def _line(digest: str, joins: bytes) -> bytes:
    return digest.encode("ascii") + b"\t" + joins + b"\n"


def _digest(body: bytes | memoryview) -> bytes:
    return hashlib.blake2b(body).hexdigest().encode("ascii")
