"""kg why-same: the people behind a name, and why kg joined or kept apart their printings."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from kg.cli.common import FAILED, OK, add_graph_argument, print_table


def add_parser(commands: argparse._SubParsersAction) -> None:
    why = commands.add_parser(
        "why-same",
        help="list the people a name could be, with the merges and splits that made them",
        description='List the authors of GRAPH whose printed names could be NAME ("A. Gupta" finds Anoop and '
        "Ajay Gupta), each with the names that were joined into them (rule, evidence, score) and the "
        "namesakes they were kept apart from, and why.",
    )
    add_graph_argument(why)
    why.add_argument("name", metavar="NAME", help='a printed name: "A. Gupta", "Gupta, Anoop", "Anoop Gupta"')
    why.add_argument("--json", action="store_true", help="print JSON instead of tables")
    why.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    from kg.analysis.identity import explain_name

    people = explain_name(args.graph, args.name)
    if args.json:
        out.write(json.dumps([p.to_dict() for p in people], ensure_ascii=False, indent=1) + "\n")
        return OK if people else FAILED
    if not people:
        out.write(f"no author's printed name could be {args.name!r}\n")
        return FAILED
    out.write(f"{len(people)} {'person' if len(people) == 1 else 'people'} could be {args.name!r}\n")
    for person in people:
        title = f"{person.label}: {person.papers} paper(s), printed as {', '.join(person.names)}"
        rows = [
            [
                d.kind,
                d.variant if d.kind == "merge" else f"apart from {d.other_label or d.other}",
                d.rule,
                "" if d.score is None else f"{d.score:+.2f}",
                "; ".join(d.evidence),
            ]
            for d in person.decisions
        ]
        out.write("\n")
        if not rows:
            out.write(f"{title}\n  printed one way, with no namesake: nothing was decided\n")
            continue
        print_table(["decision", "name", "rule", "score", "evidence"], rows, out, title=title)
    return 0
