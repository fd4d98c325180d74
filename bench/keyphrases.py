"""Keyphrase benchmark: kg's topic methods beside YAKE and pke on public keyphrase sets.

    python bench/keyphrases.py                                   # both sets, every method that runs here
    python bench/keyphrases.py --sets inspec --limit 200 --json /tmp/kp.json
    python bench/keyphrases.py --spacy-model /path/to/en_core_web_sm-3.8.0

The sets are in ../shared/data/keyphrase-benchmarks (one JSON object a line: id, title, abstract,
keyphrases; each set's SOURCE.md says where it comes from). Each kg method reads the whole set as one
corpus (its key phrases use corpus statistics), with at most 10 topics a paper and the build's
min_topic_papers; the row of the method a build uses by default says "(default)". The peers run when
installed: YAKE (``pip install yake``) and pke's TextRank,
PositionRank, TopicRank and MultipartiteRank (pke is not on PyPI; it and kg's noun-chunk methods need a
trained spaCy pipeline with a tagger, found as kg finds one or given with --spacy-model). The Porter
stemmer comes from nltk (``pip install nltk``). kg depends on none of these.

Scoring follows the pke authors' evaluation (Gallina, Boudin and Daille, JCDL 2020, the script of
ygorg/JCDL_2020_KPE_Eval): a phrase is lower-cased, split into words, each word Porter-stemmed (parts of
a hyphenated word one by one), and a prediction is correct when it equals a gold phrase so stemmed.
Per paper, P@k = gold phrases matched by the top k / the number of predictions looked at, min(k, given),
so a method giving fewer than k is not charged for the rest (0 when it gives none); R@k = gold phrases
matched / all gold phrases (present in the text or not); F1@k from that paper's P and R. Each figure is
the mean over all papers. "R@10 present" counts only the gold phrases found in the stemmed title and
abstract, over the papers that have one. Gold phrases equal once stemmed are one. Gold already stemmed
by its distributor (SemEval-2010, whose "a+b" lists variants) is not stemmed again; the stemmer is
nltk's Porter in Martin Porter's variant, the one that reproduces that gold best.
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.topics.finder import METHODS, TopicFinder

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "keyphrase-benchmarks"
SETS = ("inspec", "semeval2010-abs")
TOP = 10  # predictions kept per paper, by every method
KG_METHODS = tuple(method for method in METHODS if method != "auto")  # auto is one of the others
PKE_METHODS = ("TextRank", "PositionRank", "TopicRank", "MultipartiteRank")
_WORD_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


@dataclass(frozen=True)
class Paper:
    """One paper of a set; ``gold`` holds each gold phrase as its stemmed variants."""

    id: str
    title: str
    abstract: str
    gold: tuple[tuple[str, ...], ...]

    @property
    def text(self) -> str:
        return f"{self.title}. {self.abstract}" if self.title else self.abstract


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float


@cache
def porter_stem(word: str) -> str:
    """Porter stem of one lower-case word (nltk, Martin Porter's variant)."""
    return _porter().stem(word, to_lowercase=False)


@cache
def _porter():
    try:
        from nltk.stem.porter import PorterStemmer
    except ImportError:
        sys.exit("bench/keyphrases.py: the Porter stemmer comes from nltk: pip install nltk")
    return PorterStemmer(PorterStemmer.MARTIN_EXTENSIONS)


def _as_is(word: str) -> str:
    return word


def stem_phrase(phrase: str, stem: Callable[[str], str] = porter_stem) -> str:
    """Lower-case ``phrase``, keep its words (a hyphenated word is one), stem each part, join with spaces.

    >>> stem_phrase("Recurrent Neural-Networks, trained", stem=lambda w: w.rstrip("s"))
    'recurrent neural-network trained'
    """
    words = _WORD_RE.findall(unicodedata.normalize("NFKC", phrase).lower())
    return " ".join("-".join(stem(part) for part in word.split("-")) for word in words)


def score_paper(predicted: Sequence[str], gold: Sequence[Sequence[str]], k: int) -> Score:
    """P@k, R@k and F1@k of one paper; ``predicted`` stemmed, in rank order; ``gold`` each phrase's variants.

    A gold phrase counts once however many predictions match it; precision is over min(k, len(predicted)).

    >>> score_paper(["neural network", "graph", "neural network"], [("neural network",), ("graph", "graphs")], 2)
    Score(precision=1.0, recall=1.0, f1=1.0)
    >>> score_paper([], [("graph",)], 5)
    Score(precision=0.0, recall=0.0, f1=0.0)
    """
    top = list(predicted[:k])
    matched = {j for j, variants in enumerate(gold) if any(phrase in variants for phrase in top)}
    precision = len(matched) / len(top) if top else 0.0
    recall = len(matched) / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1)


def present_gold(paper: Paper, stem: Callable[[str], str] = porter_stem) -> tuple[tuple[str, ...], ...]:
    """The gold phrases that occur, stemmed, in the stemmed title and abstract."""
    text = f" {stem_phrase(paper.title, stem)} {stem_phrase(paper.abstract, stem)} "
    return tuple(variants for variants in paper.gold if any(f" {v} " in text for v in variants))


def evaluate(
    predictions: Sequence[Sequence[str]], papers: Sequence[Paper], stem: Callable[[str], str] = porter_stem
) -> dict:
    """Mean F1@5, F1@10, P@10, R@10 (all gold and present gold), coverage and topics a paper.

    >>> papers = [Paper("1", "Graph Neural Networks", "", (("graph neural network",), ("graph",)))]
    >>> evaluate([["graph neural networks", "deep learning"]], papers, stem=lambda w: w.rstrip("s"))["f1@5"]
    0.5
    """
    if len(predictions) != len(papers):
        raise ValueError(f"{len(predictions)} prediction lists for {len(papers)} papers")
    sums = dict.fromkeys(("f1@5", "f1@10", "p@10", "r@10"), 0.0)
    present_recall, present_papers = 0.0, 0
    for predicted, paper in zip(predictions, papers, strict=True):
        stemmed = [stem_phrase(phrase, stem) for phrase in predicted]
        at5, at10 = score_paper(stemmed, paper.gold, 5), score_paper(stemmed, paper.gold, 10)
        sums["f1@5"] += at5.f1
        sums["f1@10"] += at10.f1
        sums["p@10"] += at10.precision
        sums["r@10"] += at10.recall
        present = present_gold(paper, stem)
        if present:
            present_recall += score_paper(stemmed, present, 10).recall
            present_papers += 1
    size = max(1, len(papers))
    result = {name: round(total / size, 4) for name, total in sums.items()}
    result["r@10 present"] = round(present_recall / max(1, present_papers), 4)
    result["coverage"] = round(sum(1 for p in predictions if p) / size, 4)
    result["topics/paper"] = round(sum(len(p[:TOP]) for p in predictions) / size, 2)
    return result


def load_set(name: str, limit: int | None = None) -> list[Paper]:
    """The papers of set ``name`` (its first ``limit``), gold stemmed unless it came stemmed, without repeats."""
    path = DATA / name / "data.jsonl"
    if not path.is_file():
        sys.exit(f"bench/keyphrases.py: no keyphrase set at {path}")
    papers = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if limit is not None and len(papers) == limit:
                break
            row = json.loads(line)
            if row.get("gold_stemmed"):  # "a+b" lists variants; the words are stems already
                gold = [tuple(stem_phrase(v, _as_is) for v in phrase.split("+")) for phrase in row["keyphrases"]]
            else:
                gold = [(stem_phrase(phrase),) for phrase in row["keyphrases"]]
            # Phrases equal once stemmed ("decision support system(s)") are one gold phrase.
            gold = dict.fromkeys(variants for variants in (tuple(v for v in g if v) for g in gold) if variants)
            papers.append(Paper(str(row["id"]), row.get("title") or "", row.get("abstract") or "", tuple(gold)))
    return papers


def run_kg(method: str, papers: Sequence[Paper], spacy_model: str | None, **options) -> list[list[str]]:
    from kg.pipeline import BuildOptions

    options = {"min_papers": BuildOptions.__dataclass_fields__["min_topic_papers"].default, **options}
    spacy_model = spacy_model if "noun-chunk" in method else None
    finder = TopicFinder(method=method, max_per_paper=TOP, spacy_model=spacy_model, **options)
    return [[hit.label for hit in hits] for hits in finder.find([(p.title, p.abstract) for p in papers])]


def run_yake(papers: Sequence[Paper]) -> list[list[str]]:
    import yake

    extractor = yake.KeywordExtractor(lan="en", n=3, top=TOP)
    return [[phrase for phrase, _ in extractor.extract_keywords(p.text)] for p in papers]


def pke_documents(papers: Sequence[Paper], spacy_model: str):
    """The papers read by ``spacy_model`` as pke reads raw text: no parser, a sentencizer, hyphens kept."""
    import spacy
    from pke.readers import infix_re

    nlp = spacy.load(spacy_model, disable=["ner", "textcat", "parser"])
    nlp.add_pipe("sentencizer")
    nlp.tokenizer.infix_finditer = infix_re.finditer
    return list(nlp.pipe(p.text for p in papers))


def run_pke(method: str, documents) -> list[list[str]]:
    """pke's ``method`` with the parameters of its documentation's example."""
    import pke

    predictions = []
    for doc in documents:
        extractor = getattr(pke.unsupervised, method)()
        extractor.load_document(input=doc, language="en")
        if method == "TextRank":  # the original paper's setting: phrases of the top third of the words
            extractor.candidate_weighting(window=2, top_percent=0.33)
        elif method == "PositionRank":
            extractor.candidate_selection(maximum_word_number=3)
            extractor.candidate_weighting(window=10)
        else:
            extractor.candidate_selection()
            extractor.candidate_weighting()
        predictions.append([phrase for phrase, _ in extractor.get_n_best(n=TOP)])
    return predictions


def trained_pipeline(requested: str | None) -> str | None:
    if requested:
        return requested
    from kg.topics.finder import trained_pipeline_name

    return trained_pipeline_name()


def installed(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def bench_set(name: str, limit: int | None, spacy_model: str | None) -> dict:
    papers = load_set(name, limit)
    present = sum(len(present_gold(p)) for p in papers)
    gold = sum(len(p.gold) for p in papers)
    print(
        f"{name}: {len(papers)} papers, {gold / max(1, len(papers)):.1f} gold phrases a paper, "
        f"{present / max(1, gold):.0%} of them in the text",
        file=sys.stderr,
    )
    rows: list[dict] = []
    notes: list[str] = []

    def measure(label: str, run: Callable[[], list[list[str]]], extra_seconds: float = 0.0) -> None:
        start = time.perf_counter()
        predictions = run()
        seconds = time.perf_counter() - start + extra_seconds
        row = {"method": label, **evaluate(predictions, papers), "seconds": round(seconds, 2)}
        row["papers/s"] = round(len(papers) / seconds, 1) if seconds else None
        rows.append(row)
        print(f"  {label}: F1@10 {row['f1@10']:.3f} in {seconds:.1f} s", file=sys.stderr)

    run_kg("vocabulary+keyphrase", papers[:1], None)  # imports kg's code and data once, before any timing
    default = TopicFinder(method="auto").method  # what a build uses here
    for method in KG_METHODS:
        if "noun-chunk" in method and spacy_model is None:
            notes.append(f"kg {method}: not run, no trained spaCy pipeline here (give one with --spacy-model)")
            continue
        label = f"kg {method}" + (" (default)" if method == default else "")
        measure(label, lambda method=method: run_kg(method, papers, spacy_model))

    if installed("yake"):
        measure("YAKE (n=3)", lambda: run_yake(papers))
    else:
        notes.append("YAKE: not installed (pip install yake)")

    if not installed("pke"):
        notes.append("pke: not installed (not on PyPI: pip install a checkout of github.com/boudinfl/pke)")
    elif spacy_model is None:
        notes.append("pke: not run, it needs a trained spaCy pipeline with a tagger (give one with --spacy-model)")
    else:
        logging.getLogger().setLevel(logging.ERROR)  # pke warns on every TextRank document
        start = time.perf_counter()
        documents = pke_documents(papers, spacy_model)
        parse = time.perf_counter() - start
        notes.append(f"pke: spaCy tagging of the set ({parse:.1f} s) is counted in each pke method's time")
        for method in PKE_METHODS:
            measure(f"pke {method}", lambda method=method: run_pke(method, documents), parse)
    return {
        "papers": len(papers),
        "gold/paper": round(gold / max(1, len(papers)), 2),
        "gold present": round(present / max(1, gold), 4),
        "rows": rows,
        "notes": notes,
    }


def table(name: str, result: dict) -> str:
    lines = [
        f"#### {name} ({result['papers']} papers, {result['gold/paper']} gold phrases a paper, "
        f"{result['gold present']:.0%} of them in the text)",
        "",
        "| method | F1@5 | F1@10 | P@10 | R@10 | R@10 present | coverage | topics/paper | papers/s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in result["rows"]:
        figures = [f"{row[key]:.3f}" for key in ("f1@5", "f1@10", "p@10", "r@10", "r@10 present", "coverage")]
        lines.append(f"| {row['method']} | {' | '.join(figures)} | {row['topics/paper']:.1f} | {row['papers/s']:.0f} |")
    if result["notes"]:
        lines.extend(["", *(f"- {note}" for note in result["notes"])])
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    parser.add_argument("--limit", type=int, help="only the first N papers of each set")
    parser.add_argument("--spacy-model", help="name or folder of a trained spaCy pipeline (noun-chunk, pke)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    spacy_model = trained_pipeline(args.spacy_model)
    results = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "spacy_model": spacy_model,
        "sets": {name: bench_set(name, args.limit, spacy_model) for name in args.sets},
    }
    for name, result in results["sets"].items():
        print(table(name, result), end="\n\n")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return results


if __name__ == "__main__":
    main()
