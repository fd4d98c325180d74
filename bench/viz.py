"""`kg viz` against `kg build` of the same store: the page must cost at most half the build.

    python bench/viz.py                          # 5,000 papers (about a minute on 2 cores)
    python bench/viz.py --papers 5000 10000      # one row per size
    python bench/viz.py --code /tmp/kg-before    # the kg package found in that folder (an older copy)

For each size: a synthetic corpus (``bench/corpus.py``), then in fresh processes, each timed from
outside with its peak memory (as ``bench/scale.py`` does):

- build: ``kg build CORPUS -q --store DIR``;
- viz: ``kg viz DIR -o page.html --max-nodes 2000`` (every other option at its default: the full
  graph, sized by PageRank).

The ratio is viz time / build time; the target is at most 0.5.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale import run  # noqa: E402  (bench scripts live beside this file)

TARGET = 0.5
MAX_NODES = 2000


def measure(papers: int, work: Path, timeout: float = 1800) -> dict:
    """Build a store of ``papers`` synthetic papers and draw its page; both timed in fresh processes."""
    folder = work / str(papers)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    log = folder / "log.txt"
    source = folder / "corpus.jsonl"
    with open(source, "w", encoding="utf-8") as handle:
        subprocess.run([sys.executable, str(HERE / "corpus.py"), str(papers)], stdout=handle, check=True)
    kg = [sys.executable, "-m", "kg"]
    store = folder / "store"
    build = run([*kg, "build", str(source), "-q", "--store", str(store)], timeout, log)
    viz = run([*kg, "viz", str(store), "-o", str(folder / "page.html"), "--max-nodes", str(MAX_NODES)], timeout, log)
    result = {"papers": papers, "build": build, "viz": viz}
    for step, outcome in (("build", build), ("viz", viz)):
        if outcome["status"] != "ok":
            print(f"{step} of {papers} papers failed ({outcome['status']}); see {log}", file=sys.stderr)
    if build["status"] == viz["status"] == "ok":
        result["ratio"] = round(viz["seconds"] / build["seconds"], 3)
    return result


def render(results: list[dict]) -> str:
    """The table for bench/README.md."""
    lines = [
        "| papers | kg build --store | kg viz --max-nodes 2000 | viz / build | target | met? |",
        "|---|---|---|---|---|---|",
    ]
    for row in results:
        build, viz, ratio = row["build"], row["viz"], row.get("ratio")
        met = "" if ratio is None else "yes" if ratio <= TARGET else "no"
        lines.append(
            f"| {row['papers']:,} | {build['seconds']} s, {build['mb']:,} MB | {viz['seconds']} s, {viz['mb']:,} MB "
            f"| {ratio if ratio is not None else viz.get('status')} | <= {TARGET} | {met} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, nargs="+", default=[5000], help="corpus sizes (5000)")
    parser.add_argument("--work", default="/tmp/kg-viz-bench", help="where corpora and stores are written")
    parser.add_argument("--code", help="run the kg package found in this folder instead of the installed one")
    parser.add_argument("--timeout", type=float, default=1800, help="longest one step may run, seconds")
    args = parser.parse_args(argv)
    if args.code:  # the steps' processes find that kg first
        os.environ["PYTHONPATH"] = str(Path(args.code).resolve()) + os.pathsep + os.environ.get("PYTHONPATH", "")
    results = [measure(n, Path(args.work), args.timeout) for n in args.papers]
    print(json.dumps(results, indent=1))
    print(render(results))
    return results


if __name__ == "__main__":
    main()
