"""Author-merge quality: precision and recall of kg's author resolution on hand-labelled pairs.

    python bench/author_merge.py

The pairs (tests/fixtures/author_pairs.json) are compatible names from the real Semantic Scholar
export in ../shared/data, labelled same/different person by hand. Two runs: as kg builds (with
Semantic Scholar author ids as identifiers), and with the ids hidden (names and evidence only).
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "semanticscholar-api"
PAIRS = ROOT / "tests" / "fixtures" / "author_pairs.json"


def evaluate(records, pairs, hide_ids: bool) -> dict:
    from kg.resolve.papers import group_papers
    from kg.resolve.people import resolve_authors

    if hide_ids:
        records = [
            dataclasses.replace(r, extra={k: v for k, v in r.extra.items() if k != "s2_author_ids"}) for r in records
        ]
    resolution = resolve_authors(records, None, group_papers(records))
    where = {}
    for index, record in enumerate(records):
        for position, author in enumerate(record.authors):
            where.setdefault((author.name, (record.title or "")[:60]), (index, position))
    tp = fp = fn = tn = 0
    for pair in pairs:
        a, b = where[(pair["a"], pair["paper_a"])], where[(pair["b"], pair["paper_b"])]
        merged = resolution.person(*a) == resolution.person(*b)
        tp, fp = tp + (merged and pair["same"]), fp + (merged and not pair["same"])
        fn, tn = fn + (not merged and pair["same"]), tn + (not merged and not pair["same"])
    return {"pairs": len(pairs), "same": tp + fn, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": round(tp / max(1, tp + fp), 3), "recall": round(tp / max(1, tp + fn), 3)}  # fmt: skip


def main() -> dict:
    import kg

    if not DATA.is_dir():
        sys.exit(f"bench/author_merge.py: the Semantic Scholar export is not at {DATA}")
    records = kg.extract([str(DATA / "Paper.json"), str(DATA / "Author.json")])
    pairs = json.loads(PAIRS.read_text(encoding="utf-8"))["pairs"]
    results = {
        "with source ids": evaluate(records, pairs, False),
        "names and evidence only": evaluate(records, pairs, True),
    }
    print(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":
    main()
