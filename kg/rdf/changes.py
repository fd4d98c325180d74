"""Which statements a build changed since the last one, so a store is updated instead of loaded again.

A store's build keeps, beside its database, a digest of the statements about each subject in each
named graph (a *group*: the 64-bit sum of a hash of each of its N-Quads lines) and the group's
name. The hash is XXH3 (64 bits) with a seed drawn when a store is loaded whole and kept with its digests: ten times
as fast as BLAKE2b on these short lines (8 M of them at 100,000 papers). It is no cryptographic hash: a pair of
lines crafted to collide does so under about one seed in 2**27 (xxHash issue 1127), where the 64-bit BLAKE2b
used before could be made to collide under every build with 2**32 work.

The next build of that store starts from a copy of the database, writes every statement
again as text (cheap), and hands Oxigraph only the groups whose digest changed: their old statements
are deleted and their new ones loaded, and groups that are gone are deleted. Loading is most of a
build's cost at scale (8 M quads took 78 s on disk at 100,000 papers, docs/SCALING.md), so a change
that touches a few groups costs the writing of the text, not the load.

The result is the database a full load would give: every group is either the same (its digest
matches) or rewritten whole.

Examples
--------
>>> import pyoxigraph, tempfile
>>> line = lambda s, o: f'<http://x.org/{s}> <http://x.org/p> "{o}" <http://x.org/g> .'
>>> store = pyoxigraph.Store()
>>> first = StatementDigests()
>>> data = first.take({line("s", 1): "<http://x.org/s>", line("t", 2): "<http://x.org/t>"})
>>> store.load(data, format=pyoxigraph.RdfFormat.N_QUADS)
>>> later = StatementDigests(spill=tempfile.gettempdir(), seed=KeptDigests(first.kept()).seed)
>>> _ = later.take({line("s", 1): "<http://x.org/s>", line("u", 3): "<http://x.org/u>"})
>>> later.apply(store, KeptDigests(first.kept()))
{'groups rewritten': 1, 'groups deleted': 1, 'statements deleted': 1, 'statements loaded': 1}
>>> sorted(str(q.subject) for q in store)
['<http://x.org/s>', '<http://x.org/u>']
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import xxhash

_HEADER = b'{"kg": "statement digests", "xxh3_64 seed": %d, "blake2b": "%s", "groups": %d}\n'


def _body_digest(seed: int, count: int) -> Any:
    """The digest that checks kept digests: of the seed and count too (a seed changed on disk would make
    every group look new, and the groups of graphs carried, not written, look gone)."""
    digest = hashlib.blake2b()
    digest.update(b"%d %d\n" % (seed, count))
    return digest


# Past this share of the groups rewritten or deleted (of a store with at least _RELOAD_MIN_GROUPS groups),
# emptying the copy and loading everything is cheaper than deleting statements one by one.
_RELOAD_SHARE = 0.3
_RELOAD_MIN_GROUPS = 50_000


class StatementDigests:
    """The digests of a build's statement groups, gathered chunk by chunk as the statements are written.

    :meth:`take` hashes one chunk of lines (line -> its subject, as :class:`kg.rdf.nquads.QuadSink`
    hands them on) and returns the chunk as N-Quads bytes; with ``spill`` (a folder) the chunks wait in a
    temporary file there for :meth:`apply` (removed once this object is gone). ``seed`` is the hash's:
    the one of the digests a build compares with (:attr:`KeptDigests.seed`), else a new random one.
    """

    def __init__(self, spill: str | os.PathLike[str] | None = None, seed: int | None = None) -> None:
        self.seed = secrets.randbits(64) if seed is None else seed
        self._groups: list[np.ndarray] = []
        self._hashes: list[np.ndarray] = []
        self._graph_keys: list[np.ndarray] = []  # each group's graph (its hash), to carry a graph's groups whole
        self._carried = False  # whether groups of graphs this build did not write were taken from the last
        # Open as long as this object lives (apply reads it back); the system removes it once closed.
        self._spill = tempfile.TemporaryFile(dir=spill) if spill is not None else None  # noqa: SIM115
        self._chunks: list[tuple[int, int, int]] = []  # where each chunk is in the spill file, its lines
        self._names = zlib.compressobj(1)
        self._graphs: set[str] = set()  # the named graphs written (as N-Quads writes them)
        self._named: list[bytes] = []

    def take(self, lines: dict[str, str]) -> bytes:
        """Hash one chunk's lines; the chunk as N-Quads bytes (one line each)."""
        encoded = [line.encode("utf-8") for line in lines]
        hash_, seed = xxhash.xxh3_64_intdigest, self.seed
        keys: dict[str, int] = {}
        graph_keys: dict[str, int] = {}
        graph_of: dict[int, int] = {}  # group -> its graph's key
        groups = []
        for line, subject in lines.items():
            # The graph is the last term: after the object, whatever the object holds.
            graph = line[line.rindex(" <", 0, -2) + 1 : -2]
            name = f"{subject} {graph}"
            key = keys.get(name)
            if key is None:
                key = keys[name] = hash_(name.encode("utf-8"), seed)
                graph_key = graph_keys.get(graph)
                if graph_key is None:
                    graph_key = graph_keys[graph] = hash_(graph.encode("utf-8"), seed)
                    self._graphs.add(graph)
                graph_of[key] = graph_key
            groups.append(key)
        line_groups = np.array(groups, dtype=np.uint64)
        hashes = np.fromiter([hash_(line, seed) for line in encoded], np.uint64, len(encoded))
        # Summed per group here: what is held is a chunk's groups, not every line's.
        chunk_keys, inverse = np.unique(line_groups, return_inverse=True)
        sums = np.zeros(len(chunk_keys), np.uint64)
        np.add.at(sums, inverse, hashes)  # modulo 2**64
        self._groups.append(chunk_keys)
        self._hashes.append(sums)
        self._graph_keys.append(np.fromiter([graph_of[key] for key in chunk_keys.tolist()], np.uint64, len(chunk_keys)))
        self._named.append(self._names.compress("".join(f"{k:016x} {n}\n" for n, k in keys.items()).encode("utf-8")))
        data = b"\n".join(encoded) + b"\n"
        if self._spill is not None:  # the chunk, then its lines' groups
            self._chunks.append((self._spill.tell(), len(data), len(line_groups)))
            self._spill.write(data)
            self._spill.write(line_groups.tobytes())
        return data

    def _digests(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each group's key (sorted), digest (the sum of its lines' hashes, modulo 2**64) and graph's key."""
        if not self._groups:
            return np.zeros(0, np.uint64), np.zeros(0, np.uint64), np.zeros(0, np.uint64)
        if len(self._groups) > 1:  # once every chunk is in (apply, then kept): merged into one
            keys, first, inverse = np.unique(np.concatenate(self._groups), return_index=True, return_inverse=True)
            digests = np.zeros(len(keys), np.uint64)
            np.add.at(digests, inverse, np.concatenate(self._hashes))
            self._groups, self._hashes = [keys], [digests]
            self._graph_keys = [np.concatenate(self._graph_keys)[first]]
        return self._groups[0], self._hashes[0], self._graph_keys[0]

    def carry(self, previous: KeptDigests, graphs: Iterable[str], subjects: Iterable[tuple[str, str]] = ()) -> int:
        """Take the groups of ``graphs`` (graph IRIs this build did not write), and those of ``subjects`` ((subject
        IRI, graph IRI) pairs whose statements this build did not write), as ``previous`` kept them: the store
        keeps their statements as the last build left them. Returns how many groups were carried."""
        terms = {f"<{graph}>".encode() for graph in graphs}
        names = {f"<{subject}> <{graph}>".encode() for subject, graph in subjects}
        if not terms and not names:
            return 0
        if previous.seed != self.seed:  # its groups' keys would match none of this build's
            raise ValueError("digests are carried only between builds hashed with one seed")
        hash_ = xxhash.xxh3_64_intdigest
        wanted = np.fromiter([hash_(term, self.seed) for term in terms], np.uint64, len(terms))
        mask = np.isin(previous.graph_keys, wanted)
        if names:
            named = np.fromiter([hash_(name, self.seed) for name in names], np.uint64, len(names))
            mask |= np.isin(previous.keys, named)
        self._groups.append(previous.keys[mask])
        self._hashes.append(previous.digests[mask])
        self._graph_keys.append(previous.graph_keys[mask])
        self._graphs.update(term.decode() for term in terms)
        self._graphs.update(name[name.rindex(b" ") + 1 :].decode() for name in names)
        self._carried = True
        # A name line is carried with its group: picked by its key, a block of lines at a time (most lines of a
        # store are carried, in long runs).
        carried = previous.keys[mask]  # sorted, as the kept keys are
        for block in previous.name_blocks():
            keys, starts, ends = _line_keys(block)
            picked = _among(keys, carried)
            if picked.all():
                self._named.append(self._names.compress(block))
            elif picked.any():
                edges = np.flatnonzero(np.diff(np.concatenate(([0], picked.view(np.int8), [0]))))
                runs = zip(starts[edges[0::2]].tolist(), (ends[edges[1::2] - 1] + 1).tolist(), strict=True)
                self._named.append(self._names.compress(b"".join(block[start:end] for start, end in runs)))
        return int(mask.sum())

    def kept(self) -> bytes:
        """What the next build of this store reads back (:class:`KeptDigests`)."""
        return b"".join(self.kept_parts())

    def kept_parts(self) -> list[bytes]:
        """:meth:`kept` in parts, to be written one after the other (never joined: a million papers' are 700 MB)."""
        keys, digests, graph_keys = self._digests()
        body = [keys.tobytes(), digests.tobytes(), graph_keys.tobytes(), *self._named, self._names.copy().flush()]
        digest = _body_digest(self.seed, len(keys))
        for part in body:
            digest.update(part)
        return [_HEADER % (self.seed, digest.hexdigest().encode("ascii"), len(keys)), *body]

    def apply(self, store: Any, previous: KeptDigests) -> dict[str, int]:
        """Make ``store``, which holds the statements ``previous`` describes, hold this build's instead.

        Needs ``spill``. Groups whose digest changed are deleted and loaded again, groups that are gone
        deleted (and named graphs left with no statement), new ones loaded; the rest is left alone. When
        most groups changed, the store is emptied and every statement loaded (cheaper than deleting them
        one by one).
        """
        import pyoxigraph

        assert self._spill is not None, "apply needs the chunks: StatementDigests(spill=FOLDER)"
        keys, digests, _ = self._digests()
        at = np.searchsorted(previous.keys, keys)
        found = at < len(previous.keys)
        found[found] = previous.keys[at[found]] == keys[found]
        changed = keys[found][previous.digests[at[found]] != digests[found]]
        gone = np.setdiff1d(previous.keys, keys, assume_unique=True)
        rewritten = np.union1d(changed, keys[~found])
        outcome = {"groups rewritten": len(rewritten), "groups deleted": len(gone), "statements deleted": 0}
        many = len(keys) >= _RELOAD_MIN_GROUPS and len(rewritten) + len(gone) > _RELOAD_SHARE * len(keys)
        if many and not self._carried:  # carried groups have no lines here to load again
            store.clear()
            chunks = (data for data, _ in self._read_chunks())
            outcome["statements deleted"] = -1  # all: the store was emptied
        else:
            for subject, graph in previous.names(np.union1d(changed, gone)):
                quads = list(store.quads_for_pattern(pyoxigraph.NamedNode(subject), None, None,
                                                     pyoxigraph.NamedNode(graph)))  # fmt: skip
                for quad in quads:
                    store.remove(quad)
                outcome["statements deleted"] += len(quads)
            chunks = self._selected(rewritten)
        loaded = 0
        for data in chunks:
            if data.strip():
                store.bulk_load(data, format=pyoxigraph.RdfFormat.N_QUADS)
                loaded += data.count(b"\n")
        outcome["statements loaded"] = loaded
        for graph in list(store.named_graphs()):  # a graph emptied by the deletions is no graph of a full load
            if isinstance(graph, pyoxigraph.NamedNode) and f"<{graph.value}>" not in self._graphs:
                store.remove_graph(graph)
        return outcome

    def _read_chunks(self) -> Iterator[tuple[bytes, np.ndarray]]:
        """Each spilled chunk, and its lines' groups."""
        assert self._spill is not None
        for start, size, lines in self._chunks:
            self._spill.seek(start)
            data = self._spill.read(size)
            yield data, np.frombuffer(self._spill.read(8 * lines), np.uint64)

    def _selected(self, wanted: np.ndarray) -> Iterator[bytes]:
        """The lines of the kept chunks whose group is ``wanted``."""
        for data, groups in self._read_chunks():
            picked = np.flatnonzero(np.isin(groups, wanted))
            if len(picked):
                lines = data.split(b"\n")
                yield b"\n".join(lines[i] for i in picked) + b"\n"


class KeptDigests:
    """What :meth:`StatementDigests.kept` gave, read back.

    Raises
    ------
    ValueError
        ``data`` is not what :meth:`StatementDigests.kept` wrote (its digest differs), or digests of an
        older kind (their next build loads every statement again).
    """

    def __init__(self, data: bytes) -> None:
        header, _, body = data.partition(b"\n")
        try:
            fields = json.loads(header)
            count, seed = fields["groups"], fields["xxh3_64 seed"]
            checked = _body_digest(seed, count)
            checked.update(body)
            expected = _HEADER % (seed, checked.hexdigest().encode("ascii"), count)
        except (ValueError, TypeError, KeyError):
            raise ValueError("not kept statement digests") from None
        if header + b"\n" != expected:
            raise ValueError("kept statement digests changed since they were written")
        self.seed: int = seed  # the hash's seed, for the next build's digests to be comparable
        size = 8 * count
        self.keys = np.frombuffer(body, np.uint64, count)
        self.digests = np.frombuffer(body, np.uint64, count, size)
        self.graph_keys = np.frombuffer(body, np.uint64, count, 2 * size)
        self._names = body[3 * size :]

    def names(self, wanted: np.ndarray) -> Iterator[tuple[str, str]]:
        """(subject IRI, graph IRI) of each group of ``wanted``."""
        if not len(wanted):
            return
        wanted = np.unique(wanted)
        seen: set[int] = set()
        for block in self.name_blocks():
            keys, starts, ends = _line_keys(block)
            for line in np.flatnonzero(_among(keys, wanted)).tolist():
                key = int(keys[line])
                if key not in seen:  # a group written in two chunks has two lines
                    seen.add(key)
                    subject, graph = block[starts[line] + 17 : ends[line]].decode("utf-8").split(" ")
                    yield subject[1:-1], graph[1:-1]

    def name_blocks(self) -> Iterator[bytes]:
        """The names' lines, decompressed a piece at a time (whole, they are ten times the file), in blocks of
        whole lines, each ending in a line break."""
        reader = zlib.decompressobj()
        rest = b""
        names, step = memoryview(self._names), 1 << 20  # fed a part at a time: no tail of the input copied
        for at in range(0, len(names), step):
            piece = reader.decompress(names[at : at + step])
            if at + step >= len(names):
                piece += reader.flush()
            block = rest + piece
            cut = block.rfind(b"\n") + 1
            rest = block[cut:]
            if cut:
                yield block[:cut]
        if rest:
            yield rest + b"\n"


# The value of each byte as a hexadecimal digit (the name lines' keys are 16 of them).
_HEX_VALUE = np.zeros(256, np.uint64)
_HEX_VALUE[np.frombuffer(b"0123456789", np.uint8)] = np.arange(10, dtype=np.uint64)
_HEX_VALUE[np.frombuffer(b"abcdef", np.uint8)] = np.arange(10, 16, dtype=np.uint64)
_HEX_SHIFTS = np.arange(60, -1, -4, dtype=np.uint64)


def _line_keys(block: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The key of each name line of ``block`` (lines ``{key:016x} <subject> <graph>``, each ending in a line
    break), where each line starts and where its line break is."""
    data = np.frombuffer(block, np.uint8)
    ends = np.flatnonzero(data == ord("\n"))
    starts = np.concatenate(([0], ends[:-1] + 1))
    digits = _HEX_VALUE[data[starts[:, None] + np.arange(16)]]
    return np.bitwise_or.reduce(digits << _HEX_SHIFTS, axis=1), starts, ends


def _among(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Whether each of ``keys`` is one of ``sorted_keys``."""
    found = np.zeros(len(keys), bool)
    if len(sorted_keys):
        order = np.argsort(keys)  # looked up in order: twice as fast as at random in millions of keys
        in_order = keys[order]
        found[order] = sorted_keys[np.minimum(np.searchsorted(sorted_keys, in_order), len(sorted_keys) - 1)] == in_order
    return found
