"""kg query: run SPARQL on a graph or an endpoint."""

from __future__ import annotations

import argparse
from typing import TextIO

from kg.cli.common import (
    print_table,
    warn,
)
from kg.errors import UsageError
from kg.io.inputs import STDIN
from kg.namespace import DEFAULT_BASE, compact_iri
from kg.store import open_graph


def add_parser(commands: argparse._SubParsersAction) -> None:
    query = commands.add_parser(
        "query",
        help="run a SPARQL query on a graph",
        description="Run QUERY (inline SPARQL or a .rq file) over the union of GRAPH's named graphs. "
        "The prefixes kg, rdf, rdfs, owl, xsd, schema, foaf, dcterms, skos, org, prov, cito and sh are predeclared, "
        "and those kg prints nodes with: paper, author, topic, organisation and source.",
    )
    query.add_argument(
        "graph", metavar="GRAPH", nargs="?", help="an RDF file or a kg build --store folder (not with --endpoint)"
    )
    query.add_argument(
        "query", metavar="QUERY", help="SPARQL text, a path to a .rq file, or - to read it from standard input"
    )
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
    query.add_argument(
        "--allow-service",
        action="append",
        default=[],
        metavar="URL",
        help="let SERVICE <URL> call this endpoint (repeatable); a local query calls no other endpoint otherwise",
    )
    query.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    from kg.graph import query_prefixes
    from kg.query import parse_cli_binding, read_query, run_query, run_query_serialized

    if bool(args.endpoint) == bool(args.graph):
        raise UsageError("give GRAPH or --endpoint URL, not both" if args.graph else "give GRAPH or --endpoint URL")
    if args.endpoint and args.allow_service:
        raise UsageError("--allow-service is for a local GRAPH: a remote endpoint decides which SERVICE it calls")
    if args.graph == STDIN and args.query == STDIN:
        raise UsageError("GRAPH and QUERY cannot both be read from standard input (-)")
    for text in args.bind:  # a malformed --bind is refused before anything is read
        parse_cli_binding(text)
    sparql = read_query(args.query)
    if args.endpoint:
        prefixes = query_prefixes(DEFAULT_BASE)
        bindings = dict(parse_cli_binding(text, prefixes) for text in args.bind)
        return _query_remote(args, sparql, bindings, prefixes, out)
    graph = open_graph(args.graph)
    prefixes = query_prefixes(graph.base)
    bindings = dict(parse_cli_binding(text, prefixes) for text in args.bind)
    if args.format != "table":
        data = run_query_serialized(graph.store, sparql, bindings, args.format, allow_service=args.allow_service,
                                    prefixes=prefixes)  # fmt: skip
        out.write(data.decode("utf-8"))
        if not data.endswith(b"\n"):
            out.write("\n")
        return 0
    result = run_query(graph.store, sparql, bindings, allow_service=args.allow_service, prefixes=prefixes)
    _print_result(result, prefixes, out)
    return 0


def _query_remote(args: argparse.Namespace, sparql: str, bindings: dict, prefixes: dict[str, str], out: TextIO) -> int:
    from kg.remote import query_endpoint

    warnings: list[str] = []  # printed after the result, where a long table does not hide them
    if args.format != "table":
        data = query_endpoint(args.endpoint, sparql, bindings, result_format=args.format, prefixes=prefixes,
                              warn=warnings.append)  # fmt: skip
        out.write(data.decode("utf-8", "replace"))
        if not data.endswith(b"\n"):
            out.write("\n")
    else:
        result = query_endpoint(args.endpoint, sparql, bindings, prefixes=prefixes, warn=warnings.append)
        _print_result(result, prefixes, out)
    out.flush()
    for message in warnings:
        warn(message)
    return 0


def _print_result(result, prefixes: dict[str, str], out: TextIO) -> None:
    if result.boolean is not None:
        out.write(f"{str(result.boolean).lower()}\n")
    elif result.triples is not None:
        for triple in result.triples:
            out.write(f"{triple} .\n")
    else:
        print_table(result.variables, [[_cell(v, prefixes) for v in row] for row in result.rows], out)


def _cell(term, prefixes: dict[str, str]) -> str:
    import pyoxigraph

    if term is None:
        return ""
    if isinstance(term, pyoxigraph.NamedNode):
        shown = compact_iri(term.value, prefixes)
        return f"<{shown}>" if shown == term.value else shown  # as a query would write it: pasteable
    return term.value
