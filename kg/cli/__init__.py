"""The ``kg`` command: parse arguments, call one library function, print.

Exit status: 0 when every input was read, 1 when any input failed (the others
are still processed and printed), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from kg import extractors
from kg.errors import InputError, KgError, UsageError, render
from kg.extract import extract_bytes, extract_paths
from kg.extractors.base import Extraction
from kg.extractors.records import parse_mapping
from kg.namespace import DEFAULT_BASE, PREFIXES, compact_iri
from kg.network.projections import PROJECTIONS
from kg.topics import METHODS as TOPIC_METHODS

PROG = "kg"


def _date_argument(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in YYYY-MM-DD form") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="kg turns saved listings of research papers into a knowledge graph."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    extract = commands.add_parser(
        "extract",
        help="print one JSON record per paper (JSON Lines)",
        description="Print one JSON record per paper found in the inputs (JSON Lines, to stdout). "
        "Folders are walked; '-' reads standard input. Notes and errors go to stderr.",
    )
    extract.add_argument("paths", nargs="*", metavar="PATH", help="files, folders, http(s) URLs, or - for stdin")
    _add_extract_options(extract)
    extract.add_argument("--list-formats", action="store_true", help="list the known formats and exit")
    extract.set_defaults(handler=run_extract)

    build = commands.add_parser(
        "build",
        help="build the knowledge graph of the inputs",
        description="Extract every input (pages, folders, kg JSON Lines) and write one RDF graph. "
        "The serialization follows OUT's extension: .ttl .nt .nq .trig .jsonld .rdf "
        "(.nq .trig .jsonld keep one named graph per source).",
    )
    build.add_argument("paths", nargs="+", metavar="PATH", help="files, folders or http(s) URLs")
    build.add_argument("-o", "--output", metavar="OUT", help="the graph file to write")
    build.add_argument("--store", metavar="DIR", help="also (or instead) write a persistent store for kg add/remove")
    build.add_argument("--base", default=DEFAULT_BASE, metavar="IRI", help=f"base IRI of minted nodes ({DEFAULT_BASE})")
    build.add_argument(
        "--aliases", metavar="FILE", help="JSON file forcing or forbidding author and org merges (see README)"
    )
    build.add_argument(
        "--strict", action="store_true", help="any input that fails stops the build before anything is written"
    )
    _add_extract_options(build)
    topics_options = build.add_argument_group("topics from titles and abstracts")
    topics_options.add_argument(
        "--topics",
        default="auto",
        choices=(*TOPIC_METHODS, "none"),
        metavar="METHOD",
        help="auto (vocabulary, plus noun chunks when a trained spaCy pipeline is installed), vocabulary, "
        "keyphrase, vocabulary+keyphrase, noun-chunk, vocabulary+noun-chunk, or none",
    )
    topics_options.add_argument("--max-topics", type=int, default=8, metavar="N", help="topics per paper at most (8)")
    topics_options.add_argument(
        "--min-topic-papers",
        type=int,
        default=2,
        metavar="N",
        help="keep a statistical key phrase only if N papers have it (2; 1 keeps single-paper phrases)",
    )
    build.set_defaults(handler=run_build)

    validate = commands.add_parser(
        "validate",
        help="check a graph against kg's SHACL shapes",
        description="Validate GRAPH against ontology/shapes.ttl; prints each violation, exits 1 if any.",
    )
    _add_graph_argument(validate)
    validate.set_defaults(handler=run_validate)

    add = commands.add_parser(
        "add",
        help="add or replace one source in a store",
        description="Add SOURCE to the store (or replace it when its content changed) and rebuild the graph; "
        "re-adding an unchanged source does nothing.",
    )
    add.add_argument("source", metavar="SOURCE", help="a file")
    add.add_argument("--store", required=True, metavar="DIR", help="a store made by kg build --store")
    _add_extract_options(add)
    add.set_defaults(handler=run_add)

    remove = commands.add_parser("remove", help="drop one source from a store and rebuild the graph")
    remove.add_argument("source", metavar="SOURCE", help="the source as it was added")
    remove.add_argument("--store", required=True, metavar="DIR", help="a store made by kg build --store")
    remove.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    remove.set_defaults(handler=run_remove)

    query = commands.add_parser(
        "query",
        help="run a SPARQL query on a graph",
        description="Run QUERY (inline SPARQL or a .rq file) over the union of GRAPH's named graphs. "
        "The prefixes kg, rdf, rdfs, owl, xsd, schema, foaf, dcterms, skos, org, prov and sh are predeclared.",
    )
    query.add_argument(
        "graph", metavar="GRAPH", nargs="?", help="an RDF file or a kg build --store folder (not with --endpoint)"
    )
    query.add_argument("query", metavar="QUERY", help="SPARQL text or a path to a .rq file")
    query.add_argument("--endpoint", metavar="URL", help="query this SPARQL 1.1 endpoint instead of a local GRAPH")
    query.add_argument(
        "--format", choices=("table", "csv", "tsv", "json", "xml"), default="table", help="output format (table)"
    )
    query.add_argument(
        "--bind",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="bind ?NAME to VALUE (a string; an integer; <iri>; or prefix:local), never pasted into the text",
    )
    query.set_defaults(handler=run_query_command)

    topics = commands.add_parser(
        "topics",
        help="list a graph's topics with paper counts and top authors",
        description="List the topics of GRAPH, most papers first, with each topic's top authors.",
    )
    _add_graph_argument(topics)
    topics.add_argument("--top", type=int, default=30, metavar="N", help="show the N largest topics (30; 0 for all)")
    topics.add_argument(
        "--min-papers", type=int, default=1, metavar="N", help="leave out topics with fewer than N papers (1)"
    )
    topics.add_argument("--json", action="store_true", help="print JSON instead of a table")
    topics.set_defaults(handler=run_topics)

    export = commands.add_parser(
        "export",
        help="write the graph or a projection as GraphML or GEXF (for Gephi)",
        description="Write GRAPH as a NetworkX graph in GraphML (.graphml) or GEXF (.gexf).",
    )
    _add_graph_argument(export)
    export.add_argument("-o", "--output", required=True, metavar="FILE", help=".graphml or .gexf")
    export.add_argument("--projection", choices=PROJECTIONS, default="full", help="full (typed graph) or a projection")
    export.add_argument("--since", type=int, metavar="YEAR", help="only papers from YEAR on")
    export.add_argument("-q", "--quiet", action="store_true", help="print errors only, no notes")
    export.set_defaults(handler=run_export)

    analyze = commands.add_parser(
        "analyze",
        help="centrality, communities, components and trends",
        description="Rank nodes of a projection by centrality (degree, weighted degree, betweenness, closeness, "
        "PageRank, eigenvector), find communities (Louvain, seeded) and components, and count papers per year.",
    )
    _add_graph_argument(analyze)
    analyze.add_argument(
        "--projection", choices=PROJECTIONS, default="coauthor", help="the graph to analyse (coauthor)"
    )
    analyze.add_argument("--top", type=int, default=20, metavar="N", help="rows to show (20)")
    analyze.add_argument(
        "--sort-by", choices=("pagerank", "degree", "weighted_degree", "betweenness", "eigenvector"), default="pagerank"
    )
    analyze.add_argument("--author", metavar="NAME", help="also count this author's papers per year")
    analyze.add_argument("--since", type=int, metavar="YEAR", help="only papers from YEAR on")
    output = analyze.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument("--csv", action="store_true", help="print the ranking as CSV")
    analyze.add_argument("--plot", metavar="FILE", help="also draw the ranking and papers per year (.png .svg .pdf)")
    analyze.set_defaults(handler=run_analyze)

    viz = commands.add_parser(
        "viz",
        help="write an interactive HTML page of the graph",
        description="Write an interactive, offline HTML page (vis-network via pyvis) of GRAPH or a projection.",
    )
    _add_graph_argument(viz)
    viz.add_argument("-o", "--output", required=True, metavar="FILE", help="the .html page to write")
    viz.add_argument("--projection", choices=PROJECTIONS, default="full", help="full (typed graph) or a projection")
    viz.add_argument("--focus", metavar="NAME", help="only the neighbourhood of this author, topic, org or paper")
    viz.add_argument("--depth", type=int, default=1, metavar="K", help="steps around --focus (1)")
    viz.add_argument(
        "--max-nodes", type=int, default=2000, metavar="N", help="keep the N most central nodes (2000; 0: all)"
    )
    viz.add_argument("--since", type=int, metavar="YEAR", help="only papers from YEAR on")
    viz.add_argument(
        "--size-by",
        choices=("pagerank", "degree", "weighted_degree", "betweenness", "eigenvector"),
        default="pagerank",
        help="the centrality that sizes nodes and picks them under --max-nodes, as kg analyze defines it (pagerank)",
    )
    viz.add_argument("--title", help="the page's heading")
    viz.add_argument("-q", "--quiet", action="store_true", help="print errors only, no notes")
    viz.set_defaults(handler=run_viz)

    serve = commands.add_parser(
        "serve",
        help="serve a store as a SPARQL 1.1 endpoint on localhost (Oxigraph server)",
        description="Run the Oxigraph SPARQL server on a store folder until interrupted (Ctrl-C). "
        "Queries see the union of all named graphs. Read-only unless --writable.",
    )
    serve.add_argument("--store", required=True, metavar="DIR", help="a store made by kg build --store")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=7878, help="port (7878)")
    serve.add_argument("--writable", action="store_true", help="accept SPARQL updates and Graph Store writes")
    serve.add_argument("--timeout", type=int, default=30, metavar="S", help="longest a query may run, seconds (30)")
    serve.set_defaults(handler=run_serve)

    push = commands.add_parser(
        "push",
        help="load a graph into a SPARQL 1.1 Graph Store Protocol server",
        description="Send every named graph of GRAPH (one per source, topics, resolution) to a Graph Store "
        "Protocol endpoint: PUT replaces each graph there, --append adds to it.",
    )
    _add_graph_argument(push)
    push.add_argument(
        "--endpoint", required=True, metavar="URL", help="the Graph Store endpoint, e.g. http://host/store"
    )
    push.add_argument("--append", action="store_true", help="add to the server's graphs instead of replacing them")
    push.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    push.set_defaults(handler=run_push)

    stats = commands.add_parser("stats", help="count nodes per class and edges per type")
    _add_graph_argument(stats)
    stats.set_defaults(handler=run_stats)
    return parser


def _add_graph_argument(command: argparse.ArgumentParser) -> None:
    """GRAPH, as every command that reads a graph takes it: an RDF file or a store folder."""
    command.add_argument(
        "graph", metavar="GRAPH", help="an RDF file (.ttl .nt .nq .trig .jsonld .rdf) or a kg build --store folder"
    )


def _add_extract_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--format", metavar="NAME", help="force an input format instead of detecting it")
    command.add_argument(
        "--as-of",
        type=_date_argument,
        metavar="YYYY-MM-DD",
        help="when the pages were saved (resolves dates shown without a year)",
    )
    command.add_argument(
        "--org",
        action="append",
        default=[],
        metavar="NAME",
        help="whose page it is: added to every record's orgs (repeatable)",
    )
    command.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=KEY",
        help="for generic JSON/CSV: the key holding FIELD (title, authors, abstract, date, doi, ...); repeatable",
    )
    command.add_argument(
        "--allow-private", action="store_true", help="let URLs reach private and loopback addresses (off by default)"
    )
    command.add_argument("-q", "--quiet", action="store_true", help="print errors only, no notes or summary")


# How the command line names an option the library's messages refer to (by Python keyword).
_FLAG_NAMES = {"store": "kg build --store", "list_formats": "kg extract --list-formats", "result_format": "--format"}


def flag(option: str) -> str:
    """The flag (or command) for a library option: ``as_of`` -> ``--as-of``."""
    return _FLAG_NAMES.get(option) or "--" + option.replace("_", "-")


def _note(message: str, quiet: bool) -> None:
    if not quiet:
        print(f"{PROG}: note: {message}", file=sys.stderr)


def _error(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)


def _iter_extractions(args: argparse.Namespace):
    options = {"format": args.format, "as_of": args.as_of, "orgs": args.org, "mapping": parse_mapping(args.map)}
    for path in args.paths:
        if path == "-":
            try:
                yield extract_bytes(sys.stdin.buffer.read(), "<stdin>", **options)
            except InputError as error:
                yield error
        else:
            yield from extract_paths([path], allow_private=args.allow_private, **options)


def run_extract(args: argparse.Namespace, out: TextIO) -> int:
    if args.list_formats:
        for extractor in extractors.formats():
            out.write(f"{extractor.name:14} {extractor.description}\n")
        return 0
    if not args.paths:
        _error("extract: give at least one PATH (or --list-formats)")
        return 2
    if args.format is not None:
        extractors.get(args.format)  # an unknown name is a usage error before any input is read
    failed = papers = inputs = 0
    for item in _iter_extractions(args):
        if isinstance(item, InputError):
            failed += 1
            _error(item.render(flag))
            continue
        inputs += 1
        papers += len(item.records)
        _report(item, args.quiet)
        for record in item.records:
            out.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
    _note(f"{papers} paper(s) from {inputs} input(s); {failed} input(s) failed", args.quiet)
    return 1 if failed else 0


def _report(item: Extraction, quiet: bool) -> None:
    guessed = extractors.get(item.format).guesses
    if guessed:
        print(f"{PROG}: warning: {item.source}: layout guessed as {item.format}", file=sys.stderr)
    for note in item.notes:
        _note(f"{item.source}: {render(note, flag)}", quiet)


def _options(args: argparse.Namespace):
    """The BuildOptions a command's flags ask for (flags a command lacks keep their defaults)."""
    from kg.pipeline import BuildOptions
    from kg.resolve.aliases import Aliases

    values = {
        "format": args.format,
        "as_of": args.as_of,
        "orgs": tuple(args.org),
        "mapping": parse_mapping(args.map),
        "allow_private": args.allow_private,
    }
    for name in ("base", "topics", "max_topics", "min_topic_papers", "strict"):
        if hasattr(args, name):
            values[name] = getattr(args, name)
    if getattr(args, "aliases", None):
        values["aliases"] = Aliases.load(args.aliases)
    return BuildOptions(**values)


class _Spinner:
    """The progress callback the library is given: a spinner on stderr, only on a terminal."""

    def __init__(self) -> None:
        self._status = None

    def __call__(self, stage: str, done: int | None = None) -> None:
        if not sys.stderr.isatty():
            return
        from rich.console import Console

        text = f"{stage}: {done} done" if done is not None else stage
        if self._status is None:
            self._status = Console(stderr=True).status(text)
            self._status.start()
        else:
            self._status.update(text)

    def __enter__(self) -> _Spinner:
        return self

    def __exit__(self, *exc) -> None:
        if self._status is not None:
            self._status.stop()


def _print_report(report, quiet: bool) -> None:
    """The notes, errors and summary of a build, add or remove, the same for every target."""
    for source in report.sources:
        for note in source.notes:
            _note(f"{source.source}: {render(note, flag)}", quiet)
        change = f"{report.change}, " if report.change else ""
        _note(f"{source.source}: {change}{source.papers} paper(s) read as {source.format}", quiet)
    for skipped in report.skipped:
        _note(f"skipped {skipped}", quiet)
    for failure in report.failures:
        _error(failure.render(flag))
    if report.refused:
        _error(render(report.refused, flag))
        return
    for note in report.notes:
        _note(note, quiet)
    if report.written:
        _note(report.summary(), quiet)


def run_build(args: argparse.Namespace, out: TextIO) -> int:
    from kg.pipeline import Target, build

    if not args.output and not args.store:
        _error("build: give -o OUT, --store DIR, or both")
        return 2
    options = _options(args)
    with _Spinner() as spinner:
        report = build(args.paths, options, Target(store=args.store, output=args.output), progress=spinner)
    _print_report(report, args.quiet)
    return report.status


def run_add(args: argparse.Namespace, out: TextIO) -> int:
    from kg.pipeline import add

    with _Spinner() as spinner:
        report = add(args.store, args.source, _options(args), progress=spinner)
    if report.change == "unchanged":
        _note(f"{args.source}: unchanged since it was added; nothing to do", args.quiet)
        return 0
    _print_report(report, args.quiet)
    return report.status


def run_remove(args: argparse.Namespace, out: TextIO) -> int:
    from kg.pipeline import remove

    with _Spinner() as spinner:
        report = remove(args.store, args.source, progress=spinner)
    _note(f"{args.source}: removed", args.quiet)
    _print_report(report, args.quiet)
    return report.status


def _load_graph(path: str):
    from kg.store import open_graph

    return open_graph(path)


def run_validate(args: argparse.Namespace, out: TextIO) -> int:
    from kg.validate import validate_graph

    results = validate_graph(_load_graph(args.graph))
    for result in results:
        out.write(f"{result}\n")
    violations = [r for r in results if r.severity == "Violation"]
    warnings = len(results) - len(violations)
    if violations:
        out.write(f"{args.graph}: {len(violations)} violation(s), {warnings} warning(s)\n")
        return 1
    out.write(f"{args.graph}: conforms to kg's shapes" + (f" ({warnings} warning(s))\n" if warnings else "\n"))
    return 0


def run_query_command(args: argparse.Namespace, out: TextIO) -> int:
    from kg.graph import output_prefixes
    from kg.query import parse_cli_binding, read_query, run_query_serialized

    bindings = dict(parse_cli_binding(text) for text in args.bind)
    if bool(args.endpoint) == bool(args.graph):
        raise UsageError("give GRAPH or --endpoint URL, not both" if args.graph else "give GRAPH or --endpoint URL")
    sparql = read_query(args.query)
    if args.endpoint:
        return _query_remote(args, sparql, bindings, out)
    graph = _load_graph(args.graph)
    if args.format != "table":
        data = run_query_serialized(graph.store, sparql, bindings, args.format)
        out.write(data.decode("utf-8"))
        if not data.endswith(b"\n"):
            out.write("\n")
        return 0
    _print_result(graph.query(sparql, bindings), output_prefixes(graph.base), out)
    return 0


def _query_remote(args: argparse.Namespace, sparql: str, bindings: dict, out: TextIO) -> int:
    from kg.graph import output_prefixes
    from kg.remote import query_endpoint

    if args.format != "table":
        data = query_endpoint(args.endpoint, sparql, bindings, result_format=args.format)
        out.write(data.decode("utf-8", "replace"))
        if not data.endswith(b"\n"):
            out.write("\n")
        return 0
    _print_result(query_endpoint(args.endpoint, sparql, bindings), output_prefixes(DEFAULT_BASE), out)
    return 0


def run_serve(args: argparse.Namespace, out: TextIO) -> int:
    import signal
    import time

    from kg.remote import serve

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # so the server is stopped too, not orphaned
    with serve(args.store, host=args.host, port=args.port, writable=args.writable, timeout_s=args.timeout) as server:
        mode = "read-write" if args.writable else "read-only"
        _note(f"serving {args.store} ({mode}); stop with Ctrl-C", False)
        out.write(f"SPARQL query endpoint:  {server.query_url}\n")
        if args.writable:
            out.write(f"SPARQL update endpoint: {server.update_url}\n")
        out.write(f"Graph Store endpoint:   {server.store_url}\n")
        out.flush()
        try:
            while server.process.poll() is None:
                time.sleep(0.5)
        except KeyboardInterrupt:
            return 0
        _error(f"the server stopped (exit status {server.process.returncode})")
        return 1


def run_push(args: argparse.Namespace, out: TextIO) -> int:
    from kg.remote import push

    sent = push(_load_graph(args.graph), args.endpoint, append=args.append)
    total = sum(count for _, count in sent)
    _note(f"sent {total} statements in {len(sent)} graph(s) to {args.endpoint}", args.quiet)
    return 0


def _print_result(result, graph_prefixes: dict[str, str], out: TextIO) -> None:
    if result.boolean is not None:
        out.write(f"{str(result.boolean).lower()}\n")
    elif result.triples is not None:
        for triple in result.triples:
            out.write(f"{triple} .\n")
    else:
        prefixes = {**PREFIXES, **graph_prefixes}
        _print_table(result.variables, [[_cell(v, prefixes) for v in row] for row in result.rows], out)


def _cell(term, prefixes: dict[str, str]) -> str:
    import pyoxigraph

    if term is None:
        return ""
    if isinstance(term, pyoxigraph.NamedNode):
        return compact_iri(term.value, prefixes)
    return term.value


def run_topics(args: argparse.Namespace, out: TextIO) -> int:
    from kg.analysis.topics import summarise_topics

    summaries = summarise_topics(args.graph, min_papers=args.min_papers, limit=args.top or None)
    if args.json:
        out.write(json.dumps([s.to_dict() for s in summaries], ensure_ascii=False, indent=1) + "\n")
        return 0
    rows = [
        [s.label, s.notation or "", str(s.papers), ", ".join(f"{name} ({n})" for name, n in s.top_authors)]
        for s in summaries
    ]
    _print_table(["topic", "code", "papers", "top authors"], rows, out)
    return 0


def run_export(args: argparse.Namespace, out: TextIO) -> int:
    from kg.export.files import export_graph

    exported = export_graph(args.graph, args.output, projection=args.projection, since=args.since)
    _note(f"wrote {args.output} ({exported.format}, {exported.projection}): "
          f"{exported.nodes} nodes, {exported.edges} edges", args.quiet)  # fmt: skip
    return 0


def run_analyze(args: argparse.Namespace, out: TextIO) -> int:
    import csv

    from kg.analysis import report

    result = report(args.graph, projection=args.projection, top=args.top, sort_by=args.sort_by, author=args.author,
                    since=args.since, plot=args.plot)  # fmt: skip
    for problem in result.problems:
        _error(render(problem, flag))
    if args.json:
        out.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=1) + "\n")
        return 0
    analysis = result.analysis
    columns = ["rank", "label", "type", "degree", "weighted_degree", "betweenness", "closeness", "pagerank",
               "eigenvector", "community"]  # fmt: skip
    if args.csv:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[row[c] for c in columns] for row in analysis.ranking])
        return 0
    largest = analysis.components[0] if analysis.components else 0
    out.write(f"{result.projection} graph: {analysis.nodes} nodes, {analysis.edges} edges, "
              f"{len(analysis.components)} component(s), largest {largest}\n")  # fmt: skip
    for approximation in analysis.approximations:
        out.write(f"approximation: {approximation}\n")
    _print_table(columns, [[str(row[c]) for c in columns] for row in analysis.ranking], out,
                 title=f"Top {len(analysis.ranking)} by {result.sort_by}")  # fmt: skip
    _print_table(["community", "size", "most central members"],
                 [[str(c["id"]), str(c["size"]), ", ".join(c["top"])] for c in analysis.communities], out,
                 title="Largest communities (Louvain, seed 42)")  # fmt: skip
    for name, counts in result.papers_per_year.items():
        rows = [
            [label, ", ".join(f"{year}: {n}" for year, n in per_year.items())] for label, per_year in counts.items()
        ]
        _print_table([name, "papers per year"], rows, out, title="Papers per year")
    if result.plot:
        out.write(f"plot written to {result.plot}\n")
    return 0


def run_viz(args: argparse.Namespace, out: TextIO) -> int:
    from kg.export.html import save_page

    page = save_page(args.graph, args.output, projection=args.projection, max_nodes=args.max_nodes, focus=args.focus,
                     depth=args.depth, since=args.since, size_by=args.size_by, title=args.title)  # fmt: skip
    notes = "; ".join(render(note, flag) for note in page.notes)
    _note(f"wrote {args.output}: {page.shown} of {page.total} nodes, {page.edges} edges"
          + (f" ({notes})" if notes else ""), args.quiet)  # fmt: skip
    return 0


def run_stats(args: argparse.Namespace, out: TextIO) -> int:
    stats = _load_graph(args.graph).stats()
    _print_table(["class", "nodes"], [[name, str(n)] for name, n in stats["classes"]], out, title="Nodes per class")
    _print_table(["edge", "count"], [[name, str(n)] for name, n in stats["edges"]], out, title="Edges per type")
    _print_table(["total", "count"], [[name, str(n)] for name, n in stats["totals"]], out, title="Totals")
    return 0


def _print_table(columns: Sequence[str], rows: Sequence[Sequence[str]], out: TextIO, title: str | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*row)
    console = Console(file=out, width=None if out.isatty() else 160, markup=False, highlight=False)
    console.print(table)
    if not rows:
        out.write("(no rows)\n")


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    stream = out if out is not None else sys.stdout
    try:
        return args.handler(args, stream)
    except InputError as error:
        _error(error.render(flag))
        return 1
    except KgError as error:
        _error(error.render(flag))
        return 2
    except BrokenPipeError:
        # The reader went away (kg extract ... | head): stop quietly, and point
        # stdout at /dev/null so the interpreter's final flush does not complain.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        _error("interrupted")
        return 130


def entry_point() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    entry_point()
