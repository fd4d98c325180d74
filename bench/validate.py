"""kg validate on a store: the built-in engine against pySHACL (the peer), same shapes, same graph.

    python bench/validate.py /tmp/kgwork/scale/s10k                 # both engines (pySHACL: about 10 minutes)
    python bench/validate.py /tmp/kgwork/scale/s100k --no-peer      # the built-in engine alone

Each run is ``kg validate [--engine pyshacl] STORE`` in a process of its own, timed from outside
with its peak memory (``wait4``); the two reports must be the same lines (the results, then the
verdict). Ratios are peer time / kg time (above 1: kg is faster). Build a store with
``python bench/corpus.py 10000 > c10k.jsonl && kg build c10k.jsonl --store s10k``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import run  # bench scripts live beside this file

TARGET = "under 60 s at 100,000 papers, with the same results as pySHACL"


def papers(store: str) -> int | None:
    from kg.store import open_graph

    counts = open_graph(store).class_counts()
    return counts.get("kg:Paper")


def measure(store: str, peer: bool, timeout: float) -> list[dict]:
    kg = [sys.executable, "-m", "kg", "validate"]
    rows = []
    with tempfile.TemporaryDirectory(prefix="kg-validate-bench-") as work:
        engines = ["builtin", "pyshacl"] if peer else ["builtin"]
        outputs = {}
        for engine in engines:
            out = Path(work) / f"{engine}.txt"
            # kg validate exits 1 when the graph breaks a shape: a result, not a failure of the run.
            result = run([*kg, "--engine", engine, store], timeout, Path(work) / "log.txt", stdout=out)
            text = out.read_text(encoding="utf-8", errors="replace")
            outputs[engine] = text if result["seconds"] is not None else None
            lines = text.splitlines()
            rows.append({"store": store, "engine": engine, **result, "results": max(len(lines) - 1, 0)})
        if peer and outputs["pyshacl"] is not None:
            same = outputs["builtin"] == outputs["pyshacl"]
            for row in rows:
                row["same results"] = "yes" if same else "NO"
    return rows


def table(rows: list[dict], counts: dict[str, int | None]) -> str:
    lines = [
        "| store | papers | engine | seconds | peak MB | results | same as pySHACL | peer / kg |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        mine = next(r for r in rows if r["store"] == row["store"] and r["engine"] == "builtin")
        ratio = ""
        if row["engine"] == "pyshacl" and row["seconds"] and mine["seconds"]:
            ratio = f"{row['seconds'] / mine['seconds']:.1f}x"
        seconds = row["seconds"] if row["seconds"] is not None else row["status"]
        lines.append(
            f"| {Path(row['store']).name} | {counts.get(row['store']) or ''} | {row['engine']} | {seconds} | "
            f"{row['mb']} | {row['results']} | {row.get('same results', '')} | {ratio} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stores", nargs="+", metavar="STORE", help="kg build --store folders (or RDF files)")
    parser.add_argument("--no-peer", action="store_true", help="time the built-in engine only")
    parser.add_argument("--timeout", type=float, default=3600, help="longest one run may take, seconds (3600)")
    parser.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    args = parser.parse_args(argv)
    rows = [row for store in args.stores for row in measure(store, not args.no_peer, args.timeout)]
    counts = {store: papers(store) for store in args.stores}
    print(f"Target: {TARGET}.\n")
    print(table(rows, counts))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n")
    return rows


if __name__ == "__main__":
    main()
