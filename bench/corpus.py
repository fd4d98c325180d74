"""A realistic synthetic corpus for benchmarks, as kg JSON Lines records.

    python bench/corpus.py 100000 > corpus-100k.jsonl

Zipf-like author productivity (a few prolific authors, a long tail), 1-15 authors per paper,
per-author affiliations from a pool of orgs, arXiv-style categories, dates 2010-2025, titles and
~150-word abstracts drawn from research vocabulary (so topic extraction has real work). Seeded: the
same size always gives the same corpus.
"""

from __future__ import annotations

import json
import random
import sys

TEXT = """reinforcement learning language model transformer attention graph neural network diffusion model
meta-learning few-shot learning knowledge graph machine translation state space model benchmark optimization
robustness interpretability contrastive learning self-supervised learning policy gradient recurrent neural network
convolutional neural network image classification object detection speech recognition question answering
retrieval-augmented generation in-context learning scaling laws we propose a novel method that improves the
results on several tasks and shows that the approach generalizes across settings with strong performance and
efficient training at large scale"""
WORDS = tuple(TEXT.split())
FIRST = ["Ann", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kai", "Lu", "Mo", "Ned", "Oli", "Pia",
         "Quin", "Ray", "Sol", "Tam", "Uma", "Vic", "Wen", "Xia", "Yan", "Zoe"]  # fmt: skip
LAST = ["Lee", "Chen", "Diaz", "Kim", "Nguyen", "Smith", "Garcia", "Wang", "Patel", "Müller", "Rossi", "Sato",
        "Kowalski", "Silva", "Ivanova", "Haddad", "Okafor", "Larsen", "Novak", "Costa"]  # fmt: skip
CATEGORIES = ["cs.LG", "cs.CL", "cs.CV", "cs.AI", "stat.ML", "cs.RO", "cs.IR", "cs.NE"]


def records(size: int, seed: int = 7):
    rng = random.Random(seed)
    authors = [
        f"{rng.choice(FIRST)} {chr(65 + i % 26)}. {rng.choice(LAST)}{i // 520 or ''}" for i in range(max(50, size * 2))
    ]
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(authors))]
    orgs = [f"University {i}" for i in range(400)] + [f"Lab {i}" for i in range(100)]
    org_of = {name: rng.sample(orgs, rng.choice((1, 1, 1, 2))) for name in authors[: min(len(authors), 50_000)]}
    for index in range(size):
        count = min(15, max(1, int(rng.expovariate(1 / 4)) + 1))
        team = list(dict.fromkeys(rng.choices(authors, weights=weights, k=count)))
        title = " ".join(rng.choices(WORDS, k=rng.randint(6, 12))).capitalize() + f" ({index})"
        abstract = " ".join(rng.choices(WORDS, k=150)).capitalize() + "."
        year = rng.randint(2010, 2025)
        yield {
            "title": title,
            "authors": [{"name": a, "affiliations": org_of.get(a, []), "orcid": None} for a in team],
            "authors_truncated": False, "author_count": None, "orgs": [], "date": f"{year}-{rng.randint(1, 12):02d}",
            "date_inferred": False, "categories": rng.sample(CATEGORIES, rng.randint(1, 2)), "venue": None,
            "has_code": None, "upvotes": None, "abstract": abstract, "ids": {},
            "source": {"path": f"synthetic-{size}.jsonl", "line": index + 1, "format": "synthetic"},
        }  # fmt: skip


if __name__ == "__main__":
    for record in records(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000):
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
