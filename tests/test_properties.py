"""Property-based tests (hypothesis): arbitrary text never crashes an extractor, every record keeps the
contract, and every graph serializes and re-parses with a strict parser."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from collections import Counter
from html import escape

import pyoxigraph
from hypothesis import HealthCheck, event, example, given, settings
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

# Free text and free bytes mostly end in an input error ("no paper found"), which checks nothing of the record
# contract: measured on 5 runs before the templates below, 7 to 16 of 60 texts and none of 60 byte strings
# reached check_contract. So most examples are documents of a known format whose fields are hostile text.
FIELD = st.sampled_from(["Ann Lee", "A Study of Things", "2019-05-03", "Jun 23, 2024", ""]) | HOSTILE
NAME = st.sampled_from(["Ann Lee", "Lee, Ann", "A. M. Dai", "Çağlar Gülçehre"]) | HOSTILE.filter(str.strip)
KG_DATE = st.sampled_from([None, "2019", "2019-05", "2019-05-03"])  # kg-jsonl refuses a record with another date
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(text: str) -> str:
    """``text`` escaped for XML, without the characters XML 1.0 forbids (free text covers refusing those)."""
    return escape(XML_FORBIDDEN.sub("", text), quote=True)


def _no_controls(text: str) -> str:
    return CONTROLS.sub("", text)


def _bib(text: str) -> str:
    return text.replace("{", "(").replace("}", ")")


@st.composite
def documents(draw, controls: bool = True) -> tuple[str, str]:
    """A document in one of kg's formats with hostile fields, and that format's name.

    Without ``controls`` the fields hold no control characters, so that saved as bytes the document is text
    (with them, kg rightly refuses the file as binary: free bytes cover that)."""
    title, abstract, date, org = (draw(FIELD if controls else FIELD.map(_no_controls)) for _ in range(4))
    names = draw(st.lists(NAME if controls else NAME.map(_no_controls).filter(str.strip), min_size=1, max_size=3))
    fmt = draw(st.sampled_from(["records", "records-csv", "kg-jsonl", "bibtex", "arxiv-atom", "semanticscholar-json",
                                "paperlist-json", "crossref-json", "html", "listing-text"]))  # fmt: skip
    if fmt == "records":
        text = json.dumps([{"title": title, "authors": names, "year": date, "abstract": abstract}])
    elif fmt == "records-csv":
        table = io.StringIO()
        csv.writer(table).writerows(
            [["title", "authors", "year", "abstract"], [title, "; ".join(names), date, abstract]]
        )
        text, fmt = table.getvalue(), "records"
    elif fmt == "kg-jsonl":
        text = json.dumps({"title": title, "authors": [{"name": n, "affiliations": [org]} for n in names],
                           "authors_truncated": False, "author_count": None, "date": draw(KG_DATE),
                           "date_inferred": False, "abstract": abstract, "source": None})  # fmt: skip
    elif fmt == "bibtex":
        authors = " and ".join(map(_bib, names))
        text = f"@article{{k1, title={{{_bib(title)}}}, author={{{authors}}}, year={{{_bib(date)}}}}}"
    elif fmt == "arxiv-atom":
        text = ('<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/1</id>'
                f"<published>{_xml(date)}</published><title>{_xml(title)}</title><summary>{_xml(abstract)}</summary>"
                + "".join(f"<author><name>{_xml(n)}</name></author>" for n in names) + "</entry></feed>")  # fmt: skip
    elif fmt == "semanticscholar-json":
        text = json.dumps({"paperId": "p1", "title": title, "year": 2020, "abstract": abstract,
                           "authors": [{"authorId": str(i), "name": n} for i, n in enumerate(names)]})  # fmt: skip
    elif fmt == "paperlist-json":
        text = json.dumps([{"title": title, "author": ";".join(names), "aff": org, "abstract": abstract, "id": "7"}])
    elif fmt == "crossref-json":
        text = json.dumps({"status": "ok", "message-type": "work", "message": {
            "DOI": "10.1/x", "title": [title], "issued": {"date-parts": [[2019, 5, 3]]}, "abstract": abstract,
            "author": [{"given": n, "family": n, "affiliation": [{"name": org}]} for n in names]}})  # fmt: skip
    elif fmt == "html":
        text = (f'<html><head><meta name="citation_title" content="{_xml(title)}">'
                + "".join(f'<meta name="citation_author" content="{_xml(n)}">' for n in names)
                + f'<meta name="citation_publication_date" content="{_xml(date)}"></head>'
                f"<body>{_xml(abstract)}</body></html>")  # fmt: skip
    else:
        text = f"{title}\n{', '.join(names)}\n{date}\n{abstract}\n\n"  # one block: title, authors, date, abstract
    return text, fmt


# Text with the format to read it as: a document under its own format (or sniffed), or free text under any
# format (or sniffed). Documents come first: hypothesis starts from, and shrinks towards, the first branch.
TEXTS = documents().flatmap(lambda case: st.tuples(st.just(case[0]), st.sampled_from([None, case[1]]))) | st.tuples(
    LISTING, st.sampled_from([None, *FORMATS])
)
# Bytes: a document encoded as a saved file might be, as it is or with a few stray bytes spliced in (printable
# or high: invalid UTF-8, stray Latin-1); or free bytes, which cover NUL and control bytes.
ENCODED = st.tuples(
    documents(controls=False), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
).map(lambda case: case[0][0].encode(case[1], errors="replace"))
STRAY = st.lists(st.integers(0x20, 0xFF), min_size=1, max_size=4).map(bytes)
SPLICED = st.tuples(ENCODED, STRAY, st.floats(0, 1)).map(
    lambda case: case[0][: int(case[2] * len(case[0]))] + case[1] + case[0][int(case[2] * len(case[0])) :]
)
BYTES = ENCODED | SPLICED | st.binary(max_size=400)

# Two bugs the documents above found at once (fixed in commit 88fe674; kept as plain tests at the end, and as
# explicit examples of the text property, which then fails on every run, not one run in a few):
# an author printed as control characters only: Record sanitised the name to "", breaking the contract (every
# author has a non-empty name; kg/records.py);
AUTHOR_OF_CONTROLS = '[{"title": "T", "authors": ["\\u001b"]}]'
# a carriage return alone inside a line of text sniffed as CSV: csv.Error escaped as a traceback instead of an
# input error (kg/extractors/records.py).
LONE_CARRIAGE_RETURN = "Ann Lee, \r0\n"

# How many examples each property ran, and how many of them reached check_contract with at least one record.
REACHED: dict[str, Counter] = {}


def _check_records(name: str, records) -> None:
    counts = REACHED.setdefault(name, Counter())
    counts["run"] += 1
    if records:
        counts["reached"] += 1
        event("reached the record contract")
    for record in records:
        check_contract(record.to_dict())


def reaching_the_contract(name: str, share: float, floor: int):
    """Run a property, then fail unless at least ``share`` of the examples it ran, and at least ``floor``
    examples, reached the record contract (counted by ``_check_records(name, ...)``): a property that
    ends in an input error on nearly every example would otherwise pass while checking nothing."""

    def decorate(prop):
        def test():
            counts = REACHED[name] = Counter()
            prop()
            assert counts["reached"] >= max(floor, share * counts["run"]), (
                f"only {counts['reached']} of {counts['run']} examples reached the record contract"
            )

        test.__name__ = test.__qualname__ = prop.__name__
        test.__doc__ = prop.__doc__
        return test

    return decorate


# The minimum: 30% of the examples run, and at least 10 examples whatever max_examples becomes. Measured on
# 300 runs of each property (2026-12, 200 examples each): text 43% to 86% of the examples reached the contract
# (median 62%), bytes 49% to 80% (median 66%); no run came near 30%. Hypothesis's runs are far less even than
# independent draws (with 60 and 40 examples, single runs fell to 25% and 20%), hence 200 examples: about a second.
# Under 30%, the extractors or the strategies have changed so that most examples end in an input error, and the
# property no longer tests the contract (the free text alone, as before the documents, reached 12% to 27%).
@reaching_the_contract("text", share=0.3, floor=10)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=TEXTS)
@example(case=(AUTHOR_OF_CONTROLS, None))
@example(case=(LONE_CARRIAGE_RETURN, None))
def test_arbitrary_text_never_crashes_and_keeps_the_contract(case):
    text, fmt = case
    try:
        records = extract_text(text, source="fuzz.txt", format=fmt).records
    except KgError:
        records = []
    _check_records("text", records)


@reaching_the_contract("bytes", share=0.3, floor=10)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=BYTES)
def test_arbitrary_bytes_never_crash_and_keep_the_contract(data):
    try:
        records = extract_bytes(data, "fuzz.bin").records
    except KgError:
        records = []
    _check_records("bytes", records)


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
    from kg.resolve.papers import is_paper

    lines = build_nquads(records)
    quads = list(pyoxigraph.parse("\n".join(lines).encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS))
    assert len(quads) == len(lines)
    # A record with neither title nor abstract is no paper: only those make an empty graph.
    assert bool(lines) == any(is_paper(record) for record in records)
    graph = KnowledgeGraph.from_nquads(lines)
    for name in ("Turtle", "RDF/XML", "TriG", "JSON-LD"):
        from kg.rdf.formats import FORMATS as RDF_FORMATS

        rdf_format = next(f for f in RDF_FORMATS if f.name == name)
        data = graph.serialize(rdf_format)
        reparsed = list(pyoxigraph.parse(data, format=getattr(pyoxigraph.RdfFormat, rdf_format.oxigraph_name)))
        assert bool(reparsed) == bool(lines)


# Regressions: what the property tests found, kept as plain tests.


def test_an_author_of_control_characters_only_keeps_the_contract():
    for record in extract_text(AUTHOR_OF_CONTROLS, source="authors.json").records:
        check_contract(record.to_dict())


def test_a_lone_carriage_return_in_csv_text_is_an_input_error_or_nothing():
    with contextlib.suppress(KgError):
        extract_text(LONE_CARRIAGE_RETURN, source="fuzz.txt")


def test_forced_json_format_on_empty_text_is_an_input_error():
    import pytest

    with pytest.raises(KgError, match="no paper found when read as paperlist-json"):
        extract_text("", source="empty.json", format="paperlist-json")


def test_line_separator_inside_a_literal_is_not_a_line_break(tmp_path):
    """A record's text has its whitespace (line separators too) collapsed; a file's name keeps them, and its
    literal is one line of N-Triples."""
    name = "Before\u2028after\x85and\u2029more"
    graph = KnowledgeGraph.from_records([Record(title=name, source=SourceRef(name, 1, "x"))])
    path = tmp_path / "g.nt"
    graph.save(path)
    values = {q.object.value for q in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES)}
    assert name in values and "Before after and more" in values


def test_lone_surrogate_in_a_source_path():
    record = Record(title="T", source=SourceRef("page\ud800.txt", 1, "x"))
    assert record.source.path == "page\ufffd.txt"
    assert build_nquads([record])


@settings(max_examples=400)
@given(st.text(alphabet=st.sampled_from(BREAKERS) | st.characters(max_codepoint=127), max_size=80) | HOSTILE)
@example("Attention_Is All\x1fYou\u00a0Need")
@example("ＡＢＣ ﬁne Straße")
def test_a_title_key_is_its_words_whatever_the_text(title):
    """ASCII titles take a path of their own to their key: it gives what the Unicode definition gives (runs of
    letters and digits of the NFKC, case-folded text, one space between)."""
    import unicodedata

    from kg.text import normalise_title, word_key

    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", title).casefold())
    assert normalise_title(title) == " ".join(words)
    assert word_key(title) == "-".join(words)
