"""Property-based tests (hypothesis): arbitrary text never crashes an extractor, every record keeps the
contract, and every graph serializes and re-parses with a strict parser."""

from __future__ import annotations

import pyoxigraph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests_contract import check_contract

from kg import extractors
from kg.errors import KgError
from kg.extract import extract_bytes, extract_text
from kg.graph import KnowledgeGraph
from kg.rdf.writer import build_nquads
from kg.records import AuthorRef, Record, SourceRef

FORMATS = [f.name for f in extractors.formats()]
# Text with the characters that break parsers: markup, quotes, braces, line breaks, controls, RTL, emoji.
BREAKERS = list("<>&\"'{}[]|^`\\/:;,.@#=%+-_ \n\r\t\x00\x01\x0b\u202e😀éÇ")
HOSTILE = st.text(alphabet=st.sampled_from(BREAKERS) | st.characters(), max_size=300)
PIECES = [
    "CLNov 30, 2023Code", "LGMar 7, 2019", "  • 5 authors", "Jun 23, 2024 1", "Oct 29", "2024-07-08",
    "Proceedings of X (published)", "… (see more)", "A Title About ThingsAnn Lee, Bo Chen et al. · lab",
    "@article{k, title={T}, author={A and B}}", "<entry><id>http://arxiv.org/abs/1</id></entry>",
    '{"title": "T", "authors": []}', "[", "{", "", "We use cookies.",
]  # fmt: skip
LISTING = st.lists(st.sampled_from(PIECES) | HOSTILE, max_size=12).map("\n".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=LISTING, fmt=st.sampled_from([None, *FORMATS]))
def test_arbitrary_text_never_crashes_and_keeps_the_contract(text, fmt):
    try:
        result = extract_text(text, source="fuzz.txt", format=fmt)
    except KgError:
        return
    for record in result.records:
        check_contract(record.to_dict())


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_never_crash(data):
    try:
        result = extract_bytes(data, "fuzz.bin")
    except KgError:
        return
    for record in result.records:
        check_contract(record.to_dict())


RECORDS = st.lists(
    st.builds(
        Record,
        title=HOSTILE | st.none(),
        authors=st.lists(
            st.builds(AuthorRef, name=HOSTILE.filter(str.strip), affiliations=st.lists(HOSTILE, max_size=2).map(tuple)),
            max_size=3,
        ).map(tuple),
        orgs=st.lists(HOSTILE, max_size=2).map(tuple),
        categories=st.lists(HOSTILE, max_size=2).map(tuple),
        abstract=HOSTILE | st.none(),
        ids=st.dictionaries(st.sampled_from(["doi", "arxiv", "dblp"]), HOSTILE, max_size=2),
        source=st.builds(SourceRef, path=HOSTILE, line=st.integers(1, 10**6), format=st.just("fuzz")),
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=RECORDS)
def test_every_graph_serializes_and_reparses_strictly(records):
    lines = build_nquads(records)
    quads = list(pyoxigraph.parse("\n".join(lines).encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS))
    assert len(quads) == len(lines)
    graph = KnowledgeGraph.from_nquads(lines)
    for name in ("Turtle", "RDF/XML", "TriG", "JSON-LD"):
        from kg.rdf.formats import FORMATS as RDF_FORMATS

        rdf_format = next(f for f in RDF_FORMATS if f.name == name)
        data = graph.serialize(rdf_format)
        reparsed = list(pyoxigraph.parse(data, format=getattr(pyoxigraph.RdfFormat, rdf_format.oxigraph_name)))
        assert reparsed


# Regressions: what the property tests found, kept as plain tests.


def test_forced_json_format_on_empty_text_is_an_input_error():
    import pytest

    with pytest.raises(KgError, match="no paper found when read as paperlist-json"):
        extract_text("", source="empty.json", format="paperlist-json")


def test_line_separator_inside_a_literal_is_not_a_line_break(tmp_path):
    title = "Before\u2028after\x85and\u2029more"
    graph = KnowledgeGraph.from_records([Record(title=title, source=SourceRef("p", 1, "x"))])
    path = tmp_path / "g.nt"
    graph.save(path)
    titles = {q.object.value for q in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES)}
    assert title in titles


def test_lone_surrogate_in_a_source_path():
    record = Record(title="T", source=SourceRef("page\ud800.txt", 1, "x"))
    assert record.source.path == "page\ufffd.txt"
    assert build_nquads([record])
