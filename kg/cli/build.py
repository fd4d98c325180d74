"""kg build: build the knowledge graph of the inputs into a file, a store, or both."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from kg.cli.common import (
    USAGE,
    add_extract_options,
    add_wait_option,
    build_options,
    error,
    print_report,
)
from kg.cli.progress import ProgressBars
from kg.namespace import DEFAULT_BASE
from kg.topics import METHODS as TOPIC_METHODS


def add_parser(commands: argparse._SubParsersAction) -> None:
    build = commands.add_parser(
        "build",
        help="build the knowledge graph of the inputs",
        description="Extract every input (pages, folders, kg JSON Lines) and write one RDF graph. "
        "The serialization follows OUT's extension: .ttl .nt .nq .trig .jsonld .rdf "
        "(.nq .trig .jsonld keep one named graph per source).",
    )
    build.add_argument("paths", nargs="+", metavar="PATH", help="files, folders or http(s) URLs")
    build.add_argument("-o", "--output", metavar="OUT", help="the graph file to write (- for Turtle on stdout)")
    build.add_argument("--store", metavar="DIR", help="also (or instead) write a persistent store for kg add/remove")
    build.add_argument(
        "--replace",
        action="store_true",
        help="let --store drop the sources an existing store holds that these inputs do not include",
    )
    add_wait_option(build)
    build.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="read the input files and their papers' topics on the Dask cluster whose scheduler is at ADDRESS "
        "(tcp://HOST:PORT), for the same graph; the files must be at the same paths on its workers "
        "(needs kg's distributed extra)",
    )
    build.add_argument("--base", default=DEFAULT_BASE, metavar="IRI", help=f"base IRI of minted nodes ({DEFAULT_BASE})")
    build.add_argument(
        "--aliases", metavar="FILE", help="JSON file forcing or forbidding author and org merges (see README)"
    )
    build.add_argument(
        "--strict", action="store_true", help="any input that fails stops the build before anything is written"
    )
    add_extract_options(build)
    topics_options = build.add_argument_group("topics from titles and abstracts")
    topics_options.add_argument(
        "--topics",
        default="auto",
        choices=(*TOPIC_METHODS, "none"),
        metavar="METHOD",
        help="auto (the same as vocabulary+keyphrase), vocabulary, keyphrase, vocabulary+keyphrase, "
        "noun-chunk, vocabulary+noun-chunk (these two need a trained spaCy pipeline), or none",
    )
    topics_options.add_argument(
        "--max-topics",
        type=int,
        default=8,
        metavar="N",
        help="topics found in a paper's text, at most (8); the source's own keywords and subjects come on top",
    )
    topics_options.add_argument(
        "--min-topic-papers",
        type=int,
        default=1,
        metavar="N",
        help="keep a key phrase only if N papers have it (1: each paper's own phrases count)",
    )
    build.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    from kg.io.outputs import STDOUT
    from kg.pipeline import Target, build

    if not args.output and not args.store:
        error("build: give -o OUT, --store DIR, or both")
        return USAGE
    options = build_options(args)
    # Turtle on a terminal's standard output would be drawn over by the bars.
    quiet = args.quiet or (args.output == STDOUT and sys.stdout.isatty())
    with ProgressBars(quiet) as progress:
        target = Target(args.store, args.output, args.replace, args.wait)
        report = build(args.paths, options, target, progress=progress, dask=args.dask)
    print_report(report, args.quiet)
    return report.status
