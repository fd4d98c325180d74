"""Run every benchmark and write the results tables into bench/README.md.

    python bench/run.py                       # quality and topic speed (10,000 papers), then scale (100,000)
    python bench/run.py --scale 10000         # a quicker scale run
    python bench/run.py --scale 0             # skip the scale run (it takes about 20 minutes at 100,000)
    python bench/run.py --scale 1000000 --no-peers
    python bench/run.py --skip-quality --scale 0 --viz 5000 10000   # kg viz against kg build only
    python bench/run.py --skip-quality --scale 0 --viz --identity   # author identity only (about 15 s)

Targets live here and in bench/README.md, never in unit tests.
"""

from __future__ import annotations

import argparse
import datetime
import platform
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import author_identity  # noqa: E402  (bench scripts live beside this file)
import author_merge  # noqa: E402
import scale  # noqa: E402
import topics  # noqa: E402
import viz  # noqa: E402


def _table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join("" if v is None else str(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def render(results: dict, papers: int, merges: dict | None = None) -> str:
    quality = results["quality"]
    speed = results["speed"]
    build = results["build"]
    parts = [
        f"Measured {datetime.date.today().isoformat()} on {platform.machine()}, Python {platform.python_version()}, "
        f"{__import__('os').cpu_count()} cores.",
        "",
        "### Topic quality (44 hand-labelled seed papers, 171 labels)",
        "",
        _table(["method", "precision", "recall", "F1"],
               [[r["method"], r.get("precision"), r.get("recall"), r.get("f1", r.get("note"))] for r in quality]),
        "",
        f"### Topic speed ({papers:,} papers: the seed papers repeated)",
        "",
        _table(["method", "processes", "seconds", "papers/s"],
               [[r["method"], r.get("processes"), r["seconds"], r.get("papers_per_second")] for r in speed]),
        "",
        f"### Topics in a whole build ({papers:,} distinct papers, build + load + N-Triples)",
        "",
        _table(["build", "seconds or statements"], [[k, v] for k, v in build.items() if "share" not in k]),
        "",
        f"Topic extraction takes {build['extraction share']:.0%} of the build with topics; all that topics add "
        f"(extraction, and loading and writing their statements) is {build['topic share']:.0%}.",
    ]  # fmt: skip
    if merges:
        parts += [
            "",
            "### Author merging (82 hand-labelled pairs of compatible names, Semantic Scholar export)",
            "",
            _table(["run", "same-person pairs", "joined", "wrongly joined", "precision", "recall"],
                   [[k, v["same"], v["tp"], v["fp"], v["precision"], v["recall"]] for k, v in merges.items()]),
        ]  # fmt: skip
    return "\n".join(parts)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=10_000, help="papers for the topic benchmarks")
    parser.add_argument("--scale", type=int, default=100_000, help="papers for the scale run (0: skip it)")
    parser.add_argument("--no-peers", action="store_true", help="scale run without rdflib and NetworkX")
    parser.add_argument("--skip-quality", action="store_true", help="only the scale run")
    parser.add_argument(
        "--viz",
        type=int,
        nargs="*",
        default=[5000],
        help="papers for kg viz against kg build (5000; --viz alone skips it)",
    )
    parser.add_argument(
        "--identity", action="store_true", help="author identity labelled from identifiers (bench/author_identity.py)"
    )
    args = parser.parse_args(argv)
    readme = HERE / "README.md"
    if not args.skip_quality:
        results = topics.main(["--papers", str(args.papers)])
        merges = author_merge.main()
        _replace(readme, "results", render(results, args.papers, merges))
    if args.scale:
        scaled = scale.main(["--papers", str(args.scale), *(["--no-peers"] if args.no_peers else [])])
        heading = (f"Measured {datetime.date.today().isoformat()} on {platform.machine()}, "
                   f"{__import__('os').cpu_count()} cores, Python {platform.python_version()}.")  # fmt: skip
        _replace(readme, f"scale {args.scale}", heading + "\n\n" + scale.render(scaled))
    if args.viz:
        measured = viz.main(["--papers", *map(str, args.viz)])
        heading = (f"Measured {datetime.date.today().isoformat()} on {platform.machine()}, "
                   f"{__import__('os').cpu_count()} cores, Python {platform.python_version()}.")  # fmt: skip
        _replace(readme, "viz", heading + "\n\n" + viz.render(measured))
    if args.identity:
        author_identity.main(["--write"])
    print(f"wrote {readme}")


def _replace(readme: Path, name: str, content: str) -> None:
    """Put ``content`` between the README's ``<!-- name -->`` markers (appended with them when missing)."""
    text = readme.read_text(encoding="utf-8")
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    block = f"{start}\n{content}\n{end}"
    if start in text:
        text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
