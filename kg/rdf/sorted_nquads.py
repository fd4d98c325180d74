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

import errno
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
# From this many lines a file of lines (N-Quads, N-Triples) is merged in two processes at once, each writing
# the lines on one side of a subject near the middle.
SPLIT_MIN_LINES = 2_000_000
_SAMPLES = 64  # lines looked at in each run to find that subject
_PROBE = 4_096  # bytes read at a time to find a line
_BLOCK = 1 << 20  # bytes read at a time to merge


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

    def take(self, lines: Iterable[str]) -> None:
        """Gather one chunk's lines (each an N-Quads line without its line break)."""
        before = len(self._pending)
        self._pending.extend(lines)
        self.taken += len(self._pending) - before
        if len(self._pending) >= self._run_lines:
            self._runs.append(self._spilled(self._sorted_pending()))

    def apart(self, write: Callable[[Callable[[Iterable[str]], None]], None]) -> LinesApart:
        """Run ``write(take)`` in a forked process (:class:`kg.io.workers.ForkedJob`): the lines it hands to
        ``take`` are sorted into runs there, and join these once :meth:`LinesApart.join` is called.

        Examples
        --------
        >>> import io
        >>> out = SortedNQuads()
        >>> out.take(["<http://x.org/b> <http://x.org/p> <http://x.org/o> ."])
        >>> apart = out.apart(lambda take: take(["<http://x.org/a> <http://x.org/p> <http://x.org/o> ."]))
        >>> apart.join()
        >>> handle = io.BytesIO()
        >>> out.write(handle), out.taken
        (2, 2)
        """
        from kg.io.workers import ForkedJob

        # Two processes gather runs now: each holds half as many lines at a time, so memory stays as it was.
        self._run_lines = max(1, self._run_lines // 2)

        def job() -> tuple[int, list[BinaryIO]]:
            lines = SortedNQuads(self._spill, self._run_lines)
            write(lines.take)
            lines._runs.append(lines._spilled(lines._sorted_pending()))
            return lines.taken, lines._runs

        return LinesApart(self, ForkedJob(job))

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
        from kg.io.workers import can_fork_jobs

        name = "N-Quads" if rdf_format is None else rdf_format.name
        if name not in STREAMED:
            raise ValueError(f"{name} is not written from sorted lines (only {', '.join(STREAMED)})")
        triples = name != "N-Quads"
        counted = _Counted()
        if name in ("N-Quads", "N-Triples") and self.taken >= SPLIT_MIN_LINES and can_fork_jobs():
            self._write_in_halves(handle, triples, advance, counted)
        else:
            lines = _distinct_lines(self._merged(), triples, advance, counted)
            if name in ("N-Quads", "N-Triples"):
                handle.writelines(lines)
            else:
                import pyoxigraph

                pyoxigraph.serialize(_parsed(lines), handle, format=oxigraph_format(rdf_format), prefixes=prefixes)
        self.classes = {obj.decode("utf-8")[1:-1]: count for obj, count in counted.classes.items()}
        self.cited_only = counted.cited_only
        return counted.statements

    def _write_in_halves(
        self, handle: BinaryIO, triples: bool, advance: Callable[[int], None] | None, counted: _Counted
    ) -> None:
        """The merge in two processes: the lines before a subject near the middle written here, the others in a
        forked process into a file that is then copied after them. A subject's lines are all on one side (they
        are next to each other once sorted: an IRI holds no ``>``), so the counts add up."""
        from kg.io.workers import ForkedJob

        self._runs.append(self._spilled(self._sorted_pending()))
        while len(self._runs) > _MAX_FAN_IN:
            self._runs.append(self._spilled(_once(heapq.merge(*self._take_runs(_MAX_FAN_IN)))))
        runs, self._runs = self._runs, []
        try:
            ends = [os.fstat(run.fileno()).st_size for run in runs]
            pivot = _middle_subject(runs, ends)
            cuts = [_first_line_at_least(run.fileno(), end, pivot) for run, end in zip(runs, ends, strict=True)]

            def second_half() -> tuple[_Counted, list[BinaryIO]]:
                part = tempfile.TemporaryFile(dir=self._spill)  # noqa: SIM115 (its descriptor is handed back)
                theirs = _Counted()
                lines = heapq.merge(
                    *(_segment(run.fileno(), cut, end) for run, cut, end in zip(runs, cuts, ends, strict=True))
                )
                part.writelines(_distinct_lines(lines, triples, None, theirs))
                return theirs, [part]

            try:
                other = ForkedJob(second_half)
            except OSError:  # no process to spare: this one merges every run to its end
                other, cuts = None, ends
            try:
                lines = heapq.merge(*(_segment(run.fileno(), 0, cut) for run, cut in zip(runs, cuts, strict=True)))
                handle.writelines(_distinct_lines(lines, triples, advance, counted))
                if other is None:
                    return
                theirs, (part,) = other.result()
            except BaseException:
                if other is not None:
                    other.cancel()
                raise
        finally:
            for run in runs:
                run.close()
        with part:
            part.seek(0)
            _append(part, handle)
        if advance is not None:
            advance(theirs.read)
        counted.add(theirs)

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


class _Counted:
    """What the merge counts: lines read, distinct statements, nodes per class (by the class's N-Triples term),
    papers cited only."""

    def __init__(self) -> None:
        self.read = self.statements = self.cited_only = 0
        self.classes: Counter[bytes] = Counter()

    def add(self, other: _Counted) -> None:
        self.read += other.read
        self.statements += other.statements
        self.cited_only += other.cited_only
        self.classes.update(other.classes)


def _distinct_lines(
    lines: Iterator[bytes], triples: bool, advance: Callable[[int], None] | None, counted: _Counted
) -> Iterator[bytes]:
    """The sorted ``lines`` once each (as triples, without their graph, when ``triples``), counted into
    ``counted`` as they go."""
    classes = counted.classes
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
    counted.read += read
    counted.statements += statements
    counted.cited_only += cited_only


class LinesApart:
    """The lines of a :meth:`SortedNQuads.apart` run, which join its file once the other process is done."""

    def __init__(self, lines: SortedNQuads, job) -> None:
        self._lines = lines
        self._job = job

    def join(self) -> None:
        """Wait for the other process; its sorted runs become part of the file (an error there is raised here)."""
        taken, runs = self._job.result()
        self._lines._runs.extend(runs)
        self._lines.taken += taken

    def cancel(self) -> None:
        """Stop the other process; its lines are not part of the file."""
        self._job.cancel()


def _middle_subject(runs: list[BinaryIO], ends: list[int]) -> bytes:
    """A subject (as a line starts: its term and a space) near the middle of the runs' lines by bytes, from
    lines sampled evenly in each run."""
    samples: list[tuple[bytes, int]] = []
    for run, end in zip(runs, ends, strict=True):
        for step in range(_SAMPLES):
            start = _first_line_start(run.fileno(), end * step // _SAMPLES, end)
            if start < end:
                samples.append((_line_at(run.fileno(), start, end), end))
    samples.sort()
    half, weight = sum(ends) * _SAMPLES // 2, 0
    for line, end in samples:
        weight += end
        if weight >= half:
            return line[: line.index(b" ") + 1]
    return samples[-1][0][: samples[-1][0].index(b" ") + 1] if samples else b""


def _first_line_at_least(descriptor: int, end: int, pivot: bytes) -> int:
    """Where the first line not below ``pivot`` starts in a sorted run of ``end`` bytes (``end`` when none)."""
    low, high = 0, end  # the first offset whose next line start holds a line not below the pivot
    while low < high:
        middle = (low + high) // 2
        start = _first_line_start(descriptor, middle, end)
        if start >= end or _line_at(descriptor, start, end) >= pivot:
            high = middle
        else:
            low = middle + 1
    return _first_line_start(descriptor, low, end)


def _first_line_start(descriptor: int, offset: int, end: int) -> int:
    """The first line start at or after ``offset`` (``end`` when none)."""
    if offset == 0:
        return 0
    position = offset - 1
    while position < end:
        block = os.pread(descriptor, _PROBE, position)
        found = block.find(b"\n")
        if found >= 0:
            return position + found + 1
        if not block:
            break
        position += len(block)
    return end


def _line_at(descriptor: int, start: int, end: int) -> bytes:
    """The line that starts at ``start``, with its line break."""
    line = b""
    while start + len(line) < end:
        block = os.pread(descriptor, _PROBE, start + len(line))
        found = block.find(b"\n")
        if found >= 0:
            return line + block[: found + 1]
        if not block:
            break
        line += block
    return line


def _segment(descriptor: int, start: int, end: int) -> Iterator[bytes]:
    """The lines between two line starts of a file, read by offset (two processes read one file at once)."""
    tail = b""
    while start < end:
        block = os.pread(descriptor, min(_BLOCK, end - start), start)
        if not block:
            break
        start += len(block)
        lines = (tail + block).split(b"\n")
        tail = lines.pop()
        for line in lines:
            yield line + b"\n"
    if tail:
        yield tail


def _append(part: BinaryIO, handle: BinaryIO) -> None:
    """``part``'s bytes from where it stands to its end, after what ``handle`` holds (by the kernel when both
    are files)."""
    import shutil

    try:
        source, target = part.fileno(), handle.fileno()
    except (AttributeError, OSError):  # an in-memory handle
        shutil.copyfileobj(part, handle, _BLOCK)
        return
    handle.flush()
    left = os.fstat(source).st_size - part.tell()
    if hasattr(os, "copy_file_range"):
        try:
            while left > 0:
                copied = os.copy_file_range(source, target, left)
                if not copied:
                    break
                left -= copied
        except OSError as error:
            if error.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
                raise
    if left > 0:
        shutil.copyfileobj(part, handle, _BLOCK)
    handle.seek(0, os.SEEK_END)


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
