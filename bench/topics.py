"""Topic benchmarks: quality per method on the hand-labelled seed papers, and speed at 10,000 papers.

Run with ``python bench/run.py`` (all benchmarks) or ``python bench/topics.py`` (this one).
Needs ../shared/seeds (the real pages); YAKE is measured too when it is installed.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
GOLD = ROOT / "tests" / "fixtures" / "topics_gold.json"
METHODS = ("vocabulary", "keyphrase", "vocabulary+keyphrase")  # auto is vocabulary+keyphrase


def seed_records():
    import kg

    if not SEEDS.is_dir():
        sys.exit(f"bench/topics.py: the seed pages are not at {SEEDS}")
    return kg.extract([str(SEEDS)])


def quality(records) -> list[dict]:
    from kg.topics import TopicFinder, topic_key
    from kg.topics.vocabulary import key_to_label

    gold = json.loads(GOLD.read_text(encoding="utf-8"))["papers"]
    labels = key_to_label()

    def canon(text: str) -> str:
        return topic_key(labels.get(topic_key(text), text))

    def score(predicted_per_paper) -> dict:
        tp = fp = fn = 0
        for record, predicted in zip(records, predicted_per_paper, strict=True):
            if record.title in gold:
                expected = {canon(t) for t in gold[record.title]}
                got = {canon(t) for t in predicted}
                tp, fp, fn = tp + len(expected & got), fp + len(got - expected), fn + len(expected - got)
        precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
        f1 = 2 * precision * recall / max(1e-9, precision + recall)
        return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}

    papers = [(r.title, r.abstract) for r in records]
    rows = []
    for method in METHODS:
        hits = TopicFinder(method=method).find(papers)
        rows.append({"method": method, **score([[h.label for h in paper] for paper in hits])})
    try:
        import yake
    except ImportError:
        rows.append({"method": "YAKE (not installed)"})
    else:
        extractor = yake.KeywordExtractor(lan="en", n=3, top=5)
        predicted = [[k for k, _ in extractor.extract_keywords(f"{t or ''}. {a or ''}")] for t, a in papers]
        rows.append({"method": "YAKE top 5 (for comparison)", **score(predicted)})
    rows.append({"method": "noun-chunk (trained pipeline)", "note": "not measured: no trained spaCy pipeline here"})
    return rows


def speed(records, size: int) -> list[dict]:
    from kg.topics import TopicFinder

    papers = [(r.title, r.abstract) for r in records]
    corpus = (papers * (size // len(papers) + 1))[:size]
    rows = []
    for method, processes in [(m, n) for m in ("vocabulary", "vocabulary+keyphrase") for n in (1, 2)]:
        finder = TopicFinder(method=method, n_process=processes)
        finder._load()  # pipeline loading is timed separately below
        start = time.perf_counter()
        finder.find(corpus)
        seconds = time.perf_counter() - start
        rows.append({"method": method, "processes": processes, "papers": size, "seconds": round(seconds, 2),
                     "papers_per_second": round(size / seconds)})  # fmt: skip
    from kg.topics.vocabulary import vocabulary_index

    vocabulary_index.cache_clear()
    start = time.perf_counter()
    vocabulary_index()
    rows.append({"method": "vocabulary index load", "seconds": round(time.perf_counter() - start, 2)})
    return rows


def build_share(records, size: int) -> dict:
    """Seconds of a whole build of ``size`` distinct papers, with and without topics."""
    from kg.graph import KnowledgeGraph
    from kg.rdf.formats import rdf_format_for
    from kg.rdf.writer import build_nquads
    from kg.topics import TopicFinder

    copies = [dataclasses.replace(r, title=f"{r.title or 'Untitled'} ({i})")
              for i in range(size // len(records) + 1) for r in records][:size]  # fmt: skip
    timings = {}
    extraction = []

    def timed_extract(papers):
        start = time.perf_counter()
        hits = finder.find(papers)
        extraction.append(time.perf_counter() - start)
        return hits

    for label, finder in (("without topics", None), ("with topics", TopicFinder())):
        start = time.perf_counter()
        graph = KnowledgeGraph.from_nquads(build_nquads(copies, topics=timed_extract if finder else None))
        graph.serialize(rdf_format_for("x.nt"))
        timings[label] = round(time.perf_counter() - start, 2)
        timings[f"statements {label}"] = len(graph)
    timings["topic extraction inside the build"] = round(extraction[0], 2)
    timings["topic share"] = round(1 - timings["without topics"] / timings["with topics"], 2)
    timings["extraction share"] = round(extraction[0] / timings["with topics"], 2)
    return timings


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--papers", type=int, default=10_000)
    args = parser.parse_args(argv)
    records = seed_records()
    results = {"quality": quality(records), "speed": speed(records, args.papers),
               "build": build_share(records, args.papers)}  # fmt: skip
    print(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":
    main()
