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
