"""A realistic synthetic corpus for benchmarks, as kg JSON Lines records.

    python bench/corpus.py 100000 > corpus-100k.jsonl

Zipf-like author productivity (a few prolific authors, a long tail), 1-15 authors per paper,
per-author affiliations from a pool of orgs, arXiv-style categories, dates 2010-2025, titles and
~150-word abstracts of ordinary words with 1-3 research phrases (about 2 topics a paper). Seeded: the
same size always gives the same corpus.
"""

from __future__ import annotations

import itertools
import json
import random
import sys

# Research phrases that kg's topic vocabulary knows, and the ordinary words around them. Abstracts are
# mostly ordinary words with a few phrases (1-3): that gives ~2 topics a paper, close to the 1.5 that kg
# finds in the real paper lists of ../shared/data (a corpus made only of phrases gave 5.8, inflating
# every topic cost).
PHRASES = """reinforcement learning|language model|transformer|attention|graph neural network|diffusion model
|meta-learning|few-shot learning|knowledge graph|machine translation|state space model|benchmark|optimization
|robustness|interpretability|contrastive learning|self-supervised learning|policy gradient
|recurrent neural network|convolutional neural network|image classification|object detection
|speech recognition|question answering|retrieval-augmented generation|in-context learning|scaling laws"""
TOPIC_PHRASES = tuple(p.strip() for p in PHRASES.split("|"))
ORDINARY = tuple(
    [
        "we",
        "propose",
        "a",
        "novel",
        "method",
        "that",
        "improves",
        "the",
        "results",
        "on",
        "several",
        "tasks",
        "and",
        "shows",
        "that",
        "the",
        "approach",
        "generalizes",
        "across",
        "settings",
        "with",
        "strong",
        "performance",
        "and",
        "efficient",
        "training",
        "at",
        "large",
        "scale",
        "our",
        "analysis",
        "reveals",
        "how",
        "simple",
        "changes",
        "to",
        "data",
        "model",
        "size",
        "and",
        "objective",
        "affect",
        "quality",
        "while",
        "prior",
        "work",
        "assumed",
        "fixed",
        "inputs",
        "this",
        "paper",
        "studies",
        "when",
        "such",
        "methods",
        "fail",
        "and",
        "why",
        "experiments",
        "on",
        "public",
        "datasets",
        "confirm",
        "the",
        "gains",
        "code",
        "is",
        "available",
        "we",
        "also",
        "discuss",
        "limitations",
        "future",
        "directions",
        "theoretical",
        "guarantees",
        "empirical",
        "evidence",
        "practical",
        "settings",
    ]
)
WORDS = TOPIC_PHRASES + ORDINARY
FIRST = ["Ann", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kai", "Lu", "Mo", "Ned", "Oli", "Pia",
         "Quin", "Ray", "Sol", "Tam", "Uma", "Vic", "Wen", "Xia", "Yan", "Zoe"]  # fmt: skip
LAST = ["Lee", "Chen", "Diaz", "Kim", "Nguyen", "Smith", "Garcia", "Wang", "Patel", "Müller", "Rossi", "Sato",
        "Kowalski", "Silva", "Ivanova", "Haddad", "Okafor", "Larsen", "Novak", "Costa"]  # fmt: skip
CATEGORIES = ["cs.LG", "cs.CL", "cs.CV", "cs.AI", "stat.ML", "cs.RO", "cs.IR", "cs.NE"]


SUFFIXES = ["", "son", "ski", "ez", "ova", "berg", "man", "ari", "ini", "ley", "ton", "ard", "ic", "elli", "stad",
            "ar", "en", "ow", "ane", "is"]  # fmt: skip


def _family_suffix(number: int) -> str:
    """Letters that make the n-th homonym family a distinct real-looking name ("Lee", "Leeson", "Leesonski")."""
    suffix = ""
    while number:
        number, digit = divmod(number, len(SUFFIXES))
        suffix += SUFFIXES[digit] or "a"
    return suffix


def records(size: int, seed: int = 7):
    rng = random.Random(seed)
    authors = [
        f"{rng.choice(FIRST)} {chr(65 + i % 26)}. {rng.choice(LAST)}{_family_suffix(i // 520)}"
        for i in range(max(50, size * 2))
    ]
    # Zipf-like with an offset: the most prolific author is on ~0.3% of papers (a few hundred at 100k), as
    # in real fields; a plain 1/rank put one name on 40% of all papers.
    cumulative = list(itertools.accumulate(1 / (rank + 200) for rank in range(len(authors))))
    orgs = [f"University {i}" for i in range(400)] + [f"Lab {i}" for i in range(100)]
    org_of = {name: rng.sample(orgs, rng.choice((1, 1, 1, 2))) for name in authors[: min(len(authors), 50_000)]}
    for index in range(size):
        count = min(15, max(1, int(rng.expovariate(1 / 4)) + 1))
        team = list(dict.fromkeys(rng.choices(authors, cum_weights=cumulative, k=count)))
        title_words = rng.choices(ORDINARY, k=rng.randint(5, 10))
        title_words.insert(rng.randrange(len(title_words)), rng.choice(TOPIC_PHRASES))
        title = " ".join(title_words).capitalize() + f" ({index})"
        words = rng.choices(ORDINARY, k=150)
        for phrase in rng.sample(TOPIC_PHRASES, rng.choice((1, 1, 2, 2, 3))):
            words.insert(rng.randrange(len(words)), phrase)
        abstract = " ".join(words).capitalize() + "."
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
