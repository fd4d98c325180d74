"""kg against the obvious peers on the same records: a plain rdflib build, and rdflib's SPARQL.

    python bench/peers.py --papers 10000

Build: kg (records -> resolution -> topics -> Oxigraph -> Turtle) against a plain rdflib script that
adds the same kind of triples one by one (paper, title, date, author, name, authored) and writes
Turtle. Query: the canned top-authors query on kg's store against rdflib's in-memory store holding the
same triples. The ratio is peer seconds / kg seconds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402


def plain_rdflib_build(records: list, path: Path) -> float:
    import rdflib

    start = time.perf_counter()
    graph = rdflib.Graph()
    kg = rdflib.Namespace("https://w3id.org/kg/ontology#")
    base = "https://w3id.org/kg/id/"
    for index, record in enumerate(records):
        paper = rdflib.URIRef(f"{base}paper/{index}")
        graph.add((paper, rdflib.RDF.type, kg.Paper))
        graph.add((paper, kg.title, rdflib.Literal(record["title"])))
        graph.add((paper, kg.date, rdflib.Literal(record["date"])))
        graph.add((paper, kg.abstract, rdflib.Literal(record["abstract"])))
        for author in record["authors"]:
            node = rdflib.URIRef(f"{base}author/{abs(hash(author['name']))}")
            graph.add((node, rdflib.RDF.type, kg.Author))
            graph.add((node, kg.name, rdflib.Literal(author["name"])))
            graph.add((node, kg.authored, paper))
    graph.serialize(path, format="turtle")
    return time.perf_counter() - start


def main(argv=None) -> dict:
    import rdflib

    from kg.cli import main as kg_main
    from kg.query import read_query
    from kg.store import open_graph

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--work", default="/tmp/kg-bench")
    args = parser.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    records = list(corpus.records(args.papers))
    source = work / f"corpus-{args.papers}.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    start = time.perf_counter()
    assert kg_main(["build", str(source), "-q", "-o", str(work / "kg.ttl"), "--store", str(work / "store")]) == 0
    kg_build = time.perf_counter() - start
    rdflib_build = plain_rdflib_build(records, work / "rdflib.ttl")
    query = read_query(str(HERE.parent / "examples" / "queries" / "top-authors.rq"))
    graph = open_graph(work / "store")
    start = time.perf_counter()
    graph.query(query)
    kg_query = time.perf_counter() - start
    memory = rdflib.Dataset(default_union=True)
    memory.parse(data=graph.canonical_nquads(), format="nquads")
    prefixes = "PREFIX kg: <https://w3id.org/kg/ontology#>\n"
    start = time.perf_counter()
    list(memory.query(prefixes + query))
    rdflib_query = time.perf_counter() - start
    results = {
        "papers": args.papers,
        "build": {"kg s": round(kg_build, 2), "plain rdflib s": round(rdflib_build, 2),
                  "ratio": round(rdflib_build / kg_build, 2)},
        "top-authors query": {"kg s": round(kg_query, 3), "rdflib s": round(rdflib_query, 3),
                              "ratio": round(rdflib_query / kg_query, 1)},
    }  # fmt: skip
    print(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":
    main()
