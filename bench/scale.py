"""kg at scale, side by side with the obvious peers on the same records.

    python bench/scale.py --papers 100000             # kg and its peers (about 15 minutes)
    python bench/scale.py --papers 1000000 --no-peers  # kg alone

Every step runs in its own process, timed from outside, with its peak memory (``wait4``):

- build: ``kg build corpus.jsonl -o kg.ttl`` (extract, resolve, topics, store, Turtle), against a
  plain rdflib script that reads the same JSON Lines, adds one triple at a time (papers, authors by
  name string, authorships, affiliations, categories) and writes Turtle: what a user would write
  without kg, doing less (no resolution, no topics from text, no provenance);
- query: the canned top-authors and papers-per-topic-per-year queries on kg's store, against the
  same questions asked of rdflib's in-memory graph (built by the peer, so it holds the same records);
- analyze: ``kg analyze STORE --projection coauthor``, against plain NetworkX on the co-author pairs
  of the JSON Lines (PageRank and betweenness sampled from 500 sources, as kg does);
- viz: ``kg viz STORE --max-nodes 2000`` from the whole graph;
- add and remove: ``kg add PAGE --store STORE`` of a 4-paper listing (tests/fixtures/hf_sample.txt), then
  ``kg remove`` of it (no peer updates a graph in place).

Ratios are peer time / kg time (above 1: kg is faster).
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
QUERIES = HERE.parent / "examples" / "queries"

TARGETS = {
    "build": "under 60 s and 3 GB at 100k; 5x faster than the rdflib build",
    "top-authors": "under 1 s; 20x faster than rdflib",
    "papers-per-topic-per-year": "under 1 s; 20x faster than rdflib",
    "analyze": "under 60 s",
    "viz": "under 10 s",
    "add": "under 2 s at 100k",
}
PAGE = HERE.parent / "tests" / "fixtures" / "hf_sample.txt"

RDFLIB_QUERIES = {
    "top-authors": """PREFIX kg: <https://w3id.org/kg/ontology#>
SELECT ?author (SAMPLE(?printed) AS ?name) (COUNT(DISTINCT ?paper) AS ?papers)
WHERE { ?author kg:authored ?paper ; kg:name ?printed }
GROUP BY ?author ORDER BY DESC(?papers) LIMIT 20""",
    "papers-per-topic-per-year": """PREFIX kg: <https://w3id.org/kg/ontology#>
SELECT ?topic ?year (COUNT(DISTINCT ?paper) AS ?papers)
WHERE { ?paper kg:citesTopic ?topic ; kg:date ?date BIND (SUBSTR(STR(?date), 1, 4) AS ?year) }
GROUP BY ?topic ?year ORDER BY ?topic ?year""",
}


def run(command: list[str], timeout: float, log: Path, stdout: Path | None = None) -> dict:
    """Run ``command`` (its output into ``log``, or its standard output into ``stdout`` when given); its wall
    time, peak memory (MB) and exit status."""
    start = time.perf_counter()
    with open(log, "ab") as sink, open(stdout or os.devnull, "wb") as answer:
        sink.write(("$ " + " ".join(command) + "\n").encode())
        sink.flush()
        process = subprocess.Popen(command, stdout=answer if stdout else sink, stderr=sink)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                return {"seconds": None, "mb": usage.ru_maxrss // 1024, "status": "timed out"}
            time.sleep(0.05)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    return {"seconds": round(seconds, 2), "mb": usage.ru_maxrss // 1024, "status": "ok" if code == 0 else code}


def _python(script: str, *args: str) -> list[str]:
    return [sys.executable, str(HERE / "scale.py"), script, *args]


def peer_build(source: str, out: str) -> None:
    """The plain rdflib build: one add() a triple, then Turtle; then the two questions, timed."""
    start = time.perf_counter()
    import rdflib

    kg = rdflib.Namespace("https://w3id.org/kg/ontology#")
    base = "https://w3id.org/kg/id/"
    graph = rdflib.Graph()
    with open(source, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            record = json.loads(line)
            paper = rdflib.URIRef(f"{base}paper/{number}")
            graph.add((paper, rdflib.RDF.type, kg.Paper))
            graph.add((paper, kg.title, rdflib.Literal(record["title"])))
            graph.add((paper, kg.abstract, rdflib.Literal(record["abstract"])))
            graph.add((paper, kg.date, rdflib.Literal(record["date"])))
            for position, author in enumerate(record["authors"], start=1):
                node = rdflib.URIRef(f"{base}author/{abs(hash(author['name'])):x}")
                authorship = rdflib.URIRef(f"{paper}/authorship/{position}")
                graph.add((node, rdflib.RDF.type, kg.Author))
                graph.add((node, kg.name, rdflib.Literal(author["name"])))
                graph.add((node, kg.authored, paper))
                graph.add((paper, kg.hasAuthorship, authorship))
                graph.add((authorship, kg.author, node))
                graph.add((authorship, kg.position, rdflib.Literal(position)))
                for org in author["affiliations"]:
                    graph.add((authorship, kg.affiliated, rdflib.URIRef(f"{base}org/{abs(hash(org)):x}")))
            for code in record["categories"]:
                graph.add((paper, kg.citesTopic, rdflib.URIRef(f"{base}topic/{code}")))
    graph.serialize(out, format="turtle")
    timings = {"triples": len(graph), "build": round(time.perf_counter() - start, 2)}
    record = Path(out).with_suffix(".json")
    record.write_text(json.dumps(timings))  # written after each step: a peer stopped by the timeout keeps them
    for name, sparql in RDFLIB_QUERIES.items():
        start = time.perf_counter()
        list(graph.query(sparql))
        timings[name] = round(time.perf_counter() - start, 2)
        record.write_text(json.dumps(timings))


def peer_analyze(source: str) -> None:
    """Plain NetworkX: co-author pairs by name string, PageRank, betweenness from 500 sampled sources."""
    import itertools

    import networkx as nx

    graph = nx.Graph()
    with open(source, encoding="utf-8") as lines:
        for line in lines:
            names = [a["name"] for a in json.loads(line)["authors"]]
            for a, b in itertools.combinations(sorted(set(names)), 2):
                weight = graph.get_edge_data(a, b, {}).get("weight", 0)
                graph.add_edge(a, b, weight=weight + 1)
    nx.pagerank(graph, weight="weight")
    nx.betweenness_centrality(graph, k=min(500, len(graph)), seed=42)


def kg_queries(store: str, out: str) -> None:
    from kg.query import read_query
    from kg.store import open_graph

    graph = open_graph(store)
    timings = {}
    for name in RDFLIB_QUERIES:
        sparql = read_query(str(QUERIES / f"{name}.rq"))
        start = time.perf_counter()
        rows = graph.query(sparql).rows
        timings[name] = round(time.perf_counter() - start, 3)
        timings[f"{name} rows"] = len(rows)
    Path(out).write_text(json.dumps(timings))


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--work", default="/tmp/kg-scale")
    parser.add_argument("--no-peers", action="store_true", help="measure kg alone")
    parser.add_argument("--timeout", type=float, default=3600, help="longest one step may run, seconds")
    parser.add_argument("--peer-timeout", type=float, default=900, help="longest each peer may run, seconds")
    args = parser.parse_args(argv)
    work = Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    log = work / "log.txt"
    kg = [sys.executable, "-m", "kg"]
    source = work / "corpus.jsonl"
    with open(source, "w", encoding="utf-8") as handle:
        subprocess.run([sys.executable, str(HERE / "corpus.py"), str(args.papers)], stdout=handle, check=True)
    results: dict = {"papers": args.papers}
    results["kg build"] = run([*kg, "build", str(source), "-q", "-o", str(work / "kg.ttl")], args.timeout, log)
    results["kg build --store"] = run([*kg, "build", str(source), "-q", "--store", str(work / "store")],
                                      args.timeout, log)  # fmt: skip
    results["kg queries"] = run(_python("--kg-queries", str(work / "store"), str(work / "kgq.json")), 600, log)
    results["kg query seconds"] = json.loads((work / "kgq.json").read_text())
    # The first view of a store reads its graph and keeps the read model beside it; later views read that.
    analyze = [*kg, "analyze", str(work / "store"), "--projection", "coauthor"]
    viz = [*kg, "viz", str(work / "store"), "-o", str(work / "viz.html"), "--max-nodes", "2000"]
    results["kg analyze"] = run(analyze, args.timeout, log)
    results["kg viz"] = run(viz, args.timeout, log)
    results["kg analyze, later"] = run(analyze, args.timeout, log)
    results["kg viz, later"] = run(viz, args.timeout, log)
    page = work / PAGE.name
    shutil.copy(PAGE, page)
    results["kg add"] = run([*kg, "add", str(page), "--store", str(work / "store"), "-q"], args.timeout, log)
    results["kg remove"] = run([*kg, "remove", str(page), "--store", str(work / "store"), "-q"], args.timeout, log)
    if not args.no_peers:
        results["rdflib build"] = run(_python("--peer-build", str(source), str(work / "rdflib.ttl")),
                                      args.peer_timeout, log)  # fmt: skip
        peer = work / "rdflib.json"
        results["rdflib query seconds"] = json.loads(peer.read_text()) if peer.is_file() else {}
        if "build" in results["rdflib query seconds"]:  # the build alone, without the queries that follow it
            results["rdflib build"]["seconds"] = results["rdflib query seconds"]["build"]
        results["networkx analyze"] = run(_python("--peer-analyze", str(source)), args.peer_timeout, log)
    results["statements"] = _statements(work / "store")
    print(json.dumps(results, indent=1))
    return results


def _statements(store: Path) -> int | None:
    try:
        from kg.store import open_graph

        return len(open_graph(store))
    except Exception:  # the store step may have failed; the table says so
        return None


def _peer_cell(peer: dict) -> str:
    if not peer:
        return ""
    if peer.get("status") == "timed out" and not peer.get("seconds"):
        return f"did not finish in the time allowed ({peer.get('mb', 0):,} MB when stopped)"
    return f"{peer.get('seconds')} s, {peer.get('mb', 0):,} MB"


def ratio(peer, ours) -> str:
    if not peer or not ours:
        return ""
    return f"{peer / ours:.1f}x"


def render(results: dict) -> str:
    """The scale table for bench/README.md."""
    n = results["papers"]
    build, peer = results["kg build"], results.get("rdflib build", {})
    kq, rq = results.get("kg query seconds", {}), results.get("rdflib query seconds", {})
    analyze, nxa = results["kg analyze"], results.get("networkx analyze", {})
    if nxa.get("status") == "timed out":
        nxa = {**nxa, "seconds": None}
    rows = [
        ["kg build (JSON Lines to Turtle)", f"{build['seconds']} s, {build['mb']:,} MB", TARGETS["build"],
         f"{peer.get('seconds')} s, {peer.get('mb', 0):,} MB" if peer else "", ratio(peer.get("seconds"),
         build["seconds"])],
        ["kg build --store (on disk)", f"{results['kg build --store']['seconds']} s, "
         f"{results['kg build --store']['mb']:,} MB", "", "", ""],
    ]  # fmt: skip
    for name in RDFLIB_QUERIES:
        answered = f"{rq[name]} s" if name in rq else "did not finish in the time allowed" if peer else ""
        rows.append([f"query {name}", f"{kq.get(name)} s", TARGETS[name], answered,
                     ratio(rq.get(name), kq.get(name))])  # fmt: skip
    rows.append(["kg analyze --projection coauthor (the store's first view)",
                 f"{analyze['seconds']} s, {analyze['mb']:,} MB", TARGETS["analyze"], _peer_cell(nxa),
                 ratio(nxa.get("seconds"), analyze["seconds"])])  # fmt: skip
    viz = results["kg viz"]
    rows.append(["kg viz --max-nodes 2000 (reads the parts analyze did not)", f"{viz['seconds']} s, {viz['mb']:,} MB",
                 TARGETS["viz"], "", ""])  # fmt: skip
    for name, target in (("kg analyze", "analyze"), ("kg viz", "viz")):
        later = results.get(f"{name}, later")
        if later:
            peer_cells = ["", ""]
            if target == "analyze":
                peer_cells = [_peer_cell(nxa), ratio(nxa.get("seconds"), later["seconds"])]
            rows.append([f"{name}, later (the read model the store kept)", f"{later['seconds']} s, {later['mb']:,} MB",
                         TARGETS[target], *peer_cells])  # fmt: skip
    for name, what in (("kg add", "a 4-paper page"), ("kg remove", "the same page")):
        step = results.get(name)
        if step:
            rows.append([f"{name} ({what})", f"{step['seconds']} s, {step['mb']:,} MB", TARGETS["add"], "", ""])
    lines = [f"#### {n:,} papers ({results.get('statements') or '?':,} statements in the store)", "",
             "| step | kg | target | peer | peer / kg |", "|---|---|---|---|---|"]  # fmt: skip
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    if rq.get("triples"):
        lines += ["", f"The rdflib peer's graph held {rq['triples']:,} triples (fewer than kg's: no provenance, "
                  "topics from text or resolution records)."]  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--peer-build":
        peer_build(sys.argv[2], sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == "--peer-analyze":
        peer_analyze(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "--kg-queries":
        kg_queries(sys.argv[2], sys.argv[3])
    else:
        print(render(main()))
