"""Topics: normalisation, junk, caps and scores, categories, methods, parallel runs, quality on the seeds."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

from kg.cli import main
from kg.errors import UsageError
from kg.graph import KnowledgeGraph
from kg.pipeline import build
from kg.records import AuthorRef, Record, SourceRef
from kg.topics import TopicFinder, find_abbreviations, is_junk, resolve_category, topic_key
from kg.topics.vocabulary import key_to_label

RNN_TEXTS = [
    ("Recurrent Neural Networks for Sequences", "We train recurrent neural networks (RNNs) on long sequences."),
    ("An RNN for Speech", "A single RNN suffices. The recurrent neural network is small."),
    ("Fast RNNs", "RNNs are slow; we make RNNs fast with a recurrent-neural-network kernel."),
]


def labels_of(hits):
    return [[h.label for h in paper] for paper in hits]


def test_plural_case_hyphen_and_acronym_forms_are_one_topic():
    hits = TopicFinder(method="vocabulary").find(RNN_TEXTS)
    assert all("recurrent neural network" in labels for labels in labels_of(hits))
    forms = {form for paper in hits for h in paper if h.label == "recurrent neural network" for form in h.forms}
    assert {"RNNs", "RNN", "recurrent neural networks", "Recurrent Neural Networks"} <= forms


def test_keys_merge_variants():
    assert topic_key("Fine-Tuning") == topic_key("fine tuning")
    assert key_to_label()[topic_key("LLMs")] == "large language model"
    assert key_to_label()[topic_key("Large Language Models")] == "large language model"


@pytest.mark.parametrize("junk", ["this paper", "a novel approach", "results", "2019", "we", "our method", "of the"])
def test_junk_is_never_a_topic(junk):
    assert is_junk(topic_key(junk))


def test_no_junk_from_stop_word_text():
    text = ("In this paper we propose a novel approach. Our results show that it works. "
            "This work improves the results of previous work by 12 points.")  # fmt: skip
    hits = TopicFinder(method="vocabulary+keyphrase", min_papers=1).find([("On Results", text)] * 2)
    assert hits == [[], []]


def test_cap_scores_and_order():
    text = (
        "reinforcement learning, meta-learning, few-shot learning, imitation learning, transfer learning, "
        "continual learning, contrastive learning, machine translation, knowledge graph, image captioning"
    )
    hits = TopicFinder(method="vocabulary", max_per_paper=4).find([("Meta-Learning for RL", text)])[0]
    assert len(hits) == 4
    assert [h.label for h in hits[:2]] == ["meta-learning", "reinforcement learning"]  # named in the title
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_weak_topics_need_the_title_or_a_repeat():
    once = TopicFinder(method="vocabulary").find([("A Title", "We report results on a benchmark.")])
    assert once == [[]]
    title = TopicFinder(method="vocabulary").find([("A Benchmark", "We report results.")])
    assert [h.label for h in title[0]] == ["benchmark"]


def test_key_phrases_of_one_paper_count_unless_min_papers_asks_for_more():
    papers = [("Gravitino Dark Sectors", "We study gravitino dark sectors in detail."), ("Other", "Unrelated words.")]
    kept = TopicFinder(method="keyphrase").find(papers)
    assert kept[0][0].label == "gravitino dark sector"
    assert not {"detail", "word", "study"} & {h.key for hits in kept for h in hits}  # generic words are no topics
    assert labels_of(TopicFinder(method="keyphrase", min_papers=2).find(papers)) == [[], []]


def test_abbreviation_definitions():
    assert find_abbreviations("Large language models (LLMs) and state-space models (SSMs)") == {
        "llm": "large language model",
        "ssm": "state space model",
    }
    assert find_abbreviations("a model (GPT)") == {}


def test_parallel_run_is_identical_to_serial():
    papers = [
        (f"Paper {i} on reinforcement learning", f"Policy gradient and Q-learning, part {i % 7}.") for i in range(60)
    ]
    serial = TopicFinder(method="vocabulary+keyphrase", n_process=1).find(papers)
    parallel = TopicFinder(method="vocabulary+keyphrase", n_process=2).find(papers)
    assert serial == parallel


def test_unknown_method_and_missing_trained_pipeline():
    with pytest.raises(UsageError, match="unknown topic method"):
        TopicFinder(method="magic")
    with pytest.raises(UsageError, match="not installed"):
        TopicFinder(method="noun-chunk", spacy_model="no_such_pipeline").find([("a", "b")])


def test_trained_pipeline_parts_of_speech(tmp_path):
    """A pipeline's parts of speech tag the words of key phrases (a rule-based stand-in tagger here)."""
    import spacy
    from spacy.language import Language

    @Language.component("kg_test_np_parser")
    def np_parser(doc):
        # Tags "adjective/noun* noun" runs as noun phrases: every word before the last
        # attaches to it; the last is a ROOT noun.
        nouny = {"graph", "neural", "network", "networks", "deep", "message", "passing", "molecules"}
        start = None
        for token in doc:
            token.pos_, token.dep_ = "VERB", "dep"
            token.head = token
        for i, token in enumerate([*doc, None]):
            if token is not None and token.lower_ in nouny:
                start = i if start is None else start
                continue
            if start is not None:
                last = doc[i - 1]
                last.pos_, last.dep_ = "NOUN", "ROOT"
                for word in doc[start : i - 1]:
                    word.pos_, word.dep_, word.head = "ADJ", "amod", last
                start = None
        return doc

    nlp = spacy.blank("en")
    nlp.add_pipe("kg_test_np_parser")
    nlp.to_disk(tmp_path / "pipeline")
    finder = TopicFinder(method="noun-chunk", spacy_model=str(tmp_path / "pipeline"), min_papers=1)
    hits = finder.find([("Message passing", "We study deep graph neural networks on molecules.")] * 2)
    assert str(tmp_path / "pipeline") in finder.pipeline
    assert "deep graph neural network" in [h.key for h in hits[0]]
    assert {h.method for h in hits[0]} == {"noun-chunk"}
    untagged = spacy.blank("en")
    untagged.to_disk(tmp_path / "untagged")
    with pytest.raises(UsageError, match="no parts of speech"):
        TopicFinder(method="noun-chunk", spacy_model=str(tmp_path / "untagged")).find([("A title", "Some text.")])


def test_categories_resolve_to_the_taxonomy():
    assert resolve_category("CV").name == "Computer Vision and Pattern Recognition"
    assert resolve_category("cs.CV") == resolve_category("CV")._replace(printed="cs.CV")
    graph = KnowledgeGraph.from_records([Record(title="T", categories=("LG", "hep-th"), source=SourceRef("p", 1, "x"))])
    rows = graph.query(
        "SELECT ?label ?code ?alt WHERE { ?p kg:citesTopic ?t . ?t skos:prefLabel ?label ; "
        "skos:notation ?code ; skos:inScheme ?s . OPTIONAL { ?t skos:altLabel ?alt } } ORDER BY ?code"
    )
    assert rows.as_dicts() == [
        {"label": "Machine Learning", "code": "cs.LG", "alt": "LG"},
        {"label": "High Energy Physics - Theory", "code": "hep-th", "alt": None},
    ]


def test_topic_assignments_in_the_graph_validate():
    from kg.rdf.writer import build_quads
    from kg.validate import validate_graph

    records = [Record(title=t, abstract=a, authors=(AuthorRef("Ann Lee"),), source=SourceRef("p", i + 1, "x"))
               for i, (t, a) in enumerate(RNN_TEXTS)]  # fmt: skip
    graph = KnowledgeGraph.from_quads(build_quads(records, topics=TopicFinder(method="vocabulary").find))
    rows = graph.query(
        "SELECT ?score ?method ?label WHERE { ?p kg:hasTopicAssignment ?a . ?a "
        "kg:score ?score ; kg:method ?method ; kg:topic ?t . ?t skos:prefLabel ?label }"
    ).as_dicts()
    assert {r["label"] for r in rows} == {"recurrent neural network"}
    assert {r["method"] for r in rows} == {"vocabulary"} and all(r["score"] > 0 for r in rows)
    alt = graph.query("SELECT ?alt WHERE { ?t skos:prefLabel 'recurrent neural network' ; skos:altLabel ?alt }")
    assert {"RNN", "RNNs"} <= {r["alt"] for r in alt.as_dicts()}
    assert validate_graph(graph) == []


def test_topics_command(tmp_path, capsys):
    out = tmp_path / "g.ttl"
    pages = [str(FIXTURES / n) for n in ("profile_sample.txt", "hf_sample.txt")]
    assert main(["build", *pages, "-q", "-o", str(out)]) == 0
    assert main(["topics", str(out), "--json"]) == 0
    topics = json.loads(capsys.readouterr().out)
    by_code = {t["notation"]: t for t in topics if t["notation"]}
    assert by_code["cs.LG"]["label"] == "Machine Learning" and by_code["stat.ML"]["label"] == "Machine Learning"
    assert next(t for t in topics if t["label"] == "transformer")["papers"] >= 2
    assert main(["topics", str(out), "--min-papers", "2"]) == 0
    table = capsys.readouterr().out
    assert "transformer" in table and "top authors" in table


def test_build_without_topics(tmp_path):
    report = build([str(FIXTURES / "hf_sample.txt")], topics=None)
    assert report.graph.query("ASK { ?p kg:hasTopicAssignment ?a }").boolean is False


@pytest.fixture(scope="module")
def seed_topics(seeds):
    from kg.extract import extract

    records = extract([str(seeds)])
    return records, TopicFinder().find([(r.title, r.abstract) for r in records])


# The published topic quality of each method (precision, recall) on the 44 hand-labelled seed papers (171 labels):
# bench/README.md, "Topic quality" (python bench/topics.py), and rounded in README.md's table of --topics methods
# (vocabulary 0.73 / 0.80, keyphrase 0.18 / 0.37, vocabulary+keyphrase 0.73 / 0.80: the seeds are a corpus in the
# vocabulary's field, where key phrases add nothing to a paper with a vocabulary topic). Measured 2026-12-06:
# exactly these figures (136/51/35, 63/282/108 and 136/51/35 true positives / false positives / false negatives),
# the same on every run and hash seed: the measure has no randomness.
PUBLISHED_TOPIC_QUALITY = {"vocabulary": (0.727, 0.795), "keyphrase": (0.183, 0.368),
                           "vocabulary+keyphrase": (0.727, 0.795)}  # fmt: skip
# Each gate is the published figure less 0.02 (TOPIC_MARGIN), room for rounding and a few topics, no more: it
# fails at 4 labels fewer found (of 171), or at 6 more wrong topics (for keyphrase, at 42). Under it the
# published figure is no longer true: fix the code, or publish the new figure with the gate.
TOPIC_MARGIN = 0.02


@pytest.mark.parametrize("method", sorted(PUBLISHED_TOPIC_QUALITY))
def test_topic_quality_on_the_hand_labelled_seeds(seed_topics, method):
    records, _ = seed_topics  # the default method ("auto") is vocabulary+keyphrase without a trained pipeline
    hits = TopicFinder(method=method).find([(r.title, r.abstract) for r in records])
    gold = json.loads((FIXTURES / "topics_gold.json").read_text(encoding="utf-8"))["papers"]
    labels = key_to_label()

    def canon(text):
        return topic_key(labels.get(topic_key(text), text))

    tp = fp = fn = papers = 0
    for record, paper_hits in zip(records, hits, strict=True):
        if record.title in gold:
            papers += 1
            expected = {canon(t) for t in gold[record.title]}
            got = {canon(h.label) for h in paper_hits}
            tp, fp, fn = tp + len(expected & got), fp + len(got - expected), fn + len(expected - got)
    assert (papers, tp + fn) == (44, 171)  # the published figures are on every labelled paper
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    published_precision, published_recall = PUBLISHED_TOPIC_QUALITY[method]
    assert precision >= published_precision - TOPIC_MARGIN, f"{method}: precision {precision:.3f}"
    assert recall >= published_recall - TOPIC_MARGIN, f"{method}: recall {recall:.3f}"


def test_seed_papers_get_sensible_topics(seed_topics):
    records, hits = seed_topics
    by_title = {r.title: [h.label for h in h_] for r, h_ in zip(records, hits, strict=True) if r.title}
    rl_titles = [t for t in by_title if "Reinforcement Learning" in t or "RL" in t.split()]
    assert len(rl_titles) >= 8
    assert all("reinforcement learning" in by_title[t] or "deep reinforcement learning" in by_title[t]
               or "offline reinforcement learning" in by_title[t] for t in rl_titles)  # fmt: skip
    assert "machine translation" in by_title["On Using Monolingual Corpora in Neural Machine Translation"]
    every_label = {label.lower() for labels in by_title.values() for label in labels}
    junk = {"this paper", "paper", "approach", "novel approach", "results", "result", "method", "model", "we", "our"}
    assert not every_label & junk
    assert not any(label.isdigit() or set(label.split()) & {"we", "our", "this", "it"} for label in every_label)
    assert all(len(labels) <= 8 for labels in by_title.values())


def test_broken_topic_assignment_is_a_violation():
    import pyoxigraph

    from kg.namespace import KG
    from kg.rdf.writer import build_quads
    from kg.validate import validate_graph

    records = [Record(title=t, abstract=a, source=SourceRef("p", i + 1, "x")) for i, (t, a) in enumerate(RNN_TEXTS)]
    quads = build_quads(records, topics=TopicFinder(method="vocabulary").find)
    broken = KnowledgeGraph.from_quads([q for q in quads if q.predicate != pyoxigraph.NamedNode(KG.score)])
    assert any(v.path == "kg:score" for v in validate_graph(broken))


# Real exports outside machine learning: ecology (Web of Science), medicine (PubMed), mathematics (OpenAlex),
# physics (arXiv OAI) and philology (JSTOR, titles only).
NON_ML_SAMPLES = [
    "wos-plaintext/savedrecs.txt",
    "pubmed-xml/pubmed_result.xml",
    "openalex-references/openalex.json",
    "hepcrawl-arxiv-oai-crossref-pos/arxiv-oai",
    "jstor-dfr/citations.tsv",
]


@pytest.fixture(scope="module")
def non_ml_topics(shared_data):
    import kg

    found = {}
    for sample in NON_ML_SAMPLES:
        records = [r for r in kg.extract([str(shared_data / sample)]) if r.title]
        hits = TopicFinder().find([(r.title, r.abstract) for r in records])
        found[sample] = {r.title: [h for h in paper_hits] for r, paper_hits in zip(records, hits, strict=True)}
    return found


@pytest.mark.parametrize("sample", NON_ML_SAMPLES)
def test_papers_of_every_field_get_topics(non_ml_topics, sample):
    by_title = non_ml_topics[sample]
    assert len(by_title) >= 20
    with_topics = sum(1 for hits in by_title.values() if hits)
    assert with_topics >= 0.9 * len(by_title), f"{sample}: {with_topics} of {len(by_title)} papers have a topic"
    assert all(len(hits) <= 8 for hits in by_title.values())


def test_topics_outside_machine_learning_read_as_a_researcher_would(non_ml_topics):
    def labels(sample, title_start):
        title = next(t for t in non_ml_topics[sample] if t.startswith(title_start))
        return [h.label for h in non_ml_topics[sample][title]]

    ecology = labels("wos-plaintext/savedrecs.txt", "Employing plant functional groups")
    assert {"seed dispersal", "plant functional group"} <= set(ecology)
    assert not any(label.startswith("employing") for label in ecology)  # a verb and its object, not a term
    medicine = labels("pubmed-xml/pubmed_result.xml", "CDK1-mediated mitotic phosphorylation")
    assert "mitotic phosphorylation" in medicine and "cytokinesi" not in medicine
    philology = labels("jstor-dfr/citations.tsv", "Biological Analogy in Literary Criticism")
    assert {"biological analogy", "literary criticism"} <= set(philology) and "II" not in philology
    mathematics = {h.label for hits in non_ml_topics["openalex-references/openalex.json"].values() for h in hits}
    assert {"model category", "homotopy theory"} <= mathematics
    every = {h.label.lower() for sample in non_ml_topics.values() for hits in sample.values() for h in hits}
    junk = {"detail", "support", "result", "paper", "study", "ii", "patient", "review", "method", "approach"}
    assert not every & junk
    methods = {h.method for sample in non_ml_topics.values() for hits in sample.values() for h in hits}
    assert methods <= {"vocabulary", "keyphrase"}


def test_key_phrases_are_noun_phrases_and_the_terms_inside_them():
    from kg.topics.phrases import read_candidates

    found = {c.key: c for c in read_candidates("Sliding mode control of robot arms", "We use sliding mode control.")}
    assert found["sliding mode control"].standalone == 2 and found["sliding mode control"].in_title
    assert "mode control" in found and "sliding" not in found  # inside a phrase only a plain noun ends a term
    assert "use" not in found and "we" not in found  # a verb and a pronoun break phrases
    hyphens = read_candidates("Analog-to-digital converters for e-commerce", "")
    assert [c.label for c in hyphens if c.standalone] == ["analog-to-digital converter", "e-commerce"]


def test_a_corpus_outside_the_vocabulary_gets_key_phrases_beside_its_vocabulary_topics():
    control = [
        ("Neural network control of a robot arm", "We design a neural network controller for a flexible robot arm."),
        ("Fuzzy logic in power plants", "A fuzzy logic controller regulates steam turbines in power plants."),
        ("Wavelet denoising of seismic traces", "Seismic traces are denoised with wavelet shrinkage."),
    ]
    hits = TopicFinder().find(control)
    first = [(h.label, h.method) for h in hits[0]]
    assert first[0] == ("neural network", "vocabulary")  # one vocabulary topic: key phrases fill the rest
    assert ("robot arm", "keyphrase") in first
    assert "fuzzy logic controller" in [h.label for h in hits[1]] and hits[2]


def test_a_build_leaves_a_core_to_the_resolution_it_runs_beside_the_topic_workers(monkeypatch):
    """A build resolves authors while the topics are read, and waits for that first: the topic workers leave it a
    core (one worker on two cores, still in its own process), with the topics of reading them all here."""
    from kg.topics import finder as finder_module

    monkeypatch.setattr(finder_module, "PARALLEL_MIN_PAPERS", 10)
    monkeypatch.setattr(finder_module.os, "cpu_count", lambda: 2)
    finder = TopicFinder(method="vocabulary+keyphrase")
    assert (finder._workers(60), finder._workers(60, alongside=True), finder._workers(5, alongside=True)) == (2, 1, 0)
    monkeypatch.setattr(finder_module.os, "cpu_count", lambda: 1)
    assert (finder._workers(60), finder._workers(60, alongside=True)) == (0, 1)
    papers = [(f"Paper {i} on graph neural nets", f"Message passing on molecules, part {i % 5}.") for i in range(60)]
    pending = finder.start(papers, alongside=True)
    assert pending.in_workers and pending._cancel is not None, "read here at once, not by a worker"
    assert pending.result() == TopicFinder(method="vocabulary+keyphrase", n_process=1).find(papers)
