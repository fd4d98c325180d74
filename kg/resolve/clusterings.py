"""Name blocks an earlier build clustered, kept so that the next build clusters again only those whose input changed.

Author resolution clusters each component of name blocks (blocks that share a group) alone
(:func:`kg.resolve.people.resolve_authors`). What a component's clustering reads is its groups, their
papers' evidence, the corpus's weights for those papers, the user's aliases and kg's own code: a digest of
all of it names the component, and the joins its clustering made are kept under that name, each group
given by its place among the component's groups in digest order (group numbers change when records are
added or removed; that order does not). A component whose digest the last build kept is not clustered: its
joins are made again, in order, which gives the groups, merges and people of clustering it.

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
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import orjson

# The joins of one component: (group, group, rule, evidence, score), each group by its place in digest order.
RankedJoin = tuple[int, int, str, tuple[str, ...], float | None]

_HEADER = b"kg author clusterings 1 %s\n"


class KeptClusterings:
    """The joins of each clustered component, by digest: those an earlier build kept, and this build's.

    ``lines`` is what :meth:`kept_parts` gave; None, or lines that are not what it gave (their digest differs),
    are read as nothing kept, and a line that does not decode as joins keeps nothing of its component (it is
    clustered again). Only the components this build asked for or noted are kept for the next.
    """

    def __init__(self, lines: bytes | None) -> None:
        self._previous: dict[str, bytes] = {}
        self._now: dict[str, bytes] = {}
        self.reused = 0  # components whose joins were taken from the last build
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
            joins = [
                (int(a), int(b), str(rule), tuple(str(item) for item in evidence),
                 None if score is None else float(score))
                for a, b, rule, evidence, score in orjson.loads(line)
            ]  # fmt: skip
        except (ValueError, TypeError):
            return None
        # Clustering never joins on the user's aliases (that rule also skips what forbids a join).
        if not all(0 <= a < groups and 0 <= b < groups and rule != "user alias: same" for a, b, rule, *_ in joins):
            return None
        self._now[digest] = line
        self.reused += 1
        return joins

    def note(self, digest: str, joins: list[RankedJoin]) -> None:
        """Keep the joins made clustering a component.

        Parameters
        ----------
        digest : str
            The component's digest.
        joins : list
            Its joins, in the order they were made, each group by its place in the component's digest order.
        """
        self._now[digest] = orjson.dumps(joins)
        self.clustered += 1

    def forget(self) -> None:
        """Drop everything kept and noted so far (what was kept is not what clustering makes)."""
        self._previous.clear()
        self._now.clear()
        self.reused = self.clustered = 0

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


def _line(digest: str, joins: bytes) -> bytes:
    return digest.encode("ascii") + b"\t" + joins + b"\n"


def _digest(body: bytes | memoryview) -> bytes:
    return hashlib.blake2b(body).hexdigest().encode("ascii")
