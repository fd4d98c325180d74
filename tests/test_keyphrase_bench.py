"""The scorer of bench/keyphrases.py on hand-made cases: stemmed matching, the k cut-off, empty predictions."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import keyphrases


def plural(word: str) -> str:
    """A stand-in stemmer: these cases need no nltk."""
    return word[:-1] if word.endswith("s") else word


def paper(*gold: str) -> keyphrases.Paper:
    return keyphrases.Paper("1", "", "", tuple((keyphrases.stem_phrase(g, plural),) for g in gold))


def test_a_prediction_counts_when_it_equals_a_gold_phrase_once_both_are_stemmed():
    result = keyphrases.evaluate([["Neural Networks", "neural"]], [paper("neural network")], stem=plural)
    # one of two predictions is right, the one gold phrase is found
    assert (result["p@10"], result["r@10"], result["f1@10"]) == (0.5, 1.0, pytest.approx(0.6667, abs=1e-4))


def test_only_whole_phrases_match():
    result = keyphrases.evaluate([["network", "deep neural network"]], [paper("neural network")], stem=plural)
    assert result["f1@10"] == 0.0


def test_the_top_k_are_scored_and_precision_is_over_those_given():
    predicted = ["a", "b", "c", "d", "e", "gold"]  # the right one ranked sixth
    result = keyphrases.evaluate([predicted], [paper("gold")], stem=plural)
    assert result["f1@5"] == 0.0
    assert (result["p@10"], result["r@10"]) == (pytest.approx(1 / 6, abs=1e-4), 1.0)  # six given, not ten
    at_5 = keyphrases.score_paper(["gold"], [("gold",), ("other",)], 5)
    assert (at_5.precision, at_5.recall) == (1.0, 0.5)  # one given: precision over one


def test_a_gold_phrase_counts_once_however_often_it_is_predicted():
    score = keyphrases.score_paper(["graph", "graph"], [("graph",), ("tree",)], 10)
    assert (score.precision, score.recall) == (0.5, 0.5)


def test_empty_predictions_score_zero_and_lower_coverage():
    papers = [paper("graph"), paper("tree")]
    result = keyphrases.evaluate([[], ["tree"]], papers, stem=plural)
    assert (result["f1@10"], result["coverage"], result["topics/paper"]) == (0.5, 0.5, 0.5)


def test_variants_of_one_gold_phrase_match_alike():
    gold = [("quality of service", "service quality")]
    assert keyphrases.score_paper(["service quality"], gold, 5).recall == 1.0


def test_recall_on_present_gold_leaves_out_phrases_absent_from_the_text():
    one = keyphrases.Paper("1", "Graphs", "We study trees.", (("graph",), ("tree",), ("forest",)))
    result = keyphrases.evaluate([["graphs"]], [one], stem=plural)
    assert (result["r@10"], result["r@10 present"]) == (pytest.approx(1 / 3, abs=1e-4), 0.5)


def test_porter_stemming_joins_inflections():  # nltk comes with the test extra
    assert keyphrases.stem_phrase("Graph-Based Networks") == keyphrases.stem_phrase("graph-based network")
    assert keyphrases.stem_phrase("querying databases") == keyphrases.stem_phrase("query database")
    # the SemEval-2010 gold came stemmed so: "key" -> "kei", hyphen parts one by one
    assert keyphrases.stem_phrase("pairwise key") == "pairwis kei"
    assert keyphrases.stem_phrase("context-based") == "context-base"
