"""SHACL validation: built graphs conform; purpose-built bad graphs do not; both engines say the same."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from conftest import FIXTURES

from kg.cli import main
from kg.errors import InputError, UsageError
from kg.graph import KnowledgeGraph
from kg.namespace import KG, PREFIXES, PROV_DERIVED_FROM, RDF_TYPE, XSD
from kg.pipeline import build
from kg.records import AuthorRef, Record, SourceRef
from kg.validate import validate_graph
from kg.validate.report import short

N = pyoxigraph.NamedNode
L = pyoxigraph.Literal
BASE = "https://w3id.org/kg/id/"
SKOS = PREFIXES["skos"]
EX = "http://example.org/"


def good_graph() -> KnowledgeGraph:
    record = Record(
        title="Probabilistic Model-Agnostic Meta-Learning",
        authors=(AuthorRef("Chelsea Finn", ("UC Berkeley",)), AuthorRef("Kelvin Xu")),
        orgs=("mila",),
        categories=("LG",),
        date="2018-06",
        upvotes=3,
        source=SourceRef("page.txt", 4, "profile-text"),
    )
    return KnowledgeGraph.from_records([record])


def with_changes(add=(), remove_predicate=None) -> KnowledgeGraph:
    graph = good_graph()
    quads = [q for q in graph.sorted_quads() if remove_predicate is None or q.predicate.value != remove_predicate]
    quads += [pyoxigraph.Quad(*triple) for triple in add]
    return KnowledgeGraph.from_quads(quads)


def paper_iri(graph: KnowledgeGraph):
    return next(q.subject for q in graph.sorted_quads() if q.object == N(KG.Paper))


def test_built_graph_conforms():
    assert validate_graph(good_graph()) == []


def test_paper_without_title_or_abstract():
    violations = validate_graph(with_changes(remove_predicate=KG.title))
    assert any("needs a title or an abstract" in v.message for v in violations)


def test_untyped_date():
    graph = good_graph()
    bad = with_changes(add=[(paper_iri(graph), N(KG.date), pyoxigraph.Literal("June 2018"))])
    violations = validate_graph(bad)
    assert any(v.path == "kg:date" and "xsd:date" in v.message for v in violations)


def test_two_authors_in_one_position():
    graph = good_graph()
    paper = paper_iri(graph)
    intruder = N(BASE + "author/mallory")
    authorship = N(paper.value + "/authorship/1-mallory")
    one = pyoxigraph.Literal("1", datatype=N(XSD + "integer"))
    line = next(q.object for q in graph.sorted_quads() if q.predicate.value == PROV_DERIVED_FROM)
    bad = with_changes(add=[
        (intruder, N(RDF_TYPE), N(KG.Author)), (intruder, N(KG.name), pyoxigraph.Literal("Mallory")),
        (intruder, N(KG.authored), paper), (paper, N(KG.hasAuthorship), authorship),
        (authorship, N(RDF_TYPE), N(KG.Authorship)), (authorship, N(KG.author), intruder),
        (authorship, N(KG.position), one), (authorship, N(KG.nameAsPrinted), pyoxigraph.Literal("Mallory")),
        (authorship, N(PROV_DERIVED_FROM), line),
    ])  # fmt: skip
    messages = [v.message for v in validate_graph(bad)]
    assert "Two different authors hold the same position on this paper in one source" in messages


def test_sources_disagreeing_on_authors_is_a_warning(tmp_path, capsys):
    records = [
        Record(title="One Paper", authors=(AuthorRef("Ann Lee"),), source=SourceRef("a.txt", 1, "test")),
        Record(title="One Paper", authors=(AuthorRef("Bo Chen"),), source=SourceRef("b.txt", 2, "test")),
    ]
    graph = KnowledgeGraph.from_records(records)
    results = validate_graph(graph)
    assert [(r.severity, r.message) for r in results] == [
        ("Warning", "Sources disagree on who holds this position on this paper")
    ]
    assert validate_graph(graph, engine="pyshacl") == results
    path = tmp_path / "g.nq"
    graph.save(path)
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.strip().endswith("conforms to kg's shapes (1 warning(s))")


def test_author_without_name_and_negative_count():
    graph = good_graph()
    bad = with_changes(
        add=[(paper_iri(graph), N(KG.upvotes), pyoxigraph.Literal("-1", datatype=N(XSD + "integer")))],
        remove_predicate=KG.name,
    )
    violations = validate_graph(bad)
    assert any("An author needs at least a name" in v.message for v in violations)
    assert any("An organisation needs at least a name" in v.message for v in violations)
    assert any(v.path == "kg:upvotes" for v in violations)


def test_missing_provenance():
    violations = validate_graph(with_changes(remove_predicate=PROV_DERIVED_FROM))
    assert any("source line" in v.message for v in violations)


def test_cli_exit_status_and_report(tmp_path, capsys):
    good, bad = tmp_path / "good.ttl", tmp_path / "bad.ttl"
    good_graph().save(good)
    with_changes(remove_predicate=KG.title).save(bad)
    assert main(["validate", str(good)]) == 0
    assert "conforms to kg's shapes" in capsys.readouterr().out
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("Violation: <https://w3id.org/kg/id/paper/")
    assert out.strip().endswith("bad.ttl: 1 violation(s), 0 warning(s)")
    assert main(["validate", "--engine", "pyshacl", str(bad)]) == 1
    assert capsys.readouterr().out == out


@pytest.mark.parametrize("content", [b"", b"<not turtle"])
def test_cli_unreadable_graph(tmp_path, capsys, content):
    path = tmp_path / "broken.ttl"
    path.write_bytes(content)
    code = main(["validate", str(path)])
    err = capsys.readouterr().err
    if content:
        assert code == 1 and err.startswith(f"kg: error: {path}: not valid Turtle")
    else:
        assert code == 0  # an empty file is an empty graph, which has nothing to violate


def test_unknown_engine():
    with pytest.raises(UsageError, match="engine 'fast': unknown"):
        validate_graph(good_graph(), engine="fast")


# -- the built-in engine gives pySHACL's results ---------------------------------------------------------
#
# A graph built from the repository's fixtures (papers, authors, orgs, topics and their assignments,
# citations, author merges), then broken in every way the shapes catch, each break on a node of its
# own: both engines must report the same results, and each break must be among them.

RICH_INPUTS = (
    "sources/sample-openalex.json",
    "hf_sample.txt",
    "real/scopus-references/scopus_2024.csv",
    "real/scopus-references/scopus_2020.ris",
)


def integer(text):
    return L(text, datatype=N(XSD + "integer"))


class Nodes:
    """Hands out nodes of the graph, each once, so that breaks do not meet."""

    def __init__(self, graph: KnowledgeGraph) -> None:
        self.graph = graph
        self.used: set = set()

    def take(self, where: str):
        rows = self.graph.query(f"SELECT DISTINCT ?x WHERE {{ {where} }} ORDER BY ?x").rows
        node = next(row[0] for row in rows if row[0] not in self.used)
        self.used.add(node)
        return node

    def one(self, node, predicate: str):
        return next(q.object for q in self.graph.store.quads_for_pattern(node, N(predicate), None))


def _paper(n):
    return n.take("?x a kg:Paper ; kg:title ?t")


def _dated_paper(n):
    return n.take("?x a kg:Paper ; kg:title ?t ; kg:date ?d ; kg:year ?y")


def _citation(n):
    return n.take("?x a kg:Citation")


def _assignment(n, methods):
    return n.take(f"?p kg:hasTopicAssignment ?x . ?x kg:method ?m FILTER (?m IN ({methods}))")


# name: (break(nodes) -> (focus, triples to remove (None: any), triples to add), what a result on focus says;
# None: no result on it)
BREAKS = {
    "paper without title": (
        lambda n: (p := _paper(n), [(p, N(KG.title), None), (p, N(KG.abstract), None), (p, N(KG.citedOnly), None)], []),
        "needs a title or an abstract",
    ),
    "two titles": (lambda n: (p := _paper(n), [], [(p, N(KG.title), L("Another"))]), "at most one title"),
    "empty title": (
        lambda n: (p := _paper(n), [(p, N(KG.title), None)], [(p, N(KG.title), L(""))]),
        "at most one title",
    ),
    "title in a language": (
        lambda n: (p := _paper(n), [(p, N(KG.title), None)], [(p, N(KG.title), L("Titel", language="de"))]),
        "kg:title",
    ),
    "untyped date": (lambda n: (p := _paper(n), [], [(p, N(KG.date), L("June 2018"))]), "at most one date"),
    "impossible date": (
        lambda n: (
            p := _paper(n),
            [(p, N(KG.date), None), (p, N(KG.year), None)],
            [(p, N(KG.date), L("2018-02-30", datatype=N(XSD + "date")))],
        ),
        '"2018-02-30"^^xsd:date',
    ),
    "date in year zero": (
        lambda n: (
            p := _paper(n),
            [(p, N(KG.date), None), (p, N(KG.year), None)],
            [(p, N(KG.date), L("0000-01-01", datatype=N(XSD + "date")))],
        ),
        "xsd:gYear",
    ),
    "year of another date": (
        lambda n: (p := _dated_paper(n), [(p, N(KG.year), None)], [(p, N(KG.year), integer("1999"))]),
        "year must be the year of its date",
    ),
    "year as text": (
        lambda n: (p := _dated_paper(n), [(p, N(KG.year), None)], [(p, N(KG.year), L("2019"))]),
        "an integer",
    ),
    "negative upvotes": (lambda n: (p := _paper(n), [], [(p, N(KG.upvotes), integer("-1"))]), "Value is not >="),
    "ill-typed count": (
        lambda n: (p := _paper(n), [], [(p, N(KG.authorCount), L("many", datatype=N(XSD + "integer")))]),
        "Value is not Literal with datatype xsd:integer",
    ),
    # A lexical form Oxigraph keeps as written but rdflib reads as valid (" 5") is no result, as in pySHACL.
    "spaced integer": (
        lambda n: (p := _paper(n), [], [(p, N(KG.upvotes), L(" 5", datatype=N(XSD + "integer")))]),
        None,
    ),
    "decimal count": (
        lambda n: (p := _paper(n), [], [(p, N(KG.authorCount), L("2.5", datatype=N(XSD + "decimal")))]),
        '"2.5"^^xsd:decimal',
    ),
    "flag as text": (
        lambda n: (p := _paper(n), [], [(p, N(KG.dateInferred), L("yes"))]),
        "datatype xsd:boolean",
    ),
    "venue as an IRI": (lambda n: (p := _paper(n), [], [(p, N(KG.venue), N(EX + "venue"))]), "xsd:string"),
    "authorship of no kind": (
        lambda n: (p := _paper(n), [], [(p, N(KG.hasAuthorship), N(EX + "nobody"))]),
        "Value does not have class kg:Authorship",
    ),
    "cites a non-paper": (
        lambda n: (p := _paper(n), [], [(p, N(KG.cites), N(EX + "thing"))]),
        "Value does not have class kg:Paper",
    ),
    "no source line": (
        lambda n: (p := _paper(n), [(p, N(PROV_DERIVED_FROM), None)], []),
        "must say which source line",
    ),
    "source line of no kind": (
        lambda n: (p := _paper(n), [], [(p, N(PROV_DERIVED_FROM), N(EX + "line"))]),
        "must say which source line",
    ),
    "citation count zero": (
        lambda n: (
            p := n.take("?x kg:citationCount ?c"),
            [(p, N(KG.citationCount), None)],
            [(p, N(KG.citationCount), integer("0"))],
        ),
        "Value is not >=",
    ),
    "authorship without author": (
        lambda n: (a := n.take("?x a kg:Authorship"), [(a, N(KG.author), None)], []),
        "Less than 1 values on",
    ),
    "authorship without position": (
        lambda n: (a := n.take("?x a kg:Authorship ; kg:position ?p"), [(a, N(KG.position), None)], []),
        "has a position in a printed author list",
    ),
    "authorship with position and page": (
        lambda n: (a := n.take("?x a kg:Authorship ; kg:position ?p"), [], [(a, N(KG.listedOnPageOf), L("x"))]),
        "has a position in a printed author list",
    ),
    "position zero": (
        lambda n: (
            a := n.take("?x a kg:Authorship ; kg:position ?p"),
            [(a, N(KG.position), None)],
            [(a, N(KG.position), integer("0"))],
        ),
        "Value is not >=",
    ),
    "authorship of two papers": (
        lambda n: (a := n.take("?x a kg:Authorship"), [], [(_paper(n), N(KG.hasAuthorship), a)]),
        "belongs to exactly one paper",
    ),
    "author without name": (
        lambda n: (a := n.take("?x a kg:Author"), [(a, N(KG.name), None)], []),
        "An author needs at least a name",
    ),
    "author with two chosen names": (
        lambda n: (a := n.take("?x a kg:Author"), [], [(a, N(SKOS + "prefLabel"), L("Someone Else"))]),
        "one chosen name",
    ),
    "author of nothing": (
        lambda n: (a := n.take("?x a kg:Author ; kg:authored ?p"), [(a, N(KG.authored), None)], []),
        "->kg:authored",
    ),
    "org without name": (
        lambda n: (o := n.take("?x a kg:Org"), [(o, N(KG.name), None)], []),
        "An organisation needs at least a name",
    ),
    "topic without label": (
        lambda n: (t := n.take("?x a kg:Topic ; skos:prefLabel ?l"), [(t, N(SKOS + "prefLabel"), None)], []),
        "A topic needs one preferred label",
    ),
    "topic of no paper": (
        lambda n: (t := n.take("?p kg:citesTopic ?x"), [(None, N(KG.citesTopic), t)], []),
        "A topic is the topic of at least one paper",
    ),
    "assignment without topic": (
        lambda n: (a := _assignment(n, '"keyword"'), [(a, N(KG.topic), None)], []),
        "->kg:topic",
    ),
    "score as text": (
        lambda n: (
            a := _assignment(n, '"keyphrase", "vocabulary"'),
            [(a, N(KG.score), None)],
            [(a, N(KG.score), L("high"))],
        ),
        "xsd:decimal",
    ),
    "found in the text without a score": (
        lambda n: (a := _assignment(n, '"keyphrase", "vocabulary"'), [(a, N(KG.score), None)], []),
        "A topic found in the text has a score",
    ),
    "unknown topic method": (
        lambda n: (
            a := _assignment(n, '"keyphrase"'),
            [(a, N(KG.method), None)],
            [(a, N(KG.method), L("guess"))],
        ),
        'Value Literal("guess") not in list',
    ),
    "keyword without source line": (
        lambda n: (a := _assignment(n, '"keyword"'), [(a, N(PROV_DERIVED_FROM), None)], []),
        "says which source line gave it",
    ),
    "citation by an unknown rule": (
        lambda n: (
            c := _citation(n),
            [(c, N(KG.matchedBy), None)],
            [(c, N(KG.matchedBy), L("guess"))],
        ),
        "which rule matched it",
    ),
    "citation without citing paper": (
        lambda n: (c := _citation(n), [(c, N(KG.citingPaper), None)], []),
        "->kg:citingPaper",
    ),
    "citation of two papers": (
        lambda n: (c := _citation(n), [], [(c, N(KG.citedPaper), _paper(n))]),
        "More than 1 values on",
    ),
    "citation in no paper": (
        lambda n: (c := _citation(n), [(None, N(KG.hasCitation), c)], []),
        "->[ sh:inversePath kg:hasCitation ]",
    ),
    "topic year without papers": (
        lambda n: (
            y := n.take("?x a kg:TopicYear"),
            [(y, N(KG.paperCount), None)],
            [(y, N(KG.paperCount), integer("0"))],
        ),
        "Value is not >=",
    ),
    "topic year without year": (
        lambda n: (y := n.take("?x a kg:TopicYear"), [(y, N(KG.year), None)], []),
        "->kg:year",
    ),
    "two paper counts": (
        lambda n: (a := n.take("?x kg:authorPaperCount ?c"), [], [(a, N(KG.authorPaperCount), integer("99"))]),
        "More than 1 values on",
    ),
    "merge without rule": (
        lambda n: (m := n.take("?x a kg:AuthorMerge"), [(m, N(KG.rule), None)], []),
        "A merge says which rule made it",
    ),
    "merge score as text": (
        lambda n: (
            m := n.take("?x a kg:AuthorMerge ; kg:decisionScore ?s"),
            [(m, N(KG.decisionScore), None)],
            [(m, N(KG.decisionScore), L("high"))],
        ),
        "xsd:decimal",
    ),
    "split kept apart from no one": (
        lambda n: (
            s := N(EX + "split"),
            [],
            [
                (s, N(RDF_TYPE), N(KG.AuthorSplit)),
                (s, N(KG.splitAuthor), n.take("?x a kg:Author")),
                (s, N(KG.rule), L("orcid")),
            ],
        ),
        "->kg:keptApartFrom",
    ),
    "source without path": (
        lambda n: (s := n.take("?x a kg:Source"), [(s, N(KG.path), None)], []),
        "->kg:path",
    ),
    "line number zero": (
        lambda n: (
            s := n.take("?x a kg:SourceLine"),
            [(s, N(KG.line), None)],
            [(s, N(KG.line), integer("0"))],
        ),
        "Value is not >=",
    ),
}


def _matches(pattern, quad) -> bool:
    found = (quad.subject, quad.predicate, quad.object)
    return all(want is None or want == got for want, got in zip(pattern, found, strict=True))


@pytest.fixture(scope="module")
def rich_graph() -> KnowledgeGraph:
    report = build([str(FIXTURES / name) for name in RICH_INPUTS])
    assert not report.failures
    return report.graph


@pytest.fixture(scope="module")
def broken(rich_graph):
    """The rich graph with every break applied, and the focus node of each."""
    nodes = Nodes(rich_graph)
    removes, adds, focus = [], [], {}
    for name, (make, _says) in BREAKS.items():
        node, remove, add = make(nodes)
        removes += remove
        adds += add
        focus[name] = node
    quads = [q for q in rich_graph.store if not any(_matches(r, q) for r in removes)]
    quads += [pyoxigraph.Quad(*triple) for triple in adds]
    graph = KnowledgeGraph.from_quads(quads)
    return graph, focus, validate_graph(graph, engine="pyshacl")


def test_the_rich_graph_conforms(rich_graph):
    assert validate_graph(rich_graph) == []


def test_engines_agree_on_a_graph_broken_every_way(broken):
    graph, _focus, by_pyshacl = broken
    assert validate_graph(graph) == by_pyshacl


@pytest.mark.parametrize("name", list(BREAKS))
def test_each_break_is_found(broken, name):
    _graph, focus, by_pyshacl = broken
    node = short(pyoxigraph_to_rdflib(focus[name]))
    said = [str(v) for v in by_pyshacl if v.focus == node]
    expected = BREAKS[name][1]
    assert any(expected in text for text in said) if expected else said == [], said


def pyoxigraph_to_rdflib(term):
    from kg.validate.engine import to_rdflib

    return to_rdflib(term)


# -- shapes with the components kg's file does not use (yet): the same results as pySHACL ------------------

OTHER_SHAPES = """
@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

ex:TitleShape a sh:NodeShape ;
    sh:targetClass kg:Paper ;
    sh:property [ sh:path kg:title ; sh:maxLength 30 ; sh:pattern "^[A-Z]" ; sh:nodeKind sh:Literal ] ,
                [ sh:path kg:year ; sh:minExclusive 2000 ; sh:maxInclusive 2019 ] ,
                [ sh:path kg:hasAuthorship ; sh:node ex:PositionedShape ] ,
                [ sh:path kg:venue ; sh:pattern "journal" ; sh:flags "i" ] .

ex:PositionedShape a sh:NodeShape ;
    sh:property [ sh:path kg:position ; sh:minCount 1 ; sh:maxExclusive 3 ] .

ex:NotCitedOnlyShape a sh:NodeShape ;
    sh:targetSubjectsOf kg:citedOnly ;
    sh:not [ sh:path kg:title ; sh:minCount 1 ] ;
    sh:class kg:Paper .

ex:NamedShape a sh:NodeShape ;
    sh:targetNode ex:nowhere , kg:Paper ;
    sh:nodeKind sh:IRI ;
    sh:hasValue kg:Paper .

ex:WorkShape a sh:NodeShape ;
    sh:targetClass ex:Work ;
    sh:property [ sh:path kg:cites ; sh:class ex:Work ; sh:maxCount 2 ] ,
                [ sh:path kg:hasAuthorship ; sh:minCount 2 ] .

ex:AuthorLabelShape a sh:NodeShape ;
    sh:targetClass kg:Author ;
    sh:xone ( [ sh:path skos:prefLabel ; sh:pattern "^[A-M]" ] [ sh:path skos:prefLabel ; sh:pattern "[a-m]$" ] ) ;
    sh:and ( [ sh:path kg:name ; sh:minLength 4 ] [ sh:path kg:authored ; sh:class kg:Paper ] ) .
"""


def test_other_components_agree_with_pyshacl(rich_graph, tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(OTHER_SHAPES)
    # Papers are works: targets and sh:class follow rdfs:subClassOf in the data.
    subclass = pyoxigraph.Quad(N(KG.Paper), N(PREFIXES["rdfs"] + "subClassOf"), N(EX + "Work"))
    graph = KnowledgeGraph.from_quads([*rich_graph.store, subclass])
    by_pyshacl = validate_graph(graph, engine="pyshacl", shapes=shapes)
    kinds = {v.message.split(" ")[0] for v in by_pyshacl}
    assert len(by_pyshacl) > 20 and {"Value", "Node", "String", "Less"} <= kinds  # every shape above finds something
    assert validate_graph(graph, shapes=shapes) == by_pyshacl


@pytest.mark.parametrize(
    ("turtle", "named"),
    [
        ("ex:S a sh:NodeShape ; sh:targetClass kg:Paper ; sh:closed true .", "sh:closed"),
        ("ex:S sh:targetClass kg:Paper ; sh:property [ sh:path ( kg:a kg:b ) ; sh:minCount 1 ] .", "the path"),
        ("ex:S sh:targetClass kg:Paper ; sh:property [ sh:path kg:a ; sh:lessThan kg:b ] .", "sh:lessThan"),
        ("ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:p ] .", "sh:ConstraintComponent"),
        ("ex:S sh:targetClass kg:Paper ; sh:node ex:S .", "ex:S nested"),
    ],
)
def test_a_shape_feature_the_engine_does_not_check_is_refused(tmp_path, capsys, turtle, named):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix kg: <https://w3id.org/kg/ontology#> . "
        f"@prefix ex: <http://example.org/> .\n{turtle}\n"
    )
    with pytest.raises(InputError, match=f"{named}.*use engine pyshacl"):
        validate_graph(good_graph(), shapes=shapes)


def test_progress_is_one_step_per_query():
    calls = []
    assert validate_graph(good_graph(), lambda *call: calls.append(call)) == []
    stages = [stage for stage, _done, _total in calls]
    assert stages[0] == "preparing the graph" and stages[-1] == "validating"
    total = calls[-1][2]
    assert total > 50 and calls[-1][1] == total  # every constraint of every shape is one query


# -- real builds: the seeds and several export formats -----------------------------------------------------

# Small enough for pySHACL to take seconds: Crossref references (citations), Semantic Scholar authors, CSL-JSON.
SHARED_INPUTS = ("crossref-references/*.json", "semanticscholar-api/Author.json", "csl-json/Exported Items.json")


def test_engines_agree_on_the_seeds(seeds):
    graph = build([str(seeds)], orgs=()).graph
    assert validate_graph(graph) == validate_graph(graph, engine="pyshacl") == []


def test_engines_agree_on_builds_of_several_formats(shared_data: Path):
    inputs = sorted(str(path) for pattern in SHARED_INPUTS for path in shared_data.glob(pattern))
    report = build(inputs)
    assert len(inputs) > 5 and not report.failures
    by_pyshacl = validate_graph(report.graph, engine="pyshacl")
    assert validate_graph(report.graph) == by_pyshacl
    assert by_pyshacl and {v.severity for v in by_pyshacl} == {"Warning"}  # sources that disagree on authors
