"""kg validate: check a graph against kg's SHACL shapes."""

from __future__ import annotations

import argparse
from typing import TextIO

from kg.cli.common import (
    FAILED,
    OK,
    add_graph_argument,
)
from kg.cli.progress import ProgressBars
from kg.store import open_graph


def add_parser(commands: argparse._SubParsersAction) -> None:
    from kg.validate import ENGINES

    validate = commands.add_parser(
        "validate",
        help="check a graph against kg's SHACL shapes",
        description="Validate GRAPH against ontology/shapes.ttl; prints each violation, exits 1 if any.",
    )
    add_graph_argument(validate)
    validate.add_argument(
        "--engine",
        choices=ENGINES,
        default=ENGINES[0],
        help="builtin: kg's shapes as SPARQL queries on the graph itself (the default, fast); "
        "pyshacl: pySHACL on an in-memory copy (the reference, slow on a large graph); both give the same results",
    )
    validate.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    from kg.validate import validate_graph

    with ProgressBars() as progress:
        results = validate_graph(open_graph(args.graph, progress), progress, engine=args.engine)
    for result in results:
        out.write(f"{result}\n")
    violations = [r for r in results if r.severity == "Violation"]
    warnings = len(results) - len(violations)
    if violations:
        out.write(f"{args.graph}: {len(violations)} violation(s), {warnings} warning(s)\n")
        return FAILED
    out.write(f"{args.graph}: conforms to kg's shapes" + (f" ({warnings} warning(s))\n" if warnings else "\n"))
    return OK
