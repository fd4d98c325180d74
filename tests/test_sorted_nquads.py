"""kg.rdf.sorted_nquads: a graph file written sorted and each line once, from chunks that repeat lines."""

from __future__ import annotations

import io
import random

import pyoxigraph

from kg.graph import KnowledgeGraph, class_counts_of
from kg.rdf import sorted_nquads
from kg.rdf.sorted_nquads import SortedNQuads

TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
KG = "https://w3id.org/kg/ontology#"


def _line(subject: str, predicate: str, obj: str, graph: str) -> str:
    return f"<http://x.org/{subject}> {predicate} {obj} <http://x.org/{graph}> ."


def _lines() -> list[str]:
    """Papers and authors typed in several graphs, cited-only papers, and literals that hold a type's IRI."""
    lines = []
    for n in range(300):
        for graph in ("g1", "g2", "g3")[: 1 + n % 3]:
            lines.append(_line(f"paper/{n}", TYPE, f"<{KG}Paper>", graph))
            lines.append(_line(f"paper/{n}", f"<{KG}title>", f'"Title {n} {TYPE} \\"q\\" é"', graph))
        if n % 7 == 0:
            lines.append(_line(f"author/{n}", TYPE, f"<{KG}Author>", "g1"))
        if n % 10 == 0:
            for graph in ("g1", "g2"):
                lines.append(_line(f"paper/{n}", f"<{KG}citedOnly>",
                                   '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>', graph))  # fmt: skip
    return lines


def test_chunks_with_repeated_lines_give_every_line_once_sorted_in_one_run_or_in_merged_rounds(tmp_path, monkeypatch):
    """However the lines are cut into chunks and runs (and runs merged in rounds when there are many), the
    file is the sorted set of the lines, and the counts are those a database gives for the same statements."""
    lines = _lines()
    expected = sorted({(line + "\n").encode("utf-8") for line in lines})
    graph = KnowledgeGraph()
    graph.store.load("\n".join(lines).encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    counts = graph.class_counts()
    monkeypatch.setattr(sorted_nquads, "_MAX_FAN_IN", 3)
    shuffled = random.Random(7)
    for run_lines in (10_000, 97, 13):
        writer = SortedNQuads(spill=tmp_path, run_lines=run_lines)
        repeated = lines + shuffled.sample(lines, 200)
        shuffled.shuffle(repeated)
        chunks = [dict.fromkeys(repeated[start : start + 41], "subject") for start in range(0, len(repeated), 41)]
        for chunk in chunks:
            writer.take(chunk)
        handle = io.BytesIO()
        told = []
        assert writer.write(handle, advance=told.append) == len(expected)
        assert handle.getvalue().splitlines(keepends=True) == expected
        assert writer.taken == sum(map(len, chunks))
        # Progress counts the lines the merge reads: each run's once, so a line in two runs counts twice.
        assert sum(told) == len(expected) if run_lines == 10_000 else len(expected) < sum(told) <= writer.taken
        assert class_counts_of(writer.classes, writer.cited_only) == counts
        assert writer.cited_only == 30 and writer.classes[f"{KG}Paper"] == 300
        assert not list(tmp_path.iterdir()), "a run file outlived the write"


def test_nothing_taken_writes_an_empty_file():
    handle = io.BytesIO()
    assert SortedNQuads().write(handle) == 0 and handle.getvalue() == b""


def test_a_triple_format_gets_each_triple_once_whatever_graphs_say_it(tmp_path):
    """N-Triples, Turtle and RDF/XML hold the union of the graphs: a triple said in three graphs is one triple,
    and the count is still of the statements (quads)."""
    from kg.rdf.formats import BY_EXTENSION, oxigraph_format

    lines = _lines()
    union = {(line.rsplit(" <", 1)[0] + " .") for line in lines}
    for extension in (".nt", ".ttl", ".rdf"):
        writer = SortedNQuads(spill=tmp_path, run_lines=100)
        writer.take(lines)
        handle = io.BytesIO()
        assert writer.write(handle, BY_EXTENSION[extension]) == len(set(lines))
        rdf_format = oxigraph_format(BY_EXTENSION[extension])
        triples = {quad.triple for quad in pyoxigraph.parse(handle.getvalue(), format=rdf_format)}
        expected = {
            quad.triple for quad in pyoxigraph.parse("\n".join(union).encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
        }
        assert triples == expected and len(expected) < len(set(lines))
        if extension == ".nt":
            assert handle.getvalue().decode().splitlines() == sorted(union)


def test_a_merge_in_two_processes_writes_the_file_and_counts_one_process_writes(tmp_path, monkeypatch):
    """Past SPLIT_MIN_LINES the runs are merged in two processes, each on one side of a subject: the file
    (N-Quads, N-Triples) and its counts are byte for byte those of one merge, and no run file is left."""
    from kg.rdf.formats import BY_EXTENSION

    lines = _lines()
    shuffled = random.Random(11)
    repeated = lines + shuffled.sample(lines, 300)
    shuffled.shuffle(repeated)
    for extension in (".nq", ".nt"):
        written = []
        for split_from in (10**12, 1):
            monkeypatch.setattr(sorted_nquads, "SPLIT_MIN_LINES", split_from)
            writer = SortedNQuads(spill=tmp_path, run_lines=97)
            for start in range(0, len(repeated), 41):
                writer.take(repeated[start : start + 41])
            handle = io.BytesIO()
            told = []
            statements = writer.write(handle, BY_EXTENSION[extension], advance=told.append)
            written.append((handle.getvalue(), statements, writer.classes, writer.cited_only, sum(told)))
            assert not list(tmp_path.iterdir()), "a run file outlived the write"
        assert written[0] == written[1], extension
        assert written[1][1] == len(set(lines)) and written[1][3] == 30


def test_a_merge_that_cannot_fork_is_done_by_one_process(tmp_path, monkeypatch):
    from kg.io import workers

    def no_process(job):
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(sorted_nquads, "SPLIT_MIN_LINES", 1)
    monkeypatch.setattr(workers, "ForkedJob", no_process)
    lines = _lines()
    writer = SortedNQuads(spill=tmp_path, run_lines=200)
    writer.take(lines)
    handle = io.BytesIO()
    assert writer.write(handle) == len(set(lines)) and writer.cited_only == 30
    assert handle.getvalue() == b"".join(sorted({(line + "\n").encode() for line in lines}))
    assert not list(tmp_path.iterdir())


def test_a_merge_in_two_processes_into_a_file_appends_the_second_half(tmp_path, monkeypatch):
    monkeypatch.setattr(sorted_nquads, "SPLIT_MIN_LINES", 1)
    lines = _lines()
    writer = SortedNQuads(spill=tmp_path / "runs", run_lines=200)
    (tmp_path / "runs").mkdir()
    writer.take(lines)
    with open(tmp_path / "out.nq", "wb") as handle:
        assert writer.write(handle) == len(set(lines))
    assert (tmp_path / "out.nq").read_bytes() == b"".join(sorted({(line + "\n").encode() for line in lines}))


def test_lines_written_apart_join_the_file():
    """Lines another process wrote (SortedNQuads.apart) are in the file once joined, with those taken here."""
    lines = _lines()
    writer = SortedNQuads(run_lines=100)
    writer.take(lines[::2])
    apart = writer.apart(lambda take: take(lines[1::2] + lines[:10]))
    apart.join()
    handle = io.BytesIO()
    assert writer.write(handle) == len(set(lines))
    assert handle.getvalue().splitlines() == sorted({line.encode() for line in lines})
    assert writer.taken == len(lines) + 10
