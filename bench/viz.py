"""`kg viz` against `kg build` of the same store, and the time a page takes to open in a browser.

    python bench/viz.py                          # 5,000 papers (about a minute on 2 cores)
    python bench/viz.py --papers 5000 10000      # one row per size
    python bench/viz.py --code /tmp/kg-before    # the kg package found in that folder (an older copy)
    python bench/viz.py --open                   # and open each page in headless Chromium
    python bench/viz.py --store STORE --projection coauthor --max-nodes 2000 5000 --open
                                                 # pages of a store already built, no kg build
    python bench/viz.py --screenshots examples/screenshots   # the README's pictures of the seeds

For each size: a synthetic corpus (``bench/corpus.py``), then in fresh processes, each timed from
outside with its peak memory (as ``bench/scale.py`` does):

- build: ``kg build CORPUS -q --store DIR``;
- viz: ``kg viz DIR -o page.html --max-nodes 2000`` (every other option at its default: the full
  graph, sized by PageRank);
- open (``--open``): the page in headless Chromium (Playwright), from the request to the moment the
  page says it is drawn (``window.kgGraph.settled``: vis-network's first drawing of the page, at kg's
  positions; for an older page that laid itself out, its last layout step), at 1600x1000, network off.
  ``window.kgGraph.timings`` splits that time into the page's steps (JSON read, labels chosen, vis-network's
  data and network built, first drawing).

The ratio is viz time / build time; the target is at most 0.5.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale import run  # noqa: E402  (bench scripts live beside this file)

TARGET = 0.5
# How each step runs kg; with --code, -P keeps the working directory's kg (this checkout) off sys.path.
KG = [sys.executable, "-m", "kg"]
MAX_NODES = 2000
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1600, "height": 1000}
SEEDS = HERE.parent.parent / "shared" / "seeds"
# The paper chosen in the picture of the side panel.
PAPER = "Show, Attend and Tell: Neural Image Caption Generation with Visual Attention"


def open_page(path: Path, timeout: float = 300, screenshot: Path | None = None, select: str | None = None) -> dict:
    """Seconds from asking headless Chromium for ``path`` until the page is drawn; its size in MB.

    With ``screenshot``, the page is drawn into that PNG; with ``select``, after that text is typed in the search
    box (the first node whose label holds it is chosen, its panel opened and the view brought close to it).
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            start = time.perf_counter()
            page.goto(path.resolve().as_uri(), timeout=timeout * 1000)
            while not page.evaluate("() => !!(window.kgGraph && window.kgGraph.settled)"):
                if time.perf_counter() - start > timeout:
                    return {"seconds": None, "status": "timed out"}
                time.sleep(0.02)
            seconds = time.perf_counter() - start
            if screenshot is not None:
                if select is not None:
                    page.fill("#search", select)
                    time.sleep(0.6)  # the view moves to it in 0.3 s
                page.screenshot(path=str(screenshot))
        finally:
            browser.close()
    return {"seconds": round(seconds, 2), "mb": round(path.stat().st_size / 1e6, 1), "status": "ok"}


def measure(papers: int, work: Path, timeout: float = 1800, opened: bool = False) -> dict:
    """Build a store of ``papers`` synthetic papers and draw its page; both timed in fresh processes."""
    folder = work / str(papers)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    log = folder / "log.txt"
    source = folder / "corpus.jsonl"
    with open(source, "w", encoding="utf-8") as handle:
        subprocess.run([sys.executable, str(HERE / "corpus.py"), str(papers)], stdout=handle, check=True)
    kg = KG
    store = folder / "store"
    page = folder / "page.html"
    build = run([*kg, "build", str(source), "-q", "--store", str(store)], timeout, log)
    viz = run([*kg, "viz", str(store), "-o", str(page), "--max-nodes", str(MAX_NODES)], timeout, log)
    result = {"papers": papers, "build": build, "viz": viz}
    for step, outcome in (("build", build), ("viz", viz)):
        if outcome["status"] != "ok":
            print(f"{step} of {papers} papers failed ({outcome['status']}); see {log}", file=sys.stderr)
    if build["status"] == viz["status"] == "ok":
        result["ratio"] = round(viz["seconds"] / build["seconds"], 3)
        if opened:
            result["open"] = open_page(page, timeout)
    return result


def measure_store(store: Path, projection: str, max_nodes: int, work: Path, timeout: float, opened: bool) -> dict:
    """The page of a view of a store already built: written (a fresh process) and, with ``opened``, opened."""
    work.mkdir(parents=True, exist_ok=True)
    page = work / f"{projection}-{max_nodes}.html"
    command = [*KG, "viz", str(store), "-o", str(page), "--projection", projection,
               "--max-nodes", str(max_nodes)]  # fmt: skip
    viz = run(command, timeout, work / "log.txt")
    result = {"projection": projection, "max_nodes": max_nodes, "viz": viz}
    if viz["status"] == "ok" and opened:
        result["open"] = open_page(page, timeout)
    return result


def screenshots(folder: Path, seeds: Path, work: Path) -> list[Path]:
    """The seeds' co-author page and full page, and the full page with one paper chosen, drawn at 1600x1000:
    the README's pictures."""
    from kg.export.html import render_page, write_page
    from kg.pipeline import build

    graph = build([str(seeds)]).graph
    written = []
    views = (("seeds-coauthor", "coauthor", None), ("seeds-full", "full", None), ("seeds-paper", "full", PAPER))
    for name, projection, select in views:
        page = work / f"{name}.html"
        write_page(render_page(graph, projection=projection), page)
        picture = folder / f"{name}.png"
        open_page(page, screenshot=picture, select=select)
        written.append(picture)
    return written


def _seconds(outcome: dict | None) -> str:
    if not outcome:
        return ""
    if outcome.get("seconds") is None:
        return str(outcome.get("status"))
    return f"{outcome['seconds']} s" + (f", {outcome['mb']:,} MB" if "mb" in outcome else "")


def render(results: list[dict]) -> str:
    """The table for bench/README.md."""
    opened = any("open" in row for row in results)
    if results and "papers" not in results[0]:
        lines = ["| view | kg viz (write) | open in Chromium |", "|---|---|---|"]
        for row in results:
            view = f"--projection {row['projection']} --max-nodes {row['max_nodes']}"
            lines.append(f"| {view} | {_seconds(row['viz'])} | {_seconds(row.get('open'))} |")
        return "\n".join(lines)
    lines = [
        "| papers | kg build --store | kg viz --max-nodes 2000 | viz / build | target | met? |"
        + (" open in Chromium (page size) |" if opened else ""),
        "|---|---|---|---|---|---|" + ("---|" if opened else ""),
    ]
    for row in results:
        build, viz, ratio = row["build"], row["viz"], row.get("ratio")
        met = "" if ratio is None else "yes" if ratio <= TARGET else "no"
        lines.append(
            f"| {row['papers']:,} | {build['seconds']} s, {build['mb']:,} MB | {viz['seconds']} s, {viz['mb']:,} MB "
            f"| {ratio if ratio is not None else viz.get('status')} | <= {TARGET} | {met} |"
            + (f" {_seconds(row.get('open'))} |" if opened else "")
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, nargs="+", default=[5000], help="corpus sizes (5000)")
    parser.add_argument("--work", default="/tmp/kg-viz-bench", help="where corpora and stores are written")
    parser.add_argument("--code", help="run the kg package found in this folder instead of the installed one")
    parser.add_argument("--timeout", type=float, default=1800, help="longest one step may run, seconds")
    parser.add_argument("--open", action="store_true", help="also open each page in headless Chromium")
    parser.add_argument("--store", help="draw pages of this store (already built) instead of synthetic corpora")
    parser.add_argument("--projection", default="coauthor", help="the view drawn of --store (coauthor)")
    parser.add_argument("--max-nodes", type=int, nargs="+", default=[MAX_NODES], help="caps drawn of --store")
    parser.add_argument("--screenshots", metavar="FOLDER", help="write the seeds' pictures there, and stop")
    parser.add_argument("--seeds", default=str(SEEDS), help="the seed pages for --screenshots")
    args = parser.parse_args(argv)
    if args.code:  # the steps' processes find that kg first
        if sys.version_info < (3, 11):
            parser.error("--code needs Python 3.11 or later (python -P)")
        os.environ["PYTHONPATH"] = str(Path(args.code).resolve()) + os.pathsep + os.environ.get("PYTHONPATH", "")
        KG[1:1] = ["-P"]
    work = Path(args.work)
    if args.screenshots:
        work.mkdir(parents=True, exist_ok=True)
        for picture in screenshots(Path(args.screenshots), Path(args.seeds), work):
            print(f"wrote {picture}")
        return []
    if args.store:
        results = [measure_store(Path(args.store), args.projection, n, work, args.timeout, args.open)
                   for n in args.max_nodes]  # fmt: skip
    else:
        results = [measure(n, work, args.timeout, args.open) for n in args.papers]
    print(json.dumps(results, indent=1))
    print(render(results))
    return results


if __name__ == "__main__":
    main()
