"""A graph file of sorted, distinct statements, written from the writer's chunks in bounded memory.

The writer hands statements on a chunk at a time (:class:`kg.rdf.nquads.QuadSink`), and a line may repeat
a line of an earlier chunk. Here the lines are gathered into runs of ``run_lines``; each run is sorted
and spilled to a temporary file, and the file is the merge of the runs with each line once (an external
merge sort). No database holds the statements on the way: memory is one run, whatever the graph's size.
The lines are the writer's, whose literals are in the canonical form Oxigraph writes
(:func:`kg.rdf.nquads.nt_literal`), so an N-Quads file holds what a dump of the same statements loaded
into Oxigraph holds, sorted. A triple format gets the union of the graphs, each triple once: N-Triples as
lines, Turtle and RDF/XML written by Oxigraph's serializer from them.

While the merge runs it counts what a summary of the graph needs: the statements, the distinct nodes of
each class (``?node rdf:type ?class`` over every graph) and the distinct papers with ``kg:citedOnly true``.

Examples
--------
>>> import io
>>> from kg.namespace import RDF_TYPE
>>> line = lambda s, o: f'<http://x.org/{s}> <{RDF_TYPE}> <http://x.org/{o}> <http://x.org/g> .'
>>> out = SortedNQuads(run_lines=2)
>>> out.take([line("b", "C"), line("a", "C")])
>>> out.take([line("a", "C"), line("c", "D")])
>>> handle = io.BytesIO()
>>> out.write(handle)
3
>>> [text.split()[0] for text in handle.getvalue().decode().splitlines()]
['<http://x.org/a>', '<http://x.org/b>', '<http://x.org/c>']
>>> out.classes, out.cited_only
({'http://x.org/C': 2, 'http://x.org/D': 1}, 0)
"""

from __future__ import annotations

import heapq
import itertools
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO

from kg.namespace import KG, RDF_TYPE, XSD
from kg.rdf.formats import RdfFormat, oxigraph_format

_TYPE = f"<{RDF_TYPE}> ".encode()
_CITED_ONLY = f'<{KG.citedOnly}> "true"^^<{XSD}boolean> '.encode()
# The formats written from the sorted lines; TriG and JSON-LD group statements by graph, and are written from
# a database.
STREAMED = ("N-Quads", "N-Triples", "Turtle", "RDF/XML")
# Lines sorted in memory at a time (about 250 MB), and runs merged at once at most (each is an open file;
# more are merged in rounds).
_RUN_LINES = 1_000_000
_MAX_FAN_IN = 200


class SortedNQuads:
    """N-Quads lines gathered chunk by chunk, then written sorted and distinct (see the module).

    Parameters
    ----------
    spill : str or path-like, optional
        The folder of the temporary run files (the system's temporary folder when None). They are
        removed once read, or once this object is gone.
    run_lines : int, optional
        Lines held in memory before they are sorted and spilled (a million when None).
    """

    def __init__(self, spill: str | os.PathLike[str] | None = None, run_lines: int | None = None) -> None:
        self._spill = spill
        self._run_lines = run_lines or _RUN_LINES
        self._pending: list[str] = []
        self._runs: list[BinaryIO] = []
        self.taken = 0
        self.classes: dict[str, int] = {}
        self.cited_only = 0
        self._statements = 0

    def take(self, lines: Iterable[str]) -> None:
        """Gather one chunk's lines (each an N-Quads line without its line break)."""
        before = len(self._pending)
        self._pending.extend(lines)
        self.taken += len(self._pending) - before
        if len(self._pending) >= self._run_lines:
            self._runs.append(self._spilled(self._sorted_pending()))

    def write(
        self,
        handle: BinaryIO,
        rdf_format: RdfFormat | None = None,
        prefixes: dict[str, str] | None = None,
        advance: Callable[[int], None] | None = None,
    ) -> int:
        """Write the statements to ``handle``, sorted, each once; the number of distinct statements (quads).

        ``rdf_format`` is one of :data:`STREAMED` (N-Quads when None): N-Quads gets the lines themselves, a
        triple format the union of the graphs, each triple once (N-Triples as lines, Turtle and RDF/XML
        written by Oxigraph, Turtle with ``prefixes``). ``advance`` is told how many lines were read (in
        steps). :attr:`classes` and :attr:`cited_only` hold the counts once it returns.
        """
        name = "N-Quads" if rdf_format is None else rdf_format.name
        if name not in STREAMED:
            raise ValueError(f"{name} is not written from sorted lines (only {', '.join(STREAMED)})")
        lines = self._distinct_lines(self._merged(), name != "N-Quads", advance)
        if name in ("N-Quads", "N-Triples"):
            handle.writelines(lines)
        else:
            import pyoxigraph

            pyoxigraph.serialize(_parsed(lines), handle, format=oxigraph_format(rdf_format), prefixes=prefixes)
        return self._statements

    def _merged(self) -> Iterator[bytes]:
        """Every line taken, sorted (a line may come several times)."""
        last = self._sorted_pending()
        if not self._runs:
            return last
        self._runs.append(self._spilled(last))
        while len(self._runs) > _MAX_FAN_IN:
            merged = self._spilled(_once(heapq.merge(*self._take_runs(_MAX_FAN_IN))))
            self._runs.append(merged)
        return heapq.merge(*self._take_runs(len(self._runs)))

    def _sorted_pending(self) -> Iterator[bytes]:
        # Sorting text sorts its UTF-8 bytes the same way (the encoding keeps the code points' order). Encoded
        # one at a time as they are written: the run is held once, as text.
        lines = sorted(set(self._pending))
        self._pending = []
        return ((line + "\n").encode("utf-8") for line in lines)

    def _spilled(self, lines: Iterable[bytes]) -> BinaryIO:
        run = tempfile.TemporaryFile(dir=self._spill)  # noqa: SIM115 (read back, then closed, by _take_runs)
        run.writelines(lines)
        run.seek(0)
        return run

    def _take_runs(self, count: int) -> list[Iterator[bytes]]:
        taken, self._runs = self._runs[:count], self._runs[count:]
        return [_lines_then_close(run) for run in taken]

    def _distinct_lines(
        self, lines: Iterator[bytes], triples: bool, advance: Callable[[int], None] | None
    ) -> Iterator[bytes]:
        """The sorted ``lines`` once each (as triples, without their graph, when ``triples``), counted as they go."""
        classes: Counter[bytes] = Counter()
        cited_only = statements = read = 0
        previous = last_typed = last_cited = last_triple = None
        for line in lines:
            read += 1
            if advance is not None and not read % 100_000:
                advance(100_000)
            if line == previous:
                continue
            previous = line
            statements += 1
            # Lines that share "<s> <p> <o> " are next to each other once sorted: a node typed again in
            # another graph, or a triple said in another graph, is met right after.
            predicate = line.index(b" ") + 1
            if line.startswith(_TYPE, predicate):
                typed = line[: line.index(b" ", predicate + len(_TYPE))]
                if typed != last_typed:
                    classes[typed[predicate + len(_TYPE) :]] += 1
                    last_typed = typed
            elif line.startswith(_CITED_ONLY, predicate) and line[:predicate] != last_cited:
                cited_only += 1
                last_cited = line[:predicate]
            if not triples:
                yield line
                continue
            triple = line[: line.rindex(b" <")]  # the graph is the last term, whatever the object holds
            if triple != last_triple:
                yield triple + b" .\n"
                last_triple = triple
        if advance is not None:
            advance(read % 100_000)
        self.classes = {obj.decode("utf-8")[1:-1]: count for obj, count in classes.items()}
        self.cited_only = cited_only
        self._statements = statements


def _once(lines: Iterator[bytes]) -> Iterator[bytes]:
    previous = None
    for line in lines:
        if line != previous:
            yield line
            previous = line


def _parsed(lines: Iterator[bytes]) -> Iterator[Any]:
    """N-Triples lines as Oxigraph's triples, parsed a batch at a time."""
    import pyoxigraph

    while batch := b"".join(itertools.islice(lines, 10_000)):
        yield from pyoxigraph.parse(batch, format=pyoxigraph.RdfFormat.N_TRIPLES)


def _lines_then_close(run: BinaryIO) -> Iterator[bytes]:
    with run:
        yield from run
