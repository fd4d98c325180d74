"""What sources say papers are about: subjects of controlled schemes and free keywords, as topics in the graph.

Every test builds real samples (../shared/data, tests/fixtures/real) with ``kg.pipeline.build`` and reads the
result with SPARQL, as a user would.
"""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

from kg.pipeline import build
from kg.records import Record, SourceRef
from kg.topics.schemes import MAX_KEYWORDS_PER_RECORD
from kg.validate import validate_graph

BASE = "https://w3id.org/kg/id/"
REAL = FIXTURES / "real"


def rows(graph, query: str) -> list[dict]:
    return graph.query(query).as_dicts()


def test_pubmed_mesh_descriptors_are_concepts_of_mesh_with_their_ids(shared_data):
    graph = build([str(shared_data / "pubmed-xml" / "pubmed_result.xml")], topics=None).graph
    [animals] = rows(
        graph,
        """SELECT ?t ?label ?scheme WHERE { ?t skos:notation "D000818" ; skos:prefLabel ?label ;
                               skos:inScheme ?s . ?s a skos:ConceptScheme ; skos:prefLabel ?scheme }""",
    )
    assert animals == {"t": BASE + "topic/mesh-d000818", "label": "Animals",
                       "scheme": "Medical Subject Headings (MeSH)"}  # fmt: skip
    counts = rows(
        graph,
        """SELECT (COUNT(DISTINCT ?t) AS ?concepts) (COUNT(DISTINCT ?p) AS ?papers) WHERE {
                            ?p kg:citesTopic ?t . ?t a kg:Topic ; skos:notation ?code ;
                            skos:inScheme <https://w3id.org/kg/id/scheme/mesh> }""",
    )
    assert counts == [{"concepts": 573, "papers": 93}]  # every paper of the export has its MeSH headings
    # Each statement is in the graph of the source it came from, and no MeSH heading is a keyword topic.
    assert graph.query("""ASK { GRAPH ?g { ?p kg:citesTopic <https://w3id.org/kg/id/topic/mesh-d000818> }
                                GRAPH ?g { ?g a kg:Source } }""").boolean
    assert not graph.query(
        "ASK { ?t skos:inScheme <https://w3id.org/kg/id/scheme/topics> ; "
        "skos:prefLabel ?l . FILTER(LCASE(?l) = 'animals') }"
    ).boolean


def test_a_medline_heading_joins_the_descriptor_pubmed_xml_names_with_its_id(shared_data, tmp_path):
    medline = shared_data / "medline" / "pubmed.nbib"
    pubmed = shared_data / "pubmed-xml" / "pubmed_result.xml"
    graph = build([str(medline), str(pubmed)], topics=None).graph
    # MEDLINE prints "Humans" without its id; PubMed XML gives D006801: one concept, cited from both sources.
    [humans] = rows(
        graph,
        """SELECT ?t (COUNT(DISTINCT ?g) AS ?sources) WHERE { ?t skos:prefLabel "Humans" .
                              GRAPH ?g { ?p kg:citesTopic ?t } } GROUP BY ?t""",
    )
    assert humans == {"t": BASE + "topic/mesh-d006801", "sources": 2}
    alone = build([str(medline)], topics=None).graph
    assert rows(alone, "SELECT ?t WHERE { ?t skos:prefLabel 'Humans' }") == [{"t": BASE + "topic/mesh-humans"}]
    # The inputs' order changes no label.
    again = build([str(pubmed), str(medline)], topics=None).graph
    labels = "SELECT ?t ?l WHERE { ?t skos:inScheme ?s ; skos:prefLabel ?l } ORDER BY ?t"
    assert rows(graph, labels) == rows(again, labels)


def test_openalex_topics_are_concepts_with_subfield_field_and_domain_above(shared_data):
    graph = build([str(shared_data / "openalex-references" / "openalex.json")], topics=None).graph
    chain = rows(
        graph,
        """SELECT ?code ?sub ?field ?domain WHERE {
        ?t skos:notation ?code ; skos:prefLabel "Homotopy and Cohomology in Algebraic Topology" ; skos:broader ?s .
        ?s skos:notation ?sub ; skos:broader ?f . ?f skos:prefLabel ?field ; skos:broader ?d .
        ?d skos:prefLabel ?domain ; skos:topConceptOf <https://w3id.org/kg/id/scheme/openalex> }""",
    )
    assert chain == [{"code": "T10896", "sub": "subfields/2610", "field": "Mathematics", "domain": "Physical Sciences"}]
    topics = rows(
        graph,
        """SELECT (COUNT(DISTINCT ?t) AS ?n) (COUNT(DISTINCT ?p) AS ?papers) WHERE {
                            ?p kg:citesTopic ?t . ?t skos:inScheme <https://w3id.org/kg/id/scheme/openalex> }""",
    )
    papers = rows(graph, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a kg:Paper FILTER NOT EXISTS "
                         "{ ?p kg:citedOnly true } }")  # fmt: skip
    assert topics == [{"n": 18, "papers": papers[0]["n"]}]
    # No topic name is taken for a category code any more, and the parents are concepts, not topics of a paper.
    assert not graph.query("ASK { ?t skos:notation 'Homotopy and Cohomology in Algebraic Topology' }").boolean
    assert not graph.query("ASK { ?d skos:prefLabel 'Physical Sciences' ; a kg:Topic }").boolean


def test_arxiv_msc_and_acm_classes_sit_in_their_hierarchies(shared_data):
    inputs = [shared_data / "hepcrawl-arxiv-oai-crossref-pos" / "arxiv-oai" / "arxiv-single.xml",
              REAL / "arxiv-mailing" / "cs-0011004.abs", REAL / "arxiv-mailing" / "math-ph-0509022.abs"]  # fmt: skip
    graph = build([str(p) for p in inputs], topics=None).graph
    # kg ships no MSC names (their licence is non-commercial): a code is its own label, under the classes
    # its digits give.
    msc = rows(
        graph,
        """SELECT ?label ?class ?area WHERE { ?p kg:citesTopic ?t . ?t skos:notation "37K05" ;
        skos:prefLabel ?label ; skos:broader ?c . ?c skos:prefLabel ?class ; skos:broader ?a .
        ?a skos:prefLabel ?area ; skos:topConceptOf <https://w3id.org/kg/id/scheme/msc> }""",
    )
    assert msc == [{"label": "37K05", "class": "37Kxx", "area": "37-XX"}]
    acm = rows(
        graph,
        """SELECT ?title ?label ?parent ?top WHERE { ?p kg:title ?title ; kg:citesTopic ?t .
        ?t skos:notation "C.2.0" ; skos:prefLabel ?label ; skos:broader ?c . ?c skos:prefLabel ?parent ;
        skos:broader ?r . ?r skos:prefLabel ?top }""",
    )
    assert acm == [{"title": "Anonymous Oblivious Transfer", "label": "Computer-communication networks: General",
                    "parent": "Computer-communication networks", "top": "Computer Systems Organization"}]  # fmt: skip
    codes = rows(
        graph,
        """SELECT ?code WHERE { ?p kg:citesTopic ?t . ?t skos:notation ?code ;
                           skos:inScheme <https://w3id.org/kg/id/scheme/msc> } ORDER BY ?code""",
    )
    assert [r["code"] for r in codes] == ["37K05", "37K10", "47B80", "47N55", "53D10", "81Q10", "82B44"]


def kg_records(path, records: list[Record]) -> str:
    """``records`` written as ``kg extract`` prints them (kg's own JSON Lines)."""
    path.write_text("\n".join(json.dumps(r.to_dict()) for r in records), encoding="utf-8")
    return str(path)


def test_subjects_of_any_scheme_a_record_names_are_kept(tmp_path):
    records = [
        Record(title="One", source=SourceRef("s.txt", 1, "test"), extra={"subjects": [
            {"scheme": "jel", "code": "C45", "label": "Neural Networks and Related Topics"},
            {"scheme": "jel", "code": "C45"}, {"scheme": "msc", "code": "99Z99"}, {"label": "no scheme"}, "junk"]}),
        Record(title="Two", source=SourceRef("s.txt", 2, "test"),
               extra={"subjects": [{"scheme": "jel", "code": "C45", "label": "neural networks"}]}),
    ]  # fmt: skip
    path = kg_records(tmp_path / "records.jsonl", records)
    graph = build([path], topics=None).graph
    jel = rows(
        graph,
        """SELECT ?label ?alt (COUNT(DISTINCT ?p) AS ?papers) WHERE { ?p kg:citesTopic ?t .
                         ?t skos:notation "C45" ; skos:prefLabel ?label ; skos:inScheme ?s .
                         ?s skos:prefLabel "jel" . OPTIONAL { ?t skos:altLabel ?alt } } GROUP BY ?label ?alt""",
    )
    assert jel == [{"label": "Neural Networks and Related Topics", "alt": "neural networks", "papers": 2}]
    # A code no taxonomy knows is written, named by its code, and never dropped.
    assert rows(graph, "SELECT ?l WHERE { ?t skos:notation '99Z99' ; skos:prefLabel ?l }") == [{"l": "99Z99"}]
    assert validate_graph(graph) == []


def test_source_keywords_are_topics_of_kg_traced_to_their_source_line(shared_data):
    graph = build([str(shared_data / "wos-plaintext" / "savedrecs.txt")], topics=None).graph
    found = rows(
        graph,
        """SELECT DISTINCT ?p ?method ?line ?score WHERE {
        ?p kg:hasTopicAssignment ?a . ?a kg:topic ?t ; kg:method ?method ; prov:wasDerivedFrom ?l .
        ?p prov:wasDerivedFrom ?l . ?l kg:line ?line . ?t skos:prefLabel "habitat fragmentation" ;
        skos:inScheme <https://w3id.org/kg/id/scheme/topics> . OPTIONAL { ?a kg:score ?score } }""",
    )
    # 18 papers, each with its assignment from the line its record starts on, with no score (the text was not read).
    assert len(found) == 18 and {(r["method"], r["score"]) for r in found} == {("keyword", None)}
    assert min(r["line"] for r in found) == 118
    # Keywords Plus printed in capitals ("NEURAL-NETWORKS") are one topic with the lower-case printing.
    assert not graph.query("ASK { ?t skos:inScheme ?s ; skos:prefLabel ?l . FILTER(?l = UCASE(?l) "
                           "&& STRLEN(?l) > 5 && REGEX(?l, '[A-Z]')) }").boolean  # fmt: skip
    # Web of Science categories and research areas are concepts of their own schemes.
    areas = rows(
        graph,
        """SELECT ?scheme (COUNT(DISTINCT ?p) AS ?papers) WHERE { ?p kg:citesTopic ?t .
                           ?t skos:prefLabel "Ecology" ; skos:inScheme ?s . ?s skos:prefLabel ?scheme }
                           GROUP BY ?scheme""",
    )
    assert areas == [{"scheme": "Web of Science categories", "papers": 70}]


@pytest.mark.parametrize(
    ("sample", "label"),
    [("ris/wos_2023.ris", "echolocation clicks"), ("ris/zotero_pubmed.ris", "mindfulness")],
)
def test_ris_keywords_become_topics(sample, label):
    graph = build([str(REAL / sample)], topics=None).graph
    assert graph.query(f"""ASK {{ ?p kg:hasTopicAssignment ?a . ?a kg:method "keyword" ; kg:topic ?t .
                              ?t skos:prefLabel "{label}" }}""").boolean


def test_bibtex_keywords_become_topics(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text("@article{gu2023mamba, title = {Mamba: Linear-Time Sequence Modeling with Selective State "
                    "Spaces}, author = {Gu, Albert and Dao, Tri}, year = {2023},\n"
                    "keywords = {State Space Models; sequence modeling}}\n", encoding="utf-8")  # fmt: skip
    graph = build([str(path)], topics=None).graph
    labels = rows(
        graph,
        """SELECT ?l WHERE { ?p kg:hasTopicAssignment ?a . ?a kg:method "keyword" ; kg:topic ?t .
                            ?t skos:prefLabel ?l } ORDER BY ?l""",
    )
    # "State Space Models" is the vocabulary's "state space model": named as kg names it.
    assert [r["l"] for r in labels] == ["sequence modeling", "state space model"]


def test_a_keyword_found_in_the_text_too_is_one_topic_with_one_assignment_and_both_methods(tmp_path):
    record = Record(title="Recurrent neural networks for sequence labelling",
                    abstract="We train recurrent neural networks (RNNs) on long sequences.",
                    extra={"keywords": ["RNNs", "Sequence Labelling"]},
                    source=SourceRef("p.txt", 1, "test"))  # fmt: skip
    graph = build([kg_records(tmp_path / "records.jsonl", [record])], topics="vocabulary").graph
    found = rows(
        graph,
        """SELECT ?t ?label (GROUP_CONCAT(DISTINCT ?m; separator=",") AS ?methods)
        (COUNT(DISTINCT ?a) AS ?n) (SAMPLE(?s) AS ?score) WHERE { ?p kg:hasTopicAssignment ?a .
        ?a kg:topic ?t ; kg:method ?m ; kg:score ?s . ?t skos:prefLabel ?label } GROUP BY ?t ?label""",
    )
    assert len(found) == 1
    [rnn] = found
    assert rnn["label"] == "recurrent neural network" and rnn["n"] == 1 and rnn["score"] > 0
    assert sorted(rnn["methods"].split(",")) == ["keyword", "vocabulary"]
    topics = rows(graph, "SELECT DISTINCT ?t WHERE { ?p kg:citesTopic ?t }")
    assert len(topics) == 2  # "recurrent neural network" once, and the keyword "sequence labelling"
    assert validate_graph(graph) == []


def test_junk_and_surplus_keywords_give_no_topics_and_are_counted_outside_the_graph():
    from kg.rdf.nquads import QuadSink
    from kg.rdf.writer import write_statements
    from kg.resolve import resolve

    terms = [f"kinase {n}x" for n in range(200)]
    junk = ["", "2019", "results", "this paper", "a keyword with far too many words in it to be a topic at all"]
    record = Record(title="A paper with a long index", extra={"keywords": [*junk, *terms]},
                    source=SourceRef("p.txt", 1, "test"))  # fmt: skip
    sink = QuadSink()
    summary = write_statements(sink, resolve([record]), BASE)
    assert summary == {"subjects": 0, "keyword topics": MAX_KEYWORDS_PER_RECORD, "keywords dropped as junk": 5,
                       "keywords over the cap": 200 - MAX_KEYWORDS_PER_RECORD}  # fmt: skip
    text = "\n".join(sink.lines)
    assert text.count("#citesTopic>") == MAX_KEYWORDS_PER_RECORD
    assert "kinase 0x" in text and "kinase 19x" in text and "kinase 20x" not in text
    assert record.extra["keywords"][0] == ""  # the record keeps what its source said


def test_hugging_face_ai_keywords_are_topics_with_their_own_method():
    graph = build([str(REAL / "hf-daily-json" / "sotawhat-daily-papers-2026-06.json")], topics=None).graph
    methods = rows(graph, "SELECT DISTINCT ?m WHERE { ?a kg:method ?m }")
    assert methods == [{"m": "ai-keyword"}]
    assert graph.query("""ASK { ?p kg:hasTopicAssignment ?a . ?a kg:method "ai-keyword" ; kg:topic ?t .
                              ?t skos:prefLabel "zero-shot annotation" }""").boolean


def test_every_paper_of_non_ml_exports_gets_a_topic_from_its_source(shared_data):
    inputs = [shared_data / "pubmed-xml" / "pubmed_result.xml", shared_data / "wos-plaintext" / "savedrecs.txt",
              shared_data / "openalex-references" / "openalex.json",
              shared_data / "medline" / "pubmed.nbib"]  # fmt: skip
    graph = build([str(p) for p in inputs], topics=None).graph
    [share] = rows(
        graph,
        """SELECT (COUNT(DISTINCT ?p) AS ?papers) (COUNT(DISTINCT ?q) AS ?with) WHERE {
        ?p a kg:Paper . FILTER NOT EXISTS { ?p kg:citedOnly true } OPTIONAL { ?p kg:citesTopic ?t BIND(?p AS ?q) } }""",
    )
    assert share["with"] >= 0.9 * share["papers"]


def test_a_build_of_real_samples_with_subjects_and_keywords_validates(shared_data):
    # Samples without long reference lists (the cited works make validation slow, and are not what is tested).
    inputs = [
        shared_data / "medline" / "pubmed_result_45_medline.txt",
        shared_data / "openalex-entities" / "W2741809807.json",
        shared_data / "hepcrawl-arxiv-oai-crossref-pos" / "arxiv-oai" / "arxiv-single.xml",
        shared_data / "hepcrawl-arxiv-oai-crossref-pos" / "crossref" / "tasc.2017.2776938.json",
        REAL / "dimensions-csv" / "Dimensions-Publication-2023-09-04_13-00-55.csv",
        REAL / "arxiv-mailing" / "cs-0011004.abs",
        REAL / "ris" / "ovid_embase.ris",
        REAL / "ris" / "wos_2023.ris",
        REAL / "hf-daily-json" / "sotawhat-daily-papers-2026-06.json",
    ]
    report = build([str(p) for p in inputs], topics="vocabulary")
    assert not report.failures
    schemes = rows(
        report.graph,
        """SELECT DISTINCT ?id WHERE { ?p kg:citesTopic ?t . ?t skos:inScheme ?s .
                                    BIND(STRAFTER(STR(?s), "/scheme/") AS ?id) } ORDER BY ?id""",
    )
    assert [r["id"] for r in schemes] == ["acm-ccs", "anzsrc-for-2020", "arxiv", "crossref-subject", "mesh", "msc",
                                          "openalex", "topics"]  # fmt: skip
    methods = rows(report.graph, "SELECT DISTINCT ?m WHERE { ?a kg:method ?m } ORDER BY ?m")
    assert [r["m"] for r in methods] == ["ai-keyword", "keyword", "vocabulary"]
    assert validate_graph(report.graph) == []


def test_an_assignment_without_its_source_line_or_a_text_topic_without_score_is_a_violation(tmp_path):
    import pyoxigraph

    from kg.graph import KnowledgeGraph
    from kg.namespace import KG, PROV_DERIVED_FROM

    record = Record(title="Recurrent neural networks for sequence labelling",
                    abstract="We train recurrent neural networks (RNNs) on long sequences.",
                    extra={"keywords": ["Sequence Labelling"]}, source=SourceRef("p.txt", 1, "test"))  # fmt: skip
    quads = build([kg_records(tmp_path / "records.jsonl", [record])], topics="vocabulary").graph.sorted_quads()
    dropped = {pyoxigraph.NamedNode(PROV_DERIVED_FROM), pyoxigraph.NamedNode(KG.score)}
    broken = KnowledgeGraph.from_quads(
        [q for q in quads if not (q.predicate in dropped and "/topic/" in q.subject.value)]
    )
    found = {(v.path, v.message) for v in validate_graph(broken)}
    assert found == {
        ("kg:score", "A topic found in the text has a score"),
        ("prov:wasDerivedFrom", "A topic a source's keywords gave says which source line gave it"),
    }


def test_topics_command_names_and_filters_schemes(shared_data, tmp_path, capsys):
    from kg.cli import main

    out = tmp_path / "pubmed.trig"
    assert main(["build", str(shared_data / "pubmed-xml" / "pubmed_result.xml"), "-q", "-o", str(out)]) == 0
    assert main(["topics", str(out), "--json", "--top", "0"]) == 0
    topics = json.loads(capsys.readouterr().out)
    schemes = {t["scheme"] for t in topics}
    assert {"mesh", "topics"} <= schemes
    humans = next(t for t in topics if t["notation"] == "D006801")
    assert (humans["label"], humans["scheme"]) == ("Humans", "mesh")
    assert main(["topics", str(out), "--scheme", "topics", "--json", "--top", "0"]) == 0
    own = json.loads(capsys.readouterr().out)
    assert own and {t["scheme"] for t in own} == {"topics"} and len(own) < len(topics)
    assert main(["topics", str(out), "--scheme", "mesh", "--top", "3"]) == 0
    table = capsys.readouterr().out
    assert "scheme" in table and "Humans" in table and "D006801" in table
