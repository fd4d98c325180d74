"""kg topics: a graph's topics with paper counts and top authors."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from kg.cli.common import (
    add_graph_argument,
    count_argument,
    print_table,
)
from kg.cli.progress import ProgressBars


def add_parser(commands: argparse._SubParsersAction) -> None:
    topics = commands.add_parser(
        "topics",
        help="list a graph's topics with paper counts and top authors",
        description="List the topics of GRAPH, most papers first, with each topic's top authors.",
    )
    add_graph_argument(topics)
    topics.add_argument(
        "--top", type=count_argument, default=30, metavar="N", help="show the N largest topics (30; 0 for all)"
    )
    topics.add_argument(
        "--min-papers", type=int, default=1, metavar="N", help="leave out topics with fewer than N papers (1)"
    )
    topics.add_argument(
        "--scheme",
        metavar="ID",
        help="only topics of one scheme: topics (kg's own: found in text, or keywords), arxiv, mesh, openalex, ...",
    )
    topics.add_argument("--json", action="store_true", help="print JSON instead of a table")
    topics.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    from kg.analysis.topics import summarise_topics
    from kg.store import open_graph

    with ProgressBars() as progress:
        graph = open_graph(args.graph, progress)  # a large graph file takes long to load
    summaries = summarise_topics(graph, min_papers=args.min_papers, limit=args.top or None, scheme=args.scheme)
    if args.json:
        out.write(json.dumps([s.to_dict() for s in summaries], ensure_ascii=False, indent=1) + "\n")
        return 0
    rows = [
        [s.label, s.scheme or "", s.notation or "", str(s.papers), ", ".join(f"{n} ({c})" for n, c in s.top_authors)]
        for s in summaries
    ]
    print_table(["topic", "scheme", "code", "papers", "top authors"], rows, out)
    return 0
