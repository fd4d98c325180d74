"""Name blocks an earlier build clustered, kept so that the next build clusters again only those whose input changed.

Author resolution clusters each component of name blocks (blocks that share a group) alone
(:func:`kg.resolve.people.resolve_authors`). What a component's clustering reads is its groups, their
papers' evidence, the corpus's weights for those papers, the user's aliases and kg's own code: a digest of
all of it names the component, and the joins its clustering made are kept under that name, each group
given by its place among the component's groups in digest order (group numbers change when records are
added or removed; that order does not). A component whose digest the last build kept is not clustered: its
joins are made again, in order, which gives the groups, merges and people of clustering it.

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
        header, _, body = (lines or b"").partition(b"\n")
        if header != _HEADER.rstrip(b"\n") % hashlib.blake2b(body).hexdigest().encode("ascii"):
            return
        for line in body.splitlines():
            digest, tab, joins = line.partition(b"\t")
            if tab:
                self._previous[digest.decode("ascii", "replace")] = joins

    def get(self, digest: str, groups: int) -> list[RankedJoin] | None:
        """The joins kept for the component ``digest`` of ``groups`` groups, or None when there are none to be had."""
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
        if not all(0 <= a < groups and 0 <= b < groups for a, b, *_ in joins):
            return None
        self._now[digest] = line
        self.reused += 1
        return joins

    def note(self, digest: str, joins: list[RankedJoin]) -> None:
        """Keep the joins made clustering the component ``digest`` (in the order they were made)."""
        self._now[digest] = orjson.dumps(joins)
        self.clustered += 1

    def kept_parts(self) -> Iterator[bytes]:
        """What to keep for the next build (read back by :class:`KeptClusterings`): a header with the body's digest,
        then a line per component."""
        body = b"".join(digest.encode("ascii") + b"\t" + self._now[digest] + b"\n" for digest in sorted(self._now))
        yield _HEADER % hashlib.blake2b(body).hexdigest().encode("ascii")
        yield body
